"""Writes of the gig market, a module per job: posting a gig (posting.py), registering and signing
in workers (signing_in.py), dispatching (dispatching.py), and recording a gig done and paid (pay.py)."""

"""Writes of authorisations, consent receipts and the codes of a person's own page; one module per
job, every public name importable from here."""

from .authorisations import (
    AuthorisationIn,
    authorisation_evidence_add,
    authorisation_grant,
    authorisation_grant_within,
    authorisation_in_force,
    authorisation_withdraw,
    authorisation_withdraw_by_person,
    not_authorised,
)
from .consents import consent_now, consent_record, consent_record_within, consent_withdraw_by_person

__all__ = [
    "AuthorisationIn",
    "authorisation_evidence_add",
    "authorisation_grant",
    "authorisation_grant_within",
    "authorisation_in_force",
    "authorisation_withdraw",
    "authorisation_withdraw_by_person",
    "consent_now",
    "consent_record",
    "consent_record_within",
    "consent_withdraw_by_person",
    "not_authorised",
]

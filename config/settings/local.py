"""Local development: `make run`."""

from .base import *  # noqa: F403

DEBUG = True

# Background jobs run inline while developing (`make run` starts no consumer); production runs
# `manage.py run_huey` against the SQLite queue or Redis.
HUEY = {**HUEY, "immediate": True}  # noqa: F405

"""Local development: `make run`.

DEBUG is off unless LINJU_DEBUG=true: a newcomer sees what residents would (the Chinese 404 page,
no tracebacks), and static files are served by WhiteNoise straight from the source folders and the
npm packages (no collectstatic needed)."""

import os

from .base import *  # noqa: F403

DEBUG = os.environ.get("LINJU_DEBUG", "false").lower() == "true"
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # nothing collected: the finders' folders are served
WHITENOISE_AUTOREFRESH = True  # an edited stylesheet is served at once

# Background jobs run inline while developing (`make run` starts no consumer); production runs
# `manage.py run_huey` against the SQLite queue or Redis.
HUEY = {**HUEY, "immediate": True}  # noqa: F405

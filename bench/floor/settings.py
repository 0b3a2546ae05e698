"""The production settings with the floor views of `bench/api_load.py` mounted beside the app's URLs.

For the benchmark only: gunicorn is started with DJANGO_SETTINGS_MODULE=floor.settings and bench/ on
the path, so the floor views run in the same server, workers and middleware as the endpoints.
"""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "floor.urls"

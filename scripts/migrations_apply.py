"""Apply every migration to a new, empty database of each kind named, at once, and drop it after:
the proof that the migrations build the schema (the test databases are built from the models,
config/settings/test.py). Exit 1 if any fails, with its output.

usage: migrations_apply.py sqlite [postgres://…]"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg

ROOT = Path(__file__).resolve().parent.parent


def _postgres_admin(url: str):
    parts = urlparse(url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname="postgres",
        autocommit=True,
    )


def start(kind: str, workdir: str) -> tuple[str, subprocess.Popen, callable]:
    if kind == "sqlite":
        url, cleanup = f"sqlite:///{workdir}/migrations.sqlite3", lambda: None
    else:
        name = f"linju_migrations_{os.getpid()}"
        with _postgres_admin(kind) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name}")
            admin.execute(f"CREATE DATABASE {name}")
        url = urlunparse(urlparse(kind)._replace(path=f"/{name}"))

        def cleanup():
            with _postgres_admin(kind) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    env = os.environ | {"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    process = subprocess.Popen(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return urlparse(url).scheme, process, cleanup


def main(kinds: list[str]) -> int:
    failed = 0
    with tempfile.TemporaryDirectory() as workdir:
        running = [start(kind, workdir) for kind in kinds]
        for scheme, process, cleanup in running:
            output, _ = process.communicate()
            cleanup()
            if process.returncode:
                failed = 1
                print(f"The migrations failed on {scheme}:\n{output}")
            else:
                print(f"Every migration applies to an empty {scheme} database.")
    return failed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

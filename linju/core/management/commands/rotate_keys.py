"""Re-encrypt personal data under the current key, in batches, while the site runs."""

import time

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection

from linju.core.crypto import keyring, reencrypt_rows, values_by_key
from linju.core.fields import EncryptedField


def encrypted_tables() -> list[tuple[str, list[tuple[str, str | None, str]]]]:
    """Every table with encrypted columns: (table, [(column, index column or None, purpose)])."""
    found = []
    for model in apps.get_models():
        columns = [
            (field.column, field.index_field.column if field.index else None, field.purpose)
            for field in model._meta.local_concrete_fields
            if isinstance(field, EncryptedField)
        ]
        if columns:
            found.append((model._meta.db_table, columns))
    return found


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted column under the current key (LINJU_KEY_FILE or the key service "
        "names it), a batch at a time; the older keys stay readable until no value needs them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=2000, help="rows a transaction (default 2000)")
        parser.add_argument(
            "--rest", type=float, default=0.0, help="seconds to wait between batches, to spare the site"
        )

    def handle(self, *args, batch: int, rest: float, **options):
        ring = keyring()
        self.stdout.write(f"current key: {ring.current} (held: {', '.join(sorted(ring.keys))})")
        left = 0
        for table, columns in encrypted_tables():
            rewritten, raced = reencrypt_rows(
                connection, table, columns, batch=batch, pause=(lambda: time.sleep(rest)) if rest else None
            )
            self.stdout.write(f"{table}: {rewritten} rows re-encrypted, {raced} edited meanwhile")
            for column, _index, _purpose in columns:
                counts = values_by_key(connection, table, column)
                others = {kid or "plain": n for kid, n in counts.items() if kid != ring.current}
                left += sum(others.values())
                shown = ", ".join(f"{kid}: {n}" for kid, n in sorted(others.items())) or "none"
                self.stdout.write(
                    f"  {column}: {counts.get(ring.current, 0)} under {ring.current}; others {shown}"
                )
        if left:
            self.stdout.write(
                self.style.WARNING(f"{left} values are not under {ring.current} yet: run again.")
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Every value is under {ring.current}: older keys may be retired.")
            )

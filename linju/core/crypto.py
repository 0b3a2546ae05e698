"""Personal data at rest, with the national algorithms (GB/T 39786-2021): SM4 to encrypt, SM3 to
hash and, keyed (HMAC-SM3), to find.

A value is stored as `<key id>:<base64 of nonce, ciphertext and tag>` (SM4-GCM: a fresh 12-byte
nonce each time, the 16-byte tag checks it was not altered; the field's purpose, e.g. "id_number",
is bound in as associated data, so a value copied into another kind of column does not decrypt). The
key id names the key that encrypted it: several keys may be held at once, the newest encrypts, any
decrypts, so `manage.py rotate_keys` can re-encrypt a table in batches while the site runs.

A value is found through its blind index: HMAC-SM3 of the purpose and the value under the index
key, 128 bits in hex, the same for the same value whoever computes it and worthless without the key.
Equality and uniqueness (per bureau) work on it; nothing else does (no ranges, no "contains").

The keys come from one of two sources, chosen by settings: a key file (`LINJU_KEY_FILE`, JSON:
`{"current": "k2", "keys": {"k1": "<32 hex>", "k2": "<32 hex>"}, "index": "<64 hex>"}`) or a key
service (`LINJU_KMS_URL`, the same JSON, asked for once per process with `LINJU_KMS_TOKEN`). With
neither, the demo's fixed keys (a stand-in: `check --deploy` warns, linju.W080), as it does for a
demo key found in a file or a key service's answer.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import threading
import urllib.request
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import transaction

NONCE_BYTES = 12
TAG_BYTES = 16
INDEX_HEX = 32  # 128 bits of HMAC-SM3: ample against collisions in any registry

# The demo's keys: public, in this file. Production must not run on them (linju.W080).
DEMO_KEYS = {"demo1": "6c696e6a752d64656d6f2d6b65792d31"}
DEMO_INDEX_KEY = "6c696e6a752d64656d6f2d696e6465782d6b65792d2d6e6f742d7365637265742d"


class KeysUnavailable(ImproperlyConfigured):
    """The keys could not be read, or a value names a key that is not held."""


class UnreadableValue(ValueError):
    """A stored value that does not decrypt with the key it names (altered, or another column's)."""


def sm3_hex(data: bytes) -> str:
    """The SM3 digest of `data`, in hex."""
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


@dataclass(frozen=True)
class Keyring:
    """The data keys by id (16 bytes each, SM4), the one that encrypts now, the index key, and
    where they came from (`source`: "file", "kms" or "demo")."""

    keys: dict[str, bytes]
    current: str
    index_key: bytes
    source: str

    @classmethod
    def from_document(cls, document: dict, *, source: str) -> Keyring:
        try:
            keys = {str(kid): bytes.fromhex(value) for kid, value in document["keys"].items()}
            current, index_key = str(document["current"]), bytes.fromhex(document["index"])
        except (KeyError, AttributeError, TypeError, ValueError) as error:
            raise KeysUnavailable(f"The {source} keys are not in the expected form: {error!r}") from None
        if current not in keys:
            raise KeysUnavailable(f"The {source} keys do not hold the current key {current!r}.")
        for kid, key in keys.items():
            if len(key) != 16 or not kid.isalnum():
                raise KeysUnavailable(
                    f"Key {kid!r}: an SM4 key is 16 bytes (32 hex), its id letters and digits."
                )
        if len(index_key) < 16:
            raise KeysUnavailable("The index key is at least 16 bytes (32 hex).")
        return cls(keys=keys, current=current, index_key=index_key, source=source)

    @property
    def holds_demo_key(self) -> bool:
        demo = {bytes.fromhex(k) for k in DEMO_KEYS.values()}
        return self.index_key == bytes.fromhex(DEMO_INDEX_KEY) or any(k in demo for k in self.keys.values())

    @cached_property
    def _ciphers(self) -> dict[str, algorithms.SM4]:
        return {kid: algorithms.SM4(key) for kid, key in self.keys.items()}

    @cached_property
    def _index_mac(self) -> hmac.HMAC:
        """The keyed HMAC before any data: each use takes a copy (half the cost of keying anew)."""
        return hmac.HMAC(self.index_key, hashes.SM3())

    def encrypt(self, plain: str, purpose: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        encryptor = Cipher(self._ciphers[self.current], modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(purpose.encode())
        body = encryptor.update(plain.encode()) + encryptor.finalize()
        return f"{self.current}:{base64.b64encode(nonce + body + encryptor.tag).decode()}"

    def decrypt(self, stored: str, purpose: str) -> str:
        kid, _sep, packed = stored.partition(":")
        key = self._ciphers.get(kid)
        if key is None:
            raise KeysUnavailable(f"A value is encrypted with key {kid!r}, which is not held.")
        try:
            raw = base64.b64decode(packed, validate=True)
            nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
            decryptor = Cipher(key, modes.GCM(nonce, tag)).decryptor()
            decryptor.authenticate_additional_data(purpose.encode())
            return (decryptor.update(body) + decryptor.finalize()).decode()
        except (InvalidTag, binascii.Error, ValueError):
            raise UnreadableValue(
                f"A stored {purpose} does not decrypt: altered, or not this column's."
            ) from None

    def mac(self, data: bytes, purpose: str) -> str:
        """HMAC-SM3 of `data` under the index key, for `purpose` (e.g. the audit log's chain): only
        a holder of the key can make one, anyone holding it can check one. 256 bits in hex."""
        mac = self._index_mac.copy()
        mac.update(purpose.encode() + b"\x00" + data)
        return mac.finalize().hex()

    def blind_index(self, plain: str, purpose: str) -> str:
        mac = self._index_mac.copy()
        mac.update(purpose.encode() + b"\x00" + plain.encode())
        return mac.finalize().hex()[:INDEX_HEX]


def key_id_of(stored: str) -> str | None:
    """The key id a stored value names, or None for a value stored before encryption (plain)."""
    kid, sep, _rest = stored.partition(":")
    return kid if sep else None


def _from_file(path: str) -> Keyring:
    try:
        document = json.loads(Path(path).read_text())
    except (OSError, ValueError) as error:
        raise KeysUnavailable(f"LINJU_KEY_FILE {path!r} cannot be read: {error}") from None
    return Keyring.from_document(document, source="file")


def _from_kms(url: str, token: str, timeout: float) -> Keyring:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            document = json.loads(answer.read())
    except (OSError, ValueError) as error:
        raise KeysUnavailable(f"The key service at LINJU_KMS_URL did not answer with keys: {error}") from None
    return Keyring.from_document(document, source="kms")


def _demo() -> Keyring:
    return Keyring.from_document(
        {"current": "demo1", "keys": DEMO_KEYS, "index": DEMO_INDEX_KEY}, source="demo"
    )


def load_keyring() -> Keyring:
    """The keys as the settings name them (key service, else key file, else the demo's)."""
    if settings.LINJU_KMS_URL:
        return _from_kms(settings.LINJU_KMS_URL, settings.LINJU_KMS_TOKEN, settings.LINJU_KMS_TIMEOUT)
    if settings.LINJU_KEY_FILE:
        return _from_file(settings.LINJU_KEY_FILE)
    return _demo()


_lock = threading.Lock()
_held: list[Keyring] = []


def keyring() -> Keyring:
    """The process's keys, read once (a key service is asked once per process)."""
    if _held:
        return _held[0]
    with _lock:
        if not _held:
            _held.append(load_keyring())
    return _held[0]


def forget_keyring(**kwargs) -> None:
    """Read the keys again on next use (a test that changes the settings, a rotation's new file)."""
    if kwargs.get("setting", "LINJU_KEY_FILE") in ("LINJU_KEY_FILE", "LINJU_KMS_URL", "LINJU_KMS_TOKEN"):
        _held.clear()


setting_changed.connect(forget_keyring)


def reencrypt_rows(
    connection,
    table: str,
    columns: list[tuple[str, str | None, str]],
    *,
    batch: int = 2000,
    to_plain: bool = False,
    pause=None,
) -> tuple[int, int]:
    """Bring every value of `columns` (column, its blind index column or None, purpose) of `table`
    under the current key: plain values (written before encryption) encrypted, values under an
    older key decrypted and encrypted again, each index computed anew; `to_plain` undoes it (a
    migration taken back). A batch of `batch` rows by key, each batch its own transaction, and no
    lock held between: each row is written only if its values are still those read (an edit made
    meanwhile wins and is already under the current key). Returns (rows rewritten, rows edited
    meanwhile and left to the next run). `pause()` is called between batches (the command's rest)."""
    ring = keyring()
    quote = connection.ops.quote_name
    names = [quote(column) for column, _index, _purpose in columns]
    select = f"SELECT id, {', '.join(names)} FROM {quote(table)} WHERE id > %s ORDER BY id LIMIT {int(batch)}"
    sets = ", ".join(
        [f"{quote(column)} = %s" for column, _i, _p in columns]
        + [f"{quote(index)} = %s" for _c, index, _p in columns if index]
    )
    update = f"UPDATE {quote(table)} SET {sets} WHERE id = %s AND " + " AND ".join(f"{n} = %s" for n in names)
    rewritten = raced = 0
    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(select, [last])
            rows = cursor.fetchall()
        if not rows:
            return rewritten, raced
        last = rows[-1][0]
        changes = []
        for pk, *values in rows:
            new, indexes, changed = [], [], False
            for value, (_column, index, purpose) in zip(values, columns, strict=True):
                kid = key_id_of(value) if value else None
                plain = value if not value or kid is None else ring.decrypt(value, purpose)
                if to_plain:
                    target = plain
                elif not value or kid == ring.current:
                    target = value
                else:
                    target = ring.encrypt(plain, purpose)
                changed = changed or target != value
                new.append(target)
                if index:
                    indexes.append("" if to_plain or not plain else ring.blind_index(plain, purpose))
            if changed:
                changes.append([*new, *indexes, pk, *values])
        if changes:
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                for params in changes:
                    cursor.execute(update, params)
                    if cursor.rowcount:
                        rewritten += 1
                    else:
                        raced += 1
        if pause is not None:
            pause()


def values_by_key(connection, table: str, column: str) -> dict[str | None, int]:
    """How many values of a column each key id holds (None: plain, "" excluded), in one query."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote(column)} FROM {quote(table)} WHERE {quote(column)} <> ''")
        counts: dict[str | None, int] = {}
        for (value,) in cursor.fetchall():
            kid = key_id_of(value)
            counts[kid] = counts.get(kid, 0) + 1
    return counts

"""Text that comes in: what no name, address or note in Linju may hold."""

import re

# NUL and the other C0 controls but tab, line feed and carriage return; DEL; and the bidirectional
# embeddings, overrides and isolates that make "exe.txt" read as "txt.exe" (U+202A–U+202E,
# U+2066–U+2069). No name, address or note in Linju has a use for them; PostgreSQL refuses NUL.
HIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def has_hidden_characters(value) -> bool:
    if isinstance(value, str):
        return bool(HIDDEN.search(value))
    if isinstance(value, dict):
        return any(has_hidden_characters(k) or has_hidden_characters(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_hidden_characters(v) for v in value)
    return False

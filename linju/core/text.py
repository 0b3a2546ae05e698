"""Text that comes in: what no name, address or note in Linju may hold."""

import re

# NUL and the other C0 controls but tab, line feed and carriage return; DEL; and the bidirectional
# embeddings, overrides and isolates that make "exe.txt" read as "txt.exe" (U+202A–U+202E,
# U+2066–U+2069). No name, address or note in Linju has a use for them; PostgreSQL refuses NUL.
HIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


MAX_JSON_DEPTH = 32  # no form or API body of Linju nests deeper than a few levels


def json_depth(raw: bytes) -> int:
    """How deep the arrays and objects of a JSON text nest, read without parsing it (brackets inside
    strings do not count): a body nested a thousand deep is refused before the parser, or a walk of
    what it parsed, runs out of stack."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # closing quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return deepest


def has_hidden_characters(value) -> bool:
    if isinstance(value, str):
        return bool(HIDDEN.search(value))
    if isinstance(value, dict):
        return any(has_hidden_characters(k) or has_hidden_characters(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_hidden_characters(v) for v in value)
    return False


def clip(value, limit: int) -> str:
    """`value` as text to keep or show: at most `limit` characters (the cut marked …), none of the
    hidden ones (PostgreSQL refuses NUL in a JSON column)."""
    text = HIDDEN.sub("", str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"

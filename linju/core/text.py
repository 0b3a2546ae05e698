"""Text that comes in: what no name, address or note in Linju may hold."""

import json
import re
from typing import Any

# Characters no name, address or note in Linju has a use for, and that make two texts that look alike
# differ invisibly or read in another order:
# - NUL and the other C0 controls but tab, line feed and carriage return (text may hold lines), DEL,
#   and the C1 controls (U+0080–U+009F, U+0085 "next line" among them); PostgreSQL refuses NUL;
# - the zero-width space, joiners and direction marks (U+200B–U+200F), the word joiner and invisible
#   operators (U+2060–U+2064) and the zero-width no-break space (U+FEFF, a byte-order mark inside text);
# - the bidirectional embeddings, overrides and isolates that make "exe.txt" read as "txt.exe"
#   (U+202A–U+202E, U+2066–U+2069);
# - a lone surrogate (a JSON body may escape one, "\\ud800"): no database can store it.
HIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069"
    "\ufeff\ud800-\udfff]"
)


def is_json_type(content_type: str) -> bool:
    """application/json, or a structured +json type (Django has already dropped the charset)."""
    main = (content_type or "").strip().lower()
    return main == "application/json" or (main.startswith("application/") and main.endswith("+json"))


def json_text(raw: bytes) -> str:
    """A JSON body as text: UTF-8, as JSON is sent (RFC 8259), read strictly. Raises UnicodeDecodeError
    for anything else, rather than guess (json.loads would take UTF-16 and UTF-32 too). The guard at
    the door and the API's parser read a body through this one function, so they read the same."""
    return raw.decode("utf-8")


def parse_json_body(raw: bytes) -> Any:
    """A JSON body parsed as the guard and the API both read it (UnicodeDecodeError, ValueError)."""
    return json.loads(json_text(raw))


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

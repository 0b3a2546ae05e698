"""A person's particulars as the viewer may read them: whole for those who hold `person.read`
(staff and cadres), never for anyone else. Leaders follow cases, booths and lists by their
figures; where a page shows a row about someone, a leader reads the surname and two stars ("王**",
the same length for every name), and no ID number, phone, address or photo.

Pages and API answers ask here, not in their templates, so the rule is written once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from linju.access.capabilities import can

if TYPE_CHECKING:
    from linju.accounts.models import User

HIDDEN = "—"


def reads_people(viewer: User | None) -> bool:
    """Whether the viewer may read who a person is (no query: the role decides)."""
    return can(viewer, "person.read")


def name_shown(*, viewer: User | None, name: str) -> str:
    """The name whole, or its first character and two stars ("" stays "")."""
    if reads_people(viewer):
        return name
    name = "".join(name.split())
    return f"{name[0]}**" if name else ""


def text_shown(*, viewer: User | None, text: str) -> str:
    """Free text written about a person (a note, what they asked): whole, or a dash, for it may name
    them."""
    if not text or reads_people(viewer):
        return text
    return HIDDEN

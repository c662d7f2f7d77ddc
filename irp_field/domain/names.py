"""Names and free text: what any typed name or note may hold.

Names (a team member, a location, a plan ref, a group, a frame) are short single-line
text; free text (a note, a paragraph, a comment) may be long but not unbounded. Both
are refused (REFUSE) when empty where required, when they hold control characters
(they print as nothing and break CSV and terminals) or when too long; every path that
takes a name applies :func:`name_verdicts`, every path that takes text
:func:`text_verdicts`.
"""

from __future__ import annotations

import re

from irp_field.domain.verdicts import Verdict

NAME_LIMIT = 200  # characters
TEXT_LIMIT = 100_000  # characters: about 15,000 words, far beyond any note or paragraph

_CONTROL_IN_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # tab and newlines allowed


def name_verdicts(text: str, field: str, what: str, *, required: bool = True) -> list[Verdict]:
    """REFUSE an empty (when required), over-long or control-character name."""
    cleaned = text.strip()
    if not cleaned:
        return [Verdict(field, f"{what} must not be empty")] if required else []
    if len(cleaned) > NAME_LIMIT:
        return [Verdict(field, f"{what} is {len(cleaned)} characters; at most {NAME_LIMIT}")]
    if _CONTROL_IN_NAME.search(cleaned):
        return [Verdict(field, f"{what} holds a control character (a tab, line break or similar)")]
    return []


def text_verdicts(text: str, field: str, what: str, *, required: bool = True) -> list[Verdict]:
    """REFUSE empty (when required), over-long or control-character free text."""
    if not text.strip():
        return [Verdict(field, f"{what} must not be empty")] if required else []
    if len(text) > TEXT_LIMIT:
        return [Verdict(field, f"{what} is {len(text):,} characters; at most {TEXT_LIMIT:,}")]
    if _CONTROL_IN_TEXT.search(text):
        return [Verdict(field, f"{what} holds a control character")]
    return []

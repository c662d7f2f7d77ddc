"""Names and free text: what any typed name or note may hold.

Names (a team member, a location, a plan ref, a group, a frame) are short single-line
text; free text (a note, a paragraph, a comment) may be long but not unbounded. Both
are refused (REFUSE) when empty where required, when they hold control characters
(they print as nothing and break CSV and terminals) or when too long; every path that
takes a name applies :func:`name_verdicts`, every path that takes text
:func:`text_verdicts`.

Both also refuse the characters no document can hold (:func:`character_verdicts`): the
C0 controls but tab, line feed and carriage return, lone surrogates, and the
noncharacters (U+FFFE, U+FFFF and their kin in every plane, U+FDD0-U+FDEF). XML, and so
Word and Excel files, cannot hold the first two kinds (python-docx and openpyxl stop
with "All strings must be XML compatible"); noncharacters are Unicode's "never for
interchange". One merged note holding U+FFFF stopped the team leader's Word report.
Fields with no other rule (a note's tags, the command line's text) are held to this one;
the Word and Excel writers put U+FFFD in place of any that is stored all the same
(:func:`writable`: a file written before this rule, which ``check`` names).
"""

from __future__ import annotations

import re

from irp_field.domain.verdicts import Verdict

NAME_LIMIT = 200  # characters
TEXT_LIMIT = 100_000  # characters: about 15,000 words, far beyond any note or paragraph

_CONTROL_IN_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # tab and newlines allowed
# What no document can hold. The planes' last two code points (U+1FFFE, U+1FFFF, ...)
# are a second pattern: a class of seventeen ranges costs seven times as much to search.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
_UNWRITABLE_BEYOND = re.compile("[\U00010000-\U0010ffff]")


# What a terminal acts on rather than shows: every control character but a tab and a
# line break, DEL and the C1 controls (ESC starts a sequence that moves the cursor,
# colours what follows or retitles the window; CR writes over the line), and the
# direction overrides and isolates, which reorder what follows on screen.
_ACTED_ON = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def shown(text: str) -> str:
    """``text`` as a terminal may print it: what it would act on written out as an
    escape (``\\x1b``, ``\\u202e``). A file's text is untrusted: a name in a record
    ``check`` refuses, a value in a CSV an import refuses, a note a search finds, all
    reach a person's terminal this way, not as sequences it obeys."""
    return _ACTED_ON.sub(_escaped, text) if _ACTED_ON.search(text) else text


def unshown(text: str) -> str:
    """``text`` without what a terminal would act on (see :func:`shown`): for a screen
    whose layout is measured already, where such a character takes no room and its
    written-out escape would (the terminal UI's lines)."""
    return _ACTED_ON.sub("", text)


def acts_on_terminal(text: str) -> bool:
    """Does ``text`` hold anything :func:`shown` writes out?"""
    return _ACTED_ON.search(text) is not None


def _escaped(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def name_verdicts(text: str, field: str, what: str, *, required: bool = True) -> list[Verdict]:
    """REFUSE an empty (when required), over-long or control-character name."""
    cleaned = text.strip()
    if not cleaned:
        return [Verdict(field, f"{what} must not be empty")] if required else []
    if len(cleaned) > NAME_LIMIT:
        return [Verdict(field, f"{what} is {len(cleaned)} characters; at most {NAME_LIMIT}")]
    if _CONTROL_IN_NAME.search(cleaned):
        return [Verdict(field, f"{what} holds a control character (a tab, line break or similar)")]
    return character_verdicts(cleaned, field, what)


def text_verdicts(text: str, field: str, what: str, *, required: bool = True) -> list[Verdict]:
    """REFUSE empty (when required), over-long or control-character free text."""
    if not text.strip():
        return [Verdict(field, f"{what} must not be empty")] if required else []
    if len(text) > TEXT_LIMIT:
        return [Verdict(field, f"{what} is {len(text):,} characters; at most {TEXT_LIMIT:,}")]
    if _CONTROL_IN_TEXT.search(text):
        return [Verdict(field, f"{what} holds a control character")]
    return character_verdicts(text, field, what)


_ASCII_WRITABLE = bytes(range(0x20, 0x80)) + b"\t\n\r"


def _plainly_writable(text: str) -> bool:
    """True for most texts, cheaply: ASCII without controls (what is left when the
    printable bytes are deleted is nothing: C, and twice as fast as ``isprintable``),
    or printable once line breaks and tabs are left out."""
    if text.isascii():
        return not text.encode("ascii").translate(None, _ASCII_WRITABLE)
    return text.replace("\n", "").replace("\t", "").replace("\r", "").isprintable()


def unwritable(text: str) -> str | None:
    """The first character of ``text`` that no document can hold, as U+XXXX, or None.

    Most texts are plain ASCII, or printable once their line breaks and tabs are left
    out: a pass in C says so before any pattern is searched (a merge asks this of every
    row; a search costs several times as much)."""
    if text.isascii():  # most texts: :func:`_plainly_writable`'s first case, without a call
        if not text.encode("ascii").translate(None, _ASCII_WRITABLE):
            return None
    elif _plainly_writable(text):
        return None  # a control, a surrogate or a noncharacter is never printable
    found = _UNWRITABLE.search(text)
    if found is None:
        found = next(
            (
                beyond
                for beyond in _UNWRITABLE_BEYOND.finditer(text)
                if ord(beyond.group()) & 0xFFFE == 0xFFFE
            ),
            None,
        )
    return None if found is None else f"U+{ord(found.group()):04X}"


def character_verdicts(text: str, field: str, what: str) -> list[Verdict]:
    """REFUSE text holding a character no document can hold, naming it (it prints as
    nothing: the person must be told which it is to find it)."""
    character = unwritable(text)
    if character is None:
        return []
    return [Verdict(field, f"{what} holds {character}, a character no document can hold")]


def writable(text: str) -> str:
    """``text`` with U+FFFD in place of each character no document can hold: what the
    Word and Excel writers write when a file holds one all the same."""
    if unwritable(text) is None:
        return text
    kept = _UNWRITABLE.sub("\ufffd", text)
    return _UNWRITABLE_BEYOND.sub(
        lambda found: "\ufffd" if ord(found.group()) & 0xFFFE == 0xFFFE else found.group(), kept
    )

"""Documents (PDF) looked through for what would make them act rather than show.

irp-field has no PDF library (none well reviewed is in its stack) and never opens a
document itself: it keeps documents out of the report and out of every redacted export
(their author and software stay in them), and refuses on every path that takes one
(``attach``, a bundle, the merge, ``check``) a document that holds active content
(``domain.attachments.ACTIVE_CONTENT``) or that is encrypted. The look is plain:

- every name in the file's bytes, with its ``#xx`` escapes undone (``/J#61vaScript``
  is ``/JavaScript``);
- and in its object streams (where PDF 1.5 and later keep dictionaries, compressed), each
  inflated within :data:`MAX_INFLATED` in all: a document whose object streams inflate
  past that is refused, not half looked at.

What it cannot see: a name inside a stream compressed other than by Flate (LZW,
ASCII85 chains), which no common writer uses for object streams. That is why documents
stay out of the report and of redacted exports whatever the look finds: it is a check
for the ordinary hostile PDF, not a proof.
"""

from __future__ import annotations

import re
import zlib

from irp_field.domain import attachments as rules
from irp_field.domain.verdicts import Verdict

MAX_INFLATED = 64 * 1024 * 1024  # all of a document's object streams, inflated

_NAME = re.compile(rb"/[^\s/<>\[\]()%{}]+")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM_START = re.compile(rb"(?<!end)stream(\r\n|\n|\r)")
_WANTED = {name.encode("ascii") for name in (*rules.ACTIVE_CONTENT, "/Encrypt")}


class _TooMuch(Exception):
    pass


def _names(data: bytes) -> set[bytes]:
    """Every name the bytes hold that matters here, its escapes undone."""
    found = set()
    for match in _NAME.finditer(data):
        name = match.group()
        if b"#" in name:
            name = _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name)
        if name in _WANTED:
            found.add(name)
    return found


def _object_streams(data: bytes) -> list[bytes]:
    """Each object stream's bytes, inflated (within :data:`MAX_INFLATED` in all)."""
    inflated: list[bytes] = []
    budget = MAX_INFLATED
    for start in _STREAM_START.finditer(data):
        head = data[max(0, start.start() - 2048) : start.start()]
        dictionary = head[head.rfind(b"obj") + 3 :] if b"obj" in head else head
        if b"/ObjStm" not in _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), dictionary):
            continue
        end = data.find(b"endstream", start.end())
        body = data[start.end() : end if end >= 0 else len(data)]
        inflater = zlib.decompressobj()
        try:
            text = inflater.decompress(body, budget + 1)
        except zlib.error:
            continue  # not Flate: looked at as it stands, with the rest of the bytes
        if len(text) > budget or inflater.unconsumed_tail:
            raise _TooMuch
        budget -= len(text)
        inflated.append(text)
    return inflated


def verdicts(name: str, content: bytes) -> list[Verdict]:
    """What the rules say of a PDF's content (``[]``: nothing that acts)."""
    try:
        names = _names(content).union(*(_names(s) for s in _object_streams(content)))
    except _TooMuch:
        return [
            Verdict(
                "file",
                f"{name} holds more compressed objects than irp-field looks through "
                f"({MAX_INFLATED // (1024 * 1024)} MB); print it to a new PDF and attach that",
            )
        ]
    found = sorted(n.decode("ascii") for n in names)
    return rules.document_verdicts(
        name, [n for n in found if n != "/Encrypt"], encrypted="/Encrypt" in found
    )

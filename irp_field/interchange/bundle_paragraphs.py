"""The bundle's paragraph files (``findings.md``, ``summary.md``): Markdown a person can
read and edit, that gives back every paragraph exactly.

::

    <!-- irp-field findings: ... -->

    ## 1.33

    A paragraph on one line (or wrapped over several: its lines join with a space).

    ~~~
    A paragraph between lines of tildes is its text exactly as it stands:
    ## 1.38 here is a line of it, not a heading,

    and so are the blank line above, <!-- this -->, and spaces at the ends of lines.
    ~~~

A paragraph is written on one line when that line reads back as the same text; any
other (several lines, a blank line, spaces at either end, a first ``#``, a ``<!--``) is
written between fences of three tildes, or more when a line of the paragraph is three
tildes. Outside the fences, ``<!-- -->`` comments are ignored and ``## NAME`` starts a
section. Lines end with ``\\n``; a file whose line ends were turned into ``\\r\\n`` (an
editor on Windows) reads the same. Bundles written before the fences read as before.
"""

from __future__ import annotations

import re

from irp_field.domain.errors import IrpError

_FENCE = re.compile(r"~{3,}")


def _reads_plain(text: str) -> bool:
    """True when ``text`` on a line of its own reads back as itself."""
    return (
        len(text.splitlines()) == 1
        and text == text.strip()
        and not text.startswith("#")
        and "<!--" not in text
        and not _FENCE.fullmatch(text)
    )


def _fenced(text: str) -> str:
    fence = "~~~"
    lines = [line.strip() for line in text.split("\n")]
    while fence in lines:
        fence += "~"
    return f"{fence}\n{text}\n{fence}\n"


def write_sections(comment: str, sections: list[tuple[str, list[str]]]) -> str:
    """``## NAME`` sections of paragraphs, under an HTML comment saying what the file is."""
    parts = [f"<!-- {comment} -->\n"]
    for name, paragraphs in sections:
        parts.append(f"## {name}\n")
        parts.extend(f"{text}\n" if _reads_plain(text) else _fenced(text) for text in paragraphs)
    return "\n".join(parts)


class _Reader:
    """One pass over the lines: sections, paragraphs, comments and fenced paragraphs."""

    def __init__(self, text: str, name: str) -> None:
        self.lines = text.split("\n")
        self.name = name
        self.sections: list[tuple[str, list[str]]] = []
        self.pending: list[str] = []  # the lines of a one-line (or wrapped) paragraph
        self.in_comment = False

    def refuse(self, number: int, why: str) -> IrpError:
        return IrpError(f"{self.name}, line {number}: {why}")

    def flush(self) -> None:
        if self.pending:
            self.sections[-1][1].append(" ".join(self.pending))
            self.pending = []

    def uncommented(self, line: str) -> str:
        """The line without its comments (one may open here and close lines later)."""
        kept = ""
        while line:
            if self.in_comment:
                end = line.find("-->")
                if end < 0:
                    return kept
                self.in_comment, line = False, line[end + 3 :]
            else:
                start = line.find("<!--")
                if start < 0:
                    return kept + line
                kept, line, self.in_comment = kept + line[:start], line[start + 4 :], True
        return kept

    def fenced(self, start: int, fence: str) -> int:
        """Read the paragraph between the fence on line ``start`` and its closing one;
        the index of the line after it."""
        crlf = self.lines[start].endswith("\r")
        for end in range(start + 1, len(self.lines)):
            if self.lines[end].strip() == fence:
                body = self.lines[start + 1 : end]
                if crlf:
                    body = [line.removesuffix("\r") for line in body]
                text = "\n".join(body)
                if not text.strip():
                    raise self.refuse(start + 1, f"the paragraph between {fence} lines is empty")
                self.sections[-1][1].append(text)
                return end + 1
        raise self.refuse(start + 1, f"the {fence} on this line is never closed")

    def read(self) -> list[tuple[str, list[str]]]:
        index = 0
        while index < len(self.lines):
            raw, number = self.lines[index], index + 1
            index += 1
            stripped = raw.strip()
            if not self.in_comment and stripped.startswith("## "):
                self.flush()
                self.sections.append((stripped[3:].strip(), []))
                continue
            was_comment = self.in_comment or "<!--" in raw
            line = self.uncommented(raw).strip()
            if not line:
                if not was_comment:
                    self.flush()
            elif not self.sections and line.startswith("#"):
                continue  # a title ('# Findings') before the first section
            elif not self.sections:
                raise self.refuse(number, "text before the first '## NAME' heading")
            elif _FENCE.fullmatch(line) and not was_comment:
                self.flush()
                index = self.fenced(index - 1, line)
            else:
                self.pending.append(line)
        self.flush()
        return self.sections


def read_sections(text: str, name: str) -> list[tuple[str, list[str]]]:
    """The ``## NAME`` sections of a paragraph file and their paragraphs, in order."""
    return _Reader(text, name).read()

"""The import kinds and their columns: the one list the importer, the CLI's help, the
README's table and docs/cli.md are made from (no click here, so all of them can read it).
"""

from __future__ import annotations

from dataclasses import dataclass

from irp_field.domain import kind_columns, roll_categories


@dataclass(frozen=True)
class Column:
    name: str
    about: str = ""  # what goes in it, when the name does not say (choices, format)
    required: bool = True


@dataclass(frozen=True)
class ImportKind:
    name: str  # the KIND of `irp-field import VISIT KIND FILE.csv`
    what: str  # a short phrase for the help
    columns: tuple[Column, ...]
    after: str = ""  # anything the command needs besides the file

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def optional(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if not c.required)


def _choices(words: tuple[str, ...]) -> str:
    return ", ".join(words)


def _optional(name: str, about: str = "") -> Column:
    return Column(name, about, required=False)


ROLL_COUNT_COLUMNS = tuple(count.name for count in roll_categories.counts())


def _registered(table: str) -> tuple[Column, ...]:
    """A kind's CSV columns, from its registry (``domain.kind_columns``): one added after
    the first schema may be left out (its default)."""
    found = []
    for column in kind_columns.in_csv(table):
        added = column.since != kind_columns.FIRST_SCHEMA
        about = column.csv_about or ("its default when left out" if added else "")
        found.append(Column(column.csv_name, about, required=not column.optional))
    return tuple(found)


KINDS: dict[str, ImportKind] = {
    kind.name: kind
    for kind in (
        ImportKind(
            "team",
            "the inspection team",
            _registered("team_member"),
        ),
        ImportKind(
            "locations",
            "wings and units",
            _registered("location"),
        ),
        ImportKind(
            "plan",
            "the recommendations and themes followed up",
            _registered("plan_item"),
        ),
        ImportKind(
            "roll-checks",
            "counts of who is where",
            _registered("roll_check"),
        ),
        ImportKind(
            "time-out-of-cell",
            "periods unlocked",
            _registered("toc_period"),
        ),
        ImportKind(
            "sample",
            "answers for sampled records",
            _registered("sample_answer"),
            after="--frame NAME (and --population N for a new frame)",
        ),
        ImportKind(
            "notes",
            "interview and observation notes",
            _registered("note"),
        ),
        ImportKind(
            "links",
            "rounds and subjects' days linked to plan items",
            (
                Column("plan_ref"),
                _optional("round", "a round's name"),
                _optional("date", "with subject, a subject's day instead of a round"),
                _optional("subject", "a pseudonym"),
            ),
        ),
        ImportKind(
            "data",
            "figures the prison or the last report supplies",
            _registered("data_return"),
        ),
    )
}


def help_text(width: int = 78) -> str:
    """The kinds and their columns for ``irp-field import --help`` (optional ones in [])."""
    import textwrap

    lines = []
    for kind in KINDS.values():
        names = ", ".join(c.name if c.required else f"[{c.name}]" for c in kind.columns)
        if kind.after:
            names += f"; {kind.after}"
        wrapped = textwrap.wrap(names, width - 20) or [""]
        lines.append(f"  {kind.name:<17} {wrapped[0]}")
        lines += [f"  {'':<17} {more}" for more in wrapped[1:]]
    return "\n".join(lines)


def markdown_table() -> str:
    """The README's table of kinds and columns (optional ones in italics)."""
    import re

    rows = ["| KIND | columns (*optional*) |", "|---|---|"]
    for kind in KINDS.values():
        cells = []
        for column in kind.columns:
            text = f"*{column.name}*" if not column.required else column.name
            if column.about:
                text += f" ({column.about})"
            cells.append(text)
        columns = ", ".join(cells)
        if kind.after:
            columns += " — with " + re.sub(r"(--[a-z-]+ [A-Z]+)", r"`\1`", kind.after)
        rows.append(f"| `{kind.name}` | {columns} |")
    return "\n".join(rows)

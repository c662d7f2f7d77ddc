"""What cog writes into docs/cli.md and the README (run ``cog -r README.md docs/cli.md``;
CI runs ``cog --check`` so the text cannot drift from the code)."""

from __future__ import annotations

from collections.abc import Iterator

import click
from click.testing import CliRunner


def _commands(group: click.Group, path: list[str]) -> Iterator[list[str]]:
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if command is None or command.hidden:
            continue
        yield [*path, name]
        if isinstance(command, click.Group):
            yield from _commands(command, [*path, name])


def cli_markdown() -> str:
    """Every command's ``--help``, in the order ``irp-field --help`` lists them."""
    from irp_field.cli import main

    runner = CliRunner()
    parts = []
    for path in [[], *_commands(main, [])]:
        result = runner.invoke(main, [*path, "--help"], prog_name="irp-field", terminal_width=88)
        if result.exit_code != 0:  # pragma: no cover - a broken command fails the docs build
            raise RuntimeError(f"irp-field {' '.join(path)} --help failed: {result.output}")
        title = " ".join(["irp-field", *path])
        parts.append(f"## {title}\n\n```\n{result.output.rstrip()}\n```\n")
    return "\n".join(parts)


def import_table() -> str:
    from irp_field.api.kinds import markdown_table

    return markdown_table()


def roll_categories() -> str:
    """What a roll check counts, in the form's words and the files' columns: the domain's
    one list (``domain.roll_categories``), so the README cannot drift from it."""
    from irp_field.domain.roll_categories import counts

    lines = ["| on the form (F3) | column | counts |", "|---|---|---|"]
    lines += [f"| {c.label} | `{c.name}` | {c.about} |" for c in counts()]
    return "\n".join(lines) + "\n"


_SAID = {
    "keep": "kept",
    "blank": "blanked",
    "id": "keyed hash (joins hold)",
    "staff": "pseudonym (kept with --keep-staff-names)",
    "staff-detail": "blanked (kept with --keep-staff-names)",
    "shipped": "kept word for word as irp-field ships it; the team's own left out",
    "figure-definition": "kept; a data return's (its typed label and source): its key",
}
_DECIDED = {
    "category": "kept (a category)",
    "published": "kept (published text)",
    "working": "blanked (working text)",
    "shipped": "kept as shipped; the team's own left out",
}


def _shown(table: str, column: str, policy: str) -> str:
    from irp_field.interchange.redaction import TEXT_DECISIONS

    decided = TEXT_DECISIONS.get((table, column))
    if decided is not None:
        return _DECIDED[decided[0]]
    return _SAID.get(policy, f"pseudonym ({policy.removeprefix('pseudonym:')}-…)")


def redaction_table() -> str:
    """Every exported column and what --redact does to it (interchange/redaction.py)."""
    from irp_field.interchange.export import TABLES, column_names
    from irp_field.interchange.redaction import POLICY

    rows = ["| table | column | with --redact |", "|---|---|---|"]
    for table in TABLES:
        for column in column_names(table):
            shown = _shown(table.name, column, POLICY[table.name][column])
            rows.append(f"| `{table.name}` | `{column}` | {shown} |")
    return "\n".join(rows)


def redaction_decisions() -> str:
    """Every column people type text into: what it is, and why (TEXT_DECISIONS)."""
    from irp_field.interchange.redaction import TEXT_DECISIONS

    rows = ["| table | column | it is | with --redact | why |", "|---|---|---|---|---|"]
    for (table, column), (decision, why) in TEXT_DECISIONS.items():
        shown = _DECIDED[decision].split(" (")[0].split(";")[0]
        rows.append(f"| `{table}` | `{column}` | {decision} text | {shown} | {why} |")
    return "\n".join(rows)


def redaction_bundle_table() -> str:
    """The visit file's columns a redacted bundle's copy changes (redacted_copy.py)."""
    from irp_field.interchange.redacted_copy import ATTACHMENT_TABLES, FILE_POLICY, LEFT_OUT

    rows = ["| table | column | in the copy |", "|---|---|---|"]
    rows.append(f"| every table | `created_by` | {_SAID['staff']} |")
    for table, columns in FILE_POLICY.items():
        for column, policy in columns.items():
            if policy != "keep" and column != "created_by":
                rows.append(f"| `{table}` | `{column}` | {_shown(table, column, policy)} |")
    rows.append("")
    rows.append(
        "Never copied: "
        + ", ".join(f"`{t}`" for t in LEFT_OUT)
        + ", the edit history, drafts and sync state; "
        + " and ".join(f"`{t}`" for t in ATTACHMENT_TABLES)
        + " only with `--keep-attachments`."
    )
    return "\n".join(rows)


def _shape_lines(shape: object, depth: int) -> list[str]:
    pad = "  " * depth
    lines: list[str] = []
    assert isinstance(shape, dict)
    for key, inner in shape.items():
        name = "any key (a figure's name)" if key == "*" else f"`{key}`"
        if isinstance(inner, dict):
            lines.append(f"{pad}- {name}: an object with")
            lines += _shape_lines(inner, depth + 1)
        elif isinstance(inner, list):
            lines.append(f"{pad}- {name}: a list, each an object with")
            lines += _shape_lines(inner[0], depth + 1)
        else:
            kind, _, what = str(inner).partition(":")
            lines.append(f"{pad}- {name} ({kind})" + (f": {what.strip()}" if what else ""))
    return lines


def json_shapes_markdown() -> str:
    """Every command's ``--json`` output (irp_field/cli/json_shapes.py), command by command."""
    from irp_field.cli.json_shapes import SHAPES

    parts = []
    for command in sorted(SHAPES):
        parts.append(f"### irp-field {command} --json\n")
        parts.append("\n".join(_shape_lines(SHAPES[command], 0)) + "\n")
    return "\n".join(parts)


def analyst_tables() -> str:
    """Every table of an analyst export, and every column's type, unit and description
    (interchange/export_tables.py and export_derived.py: what datapackage.json and
    Datasette's metadata say too)."""
    from irp_field.interchange.export_database import EVERY_TABLE

    parts = []
    for table in EVERY_TABLE:
        keys = ", ".join(f"`{k}`" for k in table.pk) or "none"
        facets = ", ".join(f"`{f}`" for f in table.facets) or "none"
        parts.append(
            f"### `{table.name}`\n\n{table.description}\n\nPrimary key: {keys}; "
            f"Datasette sorts by `{table.sort}` and suggests facets: {facets}.\n"
        )
        rows = ["| column | type | unit | description |", "|---|---|---|---|"]
        for column in table.columns:
            kind = column.kind + (f" → `{column.references}`" if column.references else "")
            rows.append(
                f"| `{column.name}` | {kind} | {column.unit} | {column.description} |"
            )
        parts.append("\n".join(rows) + "\n")
    return "\n".join(parts)


def analyst_queries() -> str:
    """Datasette's canned queries (interchange/export_derived.py)."""
    from irp_field.interchange.export_derived import QUERIES

    rows = ["| query | what it gives |", "|---|---|"]
    for name, (title, description, _) in QUERIES.items():
        rows.append(f"| `{name}` | {title}: {description} |")
    return "\n".join(rows)

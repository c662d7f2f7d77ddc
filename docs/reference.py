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


def redaction_table() -> str:
    """Every exported column and what --redact does to it (interchange/redaction.py)."""
    from irp_field.interchange.export import TABLES, column_names
    from irp_field.interchange.redaction import POLICY

    said = {
        "keep": "kept",
        "blank": "blanked",
        "id": "keyed hash (joins hold)",
        "staff": "pseudonym (kept with --keep-staff-names)",
        "staff-detail": "blanked (kept with --keep-staff-names)",
    }
    rows = ["| table | column | with --redact |", "|---|---|---|"]
    for table in TABLES:
        for column in column_names(table):
            policy = POLICY[table.name][column]
            shown = said.get(policy, f"pseudonym ({policy.removeprefix('pseudonym:')}-…)")
            rows.append(f"| `{table.name}` | `{column}` | {shown} |")
    return "\n".join(rows)

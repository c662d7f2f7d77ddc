"""``irp-field import``: evidence from a CSV file. A module of its own because its help
lists every import kind and its columns (``api.kinds``), which no other command needs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from irp_field.api.kinds import KINDS, help_text
from irp_field.cli.options import STANDARD_INPUT, by_option, open_visit, visit_argument
from irp_field.cli.output import echo, json_option, print_json, progress
from irp_field.domain.names import shown

if TYPE_CHECKING:
    from irp_field.api.imports import ImportResult
    from irp_field.api.visits import Visit

IMPORT_HELP = f"""Import evidence from a CSV file (- reads standard input): all rows, or none.

A row dated outside the visit is refused unless --allow-outside-visit says it is meant;
what the rules allow but question (a roll above a location's capacity) is printed. A
location is counted once per round: a second check of it (in the file, or already in
the visit) is refused unless --replace. Exits 1 when nothing was imported: a refused
file, or a file imported before (--again imports it again).

\b
KIND and its columns (header row required; [optional]):
{help_text()}
"""


@click.command("import", help=IMPORT_HELP)
@visit_argument
@click.argument("kind", metavar="KIND", type=click.Choice(list(KINDS)))
@click.argument("csv_file", metavar="FILE.csv", type=click.Path(path_type=Path, allow_dash=True))
@click.option("--frame", default="", help="The sample frame (for KIND sample).")
@click.option(
    "--population", type=click.IntRange(min=1), help="The frame's population, when it is new."
)
@click.option(
    "--again", is_flag=True, help="Import a file that was already imported into this visit."
)
@click.option(
    "--allow-outside-visit",
    is_flag=True,
    help="Accept rows dated outside the visit's dates (they are refused otherwise).",
)
@click.option(
    "--replace",
    is_flag=True,
    help="A roll check of a location already counted in its round replaces that check.",
)
@by_option
@json_option
def import_command(
    visit: str,
    kind: str,
    csv_file: Path,
    frame: str,
    population: int | None,
    again: bool,
    allow_outside_visit: bool,
    replace: bool,
    user: str | None,
    as_json: bool,
) -> None:
    from irp_field.domain.errors import IrpError

    options = {
        "frame": frame,
        "population": population,
        "again": again,
        "allow_outside_visit": allow_outside_visit,
        "replace": replace,
    }
    with open_visit(visit, user=user) as opened:
        result = _import(opened, kind, csv_file, options, as_json)
    if result.already is not None:
        # Nothing was imported: a script that asked for an import learns it did not happen.
        raise IrpError(
            f"{result.file_name} was already imported into this visit as {kind} on "
            f"{result.already['created_at']} by {result.already['created_by']}; nothing imported "
            "(use --again to import it again)"
        )
    if as_json:
        print_json(
            {
                "kind": kind,
                "file": result.file_name,
                "rows": result.rows,
                "replaced": result.replaced,
                "warnings": result.warnings,
            }
        )
    else:
        echo(f"Imported {result.rows} {kind} row(s) from {result.file_name}{_how(result)}.")
    for warning in result.warnings:
        echo(shown(f"Warning: {warning}"), err=True)


def _how(result: ImportResult) -> str:
    """What the rows did, when some replaced a record (of the visit, or of the file's own
    earlier lines): "Imported 3 rows" hid that only two checks were then held."""
    if not result.replaced:
        return ""
    return f": {result.rows - result.replaced} added, {result.replaced} replaced (--replace)"


def _import(
    opened: Visit, kind: str, csv_file: Path, options: dict[str, Any], as_json: bool
) -> ImportResult:
    """The import, with a progress bar on a terminal (lines read of the file's lines)."""
    from irp_field.api.imports import import_csv, import_stream

    name = "standard input" if csv_file == STANDARD_INPUT else csv_file.name
    with progress(f"Importing {name}", None, hidden=as_json) as bar:

        def advance(done: int, lines: int) -> None:
            bar.update(done, total=lines)

        if csv_file == STANDARD_INPUT:
            return import_stream(opened, kind, sys.stdin.buffer, on_progress=advance, **options)
        return import_csv(opened, kind, csv_file, on_progress=advance, **options)


COMMANDS = (import_command,)

"""Commands for team leaders and analysts: export a visit, or several visits combined."""

from __future__ import annotations

from pathlib import Path

import click

from irp_field.cli.options import VISIT, visit_path

FORMATS = ("sqlite", "csv", "json", "xlsx", "bundle")  # as api.exports.FORMATS


@click.command("export")
@click.argument("visits", metavar="VISIT", nargs=-1, required=True, type=VISIT)
@click.option(
    "--format",
    "export_format",
    type=click.Choice(FORMATS),
    required=True,
    help="sqlite (with views, and Datasette's NAME.metadata.json beside it), csv (a "
    "folder), json, xlsx, or bundle (plain-text folder).",
)
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Where to write it.")
@click.option(
    "--redact",
    is_flag=True,
    help="For sharing outside the team: every column's policy (docs/redaction.md): free "
    "text and tags blanked; subjects, records, groups, frames, criteria, staff and ids "
    "replaced by keyed hashes.",
)
@click.option(
    "--keep-staff-names",
    is_flag=True,
    help="With --redact: keep the team's names (pseudonymised otherwise).",
)
@click.option(
    "--keep-attachments",
    is_flag=True,
    help="With --redact: keep the attached photographs and documents (left out otherwise; "
    "their captions and names are blanked either way).",
)
@click.option(
    "--raw",
    is_flag=True,
    help="CSV cells exactly as stored (otherwise text a spreadsheet would run as a formula, "
    "starting with = + - @, gets a ' before it).",
)
@click.option(
    "--combine",
    is_flag=True,
    help="Several visits (any number) into one analyst database (each row carries its visit_id).",
)
def export_command(
    visits: tuple[str, ...],
    export_format: str,
    out: Path,
    redact: bool,
    keep_staff_names: bool,
    keep_attachments: bool,
    raw: bool,
    combine: bool,
) -> None:
    """Export a visit for analysts (deleted rows are left out), or a bundle folder.

    Shares are fractions from 0 to 1 in every table and view, as in the figures.
    """
    from irp_field.api.exports import export
    from irp_field.domain.errors import IrpError

    paths = [visit_path(v) for v in visits]
    if len(paths) > 1 and not combine:
        raise IrpError("several visits need --combine")
    if combine and export_format != "sqlite":
        raise IrpError("--combine writes one analyst database: use --format sqlite")
    if keep_attachments and not redact:
        raise IrpError("--keep-attachments goes with --redact (an export keeps them anyway)")
    if keep_staff_names and not redact:
        raise IrpError("--keep-staff-names goes with --redact (an export keeps them anyway)")
    if raw and export_format != "csv":
        raise IrpError("--raw is for --format csv (XLSX cells are always text, never formulas)")
    export(
        paths,
        export_format,
        out,
        redact=redact,
        keep_attachments=keep_attachments,
        keep_staff_names=keep_staff_names,
        raw=raw,
    )
    click.echo(f"Wrote {out}")
    if export_format == "sqlite":
        described = out.with_name(f"{out.stem}.metadata.json")
        click.echo(f"Datasette: datasette {out} -m {described}")


COMMANDS = (export_command,)

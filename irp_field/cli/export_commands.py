"""Commands for team leaders and analysts: export a visit, or several visits combined."""

from __future__ import annotations

from pathlib import Path

import click

from irp_field.cli.options import visit_path

FORMATS = ("sqlite", "csv", "json", "xlsx", "bundle")  # as api.exports.FORMATS


@click.command("export")
@click.argument("visits", metavar="VISIT", nargs=-1, required=True)
@click.option(
    "--format",
    "export_format",
    type=click.Choice(FORMATS),
    required=True,
    help="sqlite (with views and a Datasette metadata.json), csv (a folder), json, "
    "xlsx, or bundle (plain-text folder).",
)
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Where to write it.")
@click.option(
    "--redact",
    is_flag=True,
    help="For sharing outside the team: blank free text, hash subjects and record refs.",
)
@click.option(
    "--keep-attachments",
    is_flag=True,
    help="With --redact: keep the attached photographs and documents (left out otherwise; "
    "their captions and names are blanked either way).",
)
@click.option(
    "--combine",
    is_flag=True,
    help="Several visits into one analyst database (each row carries its visit_id).",
)
def export_command(
    visits: tuple[str, ...],
    export_format: str,
    out: Path,
    redact: bool,
    keep_attachments: bool,
    combine: bool,
) -> None:
    """Export a visit for analysts (deleted rows are left out), or a bundle folder."""
    from irp_field.domain.errors import IrpError

    paths = [visit_path(v) for v in visits]
    if len(paths) > 1 and not combine:
        raise IrpError("several visits need --combine (and --format sqlite)")
    if combine and export_format != "sqlite":
        raise IrpError("--combine writes one analyst database: use --format sqlite")
    from irp_field.api.exports import export

    if keep_attachments and not redact:
        raise IrpError("--keep-attachments goes with --redact (an export keeps them anyway)")
    export(paths, export_format, out, redact=redact, keep_attachments=keep_attachments)
    click.echo(f"Wrote {out}")


COMMANDS = (export_command,)

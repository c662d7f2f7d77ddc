"""Commands for team leaders and analysts: export a visit, or several visits combined."""

from __future__ import annotations

from pathlib import Path

import click

from irp_field.cli.options import visit_path

FORMATS = ("sqlite", "csv", "json", "xlsx", "bundle")


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
    "--combine",
    is_flag=True,
    help="Several visits into one analyst database (each row carries its visit_id).",
)
def export_command(
    visits: tuple[str, ...], export_format: str, out: Path, redact: bool, combine: bool
) -> None:
    """Export a visit for analysts (deleted rows are left out), or a bundle folder."""
    from irp_field.domain.errors import IrpError

    paths = [visit_path(v) for v in visits]
    if len(paths) > 1 and not combine:
        raise IrpError("several visits need --combine (and --format sqlite)")
    if combine and export_format != "sqlite":
        raise IrpError("--combine writes one analyst database: use --format sqlite")
    if export_format == "bundle":
        _export_bundle(paths[0], out, redact)
    else:
        from irp_field.interchange.export import export_visits

        export_visits(paths, export_format, out, redact=redact)
    click.echo(f"Wrote {out}")


def _export_bundle(path: Path, out: Path, redact: bool) -> None:
    import tempfile

    from irp_field.core.visit_file import VisitFile
    from irp_field.interchange.bundle import write_bundle
    from irp_field.interchange.export import redacted_copy

    with tempfile.TemporaryDirectory(prefix="irp-export-") as scratch:
        source = redacted_copy(path, Path(scratch)) if redact else path
        if redact:
            VisitFile.open(path, readonly=True).close()  # refuse a bad file by its own name
        with VisitFile.open(source, readonly=True) as opened:
            write_bundle(opened, out)


COMMANDS = (export_command,)

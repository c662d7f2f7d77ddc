"""Commands for team leaders and analysts: export (later: merge, conflicts)."""

from __future__ import annotations

from pathlib import Path

import click

from irp_field.cli.options import open_visit, visit_argument


@click.command("export")
@visit_argument
@click.option("--format", "export_format", type=click.Choice(["bundle"]), required=True,
              help="What to write.")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Where to write it.")
def export_command(visit: str, export_format: str, out: Path) -> None:
    """Export a visit (as a plain-text bundle folder)."""
    from irp_field.store.bundle import write_bundle

    with open_visit(visit, readonly=True) as opened:
        write_bundle(opened, out)
    click.echo(f"Wrote {out}")


COMMANDS = (export_command,)

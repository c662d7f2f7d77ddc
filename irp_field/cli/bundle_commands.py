"""Commands about visit bundles themselves (export and new --from make and read them)."""

from __future__ import annotations

from pathlib import Path

import click

from irp_field.cli.output import echo


@click.group("bundle")
def bundle_group() -> None:
    """Visit bundles: plain-text folders (irp-field export --format bundle)."""


@bundle_group.command("seal")
@click.argument("folder", type=click.Path(path_type=Path))
def seal_command(folder: Path) -> None:
    """Write FOLDER's manifest.json from its files as they are now.

    After editing a bundle by hand: 'new --from' refuses a bundle whose files differ
    from its manifest (a check against damage, not a signature; the rules of an import
    still judge every row).
    """
    from irp_field.api.exports import seal_bundle

    count = seal_bundle(folder)
    echo(f"Sealed {folder}: manifest.json lists {count} files")


COMMANDS = (bundle_group,)

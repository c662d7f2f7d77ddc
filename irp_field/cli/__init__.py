"""The ``irp-field`` command line: thin commands over the store, printed with rich.

This module and the command modules import only click at start-up, so that
``irp-field --help`` is quick; each command imports what it needs when it runs.
"""

from __future__ import annotations

import sqlite3
import sys
from typing import Any

import click

from irp_field import __version__
from irp_field.domain.errors import IrpError


class IrpGroup(click.Group):
    """Turns the errors a user can act on into one line on stderr and a non-zero exit."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            from irp_field import paths

            paths.remove_leftovers()  # temporary copies a killed irp-field left behind
            paths.sqlite_temporary_files_here()
            return super().invoke(ctx)
        except IrpError as error:
            click.echo(f"Error: {error}", err=True)
            ctx.exit(1)
        except sqlite3.DatabaseError as error:
            click.echo(f"Error: the visit file could not be used ({error})", err=True)
            ctx.exit(1)
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            click.echo(f"Error: {where}{error.strerror or error}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)


@click.group(cls=IrpGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="irp-field")
def main() -> None:
    """irp-field: evidence, figures and findings for an Independent Review of Progress.

    Visit files live in the data folder (set IRP_FIELD_HOME to move it); a VISIT
    argument is a path, or the name of a visit in that folder.
    """


def _register() -> None:
    from irp_field.cli import (
        attachment_commands,
        bundle_commands,
        evidence_commands,
        export_commands,
        findings_commands,
        link_commands,
        merge_commands,
        options,
        purge_commands,
        report_commands,
        sealing_commands,
        visit_commands,
    )

    for module in (
        visit_commands,
        evidence_commands,
        link_commands,
        findings_commands,
        report_commands,
        attachment_commands,
        merge_commands,
        purge_commands,
        sealing_commands,
        export_commands,
        bundle_commands,
    ):
        for command in module.COMMANDS:
            main.add_command(command)
    options.text_everywhere(main)


_register()


def run() -> None:  # pragma: no cover - console entry point alias
    main(prog_name="irp-field")
    sys.exit(0)

"""The ``irp-field`` command line: thin commands over the store, printed with rich.

Only click is imported at start-up, and of the command modules only the one holding
the command asked for (:data:`WHERE`), so that a command starts quickly; each command
imports what it needs when it runs.
"""

from __future__ import annotations

import importlib
import sqlite3
import sys
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any

import click

from irp_field import __version__
from irp_field.cli.output import echo
from irp_field.domain.errors import Ended, IrpError
from irp_field.domain.names import shown


class IrpGroup(click.Group):
    """Turns the errors a user can act on into one line on stderr and a non-zero exit."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            from irp_field import paths

            paths.remove_leftovers()  # temporary copies a killed irp-field left behind
            paths.sqlite_temporary_files_here()
            return super().invoke(ctx)
        except IrpError as error:
            echo(shown(f"Error: {error}"), err=True)
            ctx.exit(1)
        except sqlite3.DatabaseError as error:
            echo(shown(f"Error: the visit file could not be used ({error})"), err=True)
            ctx.exit(1)
        except BrokenPipeError:
            from irp_field.cli.options import PIPE_CLOSED, reader_gone

            reader_gone()
            ctx.exit(PIPE_CLOSED)
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            echo(shown(f"Error: {where}{error.strerror or error}"), err=True)
            ctx.exit(1)
        except Ended as ended:  # a polite kill or a closed terminal, mid-write
            echo(f"Stopped by {ended.signal_name}: nothing was written.", err=True)
            ctx.exit(128 + ended.signal_number)
        except KeyboardInterrupt:
            echo("Interrupted.", err=True)
            ctx.exit(130)


# Which module holds each command: ``irp-field notes search`` imports the notes' module
# alone, not every command's (rich tables, the report, photographs, sealing); ``--help``,
# which shows them all, imports them all. ``tests/test_start_up_imports.py`` holds this table
# to the modules' own ``COMMANDS``, so a command added there and not here is caught.
WHERE: dict[str, str] = {
    **dict.fromkeys(("new", "list", "check", "figures", "demo", "open", "handout"), "visit"),
    "import": "import",
    **dict.fromkeys(("sample", "notes", "rounds"), "evidence"),
    "links": "link",
    **dict.fromkeys(("sync", "findings", "evidence", "judge", "report"), "findings"),
    **dict.fromkeys(("summary", "parts", "glossary", "outcomes"), "report"),
    **dict.fromkeys(("attach", "attachments"), "attachment"),
    **dict.fromkeys(("merge", "conflicts"), "merge"),
    **dict.fromkeys(("purge", "restore"), "purge"),
    **dict.fromkeys(("keys", "recipients", "handback"), "sealing"),
    "export": "export",
    "bundle": "bundle",
}


class CommandsOnDemand(MutableMapping[str, click.Command]):
    """A group's commands by name, each module of commands imported when one of its
    commands is first asked for; its names are known without importing anything."""

    def __init__(self, where: Mapping[str, str]) -> None:
        self._where = dict(where)
        self._loaded: dict[str, click.Command] = {}

    def _load(self, module_name: str) -> None:
        from irp_field.cli import options

        module = importlib.import_module(f"irp_field.cli.{module_name}_commands")
        for command in module.COMMANDS:
            if command.name is not None and command.name not in self._loaded:
                options.text_everywhere(command)  # one home: every text parameter checked
                self._loaded[command.name] = command

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded and name in self._where:
            self._load(self._where[name])
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        known = self._where.pop(name, None) is not None
        if self._loaded.pop(name, None) is None and not known:
            raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        yield from self._where
        yield from (name for name in self._loaded if name not in self._where)

    def __len__(self) -> int:
        return len(self._where.keys() | self._loaded.keys())

    def __contains__(self, name: object) -> bool:
        return name in self._where or name in self._loaded


@click.group(
    cls=IrpGroup,
    commands=CommandsOnDemand(WHERE),
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="irp-field")
def main() -> None:
    """irp-field: evidence, figures and findings for an Independent Review of Progress.

    Visit files live in the data folder (set IRP_FIELD_HOME to move it); a VISIT
    argument is a path, or the name of a visit in that folder.
    """


def run() -> None:  # pragma: no cover - console entry point alias
    main(prog_name="irp-field")
    sys.exit(0)

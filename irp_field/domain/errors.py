"""Errors that reach an inspector as a one-line message, never a traceback."""

from __future__ import annotations

from dataclasses import dataclass


class IrpError(Exception):
    """Anything the user can act on: the CLI prints it and exits non-zero."""


class NotAVisitError(IrpError):
    """The file is missing, not SQLite, damaged, or another program's database."""


@dataclass(frozen=True)
class RowProblem:
    """One problem of one line of a file read in (its column, if one is to blame; line
    0: of the whole file)."""

    line: int
    column: str
    message: str

    def describe(self, file_name: str) -> str:
        where = f"{file_name}, line {self.line}" if self.line else file_name  # 0: the whole file
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


class InputError(IrpError):
    """Bad input in a file: names the file, line and column of every problem found."""

    def __init__(self, file_name: str, problems: list[RowProblem], more: int = 0) -> None:
        self.file_name = file_name
        self.problems = problems
        shown = [p.describe(file_name) for p in problems[:20]]
        hidden = len(problems) - len(shown) + more  # ``more``: problems not even kept
        if hidden > 0:
            shown.append(f"... and {hidden} more problems")
        shown.append("Nothing was imported.")
        super().__init__("\n".join(shown))


class NotWrittenError(IrpError):
    """An output (a report, an export, a saved attachment) was not written, and why: one
    line that names it, printed as it is ("Not written: hull.db: is the visit being
    read; ...")."""

    def __init__(self, path: object, why: str) -> None:
        self.path = path
        self.why = why
        super().__init__(f"Not written: {path}: {why}")


class Ended(KeyboardInterrupt):
    """An output's writing ended by a signal that asks a program to stop (SIGTERM: a
    polite kill or a shutdown; SIGHUP: the terminal closed), taken as Ctrl-C is, so
    that what it had begun to write is removed on the way out."""

    def __init__(self, signal_number: int, signal_name: str) -> None:
        self.signal_number = signal_number
        self.signal_name = signal_name
        super().__init__(signal_name)

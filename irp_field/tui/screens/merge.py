"""Merge: choose the team's files (the data folder, a typed path, or a folder such as a
USB stick), see a dry run, then merge them with a progress bar.

The dry run merges every picked file together into a scratch copy, exactly as ctrl+e
would (so conflicts between two laptops show): a line per file, what it brings that the
files before it did not, then a line for them all.

Files of another visit and damaged files are listed with the reason and left out. A
sealed file (``irp-field handback``) is listed as sealed and opened with this laptop's
key when the dry run or the merge runs (its passphrase asked once, kept in memory while
the screen is open); one for another key or changed on the way is refused then. The
merge is ``api.merging.merge_visits`` (what ``irp-field merge`` calls) in a thread
worker with its own connection; the app's connection sees the merged rows at its next
read, and every screen re-reads when it is shown again.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Header, Input, Label, ProgressBar, Static

from irp_field import paths
from irp_field.api import sealing
from irp_field.api.merging import (
    Candidate,
    MergeReport,
    candidates,
    merge_lines,
    merge_visits,
    told_apart,
)
from irp_field.domain.errors import IrpError
from irp_field.tui.base.visit_screen import VisitScreen
from irp_field.tui.dialogs.passphrase import PassphraseScreen
from irp_field.tui.widgets.key_line import KeyLine
from irp_field.tui.widgets.table import Table
from irp_field.tui.widgets.ticks import tick


class MergeScreen(VisitScreen):
    """Enter on a path lists its visit files; space picks; ctrl+d dry run; ctrl+e merges."""

    TITLE = "Merge"

    DEFAULT_CSS = """
    MergeScreen {
        #where { height: 1; margin: 0 1; }
        #where Label { width: 16; }
        #path { width: 1fr; }
        #files { height: auto; max-height: 8; }
        #dry-run { height: 1fr; }
        #progress { margin: 0 1; display: none; }
        #progress.-running { display: block; }
        #outcome { height: auto; padding: 0 1; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "pick", "Pick file"),
        Binding("ctrl+d", "dry_run", "Dry run", priority=True),
        Binding("ctrl+e", "merge", "Merge", priority=True),
        Binding("ctrl+l", "focus_path", "Path"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.found: list[Candidate] = []
        self.picked: set[Path] = set()
        # the data folder's files, listed when the screen opens: they give way to the
        # first place the person names (walked: a USB stick's files were listed among
        # them, the visit open here too)
        self.offered: set[Path] = set()
        self.busy = False
        self.passphrase: str | None = None  # of this laptop's key, once given

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="where"):
            yield Label("File or folder")
            yield Input(
                id="path", placeholder="a visit file, or a folder such as a USB stick", compact=True
            )
        # both fit their width: at 80 columns a long file name gives up room with "…",
        # never the status or the records (they ran past the edge: "Reco", "the target
        # (open her")
        yield Table(id="files", cursor_type="row", fit=True)
        yield Table(id="dry-run", cursor_type="row", fit=True)
        yield ProgressBar(id="progress", show_eta=False)
        yield Static("", id="outcome")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#files", DataTable).add_columns("", "File", "Establishment", "Status")
        self.query_one("#dry-run", DataTable).add_columns(*DRY_RUN_COLUMNS)
        folder = paths.visits_folder(create=False)
        self.query_one("#path", Input).value = str(folder)
        if folder.is_dir():
            self.list_files(folder, offered=True)

    # -- choosing -----------------------------------------------------------------------

    def action_focus_path(self) -> None:
        self.query_one("#path", Input).focus()

    @on(Input.Submitted, "#path")
    def _path_given(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.list_files(Path(event.value.strip()).expanduser())

    def list_files(self, place: Path, *, offered: bool = False) -> None:
        """List the visit files at ``place`` (a folder, or one file). A place the person
        names replaces the data folder's files offered at the start; places named one
        after another (two USB sticks) are listed together."""
        target, visit_id = self.irp.visit_path, self.irp.visit.visit_id
        self.in_thread(
            lambda: candidates(place, target, visit_id),
            then=lambda found: self.add_files(found, offered=offered),
            group="merge-list",
        )

    def add_files(self, found: list[Candidate], *, offered: bool = False) -> None:
        if not offered:
            self._withdraw_offered()
        # the visit open here is what the files merge into: never listed, never picked
        target = [c for c in found if c.target]
        found = [c for c in found if not c.target]
        known = {c.path for c in self.found}
        for candidate in found:
            if candidate.path not in known:
                self.found.append(candidate)
                if offered:
                    self.offered.add(candidate.path)
                if candidate.ok:
                    self.picked.add(candidate.path)
        if target and not found:
            self.notify(
                f"Only {target[0].path.name} there: the visit open here, which the files "
                "merge into.",
                severity="warning",
            )
        elif not found:
            self.notify("No visit files there.", severity="warning")
        self._fill_files()
        self.query_one("#files", DataTable).focus()

    def _withdraw_offered(self) -> None:
        """The data folder's files listed at the start leave the list (and the picks)."""
        if self.offered:
            self.found = [c for c in self.found if c.path not in self.offered]
            self.picked -= self.offered
            self.offered = set()

    def _fill_files(self) -> None:
        table = self.query_one("#files", DataTable)
        row = table.cursor_row
        table.clear()
        names = told_apart([c.path for c in self.found])  # one name from two USB sticks
        for candidate in self.found:
            mark = tick(candidate.path in self.picked) if candidate.ok else " - "
            status = Text(candidate.reason, style="" if candidate.ok else "bold")
            if not candidate.ok:
                status.append(": left out")
            table.add_row(
                Text(mark),  # a plain str cell would read "[x]" as markup
                Text(names[candidate.path]),
                Text(candidate.establishment),
                status,
                key=str(candidate.path),
            )
        if 0 <= row < table.row_count:
            table.move_cursor(row=row)

    def action_pick(self) -> None:
        table = self.query_one("#files", DataTable)
        if not table.has_focus or not self.found:
            return
        candidate = self.found[table.cursor_row]
        if not candidate.ok:
            self.notify(f"{candidate.path.name}: {candidate.reason}", severity="warning")
            return
        self.picked ^= {candidate.path}
        self._fill_files()

    def chosen(self) -> list[Path]:
        return [c.path for c in self.found if c.ok and c.path in self.picked]

    # -- dry run and merge --------------------------------------------------------------

    def action_dry_run(self) -> None:
        if self._start():
            self.when_unlocked(lambda: self.dry_run(self.chosen()))

    def action_merge(self) -> None:
        if self._start():
            self.when_unlocked(self._merge_chosen)

    def when_unlocked(self, then: Callable[[], None]) -> None:
        """``then()``, once this laptop's key is open for the sealed files picked (its
        passphrase asked when it has one and none was given yet)."""
        chosen = self.chosen()
        if (
            self.passphrase is not None
            or not sealing.key_needs_passphrase()
            or not any(sealing.is_sealed(path) for path in chosen)
        ):
            then()
            return

        def given(passphrase: str | None) -> None:
            if passphrase is None:
                self.busy = False
                return
            self.passphrase = passphrase
            then()

        self.app.push_screen(
            PassphraseScreen("The picked files are sealed: the passphrase of this laptop's key?"),
            given,
        )

    def _merge_chosen(self) -> None:
        chosen = self.chosen()
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=len(chosen), progress=0)
        bar.add_class("-running")
        self.query_one("#outcome", Static).update(f"Merging {len(chosen)} file(s)...")
        self.merge(chosen)

    def _start(self) -> bool:
        if self.busy:
            self.notify("Wait for the merge under way.", severity="warning")
            return False
        if not self.chosen():
            self.notify("Pick at least one file of this visit (space).", severity="warning")
            return False
        self.busy = True
        return True

    def dry_run(self, chosen: list[Path]) -> None:
        target, user, secret = self.irp.visit_path, self.irp.user, self.passphrase

        self.in_thread(
            lambda: merge_visits(target, chosen, dry_run=True, user=user, passphrase=secret),
            then=lambda report: self.show_counts(report, merged=False),
            group="merge",
            failed=self.show_failure,
        )

    def merge(self, chosen: list[Path]) -> None:
        target, user = self.irp.visit_path, self.irp.user
        bar = self.query_one("#progress", ProgressBar)

        def done(_path: Path) -> None:
            self.app.call_from_thread(bar.advance, 1)

        secret = self.passphrase
        self.in_thread(
            lambda: merge_visits(target, chosen, user=user, on_source_done=done, passphrase=secret),
            then=lambda report: self.show_counts(report, merged=True),
            group="merge",
            failed=self.show_failure,
        )

    def show_failure(self, error: IrpError) -> None:
        """Beside the notification the helper shows: the reason stays on the screen."""
        self.busy = False
        if isinstance(error, sealing.PassphraseNeeded):
            self.passphrase = None  # a wrong one: asked again at the next try
        self.query_one("#outcome", Static).update(Text(str(error), style="bold"))

    def show_counts(self, report: MergeReport, merged: bool) -> None:
        self.busy = False
        table = self.query_one("#dry-run", DataTable)
        table.clear()
        lines_of = merge_lines(report)
        # the records in words wrap, between kinds, within the room the file's name and
        # the numbers leave (never cut at the edge)
        name = max(len(line.name) for line in lines_of) if lines_of else 4
        beside = sum(len(h) + 2 for h in DRY_RUN_COLUMNS[1:5]) + name + 2 + 2 + 2
        room = max(12, (table.size.width or self.app.size.width) - beside)
        for line in lines_of:
            style = "bold" if line.whole else ""
            numbers = (line.new, line.updated, line.deleted, line.conflicts)
            wrapped = _between_kinds(line.records, room)
            table.add_row(
                Text(line.name, style=style),
                *(Text(str(n), style=style, justify="right") for n in numbers),
                Text("\n".join(wrapped), style=style),
                height=len(wrapped),
            )
        conflicts = report.conflicts
        lines: list[str] = []
        if merged:
            lines.append(f"Merged {len(report.sources)} file(s) into {report.target.name}.")
            if conflicts:
                lines.append(f"{conflicts} new conflict(s): settle them on F10.")
            if report.backup is not None:
                lines.append(f"Snapshot before merging: {report.backup}")
            self.notify(lines[0])
        else:
            lines.append(
                f"Dry run: nothing written. Merging the picked files would add {conflicts} "
                "conflict(s); ctrl+e merges them."
            )
        lines += report.far_future
        lines += report.rounds_met
        lines += [f"Photograph {c}" for c in report.cleaned]
        lines += report.questioned
        # a purge carried out (or, dry, to be) deletes content: each is said, with who and why
        lines += [f"Purge: {p}" for p in report.purged]
        lines += [f"Snapshot purged as the visit is: {s}" for s in report.snapshots]
        self.query_one("#outcome", Static).update(Text("\n".join(lines)))


DRY_RUN_COLUMNS = ("File", "New", "Updated", "Deleted", "Conflicts", "Records")


def _between_kinds(records: str, room: int) -> list[str]:
    """The records in words ("roll checks 2, notes 1") in lines of at most ``room``,
    broken between kinds, and within a kind only when it is longer than a line."""
    lines: list[str] = []
    for kind in records.split(", "):
        if lines and len(lines[-1]) + 2 + len(kind) <= room:
            lines[-1] += f", {kind}"
        else:
            lines += textwrap.wrap(kind, room) or [kind]
    return lines or [""]

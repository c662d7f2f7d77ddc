"""Report and export: write the report (Markdown, HTML, Word) and the exports (sqlite,
csv, json, xlsx, bundle; redacted or not) into a chosen folder, with progress and each
path written; a warning first when paragraphs are out of date."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Header, Input, Label, ProgressBar, Static

from irp_field.api.findings import SyncResult, load_findings, stale_summary, sync
from irp_field.api.outputs import (
    EXPORTS,
    REPORTS,
    Written,
    default_folder,
    never_written,
    out_path,
    replaceable,
    write_all,
)
from irp_field.api.visits import Visit
from irp_field.domain.errors import IrpError
from irp_field.tui.base.visit_screen import VisitScreen
from irp_field.tui.dialogs.confirm import ConfirmScreen
from irp_field.tui.dialogs.stale_choice import StaleChoiceScreen
from irp_field.tui.widgets.key_line import KeyLine
from irp_field.tui.widgets.ticks import TickBox, TickList

LABELS = {
    "report markdown": "Report, Markdown",
    "report html": "Report, HTML (one file, prints cleanly)",
    "report docx": "Report, Word (DOCX)",
    "export sqlite": "Export, SQLite for analysts (with its Datasette metadata)",
    "export csv": "Export, CSV folder",
    "export json": "Export, JSON",
    "export xlsx": "Export, Excel (XLSX)",
    "export bundle": "Export, bundle folder",
}

# What F12 says of the exports before it writes them, in words (the box's tick alone was
# misread: an unredacted export was written when a redacted one was meant).
REDACTED = "REDACTED: names pseudonymised, free text blanked (to share)"
NOT_REDACTED = "NOT REDACTED: they contain names and free text (team only)"


def redaction_said(redact: bool) -> str:
    return REDACTED if redact else NOT_REDACTED


def stale_numbers(visit: Visit) -> list[str]:
    """The numbers of the paragraphs out of date with the evidence."""
    return [p.paragraph.number for p in load_findings(visit).stale]


TO_WRITE = (
    "Pick what to write (space), then ctrl+s. The summary, the appendices, the glossary "
    "and the back page are written on Report parts (p or F11)."
)


class ReportScreen(VisitScreen):
    """Space picks what to write; ctrl+s writes it all into the folder."""

    TITLE = "Report and export"

    DEFAULT_CSS = """
    ReportScreen {
        #where { height: 1; margin: 0 1; }
        #where Label { width: 8; }
        #folder { width: 1fr; }
        #outputs { height: auto; max-height: 10; }
        #redaction { height: auto; margin: 0 1; text-style: bold; }
        #progress { margin: 0 1; display: none; }
        #progress.-running { display: block; }
        #written { height: 1fr; padding: 0 1; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "write", "Write", priority=True),
        Binding("ctrl+l", "focus_folder", "Folder"),
        Binding("p", "app.switch_mode('report_parts')", "Report parts (F11)"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.busy = False
        self.overwrite = False  # the person said y to replacing what is in the folder
        self.sync_first = False  # the person chose to sync the paragraphs, then write
        self.refused = ""  # the folder's refusal last said on the header's line

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="where"):
            yield Label("Folder")
            yield Input(id="folder", compact=True)
        choices = [f"report {f}" for f in REPORTS] + [f"export {f}" for f in EXPORTS]
        yield TickList[str](
            *((LABELS[c], c, c.startswith("report")) for c in choices), id="outputs"
        )
        yield TickBox("Redact the exports (for sharing outside the team)", id="redact")
        yield Static(id="redaction")
        yield ProgressBar(id="progress", show_eta=False)
        yield Static(TO_WRITE, id="written")
        yield KeyLine()

    def on_mount(self) -> None:
        # never the data folder's visits/, where nothing but visits is written
        self.query_one("#folder", Input).value = str(default_folder(self.irp.visit_path))
        self.query_one("#outputs", TickList).focus()
        self.show_redaction()

    def action_focus_folder(self) -> None:
        self.query_one("#folder", Input).focus()

    def wanted(self) -> list[str]:
        return list(self.query_one("#outputs", TickList).selected)

    def redact(self) -> bool:
        return self.query_one("#redact", TickBox).value

    def exports(self) -> list[str]:
        return [w for w in self.wanted() if w.startswith("export")]

    @on(TickBox.Changed, "#redact")
    @on(TickList.SelectedChanged, "#outputs")
    def show_redaction(self) -> None:
        """Whether the exports will be redacted, in words, as the box or the list changes."""
        said = f"Exports {redaction_said(self.redact())}"
        if not self.exports():  # the word alone: the line stays one line at 80 columns
            said = f"No export picked (they would be {'' if self.redact() else 'NOT '}REDACTED)"
        self.query_one("#redaction", Static).update(Text(said))

    @on(Input.Submitted, "#folder")
    def folder_typed(self) -> None:
        """Enter in the folder moves on to what to write, the next field (as Enter does in
        every form here; ctrl+s writes): the folder is checked first, and a folder that
        is not there keeps the cursor in it, saying why."""
        refusal = self.folder_refusal(self.folder())
        if refusal:
            self.said_refused(refusal)
            return
        self.withdraw_refusal()
        # a refusal said before, of a folder corrected since, no longer stands (walking:
        # "no such folder" stayed on, and a second Enter, to try again, unticked a file)
        self.query_one("#written", Static).update(Text(f"Into {self.folder()}. {TO_WRITE}"))
        self.query_one("#outputs", TickList).focus()

    def said_refused(self, refusal: str) -> None:
        """The folder's refusal, on the screen and the header's line."""
        self.query_one("#written", Static).update(Text(refusal))
        self.notify(refusal, severity="error")
        self.refused = refusal

    def withdraw_refusal(self) -> None:
        """The folder's refusal said before no longer stands: it is not left on the
        header's line for its ten seconds beside the screen's "Into ..." (walking)."""
        if self.refused:
            self.irp.withdraw(self.refused)
            self.refused = ""

    def folder_refusal(self, folder: Path | None) -> str:
        """Why nothing can be written into the folder typed; "" when it can be. What the
        rule refuses whatever the answer (the data folder's visits/, an SQLite file
        where an export would go) is said here, before any question."""
        if folder is None:
            return "Nothing written: type the folder to write into (ctrl+l)."
        if not folder.is_dir():
            return f"Nothing written: {folder}: no such folder (ctrl+l changes it)."
        refused = never_written(self.irp.visit_path, folder, self.wanted(), self.redact())
        if refused:
            return "Nothing written: " + "; ".join(refused) + " (ctrl+l: another folder)."
        return ""

    def folder(self) -> Path | None:
        """The folder typed; None when none is (it used to mean the working folder, where
        an inspector who cleared the field would never look for the report)."""
        typed = self.query_one("#folder", Input).value.strip()
        return Path(typed).expanduser() if typed else None

    def action_write(self) -> None:
        if self.busy:
            return
        if not self.wanted():
            self.notify("Pick at least one thing to write (space).", severity="warning")
            return
        folder = self.folder()
        # Refused before any sync or writing (it used to sync every paragraph, then say
        # "no such folder" once per file); not made: a typo would make a stray one.
        refusal = self.folder_refusal(folder)
        if folder is None or refusal:
            self.said_refused(refusal)
            return
        self.withdraw_refusal()
        self.busy = True
        self.overwrite = False
        self.sync_first = False
        # The questions in the order that matters: out of date first (it changes what
        # is written), then not redacted, then what is replaced (walked: the out-of-date
        # question, the one that matters, came last of three).
        self._check_stale(folder)

    def _ask_not_redacted(self, folder: Path) -> None:
        """Exports not redacted hold prisoners' and staff's names and every note: written
        only once the person says so in words, not on a box's tick."""
        if not self.exports() or self.redact():
            self._ask_replace(folder)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._ask_replace(folder)
                return
            self.busy = False
            self.query_one("#written", Static).update(
                "Nothing written. Tick Redact the exports (tab to it, space) to share them."
            )

        visit_path = self.irp.visit_path
        names = ", ".join(out_path(visit_path, folder, w, False).name for w in self.exports())
        self.app.push_screen(
            ConfirmScreen(
                f"The exports ({names}) will be NOT REDACTED: they contain names and free "
                "text (prisoners, staff, notes). Write them not redacted?",
                hint="y: write them NOT REDACTED   n or Escape: write nothing",
            ),
            answered,
        )

    def _ask_replace(self, folder: Path) -> None:
        there = replaceable(self.irp.visit_path, folder, self.wanted(), self.redact())
        if not there:
            self._go()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.overwrite = True
                self._go()
                return
            self.busy = False
            self.query_one("#written", Static).update(
                Text(f"Nothing written: {names} already in {folder}; choose another folder.")
            )

        names = ", ".join(path.name for path in there)
        self.app.push_screen(
            ConfirmScreen(
                f"{names} {'is' if len(there) == 1 else 'are'} already in {folder}. Replace "
                f"{'it' if len(there) == 1 else 'them'}?",
                hint="y: replace (each is written whole first)   n or Escape: write nothing",
            ),
            answered,
        )

    def _go(self) -> None:
        """Every question answered: sync first if the person chose to, then write."""
        if self.sync_first:
            self._sync_then_write()
        else:
            self._write()

    def _check_stale(self, folder: Path) -> None:
        # Paragraphs that cannot be checked (the error is shown) do not stop the writing.
        self.load(
            stale_numbers,
            then=lambda stale: self.checked(folder, stale),
            group="report",
            failed=lambda _: self.checked(folder, []),
        )

    def checked(self, folder: Path, stale: list[str]) -> None:
        reports = [w for w in self.wanted() if w.startswith("report")]
        if not stale or not reports:
            self._ask_not_redacted(folder)
            return

        def answered(choice: str | None) -> None:
            if choice in ("sync", "write"):
                self.sync_first = choice == "sync"
                self._ask_not_redacted(folder)
            else:
                self.busy = False
                self.query_one("#written", Static).update(
                    "Nothing written. Sync the findings (s here, or ctrl+g on F7) and write again."
                )

        # In the app's words: the report's own warning says "Run `irp-field sync`".
        warning = stale_summary(stale) + " Review them on F7 (ctrl+g there syncs them all)."
        self.app.push_screen(StaleChoiceScreen(warning), answered)

    def _sync_then_write(self) -> None:
        """Every paragraph synced in a thread worker on a connection of its own (it
        computes every figure: seconds on a large visit, the screen answering), then the
        report written from what the sync stored; ctrl+s meanwhile starts nothing."""
        self.query_one("#written", Static).update("Syncing the paragraphs first...")

        def synced(result: SyncResult) -> None:
            self.notify(f"Synced {len(result.stale_numbers)} paragraph(s) first.")
            self._write()

        def not_synced(error: IrpError) -> None:
            self.busy = False
            said = f"Not synced, nothing written: {error}"
            self.query_one("#written", Static).update(Text(said))
            self.notify(said, severity="error")

        self.write_in_thread(sync, synced, group="sync", failed=not_synced)

    def _write(self) -> None:
        wanted = self.wanted()
        folder = self.folder()
        if folder is None:  # emptied while the question was asked: refused as it is now
            self.busy = False
            self.action_write()
            return
        redact = self.redact()
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=len(wanted), progress=0)
        bar.add_class("-running")
        exports = f", the exports {'' if redact else 'NOT '}REDACTED" if self.exports() else ""
        self.query_one("#written", Static).update(
            Text(f"Writing {len(wanted)} file(s) to {folder}{exports}...")
        )
        visit_path = self.irp.visit_path

        def done(_written: Written) -> None:
            self.app.call_from_thread(bar.advance, 1)

        overwrite = self.overwrite

        self.in_thread(
            lambda: write_all(visit_path, folder, wanted, redact, done, overwrite),
            then=lambda written: self.show_written(written, redact),
            group="report",
            failed=self._not_written,
        )

    def _not_written(self, _error: IrpError) -> None:
        self.busy = False  # the error is shown; ctrl+s may try again

    def show_written(self, written: list[Written], redact: bool) -> None:
        """Each path written, an export's with whether it is redacted, in words."""
        self.busy = False
        text = Text()
        for result in written:
            if result.error:
                text.append(f"Not written: {result.path}: {result.error}\n", style="bold")
            elif result.what.startswith("export"):
                text.append(f"Wrote {result.path}, {'' if redact else 'NOT '}REDACTED\n")
            else:
                text.append(f"Wrote {result.path}\n")
        self.query_one("#written", Static).update(text)
        good = sum(1 for r in written if not r.error)
        failed = [r for r in written if r.error]
        if failed:  # said where the eye is, not only in the list
            first = failed[0]
            self.notify(
                f"Wrote {good} of {len(written)}. Not written: {first.path.name}: {first.error}",
                severity="error",
            )
        else:
            exported = any(r.what.startswith("export") for r in written)
            said = f"; the exports {'' if redact else 'NOT '}REDACTED" if exported else ""
            self.notify(f"Wrote {good} of {len(written)}{said}.")

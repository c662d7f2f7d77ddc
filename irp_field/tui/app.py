"""The terminal UI: one app factory for the CLI, the Pilot tests and the snapshot tests.

The app keeps one read-write connection for the event loop's short writes (one roll
check, one answer: a few milliseconds, measured by bench/save_latency.py); anything
that reads a whole visit runs in a thread worker with its own connection.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from irp_field.store import drafts, me
from irp_field.store.reads import team
from irp_field.store.visit_file import VisitFile
from irp_field.tui.screens.confirm import ConfirmScreen
from irp_field.tui.screens.conflicts import ConflictsScreen
from irp_field.tui.screens.dashboard import DashboardScreen
from irp_field.tui.screens.findings import FindingsScreen
from irp_field.tui.screens.help import HelpScreen
from irp_field.tui.screens.judgements import JudgementsScreen
from irp_field.tui.screens.merge import MergeScreen
from irp_field.tui.screens.note_editor import NoteEditorScreen
from irp_field.tui.screens.notes import NotesScreen
from irp_field.tui.screens.report import ReportScreen
from irp_field.tui.screens.roll_check import RollCheckScreen
from irp_field.tui.screens.sampling import SamplingScreen
from irp_field.tui.screens.time_out_of_cell import TimeOutOfCellScreen
from irp_field.tui.screens.who_am_i import WhoAmIScreen

Clock = Callable[[], dt.datetime]


class IrpApp(App[None]):
    """irp-field's terminal UI on one visit file."""

    TITLE = "irp-field"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {
        "dashboard": DashboardScreen,
        "roll_check": RollCheckScreen,
        "notes": NotesScreen,
        "sampling": SamplingScreen,
        "time_out_of_cell": TimeOutOfCellScreen,
        # the team leader's screens
        "findings": FindingsScreen,
        "judgements": JudgementsScreen,
        "merge": MergeScreen,
        "conflicts": ConflictsScreen,
        "report": ReportScreen,
    }
    # Function keys work while a field has the focus (letters would be typed into it).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help"),
        Binding("f2", "switch_mode('dashboard')", "Overview"),
        Binding("f3", "switch_mode('roll_check')", "Roll check"),
        Binding("f4", "switch_mode('notes')", "Notes"),
        Binding("f5", "switch_mode('sampling')", "Sampling"),
        Binding("f6", "switch_mode('time_out_of_cell')", "Time out"),
        Binding("f7", "switch_mode('findings')", "Findings"),
        Binding("f8", "switch_mode('judgements')", "Judgements"),
        Binding("f9", "switch_mode('merge')", "Merge"),
        Binding("f10", "switch_mode('conflicts')", "Conflicts"),
        Binding("f12", "switch_mode('report')", "Report"),
        Binding("ctrl+q", "quit", "Quit"),
    ]

    def __init__(
        self,
        path: Path,
        user: str | None = None,
        *,
        now: Clock | None = None,
        draft_pause: float = 1.5,
        draft_every: float = 5.0,
        ask_who: bool = True,
    ) -> None:
        super().__init__()
        self.visit_path = Path(path)
        self.clock: Clock = now or (lambda: dt.datetime.now().replace(microsecond=0))
        self.draft_pause = draft_pause
        self.draft_every = draft_every
        self.visit = VisitFile.open(self.visit_path, user=user)
        chosen = user or me.who_am_i(self.visit)
        if chosen:
            self.visit.user = chosen
        # Ask once per file, and only when nobody said who they are.
        self._ask_who = ask_who and not chosen

    @property
    def user(self) -> str:
        return self.visit.user

    def open_reader(self) -> VisitFile:
        """A connection of its own for a thread worker (sqlite3 objects stay in one thread)."""
        return VisitFile.open(self.visit_path, user=self.user, readonly=True)

    def on_mount(self) -> None:
        self.sub_title = self.visit_path.name
        self.switch_mode("dashboard")
        if self._ask_who:
            members = [member.name for member in team(self.visit)]
            if members:
                self.push_screen(WhoAmIScreen(members), self._chosen)
                return
        self.offer_drafts()

    def _chosen(self, name: str | None) -> None:
        if name:
            me.set_me(self.visit, name)
            self.notify(f"Everything you record now carries the name {name}.")
        self.offer_drafts()

    def offer_drafts(self) -> None:
        """A note left unsaved by a crash or a kill is offered back at the next start."""
        left = drafts.drafts(self.visit, self.user)
        if not left:
            return
        draft = left[0]
        words = " ".join(draft.text.split()[:8])

        def answered(yes: bool | None) -> None:
            if yes:
                self.switch_mode("notes")
                self.push_screen(NoteEditorScreen(draft))

        self.push_screen(
            ConfirmScreen(
                f'You have an unsaved note from {draft.saved_at[:16]}: "{words}". Open it?',
                hint="y: open it   n: not now (it stays a draft)",
            ),
            answered,
        )

    def on_unmount(self) -> None:
        self.visit.close()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette lists every key binding of the screen and the app, so nothing is hidden."""
        yield from super().get_system_commands(screen)
        seen: set[str] = set()
        for owner in (screen, self):
            for binding in owner.BINDINGS:
                if not isinstance(binding, Binding) or not binding.description:
                    continue
                if binding.description in seen or binding.action == "quit":
                    continue
                seen.add(binding.description)
                key = binding.key_display or binding.key

                def run(action: str = binding.action, target: object = owner) -> None:
                    self.call_later(self.run_action, action, target)

                yield SystemCommand(binding.description, f"key: {key}", run)


def make_app(
    path: Path,
    user: str | None = None,
    *,
    now: Clock | None = None,
    draft_pause: float = 1.5,
    draft_every: float = 5.0,
    ask_who: bool = True,
) -> IrpApp:
    """The app on one visit file; tests pass a fixed clock and short draft timers."""
    return IrpApp(
        path, user, now=now, draft_pause=draft_pause, draft_every=draft_every, ask_who=ask_who
    )

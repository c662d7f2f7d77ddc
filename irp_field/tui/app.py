"""The terminal UI: one app factory for the CLI, the Pilot tests and the snapshot tests.

The app keeps one read-write connection for the event loop's short writes (one roll
check, one answer: a few milliseconds, measured by bench/save_latency.py); anything
that reads a whole visit runs in a thread worker with its own connection.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, ClassVar

from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.filter import LineFilter
from textual.notifications import Notification, Notify, SeverityLevel
from textual.screen import Screen

from irp_field import paths
from irp_field.api import visits
from irp_field.api.visits import Visit, default_user
from irp_field.domain.errors import IrpError
from irp_field.tui.keys_in_order import KeysInOrder
from irp_field.tui.shown_lines import ShownLines
from irp_field.tui.unsaved_app import SAVE_WAIT
from irp_field.tui.who_app import AppKnowsWho

Clock = Callable[[], dt.datetime]
# How long a message stays on the header's line, by its severity (seconds).
MESSAGE_SECONDS: dict[str, float] = {"information": 4, "warning": 8, "error": 10}
MESSAGES_KEPT = 12  # the last messages, listed on the help screen (F1)


def _later(module: str, name: str) -> Callable[[], Screen[Any]]:
    """A screen imported when it is first shown: the overview paints without waiting for
    the code of the screens nobody has opened yet (a third of the start-up time)."""

    def make() -> Screen[Any]:
        screen: Screen[Any] = getattr(
            importlib.import_module(f"irp_field.tui.screens.{module}"), name
        )()
        return screen

    return make


# Each mode's screen, imported when first shown. The mode the app starts in (the overview
# on a visit, else Home) is not among the app's MODES: its screen is Textual's default
# screen (``get_default_screen``), made, styled and laid out once, rather than after a
# blank screen of Textual's own, and resumed once, not twice (issue 24, aim 7).
SCREENS: dict[str, Callable[[], Screen[Any]]] = {
    "home": _later("home", "HomeScreen"),
    "dashboard": _later("dashboard", "DashboardScreen"),
    "roll_check": _later("roll_check", "RollCheckScreen"),
    "notes": _later("notes", "NotesScreen"),
    "sampling": _later("sampling", "SamplingScreen"),
    "time_out_of_cell": _later("time_out_of_cell", "TimeOutOfCellScreen"),
    # the team leader's screens
    "findings": _later("findings", "FindingsScreen"),
    "judgements": _later("judgements", "JudgementsScreen"),
    "merge": _later("merge", "MergeScreen"),
    "conflicts": _later("conflicts", "ConflictsScreen"),
    "report_parts": _later("report_parts", "ReportPartsScreen"),
    "report": _later("report", "ReportScreen"),
    # set-up on site: the team, the locations, the plan
    "setup": _later("setup", "SetupScreen"),
}
STARTS = ("home", "dashboard")


class IrpApp(KeysInOrder, AppKnowsWho):
    """irp-field's terminal UI on one visit file at a time (or none yet: Home)."""

    TITLE = "irp-field"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {
        mode: screen for mode, screen in SCREENS.items() if mode not in STARTS
    }
    # Function keys work while a field has the focus (letters would be typed into it);
    # priority, because TextArea has F6/F7 bindings of its own.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", priority=True),
        Binding("f2", "switch_mode('dashboard')", "Overview", priority=True),
        Binding("f3", "switch_mode('roll_check')", "Roll check", priority=True),
        Binding("f4", "switch_mode('notes')", "Notes", priority=True),
        Binding("f5", "switch_mode('sampling')", "Sampling", priority=True),
        Binding("f6", "switch_mode('time_out_of_cell')", "Time out", priority=True),
        Binding("f7", "switch_mode('findings')", "Findings", priority=True),
        Binding("f8", "switch_mode('judgements')", "Judgements", priority=True),
        Binding("f9", "switch_mode('merge')", "Merge", priority=True),
        Binding("f10", "switch_mode('conflicts')", "Conflicts", priority=True),
        Binding("f11", "switch_mode('report_parts')", "Report parts", priority=True),
        Binding("f12", "switch_mode('report')", "Report", priority=True),
        Binding("ctrl+o", "switch_mode('home')", "Home"),
        Binding("ctrl+u", "who_am_i", "Who am I"),
        # Priority: it quits from a dialog too (the who-am-I question at the first start).
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]
    FILE_WATCH = 0.5  # seconds between looks at whether another program wrote the file

    def get_line_filters(self) -> Sequence[LineFilter]:
        return [*super().get_line_filters(), self._shown_lines]

    def __init__(
        self,
        path: Path | None,
        user: str | None = None,
        *,
        now: Clock | None = None,
        draft_pause: float = 1.5,
        draft_every: float = 5.0,
        ask_who: bool = True,
    ) -> None:
        # The mode the app starts in, its screen made by get_default_screen (SCREENS).
        self.DEFAULT_MODE = "home" if path is None else "dashboard"  # type: ignore[misc]
        super().__init__()
        self._shown_lines = ShownLines()  # a file's text drawn, never obeyed
        for mode in STARTS:
            if mode != self.DEFAULT_MODE:
                self.add_mode(mode, SCREENS[mode])
        self.clock: Clock = now or (lambda: dt.datetime.now().replace(microsecond=0))
        self.draft_pause = draft_pause
        self.draft_every = draft_every
        self._given_user = user
        self._may_ask_who = ask_who
        self._visit: Visit | None = None
        self._ask_who = False
        self._handed_to = ""  # the file is a copy handed out to this member (irp-field handout)
        self._handed_to_another = ""  # ... handed out to a member who is not who you are
        # Asked who you are, nobody was chosen: what is recorded carries the login name,
        # which the overview says and the first save warns of (``recorded``).
        self.unnamed = False
        self._told_unnamed_at_a_save = False
        self._data_version = 0
        self.viewer_copies: list[paths.Scratch] = []  # attachments copied for the viewer
        self.recent_messages: deque[tuple[str, str]] = deque(maxlen=MESSAGES_KEPT)
        self._message_owners: dict[str, Screen[Any]] = {}  # a message's id -> its screen
        self._start_keeping()
        # the theme's variables the stylesheet was last parsed with (made with them above)
        self._css_parsed_with: dict[str, str] | None = self.get_css_variables()
        if path is not None:
            self._take(visits.open_visit(Path(path), user=user))
        self.sub_title = "no visit open" if self._visit is None else self.visit_path.name

    def get_default_screen(self) -> Screen[Any]:
        """The screen of the mode the app starts in (Textual calls this once, at start)."""
        return SCREENS[self.DEFAULT_MODE]()

    def _take(self, visit: Visit) -> None:
        """Make ``visit`` the app's file, with who is recording on it."""
        # A save waits a second for another writer (a merge), then says so and keeps
        # what was typed: the screen never freezes for the full wait, nor exits.
        visit.wait_for_lock(SAVE_WAIT)
        self._visit = visit
        self._data_version = visit.data_version()
        chosen = self._given_user or visits.who_am_i(visit)
        handed = visits.handed_to(visit)
        self._handed_to = "" if chosen else handed
        # A file of the visit not answered here takes who you are in the visit: the team
        # leader opening a colleague's copy stays the leader, and is told so.
        self._handed_to_another = handed if chosen and handed and handed != chosen else ""
        if self._handed_to:  # a copy handed out to its inspector: answered for them
            visits.set_me(visit, self._handed_to, for_the_visit=False)
            chosen = self._handed_to
        if chosen:
            visit.user = chosen
        self.unnamed = self._told_unnamed_at_a_save = False
        # Ask once per file, and only when nobody said who they are.
        self._ask_who = self._may_ask_who and not chosen

    @property
    def has_visit(self) -> bool:
        return self._visit is not None

    @property
    def visit(self) -> Visit:
        if self._visit is None:
            raise IrpError("no visit is open: choose one on Home (ctrl+o)")
        return self._visit

    @property
    def visit_path(self) -> Path:
        return self.visit.path

    @property
    def user(self) -> str:
        return self._visit.user if self._visit is not None else self._given_user or default_user()

    def open_reader(self) -> Visit:
        """A connection of its own for a thread worker (sqlite3 objects stay in one thread)."""
        return visits.open_reader(self.visit_path, user=self.user, verify=False)

    def open_writer(self, stop: Callable[[], bool] | None = None) -> Visit:
        """A writing connection of its own for a thread worker (a sync of every
        paragraph), sharing the app's clock and its wait for the lock; ``stop``: once
        true (the worker cancelled: the app closing), what it runs stops and rolls back."""
        return visits.open_writer(self.visit, stop=stop)

    def on_mount(self) -> None:
        # the starting mode's screen, made again after another visit is opened on Home
        self.add_mode(self.DEFAULT_MODE, SCREENS[self.DEFAULT_MODE])
        paths.remove_leftovers()  # temporary copies a killed irp-field left behind
        self.set_interval(self.FILE_WATCH, self._watch_file)
        if self._visit is None:
            return
        # Who you are, and what it offers back (a kept save, a note's draft), are asked at
        # once, their dialogs over the overview as it paints. (Asked after its first
        # paint, a dialog could come between the overview's rows and their scroll bar,
        # and a screen under a dialog is not laid out again: the picture was left half
        # drawn, one time in two on a busy machine.)
        self._greet()

    def _watch_file(self) -> None:
        """Another program (a merge, an import, a second window) committed to the file:
        every screen of this mode shows the file as it is now, within a second, and
        keeps what is being typed."""
        if self._visit is None:
            return
        self.retry_waiting()  # what waits for the file goes in as soon as it is free
        try:
            version = self._visit.data_version()
        except IrpError:
            return
        if version == self._data_version:
            return
        self._data_version = version
        from irp_field.tui.base.visit_screen import VisitScreen

        for screen in self.screen_stack:
            if isinstance(screen, VisitScreen) and screen.is_mounted:
                screen.file_changed()

    def _greet(self) -> None:
        if self._handed_to:
            self.notify(
                f"This copy was handed out to {self._handed_to}: everything you record "
                "carries that name (ctrl+u if you are not)."
            )
        if self._handed_to_another:
            self.notify(
                f"This copy was handed to {self._handed_to_another}; you are {self.user} "
                "(ctrl+u if not: this file only).",  # the header's one line, at 120 columns
                severity="warning",
                timeout=10,
            )
        if self._ask_who:
            self.ask_who()
            return
        self.offer_kept(then=self.offer_drafts)

    def offer_drafts(self) -> None:
        """A note left unsaved by a crash or a kill is offered back at the next start."""
        from irp_field.api.notes import drafts  # loaded when first needed: start-up

        left = drafts(self.visit, self.user)
        if not left:
            return
        from irp_field.tui.dialogs.confirm import ConfirmScreen  # only when there is one

        draft = left[0]

        def answered(yes: bool | None) -> None:
            if yes:
                self.call_later(self._open_draft, draft)

        more = f" (and {len(left) - 1} more: ctrl+g on Notes lists them)" if len(left) > 1 else ""
        self.push_screen(
            ConfirmScreen(
                f"You have an unsaved note from {draft.saved_at[:16].replace('T', ' ')} UTC: "
                f'"{draft.opening()}"{more}. Open it?',
                hint="y: open it   n: not now (it stays a draft)",
            ),
            answered,
        )

    async def _open_draft(self, draft: object) -> None:
        from irp_field.tui.screens.notes import NotesScreen

        await self.switch_mode("notes")
        if isinstance(self.screen, NotesScreen):
            self.screen.open_editor(draft)  # type: ignore[arg-type]

    def on_unmount(self) -> None:
        if self._visit is not None:
            self._visit.close()
        # Photographs of a prison copied out for the system's viewer are not left in the
        # data folder's tmp/ (a viewer on Windows may still hold one: the next start).
        for folder in self.viewer_copies:
            folder.close()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Without a visit open only Home, help and quit make sense (and show in the footer)."""
        if self._visit is None:
            if action == "switch_mode":
                return parameters == ("home",)
            if action == "who_am_i":
                return False
        return True

    def open_visit(self, path: Path) -> None:
        """Switch to another visit file: every screen starts afresh on it (once what was
        typed on this one is in it, kept as a file, or discarded)."""

        def go(_: object = None) -> None:
            self.run_worker(self._open_visit(Path(path)), group="open-visit", exclusive=True)

        if self._visit is not None and self._visit.path.resolve() != Path(path).resolve():
            self.settle_unsaved("open the other visit", go)
            return
        go()

    async def _open_visit(self, path: Path) -> None:
        if self._visit is not None and self._visit.path.resolve() == path.resolve():
            await self.switch_mode("dashboard")
            return
        try:
            opened = visits.open_visit(path, user=self._given_user)
        except IrpError as error:
            self.notify(f"Cannot open {path.name}: {error}", severity="error")
            return
        if self.current_mode != "home":
            await self.switch_mode("home")
        # The other modes' screens hold the old file's state: drop them, keep their kinds.
        for mode, screen in SCREENS.items():
            if mode != "home":
                await self.remove_mode(mode)
                self.add_mode(mode, screen)
        old, self._visit = self._visit, None
        if old is not None:
            old.close()
        self._take(opened)
        self.sub_title = path.name
        await self.switch_mode("dashboard")
        self._greet()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
        owner: Screen[Any] | None = None,
    ) -> None:
        """A message on the header's line, one at a time (app.tcss): Textual's pop-ups
        stacked up from the bottom right over the form's help and status lines (three
        covered half of F8). The newest hides the one shown; F1 lists the last few.
        A screen's message belongs to it (``owner``): another function key leaves it
        behind (F6's message sat on F3's header line). The app's own, a dialog's and
        what a read met (a damaged file) are about the visit or the screen under the
        dialog, and stay."""
        self.recent_messages.appendleft((self.clock().strftime("%H:%M"), message))
        seconds = MESSAGE_SECONDS.get(severity, 4) if timeout is None else timeout
        notification = Notification(message, title, severity, seconds, markup=markup)
        if owner is not None:
            self._message_owners[notification.identity] = owner
        self.post_message(Notify(notification))

    def notify_from(self, owner: Screen[Any], message: str, **options: Any) -> None:
        """``notify`` on behalf of the screen the message is about."""
        self.notify(message, owner=owner, **options)

    def withdraw(self, message: str) -> None:
        """Take ``message`` off the header's line (and out of the queue behind the one
        shown) once it no longer stands: a refusal of a folder corrected since stayed
        for its ten seconds beside the screen's "Into ..." (F12)."""
        for notification in list(self._notifications):
            if notification.message == message:
                self._unnotify(notification, refresh=False)
        self._refresh_notifications()

    def _refresh_notifications(self) -> None:
        """Messages of the screens of another function key are dropped, not shown on
        this one (a dialog's stay after it closes: they are about the screen under it)."""
        shown = set(self.screen_stack)
        elsewhere = {s for stack in self._screen_stacks.values() for s in stack} - shown
        for notification in list(self._notifications):
            if self._message_owners.get(notification.identity) in elsewhere:
                self._unnotify(notification, refresh=False)
        if len(self._message_owners) > 50:  # those gone (one just sent is not in yet)
            alive = {notification.identity for notification in self._notifications}
            self._message_owners = {k: v for k, v in self._message_owners.items() if k in alive}
        super()._refresh_notifications()

    async def action_switch_mode(self, mode: str) -> None:
        """A function key: that screen, its cursor back in its first field (pressed on
        the screen itself, it puts the cursor back where typing starts)."""
        await self.switch_mode(mode)
        from irp_field.tui.base.visit_screen import VisitScreen

        if isinstance(self.screen, VisitScreen):
            self.screen.reset_focus()

    def refresh_css(self, animate: bool = True) -> None:
        """Textual parses every stylesheet again, into a new parser keeping nothing, each
        time a screen is first shown (twice for a function key's first screen), in case
        the theme's variables changed. While they have not, what is parsed is kept and
        only CSS not seen before is parsed: every stylesheet of the app and its widgets
        twice over was a tenth of the overview's start-up, and of each screen's first
        showing. A new theme parses everything again, as Textual does."""
        variables = self.get_css_variables()
        if variables != self._css_parsed_with:
            super().refresh_css(animate)
            self._css_parsed_with = variables
            return
        stylesheet = self.stylesheet
        stylesheet.set_variables = stylesheet.reparse = _kept  # type: ignore[method-assign,assignment]
        try:
            super().refresh_css(animate)
        finally:
            del stylesheet.set_variables, stylesheet.reparse

    def action_help(self) -> None:
        from irp_field.tui.dialogs.help import HelpScreen

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
                if owner.check_action(binding.action.split("(")[0], ()) is False:
                    continue  # not here now (F3's "add locations" once there are some)
                seen.add(binding.description)
                key = binding.key_display or binding.key

                def run(action: str = binding.action, target: object = owner) -> None:
                    self.call_later(self.run_action, action, target)

                yield SystemCommand(binding.description, f"key: {key}", run)


def _kept(*_: object) -> None:
    """A stylesheet's parse kept as it is (:meth:`IrpApp.refresh_css`)."""


def make_app(
    path: Path | None,
    user: str | None = None,
    *,
    now: Clock | None = None,
    draft_pause: float = 1.5,
    draft_every: float = 5.0,
    ask_who: bool = True,
) -> IrpApp:
    """The app on one visit file (None: Home, to choose one); tests pass a fixed clock and
    short draft timers."""
    return IrpApp(
        path, user, now=now, draft_pause=draft_pause, draft_every=draft_every, ask_who=ask_who
    )

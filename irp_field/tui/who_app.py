"""The app's side of who is recording (``api.identity``): who-am-I asked, and what is
said while nobody is chosen, whose login name then goes on every record."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from irp_field.api import visits
from irp_field.tui.unsaved_app import AppKeepsTyping

if TYPE_CHECKING:
    from irp_field.api.visits import Visit
    from irp_field.domain.verdicts import Verdict


class AppKnowsWho(AppKeepsTyping):
    """Mixed into ``IrpApp``."""

    _given_user: str | None
    unnamed: bool  # asked who you are, nobody was chosen
    _told_unnamed_at_a_save: bool

    @property
    def visit(self) -> Visit:  # IrpApp's
        raise NotImplementedError

    @property
    def user(self) -> str:  # IrpApp's
        raise NotImplementedError

    def offer_drafts(self) -> None:  # IrpApp's
        raise NotImplementedError

    def action_who_am_i(self) -> None:
        self.ask_who(then_drafts=False)

    def ask_who(self, then_drafts: bool = True) -> None:
        from irp_field.tui.dialogs.who_am_i import WhoAmIScreen

        members = [member.name for member in visits.team(self.visit)]
        proposed = visits.proposed_member(self.visit, visits.default_user())
        named = bool(self._given_user or visits.who_am_i(self.visit))

        def chosen(name: str | None) -> None:
            if name:
                # in a copy handed out to a member, for that file alone: the visit's
                # other files here (the team leader's own) keep who they know
                copy = bool(visits.handed_to(self.visit))
                visits.set_me(self.visit, name, for_the_visit=not copy)
                self.unnamed = False
                self.notify(f"Everything you record now carries the name {name}.")
                self._show_who()
            elif not named:
                self._not_chosen(on_the_team=not members or self.user in members)
            if then_drafts:
                self.offer_kept(then=self.offer_drafts)

        self.push_screen(WhoAmIScreen(members, proposed, "" if named else self.user), chosen)

    def _not_chosen(self, on_the_team: bool = True) -> None:
        """Who-am-I left with nobody chosen ("not now"): what is recorded carries the
        login name, which nobody chose. Said at once, on the overview's title while it
        lasts, and again at the first save (``recorded``): evidence attributed to a
        name nobody picked, unseen, is wrong evidence (a walker's finding: "root"). A
        login not on the visit's team records no evidence (``domain.recorders``): said
        at once too, so that a leader reading the file knows before typing any."""
        self.unnamed = True
        said = f"Nobody chosen (ctrl+u: who am I): your records carry your login name, {self.user}."
        if not on_the_team:  # within the header's line at 80 columns (F1 lists it too)
            login = f"login {self.user} is not on the team"
            said = f"Nobody chosen (ctrl+u): {login}; F3-F7 will not save"
        self.notify(said, severity="warning", timeout=15)
        self._show_who()

    def _show_who(self) -> None:
        """The overview's title says who records (it is under the dialog)."""
        for screen in self.screen_stack:
            refresh = getattr(screen, "action_refresh_overview", None)  # the overview's
            if refresh is not None:
                refresh()

    def not_on_the_team(self, verdicts: Iterable[Verdict], name: str | None = None) -> str | None:
        """What a screen says of a save refused because who records it (``name``: by
        default, who uses the file) is not on the team (``domain.recorders``: a check's
        inspector, a note's author, whoever records a period, an answer or a paragraph),
        naming the field, or None. While nobody is chosen, that name is the login's, and
        ctrl+u is the way to a member's."""
        from irp_field.domain.recorders import refused_recorder

        found = refused_recorder(verdicts)
        if found is None:
            return None
        who = self.user if name is None else name
        login = ", your login:" if self.unnamed and who == self.user else " is"
        # the name and the team first: a message is cut at the header line's end (80
        # columns: the way to who-am-I may go with a long name; F1 lists it whole). F2
        # first: in a field, ctrl+u clears it (an editing key), it asks who you are on F2
        return f"Not saved: {found.label} {who}{login} not on the team (F2 ctrl+u: who am I)"

    def recorded(self) -> None:
        """A save went into the file: the first while nobody is chosen says whose name
        it carries, and how to change it (the warning at who-am-I's Escape may have
        gone by unread)."""
        if self.unnamed and not self._told_unnamed_at_a_save:
            self._told_unnamed_at_a_save = True
            self.notify(
                f"Saved as {self.user}, your login name (nobody chosen: ctrl+u says who you are).",
                severity="warning",
                timeout=15,
            )

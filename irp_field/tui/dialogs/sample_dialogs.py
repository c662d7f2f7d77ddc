"""The sampling screen's two small dialogs: draw a new sample, and a comment on one cell."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, cast

from textual import events
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label

from irp_field.api import sampling as sampling_api
from irp_field.api.unsaved import FileBusy
from irp_field.domain import fields
from irp_field.domain.errors import IrpError
from irp_field.tui.widgets.field_row import FieldRow, cursor_to_refused

if TYPE_CHECKING:
    from irp_field.tui.app import IrpApp

DRAW_FIELDS = ("frame", "plan_ref", "population", "size", "seed", "criteria")
LARGEST_POPULATION = 1_000_000


@dataclass(frozen=True)
class Drawn:
    frame_id: str
    seed: int
    list_sha256: str
    records: int


@dataclass(frozen=True)
class DrawWaiting:
    """A draw the visit file could not take yet (another program holds it): the values
    typed, for the sampling screen to keep and save once the file is free."""

    args: dict[str, object]


class DrawSampleScreen(ModalScreen[Drawn | DrawWaiting | None]):
    """Name the frame, its population size, the sample size, a seed and the criteria."""

    DEFAULT_CSS = """
    DrawSampleScreen {
        align: center middle;
        #draw { width: 78; max-width: 100%; height: auto; border: thick $primary; padding: 0 1; }
        #draw FieldRow { margin: 0; }
        #draw > Label { width: 100%; }
    }
    """

    def __init__(self, plan_refs: list[str] | None = None, criteria: list[str] | None = None):
        super().__init__()
        self.plan_refs = plan_refs or []
        self.earlier = criteria or []  # earlier samples' criteria, newest first

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "draw", "Draw the sample", priority=True),
        Binding("enter", "next_field", "Next field", show=False, priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="draw"):
            yield Label("Draw a sample (the seed and the list's SHA-256 are kept with it)")
            yield FieldRow("Frame name", "frame", placeholder="e.g. ACCT documents", wide=True)
            yield FieldRow("For plan item", "plan_ref", placeholder="e.g. 1.34a (optional)")
            yield FieldRow("Population size", "population", placeholder="1 to N")
            yield FieldRow("Sample size", "size")
            yield FieldRow("Seed", "seed")
            yield FieldRow("Criteria", "criteria", placeholder="separated by ;", wide=True)
            if self.earlier:
                yield Label("The last sample's criteria are filled in; up/down: another's")
            yield Label("Enter: next field, and draws on the last   Escape: cancel")

    def on_mount(self) -> None:
        # A fresh random seed each time: stored with the frame, so the draw can be repeated.
        self.query_one("#seed", Input).value = str(secrets.randbelow(900_000) + 100_000)
        self.query_one("#plan_ref", Input).suggester = SuggestFromList(
            self.plan_refs, case_sensitive=False
        )
        self._earlier_at = 0
        if self.earlier:  # a starting point: the criteria are often the last sample's
            self.query_one("#criteria", Input).value = self.earlier[0]
        self.query_one("#frame", Input).focus()

    def on_key(self, event: events.Key) -> None:
        """Up and down in the criteria: the criteria of the earlier samples in turn."""
        field = self.query_one("#criteria", Input)
        if not (field.has_focus and self.earlier and event.key in ("up", "down")):
            return
        step = 1 if event.key == "down" else -1
        self._earlier_at = (self._earlier_at + step) % len(self.earlier)
        field.value = self.earlier[self._earlier_at]
        event.stop()

    def _checked(self) -> tuple[dict[str, object] | None, dict[str, str]]:
        text = {name: self.query_one(f"#{name}", Input).value.strip() for name in DRAW_FIELDS}
        reasons: dict[str, str] = {}
        values: dict[str, object] = {}
        if not text["frame"]:
            reasons["frame"] = "name the frame"
        values["frame"] = text["frame"]
        for name, what in (("population", "population size"), ("size", "sample size")):
            try:
                values[name] = fields.whole_number(text[name], what)
            except ValueError as error:
                reasons[name] = str(error) if text[name] else f"type the {what}"
        if (
            "population" in values
            and not 1 <= int(cast(int, values["population"])) <= LARGEST_POPULATION
        ):
            reasons["population"] = f"between 1 and {LARGEST_POPULATION:,}"
        if (
            "size" in values
            and "population" in values
            and not reasons
            and not 1 <= int(cast(int, values["size"])) <= int(cast(int, values["population"]))
        ):
            reasons["size"] = f"between 1 and the population of {values['population']}"
        try:
            values["seed"] = fields.whole_number(text["seed"], "seed")
        except ValueError as error:
            reasons["seed"] = str(error)
        values["criteria"] = fields.split_list(text["criteria"])
        values["plan_ref"] = text["plan_ref"]
        known = {ref.casefold() for ref in self.plan_refs}
        if text["plan_ref"] and text["plan_ref"].casefold() not in known:
            reasons["plan_ref"] = f"no plan item {text['plan_ref']!r}"
        if not values["criteria"]:
            reasons["criteria"] = "at least one criterion"
        return (None if reasons else values), reasons

    def _show(self, reasons: dict[str, str]) -> None:
        for name in DRAW_FIELDS:
            self.query_one(f"#row-{name}", FieldRow).set_reason(reasons.get(name, ""))

    def action_next_field(self) -> None:
        focused = self.focused
        if not isinstance(focused, Input) or focused.id not in DRAW_FIELDS:
            raise SkipAction()
        if focused._suggestion and focused._suggestion != focused.value:
            focused.value = focused._suggestion  # Enter takes the plan ref suggested
        if focused.id == DRAW_FIELDS[-1]:
            self.action_draw()
            return
        following = DRAW_FIELDS[DRAW_FIELDS.index(focused.id) + 1]
        self.set_focus(self.query_one(f"#{following}", Input))

    def action_draw(self) -> None:
        from irp_field.tui.typed import when_typed

        when_typed(self, self._draw)

    def _draw(self) -> None:
        values, reasons = self._checked()
        self._show(reasons)
        if values is None:
            first = next(name for name in DRAW_FIELDS if name in reasons)
            cursor_to_refused(self, self.query_one(f"#{first}", Input))
            return
        population = int(cast(int, values["population"]))
        seed = int(cast(int, values["seed"]))
        visit = cast("IrpApp", self.app).visit
        args: dict[str, object] = {
            "frame": str(values["frame"]),
            "size": int(cast(int, values["size"])),
            "seed": seed,
            "population": population,
            "criteria": list(cast(list[str], values["criteria"])),
            "plan_ref": str(values["plan_ref"]),
        }
        try:
            frame, drawn, digest = sampling_api.draw_sample(
                visit,
                str(values["frame"]),
                size=int(cast(int, values["size"])),
                seed=seed,
                population=population,
                criteria=cast(list[str], values["criteria"]),
                plan_ref=str(values["plan_ref"]),
            )
        except FileBusy:
            self.dismiss(DrawWaiting(args))  # kept by the screen: nothing typed is lost
            return
        except IrpError as error:
            self._show({"frame": str(error)})
            self.set_focus(self.query_one("#frame", Input))
            return
        self.dismiss(Drawn(frame, seed, digest, len(drawn)))

    def action_cancel(self) -> None:
        self.dismiss(None)


class CommentScreen(ModalScreen[str | None]):
    """One line of comment on one cell; Enter keeps it, Escape leaves the cell as it was."""

    DEFAULT_CSS = """
    CommentScreen {
        align: center middle;
        #comment-box { width: 70; height: auto; border: thick $primary; padding: 0 1; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, where: str, comment: str) -> None:
        super().__init__()
        self.where = where
        self.comment = comment

    def compose(self) -> ComposeResult:
        with Vertical(id="comment-box"):
            yield Label(f"Comment on {self.where}")
            yield Input(self.comment, id="comment", placeholder="what the record shows")
            yield Label("Enter: keep   Escape: cancel")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)

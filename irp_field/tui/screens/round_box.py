"""The round's box on the roll-check form: its choices (every one a round: no blank one,
a check is always in a round) and its width, as wide as its longest choice where the
row has room ("Wed 16 Mar eve · 03-16 19:30" whole at 120 columns), cut with "…" at 80
rather than taking the progress's words beside it."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Select

from irp_field.api.views.roll_check import RoundState

LOADING = ""  # the box's one value until the rounds are read: choosing it does nothing
ARROW = 3  # beside the choice in the box: a space and the arrow, padded
LEAST = 31  # "Wed 16 Mar eve · 03-16 19:30" whole (at 80 columns too)
BESIDE = 2 + 9 + 1  # the row's margins, the "Round" label and the progress's padding


def round_box() -> Select[str]:
    return Select[str](
        [(Text("Loading the rounds..."), LOADING)], id="round", compact=True, allow_blank=False
    )


def round_choices(state: RoundState) -> list[tuple[Text, str]]:
    """The rounds (and the new one), each a line: a long name is cut, never wrapped."""
    return [
        (Text(label, no_wrap=True, overflow="ellipsis"), value) for label, value in state.options()
    ]


def fit_round_box(box: Select[str], state: RoundState, width: int) -> None:
    """The box's width on a screen ``width`` columns wide."""
    longest = max((cell_len(label) for label, _ in state.options()), default=0)
    room = width - BESIDE - cell_len(state.progress())
    box.styles.width = max(LEAST, min(longest + ARROW, room))

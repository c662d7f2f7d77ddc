"""The key figures a report quotes, as they stand with the evidence so far."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

if TYPE_CHECKING:  # the figures come from the overview's read, in its worker
    from irp_field.api.views.overview import Figure


def _shown(figures: dict[str, Figure], key: str) -> str:
    figure = figures.get(key)
    return figure.display if figure is not None and figure.value is not None else "no data"


def _range(figures: dict[str, Figure], low: str, high: str) -> str:
    """The range across whole rounds, and the rounds left out of it: a round some
    location was not counted in (being typed, or one wing alone) set its top."""
    lowest = figures.get("roll.pct_locked_up_min")
    whole = lowest.n if lowest is not None else 0  # the whole rounds it rests on
    left_out = figures.get("roll.rounds_partial")
    out = int(left_out.value or 0) if left_out is not None else 0
    noun = "round" if whole == 1 else "rounds"
    said = f"{low} to {high} across {whole} {noun}" if whole else "no whole round yet"
    if whole and low == high:  # one share: no range ("40% to 40%" read as a slip)
        said = f"{low} in " + ("the 1 whole round" if whole == 1 else f"all {whole} whole rounds")
    if out:
        said += f", {out} partial not in the range" if whole else f": {out} partial"
    return said


def figure_lines(figures: dict[str, Figure]) -> Text:
    text = Text()
    rounds = figures.get("roll.rounds")
    low, high = _shown(figures, "roll.pct_locked_up_min"), _shown(figures, "roll.pct_locked_up_max")
    text.append("Locked up ", style="bold")
    text.append(_shown(figures, "roll.pct_locked_up"))
    if rounds is not None and rounds.value:
        text.append(f" ({_range(figures, low, high)})")
    previous = figures.get("data.prev_pct_locked_up")
    if previous is not None:
        text.append(f"; {previous.display} last time")
    text.append("\nOff-wing activity ", style="bold")
    text.append(_shown(figures, "roll.pct_off_wing_activity"))
    text.append("  Wing work ", style="bold")
    text.append(_shown(figures, "roll.pct_wing_work"))
    text.append("  Unlocked ", style="bold")
    text.append(_shown(figures, "roll.pct_unlocked_on_wing"))
    groups = sorted(
        key.split(".")[2]
        for key in figures
        if key.startswith("toc.by_group.") and key.endswith(".hours_per_day")
    )
    text.append("\nOut of cell a day (open air) ", style="bold")
    if not groups:
        text.append("no data")
    for index, group in enumerate(groups):
        prefix = f"toc.by_group.{group}"
        name = figures[f"{prefix}.hours_per_day"].about or group.replace("_", " ")
        text.append(("; " if index else "") + f"{name} ")
        hours = _shown(figures, prefix + ".hours_per_day").replace(" hours", " h")
        outside = _shown(figures, prefix + ".open_air_minutes_per_day")
        text.append(f"{hours.replace(' hour', ' h')} ({outside.replace(' minutes', ' min')})")
    frames = [
        key.split(".")[1]
        for key in figures
        if key.startswith("sample.") and key.endswith(".records")
    ]
    for frame in frames:
        criteria = [
            key
            for key in figures
            if key.startswith(f"sample.{frame}.")
            and key.endswith(".pct")
            and figures[key].value is not None
        ]
        frame_name = figures[f"sample.{frame}.records"].about or frame.replace("_", " ")
        text.append(f"\n{frame_name} ", style="bold")
        text.append(f"({_shown(figures, f'sample.{frame}.records')}): ")
        if not criteria:
            text.append("no answers yet")
            continue
        # The weakest criterion is the one a finding will quote.
        worst = min(criteria, key=lambda key: float(figures[key].value or 0))
        stem = worst.removesuffix(".pct")
        text.append(
            f"lowest {figures[worst].about or stem.split('.')[2]} {figures[worst].display} "
            f"({_shown(figures, stem + '.ci_low')}-{_shown(figures, stem + '.ci_high')}, "
            f"n={figures[worst].n})"
        )
    return text


class KeyFigures(Static):
    """Roll-check shares with their range, hours out of cell by group, sampling results."""

    DEFAULT_CSS = """
    KeyFigures {
        height: auto;
        max-height: 12;
        padding: 0 1;
        border-bottom: solid $primary;
    }
    """

    def show(self, figures: dict[str, Figure]) -> None:
        self.update(figure_lines(figures))

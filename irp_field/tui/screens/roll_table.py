"""The round's table on the roll-check screen: one row a location counted, its counts
and a bar of the share locked up, the name giving way before the number beside it."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from irp_field.api.views.roll_check import RoundState
from irp_field.domain.vocabulary import ROLL_CATEGORIES
from irp_field.tui.widgets.share_bar import share_bar

COUNT_FIELDS = ("roll", *ROLL_CATEGORIES)


def location_room(table: DataTable[object], state: RoundState, screen_width: int) -> int:
    """How wide a location's name may be so that the counts and the locked-up bar
    with its number stay in view (a long name pushed the number off at 80x24), with room
    for a scroll bar: the line that says a check is being edited shortens the table, and
    the bar came after the names were cut."""
    width = table.scrollable_content_region.width or screen_width - 4
    if not table.show_vertical_scrollbar:
        width -= table.styles.scrollbar_size_vertical
    rows = [
        [
            c.taken_at[11:16],
            *(str(getattr(c.counts, n)) for n in COUNT_FIELDS),
            share_bar(c.share_locked_up),
        ]
        for c in state.checks
    ]
    heads = [str(column.label) for column in table.columns.values()][1:]
    beside = sum(
        max([len(head), *(len(row[at]) for row in rows)]) + 2 for at, head in enumerate(heads)
    )
    return max(8, width - beside - 2)


def fill_round_table(table: DataTable[object], state: RoundState, wanted: str | None) -> None:
    """The round's checks, the cursor on location ``wanted`` (else where it was)."""
    at = table.cursor_row
    table.clear()
    room = location_room(table, state, table.app.size.width)
    for check in state.checks:
        counts = check.counts
        name = Text(check.location)  # a name as typed: never read as markup
        name.truncate(room, overflow="ellipsis")
        table.add_row(
            name,
            check.taken_at[11:16],
            *(str(getattr(counts, name)) for name in COUNT_FIELDS),
            share_bar(check.share_locked_up),
            key=check.id,
        )
    rows = [c.location_id for c in state.checks]
    if wanted in rows:
        table.move_cursor(row=rows.index(wanted))
    elif table.row_count:
        table.move_cursor(row=min(at, table.row_count - 1))

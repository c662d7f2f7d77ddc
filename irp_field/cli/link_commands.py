"""Commands that link a round of roll checks, or a subject's day of time out of cell, to
the plan items it is evidence for (as ctrl+k does on F3 and F6, and the ``links``
import): ``links add``, ``links remove`` and ``links list``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from irp_field.cli.options import by_option, console, open_visit, shown_text, visit_argument
from irp_field.cli.output import echo, json_option, print_json

if TYPE_CHECKING:
    from irp_field.api.visits import Visit


@click.group("links")
def links_group() -> None:
    """Rounds and subjects' days linked to plan items (notes link as they are written)."""


_PLAN_REFS = click.argument("plan_refs", metavar="PLAN_REF...", nargs=-1, required=True)
_ROUND = click.option(
    "--round", "round_name", default=None, help="A round, by its name or id (rounds list)."
)
_SUBJECT = click.option("--subject", default=None, help="A subject's pseudonym (with --date).")
_DATE = click.option(
    "--date",
    "on_date",
    default=None,
    help="The subject's day (YYYY-MM-DD, or a day of the visit as 15 or Tue).",
)


def _relink(
    opened: Visit,
    round_name: str | None,
    subject: str | None,
    on_date: str | None,
    add: tuple[str, ...] = (),
    remove: tuple[str, ...] = (),
) -> tuple[str, list[str]]:
    """(what was linked, the refs it is linked to now)."""
    from irp_field.api.links import relink_day, relink_round
    from irp_field.api.rounds import find_round
    from irp_field.domain.errors import IrpError

    if (round_name is None) == (subject is None and on_date is None):
        raise IrpError("name a round (--round) or a subject's day (--subject and --date)")
    if round_name is not None:
        found = find_round(opened, round_name)
        if found is None:
            raise IrpError(f"no round named {round_name!r} (irp-field rounds list shows them)")
        return f"Round {found.name}", relink_round(opened, found.id, add, remove)
    if not subject or not on_date:
        raise IrpError("a subject's day needs both --subject and --date")
    from irp_field.api.visits import typed_day

    try:
        day = typed_day(opened, on_date)  # "Mon", "14": a day of the visit, as F6 takes it
    except ValueError as error:
        raise IrpError(f"--date: {error}") from None
    refs = relink_day(opened, subject, day, add, remove)
    return f"{subject.strip()}'s day {day}", refs


def _said(what: str, refs: list[str]) -> str:
    return f"{what} is linked to {', '.join(refs)}." if refs else f"{what} is linked to nothing."


@links_group.command("add")
@visit_argument
@_PLAN_REFS
@_ROUND
@_SUBJECT
@_DATE
@by_option
def links_add_command(
    visit: str,
    plan_refs: tuple[str, ...],
    round_name: str | None,
    subject: str | None,
    on_date: str | None,
    user: str | None,
) -> None:
    """Link a round or a subject's day to plan items.

    Name a round (--round) or a subject's day (--subject and --date); its other links
    stay. Refused, naming it, when the round has no checks, the day no periods or a plan
    ref is unknown."""
    with open_visit(visit, user=user) as opened:
        what, refs = _relink(opened, round_name, subject, on_date, add=plan_refs)
    echo(_said(what, refs))


@links_group.command("remove")
@visit_argument
@_PLAN_REFS
@_ROUND
@_SUBJECT
@_DATE
@by_option
def links_remove_command(
    visit: str,
    plan_refs: tuple[str, ...],
    round_name: str | None,
    subject: str | None,
    on_date: str | None,
    user: str | None,
) -> None:
    """Unlink a round or a subject's day from plan items.

    Its other links stay; an unlinked link is kept as a tombstone, as every delete is,
    so that a merge carries the unlinking to the other laptops."""
    with open_visit(visit, user=user) as opened:
        what, refs = _relink(opened, round_name, subject, on_date, remove=plan_refs)
    echo(_said(what, refs))


@links_group.command("list")
@visit_argument
@json_option
def links_list_command(visit: str, as_json: bool) -> None:
    """The rounds, then the subjects' days, linked to plan items (by plan item)."""
    from rich.table import Table
    from rich.text import Text

    from irp_field.api.links import bundle_rows

    with open_visit(visit, readonly=True) as opened:
        rows = bundle_rows(opened)
    if as_json:
        print_json(
            {
                "links": [
                    {"plan_ref": ref, "round": name, "date": day, "subject": who}
                    for ref, name, day, who in rows
                ]
            }
        )
        return
    if not rows:
        echo("No round or day is linked to a plan item yet.")
        return
    table = Table(title=Text(f"{len(rows)} link(s)"))
    for column in ("Plan item", "Round", "Date", "Subject"):
        table.add_column(column)
    for ref, name, day, who in rows:
        table.add_row(shown_text(ref), shown_text(name), day, shown_text(who))
    console().print(table)


COMMANDS = (links_group,)

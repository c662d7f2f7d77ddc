"""Commands that record evidence: sample draw, notes search, rounds (``import`` is in
:mod:`irp_field.cli.import_commands`, with the import kinds its help lists)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from irp_field.cli.options import (
    STANDARD_INPUT,
    by_option,
    console,
    open_visit,
    shown_text,
    visit_argument,
)
from irp_field.cli.output import echo, json_option, print_json

LIST_CAP = 16 * 2**20  # a list of records read from a pipe, which has no size to go by


@click.group("sample")
def sample_group() -> None:
    """Record sampling: reproducible random samples of case records."""


@sample_group.command("draw")
@visit_argument
@click.option(
    "--frame", required=True, help="Name of the sample frame, e.g. 'Use of force records'."
)
@click.option("--size", required=True, type=click.IntRange(min=1), help="How many records to draw.")
@click.option(
    "--seed", required=True, type=int, help="The random seed (stored, so anyone can re-derive it)."
)
@click.option("--population", type=click.IntRange(min=1), help="Draw from records numbered 1 to N.")
@click.option(
    "--from",
    "list_file",
    type=click.Path(path_type=Path, allow_dash=True),
    help="Draw from a CSV list of records (first column; a header row named 'record' is "
    "skipped); - reads it from standard input.",
)
@click.option("--criteria", default="", help="The criteria to check, ';'-separated.")
@click.option("--plan-ref", default="", help="The plan item the sample is evidence for.")
@by_option
@json_option
def draw_command(
    visit: str,
    frame: str,
    size: int,
    seed: int,
    population: int | None,
    list_file: Path | None,
    criteria: str,
    plan_ref: str,
    user: str | None,
    as_json: bool,
) -> None:
    """Draw a reproducible random sample and store its seed and list hash."""
    from irp_field.api.sampling import draw_sample
    from irp_field.domain import fields

    if (population is None) == (list_file is None):
        raise click.UsageError("give exactly one of --population N or --from LIST.csv")
    records = None if population else _read_list(list_file)
    with open_visit(visit, user=user) as opened:
        _, drawn, digest = draw_sample(
            opened,
            frame,
            size=size,
            seed=seed,
            population=population,
            records=records,
            criteria=fields.split_list(criteria),
            plan_ref=plan_ref,
        )
    listed = population if population else len(records or [])
    if as_json:
        print_json(
            {
                "frame": frame,
                "seed": seed,
                "size": len(drawn),
                "listed": listed,
                "list_sha256": digest,
                "records": drawn,
            }
        )
        return
    out = console()
    out.print(
        f"Drew {len(drawn)} of {listed} records for '{frame}' with seed {seed}.",
        markup=False,
    )
    out.print(f"List SHA-256: {digest}")
    out.print("Records: " + ", ".join(drawn), markup=False)


def _read_list(path: Path | None) -> list[str]:
    import csv

    from irp_field.domain.errors import InputError, IrpError, RowProblem

    assert path is not None
    name = "standard input" if path == STANDARD_INPUT else path.name
    try:
        if path == STANDARD_INPUT:
            held = sys.stdin.buffer.read(LIST_CAP + 1)
            if len(held) > LIST_CAP:
                raise IrpError(f"{name}: a list of records longer than {LIST_CAP // 2**20} MB")
        else:
            held = path.read_bytes()
        text = held.decode("utf-8-sig")
    except OSError as error:
        raise IrpError(f"{path}: cannot be read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise InputError(name, [RowProblem(1, "", "is not UTF-8 text")]) from None
    records = [row[0].strip() for row in csv.reader(text.splitlines()) if row and row[0].strip()]
    if records and records[0].casefold() == "record":
        records = records[1:]
    if not records:
        raise InputError(name, [RowProblem(1, "", "the list has no records")])
    return records


@click.group("notes")
def notes_group() -> None:
    """Interview and observation notes."""


@notes_group.command("search")
@visit_argument
@click.argument("query")
@json_option
def notes_search_command(visit: str, query: str, as_json: bool) -> None:
    """Full-text search of the notes (SQLite FTS5 syntax: words, "phrases", OR, prefix*)."""
    from irp_field.api.notes_search import search_notes

    with open_visit(visit, readonly=True) as opened:
        found = search_notes(opened, query)
    if as_json:
        notes = [
            {
                "id": note.id,
                "taken_at": note.taken_at,
                "source": note.source,
                "author": note.author,
                "plan_refs": list(note.plan_refs),
                "tags": list(note.tags),
                "text": note.text,
            }
            for note in found
        ]
        print_json({"query": query, "notes": notes})
        return
    if not found:
        echo("No notes match.")
        return
    from rich.table import Table  # only to draw a table: --json and no match never do
    from rich.text import Text

    table = Table(title=Text(f"{len(found)} note(s) matching {query!r}"))
    for column in ("When", "Source", "Author", "Plan", "Note"):
        table.add_column(column)
    for note in found:
        # Text, not str: "[sic]" or "[/]" in a note is printed as typed, never read as markup.
        cells = (note.taken_at, note.source, note.author, ", ".join(note.plan_refs), note.text)
        table.add_row(*(shown_text(cell) for cell in cells))
    console().print(table)


@click.group("rounds")
def rounds_group() -> None:
    """Rounds of roll checks: each location is counted once in a round."""


@rounds_group.command("list")
@visit_argument
@json_option
def rounds_list_command(visit: str, as_json: bool) -> None:
    """The visit's rounds: name, day, time and how many locations were counted."""
    from rich.table import Table
    from rich.text import Text

    from irp_field.api.roll_checks import locations
    from irp_field.api.rounds import rounds

    with open_visit(visit, readonly=True) as opened:
        found, places = rounds(opened), len(locations(opened))
    if as_json:
        shown = [
            {"id": r.id, "name": r.name, "day": r.on_date, "time": r.at_time, "counted": r.counted}
            for r in found
        ]
        print_json({"locations": places, "rounds": shown})
        return
    if not found:
        echo("No rounds yet: a round starts with its first roll check.")
        return
    table = Table(title=Text(f"{len(found)} round(s), {places} location(s)"))
    for column in ("Round", "Day", "Time", "Counted"):
        table.add_column(column)
    for each in found:
        table.add_row(
            shown_text(each.name), each.on_date, each.at_time, f"{each.counted} of {places}"
        )
    console().print(table)


@rounds_group.command("edit")
@visit_argument
@click.argument("round_name", metavar="ROUND")
@click.option("--name", "new_name", default=None, help="A new name for the round.")
@click.option(
    "--day", default=None, help="The round's day (YYYY-MM-DD, or a day of the visit as 15 or Tue)."
)
@click.option("--time", "at_time", default=None, help="The round's time (HH:MM).")
@click.option("--allow-outside-visit", is_flag=True, help="Accept a day outside the visit's dates.")
@by_option
def rounds_edit_command(
    visit: str,
    round_name: str,
    new_name: str | None,
    day: str | None,
    at_time: str | None,
    allow_outside_visit: bool,
    user: str | None,
) -> None:
    """Rename a round or change its day and time; its checks stay in it."""
    from irp_field.api.rounds import edit_round, find_round
    from irp_field.api.visits import typed_day
    from irp_field.domain.errors import IrpError

    with open_visit(visit, user=user) as opened:
        found = find_round(opened, round_name)
        if found is None:
            raise IrpError(f"no round named {round_name!r} (irp-field rounds list shows them)")
        if day is not None:
            try:
                day = typed_day(opened, day)  # "Wed", "16": a day of the visit, as F6 takes it
            except ValueError as error:
                raise IrpError(f"--day: {error}") from None
        name = new_name if new_name is not None else found.name
        on_date = day if day is not None else found.on_date
        when = at_time if at_time is not None else found.at_time
        edit_round(
            opened, found.id, name=name, on_date=on_date, at_time=when,
            allow_outside_visit=allow_outside_visit,
        )  # fmt: skip
        moved = (on_date, when) != (found.on_date, found.at_time)
    # what changed ("is now Mon eve." said nothing of a round moved to another day)
    said = [f"is now {name.strip()}"] if name.strip() != found.name else []
    said += [f"is on {on_date} at {when.strip()}"] if moved else []
    echo(f"Round {found.name} " + (" and ".join(said) or "is as it was") + ".")


@rounds_group.command("delete")
@visit_argument
@click.argument("round_name", metavar="ROUND")
@by_option
def rounds_delete_command(visit: str, round_name: str, user: str | None) -> None:
    """Delete a round started by mistake: refused while it holds a check."""
    from irp_field.api.rounds import delete_round, find_round
    from irp_field.domain.errors import IrpError

    with open_visit(visit, user=user) as opened:
        found = find_round(opened, round_name)
        if found is None:
            raise IrpError(f"no round named {round_name!r} (irp-field rounds list shows them)")
        delete_round(opened, found.id)
    echo(f"Round {found.name} ({found.on_date} {found.at_time}) deleted.")


COMMANDS = (sample_group, notes_group, rounds_group)

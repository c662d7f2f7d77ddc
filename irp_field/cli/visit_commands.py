"""Commands about whole visits: new, list, check, figures, export, demo, open."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from irp_field.cli.options import (
    VISIT,
    by_option,
    console,
    open_visit,
    shown_text,
    visit_argument,
    visit_path,
)
from irp_field.cli.output import echo, json_option, print_json
from irp_field.domain.names import shown

if TYPE_CHECKING:
    from irp_field.api.findings import Figure
    from irp_field.api.visits import Listed

KEY_FIGURES = (
    ("roll.pct_locked_up", "Locked up (roll checks)"),
    ("roll.pct_off_wing_activity", "In off-wing activity"),
    ("roll.pct_wing_work", "In wing work"),
    ("toc.hours_per_day", "Hours out of cell a day"),
    ("toc.open_air_minutes_per_day", "Minutes in the open air a day"),
    ("judgements.hmip.total", "HMIP recommendations judged"),
    ("judgements.ofsted.total", "Ofsted themes judged"),
)


@click.command("new")
@click.argument("visit", metavar="VISIT.db", type=VISIT)
@click.option(
    "--from", "bundle", type=click.Path(path_type=Path), help="Build it from a visit bundle folder."
)
@click.option("--establishment", help="The prison, e.g. 'HMP Hull'.")
@click.option("--start", help="First day of the visit (YYYY-MM-DD).")
@click.option("--end", help="Last day of the visit (YYYY-MM-DD).")
@click.option(
    "--type",
    "visit_type",
    default="IRP",
    show_default=True,
    type=click.Choice(["IRP", "full inspection"], case_sensitive=False),
)
@click.option(
    "--previous",
    "previous_inspection",
    default="",
    help="Date of the previous inspection (YYYY-MM-DD).",
)
@click.option(
    "--recipient",
    "recipients",
    metavar="KEY",
    multiple=True,
    help="Seal the visit's hand-backs for this public key (the team leader's, age1...; "
    "`irp-field keys show` prints it); repeat for an office's escrow key.",
)
@by_option
def new_command(
    visit: str,
    bundle: Path | None,
    establishment: str | None,
    start: str | None,
    end: str | None,
    visit_type: str,
    previous_inspection: str,
    recipients: tuple[str, ...],
    user: str | None,
) -> None:
    """Create a visit file, empty or from a bundle (--from FOLDER).

    A bare name such as hull.db goes into the data folder; give a path to put it elsewhere.
    """
    from irp_field.api import visits

    target = visits.new_visit_path(visit)
    warnings: list[str] = []  # told once the visit is made: a refusal stays one line
    if bundle is not None:
        if establishment or start or end:
            raise click.UsageError("give either --from BUNDLE or --establishment/--start/--end")
        visits.visit_from_bundle(
            bundle, target, user=user, warn=warnings.append, recipients=recipients
        )
    else:
        if not (establishment and start and end):
            raise click.UsageError(
                "a new visit needs --establishment, --start and --end (or --from)"
            )
        visits.create_visit(
            target,
            establishment=establishment,
            start=start,
            end=end,
            visit_type=visit_type,
            previous_inspection=previous_inspection,
            user=user,
            recipients=recipients,
        ).close()
    echo(f"Created {target}")
    for warning in warnings:
        echo(shown(f"Warning: {warning}"), err=True)


WIDE_LIST = 130  # columns that hold a visit's evidence on one line beside the rest


@click.command("list")
@json_option
def list_command(as_json: bool) -> None:
    """List the visits in the data folder with establishment, dates and counts."""
    from rich import box
    from rich.table import Table

    from irp_field import paths
    from irp_field.api.visits import list_visits

    folder = paths.visits_folder(create=False)
    listed = list_visits(folder)
    if as_json:
        print_json({"folder": str(folder), "visits": [_listed_json(entry) for entry in listed]})
        return
    if not listed:
        echo(f"No visits in {folder}. Create one with 'irp-field new' or try 'irp-field demo'.")
        return
    out = console()
    table = Table(title=f"Visits in {folder}", box=box.SIMPLE_HEAD)
    table.add_column("File", no_wrap=True)
    table.add_column("Establishment", no_wrap=True)
    table.add_column("Dates", no_wrap=True)
    table.add_column("Evidence", no_wrap=True)
    table.add_column("Changed", no_wrap=True)
    # The evidence on one line where the terminal holds it, else a kind a line: at 80
    # columns it wrapped a word a line ("66 roll checks, / 45 notes, 74 / periods, 42").
    between = ", " if out.width >= WIDE_LIST else "\n"
    for entry in listed:
        path, s = entry.path, entry.summary
        if s is None:
            problem = shown_text(f"cannot open: {entry.problem}", style="red")
            table.add_row(shown_text(path.name), problem, "", "", "")
            continue
        evidence = between.join(
            (
                f"{s.roll_checks} roll checks",
                f"{s.notes} notes",
                f"{s.time_periods} periods",
                f"{s.sampled_records} sampled",
                f"{s.findings} findings",
            )
        )
        table.add_row(
            shown_text(path.name),
            shown_text(s.establishment),
            f"{s.start_date}\n{s.end_date}",
            evidence,
            s.last_changed[:10],
        )
    out.print(table)


_SUMMARY_FIELDS = (
    "visit_id",
    "establishment",
    "visit_type",
    "start_date",
    "end_date",
    "previous_inspection",
    "roll_checks",
    "time_periods",
    "notes",
    "sampled_records",
    "plan_items",
    "findings",
    "last_changed",
)


def _listed_json(entry: Listed) -> dict[str, Any]:
    summary = entry.summary
    shown: dict[str, Any] = {
        "file": entry.path.name,
        "path": str(entry.path),
        "problem": entry.problem if summary is None else None,
    }
    for name in _SUMMARY_FIELDS:
        shown[name] = getattr(summary, name) if summary is not None else None
    return shown


@click.command("check")
@visit_argument
@json_option
def check_command(visit: str, as_json: bool) -> None:
    """Check a visit file: integrity, schema, and every record read back through the rules.

    Exits 1 when the file is damaged or holds records the rules refuse (a hand-edited
    file, or one written under older rules); warnings alone exit 0.
    """
    from irp_field.api.check import check_visit  # not api.visits: its identity and samples

    # check_visit runs integrity_check (which covers the opening's quick_check) beside
    # its reading, and refuses damaged pages as the opening would.
    with open_visit(visit, readonly=True, check_pages=False) as opened:
        report = check_visit(opened)
    if as_json:
        print_json(
            {
                "path": str(opened.path),
                "ok": report.ok,
                "integrity": report.integrity,
                "schema_version": report.schema_version,
                "app_version": report.app_version,
                "problems": report.problems,
                "warnings": report.warnings,
                "purges": report.purges,
            }
        )
        if not report.ok:
            raise SystemExit(1)
        return
    # Plain lines, each whole (a problem line is never wrapped, so grep finds it) and
    # as stored (no markup, no ":name:" read as an emoji): click alone, not rich's
    # console (a sixth of the command's start on a small visit).
    lines = [
        str(opened.path),
        f"  integrity: {report.integrity}",
        f"  schema version: {report.schema_version} (written by irp-field {report.app_version})",
    ]
    if report.purges:
        lines.append(f"  {len(report.purges)} purge(s) (content removed for good):")
        lines.extend(f"  - {line}" for line in report.purges)
    for title, found in (("problem", report.problems), ("warning", report.warnings)):
        if found:
            lines.append(f"  {len(found)} {title} line(s):")
            lines.extend(f"  - {line}" for line in found)
    if not report.problems and not report.warnings:
        lines.append("  no warnings")
    elif report.problems:
        lines.append(
            "  problems are records that irp-field's rules refuse: fix them or ask for help"
        )
    echo(shown("\n".join(lines)))
    if not report.ok:
        raise SystemExit(1)


@click.command("figures")
@visit_argument
@json_option
def figures_command(visit: str, as_json: bool) -> None:
    """Print every figure the evidence gives, as a table or JSON (key -> value, display, n,
    unit, definition). A figure's name is never cut: where the table cannot hold the
    longest name whole, each figure is printed as its name on a line of its own."""
    from irp_field.api.findings import compute_figures

    # The whole-file check runs beside the computation instead of before it.
    with open_visit(visit, readonly=True, check_pages=False) as opened, opened.pages_checked():
        computed = compute_figures(opened)
    if as_json:
        print_json({key: f.as_json() for key, f in computed.items()})
        return
    _print_figures(f"Figures: {opened.path.name}", computed)


_DEFINITION_AT_LEAST = 24  # columns the table's definitions need to read as text
_TABLE_FRAME = 13  # a four-column table's borders and padding


def _print_figures(title: str, computed: dict[str, Figure]) -> None:
    """A table when the longest name fits whole beside the other columns (on a terminal
    as wide as it is, or in 80 columns piped); otherwise the names on lines of their own,
    never wrapped by us (a terminal may fold a long line, and copies it whole)."""
    from rich.table import Table
    from rich.text import Text

    out = console()
    rows = [(key, f.display, str(f.n), f.definition) for key, f in computed.items()]
    headers = ("Figure", "Display", "n")
    widest = [max((len(row[i]) for row in rows), default=len(headers[i])) for i in range(3)]
    widest = [max(width, len(header)) for width, header in zip(widest, headers, strict=True)]
    if sum(widest) + _DEFINITION_AT_LEAST + _TABLE_FRAME <= out.width:
        table = Table(title=Text(title))
        table.add_column("Figure", no_wrap=True, min_width=widest[0])
        table.add_column("Display", justify="right", no_wrap=True)
        table.add_column("n", justify="right", no_wrap=True)
        table.add_column("Definition")
        for row in rows:
            # Text, not str: a location or group named "[b] wing" is printed, not markup.
            table.add_row(*(shown_text(cell) for cell in row))
        out.print(table)
        return
    out.print(Text(title, style="bold"))
    for key, display, n, definition in rows:
        out.print(shown_text(f"{key}  {display}  (n {n})"), soft_wrap=True)
        out.print(shown_text(f"    {definition}"))


@click.command("demo")
@click.option("--no-ui", is_flag=True, help="Set up the demo visit and print its key figures only.")
@click.option(
    "--fresh",
    is_flag=True,
    help="Start again from the shipped sample (the old copy goes to backups).",
)
def demo_command(no_ui: bool, fresh: bool) -> None:
    """Open the HMP Hull 2022 sample visit (copied into the data folder first)."""
    from irp_field.api.visits import demo_visit

    target = demo_visit(fresh=fresh)
    if no_ui:
        from rich.markup import escape

        from irp_field.api.findings import compute_figures

        with open_visit(str(target), readonly=True) as opened:
            computed = compute_figures(opened)
        out = console()
        out.print(f"Demo visit: {target}", markup=False, soft_wrap=True)
        # soft_wrap: a figure's name is never broken across lines (users copy them)
        for key, label in KEY_FIGURES:
            figure = computed.get(key)
            shown = figure.display if figure else "no data"
            out.print(f"  {label}: {shown}  [dim]({key})[/]", soft_wrap=True)
            if key == "toc.hours_per_day":  # the report quotes them by group
                for group in (f for f in computed.values() if f.key.startswith("toc.by_group.")):
                    if group.key.endswith(".hours_per_day"):
                        about = escape(group.about)
                        line = f"    {about}: {group.display}  [dim]({group.key})[/]"
                        out.print(line, soft_wrap=True)
        return
    _run_app(target)


@click.command("open")
@click.argument("visit", metavar="[VISIT]", required=False, type=VISIT)
@by_option
def open_command(visit: str | None, user: str | None) -> None:
    """Open a visit in the terminal UI (without VISIT: Home, the visits in the data folder)."""
    from irp_field.api.visits import inspect_file
    from irp_field.domain.errors import NotAVisitError

    if visit is None:
        _run_app(None, user=user)
        return
    path = visit_path(visit)
    inspect_file(path)
    open_visit(visit, user=user, readonly=True).close()  # refuse bad files before the UI starts
    if not path.exists():
        raise NotAVisitError(f"{path}: no such file")
    _run_app(path, user=user)


def _run_app(path: Path | None, user: str | None = None) -> None:
    """Run the UI; a crash (Textual prints its traceback and ends the app) exits 1 with a
    line saying so, never 0 as if all went well."""
    from irp_field.tui.app import make_app

    app = make_app(path, user=user)
    app.run()
    if app.return_code:
        echo("Error: the terminal UI stopped on an unexpected error (above).", err=True)
        click.get_current_context().exit(app.return_code)


@click.command("handout")
@visit_argument
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="The folder to write them in (a USB stick); it must exist.",
)
def handout_command(visit: str, out: Path) -> None:
    """Write a copy of VISIT for each team member, named for them (hull-jade-richards.db).

    For a visit set up on site: each inspector copies theirs into the data folder of
    their laptop (`irp-field list` shows where) and opens it. Each copy is a laptop of
    its own (a fresh laptop id) that knows its inspector: who-am-I is answered there.
    All the copies are written, or none; a copy already in the folder is a visit file,
    never written over (move it away first). The team leader goes on working in VISIT
    itself, not in a copy, and merges the copies back into it each evening.
    """
    from irp_field.api.visits import hand_out, where_the_leader_goes_on

    path = visit_path(visit)
    for each in hand_out(path, out):
        echo(f"Wrote {each.path} for {each.member}")
    echo(where_the_leader_goes_on(path, command=True))


COMMANDS = (
    new_command,
    list_command,
    check_command,
    figures_command,
    demo_command,
    open_command,
    handout_command,
)

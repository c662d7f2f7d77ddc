"""Commands for the team leader: merge the team's files, and settle conflicts."""

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
from irp_field.cli.output import echo, json_option, print_json, progress
from irp_field.cli.sealing_commands import passphrase_file_option, passphrase_to_open

if TYPE_CHECKING:
    from irp_field.api.merging import Conflict, MergeReport


@click.command("merge")
@click.argument("target", metavar="TARGET", type=VISIT)
@click.argument("sources", metavar="SOURCE...", nargs=-1, required=True, type=VISIT)
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option(
    "--accept-clock-skew",
    is_flag=True,
    help="Take rows stamped more than a day ahead of this laptop's clock (refused otherwise).",
)
@passphrase_file_option
@by_option
@json_option
def merge_command(
    target: str,
    sources: tuple[str, ...],
    dry_run: bool,
    accept_clock_skew: bool,
    passphrase_file: Path | None,
    user: str | None,
    as_json: bool,
) -> None:
    """Merge the team's visit files (SOURCE...) into TARGET; the sources are only read.

    Any number of files merge in one transaction: all of them, or (when one is refused)
    none. A TARGET that does not exist yet is made from the sources' visit. A file whose
    bytes are those TARGET last merged from its laptop is skipped. Two rows claiming one
    version with other values, or an edit whose history TARGET cannot take on its word,
    are kept as conflicts and named with the file. Merging the master back into an
    inspector's file is the same command. A snapshot of TARGET goes into the backups
    folder first (the last ten are kept). A sealed source (`irp-field handback`) is
    opened with this installation's key, into a private folder of the data folder
    removed after the merge.
    """
    from irp_field.api.merging import merge_visits

    target_path = visit_path(target)
    source_paths = [visit_path(s) for s in sources]
    passphrase = passphrase_to_open(passphrase_file, source_paths)
    # a bar for several files, on a terminal's standard error only
    with progress("Merging", len(source_paths), hidden=as_json or len(source_paths) < 2) as bar:
        report = merge_visits(
            target_path,
            source_paths,
            dry_run=dry_run,
            user=user,
            on_source_done=lambda _path: bar.advance(),
            accept_clock_skew=accept_clock_skew,
            passphrase=passphrase,
        )
    if as_json:
        print_json(_report_json(report))
        return
    _print_report(report)


def _report_json(report: MergeReport) -> dict[str, Any]:
    from irp_field.api.merging import KIND_LABELS

    kinds = []
    for kind, label in KIND_LABELS.items():
        counts = report.counts.get(kind)
        if counts is not None and counts.total:
            numbers = ("new", "updated", "deleted", "conflicts")
            kinds.append({"kind": kind, "label": label} | {n: getattr(counts, n) for n in numbers})
    return {
        "target": str(report.target),
        "dry_run": report.dry_run,
        "created": report.created,
        "unchanged": [str(path) for path in report.unchanged],
        "kinds": kinds,
        "conflicts": report.conflicts,
        "warnings": [*report.far_future, *report.questioned],
        "cleaned": report.cleaned,
        "purged": report.purged,
        "snapshots": report.snapshots,
        "backup": str(report.backup) if report.backup is not None else None,
    }


def _print_report(report: MergeReport) -> None:
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    from irp_field.api.merging import merge_lines

    out = console()
    if report.created:
        made = "Would create" if report.dry_run else "Created"
        out.print(
            f"{made} {report.target} from the sources' visit (it did not exist).", markup=False
        )
    title = "Dry run: nothing written" if report.dry_run else f"Merged into {report.target.name}"
    table = Table(title=title)
    lines = merge_lines(report)
    # the file names whole, folded where the column is narrow: the column a team leader
    # reads the rest by was cut at 80 columns ("hull-jade-richar…", "hull-paul-rowlan…")
    table.add_column("File", overflow="fold")
    for heading in ("New", "Updated", "Deleted", "Conflicts"):
        table.add_column(heading, justify="right")
    table.add_column("Records")
    for each in lines:
        numbers = (each.new, each.updated, each.deleted, each.conflicts)
        cells = [shown_text(each.name), *(Text(str(n)) for n in numbers), shown_text(each.records)]
        table.add_row(*cells, style="bold" if each.whole else None)
    out.print(table)
    for warning in (*report.far_future, *report.rounds_met, *report.questioned):
        out.print(f"[yellow]Warning:[/] {escape(warning)}")
    for line in report.cleaned:
        out.print(f"Photograph {line}", markup=False)
    for line in report.purged:  # a command to delete content, from another laptop: said
        out.print(f"Purge: {line}", markup=False)
    conflicts = sum(c.conflicts for c in report.counts.values())
    # A path is printed whole on its line (the terminal may fold it, rich does not break
    # it): at 80 columns rich broke the snapshot's path inside its time, and a path copied
    # from the screen named no file.
    if conflicts:
        out.print(
            f"{conflicts} new conflict(s): see `irp-field conflicts {report.target}`",
            markup=False,
            soft_wrap=True,
        )
    if report.backup is not None:
        out.print(f"Snapshot before merging: {report.backup}", markup=False, soft_wrap=True)
    for line in report.snapshots:
        out.print(f"Snapshot purged as the visit is: {line}", markup=False, soft_wrap=True)


@click.command("conflicts")
@visit_argument
@click.option(
    "--resolve", "conflict_id", metavar="ID", help="Settle this conflict (its id, or the start)."
)
@click.option(
    "--keep",
    metavar="WHICH",
    help="With --resolve: 'kept' (the version kept now) or 'other' (or a version stamp).",
)
@click.option("--verbose", is_flag=True, help="Show the version stamps and row ids too.")
@by_option
@json_option
def conflicts_command(
    visit: str,
    conflict_id: str | None,
    keep: str | None,
    verbose: bool,
    user: str | None,
    as_json: bool,
) -> None:
    """List concurrent edits side by side, or settle one with --resolve ID --keep kept|other.

    Each conflict names the record as the team would ("judgement of 1.21", "note by
    Priya Shah, 14 March 14:00: ...") and each version by who made it and when.
    """
    from irp_field.api import merging
    from irp_field.domain.errors import IrpError

    if keep and not conflict_id:
        raise IrpError("--keep needs --resolve ID")
    if conflict_id and as_json:
        raise click.UsageError("--json lists the open conflicts; it does not go with --resolve")
    if conflict_id:
        if not keep:
            raise IrpError("--resolve needs --keep kept or --keep other")
        with open_visit(visit, user=user) as opened:
            settled = merging.resolve_conflict(opened, conflict_id, keep)
        which = settled.other_by if keep.casefold() == "other" else settled.current_by
        echo(f"Settled the conflict over the {settled.what}: kept the version by {which}.")
        return
    with open_visit(visit, readonly=True) as opened:
        found = merging.open_conflicts(opened)
    if as_json:
        print_json({"conflicts": [_conflict_json(conflict) for conflict in found]})
        return
    if not found:
        echo("No open conflicts.")
        return
    _print_conflicts(found, verbose)


def _conflict_json(conflict: Conflict) -> dict[str, Any]:
    return {
        "id": conflict.id,
        "table": conflict.table,
        "row_id": conflict.row_id,
        "what": conflict.what,
        "reason": conflict.reason,
        "kept": {"by": conflict.current_by, "version": str(conflict.current.get("version", ""))},
        "other": {"by": conflict.other_by, "version": conflict.other_version},
        "differences": [
            {"field": column, "kept": mine, "other": theirs}
            for column, mine, theirs in conflict.differences()
        ],
    }


def _print_conflicts(found: list[Conflict], verbose: bool) -> None:
    from rich.table import Table
    from rich.text import Text

    out = console()
    for conflict in found:
        title = f"Conflict {conflict.id[:8]}: the {conflict.what}"
        if verbose:
            title += f" ({conflict.table} {conflict.row_id})"
        # why the merge kept the other version apart (a clash, a questioned history)
        caption = shown_text(f"Why: {conflict.reason}") if conflict.reason else None
        table = Table(title=Text(title), caption=caption)
        table.add_column("Field")
        for label, by, version in (
            (
                "Kept now (--keep kept)",
                conflict.current_by,
                str(conflict.current.get("version", "")),
            ),
            ("Other (--keep other)", conflict.other_by, conflict.other_version),
        ):
            heading = f"{label}\n{by or 'unknown'}"
            table.add_column(shown_text(heading + (f"\nversion {version}" if verbose else "")))
        for column, mine, theirs in conflict.differences():
            table.add_row(column.replace("_", " "), shown_text(mine), shown_text(theirs))
        out.print(table)
    out.print(
        f"{len(found)} open conflict(s). Settle one with --resolve ID --keep kept (or other).",
        markup=False,
    )


COMMANDS = (merge_command, conflicts_command)

"""``irp-field purge``: a record's content removed for good."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from irp_field.cli.options import by_option, console, open_visit, visit_argument
from irp_field.cli.output import echo, json_option, print_json
from irp_field.domain.errors import IrpError
from irp_field.domain.names import shown
from irp_field.domain.purges import KINDS

if TYPE_CHECKING:
    from collections.abc import Callable

    from irp_field.api.purges import Purgeable, Purged
    from irp_field.api.visits import Visit

KIND_WORDS = [kind.word for kind in KINDS]


@click.command("purge")
@visit_argument
@click.argument("kind", type=click.Choice(KIND_WORDS), metavar="KIND")
@click.argument("record", required=False)
@click.option(
    "--reason",
    metavar="TEXT",
    help="Why it must go (kept for ever with the fact of the purge: never what it held).",
)
@by_option
@json_option
def purge_command(
    visit: str,
    kind: str,
    record: str | None,
    reason: str | None,
    user: str | None,
    as_json: bool,
) -> None:
    """Remove a record's content for good: a photograph attached by mistake, a name
    typed into the wrong note. Deleting keeps a record (a tombstone, its history, every
    copy); purging empties it from the visit file, its WAL, its history, its drafts,
    the notes' search index, conflict copies, typing kept for it and the snapshots in
    the backups folder. What stays is the fact: which record, who, when and why
    (`irp-field check` lists every purge). It cannot be undone.

    KIND is one of: note, attachment (and its file's bytes), paragraph (a finding),
    summary (a summary or notable positive practice paragraph), roll-check, period,
    answer (a sample answer and its comment), data-return, glossary, judgement.
    Without RECORD, lists the records of KIND that can be purged, deleted ones too;
    RECORD is an id or its first characters as the list shows them (a paragraph also
    by its number, a judgement by its plan ref, a glossary term by its term, a data
    return by its key). A purge travels by merge: every copy of the visit that merges a
    file carrying it is purged too; copies that have not merged it keep the content.
    """
    from irp_field.api import purges

    if record is None:
        empty = f"No {kind} records hold anything to purge."
        _list(visit, kind, purges.purgeable, as_json, empty, {"purged": [], "snapshots": []})
        return
    if reason is None or not reason.strip():
        raise IrpError("say why with --reason (kept with the purge for ever; never what it held)")
    with open_visit(visit, user=user) as opened:
        done = purges.purge(opened, kind, record, reason)
        name = opened.path.name
    if as_json:
        print_json(
            {
                "kind": kind,
                "records": [],
                "purged": [done.record.what, *(target.what for target in done.also)],
                "snapshots": [f"backups/{s.describe()}" for s in done.done.snapshots],
            }
        )
        return
    _say(done, name)


def _list(
    visit: str,
    kind: str,
    read: Callable[[Visit, str], list[Purgeable]],
    as_json: bool,
    empty: str,
    done: dict[str, list[str]],
) -> None:
    """The records of ``kind`` a purge (or a restore) takes, read by ``read``: a line
    each, or JSON with the command's ``done`` lists empty."""
    with open_visit(visit, readonly=True) as opened:
        found = read(opened, kind)
    if as_json:
        print_json({"kind": kind, "records": [_listed_json(item) for item in found], **done})
        return
    if not found:
        echo(empty)
    for item in found:
        echo(shown(item.shown()))  # a file's text: escapes written out, never obeyed


def _listed_json(item: Purgeable) -> dict[str, object]:
    return {
        "id": item.id,
        "short": item.short or item.id,
        "what": item.what,
        "holds": item.holds,
        "deleted": item.removed,
    }


def _say(done: Purged, name: str) -> None:
    out = console()
    result = done.done
    if not result.made:
        out.print(f"{done.record.what}: purged before; purged again everywhere here.", markup=False)
    else:
        more = "its file and attachments"
        if done.record.kind.table == "toc_period":
            more = "the links of its day to plan items"
        also = f" (and {len(done.also)} more: {more})" if done.also else ""
        out.print(f"Purged {done.record.what}{also}. This cannot be undone.", markup=False)
    enforced = result.enforced
    out.print(
        f"  {name}: {enforced.rows} record(s) emptied, {enforced.history} history entries, "
        f"{enforced.conflicts} conflict record(s), {enforced.local} draft(s) or sync state(s); "
        "the file rewritten without free pages"
        + ("" if result.emptied_wal else " (its WAL still holds old pages: close other programs"
           " using the visit, then purge again)"),
        markup=False,
    )  # fmt: skip
    if result.kept_typing:
        out.print(f"  {result.kept_typing} entry(ies) of kept typing taken out", markup=False)
    if result.kept_typing_problem:
        out.print(f"  Warning: {result.kept_typing_problem}", markup=False)
    if result.foreign_tables:
        out.print(f"  Warning: {result.foreign_tables}", markup=False)
    for snapshot in result.snapshots:
        out.print(f"  backups/{snapshot.describe()}", markup=False)
    if done.attachments_left:
        out.print(
            f"  Its {done.attachments_left} attachment(s) stay: purge them too if they must "
            "go (irp-field purge VISIT attachment)",
            markup=False,
        )
    out.print(
        "  Other copies of the visit (laptops, the master, hand-backs) keep it until they "
        "merge a file that carries this purge.",
        markup=False,
    )


@click.command("restore")
@visit_argument
@click.argument("kind", type=click.Choice(KIND_WORDS), metavar="KIND")
@click.argument("record", required=False)
@by_option
@json_option
def restore_command(
    visit: str, kind: str, record: str | None, user: str | None, as_json: bool
) -> None:
    """Bring back a deleted record: a roll check, a note or a paragraph deleted by
    mistake, after the session whose ctrl+z would have undone it. It counts in the
    figures again, its history says who restored it and when, and the restore travels
    by merge like any edit. A purged record is gone for good and cannot be restored.

    KIND is one of the kinds `irp-field purge` takes. Without RECORD, lists the deleted
    records of KIND; RECORD is an id or its first characters as the list shows them.
    """
    from irp_field.api import purges

    if record is None:
        empty = f"No deleted {kind} records to restore."
        _list(visit, kind, purges.deleted, as_json, empty, {"restored": []})
        return
    with open_visit(visit, user=user) as opened:
        done = purges.restore(opened, kind, record)
        name = opened.path.name
    if as_json:
        print_json({"kind": kind, "records": [], "restored": [done.what]})
        return
    console().print(
        f"Restored {done.what} in {name}: it counts again (its history keeps the delete "
        "and the restore).",
        markup=False,
    )


COMMANDS = (purge_command, restore_command)

"""Commands for photographs and documents attached to notes, sampled records and report
paragraphs: ``attach``, and ``attachments`` list, save and remove."""

from __future__ import annotations

from pathlib import Path

import click

from irp_field.cli.options import (
    OutPath,
    by_option,
    folder_typed,
    open_visit,
    overwrite_option,
    visit_argument,
)
from irp_field.cli.output import echo, json_option, print_json
from irp_field.domain import names


@click.command("attach")
@visit_argument
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--paragraph", metavar="N", help="A report paragraph: its number (3.12) or id.")
@click.option("--note", metavar="ID", help="A note, by its id (or its first 8 characters).")
@click.option("--frame", metavar="NAME", help="A sample frame; with --record.")
@click.option("--record", metavar="REF", help="A sampled record of --frame.")
@click.option("--caption", default="", help="One line; a photograph's caption prints under it.")
@by_option
def attach_command(
    visit: str,
    file: Path,
    paragraph: str | None,
    note: str | None,
    frame: str | None,
    record: str | None,
    caption: str,
    user: str | None,
) -> None:
    """Attach FILE (a JPEG or PNG photograph, or a PDF document; at most 20 MB; its type is
    read from its content) to a paragraph, a note or a sampled record. A photograph is
    decoded and stored clean: turned upright, without its metadata (EXIF GPS position,
    camera serial number, author; XMP, IPTC, comments, PNG text), which is said; one that
    does not decode, has no pixels, is over 80 megapixels or is animated is refused, and
    so is a PDF that could run anything. A photograph attached to a paragraph prints
    after it in the report, with its caption. The same file attached twice to one thing
    is one attachment (attach again to change its caption)."""
    from irp_field.api import attachments

    with open_visit(visit, user=user) as opened:
        new_id, warnings = attachments.attach(
            opened,
            file,
            caption=caption,
            paragraph=paragraph,
            note=note,
            frame=frame,
            record=record,
        )
        shown = attachments.find(opened, new_id)
    for warning in warnings:
        echo(names.shown(f"Warning: {warning.message}"), err=True)
    echo(
        f"Attached {shown.attachment.file_name} ({shown.attachment.what}, {shown.size}) to "
        f"{shown.attached_to} (id {new_id[:8]})."
    )


@click.group("attachments")
def attachments_group() -> None:
    """The photographs and documents attached in a visit: list, save, remove or clean them.
    ATTACHMENT is an id, or its first characters as the list shows them."""


@attachments_group.command("list")
@visit_argument
@json_option
def attachments_list(visit: str, as_json: bool) -> None:
    """Every attachment: its id, kind, size, what it is attached to, and its caption."""
    from irp_field.api import attachments

    with open_visit(visit, readonly=True) as opened:
        shown = attachments.list_attachments(opened)
    if as_json:
        listed = [
            {
                "id": item.attachment.id,
                "kind": item.attachment.kind,
                "size": item.attachment.size,
                "file_name": item.attachment.file_name,
                "caption": item.attachment.caption,
                "attached_to": item.attached_to,
                "target_kind": item.attachment.target_kind,
                "target_id": item.attachment.target_id,
                "sha256": item.attachment.file_sha256,
            }
            for item in shown
        ]
        print_json({"attachments": listed})
        return
    if not shown:
        echo("No attachments yet: irp-field attach VISIT FILE --paragraph N")
    for item in shown:
        found = item.attachment
        caption = f'  "{found.caption}"' if found.caption else ""
        echo(
            f"{found.id[:8]}  {found.what:<20} {item.size:>8}  {item.attached_to}: "
            f"{found.file_name}{caption}"
        )


@attachments_group.command("save")
@visit_argument
@click.argument("attachment")
@click.option(
    "--out",
    type=OutPath(),
    required=True,
    help="A file, or a folder to save it in under its own name.",
)
@overwrite_option
def attachments_save(visit: str, attachment: str, out: Path, overwrite: bool) -> None:
    """Save the attached file ATTACHMENT to --out."""
    from irp_field.api import attachments

    folder_typed(out)  # "photos/" is a folder: not there, not made a file's name
    with open_visit(visit, readonly=True) as opened:
        written = attachments.save(opened, attachment, out, overwrite=overwrite)
    echo(f"Wrote {written}")


@attachments_group.command("remove")
@visit_argument
@click.argument("attachment")
@by_option
def attachments_remove(visit: str, attachment: str, user: str | None) -> None:
    """Take ATTACHMENT off what it is attached to (a tombstone that merges)."""
    from irp_field.api import attachments

    with open_visit(visit, user=user) as opened:
        found = attachments.remove(opened, attachment)
    echo(f"Removed {found.attachment.file_name} from {found.attached_to}.")


@attachments_group.command("clean")
@visit_argument
@by_option
def attachments_clean(visit: str, user: str | None) -> None:
    """Clean the pictures stored before irp-field cleaned them (0.3.0): each is decoded
    and stored again without its metadata (EXIF: GPS position, camera serial number,
    author; XMP; IPTC; text chunks; comments), turned upright, and its attachments moved
    to the clean file; the old bytes are purged as `irp-field purge` purges them: from
    the visit file, its WAL and the snapshots in the backups folder, and from every copy
    that merges this one (`irp-field check` lists the purge: which file, who, when, why).
    A file the rules refuse (a picture that does not decode, a document that runs
    scripts) is purged so when nothing is attached to it; when something is, it is named
    and left: remove that attachment, then clean again (exit 1 until then)."""
    from irp_field.api import attachments

    with open_visit(visit, user=user) as opened:
        done = attachments.clean(opened)
    if not done.files:
        echo("Every stored file is clean; nothing to do.")
    for found in done.files:
        echo(("Left " if found.left else "Cleaned ") + found.describe())
    for line in done.snapshots:
        echo(f"  {line}")
    if not done.emptied_wal:
        echo(
            "  Its WAL still holds old pages: close other programs using the visit, then "
            "clean again"
        )
    if any(found.left for found in done.files):
        raise SystemExit(1)


COMMANDS: tuple[click.Command, ...] = (attach_command, attachments_group)

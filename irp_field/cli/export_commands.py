"""Commands for team leaders and analysts: export a visit, or several visits combined."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from irp_field.cli.options import VISIT, OutPath, one_file, overwrite_option, visit_path
from irp_field.cli.output import echo, progress
from irp_field.cli.sealing_commands import to_options

FORMATS = ("sqlite", "csv", "json", "xlsx", "bundle")  # as api.exports.FORMATS
# The formats written as one file (csv and bundle are folders), and a name for one
ONE_FILE = {"sqlite": ".sqlite", "json": ".json", "xlsx": ".xlsx"}


def _one_file_asked(out: Path, export_format: str, sealed: bool, first: Path) -> None:
    """An export written as one file (sqlite, json, xlsx, or sealed) to ``--out usb/``:
    refused, naming a file in that folder to give (``options.one_file``)."""
    if sealed or export_format in ONE_FILE:
        kind = "the sealed export" if sealed else f"the {export_format} export"
        suffix = ".age" if sealed else ONE_FILE[export_format]
        one_file(out, kind, lambda: first.stem + suffix)


@click.command("export")
@click.argument("visits", metavar="VISIT", nargs=-1, required=True, type=VISIT)
@click.option(
    "--format",
    "export_format",
    type=click.Choice(FORMATS),
    required=True,
    help="sqlite (typed tables, and Datasette's NAME.metadata.json beside it), csv (a "
    "folder, with datapackage.json describing every column), json, xlsx, or bundle "
    "(plain-text folder). docs/analysts.md says how each goes into pandas, DuckDB, Excel "
    "and Datasette.",
)
@click.option("--out", type=OutPath(), required=True, help="Where to write it.")
@overwrite_option
@click.option(
    "--redact",
    is_flag=True,
    help="For sharing outside the team: every column's policy (docs/redaction.md): working "
    "text (notes, comments, paragraphs, tags) blanked; subjects, sampled records, staff and "
    "ids replaced by keyed hashes; groups, frames, criteria and locations kept, so visits "
    "compare.",
)
@click.option(
    "--key-file",
    type=click.Path(path_type=Path),
    help="With --redact: make the pseudonyms with your organisation's key (a file of 64 "
    "hexadecimal digits), so the same person has the same pseudonym in every visit "
    "exported with it. Without it each visit's own key is used: redacted exports of one "
    "visit link to each other, never to another visit's.",
)
@click.option(
    "--fresh-key",
    is_flag=True,
    help="With --redact: a key for this export alone: its pseudonyms link to no other export.",
)
@click.option(
    "--keep-staff-names",
    is_flag=True,
    help="With --redact: keep the team's names (pseudonymised otherwise).",
)
@click.option(
    "--keep-attachments",
    is_flag=True,
    help="With --redact: keep the attached photographs, each without its metadata (left out "
    "otherwise; their captions and names are blanked either way). Documents (PDF) are "
    "never in a redacted export.",
)
@click.option(
    "--raw",
    is_flag=True,
    help="CSV cells exactly as stored (otherwise text a spreadsheet would run as a formula, "
    "starting with = + - @, gets a ' before it).",
)
@click.option(
    "--excel",
    is_flag=True,
    help="CSV files for Excel: each begins with a byte-order mark, which Excel needs to read "
    'UTF-8 (without it Excel on Windows shows "–" as "â€“"). Python\'s csv module and '
    "R's read.csv then see it in the first column's name: leave it out for them.",
)
@click.option(
    "--combine",
    is_flag=True,
    help="Several visits (any number) into one export, in any format but a bundle (each "
    "row carries its visit_id).",
)
@click.option(
    "--sealed",
    is_flag=True,
    help="Write the export (any format) as one sealed file (a tar inside age) for the "
    "visit's recipients (and --to): only their keys open it. Refuses an existing --out.",
)
@to_options
def export_command(
    visits: tuple[str, ...],
    export_format: str,
    out: Path,
    overwrite: bool,
    redact: bool,
    keep_staff_names: bool,
    keep_attachments: bool,
    raw: bool,
    excel: bool,
    combine: bool,
    sealed: bool,
    to: tuple[str, ...],
    only: bool,
    key_file: Path | None,
    fresh_key: bool,
) -> None:
    """Export a visit for analysts (deleted rows are left out), or a bundle folder.

    Shares are fractions from 0 to 1 in every table, as in the figures.
    """
    from irp_field.api.exports import export

    paths = [visit_path(v) for v in visits]
    _one_file_asked(out, export_format, sealed, paths[0])
    _refuse_options_that_do_not_go_together(
        len(paths),
        export_format,
        combine=combine,
        redact=redact,
        raw=raw,
        sealed=sealed,
        keep_attachments=keep_attachments,
        keep_staff_names=keep_staff_names,
        to_someone=bool(to or only),
    )
    options = {
        "redact": redact,
        "keep_attachments": keep_attachments,
        "keep_staff_names": keep_staff_names,
        "raw": raw,
        "excel": excel,
    }
    if sealed:
        from irp_field.api.sealing import export_sealed

        written = export_sealed(
            paths,
            export_format,
            out,
            to=to,
            only=only,
            key_file=key_file,
            fresh_key=fresh_key,
            **options,
        )
        echo(
            f"Wrote {out}, sealed for {len(written.recipients)} key(s); open it with "
            f"`age -d -i KEYFILE {out} | tar -x`"
        )
        return
    with _progress_bar(paths, export_format, out) as visit_read:
        export(
            paths,
            export_format,
            out,
            redact=redact,
            keep_attachments=keep_attachments,
            keep_staff_names=keep_staff_names,
            raw=raw,
            overwrite=overwrite,
            key_file=key_file,
            fresh_key=fresh_key,
            on_visit_read=visit_read,
            excel=excel,
        )
    echo(f"Wrote {out}")
    if export_format == "sqlite":
        described = out.with_name(f"{out.stem}.metadata.json")
        echo(f"Datasette: datasette {out} -m {described}")


def _refuse_options_that_do_not_go_together(
    visit_count: int,
    export_format: str,
    *,
    combine: bool,
    redact: bool,
    raw: bool,
    sealed: bool,
    keep_attachments: bool,
    keep_staff_names: bool,
    to_someone: bool,
) -> None:
    """One line naming the options that do not go together, before anything is read."""
    from irp_field.domain.errors import IrpError

    if visit_count > 1 and not combine:
        raise IrpError("several visits need --combine")
    if combine and export_format == "bundle":
        raise IrpError("a bundle holds one visit: --combine goes with sqlite, csv, json or xlsx")
    if keep_attachments and not redact:
        raise IrpError("--keep-attachments goes with --redact (an export keeps them anyway)")
    if keep_staff_names and not redact:
        raise IrpError("--keep-staff-names goes with --redact (an export keeps them anyway)")
    if raw and export_format != "csv":
        raise IrpError("--raw is for --format csv (XLSX cells are always text, never formulas)")
    if to_someone and not sealed:
        raise IrpError("--to and --only-to go with --sealed")


@contextmanager
def _progress_bar(
    paths: list[Path], export_format: str, out: Path
) -> Iterator[Callable[[Path], None]]:
    """On a terminal: a step for each visit read, then one for the writing (a bundle, one
    visit written as it is read, shows the bar moving without steps)."""
    steps = None if export_format == "bundle" else len(paths) + 1
    with progress(f"Exporting {paths[0].name}", steps) as bar:

        def visit_read(path: Path) -> None:
            done = paths.index(path) + 1
            doing = f"Exporting {paths[done].name}" if done < len(paths) else f"Writing {out}"
            bar.update(done, description=doing)

        yield visit_read


COMMANDS = (export_command,)

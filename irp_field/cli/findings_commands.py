"""Commands for findings, judgements and the report (issue: findings in step with the evidence).

Each command opens the visit, calls one function of ``irp_field.api.findings`` and
prints the result; jinja2, docx and rich load only when run.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from irp_field.cli.options import (
    OutPath,
    by_option,
    one_file,
    open_visit,
    overwrite_option,
    visit_argument,
    visit_path,
)
from irp_field.cli.output import echo, echo_document, json_option, print_json

STALE_LEGEND = (
    "* out of date: not synced since the paragraph or the evidence it quotes changed; "
    "irp-field sync brings it up to date"
)
CITE_HELP = (
    "Evidence the paragraph cites, by id (a note, sample frame, data return, roll check or "
    "time-out-of-cell period), or a roll-check round as 'round:NAME'. Repeat for more."
)


@click.command("sync")
@visit_argument
@click.option(
    "--check", is_flag=True, help="Change nothing; exit 1 when any paragraph is out of date."
)
@by_option
@json_option
def sync_command(visit: str, check: bool, user: str | None, as_json: bool) -> None:
    """Render every findings paragraph with the current figures and store the result.

    Prints what changed since the last sync, one line per figure, such as
    '3.39  roll.pct_locked_up  40% -> 41%'.
    """
    from irp_field.api.findings import sync

    with open_visit(visit, user=user, readonly=check) as opened:
        result = sync(opened, check=check)
    if as_json:
        changes = [
            {"number": c.number, "what": c.what, "old": c.old, "new": c.new} for c in result.changes
        ]
        print_json(
            {
                "check": check,
                "written": result.written,
                "stale": result.stale_numbers,
                "changes": changes,
            }
        )
        if check and result.stale_numbers:
            sys.exit(1)  # as without --json
        return
    for change in result.changes:
        echo(change.line())
    stale = len(result.stale_numbers)
    if check:
        if stale:
            echo(f"{stale} paragraph(s) out of date; run irp-field sync.", err=True)
            sys.exit(1)
        echo("All paragraphs are in step with the evidence.")
    elif result.written:
        echo(f"Synced: {stale} paragraph(s) updated.")
    else:
        echo("Nothing to sync: all paragraphs are in step with the evidence.")


@click.group("findings")
def findings_group() -> None:
    """Findings paragraphs: add, edit, delete and list them.

    PARAGRAPH is a paragraph number such as 3.39, or its id.
    """


@findings_group.command("add")
@visit_argument
@click.argument("ref")
@click.argument("text")
@click.option(
    "--after",
    metavar="N",
    help="Insert after paragraph N (such as 3.38), or after the Nth "
    "paragraph of the item (0 for first); default: at the end.",
)
@click.option("--cite", multiple=True, metavar="ID", help=CITE_HELP)
@by_option
def add_command(
    visit: str, ref: str, text: str, after: str | None, cite: tuple[str, ...], user: str | None
) -> None:
    """Add a paragraph to plan item REF, after its paragraphs (or --after); TEXT may
    quote figures, e.g. {{ roll.pct_locked_up }}.

    Says the number the paragraph has in the report and, on a second line, the
    paragraphs after it that were renumbered ('3.6-3.57 are now 3.7-3.58').
    """
    from irp_field.api import findings

    with open_visit(visit, user=user) as opened:
        before = findings.numbers_now(opened)
        new_id = findings.add_paragraph(opened, ref, text, after=after, cite=cite)
        now = findings.filed(opened, new_id, before)
    echo(f"Added paragraph {now.number} to {ref} (id {new_id}).")  # scripts read the id
    if now.renumbered:
        echo(f"Renumbered after it: {now.renumbered}.")


@findings_group.command("edit")
@visit_argument
@click.argument("paragraph")
@click.argument("text", required=False)
@click.option("--cite", multiple=True, metavar="ID", help=CITE_HELP + " Replaces the cited list.")
@click.option(
    "--plan-ref",
    "to_ref",
    metavar="REF",
    help="Move the paragraph to plan item REF (such as 1.38), after its paragraphs; "
    "the numbers follow.",
)
@by_option
def edit_command(
    visit: str,
    paragraph: str,
    text: str | None,
    cite: tuple[str, ...],
    to_ref: str | None,
    user: str | None,
) -> None:
    """Replace the text of PARAGRAPH (its number, such as 3.39, or its id), or move it
    to another plan item with --plan-ref (TEXT may then be left out)."""
    from irp_field.api import findings

    if text is None and to_ref is None and not cite:
        raise click.UsageError("give the new TEXT, --cite or --plan-ref REF")
    with open_visit(visit, user=user) as opened:
        before = findings.numbers_now(opened)
        if to_ref is not None and text is None and not cite:
            found = findings.move_paragraph_to(opened, paragraph, to_ref)
        else:
            found = findings.edit_paragraph(
                opened, paragraph, text, list(cite) if cite else None, to_ref=to_ref
            )
        assert found.finding is not None
        now = findings.filed(opened, found.finding.id, before)
    if now.unit == found.unit:
        echo(f"Edited paragraph {found.number} ({found.ref}).")
        return
    done = "Moved" if text is None and not cite else "Edited and moved"
    echo(now.said(f"{done} paragraph {found.number} to {to_ref}: it is now {now.number}"))


@findings_group.command("delete")
@visit_argument
@click.argument("paragraph")
@by_option
def delete_command(visit: str, paragraph: str, user: str | None) -> None:
    """Delete PARAGRAPH (kept as a tombstone, so the delete reaches the other laptops)."""
    from irp_field.api import findings

    with open_visit(visit, user=user) as opened:
        found = findings.delete_paragraph(opened, paragraph)
    echo(f"Deleted paragraph {found.number} ({found.ref}); later paragraphs are renumbered.")


@findings_group.command("list")
@visit_argument
@click.argument("ref", required=False)
@json_option
def list_command(visit: str, ref: str | None, as_json: bool) -> None:
    """Print the numbered paragraphs as they render now, for the whole report or plan item REF.

    A '*' marks a paragraph that is out of date (not synced since it or its evidence
    changed); a line at the end says so when any is marked.
    """
    from irp_field.api import findings

    with open_visit(visit, readonly=True) as opened:
        state = findings.load_findings(opened)
        units = findings.units(state.sections)
        if ref:
            units = [findings.unit_of(state, findings.plan_item(opened, ref))]
    rendered = state.by_number()
    if as_json:
        print_json({"units": [_unit_json(unit, rendered) for unit in units]})
        return
    marked = False
    for unit in units:
        level = unit.level.label if unit.level else "not yet judged"
        echo(f"{' + '.join(i.ref for i in unit.items)}  ({level})")
        for paragraph in unit.paragraphs:
            if paragraph.is_conclusion:
                echo(f"  {paragraph.number}  {unit.conclusion_text}")
                continue
            shown = rendered[paragraph.number]
            mark = "*" if shown.stale else " "
            marked = marked or shown.stale
            echo(f" {mark}{paragraph.number}  {shown.text}")
        echo("")
    if marked:
        echo(STALE_LEGEND)


def _unit_json(unit: Any, rendered: dict[str, Any]) -> dict[str, Any]:
    paragraphs = []
    for paragraph in unit.paragraphs:
        if paragraph.is_conclusion:
            shown = {"text": unit.conclusion_text, "stale": False, "id": None}
        else:
            now = rendered[paragraph.number]
            finding = paragraph.finding
            shown = {"text": now.text, "stale": now.stale, "id": finding.id if finding else None}
        paragraphs.append(
            {
                "number": paragraph.number,
                "id": shown["id"],
                "conclusion": paragraph.is_conclusion,
                "stale": shown["stale"],
                "text": shown["text"],
            }
        )
    return {
        "refs": [item.ref for item in unit.items],
        "judgement": unit.level.label if unit.level else None,
        "paragraphs": paragraphs,
    }


@click.command("evidence")
@visit_argument
@click.argument("ref")
@json_option
def evidence_command(visit: str, ref: str, as_json: bool) -> None:
    """List the evidence behind plan item REF and behind each of its paragraphs."""
    from irp_field.api import findings

    with open_visit(visit, readonly=True) as opened:
        item = findings.plan_item(opened, ref)
        members = findings.group_members(opened, item)
        state = findings.load_findings(opened)
        unit = findings.unit_of(state, item)
        linked = [
            e for member in members for e in findings.evidence_for_plan_item(opened, member.id)
        ]
        cited = {
            p.number: findings.cited_evidence(opened, p.finding.evidence)
            for p in unit.written
            if p.finding is not None
        }
    rendered = state.by_number()
    if as_json:
        print_json(_evidence_json(members, linked, unit, rendered, cited))
        return
    echo(f"Evidence for {' + '.join(m.ref for m in members)}")
    echo(f"Linked to the plan item ({len(linked)}):")
    for item_evidence in linked:
        echo(f"  [{item_evidence.kind}] {item_evidence.id}  {item_evidence.summary}")
    for paragraph in unit.written:
        assert paragraph.finding is not None
        shown = rendered[paragraph.number]
        figures = [k for k in shown.state.figures if not k.startswith("@")]
        echo(f"Paragraph {paragraph.number}:")
        for key in figures:
            echo(f"  [figure] {key} = {shown.state.figures[key]['display']}")
        for evidence_id in paragraph.finding.evidence:
            found = cited[paragraph.number].get(evidence_id)
            text = f"[{found.kind}] {found.summary}" if found else "(no longer in the visit)"
            echo(f"  [cited] {evidence_id}  {text}")
        if not figures and not paragraph.finding.evidence:
            echo("  (quotes no figure and cites no evidence)")


def _evidence_json(
    members: Any, linked: Any, unit: Any, rendered: dict[str, Any], cited: dict[str, Any]
) -> dict[str, Any]:
    paragraphs = []
    for paragraph in unit.written:
        figures = rendered[paragraph.number].state.figures
        found = cited[paragraph.number]
        paragraphs.append(
            {
                "number": paragraph.number,
                "figures": [
                    {"key": key, "display": figures[key]["display"]}
                    for key in figures
                    if not key.startswith("@")
                ],
                "cited": [
                    _cited_json(cited_id, found.get(cited_id))
                    for cited_id in paragraph.finding.evidence
                ],
            }
        )
    return {
        "refs": [member.ref for member in members],
        "linked": [{"kind": e.kind, "id": e.id, "summary": e.summary} for e in linked],
        "paragraphs": paragraphs,
    }


def _cited_json(cited_id: str, item: Any) -> dict[str, Any]:
    """A cited record; kind and summary null when it is no longer in the visit."""
    return {
        "id": cited_id,
        "kind": item.kind if item else None,
        "summary": item.summary if item else None,
    }


@click.command("judge")
@visit_argument
@click.argument("ref")
@click.argument("level")
@click.option("--why", help="The reason, in a sentence, kept with the judgement.")
@by_option
def judge_command(visit: str, ref: str, level: str, why: str | None, user: str | None) -> None:
    """Judge plan item REF's progress: LEVEL such as 'Good progress' or 'good'.

    Recommendations are judged on the HMI Prisons scale (no meaningful, insufficient,
    reasonable, good), Ofsted themes on Ofsted's (insufficient, reasonable, significant).
    Judging one member of a group judges the whole group.
    """
    from irp_field.api import findings

    with open_visit(visit, user=user) as opened:
        members, judged = findings.judge(opened, ref, level, why)
    echo(f"Judged {' + '.join(m.ref for m in members)}: {judged.label}.")


@click.command("report")
@visit_argument
@click.option(
    "--format",
    "report_format",
    type=click.Choice(["markdown", "md", "html", "docx"]),
    required=True,
    help="markdown (or md), html (one self-contained file) or docx (Word).",
)
@click.option(
    "--out",
    type=OutPath(),
    help="The file to write (Markdown and HTML print to the terminal without it; DOCX needs it).",
)
@click.option(
    "--sync", "sync_first", is_flag=True, help="Sync the findings with the evidence first."
)
@overwrite_option
@by_option
def report_command(
    visit: str,
    report_format: str,
    out: Path | None,
    sync_first: bool,
    overwrite: bool,
    user: str | None,
) -> None:
    """Write the report: key findings, findings by area, summary of judgements and the team."""
    from irp_field.api.findings import make_report, write_report

    suffix = {"html": "html", "docx": "docx"}.get(report_format, "md")
    one_file(out, "the report", lambda: f"{visit_path(visit).stem}.{suffix}")
    if out is None and report_format == "docx":
        raise click.UsageError("--out FILE is needed for --format docx")
    if out is None and overwrite:
        raise click.UsageError("--overwrite goes with --out FILE")
    with open_visit(visit, user=user, readonly=not sync_first) as opened:
        if out is None:
            report, data = make_report(opened, report_format, sync_first=sync_first)
        else:
            report = write_report(
                opened, report_format, out, sync_first=sync_first, overwrite=overwrite
            )
    if out is None:
        echo_document(data)
    else:
        echo(f"Wrote {out}")
    if report.stale:
        echo(
            f"Warning: {len(report.stale)} paragraph(s) out of date ({', '.join(report.stale[:8])}"
            f"{' ...' if len(report.stale) > 8 else ''}); the report says so at its top. "
            "Use --sync to sync first.",
            err=True,
        )


COMMANDS: tuple[click.Command, ...] = (
    sync_command,
    findings_group,
    evidence_command,
    judge_command,
    report_command,
)

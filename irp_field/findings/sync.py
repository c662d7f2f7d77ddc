"""Keeping findings in step with the evidence: render every paragraph, store what it said.

A sync renders every paragraph against the current figures and stores, per paragraph,
the rendered text, the figure values it used and the versions of the evidence it
cites. A paragraph is out of date (stale) when it was never synced, its text was
edited since, a figure it quotes now prints differently, or evidence it cites changed.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from irp_field import figures as figure_registry
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.evidence import reads
from irp_field.figures import Figure
from irp_field.findings import outline, placed, summary
from irp_field.findings import paragraphs as finding_store
from irp_field.findings.facts import visit_facts
from irp_field.findings.paragraphs import SyncState
from irp_field.findings.templates import Renderer

EVIDENCE_KEY = "@evidence"  # in the stored figures JSON: cited id -> version at the sync


@dataclass(frozen=True)
class Change:
    number: str
    what: str  # a figure key, or "text" / "evidence" / "paragraph"
    old: str
    new: str

    def line(self) -> str:
        return f"{self.number}  {self.what}  {self.old} -> {self.new}"


@dataclass
class RenderedParagraph:
    paragraph: outline.Paragraph
    text: str  # rendered now from the current evidence
    state: SyncState  # what a sync would store now
    last: SyncState | None  # what the last sync stored
    changes: list[Change] = field(default_factory=list)

    @property
    def stale(self) -> bool:
        return bool(self.changes)

    @property
    def report_text(self) -> str:
        """As last synced, unless the paragraph was edited since (then as it renders now)."""
        finding = self.paragraph.finding
        if (
            self.last is not None
            and finding is not None
            and self.last.finding_version == finding.version
        ):
            return self.last.rendered
        return self.text


@dataclass
class FindingsState:
    sections: list[outline.AreaSection]
    # Written paragraphs only, in report order: the summary's (1.1 ...) and notable
    # positive practice's (2.4 ...), then the findings (3.1 ...).
    paragraphs: list[RenderedParagraph]
    # Every sync state the file held when this was loaded, by finding id (also those of
    # paragraphs since deleted): what a sync compares with and replaces, read once
    # (loaded for one paragraph: that paragraph's alone).
    stored: dict[str, SyncState]
    # The figures (and the visit's facts) the paragraphs rendered with, computed once:
    # the report renders its standing texts with them too.
    figures: dict[str, Figure] = field(default_factory=dict)
    # The summary's and practice's paragraphs as numbered (also in ``paragraphs``).
    summary: list[outline.Paragraph] = field(default_factory=list)

    @property
    def stale(self) -> list[RenderedParagraph]:
        return [p for p in self.paragraphs if p.stale]

    def by_number(self) -> dict[str, RenderedParagraph]:
        return {p.paragraph.number: p for p in self.paragraphs}


def where(paragraph: outline.Paragraph) -> str:
    return f"paragraph {paragraph.number} ({paragraph.ref})"


def _changes(number: str, state: SyncState, last: SyncState | None, edited: bool) -> list[Change]:
    if last is None:
        return [Change(number, "paragraph", "not synced", "synced")]
    changes = []
    if edited:
        changes.append(Change(number, "text", "edited", "re-rendered"))
    keys = [k for k in dict.fromkeys([*last.figures, *state.figures]) if k != EVIDENCE_KEY]
    for key in keys:
        old = last.figures.get(key, {}).get("display", "(not used)")
        new = state.figures.get(key, {}).get("display", "(not used)")
        if old != new:
            changes.append(Change(number, key, old, new))
    if last.figures.get(EVIDENCE_KEY, {}) != state.figures.get(EVIDENCE_KEY, {}):
        changes.append(Change(number, "evidence", "cited evidence changed", "review the paragraph"))
    if not changes and last.rendered != state.rendered:
        changes.append(Change(number, "text", "rendered differently", "re-rendered"))
    return changes


def load(
    visit: VisitFile, only: str | None = None, computed: dict[str, Figure] | None = None
) -> FindingsState:
    """Render every paragraph against the current figures; raises FindingError on a bad one.

    One pass: the figures are computed once, the sync states read once, and the evidence
    every paragraph cites is read in one go. ``only`` (a finding id) renders that one
    paragraph alone (numbered among all of them): what syncing one paragraph needs, at a
    cost that does not grow with the paragraphs written.
    """
    unread: dict[str, placed.Unread] = {}
    if only is None:
        findings = finding_store.all_findings(visit)
    else:  # the others counted, not read: numbering one costs the same at 800 as at 1
        findings, unread = placed.one_finding_placed(visit, only)
    sections = outline.build(reads.plan_items(visit), findings, reads.judgements(visit), unread)
    if computed is None:  # ``computed``: the registry's figures, when the caller has them
        computed = figure_registry.compute(visit)
    figures = {**computed, **visit_facts(reads.summarise(visit))}
    renderer = Renderer(figures)
    last_states = finding_store.sync_states(visit, only)
    report_paragraphs = summary.numbered(
        summary.all_paragraphs(visit), summary.practice_definition(visit)
    )
    written = [
        (paragraph, paragraph.finding)
        for paragraph in [*report_paragraphs, *outline.paragraphs(sections)]
        if paragraph.finding is not None and (only is None or paragraph.finding.id == only)
    ]
    cited = finding_store.cited_evidence(
        visit, [i for _, finding in written for i in finding.evidence]
    )
    rendered = []
    for paragraph, finding in written:
        result = renderer.render(finding.text, where(paragraph))
        used = {
            key: {"value": f.value, "display": f.display}
            for key, f in sorted(result.figures.items())
        }
        # A cited id that no longer names live evidence is recorded too: its removal is a change.
        versions = {i: cited[i].version if i in cited else "(gone)" for i in finding.evidence}
        if versions:
            used[EVIDENCE_KEY] = versions  # type: ignore[assignment]
        state = SyncState(finding.id, finding.version, result.text, used, "")
        last = last_states.get(finding.id)
        edited = last is not None and last.finding_version != finding.version
        rendered.append(
            RenderedParagraph(
                paragraph, result.text, state, last, _changes(paragraph.number, state, last, edited)
            )
        )
    return FindingsState(sections, rendered, last_states, figures, report_paragraphs)


def outlined(visit: VisitFile, under: Collection[str] | None = None) -> FindingsState:
    """The paragraphs numbered, none rendered and no figure computed: what adding,
    editing, moving or deleting a paragraph needs to find its place, at a cost that does
    not grow with what the other paragraphs quote (a paragraph that cannot render is
    no reason to refuse adding another). ``under`` (plan item ids): only the last
    paragraph filed under each is read, those before it counted, and they are numbered as
    if no other were written: enough to add one at the end of their unit, at a cost that
    does not grow with the paragraphs written."""
    unread: dict[str, placed.Unread] = {}
    if under is None:
        findings = finding_store.all_findings(visit)
    else:
        findings, unread = placed.last_findings_placed(visit, under)
    sections = outline.build(reads.plan_items(visit), findings, reads.judgements(visit), unread)
    return FindingsState(sections, [], {})


@dataclass(frozen=True)
class SyncResult:
    changes: list[Change]
    stale_numbers: list[str]
    written: bool


def synced(visit: VisitFile, *, check: bool = False) -> tuple[SyncResult, FindingsState]:
    """Sync, and the findings as they stand after it: what ``load`` would now return.

    From one ``load``: a report made with --sync renders, reads and compares once, and is
    built from the state the sync wrote rather than from a second load.
    """
    state = load(visit)
    changes = [change for p in state.paragraphs for change in p.changes]
    stale = [p.paragraph.number for p in state.stale]
    needs_writing = bool(stale) or len(state.stored) != len(state.paragraphs)
    if check or not needs_writing:
        return SyncResult(changes, stale, False), state
    if visit.readonly:
        raise IrpError(f"{visit.path}: opened read-only; cannot sync")
    stored = finding_store.save_sync_states(visit, [p.state for p in state.paragraphs])
    by_id = {s.finding_id: s for s in stored}
    after = [
        # As a fresh load would find it: last synced as it renders now, so nothing changed.
        RenderedParagraph(p.paragraph, p.text, p.state, by_id[p.state.finding_id])
        for p in state.paragraphs
    ]
    return SyncResult(changes, stale, True), FindingsState(
        state.sections, after, by_id, state.figures, state.summary
    )


def sync(visit: VisitFile, *, check: bool = False) -> SyncResult:
    """Render and store every paragraph (or, with ``check``, only say what is out of date)."""
    return synced(visit, check=check)[0]

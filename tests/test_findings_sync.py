"""Templates in the sandbox, paragraph numbering, sync and stale detection on the Hull sample."""

from __future__ import annotations

from typing import Any

import pytest

from irp_field import figures
from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.findings import editing, outline
from irp_field.findings import paragraphs as finding_store
from irp_field.findings.sync import load, sync
from irp_field.findings.templates import FindingError, Renderer


@pytest.fixture
def renderer(hull: VisitFile) -> Renderer:
    return Renderer(figures.compute(hull))


@pytest.mark.parametrize(
    "template",
    [
        "{{ ''.__class__ }}",
        "{{ ''.__class__.__mro__ }}",
        "{{ ''.__class__.mro() }}",
        "{{ roll.__class__.__init__.__globals__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ roll._figure }}",
        "{{ data.mh_waiting.__str__.__globals__ }}",
        "{{ 'a' * 1000000000 }}",
        "{{ 9 ** 9 ** 9 }}",
    ],
)
def test_the_sandbox_refuses_python_internals(renderer: Renderer, template: str) -> None:
    with pytest.raises(FindingError, match=r"^paragraph 3\.99 \(1\.38\): ") as error:
        renderer.render(f"Text {template}", "paragraph 3.99 (1.38)")
    assert "\n" not in str(error.value)


def test_an_unknown_figure_names_the_paragraph_and_the_nearest_names(renderer: Renderer) -> None:
    with pytest.raises(FindingError) as error:
        renderer.render(
            "In our roll checks, {{ roll.pct_lockd_up }} were locked up.", "paragraph 3.39 (1.38)"
        )
    message = str(error.value)
    assert message.startswith("paragraph 3.39 (1.38): unknown figure 'roll.pct_lockd_up'")
    assert "did you mean roll.pct_locked_up" in message


def test_unknown_family_filter_and_group_are_errors_never_blank(renderer: Renderer) -> None:
    for template, expected in [
        ("{{ rol.pct_locked_up }}", "unknown figure 'rol'; did you mean roll"),
        ("{{ roll }}", "'roll' is a group of figures"),
        ("{{ data.mh_waiting | upper }}", "No filter named 'upper'"),
        ("{{ data.mh_waiting | words }}", "does not fit data.mh_waiting"),
        ("{{ roll.pct_locked_up ", "template error"),
    ]:
        with pytest.raises(FindingError, match=expected):
            renderer.render(template, "paragraph 3.1 (1.33)")


def test_rendering_records_the_figures_used(renderer: Renderer) -> None:
    result = renderer.render(
        "{{ roll.pct_locked_up }} and {{ data.unemployed_share | words }}", "paragraph 3.1 (1.33)"
    )
    assert result.text == "40% and about a third"
    assert set(result.figures) == {"roll.pct_locked_up", "data.unemployed_share"}


def test_hull_numbering_skips_the_conclusions(hull: VisitFile) -> None:
    state = load(hull)
    numbers = [p.number for p in outline.paragraphs(state.sections)]
    assert numbers == [f"3.{n}" for n in range(1, 70)]
    conclusions = [p.number for p in outline.paragraphs(state.sections) if p.is_conclusion]
    assert conclusions == [f"3.{n}" for n in (6, 13, 18, 23, 29, 36, 41, 47, 53, 60, 64, 69)]
    by_number = state.by_number()
    assert by_number["3.37"].text.startswith("There was still too little time out of cell")
    assert by_number["3.39"].text.startswith("In our roll checks, 40% of the population")
    group = outline.units(state.sections)[1]
    assert [i.ref for i in group.items] == ["1.34a", "1.34b"]
    assert group.conclusion_text.endswith("good progress against these recommendations.")


def _change_roll_check(visit: VisitFile) -> None:
    """A wing, Monday morning: 27 more locked up takes the pooled share from 40.01% to 40.51%."""
    row = visit.one(
        "SELECT r.id, r.locked_up, r.unlocked_on_wing FROM roll_check r JOIN location l "
        "ON l.id = r.location_id WHERE l.name = 'A wing' AND r.round_id = "
        "(SELECT id FROM roll_round WHERE name = 'Mon AM')"
    )
    assert row is not None
    with visit.transaction():
        visit.update(
            "roll_check",
            row["id"],
            {"locked_up": row["locked_up"] + 27, "unlocked_on_wing": row["unlocked_on_wing"] - 27},
        )


def test_stale_detection_follows_the_evidence_and_edits(hull: VisitFile) -> None:
    first = sync(hull)
    assert (
        first.written and len(first.stale_numbers) == 66
    )  # never synced: 57 findings, 9 of the summary
    assert sync(hull, check=True).stale_numbers == []
    _change_roll_check(hull)
    check = sync(hull, check=True)
    assert check.stale_numbers == ["3.39"]
    assert [c.line() for c in check.changes] == ["3.39  roll.pct_locked_up  40% -> 41%"]
    # The report keeps the synced text until the next sync.
    assert "40% of the population" in load(hull).by_number()["3.39"].report_text
    sync(hull)
    assert "41% of the population" in load(hull).by_number()["3.39"].report_text
    assert sync(hull, check=True).stale_numbers == []
    editing.edit(hull, "3.38", "A prolonged outbreak had hindered the regime.")
    assert sync(hull, check=True).stale_numbers == ["3.38"]


def test_cited_evidence_that_changes_makes_its_paragraph_stale(hull: VisitFile) -> None:
    note = hull.one("SELECT id FROM note WHERE deleted = 0 ORDER BY id LIMIT 1")
    assert note is not None
    editing.edit(hull, "3.40", "We visited some of the workshops.", [note["id"], "round:Mon AM"])
    sync(hull)
    assert sync(hull, check=True).stale_numbers == []
    with hull.transaction():
        hull.update("note", note["id"], {"text": "Corrected note."})
    result = sync(hull, check=True)
    assert result.stale_numbers == ["3.40"]
    assert "evidence" in result.changes[0].line()
    sync(hull)
    _change_roll_check(hull)  # the cited round changed too
    assert "3.40" in sync(hull, check=True).stale_numbers


def test_a_bad_paragraph_stops_the_sync_and_writes_nothing(hull: VisitFile) -> None:
    finding = finding_store.all_findings(hull)[0]
    with hull.transaction():
        hull.update("finding", finding.id, {"text": "{{ roll.nonsense }}"})
    with pytest.raises(FindingError, match=r"paragraph 3\.\d+ .*unknown figure 'roll.nonsense'"):
        sync(hull)
    assert finding_store.sync_states(hull) == {}


def test_add_after_edit_delete_and_judge(hull: VisitFile) -> None:
    editing.add(hull, "1.38", "A new first paragraph.", after="0")
    editing.add(hull, "1.38", "Between.", after="3.38")
    state = load(hull).by_number()
    assert state["3.37"].text == "A new first paragraph."
    assert state["3.38"].text.startswith("There was still too little")
    assert state["3.39"].text == "Between."
    editing.add(hull, "1.34b", "Filed under the group's first item.")
    assert load(hull).by_number()["3.13"].paragraph.ref == "1.34a"
    editing.delete(hull, "3.13")
    assert load(hull).by_number()["3.37"].text == "A new first paragraph."
    with pytest.raises(IrpError, match="conclusion generated from the judgement"):
        editing.edit(hull, "3.6", "No.")
    members, level = editing.judge(hull, "1.34b", "Reasonable", None)
    assert [m.ref for m in members] == ["1.34a", "1.34b"] and level.key == "reasonable"
    with pytest.raises(IrpError, match="choose one of: Insufficient progress, Reasonable progress"):
        editing.judge(hull, "Theme 1", "good", None)
    with pytest.raises(IrpError, match="no evidence with id nope"):
        editing.add(hull, "1.38", "Cites nothing real.", cite=["nope"])


def test_syncing_one_paragraph_renders_it_alone_and_leaves_the_others_states(
    hull: VisitFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Adding the 800th paragraph costs what the first did (issue 24): syncing one
    paragraph renders that one, and writes its state only; every other paragraph's last
    sync stays as it was (so a stale one stays stale)."""
    from irp_field.findings.paragraph_sync import sync_paragraph

    sync(hull)
    before = finding_store.sync_states(hull)
    stale_id = next(f.id for f in finding_store.all_findings(hull) if f.id in before)
    finding_store.edit_finding(hull, stale_id, "Edited, not synced.", None)
    rendered: list[str] = []
    real = Renderer.render

    def counted(self: Renderer, text: str, where: str) -> object:
        rendered.append(where)
        return real(self, text, where)

    monkeypatch.setattr(Renderer, "render", counted)
    new_id = editing.add(hull, "1.33", "A new one: {{ roll.pct_locked_up }} locked up.")
    assert rendered == ["new paragraph for 1.33"]  # the new text alone is tried
    rendered.clear()
    lines = sync_paragraph(hull, new_id)
    assert len(rendered) == 1 and "(1.33)" in rendered[0]
    assert lines and "not synced" in lines[0]
    after = finding_store.sync_states(hull)
    assert set(after) == {*before, new_id}
    assert {k: v for k, v in after.items() if k != new_id} == before  # untouched
    assert after[new_id].rendered.startswith("A new one: ")
    assert any(p.stale and p.paragraph.finding.id == stale_id for p in load(hull).paragraphs)  # type: ignore[union-attr]


def _counting_whole_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the paragraphs read whole (text and citations) from now on."""
    read: list[str] = []
    real = finding_store.Finding

    def counted(*fields: Any) -> finding_store.Finding:
        read.append(fields[0])
        return real(*fields)

    monkeypatch.setattr(finding_store, "Finding", counted)
    return read


def test_adding_at_the_end_of_a_unit_reads_one_paragraph_an_item(
    hull: VisitFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Adding a paragraph at the end of its recommendation (F7's add) reads whole only
    the last paragraph filed under each of its unit's items (the others counted), so its
    cost does not grow with the paragraphs written (issue 24); the place is the one the
    whole outline gives, and numbering after a paragraph still reads them all."""
    before = {
        p.finding.id: p.number
        for p in outline.paragraphs(load(hull).sections)
        if p.finding is not None
    }
    assert len(before) > 5  # the Hull sample has paragraphs under many items
    for n in range(3):
        editing.add(hull, "1.33", f"Line {n} for 1.33.")
    read = _counting_whole_reads(monkeypatch)
    added = editing.add(hull, "1.33", "One more line for 1.33.")
    unit = outline.units(load(hull).sections)
    own = next(u for u in unit if any(i.ref == "1.33" for i in u.items))
    assert [p.finding.id for p in own.written if p.finding][-1] == added
    assert len(own.written) > 4
    assert read[: len(own.items)] == [own.written[-2].finding.id]  # type: ignore[union-attr]
    read.clear()
    editing.add(hull, "1.33", "And one after its first.", after="1")
    assert len(read) == len(before) + 4  # numbers need every paragraph (3 lines, 1 more)


def test_syncing_one_paragraph_reads_it_alone_and_numbers_it_as_the_whole_outline_does(
    hull: VisitFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rendering one paragraph (F7's save) reads that paragraph whole and counts the
    others: its number is the one the whole outline gives, with ties in position, a
    group judged together, conclusions, deleted paragraphs and one filed under no item
    of the plan."""
    items = {item.ref: item for item in editing.reads.plan_items(hull)}
    editing.judge(hull, "1.33", "Good", None)
    tied = [
        finding_store.add_finding(hull, items[ref].id, f"Tied {n} under {ref}.", 2.0)
        for n in range(3)
        for ref in ("1.33", "1.34a", "1.34b")
    ]
    finding_store.delete_finding(hull, tied[4])
    finding_store.add_finding(hull, "no-such-item", "Filed under nothing.", 1.0)
    whole = {
        p.paragraph.finding.id: p.paragraph.number  # type: ignore[union-attr]
        for p in load(hull).paragraphs
        if p.paragraph.finding is not None
    }
    assert len(whole) > 10 and tied[4] not in whole
    filed = {f.id for f in finding_store.all_findings(hull)}  # not the summary's (1.x, 2.x)
    assert len(filed & set(whole)) > 10
    read = _counting_whole_reads(monkeypatch)
    for finding_id, number in whole.items():
        read.clear()
        alone = load(hull, only=finding_id).paragraphs
        assert [p.paragraph.number for p in alone] == [number]
        assert read == ([finding_id] if finding_id in filed else [])
    assert load(hull, only=tied[4]).paragraphs == []


def test_a_typed_paragraph_and_its_sync_state_are_one_commit(
    hull: VisitFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    """F7's save writes the paragraph and its sync state together (one commit, one
    fsync, the figures computed once for the render's check and the sync): when the
    sync cannot be written, the paragraph is not left half-saved."""
    from irp_field.api import findings as findings_api
    from irp_field.api import typed_writes

    computed: list[int] = []
    real = figures.compute

    def counted(visit: VisitFile) -> dict[str, figures.Figure]:
        computed.append(1)
        return real(visit)

    monkeypatch.setattr(figures, "compute", counted)
    monkeypatch.setattr(findings_api, "compute_figures", counted)
    commits: list[str] = []
    hull.conn.set_trace_callback(lambda sql: commits.append(sql) if sql == "COMMIT" else None)
    new_id = typed_writes.paragraph(hull, {"plan_ref": "1.33", "text": "Saved once."})
    assert commits == ["COMMIT"] and len(computed) == 1
    computed.clear()
    typed_writes.paragraph(hull, {"finding_id": new_id, "text": "Saved twice."})
    assert len(computed) == 1
    assert finding_store.sync_states(hull)[new_id].rendered == "Saved twice."
    written = len(finding_store.all_findings(hull))

    def refused(visit: VisitFile, finding_id: str, *computed: object) -> list[str]:
        raise IrpError("the sync could not be written")

    monkeypatch.setattr(findings_api, "sync_paragraph", refused)
    with pytest.raises(IrpError, match="could not be written"):
        typed_writes.paragraph(hull, {"plan_ref": "1.33", "text": "Never half-saved."})
    assert len(finding_store.all_findings(hull)) == written

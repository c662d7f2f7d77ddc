"""Section 2's tally, one function for the report and the judgement board: the board's
sentences and bars are the report's, and the sentence reads as the published reports do."""

from __future__ import annotations

from irp_field.api.views.judgements import board
from irp_field.core.visit_file import VisitFile
from irp_field.domain.plan import HMIP_SCALE, OFSTED_SCALE
from irp_field.findings import judgement_tally
from irp_field.findings import paragraphs as finding_store
from irp_field.findings.sync import load
from irp_field.report import content, inputs


def section_2_tallies(report: content.Report) -> list[str]:
    start = report.blocks.index(content.Heading(2, "Section 2 Key findings"))
    end = next(  # the next heading: Section 3, or notable positive practice inside Section 2
        i
        for i, block in enumerate(report.blocks)
        if i > start and isinstance(block, content.Heading)
    )
    texts = [b for b in report.blocks[start:end] if isinstance(b, content.Text)]
    assert texts[0].number == "2.1"  # what was followed up; the tallies come after it
    return [b.text for b in texts[1:]]


def test_the_board_words_the_tally_as_section_2_does(hull: VisitFile) -> None:
    report = content.build(inputs.load(hull, load(hull)))
    shown = board(hull)
    assert shown.tallies == section_2_tallies(report)
    assert shown.tallies == [
        "HMI Prisons judged that there was good progress in two recommendations, reasonable "
        "progress in three recommendations and insufficient progress in four recommendations.",
        "Ofsted judged that there was reasonable progress in all three themes.",
    ]
    report_charts = [b for b in report.blocks if isinstance(b, content.Chart)]
    assert [c.split("\n")[0] for c in shown.charts] == ["HMI Prisons (n=9)", "Ofsted (n=3)"]
    for chart, bars in zip(report_charts, shown.charts, strict=True):
        for label, n in chart.slices:
            assert any(
                line.startswith(label) and line.endswith(f"  {n}") for line in bars.splitlines()
            )


def test_the_board_follows_a_cleared_judgement_as_the_report_does(hull: VisitFile) -> None:
    assert finding_store.clear_judgement(hull, "1.34")  # Hull's 1.34a and 1.34b, judged together
    report = content.build(inputs.load(hull, load(hull)))
    shown = board(hull)
    assert shown.tallies == section_2_tallies(report)
    assert shown.charts[0].startswith("HMI Prisons (n=8)")


def test_the_tally_sentence_in_each_case() -> None:
    assert judgement_tally.tally(HMIP_SCALE, {}, 3) == (
        "HMI Prisons has not yet judged progress against any recommendation."
    )
    assert judgement_tally.tally(OFSTED_SCALE, {"reasonable": 3}, 3) == (
        "Ofsted judged that there was reasonable progress in all three themes."
    )
    # One unit judged of one followed up: no "all".
    assert judgement_tally.tally(OFSTED_SCALE, {"reasonable": 1}, 1) == (
        "Ofsted judged that there was reasonable progress in one theme."
    )
    # Some still to judge: the judged ones are listed, best first.
    assert judgement_tally.tally(HMIP_SCALE, {"insufficient": 1, "good": 2}, 4) == (
        "HMI Prisons judged that there was good progress in two recommendations and "
        "insufficient progress in one recommendation."
    )


def test_the_counts_chart_and_bars_of_the_hull_sample(hull: VisitFile) -> None:
    units = [u for section in load(hull).sections for u in section.units]
    hmip = judgement_tally.count(units, HMIP_SCALE)
    assert (hmip.followed_up, hmip.judged) == (9, 9)
    chart = judgement_tally.chart(hmip, "Figure 2")
    assert chart.n == 9 and chart.scale == "hmip" and chart.note == ""
    assert [label for label, _ in chart.slices] == [
        level.label for level in reversed(HMIP_SCALE.levels)
    ]
    lines = judgement_tally.bars(chart, width=10).splitlines()
    assert len(lines) == len(chart.slices)
    widest = max(n for _, n in chart.slices)
    assert any(line.count("█") == 10 and line.endswith(f"  {widest}") for line in lines)


def test_a_visit_that_followed_up_nothing_yet_says_no_recommendations(
    empty_visit: VisitFile,
) -> None:
    """A count before its noun is "no", never the "none" a count alone reads: Section 2
    of a report made before the plan was set up said "we followed up none recommendations"."""
    assert judgement_tally.units_word(HMIP_SCALE, 0) == "no recommendations"
    assert judgement_tally.units_word(OFSTED_SCALE, 0) == "no themes"
    assert judgement_tally.units_word(HMIP_SCALE, 1) == "one recommendation"
    report = content.build(inputs.load(empty_visit, load(empty_visit)))
    followed = next(b for b in report.blocks if isinstance(b, content.Text) and b.number == "2.1")
    assert followed.text == (
        "At this IRP visit, we followed up no recommendations from our most recent inspection."
    )

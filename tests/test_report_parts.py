"""The report's parts besides the findings: written in the tool, kept in the visit, synced
like findings, printed where the published reports print them, and carried by bundles."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from irp_field import api
from irp_field.api import report_parts
from irp_field.cli import main
from irp_field.core.visit_file import VisitFile
from irp_field.domain import report_parts as rules
from irp_field.domain.errors import IrpError
from irp_field.domain.verdicts import RecordRefused
from irp_field.findings import part_defaults
from irp_field.findings.sync import load, sync
from irp_field.interchange import samples
from irp_field.report import content, inputs
from irp_field.report.build import make


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def _markdown(visit: VisitFile) -> str:
    _, text = make(visit, "markdown")
    assert isinstance(text, str)
    return text


# -- the rules ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "text", "words"),
    [
        ("no_such_part", "x", "unknown part"),
        ("signature_name", "Two\nlines", "control character"),
        ("signature_name", "x" * 201, "at most 200"),
        ("outcomes_after", "3.2", "a summary paragraph such as 1.2"),
        ("about", "x" * 100_001, "at most 100,000"),
    ],
)
def test_a_part_the_rules_refuse(key: str, text: str, words: str) -> None:
    found = rules.part_verdicts(key, text)
    assert found and found[0].refuses and words in found[0].message


def test_parts_terms_and_outcomes_the_rules_accept() -> None:
    assert rules.part_verdicts("back_page", "") == []  # an empty part prints nothing
    assert rules.part_verdicts("outcomes_after", "1.4") == []
    entry, found = rules.term_verdicts(" Leader ", "Anyone who leads.", "lead;  ; manager")
    assert found == [] and entry.term == "Leader" and entry.matches == ("lead", "manager")
    outcome, found = rules.outcome_verdicts("2021", "safety", "not sufficiently GOOD")
    assert found == [] and (outcome.test, outcome.judgement) == ("Safety", "Not sufficiently good")
    _, found = rules.outcome_verdicts("21", "Decency", "Fine")
    assert {v.field for v in found} == {"year", "test", "judgement"}
    assert rules.term_verdicts("", "x")[1][0].field == "term"
    assert rules.paragraph_verdicts("appendix", " ")[0].field == "section"


def test_a_standing_text_is_paragraphs_and_list_lines() -> None:
    blocks = rules.text_blocks("One\nline.\n\nThe aims:\n\n- first\n- second\n\nLast.")
    assert [(b.kind, b.text) for b in blocks] == [
        ("paragraph", "One\nline."),
        ("paragraph", "The aims:"),
        ("item", "first"),
        ("item", "second"),
        ("paragraph", "Last."),
    ]


def test_a_term_is_used_by_its_words_its_abbreviation_or_its_other_forms() -> None:
    term = "Challenge, support and intervention plan (CSIP)"
    assert rules.uses_term("the CSIP process", term)
    assert rules.uses_term("a challenge, support and intervention plan", term)
    assert not rules.uses_term("CSIPs-free", "Time out of cell")
    assert rules.uses_term("Leadership (see Glossary)", "Leader")
    assert not rules.uses_term("misleader", "Leader")  # at the start of a word only
    assert rules.uses_term("lack of key work activity", "Key worker scheme", ("key work",))


# -- the summary and notable positive practice ----------------------------------------


def test_summary_paragraphs_quote_figures_and_sync_like_findings(hull: VisitFile) -> None:
    state = load(hull)
    shown = {p.paragraph.number: p for p in state.paragraphs}
    assert shown["1.5"].text.startswith(
        "During this review visit, we examined nine key recommendations and our colleagues in "
        "Ofsted addressed three themes."
    )
    assert "insufficient progress against four of these" in shown["1.5"].text
    assert "locked in their cells for 23 hours a day" in shown["1.3"].text
    sync(hull)
    api.judge(hull, "1.36", "reasonable", None)
    check = sync(hull, check=True)
    assert "1.5" in check.stale_numbers
    assert "1.5  judgements.hmip.insufficient  4 -> 3" in [c.line() for c in check.changes]


def test_add_edit_move_and_delete_summary_paragraphs(hull: VisitFile) -> None:
    new_id, number = report_parts.add_paragraph(
        hull, "We found {{ roll.pct_locked_up }} locked up.", after="1.2"
    )
    assert number == "1.3"
    numbered = {p.number: p for p in report_parts.numbered(hull)}
    assert numbered["1.3"].finding is not None and numbered["1.3"].finding.id == new_id
    assert numbered["1.4"].finding is not None
    assert numbered["1.4"].finding.text.startswith("At our last visit")
    report_parts.edit_paragraph(hull, "1.3", "Edited.")
    assert report_parts.move_paragraph(hull, "1.3", -1) is not None
    assert report_parts.numbered(hull)[1].finding.text == "Edited."  # type: ignore[union-attr]
    report_parts.delete_paragraph(hull, "1.2")
    assert len(report_parts.numbered(hull)) == 9
    with pytest.raises(IrpError, match=r"unknown figure 'roll.nope'"):
        report_parts.add_paragraph(hull, "{{ roll.nope }}")
    with pytest.raises(IrpError, match=r"no summary or practice paragraph '1.42'"):
        report_parts.edit_paragraph(hull, "1.42", "x")


def test_notable_positive_practice_follows_its_definition(hull: VisitFile) -> None:
    text = _markdown(hull)
    assert "2.4 Inspectors found no examples of notable positive practice" in text
    report_parts.add_paragraph(hull, "The gym ran a peer mentors' scheme.", practice=True)
    text = _markdown(hull)
    assert "2.4 The gym ran a peer mentors' scheme." in text
    assert "found no examples of notable positive practice" not in text  # practice_none
    report_parts.set_part(hull, "practice_definition", "")
    assert "2.3 The gym ran a peer mentors' scheme." in _markdown(hull)


def test_figure_1_and_the_signature_come_from_the_visit(hull: VisitFile) -> None:
    report_parts.set_outcome(hull, "2016", "Respect", "Good")
    report_parts.set_part(hull, "outcomes_after", "1.1")
    report_parts.set_part(hull, "signature_date", "{{ visit.month }}")
    lines = [line for line in _markdown(hull).splitlines() if line]
    figure = lines.index("**Figure 1: HMP Hull healthy prison outcomes in 2016, 2018 and 2021**")
    assert lines[figure - 1].startswith("1.1 HMP Hull is a large")
    assert lines[figure + 1] == "| Healthy prison test | 2016 | 2018 | 2021 |"
    assert lines[figure + 4] == "| Respect | Good | Reasonably good | Not sufficiently good |"
    assert "March 2022" in lines
    report_parts.delete_outcome(hull, "2016", "Respect")
    with pytest.raises(IrpError, match="no Respect outcome for 2016"):
        report_parts.delete_outcome(hull, "2016", "Respect")


def test_figures_are_numbered_in_order_without_figure_1(empty_visit: VisitFile) -> None:
    """Before any judgement the tally's pie is a sentence that takes no number (it was a
    grey "n=0" pie, Figure 1); the first judgement brings the pie, as Figure 1."""
    api.add_plan_item(empty_visit, "1.1", area="Safety", text="Be safer.")
    text = _markdown(empty_visit)
    # nothing written for Section 1 yet: it is there, and says so (it was left out, and
    # the report began at Section 2 with no word of the summary to come)
    assert (
        "## Section 1 Chief Inspector's summary\n\nThe Chief Inspector's summary is not "
        "written yet." in text
    )
    assert "n=0" not in text and "Figure" not in text
    assert (
        "No recommendations judged yet: the chart of progress against them appears here once "
        "the first recommendation is judged." in text
    )
    api.judge(empty_visit, "1.1", "good", "Done.")
    text = _markdown(empty_visit)
    assert "**Figure 1: Progress on HMI Prisons recommendations (n=1)**" in text
    assert "No recommendations judged yet" not in text


# -- the glossary and the standing texts ----------------------------------------------


def test_the_glossary_prints_only_the_terms_the_report_uses(hull: VisitFile) -> None:
    report = content.build(inputs.load(hull, load(hull)))
    start = report.blocks.index(content.Heading(2, "Appendix II Glossary of terms"))
    terms = [
        b.text for b in report.blocks[start:] if isinstance(b, content.Text) and b.kind == "term"
    ]
    assert len(terms) == 7
    report_parts.set_term(hull, "Mandatory drug testing (MDT)", "Random drug tests.")
    report_parts.set_term(hull, "Time out of cell", "Unlocked time.", "unlocked")
    report = content.build(inputs.load(hull, load(hull)))
    texts = [b.text for b in report.blocks if isinstance(b, content.Text)]
    assert "Mandatory drug testing (MDT)" not in texts  # the report never mentions it
    assert "Unlocked time." in texts
    report_parts.delete_term(hull, "time out of CELL")
    with pytest.raises(IrpError, match="no glossary term"):
        report_parts.delete_term(hull, "Time out of cell")


def test_a_standing_text_is_checked_renders_and_resets(hull: VisitFile) -> None:
    with pytest.raises(IrpError, match="report part back_page: unknown figure"):
        report_parts.set_part(hull, "back_page", "{{ visit.yeer }}")
    with pytest.raises(IrpError, match="did you mean back_page"):
        report_parts.set_part(hull, "back_pge", "x")
    with pytest.raises(RecordRefused, match="signature name holds a control character"):
        report_parts.set_part(hull, "signature name", "Charlie\nTaylor")
    assert report_parts.set_part(hull, "Back page", "© {{ visit.year }} the inspectorate.")
    assert "© 2022 the inspectorate." in _markdown(hull)
    assert not report_parts.set_part(hull, "back_page", "© {{ visit.year }} the inspectorate.")
    assert report_parts.reset_part(hull, "back_page")
    text = _markdown(hull)
    assert "Copyright 2022" in text and "Crown copyright" not in text  # the shipped default


def test_a_new_visit_starts_with_the_defaults_and_the_team_leaders_own(
    tmp_path: Path, irp_home: Path
) -> None:
    with api.create_visit(tmp_path / "a.db", establishment="HMP A", start="2022-03-14",
                          end="2022-03-16") as visit:  # fmt: skip
        own = {p.key: p for p in report_parts.parts(visit)}
        assert own["about"].own and own["about"].text == part_defaults.shipped().parts["about"]
        assert len(report_parts.glossary(visit)) == len(part_defaults.shipped().glossary)
        report_parts.set_part(visit, "signature_name", "Sara Pennington")
        report_parts.set_term(visit, "Leader", "Anyone who leads.")
        saved = report_parts.save_defaults(visit)
    assert saved == irp_home / "report-defaults.toml"
    with api.create_visit(tmp_path / "b.db", establishment="HMP B", start="2023-01-09",
                          end="2023-01-11") as second:  # fmt: skip
        parts = {p.key: p.text for p in report_parts.parts(second)}
        assert parts["signature_name"] == "Sara Pennington"
        terms = {t.term: t.definition for t in report_parts.glossary(second)}
        assert terms["Leader"] == "Anyone who leads."
    saved.write_text("[parts]\nabout = 3\n", encoding="utf-8")
    with pytest.raises(IrpError, match="about must be text in quotes"):
        api.create_visit(tmp_path / "c.db", establishment="HMP C", start="2023-01-09",
                         end="2023-01-11")  # fmt: skip
    assert not (tmp_path / "c.db").exists()


# -- the HTML and Markdown writers -----------------------------------------------------


def test_html_has_a_linked_contents_list_and_linked_cross_references(hull: VisitFile) -> None:
    _, html = make(hull, "html", sync_first=True)
    assert isinstance(html, str)
    contents = re.search(r'<nav class="contents">(.*?)</nav>', html)
    assert contents is not None
    targets = re.findall(r'href="#([^"]+)"', contents.group(1))
    assert targets == [
        "section-1",
        "section-2",
        "section-3",
        "section-4",
        "appendix-i",
        "appendix-ii",
    ]
    for target in targets:
        assert f'id="{target}"' in html
    assert '(see paragraphs <a href="#p3.7">3.7</a> and <a href="#p3.14">3.14</a>)' in html
    assert 'id="p3.7"' in html and 'id="p3.14"' in html
    assert '(see <a href="#appendix-ii">Glossary</a>)' in html
    assert (
        '<a href="https://www.gov.uk/government/publications/education-inspection-framework">'
        in html
    )
    assert "<em>Further education and skills inspection handbook</em>" in html
    assert '<img src="data:image/png;base64,' in html
    assert '<th scope="col">Healthy prison test</th>' in html


def test_markdown_captions_say_what_the_chart_is(hull: VisitFile) -> None:
    text = _markdown(hull)
    assert "This pie chart" not in text
    note = "*This bar chart excludes any recommendations that were followed up as part of a theme"
    assert note in text
    bars = text.split("**Figure 2:")[1].split("```text\n")[1].split("```")[0]
    assert bars.splitlines()[0].startswith("Good progress") and bars.splitlines()[0].endswith("2")


# -- bundles, the command line, the sample's photograph --------------------------------


def test_a_bundle_carries_every_part_and_builds_the_same_report(
    hull: VisitFile, tmp_path: Path
) -> None:
    from irp_field.interchange.bundle import build_from_bundle, write_bundle

    exported = write_bundle(hull, tmp_path / "bundle")
    for name in ("report-parts.toml", "summary.md", "attachments.csv"):
        assert (exported / name).is_file()
    assert (exported / "attachments" / "segregation-unit-exercise-bicycles.png").is_file()
    rebuilt = build_from_bundle(exported, tmp_path / "rebuilt.db")
    with VisitFile.open(rebuilt) as again:
        assert _markdown(again) == _markdown(hull)
    shipped = samples.sample_bundle()
    for name in ("summary.md", "attachments.csv"):
        assert (shipped / name).read_text() == (exported / name).read_text().replace(
            "irp-field report paragraphs: '## summary' holds Section 1, '## practice' notable "
            "positive practice; paragraphs separated by a blank line; a paragraph between ~~~ "
            "lines is read exactly as it stands",
            "irp-field report paragraphs: '## summary' holds Section 1, the Chief Inspector's "
            "summary (1.1, 1.2, ...); '## practice' holds notable positive practice (after its "
            "definition in report-parts.toml); one paragraph per line",
        )


def test_the_commands_write_and_print_every_part(hull_path: Path) -> None:
    v = str(hull_path)
    code, out = run(
        "summary", "add", v, "Progress was {{ judgements.hmip.good | number }}.", "--practice"
    )
    assert code == 0 and "Added paragraph 2.4" in out
    code, out = run("summary", "list", v)
    assert code == 0 and "*1.1  HMP Hull is a large" in out and "*2.4  Progress was two." in out
    code, out = run("summary", "edit", v, "2.4", "Changed.")
    assert code == 0 and "Edited paragraph 2.4." in out
    code, out = run("summary", "delete", v, "2.4")
    assert code == 0 and "Deleted paragraph 2.4" in out
    code, out = run("parts", "show", v, "signature-name")
    assert code == 0 and out == "Charlie Taylor\n"
    code, out = run("parts", "set", v, "back_page", "Copyright {{ visit.year }}.")
    assert code == 0 and "Set back_page." in out
    code, out = run("parts", "list", v)
    assert code == 0 and re.search(r"back_page\s+visit\s+Copyright \{\{ visit.year \}\}\.", out)
    code, out = run("parts", "reset", v, "back_page")
    assert code == 0 and "back to the default" in out
    code, out = run("glossary", "set", v, "Mandatory drug testing (MDT)", "Random tests.")
    assert code == 0
    code, out = run("glossary", "list", v)
    assert "Mandatory drug testing (MDT)\n    Random tests." in out
    code, out = run("outcomes", "set", v, "2016", "safety", "good")
    assert code == 0 and "2016  Safety: Good" in out
    code, out = run("outcomes", "set", v, "2016", "decency", "good")
    assert code == 1 and "unknown test 'decency'" in out
    code, out = run("parts", "set", v, "about")
    assert code == 1 and "give the text, or --file FILE" in out


def test_the_sample_photograph_is_what_its_script_draws() -> None:
    script = Path(__file__).resolve().parents[1] / "docs" / "sample_photograph.py"
    spec = importlib.util.spec_from_file_location("sample_photograph", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    shipped = samples.sample_bundle() / "attachments" / "segregation-unit-exercise-bicycles.png"
    assert module.draw() == shipped.read_bytes()


def test_no_team_recorded_yet_prints_no_empty_team_table(empty_visit: VisitFile) -> None:
    """Appendix I said "This independent review of progress was carried out by:" over a
    table of headers alone (Name, Role) in all three formats until a team was recorded."""
    report = content.build(inputs.load(empty_visit, load(empty_visit)))
    assert not [b for b in report.blocks if isinstance(b, content.Team)]
    texts = [b.text for b in report.blocks if isinstance(b, content.Text | content.Heading)]
    assert "Inspection team" not in texts
    assert "This independent review of progress was carried out by:" not in texts
    _, text = make(empty_visit, "markdown")
    assert isinstance(text, str) and "| Name | Role |" not in text


def test_a_recorded_team_is_listed_under_its_heading(hull: VisitFile) -> None:
    report = content.build(inputs.load(hull, load(hull)))
    teams = [b for b in report.blocks if isinstance(b, content.Team)]
    assert len(teams) == 1 and teams[0].members[0] == ("Martin Lomas", "Deputy Chief Inspector")
    heading = report.blocks.index(content.Heading(3, "Inspection team"))
    assert report.blocks[heading + 2] == teams[0]

"""The Word report's house template: what ``docs/house_template.py`` writes, Arial with no
theme font anywhere to override it, and none of python-docx's template's leftovers."""

from __future__ import annotations

import importlib.util
import io
import re
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from irp_field.core.visit_file import VisitFile
from irp_field.report import word_layout
from irp_field.report.build import make

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _script() -> ModuleType:
    script = Path(__file__).resolve().parents[1] / "docs" / "house_template.py"
    spec = importlib.util.spec_from_file_location("house_template", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def hull_docx(hull_template: Path, tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    import shutil

    path = tmp_path_factory.mktemp("template") / "hull.db"
    shutil.copy(hull_template, path)
    with VisitFile.open(path, user="Sara Pennington") as visit:
        _, data = make(visit, "docx", sync_first=True)
    assert isinstance(data, bytes)
    return zipfile.ZipFile(io.BytesIO(data))


def test_the_shipped_template_is_what_its_script_writes(tmp_path: Path) -> None:
    """Edit the house style in docs/house_template.py and run it: the binary follows."""
    script = _script()
    with zipfile.ZipFile(io.BytesIO(word_layout.template())) as shipped:
        assert shipped.namelist() == list(script.parts())
        for name, data in script.parts().items():
            assert shipped.read(name) == data, name
    script.write(tmp_path / "again.docx")
    assert (tmp_path / "again.docx").read_bytes() == word_layout.template()  # reproducible


def test_no_style_names_a_theme_font_and_every_font_is_arial(hull_docx: zipfile.ZipFile) -> None:
    """A theme font named in a style overrides the font set beside it: python-docx's
    template's headings and title named Calibri's and Cambria's theme slots."""
    from lxml import etree

    for part in ("word/styles.xml", "word/numbering.xml", "word/document.xml"):
        xml = hull_docx.read(part).decode("utf-8")
        assert not re.search(r'w:(ascii|hAnsi|eastAsia|cs)theme="', xml, re.IGNORECASE), part
        fonts = etree.fromstring(xml.encode("utf-8")).iter(f"{W}rFonts")
        named = {
            value for element in fonts for key, value in element.attrib.items() if key != f"{W}hint"
        }
        assert named <= {"Arial"}, (part, named)
    styles = etree.fromstring(hull_docx.read("word/styles.xml"))
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert defaults is not None
    assert {defaults.get(f"{W}{side}") for side in ("ascii", "hAnsi", "eastAsia", "cs")} == {
        "Arial"
    }
    theme = hull_docx.read("word/theme/theme1.xml").decode("utf-8")
    latin = re.findall(r'<a:(major|minor)Font>\s*<a:latin typeface="([^"]*)"', theme)
    assert latin == [("major", "Arial"), ("minor", "Arial")]
    settings = hull_docx.read("word/settings.xml").decode("utf-8")
    assert '<w:themeFontLang w:val="en-GB"/>' in settings


def test_the_report_carries_none_of_python_docx_s_leftovers(hull_docx: zipfile.ZipFile) -> None:
    names = hull_docx.namelist()
    assert not [n for n in names if "thumbnail" in n or n.startswith("customXml")]
    assert "word/stylesWithEffects.xml" not in names
    assert all(
        "python-docx" not in hull_docx.read(n).decode("utf-8") for n in names if n.endswith(".xml")
    )


def test_headings_start_their_pages_and_captions_keep_with_what_follows(
    hull_docx: zipfile.ZipFile,
) -> None:
    """The style says it once: Section headings (Heading 1) start a page, as the published
    report's do; every heading and caption stays with the paragraph after it."""
    import docx

    document = docx.Document(io.BytesIO(word_layout.template()))
    styles = document.styles
    assert styles["Heading 1"].paragraph_format.page_break_before
    for name in ("Heading 1", "Heading 2", "Heading 3", "Caption"):
        assert styles[name].paragraph_format.keep_with_next, name
    assert styles["TOC Heading"].base_style.name == "Heading 1"  # the contents: a page too
    section = document.sections[0]
    assert section.different_first_page_header_footer  # no page number on the cover
    assert section.first_page_footer.paragraphs[0].text == ""

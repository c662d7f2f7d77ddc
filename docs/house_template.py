"""Build the Word report's house template: python docs/house_template.py

The Word report starts from ``irp_field/report/house.docx``, not from python-docx's
default template, whose styles name the theme's fonts (Calibri and Cambria) and so
override any font set on them (Word showed the headings in Calibri, LibreOffice in
DejaVu Sans), whose page is US Letter, whose language is US English, and which carries
a thumbnail, a customXml item and a second copy of its styles that no report needs.

This script writes the template whole, every part from the text below, so that the
house style is read here and not in a binary file: Arial everywhere (the document's
defaults, and the theme's fonts too, for any built-in style Word adds when someone
edits the report), British English, widow and orphan control, A4 with 2.5 cm margins,
"Page N" in the footer from the second page on (the cover has none), Section headings
that start a page, captions and headings kept with what follows, the contents' entries
with a dot leader to the page number, one bullet list. Only the theme comes from
python-docx's template (its colours and effects; its fonts made Arial).

``tests/test_report_word_template.py`` checks that the shipped file is what this writes.
"""

# ruff: noqa: E501  (the parts are XML, a line each as Word writes them)
from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "irp_field" / "report" / "house.docx"

FONT = "Arial"
LANGUAGE = "en-GB"
INK = "1F3864"  # headings' dark blue: 11.6:1 on white

# A4 in twentieths of a point, and 2.5 cm margins: the text is 16 cm wide.
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = 11906, 16838, 1417
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"

CONTENT_TYPES = f"""{DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>
<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>
<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>
<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>
<Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>
<Override PartName="/word/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>
</Types>
"""

PACKAGE_RELS = f"""{DECLARATION}<Relationships xmlns="{REL}">
<Relationship Id="rId1" Type="{R}/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
<Relationship Id="rId3" Type="{R}/extended-properties" Target="docProps/app.xml"/>
</Relationships>
"""

# Empty: the report writes its own title, author, dates and language.
CORE = f"""{DECLARATION}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title></dc:title>
<dc:creator></dc:creator>
<dc:language>{LANGUAGE}</dc:language>
<cp:revision>1</cp:revision>
</cp:coreProperties>
"""

APP = f"""{DECLARATION}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">
<Application>irp-field</Application>
</Properties>
"""

DOCUMENT_RELS = f"""{DECLARATION}<Relationships xmlns="{REL}">
<Relationship Id="rId1" Type="{R}/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="{R}/numbering" Target="numbering.xml"/>
<Relationship Id="rId3" Type="{R}/settings" Target="settings.xml"/>
<Relationship Id="rId4" Type="{R}/fontTable" Target="fontTable.xml"/>
<Relationship Id="rId5" Type="{R}/theme" Target="theme/theme1.xml"/>
<Relationship Id="rId6" Type="{R}/footer" Target="footer1.xml"/>
<Relationship Id="rId7" Type="{R}/footer" Target="footer2.xml"/>
</Relationships>
"""

# One section: A4 portrait; footer1 on every page but the first (the cover), footer2 (empty).
DOCUMENT = f"""{DECLARATION}<w:document xmlns:w="{W}" xmlns:r="{R}">
<w:body>
<w:sectPr>
<w:footerReference w:type="default" r:id="rId6"/>
<w:footerReference w:type="first" r:id="rId7"/>
<w:pgSz w:w="{PAGE_WIDTH}" w:h="{PAGE_HEIGHT}"/>
<w:pgMar w:top="{MARGIN}" w:right="{MARGIN}" w:bottom="{MARGIN}" w:left="{MARGIN}" w:header="709" w:footer="709" w:gutter="0"/>
<w:cols w:space="708"/>
<w:titlePg/>
<w:docGrid w:linePitch="360"/>
</w:sectPr>
</w:body>
</w:document>
"""

# "Page N": N a PAGE field, as Word writes one (begin, instruction, separate, result, end).
FOOTER = f"""{DECLARATION}<w:ftr xmlns:w="{W}" xmlns:r="{R}">
<w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>
<w:r><w:t xml:space="preserve">Page </w:t></w:r>
<w:r><w:fldChar w:fldCharType="begin"/></w:r>
<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>
<w:r><w:fldChar w:fldCharType="separate"/></w:r>
<w:r><w:t>2</w:t></w:r>
<w:r><w:fldChar w:fldCharType="end"/></w:r>
</w:p>
</w:ftr>
"""

COVER_FOOTER = f"""{DECLARATION}<w:ftr xmlns:w="{W}" xmlns:r="{R}">
<w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr></w:p>
</w:ftr>
"""

# The bullet list (numId 1, the List Bullet style's); the report adds one numbered list
# per section after it (``word_layout.numbering``).
NUMBERING = f"""{DECLARATION}<w:numbering xmlns:w="{W}">
<w:abstractNum w:abstractNumId="0">
<w:multiLevelType w:val="singleLevel"/>
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:pStyle w:val="ListBullet"/>
<w:lvlText w:val="\u2022"/><w:lvlJc w:val="left"/>
<w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr>
<w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:hint="default"/></w:rPr></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
</w:numbering>
"""

SETTINGS = f"""{DECLARATION}<w:settings xmlns:w="{W}">
<w:zoom w:percent="100"/>
<w:defaultTabStop w:val="720"/>
<w:characterSpacingControl w:val="doNotCompress"/>
<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>
<w:themeFontLang w:val="{LANGUAGE}"/>
<w:decimalSymbol w:val="."/>
<w:listSeparator w:val=","/>
</w:settings>
"""

FONT_TABLE = f"""{DECLARATION}<w:fonts xmlns:w="{W}">
<w:font w:name="{FONT}"><w:panose1 w:val="020B0604020202020204"/><w:charset w:val="00"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>
</w:fonts>
"""


def _style(kind: str, style_id: str, name: str, body: str = "", *, extra: str = "") -> str:
    return (
        f'<w:style w:type="{kind}" w:styleId="{style_id}"{extra}>'
        f'<w:name w:val="{name}"/>{body}</w:style>\n'
    )


def _paragraph_style(
    style_id: str,
    name: str,
    paragraph: str = "",
    run: str = "",
    *,
    based_on: str = "Normal",
    next_style: str = "",
    outline: int | None = None,
) -> str:
    body = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    if next_style:
        body += f'<w:next w:val="{next_style}"/>'
    body += "<w:qFormat/>"
    if outline is not None:
        paragraph += f'<w:outlineLvl w:val="{outline}"/>'
    if paragraph:
        body += f"<w:pPr>{paragraph}</w:pPr>"
    if run:
        body += f"<w:rPr>{run}</w:rPr>"
    return _style("paragraph", style_id, name, body)


def _run(points: float, *, bold: bool = False, colour: str = "") -> str:
    size = round(points * 2)
    out = "<w:b/><w:bCs/>" if bold else ""
    if colour:
        out += f'<w:color w:val="{colour}"/>'
    return out + f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'


KEEP = "<w:keepNext/><w:keepLines/>"


def styles() -> str:
    """Every style the report uses, and no other: none names a theme font."""
    fonts = f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
    defaults = (
        "<w:docDefaults><w:rPrDefault><w:rPr>"
        f'{fonts}<w:sz w:val="22"/><w:szCs w:val="22"/>'
        f'<w:lang w:val="{LANGUAGE}" w:eastAsia="{LANGUAGE}" w:bidi="ar-SA"/>'
        "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
        # No paragraph leaves a single line at a page's foot or top (Word's and
        # LibreOffice's default too; said here, as the schema leaves it off when unsaid).
        "<w:widowControl/>"
        '<w:spacing w:after="160" w:line="264" w:lineRule="auto"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>\n"
    )
    table_margins = (
        '<w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="57" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>'
    )
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    parts = [
        _style("paragraph", "Normal", "Normal", "<w:qFormat/>", extra=' w:default="1"'),
        _style(
            "character",
            "DefaultParagraphFont",
            "Default Paragraph Font",
            '<w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/>',
            extra=' w:default="1"',
        ),
        _style(
            "table",
            "TableNormal",
            "Normal Table",
            f'<w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
            f"{table_margins}</w:tblPr>",
            extra=' w:default="1"',
        ),
        _style(
            "numbering",
            "NoList",
            "No List",
            "<w:semiHidden/><w:unhideWhenUsed/>",
            extra=' w:default="1"',
        ),
        _paragraph_style(
            "Title",
            "Title",
            '<w:spacing w:before="2400" w:after="240" w:line="240" w:lineRule="auto"/>',
            _run(26, bold=True, colour=INK),
            next_style="Normal",
        ),
        _paragraph_style(
            "Subtitle",
            "Subtitle",
            '<w:spacing w:after="720" w:line="240" w:lineRule="auto"/>',
            _run(36, bold=True, colour=INK),
            next_style="Normal",
        ),
        _paragraph_style(
            "Heading1",
            "heading 1",
            f'{KEEP}<w:pageBreakBefore/><w:spacing w:before="0" w:after="240"/>',
            _run(16, bold=True, colour=INK),
            next_style="Normal",
            outline=0,
        ),
        _paragraph_style(
            "Heading2",
            "heading 2",
            f'{KEEP}<w:spacing w:before="360" w:after="120"/>',
            _run(13, bold=True, colour=INK),
            next_style="Normal",
            outline=1,
        ),
        _paragraph_style(
            "Heading3",
            "heading 3",
            f'{KEEP}<w:spacing w:before="240" w:after="80"/>',
            _run(11, bold=True),
            next_style="Normal",
            outline=2,
        ),
        _paragraph_style(
            "Caption",
            "caption",
            f'{KEEP}<w:spacing w:before="120" w:after="120"/>',
            _run(11, bold=True),
            next_style="Normal",
        ),
        _paragraph_style(
            "TOCHeading",
            "TOC Heading",
            based_on="Heading1",
            next_style="Normal",
            outline=9,  # not itself in the contents
        ),
        _paragraph_style(
            "TOC1",
            "toc 1",
            f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/></w:tabs>'
            '<w:spacing w:after="120"/>',
            next_style="Normal",
        ),
        _paragraph_style(
            "ListBullet",
            "List Bullet",
            '<w:numPr><w:numId w:val="1"/></w:numPr><w:spacing w:after="60"/>'
            "<w:contextualSpacing/>",
        ),
        _paragraph_style(
            "Footer",
            "footer",
            '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="center"/>',
            _run(9),
        ),
        _style(
            "character",
            "Hyperlink",
            "Hyperlink",
            '<w:basedOn w:val="DefaultParagraphFont"/><w:unhideWhenUsed/>'
            f'<w:rPr><w:color w:val="{INK}"/><w:u w:val="single"/></w:rPr>',
        ),
        _style(
            "table",
            "TableGrid",
            "Table Grid",
            '<w:basedOn w:val="TableNormal"/>'
            '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
            f'<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders>'
            f"{table_margins}</w:tblPr>",
        ),
    ]
    return f'{DECLARATION}<w:styles xmlns:w="{W}">\n{defaults}{"".join(parts)}</w:styles>\n'


def theme(python_docx_theme: str) -> str:
    """python-docx's theme with Arial as its heading and body fonts."""
    arial, count = re.subn(
        r'(<a:(?:majorFont|minorFont)>\s*<a:latin typeface=")[^"]*(")',
        rf"\g<1>{FONT}\g<2>",
        python_docx_theme,
    )
    assert count == 2, "python-docx's theme has changed shape"
    return arial


def _python_docx_theme() -> str:
    import docx

    default = Path(docx.__file__).parent / "templates" / "default.docx"
    with zipfile.ZipFile(default) as template:
        return template.read("word/theme/theme1.xml").decode("utf-8")


def parts() -> dict[str, bytes]:
    """The template's parts by name, in the order they are written."""
    texts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "docProps/core.xml": CORE,
        "docProps/app.xml": APP,
        "word/document.xml": DOCUMENT,
        "word/_rels/document.xml.rels": DOCUMENT_RELS,
        "word/styles.xml": styles(),
        "word/numbering.xml": NUMBERING,
        "word/settings.xml": SETTINGS,
        "word/fontTable.xml": FONT_TABLE,
        "word/footer1.xml": FOOTER,
        "word/footer2.xml": COVER_FOOTER,
        "word/theme/theme1.xml": theme(_python_docx_theme()),
    }
    return {name: text.encode("utf-8") for name, text in texts.items()}


def write(target: Path = TARGET) -> None:
    """The parts as a .docx, the same bytes every time (fixed dates, fixed order)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts().items():
            entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            package.writestr(entry, data)


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else TARGET)
    print(f"Wrote {TARGET if len(sys.argv) == 1 else sys.argv[1]}")

"""What the wheel ships: the package-data globs name files that exist, every file of the
package that is not Python is covered by one of them, and the installed package (in CI,
a plain ``pip install .``) holds them."""

from __future__ import annotations

import tomllib
from pathlib import Path

import irp_field

ROOT = Path(__file__).resolve().parent.parent  # the checkout
SOURCE = ROOT / "irp_field"
INSTALLED = Path(irp_field.__file__).resolve().parent


def _globs() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return list(config["tool"]["setuptools"]["package-data"]["irp_field"])


def test_every_package_data_glob_names_files_that_exist() -> None:
    for pattern in _globs():
        assert list(SOURCE.glob(pattern)), f"{pattern} matches nothing in {SOURCE}"


def test_every_file_that_is_not_python_is_shipped() -> None:
    shipped = {path for pattern in _globs() for path in SOURCE.glob(pattern)}
    others = {
        path
        for path in SOURCE.rglob("*")
        if path.is_file()
        and path.suffix not in (".py", ".pyc")
        and "__pycache__" not in path.parts
        and "sample_visits" not in path.relative_to(SOURCE).parts  # setup.py copies these
    }
    assert others <= shipped, sorted(str(p.relative_to(SOURCE)) for p in others - shipped)


def test_the_installed_package_holds_its_data_and_the_sample_visit() -> None:
    from irp_field.interchange import samples

    for pattern in _globs():
        for path in SOURCE.glob(pattern):
            assert (INSTALLED / path.relative_to(SOURCE)).is_file(), path
    assert (samples.sample_bundle() / "visit.toml").is_file()


def test_the_word_report_s_template_and_the_charts_font_are_shipped() -> None:
    """The Word report starts from its house template and draws its charts' words in the
    font shipped beside it (nothing is fetched): both are in the installed package,
    with the font's licence, and both open."""
    import io

    import docx
    from PIL import ImageFont

    report = INSTALLED / "report"
    document = docx.Document(io.BytesIO((report / "house.docx").read_bytes()))
    assert document.styles["Heading 1"].name == "Heading 1"
    for name in ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"):
        font = ImageFont.truetype(str(report / "fonts" / name), 12)
        assert font.getname()[0] == "Liberation Sans"
    assert "SIL OPEN FONT LICENSE Version 1.1" in (report / "fonts" / "OFL.txt").read_text()

"""What the wheel ships: the package-data globs name files that exist, every file of the
package that is not Python is covered by one of them, the installed package (in CI,
a plain ``pip install .``) holds them, and a wheel built the standard way (from the
sdist) carries the sample visit. (The wheel installed with no network, from a folder of
wheels, runs ``irp-field demo --no-ui`` in ``.ci/offline-install``.)"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

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


def _clean_source(folder: Path) -> Path:
    """What a fresh clone gives the build: the project's files, none of a checkout's
    build leftovers (a stale ``irp_field.egg-info/SOURCES.txt`` would stand in for the
    sdist's list of files, hiding what it leaves out)."""
    source = folder / "src"
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, source / name)
    ignored = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in ("irp_field", "sample_visits"):
        shutil.copytree(ROOT / name, source / name, ignore=ignored)
    return source


@pytest.mark.slow
def test_a_wheel_built_from_the_sdist_carries_the_sample_visit(tmp_path: Path) -> None:
    """``python -m build`` makes the sdist, then the wheel from the sdist alone: 0.3.0's
    sdist left ``sample_visits`` out, so its wheel had no sample and ``irp-field demo``
    failed ("the sample visit 'hmp-hull-2022' is not installed"). Built without build
    isolation, from this environment's setuptools: no network."""
    source = _clean_source(tmp_path)
    built = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(tmp_path / "dist")],
        cwd=source,
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    sample = ROOT / "sample_visits" / "hmp-hull-2022"
    expected = {
        p.relative_to(sample).as_posix(): p.read_bytes() for p in sample.rglob("*") if p.is_file()
    }
    assert "visit.toml" in expected and "attachments/segregation-unit-exercise-bicycles.png" in (
        expected
    )
    (sdist,) = (tmp_path / "dist").glob("irp_field-*.tar.gz")
    with tarfile.open(sdist) as archive:
        in_sdist = {
            n.split("/sample_visits/hmp-hull-2022/", 1)[-1]
            for n in archive.getnames()
            if "/sample_visits/hmp-hull-2022/" in n
        }
    assert set(expected) <= in_sdist
    (wheel,) = (tmp_path / "dist").glob("irp_field-*.whl")
    prefix = "irp_field/sample_visits/hmp-hull-2022/"
    with zipfile.ZipFile(wheel) as archive:
        shipped = {
            n.removeprefix(prefix): archive.read(n)
            for n in archive.namelist()
            if n.startswith(prefix)
        }
    assert shipped == expected  # every file, byte for byte, and nothing else


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

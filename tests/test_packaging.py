"""What the wheel ships: the package-data globs name files that exist, and every file of
the package that is not Python is covered by one of them."""

from __future__ import annotations

import tomllib
from pathlib import Path

import irp_field

PACKAGE = Path(irp_field.__file__).parent
ROOT = PACKAGE.parent


def _globs() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return list(config["tool"]["setuptools"]["package-data"]["irp_field"])


def test_every_package_data_glob_names_files_that_exist() -> None:
    for pattern in _globs():
        assert list(PACKAGE.glob(pattern)), f"{pattern} matches nothing in {PACKAGE}"


def test_every_file_that_is_not_python_is_shipped() -> None:
    shipped = {path for pattern in _globs() for path in PACKAGE.glob(pattern)}
    others = {
        path
        for path in PACKAGE.rglob("*")
        if path.is_file()
        and path.suffix not in (".py", ".pyc")
        and "__pycache__" not in path.parts
        and "sample_visits" not in path.relative_to(PACKAGE).parts  # setup.py copies these
    }
    assert others <= shipped, sorted(str(p.relative_to(PACKAGE)) for p in others - shipped)

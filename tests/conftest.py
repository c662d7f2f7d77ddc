"""Shared fixtures: a private data folder for every test, and visits to work on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from irp_field.core.visit_file import VisitFile
from irp_field.interchange import samples
from irp_field.interchange.bundle import build_from_bundle


@pytest.fixture(autouse=True)
def irp_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data folder through IRP_FIELD_HOME, never the user's."""
    home = tmp_path_factory.mktemp("irp-home")
    monkeypatch.setenv("IRP_FIELD_HOME", str(home))
    monkeypatch.setenv("IRP_FIELD_USER", "Test Inspector")
    return home


@pytest.fixture(scope="session")
def hull_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Hull sample built once per session; copy it with ``hull_path`` before writing."""
    folder = tmp_path_factory.mktemp("hull-template")
    return build_from_bundle(samples.sample_bundle(), folder / "hull.db", user="Sara Pennington")


@pytest.fixture
def hull_path(hull_template: Path, tmp_path: Path) -> Path:
    """A private copy of the Hull sample visit file."""
    import sqlite3

    target = tmp_path / "hull.db"
    source = sqlite3.connect(hull_template)
    copy = sqlite3.connect(target)
    with copy:
        source.backup(copy)
    source.close()
    copy.close()
    return target


@pytest.fixture
def hull(hull_path: Path) -> Iterator[VisitFile]:
    with VisitFile.open(hull_path, user="Jade Richards") as visit:
        yield visit


@pytest.fixture
def empty_visit(tmp_path: Path) -> Iterator[VisitFile]:
    """A visit with nothing in it yet, on the Hull sample's dates (evidence is dated
    inside its visit, or an import refuses it)."""
    with VisitFile.create(
        tmp_path / "empty.db",
        establishment="HMP Test",
        start_date="2022-03-14",
        end_date="2022-03-16",
        user="Test Inspector",
    ) as visit:
        yield visit

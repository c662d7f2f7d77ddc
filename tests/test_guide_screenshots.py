"""The guide's screenshot script writes the same pictures every run (issue 22): the
folder the visits are in, the clock the files' stamps read and whoever runs it showed
on Home, History and Conflicts, so each run rewrote those pictures."""

from __future__ import annotations

import asyncio
import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "docs" / "screenshots.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("guide_screenshots", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _shot(script: ModuleType, name: str, pictures: Path) -> bytes:
    """One screen of the guide, shot as the script does, in the script's own folder."""
    shutil.rmtree(script.FOLDER, ignore_errors=True)
    script.FOLDER.mkdir(parents=True)
    try:
        asyncio.run(script.shoot(name, getattr(script, name.replace("-", "_")), script.FOLDER))
    finally:
        shutil.rmtree(script.FOLDER, ignore_errors=True)
    return (pictures / f"{name}.svg").read_bytes()


@pytest.mark.tui
def test_the_guide_s_home_picture_is_the_same_every_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = _script()
    (tmp_path / "pictures").mkdir()
    monkeypatch.setattr(script, "HERE", tmp_path / "pictures")
    monkeypatch.setattr(script, "FOLDER", tmp_path / "irp-field-guide")
    monkeypatch.setenv("IRP_FIELD_HOME", str(tmp_path / "unused"))  # shoot sets it
    script.fix_the_wall_clock(monkeypatch.setattr)
    first = _shot(script, "home", tmp_path / "pictures")
    second = _shot(script, "home", tmp_path / "pictures")
    assert first == second
    # the visit's last change is the script's clock (Wednesday 14:00), not this run's
    assert "2022-03-16" in first.decode() and "14:00" in first.decode()

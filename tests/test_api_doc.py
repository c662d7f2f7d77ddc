"""docs/api.md's script runs as written, prints what the page says it prints, and loads
neither click nor textual: the API is usable without either face."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"


def _blocks(language: str) -> list[str]:
    """The fenced blocks of the page that open with ```language, in order."""
    found: list[str] = []
    opened: str | None = None
    lines: list[str] = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if opened is None and line.startswith("```"):
            opened, lines = line[3:].strip(), []
        elif opened is not None and line.strip() == "```":
            if opened == language:
                found.append("\n".join(lines) + "\n")
            opened = None
        elif opened is not None:
            lines.append(line)
    return found


def test_the_api_page_script_runs_and_prints_what_it_says(tmp_path: Path, irp_home: Path) -> None:
    script = _blocks("python")[0]
    check = (
        "\nimport sys\n"
        "faces = sorted(m for m in sys.modules if m.split('.')[0] in ('click', 'textual'))\n"
        "print('faces loaded:', faces)\n"
    )
    (tmp_path / "script.py").write_text(script + check, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "script.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    printed = done.stdout.splitlines()
    assert printed[-1] == "faces loaded: []"
    promised = _blocks("")[0].strip().splitlines()  # the block after "It prints:"
    assert printed[:-1] == promised
    assert (tmp_path / "hmp-example.db").exists()

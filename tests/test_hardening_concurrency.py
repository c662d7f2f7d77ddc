"""Two processes writing one visit at once: no write lost, no "database is locked".

A writer process commits single writes in a loop for a few seconds while CLI imports
of a notes file run one after another in other processes. Every id the writer printed
and every imported row is in the file at the end, and nobody failed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from forking import ForkServer
from hardening_helpers import check_after_kill, committed, start_writer
from merge_helpers import cp

SECONDS = 4.0
ROWS_PER_IMPORT = 300


@pytest.mark.slow
def test_a_writer_and_cli_imports_at_once_lose_nothing(
    hull_path: Path, tmp_path: Path, irp_home: Path, fork_server: ForkServer
) -> None:
    visit = cp(hull_path, tmp_path / "shared.db")
    notes = tmp_path / "notes.csv"
    notes.write_text(
        "source,taken_at,author,text,plan_refs,tags\n"
        + "".join(
            f"staff,2022-03-15T10:{i % 60:02d},Jade Richards,imported note {i},1.33,busy\n"
            for i in range(ROWS_PER_IMPORT)
        ),
        encoding="utf-8",
    )
    # The writer writes until told to stop, after the imports: each import runs while it
    # writes, however slow a loaded machine makes them (with a writer of fixed seconds,
    # a loaded machine fitted one import in its time, and the test could not tell).
    stop = tmp_path / "stop"
    writer = start_writer(fork_server, visit, 0, "loop", stop)
    env = {**os.environ, "IRP_FIELD_HOME": str(irp_home)}
    imports = 0
    deadline = time.monotonic() + SECONDS
    try:
        while imports < 2 or time.monotonic() < deadline:
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "irp_field",
                    "import",
                    str(visit),
                    "notes",
                    str(notes),
                    "--again",
                    "--by",
                    "Jade Richards",
                ],
                capture_output=True,
                text=True,
                env=env,
                timeout=60,
            )
            assert done.returncode == 0, done.stderr
            assert f"Imported {ROWS_PER_IMPORT} notes row(s)" in done.stdout
            assert "locked" not in done.stdout + done.stderr
            imports += 1
    finally:
        stop.touch()  # a failed import stops the writer too
    out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    assert "locked" not in err
    added, deleted = committed(out)
    assert len(added["note"]) > 10 and imports >= 2
    check_after_kill(visit, added, deleted)
    import sqlite3

    conn = sqlite3.connect(visit)
    imported = conn.execute(
        "SELECT count(*) FROM note WHERE text LIKE 'imported note %'"
    ).fetchone()[0]
    conn.close()
    assert imported == imports * ROWS_PER_IMPORT

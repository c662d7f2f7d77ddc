"""The export's new tables under ``--redact`` (issue 23): every column of every table a
redacted export writes has a policy, or is computed after redaction from columns that
have one; the figures are aggregates and stay, but a data return's definition (its typed
label and source) does not; the subject-day totals follow their subjects' pseudonyms."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from irp_field.core.visit_file import VisitFile
from irp_field.evidence.data_returns import record_data_return
from irp_field.interchange.export import TABLES, VIEWS, export_visits
from irp_field.interchange.redaction import POLICY

LABEL = "Keyworker sessions as Ms Philippa Quennell-Abara counted them"
SOURCE = "Emailed by Officer Tobias Wetherall-Mbeki"


def _tables(conn: sqlite3.Connection) -> dict[str, list[str]]:
    names = [
        r[0]
        for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not r[0].startswith(("note_fts", "sqlite_"))
    ]
    return {n: [c[1] for c in conn.execute(f"PRAGMA table_info({n})")] for n in names}


def test_every_column_a_redacted_export_writes_has_a_policy_or_is_computed_after(
    hull_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "shared.sqlite"
    export_visits([hull_path], "sqlite", out, redact=True, keep_attachments=True)
    written = _tables(sqlite3.connect(out))
    read = {t.name for t in TABLES}
    assert {"figure", "toc_day"} <= read and set(written) == read | set(VIEWS) | {"attachment_file"}
    for table, columns in written.items():
        if table in read:
            assert set(columns) == set(POLICY[table]), table
        elif table in VIEWS:  # computed from the redacted tables: each column is theirs
            assert "FROM" in VIEWS[table][1]
    assert set(POLICY) == read


def test_a_redacted_export_keeps_the_figures_but_not_a_data_return_s_typed_words(
    hull_path: Path, tmp_path: Path
) -> None:
    with VisitFile.open(hull_path, user="Sara Pennington") as visit:
        record_data_return(visit, key="keyworker_sessions", value=0.31, unit="proportion",
                           period="2021-22", source=SOURCE, label=LABEL)  # fmt: skip
    plain, shared = tmp_path / "plain.sqlite", tmp_path / "shared.sqlite"
    export_visits([hull_path], "sqlite", plain)
    export_visits([hull_path], "sqlite", shared, redact=True)
    query = "SELECT key, value, display, unit, n, definition, about FROM figure"
    before = {r[0]: r[1:] for r in sqlite3.connect(plain).execute(query)}
    after = {r[0]: r[1:] for r in sqlite3.connect(shared).execute(query)}
    assert before.keys() == after.keys() and len(after) > 150
    assert {k: v[:4] for k, v in before.items()} == {k: v[:4] for k, v in after.items()}
    assert LABEL in before["data.keyworker_sessions"][4]
    assert SOURCE in before["data.keyworker_sessions"][4]
    assert after["data.keyworker_sessions"][4] == "data return keyworker_sessions"
    assert LABEL.encode() not in shared.read_bytes() and SOURCE.encode() not in shared.read_bytes()
    # the registry's own definitions name only categories: kept
    kept = "mean hours unlocked per subject-day, Full-time work"
    assert after["toc.by_group.full_time_work.hours_per_day"][4:] == (kept, "Full-time work")


def test_subject_days_carry_the_same_pseudonyms_as_the_periods(
    hull_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "shared.sqlite"
    export_visits([hull_path], "sqlite", out, redact=True)
    conn = sqlite3.connect(out)
    days = {r[0] for r in conn.execute("SELECT DISTINCT subject FROM toc_day")}
    periods = {r[0] for r in conn.execute("SELECT DISTINCT subject FROM toc_period")}
    assert days == periods and len(days) == 9
    assert all(s.startswith("subject-") for s in days)
    [(joined,)] = conn.execute(
        "SELECT COUNT(*) FROM toc_day d WHERE EXISTS (SELECT 1 FROM toc_period p WHERE "
        "p.subject = d.subject AND p.on_date = d.on_date AND p.visit_id = d.visit_id)"
    )
    assert joined == 16

"""What an analyst export spends, counted (issue 24): what it leaves undone for a format
that does not need it, and that doing it otherwise refuses what it refused."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from merge_helpers import a_record_copied_across

from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.interchange.export import export_visits

LOADED = """
import sys
from pathlib import Path
from irp_field.interchange.export import export_visits
export_visits([Path(sys.argv[1])], sys.argv[2], Path(sys.argv[3]))
print(sorted(m for m in sys.modules if m.startswith("irp_field.findings")))
"""


@pytest.mark.parametrize("export_format", ["csv", "json", "sqlite"])
def test_a_visit_without_paragraphs_loads_no_findings_module(
    empty_visit: VisitFile, tmp_path: Path, export_format: str
) -> None:
    """The findings' numbering (the report's outline, the sync, their templates) is read
    for the finding table's rows, and the team leader for a workbook's author: a visit
    with no paragraph, in another format, needs neither."""
    path = empty_visit.path
    empty_visit.close()
    out = tmp_path / f"out.{export_format}"
    said = subprocess.run(
        [sys.executable, "-c", LOADED, str(path), export_format, str(out)],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    assert said.strip() == "[]" and out.exists()


@pytest.mark.parametrize("export_format", ["sqlite", "csv", "json", "xlsx"])
def test_two_visits_holding_one_id_are_refused_in_every_format(
    hull_path: Path, empty_visit: VisitFile, tmp_path: Path, export_format: str
) -> None:
    """CSV, JSON and XLSX build their tables without keys and index them once filled:
    a key two visits hold (a hand copied a check across) is still refused, nothing
    written."""
    other = empty_visit.path
    empty_visit.close()
    check = a_record_copied_across(
        hull_path, other, "roll_check", "taken_at VALUES '2022-03-15T10:00'"
    )
    out = tmp_path / f"both.{export_format}"
    # named by its table and key, where it quoted SQLite ("UNIQUE constraint failed")
    with pytest.raises(
        IrpError, match=rf"two of the visits given hold the same roll_check record \({check}\)"
    ):
        export_visits([hull_path, other], export_format, out)
    assert not out.exists()

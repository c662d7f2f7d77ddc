"""`api.evidence` is the programs' facade: exactly the set-up and evidence names
docs/api.md documents, so that it stays small and every name on it is one a program may
rely on. The screens and the commands import the feature modules (`api.roll_checks`,
`api.rounds`, `api.notes` ...), never the facade: what they need beyond it would
otherwise creep back onto it (issue 25 found about 190 such names there).

docs/api.md is the list: its "Set-up and evidence (`api.evidence`)" row names each
function or type in backquotes; an argument is written with its `=` (`replace=True`,
`round_label=`), so it is not read as a name.
"""

from __future__ import annotations
import __future__

import ast
import re
import types
from pathlib import Path

from irp_field.api import evidence

ROOT = Path(__file__).resolve().parents[1]
ROW = "| Set-up and evidence (`api.evidence`) |"


def documented() -> set[str]:
    rows = (ROOT / "docs" / "api.md").read_text("utf-8").splitlines()
    [row] = [line for line in rows if line.startswith(ROW)]
    return set(re.findall(r"`([A-Za-z_]\w*)`", row.removeprefix(ROW)))


def exported() -> set[str]:
    return {
        name
        for name, value in vars(evidence).items()
        if not name.startswith("_")
        and not isinstance(value, (types.ModuleType, __future__._Feature))
    }


def test_the_facade_exports_exactly_the_names_docs_api_md_documents() -> None:
    names = documented()
    assert "record_roll_check" in names and "RollCounts" in names  # the row was read
    assert set(evidence.__all__) == names
    assert exported() == names
    for name in names:
        assert callable(getattr(evidence, name)), name


def test_no_face_imports_the_facade() -> None:
    """Every module of the command line and the terminal UI imports the feature module
    it uses; `from irp_field.api import evidence` or `irp_field.api.evidence` is the
    facade, for programs."""
    found = []
    for face in ("cli", "tui"):
        for path in sorted((ROOT / "irp_field" / face).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if (
                    isinstance(node, ast.ImportFrom)
                    and (
                        node.module == "irp_field.api.evidence"
                        or (
                            node.module == "irp_field.api"
                            and any(a.name == "evidence" for a in node.names)
                        )
                    )
                ) or (
                    isinstance(node, ast.Import)
                    and any(a.name == "irp_field.api.evidence" for a in node.names)
                ):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []

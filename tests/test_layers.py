"""The layers below the TUI never import textual; the CLI's start-up stays light."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _modules_after(code: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(result.stdout.split())


@pytest.mark.parametrize(
    "module",
    [
        "irp_field.domain.wording",
        "irp_field.domain.plan",
        "irp_field.domain.verdicts",
        "irp_field.domain.roll_checks",
        "irp_field.interchange.csv_rows",
        "irp_field.core.visit_file",
        "irp_field.interchange.imports",
        "irp_field.interchange.bundle",
        "irp_field.api.check",
        "irp_field.figures",
        "irp_field.findings.sync",
        "irp_field.findings.editing",
        "irp_field.findings.judgement_tally",
        "irp_field.report.build",
        "irp_field.replication.merge",
        "irp_field.interchange.export",
        "irp_field.replication.conflicts",
        "irp_field.api.views.overview",
        "irp_field.evidence.drafts",
        "irp_field.evidence.roll_checks",
        "irp_field.evidence.audit",
        "irp_field.api",
        "irp_field.api.visits",
        "irp_field.api.evidence",
        "irp_field.api.findings",
        "irp_field.api.merging",
        "irp_field.api.exports",
        "irp_field.api.outputs",
        "irp_field.api.views.roll_check",
        "irp_field.api.views.time_out_of_cell",
        "irp_field.api.views.sampling",
        "irp_field.api.views.judgements",
        "irp_field.api.views.report_parts",
        "irp_field.api.roll_checks",
        "irp_field.api.notes",
        "irp_field.api.setup",
    ],
)
def test_the_layers_below_the_ui_never_import_textual_or_click(module: str) -> None:
    loaded = _modules_after(f"import {module}")
    assert module in loaded
    for face in ("textual", "click"):
        assert not any(name == face or name.startswith(f"{face}.") for name in loaded), face


def test_the_domain_imports_no_database_and_nothing_of_ours_above_it() -> None:
    loaded = _modules_after(
        "import irp_field.domain.verdicts, irp_field.domain.roll_checks, "
        "irp_field.domain.time_out_of_cell, irp_field.domain.notes, irp_field.domain.setup, "
        "irp_field.domain.data_returns, irp_field.domain.sampling, irp_field.domain.visit"
    )
    assert "sqlite3" not in loaded and "sqlite_utils" not in loaded
    ours = {name.split(".")[1] for name in loaded if name.startswith("irp_field.")}
    assert ours <= {"domain"}, ours


def test_cli_help_imports_neither_textual_nor_rich() -> None:
    loaded = _modules_after(
        "from click.testing import CliRunner\n"
        "from irp_field.cli import main\n"
        "result = CliRunner().invoke(main, ['--help'])\n"
        "assert result.exit_code == 0, result.output"
    )
    assert "irp_field.cli" in loaded
    assert "textual" not in loaded
    assert "rich" not in loaded
    assert "sqlite_utils" not in loaded


def test_figures_command_does_not_import_textual(hull_path: object) -> None:
    loaded = _modules_after(
        "from click.testing import CliRunner\n"
        "from irp_field.cli import main\n"
        f"result = CliRunner().invoke(main, ['figures', {str(hull_path)!r}, '--json'])\n"
        "assert result.exit_code == 0, result.output"
    )
    assert "irp_field.figures" in loaded
    assert "textual" not in loaded
    # a file at the current schema needs no migrating, so sqlite-utils stays unloaded
    assert "sqlite_utils" not in loaded


def test_the_import_contracts_are_kept() -> None:
    """`lint-imports` (the contracts in pyproject.toml) as a test, so the README's test
    command enforces the layers too, not only CI's lint step."""
    import shutil
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    linter = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    done = subprocess.run(
        [linter, "--no-cache"], cwd=root, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert "5 kept, 0 broken" in done.stdout


def test_the_layers_contract_is_the_documented_order() -> None:
    """docs/architecture.md states the order; the contract must say the same."""
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    layers = next(
        c["layers"] for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"
    )
    short = [" | ".join(part.strip().removeprefix("irp_field.") for part in layer.split("|"))
             for layer in layers]  # fmt: skip
    documented = (root / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert "`" + "` > `".join(short) + "`" in documented.replace("\n", " ")


def test_no_sql_in_the_faces_the_api_or_the_report() -> None:
    """docs/architecture.md, "Where SQL lives": never in `api/`, `report/`, `cli/` or
    `tui/` (they call the features that read). `check`'s integrity pass and newest
    version stamps were SQL in `api/check.py`; they are `VisitFile.integrity` and
    `core.tables.latest_versions` now."""
    import ast
    import re
    from pathlib import Path

    statement = re.compile(r"\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|PRAGMA|CREATE)\b")
    package = Path(__file__).resolve().parent.parent / "irp_field"
    found = [
        f"{path.relative_to(package)}:{node.lineno}"
        for face in ("api", "report", "cli", "tui")
        for path in sorted((package / face).rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and statement.search(node.value)
    ]
    assert found == []


def test_no_module_imports_itself_in_a_circle() -> None:
    """No two modules of irp_field import each other, however far round and wherever the
    import is (a function's too: an import inside a function dodges a circle at start-up
    but keeps the two modules one). Type-checking imports do not count."""
    import ast
    from pathlib import Path

    package = Path(__file__).resolve().parent.parent / "irp_field"
    modules = {
        ".".join(path.relative_to(package.parent).with_suffix("").parts).removesuffix(
            ".__init__"
        ): path
        for path in package.rglob("*.py")
    }
    imports: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {
            id(node)
            for guard in ast.walk(tree)
            if isinstance(guard, ast.If) and "TYPE_CHECKING" in ast.unparse(guard.test)
            for statement in guard.body
            for node in ast.walk(statement)
        }
        for node in ast.walk(tree):
            if id(node) in typing_only or not isinstance(node, ast.ImportFrom):
                continue
            for alias in node.names:
                target = f"{node.module}.{alias.name}"
                target = target if target in modules else str(node.module)
                if target in modules and target != name:
                    imports[name].add(target)

    def reaches(start: str) -> set[str]:
        seen, todo = set(), list(imports[start])
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo += imports[name]
        return seen

    circles = sorted(name for name in modules if name in reaches(name))
    assert circles == []

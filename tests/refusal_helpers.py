"""A command run as an inspector runs it: what it printed, what it wrote, and its refusal
held to the standard (one line on standard error naming the file, no traceback, no
"unexpected ...", a non-zero exit)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from irp_field.cli import main


def run_cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def output_of(*args: str, code: int = 0) -> str:
    """What the command printed on standard output, its exit code held to ``code``."""
    result = run_cli(*args)
    assert result.exit_code == code, (result.output, result.exception)
    return result.stdout


def texts_in(folder: Path) -> dict[str, str]:
    """Every file of ``folder`` (an export's CSV folder) by name, with its text."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def refused_in_one_line(result: Result, path: Path, *words: str) -> str:
    """The one line of the refusal, which names ``path`` and holds every one of ``words``."""
    assert result.exit_code == 1, (result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0], lines[0]
    assert "unexpected" not in lines[0] and "could not be used" not in lines[0], lines[0]
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


FORMATS = ("csv", "json", "sqlite", "xlsx")  # every export a reader may ask for


def every_reader_refuses(hostile: Path, out: Path, *words: str) -> None:
    """``figures``, the report and every export refuse ``hostile`` in one line holding
    ``words``, and write nothing into the folder ``out``."""
    refused_in_one_line(run_cli("figures", str(hostile), "--json"), hostile, *words)
    refused_in_one_line(run_cli("report", str(hostile), "--format", "md"), hostile, *words)
    for export_format in FORMATS:
        written = out / f"out.{export_format}"
        args = ("export", str(hostile), "--format", export_format, "--out", str(written))
        refused_in_one_line(run_cli(*args), hostile, *words)
        assert not written.exists()


def combined_with_another(visit: Path, out: Path) -> dict[str, str]:
    """``export VISIT OTHER --combine --format csv`` beside a new, empty visit (HMP Leeds,
    made in ``out``'s folder once): every file of the CSV folder ``out``, with its text."""
    from irp_field.core.visit_file import VisitFile

    other = out.parent / "other.db"
    if not other.exists():
        VisitFile.create(
            other, establishment="HMP Leeds", start_date="2022-03-14", end_date="2022-03-16"
        ).close()
    output_of("export", str(visit), str(other), "--combine", "--format", "csv", "--out", str(out))
    return texts_in(out)


def every_reader_gives_the_same(honest: Path, forged: Path, out: Path) -> dict[str, Any]:
    """``forged`` read by ``figures --json`` (twice: its first reading and the next), the
    report (with and without ``--sync``), the CSV export and a combined CSV export, each
    byte for byte what ``honest`` gives; what ``honest`` gave, by reader ("figures": the
    JSON's text, "csv": the CSV folder's files), for each kind of forgery's own asserts."""
    truth = output_of("figures", str(honest), "--json")
    assert output_of("figures", str(forged), "--json") == truth
    assert output_of("figures", str(forged), "--json") == truth  # and again
    for sync in ((), ("--sync",)):
        said = output_of("report", str(honest), "--format", "md", *sync)
        assert output_of("report", str(forged), "--format", "md", *sync) == said
    for name, path in (("honest", honest), ("forged", forged)):
        output_of("export", str(path), "--format", "csv", "--out", str(out / f"{name}.csv"))
    csv = texts_in(out / "honest.csv")
    assert texts_in(out / "forged.csv") == csv
    combined = combined_with_another(honest, out / "honest-combined")
    assert combined_with_another(forged, out / "forged-combined") == combined
    return {"figures": truth, "csv": csv}

"""A command imports what it needs and no more (issue 24, aim 3): ``irp-field notes
search`` on any visit costs the interpreter's start, click, the notes and one query, so
the modules it imports are what is held here, never a time (timing is bench/open_speed.py).
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from irp_field import cli
from irp_field.api.evidence import record_note
from irp_field.api.visits import open_visit

# Run the command line in a fresh interpreter, then list every module it imported.
RUN_AND_LIST = """
import json, sys
from irp_field.cli import main
listed, args = sys.argv[1], sys.argv[2:]
try:
    main(args, prog_name="irp-field")
except SystemExit as end:
    code = end.code
with open(listed, "w", encoding="utf-8") as out:
    json.dump({"exit": code, "modules": sorted(sys.modules)}, out)
"""

# What a notes search never needs: the terminal UI, the report and its documents, the
# exports, photographs, sealing, the whole-file check, every other kind of evidence.
NEVER = (
    "textual",
    "jinja2",
    "docx",
    "openpyxl",
    "xlsxwriter",
    "PIL",
    "pyrage",
    "irp_field.tui",
    "irp_field.report",
    "irp_field.findings",
    "irp_field.figures",
    "irp_field.replication",
    "irp_field.api.check",
    "irp_field.api.evidence",
    "irp_field.interchange.handout",
    "irp_field.interchange.imports",
    "irp_field.evidence.attachments",
    # the import command's kinds and columns (its help), which a search never lists
    "irp_field.api.kinds",
    "irp_field.interchange",
    # a note's own rules (its team, plan and dates): a search is bounded by note_search
    "irp_field.domain.notes",
    "irp_field.domain.setup",
    "irp_field.domain.plan",
    "irp_field.domain.visit",
    # the merged tables' columns, made from every kind's registry: a reading opening
    # checks the file's shape and version without them
    "irp_field.core.tables",
    "irp_field.domain.kind_columns",
    # the kept sums (roll tallies, subject-day totals) and the hook that totals the days
    # at a commit: a writer's, or the first reading of a file from elsewhere; a reading
    # of a file this installation found sound never sums them
    "irp_field.core.kept_totals",
    "irp_field.core.roll_tallies",
    "irp_field.core.day_totals",
    "irp_field.core.stored_forms",
    "irp_field.domain.roll_categories",
    "irp_field.evidence.toc_days",
    # a keyed id's hash (hashlib loads OpenSSL), removing folders (shutil loads zlib, bz2
    # and lzma), the help's wrapping: 5 ms of a start that is 3x the bare query's
    "hashlib",
    "shutil",
    "textwrap",
    "base64",
)


def _imported(tmp_path: Path, *args: str) -> tuple[object, list[str]]:
    listed = tmp_path / "modules.json"
    subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST, str(listed), *args],
        check=True,
        capture_output=True,
        timeout=60,
    )
    found = json.loads(listed.read_text(encoding="utf-8"))
    return found["exit"], found["modules"]


def _under(modules: list[str], packages: tuple[str, ...]) -> list[str]:
    return [m for m in modules if any(m == p or m.startswith(f"{p}.") for p in packages)]


@pytest.fixture
def noted(hull_path: Path) -> Path:
    with open_visit(hull_path, user="Jade Richards") as visit:
        record_note(
            visit,
            source="observation",
            text="Association on B wing started late.",
            taken_at="2022-03-15T10:00",
            author="Jade Richards",
        )
    return hull_path


@pytest.mark.parametrize(
    ("query", "options", "also_never"),
    [
        ("zebra", (), ("rich",)),  # "No notes match.": no table drawn
        ("association", ("--json",), ("rich",)),  # a script's JSON: no table drawn
        ("association", (), ()),  # the table: rich draws it, nothing else comes
    ],
)
def test_notes_search_imports_the_notes_alone(
    noted: Path, tmp_path: Path, query: str, options: tuple[str, ...], also_never: tuple[str, ...]
) -> None:
    code, modules = _imported(tmp_path, "notes", "search", str(noted), query, *options)
    assert code == 0
    assert "irp_field.evidence.notes" in modules  # it did search
    assert _under(modules, NEVER + also_never) == []
    commands = [m for m in modules if m.startswith("irp_field.cli.") and m.endswith("_commands")]
    assert commands == ["irp_field.cli.evidence_commands"]  # the notes' module, no other


def test_a_search_of_a_file_from_elsewhere_still_sums_its_kept_totals(
    noted: Path, tmp_path: Path
) -> None:
    """The kept sums are left out of a reading only where this installation found the
    file sound: a copy it has never opened (another hand's, by its inode) is summed again
    at its first reading, as before."""
    copied = tmp_path / "from-elsewhere.db"
    copied.write_bytes(noted.read_bytes())
    code, modules = _imported(tmp_path, "notes", "search", str(copied), "association")
    assert code == 0
    assert "irp_field.evidence.notes" in modules
    assert "irp_field.core.kept_totals" in modules  # its roll tallies and day totals summed


# In a fresh interpreter: the evidence package imported (its hooks registered), a period
# written by another connection (the triggers mark its day), then a commit of this app's.
COMMIT_SETTLES = """
import json, sqlite3, sys
import irp_field.evidence
from irp_field.core.visit_file import VisitFile
path = sys.argv[1]
with VisitFile.open(path, user="tester") as visit:
    other = sqlite3.connect(path, isolation_level=None)
    other.execute(
        "INSERT INTO toc_period (id, subject, on_date, subject_group, start_time, end_time, "
        "activity) VALUES ('p1', 'U01', '2026-01-12', 'Unemployed', '09:00', '10:30', 'work')"
    )
    other.close()
    before = "irp_field.evidence.toc_days" in sys.modules
    with visit.transaction():
        pass
    stale = visit.one("SELECT COUNT(*) FROM toc_day_stale")[0]
    kept = [list(row) for row in visit.query("SELECT * FROM toc_day")]
print(json.dumps({"before": before, "stale": stale, "kept": kept}))
"""


def test_the_day_totals_hook_loads_its_module_at_the_commit_that_runs_it(
    tmp_path: Path,
) -> None:
    """The evidence package registers the hook that totals marked days before every
    commit without loading the kept totals' modules (a reading never commits); the first
    commit loads them and settles the day, as the hook did when it was loaded up front."""
    from irp_field.core.visit_file import VisitFile

    path = tmp_path / "v.db"
    VisitFile.create(
        path,
        establishment="HMP Test",
        start_date="2026-01-12",
        end_date="2026-01-14",
        user="tester",
    ).close()
    done = subprocess.run(
        [sys.executable, "-c", COMMIT_SETTLES, str(path)],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["before"] is False  # registered, not loaded
    assert found["stale"] == 0  # the commit totalled the marked day
    assert found["kept"] == [["U01", "2026-01-12", "Unemployed", 90, 0]]


def _command_modules() -> list[str]:
    folder = Path(cli.__file__).parent
    return sorted(path.stem.removesuffix("_commands") for path in folder.glob("*_commands.py"))


def test_every_command_is_found_where_its_module_holds_it() -> None:
    """The table the command line reads its commands' names from, before importing any,
    is the commands the modules hold: one added to a module and not to the table would
    be missing from --help and unknown to the command line."""
    held = {}
    for name in _command_modules():
        module = importlib.import_module(f"irp_field.cli.{name}_commands")
        held.update({command.name: name for command in module.COMMANDS})
    assert held == cli.WHERE


def test_help_lists_every_command_in_order() -> None:
    context = click.Context(cli.main)
    listed = cli.main.list_commands(context)
    assert listed == sorted(cli.WHERE)
    shown = CliRunner().invoke(cli.main, ["--help"]).output
    names = [line.split()[0] for line in shown.split("Commands:\n")[1].splitlines() if line]
    assert names == listed


def _laptops_and_master(tmp_path: Path) -> tuple[Path, list[str]]:
    """The team leader's copy of a visit as handed out, and two laptops' files of a note."""
    from merge_helpers import cp

    from irp_field.core.visit_file import VisitFile

    with VisitFile.create(
        tmp_path / "handed-out.db",
        establishment="HMP Hull",
        start_date="2022-03-14",
        end_date="2022-03-16",
        user="Jade Richards",
    ):
        pass
    laptops = []
    for n in range(2):
        path = cp(tmp_path / "handed-out.db", tmp_path / f"laptop{n}.db")
        with VisitFile.open(path, user=f"Inspector {n}") as visit, visit.transaction():
            visit.insert(
                "note",
                {"taken_at": "2022-03-15T10:00", "text": f"seen by {n}", "author": f"I{n}"},
            )
        laptops.append(str(path))
    return cp(tmp_path / "handed-out.db", tmp_path / "master.db"), laptops


def test_a_merge_of_files_without_pictures_or_paragraphs_loads_neither_reader(
    tmp_path: Path,
) -> None:
    """A merge reads every source's rows through the rules; the photographs' reader
    (Pillow) and the paragraphs' sandbox (Jinja2) load only when a file holds one of
    them: most laptops' files hold neither (issue 24, aim 6: the merge's start-up); the
    sealing only when a file given is sealed."""
    master, laptops = _laptops_and_master(tmp_path)
    code, modules = _imported(tmp_path, "merge", str(master), *laptops)
    assert code == 0
    assert "irp_field.replication.merge" in modules  # it did merge
    assert _under(modules, ("PIL", "jinja2", "irp_field.evidence.pictures")) == []
    # nor, when no file given is sealed, the sealing and the age library
    assert (
        _under(modules, ("pyrage", "irp_field.interchange.sealing", "irp_field.api.sealing")) == []
    )


# What each command's own path never uses, moved to where it is used (issue 24, aims 3, 5
# and 6: a lighter start). ``check`` prints plain lines, not through rich's console (a
# sixth of its start); it hashes no file's bytes when the visit holds no attachment
# (hashlib loads OpenSSL); a reading never asks the system for the login's name
# (getpass) nor words a figure (decimal); the API's visits module (who uses the visit,
# the sample bundle) is the other commands'. A merge writes its conflicts itself:
# listing and settling them, and the merge screen's candidate files, are another
# command's and a screen's; with --json, no progress bar is drawn and no table: rich is
# never loaded.
NEVER_ON_ITS_PATH = {
    "check": (
        "rich",
        "hashlib",
        "getpass",
        "decimal",
        "irp_field.api.visits",
        "irp_field.api.identity",
        "irp_field.interchange.samples",
    ),
    "merge": (
        "irp_field.replication.candidates",
        "irp_field.replication.conflicts",
        "irp_field.replication.conflict_combine",
    ),
    "merge --json": ("rich",),
    "notes search": ("getpass",),
}
DID_ITS_WORK = {
    "check": "irp_field.api.check",
    "merge": "irp_field.replication.merge",
    "merge --json": "irp_field.replication.merge",
    "notes search": "irp_field.evidence.notes",
}


@pytest.mark.parametrize("command", sorted(NEVER_ON_ITS_PATH))
def test_a_command_loads_nothing_its_path_never_uses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    from irp_field.core.visit_file import VisitFile

    master, laptops = _laptops_and_master(tmp_path)
    monkeypatch.delenv("IRP_FIELD_USER")  # as a person starts it: the login's name is theirs
    args = {
        "check": ["check", str(laptops[0])],
        "merge": ["merge", str(master), *laptops],
        "merge --json": ["merge", str(master), *laptops, "--json"],
        "notes search": ["notes", "search", str(laptops[0]), "seen"],
    }[command]
    with VisitFile.open(laptops[0], readonly=True) as visit:
        assert not visit.query("SELECT 1 FROM attachment")  # no file's bytes to hash
    code, modules = _imported(tmp_path, *args)
    assert code == 0
    assert DID_ITS_WORK[command] in modules
    assert _under(modules, NEVER_ON_ITS_PATH[command]) == []

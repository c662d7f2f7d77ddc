"""`irp-field notes search` on the visit of 2,000,000 roll checks, beside a bare FTS5 query
in Python with the interpreter's start-up, in the same run (issue 24, aim 3).

Opening used to read every page (``quick_check``) on every opening. Now a file that
looks on disk as it did when this installation last found it sound, or last wrote it,
is opened with its shape and version checked only; ``check``, merge and the first
opening after another hand changed the file still read it whole. Both sides are fresh
processes taking turns (median of 5, after one run each: the first run of
``irp-field`` is the one that reads every page, and is printed too).

Target: within 2x of the peer, ``python -c "sqlite3 ... MATCH"``. The start every
command of irp-field has (the interpreter, SQLite and click, ``python -c "import sqlite3,
click"``) is timed beside them: what the command costs beyond it is its own imports
(the notes' rules, the visit file's module) and its query. The same query run after
click's start (``python -c "import sqlite3, click; ... MATCH"``) is the nearest floor while
the command line is click: the search beside it is what irp-field itself adds. Nearer
still: the same query after every module outside irp_field that the search loads (the
standard library irp-field is written with, pathlib, json, dataclasses, typing, and
click), read from a search run first; the search beside it is irp_field's own modules
and work alone.

How irp_field is installed where this runs changes the ratio: an editable install (a
development venv) loads its finder, and pathlib, at every start of this Python, the
peer's too, which adds the same milliseconds to both sides (``pip install .``, as CI and
an inspector have it, does not): the line naming it says which was measured.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    BIG_ROWS,
    Measured,
    big_visit,
    compile_package,
    installed_as,
    irp_field_command,
    machine,
    run_measured,
)

TARGET = 2.0
RUNS = 5
QUERY = "wing"
BARE_QUERY = (
    "sqlite3.connect(f'file:{sys.argv[1]}?mode=ro', uri=True).execute("
    "'SELECT rowid FROM note_fts WHERE note_fts MATCH ?', (sys.argv[2],)).fetchall()"
)
# Run in a fresh process: the search, then the top-level modules outside irp_field it
# loaded (private ones come with their public parents).
LOADED_OUTSIDE = """
import sys
before = set(sys.modules)
from irp_field.cli import main
try:
    main(sys.argv[1:], prog_name="irp-field")
except SystemExit:
    pass
loaded = set(sys.modules) - before
print(",".join(sorted(
    name for name in loaded
    if "." not in name and not name.startswith(("_", "irp_field"))
)))
"""


def modules_outside(search: list[str]) -> str:
    """The top-level modules outside irp_field that ``irp-field notes search`` loads,
    comma-separated as an import statement takes them (sqlite3 and click among them)."""
    done = subprocess.run(
        [sys.executable, "-c", LOADED_OUTSIDE, *search],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


def main() -> dict[str, float]:
    compile_package()
    path = big_visit()
    home = path.parent / "open-speed-home"  # a data folder of its own: a first opening
    home.mkdir(exist_ok=True)
    (home / "sound-files.json").unlink(missing_ok=True)
    os.environ["IRP_FIELD_HOME"] = str(home)
    commands = {
        "search": [*irp_field_command(), "notes", "search", str(path), QUERY],
        "peer": [sys.executable, "-c", f"import sqlite3, sys; {BARE_QUERY}", str(path), QUERY],
        # what any command of irp-field starts with: the interpreter, SQLite and click
        "click": [sys.executable, "-c", "import sqlite3, click"],
        # the nearest floor while the command line is click: the same query after
        # click's start (what is left above it is irp-field's own)
        "click peer": [
            sys.executable,
            "-c",
            f"import sqlite3, sys, click; {BARE_QUERY}",
            str(path),
            QUERY,
        ],
    }
    first = run_measured(commands["search"])  # reads every page: nobody has yet
    # the nearest floor of all: the same query after every module outside irp_field that
    # the search loads (what is left above it is irp_field's own modules and work)
    outside = modules_outside(commands["search"][-4:])
    commands["stack peer"] = [
        sys.executable,
        "-c",
        f"import sys, {outside}; {BARE_QUERY}",
        str(path),
        QUERY,
    ]
    run_measured(commands["peer"])
    runs: dict[str, list[Measured]] = {name: [] for name in commands}
    for _ in range(RUNS):
        for name, command in commands.items():
            runs[name].append(run_measured(command))
    search, peer, click, click_peer, stack_peer = (
        statistics.median(m.seconds for m in runs[name]) for name in commands
    )
    ratio = search / peer
    print(
        f"irp-field notes search on {BIG_ROWS:,} roll checks "
        f"({path.stat().st_size / 2**20:.0f} MB), a fresh process, median of {RUNS}: "
        f"{search:.2f} s (the first opening, which reads every page: {first.seconds:.2f} s); "
        f"python -c sqlite3 FTS5 MATCH {peer:.2f} s; ratio {ratio:.2f}x "
        f"(target <= {TARGET}x) {'OK' if ratio <= TARGET else 'MISSED'}"
    )
    print(
        f"of which the start of any command, python -c 'import sqlite3, click': {click:.2f} s "
        f"({click / peer:.2f}x the peer)"
    )
    print(
        f"beside the same query after click's start, python -c 'import sqlite3, click; ... "
        f"MATCH': {click_peer:.2f} s; irp-field's own share: {search / click_peer:.2f}x"
    )
    print(
        f"beside the same query after every module outside irp_field that the search "
        f"loads ({outside.count(',') + 1}: the standard library it is written with, and "
        f"click): {stack_peer:.2f} s ({stack_peer / peer:.2f}x the peer); irp_field's own "
        f"modules and work: {search / stack_peer:.2f}x"
    )
    print(f"irp_field here: {installed_as()}")
    print(f"machine: {machine()}")
    return {
        "search": search,
        "first": first.seconds,
        "peer": peer,
        "ratio": ratio,
        "click": click,
        "click_peer": click_peer,
        "stack_peer": stack_peer,
    }


if __name__ == "__main__":
    main()

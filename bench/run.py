"""Run every benchmark and write bench/RESULTS.md.

Each benchmark is a script that prints its figure beside its peer or floor measured in
the same run, the ratio and the target. This runs them one after another (never in
parallel: they would disturb each other) and gathers what they print.

    python bench/run.py            # all, and write RESULTS.md
    python bench/run.py --repeat 2 # each twice: on a shared machine the spread matters
    python bench/run.py merge      # those whose file name contains "merge" (printed only)
    python bench/run.py --write import check  # and put their sections into RESULTS.md
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import BIG_FOLDER, machine  # noqa: E402

BENCHMARKS = (
    ("import_roll_checks.py", "Importing roll checks beside SQLite (foundation; issue 24, aim 4)"),
    ("figures_speed.py", "Figures on 100,000 roll checks and 100,000 periods (foundation)"),
    ("cli_startup.py", "CLI start-up (foundation)"),
    ("merge.py", "Merging ten files of 10,000 rows, and re-merging (merge)"),
    ("redacted_export.py", "A redacted bundle of 100,000 checks and periods (redaction)"),
    ("ui_first_paint.py", "Demo to dashboard painted (terminal UI)"),
    ("save_latency.py", "Saving on a 100,000-row visit (terminal UI)"),
    ("sync_beside.py", "F7's sync in its worker on 300,000 checks (issue 25)"),
    ("import_memory.py", "Importing 2,000,000 roll checks: peak memory (streaming import)"),
    ("check_speed.py", "irp-field check on 2,000,000 roll checks (streaming import)"),
    ("analyst_export.py", "Analyst exports at two sizes beside their floors (issue 24)"),
    ("paragraph_adds.py", "Adding 800 findings paragraphs, one by one (issue 24)"),
    ("figures_scale.py", "Figures, the report and F2/F3/F7 at 10k and 1M checks (issue 24)"),
    ("open_speed.py", "notes search on 2,000,000 roll checks (issue 24)"),
    ("refusals.py", "Refusing hostile files, timed (the suite: what tests no longer time)"),
    ("pictures.py", "Cleaning a phone's photograph (photographs)"),
    ("purge.py", "Purging a note, and merging purges (purge)"),
    ("keystrokes.py", "Keys per record typed from paper at 80x24 and 120x40 (issue 22)"),
    ("report_speed.py", "irp-field report on the Hull sample, each format (the Word report)"),
    ("suite.py", "The whole test suite, quiet and busy (the suite)"),
)


MISSES = """
## Targets near the line, and what bounds them

Issue 24's aims, each as `python bench/aims.py` printed it last (the section "Issue 24,
aim by aim" above), and what holds each ratio where it is:

- **Aim 1, exports (csv, json and sqlite within 3x of `sqlite3 -csv`, `-json` and
  `VACUUM INTO`; xlsx 1.5x; peak under 100 MB): the peak and xlsx OK; csv 5.4x, json
  4.4x, sqlite 7.9x at 100,000 checks.** Every format is written from the analyst
  database, which each visit's tables are copied into, redacted and typed, in SQL; the
  floors copy nothing. At 100,000 checks (CPU): the roll checks' copy 0.42-0.55 s (two
  joins and a sort of whole rows), the periods' 0.23-0.33 s, keys, types and the
  computed tables 0.15-0.23 s, Python's start and imports about 0.15 s, then the format
  (CSV 1.27 s, JSON 0.98 s, `VACUUM INTO` 0.12 s). The locked-up-by-round table reads
  the kept roll tallies now, and keys are made once the rows are in. What would move it:
  CSV and JSON written straight from each visit's redacting SELECT (the computed tables
  would then read the tallies too), and the round's name joined after the sort.
- **Aim 2, figures kept up to date: OK.** Every figure 0.55x the one-pass floor at
  1,000,000 checks; F2 0.14 s, F3 0.52 s, F7 0.29 s; the 800th paragraph 1.1-1.2x the
  first (a median of ten adds, each with a commit: a slow disk's fsync reads as a miss).
- **Aim 3, notes search within 2x of a bare FTS5 query with Python's start: 2.6x.**
  `python -c 'import sqlite3, click'` alone is 1.73x the peer: the command line is click,
  and its start is most of the rest. Above it, 14-16 ms of our imports (a frozen
  dataclass costs 0.5-1 ms to make on Python 3.11; the tables' text is built from the
  columns' registry, 2.5 ms) and about 3 ms of work. A read-only opening that loads less
  of the core would save about 5 ms; 2x is not reachable with click.
- **Aim 4, imports within 5x of `sqlite3 .import`: 10.2x at 100,000 and 1,000,000 rows;
  the same 100,000 rows into a 1,000,000-check visit 2.8x into an empty one (1.5x).** Of
  about 1.7 s of CPU at 100,000: the start and opening (0.2 s; `.import`'s whole run is
  0.18 s), the rules asked of every line in Python (0.35 s), each check's keyed id (0.25
  s), the bench's 10,000 rounds (0.18 s), stamps and holding the rows (0.3 s) and the
  write in id order into an 18-column WITHOUT ROWID table with its round index (0.5 s).
  5x is 0.9 s, of which executemany and Python's start are 0.55 s: what is left is the
  rules evaluated over a batch in SQL generated from the rule table (the aim's own
  proposal: a change of how the domain states its rules). The growth with the visit is
  the ids: keyed by round and location, they scatter over a table clustered by id, so
  100,000 new checks touch about 60% of the pages of a 1,000,000-check table; a rowid
  table with the id a unique index would store them in the order written (a migration,
  not measured).
- **Aim 5, `check` within 3x of `integrity_check` from 100,000 rows up: OK at
  2,000,000 (2.24x); 4.26x at 100,000 and 3.45x at 200,000.** The reading thread's Python, a
  call a row for the rules' fast path (0.33 s at 100,000) and another for the merge's row
  checks (0.30 s: types, UTF-8, the text cap, tombstones and stamps, which a hand-edited
  file must not pass), now beside integrity_check and the tallies' drift sums on the
  second connection. With the second thread hidden entirely, 100,000 costs about 0.75 s
  against 0.21 s (3.6x); 3x needs one pass handing each row to both judges, or fewer
  values turned into Python's (STRICT tables would let SQLite check the types).
- **Aim 6, a merge of twelve laptops' files within 2x of ATTACH + INSERT: 2.75x (3.9x
  of processor time).** Each file is opened once now; what is left is what the floor
  does not do: start-up and imports (0.12 s against the floor's 0.02 s), a call into
  Python for every row and history entry (about 3 microseconds each), each source's
  `quick_check` and SHA-256 (0.07 s), the target's integrity_check before and
  quick_check after (0.04 s). Ten files of 10,000 rows: 1.68x (OK at this size).
- **Aim 7, the overview's first paint within 1.3x of a minimal Textual app: 1.31x of
  processor time, 1.37x wall.** Above the minimal app, about 55 ms: opening the visit
  and the API it needs (about 20 ms of imports, much of it frozen dataclasses), the app's
  modules (5 ms), Textual's DataTable and Header (8 ms) and their CSS (4 ms), the offer of
  a kept save or a draft (3 ms, which must come before the first frame), and laying out
  the header, the table, the figures and the key line (about 15 ms).

Other targets:

- **Figures (target 0.5 s for the command).** `irp-field figures` on 100,000 checks and
  periods is Python's start-up and imports (about 0.15 s), the figures read from the kept
  tallies and day totals, and rich drawing the table (0.05-0.1 s): about 0.4 s quiet,
  near 0.5 s when the machine is busy.
- **Importing 2,000,000 roll checks (target a peak of 300 MB): 209 MB.** Python, sqlite3
  and our modules (the peer, 21-25 MB), a batch of 20,000 records read, checked and
  written, the import's 64 MiB page cache and its sorter for the write in id order (the
  held checks spill to SQLite's temporary files, in the data folder's private `tmp/`
  when run by `irp-field`). It does not grow with the file: the first tenth alone peaks
  at 190 MB.
- **Re-merge of unchanged files (target under 5% of the first merge): OK, 2.4%**, most
  of it the SHA-256 of each file, which is what confirms a file is as merged.
"""


def main(argv: list[str]) -> int:
    repeat = 1
    if "--repeat" in argv:
        at = argv.index("--repeat")
        repeat = int(argv[at + 1])
        argv = argv[:at] + argv[at + 2 :]
    write = "--write" in argv
    argv = [a for a in argv if a != "--write"]
    wanted = [name for name, _ in BENCHMARKS if not argv or any(a in name for a in argv)]
    sections = []
    for name, title in BENCHMARKS:
        if name not in wanted or not (HERE / name).exists():
            continue
        print(f"== {title} ({name})", flush=True)
        start = time.perf_counter()
        outputs = []
        for _ in range(repeat):
            result = subprocess.run(
                [sys.executable, str(HERE / name)], capture_output=True, text=True
            )
            failed = result.returncode != 0
            outputs.append(
                (result.stdout.strip() or "(no output)")
                + (
                    f"\nFAILED (exit {result.returncode}):\n{result.stderr[-2000:]}"
                    if failed
                    else ""
                )
            )
        took = time.perf_counter() - start
        output = "\n-- again --\n".join(outputs)
        print(output, flush=True)
        command = f"`python bench/{name}` ({took:.0f} s)"
        if argv:  # a section written on its own says when, and how often, it ran
            command = command[:-1] + f", {repeat} time(s) on {dt.date.today().isoformat()})"
        sections.append(f"## {title}\n\n{command}\n\n```\n{output}\n```\n")
    shutil.rmtree(BIG_FOLDER, ignore_errors=True)  # the 2,000,000-row CSV and visit
    if argv and write:
        _update_results(sections)
    if not argv:
        (HERE / "RESULTS.md").write_text(
            "# Benchmark results\n\n"
            f"Written by `python bench/run.py` on {dt.date.today().isoformat()}.\n\n"
            f"Machine: {machine()}. A shared machine: every figure stands beside its peer or "
            "floor measured in the same run, which is what to compare; each benchmark ran "
            f"{repeat} time(s), and the spread between runs shows how noisy the machine "
            "was.\n\n" + "\n".join(sections) + MISSES,
            encoding="utf-8",
        )
        print(f"wrote {HERE / 'RESULTS.md'}")
    return 0


def _update_results(sections: list[str]) -> None:
    """Put freshly run sections into RESULTS.md in place of their old ones (new ones in
    the order of BENCHMARKS), leaving the others as they were, and the notes up to date."""
    path = HERE / "RESULTS.md"
    text = path.read_text(encoding="utf-8")
    head, *parts = text.split("\n## ")
    kept = {part.split("\n", 1)[0]: "## " + part for part in parts}
    kept.pop(MISSES.strip().split("\n", 1)[0].removeprefix("## "), None)
    for section in sections:
        kept[section.split("\n", 1)[0].removeprefix("## ")] = section
    order = [title for _, title in BENCHMARKS]
    titles = sorted(kept, key=lambda t: order.index(t) if t in order else len(order))
    body = "\n".join(kept[t].rstrip("\n") + "\n" for t in titles)
    path.write_text(head.rstrip("\n") + "\n\n" + body + MISSES, encoding="utf-8")
    print(f"updated {path}")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

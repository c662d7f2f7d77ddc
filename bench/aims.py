"""Issue 24's seven aims, each printed beside its floor: the benchmarks that measure them,
run one after another (never in parallel), then one line an aim with each verdict.

Each benchmark prints its own lines (its figure, the floor measured in the same run, the
ratio, the target and OK or MISSED); this gathers the verdicts, so that a quiet run says
at a glance which aims hold. The reasons a ratio stays where it is are in RESULTS.md.

    python bench/aims.py          # every aim (about half an hour: 1M- and 2M-row visits)
    python bench/aims.py 2 3 7    # those aims only

Run it where irp-field is installed as CI and an inspector install it (`pip install .`),
from outside the clone: an editable install's finder adds about 11 ms to every process,
the floors' too, so the ratios of short commands read lower there. It says which it ran in.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# aim: (what the issue asks, the benchmarks that print it)
AIMS: dict[str, tuple[str, list[list[str]]]] = {
    "1": (
        "every export streams (peak under 100 MB; csv, json, sqlite within 3x; xlsx 1.5x)",
        [["analyst_export.py", "10000", "100000"]],
    ),
    "2": (
        "figures kept up to date (within 2x of one pass; screens within 1 s at 1M; "
        "the 800th paragraph costs what the 1st did)",
        [["figures_scale.py"], ["paragraph_adds.py"]],
    ),
    "3": ("opening is cheap (notes search within 2x of bare FTS5)", [["open_speed.py"]]),
    "4": ("imports within 5x of sqlite3 .import", [["import_roll_checks.py"]]),
    "5": (
        "check within 3x of integrity_check from 100k rows up",
        [["check_speed.py", "--rows", "100000", "--rows", "200000"], ["check_speed.py"]],
    ),
    "6": ("merge of 12 laptops' files within 2x of ATTACH+INSERT", [["merge.py"]]),
    "7": ("first paint within 1.3x of a minimal Textual app", [["ui_first_paint.py"]]),
}

VERDICT = re.compile(r"\b(OK|ok|MISSED|OVER)\b")


def verdicts(output: str) -> list[str]:
    """The lines of a benchmark's output that say whether a target was met."""
    return [line.strip() for line in output.splitlines() if VERDICT.search(line)]


def held(line: str) -> bool:
    found = VERDICT.findall(line)
    return bool(found) and all(word in ("OK", "ok") for word in found)


def run(script: list[str]) -> str:
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(HERE / script[0]), *script[1:]],
        capture_output=True,
        text=True,
        check=False,
    )
    output = done.stdout + (
        f"\n(exit {done.returncode}) {done.stderr[-600:]}" if done.returncode else ""
    )
    print(f"$ python bench/{' '.join(script)}   ({time.perf_counter() - began:.0f} s)")
    print(output.rstrip(), flush=True)
    return output


def main(argv: list[str]) -> int:
    chosen = argv or list(AIMS)
    unknown = [aim for aim in chosen if aim not in AIMS]
    if unknown:
        print(f"no aim {unknown[0]!r}: the aims are {', '.join(AIMS)}", file=sys.stderr)
        return 2
    said: dict[str, list[str]] = {}
    for aim in chosen:
        said[aim] = [line for script in AIMS[aim][1] for line in verdicts(run(script))]
    sys.path.insert(0, str(HERE))
    from common import installed_as

    print(f"\nissue 24, aim by aim (irp_field here: {installed_as()}):")
    for aim in chosen:
        lines = said[aim]
        whole = "OK" if lines and all(held(line) for line in lines) else "MISSED"
        print(f"aim {aim}: {whole}  {AIMS[aim][0]}")
        for line in lines:
            print(f"    {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

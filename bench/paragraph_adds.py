"""Adding findings paragraphs one after another, as F7 saves them (add, then sync that
paragraph): does the 800th cost what the first did? (issue 24, aim 2)

Each add used to render every paragraph twice (once to find the new one's place, once
to sync it) and rewrite every paragraph's sync state: 800 paragraphs took 168 s, the
800th 359 ms. Now the place is found from the outline alone and the sync renders and
writes the one paragraph. The floor is the first adds' own cost, measured in the same
run: the target is the last ten within 1.5x of the first ten.

Not a test: run ``python bench/paragraph_adds.py [COUNT]`` (800 by default).
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine

from irp_field.api import typed_writes
from irp_field.core.visit_file import VisitFile
from irp_field.evidence import reads
from irp_field.interchange import samples
from irp_field.interchange.bundle import build_from_bundle

TARGET = 1.5
TEXT = "Staff told us {{ roll.pct_locked_up }} of prisoners were locked up ({n})."


def _adds(count: int, spread: bool) -> list[float]:
    """Seconds each add took: all under 1.33, or spread over the plan's items in turn."""
    folder = Path(tempfile.mkdtemp())
    try:
        path = build_from_bundle(samples.sample_bundle(), folder / "hull.db", user="Bench")
        took = []
        with VisitFile.open(path, user="Sara Pennington") as visit:
            refs = [item.ref for item in reads.plan_items(visit)] if spread else ["1.33"]
            for n in range(count):
                began = time.perf_counter()
                typed_writes.paragraph(
                    visit, {"plan_ref": refs[n % len(refs)], "text": TEXT.format(n=n)}
                )
                took.append(time.perf_counter() - began)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return took


def main() -> dict[str, float]:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 800
    result: dict[str, float] = {}
    for spread in (False, True):
        took = _adds(count, spread)
        first, last = statistics.median(took[:10]), statistics.median(took[-10:])
        ratio = last / first
        where = "spread over the plan's items" if spread else "all under 1.33"
        print(
            f"adding {count} paragraphs to the Hull sample ({where}), each saved and synced:"
            f" all {sum(took):.1f} s; the first ten {first * 1000:.0f} ms each (median), the"
            f" last ten {last * 1000:.0f} ms; ratio {ratio:.2f}x (target <= {TARGET}x)"
            f" {'OK' if ratio <= TARGET else 'MISSED'}"
        )
        if not spread:
            result = {"total": sum(took), "first": first, "last": last, "ratio": ratio}
    print(f"machine: {machine()}")
    return result


if __name__ == "__main__":
    main()

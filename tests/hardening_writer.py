"""A writer for the hardening tests: one committed write at a time, each id printed after commit.

Run as ``python hardening_writer.py VISIT SECONDS TAG``. It prints ``ready`` once the
file is open, then loops until SECONDS pass (0: until killed), alternating a single
note, a batch of time-out-of-cell periods and a tombstone, each in its own
transaction; after each commit it prints ``add ID`` for every row written and
``del ID`` for every row deleted.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from irp_field.core.ids import uuid7_many
from irp_field.core.visit_file import VisitFile


def main(path: Path, seconds: float, tag: str, stop: Path | None = None) -> None:
    """Writes until ``seconds`` have passed (never, when 0) or the file ``stop`` exists."""
    out = sys.stdout
    with VisitFile.open(path, user=f"writer {tag}") as visit:
        out.write("ready\n")
        out.flush()
        deadline = time.monotonic() + seconds if seconds > 0 else float("inf")
        written: list[str] = []
        step = 0
        while time.monotonic() < deadline and not (stop is not None and stop.exists()):
            lines: list[str]
            if step % 3 == 2 and written:
                victim = written[step % len(written)]
                with visit.transaction():
                    visit.delete("note", victim)
                lines = [f"del {victim}"]
            elif step % 3 == 1:
                ids = uuid7_many(20)
                with visit.transaction():
                    visit.insert_many(
                        "toc_period",
                        ({"id": i, "subject": f"{tag}-{step}", "subject_group": "g"} for i in ids),
                    )
                lines = [f"add toc_period {i}" for i in ids]
            else:
                with visit.transaction():
                    note = visit.insert("note", {"text": f"note {step} from {tag}", "tags": tag})
                written.append(note)
                lines = [f"add note {note}"]
            out.write("".join(f"{line}\n" for line in lines))
            out.flush()
            step += 1


if __name__ == "__main__":
    main(
        Path(sys.argv[1]),
        float(sys.argv[2]),
        sys.argv[3],
        Path(sys.argv[4]) if len(sys.argv) > 4 else None,
    )

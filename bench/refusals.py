"""How long a refusal takes, beside the cheapest work of the same kind in the same run.

The tests prove that these files are refused before they are read (a spy on every
``open``) and what a refusal costs in memory; how long one takes on this machine is a
figure of speed, so it lives here, where a busy machine cannot fail a test:

- a 1 GB (sparse) photograph refused by its size, beside attaching a 1 KB picture;
- a bundle whose ``roll-checks.csv`` claims 64 GB, beside ``new --from`` of the bundle;
- each template bomb of tests/test_template_bounds.py, and each template past its
  bounds of depth and length (3,000 parentheses, a 5,000-digit number...), beside
  rendering a paragraph;
- merging a file with a recursive view, beside merging the sample itself.

Targets: each refusal within 1.5x of its floor or under 50 ms (it does less work than
the floor, or next to none), and never over a second.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from common import median_of  # noqa: E402

from irp_field import figures  # noqa: E402
from irp_field.api import attachments as api_attachments  # noqa: E402
from irp_field.core.visit_file import VisitFile  # noqa: E402
from irp_field.domain.errors import IrpError  # noqa: E402
from irp_field.evidence import attachments  # noqa: E402
from irp_field.findings.templates import Renderer  # noqa: E402
from irp_field.interchange import samples  # noqa: E402
from irp_field.interchange.bundle import build_from_bundle, write_bundle  # noqa: E402
from irp_field.replication.merge import merge_visits  # noqa: E402

CEILING = 1.0  # seconds
RUNS = 5
PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def _copy(source: Path, target: Path) -> Path:
    with sqlite3.connect(source) as a, sqlite3.connect(target) as b:
        a.backup(b)
    return target


def _refused(action: object) -> None:
    try:
        action()  # type: ignore[operator]
    except IrpError:
        return
    raise AssertionError("it was not refused")


def _line(what: str, refusal: float, floor_name: str, floor: float) -> bool:
    ok = refusal <= max(floor, 0.001) * 1.5 or refusal <= 0.05
    ok = ok and refusal <= CEILING
    print(
        f"{what}: {refusal * 1000:.1f} ms; {floor_name}: {floor * 1000:.1f} ms; "
        f"ratio {refusal / max(floor, 1e-6):.2f}x (target: within 1.5x of its floor or "
        f"under 50 ms, never over {CEILING:.0f} s) {'OK' if ok else 'MISSED'}"
    )
    return ok


def _attachments(folder: Path, sample: Path) -> None:
    visit_path = _copy(sample, folder / "attach.db")
    huge = folder / "huge.jpg"
    with huge.open("wb") as handle:
        handle.truncate(1024**3)
    small = folder / "small.png"
    small.write_bytes(PNG_1PX)
    with VisitFile.open(visit_path, user="Bench") as visit:
        refusal = median_of(
            RUNS, lambda: _refused(lambda: api_attachments.attach(visit, huge, paragraph="3.1"))
        )
        floor = median_of(RUNS, lambda: attachments.read_offered_file(small))
    _line("a 1 GB photograph refused", refusal, "a 1 KB picture read", floor)


def _bundle(folder: Path, sample: Path) -> None:
    with VisitFile.open(_copy(sample, folder / "b.db"), user="Bench") as visit:
        bundle = write_bundle(visit, folder / "bundle")
    count = [0]

    def build(source: Path) -> None:
        count[0] += 1
        build_from_bundle(source, folder / f"new-{count[0]}.db", user="Bench")

    floor = median_of(RUNS, lambda: build(bundle))
    huge = Path(shutil.copytree(bundle, folder / "huge-bundle"))
    with (huge / "roll-checks.csv").open("r+b") as handle:
        handle.truncate(64 * 1024**3)
    refusal = median_of(RUNS, lambda: _refused(lambda: build(huge)))
    _line("a bundle claiming 64 GB refused", refusal, "the sample's bundle built", floor)


def _templates(sample: Path) -> None:
    from test_template_bounds import BOMBS, DEEP

    with VisitFile.open(sample, readonly=True) as visit:
        renderer = Renderer(figures.compute(visit))
    plain = "In our roll checks, {{ roll.pct_locked_up }} of the population were locked up."
    floor = median_of(RUNS, lambda: renderer.render(plain, "paragraph 3.9 (1.38)"))
    worst = max(
        median_of(RUNS, lambda b=bomb: _refused(lambda: renderer.render(f"T {b}", "3.9")))
        for bomb in BOMBS
    )
    _line(f"the slowest of {len(BOMBS)} template bombs refused", worst, "a paragraph", floor)
    deep = [text for text, _ in DEEP.values()]  # 3,000 parentheses, 5,000 digits...
    worst = max(
        median_of(RUNS, lambda t=text: _refused(lambda: renderer.render(f"T {t}", "3.9")))
        for text in deep
    )
    _line(f"the slowest of {len(deep)} deep or long templates refused", worst, "a paragraph", floor)


def _merge(folder: Path, sample: Path) -> None:
    count = [0]

    def merge(source: Path) -> None:
        count[0] += 1
        merge_visits(_copy(sample, folder / f"master-{count[0]}.db"), [source])

    plain = _copy(sample, folder / "laptop.db")
    floor = median_of(RUNS, lambda: merge(plain))
    hostile = _copy(sample, folder / "hostile.db")
    with sqlite3.connect(hostile) as conn:
        conn.execute("DROP TABLE note")
        conn.execute(
            "CREATE VIEW note AS WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 "
            "FROM r) SELECT x AS id FROM r"
        )
    refusal = median_of(RUNS, lambda: _refused(lambda: merge(hostile)))
    _line("a file with a recursive view refused", refusal, "the sample merged", floor)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="irp-bench-refusals-") as name:
        folder = Path(name)
        sample = build_from_bundle(samples.sample_bundle(), folder / "hull.db", user="Bench")
        _attachments(folder, sample)
        _bundle(folder, sample)
        _templates(sample)
        _merge(folder, sample)


if __name__ == "__main__":
    main()

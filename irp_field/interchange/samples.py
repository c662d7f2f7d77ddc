"""The sample visits shipped with irp-field (inside the wheel, or at the top of a checkout)."""

from __future__ import annotations

from pathlib import Path

HULL = "hmp-hull-2022"
# Who the demo's visit is built by: the sample's team leader (its team.csv), who put its
# evidence together. Its periods, answers and paragraphs carry that name (built as
# "demo", each was a stranger's to the team: ``domain.recorders``).
HULL_RECORDER = "Sara Pennington"


def sample_bundle(name: str = HULL) -> Path:
    here = Path(__file__).resolve().parent.parent  # the irp_field package
    for folder in (here / "sample_visits", here.parent / "sample_visits"):
        if (folder / name / "visit.toml").exists():
            return folder / name
    raise FileNotFoundError(f"the sample visit {name!r} is not installed")

"""The sample visits shipped with irp-field (inside the wheel, or at the top of a checkout)."""

from __future__ import annotations

from pathlib import Path

HULL = "hmp-hull-2022"


def sample_bundle(name: str = HULL) -> Path:
    here = Path(__file__).resolve().parent.parent  # the irp_field package
    for folder in (here / "sample_visits", here.parent / "sample_visits"):
        if (folder / name / "visit.toml").exists():
            return folder / name
    raise FileNotFoundError(f"the sample visit {name!r} is not installed")

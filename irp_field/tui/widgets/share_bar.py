"""A text bar of a share, readable without colour: '█████░░░░░ 43%'."""

from __future__ import annotations

from irp_field.domain.wording import pct


def share_bar(share: float | None, width: int = 8) -> str:
    if share is None:
        return "-"
    filled = round(max(0.0, min(1.0, share)) * width)
    return "█" * filled + "░" * (width - filled) + f" {pct(share):>4}"

"""The snapshot a merge takes of its target before writing: a copy in the data folder's
``backups`` (0600, as the visit is), the last ten of each file kept."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

from irp_field import paths
from irp_field.core.visit_file import VisitFile

BACKUPS_KEPT = 10


def snapshot(visit: VisitFile) -> Path:
    """Copy the target into backups/ with the backup API, keeping the last ten per file."""
    folder = paths.backups_folder()
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    final = folder / f"{visit.path.stem}-{stamp}.db"
    partial = folder / f".{final.name}.partial"
    paths.create_private_file(partial)  # a snapshot is a visit file: 0600 like the visit
    # The backup API, not VACUUM INTO: that needs an attachment slot, and the sources
    # may have taken them all.
    copy = sqlite3.connect(partial)
    try:
        visit.conn.backup(copy)
    finally:
        copy.close()
    os.replace(partial, final)
    kept = sorted(folder.glob(f"{visit.path.stem}-*.db"))
    for old in kept[:-BACKUPS_KEPT]:
        old.unlink(missing_ok=True)
    return final

"""Who is using this copy of the visit: chosen once per file, kept in its meta table."""

from __future__ import annotations

from irp_field.core.visit_file import VisitFile

ME_KEY = "me"


def who_am_i(visit: VisitFile) -> str:
    return visit.meta().get(ME_KEY, "")


def set_me(visit: VisitFile, name: str) -> None:
    # meta is per file and never merged: two laptops each keep their own "me".
    with visit.transaction():
        visit.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (ME_KEY, name))
    visit.user = name

"""Row ids that are unique on any laptop without coordination.

Evidence that happens (a roll check, a period out of cell, a note) gets a UUIDv7: its
time order is its creation order and two laptops never collide. Records that have a
natural key inside a visit (a team member's name, a location, a plan ref, a sample
cell) get a name-based id derived from the visit id and that key, so that two
inspectors who add "A wing" independently add the *same* row, which the merge then
treats as one record (and as a conflict if they differ) instead of a duplicate.
"""

from __future__ import annotations

import os
import time
import uuid

_NAMESPACE = uuid.UUID("6f1c2a8e-3b7d-4c1e-9a55-2d0e8b7f4c11")


def uuid7() -> str:
    """A UUID version 7 (RFC 9562) as text: 48 bits of Unix milliseconds, then randomness."""
    millis = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    rand_a = (rand >> 66) & 0xFFF
    rand_b = rand & ((1 << 62) - 1)
    value = (millis & ((1 << 48) - 1)) << 80 | 0x7 << 76 | rand_a << 64 | 0b10 << 62 | rand_b
    return str(uuid.UUID(int=value))


def keyed_id(visit_id: str, kind: str, *key: str) -> str:
    """A stable id for the record of ``kind`` with natural key ``key`` in visit ``visit_id``."""
    name = "\x1f".join((visit_id, kind, *key))
    return str(uuid.uuid5(_NAMESPACE, name))

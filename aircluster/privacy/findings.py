"""What a detection in a record is (kept apart from the detector, so reports load without Presidio)."""

from __future__ import annotations

from dataclasses import dataclass

# The `field` of a match inside a key name: "<field name>" at top level, "meta.<field name>" below.
KEY_FIELD = "<field name>"


@dataclass(frozen=True)
class Finding:
    """One detection. `field`: dotted field path (list items share their list's path) or, for a key
    name, the parent path + KEY_FIELD; `path`: exact keys / indexes to the string (for a key name,
    to the key); `start`, `end`: character offsets in that string."""

    entity: str
    field: str
    start: int
    end: int
    score: float
    path: tuple[str | int, ...] = ()

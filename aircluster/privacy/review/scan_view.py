"""What a scan worker receives of a record: its text, not its bytes.

    view = without_bytes(record)          # `record` itself when it holds no bytes, else a copy with them emptied
    new = with_bytes(record, changed)     # the worker's changed view, with `record`'s bytes put back

The scan reads strings only (`Detector.scan_record` skips bytes), and the policy rewrites strings only, so an
image's bytes need not travel to a worker and back: they are emptied (`b""` or an empty bytearray, so the
record's shape, its field paths and everything the review counts stay the same) and restored from the record
this process holds.
A JSON record holds no bytes and is sent as it is.
"""

from __future__ import annotations

from typing import Any

_BYTES = (bytes, bytearray)


def without_bytes(value: Any) -> Any:
    """`value` with every bytes or bytearray inside it emptied; `value` itself (not a copy) if it holds none."""
    if isinstance(value, bytes):
        return b""
    if isinstance(value, bytearray):
        return bytearray()
    if isinstance(value, dict):
        out = None
        for k, v in value.items():
            w = without_bytes(v)
            if w is not v:
                if out is None:
                    out = dict(value)
                out[k] = w
        return value if out is None else out
    if isinstance(value, (list, tuple)):
        items = [without_bytes(v) for v in value]
        if all(w is v for w, v in zip(items, value)):
            return value
        return items if isinstance(value, list) else tuple(items)
    return value


def with_bytes(original: Any, changed: Any) -> Any:
    """`changed` (a view of `original` the policy rewrote: same shape, same key order, some strings and key
    names changed) with `original`'s bytes in place of the emptied ones."""
    if isinstance(original, _BYTES):
        return original
    if isinstance(original, dict) and isinstance(changed, dict):
        return {nk: with_bytes(ov, nv) for (_, ov), (nk, nv) in zip(original.items(), changed.items(), strict=True)}
    if isinstance(original, (list, tuple)) and isinstance(changed, (list, tuple)):
        items = [with_bytes(o, n) for o, n in zip(original, changed, strict=True)]
        return items if isinstance(changed, list) else tuple(items)
    return changed

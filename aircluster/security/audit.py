"""Tamper-evident audit log (DESIGN.md, invariant 6).

One JSON object per line. Each entry carries `prev`, the MAC of the entry before it, and `mac`,
an HMAC-SHA256 of its own canonical JSON under the audit key held by the key service. Editing an
entry breaks its MAC; inserting or deleting one breaks the chain; rewriting the whole tail needs the
audit key. After every append the (seq, mac) of the newest entry is recorded as the anchor in the key
store, so cutting entries off the end is detected too.

Entries hold ids, names, counts and principals only, never data.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from aircluster.errors import IntegrityError

GENESIS = "0" * 64


def _canonical(entry: dict[str, Any]) -> bytes:
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class VerifyResult:
    ok: bool
    entries: int
    anchor_seq: int
    problem: str = ""
    bad_seq: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "entries": self.entries, "anchor_seq": self.anchor_seq, "problem": self.problem, "bad_seq": self.bad_seq}


class AuditLog:
    """Append-only, chained, MAC'd log. `anchor_get`/`anchor_set` persist the newest (seq, mac)."""

    def __init__(
        self,
        path: Path,
        key: bytes,
        anchor_get: Callable[[], tuple[int, str]],
        anchor_set: Callable[[int, str], None],
    ):
        self.path = path
        self._key = key
        self._anchor_get = anchor_get
        self._anchor_set = anchor_set

    def _mac(self, entry: dict[str, Any]) -> str:
        return hmac.new(self._key, _canonical(entry), hashlib.sha256).hexdigest()

    def append(self, action: str, principal: str, **details: Any) -> dict[str, Any]:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "r+b") as f:
            fcntl.flock(f, fcntl.LOCK_EX)  # serialises appends from every process on this host
            last = _last_entry(f)
            entry: dict[str, Any] = {
                "seq": (last["seq"] + 1) if last else 1,
                "time": now_iso(),
                "principal": principal,
                "action": action,
                **details,
                "prev": last["mac"] if last else GENESIS,
            }
            entry["mac"] = self._mac(entry)
            f.write(_canonical(entry) + b"\n")
            f.flush()
            os.fsync(f.fileno())
            self._anchor_set(entry["seq"], entry["mac"])
        return entry

    def entries(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        out = []
        with open(self.path, "rb") as f:
            for line in f:
                if line.strip():
                    try:
                        out.append(json.loads(line))
                    except ValueError:
                        out.append({"unparseable": True})
        return out

    def tail(self, n: int) -> list[dict[str, Any]]:
        return self.entries()[-n:] if n > 0 else []

    def verify(self) -> VerifyResult:
        anchor_seq, anchor_mac = self._anchor_get()
        prev = GENESIS
        count = 0
        lines = self.path.read_bytes().splitlines() if self.path.exists() else []
        for lineno, raw in enumerate(lines, start=1):
            try:
                entry = json.loads(raw)
                mac = entry.pop("mac")
                seq = entry.get("seq")
            except (ValueError, KeyError, AttributeError):
                return VerifyResult(False, count, anchor_seq, f"line {lineno} is not a valid audit entry", lineno)
            if seq != lineno:
                return VerifyResult(False, count, anchor_seq, f"line {lineno}: sequence number {seq}, expected {lineno} (an entry was inserted or deleted)", lineno)
            if entry.get("prev") != prev:
                return VerifyResult(False, count, anchor_seq, f"entry {seq}: chain broken (an entry before it was edited, inserted or deleted)", seq)
            if not hmac.compare_digest(self._mac(entry), str(mac)):
                return VerifyResult(False, count, anchor_seq, f"entry {seq}: MAC mismatch (the entry was edited)", seq)
            if seq == anchor_seq and mac != anchor_mac:
                return VerifyResult(False, count, anchor_seq, f"entry {seq}: differs from the anchored entry (the log was rewritten)", seq)
            prev = mac
            count += 1
        if count < anchor_seq:
            return VerifyResult(False, count, anchor_seq, f"log ends at entry {count} but the anchor is entry {anchor_seq} (entries were deleted)", count + 1)
        return VerifyResult(True, count, anchor_seq)


def _last_entry(f) -> dict[str, Any] | None:
    """Read the last line of an open log file without reading the whole file."""
    f.seek(0, os.SEEK_END)
    end = f.tell()
    if end == 0:
        return None
    chunk = 4096
    pos = end
    data = b""
    while pos > 0:
        step = min(chunk, pos)
        pos -= step
        f.seek(pos)
        data = f.read(step) + data
        if data.rstrip(b"\n").count(b"\n") >= 1:
            break
    last = data.rstrip(b"\n").rsplit(b"\n", 1)[-1]
    f.seek(0, os.SEEK_END)
    try:
        entry = json.loads(last)
        entry["seq"], entry["mac"]  # noqa: B018 - both must exist to extend the chain
        return entry
    except (ValueError, KeyError, TypeError):
        raise IntegrityError(f"audit log {f.name}: its last entry is damaged; run `aircluster audit verify`") from None

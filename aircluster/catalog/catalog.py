"""The catalog: datasets, their immutable versions, review decisions.

A version row is inserted only once every shard and the manifest are durably written (the
importer publishes files first, then commits the row), so a visible version is always complete.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aircluster.catalog.db import connect
from aircluster.errors import NotFound, PermissionDenied, UsageError

# Whole names only (fullmatch): with match, a "$" would also accept a name ending in a newline.
NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")

REVIEW_STATES = ("pending_review", "approved", "rejected")


def check_name(name: str) -> str:
    if not NAME_RE.fullmatch(name):
        raise UsageError(
            f"dataset name {name!r} is invalid: use letters, digits, '_', '.', '-' (at most 128, starting with a letter or digit)"
        )
    return name


def parse_ref(ref: str) -> tuple[str, int | None]:
    """`NAME` or `NAME@V` -> (name, version or None for the latest)."""
    name, sep, ver = ref.partition("@")
    check_name(name)
    if not sep:
        return name, None
    if not ver.isdigit() or int(ver) < 1:
        raise UsageError(f"{ref!r}: the version after '@' must be a positive number, as in {name}@1")
    return name, int(ver)


@dataclass
class Version:
    id: str
    dataset_id: str
    name: str
    number: int
    review_state: str
    imported_by: str
    created_at: float
    retention_days: float | None
    expires_at: float | None
    shredded_at: float | None
    shred_reason: str | None
    records: int
    shards: int
    bytes_plain: int
    bytes_stored: int
    location: str
    schema: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.number}"

    @property
    def status(self) -> str:
        return "shredded" if self.shredded_at is not None else self.review_state

    def to_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in self.__dict__.items()}
        d["ref"] = self.ref
        d["status"] = self.status
        return d


def _version(row: sqlite3.Row) -> Version:
    d = dict(row)
    d["schema"] = json.loads(d.pop("schema_json"))
    d["meta"] = json.loads(d.pop("meta_json"))
    return Version(**d)


_SELECT = "SELECT v.*, d.name AS name FROM versions v JOIN datasets d ON d.id = v.dataset_id"


class Catalog:
    def __init__(self, path: Path):
        if not path.exists():
            raise UsageError(f"no catalog at {path}: run `aircluster init` (or set AIRCLUSTER_HOME)")
        self.path = path
        self.db = connect(path)

    @classmethod
    def create(cls, path: Path) -> Catalog:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Created 0600 whatever the umask; SQLite gives its -wal and -shm files the database file's mode.
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
        os.chmod(path, 0o600)
        connect(path).close()
        return cls(path)

    def close(self) -> None:
        self.db.close()

    def transaction(self) -> _Tx:
        return _Tx(self.db)

    # --- datasets and versions -------------------------------------------------------------------

    def existing_dataset_id(self, name: str) -> str | None:
        row = self.db.execute("SELECT id FROM datasets WHERE name=?", (check_name(name),)).fetchone()
        return row[0] if row else None

    def is_published(self, version_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM versions WHERE id=?", (version_id,)).fetchone() is not None

    def dataset_id(self, name: str, create: bool = False) -> str:
        check_name(name)
        row = self.db.execute("SELECT id FROM datasets WHERE name=?", (name,)).fetchone()
        if row:
            return row[0]
        if not create:
            raise NotFound(f"no dataset named {name!r}: see `aircluster data ls`")
        new_id = uuid.uuid4().hex
        self.db.execute("INSERT OR IGNORE INTO datasets VALUES (?, ?, ?)", (new_id, name, time.time()))
        return self.db.execute("SELECT id FROM datasets WHERE name=?", (name,)).fetchone()[0]

    def add_version(
        self,
        *,
        version_id: str,
        dataset_id: str,
        name: str,
        imported_by: str,
        retention_days: float | None,
        records: int,
        shards: int,
        bytes_plain: int,
        bytes_stored: int,
        location: str,
        schema: dict[str, Any],
        meta: dict[str, Any],
        review_state: str = "pending_review",
        before_commit: Any = None,
    ) -> Version:
        """Allocate the next version number and insert the row, atomically.

        `before_commit(number)` runs inside the transaction (the importer publishes its files there),
        so either both the files and the row exist, or neither becomes visible.
        """
        now = time.time()
        expires = now + retention_days * 86400 if retention_days is not None else None
        with self.transaction():
            self.db.execute("INSERT OR IGNORE INTO datasets VALUES (?, ?, ?)", (dataset_id, check_name(name), now))
            if self.db.execute("SELECT id FROM datasets WHERE name=?", (name,)).fetchone()[0] != dataset_id:
                raise UsageError(f"dataset {name!r} was created by another import meanwhile; run the import again")
            number = self.db.execute(
                "SELECT COALESCE(MAX(number), 0) + 1 FROM versions WHERE dataset_id=?", (dataset_id,)
            ).fetchone()[0]
            self.db.execute(
                "INSERT INTO versions (id, dataset_id, number, review_state, imported_by, created_at, retention_days, expires_at,"
                " records, shards, bytes_plain, bytes_stored, location, schema_json, meta_json)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    version_id,
                    dataset_id,
                    number,
                    review_state,
                    imported_by,
                    now,
                    retention_days,
                    expires,
                    records,
                    shards,
                    bytes_plain,
                    bytes_stored,
                    location,
                    json.dumps(schema),
                    json.dumps(meta),
                ),
            )
            if before_commit is not None:
                before_commit(number)
        return self.version_by_id(version_id)

    def version_by_id(self, version_id: str) -> Version:
        row = self.db.execute(_SELECT + " WHERE v.id=?", (version_id,)).fetchone()
        if row is None:
            raise NotFound(f"no dataset version with id {version_id}")
        return _version(row)

    def resolve(self, ref: str) -> Version:
        name, number = parse_ref(ref)
        dataset_id = self.dataset_id(name)
        if number is None:
            row = self.db.execute(_SELECT + " WHERE v.dataset_id=? ORDER BY v.number DESC LIMIT 1", (dataset_id,)).fetchone()
            if row is None:
                raise NotFound(f"dataset {name!r} has no versions")
        else:
            row = self.db.execute(_SELECT + " WHERE v.dataset_id=? AND v.number=?", (dataset_id, number)).fetchone()
            if row is None:
                raise NotFound(f"no version {name}@{number}: see `aircluster data show {name}`")
        return _version(row)

    def versions(self, name: str | None = None) -> list[Version]:
        if name is None:
            rows = self.db.execute(_SELECT + " ORDER BY d.name, v.number").fetchall()
        else:
            rows = self.db.execute(_SELECT + " WHERE v.dataset_id=? ORDER BY v.number", (self.dataset_id(name),)).fetchall()
        return [_version(r) for r in rows]

    def version_ids(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT id FROM versions")}

    def due_for_expiry(self, now: float | None = None) -> list[Version]:
        now = time.time() if now is None else now
        rows = self.db.execute(
            _SELECT + " WHERE v.expires_at IS NOT NULL AND v.expires_at <= ? AND v.shredded_at IS NULL", (now,)
        )
        return [_version(r) for r in rows]

    def mark_shredded(self, version_id: str, reason: str) -> None:
        self.db.execute(
            "UPDATE versions SET shredded_at=?, shred_reason=? WHERE id=? AND shredded_at IS NULL",
            (time.time(), reason, version_id),
        )

    # --- review --------------------------------------------------------------------------------

    def record_review(
        self,
        version_id: str,
        decision: str,
        principal: str,
        note: str,
        *,
        four_eyes: bool = True,
        at: float | None = None,
        proof: str | None = None,
    ) -> None:
        """Record a final decision. `four_eyes=False` only for a personal installation, where the one
        person reviews their own imports (`Access.check_reviewer` decides, the server passes it on).
        `proof` is the key service's MAC over the decision made at `at` (security/approval.py)."""
        if decision not in ("approved", "rejected"):
            raise UsageError(f"review decision must be approved or rejected, not {decision!r}")
        with self.transaction():
            # Four-eyes, checked in the same transaction that records the decision: whoever calls this.
            version = self.version_by_id(version_id)
            if four_eyes and principal == version.imported_by:
                raise PermissionDenied(
                    f"{principal} imported {version.ref} and so cannot review it: a second principal must decide (four-eyes rule)"
                )
            if version.review_state != "pending_review":
                raise UsageError(f"{version.ref} was already {version.review_state}; a review decision is final")
            self.db.execute("UPDATE versions SET review_state=? WHERE id=?", (decision, version_id))
            self.db.execute(
                "INSERT INTO reviews (version_id, decision, principal, at, note, proof) VALUES (?, ?, ?, ?, ?, ?)",
                (version_id, decision, principal, time.time() if at is None else at, note, proof),
            )

    def reviews(self, version_id: str) -> list[dict[str, Any]]:
        return [
            dict(r)
            for r in self.db.execute(
                "SELECT decision, principal, at, note FROM reviews WHERE version_id=? ORDER BY id", (version_id,)
            )
        ]

    def review_proofs(self, version_id: str, decision: str) -> list[tuple[str, float, str | None]]:
        """(principal, at, proof) of each recorded `decision` on the version."""
        rows = self.db.execute(
            "SELECT principal, at, proof FROM reviews WHERE version_id=? AND decision=? ORDER BY id", (version_id, decision)
        )
        return [(r[0], r[1], r[2]) for r in rows]

    def save_report(self, version_id: str, report: dict[str, Any]) -> None:
        self.db.execute("INSERT OR REPLACE INTO review_reports VALUES (?, ?)", (version_id, json.dumps(report)))

    def report(self, version_id: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT report_json FROM review_reports WHERE version_id=?", (version_id,)).fetchone()
        return json.loads(row[0]) if row else None


class _Tx:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type, exc, tb) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")

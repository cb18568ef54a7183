"""SQLite connection and schema migrations for the catalog.

The schema version is SQLite's `user_version`; `MIGRATIONS[i]` takes the schema from version i to
i + 1. A catalog written by a newer aircluster is refused rather than guessed at.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from aircluster.errors import UsageError

MIGRATIONS: list[str] = [
    # 0 -> 1: datasets, versions, review decisions
    """
    CREATE TABLE datasets (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at REAL NOT NULL
    );
    CREATE TABLE versions (
        id TEXT PRIMARY KEY,
        dataset_id TEXT NOT NULL REFERENCES datasets(id),
        number INTEGER NOT NULL,
        review_state TEXT NOT NULL CHECK (review_state IN ('pending_review', 'approved', 'rejected')),
        imported_by TEXT NOT NULL,
        created_at REAL NOT NULL,
        retention_days REAL,
        expires_at REAL,
        shredded_at REAL,
        shred_reason TEXT,
        records INTEGER NOT NULL,
        shards INTEGER NOT NULL,
        bytes_plain INTEGER NOT NULL,
        bytes_stored INTEGER NOT NULL,
        location TEXT NOT NULL,
        schema_json TEXT NOT NULL,
        meta_json TEXT NOT NULL,
        UNIQUE (dataset_id, number)
    );
    CREATE TABLE reviews (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        version_id TEXT NOT NULL REFERENCES versions(id),
        decision TEXT NOT NULL,
        principal TEXT NOT NULL,
        at REAL NOT NULL,
        note TEXT NOT NULL
    );
    """,
    # 1 -> 2: privacy review reports (summary numbers only: counts, rates, masked examples)
    """
    CREATE TABLE review_reports (
        version_id TEXT PRIMARY KEY REFERENCES versions(id),
        report_json TEXT NOT NULL
    );
    """,
    # 2 -> 3: training jobs, the dataset versions each may read, and their timelines
    """
    CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        principal TEXT NOT NULL,
        backend TEXT NOT NULL,
        status TEXT NOT NULL,
        config_json TEXT NOT NULL,
        run_dir TEXT NOT NULL,
        nodes INTEGER NOT NULL,
        procs_per_node INTEGER NOT NULL,
        slurm_job_id TEXT,
        launcher_pid INTEGER,
        restarts INTEGER NOT NULL DEFAULT 0,
        nodes_used_json TEXT NOT NULL DEFAULT '[]',
        created_at REAL NOT NULL,
        started_at REAL,
        ended_at REAL,
        exit_code INTEGER,
        message TEXT
    );
    CREATE TABLE job_datasets (
        job_id TEXT NOT NULL REFERENCES jobs(id),
        version_id TEXT NOT NULL REFERENCES versions(id),
        ref TEXT NOT NULL,
        PRIMARY KEY (job_id, version_id)
    );
    CREATE TABLE job_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        job_id TEXT NOT NULL REFERENCES jobs(id),
        at REAL NOT NULL,
        kind TEXT NOT NULL,
        data_json TEXT NOT NULL
    );
    CREATE INDEX job_events_by_job ON job_events(job_id, id);
    """,
    # 3 -> 4: roles (admin, steward) and per-dataset grants (aircluster/catalog/access.py)
    """
    CREATE TABLE roles (
        user TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'steward')),
        granted_by TEXT NOT NULL,
        granted_at REAL NOT NULL,
        PRIMARY KEY (user, role)
    );
    CREATE TABLE grants (
        user TEXT NOT NULL,
        permission TEXT NOT NULL CHECK (permission IN ('read', 'train', 'import', 'expire')),
        dataset_id TEXT NOT NULL REFERENCES datasets(id),
        granted_by TEXT NOT NULL,
        granted_at REAL NOT NULL,
        PRIMARY KEY (user, permission, dataset_id)
    );
    """,
    # 4 -> 5: job credentials (only the token's SHA-256 is kept) and the launcher's start time, so a
    # reused pid is not taken for a live launcher
    """
    CREATE TABLE job_tokens (
        job_id TEXT PRIMARY KEY REFERENCES jobs(id),
        token_sha256 TEXT NOT NULL UNIQUE,
        owner TEXT NOT NULL,
        nodes_json TEXT,
        slurm_job_id TEXT,
        issued_at REAL NOT NULL,
        expires_at REAL NOT NULL,
        revoked_at REAL
    );
    ALTER TABLE jobs ADD COLUMN launcher_start_time INTEGER;
    """,
    # 5 -> 6: each decision carries the server's proof (a MAC under the version's key,
    # security/approval.py), so a review row or state written behind the server's back opens nothing
    """
    ALTER TABLE reviews ADD COLUMN proof TEXT;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


def connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=60, isolation_level=None, check_same_thread=False)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    migrate(db, path)
    return db


def migrate(db: sqlite3.Connection, path: Path) -> None:
    current = db.execute("PRAGMA user_version").fetchone()[0]
    if current > SCHEMA_VERSION:
        raise UsageError(
            f"catalog {path} has schema version {current}, newer than this aircluster ({SCHEMA_VERSION}); upgrade aircluster"
        )
    if current == SCHEMA_VERSION:
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        current = db.execute("PRAGMA user_version").fetchone()[0]  # another process may have migrated meanwhile
        for version in range(current, SCHEMA_VERSION):
            for statement in MIGRATIONS[version].split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute(f"PRAGMA user_version={version + 1}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise

"""Helpers for the streaming loader tests: a fresh installation with approved datasets in it."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path
from typing import Any

from aircluster.context import init
from aircluster.privacy.review.decision import decide
from aircluster.server.state import init_server
from aircluster.store.ingest import ImportOptions, import_dataset

IMPORTER = "loader-importer"
STEWARD = "loader-steward"


def setup_home(tmp_path: Path, monkeypatch: Any) -> Path:
    """Point AIRCLUSTER_HOME, the cache and the temp directory into tmp_path; return the home."""
    home = tmp_path / "home"
    monkeypatch.setenv("AIRCLUSTER_HOME", str(home))
    monkeypatch.setenv("AIRCLUSTER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("AIRCLUSTER_USER", raising=False)
    monkeypatch.delenv("AIRCLUSTER_JOB_ID", raising=False)
    monkeypatch.delenv("AIRCLUSTER_SERVER", raising=False)
    monkeypatch.setenv("AIRCLUSTER_SERVER_IDLE_EXIT", "60")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    init_server(home, personal=True)  # the loader reaches it through its server, started on demand
    return home


def import_records(
    tmp_path: Path,
    name: str,
    records: list[dict[str, Any]],
    *,
    approve: bool = True,
    shard_bytes: int = 16 << 10,
    segment_bytes: int = 4 << 10,
) -> str:
    """Import records as a new version of `name` (small shards), approved by a second principal; returns its ref."""
    source = tmp_path / f"{name}.jsonl"
    with open(source, "w") as f:
        for record in records:
            f.write(json.dumps(record) + "\n")
    with init() as ctx:
        ctx = ctx.as_caller(IMPORTER)  # set-up as the operator: the data is imported by someone else
        result = import_dataset(ctx, name, [str(source)], ImportOptions(shard_bytes=shard_bytes, segment_bytes=segment_bytes))
        if approve:
            decide(ctx, ctx.catalog.version_by_id(result.version_id), "approved", "loader test data", principal=STEWARD)
    source.unlink()  # the plaintext input is the test's, not the loader's: remove it before canary scans
    return result.ref


def text_records(n: int, prefix: str = "sample") -> list[dict[str, Any]]:
    return [{"id": i, "text": f"{prefix} {i} " + "lorem ipsum " * (i % 7 + 3)} for i in range(n)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def files_under(*roots: Path) -> list[Path]:
    return [Path(d) / f for root in roots if os.path.exists(root) for d, _, fs in os.walk(root) for f in fs]

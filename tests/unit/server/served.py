"""A real aircluster server for tests: `server init` then `server start` in a fresh home, stopped afterwards, and the CLI
run against it as a separate process."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.conftest import REPO

IDLE_EXIT = "30"


def environment(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("AIRCLUSTER_USER", "AIRCLUSTER_SERVER")}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env | {"AIRCLUSTER_HOME": str(home), **extra}


def run_cli(home: Path, *args: str | Path, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "aircluster.cli", *map(str, args)]
    return subprocess.run(argv, env=environment(home, **env), cwd=cwd, capture_output=True, text=True, timeout=300)


class Server:
    def __init__(self, home: Path):
        self.home = home

    def cli(self, *args: str | Path, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
        return run_cli(self.home, *args, cwd=cwd, **env)

    def ok(self, *args: str | Path, cwd: Path | None = None, **env: str) -> str:
        done = self.cli(*args, cwd=cwd, **env)
        assert done.returncode == 0, f"aircluster {' '.join(map(str, args))} exited {done.returncode}: {done.stderr}"
        return done.stdout

    def fails(self, *args: str | Path, cwd: Path | None = None, **env: str) -> str:
        """The one-line error of a command that must fail."""
        done = self.cli(*args, cwd=cwd, **env)
        assert done.returncode != 0, done.stdout
        assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
        return done.stderr

    def versions(self, name: str | None = None) -> list[dict[str, Any]]:
        """Rows of the catalog (root may open the server's own files in tests)."""
        db = sqlite3.connect(f"file:{self.home / 'server' / 'catalog.db'}?mode=ro", uri=True)
        db.row_factory = sqlite3.Row
        try:
            rows = db.execute(
                "SELECT d.name, v.* FROM versions v JOIN datasets d ON d.id = v.dataset_id"
                " WHERE ? IS NULL OR d.name = ? ORDER BY d.name, v.number",
                (name, name),
            ).fetchall()
        finally:
            db.close()
        return [dict(r) | {"meta": json.loads(r["meta_json"]), "schema": json.loads(r["schema_json"])} for r in rows]

    def uploads(self) -> list[str]:
        """What is left of uploads' copies."""
        top = self.home / "server" / "uploads"
        # os.walk passes over folders removed while it looks (the server may be removing a copy right now)
        return sorted(os.path.relpath(os.path.join(d, n), top) for d, subs, files in os.walk(top) for n in subs + files)

    def wait_no_uploads(self, timeout: float = 15) -> list[str]:
        deadline = time.monotonic() + timeout
        while (left := self.uploads()) and time.monotonic() < deadline:
            time.sleep(0.1)
        return left


@contextmanager
def served(home: Path, *init: str, listen: str | None = None, **env: str) -> Iterator[Server]:
    server = Server(home)
    server.ok("server", "init", *init, **env)
    server.ok("server", "start", "--idle-exit", IDLE_EXIT, *(["--listen", listen] if listen else []), **env)
    try:
        yield server
    finally:
        run_cli(home, "server", "stop", **env)

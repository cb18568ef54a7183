"""A real aircluster server for tests: a personal installation run by root in the test's own home (what the
lead's conftest fixture will do for every test: `server init --personal` + `server start --idle-exit`), and
datasets imported and approved in it.

The server is a separate process started with the real CLI; it is stopped when the block ends.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from aircluster.client.connection import Client

IDLE_EXIT_S = 600  # a server a test forgot to stop leaves by itself


def cli(env: dict[str, str], *args: str, timeout: float = 300, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "aircluster.cli", *args], env=env, capture_output=True, text=True, timeout=timeout
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"aircluster {' '.join(args)} exited {proc.returncode}:\n{proc.stderr[-4000:]}")
    return proc


def home_env(home: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {**os.environ, "AIRCLUSTER_HOME": str(home), **(extra or {})}
    for name in ("AIRCLUSTER_JOB_ID", "AIRCLUSTER_JOB_TOKEN", "AIRCLUSTER_SERVER", "AIRCLUSTER_USER"):
        env.pop(name, None)
    return env


def start_server(env: dict[str, str], *, listen: str | None = None, shared: bool = False) -> dict[str, Any]:
    """`server init` (personal, or shared as root) and `server start`; returns `server status --json`."""
    cli(env, "server", "init", "--shared" if shared else "--personal")
    cli(env, "server", "start", "--idle-exit", str(IDLE_EXIT_S), *(["--listen", listen] if listen else []))
    return json.loads(cli(env, "server", "status", "--json").stdout)


def stop_server(env: dict[str, str]) -> None:
    cli(env, "server", "stop", check=False, timeout=60)


@contextmanager
def personal_server(home: Path, extra: dict[str, str] | None = None, *, listen: str | None = None) -> Iterator[dict[str, str]]:
    """A personal installation at `home` with its server running; yields the environment to run commands in."""
    env = home_env(home, extra)
    start_server(env, listen=listen)
    try:
        yield env
    finally:
        stop_server(env)


def server_call(home: Path, op: str, **args: Any) -> Any:
    with Client(str(home / "server.sock")) as server:
        return server.call(op, **args)


def write_posts(path: Path, n: int = 300, word: str = "post") -> Path:
    with open(path, "w") as f:
        for i in range(n):
            f.write(
                json.dumps({"id": i, "text": f"{word} {i}: the quick brown fox jumps over the lazy dog {i % 7}", "label": i % 2})
            )
            f.write("\n")
    return path


def import_dataset(env: dict[str, str], name: str, source: Path, policy: Path, *extra: str) -> str:
    out = cli(env, "data", "import", name, str(source), "--policy", str(policy), "--shard-size", "2k", "--json", *extra).stdout
    return json.loads(out)["ref"]


def approve(home: Path, ref: str) -> None:
    """Approved through the server (a personal installation's one person may approve, and it is said so)."""
    server_call(home, "review.decide", ref=ref, decision="approved", note="test approval")

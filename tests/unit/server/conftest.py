"""A shared installation served as it would be in production: root runs `server init` (under umask 000, so
every mode must be set explicitly), the server runs as the `aircluster` system account, and real accounts
talk to it through the kernel-authenticated socket:

- aircluster-t-alice imports (the data set-up is done by the operator, acting as the server's own account so
  every file it writes is the server's, recording alice as the importer);
- aircluster-t-bob has no role; aircluster-t-carol is a steward; aircluster-t-dave has no grant.

Accounts run the real CLI (`Installation.cli`) or client code in a forked child that became them (`call_as`).
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import signal
import site
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from aircluster import installation
from aircluster.context import open_context
from aircluster.server import config as server_config
from aircluster.store.ingest import ImportOptions, import_dataset
from tests.accounts import call_as, ensure_user, run_as
from tests.conftest import REPO

PEOPLE = ("alice", "bob", "carol", "dave")
IDLE_EXIT = "600"  # a server a failed test leaves behind goes away on its own


def python_for(account: pwd.struct_passwd) -> str:
    """The system's interpreter of this version if the account may run it (a venv's may point into root's 0700
    home, and then cannot start itself again as the account: a personal server would not start), else this one;
    `pythonpath()` gives it this environment's packages."""
    for candidate in (f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}", sys.executable):
        if run_as(account, [candidate, "-c", "pass"]).returncode == 0:
            return candidate
    raise AssertionError(f"no Python {sys.version_info.major}.{sys.version_info.minor} that {account.pw_name} may run")


def pythonpath() -> str:
    return os.pathsep.join([str(REPO), *site.getsitepackages()])


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    path.chmod(0o644)
    return path


def records(n: int, prefix: str = "row") -> list[dict[str, Any]]:
    return [{"id": i, "text": f"{prefix} {i} " + "lorem ipsum " * (i % 5 + 1)} for i in range(n)]


def _import_as_operator(home: str, name: str, source: str, importer: str, shard_bytes: int) -> dict[str, Any]:
    """Runs as the server's account (call_as): the library import, recording `importer` as who imported."""
    config = server_config.load(installation.Paths(Path(home)))
    with open_context(paths=config.paths(Path(home))) as ctx:
        opts = ImportOptions(shard_bytes=shard_bytes, segment_bytes=1024)
        return import_dataset(ctx.as_caller(importer), name, [source], opts, review=None).to_dict()


def _review_state(catalog: str, version_id: str) -> str:
    with sqlite3.connect(catalog) as db:
        return db.execute("SELECT review_state FROM versions WHERE id=?", (version_id,)).fetchone()[0]


@dataclass
class Installation:
    top: Path
    home: Path
    server: pwd.struct_passwd  # the account the server runs as
    people: dict[str, pwd.struct_passwd]
    python: str  # an interpreter every test account may run
    extra_env: dict[str, str]

    @property
    def alice(self) -> pwd.struct_passwd:
        return self.people["alice"]

    @property
    def bob(self) -> pwd.struct_passwd:
        return self.people["bob"]

    @property
    def carol(self) -> pwd.struct_passwd:
        return self.people["carol"]

    @property
    def dave(self) -> pwd.struct_passwd:
        return self.people["dave"]

    @property
    def paths(self) -> installation.Paths:
        return installation.Paths(self.home)

    def server_config(self) -> server_config.ServerConfig:
        return server_config.load(self.paths)

    def version_id(self, ref: str) -> str:
        return json.loads(self.root_ok("data", "show", ref, "--json"))["id"]

    def state_in_catalog(self, version_id: str) -> str:
        """The review state the catalog file holds (read as the server's account, which owns the file)."""
        return call_as(self.server, _review_state, str(self.paths.catalog), version_id)

    def env(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        return {
            "AIRCLUSTER_HOME": str(self.home),
            "PYTHONPATH": pythonpath(),
            "PYTHONDONTWRITEBYTECODE": "1",
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
            **self.extra_env,
            **(extra or {}),
        }

    def cli(
        self, who: pwd.struct_passwd, *args: str, env: Mapping[str, str] | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        """`aircluster ARGS` run by the account `who`, as a separate process."""
        return run_as(who, [self.python, "-m", "aircluster.cli", *args], env=self.env(env), timeout=timeout)

    def ok(self, who: pwd.struct_passwd, *args: str, env: Mapping[str, str] | None = None) -> str:
        done = self.cli(who, *args, env=env)
        assert done.returncode == 0, f"{who.pw_name}: aircluster {' '.join(args)} exited {done.returncode}: {done.stderr}"
        return done.stdout

    def root(self, *args: str, umask: int | None = None) -> subprocess.CompletedProcess[str]:
        """`aircluster ARGS` run by root (the operator)."""
        argv = [sys.executable, "-m", "aircluster.cli", *args]
        preexec = (lambda: os.umask(umask)) if umask is not None else None
        env = {k: v for k, v in os.environ.items() if not k.startswith("AIRCLUSTER_")} | self.env()
        return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120, preexec_fn=preexec)

    def root_ok(self, *args: str) -> str:
        done = self.root(*args)
        assert done.returncode == 0, f"root: aircluster {' '.join(args)} exited {done.returncode}: {done.stderr}"
        return done.stdout

    # --- the server's life -----------------------------------------------------------------------

    def start(self, *extra: str) -> dict[str, Any]:
        return json.loads(self.root_ok("server", "start", "--idle-exit", IDLE_EXIT, "--json", *extra))

    def pid(self) -> int | None:
        try:
            return int(self.paths.server_pid.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def stop(self) -> None:
        self.root("server", "stop")

    def kill(self) -> None:
        """SIGKILL the server, and wait until it is gone."""
        pid = self.pid()
        if pid is None:
            return
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.01)

    # --- data, set up by the operator ------------------------------------------------------------

    def import_(self, name: str, rows: list[dict[str, Any]], *, importer: str = "alice", shard_bytes: int = 64 << 10) -> str:
        """A new pending version of `name` imported by `importer` (one of PEOPLE); returns its ref."""
        source = write_jsonl(self.top / "sources" / f"{name}-{time.monotonic_ns()}.jsonl", rows)
        who = self.people[importer].pw_name
        result = call_as(self.server, _import_as_operator, str(self.home), name, str(source), who, shard_bytes, timeout=300)
        source.unlink()
        return result["ref"]

    def approve(self, ref: str) -> None:
        self.ok(self.carol, "review", "approve", ref, "--note", "checked")

    def read(self, who: pwd.struct_passwd, ref: str) -> subprocess.CompletedProcess[str]:
        return self.cli(who, "data", "read", ref)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


def read_rows(out: str) -> list[dict[str, Any]]:
    """The records `data read` printed."""
    return [json.loads(line) for line in out.splitlines()]


def one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    """The CLI's refusal: non-zero, one `error:` line, no traceback. Returns the line."""
    assert done.returncode != 0, done.stdout
    assert "Traceback" not in done.stderr, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), done.stderr
    return lines[0]


def people() -> dict[str, pwd.struct_passwd]:
    return {name: ensure_user(f"aircluster-t-{name}") for name in PEOPLE}


def new_shared(extra_env: Mapping[str, str] | None = None) -> Installation:
    """Root's `server init` in a fresh traversable directory, under umask 000; carol made a steward. Not started."""
    top = Path(tempfile.mkdtemp(prefix="aircluster-t-server-"))
    top.chmod(0o755)
    (top / "sources").mkdir(mode=0o755)
    (top / "sources").chmod(0o755)
    who = people()
    inst = Installation(top, top / "home", server_config.system_account(), who, python_for(who["alice"]), dict(extra_env or {}))
    done = inst.root("server", "init", "--shared", umask=0)
    assert done.returncode == 0, done.stderr
    return inst


@pytest.fixture
def shared() -> Iterator[Installation]:
    """A running shared installation; carol is a steward."""
    inst = new_shared()
    try:
        inst.start()
        inst.root_ok("access", "role", "add", "steward", inst.carol.pw_name)
        yield inst
    finally:
        inst.stop()
        inst.kill()
        shutil.rmtree(inst.top, ignore_errors=True)

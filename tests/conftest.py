"""Shared fixtures: every test gets its own AIRCLUSTER_HOME and acting principal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A fresh AIRCLUSTER_HOME; a server started for it (on demand, by `aircluster init` + the first command)
    is stopped when the test ends."""
    home = tmp_path / "home"
    monkeypatch.setenv("AIRCLUSTER_HOME", str(home))
    # the audit witness (heads this account has seen) goes with the test, not into the real home
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("AIRCLUSTER_SERVER_IDLE_EXIT", "120")  # a server a test forgot does not outlive it long
    for name in (
        "AIRCLUSTER_USER",
        "AIRCLUSTER_MASTER_KEY_FILE",
        "AIRCLUSTER_JOB_ID",
        "AIRCLUSTER_JOB_TOKEN",
        "AIRCLUSTER_SERVER",
    ):
        monkeypatch.delenv(name, raising=False)
    yield home
    stop_server(home)


def stop_server(home: Path) -> None:
    """Stop the server of `home`, if one runs (SIGTERM, then wait for it to go)."""
    import signal
    import time

    try:
        pid = int((home / "server.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if os.waitpid(pid, os.WNOHANG)[0] == pid:  # started on demand by this process: reap it
                return
        except ChildProcessError:
            pass
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return
        if state == "Z":  # exited; its parent reaps it
            return
        time.sleep(0.02)


class CLI:
    """Runs the real `aircluster` entry point in-process and captures what it prints."""

    def __init__(self, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch):
        self.capsys = capsys
        self.monkeypatch = monkeypatch

    def __call__(self, *args: str, user: str | None = None) -> tuple[int, str, str]:
        from aircluster.cli import main

        self.capsys.readouterr()
        with self.monkeypatch.context() as m:
            if user is not None:
                m.setenv("AIRCLUSTER_USER", user)
            code = main([str(a) for a in args])
        out, err = self.capsys.readouterr()
        return code, out, err

    def ok(self, *args: str, user: str | None = None) -> str:
        code, out, err = self(*args, user=user)
        assert code == 0, f"aircluster {' '.join(map(str, args))} exited {code}: {err}"
        return out


@pytest.fixture
def cli(home: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch) -> CLI:
    runner = CLI(capsys, monkeypatch)
    runner.ok("init")
    runner.ok("server", "start", "--idle-exit", "120")  # started here, so no command prints that it started one
    return runner


def run_cli_process(args: list[str], env: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess:
    """Run `aircluster` as a real separate process (for kills, signals and temp-dir checks)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "aircluster.cli", *args], env=full_env, capture_output=True, text=True, **kwargs)


@pytest.fixture
def permissive_policy(tmp_path: Path) -> Path:
    """A privacy policy that allows every entity: tests that compare stored data with their input use it."""
    from tests.unit.store.policies import ALLOW_ALL

    path = tmp_path / "allow-all.toml"
    path.write_text(ALLOW_ALL)
    return path


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """No server started under this run's temp directory outlives it (a test that forgot one, or failed first)."""
    import signal

    factory = getattr(session.config, "_tmp_path_factory", None)
    if factory is None:
        return
    base = str(factory.getbasetemp())
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"aircluster.server" in argv and b"--home" in argv:
            home = argv[argv.index(b"--home") + 1].decode(errors="replace")
            if home.startswith(base):
                try:
                    os.kill(int(proc.name), signal.SIGTERM)
                except (ProcessLookupError, PermissionError):
                    pass

"""An interrupted import leaves no version, no stray files and no key (DESIGN.md, invariant 7).

The import reads a file far longer than the moment it takes to see shards in staging; the test stops
the process (SIGSTOP) as soon as they appear, so it is provably mid-way when it is signalled or killed.
(Imports read only regular files, so a named pipe can no longer hold one open: see store/regular.py.)
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import run_cli_process


def kek_ids(home: Path) -> list[str]:
    db = sqlite3.connect(home / "keys" / "keystore.db")
    return [r[0] for r in db.execute("SELECT key_id FROM keys WHERE key_id LIKE 'kek:%'")]


def version_rows(home: Path) -> int:
    return sqlite3.connect(home / "catalog.db").execute("SELECT COUNT(*) FROM versions").fetchone()[0]


def store_files(home: Path) -> list[Path]:
    return [p for p in (home / "store").rglob("*") if p.is_file()]


def start_import_midway(tmp_path: Path, env: dict[str, str], records: int = 20_000) -> subprocess.Popen:
    """An import stopped (SIGSTOP) with several shards in staging; SIGCONT lets it go on."""
    source = tmp_path / "big.jsonl"
    with open(source, "w") as f:
        for i in range(records):
            f.write(json.dumps({"id": i, "text": f"record {i} " + "lorem ipsum " * 10}) + "\n")
    # Ctrl-C reaches a foreground command with SIGINT at its default; a shell without job control starts
    # background jobs (e.g. the test suite under `... &`) with SIGINT ignored, and children inherit that.
    proc = subprocess.Popen([sys.executable, "-m", "aircluster.cli", "data", "import", "big", str(source),
                             "--shard-size", "4k"], env=dict(os.environ) | env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    home = Path(env["AIRCLUSTER_HOME"])
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None and len(store_files(home)) < 3:
        time.sleep(0.005)
    proc.send_signal(signal.SIGSTOP)
    assert proc.poll() is None, f"the import ended before it could be stopped mid-way: {proc.stderr.read()}"
    assert len(store_files(home)) >= 3, "import never got going"
    return proc


@pytest.fixture
def env(tmp_path):
    env = {"AIRCLUSTER_HOME": str(tmp_path / "home"), "AIRCLUSTER_USER": "alice"}
    assert run_cli_process(["init"], env=env).returncode == 0
    return env


@pytest.mark.slow
def test_sigkill_midway_leaves_nothing_after_next_command(tmp_path, env):
    home = Path(env["AIRCLUSTER_HOME"])
    proc = start_import_midway(tmp_path, env)
    proc.kill()
    proc.wait()
    assert version_rows(home) == 0  # never visible, even before any clean-up
    # A killed process cannot clean up; the next command does, before it does anything else.
    listing = run_cli_process(["data", "ls", "--json"], env=env)
    assert listing.returncode == 0 and json.loads(listing.stdout) == []
    assert store_files(home) == []
    assert kek_ids(home) == []


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_or_sigterm_rolls_back_at_once(tmp_path, env, sig):
    home = Path(env["AIRCLUSTER_HOME"])
    proc = start_import_midway(tmp_path, env)
    proc.send_signal(sig)  # pending while it is stopped, handled once it continues
    proc.send_signal(signal.SIGCONT)
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGUSR2)  # the CLI prints every thread's stack: where it hangs
        time.sleep(2)
        proc.kill()
        _, err = proc.communicate()
        pytest.fail(f"the import did not stop within 60 s of {sig.name}; its stacks:\n{err[-6000:]}", pytrace=False)
    assert proc.returncode != 0
    assert err.strip().splitlines()[-1].startswith("error:") and "rolled back" in err and "Traceback" not in err
    assert version_rows(home) == 0
    assert store_files(home) == []  # cleaned by the process itself, no later command needed
    assert kek_ids(home) == []


def test_live_import_is_not_cleaned_by_another_command(tmp_path, env):
    """Housekeeping in another process must not remove a running import's staging files or key."""
    home = Path(env["AIRCLUSTER_HOME"])
    proc = start_import_midway(tmp_path, env, records=4_000)
    try:
        before = len(store_files(home))
        assert run_cli_process(["data", "ls"], env=env).returncode == 0
        assert len(store_files(home)) >= before and len(kek_ids(home)) == 1
    finally:
        proc.send_signal(signal.SIGCONT)  # the import goes on to the end of its input
        proc.wait(timeout=300)
    assert proc.returncode == 0, proc.stderr.read()
    assert version_rows(home) == 1

"""Invariant 7, nothing half-done (DESIGN.md): an import that fails or is interrupted leaves no visible version
and no stray files (nor its key); a checkpoint that fails leaves the previous one intact.

The import runs in the server; its client is killed or interrupted while the server is held (SIGSTOP) with shards
sealed in staging, so the import is provably mid-way; the server, continued, finds its client gone at its next
step and rolls back. Bad input at the end of a long file fails the import there. The checkpoint fails for real: the run
directory is a small tmpfs that fills up in the middle of the second save.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import run_cli_process, stop_server
from tests.invariants.conftest import TINY_LM, Installation


def kek_ids(home: Path) -> list[str]:
    db = sqlite3.connect(home / "server" / "keys" / "keystore.db")
    return [r[0] for r in db.execute("SELECT key_id FROM keys WHERE key_id LIKE 'kek:%'")]


def version_rows(home: Path) -> int:
    return sqlite3.connect(home / "server" / "catalog.db").execute("SELECT COUNT(*) FROM versions").fetchone()[0]


def store_files(home: Path) -> list[Path]:
    return [p for p in (home / "store").rglob("*") if p.is_file()]


def server_pid(home: Path) -> int:
    return int((home / "server.pid").read_text().split()[0])


def start_import_midway(tmp_path: Path, env: dict[str, str], records: int = 20_000, tail: str = "") -> subprocess.Popen[str]:
    """An import with several shards sealed in staging; `tail` (e.g. a broken line) follows the records. Imports
    read only regular files, so the input is a file far longer than the moment it takes to see shards in staging."""
    source = tmp_path / "feed.jsonl"
    with open(source, "w") as f:
        for i in range(records):
            f.write(json.dumps({"id": i, "text": f"record {i} " + "lorem ipsum " * 10}) + "\n")
        f.write(tail)
    # Ctrl-C reaches a foreground command with SIGINT at its default; a shell without job control starts
    # background jobs (e.g. the test suite under `... &`) with SIGINT ignored, and children inherit that.
    proc = subprocess.Popen(
        [sys.executable, "-m", "aircluster.cli", "data", "import", "big", str(source), "--shard-size", "4k"],
        env=dict(os.environ) | env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509 - async-signal-safe
    )
    home = Path(env["AIRCLUSTER_HOME"])
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None and len(store_files(home)) < 3:
        time.sleep(0.005)
    assert proc.poll() is None, "the import ended before it was seen mid-way"
    assert len(store_files(home)) >= 3, "import never got going"
    return proc


def rolled_back(home: Path, within: float = 60) -> bool:
    """The server rolls an import back at its next step once its client is gone."""
    deadline = time.time() + within
    while time.time() < deadline:
        if version_rows(home) == 0 and store_files(home) == [] and kek_ids(home) == []:
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def env(tmp_path):
    env = {"AIRCLUSTER_HOME": str(tmp_path / "home"), "AIRCLUSTER_SERVER_IDLE_EXIT": "120"}
    assert run_cli_process(["init"], env=env).returncode == 0
    assert run_cli_process(["server", "start"], env=env).returncode == 0  # no command below says it started one
    yield env
    stop_server(tmp_path / "home")


@pytest.mark.slow
def test_a_client_killed_midway_leaves_nothing(tmp_path, env):
    home = Path(env["AIRCLUSTER_HOME"])
    proc = start_import_midway(tmp_path, env)
    server = server_pid(home)
    os.kill(server, signal.SIGSTOP)  # the import is held mid-way, shards in staging
    try:
        proc.kill()
        proc.wait()
        assert version_rows(home) == 0  # never visible
    finally:
        os.kill(server, signal.SIGCONT)
    assert rolled_back(home)
    listing = run_cli_process(["data", "ls", "--json"], env=env)
    assert listing.returncode == 0 and json.loads(listing.stdout) == []


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_or_sigterm_rolls_back_at_once(tmp_path, env, sig):
    home = Path(env["AIRCLUSTER_HOME"])
    proc = start_import_midway(tmp_path, env)
    server = server_pid(home)
    os.kill(server, signal.SIGSTOP)
    try:
        proc.send_signal(sig)
        try:
            _, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            pytest.fail(f"the client did not stop within 60 s of {sig.name}", pytrace=False)
    finally:
        os.kill(server, signal.SIGCONT)
    assert proc.returncode != 0
    assert err.strip().splitlines()[-1].startswith("error:") and "rolled back" in err and "Traceback" not in err
    assert rolled_back(home)


def test_live_import_is_not_cleaned_by_another_command(tmp_path, env):
    """Housekeeping (the server's, and any command's) must not remove a running import's staging files or key."""
    home = Path(env["AIRCLUSTER_HOME"])
    proc = start_import_midway(tmp_path, env, records=20_000)
    before = len(store_files(home))
    assert run_cli_process(["data", "ls"], env=env).returncode == 0
    assert len(store_files(home)) >= before and len(kek_ids(home)) == 1
    proc.wait(timeout=600)
    assert proc.returncode == 0, proc.communicate()[1]
    assert version_rows(home) == 1


def test_bad_input_midway_rolls_back_at_once(tmp_path, env):
    home = Path(env["AIRCLUSTER_HOME"])
    proc = start_import_midway(tmp_path, env, tail='{"id": "the next line is broken"}\n{broken\n')
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 1 and "Traceback" not in err
    assert err.startswith(f"error: {tmp_path / 'feed.jsonl'}:") and "malformed JSON" in err and err.count("\n") == 1
    assert version_rows(home) == 0
    assert store_files(home) == []  # rolled back before the reply, no later command needed
    assert kek_ids(home) == []


# Big enough that a checkpoint (weights and Adam moments) takes a few MB, so the disk fills mid-save.
CHECKPOINTED = ["model.args.dim=128", "model.args.n_layers=2", "checkpoint.every_steps=2", "checkpoint.keep=3"]


@pytest.mark.slow
def test_a_checkpoint_that_fails_leaves_the_previous_one_intact(tmp_path):
    inst = Installation(tmp_path / "inst")
    reference = tmp_path / "reference"
    assert inst.train(reference, *CHECKPOINTED, "train.steps=2").returncode == 0
    size = sum(p.stat().st_size for p in (reference / "checkpoints" / "step-000002").iterdir())

    # On a tmpfs with room for one checkpoint and a half, the second save runs out of space part-way.
    disk, kept = tmp_path / "disk", tmp_path / "kept"
    disk.mkdir()
    trainer = [
        sys.executable,
        "-m",
        "aircluster.train.trainer",
        *TINY_LM,
        *CHECKPOINTED,
        "train.steps=4",
        f"train.run_dir={disk / 'run'}",
    ]
    mount = ["mount", "-t", "tmpfs", "-o", f"size={size * 3 // 2 + (1 << 20)}", "tmpfs", str(disk)]
    keep = ["cp", "-a", str(disk / "run"), str(kept)]  # the tmpfs goes with the namespace: keep what it held
    script = f"{shlex.join(mount)} && {shlex.join(trainer)}; code=$?; {shlex.join(keep)}; exit $code"
    proc = subprocess.run(
        ["unshare", "--mount", "--map-root-user", "sh", "-c", script],
        env=dict(os.environ) | inst.env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode != 0 and "step 3/4" in proc.stderr, proc.stderr[-3000:]
    checkpoints = kept / "checkpoints"
    assert (checkpoints / "latest").read_text().strip() == "step-000002"
    assert not (checkpoints / "step-000004").exists() and (checkpoints / ".tmp-step-000004").exists()
    previous = checkpoints / "step-000002"
    listed = json.loads((previous / "manifest.json").read_text())["files"]
    assert {name: (previous / name).stat().st_size for name in listed} == listed  # every file whole

    # The run resumes from it and finishes, as if the failed save had never started.
    resumed = inst.train(kept, *CHECKPOINTED, "train.steps=4")
    assert resumed.returncode == 0 and "resumed from" in resumed.stderr and "step-000002" in resumed.stderr
    assert (checkpoints / "latest").read_text().strip() == "step-000004"
    assert sorted(p.name for p in checkpoints.iterdir()) == ["latest", "step-000002", "step-000004"]

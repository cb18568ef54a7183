"""Invariant 7, nothing half-done (DESIGN.md): an import that fails or is interrupted leaves no visible version
and no stray files (nor its key); a checkpoint that fails leaves the previous one intact.

The import is stopped (SIGSTOP) as soon as shards are sealed in staging, so the process is provably
mid-way when it is killed or, once continued, meets bad input at the end of its file. The checkpoint fails for real: the run
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

from tests.conftest import run_cli_process
from tests.invariants.conftest import TINY_LM, Installation


def kek_ids(home: Path) -> list[str]:
    db = sqlite3.connect(home / "server" / "keys" / "keystore.db")
    return [r[0] for r in db.execute("SELECT key_id FROM keys WHERE key_id LIKE 'kek:%'")]


def version_rows(home: Path) -> int:
    return sqlite3.connect(home / "server" / "catalog.db").execute("SELECT COUNT(*) FROM versions").fetchone()[0]


def store_files(home: Path) -> list[Path]:
    return [p for p in (home / "store").rglob("*") if p.is_file()]


def start_import_midway(tmp_path: Path, env: dict[str, str], records: int = 20_000, tail: str = "") -> subprocess.Popen[str]:
    """An import stopped (SIGSTOP) with several shards sealed in staging; SIGCONT lets it go on to the end
    of its input, where `tail` (e.g. a broken line) follows the records. Imports read only regular files,
    so the input is a file far longer than the moment it takes to see shards in staging."""
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
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None and len(store_files(home)) < 3:
        time.sleep(0.005)
    proc.send_signal(signal.SIGSTOP)
    assert proc.poll() is None, "the import ended before it could be stopped mid-way"
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
    assert proc.returncode == 0, proc.communicate()[1]
    assert version_rows(home) == 1


def test_bad_input_midway_rolls_back_at_once(tmp_path, env):
    home = Path(env["AIRCLUSTER_HOME"])
    proc = start_import_midway(tmp_path, env, tail='{"id": "the next line is broken"}\n{broken\n')
    proc.send_signal(signal.SIGCONT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1 and "Traceback" not in err
    assert err.startswith(f"error: {tmp_path / 'feed.jsonl'}:") and "malformed JSON" in err and err.count("\n") == 1
    assert version_rows(home) == 0
    assert store_files(home) == []  # cleaned by the process itself, no later command needed
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

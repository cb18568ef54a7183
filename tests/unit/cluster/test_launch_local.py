"""The local launcher under a failure: torchrun restarts the group after a killed worker, training resumes
from the last checkpoint, and the final model is bitwise the one an uninterrupted run produces.

The helpers here (`aircluster`, `reference_run`, `assert_same_training`, ...) are shared with
test_launch_slurm.py: every failure case there ends with the same comparison.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
import pytest
import torch

from aircluster.client.connection import Client
from aircluster.client.jobs import RemoteJobs
from tests.servers import home_env, start_server
from tests.unit.cluster.conftest import wait_for

pytestmark = [pytest.mark.slow]

REPO = Path(__file__).resolve().parents[3]
STEPS = 30
EVERY = 5
# A tiny deterministic run: each job takes seconds, and any two runs of it give bitwise equal models.
TRAIN_ARGS = [
    str(REPO / "configs" / "lm-tiny.toml"),
    f"train.steps={STEPS}",
    "train.deterministic=true",
    "train.val_every=0",
    f"checkpoint.every_steps={EVERY}",
    "checkpoint.keep=2",
    "metrics.progress=false",
]
WORLD = 2  # 1 node x 2 processes locally, 2 nodes x 1 process on Slurm: the same ranks, the same model


def aircluster(env: dict[str, str], *args: str, timeout: float = 300, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "aircluster.cli", *args], env=env, capture_output=True, text=True, timeout=timeout
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"aircluster {' '.join(args)} exited {proc.returncode}:\n{proc.stderr[-4000:]}")
    return proc


def new_home(path: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """A personal installation with its server running (it leaves after IDLE_EXIT_S idle; any command
    starts it again)."""
    env = home_env(path, extra)
    start_server(env)
    return env


def show(env: dict[str, str], job_id: str) -> dict[str, Any]:
    return json.loads(aircluster(env, "jobs", "show", job_id, "--json").stdout)


def latest_job(env: dict[str, str]) -> str | None:
    jobs = json.loads(aircluster(env, "jobs", "ls", "--json").stdout)
    return jobs[0]["id"] if jobs else None


class Timeline:
    """A job's events asked of the server on one connection (cheaper than a CLI call per poll)."""

    def __init__(self, jobs: RemoteJobs):
        self.jobs = jobs

    def events(self, job_id: str) -> list[dict[str, Any]]:
        return self.jobs.events(job_id)

    def last_step(self, job_id: str) -> int:
        steps = [e["step"] for e in self.events(job_id) if e["kind"] in ("step", "checkpoint", "attempt")]
        return max(steps, default=-1)

    def checkpointed(self, job_id: str, step: int) -> bool:
        return any(e["kind"] == "checkpoint" and e["step"] >= step for e in self.events(job_id))


def catalog_timeline(env: dict[str, str]) -> Timeline:
    return Timeline(RemoteJobs(Client(str(Path(env["AIRCLUSTER_HOME"]) / "server.sock"))))


def final_model(run_dir: Path) -> dict[str, torch.Tensor]:
    from aircluster.train.checkpoint import consolidate

    out = consolidate(run_dir / "checkpoints", run_dir / "final-model.pt")
    return torch.load(out)


def step_losses(run_dir: Path) -> list[tuple[int, float]]:
    records = [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines() if line.strip()]
    return [(r["step"], r["loss"]) for r in records if "loss" in r]


@dataclass
class Reference:
    run_dir: Path
    model: dict[str, torch.Tensor]
    losses: list[tuple[int, float]]


def reference_run(tmp_path_factory: pytest.TempPathFactory) -> Reference:
    """The uninterrupted run every failure case must reproduce (made once per test session)."""
    base = tmp_path_factory.getbasetemp() / "uninterrupted-reference"
    run_dir = base / "run"
    if not (run_dir / "checkpoints").exists():
        env = new_home(base / "home")
        aircluster(env, "train", *TRAIN_ARGS, f"train.run_dir={run_dir}", "--procs-per-node", str(WORLD), "--json")
    losses = step_losses(run_dir)
    assert [s for s, _ in losses] == list(range(1, STEPS + 1))
    return Reference(run_dir, final_model(run_dir), losses)


def assert_same_training(run_dir: Path, ref: Reference) -> None:
    """Same data order and every sample exactly once: each step's loss is logged once and equals the
    uninterrupted run's, bit for bit, and so does the final model."""
    losses = step_losses(run_dir)
    assert [s for s, _ in losses] == list(range(1, STEPS + 1)), "every step must be logged exactly once"
    different = [(s, a, b) for (s, a), (_, b) in zip(losses, ref.losses, strict=True) if a != b]
    assert not different, f"losses differ from the uninterrupted run's at (step, got, expected): {different[:5]}"
    model = final_model(run_dir)
    assert model.keys() == ref.model.keys()
    unequal = [k for k in model if not torch.equal(model[k], ref.model[k])]
    assert not unequal, f"final model differs from the uninterrupted run's in {unequal}"


def trainer_pids(job_id: str, rank: int | None = None) -> list[int]:
    """Trainer worker processes of a job (found by their environment), optionally of one global rank."""
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        try:
            if "aircluster.train.trainer" not in " ".join(proc.info["cmdline"] or []):
                continue
            if "torch.distributed.run" in " ".join(proc.info["cmdline"] or []):
                continue
            env = proc.environ()
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
        if env.get("AIRCLUSTER_JOB_ID") == job_id and (rank is None or env.get("RANK") == str(rank)):
            found.append(proc.pid)
    return found


# --- a killed worker under the local launcher ---------------------------------------------------


@dataclass
class KilledRun:
    env: dict[str, str]
    job_id: str
    doc: dict[str, Any]  # `aircluster train --json` output: the final job record
    killed_at: float
    step_at_kill: int  # the last step the timeline had recorded when the worker was killed
    checkpoint_before_kill: int
    exit_code: int


@pytest.fixture(scope="module")
def killed_run(tmp_path_factory: pytest.TempPathFactory) -> KilledRun:
    home = tmp_path_factory.mktemp("killed-local") / "home"
    env = new_home(home)
    timeline = catalog_timeline(env)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aircluster.cli",
            "train",
            *TRAIN_ARGS,
            "--procs-per-node",
            str(WORLD),
            "--max-restarts",
            "2",
            "--json",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        job_id = wait_for("the job record", lambda: latest_job(env), timeout=60)
        # Inject the failure right after the checkpoint of step 10: the run must resume from step 10.
        wait_for("the checkpoint of step 10", lambda: timeline.checkpointed(job_id, 10), timeout=120, interval=0.05)
        victim = trainer_pids(job_id, rank=1)
        assert len(victim) == 1, f"expected one rank-1 worker, found {victim}"
        os.kill(victim[0], signal.SIGKILL)
        killed_at = time.time()
        step_at_kill = timeline.last_step(job_id)
        out, _ = proc.communicate(timeout=240)
    finally:
        if proc.poll() is None:
            proc.kill()
    return KilledRun(env, job_id, json.loads(out), killed_at, step_at_kill, 10, proc.returncode)


def test_killed_worker_group_restarts_and_final_model_equals_uninterrupted(
    killed_run: KilledRun, tmp_path_factory: pytest.TempPathFactory
) -> None:
    doc = killed_run.doc
    assert killed_run.exit_code == 0, doc
    assert doc["status"] == "completed"
    attempts = [e for e in doc["events"] if e["kind"] == "attempt"]
    assert len(attempts) == 2, attempts
    assert attempts[0]["step"] == 0
    # torchrun restarted the group; it resumed from the checkpoint taken before the kill.
    assert attempts[1]["restart"] == 1
    assert attempts[1]["step"] == killed_run.checkpoint_before_kill
    assert attempts[1]["at"] > killed_run.killed_at
    recovery = attempts[1]["at"] - killed_run.killed_at
    print(f"\nkilled worker at step {killed_run.step_at_kill}: training again after {recovery:.1f}s")
    assert recovery < 60
    assert_same_training(Path(doc["run_dir"]), reference_run(tmp_path_factory))


def test_job_record_of_a_restarted_local_job(killed_run: KilledRun) -> None:
    doc = show(killed_run.env, killed_run.job_id)
    assert doc == {**killed_run.doc, "ettr": doc["ettr"]}  # `jobs show` shows what `train --json` printed
    assert doc["id"] == killed_run.job_id
    assert doc["backend"] == "local"
    assert (doc["nodes"], doc["procs_per_node"]) == (1, WORLD)
    assert doc["status"] == "completed" and doc["exit_code"] == 0 and doc["message"] is None
    assert doc["restarts"] == 1
    assert doc["nodes_used"] == [socket.gethostname()]
    assert doc["datasets"] == []  # synthetic data only
    assert doc["config"]["train"]["steps"] == STEPS
    assert doc["created_at"] <= doc["started_at"] <= killed_run.killed_at < doc["ended_at"]
    assert doc["slurm_job_id"] is None and doc["launcher_pid"]
    kinds = [e["kind"] for e in doc["events"]]
    assert kinds[0] == "submitted" and kinds[-1] == "completed"
    assert kinds.count("health") == 2  # the pre-flight ran before each attempt's training
    checkpoints = [e["step"] for e in doc["events"] if e["kind"] == "checkpoint"]
    assert checkpoints == list(range(EVERY, STEPS + 1, EVERY))  # 10 is not checkpointed twice: it was resumed from
    run_dir = Path(doc["run_dir"])
    assert (run_dir / "launch.toml").is_file() and (run_dir / "logs" / "launcher.log").is_file()
    log = (run_dir / "logs" / "launcher.log").read_text()
    assert f"checkpoints/step-{killed_run.checkpoint_before_kill:06d} (step {killed_run.checkpoint_before_kill})" in log


def test_ettr_accounts_for_the_failure_injected_at_a_known_step(killed_run: KilledRun) -> None:
    doc = killed_run.doc
    ettr, events = doc["ettr"], doc["events"]
    attempts = [e for e in events if e["kind"] == "attempt"]
    ckpt = next(e for e in events if e["kind"] == "checkpoint" and e["step"] == killed_run.checkpoint_before_kill)
    marks = [e for e in events if e["kind"] in ("step", "checkpoint")]
    last_mark = max(e["at"] for e in marks)
    assert ettr["attempts"] == 2 and ettr["failures"] == 1 and ettr["last_step"] == STEPS
    # The steps after the checkpoint of step 10 that ran before the kill were computed twice.
    assert ettr["steps_recomputed"] == len([e for e in marks if ckpt["at"] < e["at"] < attempts[1]["at"] and e["kind"] == "step"])
    assert ettr["eligible_s"] == pytest.approx(doc["ended_at"] - doc["created_at"], abs=1e-3)
    # Each part, against what the test itself saw. The launcher records no failure event, so the
    # timeline places the failure at its last step event before the restart: at most one throttle
    # interval (1 s) plus a step before the kill.
    slack = 1.5
    assert ettr["lost_recompute_s"] == pytest.approx(killed_run.killed_at - ckpt["at"], abs=slack)
    assert ettr["lost_restart_s"] == pytest.approx(attempts[1]["at"] - killed_run.killed_at, abs=slack)
    productive = (ckpt["at"] - attempts[0]["at"]) + (last_mark - attempts[1]["at"])
    assert ettr["productive_s"] == pytest.approx(productive, abs=0.05)
    assert ettr["ettr"] == pytest.approx(ettr["productive_s"] / ettr["eligible_s"])
    parts = ettr["productive_s"] + ettr["lost_restart_s"] + ettr["lost_recompute_s"] + ettr["other_s"]
    assert parts == pytest.approx(ettr["eligible_s"], abs=1e-6)
    assert 0 < ettr["ettr"] < 1


# --- a node that fails its pre-flight under the local launcher ----------------------------------


def test_failed_preflight_stops_the_local_job_without_restarting_and_records_why(tmp_path: Path) -> None:
    # A free-memory floor this machine does not meet: the node is unfit, which no restart can fix.
    env = new_home(tmp_path / "home", {"AIRCLUSTER_HEALTH_MIN_FREE_MEMORY_GB": "1000000"})
    started = time.monotonic()
    proc = aircluster(env, "train", *TRAIN_ARGS, "--procs-per-node", str(WORLD), "--max-restarts", "3", check=False)
    took = time.monotonic() - started
    assert proc.returncode == 1
    host = socket.gethostname()
    lines = proc.stdout.splitlines()
    assert len(lines) == 1, proc.stdout
    job_id = lines[0].split()[1].rstrip(":")
    assert lines[0].startswith(f"job {job_id}: failed (pre-flight: health check failed on {host}: memory: ")
    assert "need 1e+06 GB" in lines[0]
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    doc = show(env, job_id)
    assert doc["status"] == "failed" and doc["exit_code"] == 7
    assert doc["message"].startswith(f"pre-flight: health check failed on {host}: memory: ")
    assert doc["restarts"] == 0 and doc["launcher_pid"] is None and doc["nodes_used"] == [host]
    kinds = [e["kind"] for e in doc["events"]]
    assert kinds == ["submitted", "failed"]  # no worker started: no health, attempt or step event
    assert doc["events"][-1]["reason"] == "preflight"
    run_dir = Path(doc["run_dir"])
    assert not (run_dir / "checkpoints").exists() and not list((run_dir / "logs").glob("rank*.log"))
    assert f"error: health check failed on {host}: memory: " in (run_dir / "logs" / "launcher.log").read_text()
    print(f"\nfailed pre-flight: job stopped after {took:.1f}s")

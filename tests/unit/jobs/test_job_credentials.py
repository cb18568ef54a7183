"""Job credentials, end to end through a real server: a job's token reads its pinned versions while the job
runs, and is refused for another dataset, after the job ends, after `jobs cancel`, after its processes are
all SIGKILLed (the job is then shown failed within a minute), and when presented by another account.

Jobs here are real `aircluster train` runs (torchrun and its workers) reading through the server; the
token is taken from a worker's environment, as anything else running as the job's owner could.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
import pytest

from aircluster.catalog.jobs import FINAL
from aircluster.client.connection import Client
from aircluster.client.jobs import RemoteJobs
from aircluster.client.remote import JOB_TOKEN_ENV
from aircluster.errors import NotFound, PermissionDenied, ReviewRequired, UsageError
from aircluster.jobs.run_config import load_config, to_dict
from aircluster.store.loader import StreamingDataset
from tests.servers import approve, cli, import_dataset, personal_server, write_posts
from tests.unit.cluster.conftest import wait_for
from tests.unit.store.policies import ALLOW_ALL

REPO = Path(__file__).resolve().parents[3]
DEAD_WITHIN_S = 60.0


@dataclass
class Installation:
    home: Path
    env: dict[str, str]

    def client(self) -> Client:
        return Client(str(self.home / "server.sock"))

    def jobs(self, token: str | None = None) -> RemoteJobs:
        return RemoteJobs(self.client(), token)

    def show(self, job_id: str) -> tuple[dict[str, Any], str]:
        out = cli(self.env, "jobs", "show", job_id, "--json").stdout
        return json.loads(out), out


@pytest.fixture(scope="module")
def inst(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installation]:
    """A personal installation (root's) with two approved datasets and one pending review."""
    top = tmp_path_factory.mktemp("job-credentials")
    policy = top / "allow-all.toml"
    policy.write_text(ALLOW_ALL)
    home = top / "home"
    with pytest.MonkeyPatch.context() as mp, personal_server(home, {"OMP_NUM_THREADS": "1"}) as env:
        mp.setenv("AIRCLUSTER_HOME", str(home))
        for name in ("AIRCLUSTER_JOB_ID", JOB_TOKEN_ENV, "AIRCLUSTER_SERVER"):
            mp.delenv(name, raising=False)
        for name in ("posts", "other", "raw"):
            import_dataset(env, name, write_posts(top / f"{name}.jsonl", 300, word=name), policy)
        approve(home, "posts@1")
        approve(home, "other@1")
        yield Installation(home, env)


def read_with(token: str | None, ref: str, n: int = 5) -> list[dict[str, Any]]:
    """Records of `ref` read through the loader (manifest MAC, key release, data keys: all through the server)
    by a process holding `token` as its job token."""
    saved = os.environ.get(JOB_TOKEN_ENV)
    if token is None:
        os.environ.pop(JOB_TOKEN_ENV, None)
    else:
        os.environ[JOB_TOKEN_ENV] = token
    try:
        records = []
        for record in StreamingDataset(ref, shuffle=False, rank=0, world_size=1):
            records.append(record)
            if len(records) >= n:
                break
        return records
    finally:
        if saved is None:
            os.environ.pop(JOB_TOKEN_ENV, None)
        else:
            os.environ[JOB_TOKEN_ENV] = saved


def start_training(inst: Installation, steps: int, *datasets: str) -> tuple[subprocess.Popen[str], str]:
    """`aircluster train` (2 local workers) in the background; returns it and the job id once it runs."""
    before = {j["id"] for j in json.loads(cli(inst.env, "jobs", "ls", "--json").stdout)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aircluster.cli",
            "train",
            str(REPO / "configs" / "lm-tiny.toml"),
            f"train.steps={steps}",
            "train.val_every=0",
            "metrics.progress=false",
            f"checkpoint.every_steps={steps}",
            f"data.datasets={json.dumps(list(datasets))}",
            "--procs-per-node",
            "2",
            "--max-restarts",
            "0",
            "--json",
        ],
        env=inst.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )

    def new_job() -> str | None:
        ids = [j["id"] for j in json.loads(cli(inst.env, "jobs", "ls", "--json").stdout) if j["id"] not in before]
        return ids[0] if ids else None

    job_id = wait_for("the job to be registered", new_job, timeout=60)
    with inst.jobs() as jobs:
        wait_for(
            f"job {job_id} to train",
            lambda: proc.poll() is None and any(e["kind"] == "attempt" for e in jobs.events(job_id)),
            timeout=180,
        )
    return proc, job_id


def job_processes(job_id: str) -> list[psutil.Process]:
    found = []
    for p in psutil.process_iter():
        try:
            if p.environ().get("AIRCLUSTER_JOB_ID") == job_id:
                found.append(p)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    return found


def token_of(job_id: str, at_least: int = 3) -> str:
    """The job's token, from the environment of its processes (where the launcher put it)."""
    seen: list[tuple[psutil.Process, str | None, str]] = []  # each process's token and command line, read once
    for p in job_processes(job_id):
        try:
            seen.append((p, p.environ().get(JOB_TOKEN_ENV), " ".join(p.cmdline())))
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            continue  # a short-lived step (srun's helpers) exited since it was listed
    procs = [p for p, _, _ in seen]
    tokens = {token for _, token, _ in seen}
    assert len(procs) >= at_least and len(tokens) == 1, f"the job's processes with one token expected, got {procs} {tokens}"
    token = tokens.pop()
    assert token
    assert not any(token in cmdline for _, _, cmdline in seen)  # in the environment, never on a command line
    return token


def assert_token_nowhere_public(inst: Installation, job_id: str, token: str) -> None:
    _, shown = inst.show(job_id)
    assert token not in shown
    assert token not in cli(inst.env, "jobs", "ls", "--json").stdout
    assert token not in (inst.home / "audit" / "audit.log").read_text()
    run_dir = Path(json.loads(shown)["run_dir"])
    for path in run_dir.rglob("*"):
        if path.is_file() and path.suffix in (".toml", ".log", ".jsonl", ".sbatch"):
            assert token not in path.read_text(errors="replace"), path


# --- during the job, then after it ended ------------------------------------------------------------


def test_token_reads_its_pinned_version_during_the_job_and_nothing_else_nor_after_the_job_ended(inst: Installation) -> None:
    proc, job_id = start_training(inst, 60, "posts@1")
    try:
        token = token_of(job_id)
        records = read_with(token, "posts@1")
        assert len(records) == 5 and all(r["text"].startswith("posts ") for r in records)
        with pytest.raises(PermissionDenied, match=rf"job {job_id} may not read other@1: it was not pinned"):
            read_with(token, "other@1")
        out, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 0, err[-3000:]
    doc = json.loads(out)
    assert doc["status"] == "completed" and doc["datasets"] == [
        {"ref": "posts@1", "version_id": doc["datasets"][0]["version_id"]}
    ]
    with pytest.raises(PermissionDenied, match=rf"job {job_id} has ended \(completed\)"):
        read_with(token, "posts@1")
    assert_token_nowhere_public(inst, job_id, token)
    audit = [json.loads(line) for line in (inst.home / "audit" / "audit.log").read_text().splitlines()]
    releases = [e for e in audit if e["action"] == "keys.release" and e.get("job_id") == job_id and e["purpose"] == "train"]
    assert {e["rank"] for e in releases} == {0, 1}  # each worker's release, audited with the job
    actions = [e["action"] for e in audit if e.get("job_id") == job_id]
    assert actions[0] == "job.submit" and "job.end" in actions


# --- cancelled ---------------------------------------------------------------------------------------


def test_cancel_revokes_the_token_at_once_and_stops_the_job(inst: Installation) -> None:
    proc, job_id = start_training(inst, 100000, "posts@1")
    try:
        token = token_of(job_id)
        assert len(read_with(token, "posts@1", 2)) == 2
        cancelled = json.loads(cli(inst.env, "jobs", "cancel", job_id, "--json").stdout)
        assert cancelled["status"] == "cancelled" and cancelled["message"] == "cancelled by root"
        with pytest.raises(PermissionDenied, match=rf"the token of job {job_id} was revoked"):
            read_with(token, "posts@1")
        proc.communicate(timeout=60)  # the launcher's group got SIGTERM: the command ends
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 1
    wait_for("the job's processes to exit", lambda: not job_processes(job_id), timeout=30)
    doc, _ = inst.show(job_id)
    assert doc["status"] == "cancelled"  # the launcher's own end did not overwrite it
    code = cli(inst.env, "jobs", "cancel", job_id, check=False)
    assert code.returncode != 0 and code.stderr.strip() == f"error: job {job_id} already ended (cancelled)"


# --- killed without a word -----------------------------------------------------------------------------


def test_job_whose_processes_are_all_sigkilled_is_failed_within_a_minute_and_its_token_refused(inst: Installation) -> None:
    proc, job_id = start_training(inst, 100000, "posts@1")
    try:
        token = token_of(job_id)
        assert len(read_with(token, "posts@1", 2)) == 2
        launcher = inst.jobs().get(job_id).launcher_pid
        assert launcher is not None
        victims = job_processes(job_id) + [psutil.Process(proc.pid)]
        for p in victims:  # the command, torchrun and its workers, together
            try:
                p.send_signal(signal.SIGKILL)
            except psutil.NoSuchProcess:
                pass
        killed_at = time.monotonic()
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    with inst.jobs() as jobs:
        failed = wait_for(
            f"job {job_id} to be shown failed",
            lambda: (j := jobs.get(job_id)).status == "failed" and j,
            timeout=DEAD_WITHIN_S + 5,
            interval=0.5,
        )
    took = time.monotonic() - killed_at
    print(f"\njob {job_id}: all processes SIGKILLed; shown failed after {took:.1f} s")
    assert took < DEAD_WITHIN_S
    assert f"launcher process {launcher}" in (failed.message or "") and "is gone" in (failed.message or "")
    doc, _ = inst.show(job_id)
    assert doc["status"] == "failed" and doc["events"][-1]["reason"] == "dead"
    with pytest.raises(PermissionDenied, match=rf"the token of job {job_id} was revoked"):
        read_with(token, "posts@1")
    audit = [json.loads(line) for line in (inst.home / "audit" / "audit.log").read_text().splitlines()]
    assert [e["reason"] for e in audit if e["action"] == "job.dead" and e["job_id"] == job_id] == [
        failed.message.split(": ", 1)[1]
    ]


# --- what the server refuses, operation by operation ---------------------------------------------------


def default_config(run_dir: Path) -> dict[str, Any]:
    cfg = to_dict(load_config(None))
    cfg["train"]["run_dir"] = str(run_dir)
    return cfg


def test_registration_pins_readable_versions_only(inst: Installation, tmp_path: Path) -> None:
    with inst.jobs() as jobs:
        with pytest.raises(ReviewRequired, match="raw@1 is pending privacy review"):
            jobs.register(config=default_config(tmp_path), backend="local", nodes=1, procs_per_node=1, datasets=["raw@1"])
        with pytest.raises(NotFound):
            jobs.register(config=default_config(tmp_path), backend="local", nodes=1, procs_per_node=1, datasets=["nope@1"])
        with pytest.raises(UsageError, match="time limit"):
            jobs.register(config=default_config(tmp_path), backend="local", nodes=1, procs_per_node=1, datasets=[], lifetime_s=-1)
        job, token = jobs.register(
            config=default_config(tmp_path), backend="local", nodes=1, procs_per_node=1, datasets=["posts:2", "other@1"]
        )
    assert job.status == "pending"
    assert sorted(d["ref"] for d in job.datasets) == ["other@1", "posts@1"]
    assert job.config["data"]["datasets"] == ["posts@1:2", "other@1"]  # pinned, weights kept
    assert len(read_with(token, "other@1", 1)) == 1


def test_only_the_job_itself_records_progress_and_a_final_status_stays(inst: Installation, tmp_path: Path) -> None:
    with inst.jobs() as owner:
        a, token_a = owner.register(config=default_config(tmp_path), backend="local", nodes=1, procs_per_node=1, datasets=[])
        b, token_b = owner.register(config=default_config(tmp_path), backend="local", nodes=1, procs_per_node=1, datasets=[])
    with inst.jobs(token=None) as anyone:
        with pytest.raises(PermissionDenied, match="no job token given"):
            anyone.event(a.id, "step", step=1)
    with inst.jobs(token=token_b) as wrong:
        with pytest.raises(PermissionDenied, match=f"job {b.id}'s, not job {a.id}'s"):
            wrong.set_status(a.id, "running")
    with inst.jobs(token=token_a) as job:
        with pytest.raises(UsageError, match="not an event a job may record"):
            job.event(a.id, "completed")
        with pytest.raises(UsageError, match="may not set principal"):
            job.update(a.id, principal="someone")
        job.event(a.id, "step", step=3)
        assert job.set_status(a.id, "running").status == "running"
        assert job.finish(a.id, 0).status == "completed"
        assert job.finish(a.id, 1).status == "completed"  # a second end changes nothing
        with pytest.raises(PermissionDenied, match=rf"job {a.id} has ended \(completed\)"):
            job.set_status(a.id, "running")
        with pytest.raises(PermissionDenied, match="has ended"):
            job.event(a.id, "step", step=4)
    kinds = [e["kind"] for e in inst.jobs().events(a.id)]
    assert kinds == ["submitted", "step", "running", "completed"]


def test_train_refuses_a_pending_dataset_in_one_line(inst: Installation) -> None:
    proc = cli(inst.env, "train", str(REPO / "configs" / "lm-tiny.toml"), 'data.datasets=["raw@1"]', check=False)
    assert proc.returncode != 0
    assert proc.stderr.startswith("error: raw@1 is pending privacy review") and len(proc.stderr.strip().splitlines()) == 1


def test_finished_token_is_not_in_job_records(inst: Installation, tmp_path: Path) -> None:
    with inst.jobs() as jobs:
        job, token = jobs.register(config=default_config(tmp_path), backend="local", nodes=1, procs_per_node=1, datasets=[])
        jobs.finish(job.id, 0)
    doc, shown = inst.show(job.id)
    assert doc["status"] in FINAL and token not in shown

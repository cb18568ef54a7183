"""Liveness of launchers (real processes, killed with SIGKILL) and of Slurm allocations (the emulated cluster)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from aircluster.catalog import Catalog, Version
from aircluster.catalog.jobs import Job, Jobs
from aircluster.jobs.liveness import DeathWatch, dead_jobs, process_alive, process_identity, slurm_job_alive
from tests.unit.cluster.conftest import SlurmCluster, wait_for

HOST = socket.gethostname()


@pytest.fixture
def sleeper() -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(["sleep", "300"])
    yield proc
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def stat_start_time(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[19])


def test_identity_of_a_running_process(sleeper: subprocess.Popen[bytes]) -> None:
    assert process_identity(sleeper.pid) == (sleeper.pid, stat_start_time(sleeper.pid))
    assert process_identity(os.getpid()) == (os.getpid(), stat_start_time(os.getpid()))


def test_command_name_with_parentheses_and_spaces(tmp_path: Path) -> None:
    odd = tmp_path / "a) (b c"
    odd.symlink_to(subprocess.run(["which", "sleep"], capture_output=True, text=True, check=True).stdout.strip())
    proc = subprocess.Popen([str(odd), "300"])
    try:
        assert ") (" in Path(f"/proc/{proc.pid}/stat").read_text()
        identity = process_identity(proc.pid)
        assert identity == (proc.pid, stat_start_time(proc.pid))
        assert process_alive(proc.pid, identity[1])
    finally:
        proc.kill()
        proc.wait()


def test_sigkilled_process_is_dead_as_zombie_and_after_reaping(sleeper: subprocess.Popen[bytes]) -> None:
    identity = process_identity(sleeper.pid)
    assert identity is not None and process_alive(*identity)
    os.kill(sleeper.pid, signal.SIGKILL)
    wait_for("the sleeper to become a zombie", lambda: Path(f"/proc/{sleeper.pid}/stat").read_text().split()[2] == "Z", 10)
    assert process_identity(sleeper.pid) is None
    assert not process_alive(*identity)
    sleeper.wait()
    assert not Path(f"/proc/{sleeper.pid}").exists()
    assert not process_alive(*identity)
    assert not process_alive(sleeper.pid, None)


def test_reused_pid_is_not_the_launcher(sleeper: subprocess.Popen[bytes]) -> None:
    start = stat_start_time(sleeper.pid)
    assert process_alive(sleeper.pid, start)
    assert not process_alive(sleeper.pid, start - 1)  # the pid now names a process that started later
    assert process_alive(sleeper.pid, None)


# --- dead_jobs over a real catalog -----------------------------------------------------------------


@pytest.fixture
def jobs(tmp_path: Path) -> Iterator[Jobs]:
    catalog = Catalog.create(tmp_path / "catalog.db")
    yield Jobs(catalog)
    catalog.close()


def new_job(jobs: Jobs, backend: str = "local") -> Job:
    versions: list[Version] = []
    return jobs.create(principal="alice", backend=backend, config={}, run_dir="/r", nodes=1, procs_per_node=1, versions=versions)


def started_local(jobs: Jobs, proc: subprocess.Popen[bytes], host: str = HOST) -> Job:
    job = new_job(jobs)
    identity = process_identity(proc.pid)
    assert identity is not None
    jobs.update(job.id, launcher_pid=identity[0], launcher_start_time=identity[1], nodes_used=[host])
    jobs.set_status(job.id, "running")
    return jobs.get(job.id)


def test_local_job_dies_with_its_launcher(jobs: Jobs, sleeper: subprocess.Popen[bytes]) -> None:
    job = started_local(jobs, sleeper)
    ended = new_job(jobs)
    jobs.set_status(ended.id, "completed", exit_code=0)
    assert dead_jobs(jobs, time.time()) == []
    sleeper.kill()
    sleeper.wait()
    [(dead, reason)] = dead_jobs(jobs, time.time())
    assert dead.id == job.id
    assert reason == f"launcher process {sleeper.pid} on {HOST} is gone and the job recorded no end"


def test_local_job_with_a_reused_pid_is_dead(jobs: Jobs, sleeper: subprocess.Popen[bytes]) -> None:
    job = started_local(jobs, sleeper)
    assert job.launcher_start_time is not None
    jobs.update(job.id, launcher_start_time=job.launcher_start_time - 1)  # recorded for an older process with this pid
    assert [j.id for j, _ in dead_jobs(jobs, time.time())] == [job.id]


def test_launcher_on_another_host_is_not_judged_here(jobs: Jobs, sleeper: subprocess.Popen[bytes]) -> None:
    started_local(jobs, sleeper, host="node-elsewhere")
    sleeper.kill()
    sleeper.wait()
    assert dead_jobs(jobs, time.time()) == []
    assert len(dead_jobs(jobs, time.time(), host="node-elsewhere")) == 1


def test_job_never_started_is_dead_after_the_grace(jobs: Jobs) -> None:
    job = new_job(jobs)
    assert dead_jobs(jobs, job.created_at + 599) == []
    [(dead, reason)] = dead_jobs(jobs, job.created_at + 600)
    assert dead.id == job.id and "no launcher was recorded within 600s" in reason
    slurm = new_job(jobs, backend="slurm")
    assert [j.id for j, _ in dead_jobs(jobs, slurm.created_at + 30, start_grace_s=30)] == [job.id, slurm.id]


def test_death_watch_confirms_only_lasting_deaths(jobs: Jobs) -> None:
    a, b = new_job(jobs), new_job(jobs)
    watch = DeathWatch(confirm_s=15)
    assert watch.confirm([(a, "gone"), (b, "gone")], now=100) == []
    assert watch.confirm([(a, "gone")], now=110) == []  # b seen alive again: forgotten
    assert [j.id for j, _ in watch.confirm([(a, "gone"), (b, "gone")], now=115)] == [a.id]
    assert watch.confirm([(b, "gone")], now=129) == []
    assert [j.id for j, _ in watch.confirm([(b, "gone")], now=130)] == [b.id]


# --- Slurm ------------------------------------------------------------------------------------------


def test_slurm_not_reachable_is_unknown(tmp_path: Path, slurm_cluster: SlurmCluster) -> None:
    assert slurm_job_alive("1", env={"PATH": str(tmp_path)}) is None  # no squeue
    conf = Path(slurm_cluster.env["SLURM_CONF"])
    lines = conf.read_text().splitlines()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead_port = s.getsockname()[1]  # free, and no controller listens on it
    moved = [f"SlurmctldPort={dead_port}" if line.startswith("SlurmctldPort=") else line for line in lines]
    assert moved != lines
    (tmp_path / "slurm.conf").write_text("\n".join(moved) + "\n")
    assert slurm_job_alive("1", env={**slurm_cluster.env, "SLURM_CONF": str(tmp_path / "slurm.conf")}) is None


def test_slurm_allocation_alive_then_gone(jobs: Jobs, slurm_cluster: SlurmCluster) -> None:
    env = slurm_cluster.env
    slurm_id = slurm_cluster.run(
        "sbatch", "--parsable", f"--job-name=liveness-{uuid.uuid4().hex[:6]}", "--wrap", "sleep 300"
    ).stdout
    slurm_id = slurm_id.strip().split(";")[0]
    job = new_job(jobs, backend="slurm")
    jobs.update(job.id, slurm_job_id=slurm_id)
    jobs.set_status(job.id, "running")
    try:
        assert slurm_job_alive(slurm_id, env=env) is True
        assert dead_jobs(jobs, time.time(), slurm_env=env) == []
    finally:
        slurm_cluster.run("scancel", slurm_id)
    wait_for("squeue to show the cancelled job ended", lambda: slurm_job_alive(slurm_id, env=env) is False, 60)
    [(dead, reason)] = dead_jobs(jobs, time.time(), slurm_env=env)
    assert dead.id == job.id and reason == f"Slurm allocation {slurm_id} is gone and the job recorded no end"
    assert slurm_job_alive("987654", env=env) is False  # the controller never had it

"""Has a job died without a word? Launcher processes (local backend) and Slurm allocations.

A job whose launcher and workers were SIGKILLed together records no end, so its record stays
`running` and its token would keep working. The server's reaper asks `dead_jobs` every few seconds and
marks those it returns failed (`Jobs.fail_if_live`, which also revokes the token).

Every uncertain answer errs towards "alive": a pid hidden by /proc's hidepid, a launcher on another
host, Slurm not answering. A job wrongly kept alive ends at its time limit; a job wrongly killed loses
work. A death is acted on only once `DeathWatch` has seen it for a while, because Slurm shows a
requeued job as NODE_FAIL for a moment before PENDING, and a launcher that just exited is about to
record its end itself.
"""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field

from aircluster.catalog.jobs import Job, Jobs

# squeue states in which the job still holds (or waits for) an allocation; any other state is an end
SLURM_LIVE_STATES = frozenset(
    {
        "PENDING",
        "CONFIGURING",
        "RUNNING",
        "COMPLETING",
        "SUSPENDED",
        "REQUEUED",
        "REQUEUE_FED",
        "REQUEUE_HOLD",
        "RESIZING",
        "SIGNALING",
        "STAGE_OUT",
        "STOPPED",
        "RESV_DEL_HOLD",
        "SPECIAL_EXIT",
    }
)
SQUEUE_TIMEOUT_S = 20.0


def process_identity(pid: int) -> tuple[int, int] | None:
    """(pid, start time in clock ticks since boot, /proc/<pid>/stat field 22), or None if no such
    process is running (a zombie has finished running) or /proc does not show it to us (hidepid)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read().decode(errors="replace")
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # The command name (field 2) is in parentheses and may itself hold spaces or ')': split after the last ')'.
    rest = stat.rpartition(")")[2].split()
    state, start_time = rest[0], int(rest[19])  # rest[0] is field 3
    if state in ("Z", "X"):
        return None
    return pid, start_time


def process_alive(pid: int, start_time: int | None) -> bool:
    """Is the process that had this pid and start time still running? False if the pid now belongs to
    another process. `start_time` None checks the pid alone (records made before start times were kept)."""
    identity = process_identity(pid)
    if identity is None:
        return _hidden_but_present(pid)
    return start_time is None or identity[1] == start_time


def _hidden_but_present(pid: int) -> bool:
    # /proc mounted with hidepid hides other accounts' processes; kill(pid, 0) still tells whether the pid
    # exists (EPERM), though not whose it is now, so a hidden pid counts as alive.
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return False  # visible to kill but not in /proc: gone between the two looks, or a zombie


def slurm_job_alive(slurm_job_id: str, *, env: Mapping[str, str] | None = None) -> bool | None:
    """True while Slurm holds or queues the job's allocation, False once it is gone (ended, or forgotten
    by the controller), None when Slurm cannot be asked (no squeue, controller unreachable, timeout)."""
    try:
        proc = subprocess.run(
            ["squeue", "--noheader", "--states=all", f"--jobs={slurm_job_id}", "--format=%T"],
            capture_output=True,
            text=True,
            timeout=SQUEUE_TIMEOUT_S,
            env=None if env is None else dict(env),
        )
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return None
    if proc.returncode != 0:
        # The controller answered that it does not know the job (purged after MinJobAge): gone. Any other
        # failure (cannot contact the controller, bad configuration) says nothing about the job.
        return False if "Invalid job id" in proc.stderr else None
    states = proc.stdout.split()
    if not states:
        return False
    return any(state in SLURM_LIVE_STATES for state in states)


def dead_jobs(
    jobs: Jobs,
    now: float,
    *,
    host: str | None = None,
    start_grace_s: float = 600.0,
    slurm_env: Mapping[str, str] | None = None,
) -> list[tuple[Job, str]]:
    """The jobs not in a final status that are dead now, each with a one-line reason.

    local backend: the launcher process (pid and start time) is gone; judged only on the host it runs
    on (`host`, default this one). slurm backend: the allocation is gone. A job that never recorded a
    launcher or an allocation is dead once `start_grace_s` has passed since it was submitted (its
    submitting command died before starting it)."""
    host = host or socket.gethostname()
    dead: list[tuple[Job, str]] = []
    for job in jobs.running_jobs():
        reason = _death(job, now, host, start_grace_s, slurm_env)
        if reason is not None:
            dead.append((job, reason))
    return dead


def _death(job: Job, now: float, host: str, start_grace_s: float, slurm_env: Mapping[str, str] | None) -> str | None:
    started = job.slurm_job_id if job.backend == "slurm" else job.launcher_pid
    if started is None:
        if now - job.created_at >= start_grace_s:
            what = "Slurm job" if job.backend == "slurm" else "launcher"
            return f"no {what} was recorded within {start_grace_s:.0f}s of submission: the submitting command died"
        return None
    if job.backend == "slurm":
        assert job.slurm_job_id is not None
        alive = slurm_job_alive(job.slurm_job_id, env=slurm_env)
        return f"Slurm allocation {job.slurm_job_id} is gone and the job recorded no end" if alive is False else None
    assert job.launcher_pid is not None
    if job.nodes_used and host not in job.nodes_used:
        return None  # the launcher runs on another host: its /proc is not ours to read
    if process_alive(job.launcher_pid, job.launcher_start_time):
        return None
    return f"launcher process {job.launcher_pid} on {host} is gone and the job recorded no end"


@dataclass
class DeathWatch:
    """Confirms deaths over time: a job counts as dead once it has been reported dead continuously for
    `confirm_s` (a job seen alive again, or ended, is forgotten)."""

    confirm_s: float = 15.0
    first_seen: dict[str, float] = field(default_factory=dict)

    def confirm(self, dead: list[tuple[Job, str]], now: float) -> list[tuple[Job, str]]:
        current = {job.id for job, _ in dead}
        self.first_seen = {job_id: at for job_id, at in self.first_seen.items() if job_id in current}
        confirmed = []
        for job, reason in dead:
            since = self.first_seen.setdefault(job.id, now)
            if now - since >= self.confirm_s:
                confirmed.append((job, reason))
        return confirmed

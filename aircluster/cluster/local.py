"""The local backend: torchrun (torch.distributed's elastic launcher) on this machine, in the foreground.

torchrun restarts the whole group after a failed worker (`--max-restarts`); the trainer then resumes
from the last checkpoint. Its output goes to the job's `logs/launcher.log` (and, when asked, stderr).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from aircluster.catalog.jobs import FINAL, Job
from aircluster.client.jobs import RemoteJobs, job_env
from aircluster.cluster.request import LaunchRequest, fail_on_preflight, finish, store_dir
from aircluster.errors import AirclusterError, Interrupted
from aircluster.jobs.health import HealthCheckFailed, failure_line, node_preflight


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def torchrun_command(
    launch_config: Path,
    *,
    nnodes: int,
    nproc: int,
    max_restarts: int,
    rdzv_endpoint: str,
    rdzv_id: str,
    extra: list[str] | None = None,
) -> list[str]:
    return [
        sys.executable,
        "-m",
        "torch.distributed.run",
        f"--nnodes={nnodes}",
        f"--nproc-per-node={nproc}",
        f"--max-restarts={max_restarts}",
        "--rdzv-backend=c10d",
        f"--rdzv-endpoint={rdzv_endpoint}",
        f"--rdzv-id={rdzv_id}",
        "--monitor-interval=0.5",
        *(extra or []),
        "-m",
        "aircluster.train.trainer",
        str(launch_config),
    ]


def trainer_env(job: Job, token: str) -> dict[str, str]:
    """The workers' environment: the job's id and token (never on a command line, where `ps` shows them)."""
    env = dict(os.environ)
    env.update(job_env(job, token))
    # A restarted group must not join the dead group's rendezvous store (pytorch issue 135712).
    env["TORCH_DISABLE_SHARE_RDZV_TCP_STORE"] = "1"
    env.setdefault("OMP_NUM_THREADS", str(max(1, (os.cpu_count() or 1) // max(1, job.procs_per_node))))
    return env


def run_local(jobs: RemoteJobs, job: Job, token: str, launch_config: Path, req: LaunchRequest, *, echo: bool = True) -> int:
    """Run torchrun in the foreground (its own process group), tee its output to the job's log. The server
    records torchrun's pid and start time: if torchrun and its workers die without a word, it fails the job."""
    log_path = Path(job.run_dir) / "logs" / "launcher.log"
    # Pre-flight this node before torchrun starts workers: torchrun restarts the group after any worker
    # failure (it cannot tell a bad node from a crashed process), and a restart on the same node fails
    # the same way. The trainer's own pre-flight then adds the collective test.
    jobs.update(job.id, nodes_used=[socket.gethostname()])
    report = node_preflight(job.run_dir, store_dir(), node=socket.gethostname())
    if not report.ok:
        line = failure_line(report.failures)
        with open(log_path, "a") as log:
            log.write(f"error: {line}\n")
        fail_on_preflight(jobs, job.id, line, HealthCheckFailed.exit_code)
        return HealthCheckFailed.exit_code
    cmd = torchrun_command(
        launch_config,
        nnodes=1,
        nproc=req.procs_per_node,
        max_restarts=req.max_restarts,
        rdzv_endpoint=f"127.0.0.1:{free_port()}",
        rdzv_id=job.id,
    )
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(
            cmd, env=trainer_env(job, token), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            jobs.update(job.id, launcher_pid=proc.pid, nodes_used=[socket.gethostname()])
            jobs.set_status(job.id, "running")
        except AirclusterError:  # cancelled meanwhile, or the server is gone: the workers must not run on
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait()
            raise
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                log.write(line)
                log.flush()
                if echo:
                    sys.stderr.buffer.write(line)
                    sys.stderr.flush()
            code = proc.wait()
        except (KeyboardInterrupt, Interrupted):  # Ctrl-C, or SIGTERM to this command: the workers stop too
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait()
            if jobs.get(job.id).status not in FINAL:
                jobs.set_status(job.id, "cancelled", exit_code=proc.returncode, message="interrupted by the user")
            raise
    finish(jobs, job.id, code)
    return code

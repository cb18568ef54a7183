"""The Slurm backend: one batch job per aircluster job, torchrun on every node, requeue on failure.

We write the sbatch script ourselves rather than use submitit: the script is what an operator reads
in `scontrol show job` and in the run directory, it needs nothing pickled or importable on the
submit side, and the failure handling we rely on (requeue, `--signal=B:USR1`, a restart-specific
rendezvous, excluding suspect nodes) is a few lines of bash around `srun` that submitit would hide.

One attempt = one run of the batch script. It records the attempt and its nodes, excludes suspect
nodes (requeueing itself away from them), pre-flights every node (a node that fails drains itself, and
the job is requeued excluding it while the restart budget lasts: torchrun would only restart workers on
the same bad node), starts one torchrun per node with c10d rendezvous on the
first node (port and rendezvous id derived from the Slurm job id and restart count, so a requeued
attempt never joins a dead one's store), and forwards a preemption signal (USR1, sent by Slurm
before the time limit or by an operator) to the trainer, which checkpoints and exits with
`EXIT_PREEMPTED` (torchrun then exits 1, so the end hook also reads the trainer's own record of
having stopped on a signal); the script then requeues the job. A node that dies makes Slurm requeue
the job (JobRequeue), or the script does when its step died with a node that stopped answering; the
next attempt resumes from the last checkpoint, and its start hook counts the failure against the
nodes that went down (or whose slurmd restarted) under the previous attempt. A node with
SUSPECT_AFTER failures is suspect: new jobs exclude it, and an attempt allocated on it requeues
itself with the node in ExcNodeList (Slurm accepts that change only while the job is pending).
"""

from __future__ import annotations

import dataclasses
import os
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

from aircluster import installation
from aircluster.catalog.jobs import FINAL, Job
from aircluster.client.connection import is_tcp
from aircluster.client.jobs import RemoteJobs, job_env
from aircluster.cluster.request import LaunchRequest
from aircluster.cluster.slurm_nodes import suspect_nodes
from aircluster.errors import EXIT_PREEMPTED, AirclusterError, PermissionDenied, UsageError

PREEMPT_GRACE_S = 60  # USR1 this long before the time limit (it arrives 40-50 s early anyway)
EXIT_REQUEUED_AWAY = 3  # attempt-start requeued the job away from suspect nodes
EXIT_REQUEUE = 10  # attempt-end asks the batch script to requeue the job


def node_server_address(jobs: RemoteJobs) -> str | None:
    """How the job's processes on other nodes reach the server: HOST:PORT when it listens on TCP (they then
    prove who they are with MUNGE), else None (the installation's Unix socket, for nodes on the server's host)."""
    given = os.environ.get("AIRCLUSTER_SERVER")
    if given and is_tcp(given):
        return given
    listen = jobs.client.call("server.status").get("listen")
    if not listen:
        return None
    host, _, port = str(listen).rpartition(":")
    if host.strip("[]") in ("", "0.0.0.0", "::"):  # listening everywhere: name this host
        host = socket.getfqdn()
    return f"{host}:{port}"


def render_script(job: Job, launch_config: Path, req: LaunchRequest, server: str | None = None) -> str:
    """The batch script. The job's token is not in it: sbatch passes it on in the environment."""
    run_dir = Path(job.run_dir)
    py = shlex.quote(sys.executable)
    lines = [
        "#!/bin/bash",
        f"#SBATCH --job-name=aircluster-{job.id}",
        f"#SBATCH --nodes={req.nodes}",
        "#SBATCH --ntasks-per-node=1",
        f"#SBATCH --output={run_dir}/logs/slurm-%j.out",
        "#SBATCH --open-mode=append",
        "#SBATCH --requeue" if req.requeue else "#SBATCH --no-requeue",
        f"#SBATCH --signal=B:USR1@{PREEMPT_GRACE_S}",
    ]
    if req.partition:
        lines.append(f"#SBATCH --partition={req.partition}")
    if req.time_limit:
        lines.append(f"#SBATCH --time={req.time_limit}")
    if req.exclude:
        lines.append(f"#SBATCH --exclude={','.join(req.exclude)}")
    env = {
        "AIRCLUSTER_JOB_ID": job.id,
        "AIRCLUSTER_HOME": str(installation.home()),
        "TORCH_DISABLE_SHARE_RDZV_TCP_STORE": "1",
        "PYTHONUNBUFFERED": "1",
    }
    if server:
        env["AIRCLUSTER_SERVER"] = server
    if os.environ.get("AIRCLUSTER_MUNGE_SOCKET"):
        env["AIRCLUSTER_MUNGE_SOCKET"] = os.environ["AIRCLUSTER_MUNGE_SOCKET"]
    lines += [f"export {k}={shlex.quote(v)}" for k, v in env.items()]
    lines += [
        # The job's token comes with sbatch's environment (never in this file or on a command line).
        '[ -n "$AIRCLUSTER_JOB_TOKEN" ] || { echo "aircluster: no job token in the environment" >&2; exit 1; }',
        "restart=${SLURM_RESTART_COUNT:-0}",
        # Record the attempt; refuse nodes known to fail (the hook requeues the job away from them).
        f"{py} -m aircluster.cluster.slurm_hooks attempt-start",
        f"rc=$?; [ $rc = {EXIT_REQUEUED_AWAY} ] && exit 0; [ $rc = 0 ] || exit $rc",
        'head=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n 1)',
        # Emulated nodes share one host name, so rendezvous on the first node's address.
        "head_addr=$(scontrol show node \"$head\" | sed -n 's/.*NodeAddr=\\([^ ]*\\).*/\\1/p')",
        # A port free on the head node now (this script runs there): one derived from the job id collides
        # with another cluster's or job's rendezvous on the same host (seen: EADDRINUSE).
        f"port=$({py} -c 'import socket; s = socket.socket(); s.bind((\"\", 0)); print(s.getsockname()[1])')",
        "export head_addr port restart",
        "preempted=0",
        'on_usr1() { preempted=1; echo "aircluster: preemption signal: asking the trainer to checkpoint and stop"; '
        'scancel --signal=USR1 "$SLURM_JOB_ID"; }',
        "trap on_usr1 USR1",
        # bash runs traps only between commands: run each step in the background and wait in a loop so
        # USR1 is handled while srun runs.
        'run_step() { "$@" & step=$!; while true; do wait "$step"; code=$?; kill -0 "$step" 2>/dev/null || break; done; }',
        # Pre-flight every node before torchrun starts workers (each node's check runs to its end; a failing
        # node drains itself): torchrun would restart workers on a bad node as after a crashed process.
        f"run_step srun --ntasks-per-node=1 --export=ALL {py} -m aircluster.cluster.slurm_hooks node-check",
        'if [ "$code" = 0 ] && [ "$preempted" = 0 ]; then',
        "  run_step srun --kill-on-bad-exit=1 --ntasks-per-node=1 --export=ALL "
        f"bash -c {shlex.quote(_node_command(launch_config, req))}",
        f'elif [ "$code" = 0 ]; then code={EXIT_PREEMPTED}; fi',
        # attempt-end records how the attempt ended and says whether to requeue: after a preemption
        # (the trap fired, or the trainer stopped on a signal sent to the steps alone) or a node that
        # stopped answering. `scontrol requeue` from here, not from a TERM trap, so that a job
        # cancelled on purpose stays cancelled. After a failed pre-flight it requeues the job away from
        # the failing nodes itself, within the restart budget.
        f'{py} -m aircluster.cluster.slurm_hooks attempt-end --code "$code" --signalled "$preempted" '
        f"--max-restarts {req.max_restarts}",
        f'rc=$?; [ $rc = {EXIT_REQUEUE} ] && {{ scontrol requeue "$SLURM_JOB_ID"; exit 0; }}',
        f"[ $rc = {EXIT_REQUEUED_AWAY} ] && exit 0",
        'exit "$code"',
    ]
    return "\n".join(lines) + "\n"


def _node_command(launch_config: Path, req: LaunchRequest) -> str:
    py = shlex.quote(sys.executable)
    return (
        'is_host=0; [ "$SLURM_NODEID" = 0 ] && is_host=1; '
        f"exec {py} -m torch.distributed.run --nnodes={req.nodes} --nproc-per-node={req.procs_per_node} "
        f"--max-restarts={req.max_restarts} --rdzv-backend=c10d --rdzv-endpoint=$head_addr:$port "
        "--rdzv-id=$SLURM_JOB_ID-$restart --rdzv-conf=is_host=$is_host --node-rank=$SLURM_NODEID "
        "--monitor-interval=0.5 --signals-to-handle=SIGTERM,SIGINT,SIGHUP,SIGQUIT,SIGUSR1 "
        f"-m aircluster.train.trainer {shlex.quote(str(launch_config))}"
    )


def submit(jobs: RemoteJobs, job: Job, token: str, launch_config: Path, req: LaunchRequest) -> Job:
    suspects = [n for n in suspect_nodes(jobs) if n not in (req.exclude or [])]
    if suspects:  # nodes that failed repeatedly (lemon nodes) are kept out from the first attempt
        req = dataclasses.replace(req, exclude=[*(req.exclude or []), *suspects])
        jobs.event(job.id, "exclude", nodes=suspects)
    script = Path(job.run_dir) / "job.sbatch"
    script.write_text(render_script(job, launch_config, req, node_server_address(jobs)))
    # sbatch hands its environment to the batch script (--export=ALL), and srun to every task: the token
    # reaches every process of the job that way.
    env = {**os.environ, **job_env(job, token)}
    try:
        proc = subprocess.run(["sbatch", "--parsable", str(script)], capture_output=True, text=True, timeout=60, env=env)
    except FileNotFoundError:
        raise UsageError("sbatch not found: install Slurm (scripts/install-slurm.sh) or use --backend local") from None
    if proc.returncode != 0:
        jobs.set_status(job.id, "failed", message=f"sbatch failed: {proc.stderr.strip()}")
        raise AirclusterError(f"sbatch refused job {job.id}: {proc.stderr.strip()}")
    slurm_id = proc.stdout.strip().split(";")[0]
    jobs.update(job.id, slurm_job_id=slurm_id)
    jobs.event(job.id, "slurm_submitted", slurm_job_id=slurm_id)
    return jobs.get(job.id)


def slurm_state(slurm_id: str) -> str | None:
    proc = subprocess.run(["scontrol", "show", "job", slurm_id], capture_output=True, text=True)
    if proc.returncode != 0:
        return None
    for token in proc.stdout.split():
        if token.startswith("JobState="):
            return token.split("=", 1)[1]
    return None


def follow(jobs: RemoteJobs, job_id: str, timeout: float | None = None, poll: float = 2.0) -> Job:
    """Wait for the Slurm job to end, keeping the record's status in step with Slurm's view.

    The batch script's attempt-end hook records how the job ended; this only catches ends it could not
    record. A job requeued after a node failure may show NODE_FAIL for a moment before PENDING, so an
    end state counts only when Slurm still reports it a few seconds later.
    """
    deadline = None if timeout is None else time.time() + timeout
    ended_since: float | None = None
    while True:
        job = jobs.get(job_id)
        if job.status in FINAL:
            return job
        state = slurm_state(job.slurm_job_id) if job.slurm_job_id else None
        if state in _SLURM_ENDED or state is None:
            ended_since = ended_since or time.time()
            if time.time() - ended_since >= _END_CONFIRM_S:
                job = jobs.get(job_id)
                if job.status not in FINAL:
                    _record_end(jobs, job_id, state)
        else:
            ended_since = None
        if deadline is not None and time.time() > deadline:
            return jobs.get(job_id)
        time.sleep(poll)


def _record_end(jobs: RemoteJobs, job_id: str, state: str | None) -> None:
    try:
        if state == "CANCELLED":
            jobs.set_status(job_id, "cancelled", message="cancelled in Slurm")
        elif state is None:
            # scontrol forgets finished jobs after MinJobAge; attempt-end normally records the end
            jobs.set_status(job_id, "failed", message="Slurm no longer knows the job and it recorded no end")
        else:
            jobs.set_status(job_id, "failed", message=f"Slurm state {state}")
    except (UsageError, PermissionDenied):
        pass  # the job ended meanwhile (its own end hook, a cancel, the server's reaper): its record says how


_SLURM_ENDED = ("CANCELLED", "FAILED", "NODE_FAIL", "TIMEOUT", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE", "COMPLETED")
_END_CONFIRM_S = 10.0

"""The Slurm backend: one batch job per aircluster job, torchrun on every node, requeue on failure.

We write the sbatch script ourselves rather than use submitit: the script is what an operator reads
in `scontrol show job` and in the run directory, it needs nothing pickled or importable on the
submit side, and the failure handling we rely on (requeue, `--signal=B:USR1`, a restart-specific
rendezvous, excluding suspect nodes) is a few lines of bash around `srun` that submitit would hide.

One attempt = one run of the batch script. It records the attempt and its nodes, excludes suspect
nodes (requeueing itself away from them), starts one torchrun per node with c10d rendezvous on the
first node (port and rendezvous id derived from the Slurm job id and restart count, so a requeued
attempt never joins a dead one's store), and forwards a preemption signal (USR1, sent by Slurm
before the time limit or by an operator) to the trainer, which checkpoints and exits with
`EXIT_PREEMPTED`; the script then requeues the job. A node that dies makes Slurm requeue the job
(JobRequeue); the next attempt resumes from the last checkpoint.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

from aircluster import config
from aircluster.cluster.jobs import FINAL, Job, Jobs
from aircluster.cluster.launch import EXIT_PREEMPTED, LaunchRequest
from aircluster.context import Context
from aircluster.errors import AirclusterError, UsageError

PREEMPT_GRACE_S = 60  # USR1 this long before the time limit (it arrives 40-50 s early anyway)
SUSPECT_AFTER = 2  # failures of one node before it is suspect and excluded
EXIT_REQUEUED_AWAY = 3  # attempt-start requeued the job away from suspect nodes


def render_script(job: Job, launch_config: Path, req: LaunchRequest) -> str:
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
    env = {"AIRCLUSTER_JOB_ID": job.id, "AIRCLUSTER_HOME": str(config.home()),
           "TORCH_DISABLE_SHARE_RDZV_TCP_STORE": "1", "PYTHONUNBUFFERED": "1"}
    if "AIRCLUSTER_MASTER_KEY_FILE" in os.environ:
        env["AIRCLUSTER_MASTER_KEY_FILE"] = os.environ["AIRCLUSTER_MASTER_KEY_FILE"]
    lines += [f"export {k}={shlex.quote(v)}" for k, v in env.items()]
    lines += [
        f"export AIRCLUSTER_USER={shlex.quote(job.principal)}",
        "restart=${SLURM_RESTART_COUNT:-0}",
        # Record the attempt; refuse nodes known to fail (the hook requeues the job away from them).
        f"{py} -m aircluster.cluster.slurm attempt-start",
        f"rc=$?; [ $rc = {EXIT_REQUEUED_AWAY} ] && exit 0; [ $rc = 0 ] || exit $rc",
        'head=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n 1)',
        # Emulated nodes share one host name, so rendezvous on the first node's address.
        "head_addr=$(scontrol show node \"$head\" | sed -n 's/.*NodeAddr=\\([^ ]*\\).*/\\1/p')",
        "port=$(( 20000 + (SLURM_JOB_ID * 37 + restart * 11) % 20000 ))",
        "export head_addr port restart",
        "preempted=0",
        'on_usr1() { preempted=1; echo "aircluster: preemption signal: asking the trainer to checkpoint and stop"; '
        'scancel --signal=USR1 "$SLURM_JOB_ID"; }',
        "trap on_usr1 USR1",
        f"srun --kill-on-bad-exit=1 --ntasks-per-node=1 --export=ALL bash -c {shlex.quote(_node_command(launch_config, req))} &",
        "step=$!",
        # bash runs traps only between commands: wait in a loop so USR1 is handled while srun runs.
        'while true; do wait "$step"; code=$?; kill -0 "$step" 2>/dev/null || break; done',
        f'if [ "$preempted" = 1 ] || [ "$code" = {EXIT_PREEMPTED} ]; then',
        f"  {py} -m aircluster.cluster.slurm attempt-end --code \"$code\" --preempted",
        '  scontrol requeue "$SLURM_JOB_ID"; exit 0',
        "fi",
        f"{py} -m aircluster.cluster.slurm attempt-end --code \"$code\"",
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


def submit(ctx: Context, job: Job, launch_config: Path, req: LaunchRequest) -> Job:
    script = Path(job.run_dir) / "job.sbatch"
    script.write_text(render_script(job, launch_config, req))
    try:
        proc = subprocess.run(["sbatch", "--parsable", str(script)], capture_output=True, text=True, timeout=60)
    except FileNotFoundError:
        raise UsageError("sbatch not found: install Slurm (scripts/install-slurm.sh) or use --backend local") from None
    jobs = Jobs(ctx.catalog)
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


def follow(ctx: Context, job_id: str, timeout: float | None = None, poll: float = 2.0) -> Job:
    """Wait for the Slurm job to end, keeping the record's status in step with Slurm's view."""
    jobs = Jobs(ctx.catalog)
    deadline = None if timeout is None else time.time() + timeout
    while True:
        job = jobs.get(job_id)
        if job.status in FINAL:
            return job
        state = slurm_state(job.slurm_job_id) if job.slurm_job_id else None
        if state in ("CANCELLED",) and job.status not in FINAL:
            jobs.set_status(job_id, "cancelled", message="cancelled in Slurm")
        elif state in ("FAILED", "NODE_FAIL", "TIMEOUT", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE") and job.status not in FINAL:
            jobs.set_status(job_id, "failed", message=f"Slurm state {state}")
        elif state is None and job.status not in FINAL:
            # scontrol forgets finished jobs after MinJobAge; the attempt-end hook normally records the end
            jobs.set_status(job_id, "failed", message="Slurm no longer knows the job and it recorded no end")
        if deadline is not None and time.time() > deadline:
            return jobs.get(job_id)
        time.sleep(poll)


# --- hooks run by the batch script on the first node ------------------------------------------------


def _node_failures(ctx: Context) -> dict[str, int]:
    rows = ctx.catalog.db.execute("SELECT data_json FROM job_events WHERE kind='node_failure'").fetchall()
    counts: dict[str, int] = {}
    for (data,) in rows:
        node = json.loads(data).get("node")
        if node:
            counts[node] = counts.get(node, 0) + 1
    return counts


def suspect_nodes(ctx: Context) -> list[str]:
    return sorted(n for n, c in _node_failures(ctx).items() if c >= SUSPECT_AFTER)


def _nodes_of_allocation() -> list[str]:
    nodelist = os.environ.get("SLURM_JOB_NODELIST", "")
    proc = subprocess.run(["scontrol", "show", "hostnames", nodelist], capture_output=True, text=True)
    return proc.stdout.split()


def _down_nodes(nodes: list[str]) -> list[str]:
    down = []
    for node in nodes:
        proc = subprocess.run(["scontrol", "show", "node", node], capture_output=True, text=True)
        for token in proc.stdout.split():
            if token.startswith("State=") and any(s in token for s in ("DOWN", "DRAIN", "FAIL", "NOT_RESPONDING")):
                down.append(node)
    return down


def attempt_start(ctx: Context) -> int:
    job_id = config.job_id()
    assert job_id is not None
    jobs = Jobs(ctx.catalog)
    job = jobs.get(job_id)
    nodes = _nodes_of_allocation()
    restart = int(os.environ.get("SLURM_RESTART_COUNT", "0") or 0)
    if restart > 0:
        # The previous attempt's nodes that are now down are why it ended: count them against the nodes.
        previous = [e for e in jobs.events(job_id) if e["kind"] == "slurm_attempt"]
        if previous and not any(e["kind"] == "preempted" and e["at"] > previous[-1]["at"] for e in jobs.events(job_id)):
            for node in _down_nodes(previous[-1].get("nodes", [])):
                jobs.event(job_id, "node_failure", node=node)
            jobs.event(job_id, "failure")
        jobs.event(job_id, "requeued", restart=restart)
    suspects = [n for n in suspect_nodes(ctx) if n in nodes]
    if suspects:
        all_suspects = suspect_nodes(ctx)
        jobs.event(job_id, "exclude", nodes=all_suspects)
        ctx.log("job.exclude_nodes", job_id=job_id, nodes=all_suspects)
        subprocess.run(["scontrol", "update", f"JobId={os.environ['SLURM_JOB_ID']}", f"ExcNodeList={','.join(all_suspects)}"],
                       capture_output=True)
        subprocess.run(["scontrol", "requeue", os.environ["SLURM_JOB_ID"]], capture_output=True)
        print(f"aircluster: suspect node(s) {', '.join(suspects)} in the allocation: requeued excluding them", file=sys.stderr)
        return EXIT_REQUEUED_AWAY
    jobs.event(job_id, "slurm_attempt", restart=restart, nodes=nodes, slurm_job_id=os.environ.get("SLURM_JOB_ID"))
    jobs.update(job_id, nodes_used=sorted(set(job.nodes_used) | set(nodes)), restarts=max(job.restarts, restart))
    if job.status in ("pending", "restarting"):
        jobs.set_status(job_id, "running")
    return 0


def attempt_end(ctx: Context, code: int, preempted: bool) -> int:
    from aircluster.cluster.launch import finish

    job_id = config.job_id()
    assert job_id is not None
    jobs = Jobs(ctx.catalog)
    if preempted:
        jobs.event(job_id, "preempted", exit_code=code)
        jobs.set_status(job_id, "restarting", message="preempted: checkpointed, requeued")
        return 0
    finish(ctx, job_id, code)
    return 0


def main(argv: list[str] | None = None) -> int:
    from aircluster.context import open_context

    p = argparse.ArgumentParser(prog="python -m aircluster.cluster.slurm", description="hooks run by aircluster's sbatch script")
    sub = p.add_subparsers(dest="hook", required=True)
    sub.add_parser("attempt-start")
    end = sub.add_parser("attempt-end")
    end.add_argument("--code", type=int, required=True)
    end.add_argument("--preempted", action="store_true")
    args = p.parse_args(argv)
    try:
        with open_context(housekeeping=False) as ctx:
            if args.hook == "attempt-start":
                return attempt_start(ctx)
            return attempt_end(ctx, args.code, args.preempted)
    except AirclusterError as err:
        print(f"aircluster: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())

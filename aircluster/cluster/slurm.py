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

import argparse
import dataclasses
import json
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

from aircluster import installation
from aircluster.jobs.health import (
    Failure,
    HealthCheckFailed,
    drain_node,
    drain_reason,
    failure_line,
    node_name,
    node_preflight,
)
from aircluster.jobs.records import FINAL, Job, Jobs
from aircluster.cluster.launch import LaunchRequest
from aircluster.context import Context
from aircluster.errors import EXIT_PREEMPTED, AirclusterError, UsageError

PREEMPT_GRACE_S = 60  # USR1 this long before the time limit (it arrives 40-50 s early anyway)
SUSPECT_AFTER = 2  # failures of one node before it is suspect and excluded
EXIT_REQUEUED_AWAY = 3  # attempt-start requeued the job away from suspect nodes
EXIT_REQUEUE = 10  # attempt-end asks the batch script to requeue the job
NODE_BAD_STATES = ("DOWN", "FAIL", "NOT_RESPONDING")  # a drain (health, operator) is not a failure


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
    env = {"AIRCLUSTER_JOB_ID": job.id, "AIRCLUSTER_HOME": str(installation.home()),
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
        f"run_step srun --ntasks-per-node=1 --export=ALL {py} -m aircluster.cluster.slurm node-check",
        'if [ "$code" = 0 ] && [ "$preempted" = 0 ]; then',
        f"  run_step srun --kill-on-bad-exit=1 --ntasks-per-node=1 --export=ALL bash -c {shlex.quote(_node_command(launch_config, req))}",
        f'elif [ "$code" = 0 ]; then code={EXIT_PREEMPTED}; fi',
        # attempt-end records how the attempt ended and says whether to requeue: after a preemption
        # (the trap fired, or the trainer stopped on a signal sent to the steps alone) or a node that
        # stopped answering. `scontrol requeue` from here, not from a TERM trap, so that a job
        # cancelled on purpose stays cancelled. After a failed pre-flight it requeues the job away from
        # the failing nodes itself, within the restart budget.
        f'{py} -m aircluster.cluster.slurm attempt-end --code "$code" --signalled "$preempted" --max-restarts {req.max_restarts}',
        f'rc=$?; [ $rc = {EXIT_REQUEUE} ] && {{ scontrol requeue "$SLURM_JOB_ID"; exit 0; }}',
        f'[ $rc = {EXIT_REQUEUED_AWAY} ] && exit 0',
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
    jobs = Jobs(ctx.catalog)
    suspects = [n for n in suspect_nodes(ctx) if n not in (req.exclude or [])]
    if suspects:  # nodes that failed repeatedly (lemon nodes) are kept out from the first attempt
        req = dataclasses.replace(req, exclude=[*(req.exclude or []), *suspects])
        jobs.event(job.id, "exclude", nodes=suspects)
    script = Path(job.run_dir) / "job.sbatch"
    script.write_text(render_script(job, launch_config, req))
    try:
        proc = subprocess.run(["sbatch", "--parsable", str(script)], capture_output=True, text=True, timeout=60)
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


def follow(ctx: Context, job_id: str, timeout: float | None = None, poll: float = 2.0) -> Job:
    """Wait for the Slurm job to end, keeping the record's status in step with Slurm's view.

    The batch script's attempt-end hook records how the job ended; this only catches ends it could not
    record. A job requeued after a node failure may show NODE_FAIL for a moment before PENDING, so an
    end state counts only when Slurm still reports it a few seconds later.
    """
    jobs = Jobs(ctx.catalog)
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
                    if state == "CANCELLED":
                        jobs.set_status(job_id, "cancelled", message="cancelled in Slurm")
                    elif state is None:
                        # scontrol forgets finished jobs after MinJobAge; attempt-end normally records the end
                        jobs.set_status(job_id, "failed", message="Slurm no longer knows the job and it recorded no end")
                    else:
                        jobs.set_status(job_id, "failed", message=f"Slurm state {state}")
        else:
            ended_since = None
        if deadline is not None and time.time() > deadline:
            return jobs.get(job_id)
        time.sleep(poll)


_SLURM_ENDED = ("CANCELLED", "FAILED", "NODE_FAIL", "TIMEOUT", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE", "COMPLETED")
_END_CONFIRM_S = 10.0


# --- hooks run by the batch script on the first node ------------------------------------------------


def _node_failures(ctx: Context) -> dict[str, int]:
    """Failures per node over every job of this catalog (lemon-node detection is cluster-wide)."""
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


def _node_info(node: str) -> dict[str, str]:
    proc = subprocess.run(["scontrol", "-o", "show", "node", node], capture_output=True, text=True)
    return dict(token.split("=", 1) for token in proc.stdout.split() if "=" in token)


def _slurm_time(text: str | None) -> float | None:
    try:
        return time.mktime(time.strptime(text or "", "%Y-%m-%dT%H:%M:%S"))
    except ValueError:
        return None


def _failed_nodes(nodes: list[str], since: float | None = None) -> list[str]:
    """Nodes that are down or not answering, or (with `since`) whose slurmd restarted after `since`:
    a node that died and came back (revived, rebooted) while an attempt ran on it failed all the same."""
    failed = []
    for node in nodes:
        info = _node_info(node)
        state = info.get("State", "")
        restarted = _slurm_time(info.get("SlurmdStartTime"))
        if any(s in state for s in NODE_BAD_STATES) or state.endswith("*") or (
            since is not None and restarted is not None and restarted > since
        ):
            failed.append(node)
    return failed


def _previous_attempt_end(events: list[dict]) -> tuple[dict | None, bool, float | None]:
    """The previous attempt's `slurm_attempt` event, whether attempt-end recorded its end, and the time of
    its last training event (where a failure that left no record happened, as far as we can tell)."""
    attempts = [i for i, e in enumerate(events) if e["kind"] == "slurm_attempt"]
    if not attempts:
        return None, False, None
    i = attempts[-1]
    later = events[i + 1:]
    ended = any(e["kind"] == "attempt_end" for e in later)
    marks = [e["at"] for e in later if e["kind"] in ("attempt", "step", "checkpoint")]
    return events[i], ended, (max(marks) if marks else events[i]["at"])


def _requeue_excluding(slurm_id: str, nodes: list[str]) -> None:
    """Requeue this (running) job and make it avoid `nodes`: Slurm changes ExcNodeList only while the
    job is pending, so requeue first; the requeue signals this batch script, so ignore SIGTERM meanwhile."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    shown = subprocess.run(["scontrol", "-o", "show", "job", slurm_id], capture_output=True, text=True).stdout
    current = dict(t.split("=", 1) for t in shown.split() if "=" in t).get("ExcNodeList", "(null)")
    if current not in ("", "(null)"):  # keep what the job excluded already (--exclude)
        listed = subprocess.run(["scontrol", "show", "hostnames", current], capture_output=True, text=True).stdout
        nodes = sorted(set(nodes) | set(listed.split()))
    subprocess.run(["scontrol", "requeue", slurm_id], capture_output=True)
    deadline = time.time() + 8  # a requeued job waits (BeginTime) longer than this before it may start again
    while True:
        done = subprocess.run(["scontrol", "update", f"JobId={slurm_id}", f"ExcNodeList={','.join(nodes)}"],
                              capture_output=True, text=True)
        if done.returncode == 0 or time.time() > deadline:
            return
        time.sleep(0.2)


def attempt_start(ctx: Context) -> int:
    job_id = installation.job_id()
    assert job_id is not None
    jobs = Jobs(ctx.catalog)
    job = jobs.get(job_id)
    slurm_id = os.environ.get("SLURM_JOB_ID", "")
    nodes = _nodes_of_allocation()
    restart = int(os.environ.get("SLURM_RESTART_COUNT", "0") or 0)
    if restart > 0:
        events = jobs.events(job_id)
        previous, ended, last_mark = _previous_attempt_end(events)
        if previous is not None and not ended:
            # The previous attempt ended without its end hook: its batch script was killed (a node died
            # under it, or Slurm requeued the job). Nodes that are down, or whose slurmd restarted
            # since, are why: count them against the nodes.
            for node in _failed_nodes(previous.get("nodes", []), since=previous["at"]):
                jobs.event(job_id, "node_failure", node=node, restart=restart - 1)
            jobs.event(job_id, "failure", at=last_mark, restart=restart - 1)
        jobs.event(job_id, "requeued", restart=restart)
    all_suspects = suspect_nodes(ctx)
    suspects = [n for n in all_suspects if n in nodes]
    if suspects:
        jobs.event(job_id, "slurm_attempt", restart=restart, nodes=nodes, slurm_job_id=slurm_id, excluded=True)
        jobs.event(job_id, "exclude", nodes=all_suspects, allocated=nodes)
        jobs.event(job_id, "attempt_end", why="excluded")
        ctx.log("job.exclude_nodes", job_id=job_id, nodes=all_suspects)
        print(f"aircluster: suspect node(s) {', '.join(suspects)} in the allocation: requeueing excluding them",
              file=sys.stderr, flush=True)
        _requeue_excluding(slurm_id, all_suspects)
        return EXIT_REQUEUED_AWAY
    jobs.event(job_id, "slurm_attempt", restart=restart, nodes=nodes, slurm_job_id=slurm_id)
    jobs.update(job_id, nodes_used=sorted(set(job.nodes_used) | set(nodes)), restarts=max(job.restarts, restart))
    if job.status in ("pending", "restarting"):
        jobs.set_status(job_id, "running")
    return 0


def _trainer_stopped_on_signal(job: Job, events: list[dict]) -> bool:
    """The trainer checkpointed and stopped on a signal during this attempt (torchrun exits 1 then, not 75):
    its metrics end with a `preempted` record at the step of this attempt's last checkpoint."""
    current, _, _ = _previous_attempt_end(events)  # attempt-end runs after this attempt's own record
    since = current["at"] if current else 0.0
    checkpoints = [e.get("step") for e in events if e["kind"] == "checkpoint" and e["at"] >= since]
    path = Path(job.run_dir) / "metrics.jsonl"
    if not checkpoints or not path.exists():
        return False
    with open(path, "rb") as f:
        f.seek(max(0, path.stat().st_size - 8192))
        tail = f.read().decode("utf-8", "replace").splitlines()
    for line in reversed(tail):
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if "event" in record:
            return record["event"] == "preempted" and record.get("step") == checkpoints[-1]
    return False


def _error_line(job: Job) -> str | None:
    """The last `error: ...` line the trainer printed in this job's Slurm output (e.g. a health failure)."""
    slurm_id = os.environ.get("SLURM_JOB_ID", "*")
    found = None
    for path in sorted((Path(job.run_dir) / "logs").glob(f"slurm-{slurm_id}.out")):
        for line in path.read_text(errors="replace").splitlines():
            if line.startswith("error: "):
                found = line.removeprefix("error: ").strip()
    return found


def node_check(ctx: Context) -> int:
    """Pre-flight this node (run on every node before torchrun): on a failure, record it, drain the node
    and exit with HealthCheckFailed's code; attempt-end then moves the job away from the node or stops it."""
    job_id = installation.job_id()
    assert job_id is not None
    jobs = Jobs(ctx.catalog)
    node = node_name()
    report = node_preflight(jobs.get(job_id).run_dir, ctx.paths.store, node=node)
    if report.ok:
        return 0
    restart = int(os.environ.get("SLURM_RESTART_COUNT", "0") or 0)
    for failure in report.failures:
        jobs.event(job_id, "preflight_failed", node=failure.node, check=failure.check, message=failure.message,
                   restart=restart)
    problem = drain_node(node, drain_reason(report.failures[0]))
    ctx.log("job.preflight_failed", job_id=job_id, node=node, checks=[f.check for f in report.failures])
    print(f"error: {failure_line(report.failures)}" + (f" (could not drain {node}: {problem})" if problem else ""),
          file=sys.stderr, flush=True)
    return HealthCheckFailed.exit_code


def _schedulable_nodes(slurm_id: str, excluded: list[str]) -> list[str]:
    """Nodes of the job's partition that are not drained, down or failed, nor in `excluded`: the nodes a
    requeued job could still get (busy ones included, and ones that missed a ping: a node that stays
    silent is soon down)."""
    shown = subprocess.run(["scontrol", "-o", "show", "job", slurm_id], capture_output=True, text=True).stdout
    partition = dict(t.split("=", 1) for t in shown.split() if "=" in t).get("Partition", "")
    proc = subprocess.run(["sinfo", "-h", "-N", *(["-p", partition] if partition else []), "-o", "%N %t"],
                          capture_output=True, text=True)
    usable = set()
    for line in proc.stdout.splitlines():
        name, _, state = line.partition(" ")
        if state.rstrip("*~#!%$@^-") in ("idle", "alloc", "mix", "comp"):
            usable.add(name)
    return sorted(usable - set(excluded))


def _end_on_preflight(ctx: Context, job: Job, events: list[dict], failed: list[dict], code: int,
                      max_restarts: int | None) -> int:
    """A node of this attempt failed its pre-flight (and drained itself). That is the node's problem, not
    the job's: requeue the job with the node in ExcNodeList while the restart budget lasts and enough nodes
    are left, else stop it, failed, saying which node failed which check."""
    from aircluster.cluster.launch import fail_on_preflight

    jobs = Jobs(ctx.catalog)
    nodes = sorted({e["node"] for e in failed})
    line = failure_line([Failure(e["node"], e["check"], e["message"]) for e in failed])
    _, _, last_mark = _previous_attempt_end(events)
    jobs.event(job.id, "attempt_end", exit_code=code, why="preflight", nodes=nodes)
    for node in nodes:
        jobs.event(job.id, "node_failure", node=node, cause="preflight")
    tries = 1 + sum(1 for e in events if e["kind"] == "attempt_end" and e.get("why") == "preflight")
    slurm_id = os.environ.get("SLURM_JOB_ID", "")
    excluded = sorted(set(nodes) | {n for e in events if e["kind"] == "exclude" for n in e.get("nodes", [])})
    if max_restarts is None or tries > max_restarts:
        note = f" ({tries} attempts failed their pre-flight; --max-restarts {max_restarts})" if tries > 1 else ""
        fail_on_preflight(ctx, job.id, line, code, note)
        return 0
    left = _schedulable_nodes(slurm_id, excluded)
    if len(left) < job.nodes:
        fail_on_preflight(ctx, job.id, line, code, f" (not requeued: {len(left)} usable node(s) left, {job.nodes} needed)")
        return 0
    jobs.event(job.id, "failure", at=last_mark, cause="preflight")
    jobs.event(job.id, "exclude", nodes=nodes, why="preflight")
    jobs.set_status(job.id, "restarting", message=f"pre-flight: {line}: requeued excluding {', '.join(nodes)}")
    print(f"aircluster: pre-flight failed on {', '.join(nodes)}: requeueing excluding them", file=sys.stderr, flush=True)
    _requeue_excluding(slurm_id, nodes)
    return EXIT_REQUEUED_AWAY


def attempt_end(ctx: Context, code: int, signalled: bool, max_restarts: int | None = None) -> int:
    """Record how this attempt ended; return EXIT_REQUEUE if the batch script should requeue the job, or
    EXIT_REQUEUED_AWAY if this hook requeued it away from nodes that failed their pre-flight."""
    from aircluster.cluster.launch import finish

    job_id = installation.job_id()
    assert job_id is not None
    jobs = Jobs(ctx.catalog)
    job = jobs.get(job_id)
    events = jobs.events(job_id)
    current, _, _ = _previous_attempt_end(events)
    since = current["at"] if current else 0.0
    failed_checks = [e for e in events if e["kind"] == "preflight_failed" and e["at"] >= since]
    if code != 0 and failed_checks:
        return _end_on_preflight(ctx, job, events, failed_checks, code, max_restarts)
    if code != 0 and (signalled or code == EXIT_PREEMPTED or _trainer_stopped_on_signal(job, events)):
        _, _, last_mark = _previous_attempt_end(events)
        jobs.event(job_id, "attempt_end", exit_code=code, why="preempted")
        jobs.event(job_id, "preempted", exit_code=code)
        # For ETTR the attempt stopped at its last checkpoint: the wait from there to training again is
        # restart overhead, not recomputation.
        jobs.event(job_id, "failure", at=last_mark, cause="preempted")
        jobs.set_status(job_id, "restarting", message="preempted: checkpointed, requeued")
        return EXIT_REQUEUE
    if code != 0:
        failed = _failed_nodes(_nodes_of_allocation())
        if failed:  # the step died with a node: requeue (Slurm may not have noticed yet)
            _, _, last_mark = _previous_attempt_end(events)
            jobs.event(job_id, "attempt_end", exit_code=code, why="node_failure")
            for node in failed:
                jobs.event(job_id, "node_failure", node=node)
            jobs.event(job_id, "failure", at=last_mark, cause="node_failure")
            jobs.set_status(job_id, "restarting", message=f"node(s) {', '.join(failed)} failed: requeued")
            return EXIT_REQUEUE
    jobs.event(job_id, "attempt_end", exit_code=code, why="exit")
    finish(ctx, job_id, code)
    if code != 0 and (error := _error_line(job)):
        jobs.update(job_id, message=f"trainer exited with code {code}: {error}")
    return 0


def main(argv: list[str] | None = None) -> int:
    from aircluster.context import open_context

    p = argparse.ArgumentParser(prog="python -m aircluster.cluster.slurm", description="hooks run by aircluster's sbatch script")
    sub = p.add_subparsers(dest="hook", required=True)
    sub.add_parser("attempt-start")
    sub.add_parser("node-check", help="pre-flight this node (run on every node before torchrun)")
    end = sub.add_parser("attempt-end")
    end.add_argument("--code", type=int, required=True)
    end.add_argument("--signalled", type=int, default=0, help="1 if the batch script got the preemption signal")
    end.add_argument("--max-restarts", type=int, default=None, help="requeues allowed after failed pre-flights")
    args = p.parse_args(argv)
    try:
        with open_context(housekeeping=False) as ctx:
            if args.hook == "attempt-start":
                return attempt_start(ctx)
            if args.hook == "node-check":
                return node_check(ctx)
            return attempt_end(ctx, args.code, bool(args.signalled), args.max_restarts)
    except AirclusterError as err:
        print(f"aircluster: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())

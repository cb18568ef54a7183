"""The hooks aircluster's sbatch script runs inside the allocation (see slurm_submit.py for the whole
picture): attempt-start on the first node, node-check on every node, attempt-end after the step.

    python -m aircluster.cluster.slurm_hooks attempt-start | node-check | attempt-end --code N --signalled 0|1
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from aircluster import installation
from aircluster.catalog.jobs import Job
from aircluster.client.jobs import RemoteJobs
from aircluster.cluster.request import store_dir
from aircluster.cluster.slurm_nodes import failed_nodes, nodes_of_allocation, suspect_nodes
from aircluster.cluster.slurm_submit import EXIT_REQUEUE, EXIT_REQUEUED_AWAY
from aircluster.errors import EXIT_PREEMPTED, AirclusterError
from aircluster.jobs.health import (
    Failure,
    HealthCheckFailed,
    drain_node,
    drain_reason,
    failure_line,
    node_name,
    node_preflight,
)


def _previous_attempt_end(events: list[dict]) -> tuple[dict | None, bool, float | None]:
    """The previous attempt's `slurm_attempt` event, whether attempt-end recorded its end, and the time of
    its last training event (where a failure that left no record happened, as far as we can tell)."""
    attempts = [i for i, e in enumerate(events) if e["kind"] == "slurm_attempt"]
    if not attempts:
        return None, False, None
    i = attempts[-1]
    later = events[i + 1 :]
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
        done = subprocess.run(
            ["scontrol", "update", f"JobId={slurm_id}", f"ExcNodeList={','.join(nodes)}"], capture_output=True, text=True
        )
        if done.returncode == 0 or time.time() > deadline:
            return
        time.sleep(0.2)


def attempt_start(jobs: RemoteJobs) -> int:
    job_id = installation.job_id()
    assert job_id is not None
    job = jobs.get(job_id)
    slurm_id = os.environ.get("SLURM_JOB_ID", "")
    nodes = nodes_of_allocation()
    restart = int(os.environ.get("SLURM_RESTART_COUNT", "0") or 0)
    if restart > 0:
        events = jobs.events(job_id)
        previous, ended, last_mark = _previous_attempt_end(events)
        if previous is not None and not ended:
            # The previous attempt ended without its end hook: its batch script was killed (a node died
            # under it, or Slurm requeued the job). Nodes that are down, or whose slurmd restarted
            # since, are why: count them against the nodes.
            for node in failed_nodes(previous.get("nodes", []), since=previous["at"]):
                jobs.event(job_id, "node_failure", node=node, restart=restart - 1)
            jobs.event(job_id, "failure", at=last_mark, restart=restart - 1)
        jobs.event(job_id, "requeued", restart=restart)
    all_suspects = suspect_nodes(jobs)
    suspects = [n for n in all_suspects if n in nodes]
    if suspects:
        jobs.event(job_id, "slurm_attempt", restart=restart, nodes=nodes, slurm_job_id=slurm_id, excluded=True)
        jobs.event(job_id, "exclude", nodes=all_suspects, allocated=nodes)
        jobs.event(job_id, "attempt_end", why="excluded")
        print(
            f"aircluster: suspect node(s) {', '.join(suspects)} in the allocation: requeueing excluding them",
            file=sys.stderr,
            flush=True,
        )
        _requeue_excluding(slurm_id, all_suspects)
        return EXIT_REQUEUED_AWAY
    jobs.event(job_id, "slurm_attempt", restart=restart, nodes=nodes, slurm_job_id=slurm_id)
    # The server checks the Slurm id with Slurm (this allocation is the owner's) and takes the nodes from it.
    jobs.update(
        job_id, slurm_job_id=slurm_id, nodes_used=sorted(set(job.nodes_used) | set(nodes)), restarts=max(job.restarts, restart)
    )
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


def node_check(jobs: RemoteJobs) -> int:
    """Pre-flight this node (run on every node before torchrun): on a failure, record it, drain the node
    and exit with HealthCheckFailed's code; attempt-end then moves the job away from the node or stops it."""
    job_id = installation.job_id()
    assert job_id is not None
    node = node_name()
    report = node_preflight(jobs.get(job_id).run_dir, store_dir(), node=node)
    if report.ok:
        return 0
    restart = int(os.environ.get("SLURM_RESTART_COUNT", "0") or 0)
    for failure in report.failures:
        jobs.event(job_id, "preflight_failed", node=failure.node, check=failure.check, message=failure.message, restart=restart)
    problem = drain_node(node, drain_reason(report.failures[0].check, report.failures[0].message))
    print(
        f"error: {failure_line(report.failures)}" + (f" (could not drain {node}: {problem})" if problem else ""),
        file=sys.stderr,
        flush=True,
    )
    return HealthCheckFailed.exit_code


def _schedulable_nodes(slurm_id: str, excluded: list[str]) -> list[str]:
    """Nodes of the job's partition that are not drained, down or failed, nor in `excluded`: the nodes a
    requeued job could still get (busy ones included, and ones that missed a ping: a node that stays
    silent is soon down)."""
    shown = subprocess.run(["scontrol", "-o", "show", "job", slurm_id], capture_output=True, text=True).stdout
    partition = dict(t.split("=", 1) for t in shown.split() if "=" in t).get("Partition", "")
    proc = subprocess.run(
        ["sinfo", "-h", "-N", *(["-p", partition] if partition else []), "-o", "%N %t"], capture_output=True, text=True
    )
    usable = set()
    for line in proc.stdout.splitlines():
        name, _, state = line.partition(" ")
        if state.rstrip("*~#!%$@^-") in ("idle", "alloc", "mix", "comp"):
            usable.add(name)
    return sorted(usable - set(excluded))


def _end_on_preflight(
    jobs: RemoteJobs, job: Job, events: list[dict], failed: list[dict], code: int, max_restarts: int | None
) -> int:
    """A node of this attempt failed its pre-flight (and drained itself). That is the node's problem, not
    the job's: requeue the job with the node in ExcNodeList while the restart budget lasts and enough nodes
    are left, else stop it, failed, saying which node failed which check."""
    from aircluster.cluster.request import fail_on_preflight

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
        fail_on_preflight(jobs, job.id, line, code, note)
        return 0
    left = _schedulable_nodes(slurm_id, excluded)
    if len(left) < job.nodes:
        fail_on_preflight(jobs, job.id, line, code, f" (not requeued: {len(left)} usable node(s) left, {job.nodes} needed)")
        return 0
    jobs.event(job.id, "failure", at=last_mark, cause="preflight")
    jobs.event(job.id, "exclude", nodes=nodes, why="preflight")
    jobs.set_status(job.id, "restarting", message=f"pre-flight: {line}: requeued excluding {', '.join(nodes)}")
    print(f"aircluster: pre-flight failed on {', '.join(nodes)}: requeueing excluding them", file=sys.stderr, flush=True)
    _requeue_excluding(slurm_id, nodes)
    return EXIT_REQUEUED_AWAY


def attempt_end(jobs: RemoteJobs, code: int, signalled: bool, max_restarts: int | None = None) -> int:
    """Record how this attempt ended; return EXIT_REQUEUE if the batch script should requeue the job, or
    EXIT_REQUEUED_AWAY if this hook requeued it away from nodes that failed their pre-flight."""
    from aircluster.cluster.request import finish

    job_id = installation.job_id()
    assert job_id is not None
    job = jobs.get(job_id)
    events = jobs.events(job_id)
    current, _, _ = _previous_attempt_end(events)
    since = current["at"] if current else 0.0
    failed_checks = [e for e in events if e["kind"] == "preflight_failed" and e["at"] >= since]
    if code != 0 and failed_checks:
        return _end_on_preflight(jobs, job, events, failed_checks, code, max_restarts)
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
        failed = failed_nodes(nodes_of_allocation())
        if failed:  # the step died with a node: requeue (Slurm may not have noticed yet)
            _, _, last_mark = _previous_attempt_end(events)
            jobs.event(job_id, "attempt_end", exit_code=code, why="node_failure")
            for node in failed:
                jobs.event(job_id, "node_failure", node=node)
            jobs.event(job_id, "failure", at=last_mark, cause="node_failure")
            jobs.set_status(job_id, "restarting", message=f"node(s) {', '.join(failed)} failed: requeued")
            return EXIT_REQUEUE
    jobs.event(job_id, "attempt_end", exit_code=code, why="exit")
    error = _error_line(job) if code != 0 else None
    finish(jobs, job_id, code, f"trainer exited with code {code}: {error}" if error else None)
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m aircluster.cluster.slurm_hooks", description="hooks run by aircluster's sbatch script"
    )
    sub = p.add_subparsers(dest="hook", required=True)
    sub.add_parser("attempt-start")
    sub.add_parser("node-check", help="pre-flight this node (run on every node before torchrun)")
    end = sub.add_parser("attempt-end")
    end.add_argument("--code", type=int, required=True)
    end.add_argument("--signalled", type=int, default=0, help="1 if the batch script got the preemption signal")
    end.add_argument("--max-restarts", type=int, default=None, help="requeues allowed after failed pre-flights")
    args = p.parse_args(argv)
    try:
        # The job's own process: the server checks its account (kernel or MUNGE) and the job's token.
        with RemoteJobs.connect() as jobs:
            if args.hook == "attempt-start":
                return attempt_start(jobs)
            if args.hook == "node-check":
                return node_check(jobs)
            return attempt_end(jobs, args.code, bool(args.signalled), args.max_restarts)
    except AirclusterError as err:
        print(f"aircluster: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())

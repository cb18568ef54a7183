"""Recovery time after a fault, on the emulated Slurm cluster: seconds from the fault to training again.

    .venv/bin/python bench/failures.py [--runs 3] [--faults killed-process,dead-node,scontrol-down,preemption]

For each fault and run: submit a tiny 2-node x 1-process FSDP2 job (`aircluster train --backend slurm`),
wait for the checkpoint of step 10, inject the fault, and measure from the fault to the first training
event of the attempt that resumed (the trainer records `attempt` when its loop starts). Prints a table
of medians (and every run). It brings its own cluster up and down with scripts/slurm-local.sh, in a
fresh state directory on free ports, so it does not touch a cluster someone else runs.

Faults:
  killed-process  SIGKILL one trainer process (rank 1): torchrun restarts the group, no Slurm involved
  dead-node       scripts/slurm-local.sh kill-node (slurmd, slurmstepd and the job's processes on it)
  scontrol-down   an operator's `scontrol update nodename=... state=down`
  preemption      `scancel --signal=USR1 --batch` (what Slurm sends before the time limit or a preemption)
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SLURM_LOCAL = REPO / "scripts" / "slurm-local.sh"
FAULTS = ("killed-process", "dead-node", "scontrol-down", "preemption")
TARGETS = {"killed-process": 10, "dead-node": 60, "scontrol-down": 60, "preemption": 30}
TRAIN_ARGS = [
    str(REPO / "configs" / "lm-tiny.toml"),
    "train.steps=40",
    "train.deterministic=true",
    "train.val_every=0",
    "checkpoint.every_steps=5",
    "checkpoint.keep=2",
    "metrics.progress=false",
]


def run(argv: list[str], env: dict[str, str], timeout: float = 120, check: bool = True) -> str:
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {proc.returncode}: {proc.stderr.strip()[-2000:]}")
    return proc.stdout


def free_port_block(count: int, start: int = 31000) -> int:
    for base in range(start, start + 5000, count + 1):
        try:
            for port in range(base, base + count):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise RuntimeError("no free ports")


def wait(what: str, probe, timeout: float, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        got = probe()
        if got:
            return got
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


def node_state(env: dict[str, str], node: str) -> str:
    return run(["sinfo", "-h", "-n", node, "-o", "%t"], env).strip()


def trainer_pid(job_id: str, rank: int) -> int | None:
    import psutil

    for proc in psutil.process_iter(["cmdline"]):
        try:
            cmd = " ".join(proc.info["cmdline"] or [])
            if "aircluster.train.trainer" in cmd and "torch.distributed.run" not in cmd:
                env = proc.environ()
                if env.get("AIRCLUSTER_JOB_ID") == job_id and env.get("RANK") == str(rank):
                    return proc.pid
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    return None


def one_run(fault: str, cluster_env: dict[str, str], workdir: Path) -> dict:
    from aircluster.catalog import Catalog
    from aircluster.catalog.jobs import Jobs

    home = Path(tempfile.mkdtemp(prefix=f"{fault}-", dir=workdir))
    env = {**cluster_env, "AIRCLUSTER_HOME": str(home)}
    env.pop("AIRCLUSTER_JOB_ID", None)
    aircluster = [sys.executable, "-m", "aircluster.cli"]
    run([*aircluster, "init"], env)
    job = json.loads(
        run(
            [
                *aircluster,
                "train",
                *TRAIN_ARGS,
                "--backend",
                "slurm",
                "--nodes",
                "2",
                "--procs-per-node",
                "1",
                "--detach",
                "--json",
            ],
            env,
        )
    )
    job_id, slurm_id = job["id"], job["slurm_job_id"]
    jobs = Jobs(Catalog(home / "server" / "catalog.db"))
    restore: list[list[str]] = []
    try:
        wait(
            "the checkpoint of step 10",
            lambda: any(e["kind"] == "checkpoint" and e["step"] >= 10 for e in jobs.events(job_id)),
            180,
        )
        nodes = run(
            ["scontrol", "show", "hostnames", run(["squeue", "-h", "-j", slurm_id, "-o", "%N"], env).strip()], env
        ).split()
        victim = nodes[1]
        at = time.time()
        if fault == "killed-process":
            pid = trainer_pid(job_id, rank=1)
            if pid is None:
                raise RuntimeError("rank 1 trainer not found")
            at = time.time()
            os.kill(pid, signal.SIGKILL)
        elif fault == "dead-node":
            run([str(SLURM_LOCAL), "kill-node", victim], env)
            restore.append([str(SLURM_LOCAL), "revive-node", victim])
        elif fault == "scontrol-down":
            run(["scontrol", "update", f"nodename={victim}", "state=down", "reason=bench"], env)
            restore.append(["scontrol", "update", f"nodename={victim}", "state=resume"])
        elif fault == "preemption":
            run(["scancel", "--signal=USR1", "--batch", slurm_id], env)
        again = wait(
            "training again", lambda: next((e for e in jobs.events(job_id) if e["kind"] == "attempt" and e["at"] > at), None), 240
        )
        wait("the job to end", lambda: jobs.get(job_id).status in ("completed", "failed", "cancelled"), 240, 1.0)
        status = jobs.get(job_id).status
        return {
            "fault": fault,
            "seconds": again["at"] - at,
            "resumed_from": again["step"],
            "status": status,
            "node": victim if fault in ("dead-node", "scontrol-down") else None,
        }
    finally:
        run(["scancel", slurm_id], env, check=False)
        for argv in restore:
            run(argv, env, check=False)
        for node in {n for argv in restore for n in argv if n.startswith("node")} | {
            a.split("=", 1)[1] for argv in restore for a in argv if a.startswith("nodename=")
        }:
            try:
                wait(f"{node} idle", lambda: node_state(env, node) == "idle", 90, 0.5)
            except TimeoutError as err:
                print(f"warning: {err}", file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--faults", default=",".join(FAULTS))
    parser.add_argument("--json", action="store_true", help="print every run as JSON too")
    args = parser.parse_args()
    faults = [f for f in args.faults.split(",") if f]
    unknown = [f for f in faults if f not in FAULTS]
    if unknown:
        parser.error(f"unknown fault(s) {unknown}: choose from {', '.join(FAULTS)}")
    sys.path.insert(0, str(REPO))
    workdir = Path(tempfile.mkdtemp(prefix="aircluster-bench-failures-"))
    env = {
        **os.environ,
        "AIRCLUSTER_SLURM_DIR": str(workdir / "slurm"),
        "AIRCLUSTER_SLURM_PORT": str(free_port_block(5)),
        "AIRCLUSTER_SLURM_NODES": "4",
    }
    for line in run([str(SLURM_LOCAL), "env"], env).splitlines():
        name, value = line.removeprefix("export ").split("=", 1)
        env[name] = value
    results: list[dict] = []
    try:
        run([str(SLURM_LOCAL), "up"], env, timeout=180)
        for fault in faults:
            for i in range(args.runs):
                try:
                    r = one_run(fault, env, workdir)
                except Exception as err:  # report the failed run and go on with the others
                    r = {"fault": fault, "seconds": None, "status": f"error: {err}"}
                results.append(r)
                print(f"{fault} run {i + 1}: {r}", file=sys.stderr, flush=True)
    finally:
        run([str(SLURM_LOCAL), "down", "--purge"], env, check=False, timeout=120)
    print(f"\n{'fault':<16} {'median s':>9} {'target s':>9}  runs (s)")
    for fault in faults:
        secs = [r["seconds"] for r in results if r["fault"] == fault and r["seconds"] is not None and r["status"] == "completed"]
        median = f"{statistics.median(secs):9.1f}" if secs else f"{'-':>9}"
        failed = sum(1 for r in results if r["fault"] == fault and r["status"] != "completed")
        print(
            f"{fault:<16} {median} {TARGETS[fault]:>9}  {', '.join(f'{s:.1f}' for s in secs)}"
            + (f"  ({failed} run(s) did not complete)" if failed else "")
        )
    if args.json:
        print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

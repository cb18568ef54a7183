"""`aircluster train`, `aircluster jobs ...` and `aircluster health`: the trainer, the launcher and node checks."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from aircluster.catalog.jobs import FINAL
from aircluster.cli.output import emit_json, table, when
from aircluster.client.jobs import RemoteJobs
from aircluster.errors import UsageError


def cmd_train(args: argparse.Namespace) -> int:
    from aircluster.cluster.launch import launch
    from aircluster.cluster.request import LaunchRequest

    bad = [o for o in args.overrides if "=" not in o]
    if bad:
        raise UsageError(f"{bad[0]!r} is not a key=value override (e.g. train.steps=100)")
    req = LaunchRequest(
        config_path=args.config,
        overrides=list(args.overrides),
        backend=args.backend,
        nodes=args.nodes,
        procs_per_node=args.procs_per_node,
        max_restarts=args.max_restarts,
        partition=args.partition,
        time_limit=args.time,
        requeue=not args.no_requeue,
        detach=args.detach,
        exclude=[n for n in (args.exclude or "").split(",") if n],
    )

    def created(job) -> None:
        if not args.json:
            print(
                f"job {job.id}: {req.backend}, {req.nodes} node(s) x {req.procs_per_node} process(es); run dir {job.run_dir}",
                file=sys.stderr,
            )

    job, code = launch(req, echo=not args.json, on_created=created)
    with RemoteJobs.connect() as jobs:
        doc = jobs.describe(job.id)
    if args.json:
        emit_json(doc)
    else:
        print(
            f"job {doc['id']}: {doc['status']}"
            + (f" ({doc['message']})" if doc.get("message") else "")
            + (f"; ETTR {doc['ettr']['ettr']:.3f}" if doc.get("ettr", {}).get("ettr") is not None else "")
        )
    return 0 if code == 0 else 1


def cmd_jobs_ls(args: argparse.Namespace) -> int:
    with RemoteJobs.connect() as server:
        jobs = server.list(limit=args.limit, everyone=args.all)
    if args.json:
        emit_json([j.to_dict() for j in jobs])
        return 0
    if not jobs:
        print("no jobs yet: `aircluster train CONFIG`")
        return 0
    table(
        None,
        ["job", "status", "backend", "nodes x procs", "restarts", "principal", "created", "slurm id"],
        [
            [
                j.id,
                j.status,
                j.backend,
                f"{j.nodes} x {j.procs_per_node}",
                j.restarts,
                j.principal,
                when(j.created_at),
                j.slurm_job_id or "-",
            ]
            for j in jobs
        ],
    )
    return 0


def cmd_jobs_show(args: argparse.Namespace) -> int:
    with RemoteJobs.connect() as jobs:
        doc = jobs.describe(args.id)
    if args.json:
        emit_json(doc)
        return 0
    print(f"job {doc['id']}: {doc['status']}" + (f" ({doc['message']})" if doc.get("message") else ""))
    print(
        f"  principal {doc['principal']}, backend {doc['backend']}"
        + (f" (Slurm job {doc['slurm_job_id']})" if doc["slurm_job_id"] else "")
    )
    print(
        f"  {doc['nodes']} node(s) x {doc['procs_per_node']} process(es); "
        f"nodes used: {', '.join(doc['nodes_used']) or '-'}; restarts {doc['restarts']}"
    )
    print(f"  datasets: {', '.join(d['ref'] for d in doc['datasets']) or 'synthetic'}")
    print(f"  run dir {doc['run_dir']}")
    print(f"  created {when(doc['created_at'])}, started {when(doc['started_at'])}, ended {when(doc['ended_at'])}")
    e = doc.get("ettr") or {}
    if e.get("ettr") is not None:
        print(
            f"  ETTR {e['ettr']:.3f}: productive {e['productive_s']:.1f} s of {e['eligible_s']:.1f} s eligible; "
            f"lost to restarts {e['lost_restart_s']:.1f} s, to recomputation {e['lost_recompute_s']:.1f} s"
        )
    steps = [ev for ev in doc["events"] if ev["kind"] == "step"]
    print(f"  timeline ({len(steps)} progress events not shown; see --json):")
    for ev in doc["events"]:
        if ev["kind"] == "step":
            continue
        extra = " ".join(f"{k}={v}" for k, v in ev.items() if k not in ("at", "kind"))
        print(f"    {when(ev['at'])} {ev['kind']} {extra}")
    return 0


def cmd_jobs_logs(args: argparse.Namespace) -> int:
    with RemoteJobs.connect() as jobs:
        job = jobs.get(args.id)
        logs = Path(job.run_dir) / "logs"
        offsets: dict[Path, int] = {}
        while True:
            for path in sorted(logs.glob("*")) if logs.exists() else []:
                if not path.is_file():
                    continue
                start = offsets.get(path, 0)
                with open(path, "rb") as f:
                    f.seek(start)
                    chunk = f.read()
                if chunk:
                    if len(offsets) > 1 or start == 0:
                        sys.stdout.write(f"==> {path.name} <==\n")
                    sys.stdout.buffer.write(chunk)
                    sys.stdout.flush()
                offsets[path] = start + len(chunk)
            if not args.follow or jobs.get(args.id).status in FINAL:
                return 0
            time.sleep(1)


def cmd_jobs_cancel(args: argparse.Namespace) -> int:
    from aircluster.cluster.request import cancel

    with RemoteJobs.connect() as jobs:
        job = cancel(jobs, args.id)
    if args.json:
        emit_json(job.to_dict())
    else:
        print(f"job {job.id}: cancelled")
    return 0


def cmd_health(args: argparse.Namespace) -> int:
    import os

    from aircluster import installation
    from aircluster.jobs.health import run_health_checks

    paths = installation.paths()
    procs = args.allreduce_procs or min(2, os.cpu_count() or 1)
    report = run_health_checks(
        checkpoint_dir=paths.runs if paths.runs.exists() else paths.home,
        store_dir=paths.store,
        local_processes=procs if procs > 1 else None,
    )
    if args.json:
        emit_json(report.to_dict())
    else:
        table(None, ["node", "check", "status", "result"], [[r.node, r.check, r.status, r.message] for r in report.results])
        print("healthy" if report.ok else "UNHEALTHY: " + "; ".join(str(f) for f in report.failures))
    return 0 if report.ok else 1


def register(sub, cmd) -> None:
    """`key=value` overrides may stand before or after the options (main() gathers the ones after)."""
    tr = cmd(sub, "train", cmd_train, "train a model: locally with torchrun, or on Slurm across nodes")
    tr.add_argument("config", metavar="CONFIG.toml")
    tr.add_argument("overrides", nargs="*", metavar="key=value")
    tr.add_argument("--backend", choices=["local", "slurm"], default="local")
    tr.add_argument("--nodes", type=int, default=1)
    tr.add_argument("--procs-per-node", type=int, default=1)
    tr.add_argument("--max-restarts", type=int, default=3, help="group restarts after a failed process (torchrun)")
    tr.add_argument("--partition")
    tr.add_argument("--time", help="Slurm time limit, e.g. 01:00:00")
    tr.add_argument("--exclude", help="Slurm nodes to avoid, comma-separated")
    tr.add_argument("--no-requeue", action="store_true", help="Slurm: do not requeue after a node failure")
    tr.add_argument("--detach", action="store_true", help="Slurm: submit and return")

    jobs = sub.add_parser("jobs", help="training jobs: ls, show, logs, cancel").add_subparsers(
        dest="command", required=True, metavar="COMMAND"
    )
    ls = cmd(jobs, "ls", cmd_jobs_ls, "list your jobs (an admin: --all for everyone's)")
    ls.add_argument("--all", action="store_true", help="every user's jobs (admins only)")
    ls.add_argument("--limit", type=int, default=50, help="at most this many, newest first")
    cmd(jobs, "show", cmd_jobs_show, "a job's record, timeline and ETTR").add_argument("id")
    lg = cmd(jobs, "logs", cmd_jobs_logs, "print a job's logs", json_flag=False)
    lg.add_argument("id")
    lg.add_argument("--follow", "-f", action="store_true")
    cmd(jobs, "cancel", cmd_jobs_cancel, "cancel a job").add_argument("id")

    h = cmd(sub, "health", cmd_health, "node health checks: devices, memory, disk, store, key service, all-reduce bandwidth")
    h.add_argument("--allreduce-procs", type=int, default=0, help="local gloo processes for the all-reduce test (default: 2)")

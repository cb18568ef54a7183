"""Audit log speed: appends (entry + signed head, both fsynced) and `verify` over logs of growing size.

An append rereads nothing but the head (its compact range), so its cost should not grow with the log;
verify recomputes the whole tree and a consistency proof, so it grows linearly. Large logs are made by
writing entries directly and letting the log adopt them (what `aircluster init` does for a log from
before signed heads), then timed through the public API.

    PYTHONPATH=$PWD python bench/audit.py [--sizes 1000,10000,100000] [--appends 200] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import median, print_table  # noqa: E402

from aircluster.security.audit import AuditLog  # noqa: E402
from aircluster.security.audit_check import canonical  # noqa: E402
from aircluster.security.witness import Witness  # noqa: E402


def make_log(root: Path, size: int) -> AuditLog:
    (root / "audit").mkdir(parents=True)
    (root / "keys").mkdir(mode=0o700)
    lines = (
        canonical(
            {
                "seq": i,
                "time": "2026-12-04T00:00:00.000Z",
                "principal": "bench",
                "action": "keys.release",
                "dataset": "posts",
                "version": 1,
                "shards": 16,
                "job_id": f"job-{i % 97}",
            }
        )
        + b"\n"
        for i in range(1, size + 1)
    )
    (root / "audit" / "audit.log").write_bytes(b"".join(lines))
    log = AuditLog(
        root / "audit" / "audit.log",
        root / "audit" / "log.head",
        root / "audit" / "log.pub",
        root / "keys" / "audit-signing.key",
        Witness(root / "witness"),
    )
    log.create()
    return log


def time_appends(log: AuditLog, n: int) -> float:
    """Median milliseconds per append."""
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        log.append("keys.release", "bench", dataset="posts", version=1, shards=16, n=i)
        times.append((time.perf_counter() - t0) * 1000)
    return median(times)


def time_verify(log: AuditLog) -> float:
    t0 = time.perf_counter()
    result = log.verify()
    elapsed = (time.perf_counter() - t0) * 1000
    assert result.ok, result.problem
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description="Audit log speed: appends and verify by log size")
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--appends", type=int, default=200)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        appends, first, later = [], [], []
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as tmp:
                log = make_log(Path(tmp), size)
                first.append(time_verify(log))  # first use: tree, no consistency proof
                appends.append(time_appends(log, args.appends))
                later.append(time_verify(log))  # against the head seen: tree + consistency proof
        rows.append([f"{size:,}", median(appends), 1000 / median(appends), median(first), median(later)])
    print_table(
        ["entries", "append ms (p50)", "appends/s", "verify ms, first use", "verify ms, vs seen head"],
        rows,
        title=f"audit log: {args.appends} appends per run, median of {args.runs} runs",
        digits=2,
    )
    print(json.dumps({"rows": rows}))


if __name__ == "__main__":
    main()

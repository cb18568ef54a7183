"""Where an import with the privacy review spends its time, process by process: the importing process, the scan
workers' fork server and each scan worker, sampled from /proc every 10 ms while one import runs.

    PYTHONPATH=$PWD /work/main/.venv/bin/python bench/import_timeline.py FILE [--warm FILE] [--workers 2] [--bin 0.5]

Per process: CPU seconds, CPU over the import's wall time, and the share of samples in which it was runnable (R:
running or waiting for a core) or asleep (S/D: waiting for work or I/O). A scan worker that is runnable nearly all
the time is kept busy; if its CPU share is still below 1, the cores went to other processes (a shared machine:
compare the load average printed first). With --bin, the CPU of each process per interval. With --warm FILE,
FILE is imported first in the same process (untimed), as the server runs its imports.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def stat(pid: int) -> tuple[str, int, float] | None:
    """(state, parent pid, CPU seconds) of `pid`, or None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return fields[0], int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


class Sampler:
    """Samples this process and its descendants: the fork server, and the workers it forks."""

    def __init__(self) -> None:
        self.me = os.getpid()
        self.roles: dict[int, str] = {self.me: "importer"}
        self.samples: list[tuple[float, dict[int, tuple[str, float]]]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _discover(self) -> None:
        parents = {pid: s[1] for pid in map(int, filter(str.isdigit, os.listdir("/proc"))) if (s := stat(pid))}
        server = next((p for p, r in self.roles.items() if r == "fork server"), None)
        for pid, ppid in sorted(parents.items()):
            if pid in self.roles:
                continue
            if ppid == self.me and b"multiprocessing.forkserver" in cmdline(pid):
                self.roles[pid] = "fork server"
                server = pid
            elif server is not None and ppid == server:
                self.roles[pid] = f"worker {sum(r.startswith('worker') for r in self.roles.values()) + 1}"

    def _run(self) -> None:
        last_discovery = 0.0
        while not self._stop.is_set():
            now = time.perf_counter()
            if now - last_discovery > 0.1:
                self._discover()
                last_discovery = now
            seen = {pid: (s[0], s[2]) for pid in self.roles if (s := stat(pid)) is not None}
            self.samples.append((now, seen))
            time.sleep(0.01)

    def __enter__(self) -> Sampler:
        self.start = time.perf_counter()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.end = time.perf_counter()
        self._stop.set()
        self._thread.join()

    def summary(self) -> list[dict]:
        rows = []
        for pid, role in self.roles.items():
            mine = [(t, s) for t, seen in self.samples if (s := seen.get(pid)) is not None]
            if len(mine) < 2:
                continue
            cpu = mine[-1][1][1] - mine[0][1][1]
            states = [s[0] for _, s in mine]
            rows.append(
                {
                    "process": role,
                    "pid": pid,
                    "cpu_seconds": round(cpu, 2),
                    "cpu_share": round(cpu / (self.end - self.start), 3),
                    "runnable": round(states.count("R") / len(states), 3),
                    "asleep": round(sum(s in ("S", "D") for s in states) / len(states), 3),
                }
            )
        return rows

    def bins(self, width: float) -> tuple[list[str], list[list[float]]]:
        names = list(self.roles.values())
        count = int((self.end - self.start) / width) + 1
        out = [[0.0] * len(names) for _ in range(count)]
        last: dict[int, float] = {}
        for t, seen in self.samples:
            b = min(count - 1, int((t - self.start) / width))
            for pid, (_, cpu) in seen.items():
                if pid in last:
                    out[b][names.index(self.roles[pid])] += (cpu - last[pid]) / width
                last[pid] = cpu
        return names, out


def main() -> None:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("file", help="the input to import (a JSON Lines file, an image folder, ...)")
    p.add_argument("--warm", metavar="FILE", help="import FILE first in this process (untimed): a warm fork server")
    p.add_argument("--workers", type=int, default=2, help="scan worker processes")
    p.add_argument("--bin", type=float, help="also print each process's CPU per interval of this many seconds")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = p.parse_args()
    if not Path(args.file).exists() or (args.warm and not Path(args.warm).exists()):
        sys.exit(f"import_timeline.py: no such input: {args.file if not Path(args.file).exists() else args.warm}")
    home = Path(tempfile.mkdtemp(prefix="import-timeline-"))
    os.environ["AIRCLUSTER_HOME"] = str(home)
    os.environ.setdefault("AIRCLUSTER_USER", "bench-importer")
    from aircluster.context import init
    from aircluster.privacy.review.gate import review_hook
    from aircluster.store.ingest import ImportOptions, import_dataset

    load = os.getloadavg()
    try:
        with init() as ctx:
            if args.warm:
                import_dataset(ctx, "warm-up", [args.warm], ImportOptions(), review=review_hook(ctx, workers=args.workers))
            review = review_hook(ctx, workers=args.workers)
            with Sampler() as sampler:
                result = import_dataset(ctx, "timed", [args.file], ImportOptions(), review=review)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    wall = sampler.end - sampler.start
    rows = sampler.summary()
    if args.json:
        print(json.dumps({"file": args.file, "warm": bool(args.warm), "seconds": wall, "load": load, "processes": rows}))
        return
    source = Path(args.file)
    size = sum(f.stat().st_size for f in source.rglob("*") if f.is_file()) if source.is_dir() else source.stat().st_size
    print(f"{args.file}: {result.records} records, {wall:.2f} s, {size / 1e6 / wall:.3f} MB/s; load before {load[0]:.2f}")
    print(f"{'process':<12}{'cpu s':>8}{'cpu/wall':>10}{'runnable':>10}{'asleep':>8}")
    for r in rows:
        print(f"{r['process']:<12}{r['cpu_seconds']:8.2f}{r['cpu_share']:10.3f}{r['runnable']:10.3f}{r['asleep']:8.3f}")
    if args.bin:
        names, out = sampler.bins(args.bin)
        print("\n" + f"{'t (s)':>6}  " + "".join(f"{n:>12}" for n in names))
        for i, row in enumerate(out):
            print(f"{i * args.bin:6.2f}  " + "".join(f"{v:12.2f}" for v in row))


if __name__ == "__main__":
    main()

"""Benchmark: what the hostile-input checks cost the store path, side by side with a tree that lacks them.

    .venv/bin/python bench/input_checks.py --base /path/to/older/checkout [--runs 3] [--flat-mb 100] [--nested-mb 60]

e.g. `mkdir /tmp/base && git archive 744faa4 | tar -x -C /tmp/base` (the commit before the checks), `--base /tmp/base`.

Imports the same generated JSON Lines files with `import_dataset(..., review=None)` (the store alone: no
privacy scan, which would hide the difference) in a fresh subprocess per run, once with this tree's
package on PYTHONPATH and once with the base tree's, interleaved so machine load hits both alike. Two
files (cached under --work, never in the repository): flat user posts (bench/import.py's generator) and
records nested three levels deep with 19-digit ids (the slower path of the checks: such lines are
scanned as text). Prints MiB/s medians over --runs and the ratio this tree / base.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import load_average, median, print_table  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, sys, time
import aircluster.store.ingest as ingest
from aircluster.context import init
with init() as ctx:
    start = time.perf_counter()
    result = ingest.import_dataset(ctx, "bench", [sys.argv[1]], ingest.ImportOptions(), review=None)
    print(json.dumps({"seconds": time.perf_counter() - start, "records": result.records, "module": ingest.__file__}))
"""


def nested_file(path: Path, size_mb: int) -> Path:
    if path.exists():
        return path
    rng = random.Random(0)
    with open(path, "w") as f:
        while f.tell() < size_mb << 20:
            history = [{"at": rng.randrange(10**9), "by": f"u{rng.randrange(999)}"} for _ in range(3)]
            meta = {
                "tags": [f"t{rng.randrange(99)}" for _ in range(5)],
                "geo": {"lat": rng.random(), "lon": rng.random()},
                "history": history,
            }
            f.write(
                json.dumps({"id": rng.randrange(1 << 62), "text": "lorem ipsum dolor " * rng.randint(2, 20), "meta": meta}) + "\n"
            )
    return path


def run_once(tree: Path, source: Path, work: Path) -> tuple[float, int]:
    home = work / "home"
    shutil.rmtree(home, ignore_errors=True)
    env = dict(os.environ, PYTHONPATH=str(tree), AIRCLUSTER_HOME=str(home), AIRCLUSTER_USER="bench")
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(source)], env=env, cwd=work, capture_output=True, text=True, check=True
    )
    out = json.loads(proc.stdout)
    if not out["module"].startswith(str(tree)):
        sys.exit(f"{tree} was not the package imported ({out['module']}): is the package installed elsewhere first?")
    return source.stat().st_size / (1 << 20) / out["seconds"], out["records"]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--base", required=True, help="a checkout of the commit to compare with")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--flat-mb", type=int, default=100)
    p.add_argument("--nested-mb", type=int, default=60)
    p.add_argument("--work", default="/tmp/aircluster-bench-input-checks")
    args = p.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    from importlib import import_module

    generate = import_module("import").generate  # bench/import.py's user posts
    sources = {
        f"flat posts, {args.flat_mb} MiB": generate(work / f"posts-{args.flat_mb}.jsonl", args.flat_mb),
        f"nested, {args.nested_mb} MiB": nested_file(work / f"nested-{args.nested_mb}.jsonl", args.nested_mb),
    }
    trees = {"base": Path(args.base).resolve(), "this tree": ROOT}
    rates: dict[tuple[str, str], list[float]] = {}
    for _ in range(args.runs):
        for name, source in sources.items():
            for label, tree in trees.items():
                rate, _records = run_once(tree, source, work)
                rates.setdefault((name, label), []).append(rate)
    rows = []
    for name in sources:
        base, this = median(rates[(name, "base")]), median(rates[(name, "this tree")])
        rows.append([name, base, this, this / base])
    print_table(
        ["input (store path, no review)", "base MiB/s", "this tree MiB/s", "this / base"],
        rows,
        digits=2,
        title=f"median of {args.runs} runs each, interleaved; load average {load_average()}",
    )


if __name__ == "__main__":
    main()

"""Benchmark: `data import` rate and peak RSS against MosaicML Streaming's MDSWriter, and raw AES-256-GCM. Prints tables.

    bash bench/setup-env.sh                                   # once: .venv-bench with mosaicml-streaming
    .venv/bin/python bench/import.py [--size-mb 2048] [--runs 3] [--review-mb 20] [--review-runs 1] \
        [--work /tmp/aircluster-bench-import]
    .venv/bin/python bench/import.py --quick                  # smoke run: 100 MiB, 1 run

What runs, on one generated JSON Lines file of realistic user posts (deterministic; cached under --work, never
in the repository), each import in a fresh subprocess so its peak RSS is its own (the child's ru_maxrss):
- aircluster store path: `import_dataset(ctx, name, [file], ImportOptions(compress, encrypt), review=None)`
  with encryption on, and off (`encrypt=False`, the benchmark-only switch), compression zstd-3 and none;
- MDSWriter (`.venv-bench/bin/python`) converting the same file (orjson per line, the dict written),
  compression None and "zstd" (level 3, as ours), 64 MiB shards (as ours);
- one labelled end-to-end row: the CLI `aircluster data import NAME FILE` (privacy review on, the default
  policy, 2 scan worker processes) on a smaller file (--review-mb), wall clock including interpreter start,
  with the store path alone on that same file beside it; its RSS is the sampled sum over the process tree
  (--review-runs times, default once: the scan is slow).
Variants are interleaved within each run so that machine load hits all of them alike; the table shows
medians over --runs. MB/s is MiB of JSONL input per second of the import call (interpreter start and
`aircluster init` excluded, except in the CLI row). Also AES-GCM encrypt / decrypt / decrypt_into GB/s
(10^9 bytes/s) on one core with pyca/cryptography, 1 and 4 MiB buffers.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import MiB, TreeRSS, load_average, median, print_table, run_json, self_peak_rss_mb  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MAIN_PY = ROOT / ".venv" / "bin" / "python"
BENCH_PY = ROOT / ".venv-bench" / "bin" / "python"
CLI = ROOT / ".venv" / "bin" / "aircluster"
SHARD_BYTES = 64 << 20  # ours (ingest.DEFAULT_SHARD_BYTES) and MDSWriter's size_limit alike
MDS_COLUMNS = {
    "id": "int",
    "user_id": "str",
    "username": "str",
    "created_at": "str",
    "lang": "str",
    "likes": "int",
    "reposts": "int",
    "text": "str",
}


# --- data ----------------------------------------------------------------------------------------------


def generate(path: Path, size_mb: int, seed: int = 0) -> Path:
    """About `size_mb` MiB of user posts, one JSON object per line; the same bytes for the same (size, seed)."""
    if path.exists():
        return path
    import orjson

    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = ["".join(rng.choice(letters) for _ in range(max(1, int(rng.expovariate(1 / 5)) + 1))) for _ in range(8000)]
    # A Zipf-like vocabulary: frequent short words, a long tail, some hashtags, mentions and links.
    weights = [1 / (i + 1) for i in range(len(words))]
    sentences = []
    for _ in range(30000):
        ws = rng.choices(words, weights, k=rng.randint(5, 22))
        r = rng.random()
        if r < 0.08:
            ws.append("#" + rng.choice(words))
        elif r < 0.12:
            ws.insert(0, "@" + rng.choice(words) + str(rng.randint(1, 999)))
        elif r < 0.15:
            ws.append(f"https://example.org/{rng.choice(words)}/{rng.randint(1, 99999)}")
        s = " ".join(ws)
        sentences.append(s[0].upper() + s[1:] + rng.choice(".!?."))
    usernames = [
        rng.choice(words) + rng.choice(["", "_", "."]) + rng.choice(words) + str(rng.randint(0, 99)) for _ in range(50000)
    ]
    langs = ["en"] * 12 + ["es", "fr", "de", "pt", "it", "nl"]
    target = size_mb * MiB
    tmp = path.with_suffix(".part")
    size, i = 0, 0
    t0 = time.perf_counter()
    with open(tmp, "wb", buffering=8 << 20) as f:
        while size < target:
            chunk = []
            for _ in range(2000):
                u = rng.randrange(len(usernames))
                rec = {
                    "id": i,
                    "user_id": f"u{u:07d}",
                    "username": usernames[u],
                    "created_at": f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T"
                    f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z",
                    "lang": rng.choice(langs),
                    "likes": int(rng.paretovariate(1.2)) - 1,
                    "reposts": int(rng.paretovariate(1.6)) - 1,
                    "text": " ".join(rng.choices(sentences, k=rng.randint(1, 8))),
                }
                chunk.append(orjson.dumps(rec))
                i += 1
            data = b"\n".join(chunk) + b"\n"
            f.write(data)
            size += len(data)
    os.replace(tmp, path)
    print(f"generated {path} ({size / MiB:.0f} MiB, {i:,} records) in {time.perf_counter() - t0:.0f} s", flush=True)
    return path


# --- children (one import each, in a fresh process) -------------------------------------------------------


def child_ours(args: argparse.Namespace) -> None:
    os.environ["AIRCLUSTER_HOME"] = args.home
    os.environ.setdefault("AIRCLUSTER_USER", "bench-importer")
    from aircluster.context import init
    from aircluster.store.ingest import ImportOptions, import_dataset

    with init() as ctx:
        opts = ImportOptions(compress=bool(args.compress), encrypt=bool(args.encrypt))
        start = time.perf_counter()
        result = import_dataset(ctx, "bench", [args.file], opts, review=None)
        seconds = time.perf_counter() - start
    print(
        json.dumps(
            {
                "seconds": seconds,
                "bytes_in": os.path.getsize(args.file),
                "bytes_stored": result.bytes_stored,
                "records": result.records,
                "shards": result.shards,
                "peak_rss_mb": self_peak_rss_mb(),
            }
        )
    )


def child_mds(args: argparse.Namespace) -> None:
    import orjson
    from streaming import MDSWriter

    compression = None if args.compression == "none" else args.compression
    start = time.perf_counter()
    records = 0
    with MDSWriter(out=args.out, columns=MDS_COLUMNS, compression=compression, size_limit=SHARD_BYTES) as writer:
        with open(args.file, "rb") as f:
            for line in f:
                writer.write(orjson.loads(line))
                records += 1
    seconds = time.perf_counter() - start
    stored = sum(p.stat().st_size for p in Path(args.out).rglob("*") if p.is_file())
    print(
        json.dumps(
            {
                "seconds": seconds,
                "bytes_in": os.path.getsize(args.file),
                "bytes_stored": stored,
                "records": records,
                "peak_rss_mb": self_peak_rss_mb(),
            }
        )
    )


# --- the driver ----------------------------------------------------------------------------------------


def run_ours(work: Path, file: Path, compress: bool, encrypt: bool) -> dict:
    home = work / "home-run"
    shutil.rmtree(home, ignore_errors=True)
    try:
        return run_json(
            [
                str(MAIN_PY),
                __file__,
                "--child",
                "ours",
                "--file",
                str(file),
                "--home",
                str(home),
                "--compress",
                str(int(compress)),
                "--encrypt",
                str(int(encrypt)),
            ]
        )
    finally:
        shutil.rmtree(home, ignore_errors=True)


def run_mds(work: Path, file: Path, compression: str) -> dict:
    out = work / "mds-run"
    shutil.rmtree(out, ignore_errors=True)
    try:
        return run_json(
            [str(BENCH_PY), __file__, "--child", "mds", "--file", str(file), "--out", str(out), "--compression", compression]
        )
    finally:
        shutil.rmtree(out, ignore_errors=True)


def run_cli_review(work: Path, file: Path) -> dict:
    """`aircluster data import` as a user runs it: privacy review with the default policy, 2 scan workers."""
    home = work / "home-cli"
    shutil.rmtree(home, ignore_errors=True)
    env = {**os.environ, "AIRCLUSTER_HOME": str(home), "AIRCLUSTER_USER": "bench-importer"}
    try:
        subprocess.run([str(CLI), "init"], env=env, check=True, capture_output=True)
        start = time.perf_counter()
        proc = subprocess.Popen(
            [str(CLI), "data", "import", "bench", str(file), "--json"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        rss = TreeRSS(proc.pid)
        out, err = proc.communicate()
        seconds = time.perf_counter() - start
        peak = rss.stop()
        if proc.returncode != 0:
            raise RuntimeError(f"aircluster data import exited {proc.returncode}: {err.strip()[-2000:]}")
        try:
            result = json.loads(out)
        except ValueError:
            result = {}
        review = result.get("review", {}) if isinstance(result, dict) else {}
        return {
            "seconds": seconds,
            "bytes_in": file.stat().st_size,
            "peak_rss_mb": peak,
            "review_state": review.get("state", "?"),
        }
    finally:
        shutil.rmtree(home, ignore_errors=True)


def aes_rates(reps: int) -> list[list]:
    """GB/s of AES-256-GCM encrypt, decrypt and decrypt_into (into a reused buffer) on one core."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    aead = AESGCM(os.urandom(32))
    nonce, aad = os.urandom(12), b"aircluster-bench-aad"
    rows = []
    for size in (1 * MiB, 4 * MiB):
        plain = os.urandom(size)
        sealed = aead.encrypt(nonce, plain, aad)
        out = bytearray(size)
        n = max(8, (512 * MiB) // size)  # ~0.5 GB per measurement

        def rate(fn) -> float:
            samples = []
            for _ in range(reps):
                t = time.perf_counter()
                for _ in range(n):
                    fn()
                samples.append(n * size / (time.perf_counter() - t) / 1e9)
            return median(samples)

        rows.append(
            [
                f"{size // MiB} MiB",
                rate(lambda: aead.encrypt(nonce, plain, aad)),
                rate(lambda: aead.decrypt(nonce, sealed, aad)),
                rate(lambda: aead.decrypt_into(nonce, sealed, aad, out)),
            ]
        )
    return rows


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size-mb", type=int, default=2048, help="JSONL input size in MiB (default 2048)")
    p.add_argument("--runs", type=int, default=3, help="runs per variant; the table shows medians")
    p.add_argument("--review-mb", type=int, default=20, help="input size of the CLI row with the privacy review on")
    p.add_argument("--review-runs", type=int, default=1, help="runs of the CLI row (slow: the privacy scan)")
    p.add_argument("--quick", action="store_true", help="smoke run: 100 MiB, 1 run, 5 MiB review row")
    p.add_argument("--work", default="/tmp/aircluster-bench-import", help="generated data (under /tmp)")
    p.add_argument("--child", choices=["ours", "mds"], help=argparse.SUPPRESS)
    p.add_argument("--file", help=argparse.SUPPRESS)
    p.add_argument("--home", help=argparse.SUPPRESS)
    p.add_argument("--out", help=argparse.SUPPRESS)
    p.add_argument("--compress", type=int, default=1, help=argparse.SUPPRESS)
    p.add_argument("--encrypt", type=int, default=1, help=argparse.SUPPRESS)
    p.add_argument("--compression", default="none", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child == "ours":
        return child_ours(args)
    if args.child == "mds":
        return child_mds(args)
    if args.quick:
        args.size_mb, args.runs, args.review_mb = 100, 1, 5
    if not BENCH_PY.exists():
        sys.exit(f"{BENCH_PY} is missing: run `bash bench/setup-env.sh` first")

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    big = generate(work / f"posts-{args.size_mb}MiB.jsonl", args.size_mb)
    small = generate(work / f"posts-{args.review_mb}MiB.jsonl", args.review_mb, seed=1)
    print(
        f"input {big} ({big.stat().st_size / MiB:.0f} MiB); {args.runs} run(s); {os.cpu_count()} cores; load {load_average()}",
        flush=True,
    )

    variants = [  # (label, compression, runner)
        ("aircluster, encrypted", "none", lambda f: run_ours(work, f, False, True)),
        ("aircluster, unencrypted*", "none", lambda f: run_ours(work, f, False, False)),
        ("MDSWriter", "none", lambda f: run_mds(work, f, "none")),
        ("aircluster, encrypted", "zstd", lambda f: run_ours(work, f, True, True)),
        ("aircluster, unencrypted*", "zstd", lambda f: run_ours(work, f, True, False)),
        ("MDSWriter", "zstd", lambda f: run_mds(work, f, "zstd")),
    ]
    results: dict[tuple[str, str], list[dict]] = {(v, c): [] for v, c, _ in variants}
    review_runs: list[dict] = []
    small_store: list[dict] = []
    for run in range(args.runs):
        for label, comp, fn in variants:
            r = fn(big)
            results[(label, comp)].append(r)
            print(
                f"  run {run + 1}: {label:<26} {comp:<5} {r['bytes_in'] / MiB / r['seconds']:7.1f} MB/s  "
                f"peak RSS {r['peak_rss_mb']:6.0f} MB  stored {r['bytes_stored'] / MiB:7.0f} MiB",
                flush=True,
            )
        if run >= args.review_runs:
            continue
        r = run_cli_review(work, small)
        review_runs.append(r)
        s = run_ours(work, small, True, True)
        small_store.append(s)
        print(
            f"  run {run + 1}: CLI import with privacy review, {args.review_mb} MiB: "
            f"{r['bytes_in'] / MiB / r['seconds']:.2f} MB/s (review {r['review_state']}), "
            f"store path alone {s['bytes_in'] / MiB / s['seconds']:.1f} MB/s",
            flush=True,
        )

    def rate(rs: list[dict]) -> float:
        return median(r["bytes_in"] / MiB / r["seconds"] for r in rs)

    mds = {c: rate(results[("MDSWriter", c)]) for c in ("none", "zstd")}
    rows = []
    for label, comp, _ in variants:
        rs = results[(label, comp)]
        ratio = rate(rs) / mds[comp] if label != "MDSWriter" else 1.0
        rows.append(
            [
                label,
                comp,
                f"{len(rs)}",
                rate(rs),
                max(r["peak_rss_mb"] for r in rs),
                median(r["bytes_stored"] for r in rs) / MiB,
                f"{ratio:.2f}x",
            ]
        )
    rows.append(
        [
            f"CLI import + privacy review ({args.review_mb} MiB)**",
            "zstd",
            f"{len(review_runs)}",
            rate(review_runs),
            max(r["peak_rss_mb"] for r in review_runs),
            None,
            "-",
        ]
    )
    rows.append(
        [
            f"aircluster, encrypted, store path ({args.review_mb} MiB)",
            "zstd",
            f"{len(small_store)}",
            rate(small_store),
            max(r["peak_rss_mb"] for r in small_store),
            None,
            "-",
        ]
    )
    print()
    print_table(
        ["variant", "compression", "runs", "MB/s (median)", "peak RSS MB", "stored MiB", "vs MDSWriter"],
        rows,
        title=f"Import of {big.stat().st_size / MiB:.0f} MiB JSON Lines ({results[variants[0][0], 'none'][0]['records']:,} "
        f"records); MB/s = MiB of input per second; peak RSS = the importing process's ru_maxrss",
    )
    print("  * encrypt=False: the benchmark-only switch (readers refuse such shards)")
    print(
        "  ** end to end as a user runs it (default policy, 2 scan workers, interpreter start included); "
        "RSS summed over the process tree, sampled every 50 ms"
    )
    worst = max(r["peak_rss_mb"] for (label, _), rs in results.items() if label.startswith("aircluster") for r in rs)
    print(
        f"  streaming check: aircluster peak RSS {worst:.0f} MB importing {big.stat().st_size / MiB:.0f} MiB "
        f"({'under' if worst < 600 else 'OVER'} the 600 MB bound)"
    )
    print()
    print_table(
        ["buffer", "encrypt GB/s", "decrypt GB/s", "decrypt_into GB/s"],
        aes_rates(max(3, args.runs)),
        digits=2,
        title="AES-256-GCM on one core (pyca/cryptography; GB = 10^9 bytes; median)",
    )


if __name__ == "__main__":
    main()

"""Key release through the aircluster server, and what it costs the streaming loader. Prints tables (or --json).

    PYTHONPATH=$PWD /work/main/.venv/bin/python bench/keys.py [--runs 5] [--json]

In one run, on a fresh personal installation under a temp directory (removed afterwards), with its server
started on the Unix socket and on 127.0.0.1:<free port> with MUNGE (a private munged, tests/munged.py):

1. Data keys per second through the server: `keys.unwrap` with one key per request and with --batch keys per
   request, latency p50/p99 per request; `keys.open` (checked and audited once per reader) and a new connection
   (Unix: SO_PEERCRED; TCP: the MUNGE challenge) timed apart; the same over the Unix socket and TCP+MUNGE, and
   the in-process key service (the library inside the reading process, as before the server) beside them.
2. Loader samples/s, server in the path against the in-process key service (`StreamingDataset(keys=...)`),
   on the same data in the same run, rotating which goes first: realistic shards (--shard-mib, thousands of
   records each) and tiny ones (the worst case: a few dozen records per shard). Through the server twice: with
   the default `keys_ahead` (the data keys of that many shards in one request) and with `keys_ahead=1` (one
   request per shard, as before keys were asked for ahead).

Rates are medians over --runs runs; p50/p99 are medians of each run's percentiles. Compare ratios, not absolute
numbers across runs: the machine is shared.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import median, print_table  # noqa: E402

from aircluster.client.connection import Client  # noqa: E402
from aircluster.client.remote import ServerKeys  # noqa: E402
from aircluster.context import Context, init, open_context  # noqa: E402
from aircluster.privacy.review.decision import decide  # noqa: E402
from aircluster.security import munge  # noqa: E402
from aircluster.server import control  # noqa: E402
from aircluster.server.state import init_server  # noqa: E402
from aircluster.store import StreamingDataLoader, StreamingDataset  # noqa: E402
from aircluster.store.format import HEADER, dek_aad  # noqa: E402
from aircluster.store.ingest import ImportOptions, import_dataset  # noqa: E402
from aircluster.store.loader import DEFAULT_KEYS_AHEAD  # noqa: E402
from aircluster.store.reader import VersionReader  # noqa: E402
from tests.munged import private_munged  # noqa: E402

IMPORTER = "bench-importer"
STEWARD = "bench-steward"
KiB, MiB = 1 << 10, 1 << 20


# --- set-up ------------------------------------------------------------------------------------------------


def in_process_keys() -> Context:
    """The old way: the reading process opens the catalog, key store and master key itself (top-level: picklable)."""
    return open_context(housekeeping=False)


@contextlib.contextmanager
def installation(work: Path) -> Iterator[Path]:
    """A personal installation in `work` with this process's environment pointed at it."""
    home = work / "home"
    for var in ("AIRCLUSTER_SERVER", "AIRCLUSTER_JOB_ID", "AIRCLUSTER_JOB_TOKEN"):
        os.environ.pop(var, None)
    os.environ.update(AIRCLUSTER_HOME=str(home), AIRCLUSTER_CACHE_DIR=str(work / "cache"))
    init_server(home, personal=True)
    yield home


def import_text(work: Path, name: str, mib: float, shard_bytes: int, segment_bytes: int) -> str:
    """About `mib` MiB of ~600-byte text records imported as `name` and approved; returns the ref."""
    rng = random.Random(7)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9))) for _ in range(3000)]
    source = work / f"{name}.jsonl"
    size, i = 0, 0
    with open(source, "w") as f:
        while size < mib * MiB:
            line = json.dumps({"id": i, "text": " ".join(rng.choice(words) for _ in range(100))}) + "\n"
            f.write(line)
            size += len(line)
            i += 1
    with init() as ctx:
        ctx = ctx.as_caller(IMPORTER)
        result = import_dataset(ctx, name, [str(source)], ImportOptions(shard_bytes=shard_bytes, segment_bytes=segment_bytes))
        # Approved as a steward's decision is (with the server's proof), not by a catalog edit the server refuses.
        decide(ctx, ctx.catalog.version_by_id(result.version_id), "approved", "synthetic benchmark data", principal=STEWARD)
    source.unlink()
    return result.ref


def wrapped_keys(ref: str) -> list[tuple[int, bytes]]:
    """Each shard's wrapped data key, read from its header as a loader would."""
    with open_context(housekeeping=False) as ctx:
        reader = VersionReader(ctx, ctx.catalog.resolve(ref), purpose="plan", release=False)
        return [(i, bytes(HEADER.unpack_from(reader.fetch_shard(i))[7])) for i in range(reader.num_shards)]


def shape(ref: str) -> dict[str, Any]:
    with open_context(housekeeping=False) as ctx:
        v = ctx.catalog.resolve(ref)
        reader = VersionReader(ctx, v, purpose="plan", release=False)
        plain = sum(s["bytes_plain"] for s in reader.manifest.shards)
        stored = sum(s["bytes_stored"] for s in reader.manifest.shards)
    n = v.shards
    return {
        "ref": ref,
        "shards": n,
        "records": v.records,
        "plain_mib_per_shard": plain / n / MiB,
        "stored_mib_per_shard": stored / n / MiB,
    }


# --- 1. key release ------------------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def timed(fn: Callable[[], object], n: int) -> tuple[float, list[float]]:
    """Total seconds of n calls, and each call's latency in ms."""
    lat = []
    start = time.perf_counter()
    for _ in range(n):
        t = time.perf_counter()
        fn()
        lat.append((time.perf_counter() - t) * 1e3)
    return time.perf_counter() - start, lat


def stats(total: float, lat: list[float], keys_per_call: int) -> dict[str, float]:
    n = len(lat)
    return {
        "requests_s": n / total,
        "keys_s": n * keys_per_call / total,
        "p50_ms": percentile(lat, 50),
        "p99_ms": percentile(lat, 99),
    }


def release_through(address: str, ref: str, items: list[tuple[int, bytes]], args: argparse.Namespace) -> dict[str, dict]:
    out: dict[str, dict] = {}
    total, lat = timed(lambda: Client(address).close(), args.connects)
    out["connect"] = stats(total, lat, 0)
    with ServerKeys(Client(address)) as keys:
        version = keys.catalog.resolve(ref)
        total, lat = timed(lambda: keys.release(version, purpose="read", shards=len(items)), args.opens)
        out["keys.open"] = stats(total, lat, 0)
        unwrapper = keys.release(version, purpose="read", shards=len(items))
        single = iter([items[i % len(items)]] for i in range(args.single))
        total, lat = timed(lambda: unwrapper.unwrap_many(next(single)), args.single)
        out["unwrap x1"] = stats(total, lat, 1)
        b = args.batch
        batches = iter([items[(i * b + j) % len(items)] for j in range(b)] for i in range(args.batched))
        total, lat = timed(lambda: unwrapper.unwrap_many(next(batches)), args.batched)
        out[f"unwrap x{b}"] = stats(total, lat, b)
    return out


def release_in_process(ref: str, items: list[tuple[int, bytes]], args: argparse.Namespace) -> dict[str, dict]:
    out: dict[str, dict] = {}
    total, lat = timed(lambda: in_process_keys().close(), args.connects)
    out["connect"] = stats(total, lat, 0)
    with in_process_keys() as ctx:
        version = ctx.catalog.resolve(ref)
        total, lat = timed(lambda: ctx.release(version, purpose="read", shards=len(items)), args.opens)
        out["keys.open"] = stats(total, lat, 0)
        unwrapper = ctx.release(version, purpose="read", shards=len(items))
        aad = {shard: dek_aad(version.dataset_id, version.id, shard) for shard, _ in items}
        single = iter(items[i % len(items)] for i in range(args.single))

        def one() -> None:
            shard, wrapped = next(single)
            unwrapper.unwrap(wrapped, aad[shard], shard)

        total, lat = timed(one, args.single)
        out["unwrap x1"] = stats(total, lat, 1)
        b = args.batch
        batches = iter([items[(i * b + j) % len(items)] for j in range(b)] for i in range(args.batched))

        def many() -> None:
            for shard, wrapped in next(batches):
                unwrapper.unwrap(wrapped, aad[shard], shard)

        total, lat = timed(many, args.batched)
        out[f"unwrap x{b}"] = stats(total, lat, b)
    return out


# --- 2. loader ------------------------------------------------------------------------------------------------


def epoch_rate(ref: str, keys: Callable[[], Any] | None, seed: int, workers: int, keys_ahead: int) -> float:
    """Samples/s of one epoch of a fresh StreamingDataset (its connections or contexts, and keys.open, included):
    in this process, or through a StreamingDataLoader with `workers` processes."""
    ds = StreamingDataset(ref, seed=seed, keys=keys, keys_ahead=keys_ahead)
    start = time.perf_counter()
    if workers:
        n = sum(len(batch["id"]) for batch in StreamingDataLoader(ds, batch_size=64, num_workers=workers))
    else:
        n = sum(1 for _ in ds)
    return n / (time.perf_counter() - start)


# --- the run ---------------------------------------------------------------------------------------------------


def measure(work: Path, args: argparse.Namespace) -> dict[str, Any]:
    with private_munged() as munge_socket, installation(work) as home:
        os.environ[munge.SOCKET_ENV] = str(munge_socket)  # the server decodes with it, the client encodes
        datasets = {
            "realistic": import_text(work, "realistic", args.data_mib, int(args.shard_mib * MiB), 256 * KiB),
            "tiny": import_text(work, "tiny", args.tiny_mib, 16 * KiB, 4 * KiB),
        }
        shapes = {kind: shape(ref) for kind, ref in datasets.items()}
        items = wrapped_keys(datasets["tiny"])
        started = control.start(home, listen="127.0.0.1:0")
        try:
            ways = {"unix socket": started["socket"], "tcp+munge": started["listen"]}
            release: dict[str, list[dict]] = {way: [] for way in [*ways, "in-process"]}
            ways_to_load: list[tuple[str, Callable[[], Any] | None, int]] = [
                ("server", None, DEFAULT_KEYS_AHEAD),
                ("server-1", None, 1),
                ("in-process", in_process_keys, 1),
            ]
            loader: dict[str, dict[str, list[float]]] = {k: {name: [] for name, _, _ in ways_to_load} for k in datasets}
            for run in range(args.runs):
                for way, address in ways.items():
                    release[way].append(release_through(address, datasets["tiny"], items, args))
                release["in-process"].append(release_in_process(datasets["tiny"], items, args))
                first = run % len(ways_to_load)  # each way goes first as often as the others
                for kind, ref in datasets.items():
                    for name, keys, ahead in ways_to_load[first:] + ways_to_load[:first]:
                        loader[kind][name].append(epoch_rate(ref, keys, run, args.workers, ahead))
        finally:
            control.stop(home)
    return {
        "config": {k: v for k, v in vars(args).items() if k != "json"},
        "datasets": shapes,
        "release": {way: _medians(runs) for way, runs in release.items()},
        "loader": {
            kind: {
                "keys_ahead": DEFAULT_KEYS_AHEAD,
                "server_samples_s": median(r["server"]),
                "server_keys_ahead_1_samples_s": median(r["server-1"]),
                "in_process_samples_s": median(r["in-process"]),
                "ratio": median(s / i for s, i in zip(r["server"], r["in-process"])),
                "ratio_keys_ahead_1": median(s / i for s, i in zip(r["server-1"], r["in-process"])),
            }
            for kind, r in loader.items()
        },
    }


def _medians(runs: list[dict[str, dict[str, float]]]) -> dict[str, dict[str, float]]:
    return {op: {k: median(r[op][k] for r in runs) for k in runs[0][op]} for op in runs[0]}


def report(result: dict[str, Any]) -> None:
    cfg = result["config"]
    rows = []
    for way, ops in result["release"].items():
        for op, s in ops.items():
            keyed = op.startswith("unwrap")
            rows.append([way, op, s["requests_s"], s["keys_s"] if keyed else None, s["p50_ms"], s["p99_ms"]])
    print_table(
        ["path", "request", "requests/s", "data keys/s", "p50 ms", "p99 ms"],
        rows,
        title=f"Key release, median of {cfg['runs']} runs (connect: a new connection; keys.open: checked and audited, "
        "once per reader; in-process: the library in the reading process)",
        digits=2,
    )
    print()
    where = f"{cfg['workers']} DataLoader workers" if cfg["workers"] else "one process"
    rows = []
    for kind, r in result["loader"].items():
        d = result["datasets"][kind]
        rows.append(
            [
                kind,
                d["shards"],
                d["plain_mib_per_shard"],
                d["stored_mib_per_shard"],
                d["records"] / d["shards"],
                r["server_samples_s"],
                r["server_keys_ahead_1_samples_s"],
                r["in_process_samples_s"],
                r["ratio"],
                r["ratio_keys_ahead_1"],
            ]
        )
    print_table(
        [
            "shards",
            "n",
            "MiB/shard",
            "stored (zstd)",
            "records/shard",
            f"server samples/s (keys_ahead {DEFAULT_KEYS_AHEAD})",
            "server samples/s (keys_ahead 1)",
            "in-process samples/s",
            "server / in-process",
            "keys_ahead 1 / in-process",
        ],
        rows,
        title=f"Loader, {where}, one epoch each way, rotating, median of {cfg['runs']} runs (target >= 0.95x)",
        digits=2,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--single", type=int, default=400, help="keys.unwrap requests of one key, per run and path")
    parser.add_argument("--batch", type=int, default=64, help="data keys per batched request")
    parser.add_argument("--batched", type=int, default=60, help="batched keys.unwrap requests, per run and path")
    parser.add_argument("--opens", type=int, default=30, help="keys.open requests (each audited), per run and path")
    parser.add_argument("--connects", type=int, default=20, help="new connections, per run and path")
    parser.add_argument("--data-mib", type=float, default=64, help="size of the realistic dataset")
    parser.add_argument("--shard-mib", type=float, default=2, help="its shard size")
    parser.add_argument("--tiny-mib", type=float, default=4, help="size of the dataset of 16 KiB shards")
    parser.add_argument("--workers", type=int, default=0, help="loader: DataLoader workers (0: read in this process)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.workers < 0:
        parser.error("--workers must be >= 0")
    for name in ("runs", "single", "batch", "batched", "opens", "connects"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    work = Path(tempfile.mkdtemp(prefix="aircluster-bench-keys-"))
    try:
        result = measure(work, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        report(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())

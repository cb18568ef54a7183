"""Benchmark: the streaming loader against MosaicML Streaming and plain file reading. Prints a table.

    bash bench/setup-env.sh                      # once: .venv-bench with mosaicml-streaming
    .venv-bench/bin/python bench/loader.py [--text-mb 1024] [--images 20000] [--runs 3]

On the same generated data (under --work, default /tmp/aircluster-bench; never committed), each
reader runs in its own process through a torch DataLoader (--workers, --batch): (a) aircluster
encrypted, (b) aircluster unencrypted (benchmark-only shards), (c) MosaicML Streaming over MDS shards,
(d) a plain Dataset over the raw JSON Lines / image files. Also AES-GCM decrypt on one core: pyca's
decrypt_into into a reused buffer, and the loader's own path (format.open_shard on one uncompressed
shard, which decrypts every segment in place with decrypt_into). Reports medians of --runs runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH_ENV = {"AIRCLUSTER_USER": "bench-importer"}


# --- data ----------------------------------------------------------------------------------------------


def generate(work: Path, text_mb: int, images: int) -> tuple[Path, Path]:
    text, image_dir = work / "text.jsonl", work / "images"
    if not text.exists():
        rng = random.Random(0)
        words = [("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))) for _ in range(5000)]
        bodies = [" ".join(rng.choice(words) for _ in range(rng.randint(150, 450))) for _ in range(2000)]
        target, size, i = text_mb << 20, 0, 0
        with open(str(text) + ".part", "w") as f:
            while size < target:
                line = json.dumps({"id": i, "text": bodies[i % len(bodies)]}) + "\n"
                f.write(line)
                size += len(line)
                i += 1
        os.replace(str(text) + ".part", text)
    if not image_dir.exists():
        from PIL import Image

        part = work / "images.part"
        rng = random.Random(1)
        for i in range(images):
            cls = part / f"class{i % 10}"
            cls.mkdir(parents=True, exist_ok=True)
            im = Image.frombytes("RGB", (48, 48), rng.randbytes(48 * 48 * 3))
            im.save(cls / f"{i:06d}.jpg", quality=85)
        os.replace(part, image_dir)
    return text, image_dir


def prepare(work: Path, text: Path, image_dir: Path) -> dict[str, str]:
    """Import both sets encrypted and not; write MDS copies. Returns refs and dirs (cached in work/prepared.json)."""
    done = work / "prepared.json"
    if done.exists():
        return json.loads(done.read_text())
    from aircluster.context import init
    from aircluster.store.ingest import ImportOptions, import_dataset

    os.environ.update(BENCH_ENV, AIRCLUSTER_HOME=str(work / "home"))
    out: dict[str, str] = {}
    with init() as ctx:
        for kind, src, fmt in (("text", text, "jsonl"), ("images", image_dir, "images")):
            for encrypt in (True, False):
                name = f"{kind}-{'enc' if encrypt else 'plain'}"
                result = import_dataset(ctx, name, [str(src)], ImportOptions(format=fmt, encrypt=encrypt))
                ctx.catalog.record_review(result.version_id, "approved", "bench-steward", "synthetic benchmark data")
                out[name] = result.ref
    from streaming import MDSWriter

    with MDSWriter(out=str(work / "mds-text"), columns={"id": "int", "text": "str"}, size_limit=64 << 20) as w:
        with open(text) as f:
            for line in f:
                w.write(json.loads(line))
    with MDSWriter(out=str(work / "mds-images"), columns={"image": "bytes", "label": "str"}, size_limit=64 << 20) as w:
        for path in sorted(image_dir.rglob("*.jpg")):
            w.write({"image": path.read_bytes(), "label": path.parent.name})
    done.write_text(json.dumps(out))
    return out


# --- one measured read (run in a child process) ---------------------------------------------------------------


def payload(sample: dict) -> int:
    return len(sample["text"]) if "text" in sample else len(sample["image"])


def collate(samples: list) -> tuple[int, int]:
    # Counted in the worker so every reader pays the same (tiny) collation cost.
    return len(samples), sum(payload(s) for s in samples)


class PlainText:
    @staticmethod
    def make(path: str):
        from torch.utils.data import IterableDataset, get_worker_info

        class Lines(IterableDataset):
            def __iter__(self):
                info = get_worker_info()
                worker, workers = (info.id, info.num_workers) if info else (0, 1)
                size = os.path.getsize(path)
                start, end = size * worker // workers, size * (worker + 1) // workers
                with open(path, "rb") as f:
                    if start:
                        f.seek(start - 1)
                        f.readline()  # finish the line the previous worker owns
                    while f.tell() < end:
                        line = f.readline()
                        if not line:
                            break
                        yield json.loads(line)

        return Lines()


class PlainImages:
    @staticmethod
    def make(path: str):
        from torch.utils.data import Dataset

        files = sorted(str(p) for p in Path(path).rglob("*.jpg"))

        class Files(Dataset):
            def __len__(self):
                return len(files)

            def __getitem__(self, i):
                with open(files[i], "rb") as f:
                    return {"image": f.read(), "label": Path(files[i]).parent.name}

        return Files()


def measure(args: argparse.Namespace) -> None:
    from torch.utils.data import DataLoader

    work = Path(args.work)
    refs = json.loads((work / "prepared.json").read_text())
    kind, reader = args.measure.split(":")
    os.environ.update(BENCH_ENV, AIRCLUSTER_HOME=str(work / "home"))
    if reader in ("enc", "plain"):
        from aircluster.store import StreamingDataLoader, StreamingDataset

        ds = StreamingDataset(refs[f"{kind}-{reader}"], seed=0, shuffle=True, allow_unencrypted=reader == "plain")
        loader = StreamingDataLoader(ds, batch_size=args.batch, num_workers=args.workers, collate_fn=collate)
    elif reader == "mosaic":
        from streaming import StreamingDataset as MosaicDataset

        ds = MosaicDataset(local=str(work / f"mds-{kind}"), shuffle=True, shuffle_seed=0, batch_size=args.batch)
        loader = DataLoader(ds, batch_size=args.batch, num_workers=args.workers, collate_fn=collate)
    else:
        ds = PlainText.make(str(work / "text.jsonl")) if kind == "text" else PlainImages.make(str(work / "images"))
        loader = DataLoader(ds, batch_size=args.batch, num_workers=args.workers, collate_fn=collate, shuffle=kind == "images")
    # Whole epochs (worker start-up included, as in training) until the read has lasted --min-seconds:
    # one epoch of the image set takes a third of a second, too short to measure on a shared machine.
    start = time.perf_counter()
    samples = nbytes = epochs = 0
    while epochs == 0 or time.perf_counter() - start < args.min_seconds:
        for n, b in loader:
            samples += n
            nbytes += b
        epochs += 1
    elapsed = time.perf_counter() - start
    import resource

    # Peak resident memory of the largest DataLoader worker (children; ru_maxrss is in KiB on Linux).
    worker_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"samples": samples, "bytes": nbytes, "seconds": elapsed, "epochs": epochs, "worker_rss_mb": worker_rss}))


def decrypt_rates(runs: int) -> dict[str, float]:
    """GB/s on one core: raw decrypt_into into a reused buffer, and the loader's open_shard path."""
    import tempfile

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from aircluster.store import format as fmt

    key, seg = AESGCM.generate_key(256), 1 << 20
    aead = AESGCM(key)
    sealed = aead.encrypt(b"\0" * 12, os.urandom(seg), b"aad")
    out = bytearray(seg)
    samples = max(runs, 9)  # a second each at most: more samples steady the medians on a noisy machine
    raw = []
    for _ in range(samples):
        t = time.perf_counter()
        for _ in range(256):
            aead.decrypt_into(b"\0" * 12, sealed, b"aad", out)
        raw.append(256 * seg / (time.perf_counter() - t) / 1e9)

    import uuid

    ds, ver, dek = uuid.uuid4().hex, uuid.uuid4().hex, AESGCM.generate_key(256)

    class Unwrapper:
        def unwrap(self, wrapped: bytes, aad: bytes, shard: int) -> bytes:
            return dek

    with tempfile.TemporaryDirectory() as d:
        writer = fmt.ShardWriter(
            f"{d}/s.air",
            dataset_id=ds,
            version_id=ver,
            shard_index=0,
            dek=dek,
            wrapped_dek=b"\0" * fmt.WRAPPED_DEK_BYTES,
            compress=False,
        )
        record = os.urandom(4096)  # random bytes: synthetic, not data
        for _ in range(64 << 8):
            writer.add(record)
        writer.close("s.air")
        data = Path(f"{d}/s.air").read_bytes()
    # The same cipher over a shard-sized working set into a second buffer (how the loader decrypted
    # before it worked in place): 64 MiB do not stay in cache, so this is memory-bound.
    cts = [aead.encrypt(b"\0" * 12, os.urandom(seg), b"aad") for _ in range(64)]
    big = memoryview(bytearray(64 * seg))
    loader_path, raw_shard = [], []
    for run in range(samples + 1):  # side by side, so load drifting over time favours neither
        ciphertext = bytearray(data)  # as fetch_shard returns it: writable, so open_shard decrypts in place
        t = time.perf_counter()
        fmt.open_shard(ciphertext, label="bench", dataset_id=ds, version_id=ver, shard_index=0, unwrapper=Unwrapper())
        elapsed = time.perf_counter() - t
        t = time.perf_counter()
        for i, ct in enumerate(cts):
            aead.decrypt_into(b"\0" * 12, ct, b"aad", big[i * seg : (i + 1) * seg])
        if run:  # the first run also warms the allocator and maps `big`: a worker pays that once
            loader_path.append(len(data) / elapsed / 1e9)
            raw_shard.append(64 * seg / (time.perf_counter() - t) / 1e9)
    return {
        "raw decrypt_into (reused buffer)": statistics.median(raw),
        "raw decrypt_into, 64 MiB working set, separate output": statistics.median(raw_shard),
        "loader path (open_shard in place, uncompressed 64 MiB shard)": statistics.median(loader_path),
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--work", default="/tmp/aircluster-bench")
    p.add_argument("--text-mb", type=int, default=1024)
    p.add_argument("--images", type=int, default=20_000)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--sets", default="text,images", help="which data sets to measure (comma-separated)")
    p.add_argument(
        "--min-seconds", type=float, default=3.0, help="each measured read repeats whole epochs until it has lasted this long"
    )
    p.add_argument("--measure", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.measure:
        measure(args)
        return
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    t = time.time()
    text, images = generate(work, args.text_mb, args.images)
    prepare(work, text, images)
    print(f"data ready under {work} ({time.time() - t:.0f}s)", flush=True)

    readers = {
        "enc": "(a) aircluster, encrypted",
        "plain": "(b) aircluster, encryption off",
        "mosaic": "(c) MosaicML Streaming (MDS)",
        "raw": "(d) plain Dataset over raw files",
    }
    kinds = [k for k in ("text", "images") if k in args.sets.split(",")]
    results: dict[tuple[str, str], dict[str, float]] = {}
    for kind in kinds:
        rates: dict[str, list[tuple[float, float, int, float]]] = {reader: [] for reader in readers}
        for run in range(args.runs):
            # The four readers take turns, in reversed order every other run, so that load drifting over
            # time (this machine is shared) favours none of them.
            for reader in list(readers) if run % 2 == 0 else list(reversed(readers)):
                cmd = [
                    sys.executable,
                    __file__,
                    "--measure",
                    f"{kind}:{reader}",
                    "--work",
                    str(work),
                    "--workers",
                    str(args.workers),
                    "--batch",
                    str(args.batch),
                    "--min-seconds",
                    str(args.min_seconds),
                ]
                out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
                r = json.loads(out)
                rates[reader].append(
                    (
                        r["samples"] / r["seconds"],
                        r["bytes"] / r["seconds"] / 1e6,
                        r["samples"] // r["epochs"],
                        r["worker_rss_mb"],
                    )
                )
                print(f"  run {run + 1}: {kind:6} {readers[reader]:34} {rates[reader][-1][0]:>10,.0f} samples/s", flush=True)
        for reader in readers:
            results[kind, reader] = {
                "samples_s": statistics.median(x[0] for x in rates[reader]),
                "mb_s": statistics.median(x[1] for x in rates[reader]),
                "samples": rates[reader][0][2],
                "rss": max(x[3] for x in rates[reader]),
            }

    print(
        f"\nmedians of {args.runs} runs, DataLoader with {args.workers} workers, batch {args.batch}, shuffle on;"
        f" whole epochs for at least {args.min_seconds:g} s per read"
    )
    print(f"{'set':6} {'reader':34} {'samples/s':>10} {'MB/s':>8} {'a/c':>6} {'a/d':>6} {'a/b':>6} {'worker peak RSS MB':>19}")
    for kind in kinds:
        a = results[kind, "enc"]["samples_s"]
        for reader, label in readers.items():
            m = results[kind, reader]
            ratios = (
                (
                    f"{a / results[kind, 'mosaic']['samples_s']:6.2f} {a / results[kind, 'raw']['samples_s']:6.2f} "
                    f"{a / results[kind, 'plain']['samples_s']:6.2f}"
                )
                if reader == "enc"
                else ""
            )
            print(f"{kind:6} {label:34} {m['samples_s']:>10,.0f} {m['mb_s']:>8,.1f} {ratios or ' ' * 20:20} {m['rss']:>19,.0f}")
    print("\nAES-256-GCM decrypt, one core (GB/s)")
    for name, rate in decrypt_rates(args.runs).items():
        print(f"  {name:62} {rate:6.2f}")


if __name__ == "__main__":
    main()

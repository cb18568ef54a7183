"""Fixtures for the store tests: small datasets in every source format."""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from PIL import Image

from aircluster.context import open_context


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def text_records(n: int, seed: int = 0, prefix: str = "rec") -> list[dict]:
    rng = random.Random(seed)
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "theta", "kappa"]
    return [
        {
            "id": i,
            "text": f"{prefix} {i} " + " ".join(rng.choice(words) for _ in range(rng.randint(3, 30))),
            "label": i % 3,
            "score": rng.random(),
            "tags": [rng.choice(words)],
            "ok": bool(i % 2),
        }
        for i in range(n)
    ]


def write_csv(path: Path, records: list[dict]) -> Path:
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(records[0]))
        w.writeheader()
        w.writerows(records)
    return path


def write_parquet(path: Path, records: list[dict]) -> Path:
    pq.write_table(pa.Table.from_pylist(records), path)
    return path


def write_images(root: Path, per_class: int = 6, classes: tuple[str, ...] = ("cat", "dog", "owl")) -> Path:
    rng = random.Random(1)
    for c in classes:
        (root / c).mkdir(parents=True)
        for i in range(per_class):
            im = Image.new("RGB", (16 + i, 12), tuple(rng.randrange(256) for _ in range(3)))
            fmt = "PNG" if i % 2 else "JPEG"
            buf = io.BytesIO()
            im.save(buf, format=fmt)
            (root / c / f"{c}{i}.{'png' if fmt == 'PNG' else 'jpg'}").write_bytes(buf.getvalue())
    return root


def approve(cli, ref: str) -> None:
    cli.ok("review", "approve", ref, "--note", "test approval", user="steward")


def read_all(cli, ref: str) -> list[dict]:
    out = cli.ok("data", "read", ref, user="bob")
    return [json.loads(line) for line in out.splitlines()]


def version(ref: str):
    with open_context(housekeeping=False) as ctx:
        return ctx.catalog.resolve(ref)

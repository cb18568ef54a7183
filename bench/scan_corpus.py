"""Generated inputs for the scan benchmarks: short posts with PII, long documents with little PII, and
record-style forms. Deterministic for a (kind, count, seed); written under /tmp by the callers, never into
the repository.

    posts(n, seed) -> Iterator[dict]       # {"id", "user", "created_at", "text", "label"}: ~130 B of text
    documents(n, seed) -> Iterator[dict]   # {"id", "title", "body"}: ~4-12 kB of prose, ~1 PII per kB or less
    forms(n, seed) -> Iterator[dict]       # nested form records: name, contact, address, birth date, notes
    write_jsonl(path, records) -> Path
"""

from __future__ import annotations

import importlib
import random
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import orjson

FAMILIES = ("harbor", "quarry", "vault", "sealed", "fresh")


def _synth():
    # evals/ is not installed: the repository root goes last on the path, after any tree on PYTHONPATH.
    root = str(Path(__file__).resolve().parents[1])
    if root not in sys.path:
        sys.path.append(root)
    return importlib.import_module("evals.pii.synth")


def family_posts(n: int, seed: int, family: str) -> list[tuple[str, list]]:
    return list(_synth().generate_posts(n, seed, template_set=family))


def posts(n: int, seed: int = 1) -> Iterator[dict]:
    rng = random.Random(seed)
    for i, rec in enumerate(_synth().generate_records(n, seed)):
        yield {
            "id": i,
            "user": rec["user"],
            "created_at": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "text": rec["text"],
            "label": rec["label"],
        }


def documents(n: int, seed: int = 2) -> Iterator[dict]:
    """Paragraphs of the template families with a low PII rate, joined into documents of 4-12 kB."""
    rng = random.Random(seed)
    synth = _synth()
    paragraphs = [t for t, _ in synth.generate_posts(max(200, n * 12), seed, pii_rate=0.08, template_set="heldout")]
    paragraphs += [t for t, _ in synth.generate_posts(max(200, n * 4), seed, pii_rate=0.08, template_set="blind")]
    for i in range(n):
        body: list[str] = []
        size = rng.randint(4000, 12000)
        while sum(map(len, body)) < size:
            body.append(" ".join(rng.choice(paragraphs) for _ in range(rng.randint(2, 6))))
        yield {"id": i, "title": f"Report {i}: {rng.choice(paragraphs)[:40]}", "body": "\n\n".join(body)}


def forms(n: int, seed: int = 3) -> Iterator[dict]:
    from faker import Faker

    fake = Faker(["en_US", "en_GB", "de_DE", "fr_FR", "es_ES"])
    fake.seed_instance(seed)
    rng = random.Random(seed)
    for i in range(n):
        yield {
            "id": i,
            "full_name": fake.name(),
            "contact": {"email": fake.email(), "phone": fake.phone_number()},
            "address": {"street": fake.street_address(), "city": fake.city(), "postcode": fake.postcode()},
            "date_of_birth": fake.date_of_birth().isoformat(),
            "status": rng.choice(["new", "open", "closed"]),
            "notes": fake.sentence(nb_words=rng.randint(6, 20)),
            "tags": [fake.word() for _ in range(rng.randint(0, 3))],
        }


def write_jsonl(path: Path, records: Iterable[dict]) -> Path:
    """Write once (same bytes for the same generator arguments); kept if it exists."""
    if path.exists():
        return path
    tmp = path.with_suffix(".part")
    with open(tmp, "wb") as f:
        f.writelines(orjson.dumps(rec) + b"\n" for rec in records)
    tmp.replace(path)
    return path

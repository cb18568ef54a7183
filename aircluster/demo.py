"""`aircluster demo`: the main job, end to end, on embedded defaults.

Generates a synthetic "production" dataset of user posts, imports it (encrypted, through the privacy
review when present), approves it as a second principal, verifies it, and reads it back.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from aircluster import config

DEMO_DATASET = "demo-posts"
DEMO_RECORDS = 4000


def generate_posts(path: Path, n: int, seed: int) -> None:
    """User posts with PII in them, deterministic per seed."""
    try:
        from aircluster.privacy.synth import generate_records
    except ImportError:
        generate_records = None
    with open(path, "w") as f:
        if generate_records is not None:
            for record in generate_records(n, seed):
                f.write(json.dumps(record) + "\n")
            return
        from faker import Faker

        fake = Faker("en_US")
        fake.seed_instance(seed)
        for i in range(n):
            f.write(json.dumps({"user": fake.user_name(), "text": f"{fake.sentence()} Contact me at {fake.email()}.",
                                "label": i % 2}) + "\n")


def run_demo(json_output: bool = False, workdir: str | None = None) -> int:
    from aircluster.context import init
    from aircluster.store.ingest import ImportOptions, import_dataset
    from aircluster.store.reader import VersionReader, verify_version

    summary: dict[str, Any] = {}
    say = (lambda *a: None) if json_output else print
    started = time.time()
    ctx = init()
    work = Path(workdir) if workdir else ctx.paths.home / "demo"
    work.mkdir(parents=True, exist_ok=True)
    source = work / "posts.jsonl"
    say(f"1. generating {DEMO_RECORDS} synthetic user posts with PII -> {source}")
    generate_posts(source, DEMO_RECORDS, seed=0)

    importer = config.principal()
    say(f"2. importing as {importer} (encrypted shards, privacy review)")
    from aircluster.cli import _review_hook  # the same gate the command line uses

    class _Args:
        policy = None
        scan_workers = min(2, os.cpu_count() or 1)

    result = import_dataset(ctx, DEMO_DATASET, [str(source)], ImportOptions(shard_bytes=256 << 10), review=_review_hook(ctx, _Args))
    summary["import"] = result.to_dict()
    say(f"   {result.ref}: {result.records} records, {result.shards} shards, {result.bytes_stored} bytes encrypted; "
        f"review {result.review.get('state')}")

    version = ctx.catalog.resolve(result.ref)
    steward = "data-steward" if importer != "data-steward" else "data-steward-2"
    if version.review_state == "pending_review":
        say(f"3. approving as a second principal ({steward})")
        ctx.catalog.record_review(version.id, "approved", steward, "demo: synthetic data, policy applied")
        ctx.audit.append("review.approve", steward, dataset=version.name, version=version.number, version_id=version.id,
                         note="demo: synthetic data, policy applied")
        version = ctx.catalog.resolve(result.ref)

    say("4. verifying every shard and the manifest")
    summary["verify"] = verify_version(ctx, version)
    say("5. reading back through the sequential reader (decrypted in memory only)")
    n = sum(1 for _ in VersionReader(ctx, version, purpose="demo read"))
    summary["read_records"] = n
    summary["audit"] = ctx.audit.verify().to_dict()
    summary["paths"] = {"home": str(ctx.paths.home), "audit_log": str(ctx.paths.audit_log), "store": version.location}
    summary["seconds"] = round(time.time() - started, 1)
    ctx.close()
    if json_output:
        print(json.dumps(summary, indent=2))
    else:
        say(f"done in {summary['seconds']} s: {n} records read back; audit log intact ({summary['audit']['entries']} entries)")
        say(f"   home {ctx.paths.home}; audit log {ctx.paths.audit_log}")
    return 0

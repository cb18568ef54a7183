"""Invariant 3, plaintext only in memory (DESIGN.md): decrypted bytes never touch disk, not in caches, temp
files, logs, checkpoints, error messages or loader state; the cache holds ciphertext.

A dataset of unique canaries goes through every path that decrypts (read, verify, training with checkpoints and
a resume, the loader's cache, a reader killed mid-way, a damaged shard) and then every file under the home, the
temp directory and the cache is searched for them.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

from tests.invariants.conftest import Installation

READ_THROUGH_CACHE = """
import json
from aircluster.store.loader import StreamingDataset

dataset = StreamingDataset(["secrets@1"], cache_bytes=1 << 20, seed=1)
first, second = [r["secret"] for r in dataset], [r["secret"] for r in dataset]  # the second pass reads the cache
print(json.dumps(sorted(first) if sorted(first) == sorted(second) else []))
"""


def files_containing(paths: list[Path], needles: list[bytes]) -> list[str]:
    """Files holding any needle, looking inside zip archives too (torch writes some files as zips)."""
    hits = []
    for path in paths:
        try:
            blobs = [path.read_bytes()]
        except OSError:
            continue
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                blobs += [archive.read(name) for name in archive.namelist()]
        hits += [f"{path}: {n!r}" for n in needles for blob in blobs if n in blob]
    return hits


def test_canaries_stay_out_of_every_written_file(installation: Installation):
    inst = installation
    # The trainer holds out one record in 20 (by a hash of its text) for validation: with 50 random canaries the
    # val split was empty in about 8% of runs (0.95^50) and training stopped; with 200, in 0.95^200 = 4e-5.
    canaries = [f"CANARY-{uuid.uuid4().hex}" for _ in range(200)]
    records = [{"id": i, "text": f"note {c} end", "secret": c} for i, c in enumerate(canaries)]
    inst.import_records("secrets", records, "--compress", "none")  # uncompressed: a leak would show as is
    inst.approve("secrets@1")
    assert sorted(r["secret"] for r in inst.read("secrets@1")) == sorted(canaries)  # the read really worked
    inst.ok("data", "verify", "secrets@1")
    inst.ok("audit", "tail", "-n", "100")

    # Training: checkpoints (model, optimizer, loader state), metrics and logs; the second run resumes.
    run_dir = inst.home / "runs" / "canary"
    for steps in (6, 10):
        proc = inst.train(run_dir, 'data.datasets=["secrets@1"]', f"train.steps={steps}", "checkpoint.every_steps=3")
        assert proc.returncode == 0, proc.stderr[-3000:]
    assert len(list((run_dir / "checkpoints").glob("step-*"))) >= 2 and "resumed from" in proc.stderr

    # The loader's local cache: whole epochs read twice, the second time from the cache.
    proc = subprocess.run(
        [sys.executable, "-c", READ_THROUGH_CACHE],
        env=inst.env | {"AIRCLUSTER_USER": "bob"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0 and json.loads(proc.stdout) == sorted(canaries), proc.stderr[-3000:]
    stored = {p.read_bytes() for p in inst.location("secrets@1").glob("shard-*.air")}
    cached = list(inst.cache.glob("*.air"))
    assert cached and all(p.read_bytes() in stored for p in cached)  # the cache holds the ciphertext, byte for byte

    # A reader killed in the middle of its output leaves nothing behind.
    reader = subprocess.Popen(
        [sys.executable, "-m", "aircluster.cli", "data", "read", "secrets@1"],
        env=inst.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert reader.stdout is not None and b"CANARY-" in reader.stdout.readline()
    reader.send_signal(signal.SIGKILL)
    reader.communicate()

    # An integrity error names the shard and prints no data.
    shard = inst.location("secrets@1") / "shard-00001.air"
    original = shard.read_bytes()
    shard.write_bytes(original[:-200] + bytes([original[-200] ^ 1]) + original[-199:])
    failed = inst.fails("data", "read", "secrets@1", code=3)
    assert "secrets@1 shard 1" in failed.stderr and "CANARY-" not in failed.stderr
    shard.write_bytes(original)

    inst.ok("data", "expire", "secrets@1")

    written = inst.written_files()
    assert len(written) > 20 and any(p.parent.name.startswith("step-") for p in written)
    assert files_containing(written, [c.encode() for c in canaries]) == []

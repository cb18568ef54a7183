"""Plaintext only in memory (DESIGN.md, invariant 3): canaries never reach any file the program writes."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

from tests.conftest import run_cli_process
from tests.unit.store.conftest import write_jsonl


def files_containing(root: Path, needles: list[bytes]) -> list[str]:
    hits = []
    for dirpath, _, files in os.walk(root):
        for name in files:
            path = Path(dirpath) / name
            try:
                data = path.read_bytes()
            except OSError:
                continue
            hits += [f"{path}: {n!r}" for n in needles if n in data]
    return hits


def test_canaries_stay_out_of_every_written_file(tmp_path, permissive_policy):
    home, tmp, src = tmp_path / "home", tmp_path / "tmp", tmp_path / "src"
    for d in (tmp, src):
        d.mkdir()
    canaries = [f"CANARY-{uuid.uuid4().hex}" for _ in range(50)]
    records = [{"id": i, "text": f"note {c} end", "secret": c} for i, c in enumerate(canaries)]
    write_jsonl(src / "in.jsonl", records)
    env = {"AIRCLUSTER_HOME": str(home), "TMPDIR": str(tmp), "AIRCLUSTER_USER": "alice"}

    def run(*args: str, user: str = "alice") -> str:
        proc = run_cli_process(list(args), env=env | {"AIRCLUSTER_USER": user})
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    run("init")
    run("data", "import", "secrets", str(src / "in.jsonl"), "--policy", str(permissive_policy), "--shard-size", "2k",
        "--compress", "none")
    run("review", "approve", "secrets@1", "--note", "ok", user="steward")
    out = run("data", "read", "secrets@1", user="bob")
    assert sorted(json.loads(line)["secret"] for line in out.splitlines()) == sorted(canaries)  # the read really worked
    run("data", "verify", "secrets@1")
    run("audit", "tail", "-n", "100")
    run("data", "expire", "secrets@1")

    needles = [c.encode() for c in canaries]
    assert files_containing(home, needles) == []
    assert files_containing(tmp, needles) == []

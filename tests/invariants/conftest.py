"""A real installation, driven the way a user (or an attacker with an account) drives it.

Every command runs the `aircluster` entry point as a separate process (`run_cli_process`), against its own
AIRCLUSTER_HOME, TMPDIR, cache directory and audit witness (XDG_STATE_HOME), so tests can look at every file the
program wrote. Training runs `python -m aircluster.train.trainer`, the process the launcher starts on every node.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, run_cli_process, stop_server
from tests.unit.store.conftest import write_jsonl
from tests.unit.store.policies import ALLOW_ALL

# A language model small enough to train a few steps in seconds on one CPU thread.
TINY_LM = [
    str(REPO / "configs" / "lm-tiny.toml"),
    "model.args.dim=32",
    "model.args.n_layers=1",
    "data.seq_len=16",
    "data.batch_size=4",
    "train.precision=fp32",
    "train.val_every=0",
    "metrics.tensorboard=false",
]


class Installation:
    """One personal AIRCLUSTER_HOME with its own temp and cache directories, and its server."""

    def __init__(self, root: Path):
        self.root = root
        self.home = root / "home"
        self.tmp = root / "tmp"
        self.cache = root / "cache"
        self.src = root / "src"
        for d in (self.tmp, self.src):
            d.mkdir(parents=True)
        self.env = {
            "AIRCLUSTER_HOME": str(self.home),
            "TMPDIR": str(self.tmp),
            "AIRCLUSTER_CACHE_DIR": str(self.cache),
            # The audit heads this account has seen go with the installation, not into the real home: there, a
            # later run whose temp directory has the same path (a fixed --basetemp) would meet the heads of an
            # earlier run's log at that path, signed by another key, and rightly refuse the new one.
            "XDG_STATE_HOME": str(root / "state"),
            "AIRCLUSTER_MASTER_KEY_FILE": "",
            "AIRCLUSTER_JOB_ID": "",
            "AIRCLUSTER_SERVER_IDLE_EXIT": "60",
            "OMP_NUM_THREADS": "1",
            "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
        }
        self.policy = root / "allow-all.toml"
        self.policy.write_text(ALLOW_ALL)
        self.ok("init")
        self.ok("server", "start")  # started here, so no command's stderr says it started one

    # --- running commands ----------------------------------------------------------------------

    def run(self, *args: str, user: str = "alice", timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """`user` names the role a step plays in the story; a personal installation has one account, which the
        server names whatever the environment says (several real accounts: tests/unit/server)."""
        return run_cli_process([str(a) for a in args], env=self.env | {"AIRCLUSTER_USER": user}, timeout=timeout)

    def ok(self, *args: str, user: str = "alice") -> str:
        proc = self.run(*args, user=user)
        assert proc.returncode == 0, f"aircluster {' '.join(map(str, args))} exited {proc.returncode}: {proc.stderr}"
        return proc.stdout

    def fails(self, *args: str, code: int, user: str = "alice") -> subprocess.CompletedProcess[str]:
        """Run a command that must fail with exit `code` and exactly one line on stderr, no traceback."""
        proc = self.run(*args, user=user)
        assert proc.returncode == code, (proc.returncode, proc.stdout[-2000:], proc.stderr[-2000:])
        assert proc.stderr.startswith("error: ") and proc.stderr.count("\n") == 1, proc.stderr
        assert "Traceback" not in proc.stderr
        return proc

    def train(self, run_dir: Path, *overrides: str) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "aircluster.train.trainer", *TINY_LM, f"train.run_dir={run_dir}", *overrides]
        return subprocess.run(cmd, env=dict(os.environ) | self.env, capture_output=True, text=True, timeout=600, check=False)

    # --- datasets ---------------------------------------------------------------------------------

    def import_records(self, name: str, records: list[dict[str, Any]], *extra: str, shard_size: str = "2k") -> dict[str, Any]:
        source = write_jsonl(self.src / f"{name}-{len(list(self.src.iterdir()))}.jsonl", records)
        out = self.ok(
            "data",
            "import",
            name,
            str(source),
            "--policy",
            str(self.policy),
            "--shard-size",
            shard_size,
            "--json",
            *extra,
        )
        return json.loads(out)

    def approve(self, ref: str, user: str = "steward") -> None:
        self.ok("review", "approve", ref, "--note", "checked the report", user=user)

    def read(self, ref: str, user: str = "bob") -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.ok("data", "read", ref, user=user).splitlines()]

    def show(self, ref: str) -> dict[str, Any]:
        return json.loads(self.ok("data", "show", ref, "--json"))

    def location(self, ref: str) -> Path:
        return Path(self.show(ref)["location"])

    def audit(self, n: int = 1000) -> list[dict[str, Any]]:
        return json.loads(self.ok("audit", "tail", "-n", str(n), "--json"))

    # --- files ------------------------------------------------------------------------------------

    def written_files(self) -> list[Path]:
        """Every file under the home, the temp directory and the cache: everything the program wrote (the
        server's socket is no file to read)."""
        return [
            Path(d) / f
            for root in (self.home, self.tmp, self.cache)
            if root.exists()
            for d, _, names in os.walk(root)
            for f in names
            if (Path(d) / f).is_file()
        ]

    def key_ids(self) -> list[str]:
        from tests.invariants.keyholder import wrapped_keys

        return sorted(wrapped_keys(self.home / "server" / "keys" / "keystore.db"))


def shard_records(location: Path) -> list[int]:
    """Records per shard, from the (plain JSON) manifest."""
    return [s["records"] for s in json.loads((location / "manifest.json").read_text())["shards"]]


@pytest.fixture
def installation(tmp_path: Path) -> Iterator[Installation]:
    inst = Installation(tmp_path / "inst")
    yield inst
    stop_server(inst.home)


@pytest.fixture(scope="module")
def module_installation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installation]:
    """One installation for a whole test file (imports are the slow part: the privacy scan loads its models)."""
    inst = Installation(tmp_path_factory.mktemp("inst"))
    yield inst
    stop_server(inst.home)


def restore_tree(pristine: Path, target: Path) -> None:
    shutil.rmtree(target)
    shutil.copytree(pristine, target)

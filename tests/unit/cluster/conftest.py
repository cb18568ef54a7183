"""The emulated Slurm cluster (scripts/slurm-local.sh) as a session fixture, and helpers to poll it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest

from tests.accounts import make_traversable

REPO = Path(__file__).resolve().parents[3]
SLURM_LOCAL = REPO / "scripts" / "slurm-local.sh"
SLURM_TOOLS = ("munged", "slurmctld", "slurmd", "srun", "sbatch", "scontrol", "sinfo")
NUM_NODES = 4

T = TypeVar("T")


@dataclass
class SlurmCluster:
    """A running emulated cluster: `env` is a full environment for Slurm client commands."""

    state_dir: Path
    env: dict[str, str]
    nodes: list[str]
    requeue_exit: int

    def run(
        self, *argv: str, timeout: float = 60, check: bool = True, extra_env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        env = {**self.env, **(extra_env or {})}
        return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout, check=check)

    def script(self, *argv: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return self.run(str(SLURM_LOCAL), *argv, timeout=timeout)

    def job(self, job_id: str) -> dict[str, str]:
        """`scontrol show job` as a dict (works without an accounting database)."""
        out = self.run("scontrol", "-o", "show", "job", job_id).stdout
        return dict(item.split("=", 1) for item in out.split() if "=" in item)

    def node_state(self, node: str) -> str:
        return self.run("sinfo", "-h", "-n", node, "-o", "%t").stdout.strip()

    def describe(self, job_id: str | None = None, lines: int = 25) -> str:
        """What a failed wait needs to be understood from CI's output alone: the job's state and reason,
        every node's state and reason, and the end of the controller's log."""
        parts = []
        if job_id:
            shown = self.run("scontrol", "-o", "show", "job", job_id, check=False).stdout
            fields = dict(t.split("=", 1) for t in shown.split() if "=" in t)
            keep = ("JobState", "Reason", "Restarts", "NodeList", "ExcNodeList", "BatchHost", "BeginTime", "ExitCode")
            parts.append(f"slurm job {job_id}: " + " ".join(f"{k}={fields.get(k, '?')}" for k in keep))
        nodes = self.run("sinfo", "-h", "-N", "-o", "%N %T %E", check=False).stdout.strip()
        parts.append("nodes:\n" + nodes)
        log = self.state_dir / "log" / "slurmctld.log"
        if log.exists():
            tail = log.read_text(errors="replace").splitlines()[-lines:]
            parts.append("slurmctld.log (end):\n" + "\n".join(tail))
        return "\n".join(parts)


def wait_for(what: str, probe: Callable[[], T | None], timeout: float, interval: float = 0.5) -> T:
    """Poll `probe` until it returns something truthy; fail naming `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


def _free_port_block(count: int, start: int = 21000, stop: int = 30000) -> int:
    """The first port of `count` consecutive free TCP ports (slurmctld, then one per node)."""
    for base in range(start, stop, count + 1):
        try:
            for port in range(base, base + count):
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise RuntimeError(f"no {count} consecutive free ports in {start}-{stop}")


@pytest.fixture(scope="session")
def slurm_cluster() -> Iterator[SlurmCluster]:
    missing = [tool for tool in SLURM_TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.fail(
            f"Slurm tests need {', '.join(missing)}: run scripts/install-slurm.sh as root "
            "or 'sudo apt-get install -y slurm-wlm munge'",
            pytrace=False,
        )
    # Not under pytest's basetemp: any pytest session of root starting meanwhile makes that 0700 again, and
    # ordinary accounts (and a shared server's account) reach slurm.conf and munged through this directory.
    state_dir = Path(tempfile.mkdtemp(prefix="aircluster-t-slurm-"))
    make_traversable(state_dir)
    env = dict(os.environ)
    env["AIRCLUSTER_SLURM_DIR"] = str(state_dir)
    env["AIRCLUSTER_SLURM_PORT"] = str(_free_port_block(NUM_NODES + 1))
    env["AIRCLUSTER_SLURM_NODES"] = str(NUM_NODES)
    exports = subprocess.run([str(SLURM_LOCAL), "env"], env=env, capture_output=True, text=True, check=True)
    for line in exports.stdout.splitlines():
        name, value = line.removeprefix("export ").split("=", 1)
        env[name] = value
    cluster = SlurmCluster(
        state_dir=state_dir,
        env=env,
        nodes=[f"node{k}" for k in range(1, NUM_NODES + 1)],
        requeue_exit=int(env["AIRCLUSTER_SLURM_REQUEUE_EXIT"]),
    )
    up = subprocess.run([str(SLURM_LOCAL), "up"], env=env, capture_output=True, text=True, timeout=180)
    if up.returncode != 0:
        subprocess.run([str(SLURM_LOCAL), "down", "--purge"], env=env, capture_output=True, timeout=60)
        pytest.fail(f"slurm-local.sh up failed: {up.stderr.strip()}", pytrace=False)
    try:
        yield cluster
    finally:
        subprocess.run([str(SLURM_LOCAL), "down", "--purge"], env=env, capture_output=True, timeout=60)

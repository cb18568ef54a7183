"""What this cluster's Slurm says about its nodes, and what aircluster remembers of their failures:
the allocation's nodes, a node's state, nodes that went down or restarted, and suspect ("lemon") nodes."""

from __future__ import annotations

import os
import subprocess
import time

from aircluster.client.jobs import RemoteJobs

SUSPECT_AFTER = 2  # failures of one node before it is suspect and excluded
NODE_BAD_STATES = ("DOWN", "FAIL", "NOT_RESPONDING")  # a drain (health, operator) is not a failure


def suspect_nodes(jobs: RemoteJobs) -> list[str]:
    """Nodes with SUSPECT_AFTER failures over every job of the installation (the server counts them:
    lemon-node detection is cluster-wide)."""
    return sorted(n for n, c in jobs.node_failures().items() if c >= SUSPECT_AFTER)


def nodes_of_allocation() -> list[str]:
    nodelist = os.environ.get("SLURM_JOB_NODELIST", "")
    proc = subprocess.run(["scontrol", "show", "hostnames", nodelist], capture_output=True, text=True)
    return proc.stdout.split()


def node_info(node: str) -> dict[str, str]:
    proc = subprocess.run(["scontrol", "-o", "show", "node", node], capture_output=True, text=True)
    return dict(token.split("=", 1) for token in proc.stdout.split() if "=" in token)


def slurm_time(text: str | None) -> float | None:
    try:
        return time.mktime(time.strptime(text or "", "%Y-%m-%dT%H:%M:%S"))
    except ValueError:
        return None


def failed_nodes(nodes: list[str], since: float | None = None) -> list[str]:
    """Nodes that are down or not answering, or (with `since`) whose slurmd restarted after `since`:
    a node that died and came back (revived, rebooted) while an attempt ran on it failed all the same."""
    failed = []
    for node in nodes:
        info = node_info(node)
        state = info.get("State", "")
        restarted = slurm_time(info.get("SlurmdStartTime"))
        if (
            any(s in state for s in NODE_BAD_STATES)
            or state.endswith("*")
            or (since is not None and restarted is not None and restarted > since)
        ):
            failed.append(node)
    return failed

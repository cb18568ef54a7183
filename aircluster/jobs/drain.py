"""Draining a node in Slurm after a failed health check, so the scheduler places no job there until an
operator has looked (the reason is kept in Slurm for them)."""

from __future__ import annotations

import shutil
import subprocess


def drain_reason(check: str, message: str) -> str:
    return f"aircluster health: {check}: {message}"


def drain_node(node: str, reason: str) -> str | None:
    """Ask Slurm to drain `node`; returns None on success, else why it could not."""
    if shutil.which("scontrol") is None:
        return "scontrol not found"
    # Slurm keeps the reason for operators; keep it to one short line.
    reason = " ".join(reason.split())[:200]
    done = subprocess.run(
        ["scontrol", "update", f"nodename={node}", "state=drain", f"reason={reason}"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    return None if done.returncode == 0 else (done.stderr.strip() or f"scontrol exited {done.returncode}")

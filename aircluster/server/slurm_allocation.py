"""What Slurm itself says about an allocation and its nodes, asked by the server (never taken from a client):
whose allocation a Slurm job id is, which nodes it holds now, and which addresses those nodes have.

The server runs Slurm's client commands with its own environment (SLURM_CONF, munged): `scontrol -o show job`
for the owner and node list, `scontrol show hostnames` to expand it, `scontrol -o show node` for a node's
NodeAddr and NodeHostName, resolved with getaddrinfo.
"""

from __future__ import annotations

import re
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from aircluster import installation
from aircluster.errors import AirclusterError

SCONTROL_TIMEOUT_S = 10.0
ADDRESS_CACHE_S = 60.0  # a node's addresses change with the cluster's configuration, not per request
_USER_ID = re.compile(r"^(?P<name>[^()]*)\((?P<uid>\d+)\)$")


class SlurmUnavailable(AirclusterError):
    """Slurm could not be asked (no scontrol, controller unreachable): the server cannot verify an allocation."""


@dataclass(frozen=True)
class Allocation:
    slurm_job_id: str
    user: str  # the account that owns the allocation, as aircluster names accounts
    uid: int
    state: str
    nodes: list[str]  # empty while the job waits in the queue


def _scontrol(*args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["scontrol", *args], capture_output=True, text=True, timeout=SCONTROL_TIMEOUT_S)
    except FileNotFoundError:
        raise SlurmUnavailable("scontrol not found on the server's host: it cannot verify Slurm allocations") from None
    except subprocess.TimeoutExpired:
        raise SlurmUnavailable(f"Slurm did not answer within {SCONTROL_TIMEOUT_S:g} s") from None


def _fields(text: str) -> dict[str, str]:
    return dict(item.split("=", 1) for item in text.split() if "=" in item)


def expand(nodelist: str) -> list[str]:
    """node[1-2],node4 → ["node1", "node2", "node4"] (Slurm's own expansion)."""
    if nodelist in ("", "(null)"):
        return []
    proc = _scontrol("show", "hostnames", nodelist)
    if proc.returncode != 0:
        raise SlurmUnavailable(f"scontrol cannot expand the node list {nodelist!r}: {proc.stderr.strip()}")
    return proc.stdout.split()


def lookup(slurm_job_id: str) -> Allocation | None:
    """The allocation as Slurm's controller reports it, or None if Slurm does not know the job id."""
    proc = _scontrol("-o", "show", "job", slurm_job_id)
    if proc.returncode != 0:
        if "Invalid job id" in proc.stderr:
            return None
        raise SlurmUnavailable(f"Slurm cannot be asked about job {slurm_job_id}: {proc.stderr.strip()}")
    # an array job prints one line per task; the id we were given names the first
    fields = _fields(proc.stdout.splitlines()[0] if proc.stdout.strip() else "")
    owner = _USER_ID.match(fields.get("UserId", ""))
    if owner is None:
        raise SlurmUnavailable(f"scontrol show job {slurm_job_id} printed no owner (UserId=...)")
    uid = int(owner["uid"])
    return Allocation(
        slurm_job_id=slurm_job_id,
        user=installation.account_name(uid),
        uid=uid,
        state=fields.get("JobState", "UNKNOWN"),
        nodes=expand(fields.get("NodeList", "")),
    )


_addresses: dict[str, tuple[float, frozenset[str]]] = {}
_lock = threading.Lock()


def _cached(key: str, find: Callable[[], frozenset[str]]) -> frozenset[str]:
    now = time.monotonic()
    with _lock:
        cached = _addresses.get(key)
        if cached is not None and now - cached[0] < ADDRESS_CACHE_S:
            return cached[1]
    addresses = find()
    with _lock:
        _addresses[key] = (now, addresses)
    return addresses


def node_addresses(node: str) -> frozenset[str]:
    """Every address of a Slurm node: its NodeAddr and NodeHostName, resolved (cached for a minute)."""

    def find() -> frozenset[str]:
        proc = _scontrol("-o", "show", "node", node)
        if proc.returncode != 0:
            raise SlurmUnavailable(f"Slurm cannot be asked about node {node}: {proc.stderr.strip()}")
        fields = _fields(proc.stdout)
        found: set[str] = set()
        for name in {fields.get("NodeAddr", ""), fields.get("NodeHostName", "")} - {"", "(null)"}:
            found |= resolve(name)
        return frozenset(found)

    return _cached(f"node:{node}", find)


def host_addresses() -> frozenset[str]:
    """The addresses of the server's own host (its name and localhost), cached like a node's: asked on every key
    batch a Slurm job requests over the Unix socket."""
    return _cached("host:", lambda: frozenset(resolve(socket.gethostname()) | resolve("localhost")))


def resolve(name: str) -> set[str]:
    """The addresses a host name (or address) stands for; empty if it does not resolve."""
    try:
        return {str(info[4][0]) for info in socket.getaddrinfo(name, None, proto=socket.IPPROTO_TCP)}
    except (socket.gaierror, UnicodeError):
        return set()

"""Node health checks, run by `aircluster health` and as a pre-flight at the start of every job.

Each check is a plain function returning a `CheckResult`; `run_health_checks` runs them all on this
node and `preflight` runs them on every node of a running job (one rank per node), adds a
collective bandwidth test over the job's ranks, shares the results so that every rank sees the same
report, and drains failing nodes in Slurm. As on RSC, a node that fails stops the job before
training starts, rather than failing it hours later.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

import psutil

from aircluster.errors import AirclusterError
from aircluster.jobs.allreduce import allreduce_bandwidth, allreduce_bandwidth_local
from aircluster.jobs.drain import drain_node, drain_reason

GB = 1e9
Status = Literal["ok", "fail", "skipped"]


class HealthCheckFailed(AirclusterError):
    """A node failed a health check: the message names the node and the check."""

    exit_code = 7


@dataclass(frozen=True)
class HealthThresholds:
    min_free_memory_gb: float = 0.5
    min_free_disk_gb: float = 1.0
    require_gpu: bool = False
    expected_gpus: int | None = None  # None: however many are visible
    min_allreduce_gbps: float = 0.0  # bus bandwidth floor; 0 reports without judging
    allreduce_mb: float = 8.0
    allreduce_iters: int = 5

    @classmethod
    def from_env(cls) -> HealthThresholds:
        """Defaults, with `AIRCLUSTER_HEALTH_<FIELD>` (e.g. AIRCLUSTER_HEALTH_MIN_FREE_MEMORY_GB=64) overriding
        the numeric ones: how an operator (or a test) sets the pre-flight's thresholds for a job."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = os.environ.get(f"AIRCLUSTER_HEALTH_{f.name.upper()}")
            if raw is not None and f.name != "require_gpu" and f.name != "expected_gpus":
                try:
                    values[f.name] = int(raw) if f.name == "allreduce_iters" else float(raw)
                except ValueError:
                    raise AirclusterError(f"AIRCLUSTER_HEALTH_{f.name.upper()}={raw!r} is not a number") from None
        return cls(**values)


@dataclass(frozen=True)
class CheckResult:
    node: str
    check: str
    status: Status
    message: str
    value: float | None = None
    unit: str = ""

    @property
    def ok(self) -> bool:
        return self.status != "fail"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Failure:
    node: str
    check: str
    message: str

    def __str__(self) -> str:
        return f"{self.node}: {self.check}: {self.message}"


@dataclass
class HealthReport:
    results: list[CheckResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)

    @property
    def failures(self) -> list[Failure]:
        return [Failure(r.node, r.check, r.message) for r in self.results if not r.ok]

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checks": [r.to_dict() for r in self.results],
            "failures": [asdict(f) for f in self.failures],
        }

    def raise_for_failures(self) -> None:
        if self.failures:
            raise HealthCheckFailed(failure_line(self.failures))


def failure_line(failures: list[Failure]) -> str:
    """One line naming the first failing node and check, and how many more failed."""
    first, more = failures[0], len(failures) - 1
    extra = f" (and {more} more: {'; '.join(map(str, failures[1:]))})" if more else ""
    return f"health check failed on {first.node}: {first.check}: {first.message}{extra}"


def node_name() -> str:
    """The Slurm node this process runs on (emulated nodes share a host), else the host name."""
    return os.environ.get("SLURMD_NODENAME") or socket.gethostname()


# --- node-local checks ------------------------------------------------------------------------


# Device files a CUDA (NVIDIA) or ROCm (AMD, also torch.cuda) GPU needs; without any, torch cannot see one.
GPU_DEVICE_GLOBS = ("/dev/nvidia[0-9]*", "/dev/kfd")


def gpu_device_files() -> list[str]:
    return [path for pattern in GPU_DEVICE_GLOBS for path in glob.glob(pattern)]


def check_devices(thresholds: HealthThresholds, node: str | None = None) -> CheckResult:
    node = node or node_name()
    # On a node without GPU device files, skip importing torch (2-3 s on a CPU node): the launcher runs
    # this on every node before every attempt, so it is on the path of every recovery.
    if not gpu_device_files():
        cuda = False
    else:
        import torch

        cuda = torch.cuda.is_available()
    if not cuda:
        cpus = len(os.sched_getaffinity(0))
        if thresholds.require_gpu or (thresholds.expected_gpus or 0) > 0:
            return CheckResult(node, "devices", "fail", f"no CUDA device visible (CPU only, {cpus} cores)", 0, "gpus")
        return CheckResult(node, "devices", "ok", f"CPU: {cpus} cores visible, no CUDA", cpus, "cpus")
    import torch

    count = torch.cuda.device_count()
    for index in range(count):
        try:
            torch.ones(1, device=f"cuda:{index}").add_(1).item()
        except Exception as err:  # a device that is listed but cannot compute is the failure we look for
            return CheckResult(node, "devices", "fail", f"cuda:{index} does not work: {err}", count, "gpus")
    if thresholds.expected_gpus is not None and count != thresholds.expected_gpus:
        return CheckResult(
            node, "devices", "fail", f"{count} CUDA devices visible, expected {thresholds.expected_gpus}", count, "gpus"
        )
    return CheckResult(node, "devices", "ok", f"{count} CUDA devices visible and working", count, "gpus")


def check_memory(thresholds: HealthThresholds, node: str | None = None) -> CheckResult:
    free_gb = psutil.virtual_memory().available / GB
    node = node or node_name()
    if free_gb < thresholds.min_free_memory_gb:
        return CheckResult(
            node, "memory", "fail", f"{free_gb:.2f} GB free, need {thresholds.min_free_memory_gb:g} GB", free_gb, "GB"
        )
    return CheckResult(node, "memory", "ok", f"{free_gb:.2f} GB free", free_gb, "GB")


def check_disk(checkpoint_dir: str | Path, thresholds: HealthThresholds, node: str | None = None) -> CheckResult:
    """Free space at the checkpoint directory, and that a file can be written there."""
    node = node or node_name()
    path = Path(checkpoint_dir)
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".health-", delete=True) as probe:
            probe.write(b"ok")
            probe.flush()
            os.fsync(probe.fileno())
        free_gb = shutil.disk_usage(path).free / GB
    except OSError as err:
        return CheckResult(node, "disk", "fail", f"cannot write to checkpoint directory {path}: {err.strerror or err}")
    if free_gb < thresholds.min_free_disk_gb:
        return CheckResult(
            node, "disk", "fail", f"{free_gb:.2f} GB free at {path}, need {thresholds.min_free_disk_gb:g} GB", free_gb, "GB"
        )
    return CheckResult(node, "disk", "ok", f"{free_gb:.2f} GB free at {path}", free_gb, "GB")


def check_store(store_dir: str | Path, node: str | None = None) -> CheckResult:
    """The dataset store (a local path or any fsspec URL) exists and can be listed."""
    import fsspec

    node = node or node_name()
    started = time.perf_counter()
    try:
        fs, root = fsspec.core.url_to_fs(str(store_dir))
        if not fs.isdir(root):
            return CheckResult(node, "store", "fail", f"store {store_dir} is not reachable (no such directory)")
        fs.ls(root, detail=False)
    except Exception as err:  # any backend error (network, permission, driver) means unreachable
        return CheckResult(node, "store", "fail", f"store {store_dir} is not reachable: {err}")
    millis = (time.perf_counter() - started) * 1000
    return CheckResult(node, "store", "ok", f"store {store_dir} reachable ({millis:.1f} ms)", millis, "ms")


def _default_key_service_probe() -> None:
    # The key service is the server: a node that cannot reach it (socket, TCP, MUNGE) cannot decrypt data.
    from aircluster.client.connection import Client

    with Client() as server:
        server.call("whoami")  # a real round trip: connected, authenticated, answered


def check_key_service(probe: Callable[[], object] | None = None, node: str | None = None) -> CheckResult:
    """The key service answers. `probe` raises when it does not; the default asks the aircluster server."""
    node = node or node_name()
    started = time.perf_counter()
    try:
        (probe or _default_key_service_probe)()
    except Exception as err:  # whatever stops the probe stops training from decrypting data
        return CheckResult(node, "key_service", "fail", f"key service not reachable: {err}")
    millis = (time.perf_counter() - started) * 1000
    return CheckResult(node, "key_service", "ok", f"key service reachable ({millis:.1f} ms)", millis, "ms")


def check_allreduce(
    thresholds: HealthThresholds, local_processes: int | None = None, node: str | None = None, group: Any = None
) -> CheckResult:
    """All-reduce bandwidth over the current process group, or among `local_processes` spawned ones."""
    import torch.distributed as dist

    node = node or node_name()
    nbytes = int(thresholds.allreduce_mb * 1e6)
    try:
        if dist.is_available() and dist.is_initialized():
            bandwidth = allreduce_bandwidth(nbytes, thresholds.allreduce_iters, group)
            where = f"{bandwidth.world_size} ranks"
        elif local_processes:
            bandwidth = allreduce_bandwidth_local(local_processes, nbytes, thresholds.allreduce_iters)
            where = f"{bandwidth.world_size} local gloo processes"
        else:
            return CheckResult(node, "allreduce", "skipped", "no process group; ask for local processes to test")
    except Exception as err:  # a collective that cannot complete is the failure this check is for
        return CheckResult(node, "allreduce", "fail", f"all-reduce failed: {err}")
    summary = (
        f"{bandwidth.busbw_gbps:.3f} GB/s bus bandwidth ({bandwidth.algbw_gbps:.3f} GB/s algorithm) over {where}, "
        f"{bandwidth.nbytes / 1e6:g} MB buffer"
    )
    if bandwidth.busbw_gbps < thresholds.min_allreduce_gbps:
        return CheckResult(
            node,
            "allreduce",
            "fail",
            f"{summary}: below {thresholds.min_allreduce_gbps:g} GB/s",
            bandwidth.busbw_gbps,
            "GB/s",
        )
    return CheckResult(node, "allreduce", "ok", summary, bandwidth.busbw_gbps, "GB/s")


# --- running them -----------------------------------------------------------------------------


def node_checks(
    checkpoint_dir: str | Path,
    store_dir: str | Path,
    thresholds: HealthThresholds,
    key_service_probe: Callable[[], object] | None = None,
    node: str | None = None,
) -> list[CheckResult]:
    """The checks that concern this node alone."""
    node = node or node_name()
    return [
        check_devices(thresholds, node),
        check_memory(thresholds, node),
        check_disk(checkpoint_dir, thresholds, node),
        check_store(store_dir, node),
        check_key_service(key_service_probe, node),
    ]


def run_health_checks(
    checkpoint_dir: str | Path,
    store_dir: str | Path,
    *,
    thresholds: HealthThresholds | None = None,
    key_service_probe: Callable[[], object] | None = None,
    local_processes: int | None = None,
    node: str | None = None,
) -> HealthReport:
    """All checks on this node (what `aircluster health` and one-process jobs run); thresholds default to
    AIRCLUSTER_HEALTH_* from the environment, as in `preflight`.

    The all-reduce runs over the current process group when there is one, else among
    `local_processes` spawned gloo processes when given, else it is reported as skipped.
    """
    thresholds = thresholds or HealthThresholds.from_env()
    node = node or node_name()
    results = node_checks(checkpoint_dir, store_dir, thresholds, key_service_probe, node)
    results.append(check_allreduce(thresholds, local_processes, node))
    return HealthReport(results)


def node_preflight(
    checkpoint_dir: str | Path,
    store_dir: str | Path,
    *,
    thresholds: HealthThresholds | None = None,
    key_service_probe: Callable[[], object] | None = None,
    node: str | None = None,
) -> HealthReport:
    """The node checks alone, with AIRCLUSTER_HEALTH_* thresholds: what the launcher runs once on each node
    before it starts the node's workers. A failure there is the node's, so the launcher stops (or moves)
    the job instead of letting torchrun restart workers on the same node; `preflight`, in the trainer,
    adds the collective test over the job's ranks."""
    thresholds = thresholds or HealthThresholds.from_env()
    return HealthReport(node_checks(checkpoint_dir, store_dir, thresholds, key_service_probe, node or node_name()))


def preflight(
    checkpoint_dir: str | Path,
    store_dir: str | Path,
    *,
    thresholds: HealthThresholds | None = None,
    key_service_probe: Callable[[], object] | None = None,
    drain: bool | None = None,
    raise_on_failure: bool = True,
) -> HealthReport:
    """The pre-flight check at the start of a job; every rank of the current process group calls it.

    The first rank on each node (LOCAL_RANK 0) runs the node checks; all ranks time an all-reduce;
    every rank gets the whole job's report. On Slurm (or when `drain` is true), each failing node
    drains itself. With `raise_on_failure`, every rank then raises `HealthCheckFailed`, naming the
    first failing node and check, so that the job stops before training starts.
    """
    import torch.distributed as dist

    if not (dist.is_available() and dist.is_initialized()):
        raise RuntimeError("preflight needs an initialised process group: call init_process_group first")
    thresholds = thresholds or HealthThresholds.from_env()
    node = node_name()
    local: list[CheckResult] = []
    if int(os.environ.get("LOCAL_RANK", "0")) == 0:
        local = node_checks(checkpoint_dir, store_dir, thresholds, key_service_probe, node)
    bandwidth = check_allreduce(thresholds, node=node)
    gathered: list[list[CheckResult] | None] = [None] * dist.get_world_size()
    dist.all_gather_object(gathered, local)
    results = [result for per_rank in gathered for result in per_rank or []]
    # Every rank measured the same all-reduce; report it once, for the whole job.
    results.append(
        CheckResult(
            f"job ({dist.get_world_size()} ranks)",
            "allreduce",
            bandwidth.status,
            bandwidth.message,
            bandwidth.value,
            bandwidth.unit,
        )
    )
    report = HealthReport(results)
    if drain is None:
        drain = "SLURM_JOB_ID" in os.environ
    mine = [f for f in report.failures if f.node == node and local]
    if drain and mine:
        problem = drain_node(node, drain_reason(mine[0].check, mine[0].message))
        if problem:
            report.results.append(CheckResult(node, "drain", "fail", f"could not drain {node}: {problem}"))
    if raise_on_failure:
        report.raise_for_failures()
    return report

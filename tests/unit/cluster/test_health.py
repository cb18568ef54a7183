"""Health checks: each check passes on a healthy node and fails, naming node and check, on a bad one."""

from __future__ import annotations

import multiprocessing as mp
import os
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import torch

from aircluster.jobs.health import (
    HealthCheckFailed,
    HealthThresholds,
    check_devices,
    check_disk,
    check_key_service,
    check_memory,
    check_store,
    preflight,
    run_health_checks,
)
from tests.servers import personal_server
from tests.unit.cluster.conftest import SlurmCluster, wait_for

REPO = Path(__file__).resolve().parents[3]
LENIENT = HealthThresholds(min_free_memory_gb=0.0, min_free_disk_gb=0.0, allreduce_mb=1.0, allreduce_iters=3)


@pytest.fixture
def key_service(home: Path) -> Iterator[Path]:
    """The key service is the installation's server: a personal one, running in the test's home."""
    with personal_server(home):
        yield home


@pytest.mark.slow
def test_healthy_node_passes_every_check_and_measures_allreduce(key_service: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    report = run_health_checks(tmp_path / "ckpt", store, thresholds=LENIENT, local_processes=2, node="nodeA")
    assert report.ok, report.failures
    by_check = {r.check: r for r in report.results}
    assert set(by_check) == {"devices", "memory", "disk", "store", "key_service", "allreduce"}
    assert all(r.node == "nodeA" for r in report.results)
    assert by_check["allreduce"].status == "ok" and by_check["allreduce"].value > 0
    assert by_check["allreduce"].unit == "GB/s"
    assert by_check["memory"].value > 0 and by_check["disk"].value > 0
    assert report.to_dict()["ok"] is True and report.to_dict()["failures"] == []


def test_without_a_process_group_the_allreduce_is_reported_skipped(key_service: Path, tmp_path: Path) -> None:
    report = run_health_checks(tmp_path / "ckpt", tmp_path, thresholds=LENIENT)
    allreduce = [r for r in report.results if r.check == "allreduce"]
    assert [r.status for r in allreduce] == ["skipped"]
    assert report.ok


def test_thresholds_fail_memory_and_disk(tmp_path: Path) -> None:
    greedy = HealthThresholds(min_free_memory_gb=1e9, min_free_disk_gb=1e9)
    memory = check_memory(greedy, node="n1")
    disk = check_disk(tmp_path, greedy, node="n1")
    assert (memory.status, disk.status) == ("fail", "fail")
    assert "need 1e+09 GB" in memory.message and str(tmp_path) in disk.message
    assert check_memory(LENIENT).ok and check_disk(tmp_path, LENIENT).ok


def test_unwritable_checkpoint_dir_fails_the_disk_check(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    result = check_disk(blocker / "ckpt", LENIENT, node="n1")
    assert result.status == "fail"
    assert "cannot write to checkpoint directory" in result.message


def test_missing_store_and_key_service_fail(home: Path, tmp_path: Path) -> None:
    store = check_store(tmp_path / "nowhere", node="n1")
    keys = check_key_service(node="n1")  # `home` is a fresh AIRCLUSTER_HOME: no server answers there
    assert store.status == "fail" and "not reachable" in store.message
    assert keys.status == "fail" and f"no aircluster server at {home / 'server.sock'}" in keys.message


def test_gpu_requirement_matches_the_devices_present() -> None:
    result = check_devices(HealthThresholds(require_gpu=True), node="n1")
    assert result.ok == torch.cuda.is_available()
    assert check_devices(HealthThresholds()).ok


def test_node_checks_on_a_node_without_gpu_devices_do_not_import_torch(tmp_path: Path) -> None:
    """They run on every node before every attempt: importing torch (seconds) would slow every recovery.
    The child process looks for GPU device files nowhere, so it is such a node on any machine."""
    code = (
        "import sys; from aircluster.jobs import health; health.GPU_DEVICE_GLOBS = (); "
        f"report = health.node_preflight({str(tmp_path)!r}, {str(tmp_path)!r}, key_service_probe=lambda: None); "
        "print(report.results[0].status, report.results[0].message); "
        "assert 'torch' not in sys.modules, 'torch was imported'"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok CPU:")


def test_report_error_names_node_and_check(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    report = run_health_checks(
        blocker, tmp_path / "missing-store", thresholds=LENIENT, key_service_probe=lambda: None, node="node7"
    )
    assert [(f.node, f.check) for f in report.failures] == [("node7", "disk"), ("node7", "store")]
    with pytest.raises(HealthCheckFailed, match=r"health check failed on node7: disk: .*and 1 more: node7: store"):
        report.raise_for_failures()


def _preflight_worker(rank: int, world: int, store_file: str, base: str, results: Any) -> None:
    import torch.distributed as dist

    os.environ["SLURMD_NODENAME"] = f"fake{rank}"  # each rank plays one node
    os.environ["LOCAL_RANK"] = "0"
    os.environ.pop("SLURM_JOB_ID", None)
    dist.init_process_group("gloo", store=dist.FileStore(store_file, world), rank=rank, world_size=world)
    try:
        thresholds = HealthThresholds(min_free_memory_gb=0, min_free_disk_gb=0, allreduce_mb=1, min_allreduce_gbps=1e6)
        report = preflight(
            Path(base) / f"fake{rank}" / "ckpt",
            base,
            thresholds=thresholds,
            key_service_probe=lambda: None,
            raise_on_failure=False,
        )
        try:
            report.raise_for_failures()
            message = ""
        except HealthCheckFailed as err:
            message = str(err)
        results.put((rank, report.to_dict(), message))
    finally:
        dist.destroy_process_group()


@pytest.mark.slow
def test_preflight_gives_every_rank_the_same_report_naming_the_failing_node(tmp_path: Path) -> None:
    (tmp_path / "fake1").write_text("")  # rank 1's checkpoint directory cannot be created
    ctx = mp.get_context("spawn")
    results = ctx.Queue()
    procs = [
        ctx.Process(target=_preflight_worker, args=(r, 2, str(tmp_path / "store"), str(tmp_path), results)) for r in range(2)
    ]
    for proc in procs:
        proc.start()
    outcomes = sorted(results.get(timeout=240) for _ in procs)
    for proc in procs:
        proc.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    (_, report0, message0), (_, report1, message1) = outcomes
    assert report0 == report1
    failures = {(f["node"], f["check"]) for f in report0["failures"]}
    assert failures == {("fake1", "disk"), ("job (2 ranks)", "allreduce")}
    assert {c["node"] for c in report0["checks"] if c["check"] == "memory"} == {"fake0", "fake1"}
    assert message0 == message1 and message0.startswith("health check failed on fake1: disk:")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
@pytest.mark.slurm
def test_failing_node_is_drained_in_slurm_and_the_job_stops(
    slurm_cluster: SlurmCluster, key_service: Path, tmp_path: Path
) -> None:
    bad, good = "node2", "node1"
    (tmp_path / bad).write_text("")  # the bad node's checkpoint directory cannot be created
    program = tmp_path / "preflight.py"
    program.write_text(
        textwrap.dedent(f"""
        import os, sys
        from pathlib import Path
        import torch.distributed as dist
        from aircluster.jobs.health import HealthCheckFailed, HealthThresholds, preflight

        rank, world = int(os.environ["SLURM_PROCID"]), int(os.environ["SLURM_NTASKS"])
        dist.init_process_group("gloo", init_method="tcp://127.0.0.1:{_free_port()}", rank=rank, world_size=world)
        node = os.environ["SLURMD_NODENAME"]
        thresholds = HealthThresholds(min_free_memory_gb=0, min_free_disk_gb=0, allreduce_mb=1)
        try:
            preflight(Path({str(tmp_path)!r}) / node / "ckpt", {str(tmp_path)!r}, thresholds=thresholds)
        except HealthCheckFailed as err:
            print(f"{{node}}: {{err}}", flush=True)
            sys.exit(3)
        print(f"{{node}}: training would start", flush=True)
    """)
    )
    try:
        done = slurm_cluster.run(
            "srun",
            "-N",
            "2",
            "-w",
            f"{good},{bad}",
            "--ntasks-per-node=1",
            "--kill-on-bad-exit=0",
            sys.executable,
            str(program),
            timeout=300,
            check=False,
            extra_env={"AIRCLUSTER_HOME": str(key_service), "PYTHONPATH": str(REPO)},
        )
        lines = sorted(done.stdout.splitlines())
        assert done.returncode != 0
        assert len(lines) == 2 and all(f"health check failed on {bad}: disk:" in line for line in lines), done
        state, reason = slurm_cluster.run("sinfo", "-h", "-n", bad, "-o", "%T|%E").stdout.strip().split("|")
        assert state.startswith("drain") and "aircluster health: disk" in reason
        # the healthy node is not drained: it returns to idle once the step has finished completing
        wait_for(f"{good} idle", lambda: slurm_cluster.node_state(good) == "idle", timeout=60)
    finally:
        slurm_cluster.run("scontrol", "update", f"nodename={bad}", "state=resume", check=False)

"""The emulated Slurm cluster behaves like a real one: gang launch, batch jobs, requeue on failure."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.unit.cluster.conftest import SlurmCluster, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.slurm]


def _write_script(path: Path, body: str) -> Path:
    path.write_text("#!/bin/bash\n" + body)
    path.chmod(0o755)
    return path


def test_srun_runs_one_task_on_each_node(slurm_cluster: SlurmCluster) -> None:
    out = slurm_cluster.run(
        "srun",
        "-N",
        str(len(slurm_cluster.nodes)),
        "--ntasks-per-node=1",
        "bash",
        "-c",
        'echo "$SLURMD_NODENAME $SLURM_PROCID"',
    ).stdout
    lines = [line.split() for line in out.splitlines()]
    assert sorted(node for node, _ in lines) == slurm_cluster.nodes
    assert sorted(int(rank) for _, rank in lines) == list(range(len(slurm_cluster.nodes)))


def test_batch_job_completes(slurm_cluster: SlurmCluster, tmp_path: Path) -> None:
    script = _write_script(tmp_path / "job.sh", 'echo "ran on $SLURMD_NODENAME as job $SLURM_JOB_ID"\n')
    output = tmp_path / "job.out"
    # --wait returns when the job ends, with the job's exit code.
    submitted = slurm_cluster.run("sbatch", "--parsable", "--wait", "-o", str(output), str(script), timeout=120)
    job_id = submitted.stdout.strip().split(";")[0]
    node, job_in_output = output.read_text().split()[2], output.read_text().split()[-1]
    assert node in slurm_cluster.nodes
    assert job_in_output == job_id
    assert slurm_cluster.job(job_id)["JobState"] == "COMPLETED"


def test_exit_code_requeue_exit_requeues_the_job(slurm_cluster: SlurmCluster, tmp_path: Path) -> None:
    log = tmp_path / "attempts.log"
    # The first attempt asks for a restart with RequeueExit; the second finishes.
    script = _write_script(
        tmp_path / "job.sh",
        f'echo "attempt ${{SLURM_RESTART_COUNT:-0}}" >> {log}\n'
        f'[ "${{SLURM_RESTART_COUNT:-0}}" = 0 ] && exit {slurm_cluster.requeue_exit}\n'
        "exit 0\n",
    )
    job_id = slurm_cluster.run("sbatch", "--parsable", "-o", "/dev/null", str(script)).stdout.strip()
    job = wait_for(
        f"job {job_id} to complete after one requeue",
        lambda: (j := slurm_cluster.job(job_id))["JobState"] == "COMPLETED" and j,
        timeout=90,
    )
    assert job["Restarts"] == "1"  # pyright: ignore[reportIndexIssue]  (wait_for returns the job dict, not the bool)
    assert log.read_text().split("\n")[:2] == ["attempt 0", "attempt 1"]


def _quiet(cluster: SlurmCluster) -> bool:
    states = cluster.run("sinfo", "-h", "-N", "-o", "%t", check=False).stdout.split()
    jobs = cluster.run("squeue", "-h", "-o", "%i", check=False).stdout.split()
    return bool(states) and set(states) == {"idle"} and not jobs


def test_dead_node_is_marked_down_and_its_job_requeued(slurm_cluster: SlurmCluster, tmp_path: Path) -> None:
    log = tmp_path / "attempts.log"
    script = _write_script(
        tmp_path / "job.sh",
        f'echo "$SLURMD_NODENAME ${{SLURM_RESTART_COUNT:-0}}" >> {log}\nexec sleep 600\n',
    )
    # A quiet cluster first: jobs of earlier tests still completing on a node can keep it from being marked down.
    wait_for("every node idle and no job left", lambda: _quiet(slurm_cluster), timeout=90)
    job_id = slurm_cluster.run("sbatch", "--parsable", "--requeue", "-N", "1", "-o", "/dev/null", str(script)).stdout.strip()
    wait_for(f"job {job_id} to start", lambda: log.exists() and log.read_text().strip(), timeout=60)
    dead_node = log.read_text().split()[0]
    try:
        killed_at = time.monotonic()
        slurm_cluster.script("kill-node", dead_node)
        try:
            wait_for(f"{dead_node} to be marked down", lambda: slurm_cluster.node_state(dead_node).startswith("down"), 120)
        except pytest.fail.Exception:
            left = slurm_cluster.run("pgrep", "-af", f"slurm|{slurm_cluster.state_dir}", check=False).stdout
            pytest.fail(f"{dead_node} not marked down within 120 s\n{slurm_cluster.describe(job_id)}\nprocesses:\n{left}")
        down_after = time.monotonic() - killed_at
        attempts = wait_for(
            f"job {job_id} to run again",
            lambda: [line.split() for line in log.read_text().splitlines() if line.endswith(" 1")],
            timeout=120,
        )
        running_again_after = time.monotonic() - killed_at
        job = slurm_cluster.job(job_id)
        assert job["Restarts"] == "1"
        assert job["JobState"] == "RUNNING"
        assert attempts[0][0] != dead_node
        print(f"\n{dead_node} down after {down_after:.1f}s; job {job_id} running again after {running_again_after:.1f}s")
    finally:
        slurm_cluster.run("scancel", job_id, check=False)
        slurm_cluster.script("revive-node", dead_node)
    wait_for(f"{dead_node} to return to service", lambda: slurm_cluster.node_state(dead_node) == "idle", timeout=60)

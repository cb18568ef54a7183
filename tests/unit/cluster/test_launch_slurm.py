"""`aircluster train --backend slurm` on the emulated cluster, and under failures.

Each failure case submits the same tiny 2-node x 1-process FSDP2 job, injects the fault after the
checkpoint of step 10, and ends with the job completed and its losses and final model bitwise equal to
an uninterrupted run's (same data order, every sample exactly once).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.unit.cluster.conftest import SlurmCluster, wait_for
from tests.unit.cluster.test_launch_local import (
    STEPS,
    TRAIN_ARGS,
    Timeline,
    aircluster,
    assert_same_training,
    catalog_timeline,
    new_home,
    reference_run,
    show,
)
from tests.unit.jobs.test_job_credentials import token_of

pytestmark = [pytest.mark.slow, pytest.mark.slurm]

JOB_TIMEOUT = 300


def slurm_home(cluster: SlurmCluster, tmp_path: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    return new_home(tmp_path / "home", {**cluster.env, **(extra or {})})


def submit(env: dict[str, str], *flags: str) -> dict[str, Any]:
    out = aircluster(
        env, "train", *TRAIN_ARGS, "--backend", "slurm", "--nodes", "2", "--procs-per-node", "1", "--detach", "--json", *flags
    ).stdout
    return json.loads(out)


def allocation(cluster: SlurmCluster, slurm_id: str) -> list[str]:
    nodelist = cluster.job(slurm_id).get("NodeList", "")
    return cluster.run("scontrol", "show", "hostnames", nodelist).stdout.split() if nodelist not in ("", "(null)") else []


def wait_final(cluster: SlurmCluster, timeline: Timeline, job_id: str, timeout: float = JOB_TIMEOUT) -> None:
    """Wait for the job's record to end; on a timeout, fail with what Slurm and the record say."""
    try:
        wait_for(
            f"job {job_id} to end",
            lambda: timeline.jobs.get(job_id).status in ("completed", "failed", "cancelled"),
            timeout=timeout,
        )
    except pytest.fail.Exception as e:
        job = timeline.jobs.get(job_id)
        events = [
            f"{ev['kind']}{'@' + str(ev['step']) if 'step' in ev else ''}"
            for ev in timeline.events(job_id)
            if ev["kind"] != "step"
        ]
        pytest.fail(
            f"{e}\njob {job_id}: status {job.status}, message {job.message!r}\nevents: {' '.join(events)}\n"
            f"{cluster.describe(job.slurm_job_id)}",
            pytrace=False,
        )


@dataclass
class FaultRun:
    env: dict[str, str]
    doc: dict[str, Any]  # `aircluster jobs show --json` at the end
    slurm_id: str
    nodes: list[str]  # the first attempt's allocation
    fault_at: float

    def events(self, kind: str) -> list[dict[str, Any]]:
        return [e for e in self.doc["events"] if e["kind"] == kind]

    @property
    def training_again_after(self) -> float:
        return next(e["at"] for e in self.events("attempt") if e["at"] > self.fault_at) - self.fault_at


def run_with_fault(
    cluster: SlurmCluster,
    tmp_path: Path,
    inject: Callable[[str, list[str]], None],
    before: Callable[[dict[str, str], str, list[str]], None] | None = None,
) -> FaultRun:
    """Submit the job, wait for the checkpoint of step 10, `inject(slurm_id, nodes)`, wait for the end."""
    env = slurm_home(cluster, tmp_path)
    timeline = catalog_timeline(env)
    job = submit(env)
    job_id, slurm_id = job["id"], job["slurm_job_id"]
    try:
        wait_for("the checkpoint of step 10", lambda: timeline.checkpointed(job_id, 10), timeout=180, interval=0.2)
        nodes = allocation(cluster, slurm_id)
        assert len(nodes) == 2, nodes
        if before:
            before(env, job_id, nodes)
        fault_at = time.time()
        inject(slurm_id, nodes)
        wait_final(cluster, timeline, job_id)
    finally:
        if timeline.jobs.get(job_id).status not in ("completed", "failed", "cancelled"):
            cluster.run("scancel", slurm_id, check=False)
    return FaultRun(env, show(env, job_id), slurm_id, nodes, fault_at)


def assert_resumed_and_identical(run: FaultRun, tmp_path_factory: pytest.TempPathFactory, label: str) -> None:
    doc = run.doc
    assert doc["status"] == "completed", (doc["status"], doc["message"])
    attempts = run.events("attempt")
    assert len(attempts) >= 2, attempts
    checkpoints_before = [e["step"] for e in run.events("checkpoint") if e["at"] < attempts[-1]["at"]]
    # Resumed from the last checkpoint. It may be newer than the last one the timeline recorded: a checkpoint is
    # published first and reported after, and the fault can fall between the two. That the resumed run is the
    # uninterrupted one, step for step, is checked below against the reference run.
    assert attempts[-1]["step"] >= max(checkpoints_before) >= 10
    assert doc["restarts"] >= 1
    assert doc["ettr"]["failures"] >= 1 and doc["ettr"]["last_step"] == STEPS
    print(f"\n{label}: training again after {run.training_again_after:.1f}s; ETTR {doc['ettr']['ettr']:.3f}")
    assert_same_training(Path(doc["run_dir"]), reference_run(tmp_path_factory))


def wait_idle(cluster: SlurmCluster, node: str) -> None:
    try:
        wait_for(f"{node} to be idle", lambda: cluster.node_state(node) == "idle", timeout=90)
    except pytest.fail.Exception:
        state = cluster.run("sinfo", "-h", "-N", "-n", node, "-o", "%T %E", check=False).stdout.strip()
        jobs = cluster.run("squeue", "-h", "-w", node, "-o", "%i %j %T %M", check=False).stdout.strip()
        pytest.fail(f"{node} not idle after 90s: {state}; jobs on it: {jobs or 'none'}", pytrace=False)


# --- the integration test ---------------------------------------------------------------------


def test_two_node_fsdp_job_completes_and_its_record_is_right(
    slurm_cluster: SlurmCluster, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    env = slurm_home(slurm_cluster, tmp_path)
    started = time.time()
    proc = aircluster(
        env, "train", *TRAIN_ARGS, "--backend", "slurm", "--nodes", "2", "--procs-per-node", "1", "--json", timeout=JOB_TIMEOUT
    )
    doc = json.loads(proc.stdout)
    assert doc == {**show(env, doc["id"]), "ettr": doc["ettr"]}
    assert doc["status"] == "completed" and doc["exit_code"] == 0 and doc["message"] is None
    assert doc["backend"] == "slurm" and (doc["nodes"], doc["procs_per_node"]) == (2, 1)
    assert doc["restarts"] == 0
    slurm = slurm_cluster.job(doc["slurm_job_id"])
    assert slurm["JobState"] == "COMPLETED" and slurm["JobName"] == f"aircluster-{doc['id']}"
    assert slurm["NumNodes"] == "2" and slurm["Requeue"] == "1"
    attempt = [e for e in doc["events"] if e["kind"] == "slurm_attempt"]
    assert len(attempt) == 1 and attempt[0]["slurm_job_id"] == doc["slurm_job_id"]
    nodes = attempt[0]["nodes"]
    assert len(set(nodes)) == 2 and set(nodes) <= set(slurm_cluster.nodes)
    assert doc["nodes_used"] == sorted(nodes)  # emulated node names, not the host's
    kinds = [e["kind"] for e in doc["events"] if e["kind"] != "step"]
    assert kinds[:6] == ["submitted", "slurm_submitted", "slurm_attempt", "running", "health", "attempt"]
    assert kinds[-2:] == ["attempt_end", "completed"]
    assert started <= doc["created_at"] <= doc["started_at"] <= doc["ended_at"] <= time.time()
    ettr = doc["ettr"]
    assert (ettr["attempts"], ettr["failures"], ettr["last_step"]) == (1, 0, STEPS) and 0 < ettr["ettr"] < 1
    run_dir = Path(doc["run_dir"])
    script = (run_dir / "job.sbatch").read_text()
    assert "#SBATCH --nodes=2" in script and "--rdzv-backend=c10d" in script
    # Both ranks trained, one per emulated node, under one torchrun rendezvous.
    out = (run_dir / "logs" / f"slurm-{doc['slurm_job_id']}.out").read_text()
    assert "cpu x 2 procs, fsdp" in out
    assert sorted(p.name for p in (run_dir / "logs").glob("rank*.log")) == ["rank0.log", "rank1.log"]
    assert_same_training(run_dir, reference_run(tmp_path_factory))


# --- failures -----------------------------------------------------------------------------------


def test_dead_node_job_is_requeued_and_resumes(
    slurm_cluster: SlurmCluster, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    dead: list[str] = []

    def kill(slurm_id: str, nodes: list[str]) -> None:
        dead.append(nodes[1])  # not the batch host: its srun and torchrun outlive the node
        slurm_cluster.script("kill-node", nodes[1])

    try:
        run = run_with_fault(slurm_cluster, tmp_path, kill)
    finally:
        for node in dead:
            slurm_cluster.script("revive-node", node)
    assert_resumed_and_identical(run, tmp_path_factory, f"dead node {dead[0]}")
    assert [e["node"] for e in run.events("node_failure")] == dead
    assert run.events("requeued") and not run.events("preempted")
    assert dead[0] not in run.events("slurm_attempt")[-1]["nodes"]
    assert slurm_cluster.job(run.slurm_id)["Restarts"] == "1"
    wait_idle(slurm_cluster, dead[0])


def test_operator_marks_a_node_down_job_is_requeued_and_resumes(
    slurm_cluster: SlurmCluster, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    downed: list[str] = []

    def down(slurm_id: str, nodes: list[str]) -> None:
        downed.append(nodes[1])
        slurm_cluster.run("scontrol", "update", f"nodename={nodes[1]}", "state=down", "reason=aircluster-test")

    try:
        run = run_with_fault(slurm_cluster, tmp_path, down)
    finally:
        for node in downed:
            slurm_cluster.run("scontrol", "update", f"nodename={node}", "state=resume", check=False)
    assert_resumed_and_identical(run, tmp_path_factory, f"scontrol down {downed[0]}")
    assert [e["node"] for e in run.events("node_failure")] == downed
    assert downed[0] not in run.events("slurm_attempt")[-1]["nodes"]
    wait_idle(slurm_cluster, downed[0])


def test_preemption_signal_checkpoints_requeues_and_resumes(
    slurm_cluster: SlurmCluster, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # What Slurm does before the time limit (--signal=B:USR1@N) or before a preemption: USR1 to the batch shell.
    run = run_with_fault(
        slurm_cluster, tmp_path, lambda slurm_id, nodes: slurm_cluster.run("scancel", "--signal=USR1", "--batch", slurm_id)
    )
    assert_resumed_and_identical(run, tmp_path_factory, "preemption (USR1)")
    preempted = run.events("preempted")
    assert len(preempted) == 1 and not run.events("node_failure")
    # The trainer checkpointed when the signal came (not only at the every-5-steps schedule) and resumed there.
    # (A scheduled checkpoint may also fall between the signal's delivery and its handling: the last one counts.)
    signal_ckpt = [e for e in run.events("checkpoint") if run.fault_at <= e["at"] <= preempted[0]["at"]]
    assert signal_ckpt
    assert run.events("attempt")[-1]["step"] == signal_ckpt[-1]["step"]
    assert slurm_cluster.job(run.slurm_id)["Restarts"] == "1"
    assert run.doc["ettr"]["steps_recomputed"] == 0


def test_node_that_failed_repeatedly_is_suspect_and_excluded_from_the_next_attempt(
    slurm_cluster: SlurmCluster, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from aircluster.catalog import Catalog
    from aircluster.catalog.jobs import Jobs

    lemon: list[str] = []

    def earlier_failure(env: dict[str, str], job_id: str, nodes: list[str]) -> None:
        # The node already failed once before (as recorded by an earlier attempt); this is its second failure.
        lemon.append(nodes[1])
        # (written by the test, as root, into the server's catalog: the node's history from before this job)
        Jobs(Catalog(Path(env["AIRCLUSTER_HOME"]) / "server" / "catalog.db")).event(
            job_id, "node_failure", node=nodes[1], note="an earlier failure"
        )

    def kill_and_revive(slurm_id: str, nodes: list[str]) -> None:
        slurm_cluster.script("kill-node", nodes[1])
        # Bring it back once Slurm has noticed, so that it may be allocated again when the job restarts.
        wait_for(
            f"{nodes[1]} to be marked down",
            lambda: slurm_cluster.node_state(nodes[1]).startswith("down"),
            timeout=90,
            interval=0.3,
        )
        slurm_cluster.script("revive-node", nodes[1])

    try:
        run = run_with_fault(slurm_cluster, tmp_path, kill_and_revive, before=earlier_failure)
    finally:
        for node in lemon:
            slurm_cluster.script("revive-node", node)
    assert_resumed_and_identical(run, tmp_path_factory, f"suspect node {lemon[0]}")
    assert [e["node"] for e in run.events("node_failure")] == [lemon[0], lemon[0]]
    # After its second failure the node is suspect: no later attempt trains on it. When Slurm allocated it
    # again, that attempt refused it and requeued the job with the node in ExcNodeList; otherwise Slurm
    # happened to pick other nodes (which of the two depends on how fast the node comes back).
    attempts = run.events("slurm_attempt")
    refused = [a for a in attempts if a.get("excluded")]
    assert lemon[0] not in [n for a in attempts[1:] if not a.get("excluded") for n in a["nodes"]]
    for a in refused:
        assert lemon[0] in a["nodes"]
        assert run.events("exclude")[0]["nodes"] == [lemon[0]]
        assert lemon[0] in slurm_cluster.job(run.slurm_id)["ExcNodeList"]
    print(f"suspect {lemon[0]} allocated again and refused: {bool(refused)}")
    # A new job keeps away from it from its first attempt.
    again = submit(run.env)
    try:
        assert lemon[0] in slurm_cluster.job(again["slurm_job_id"])["ExcNodeList"]
    finally:
        slurm_cluster.run("scancel", again["slurm_job_id"], check=False)
    wait_idle(slurm_cluster, lemon[0])


def test_failing_health_check_stops_the_job_names_node_and_check_and_drains_it(
    slurm_cluster: SlurmCluster, tmp_path: Path
) -> None:
    # A free-memory floor no node meets: every node of the job fails the pre-flight's memory check.
    env = slurm_home(slurm_cluster, tmp_path, {"AIRCLUSTER_HEALTH_MIN_FREE_MEMORY_GB": "1000000"})
    nodes: list[str] = []
    try:
        proc = aircluster(
            env,
            "train",
            *TRAIN_ARGS,
            "--backend",
            "slurm",
            "--nodes",
            "2",
            "--procs-per-node",
            "1",
            "--max-restarts",
            "0",
            "--json",
            timeout=JOB_TIMEOUT,
            check=False,
        )
        doc = json.loads(proc.stdout)
        nodes = [e for e in doc["events"] if e["kind"] == "slurm_attempt"][0]["nodes"]
        assert proc.returncode == 1
        assert doc["status"] == "failed"
        assert "health check failed on node" in doc["message"] and ": memory: " in doc["message"], doc["message"]
        named = doc["message"].split("health check failed on ", 1)[1].split(":", 1)[0]
        assert named in nodes
        kinds = [e["kind"] for e in doc["events"]]
        assert "attempt" not in kinds and "step" not in kinds  # stopped before training started
        assert "requeued" not in kinds
        for node in nodes:
            assert slurm_cluster.node_state(node).startswith("drain"), node
            info = slurm_cluster.run("scontrol", "show", "node", node).stdout
            assert "aircluster health: memory" in info
    finally:
        for node in nodes:
            slurm_cluster.run("scontrol", "update", f"nodename={node}", "state=resume", check=False)
    for node in nodes:
        wait_idle(slurm_cluster, node)


def test_attempt_allocated_on_a_suspect_node_requeues_itself_away_and_completes_elsewhere(
    slurm_cluster: SlurmCluster, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The refusal path, made deterministic: while the job trains on a pair of nodes, one of them becomes
    suspect, and the job is requeued while only that pair is schedulable, so Slurm must place the next
    attempt on the suspect node; that attempt refuses it and requeues the job with the node in ExcNodeList."""
    env = slurm_home(slurm_cluster, tmp_path)
    timeline = catalog_timeline(env)
    pair, spares = slurm_cluster.nodes[:2], slurm_cluster.nodes[2:]
    suspect = pair[1]  # not the batch host
    drained: list[str] = []

    def drain(nodes: list[str]) -> None:
        for node in nodes:
            slurm_cluster.run("scontrol", "update", f"nodename={node}", "state=drain", "reason=aircluster-test-spare")
            drained.append(node)

    def undrain() -> None:
        while drained:
            slurm_cluster.run("scontrol", "update", f"nodename={drained.pop()}", "state=resume", check=False)

    job_id = slurm_id = None
    try:
        drain(spares)  # the job can only get `pair`, now and when requeued
        job = submit(env)
        job_id, slurm_id = job["id"], job["slurm_job_id"]
        wait_for("the checkpoint of step 10", lambda: timeline.checkpointed(job_id, 10), timeout=180, interval=0.2)
        assert allocation(slurm_cluster, slurm_id) == pair
        # The node failed twice before (as attempt hooks record node failures): it is suspect from now on.
        # Recorded as the job's own processes do: with the job's token, taken from their environment.
        timeline.jobs.token = token_of(job_id, at_least=1)
        for earlier in range(2):
            timeline.jobs.event(job_id, "node_failure", node=suspect, note=f"injected earlier failure {earlier + 1}")
        fault_at = time.time()
        slurm_cluster.run("scontrol", "requeue", slurm_id)

        def refused() -> dict[str, Any] | None:
            return next((e for e in timeline.events(job_id) if e["kind"] == "exclude" and "allocated" in e), None)

        refusal = wait_for("an attempt on the suspect node to refuse it", refused, timeout=120)
        assert refusal["allocated"] == pair and refusal["nodes"] == [suspect]
        wait_for(
            f"{suspect} in the job's ExcNodeList",
            lambda: suspect in slurm_cluster.job(slurm_id).get("ExcNodeList", ""),
            timeout=30,
        )
        # Pending: with the suspect excluded and the spares drained, there is nowhere to run.
        wait_for("the job to wait for nodes", lambda: slurm_cluster.job(slurm_id)["JobState"] == "PENDING", timeout=30)
        undrain()
        wait_final(slurm_cluster, timeline, job_id)
    finally:
        undrain()
        if job_id and slurm_id and timeline.jobs.get(job_id).status not in ("completed", "failed", "cancelled"):
            slurm_cluster.run("scancel", slurm_id, check=False)
    run = FaultRun(env, show(env, job_id), slurm_id, pair, fault_at)
    assert_resumed_and_identical(run, tmp_path_factory, f"suspect node {suspect} refused")
    attempts = run.events("slurm_attempt")
    refusals = [a for a in attempts if a.get("excluded")]
    assert len(refusals) == 1 and refusals[0]["nodes"] == pair
    trained = [a for a in attempts if not a.get("excluded")]
    assert trained[0]["nodes"] == pair and trained[0]["at"] < fault_at
    later = [a for a in trained if a["at"] > fault_at]
    assert later and all(suspect not in a["nodes"] for a in later), later
    assert suspect in slurm_cluster.job(slurm_id)["ExcNodeList"]
    assert slurm_cluster.job(slurm_id)["JobState"] == "COMPLETED"
    wait_idle(slurm_cluster, suspect)


def test_failed_preflight_requeues_the_job_away_from_the_node_within_the_restart_budget(
    slurm_cluster: SlurmCluster, tmp_path: Path
) -> None:
    # A free-memory floor no node meets: each attempt's node fails its pre-flight. A failed pre-flight is the
    # node's problem: the node drains, the job is requeued excluding it (not restarted on it), and the
    # restart budget bounds how often.
    env = slurm_home(slurm_cluster, tmp_path, {"AIRCLUSTER_HEALTH_MIN_FREE_MEMORY_GB": "1000000"})
    tried: list[str] = []
    try:
        proc = aircluster(
            env,
            "train",
            *TRAIN_ARGS,
            "--backend",
            "slurm",
            "--nodes",
            "1",
            "--procs-per-node",
            "1",
            "--max-restarts",
            "1",
            "--json",
            timeout=JOB_TIMEOUT,
            check=False,
        )
        doc = json.loads(proc.stdout)
        attempts = [e for e in doc["events"] if e["kind"] == "slurm_attempt"]
        tried = [n for a in attempts for n in a["nodes"]]
        assert proc.returncode == 1
        assert len(attempts) == 2 and len(set(tried)) == 2, attempts  # the second attempt ran elsewhere
        first, second = tried
        assert doc["status"] == "failed" and doc["events"][-1]["kind"] == "failed"
        assert doc["events"][-1]["reason"] == "preflight"
        assert doc["message"].startswith(f"pre-flight: health check failed on {second}: memory: "), doc["message"]
        assert "2 attempts failed their pre-flight; --max-restarts 1" in doc["message"]
        checks = [(e["node"], e["check"]) for e in doc["events"] if e["kind"] == "preflight_failed"]
        assert checks == [(first, "memory"), (second, "memory")]
        assert [e["nodes"] for e in doc["events"] if e["kind"] == "exclude"] == [[first]]
        assert [e["why"] for e in doc["events"] if e["kind"] == "attempt_end"] == ["preflight", "preflight"]
        kinds = [e["kind"] for e in doc["events"]]
        assert not {"health", "attempt", "step"} & set(kinds)  # torchrun never started a worker
        slurm = slurm_cluster.job(doc["slurm_job_id"])
        assert first in slurm["ExcNodeList"] and slurm["Restarts"] == "1"
        for node in tried:
            assert slurm_cluster.node_state(node).startswith("drain"), node
            assert "aircluster health: memory" in slurm_cluster.run("scontrol", "show", "node", node).stdout
    finally:
        for node in tried:
            slurm_cluster.run("scontrol", "update", f"nodename={node}", "state=resume", check=False)
    for node in tried:
        wait_idle(slurm_cluster, node)

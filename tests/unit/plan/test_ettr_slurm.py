"""The planner's job-timeline simulator against a real job on the emulated Slurm cluster.

A 2-node training job loses a node twice, at times the test picks (part-way between two checkpoints, so work is
lost); Slurm requeues it and it resumes from its last checkpoint each time. From the job's record come the
measured ETTR (aircluster.jobs.ettr, as `aircluster jobs show` reports it), the checkpoint interval, the
restart cost (failure to training again) and the start-up and tail. Given those and the failure times, the
simulator must predict the measured ETTR within 0.03.
"""

from __future__ import annotations

import itertools
import json
import statistics
import time
from pathlib import Path
from typing import Any

import pytest

from aircluster.plan.reliability import given_failures, run_timeline
from tests.unit.cluster.conftest import SlurmCluster, slurm_cluster, wait_for  # noqa: F401  (the session fixture)
from tests.unit.cluster.test_launch_local import TRAIN_ARGS, aircluster, catalog_timeline, show
from tests.unit.cluster.test_launch_slurm import allocation, slurm_home, wait_final

pytestmark = [pytest.mark.slow, pytest.mark.slurm]

STEPS = 400
EVERY = 50
FAULT_AT = 0.6  # of a checkpoint interval after a checkpoint: that much work is lost
ARGS = [*TRAIN_ARGS, f"train.steps={STEPS}", "train.deterministic=false", f"checkpoint.every_steps={EVERY}"]


def _events(doc: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e for e in doc["events"] if e["kind"] == kind]


def test_simulated_timeline_predicts_the_measured_ettr_of_a_job_with_failures(
    slurm_cluster: SlurmCluster,  # noqa: F811
    tmp_path: Path,
) -> None:
    env = slurm_home(slurm_cluster, tmp_path)
    timeline = catalog_timeline(env)
    job = json.loads(
        aircluster(
            env, "train", *ARGS, "--backend", "slurm", "--nodes", "2", "--procs-per-node", "1", "--detach", "--json"
        ).stdout
    )
    job_id, slurm_id = job["id"], job["slurm_job_id"]
    faults: list[float] = []
    killed: list[str] = []
    try:
        for _ in range(2):
            since = faults[-1] if faults else 0.0

            def two_checkpoints(since: float = since) -> list[float] | None:
                marks = [e["at"] for e in timeline.events(job_id) if e["kind"] == "checkpoint" and e["at"] > since]
                return marks if len(marks) >= 2 else None

            marks = wait_for("two checkpoints in this attempt", two_checkpoints, timeout=240, interval=0.1)
            gap = marks[-1] - marks[-2]
            time.sleep(max(0.0, marks[-1] + FAULT_AT * gap - time.time()))
            victim = allocation(slurm_cluster, slurm_id)[1]  # not the batch host
            faults.append(time.time())
            slurm_cluster.script("kill-node", victim)
            killed.append(victim)
            wait_for(
                "training again after the failure",
                lambda: any(e["kind"] == "attempt" and e["at"] > faults[-1] for e in timeline.events(job_id)),
                timeout=240,
                interval=0.2,
            )
            slurm_cluster.script("revive-node", victim)
        wait_final(slurm_cluster, timeline, job_id)
    finally:
        if timeline.jobs.get(job_id).status not in ("completed", "failed", "cancelled"):
            slurm_cluster.run("scancel", slurm_id, check=False)
        for node in killed:
            slurm_cluster.script("revive-node", node)
    doc = show(env, job_id)
    assert doc["status"] == "completed", (doc["status"], doc["message"])
    measured = doc["ettr"]
    assert measured["failures"] == 2 and measured["last_step"] == STEPS and measured["steps_recomputed"] > 0

    # What the simulator is given, all read from the job's record.
    start = min(e["at"] for e in doc["events"] if e["kind"] in ("submitted", "eligible"))
    end = _events(doc, "completed")[0]["at"]
    steps = [e for e in doc["events"] if e["kind"] == "step"]
    attempts = _events(doc, "attempt")
    checkpoints = [e["at"] for e in _events(doc, "checkpoint")]
    # Checkpoint interval: the median time between consecutive checkpoints of one attempt.
    gaps = [b - a for a, b in itertools.pairwise(checkpoints) if not any(a < f < b for f in faults)]
    interval = statistics.median(gaps)
    # Restart cost: from each failure to the first step of the attempt that resumed. Not the first step after the
    # failure: the surviving rank may still log the step it was in when its peer died.
    resumed = [min(e["at"] for e in attempts if e["at"] > f) for f in faults]
    restarts = [min(e["at"] for e in steps if e["at"] > r) - f for f, r in zip(faults, resumed, strict=True)]
    startup = min(e["at"] for e in steps) - start
    tail = end - max(e["at"] for e in steps)
    work = STEPS / EVERY * interval
    predicted = run_timeline(
        work,
        interval,
        0.0,
        statistics.fmean(restarts),
        given_failures([f - start for f in faults]),
        startup_s=startup,
        tail_s=tail,
    )
    print(
        f"\nmeasured ETTR {measured['ettr']:.3f} over {measured['eligible_s']:.1f} s ({measured['attempts']} attempts, "
        f"{measured['steps_recomputed']} steps recomputed); checkpoint interval {interval:.2f} s, restart cost "
        f"{', '.join(f'{r:.1f}' for r in restarts)} s, start-up {startup:.1f} s, tail {tail:.1f} s; predicted ETTR "
        f"{predicted.ettr:.3f} over {predicted.wall_s:.1f} s (lost work {predicted.lost_work_s:.1f} s)"
    )
    assert len(attempts) >= 3
    assert abs(predicted.ettr - measured["ettr"]) <= 0.03
    assert predicted.failures == 2 and predicted.lost_work_s > 0

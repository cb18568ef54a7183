"""ETTR from a job timeline: the breakdown matches what a timeline with a known failure implies."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from aircluster.errors import InputError
from aircluster.jobs.ettr import TimelineEvent, compute_ettr


@dataclass(frozen=True)
class Scenario:
    """A job that queues, starts, trains `steps` steps of `dt` s, checkpointing every `every` steps.
    With `fail_at`, it dies `partial` s into the step after `fail_at`, is requeued, waits
    `restart_wait` s, starts up again in `restart_startup` s and resumes from its last checkpoint.
    It ends `tail` s after the last step."""

    steps: int = 40
    dt: float = 2.0
    every: int = 10
    queue: float = 30.0
    startup: float = 12.0
    fail_at: int | None = None
    partial: float = 0.5
    restart_wait: float = 20.0
    restart_startup: float = 9.0
    tail: float = 4.0

    @property
    def resumed_from(self) -> int:
        assert self.fail_at is not None
        return self.fail_at // self.every * self.every


def _train(s: Scenario, t: float, first: int, last: int, events: list[TimelineEvent]) -> float:
    for step in range(first, last + 1):
        t += s.dt
        events.append(TimelineEvent("step", t, step))
        if step % s.every == 0:
            events.append(TimelineEvent("checkpoint", t, step))
    return t


def simulate(s: Scenario) -> list[TimelineEvent]:
    events = [TimelineEvent("submitted", 990.0), TimelineEvent("eligible", 1000.0)]
    t = 1000.0 + s.queue
    events.append(TimelineEvent("started", t))
    t += s.startup
    events.append(TimelineEvent("step", t, 0))  # the training loop starts
    if s.fail_at is not None:
        t = _train(s, t, 1, s.fail_at, events)
        t += s.partial
        events += [TimelineEvent("failure", t), TimelineEvent("restart", t + 1.0)]
        t += s.restart_wait
        events.append(TimelineEvent("started", t))
        t += s.restart_startup
        events.append(TimelineEvent("step", t, s.resumed_from))
        t = _train(s, t, s.resumed_from + 1, s.steps, events)
    else:
        t = _train(s, t, 1, s.steps, events)
    events.append(TimelineEvent("finished", t + s.tail))
    return events


def test_without_failures_only_queue_startup_and_tail_are_lost() -> None:
    s = Scenario()
    report = compute_ettr(simulate(s))
    eligible = s.queue + s.startup + s.steps * s.dt + s.tail
    assert report.eligible_s == pytest.approx(eligible)
    assert report.productive_s == pytest.approx(s.steps * s.dt)
    assert report.other_s == pytest.approx(s.queue + s.startup + s.tail)
    assert (report.lost_restart_s, report.lost_recompute_s, report.failures, report.attempts) == (0, 0, 0, 1)
    assert report.ettr == pytest.approx(s.steps * s.dt / eligible)
    assert report.last_step == s.steps


@pytest.mark.parametrize("fail_at", [13, 20, 29])
def test_failure_at_a_known_step_is_charged_to_restart_and_recompute(fail_at: int) -> None:
    s = Scenario(fail_at=fail_at)
    report = compute_ettr(simulate(s))
    recomputed = fail_at - s.resumed_from
    assert report.steps_recomputed == recomputed
    assert report.lost_recompute_s == pytest.approx(recomputed * s.dt + s.partial)
    assert report.lost_restart_s == pytest.approx(s.restart_wait + s.restart_startup)
    assert report.productive_s == pytest.approx(s.steps * s.dt)
    eligible = s.queue + s.startup + s.tail + report.productive_s + report.lost_restart_s + report.lost_recompute_s
    assert report.eligible_s == pytest.approx(eligible)
    assert report.ettr == pytest.approx(s.steps * s.dt / eligible)
    assert (report.failures, report.attempts, report.last_step) == (1, 2, s.steps)


def test_two_failures_without_a_checkpoint_between_lose_both_attempts_work() -> None:
    dt = 1.0
    events = [TimelineEvent("eligible", 0), TimelineEvent("started", 0), TimelineEvent("step", 1, 0)]
    events += [TimelineEvent("step", 1 + k * dt, k) for k in range(1, 6)] + [TimelineEvent("checkpoint", 6, 5)]
    events += [TimelineEvent("step", 6 + k * dt, 5 + k) for k in range(1, 4)] + [TimelineEvent("failure", 9.5)]
    events += [
        TimelineEvent("started", 12),
        TimelineEvent("step", 13, 5),
        TimelineEvent("step", 14, 6),
        TimelineEvent("failure", 14.25),
        TimelineEvent("started", 20),
        TimelineEvent("step", 21, 5),
    ]
    events += [TimelineEvent("step", 21 + k * dt, 5 + k) for k in range(1, 6)] + [TimelineEvent("finished", 26)]
    report = compute_ettr(events)
    assert report.steps_recomputed == 3 + 1
    assert report.lost_recompute_s == pytest.approx(3 * dt + 0.5 + 1 * dt + 0.25)
    assert report.lost_restart_s == pytest.approx((13 - 9.5) + (21 - 14.25))
    assert report.productive_s == pytest.approx(10 * dt)
    assert report.eligible_s == 26 and report.failures == 2 and report.attempts == 3


def test_a_restart_from_an_older_checkpoint_loses_the_steps_since_it() -> None:
    events = [TimelineEvent("eligible", 0), TimelineEvent("started", 0), TimelineEvent("step", 0, 0)]
    events += [TimelineEvent("step", k, k) for k in range(1, 9)]
    events += [TimelineEvent("checkpoint", 4, 4), TimelineEvent("checkpoint", 8, 8)]
    events += [
        TimelineEvent("failure", 8),
        TimelineEvent("restart", 9, step=4),
        TimelineEvent("started", 10),
        TimelineEvent("step", 11, 4),
    ] + [TimelineEvent("step", 11 + k, 4 + k) for k in range(1, 5)]
    report = compute_ettr(events)
    assert report.steps_recomputed == 4
    assert report.productive_s == pytest.approx(8)
    assert report.lost_recompute_s == pytest.approx(4)


def test_a_running_job_is_measured_up_to_now_and_a_pending_restart_counts_as_lost() -> None:
    events = [
        TimelineEvent("eligible", 0),
        TimelineEvent("started", 0),
        TimelineEvent("step", 1, 0),
        TimelineEvent("step", 2, 1),
        TimelineEvent("failure", 3),
    ]
    report = compute_ettr(events, now=10)
    assert report.eligible_s == 10
    assert report.lost_restart_s == pytest.approx(7)
    assert report.steps_recomputed == 1 and report.productive_s == 0 and report.ettr == 0


def test_job_record_dicts_are_accepted_and_bad_events_rejected() -> None:
    records = [e.to_dict() for e in simulate(Scenario())]
    assert compute_ettr(records) == compute_ettr(simulate(Scenario()))
    with pytest.raises(InputError, match="unknown timeline event kind 'crashed'"):
        compute_ettr([{"kind": "crashed", "time": 1}])
    with pytest.raises(InputError, match="timeline event 1: needs"):
        compute_ettr([{"kind": "eligible", "time": 0}, {"kind": "step", "time": "soon", "step": 1}])
    with pytest.raises(InputError, match="'checkpoint' at time 3 needs a step"):
        compute_ettr([{"kind": "checkpoint", "time": 3}])
    with pytest.raises(InputError, match="step 2 at time 5 does not follow step 3"):
        compute_ettr([TimelineEvent("step", 1, 1), TimelineEvent("step", 2, 3), TimelineEvent("step", 5, 2)])
    assert compute_ettr([]).ettr == 0.0


TRAINER = textwrap.dedent("""
    # A stand-in trainer: steps take DT s, a checkpoint every EVERY steps, and the first attempt
    # dies hard half-way through the step after FAIL_AT. It records its own timeline events.
    import json, os, sys, time
    from pathlib import Path

    steps, dt, every, fail_at, attempt = (float(a) if "." in a else int(a) for a in sys.argv[1:6])
    run = Path(sys.argv[6])
    events = open(run / "events.jsonl", "a")
    def emit(kind, step):
        events.write(json.dumps({"kind": kind, "time": time.time(), "step": step}) + "\\n")
        events.flush()
    ckpt = run / "ckpt"
    step = int(ckpt.read_text()) if ckpt.exists() else 0
    emit("step", step)
    while step < steps:
        if attempt == 0 and step == fail_at:
            time.sleep(dt / 2)
            os._exit(1)
        time.sleep(dt)
        step += 1
        emit("step", step)
        if step % every == 0:
            (run / "ckpt.tmp").write_text(str(step))
            os.replace(run / "ckpt.tmp", ckpt)
            emit("checkpoint", step)
""")


@pytest.mark.slow
def test_ettr_of_real_processes_with_a_failure_injected_at_a_known_step(tmp_path: Path) -> None:
    steps, dt, every, fail_at = 24, 0.05, 5, 13
    trainer = tmp_path / "trainer.py"
    trainer.write_text(TRAINER)
    log = tmp_path / "events.jsonl"

    def record(kind: str) -> None:
        with log.open("a") as f:
            f.write(json.dumps({"kind": kind, "time": time.time()}) + "\n")

    # The test is the launcher: it restarts the trainer once after its injected failure.
    record("eligible")
    for attempt in range(2):
        record("started")
        done = subprocess.run(
            [sys.executable, str(trainer), str(steps), str(dt), str(every), str(fail_at), str(attempt), str(tmp_path)], timeout=60
        )
        if done.returncode != 0:
            record("failure")
            record("restart")
    record("finished")
    assert done.returncode == 0

    report = compute_ettr([json.loads(line) for line in log.read_text().splitlines()])
    assert (report.failures, report.attempts, report.last_step) == (1, 2, steps)
    assert report.steps_recomputed == fail_at - fail_at // every * every
    # sleep() gives lower bounds; the upper bounds only exclude gross misaccounting.
    assert report.productive_s >= steps * dt
    assert report.steps_recomputed * dt + dt / 2 <= report.lost_recompute_s <= report.productive_s
    assert report.lost_restart_s > 0
    total = report.productive_s + report.lost_restart_s + report.lost_recompute_s + report.other_s
    assert total == pytest.approx(report.eligible_s)
    assert report.ettr == pytest.approx(report.productive_s / report.eligible_s)

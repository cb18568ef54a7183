"""ETTR (effective training time ratio) of a job, from its timeline of events.

ETTR = productive training time / wall-clock time the job was eligible to run (Kokolis et al.,
"Revisiting Reliability in Large-Scale Machine Learning Research Clusters", 2024). Pure functions:
the launcher and trainer record events, and this module only does arithmetic on them.

Timeline events, in any order (they are sorted by time, ties kept in the given order):

    submitted, eligible   the job entered the queue / became eligible to run (eligible time starts
                          at the first `eligible`, else the first `submitted`)
    started               an attempt started running (after a failure: the restarted attempt)
    step (step=k)         training step k completed; the first one of an attempt marks that training
                          is running (the trainer emits it, with the step it resumed from, when its
                          loop starts), so the time before it is start-up, not training
    checkpoint (step=k)   a checkpoint of step k is complete; a restart resumes from the last one
    failure               the running attempt died (a `started` while an attempt is running, or a
                          `restart`, implies one at the attempt's last event)
    restart (step=k?)     the job was requeued or relaunched; `step`, when given, is the step it will
                          resume from, if not the last checkpoint
    finished              the job ended; eligible time ends here (else at `now`, else the last event)

How the eligible time is split (the parts add up to it):

    productive       time between consecutive step events of steps that were kept
    lost_recompute   time spent on steps after the checkpoint a restart went back to, since they are
                     computed again, plus the partial step in flight at the failure
    lost_restart     from each failure to the first step event of the attempt that resumed
                     (queue wait, scheduling, start-up and checkpoint loading)
    other            the rest: the first queue wait and start-up, and the time after the last step
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from aircluster.catalog.jobs import FINAL, Job
from aircluster.errors import InputError

EVENT_KINDS = ("submitted", "eligible", "started", "step", "checkpoint", "failure", "restart", "finished")
_NEEDS_STEP = ("step", "checkpoint")


@dataclass(frozen=True)
class TimelineEvent:
    kind: str
    time: float  # seconds, any common origin (Unix time in job records)
    step: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in EVENT_KINDS:
            raise InputError(f"unknown timeline event kind {self.kind!r} (expected one of {', '.join(EVENT_KINDS)})")
        if self.kind in _NEEDS_STEP and self.step is None:
            raise InputError(f"timeline event {self.kind!r} at time {self.time:g} needs a step number")

    @classmethod
    def from_dict(cls, record: Mapping[str, Any], where: str = "timeline event") -> TimelineEvent:
        try:
            kind = str(record["kind"])
            time = float(record["time"])
            step = None if record.get("step") is None else int(record["step"])
        except (KeyError, TypeError, ValueError) as err:
            raise InputError(f"{where}: needs 'kind', a numeric 'time' and an integer 'step' or none ({err})") from None
        return cls(kind, time, step)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class ETTRReport:
    eligible_s: float
    productive_s: float
    lost_restart_s: float
    lost_recompute_s: float
    other_s: float
    ettr: float  # productive_s / eligible_s; 0 when nothing was eligible yet
    attempts: int
    failures: int
    steps_recomputed: int
    last_step: int | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Accounting:
    """The running state of one pass over the timeline."""

    running: bool = False
    attempt_start: float = 0.0
    last_mark: float | None = None  # time of this attempt's last step event
    last_step: int | None = None
    resume_step: int = 0  # the last checkpointed step: where a restart goes back to
    kept: list[tuple[int, float]] = field(default_factory=list)  # (step, seconds) not rolled back
    restart_pending_since: float | None = None
    lost_restart: float = 0.0
    lost_recompute: float = 0.0
    attempts: int = 0
    failures: int = 0
    steps_recomputed: int = 0

    def roll_back_to(self, step: int) -> None:
        lost = [(s, secs) for s, secs in self.kept if s > step]
        self.kept = [(s, secs) for s, secs in self.kept if s <= step]
        self.lost_recompute += sum(secs for _, secs in lost)
        self.steps_recomputed += len(lost)

    def fail(self, when: float) -> None:
        if self.last_mark is not None:
            self.lost_recompute += max(0.0, when - self.last_mark)  # the step in flight
        self.roll_back_to(self.resume_step)
        self.failures += 1
        self.running = False
        self.last_mark = None
        if self.restart_pending_since is None:
            self.restart_pending_since = when

    def last_seen(self) -> float:
        return self.last_mark if self.last_mark is not None else self.attempt_start


def parse_events(records: Iterable[TimelineEvent | Mapping[str, Any]]) -> list[TimelineEvent]:
    """Events from job-record dicts (`kind`, `time`, optional `step`) or TimelineEvents, sorted by time."""
    events = [
        r if isinstance(r, TimelineEvent) else TimelineEvent.from_dict(r, f"timeline event {i}") for i, r in enumerate(records)
    ]
    return sorted(events, key=lambda e: e.time)  # stable: same-time events keep their order


def compute_ettr(records: Iterable[TimelineEvent | Mapping[str, Any]], now: float | None = None) -> ETTRReport:
    """ETTR and the breakdown of eligible time, from a job's timeline (see the module docstring)."""
    events = parse_events(records)
    if not events:
        return ETTRReport(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0, 0, 0, None)
    eligible = [e.time for e in events if e.kind == "eligible"] or [e.time for e in events if e.kind == "submitted"]
    start = eligible[0] if eligible else events[0].time
    finished = [e.time for e in events if e.kind == "finished"]
    end = finished[-1] if finished else (now if now is not None else events[-1].time)
    if end < start:
        raise InputError(f"timeline ends at {end:g} before the job became eligible at {start:g}")

    acc = _Accounting()
    for event in events:
        if event.time > end:
            break
        if event.kind == "started":
            if acc.running:
                acc.fail(acc.last_seen())  # the previous attempt died without a failure event
            acc.running, acc.attempt_start, acc.last_mark = True, event.time, None
            acc.attempts += 1
        elif event.kind == "step":
            assert event.step is not None
            if not acc.running:  # a trainer's timeline without launcher events
                acc.running, acc.attempt_start, acc.last_mark = True, event.time, None
                acc.attempts += 1
            if acc.last_mark is None:
                if acc.restart_pending_since is not None:
                    acc.lost_restart += event.time - acc.restart_pending_since
                    acc.restart_pending_since = None
            else:
                if acc.last_step is not None and event.step <= acc.last_step:
                    raise InputError(
                        f"timeline step {event.step} at time {event.time:g} does not follow step {acc.last_step} "
                        "in the same attempt"
                    )
                acc.kept.append((event.step, event.time - acc.last_mark))
            acc.last_mark, acc.last_step = event.time, event.step
        elif event.kind == "checkpoint":
            assert event.step is not None
            acc.resume_step = event.step
        elif event.kind == "failure":
            if acc.running:
                acc.fail(event.time)
        elif event.kind == "restart":
            if acc.running:  # requeued or preempted while running: interrupted now
                acc.fail(event.time)
            if event.step is not None:  # resumed from an older checkpoint than the last one
                acc.roll_back_to(event.step)
                acc.resume_step = event.step
        elif event.kind == "finished":
            acc.running = False

    if acc.restart_pending_since is not None:  # failed and not training again yet
        acc.lost_restart += end - acc.restart_pending_since
    eligible_s = end - start
    productive = sum(secs for _, secs in acc.kept)
    other = max(0.0, eligible_s - productive - acc.lost_restart - acc.lost_recompute)
    return ETTRReport(
        eligible_s=eligible_s,
        productive_s=productive,
        lost_restart_s=acc.lost_restart,
        lost_recompute_s=acc.lost_recompute,
        other_s=other,
        ettr=productive / eligible_s if eligible_s > 0 else 0.0,
        attempts=acc.attempts,
        failures=acc.failures,
        steps_recomputed=acc.steps_recomputed,
        last_step=acc.last_step,
    )


# --- a job record's ETTR --------------------------------------------------------------------------

# job_events kind -> timeline kind (others, such as "running" or "health", carry no timing meaning)
_KINDS = {
    "submitted": "submitted",
    "eligible": "eligible",
    "attempt": "started",
    "step": "step",
    "checkpoint": "checkpoint",
    "failure": "failure",
    "requeued": "restart",
    "restart": "restart",
    "completed": "finished",
    "failed": "finished",
    "cancelled": "finished",
}


def job_ettr(job: Job, events: list[dict[str, Any]]) -> dict[str, Any]:
    timeline = [{"kind": _KINDS[e["kind"]], "time": e["at"], "step": e.get("step")} for e in events if e["kind"] in _KINDS]
    now = None if job.status in FINAL else time.time()
    return compute_ettr(timeline, now=now).to_dict()

"""How much of a long job's time is training: failure rate -> MTTF, checkpoint interval, expected ETTR.

Failures strike a job as a Poisson process whose rate grows with its nodes: MTTF = 1 / (rate x nodes), the rate
in failures per 1,000 node-days (Kokolis et al. 2024, arXiv 2410.21680: RSC-1 6.50, RSC-2 2.34). A failure
loses the work since the last completed checkpoint and costs a restart R (detection, requeue, start-up, loading
the checkpoint); failures may strike during a restart too. Checkpoints every tau seconds of training, each
blocking training for delta.

Closed form (Daly 2006, "A higher order estimate of the optimum checkpoint interval for restart dumps", FGCS 22):
the expected wall time per tau of work is M e^(R/M) (e^((tau+delta)/M) - 1), so
    ETTR = tau / (M e^(R/M) (e^((tau+delta)/M) - 1)),
and the optimum interval is Young's sqrt(2 delta M) with Daly's higher-order correction. The Monte Carlo
simulation plays the same process event by event (`run_timeline`), which also replays given failure times.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from aircluster.errors import UsageError

RSC1_FAILURES_PER_1000_NODE_DAYS = 6.50  # Kokolis et al. 2024, RSC-1
DAY = 86400.0


def mttf_s(failures_per_1000_node_days: float, nodes: float) -> float:
    """Mean time to failure of a job on `nodes` nodes, in seconds (inf when nothing fails)."""
    if failures_per_1000_node_days < 0:
        raise UsageError(f"--failure-rate must be >= 0, got {failures_per_1000_node_days}")
    if failures_per_1000_node_days == 0:
        return math.inf
    return 1000.0 * DAY / (failures_per_1000_node_days * nodes)


def optimal_interval_s(checkpoint_s: float, mttf: float) -> float:
    """Daly's optimum compute time between checkpoints (Young's sqrt(2 delta M) to first order)."""
    if math.isinf(mttf):
        return math.inf
    if checkpoint_s <= 0:
        return 0.0
    if checkpoint_s >= 2 * mttf:
        return mttf
    ratio = checkpoint_s / (2 * mttf)
    return math.sqrt(2 * checkpoint_s * mttf) * (1 + math.sqrt(ratio) / 3 + ratio / 9) - checkpoint_s


def expected_ettr(interval_s: float, checkpoint_s: float, restart_s: float, mttf: float) -> float:
    """Daly's expected ETTR for a long job (see the module docstring)."""
    if math.isinf(mttf):
        return interval_s / (interval_s + checkpoint_s) if interval_s > 0 else 1.0
    if interval_s <= 0:
        return 0.0
    # expm1 keeps precision when the interval is tiny next to the MTTF
    return interval_s / (mttf * math.exp(restart_s / mttf) * math.expm1((interval_s + checkpoint_s) / mttf))


@dataclass(frozen=True)
class JobTimeline:
    """Where one job's wall-clock time went."""

    wall_s: float
    work_s: float  # training kept: the job's productive time
    lost_work_s: float  # training (and checkpoint writing) since the last checkpoint, lost at failures
    restart_s: float  # failure to training again, failed restarts included
    checkpoint_s: float  # time checkpoints blocked training
    other_s: float  # start-up before the first step and the tail after the last
    failures: int

    @property
    def ettr(self) -> float:
        return self.work_s / self.wall_s if self.wall_s > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ettr": self.ettr}


def run_timeline(
    work_s: float,
    interval_s: float,
    checkpoint_s: float,
    restart_s: float,
    next_failure: Callable[[float], float],
    startup_s: float = 0.0,
    tail_s: float = 0.0,
) -> JobTimeline:
    """Play one job: `work_s` of training in segments of `interval_s`, each followed by a checkpoint of
    `checkpoint_s` (not after the last), failures at the times `next_failure(t)` gives (the first failure after
    wall time t, inf for none). A failure during a restart starts the restart over.

    Jumps from failure to failure, so a job with thousands of checkpoints and few failures costs few steps.
    """
    if interval_s <= 0:
        raise UsageError(f"checkpoint interval must be positive, got {interval_s}")
    t = startup_s
    done = 0.0
    lost = restarting = blocked = 0.0
    failures = 0
    segment = interval_s + checkpoint_s
    fail_at = next_failure(t)
    while done < work_s:
        remaining = work_s - done
        whole = math.ceil(remaining / interval_s) - 1  # segments that end with a checkpoint
        # Checkpointed segments that complete before the next failure, all at once.
        fit = whole if math.isinf(fail_at) else min(whole, max(0, int((fail_at - t) // segment)))
        if fit:
            t += fit * segment
            done += fit * interval_s
            blocked += fit * checkpoint_s
            continue
        length = segment if whole else remaining  # the last segment needs no checkpoint
        if fail_at >= t + length:
            t += length
            done += min(interval_s, remaining)
            blocked += length - min(interval_s, remaining)
            continue
        lost += fail_at - t
        failures += 1
        t = fail_at
        while True:  # restart, again if a failure strikes before it completes
            fail_at = next_failure(t)
            if fail_at >= t + restart_s:
                restarting += restart_s
                t += restart_s
                break
            restarting += fail_at - t
            failures += 1
            t = fail_at
    return JobTimeline(
        wall_s=t + tail_s,
        work_s=work_s,
        lost_work_s=lost,
        restart_s=restarting,
        checkpoint_s=blocked,
        other_s=startup_s + tail_s,
        failures=failures,
    )


def given_failures(times: Iterable[float]) -> Callable[[float], float]:
    """`next_failure` for failures at known wall times (seconds from when the job became eligible)."""
    ordered = sorted(times)

    def next_failure(t: float) -> float:
        return next((f for f in ordered if f > t), math.inf)

    return next_failure


def random_failures(mttf: float, rng: np.random.Generator) -> Callable[[float], float]:
    """`next_failure` for a Poisson process of mean gap `mttf` (memoryless: each call draws a fresh gap)."""

    def next_failure(t: float) -> float:
        return math.inf if math.isinf(mttf) else t + float(rng.exponential(mttf))

    return next_failure


@dataclass(frozen=True)
class Simulation:
    runs: int
    mean: float
    std: float
    p5: float
    p50: float
    p95: float
    failures_mean: float
    work_days: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def simulate(
    work_s: float, interval_s: float, checkpoint_s: float, restart_s: float, mttf: float, runs: int, seed: int = 0
) -> Simulation:
    """ETTR of `runs` simulated jobs of `work_s` training each, with failures at random (mean gap `mttf`).

    The same process as `run_timeline` with `random_failures`, played for all runs at once: each pass of the
    loop takes every unfinished run to its next failure (or its end), so the cost grows with the failures of
    one run, not of all of them.
    """
    if runs <= 0:
        raise UsageError(f"--simulate must be a positive number of runs, got {runs}")
    if interval_s <= 0:
        raise UsageError(f"checkpoint interval must be positive, got {interval_s}")
    rng = np.random.default_rng(seed)
    segment = interval_s + checkpoint_s
    t = np.zeros(runs)
    done = np.zeros(runs)
    failures = np.zeros(runs, dtype=np.int64)
    fail_at = rng.exponential(mttf, runs) if not math.isinf(mttf) else np.full(runs, np.inf)
    active = np.ones(runs, dtype=bool)
    while active.any():
        i = np.flatnonzero(active)
        remaining = work_s - done[i]
        whole = np.ceil(remaining / interval_s - 1e-12) - 1  # segments left that end with a checkpoint
        gap = np.where(np.isinf(fail_at[i]), np.inf, (fail_at[i] - t[i]) // segment)
        fit = np.minimum(whole, np.maximum(gap, 0))
        t[i] += fit * segment
        done[i] += fit * interval_s
        remaining = work_s - done[i]
        last = (whole - fit) <= 0  # only the final segment (no checkpoint after it) is left
        length = np.where(last, remaining, segment)
        finishes = last & (fail_at[i] >= t[i] + length)
        t[i[finishes]] += remaining[finishes]
        done[i[finishes]] = work_s
        active[i[finishes]] = False
        f = i[~finishes]  # these fail within their next segment: restart from the last checkpoint
        t[f] = fail_at[f]
        failures[f] += 1
        pending = f
        while pending.size:  # restarts, again when a failure strikes before one completes
            gaps = rng.exponential(mttf, pending.size)
            struck = gaps < restart_s
            again = pending[struck]
            t[again] += gaps[struck]
            failures[again] += 1
            ok = pending[~struck]
            fail_at[ok] = t[ok] + gaps[~struck]
            t[ok] += restart_s
            pending = again
    ettrs = np.sort(work_s / t)
    quantiles = np.quantile(ettrs, [0.05, 0.5, 0.95])
    return Simulation(
        runs=runs,
        mean=float(ettrs.mean()),
        std=float(ettrs.std()),
        p5=float(quantiles[0]),
        p50=float(quantiles[1]),
        p95=float(quantiles[2]),
        failures_mean=float(failures.mean()),
        work_days=work_s / DAY,
    )

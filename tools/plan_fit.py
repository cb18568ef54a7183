"""Fit the planner's constants (aircluster/plan/step_time.py `Constants`) to the published runs, once.

    python tools/plan_fit.py            # fit: coordinate descent over grids, least squares on log(predicted/reported)
    python tools/plan_fit.py --check    # the validation table with the shipped constants

The fitted values are copied by hand into `Constants`' defaults (with this command's output in docs/planner.md),
so a run of the planner never fits anything.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import statistics

from aircluster.plan.published import check_all, error_summary
from aircluster.plan.step_time import CONSTANTS, Constants

GRIDS = {
    "matmul_efficiency": [0.55, 0.60, 0.625, 0.64, 0.65, 0.66, 0.675, 0.70, 0.75, 0.80],
    "attention_efficiency": [0.30, 0.35, 0.375, 0.40, 0.425, 0.45, 0.50, 0.60],
    "tp_overlap": [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7],
    "cp_overlap": [0.0, 0.25, 0.5, 0.75, 1.0],
    "dp_overlap": [0.0, 0.25, 0.5, 0.75, 0.9, 1.0],
}


def loss(constants: Constants) -> float:
    checks = check_all(constants)
    return statistics.fmean(math.log(c.predicted / c.run.reported) ** 2 for c in checks)


def fit(start: Constants, rounds: int) -> Constants:
    best, best_loss = start, loss(start)
    for round_ in range(rounds):
        improved = False
        for name, grid in GRIDS.items():
            for value in grid:
                trial = dataclasses.replace(best, **{name: value})
                trial_loss = loss(trial)
                if trial_loss < best_loss - 1e-12:
                    best, best_loss, improved = trial, trial_loss, True
            print(
                f"round {round_ + 1} {name}: {getattr(best, name)} (rms log error {math.sqrt(best_loss):.4f})",
                flush=True,
            )
        if not improved:
            break
    return best


def table(constants: Constants) -> None:
    checks = check_all(constants)
    print("| run | metric | reported | predicted | error |\n| --- | --- | ---: | ---: | ---: |")
    for c in checks:
        print(f"| {c.run.name} | {c.run.metric} | {c.run.reported:g} | {c.predicted:.1f} | {c.error:+.1%} |")
    summary = error_summary(checks)
    print(
        f"\n{summary['runs']} runs: median |error| {summary['median_abs_error']:.1%}, max |error| {summary['max_abs_error']:.1%}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="print the validation table with the shipped constants")
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    if args.check:
        table(CONSTANTS)
        return
    fitted = fit(CONSTANTS, args.rounds)
    print(fitted)
    table(fitted)


if __name__ == "__main__":
    main()

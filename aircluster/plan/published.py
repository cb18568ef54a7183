"""Published training runs (`published_runs.toml`) and how close the planner's predictions land to them."""

from __future__ import annotations

import functools
import statistics
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

from aircluster.plan.layout import LayoutRequest
from aircluster.plan.model import ModelShape, custom_model, named_model
from aircluster.plan.plan import Plan, PlanRequest, plan
from aircluster.plan.step_time import CONSTANTS, Constants

METRICS = ("model_tflops", "hardware_tflops", "tokens_per_s_per_gpu", "effective_tokens_per_s_per_gpu")
_LAYOUT_KEYS = (
    "tp",
    "pp",
    "cp",
    "dp",
    "vpp",
    "micro_batch",
    "zero",
    "act_ckpt",
    "precision",
    "attention",
    "dp_overlap",
)


@dataclass(frozen=True)
class PublishedRun:
    name: str
    source: str
    model: ModelShape
    gpu: str
    gpus: int
    layout: LayoutRequest
    global_batch_tokens: int
    metric: str
    reported: float

    def request(self) -> PlanRequest:
        # The simulation does not enter any metric but ETTR's expectation; keep it small.
        return PlanRequest(
            model=self.model,
            gpu=self.gpu,
            gpus=self.gpus,
            layout=self.layout,
            global_batch_tokens=self.global_batch_tokens,
            simulate=1,
            top=1,
            require_fit=False,
        )


@dataclass(frozen=True)
class Check:
    run: PublishedRun
    plan: Plan
    predicted: float

    @property
    def error(self) -> float:
        """Signed relative error of the prediction."""
        return (self.predicted - self.run.reported) / self.run.reported

    def to_dict(self) -> dict[str, Any]:
        return {
            "run": self.run.name,
            "metric": self.run.metric,
            "reported": self.run.reported,
            "predicted": self.predicted,
            "error": self.error,
            "layout": self.plan.layout.to_dict(),
            "fits": self.plan.best.memory.fits,
            "source": self.run.source,
        }


def _run(entry: dict[str, Any]) -> PublishedRun:
    seq_len = int(entry["seq_len"])
    if "model" in entry:
        model = named_model(entry["model"], seq_len)
    else:
        dims = entry["dims"]
        model = custom_model(
            dims["layers"],
            dims["dim"],
            dims["heads"],
            dims["vocab"],
            seq_len,
            kv_heads=dims.get("kv_heads"),
            ffn_dim=dims.get("ffn_dim"),
        )
    if entry["metric"] not in METRICS:
        raise ValueError(f"published run {entry['name']}: unknown metric {entry['metric']!r}")
    layout = LayoutRequest(**{k: entry[k] for k in _LAYOUT_KEYS if k in entry})
    return PublishedRun(
        name=entry["name"],
        source=entry["source"],
        model=model,
        gpu=entry["gpu"],
        gpus=int(entry["gpus"]),
        layout=layout,
        global_batch_tokens=int(entry["global_batch_tokens"]),
        metric=entry["metric"],
        reported=float(entry["reported"]),
    )


@functools.cache
def published_runs() -> tuple[PublishedRun, ...]:
    text = resources.files("aircluster.plan").joinpath("published_runs.toml").read_text()
    return tuple(_run(entry) for entry in tomllib.loads(text)["run"])


def predicted_value(run: PublishedRun, result: Plan) -> float:
    best = result.best
    if run.metric == "model_tflops":
        return best.mfu * result.gpu.peak_bf16_tflops
    if run.metric == "hardware_tflops":
        return best.hfu * result.gpu.peak_bf16_tflops
    if run.metric == "tokens_per_s_per_gpu":
        return best.tokens_per_s_per_gpu
    return best.tokens_per_s_per_gpu * result.reliability.ettr


def check(run: PublishedRun, constants: Constants = CONSTANTS) -> Check:
    result = plan(run.request(), constants)
    return Check(run, result, predicted_value(run, result))


def check_all(constants: Constants = CONSTANTS) -> list[Check]:
    return [check(run, constants) for run in published_runs()]


def error_summary(checks: list[Check]) -> dict[str, float]:
    errors = [abs(c.error) for c in checks]
    return {"runs": len(errors), "median_abs_error": statistics.median(errors), "max_abs_error": max(errors)}

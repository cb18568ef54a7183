"""`plan()`: a training run on paper. Model and hardware in; layout, memory, speed, checkpoints and ETTR out."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from aircluster.errors import UsageError
from aircluster.plan.checkpoint import DEFAULT_GB_PER_S, Checkpoint, checkpoint
from aircluster.plan.estimate import Estimate, estimate
from aircluster.plan.gpus import GPU, get_gpu
from aircluster.plan.layout import Layout, LayoutRequest, check_layout, check_options
from aircluster.plan.model import ModelShape
from aircluster.plan.reliability import (
    DAY,
    RSC1_FAILURES_PER_1000_NODE_DAYS,
    Simulation,
    expected_ettr,
    mttf_s,
    optimal_interval_s,
    simulate,
)
from aircluster.plan.search import search
from aircluster.plan.step_time import CONSTANTS, Constants

DEFAULT_RESTART_MIN = 10.0  # assumed: detection, requeue, start-up and checkpoint loading
DEFAULT_WORK_DAYS = 30.0  # training time simulated when the run's length is not given


@dataclass(frozen=True)
class PlanRequest:
    model: ModelShape
    gpu: str
    gpus: int
    gpus_per_node: int | None = None  # None: the GPU table's node
    layout: LayoutRequest = field(default_factory=LayoutRequest)
    global_batch_tokens: int | None = None  # None: one sequence per GPU
    ckpt_gb_per_s: float = DEFAULT_GB_PER_S
    ckpt_async: bool = False
    ckpt_interval_min: float | None = None  # None: Young/Daly's optimum (or ckpt_interval_steps)
    ckpt_interval_steps: int | None = None  # an interval in training steps, as a training config gives it
    failure_rate: float = RSC1_FAILURES_PER_1000_NODE_DAYS  # failures per 1,000 node-days
    restart_min: float = DEFAULT_RESTART_MIN
    train_tokens: float | None = None  # the run's length, for the simulation (None: DEFAULT_WORK_DAYS of training)
    simulate: int = 1000
    seed: int = 0
    top: int = 5
    require_fit: bool = True  # False: estimate a fully given layout even when it does not fit (validation)


@dataclass(frozen=True)
class Reliability:
    failure_rate: float
    nodes: float
    mttf_h: float
    restart_min: float
    interval_min: float
    interval_source: str  # "given" | "young-daly"
    ettr: float  # closed form
    simulated: Simulation

    def to_dict(self) -> dict[str, Any]:
        return {
            "failure_rate_per_1000_node_days": self.failure_rate,
            "nodes": self.nodes,
            "mttf_h": self.mttf_h,
            "restart_min": self.restart_min,
            "checkpoint_interval_min": self.interval_min,
            "checkpoint_interval_source": self.interval_source,
        }


@dataclass(frozen=True)
class Plan:
    model: ModelShape
    gpu: GPU
    gpus: int
    gpus_per_node: int
    global_batch_tokens: int
    best: Estimate
    checkpoint: Checkpoint
    reliability: Reliability
    searched: bool
    top: list[Estimate]
    candidates: int
    constants: Constants

    @property
    def layout(self) -> Layout:
        return self.best.layout

    def to_dict(self) -> dict[str, Any]:
        best = self.best
        sim = self.reliability.simulated
        return {
            "model": self.model.to_dict(),
            "params": self.model.params,
            "gpu": self.gpu.name,
            "gpus": self.gpus,
            "gpus_per_node": self.gpus_per_node,
            "global_batch_tokens": self.global_batch_tokens,
            "layout": best.layout.to_dict(),
            "memory": best.memory.to_dict(),
            "step_time": best.step.to_dict(self.constants),
            "tokens_per_s_per_gpu": best.tokens_per_s_per_gpu,
            "mfu": best.mfu,
            "hfu": best.hfu,
            "checkpoint": self.checkpoint.to_dict(),
            "reliability": self.reliability.to_dict(),
            "ettr": {"closed_form": self.reliability.ettr, "simulated": sim.to_dict()},
            "search": {"searched": self.searched, "candidates": self.candidates, "top": [e.summary() for e in self.top]}
            if self.searched
            else None,
            "constants": self.constants.to_dict(),
        }


def plan(request: PlanRequest, constants: Constants = CONSTANTS) -> Plan:
    """Plan a run. A layout given in full (one of tp/pp/cp/dp may be left out: it is derived) is estimated as
    is; whatever is left open is searched over the layouts that fit, and the fastest is used."""
    model = request.model
    gpu = get_gpu(request.gpu)
    if request.gpus <= 0:
        raise UsageError(f"--gpus must be a positive integer, got {request.gpus}")
    per_node = request.gpus_per_node or gpu.gpus_per_node
    if per_node <= 0:
        raise UsageError(f"--gpus-per-node must be a positive integer, got {per_node}")
    batch = request.global_batch_tokens or model.seq_len * request.gpus
    if batch <= 0:
        raise UsageError(f"--global-batch-tokens must be positive, got {batch}")
    check_options(request.layout)
    gpu.peak_flops(request.layout.precision)  # fp8 on a GPU without it fails here, before any search
    _check_reliability_inputs(request)

    fixed = _fixed_layout(request.layout, request.gpus)
    if fixed is not None:
        check_layout(fixed, model, request.gpus, batch)
        best = estimate(model, fixed, gpu, batch, per_node, constants)
        if request.require_fit and not best.memory.fits:
            raise UsageError(
                f"{model.name} model ({model.params / 1e9:.1f}B parameters) needs "
                f"{best.memory.total / 1e9:.1f} GB per GPU with this layout; {gpu.name} has "
                f"{gpu.hbm_gb:g} GB: add GPUs, raise --tp/--pp, use --zero 3 or --act-ckpt full"
            )
        top, candidates, searched = [best], 1, False
    else:
        result = search(model, gpu, request.gpus, request.layout, batch, per_node, constants)
        if not result.ranked:
            what = (
                f"no layout of {request.gpus} x {gpu.name} fits the {model.name} model "
                f"({model.params / 1e9:.1f}B parameters, seq_len {model.seq_len}, batch {batch} tokens)"
            )
            if result.candidates == 0:
                raise UsageError(
                    f"{what}: no layout divides the GPUs and the batch; check --gpus, the fixed degrees and --global-batch-tokens"
                )
            raise UsageError(f"{what} in memory: use more GPUs or a GPU with more memory")
        best, top, candidates, searched = result.ranked[0], result.ranked[: request.top], result.candidates, True

    ckpt = checkpoint(model.params, request.gpus, gpu, request.ckpt_gb_per_s, request.ckpt_async)
    reliability = _reliability(request, best, ckpt, per_node)
    return Plan(
        model=model,
        gpu=gpu,
        gpus=request.gpus,
        gpus_per_node=per_node,
        global_batch_tokens=batch,
        best=best,
        checkpoint=ckpt,
        reliability=reliability,
        searched=searched,
        top=top,
        candidates=candidates,
        constants=constants,
    )


def _fixed_layout(request: LayoutRequest, gpus: int) -> Layout | None:
    """The layout when nothing is left to search: the degrees complete (one may be derived), and vpp (implied
    1 without a pipeline), micro-batch, ZeRO stage and activation checkpointing all given."""
    degrees = request.complete(gpus)
    if degrees is None:
        return None
    vpp = request.vpp or (1 if degrees["pp"] == 1 else None)
    if vpp is None or request.micro_batch is None or request.zero is None or request.act_ckpt is None:
        return None
    return Layout(
        **degrees,
        vpp=vpp,
        micro_batch=request.micro_batch,
        zero=request.zero,
        act_ckpt=request.act_ckpt,
        precision=request.precision,
        attention=request.attention,
        dp_overlap=request.dp_overlap,
    )


def _check_reliability_inputs(request: PlanRequest) -> None:
    """Everything the search does not need, checked before it runs."""
    for flag, value in (("--simulate", request.simulate), ("--top", request.top)):
        if value <= 0:
            raise UsageError(f"{flag} must be a positive number{' of runs' if flag == '--simulate' else ''}, got {value}")
    if request.failure_rate < 0:
        raise UsageError(f"--failure-rate must be >= 0, got {request.failure_rate}")
    if request.restart_min < 0:
        raise UsageError(f"--restart-min must be >= 0, got {request.restart_min}")
    if request.ckpt_gb_per_s <= 0:
        raise UsageError(f"--ckpt-gbps must be positive (storage write bandwidth in GB/s), got {request.ckpt_gb_per_s}")
    if request.ckpt_interval_min is not None and request.ckpt_interval_min <= 0:
        raise UsageError(f"--ckpt-interval-min must be positive, got {request.ckpt_interval_min}")
    if request.train_tokens is not None and request.train_tokens <= 0:
        raise UsageError(f"--train-tokens must be positive, got {request.train_tokens:g}")


def _reliability(request: PlanRequest, best: Estimate, ckpt: Checkpoint, per_node: int) -> Reliability:
    nodes = request.gpus / per_node
    mttf = mttf_s(request.failure_rate, nodes)
    restart = request.restart_min * 60
    if request.ckpt_interval_min is not None:
        interval, source = request.ckpt_interval_min * 60, "given"
    elif request.ckpt_interval_steps is not None:
        if request.ckpt_interval_steps <= 0:
            raise UsageError(f"checkpoint interval must be a positive number of steps, got {request.ckpt_interval_steps}")
        interval, source = request.ckpt_interval_steps * best.step.total, "given"
    else:
        interval, source = optimal_interval_s(ckpt.blocking_s, mttf), "young-daly"
        if ckpt.asynchronous:  # the next asynchronous save waits for the previous write
            interval = max(interval, ckpt.write_s)
    work = request.train_tokens / (best.tokens_per_s_per_gpu * request.gpus) if request.train_tokens else DEFAULT_WORK_DAYS * DAY
    if math.isinf(interval):  # nothing fails: one checkpoint at the end is enough
        interval = work
    interval = max(interval, 1.0)
    closed = expected_ettr(interval, ckpt.blocking_s, restart, mttf)
    sim = simulate(work, interval, ckpt.blocking_s, restart, mttf, request.simulate, request.seed)
    return Reliability(
        failure_rate=request.failure_rate,
        nodes=nodes,
        mttf_h=mttf / 3600,
        restart_min=request.restart_min,
        interval_min=interval / 60,
        interval_source=source,
        ettr=closed,
        simulated=sim,
    )

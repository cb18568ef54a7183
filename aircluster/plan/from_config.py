"""What a training config (configs/*.toml) says about a plan, so a planned run and a launched run are one file.

[model]        name must be "lm"; size and args give the shape
[data]         seq_len; batch_size is per GPU, so the global batch is batch_size x seq_len x GPUs
[train]        steps (the run's length), parallel (fsdp = ZeRO 3, ddp/none = ZeRO 0, auto = searched),
               precision (bf16; auto = bf16), activation_checkpointing (full or none)
[checkpoint]   every_minutes or every_steps (the interval), async_save
[plan]         gpu, gpus, gpus_per_node, tp, pp, cp, dp (0 = not set)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from aircluster.errors import UsageError
from aircluster.jobs.run_config import load_config
from aircluster.plan.model import ModelShape
from aircluster.train.models import LMArgs, model_args

_ZERO = {"fsdp": 3, "ddp": 0, "none": 0}


@dataclass(frozen=True)
class ConfigSettings:
    """Every field is what the config fixes; None leaves it to the command line or the planner."""

    model: ModelShape
    gpu: str | None
    gpus: int | None
    gpus_per_node: int | None
    tp: int | None
    pp: int | None
    cp: int | None
    dp: int | None
    zero: int | None
    act_ckpt: str
    precision: str
    batch_per_gpu: int
    steps: int
    ckpt_interval_min: float | None
    ckpt_interval_steps: int | None
    ckpt_async: bool


def read_config(path: str | Path, overrides: Sequence[str] = ()) -> ConfigSettings:
    cfg = load_config(path, overrides)
    if cfg.model.name != "lm":
        raise UsageError(f'{path}: model.name is {cfg.model.name!r}; the planner plans language models ("lm")')
    if cfg.train.precision == "fp32":
        raise UsageError(f"{path}: train.precision fp32: the planner plans bf16 (or fp8) training")
    args = model_args("lm", cfg.model.size, **{**cfg.model.args, "max_seq_len": cfg.data.seq_len})
    assert isinstance(args, LMArgs)
    plan = cfg.plan

    def degree(value: int) -> int | None:
        return value or None

    every_min = cfg.checkpoint.every_minutes or None
    return ConfigSettings(
        model=ModelShape(cfg.model.size, args, cfg.data.seq_len),
        gpu=plan.gpu or None,
        gpus=degree(plan.gpus),
        gpus_per_node=degree(plan.gpus_per_node),
        tp=degree(plan.tp),
        pp=degree(plan.pp),
        cp=degree(plan.cp),
        dp=degree(plan.dp),
        zero=_ZERO.get(cfg.train.parallel),
        act_ckpt="full" if cfg.train.activation_checkpointing else "none",
        precision="bf16",
        batch_per_gpu=cfg.data.batch_size,
        steps=cfg.train.steps,
        ckpt_interval_min=every_min,
        ckpt_interval_steps=(cfg.checkpoint.every_steps or None) if every_min is None else None,
        ckpt_async=cfg.checkpoint.async_save,
    )

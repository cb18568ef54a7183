"""`aircluster plan`: parses its arguments, calls `plan()`, prints the text or the JSON. Nothing else."""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aircluster.errors import UsageError
from aircluster.plan.checkpoint import DEFAULT_GB_PER_S
from aircluster.plan.from_config import ConfigSettings, read_config
from aircluster.plan.gpus import PRECISIONS, gpu_table
from aircluster.plan.layout import LayoutRequest
from aircluster.plan.model import ACT_CKPT, ATTENTION, ModelShape, custom_model, named_model
from aircluster.plan.plan import DEFAULT_RESTART_MIN, PlanRequest, plan
from aircluster.plan.reliability import RSC1_FAILURES_PER_1000_NODE_DAYS

DEFAULT_GPU = "h100-sxm"
_DIMS = ("layers", "d_model", "heads", "vocab")


def register(sub: Any, cmd: Callable[..., argparse.ArgumentParser]) -> None:
    """Add `plan` to the CLI's subcommands (`cmd` makes a subcommand with --json)."""
    p = cmd(sub, "plan", run, "plan a training run: layout, memory, step time, MFU, checkpoints and ETTR")
    p.add_argument("config", nargs="?", metavar="CONFIG.toml", help="a training config (model, batch, [plan] hardware)")
    p.add_argument("overrides", nargs="*", metavar="key=value", help="config overrides, as for aircluster train")
    m = p.add_argument_group("model (a named size, explicit dimensions, or the config's)")
    m.add_argument("--model", metavar="SIZE", help="a named lm size: 7b, 70b, 405b, 1t, ...")
    m.add_argument("--layers", type=int)
    m.add_argument("--d-model", type=int)
    m.add_argument("--heads", type=int)
    m.add_argument("--kv-heads", type=int)
    m.add_argument("--ffn-dim", type=int)
    m.add_argument("--vocab", type=int)
    m.add_argument("--seq-len", type=int)
    h = p.add_argument_group("hardware")
    h.add_argument("--gpu", help=f"one of {', '.join(gpu_table())} (default {DEFAULT_GPU})")
    h.add_argument("--gpus", type=int)
    h.add_argument("--gpus-per-node", type=int, help="default: the GPU's node (8)")
    lay = p.add_argument_group("layout (what is left out is derived or searched)")
    for degree in ("tp", "pp", "cp", "dp"):
        lay.add_argument(f"--{degree}", type=int)
    lay.add_argument("--vpp", type=int, help="interleaved pipeline chunks per rank")
    lay.add_argument("--micro-batch", type=int, help="sequences per micro-batch")
    lay.add_argument("--zero", type=int, choices=(0, 1, 2, 3), help="ZeRO stage (3 = FSDP)")
    lay.add_argument("--act-ckpt", choices=ACT_CKPT)
    lay.add_argument("--precision", choices=PRECISIONS)
    lay.add_argument("--attention", choices=ATTENTION, default="flash")
    lay.add_argument("--no-dp-overlap", action="store_true", help="gradient reduction does not overlap backward")
    lay.add_argument("--global-batch-tokens", type=int, help="default: one sequence per GPU (config: batch_size each)")
    r = p.add_argument_group("checkpoints and reliability")
    r.add_argument("--ckpt-gbps", type=float, help=f"storage write bandwidth, GB/s (default {DEFAULT_GB_PER_S:g})")
    r.add_argument("--ckpt-async", action="store_true", help="asynchronous checkpoints")
    r.add_argument("--ckpt-interval-min", type=float, help="default: the Young/Daly optimum")
    r.add_argument(
        "--failure-rate",
        type=float,
        default=RSC1_FAILURES_PER_1000_NODE_DAYS,
        help="failures per 1,000 node-days (default 6.50, RSC-1, Kokolis et al. 2024)",
    )
    r.add_argument("--restart-min", type=float, default=DEFAULT_RESTART_MIN, help="failure to training again")
    r.add_argument("--train-tokens", type=float, help="the run's length, for the simulation (default 30 days)")
    r.add_argument("--simulate", type=int, default=1000, metavar="N", help="Monte Carlo runs of the job timeline")
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--top", type=int, default=5, help="layouts to list when searching")


def _model(args: argparse.Namespace, config: ConfigSettings | None) -> ModelShape:
    dims = [name for name in (*_DIMS, "kv_heads", "ffn_dim") if getattr(args, name) is not None]
    if args.model and dims:
        raise UsageError(f"--model and --{dims[0].replace('_', '-')}: give a named size or explicit dimensions, not both")
    if args.model:
        return named_model(args.model, args.seq_len)
    if dims:
        missing = [f"--{n.replace('_', '-')}" for n in (*_DIMS, "seq_len") if getattr(args, n) is None]
        if missing:
            raise UsageError(f"explicit model dimensions need {', '.join(missing)} too")
        return custom_model(args.layers, args.d_model, args.heads, args.vocab, args.seq_len, args.kv_heads, args.ffn_dim)
    if config is not None:
        if args.seq_len is None:
            return config.model
        if args.seq_len <= 0:
            raise UsageError(f"--seq-len must be a positive integer, got {args.seq_len}")
        shape = dataclasses.replace(config.model.args, max_seq_len=args.seq_len)
        return ModelShape(config.model.name, shape, args.seq_len)
    raise UsageError(
        "no model: give --model SIZE, explicit dimensions (--layers --d-model --heads --vocab --seq-len), or a training config"
    )


def _pick(cli: Any, config: Any, default: Any = None) -> Any:
    return cli if cli is not None else (config if config is not None else default)


def build_request(args: argparse.Namespace) -> PlanRequest:
    if args.config and "=" in args.config and not Path(args.config).exists():  # an override in the config's place
        raise UsageError(f"{args.config}: overrides need a training config")
    config = read_config(args.config, args.overrides) if args.config else None
    model = _model(args, config)
    gpus = _pick(args.gpus, config and config.gpus)
    if gpus is None:
        raise UsageError("--gpus is required (or gpus in the config's [plan] section)")
    batch = args.global_batch_tokens
    if batch is None and config is not None:
        batch = config.batch_per_gpu * model.seq_len * gpus
    layout = LayoutRequest(
        tp=_pick(args.tp, config and config.tp),
        pp=_pick(args.pp, config and config.pp),
        cp=_pick(args.cp, config and config.cp),
        dp=_pick(args.dp, config and config.dp),
        vpp=args.vpp,
        micro_batch=args.micro_batch,
        zero=_pick(args.zero, config and config.zero),
        act_ckpt=_pick(args.act_ckpt, config and config.act_ckpt),
        precision=_pick(args.precision, config and config.precision, "bf16"),
        attention=args.attention,
        dp_overlap=not args.no_dp_overlap,
    )
    interval_steps = config.ckpt_interval_steps if config is not None and args.ckpt_interval_min is None else None
    return PlanRequest(
        model=model,
        gpu=_pick(args.gpu, config and config.gpu, DEFAULT_GPU),
        gpus=gpus,
        gpus_per_node=_pick(args.gpus_per_node, config and config.gpus_per_node),
        layout=layout,
        global_batch_tokens=batch,
        ckpt_gb_per_s=_pick(args.ckpt_gbps, None, DEFAULT_GB_PER_S),
        ckpt_async=args.ckpt_async or bool(config and config.ckpt_async),
        ckpt_interval_min=_pick(args.ckpt_interval_min, config and config.ckpt_interval_min),
        ckpt_interval_steps=interval_steps,
        failure_rate=args.failure_rate,
        restart_min=args.restart_min,
        train_tokens=_pick(args.train_tokens, config and batch and config.steps * batch),
        simulate=args.simulate,
        seed=args.seed,
        top=args.top,
    )


def run(args: argparse.Namespace) -> int:
    result = plan(build_request(args))
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
    else:
        from rich.console import Console

        from aircluster.plan.render import render

        Console(width=140).print(render(result))
    return 0

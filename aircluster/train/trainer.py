"""The training loop, in one file.

    python -m aircluster.train.trainer CONFIG.toml [key=value ...] [--resume]

runs one process alone, or one of many under torchrun / srun (RANK, WORLD_SIZE, MASTER_ADDR set).
Each concern is one component with a narrow interface: config (config.py), model (models/),
parallelism (parallel.py), data (batches.py), LR schedule (schedule.py), checkpoints (checkpoint.py)
and metrics (metrics.py); this file only wires them together.

Every step ends with one collective that carries the mean loss, any rank's stop request (SIGUSR1 /
SIGTERM, e.g. Slurm preemption) and any rank's "time-based checkpoint due", so all ranks agree on
when to save and stop. A stopped run saves a checkpoint and exits with EXIT_PREEMPTED, and running
the same command again resumes from it.
"""

from __future__ import annotations

import argparse
import faulthandler
import gc
import logging
import os
import signal
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import torch
import torch.distributed as tdist
import torch.nn.functional as F

from aircluster import errors, installation
from aircluster.errors import AirclusterError, UsageError
from aircluster.jobs.run_config import Config, load_config, save_config
from aircluster.jobs.timeline import JobTimeline
from aircluster.train.batches import Batch, BatchSource, build_data
from aircluster.train.checkpoint import Checkpointer
from aircluster.train.flops import mfu, peak_flops
from aircluster.train.metrics import MetricsLogger, StepTimer, peak_memory_bytes
from aircluster.train.models import build_model, count_params, flops_per_sample, model_args
from aircluster.train.parallel import (
    Dist,
    applied_mode,
    autocast_context,
    build_optimizer,
    default_precision,
    init_distributed,
    parallelize,
)
from aircluster.train.schedule import build_scheduler

log = logging.getLogger("aircluster.train")

EXIT_PREEMPTED = errors.EXIT_PREEMPTED  # EX_TEMPFAIL: stopped by a signal after checkpointing; run again to resume
STOP_SIGNALS = (signal.SIGUSR1, signal.SIGTERM)


@dataclass
class TrainResult:
    run_dir: Path
    start_step: int  # the step resumed from (0 for a fresh run)
    final_step: int
    preempted: bool
    last_loss: float | None
    val: dict[str, float] | None


class StopRequest:
    """Set by SIGUSR1/SIGTERM; read once per step and agreed on by all ranks through the step's collective.

    Installed after the process group exists, so a signal during start-up keeps its default effect.
    """

    def __init__(self) -> None:
        self.requested = False
        self._previous: dict[int, Any] = {}

    def install(self) -> StopRequest:
        for sig in STOP_SIGNALS:
            self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.requested = True

    def uninstall(self) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._previous.clear()


# ---- the pieces of a step ------------------------------------------------------------------------


def model_inputs(kind: str, batch: Batch) -> tuple[torch.Tensor, ...]:
    if kind == "vit":
        return (batch["images"],)
    if kind == "classify" and "attention_mask" in batch:
        return batch["tokens"], batch["attention_mask"]
    return (batch["tokens"],)


def _flat(kind: str, logits: torch.Tensor, batch: Batch) -> tuple[torch.Tensor, torch.Tensor]:
    target = batch["targets"] if kind == "lm" else batch["labels"]
    return logits.reshape(-1, logits.shape[-1]).float(), target.reshape(-1)


def loss_of(kind: str, logits: torch.Tensor, batch: Batch) -> torch.Tensor:
    """Mean cross-entropy: all a training step needs."""
    return F.cross_entropy(*_flat(kind, logits, batch))


def loss_and_correct(kind: str, logits: torch.Tensor, batch: Batch) -> tuple[torch.Tensor, torch.Tensor, int]:
    """(mean cross-entropy, number of correct predictions, number of predictions), for validation."""
    flat_logits, flat_target = _flat(kind, logits, batch)
    loss = F.cross_entropy(flat_logits, flat_target)
    correct = (flat_logits.argmax(dim=-1) == flat_target).sum()
    return loss, correct, flat_target.numel()


def to_device(batch: Batch, device: torch.device) -> Batch:
    return {k: v.to(device, non_blocking=True) for k, v in batch.items()}


def sum_across_ranks(values: list[float], d: Dist) -> list[float]:
    tensor = torch.tensor(values, dtype=torch.float64, device=d.device)
    if d.distributed:
        tdist.all_reduce(tensor)
    return tensor.tolist()


@torch.no_grad()
def evaluate(model: torch.nn.Module, source: BatchSource, n_batches: int, cfg: Config, d: Dist, precision: str,
             mode: str) -> dict[str, float]:
    """Mean loss and accuracy over n_batches of the held-out split (the same batches every time)."""
    start = source.state_dict()
    model.eval()
    loss_sum, correct, count = 0.0, 0.0, 0.0
    for _ in range(n_batches):
        batch = to_device(next(source), d.device)
        with autocast_context(d.device, precision, mode):
            logits = model(*model_inputs(cfg.model.name, batch))
        loss, n_correct, n = loss_and_correct(cfg.model.name, logits, batch)
        loss_sum += loss.item() * n
        correct += n_correct.item()
        count += n
    model.train()
    source.load_state_dict(start)
    loss_sum, correct, count = sum_across_ranks([loss_sum, correct, count], d)
    return {"val_loss": loss_sum / count, "val_acc": correct / count}


def clip_gradients(model: torch.nn.Module, max_norm: float) -> float:
    """Scale the gradients to a total norm of at most `max_norm` (0: never); returns the norm before.

    The norm is read anyway (it is logged), so the scaling pass over every gradient is skipped when
    it would multiply by 1: most steps once training settles, and ~5% of a small model's step on CPU."""
    params = [p for p in model.parameters() if p.grad is not None]
    norm = torch.nn.utils.get_total_norm([p.grad for p in params], foreach=True)
    # Under FSDP2 the norm is a DTensor of the shards' partial norms: reduced to read it, and kept as a
    # DTensor to scale DTensor gradients with.
    value = float(norm.full_tensor() if hasattr(norm, "full_tensor") else norm)
    if max_norm > 0 and value > max_norm:
        torch.nn.utils.clip_grads_with_norm_(params, max_norm, norm, foreach=True)
    return value


# ---- set-up helpers ------------------------------------------------------------------------------


def resolve_run_dir(cfg: Config, d: Dist) -> Path:
    """train.run_dir, or AIRCLUSTER_HOME/runs/<job id> (a new local id if not launched as a job)."""
    if cfg.train.run_dir:
        return Path(cfg.train.run_dir).expanduser().resolve()
    name = installation.job_id()
    if name is None:  # rank 0 names it; everyone must use the same directory
        box = [f"local-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}" if d.rank == 0 else None]
        if d.distributed:
            tdist.broadcast_object_list(box, src=0)
        name = box[0]
    return (installation.paths().runs / str(name)).resolve()


def set_determinism(seed: int, deterministic: bool) -> None:
    torch.manual_seed(seed)  # the same on every rank, so all ranks build identical initial weights
    if deterministic:
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.use_deterministic_algorithms(True)
        torch.backends.cudnn.benchmark = False


def setup_logging(run_dir: Path, rank: int) -> None:
    """Rank 0 logs to stderr; every rank logs to run_dir/logs/rank<N>.log."""
    logger = logging.getLogger("aircluster")
    logger.setLevel(logging.INFO)
    for handler in list(logger.handlers):
        if getattr(handler, "_aircluster_train", False):
            logger.removeHandler(handler)
            handler.close()
    (run_dir / "logs").mkdir(parents=True, exist_ok=True)
    fmt = logging.Formatter(f"%(asctime)s rank{rank} %(levelname)s %(message)s")
    handlers: list[logging.Handler] = [logging.FileHandler(run_dir / "logs" / f"rank{rank}.log")]
    if rank == 0:
        handlers.append(logging.StreamHandler(sys.stderr))
    for handler in handlers:
        handler.setFormatter(fmt)
        handler._aircluster_train = True  # type: ignore[attr-defined]
        logger.addHandler(handler)


def peak_flops_per_device(device: torch.device, precision: str) -> float:
    """The device's peak FLOP/s for MFU (on CPUs: the best matmul rate ever measured on this machine)."""
    with torch.random.fork_rng(devices=[]):  # the measurement draws random matrices: keep the run's RNG intact
        return peak_flops(device, precision, cache_file=installation.paths().cache / "peak_flops.json")


# ---- the loop ------------------------------------------------------------------------------------


def train(cfg: Config, *, resume: bool | None = None, d: Dist | None = None) -> TrainResult:
    """Train per `cfg`. resume=None resumes when the run directory has a checkpoint; True requires one;
    False ignores checkpoints (and overwrites them as it saves)."""
    own_dist = d is None
    d = d or init_distributed()
    stop = StopRequest().install()
    try:
        return _train(cfg, d, stop, resume)
    finally:
        stop.uninstall()
        if own_dist:
            # The FSDP model, its DTensors and its communication state sit in reference cycles that only
            # the cyclic collector frees. Left to interpreter shutdown they go after the process group, and
            # a worker that finished its run then aborts ("terminate called without an active exception",
            # SIGABRT), which torchrun takes for a failure. Free them while the group still exists (one pass
            # is not enough: objects with finalizers are freed in a later one).
            for _ in range(5):
                if not gc.collect():
                    break
            d.close()


def _train(cfg: Config, d: Dist, stop: StopRequest, resume: bool | None) -> TrainResult:
    set_determinism(cfg.train.seed, cfg.train.deterministic)
    run_dir = resolve_run_dir(cfg, d)
    cfg.train.run_dir = str(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    setup_logging(run_dir, d.rank)
    if d.rank == 0:
        save_config(cfg, run_dir / "config.toml")

    # Model, parallelism, optimizer, schedule.
    kind = cfg.model.name
    args = model_args(kind, cfg.model.size, **cfg.model.args)
    max_len = getattr(args, "max_seq_len", None)
    if kind != "vit" and max_len is not None and cfg.data.seq_len > max_len:
        raise UsageError(f"data.seq_len {cfg.data.seq_len} exceeds model {kind}/{cfg.model.size} max_seq_len {max_len}")
    # bf16 only pays off from a model width up (measured in bench/precision.py): pass the width
    precision = default_precision(d.device, dim=getattr(args, "dim", None)) if cfg.train.precision == "auto" else cfg.train.precision
    mode = applied_mode("fsdp" if cfg.train.parallel == "auto" else cfg.train.parallel, d)
    model = parallelize(build_model(kind, args), d, precision=precision, mode=mode,
                        activation_checkpointing=cfg.train.activation_checkpointing, compile=cfg.train.compile)
    optimizer = build_optimizer(model, lr=cfg.train.lr, weight_decay=cfg.train.weight_decay)
    scheduler = build_scheduler(optimizer, cfg.train.warmup_steps, cfg.train.steps, cfg.train.min_lr_ratio)
    # Ranks differ from here on (e.g. dropout masks); a resume restores each rank's own RNG state.
    torch.manual_seed(cfg.train.seed + 1_000_003 * (d.rank + 1))

    # Data and resume.
    source = build_data(cfg, d, "train")
    checkpointer = Checkpointer(run_dir / "checkpoints", keep=cfg.checkpoint.keep, async_save=cfg.checkpoint.async_save)
    start_step = 0
    if resume is not False:
        restored = checkpointer.load(model, optimizer, scheduler, source.state_dict())
        if restored is not None:
            source.load_state_dict(restored.loader_state)
            start_step = restored.step
            if not restored.rng_restored:
                log.warning("rank %d has no saved RNG state (more processes than at save time): reseeding", d.rank)
                torch.manual_seed(cfg.train.seed + 1_000_003 * (d.rank + 1) + start_step)
        elif resume:
            raise UsageError(f"--resume: no checkpoint in {run_dir / 'checkpoints'}")

    timeline = JobTimeline(d.rank)
    if installation.job_id() is not None and installation.paths().catalog.exists():
        # Pre-flight on every node before any training step: a bad node stops the job here, named.
        from aircluster.jobs.health import preflight, run_health_checks

        if d.distributed:
            report = preflight(run_dir, installation.paths().store)
        else:
            report = run_health_checks(run_dir, installation.paths().store)
            report.raise_for_failures()
        timeline.event("health", ok=report.ok)
    timeline.attempt(start_step, nodes=[os.environ.get("SLURMD_NODENAME") or socket.gethostname()])

    n_params = count_params(args)
    sample_flops = flops_per_sample(args, cfg.data.seq_len if kind != "vit" else None)
    peak = peak_flops_per_device(d.device, precision)
    rate_key = "tokens_per_s" if kind == "lm" else "samples_per_s"
    log.info("model %s/%s: %.2fM params, %s x %d procs, %s, %s; steps %d..%d; run dir %s",
             kind, cfg.model.size, n_params / 1e6, d.device, d.world_size, mode, precision,
             start_step + 1, cfg.train.steps, run_dir)
    metrics = MetricsLogger(run_dir, rank=d.rank, total_steps=cfg.train.steps, start_step=start_step,
                            tensorboard=cfg.metrics.tensorboard, progress=cfg.metrics.progress)
    if start_step:
        metrics.event(start_step, "resumed", world_size=d.world_size)
    val_source: BatchSource | None = None

    def validate(step: int) -> dict[str, float]:
        nonlocal val_source
        if val_source is None:
            val_source = build_data(cfg, d, "val")
        result = evaluate(model, val_source, cfg.data.val_batches, cfg, d, precision, mode)
        metrics.log(step, result)
        return result

    step, last_loss, val, preempted = start_step, None, None, False
    last_saved = start_step if start_step else None
    last_save_time = time.monotonic()
    timer = StepTimer()
    try:
        while step < cfg.train.steps:
            step += 1
            timer.start_step()
            wait_start = time.perf_counter()
            batch = to_device(next(source), d.device)
            timer.add_data_wait(time.perf_counter() - wait_start)

            with autocast_context(d.device, precision, mode):
                logits = model(*model_inputs(kind, batch))
            loss = loss_of(kind, logits, batch)
            loss.backward()
            grad_norm = clip_gradients(model, cfg.train.grad_clip)
            lr = scheduler.get_last_lr()[0]
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
            scheduler.step()

            # The step's one collective: loss, stop requests, time-based checkpoint due.
            minutes = cfg.checkpoint.every_minutes
            time_due = minutes > 0 and time.monotonic() - last_save_time >= 60 * minutes
            loss_sum, stops, due = sum_across_ranks([loss.item(), float(stop.requested), float(time_due)], d)
            planned_stop = step == cfg.train.stop_at_step
            last_loss = loss_sum / d.world_size
            seconds, data_wait_frac = timer.finish_step()

            if step % cfg.train.log_every == 0 or step == cfg.train.steps or stops:
                samples = cfg.data.batch_size * d.world_size
                rate = samples * (cfg.data.seq_len if kind == "lm" else 1) / seconds
                metrics.log(step, {
                    "loss": last_loss, "lr": lr, "grad_norm": grad_norm, rate_key: rate,
                    "mfu": mfu(sample_flops * cfg.data.batch_size / seconds, peak),
                    "data_wait_frac": data_wait_frac, "step_s": seconds,
                    "peak_mem_bytes": peak_memory_bytes(d.device),
                })

            checkpointer.poll()
            every = cfg.checkpoint.every_steps
            if (every and step % every == 0) or due or stops or planned_stop:
                checkpointer.save(step, model, optimizer, scheduler, source.state_dict())
                last_saved, last_save_time = step, time.monotonic()
                timeline.checkpoint(step)
            else:
                timeline.step(step)
            if cfg.train.val_every and step % cfg.train.val_every == 0:
                val = validate(step)
            if stops:
                preempted = True
                log.warning("stop requested (signal): checkpointed step %d, exiting", step)
                metrics.event(step, "preempted")
                break
            if planned_stop:
                log.info("train.stop_at_step %d reached: checkpointed, exiting", step)
                metrics.event(step, "stopped")
                break

        if step == cfg.train.steps and not preempted:
            if cfg.checkpoint.save_final and last_saved != step:
                checkpointer.save(step, model, optimizer, scheduler, source.state_dict())
                timeline.checkpoint(step)
            if not cfg.train.val_every or step % cfg.train.val_every:
                val = validate(step)
        checkpointer.wait()
    finally:
        checkpointer.close()
        metrics.close()
        timeline.close()
    return TrainResult(run_dir, start_step, step, preempted, last_loss, val)


# ---- command line --------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m aircluster.train.trainer",
                                     description="Train a model (one process, or one rank under torchrun).")
    parser.add_argument("config", help="a TOML training config (see configs/)")
    parser.add_argument("overrides", nargs="*", metavar="key=value", help="e.g. train.steps=100")
    parser.add_argument("--resume", action="store_true",
                        help="require a checkpoint to resume from (by default a run resumes when it has one)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        cfg = load_config(args.config, args.overrides)
        result = train(cfg, resume=True if args.resume else None)
    except AirclusterError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    return EXIT_PREEMPTED if result.preempted else 0


if __name__ == "__main__":
    # A worker killed by a fatal signal (SIGSEGV, SIGABRT, ...) prints every thread's Python stack to its log.
    faulthandler.enable(all_threads=True)
    raise SystemExit(main())

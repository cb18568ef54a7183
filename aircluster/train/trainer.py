"""The training run: a `Trainer` built from a config, and its command line.

    python -m aircluster.train.trainer CONFIG.toml [key=value ...] [--resume]

runs one process alone, or one of many under torchrun / srun (RANK, WORLD_SIZE, MASTER_ADDR set).
Each concern is one component with a narrow interface: config (jobs/run_config.py), model (models/),
parallelism (parallel.py), data (data.py), a step's pieces (step.py), LR schedule (schedule.py),
checkpoints (checkpoint.py, of the parts in state.py) and metrics (metrics.py); this file wires them
together: `Trainer.__init__` builds, `Trainer.train_step` is one step, `Trainer.train` the loop.

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

from aircluster import errors, installation
from aircluster.errors import AirclusterError, UsageError
from aircluster.jobs.run_config import Config, load_config, save_config
from aircluster.jobs.timeline import JobTimeline, launched_as_job
from aircluster.train.batches import Batch, BatchSource
from aircluster.train.checkpoint import Checkpointer
from aircluster.train.data import VAL_EVERY, build_data
from aircluster.train.flops import mfu
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
from aircluster.train.run_setup import peak_flops_per_device, resolve_run_dir, set_determinism, setup_logging
from aircluster.train.schedule import build_scheduler
from aircluster.train.state import JSONState, ModelState, OptimizerState, RNGState, Stateful, rng_part_name
from aircluster.train.step import clip_gradients, evaluate, loss_of, model_inputs, sum_across_ranks, to_device

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


# ---- the run -------------------------------------------------------------------------------------


@dataclass
class StepOutcome:
    """One optimizer step as every rank agrees on it (after the step's collective)."""

    loss: float  # mean over ranks
    lr: float  # the learning rate the step used
    grad_norm: float
    seconds: float
    data_wait_frac: float
    stop: bool  # some rank got a stop signal
    checkpoint_due: bool  # some rank's checkpoint.every_minutes elapsed


class Trainer:
    """One rank's training run: built by __init__ (resuming from the newest checkpoint), run by `train()`.

    __init__ only builds; every rank must build and train together (the steps, checkpoints and
    validations are collective). Call `close()` when done, also after an error.
    """

    def __init__(self, cfg: Config, d: Dist, stop: StopRequest, resume: bool | None):
        self.cfg, self.d, self.stop = cfg, d, stop
        self.kind = cfg.model.name
        set_determinism(cfg.train.seed, cfg.train.deterministic)
        self.run_dir = self._prepare_run_dir()
        self._build_model()
        # Ranks differ from here on (e.g. dropout masks); a resume restores each rank's own RNG state.
        torch.manual_seed(self._rank_seed())
        self.source = build_data(cfg, d, "train")
        self.val_source: BatchSource | None = None  # built at the first validation
        self.val_skipped = False  # warned once that the held-out split is empty
        self.checkpointer = Checkpointer(
            self.run_dir / "checkpoints", keep=cfg.checkpoint.keep, async_save=cfg.checkpoint.async_save
        )
        # Everything a checkpoint holds; a new kind of state is one more entry here.
        self.parts: dict[str, Stateful] = {
            "model": ModelState(self.model),
            "optimizer": OptimizerState(self.model, self.optimizer),
            "scheduler": JSONState(self.scheduler),
            "loader": JSONState(self.source),
            rng_part_name(d.rank): RNGState(),
        }
        self.step = self.start_step = self._restore(resume)
        self.last_saved = self.start_step or None
        self.timeline = JobTimeline(d.rank)
        self._preflight()
        self.sample_flops = flops_per_sample(self.args, cfg.data.seq_len if self.kind != "vit" else None)
        self.peak_flops = peak_flops_per_device(d.device, self.precision)
        self.metrics = self._start_metrics()
        self.timer = StepTimer()
        self.last_save_time = time.monotonic()  # checkpoint.every_minutes counts from the first step

    # ---- building ----------------------------------------------------------------------------

    def _rank_seed(self) -> int:
        return self.cfg.train.seed + 1_000_003 * (self.d.rank + 1)

    def _prepare_run_dir(self) -> Path:
        run_dir = resolve_run_dir(self.cfg, self.d)
        self.cfg.train.run_dir = str(run_dir)
        run_dir.mkdir(parents=True, exist_ok=True)
        setup_logging(run_dir, self.d.rank)
        if self.d.rank == 0:
            save_config(self.cfg, run_dir / "config.toml")
        return run_dir

    def _build_model(self) -> None:
        """Model, parallelism, optimizer and LR schedule."""
        cfg, kind = self.cfg, self.kind
        self.args = model_args(kind, cfg.model.size, **cfg.model.args)
        max_len = getattr(self.args, "max_seq_len", None)
        if kind != "vit" and max_len is not None and cfg.data.seq_len > max_len:
            raise UsageError(f"data.seq_len {cfg.data.seq_len} exceeds model {kind}/{cfg.model.size} max_seq_len {max_len}")
        # bf16 only pays off from a model width up (measured in bench/precision.py): pass the width
        self.precision = (
            default_precision(self.d.device, dim=getattr(self.args, "dim", None))
            if cfg.train.precision == "auto"
            else cfg.train.precision
        )
        self.mode = applied_mode("fsdp" if cfg.train.parallel == "auto" else cfg.train.parallel, self.d)
        self.model = parallelize(
            build_model(kind, self.args),
            self.d,
            precision=self.precision,
            mode=self.mode,
            activation_checkpointing=cfg.train.activation_checkpointing,
            compile=cfg.train.compile,
        )
        self.optimizer = build_optimizer(self.model, lr=cfg.train.lr, weight_decay=cfg.train.weight_decay)
        self.scheduler = build_scheduler(self.optimizer, cfg.train.warmup_steps, cfg.train.steps, cfg.train.min_lr_ratio)

    def _restore(self, resume: bool | None) -> int:
        """Load the newest good checkpoint into the parts (unless resume is False); returns its step."""
        if resume is False:
            return 0
        restored = self.checkpointer.load(self.parts)
        if restored is None:
            if resume:
                raise UsageError(f"--resume: no checkpoint in {self.run_dir / 'checkpoints'}")
            return 0
        for name in restored.missing:
            if name == rng_part_name(self.d.rank):
                log.warning("rank %d has no saved RNG state (more processes than at save time): reseeding", self.d.rank)
                torch.manual_seed(self._rank_seed() + restored.step)
            else:
                log.warning("checkpoint %s has no state for %r: it starts afresh", restored.path, name)
        return restored.step

    def _preflight(self) -> None:
        """Health checks on every node before any step (a bad node stops the job here, named), then the
        job record learns that an attempt started."""
        if launched_as_job():
            from aircluster.jobs.health import preflight, run_health_checks

            if self.d.distributed:
                report = preflight(self.run_dir, installation.paths().store)
            else:
                report = run_health_checks(self.run_dir, installation.paths().store)
                report.raise_for_failures()
            self.timeline.event("health", ok=report.ok)
        self.timeline.attempt(self.start_step, nodes=[os.environ.get("SLURMD_NODENAME") or socket.gethostname()])

    def _start_metrics(self) -> MetricsLogger:
        cfg, d = self.cfg, self.d
        log.info(
            "model %s/%s: %.2fM params, %s x %d procs, %s, %s; steps %d..%d; run dir %s",
            self.kind,
            cfg.model.size,
            count_params(self.args) / 1e6,
            d.device,
            d.world_size,
            self.mode,
            self.precision,
            self.start_step + 1,
            cfg.train.steps,
            self.run_dir,
        )
        metrics = MetricsLogger(
            self.run_dir,
            rank=d.rank,
            total_steps=cfg.train.steps,
            start_step=self.start_step,
            tensorboard=cfg.metrics.tensorboard,
            progress=cfg.metrics.progress,
        )
        if self.start_step:
            metrics.event(self.start_step, "resumed", world_size=d.world_size)
        return metrics

    # ---- one step ----------------------------------------------------------------------------

    def forward_backward_step(self, batch: Batch) -> torch.Tensor:
        """The loss of one batch, with its gradients accumulated into the parameters."""
        with autocast_context(self.d.device, self.precision, self.mode):
            logits = self.model(*model_inputs(self.kind, batch))
        loss = loss_of(self.kind, logits, batch)
        loss.backward()
        return loss

    def train_step(self) -> StepOutcome:
        """One optimizer step on the next batch, ending in the step's one collective: the mean loss, any
        rank's stop request and any rank's time-based checkpoint due."""
        self.timer.start_step()
        wait_start = time.perf_counter()
        batch = to_device(next(self.source), self.d.device)
        self.timer.add_data_wait(time.perf_counter() - wait_start)

        loss = self.forward_backward_step(batch)
        grad_norm = clip_gradients(self.model, self.cfg.train.grad_clip)
        lr = float(self.scheduler.get_last_lr()[0])
        self.optimizer.step()
        self.optimizer.zero_grad(set_to_none=True)
        self.scheduler.step()

        minutes = self.cfg.checkpoint.every_minutes
        time_due = minutes > 0 and time.monotonic() - self.last_save_time >= 60 * minutes
        loss_sum, stops, due = sum_across_ranks([loss.item(), float(self.stop.requested), float(time_due)], self.d)
        seconds, data_wait_frac = self.timer.finish_step()
        return StepOutcome(loss_sum / self.d.world_size, lr, grad_norm, seconds, data_wait_frac, bool(stops), bool(due))

    def log_step(self, outcome: StepOutcome) -> None:
        cfg = self.cfg
        samples = cfg.data.batch_size * self.d.world_size
        rate = samples * (cfg.data.seq_len if self.kind == "lm" else 1) / outcome.seconds
        self.metrics.log(
            self.step,
            {
                "loss": outcome.loss,
                "lr": outcome.lr,
                "grad_norm": outcome.grad_norm,
                "tokens_per_s" if self.kind == "lm" else "samples_per_s": rate,
                "mfu": mfu(self.sample_flops * cfg.data.batch_size / outcome.seconds, self.peak_flops),
                "data_wait_frac": outcome.data_wait_frac,
                "step_s": outcome.seconds,
                "peak_mem_bytes": peak_memory_bytes(self.d.device),
            },
        )

    def save_checkpoint(self) -> None:
        self.checkpointer.save(self.step, self.parts)
        self.last_saved, self.last_save_time = self.step, time.monotonic()
        self.timeline.checkpoint(self.step)

    def validate(self) -> dict[str, float] | None:
        """Held-out loss and accuracy; None, with a warning and a metrics event, when a rank has no
        held-out records (a tiny dataset): the run goes on without validation rather than failing."""
        if self.val_source is None:
            self.val_source = build_data(self.cfg, self.d, "val")
        result = evaluate(self.model, self.val_source, self.cfg.data.val_batches, self.cfg, self.d, self.precision, self.mode)
        if result is None:
            if not self.val_skipped:
                log.warning("validation skipped: a rank's held-out split (1 record in %d) has no records", VAL_EVERY)
            self.val_skipped = True
            self.metrics.event(self.step, "val_skipped")
            return None
        self.metrics.log(self.step, result)
        return result

    # ---- the loop ----------------------------------------------------------------------------

    def train(self) -> TrainResult:
        """Step until train.steps, a stop signal (checkpoint, then stop) or train.stop_at_step."""
        cfg = self.cfg
        last_loss, val, preempted = None, None, False
        while self.step < cfg.train.steps:
            self.step += 1
            outcome = self.train_step()
            last_loss = outcome.loss
            planned_stop = self.step == cfg.train.stop_at_step
            if self.step % cfg.train.log_every == 0 or self.step == cfg.train.steps or outcome.stop:
                self.log_step(outcome)

            self.checkpointer.poll()
            every = cfg.checkpoint.every_steps
            if (every and self.step % every == 0) or outcome.checkpoint_due or outcome.stop or planned_stop:
                self.save_checkpoint()
            else:
                self.timeline.step(self.step)
            if cfg.train.val_every and self.step % cfg.train.val_every == 0:
                val = self.validate()
            if outcome.stop:
                preempted = True
                log.warning("stop requested (signal): checkpointed step %d, exiting", self.step)
                self.metrics.event(self.step, "preempted")
                break
            if planned_stop:
                log.info("train.stop_at_step %d reached: checkpointed, exiting", self.step)
                self.metrics.event(self.step, "stopped")
                break

        if self.step == cfg.train.steps and not preempted:
            if cfg.checkpoint.save_final and self.last_saved != self.step:
                self.save_checkpoint()
            if not cfg.train.val_every or self.step % cfg.train.val_every:
                val = self.validate()
        self.checkpointer.wait()
        return TrainResult(self.run_dir, self.start_step, self.step, preempted, last_loss, val)

    def close(self) -> None:
        """Finish a background save and close the metrics and the job timeline (what was built of them)."""
        for name in ("checkpointer", "metrics", "timeline"):
            part = getattr(self, name, None)
            if part is not None:
                part.close()


def train(cfg: Config, *, resume: bool | None = None, d: Dist | None = None) -> TrainResult:
    """Train per `cfg`. resume=None resumes when the run directory has a checkpoint; True requires one;
    False ignores checkpoints (and overwrites them as it saves)."""
    own_dist = d is None
    d = d or init_distributed()
    stop = StopRequest().install()
    try:
        return _run(cfg, d, stop, resume)
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


def _run(cfg: Config, d: Dist, stop: StopRequest, resume: bool | None) -> TrainResult:
    # Its own frame, so that the Trainer (and the model) are unreachable once it returns, before the collection.
    trainer = Trainer(cfg, d, stop, resume)
    try:
        return trainer.train()
    finally:
        trainer.close()


# ---- command line --------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m aircluster.train.trainer",
        description="Train a model (one process, or one rank under torchrun).",
    )
    parser.add_argument("config", help="a TOML training config (see configs/)")
    parser.add_argument("overrides", nargs="*", metavar="key=value", help="e.g. train.steps=100")
    parser.add_argument(
        "--resume",
        action="store_true",
        help="require a checkpoint to resume from (by default a run resumes when it has one)",
    )
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

"""Per-step metrics: JSON lines in the run directory, TensorBoard events, and a progress bar on rank 0.

`metrics.jsonl` holds one object per logged step (`step`, `loss`, `lr`, `tokens_per_s` or
`samples_per_s`, `mfu`, `data_wait_frac`, `peak_mem_bytes`, ...) and, for validations,
objects with `val_loss` / `val_acc`. On resume, records after the resumed step are dropped so that
the file always describes one consistent history.
"""

from __future__ import annotations

import json
import logging
import math
import resource
import sys
import time
from pathlib import Path
from typing import Any

import torch

log = logging.getLogger("aircluster.train")

METRICS_FILE = "metrics.jsonl"


def read_metrics(run_dir: str | Path) -> list[dict[str, Any]]:
    path = Path(run_dir) / METRICS_FILE
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def peak_memory_bytes(device: torch.device) -> int:
    """Peak accelerator memory allocated by this process, or peak resident memory on CPU."""
    if device.type == "cuda":
        return int(torch.cuda.max_memory_allocated(device))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(rss if sys.platform == "darwin" else rss * 1024)  # Linux reports KiB


class StepTimer:
    """Splits each step's wall time into waiting for data and the rest."""

    def __init__(self) -> None:
        self.step_start = time.perf_counter()
        self.data_wait = 0.0

    def start_step(self) -> None:
        self.step_start = time.perf_counter()
        self.data_wait = 0.0

    def add_data_wait(self, seconds: float) -> None:
        self.data_wait += seconds

    def finish_step(self) -> tuple[float, float]:
        """(step seconds, fraction of them spent waiting for data)."""
        elapsed = max(time.perf_counter() - self.step_start, 1e-9)
        return elapsed, min(1.0, self.data_wait / elapsed)


class MetricsLogger:
    """Writes metrics on rank 0 (every other rank's logger does nothing)."""

    def __init__(
        self,
        run_dir: str | Path,
        *,
        rank: int,
        total_steps: int,
        start_step: int = 0,
        tensorboard: bool = True,
        progress: bool = True,
    ):
        self.enabled = rank == 0
        self.run_dir = Path(run_dir)
        self.total_steps = total_steps
        self._tb = None
        self._progress = None
        self._file = None
        if not self.enabled:
            return
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self._drop_records_after(start_step)
        self._file = open(self.run_dir / METRICS_FILE, "a")  # noqa: SIM115 - open until close()
        if tensorboard:
            self._tb = _tensorboard_writer(self.run_dir / "tensorboard", purge_step=start_step + 1)
        if progress:
            self._progress = _ProgressBar(total_steps, start_step)

    def log(self, step: int, values: dict[str, Any]) -> None:
        if not self.enabled or self._file is None:
            return
        record = {"step": step, **{k: _plain(v) for k, v in values.items()}}
        self._file.write(json.dumps(record) + "\n")
        self._file.flush()
        if self._tb is not None:
            for key, value in record.items():
                if key != "step" and isinstance(value, (int, float)) and math.isfinite(value):
                    self._tb.add_scalar(key, value, step)
        if self._progress is not None:
            self._progress.update(step, record)

    def event(self, step: int, name: str, **fields: Any) -> None:
        """A non-metric record (e.g. preempted, resumed) in the same file."""
        self.log(step, {"event": name, **fields})

    def close(self) -> None:
        if self._progress is not None:
            self._progress.close()
            self._progress = None
        if self._tb is not None:
            self._tb.close()
            self._tb = None
        if self._file is not None:
            self._file.close()
            self._file = None

    def _drop_records_after(self, start_step: int) -> None:
        path = self.run_dir / METRICS_FILE
        if not path.exists():
            return
        lines = path.read_text().splitlines()
        kept = [line for line in lines if line.strip() and json.loads(line).get("step", 0) <= start_step]
        if len(kept) != len(lines):
            tmp = path.with_name(path.name + ".tmp")
            tmp.write_text("".join(line + "\n" for line in kept))
            tmp.replace(path)


def _plain(value: Any) -> Any:
    if isinstance(value, torch.Tensor):
        return value.item()
    return value


def _tensorboard_writer(path: Path, purge_step: int) -> Any:
    try:
        from torch.utils.tensorboard import SummaryWriter
    except ImportError:  # tensorboard is an optional extra
        return None
    return SummaryWriter(str(path), purge_step=purge_step)


class _ProgressBar:
    """A rich progress bar with the key numbers when stderr is a terminal; otherwise a log line
    every tenth of the run (so batch logs stay short)."""

    def __init__(self, total: int, start: int):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.console = Console(stderr=True)
        self.total = total
        self.every = max(1, total // 10)
        self.progress = None
        if self.console.is_terminal:
            self.progress = Progress(
                TextColumn("[bold]train"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                TextColumn("{task.fields[info]}"),
                console=self.console,
            )
            self.task = self.progress.add_task("train", total=total, completed=start, info="")
            self.progress.start()

    def update(self, step: int, record: dict[str, Any]) -> None:
        if "loss" not in record:
            return
        info = _summary(record)
        if self.progress is not None:
            self.progress.update(self.task, completed=step, info=info)
        elif step % self.every == 0 or step == self.total:
            log.info("step %d/%d %s", step, self.total, info)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def _summary(record: dict[str, Any]) -> str:
    parts = [f"loss {record['loss']:.4f}", f"lr {record.get('lr', 0):.2e}"]
    if "tokens_per_s" in record:
        parts.append(f"{record['tokens_per_s']:,.0f} tok/s")
    elif "samples_per_s" in record:
        parts.append(f"{record['samples_per_s']:,.1f} samples/s")
    if record.get("mfu") is not None:
        parts.append(f"mfu {100 * record['mfu']:.2f}%")
    parts.append(f"data wait {100 * record.get('data_wait_frac', 0):.0f}%")
    return "  ".join(parts)

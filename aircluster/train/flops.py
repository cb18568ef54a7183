"""FLOPs of training (per token, per sample) and the peak FLOP/s they are compared with (MFU).

Per-token and per-sample counts come from the model args (see `models.counting`). The peak is the vendor's
dense bf16 tensor-core figure for known GPUs; anything else (CPUs, unknown GPUs, fp32) gets a short matmul
benchmark, run once per process and kept in a JSON file as the best ever measured on this machine, so a
measurement taken under load cannot lower the peak (and inflate MFU).
"""

from __future__ import annotations

import functools
import json
import os
import platform
import time
from pathlib import Path

import torch

from aircluster.errors import UsageError
from aircluster.train.models.counting import count_params, flops_per_sample, flops_per_token

__all__ = ["GPU_PEAK_BF16", "count_params", "flops_per_sample", "flops_per_token", "mfu", "peak_flops"]

# Dense (no sparsity) bf16 tensor-core peak FLOP/s from vendor data sheets; first match on the device name wins,
# so more specific names come first.
GPU_PEAK_BF16: tuple[tuple[str, float], ...] = (
    ("B200", 2.25e15),
    ("H200", 989e12),
    ("H100 NVL", 835e12),
    ("H100 PCIe", 756e12),
    ("H100", 989e12),
    ("A100", 312e12),
    ("L40S", 362e12),
    ("L4", 121e12),
    ("A10G", 70e12),
)

_DTYPES = {"bf16": torch.bfloat16, "fp32": torch.float32}


def mfu(achieved_flops_per_s: float, peak_flops_per_s: float) -> float:
    """Model FLOPs utilization: the fraction of the device's peak that the model's useful FLOPs reach."""
    return achieved_flops_per_s / peak_flops_per_s if peak_flops_per_s > 0 else 0.0


def peak_flops(device: torch.device, precision: str, cache_file: str | os.PathLike | None = None) -> float:
    """Peak FLOP/s of one device at this precision ("bf16" or "fp32")."""
    if precision not in _DTYPES:
        raise UsageError(f"train.precision: unknown value {precision!r}; choose one of {', '.join(_DTYPES)}")
    name = _device_name(device)
    if device.type == "cuda" and precision == "bf16":
        for fragment, peak in GPU_PEAK_BF16:
            if fragment.lower() in name.lower():
                return peak
    key = f"{device.type}|{name}|{precision}|threads={torch.get_num_threads()}|torch={torch.__version__}"
    # Measured on every start (a quarter second) and the best ever seen is kept: a measurement taken
    # while other work shares the device reads low, and a low peak would inflate every MFU after it.
    measured = _measure_matmul(device.type, device.index, precision, torch.get_num_threads())
    cached = _read_cache(cache_file).get(key)
    if cached is not None and float(cached) >= measured:
        return float(cached)
    if cache_file is not None:
        try:
            _write_cache(Path(cache_file), key, measured)
        except OSError:
            pass  # a cache this account may not write (a shared installation's home): measured again next time
    return measured


def _device_name(device: torch.device) -> str:
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    if device.type == "cpu":
        try:
            for line in Path("/proc/cpuinfo").read_text().splitlines():
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return platform.processor() or platform.machine()
    return device.type


@functools.cache
def _measure_matmul(device_type: str, index: int | None, precision: str, threads: int) -> float:
    """Best FLOP/s of square matmuls over about a quarter second (threads is part of the cache key)."""
    device = torch.device(device_type, index) if index is not None else torch.device(device_type)
    n = 1024 if device_type == "cpu" else 8192
    a = torch.randn(n, n, device=device, dtype=_DTYPES[precision])
    b = torch.randn(n, n, device=device, dtype=_DTYPES[precision])
    torch.mm(a, b)  # warm up kernels and caches
    best, deadline = 0.0, time.perf_counter() + 0.25
    while time.perf_counter() < deadline:
        _synchronize(device)
        start = time.perf_counter()
        torch.mm(a, b)
        _synchronize(device)
        best = max(best, 2 * n**3 / (time.perf_counter() - start))
    return best


def _synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def _read_cache(cache_file: str | os.PathLike | None) -> dict:
    if cache_file is None:
        return {}
    try:
        return json.loads(Path(cache_file).read_text())
    except (OSError, ValueError):
        return {}  # missing or unreadable cache: measure again


def _write_cache(path: Path, key: str, value: float) -> None:
    data = _read_cache(path)
    data[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True))
    os.replace(tmp, path)  # atomic: concurrent ranks never read a half-written file

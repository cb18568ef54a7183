"""The GPU table (`gpus.toml`, shipped with the package): peak FLOP/s, memory and link bandwidths, with sources."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import asdict, dataclass
from importlib import resources
from typing import Any

from aircluster.errors import UsageError

PRECISIONS = ("bf16", "fp8")


@dataclass(frozen=True)
class GPU:
    name: str
    description: str
    peak_bf16_tflops: float
    peak_fp8_tflops: float
    hbm_gb: float
    hbm_gbps: float
    nvlink_gbps: float  # both directions together, as data sheets state it
    network_gbitps: float
    pcie_gbps: float  # both directions together
    gpus_per_node: int
    source: str

    def peak_flops(self, precision: str) -> float:
        """Dense tensor-core FLOP/s of the matrix multiplies at this precision."""
        if precision == "fp8":
            if self.peak_fp8_tflops <= 0:
                raise UsageError(f"--precision fp8: {self.name} has no fp8 tensor cores; use bf16")
            return self.peak_fp8_tflops * 1e12
        return self.peak_bf16_tflops * 1e12

    @property
    def bf16_flops(self) -> float:
        """The peak MFU and HFU are quoted against (bf16, the convention of the Llama 3 paper and torchtitan)."""
        return self.peak_bf16_tflops * 1e12

    @property
    def hbm_bytes(self) -> float:
        return self.hbm_gb * 1e9

    @property
    def hbm_bytes_per_s(self) -> float:
        return self.hbm_gbps * 1e9

    @property
    def nvlink_bytes_per_s(self) -> float:
        """One direction: what a ring collective's step can send while it receives as much."""
        return self.nvlink_gbps * 1e9 / 2

    @property
    def network_bytes_per_s(self) -> float:
        return self.network_gbitps * 1e9 / 8

    @property
    def pcie_bytes_per_s(self) -> float:
        """One direction (device to host)."""
        return self.pcie_gbps * 1e9 / 2

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@functools.cache
def gpu_table() -> dict[str, GPU]:
    text = resources.files("aircluster.plan").joinpath("gpus.toml").read_text()
    return {name: _gpu(name, entry) for name, entry in tomllib.loads(text).items()}


def _gpu(name: str, entry: dict[str, Any]) -> GPU:
    try:
        return GPU(
            name=name,
            description=str(entry["description"]),
            peak_bf16_tflops=float(entry["peak_bf16_tflops"]),
            peak_fp8_tflops=float(entry["peak_fp8_tflops"]),
            hbm_gb=float(entry["hbm_gb"]),
            hbm_gbps=float(entry["hbm_gbps"]),
            nvlink_gbps=float(entry["nvlink_gbps"]),
            network_gbitps=float(entry["network_gbitps"]),
            pcie_gbps=float(entry["pcie_gbps"]),
            gpus_per_node=int(entry["gpus_per_node"]),
            source=str(entry["source"]),
        )
    except KeyError as err:  # a broken table is a bug of the package, not the user's input
        raise ValueError(f"gpus.toml [{name}]: missing {err}") from None


def get_gpu(name: str) -> GPU:
    table = gpu_table()
    if name not in table:
        raise UsageError(f"--gpu: unknown GPU {name!r}; choose one of {', '.join(table)}")
    return table[name]

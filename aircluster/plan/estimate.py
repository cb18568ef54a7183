"""One layout, estimated: memory per GPU, step time, throughput, MFU and HFU."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aircluster.plan.gpus import GPU
from aircluster.plan.layout import Layout
from aircluster.plan.memory import Memory, memory_per_gpu
from aircluster.plan.model import ModelShape
from aircluster.plan.step_time import CONSTANTS, Constants, StepTime, step_time


@dataclass(frozen=True)
class Estimate:
    layout: Layout
    memory: Memory
    step: StepTime
    tokens_per_s_per_gpu: float
    mfu: float  # model FLOPs / bf16 peak
    hfu: float  # FLOPs executed, recomputation included / bf16 peak

    def summary(self) -> dict[str, Any]:
        return {
            **self.layout.to_dict(),
            "tokens_per_s_per_gpu": self.tokens_per_s_per_gpu,
            "mfu": self.mfu,
            "hfu": self.hfu,
            "memory_gb": round(self.memory.total / 1e9, 3),
            "fits": self.memory.fits,
            "step_s": self.step.total,
        }


def estimate(
    model: ModelShape,
    layout: Layout,
    gpu: GPU,
    global_batch_tokens: int,
    gpus_per_node: int,
    constants: Constants = CONSTANTS,
) -> Estimate:
    """Memory and speed of a layout that passed `check_layout`."""
    step = step_time(model, layout, gpu, global_batch_tokens, gpus_per_node, constants)
    memory = memory_per_gpu(model, layout, step.split, step.micro_batches, gpu.hbm_bytes)
    tokens_per_s = global_batch_tokens / step.total / layout.gpus
    return Estimate(
        layout,
        memory,
        step,
        tokens_per_s,
        mfu=model.model_flops_per_token * tokens_per_s / gpu.bf16_flops,
        hfu=model.hardware_flops_per_token(layout.act_ckpt) * tokens_per_s / gpu.bf16_flops,
    )

"""Memory per GPU: parameters, gradients, optimizer state, activations and buffers, on the fullest stage.

Mixed precision as the trainer runs it: bf16 weights for compute (2 bytes per parameter), fp32 gradients (4),
fp32 master weights and AdamW's two moments (12). ZeRO stage 1 shards the optimizer state across the ranks
that hold the same parameters (dp x cp), stage 2 also the gradients, stage 3 (FSDP) also the weights.

Activations kept for backward, per layer and micro-batch, in bf16, for T tokens on this GPU (micro-batch x
seq_len / cp), sequence parallel so everything is split by tp (Korthikanti et al. 2022, arXiv 2205.05198, redone
for a Llama block with fused attention, which keeps no T x T matrix):
    none       2 T (6h + 2kv + 3f) / tp   inputs of both norms and of every matmul, Q K V and the attention output,
                                          the two SwiGLU branches and their product
    selective  2 T (3.5h + kv + f) / tp   torchtitan's op-level policy: the block input, the attention output and
                                          every other matmul's output (half of 3h + 2kv + 2f)
    full       2 T h / tp                 only each block's input, plus one block's activations while it is redone
Materialized attention (no fused kernel) also keeps 5 bytes per score, 5 a s T / tp (Korthikanti's 5as/h term),
except under full checkpointing.
The first pipeline stage holds min(pp, micro-batches) micro-batches in flight, times (1 + (pp-1)/(pp vpp)) when
interleaved; the last holds the logits (6 bytes per vocabulary entry: bf16 logits and their fp32 softmax).
Buffers: 2 GB assumed for the CUDA context, NCCL and cuBLAS workspaces and allocator slack, plus under ZeRO-3
the two gathered layers FSDP prefetches and one layer's unsharded fp32 gradients.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from aircluster.plan.layout import Layout
from aircluster.plan.model import ModelShape
from aircluster.plan.stages import StageSplit

WEIGHT_BYTES = 2.0
GRAD_BYTES = 4.0
OPTIMIZER_BYTES = 12.0
LOGIT_BYTES = 6.0
FIXED_BUFFER_BYTES = 2e9


@dataclass(frozen=True)
class Memory:
    parameters: float  # bytes
    gradients: float
    optimizer: float
    activations: float
    buffers: float
    capacity: float
    stage: str  # which pipeline stage is fullest: "first", "last" or "only"

    @property
    def total(self) -> float:
        return self.parameters + self.gradients + self.optimizer + self.activations + self.buffers

    @property
    def fits(self) -> bool:
        return self.total <= self.capacity

    def to_dict(self) -> dict[str, Any]:
        gb = {
            k: round(v / 1e9, 3)
            for k, v in (
                ("parameters_gb", self.parameters),
                ("gradients_gb", self.gradients),
                ("optimizer_gb", self.optimizer),
                ("activations_gb", self.activations),
                ("buffers_gb", self.buffers),
                ("total_gb", self.total),
                ("capacity_gb", self.capacity),
            )
        }
        return {**gb, "fits": self.fits, "stage": self.stage}


def activation_bytes_per_layer(model: ModelShape, layout: Layout) -> float:
    """Activations one layer keeps for one micro-batch on one GPU (see the module docstring)."""
    tokens = layout.micro_batch * model.seq_len / layout.cp
    h, kv, f = model.dim, model.kv_dim, model.ffn_dim
    if layout.act_ckpt == "full":
        return 2.0 * tokens * h / layout.tp
    kept = 3.5 * h + kv + f if layout.act_ckpt == "selective" else 6 * h + 2 * kv + 3 * f
    scores = 5.0 * model.heads * model.seq_len * tokens if layout.attention == "materialized" else 0.0
    return (2.0 * tokens * kept + scores) / layout.tp


def memory_per_gpu(model: ModelShape, layout: Layout, split: StageSplit, micro_batches: int, capacity: float) -> Memory:
    """The fuller of the first and last pipeline stages (one stage when pp = 1)."""
    per_layer = activation_bytes_per_layer(model, layout)
    working = 0.0
    if layout.act_ckpt == "full":  # one block's full activations while it is recomputed and run backward
        working = activation_bytes_per_layer(model, dataclasses.replace(layout, act_ckpt="none"))
    tokens = layout.micro_batch * model.seq_len / layout.cp
    logits = tokens * model.vocab / layout.tp * LOGIT_BYTES
    if layout.pp == 1:
        params = (model.layers * model.block_params + model.embedding_params + model.head_params) / layout.tp
        return _stage(layout, params, model.layers * per_layer + working + logits, model, capacity, "only")
    in_flight = min(layout.pp, micro_batches)
    if layout.vpp > 1:
        in_flight *= 1 + (layout.pp - 1) / (layout.pp * layout.vpp)
    first = _stage(
        layout,
        (split.layers_first * model.block_params + model.embedding_params) / layout.tp,
        split.layers_first * per_layer * in_flight + working,
        model,
        capacity,
        "first",
    )
    last = _stage(
        layout,
        (split.layers_last * model.block_params + model.head_params) / layout.tp,
        split.layers_last * per_layer + working + logits,
        model,
        capacity,
        "last",
    )
    return max(first, last, key=lambda m: m.total)


def _stage(layout: Layout, params: float, activations: float, model: ModelShape, capacity: float, stage: str) -> Memory:
    group = layout.shard_group
    buffers = FIXED_BUFFER_BYTES
    if layout.zero >= 3:
        layer = model.block_params / layout.tp
        buffers += 2 * layer * WEIGHT_BYTES + layer * GRAD_BYTES
    return Memory(
        parameters=params * WEIGHT_BYTES / (group if layout.zero >= 3 else 1),
        gradients=params * GRAD_BYTES / (group if layout.zero >= 2 else 1),
        optimizer=params * OPTIMIZER_BYTES / (group if layout.zero >= 1 else 1),
        activations=activations,
        buffers=buffers,
        capacity=capacity,
        stage=stage,
    )

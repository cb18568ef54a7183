"""Time of one training step on one GPU, broken into compute, exposed communication and the rest.

Per micro-batch and layer on one GPU (T = micro-batch x seq_len / cp tokens, split by tp):
    compute   matmul FLOPs / (peak x matmul_efficiency) + attention FLOPs / (bf16 peak x attention_efficiency),
              recomputed work included; the norms, SwiGLU and residuals are folded into matmul_efficiency (a
              separate memory-bound term per hidden unit fitted to zero). Counted HBM traffic is added where it is
              large: fp8's casts (3 bytes per matmul input element), the T x T scores of materialized attention
              (30 bytes each, counted below) and the softmax over the vocabulary (16 bytes per logit)
    TP        4 all-reduce equivalents of T x h bf16 (2 all-gathers and 2 reduce-scatters forward, as many
              backward; 2 more when the forward is redone), ring cost 2(tp-1)/tp x bytes / link; a fraction
              tp_overlap is hidden behind the matmuls
    CP        K and V all-gathered forward, all-gathered and reduce-scattered backward; hidden behind the
              attention compute up to cp_overlap of it
The slowest pipeline stage sets the pace (stages.py); a step runs its micro-batches through it, plus
    PP bubble (pp - 1) / vpp micro-batch times (interleaved 1F1B), and the activations sent between stages
    DP        per step: gradients reduced in fp32 across dp x cp (all-reduce under ZeRO 0, reduce-scatter and a bf16
              all-gather of the weights under ZeRO 1-2), or under ZeRO 3 the weights gathered for forward and
              backward and the gradients reduce-scattered per micro-batch; hidden behind the backward pass
              they overlap, up to dp_overlap of it (the last micro-batch's backward, or the whole step under ZeRO 3),
              unless the layout says the framework does not overlap them (Megatron-LM 2021)
    other     the optimizer step (memory bound: 32 bytes per local parameter)
Links: NVLink inside a node, the node's network otherwise (one NIC per GPU), each at link_efficiency of its
data-sheet figure. Ignored: kernel launch gaps, stragglers, data loading, network congestion, GEMM efficiency
varying with shape, and any difference between frameworks beyond the layout's switches (attention kernel,
overlapped gradient reduction).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from aircluster.plan.gpus import GPU
from aircluster.plan.layout import Layout
from aircluster.plan.model import ModelShape
from aircluster.plan.stages import StageSplit, split_layers

GRAD_REDUCE_BYTES = 4.0  # gradients are reduced in fp32 (torchtitan's and the trainer's reduce_dtype)
OPTIMIZER_STEP_BYTES = 32.0  # AdamW reads and writes fp32 master, m, v, reads the gradient, writes bf16 weights
FP8_CAST_BYTES = 3.0  # read bf16, write fp8, per element of a matmul input
# Materialized attention, bytes moved per score (T x T per head), counted from Megatron-LM 2021's kernels: forward
# writes the scores (2), the fused scale-mask-softmax reads and writes them (4), dropout reads, writes and keeps a
# mask (5), the value matmul reads them (2); backward about 17 more; a full recomputation redoes the forward.
SCORE_BYTES_FORWARD = 13.0
SCORE_BYTES_BACKWARD = 17.0


@dataclass(frozen=True)
class Constants:
    """The planner's fitted constants: fitted once against the published runs (tools/plan_fit.py), not per run."""

    matmul_efficiency: float = 0.64  # fraction of the tensor-core peak the matmuls reach (elementwise work folded in)
    attention_efficiency: float = 0.425  # fraction of bf16 peak on the counted (full T x T) attention FLOPs
    tp_overlap: float = 0.0  # fraction of tensor-parallel communication hidden behind compute
    cp_overlap: float = 1.0  # fraction of the attention compute that context-parallel transfers can hide behind
    dp_overlap: float = 0.5  # fraction of the overlappable backward that data-parallel collectives hide behind
    link_efficiency: float = 0.8  # achieved / data-sheet bandwidth of collectives (assumed: nccl-tests' bus bandwidth)

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


CONSTANTS = Constants()


@dataclass(frozen=True)
class StepTime:
    compute: float  # seconds per step
    tp_exposed: float
    cp_exposed: float
    pp_bubble: float
    pp_p2p: float
    dp_exposed: float
    dp_total: float  # before overlap
    other: float
    micro_batches: int
    split: StageSplit

    @property
    def total(self) -> float:
        return self.compute + self.tp_exposed + self.cp_exposed + self.pp_bubble + self.pp_p2p + self.dp_exposed + self.other

    def to_dict(self, constants: Constants) -> dict[str, Any]:
        return {
            "total_s": self.total,
            "compute_s": self.compute,
            "tp_exposed_s": self.tp_exposed,
            "cp_exposed_s": self.cp_exposed,
            "pp_bubble_s": self.pp_bubble,
            "pp_p2p_s": self.pp_p2p,
            "dp_exposed_s": self.dp_exposed,
            "dp_collectives_s": self.dp_total,
            "other_s": self.other,
            "micro_batches": self.micro_batches,
            "stage_layers": {"first": self.split.layers_first, "last": self.split.layers_last},
            "overlap": {"tp": constants.tp_overlap, "cp": constants.cp_overlap, "dp": constants.dp_overlap},
        }


def _link(gpu: GPU, group_span: int, gpus_per_node: int, constants: Constants) -> float:
    """Bytes/s a ring collective moves per GPU over a group spanning `group_span` consecutive ranks."""
    raw = gpu.nvlink_bytes_per_s if group_span <= gpus_per_node else gpu.network_bytes_per_s
    return raw * constants.link_efficiency


def step_time(
    model: ModelShape,
    layout: Layout,
    gpu: GPU,
    global_batch_tokens: int,
    gpus_per_node: int,
    constants: Constants = CONSTANTS,
) -> StepTime:
    tp, cp, pp = layout.tp, layout.cp, layout.pp
    h = model.dim
    tokens = layout.micro_batch * model.seq_len / cp  # tokens of one micro-batch on this GPU's slice
    peak_mm = gpu.peak_flops(layout.precision) * constants.matmul_efficiency
    peak_attn = gpu.bf16_flops * constants.attention_efficiency
    hbm = gpu.hbm_bytes_per_s
    full = layout.act_ckpt == "full"

    # One layer, one micro-batch.
    re_mm, re_attn = model.recompute_flops_per_token(layout.act_ckpt)
    mm_flops = (model.layer_matmul_flops_per_token() + re_mm) * tokens / tp
    attn_flops = (model.layer_attention_flops_per_token() + re_attn) * tokens / tp
    ew_bytes = 0.0
    if layout.precision == "fp8":
        inputs = 6 * h + 2 * model.kv_dim + 3 * model.ffn_dim  # matmul inputs, forward and backward
        ew_bytes += FP8_CAST_BYTES * inputs * tokens / tp * (4 / 3 if full else 1.0)
    if layout.attention == "materialized":
        scores = model.heads * model.seq_len * tokens / tp
        ew_bytes += scores * (SCORE_BYTES_FORWARD * (2 if full else 1) + SCORE_BYTES_BACKWARD)
    t_attn = attn_flops / peak_attn
    layer_compute = mm_flops / peak_mm + t_attn + ew_bytes / hbm

    layer_tp = 0.0
    if tp > 1:
        all_reduces = 6 if full else 4
        layer_tp = all_reduces * 2 * (tp - 1) / tp * tokens * h * 2 / _link(gpu, tp, gpus_per_node, constants)
    layer_tp_exposed = layer_tp * (1 - constants.tp_overlap)

    layer_cp_exposed = 0.0
    if cp > 1:
        kv_split = min(tp, model.kv_heads)
        kv_bytes = (cp - 1) / cp * layout.micro_batch * model.seq_len * 2 * model.kv_dim * 2 / kv_split
        transfers = 4 if full else 3
        t_cp = transfers * kv_bytes / _link(gpu, tp * cp, gpus_per_node, constants)
        layer_cp_exposed = max(0.0, t_cp - constants.cp_overlap * t_attn)

    # The output head and loss on the last stage.
    head_compute = model.head_flops_per_token * tokens / tp / peak_mm + tokens * model.vocab / tp * 16 / hbm
    layer_time = layer_compute + layer_tp_exposed + layer_cp_exposed
    split = split_layers(model.layers, pp, head_compute / layer_time)
    stage_layers, stage = split.slowest(layer_time, head_compute)

    micro_batches = layout.micro_batches(global_batch_tokens, model.seq_len)
    tp_exposed = micro_batches * stage_layers * layer_tp_exposed
    cp_exposed = micro_batches * stage_layers * layer_cp_exposed
    compute = micro_batches * stage - tp_exposed - cp_exposed

    pp_bubble = pp_p2p = 0.0
    if pp > 1:
        pp_bubble = (pp - 1) / layout.vpp * stage
        send = tokens * h * 2 / tp / _link(gpu, tp * cp * layout.dp * 2, gpus_per_node, constants)
        pp_p2p = 2 * layout.vpp * micro_batches * send

    dp_total = dp_exposed = 0.0
    group = layout.shard_group
    local_params = (
        max(
            split.layers_first * model.block_params + model.embedding_params,
            split.layers_last * model.block_params + model.head_params,
        )
        / tp
    )
    if pp == 1:
        local_params = (model.layers * model.block_params + model.embedding_params + model.head_params) / tp
    if group > 1:
        ring = (group - 1) / group / _link(gpu, tp * group, gpus_per_node, constants)
        if layout.zero == 0:
            dp_total = 2 * ring * local_params * GRAD_REDUCE_BYTES
        elif layout.zero in (1, 2):
            dp_total = ring * local_params * (GRAD_REDUCE_BYTES + 2)
        else:
            rounds = micro_batches if pp == 1 else 1
            dp_total = rounds * ring * local_params * (GRAD_REDUCE_BYTES + 2 * 2)
        window = compute if layout.zero >= 3 else compute / micro_batches * 2 / 3
        hidden = constants.dp_overlap * window if layout.dp_overlap else 0.0
        dp_exposed = max(0.0, dp_total - hidden)

    shard = group if layout.zero >= 1 else 1
    other = local_params / shard * OPTIMIZER_STEP_BYTES / hbm
    return StepTime(
        compute=compute,
        tp_exposed=tp_exposed,
        cp_exposed=cp_exposed,
        pp_bubble=pp_bubble,
        pp_p2p=pp_p2p,
        dp_exposed=dp_exposed,
        dp_total=dp_total,
        other=other,
        micro_batches=micro_batches,
        split=split,
    )

"""A parallel layout (tensor, pipeline, context and data parallel degrees and how a step is run) and its checks.

Ranks are ordered tp fastest, then cp, dp and pp (Megatron-LM's order), so a tensor-parallel group sits inside one
node whenever tp <= GPUs per node, and a pipeline's neighbours are tp*cp*dp ranks apart.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from aircluster.errors import UsageError
from aircluster.plan.gpus import PRECISIONS
from aircluster.plan.model import ACT_CKPT, ATTENTION, ModelShape

ZERO_STAGES = (0, 1, 2, 3)  # 0 DDP; 1 optimizer state sharded; 2 and gradients; 3 and parameters (FSDP)


@dataclass(frozen=True)
class Layout:
    tp: int
    pp: int
    cp: int
    dp: int
    vpp: int = 1  # model chunks per pipeline rank (interleaved 1F1B when > 1)
    micro_batch: int = 1  # sequences per micro-batch
    zero: int = 1
    act_ckpt: str = "none"
    precision: str = "bf16"
    attention: str = "flash"
    dp_overlap: bool = True  # gradient reduction overlaps the backward pass (not in Megatron-LM 2021)

    @property
    def gpus(self) -> int:
        return self.tp * self.pp * self.cp * self.dp

    @property
    def shard_group(self) -> int:
        """Ranks that hold the same parameters: gradients are reduced, and ZeRO shards, across them."""
        return self.dp * self.cp

    def micro_batches(self, global_batch_tokens: int, seq_len: int) -> int:
        return global_batch_tokens // (seq_len * self.dp * self.micro_batch)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class LayoutRequest:
    """What the user fixed; None leaves it to be derived (one missing degree) or searched."""

    tp: int | None = None
    pp: int | None = None
    cp: int | None = None
    dp: int | None = None
    vpp: int | None = None
    micro_batch: int | None = None
    zero: int | None = None
    act_ckpt: str | None = None
    precision: str = "bf16"
    attention: str = "flash"
    dp_overlap: bool = True

    def degrees(self) -> dict[str, int | None]:
        return {"tp": self.tp, "pp": self.pp, "cp": self.cp, "dp": self.dp}

    def complete(self, gpus: int) -> dict[str, int] | None:
        """The four degrees when at most one is missing (derived from the others and the GPU count), else None."""
        degrees = self.degrees()
        for flag, value in degrees.items():
            if value is not None and value <= 0:
                raise UsageError(f"--{flag} must be a positive integer, got {value}")
        missing = [k for k, v in degrees.items() if v is None]
        known = 1
        for value in degrees.values():
            known *= value or 1
        given = " ".join(f"--{k} {v}" for k, v in degrees.items() if v is not None)
        if gpus % known:
            raise UsageError(f"{given}: their product {known} does not divide --gpus {gpus}")
        if not missing:
            if known != gpus:
                raise UsageError(f"{given}: their product {known} is not --gpus {gpus}")
            return {k: v for k, v in degrees.items() if v is not None}
        if len(missing) == 1:
            return {k: (v if v is not None else gpus // known) for k, v in degrees.items()}
        return None


def check_layout(layout: Layout, model: ModelShape, gpus: int, global_batch_tokens: int) -> None:
    """Raise UsageError naming the first reason this layout cannot run this model, this batch, on these GPUs."""
    check_options(layout)
    if layout.gpus != gpus:
        raise UsageError(
            f"layout tp{layout.tp} pp{layout.pp} cp{layout.cp} dp{layout.dp} uses {layout.gpus} GPUs, not --gpus {gpus}"
        )
    if model.heads % layout.tp:
        raise UsageError(f"--tp {layout.tp} does not divide the model's {model.heads} attention heads")
    if layout.tp % model.kv_heads and model.kv_heads % layout.tp:
        raise UsageError(f"--tp {layout.tp} and the model's {model.kv_heads} key/value heads: neither divides the other")
    if model.seq_len % layout.cp:
        raise UsageError(f"--cp {layout.cp} does not divide the sequence length {model.seq_len}")
    if layout.pp * layout.vpp > model.layers:
        raise UsageError(f"--pp {layout.pp} x --vpp {layout.vpp} pipeline chunks exceed the model's {model.layers} layers")
    if layout.vpp > 1 and layout.pp == 1:
        raise UsageError("--vpp needs --pp > 1 (it interleaves pipeline stages)")
    per_step = model.seq_len * layout.dp * layout.micro_batch
    if global_batch_tokens % per_step:
        raise UsageError(
            f"--global-batch-tokens {global_batch_tokens} is not a multiple of seq_len {model.seq_len} x "
            f"dp {layout.dp} x micro-batch {layout.micro_batch} = {per_step}"
        )


def check_options(layout: Layout | LayoutRequest) -> None:
    if layout.zero is not None and layout.zero not in ZERO_STAGES:
        raise UsageError(f"--zero must be one of {', '.join(map(str, ZERO_STAGES))}, got {layout.zero}")
    if layout.act_ckpt is not None and layout.act_ckpt not in ACT_CKPT:
        raise UsageError(f"--act-ckpt must be one of {', '.join(ACT_CKPT)}, got {layout.act_ckpt!r}")
    if layout.attention not in ATTENTION:
        raise UsageError(f"--attention must be one of {', '.join(ATTENTION)}, got {layout.attention!r}")
    if layout.precision not in PRECISIONS:
        raise UsageError(f"--precision must be one of {', '.join(PRECISIONS)}, got {layout.precision!r}")
    for flag, value in (("vpp", layout.vpp), ("micro-batch", layout.micro_batch)):
        if value is not None and value <= 0:
            raise UsageError(f"--{flag} must be a positive integer, got {value}")

"""The shape of the model being planned: a named `lm` size or explicit dimensions, counted as the trainer counts.

Parameters come from `count_params` and model FLOPs from `flops_per_token` (6 per matmul parameter plus the
attention score and value matmuls over the full T x T, the convention of the Llama 3 and PaLM papers), so the
planner and the trainer report the same numbers for the same model. What the planner adds is the split of
those FLOPs into per-layer pieces, and the FLOPs recomputed under activation checkpointing (for HFU).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from aircluster.errors import UsageError
from aircluster.train.models import LMArgs, attention_flops_per_token, count_params, flops_per_token, model_args
from aircluster.train.models.shapes import block_param_count

ACT_CKPT = ("none", "selective", "full")
ATTENTION = ("flash", "materialized")  # fused attention, or the T x T scores written to memory (Megatron-LM 2021)


@dataclass(frozen=True)
class ModelShape:
    name: str  # the named size, or "custom"
    args: LMArgs
    seq_len: int

    @property
    def dim(self) -> int:
        return self.args.dim

    @property
    def layers(self) -> int:
        return self.args.n_layers

    @property
    def heads(self) -> int:
        return self.args.n_heads

    @property
    def kv_heads(self) -> int:
        return self.args.kv_heads

    @property
    def kv_dim(self) -> int:
        return self.args.dim // self.args.n_heads * self.args.kv_heads

    @property
    def ffn_dim(self) -> int:
        return self.args.hidden_dim

    @property
    def vocab(self) -> int:
        return self.args.vocab_size

    @property
    def params(self) -> int:
        return count_params(self.args)

    @property
    def block_params(self) -> int:
        return block_param_count(self.dim, self.heads, self.kv_heads, self.ffn_dim)

    @property
    def embedding_params(self) -> int:
        return self.vocab * self.dim

    @property
    def head_params(self) -> int:
        """Output projection and final norm (on the last pipeline stage)."""
        return self.vocab * self.dim + self.dim

    @property
    def model_flops_per_token(self) -> float:
        """Training FLOPs per token, as the trainer reports them (MFU's numerator)."""
        return flops_per_token(self.args, self.seq_len)

    @property
    def attention_flops_per_token(self) -> float:
        return attention_flops_per_token(self.args, self.seq_len)

    @property
    def head_flops_per_token(self) -> float:
        return 6.0 * self.vocab * self.dim

    def layer_matmul_flops_per_token(self) -> float:
        """One block's matmul FLOPs (forward and backward); with the head and attention, they make up
        `model_flops_per_token`."""
        blocks = self.model_flops_per_token - self.attention_flops_per_token - self.head_flops_per_token
        return blocks / self.layers

    def layer_attention_flops_per_token(self) -> float:
        return self.attention_flops_per_token / self.layers

    def recompute_flops_per_token(self, act_ckpt: str) -> tuple[float, float]:
        """(matmul, attention) FLOPs per token and layer that activation checkpointing computes again.

        full: the whole forward of every block. selective (torchtitan's default op-level policy): the outputs of
        every other matmul and of attention are kept, so half the forward matmuls (and the cheap elementwise
        ops) are redone and attention is not.
        """
        forward_matmul = self.layer_matmul_flops_per_token() / 3
        forward_attention = self.layer_attention_flops_per_token() / 3
        if act_ckpt == "full":
            return forward_matmul, forward_attention
        if act_ckpt == "selective":
            return forward_matmul / 2, 0.0
        return 0.0, 0.0

    def hardware_flops_per_token(self, act_ckpt: str) -> float:
        """FLOPs the GPUs execute per token, recomputation included (HFU's numerator)."""
        matmul, attention = self.recompute_flops_per_token(act_ckpt)
        return self.model_flops_per_token + self.layers * (matmul + attention)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "params": self.params,
            "layers": self.layers,
            "dim": self.dim,
            "heads": self.heads,
            "kv_heads": self.kv_heads,
            "ffn_dim": self.ffn_dim,
            "vocab": self.vocab,
            "seq_len": self.seq_len,
            "model_flops_per_token": self.model_flops_per_token,
        }


def named_model(size: str, seq_len: int | None = None) -> ModelShape:
    """A named `lm` size (7b, 70b, 405b, 1t, ...), optionally at another sequence length."""
    args = model_args("lm", size)
    assert isinstance(args, LMArgs)
    if seq_len is not None:
        _positive("--seq-len", seq_len)
        args = dataclasses.replace(args, max_seq_len=seq_len)
    return ModelShape(size, args, args.max_seq_len)


def custom_model(
    layers: int, dim: int, heads: int, vocab: int, seq_len: int, kv_heads: int | None = None, ffn_dim: int | None = None
) -> ModelShape:
    """A Llama-style model of explicit dimensions (SwiGLU feed-forward; ffn_dim defaults to Llama's 8/3 x dim)."""
    for flag, value in (
        ("--layers", layers),
        ("--d-model", dim),
        ("--heads", heads),
        ("--vocab", vocab),
        ("--seq-len", seq_len),
        ("--kv-heads", kv_heads),
        ("--ffn-dim", ffn_dim),
    ):
        if value is not None:
            _positive(flag, value)
    args = LMArgs(
        vocab_size=vocab,
        dim=dim,
        n_layers=layers,
        n_heads=heads,
        n_kv_heads=kv_heads,
        ffn_hidden=ffn_dim,
        max_seq_len=seq_len,
        multiple_of=256 if ffn_dim is None else 1,
    )
    return ModelShape("custom", args, seq_len)


def _positive(flag: str, value: int) -> None:
    if value <= 0:
        raise UsageError(f"{flag} must be a positive integer, got {value}")

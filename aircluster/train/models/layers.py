"""Transformer building blocks shared by the language model, the text classifier and the ViT.

One block design for all three (pre-norm RMSNorm, attention through `scaled_dot_product_attention`,
SwiGLU feed-forward), so sharding, checkpointing and FLOP counting treat every model the same way.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.checkpoint import checkpoint


def rope_tables(head_dim: int, max_seq_len: int, theta: float, device: torch.device | None = None) -> torch.Tensor:
    """cos and sin of the rotary angles, stacked: [2, max_seq_len, head_dim // 2], fp32."""
    inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, device=device, dtype=torch.float32) / head_dim))
    angles = torch.outer(torch.arange(max_seq_len, device=device, dtype=torch.float32), inv_freq)
    return torch.stack([angles.cos(), angles.sin()])


def apply_rope(x: torch.Tensor, rope: torch.Tensor) -> torch.Tensor:
    """Rotate x [B, H, T, D] by position; real arithmetic (not complex) so it compiles and runs in bf16."""
    seq_len = x.shape[-2]
    cos, sin = (t[:seq_len].to(x.dtype) for t in rope)
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1)


class Attention(nn.Module):
    """Multi-head attention with grouped key/value heads; rotary positions when a table is given."""

    def __init__(self, dim: int, n_heads: int, n_kv_heads: int):
        super().__init__()
        self.n_heads = n_heads
        self.n_kv_heads = n_kv_heads
        self.head_dim = dim // n_heads
        self.wq = nn.Linear(dim, n_heads * self.head_dim, bias=False)
        self.wk = nn.Linear(dim, n_kv_heads * self.head_dim, bias=False)
        self.wv = nn.Linear(dim, n_kv_heads * self.head_dim, bias=False)
        self.wo = nn.Linear(n_heads * self.head_dim, dim, bias=False)

    def forward(self, x: torch.Tensor, rope: torch.Tensor | None, causal: bool, key_mask: torch.Tensor | None) -> torch.Tensor:
        batch, seq_len, _ = x.shape
        q = self.wq(x).view(batch, seq_len, self.n_heads, self.head_dim).transpose(1, 2)
        k = self.wk(x).view(batch, seq_len, self.n_kv_heads, self.head_dim).transpose(1, 2)
        v = self.wv(x).view(batch, seq_len, self.n_kv_heads, self.head_dim).transpose(1, 2)
        if rope is not None:
            q, k = apply_rope(q, rope), apply_rope(k, rope)
        attn_mask = None
        if key_mask is not None:
            # key_mask [B, T] (True = attend) broadcasts over heads and query positions.
            attn_mask = key_mask[:, None, None, :]
            if causal:
                attn_mask = attn_mask & torch.ones(seq_len, seq_len, dtype=torch.bool, device=x.device).tril()
        out = F.scaled_dot_product_attention(
            q,
            k,
            v,
            attn_mask=attn_mask,
            is_causal=causal and attn_mask is None,
            enable_gqa=self.n_kv_heads != self.n_heads,
        )
        return self.wo(out.transpose(1, 2).reshape(batch, seq_len, -1))


class FeedForward(nn.Module):
    """SwiGLU: w2(silu(w1 x) * w3 x)."""

    def __init__(self, dim: int, hidden: int):
        super().__init__()
        self.w1 = nn.Linear(dim, hidden, bias=False)
        self.w2 = nn.Linear(hidden, dim, bias=False)
        self.w3 = nn.Linear(dim, hidden, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class Block(nn.Module):
    """Pre-norm transformer block. The unit of FSDP sharding and of activation checkpointing.

    `activation_checkpoint` (set by `parallel.parallelize`) recomputes the block's activations in the
    backward pass instead of storing them; it changes memory use, never results.
    """

    def __init__(self, dim: int, n_heads: int, n_kv_heads: int, hidden: int, norm_eps: float):
        super().__init__()
        self.attention_norm = nn.RMSNorm(dim, eps=norm_eps)
        self.attention = Attention(dim, n_heads, n_kv_heads)
        self.ffn_norm = nn.RMSNorm(dim, eps=norm_eps)
        self.feed_forward = FeedForward(dim, hidden)
        self.activation_checkpoint = False

    def forward(
        self, x: torch.Tensor, rope: torch.Tensor | None, causal: bool, key_mask: torch.Tensor | None = None
    ) -> torch.Tensor:
        if self.activation_checkpoint and torch.is_grad_enabled():
            return checkpoint(self._forward, x, rope, causal, key_mask, use_reentrant=False)
        return self._forward(x, rope, causal, key_mask)

    def _forward(self, x: torch.Tensor, rope: torch.Tensor | None, causal: bool, key_mask: torch.Tensor | None) -> torch.Tensor:
        h = x + self.attention(self.attention_norm(x), rope, causal, key_mask)
        return h + self.feed_forward(self.ffn_norm(h))

    def init_weights(self, std: float, out_std: float) -> None:
        """Normal init; output projections (wo, w2) smaller so the residual stream does not grow with depth."""
        for linear in (
            self.attention.wq,
            self.attention.wk,
            self.attention.wv,
            self.feed_forward.w1,
            self.feed_forward.w3,
        ):
            nn.init.trunc_normal_(linear.weight, std=std, a=-3 * std, b=3 * std)
        for linear in (self.attention.wo, self.feed_forward.w2):
            nn.init.trunc_normal_(linear.weight, std=out_std, a=-3 * out_std, b=3 * out_std)
        self.attention_norm.reset_parameters()
        self.ffn_norm.reset_parameters()

"""Decoder-only transformer language model (Llama-style) and a small sampler for demos."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import cast

import torch
from torch import nn

from aircluster.errors import UsageError
from aircluster.train.models.layers import Block, rope_tables
from aircluster.train.models.shapes import LMArgs


class TransformerTrunk(nn.Module):
    """Embedding, blocks and final norm; returns hidden states [B, T, dim]. Shared by LM and classifier."""

    def __init__(self, args: LMArgs):
        super().__init__()
        self.args = args
        self.tok_embeddings = nn.Embedding(args.vocab_size, args.dim)
        self.layers = nn.ModuleList(
            Block(args.dim, args.n_heads, args.kv_heads, args.hidden_dim, args.norm_eps) for _ in range(args.n_layers)
        )
        self.norm = nn.RMSNorm(args.dim, eps=args.norm_eps)
        # Not persistent: derived from args, so checkpoints hold only learned weights.
        self.register_buffer("rope", rope_tables(args.dim // args.n_heads, args.max_seq_len, args.rope_theta), persistent=False)

    def forward(self, tokens: torch.Tensor, causal: bool, key_mask: torch.Tensor | None = None) -> torch.Tensor:
        if tokens.shape[1] > self.args.max_seq_len:
            raise UsageError(f"sequence length {tokens.shape[1]} exceeds the model's max_seq_len {self.args.max_seq_len}")
        h = self.tok_embeddings(tokens)
        for layer in self.layers:
            h = layer(h, self.rope, causal, key_mask)
        return self.norm(h)

    def init_weights(self) -> None:
        """(Re)initialize weights and the rope table, e.g. after building on the meta device and `to_empty`."""
        self.rope = rope_tables(
            self.args.dim // self.args.n_heads,
            self.args.max_seq_len,
            self.args.rope_theta,
            device=self.tok_embeddings.weight.device,
        )
        nn.init.normal_(self.tok_embeddings.weight, std=1.0)
        out_std = 0.02 / math.sqrt(2 * self.args.n_layers)
        for layer in cast(Iterable[Block], self.layers):
            layer.init_weights(std=0.02, out_std=out_std)
        self.norm.reset_parameters()


class Transformer(nn.Module):
    """Causal language model: forward(tokens [B, T] long) -> logits [B, T, vocab] in fp32."""

    def __init__(self, args: LMArgs):
        super().__init__()
        self.args = args
        self.trunk = TransformerTrunk(args)
        self.output = nn.Linear(args.dim, args.vocab_size, bias=False)
        self.init_weights()

    @property
    def layers(self) -> nn.ModuleList:
        return self.trunk.layers

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        # fp32 logits so the loss is stable when the model computes in bf16.
        return self.output(self.trunk(tokens, causal=True)).float()

    def init_weights(self) -> None:
        self.trunk.init_weights()
        std = self.args.dim**-0.5
        nn.init.trunc_normal_(self.output.weight, std=std, a=-3 * std, b=3 * std)


@torch.no_grad()
def generate(
    model: nn.Module,
    tokens: torch.Tensor,
    max_new_tokens: int,
    temperature: float = 1.0,
    top_k: int | None = None,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """Sample continuations: tokens [B, T] -> [B, T + max_new_tokens].

    temperature 0 picks the most likely token (greedy); top_k keeps only the k most likely tokens.
    No key/value cache: the whole (cropped) context is recomputed each step, which is fine for demos.
    """
    if temperature < 0:
        raise UsageError(f"generate: temperature must be >= 0, got {temperature}")
    if top_k is not None and top_k < 1:
        raise UsageError(f"generate: top_k must be >= 1, got {top_k}")
    args = getattr(model, "args", None)
    if not isinstance(args, LMArgs):
        raise UsageError("generate: needs a language model (model.name = lm)")
    max_len = args.max_seq_len
    was_training = model.training
    model.eval()
    try:
        for _ in range(max_new_tokens):
            logits = model(tokens[:, -max_len:])[:, -1, :]
            if temperature == 0:
                next_token = logits.argmax(dim=-1, keepdim=True)
            else:
                logits = logits / temperature
                if top_k is not None:
                    kth = torch.topk(logits, min(top_k, logits.shape[-1])).values[:, -1:]
                    logits = logits.masked_fill(logits < kth, float("-inf"))
                next_token = torch.multinomial(logits.softmax(dim=-1), 1, generator=generator)
            tokens = torch.cat([tokens, next_token], dim=1)
    finally:
        model.train(was_training)
    return tokens

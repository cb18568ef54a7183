"""Vision transformer image classifier, built from the same blocks as the language model."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

import torch
from torch import nn

from aircluster.errors import UsageError
from aircluster.train.models.layers import Block
from aircluster.train.models.shapes import ViTArgs


class ViT(nn.Module):
    """forward(images [B, C, H, W] float) -> logits [B, num_classes] fp32. Learned positions, class token."""

    def __init__(self, args: ViTArgs):
        super().__init__()
        self.args = args
        self.patch_embed = nn.Conv2d(args.channels, args.dim, kernel_size=args.patch_size, stride=args.patch_size)
        self.cls_token = nn.Parameter(torch.empty(1, 1, args.dim))
        self.pos_embed = nn.Parameter(torch.empty(1, args.seq_len, args.dim))
        self.layers = nn.ModuleList(
            Block(args.dim, args.n_heads, args.n_heads, args.hidden_dim, args.norm_eps) for _ in range(args.n_layers)
        )
        self.norm = nn.RMSNorm(args.dim, eps=args.norm_eps)
        self.head = nn.Linear(args.dim, args.num_classes)
        self.init_weights()

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        expected = (self.args.channels, self.args.image_size, self.args.image_size)
        if images.dim() != 4 or tuple(images.shape[1:]) != expected:
            raise UsageError(f"vit: expected images of shape [B, {', '.join(map(str, expected))}], got {list(images.shape)}")
        patches = self.patch_embed(images).flatten(2).transpose(1, 2)  # [B, n_patches, dim]
        cls = self.cls_token.expand(images.shape[0], -1, -1)
        h = torch.cat([cls, patches], dim=1) + self.pos_embed
        for layer in self.layers:
            h = layer(h, None, False)
        return self.head(self.norm(h[:, 0])).float()

    def init_weights(self) -> None:
        self.patch_embed.reset_parameters()
        nn.init.trunc_normal_(self.cls_token, std=0.02)
        nn.init.trunc_normal_(self.pos_embed, std=0.02)
        out_std = 0.02 / (2 * self.args.n_layers) ** 0.5
        for layer in cast(Iterable[Block], self.layers):
            layer.init_weights(std=0.02, out_std=out_std)
        self.norm.reset_parameters()
        nn.init.zeros_(self.head.weight)
        nn.init.zeros_(self.head.bias)

"""Text classifier (e.g. harmful / not harmful): the transformer trunk with a classification head."""

from __future__ import annotations

import torch
from torch import nn

from aircluster.train.models.lm import TransformerTrunk
from aircluster.train.models.shapes import ClassifierArgs


class TextClassifier(nn.Module):
    """forward(tokens [B, T] long, attention_mask [B, T] bool | None) -> logits [B, num_classes] fp32.

    attention_mask is True for real tokens and False for padding. Attention is bidirectional (the whole
    text is known); padding is excluded both as attention keys and from the mean pooling, so padding a
    batch does not change any sample's logits.
    """

    def __init__(self, args: ClassifierArgs):
        super().__init__()
        self.args = args
        self.trunk = TransformerTrunk(args)
        self.head = nn.Linear(args.dim, args.num_classes)
        self.init_weights()

    @property
    def layers(self) -> nn.ModuleList:
        return self.trunk.layers

    def forward(self, tokens: torch.Tensor, attention_mask: torch.Tensor | None = None) -> torch.Tensor:
        if attention_mask is None:
            h = self.trunk(tokens, causal=False)
            return self.head(h.mean(dim=1)).float()
        valid = attention_mask.bool()
        # An all-padding row would leave attention nothing to attend to (NaN); let it see its pads instead.
        key_mask = valid | ~valid.any(dim=1, keepdim=True)
        h = self.trunk(tokens, causal=False, key_mask=key_mask)
        weights = valid.unsqueeze(-1).to(h.dtype)
        pooled = (h * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1)
        return self.head(pooled).float()

    def init_weights(self) -> None:
        self.trunk.init_weights()
        nn.init.zeros_(self.head.weight)
        nn.init.zeros_(self.head.bias)

"""Models the trainer can build: "lm" (decoder-only LM), "classify" (text classifier), "vit" (image classifier).

args = model_args("lm", "tiny", vocab_size=tokenizer.vocab_size)
model = build_model("lm", args)
count_params(args), flops_per_token(args, seq_len)     # also for sizes too big to build ("1t")

Shapes and counts import without torch (the planner and every CLI command use them); the model classes and
the factory load torch on first use, so `aircluster whoami` does not pay a second and a half for it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from aircluster.train.models.counting import attention_flops_per_token, count_params, flops_per_sample, flops_per_token
from aircluster.train.models.shapes import MODEL_NAMES, SIZES, ClassifierArgs, LMArgs, ModelArgs, ViTArgs, model_args

if TYPE_CHECKING:
    from aircluster.train.models.classifier import TextClassifier
    from aircluster.train.models.lm import Transformer, generate
    from aircluster.train.models.sizes import blocks, build_model, unwrap
    from aircluster.train.models.vit import ViT

# name -> the submodule that defines it (each imports torch)
_WITH_TORCH = {
    "TextClassifier": "classifier",
    "Transformer": "lm",
    "generate": "lm",
    "ViT": "vit",
    "blocks": "sizes",
    "build_model": "sizes",
    "unwrap": "sizes",
}


def __getattr__(name: str) -> Any:
    if name in _WITH_TORCH:
        return getattr(importlib.import_module(f"{__name__}.{_WITH_TORCH[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "MODEL_NAMES",
    "SIZES",
    "ClassifierArgs",
    "LMArgs",
    "ModelArgs",
    "TextClassifier",
    "Transformer",
    "ViT",
    "ViTArgs",
    "attention_flops_per_token",
    "blocks",
    "build_model",
    "count_params",
    "flops_per_sample",
    "flops_per_token",
    "generate",
    "model_args",
    "unwrap",
]

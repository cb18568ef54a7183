"""Named model sizes and the model factory.

Small sizes are for tests and CPU demos; the large LM sizes (7b ... 1t) follow published Llama shapes
(Llama 2 7B and 70B, Llama 3.1 405B) plus a 1T configuration scaled from them, so their parameter counts
and FLOPs can be reported and planned for, e.g. `count_params(model_args("lm", "1t"))`.
"""

from __future__ import annotations

import dataclasses
from typing import cast

from torch import nn

from aircluster.errors import UsageError
from aircluster.train.models.classifier import ClassifierArgs, TextClassifier
from aircluster.train.models.counting import ModelArgs
from aircluster.train.models.layers import Block
from aircluster.train.models.lm import LMArgs, Transformer
from aircluster.train.models.vit import ViT, ViTArgs

_LLAMA_VOCAB = 32000
_LLAMA3_VOCAB = 128256

SIZES: dict[str, dict[str, ModelArgs]] = {
    "lm": {
        "tiny": LMArgs(dim=64, n_layers=2, n_heads=4, max_seq_len=256),
        "small": LMArgs(dim=256, n_layers=4, n_heads=8, max_seq_len=512),
        "base": LMArgs(dim=768, n_layers=12, n_heads=12, max_seq_len=1024, multiple_of=256),
        "7b": LMArgs(vocab_size=_LLAMA_VOCAB, dim=4096, n_layers=32, n_heads=32, multiple_of=256, max_seq_len=4096),
        "70b": LMArgs(
            vocab_size=_LLAMA_VOCAB,
            dim=8192,
            n_layers=80,
            n_heads=64,
            n_kv_heads=8,
            ffn_dim_multiplier=1.3,
            multiple_of=4096,
            max_seq_len=4096,
        ),
        "405b": LMArgs(
            vocab_size=_LLAMA3_VOCAB,
            dim=16384,
            n_layers=126,
            n_heads=128,
            n_kv_heads=8,
            ffn_dim_multiplier=1.2,
            multiple_of=4096,
            max_seq_len=8192,
            rope_theta=500000.0,
        ),
        "1t": LMArgs(
            vocab_size=_LLAMA3_VOCAB,
            dim=25600,
            n_layers=128,
            n_heads=200,
            n_kv_heads=8,
            ffn_hidden=86016,
            max_seq_len=8192,
            rope_theta=500000.0,
        ),
    },
    "classify": {
        "tiny": ClassifierArgs(dim=64, n_layers=2, n_heads=4, max_seq_len=256),
        "small": ClassifierArgs(dim=256, n_layers=4, n_heads=8, max_seq_len=512),
        "base": ClassifierArgs(dim=768, n_layers=12, n_heads=12, max_seq_len=1024, multiple_of=256),
    },
    "vit": {
        "tiny": ViTArgs(image_size=32, patch_size=8, dim=64, n_layers=2, n_heads=4),
        "small": ViTArgs(image_size=64, patch_size=8, dim=192, n_layers=6, n_heads=3),
        "base": ViTArgs(image_size=224, patch_size=16, num_classes=1000, dim=768, n_layers=12, n_heads=12, multiple_of=256),
        "large": ViTArgs(image_size=224, patch_size=16, num_classes=1000, dim=1024, n_layers=24, n_heads=16, multiple_of=256),
    },
}

MODEL_NAMES = tuple(SIZES)
_BUILDERS: dict[str, tuple[type, type[nn.Module]]] = {
    "lm": (LMArgs, Transformer),
    "classify": (ClassifierArgs, TextClassifier),
    "vit": (ViTArgs, ViT),
}


def model_args(name: str, size: str, **overrides: object) -> ModelArgs:
    """Args of a named size, with fields replaced by overrides (e.g. vocab_size from the tokenizer)."""
    if name not in SIZES:
        raise UsageError(f"model.name: unknown model {name!r}; choose one of {', '.join(MODEL_NAMES)}")
    if size not in SIZES[name]:
        raise UsageError(f"model.size: unknown size {size!r} for model {name!r}; choose one of {', '.join(SIZES[name])}")
    args = SIZES[name][size]
    known = {f.name for f in dataclasses.fields(args)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise UsageError(
            f"model args: unknown field(s) {', '.join(unknown)} for model {name!r}; valid fields: {', '.join(sorted(known))}"
        )
    return dataclasses.replace(args, **overrides)


def build_model(name: str, args: ModelArgs) -> nn.Module:
    """Instantiate (and initialize) a model. Build under `torch.device("meta")` to get its structure without memory;
    then `model.to_empty(device=...)` and `model.init_weights()` to materialize it."""
    if name not in _BUILDERS:
        raise UsageError(f"model.name: unknown model {name!r}; choose one of {', '.join(MODEL_NAMES)}")
    args_type, model_type = _BUILDERS[name]
    if type(args) is not args_type:
        raise UsageError(f"model {name!r} needs {args_type.__name__}, got {type(args).__name__}")
    return model_type(args)


def unwrap(model: nn.Module) -> nn.Module:
    """The user model inside DDP and torch.compile wrappers (FSDP2 shards in place and needs no unwrapping)."""
    while True:
        inner = getattr(model, "_orig_mod", None)  # torch.compile's wrapper
        if not isinstance(inner, nn.Module):
            inner = getattr(model, "module", None)  # DDP's
        if not isinstance(inner, nn.Module):
            return model
        model = inner


def blocks(model: nn.Module) -> list[Block]:
    """The transformer blocks, in order: the units of per-block sharding and activation checkpointing."""
    return cast(list[Block], list(unwrap(model).get_submodule("layers").children()))

"""The model factory: a model built from its name and args (the named sizes are in `shapes`)."""

from __future__ import annotations

from typing import cast

from torch import nn

from aircluster.errors import UsageError
from aircluster.train.models.classifier import TextClassifier
from aircluster.train.models.layers import Block
from aircluster.train.models.lm import Transformer
from aircluster.train.models.shapes import MODEL_NAMES, ClassifierArgs, LMArgs, ModelArgs, ViTArgs
from aircluster.train.models.vit import ViT

_BUILDERS: dict[str, tuple[type, type[nn.Module]]] = {
    "lm": (LMArgs, Transformer),
    "classify": (ClassifierArgs, TextClassifier),
    "vit": (ViTArgs, ViT),
}


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

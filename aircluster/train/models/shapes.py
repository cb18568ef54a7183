"""Model shapes without torch: the args of each model, the named sizes and exact parameter counts.

The planner and the CLI describe any size (up to 1T) from these alone, so they never import torch; the
modules that build the models (lm, classifier, vit, layers) import their args from here.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from aircluster.errors import UsageError
from aircluster.train.tokenizer import BYTE_VOCAB_SIZE


def ffn_hidden_dim(dim: int, ffn_hidden: int | None, multiple_of: int, ffn_dim_multiplier: float | None) -> int:
    """SwiGLU hidden width: explicit if given, else Llama's rule (2/3 of 4*dim, scaled, rounded up)."""
    if ffn_hidden is not None:
        return ffn_hidden
    hidden = int(2 * 4 * dim / 3)
    if ffn_dim_multiplier is not None:
        hidden = int(ffn_dim_multiplier * hidden)
    return multiple_of * math.ceil(hidden / multiple_of)


def block_param_count(dim: int, n_heads: int, n_kv_heads: int, hidden: int) -> int:
    """Parameters of one `Block`: attention (q, k, v, o), SwiGLU (w1, w2, w3) and two RMSNorm weights."""
    head_dim = dim // n_heads
    attention = dim * dim * 2 + dim * n_kv_heads * head_dim * 2
    feed_forward = 3 * dim * hidden
    return attention + feed_forward + 2 * dim


@dataclass(frozen=True)
class LMArgs:
    """Shape of a language model. Describing (and counting) a size never allocates its weights.

    n_kv_heads: key/value heads for grouped-query attention (None = n_heads).
    ffn_hidden: SwiGLU width; None derives it from dim, ffn_dim_multiplier and multiple_of as Llama does.
    """

    vocab_size: int = BYTE_VOCAB_SIZE
    dim: int = 64
    n_layers: int = 2
    n_heads: int = 4
    n_kv_heads: int | None = None
    ffn_hidden: int | None = None
    multiple_of: int = 32
    ffn_dim_multiplier: float | None = None
    max_seq_len: int = 256
    norm_eps: float = 1e-5
    rope_theta: float = 10000.0

    def __post_init__(self) -> None:
        _check_positive(self, ("vocab_size", "dim", "n_layers", "n_heads", "multiple_of", "max_seq_len"))
        if self.dim % self.n_heads:
            raise UsageError(f"model args: dim {self.dim} is not divisible by n_heads {self.n_heads}")
        if (self.dim // self.n_heads) % 2:
            raise UsageError(f"model args: head size dim/n_heads = {self.dim // self.n_heads} must be even for rotary embeddings")
        if self.kv_heads <= 0 or self.n_heads % self.kv_heads:
            raise UsageError(f"model args: n_heads {self.n_heads} is not a multiple of n_kv_heads {self.n_kv_heads}")

    @property
    def kv_heads(self) -> int:
        return self.n_heads if self.n_kv_heads is None else self.n_kv_heads

    @property
    def hidden_dim(self) -> int:
        return ffn_hidden_dim(self.dim, self.ffn_hidden, self.multiple_of, self.ffn_dim_multiplier)


def _check_positive(args: object, fields: tuple[str, ...]) -> None:
    for field in fields:
        value = getattr(args, field)
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise UsageError(f"model args: {field} must be a positive integer, got {value!r}")


def trunk_param_count(args: LMArgs) -> int:
    """Token embedding + blocks + final norm (everything but the output head)."""
    per_block = block_param_count(args.dim, args.n_heads, args.kv_heads, args.hidden_dim)
    return args.vocab_size * args.dim + args.n_layers * per_block + args.dim


def lm_param_count(args: LMArgs) -> int:
    """Exact parameter count of `Transformer(args)` (the output head is not tied to the embedding)."""
    return trunk_param_count(args) + args.dim * args.vocab_size


@dataclass(frozen=True)
class ClassifierArgs(LMArgs):
    """LMArgs plus the number of labels."""

    num_classes: int = 2

    def __post_init__(self) -> None:
        super().__post_init__()
        if not isinstance(self.num_classes, int) or self.num_classes < 2:
            raise UsageError(f"model args: num_classes must be an integer >= 2, got {self.num_classes!r}")


def classifier_param_count(args: ClassifierArgs) -> int:
    return trunk_param_count(args) + args.dim * args.num_classes + args.num_classes


@dataclass(frozen=True)
class ViTArgs:
    """Shape of a ViT. Images must be channels x image_size x image_size (the data pipeline resizes)."""

    image_size: int = 32
    patch_size: int = 8
    channels: int = 3
    num_classes: int = 10
    dim: int = 64
    n_layers: int = 2
    n_heads: int = 4
    ffn_hidden: int | None = None
    multiple_of: int = 32
    ffn_dim_multiplier: float | None = None
    norm_eps: float = 1e-6

    def __post_init__(self) -> None:
        for field in (
            "image_size",
            "patch_size",
            "channels",
            "num_classes",
            "dim",
            "n_layers",
            "n_heads",
            "multiple_of",
        ):
            value = getattr(self, field)
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise UsageError(f"model args: {field} must be a positive integer, got {value!r}")
        if self.image_size % self.patch_size:
            raise UsageError(f"model args: image_size {self.image_size} is not divisible by patch_size {self.patch_size}")
        if self.dim % self.n_heads:
            raise UsageError(f"model args: dim {self.dim} is not divisible by n_heads {self.n_heads}")

    @property
    def n_patches(self) -> int:
        return (self.image_size // self.patch_size) ** 2

    @property
    def seq_len(self) -> int:
        """Tokens per image: the patches plus one class token."""
        return self.n_patches + 1

    @property
    def hidden_dim(self) -> int:
        return ffn_hidden_dim(self.dim, self.ffn_hidden, self.multiple_of, self.ffn_dim_multiplier)


def vit_param_count(args: ViTArgs) -> int:
    patch_embed = args.channels * args.patch_size**2 * args.dim + args.dim
    tokens = args.dim + args.seq_len * args.dim  # class token + position embedding
    blocks = args.n_layers * block_param_count(args.dim, args.n_heads, args.n_heads, args.hidden_dim)
    head = args.dim + args.dim * args.num_classes + args.num_classes  # final norm + linear
    return patch_embed + tokens + blocks + head


ModelArgs = LMArgs | ClassifierArgs | ViTArgs

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

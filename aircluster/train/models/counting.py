"""Parameter and FLOP counts from a model's args alone, so any size (up to 1T) can be described without weights.

FLOPs are for training (forward + backward = 3x forward), counting a multiply-add as 2 FLOPs:
6 per parameter that a token passes through in a matrix multiply (embedding lookups are not matmuls, so
they are excluded), plus the attention score and value matmuls, 12 * n_layers * dim * seq_len per token.
The attention term counts the full T x T score matrix as PaLM's and torchtitan's MFU formulas do, even for
causal attention where a fused kernel may skip half of it.
"""

from __future__ import annotations

from aircluster.train.models.shapes import (
    ClassifierArgs,
    LMArgs,
    ModelArgs,
    ViTArgs,
    block_param_count,
    classifier_param_count,
    lm_param_count,
    vit_param_count,
)


def count_params(args: ModelArgs) -> int:
    """Exact number of parameters of the model these args build."""
    if isinstance(args, ClassifierArgs):
        return classifier_param_count(args)
    if isinstance(args, LMArgs):
        return lm_param_count(args)
    if isinstance(args, ViTArgs):
        return vit_param_count(args)
    raise TypeError(f"count_params: not model args: {type(args).__name__}")


def attention_flops_per_token(args: LMArgs | ClassifierArgs, seq_len: int | None = None) -> float:
    """The part of `flops_per_token` spent in the attention score and value matmuls (it grows with seq_len);
    the rest is 6 FLOPs per matmul parameter. seq_len defaults to the model's maximum."""
    return _attention_flops_per_token(args.n_layers, args.dim, args.max_seq_len if seq_len is None else seq_len)


def _attention_flops_per_token(n_layers: int, dim: int, seq_len: int) -> float:
    return 12.0 * n_layers * dim * seq_len


def flops_per_sample(args: ModelArgs, seq_len: int | None = None) -> float:
    """Training FLOPs for one sample: a sequence of seq_len tokens, or one image (seq_len is implied)."""
    if isinstance(args, ViTArgs):
        tokens = args.seq_len
        blocks = args.n_layers * block_param_count(args.dim, args.n_heads, args.n_heads, args.hidden_dim)
        # The patch projection needs no input gradient (images are data), so 4 FLOPs per weight, not 6.
        patch = 4.0 * args.n_patches * args.channels * args.patch_size**2 * args.dim
        return (
            patch
            + 6.0 * tokens * blocks
            + tokens * _attention_flops_per_token(args.n_layers, args.dim, tokens)
            + 6.0 * args.dim * args.num_classes
        )
    if seq_len is None:
        raise TypeError("flops_per_sample: seq_len is required for text models")
    if isinstance(args, ClassifierArgs):
        embedding = args.vocab_size * args.dim
        body = classifier_param_count(args) - embedding - (args.dim * args.num_classes + args.num_classes)
        return (
            seq_len * (6.0 * body + _attention_flops_per_token(args.n_layers, args.dim, seq_len))
            + 6.0 * args.dim * args.num_classes
        )
    if isinstance(args, LMArgs):
        return seq_len * flops_per_token(args, seq_len)
    raise TypeError(f"flops_per_sample: not model args: {type(args).__name__}")


def flops_per_token(args: ModelArgs, seq_len: int | None = None) -> float:
    """Training FLOPs per token (for a ViT: per patch token). seq_len defaults to the model's maximum."""
    if isinstance(args, ViTArgs):
        return flops_per_sample(args) / args.seq_len
    seq_len = args.max_seq_len if seq_len is None else seq_len
    if isinstance(args, ClassifierArgs):
        return flops_per_sample(args, seq_len) / seq_len
    non_embedding = lm_param_count(args) - args.vocab_size * args.dim
    return 6.0 * non_embedding + _attention_flops_per_token(args.n_layers, args.dim, seq_len)

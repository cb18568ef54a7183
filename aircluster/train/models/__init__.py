"""Models the trainer can build: "lm" (decoder-only LM), "classify" (text classifier), "vit" (image classifier).

args = model_args("lm", "tiny", vocab_size=tokenizer.vocab_size)
model = build_model("lm", args)
count_params(args), flops_per_token(args, seq_len)     # also for sizes too big to build ("1t")
"""

from aircluster.train.models.classifier import ClassifierArgs, TextClassifier
from aircluster.train.models.counting import attention_flops_per_token, count_params, flops_per_sample, flops_per_token
from aircluster.train.models.lm import LMArgs, Transformer, generate
from aircluster.train.models.sizes import MODEL_NAMES, SIZES, ModelArgs, blocks, build_model, model_args, unwrap
from aircluster.train.models.vit import ViT, ViTArgs

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

"""Models, sizes, FLOP counts and tokenizers."""

from __future__ import annotations

import dataclasses

import pytest
import torch
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel
from torch.utils.flop_counter import FlopCounterMode

from aircluster.errors import InputError, NotFound, UsageError
from aircluster.train.flops import mfu, peak_flops
from aircluster.train.models import (
    SIZES,
    LMArgs,
    TextClassifier,
    Transformer,
    ViT,
    ViTArgs,
    attention_flops_per_token,
    blocks,
    build_model,
    count_params,
    flops_per_sample,
    flops_per_token,
    generate,
    model_args,
)
from aircluster.train.parallel import Dist, parallelize
from aircluster.train.tokenizer import TOKENIZER_DIR, BPETokenizer, ByteTokenizer, load_tokenizer

pytestmark = pytest.mark.usefixtures("one_thread")


ALL_SIZES = [(name, size) for name, sizes in SIZES.items() for size in sizes]


def _inputs(name: str, args, batch: int = 2, seq: int = 16) -> torch.Tensor:
    if name == "vit":
        return torch.randn(batch, args.channels, args.image_size, args.image_size)
    return torch.randint(0, args.vocab_size, (batch, seq))


@pytest.mark.parametrize(("name", "size"), ALL_SIZES)
def test_count_params_equals_the_built_model(name, size):
    args = model_args(name, size)
    with torch.device("meta"):  # structure only: even 1T parameters take no memory
        model = build_model(name, args)
    assert count_params(args) == sum(p.numel() for p in model.parameters())
    assert len(blocks(model)) == args.n_layers


@pytest.mark.parametrize(("size", "nominal"), [("7b", 7e9), ("70b", 70e9), ("405b", 405e9), ("1t", 1e12)])
def test_large_lm_sizes_have_their_nominal_size(size, nominal):
    assert abs(count_params(model_args("lm", size)) - nominal) / nominal < 0.05


@pytest.mark.parametrize("name", ["lm", "classify", "vit"])
def test_flops_per_sample_matches_torch_flop_counter(name):
    args = model_args(name, "tiny")
    model = build_model(name, args)
    batch, seq = 2, 64
    # The math backend runs attention as plain matmuls, which the counter sees (fused CPU kernels it does not).
    with sdpa_kernel(SDPBackend.MATH), FlopCounterMode(display=False) as counter:
        model(_inputs(name, args, batch, seq)).sum().backward()
    expected = batch * flops_per_sample(args, seq)
    assert abs(counter.get_total_flops() - expected) / expected < 0.03


def test_flops_per_token_grows_with_context_by_the_attention_term():
    args = model_args("lm", "small")
    assert isinstance(args, LMArgs)
    assert flops_per_token(args, 512) - flops_per_token(args, 256) == 12 * args.n_layers * args.dim * 256
    assert flops_per_token(args, 256) > 6 * (count_params(args) - args.vocab_size * args.dim)


def test_attention_flops_are_what_flops_per_token_adds_to_6_per_matmul_parameter():
    args = model_args("lm", "405b")
    matmul_params = count_params(args) - args.vocab_size * args.dim
    for seq_len in (2048, 8192, None):
        assert flops_per_token(args, seq_len) == 6 * matmul_params + attention_flops_per_token(args, seq_len)
    assert attention_flops_per_token(args) == attention_flops_per_token(args, args.max_seq_len) > 0


def test_lm_is_causal():
    args = model_args("lm", "tiny")
    assert isinstance(args, LMArgs)
    model = build_model("lm", args).eval()
    tokens = _inputs("lm", args)
    changed = tokens.clone()
    changed[:, 10] = (changed[:, 10] + 1) % args.vocab_size
    before, after = model(tokens), model(changed)
    assert before.shape == (2, 16, args.vocab_size) and before.dtype == torch.float32
    torch.testing.assert_close(after[:, :10], before[:, :10])
    assert not torch.allclose(after[:, 10:], before[:, 10:])


def test_lm_rejects_sequences_longer_than_its_context():
    args = model_args("lm", "tiny", max_seq_len=8)
    with pytest.raises(UsageError, match="max_seq_len 8"):
        build_model("lm", args)(_inputs("lm", args, seq=9))


def test_tiny_lm_learns_a_repeated_text_in_seconds():
    torch.manual_seed(0)
    tokenizer = ByteTokenizer()
    tokens = torch.tensor([tokenizer.encode("the quick brown fox jumps over the lazy dog. " * 3)])
    model = build_model("lm", model_args("lm", "tiny"))
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2)
    losses = []
    for _ in range(40):
        loss = F.cross_entropy(model(tokens[:, :-1]).flatten(0, 1), tokens[0, 1:])
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        losses.append(loss.item())
    assert losses[-1] < 0.25 * losses[0]
    prompt = torch.tensor([tokenizer.encode("the quick brown fox jumps over the lazy dog. the quick")])
    continuation = tokenizer.decode(generate(model, prompt, 6, temperature=0)[0, prompt.shape[1] :].tolist())
    assert continuation == " brown"


def test_generate_greedy_and_top1_agree_and_keep_training_mode():
    args = model_args("lm", "tiny", max_seq_len=12)
    model = build_model("lm", args)
    prompt = _inputs("lm", args, batch=2, seq=10)
    greedy = generate(model, prompt, 5, temperature=0)  # runs past max_seq_len: context is cropped
    top1 = generate(model, prompt, 5, temperature=0.7, top_k=1)
    assert greedy.shape == (2, 15) and torch.equal(greedy[:, :10], prompt)
    assert torch.equal(greedy, top1)
    assert model.training
    with pytest.raises(UsageError, match="temperature"):
        generate(model, prompt, 1, temperature=-1)


def test_classifier_ignores_padding():
    args = model_args("classify", "tiny", num_classes=3)
    model = build_model("classify", args)
    assert isinstance(model, TextClassifier)
    torch.nn.init.normal_(model.head.weight)  # the head starts at zero; make the logits depend on the text
    text = _inputs("classify", args, batch=1, seq=7)
    padded = torch.cat([text, torch.full((1, 5), ByteTokenizer.pad_id)], dim=1)
    mask = torch.cat([torch.ones(1, 7, dtype=torch.bool), torch.zeros(1, 5, dtype=torch.bool)], dim=1)
    alone = model(text)
    assert alone.shape == (1, 3)
    torch.testing.assert_close(model(padded, mask), alone)
    assert not torch.allclose(model(padded), alone)  # without the mask the padding counts
    assert torch.isfinite(model(padded, torch.zeros_like(mask))).all()  # an all-padding row stays finite


def test_vit_classifies_images_and_rejects_wrong_shapes():
    args = model_args("vit", "tiny")
    model = build_model("vit", args)
    assert isinstance(args, ViTArgs) and isinstance(model, ViT)
    logits = model(_inputs("vit", args, batch=3))
    assert logits.shape == (3, args.num_classes)
    logits.sum().backward()
    assert model.patch_embed.weight.grad is not None
    with pytest.raises(UsageError, match=r"vit: expected images of shape \[B, 3, 32, 32\]"):
        model(torch.randn(3, 3, 16, 16))


def test_meta_built_model_materializes_like_a_normal_one():
    args = model_args("lm", "tiny")
    normal = build_model("lm", args)
    with torch.device("meta"):
        lazy = build_model("lm", args)
    assert isinstance(lazy, Transformer) and isinstance(normal, Transformer)
    lazy.to_empty(device="cpu")
    lazy.init_weights()
    torch.testing.assert_close(lazy.trunk.rope, normal.trunk.rope)
    lazy.load_state_dict(normal.state_dict())
    tokens = _inputs("lm", args)
    torch.testing.assert_close(lazy(tokens), normal(tokens))


def test_model_args_errors_name_the_valid_choices():
    with pytest.raises(UsageError, match="unknown model 'gpt'.*lm, classify, vit"):
        model_args("gpt", "tiny")
    with pytest.raises(UsageError, match="unknown size 'huge'.*tiny, small, base, 7b, 70b, 405b, 1t"):
        model_args("lm", "huge")
    with pytest.raises(UsageError, match="unknown field.*num_classes"):
        model_args("lm", "tiny", num_classes=3)
    with pytest.raises(UsageError, match="dim 60 is not divisible by n_heads 8"):
        model_args("lm", "tiny", dim=60, n_heads=8)
    with pytest.raises(UsageError, match="image_size 30 is not divisible by patch_size 8"):
        model_args("vit", "tiny", image_size=30)
    with pytest.raises(UsageError, match="needs ViTArgs"):
        build_model("vit", model_args("lm", "tiny"))
    tiny = model_args("lm", "tiny")
    assert isinstance(tiny, LMArgs) and dataclasses.replace(tiny, vocab_size=300).vocab_size == 300


def test_peak_flops_keeps_the_best_measurement_so_load_cannot_inflate_mfu(tmp_path):
    import json

    cache = tmp_path / "peak.json"
    peak = peak_flops(torch.device("cpu"), "fp32", cache_file=cache)
    assert peak > 1e8 and cache.is_file()
    [key] = json.loads(cache.read_text())
    cache.write_text(json.dumps({key: peak * 1000}))  # a quieter moment once measured more
    assert peak_flops(torch.device("cpu"), "fp32", cache_file=cache) == peak * 1000
    cache.write_text(json.dumps({key: peak / 1000}))  # measured under heavy load: replaced by a better one
    assert peak_flops(torch.device("cpu"), "fp32", cache_file=cache) == peak
    assert json.loads(cache.read_text())[key] == peak
    assert mfu(peak / 2, peak) == 0.5
    with pytest.raises(UsageError, match="train.precision"):
        peak_flops(torch.device("cpu"), "int4")


def test_peak_flops_measures_when_its_cache_cannot_be_written(tmp_path):
    # e.g. an ordinary account training in a shared installation, whose home belongs to the server's account
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    cache = blocker / "cache" / "peak.json"
    assert peak_flops(torch.device("cpu"), "fp32", cache_file=cache) > 1e8
    assert not cache.exists()


@pytest.mark.slow
def test_compiled_blocks_compute_the_same_logits():
    args = model_args("lm", "tiny")
    eager = build_model("lm", args)
    compiled = build_model("lm", args)
    compiled.load_state_dict(eager.state_dict())
    parallelize(compiled, Dist(), precision="fp32", compile=True)
    tokens = _inputs("lm", args)
    torch.testing.assert_close(compiled(tokens), eager(tokens), atol=1e-5, rtol=1e-5)


def test_byte_tokenizer_round_trips_any_text():
    tokenizer = ByteTokenizer()
    text = "naïve café ☕ 東京"
    ids = tokenizer.encode(text, bos=True, eos=True)
    assert ids[0] == tokenizer.bos_id and ids[-1] == tokenizer.eos_id
    assert max(ids) < tokenizer.vocab_size
    assert tokenizer.decode(ids) == text


def test_bpe_tokenizer_trains_saves_and_loads(tmp_path):
    texts = ["the cat sat on the mat", "the dog sat on the log", "a cat and a dog"] * 20
    trained = load_tokenizer("bpe", tmp_path, texts=texts, vocab_size=300)
    assert trained.vocab_size <= 300
    text = "the cat sat on the log ☕"
    ids = trained.encode(text)
    assert len(ids) < len(text.encode("utf-8"))  # merges learned from the data compress it
    assert trained.decode(ids) == text  # byte-level: unseen characters still round-trip
    reloaded = load_tokenizer("bpe", tmp_path)  # no texts needed: the run's saved tokenizer is used
    assert isinstance(reloaded, BPETokenizer) and reloaded.encode(text) == ids
    assert (reloaded.pad_id, reloaded.bos_id, reloaded.eos_id) == (trained.pad_id, trained.bos_id, trained.eos_id)


def test_load_tokenizer_errors(tmp_path):
    with pytest.raises(UsageError, match="unknown kind 'wordpiece'.*byte, bpe"):
        load_tokenizer("wordpiece", tmp_path)
    with pytest.raises(NotFound, match="no BPE tokenizer saved"):
        load_tokenizer("bpe", tmp_path)
    with pytest.raises(UsageError, match="at least 259"):
        BPETokenizer.train(["abc"], vocab_size=100)
    assert isinstance(load_tokenizer("byte", tmp_path), ByteTokenizer)


def test_a_saved_bpe_tokenizer_without_the_special_tokens_is_refused(tmp_path):
    from tokenizers import Tokenizer, models

    load_tokenizer("bpe", tmp_path, texts=["the cat sat"] * 5, vocab_size=300)
    saved = tmp_path / TOKENIZER_DIR / "tokenizer.json"
    Tokenizer(models.BPE()).save(str(saved))  # e.g. one made elsewhere, with none of <pad>, <bos>, <eos>
    with pytest.raises(InputError, match="BPE tokenizer has no <pad> token"):
        load_tokenizer("bpe", tmp_path)

"""The planner's inputs: the GPU table, model shapes counted as the trainer counts them, and layout checks."""

from __future__ import annotations

import pytest

from aircluster.errors import UsageError
from aircluster.plan.gpus import get_gpu, gpu_table
from aircluster.plan.layout import Layout, LayoutRequest, check_layout
from aircluster.plan.model import custom_model, named_model
from aircluster.plan.stages import StageSplit, split_layers
from aircluster.train.models import LMArgs, count_params, flops_per_token, model_args


def test_gpu_table_has_the_reference_gpus_each_figure_sourced():
    table = gpu_table()
    assert {"a100-40gb", "a100-80gb", "h100-sxm", "h200"} <= set(table)
    for gpu in table.values():
        assert gpu.peak_bf16_tflops > 0 and gpu.hbm_gb > 0 and gpu.hbm_gbps > 0
        assert gpu.nvlink_gbps > 0 and gpu.network_gbitps > 0 and gpu.pcie_gbps > 0
        assert "data sheet" in gpu.source or "benchmarks/" in gpu.source
    assert table["h100-sxm"].peak_bf16_tflops == 989.0 and table["a100-80gb"].peak_bf16_tflops == 312.0
    assert table["h200"].hbm_gb == 141.0 and table["a100-40gb"].hbm_gb == 40.0


def test_unknown_gpu_and_fp8_without_fp8_are_usage_errors_naming_the_choices():
    with pytest.raises(UsageError, match=r"--gpu: unknown GPU 'v100'; choose one of a100-40gb, a100-80gb"):
        get_gpu("v100")
    with pytest.raises(UsageError, match="a100-80gb has no fp8 tensor cores"):
        get_gpu("a100-80gb").peak_flops("fp8")
    assert get_gpu("h100-sxm").peak_flops("fp8") == 1979e12


@pytest.mark.parametrize("size", ["7b", "70b", "405b", "1t"])
def test_named_sizes_count_parameters_and_flops_as_the_trainer_does(size):
    model = named_model(size)
    args = model_args("lm", size)
    assert isinstance(args, LMArgs)
    assert model.params == count_params(args)
    assert model.model_flops_per_token == flops_per_token(args, args.max_seq_len)
    # The split into per-layer matmul, attention and head adds back up to the trainer's count.
    parts = model.layers * (model.layer_matmul_flops_per_token() + model.layer_attention_flops_per_token())
    assert parts + model.head_flops_per_token == pytest.approx(model.model_flops_per_token, rel=1e-12)


def test_recomputation_adds_a_forward_pass_for_hfu():
    model = named_model("70b")
    assert model.hardware_flops_per_token("none") == model.model_flops_per_token
    full = model.hardware_flops_per_token("full") - model.model_flops_per_token
    blocks = model.model_flops_per_token - model.head_flops_per_token  # the head is not recomputed
    assert full == pytest.approx(blocks / 3, rel=1e-12)
    assert 0 < model.hardware_flops_per_token("selective") - model.model_flops_per_token < full


def test_gpt_blocks_as_swiglu_keep_megatron_parameter_count():
    # Megatron-LM 2021's 1T model: 12 l h^2 (1 + 13/12h + (V + s)/12lh) = 1008.0B parameters (their Table 1).
    model = custom_model(layers=128, dim=25600, heads=160, vocab=51200, seq_len=2048, ffn_dim=68267)
    assert model.params == pytest.approx(1008.0e9, rel=2e-3)


def test_explicit_dimensions_are_checked():
    with pytest.raises(UsageError, match="--layers must be a positive integer"):
        custom_model(layers=0, dim=64, heads=4, vocab=100, seq_len=128)
    with pytest.raises(UsageError, match="not divisible by n_heads"):
        custom_model(layers=2, dim=65, heads=4, vocab=100, seq_len=128)
    with pytest.raises(UsageError, match="unknown size '3t'"):
        named_model("3t")


def test_one_missing_degree_is_derived_and_bad_degrees_are_named():
    assert LayoutRequest(tp=8, pp=16, cp=1).complete(8192) == {"tp": 8, "pp": 16, "cp": 1, "dp": 64}
    assert LayoutRequest(tp=8).complete(64) is None  # more than one missing: searched
    with pytest.raises(UsageError, match=r"--tp 3 --pp 4: their product 12 does not divide --gpus 64"):
        LayoutRequest(tp=3, pp=4).complete(64)
    with pytest.raises(UsageError, match=r"their product 32 is not --gpus 64"):
        LayoutRequest(tp=8, pp=2, cp=1, dp=2).complete(64)
    with pytest.raises(UsageError, match="--pp must be a positive integer"):
        LayoutRequest(pp=0).complete(64)


@pytest.mark.parametrize(
    ("layout", "message"),
    [
        (Layout(tp=3, pp=1, cp=1, dp=1), "does not divide the model's 64 attention heads"),
        (Layout(tp=1, pp=1, cp=3, dp=1), "does not divide the sequence length"),
        (Layout(tp=1, pp=1, cp=1, dp=1, vpp=2), "--vpp needs --pp > 1"),
        (Layout(tp=1, pp=81, cp=1, dp=1), "exceed the model's 80 layers"),
        (Layout(tp=1, pp=1, cp=1, dp=1, act_ckpt="some"), "--act-ckpt must be one of"),
        (Layout(tp=1, pp=1, cp=1, dp=1, zero=4), "--zero must be one of"),
    ],
)
def test_layouts_that_cannot_run_say_why(layout, message):
    with pytest.raises(UsageError, match=message):
        check_layout(layout, named_model("70b"), layout.gpus, 4096 * layout.dp * 4)


def test_tensor_parallel_must_split_or_replicate_the_key_value_heads():
    model = custom_model(layers=2, dim=768, heads=12, kv_heads=6, vocab=1000, seq_len=512)
    with pytest.raises(UsageError, match="--tp 4 and the model's 6 key/value heads: neither divides the other"):
        check_layout(Layout(tp=4, pp=1, cp=1, dp=1), model, 4, 512)
    check_layout(Layout(tp=12, pp=1, cp=1, dp=1), model, 12, 512)  # 2 query heads per rank, K/V replicated


def test_batch_must_split_into_micro_batches():
    with pytest.raises(UsageError, match="--global-batch-tokens 4096 is not a multiple of seq_len 4096 x dp 2"):
        check_layout(Layout(tp=1, pp=1, cp=1, dp=2), named_model("70b"), 2, 4096)


def test_stages_balance_the_output_head():
    assert split_layers(126, 16, 0.0).layers_first == 8
    # A head worth 2 layers: the last stage takes 6 layers and the head, the others 8 (Llama 3 405B's 126 on 16).
    assert split_layers(126, 16, 2.0) == StageSplit(16, 8, 6)
    # 2 layers per stage can't absorb half a layer more: the last stage is the slowest, at 2.5.
    assert split_layers(128, 64, 0.5).slowest(1.0, 0.5) == (2, 2.5)
    # A head heavier than the rest: it gets a stage to itself.
    assert split_layers(8, 4, 10.0) == StageSplit(4, 3, 0)
    single = split_layers(32, 1, 3.0)
    assert single.slowest(1.0, 3.0) == (32, 35.0)

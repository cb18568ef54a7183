"""Memory, step time and the layout search: each term moves the way the mechanism it models says it must."""

from __future__ import annotations

import dataclasses

import pytest

from aircluster.errors import UsageError
from aircluster.plan.checkpoint import checkpoint
from aircluster.plan.estimate import estimate
from aircluster.plan.gpus import get_gpu
from aircluster.plan.layout import Layout, LayoutRequest
from aircluster.plan.memory import GRAD_BYTES, OPTIMIZER_BYTES, WEIGHT_BYTES
from aircluster.plan.model import named_model
from aircluster.plan.plan import PlanRequest, plan
from aircluster.plan.search import search

H100 = get_gpu("h100-sxm")
MODEL_70B = named_model("70b")  # seq 4096


def run(layout: Layout, batch: int = 4096 * 512, model=MODEL_70B, gpu=H100):
    return estimate(model, layout, gpu, batch, 8)


def test_memory_by_zero_stage_shards_what_it_says():
    base = Layout(tp=8, pp=1, cp=1, dp=16, zero=0, act_ckpt="full")
    stages = {z: run(dataclasses.replace(base, zero=z)).memory for z in range(4)}
    params = (MODEL_70B.params - 0) / 8  # one stage, everything split by tp
    assert stages[0].parameters == pytest.approx(params * WEIGHT_BYTES, rel=1e-9)
    assert stages[0].gradients == pytest.approx(params * GRAD_BYTES, rel=1e-9)
    assert stages[0].optimizer == pytest.approx(params * OPTIMIZER_BYTES, rel=1e-9)
    assert stages[1].optimizer == pytest.approx(stages[0].optimizer / 16)
    assert stages[1].gradients == stages[0].gradients
    assert stages[2].gradients == pytest.approx(stages[0].gradients / 16)
    assert stages[3].parameters == pytest.approx(stages[0].parameters / 16)
    assert stages[3].buffers > stages[2].buffers  # FSDP's gathered layers


def test_activation_checkpointing_trades_memory_for_recomputation():
    results = {ac: run(Layout(tp=8, pp=1, cp=1, dp=16, zero=1, act_ckpt=ac)) for ac in ("none", "selective", "full")}
    acts = [results[ac].memory.activations for ac in ("none", "selective", "full")]
    times = [results[ac].step.compute for ac in ("none", "selective", "full")]
    assert acts[0] > acts[1] > acts[2]
    assert times[0] < times[1] < times[2]
    assert results["full"].hfu > results["full"].mfu
    assert results["none"].hfu == pytest.approx(results["none"].mfu)


def test_pipeline_bubble_shrinks_with_micro_batches_and_interleaving():
    model = named_model("405b")
    batch = 8192 * 2048

    def bubble_share(**kw):
        step = estimate(model, Layout(tp=8, pp=16, cp=1, dp=64, zero=1, act_ckpt="full", **kw), H100, batch, 8).step
        return step.pp_bubble / step.total

    assert bubble_share(micro_batch=1) < bubble_share(micro_batch=4)  # 32 vs 8 micro-batches
    assert bubble_share(vpp=2) < bubble_share(vpp=1)
    one = estimate(model, Layout(tp=8, pp=16, cp=1, dp=64, zero=1, act_ckpt="full"), H100, batch, 8).step
    # 1F1B: (pp - 1) micro-batch times of the slowest stage; 32 micro-batches of one sequence each.
    per_micro_batch = (one.compute + one.tp_exposed + one.cp_exposed) / 32
    assert one.micro_batches == 32 and one.pp_bubble == pytest.approx(15 * per_micro_batch, rel=1e-9)


def test_tensor_parallel_off_the_node_is_slower():
    inside = run(Layout(tp=8, pp=1, cp=1, dp=16, zero=1, act_ckpt="full"))
    across = estimate(MODEL_70B, Layout(tp=8, pp=1, cp=1, dp=16, zero=1, act_ckpt="full"), H100, 4096 * 512, 4)
    assert across.step.tp_exposed > 5 * inside.step.tp_exposed


def test_gradient_reduction_not_overlapped_is_exposed_whole():
    layout = Layout(tp=8, pp=1, cp=1, dp=16, zero=1, act_ckpt="full")
    overlapped = run(layout).step
    serial = run(dataclasses.replace(layout, dp_overlap=False)).step
    assert serial.dp_exposed == pytest.approx(serial.dp_total) and serial.dp_total > 0
    assert overlapped.dp_exposed < serial.dp_exposed


def test_fp8_is_faster_than_bf16_but_not_twice():
    layout = Layout(tp=8, pp=1, cp=1, dp=16, zero=3, act_ckpt="full")
    bf16 = run(layout).tokens_per_s_per_gpu
    fp8 = run(dataclasses.replace(layout, precision="fp8")).tokens_per_s_per_gpu
    assert bf16 < fp8 < 2 * bf16


def test_search_ranks_fitting_layouts_fastest_first_and_keeps_what_was_fixed():
    result = search(MODEL_70B, get_gpu("a100-80gb"), 64, LayoutRequest(tp=8), 4096 * 256, 8)
    assert result.ranked and result.candidates >= len(result.ranked)
    speeds = [e.tokens_per_s_per_gpu for e in result.ranked]
    assert speeds == sorted(speeds, reverse=True)
    assert all(e.memory.fits and e.layout.tp == 8 and e.layout.gpus == 64 for e in result.ranked)


def test_a_model_that_fits_nowhere_is_a_usage_error():
    with pytest.raises(UsageError, match=r"no layout of 8 x a100-40gb fits the 1t model .* in memory"):
        plan(PlanRequest(named_model("1t"), "a100-40gb", 8, simulate=10))
    with pytest.raises(UsageError, match="needs .* GB per GPU with this layout; a100-40gb has 40 GB"):
        plan(
            PlanRequest(
                named_model("70b"),
                "a100-40gb",
                8,
                layout=LayoutRequest(tp=8, pp=1, cp=1, dp=1, micro_batch=1, zero=0, act_ckpt="none"),
                simulate=10,
            )
        )


def test_checkpoint_holds_fp32_weights_and_adam_moments():
    ckpt = checkpoint(10**12, 16384, H100, gb_per_s=2000.0, asynchronous=False)
    assert ckpt.size_gb == 12_000.0 and ckpt.write_s == pytest.approx(6.0) and ckpt.blocking_s == ckpt.write_s
    async_ckpt = checkpoint(10**12, 16384, H100, gb_per_s=2000.0, asynchronous=True)
    assert async_ckpt.blocking_s == pytest.approx(12e12 / 16384 / 64e9)  # each GPU's shard over PCIe Gen5
    with pytest.raises(UsageError, match="--ckpt-gbps must be positive"):
        checkpoint(10**9, 8, H100, gb_per_s=0.0, asynchronous=False)

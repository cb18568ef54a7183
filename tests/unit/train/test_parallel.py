"""Parallelism: FSDP2 and DDP on 2 real gloo processes match one process on the same global batch."""

from __future__ import annotations

import gc
import os
import socket
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from torch.distributed.tensor import DTensor
from torch.multiprocessing.spawn import spawn

from aircluster.errors import UsageError
from aircluster.train.models import LMArgs, Transformer, blocks, build_model, model_args, unwrap
from aircluster.train.parallel import (
    Dist,
    applied_mode,
    autocast_context,
    build_optimizer,
    default_precision,
    init_distributed,
    parallelize,
)
from aircluster.train.step import clip_gradients

STEPS = 4
GLOBAL_BATCH = 4
SEQ_LEN = 33
WORLD = 2
# fp32 runs differ only in the order of floating-point sums (gradient reduction), amplified a little by Adam.
PARAM_ATOL = 2e-5
# bf16 changes every matmul's rounding, so its runs are compared on the loss curve instead of on weights.
BF16_LOSS_RTOL = 0.005
# The trainer's gradient clipping runs in every step, at a bound some steps exceed and others not (checked below).
GRAD_CLIP = 0.58


pytestmark = pytest.mark.usefixtures("one_thread")


def _args() -> LMArgs:
    args = model_args("lm", "tiny", dim=32, n_heads=4, n_kv_heads=2, max_seq_len=64)
    assert isinstance(args, LMArgs)
    return args


def _batch(step: int) -> torch.Tensor:
    """Counting sequences from random starts: learnable, so a few steps move the loss a lot."""
    gen = torch.Generator().manual_seed(1000 + step)
    starts = torch.randint(0, _args().vocab_size, (GLOBAL_BATCH, 1), generator=gen)
    return (starts + torch.arange(SEQ_LEN)) % _args().vocab_size


def _train(d: Dist, mode: str, precision: str, checkpointing: bool) -> tuple[dict[str, torch.Tensor], list[float]]:
    """STEPS optimizer steps, clipped as the trainer clips; each rank takes its contiguous slice of the global batch."""
    torch.manual_seed(0)
    model = parallelize(build_model("lm", _args()), d, precision=precision, activation_checkpointing=checkpointing, mode=mode)
    optimizer = build_optimizer(model, lr=1e-2, weight_decay=0.1)
    losses, norms = [], []
    for step in range(STEPS):
        tokens = _batch(step).chunk(d.world_size)[d.rank]
        with autocast_context(d.device, precision, applied_mode(mode, d)):
            logits = model(tokens[:, :-1])
        loss = F.cross_entropy(logits.flatten(0, 1), tokens[:, 1:].flatten())
        loss.backward()
        norms.append(clip_gradients(model, GRAD_CLIP))
        optimizer.step()
        optimizer.zero_grad()
        global_loss = loss.detach().clone()
        if d.distributed:
            torch.distributed.all_reduce(global_loss, op=torch.distributed.ReduceOp.AVG)
        losses.append(global_loss.item())
    params = {
        name: (p.full_tensor() if isinstance(p, DTensor) else p).detach().clone() for name, p in unwrap(model).named_parameters()
    }
    assert min(norms) < GRAD_CLIP < max(norms), norms  # both branches of clipping are part of what is compared
    return params, losses


def _worker(rank: int, port: int, mode: str, precision: str, checkpointing: bool, out: str) -> None:
    os.environ.update(
        RANK=str(rank),
        LOCAL_RANK=str(rank),
        WORLD_SIZE=str(WORLD),
        LOCAL_WORLD_SIZE=str(WORLD),
        MASTER_ADDR="127.0.0.1",
        MASTER_PORT=str(port),
    )
    d = init_distributed()
    assert d.mesh is not None and (d.backend, d.world_size, d.rank, d.mesh.size()) == ("gloo", WORLD, rank, WORLD)
    try:
        params, losses = _train(d, mode, precision, checkpointing)
        if d.is_main:
            torch.save({"params": params, "losses": losses}, out)
        del params, losses
    finally:
        # Free the FSDP model's reference cycles while the group still exists, as train() does: left to
        # interpreter exit they go after the group and the worker can abort (seen once under load).
        gc.collect()
        gc.collect()
        d.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_two_processes(tmp_path: Path, mode: str, precision: str, checkpointing: bool) -> dict:
    out = str(tmp_path / f"{mode}-{precision}.pt")
    spawn(_worker, args=(_free_port(), mode, precision, checkpointing, out), nprocs=WORLD, join=True)
    return torch.load(out)


@pytest.fixture(scope="module")
def reference():
    """One process, no process group, whole global batch, fp32."""
    return _train(Dist(), mode="fsdp", precision="fp32", checkpointing=False)


@pytest.mark.slow
@pytest.mark.parametrize(("mode", "checkpointing"), [("fsdp", True), ("ddp", False)])
def test_two_gloo_processes_match_one_process(tmp_path, reference, mode, checkpointing):
    ref_params, ref_losses = reference
    result = _run_two_processes(tmp_path, mode, "fp32", checkpointing)
    assert result["params"].keys() == ref_params.keys()
    torch.manual_seed(0)
    initial = dict(build_model("lm", _args()).named_parameters())
    for name, ref in ref_params.items():
        # Every tensor trained far beyond the tolerance, so matching it means the same updates were made.
        assert (ref - initial[name]).abs().max() > 100 * PARAM_ATOL, name
        torch.testing.assert_close(result["params"][name], ref, atol=PARAM_ATOL, rtol=0, msg=lambda m, name=name: f"{name}: {m}")
    torch.testing.assert_close(torch.tensor(result["losses"]), torch.tensor(ref_losses), atol=1e-5, rtol=0)


@pytest.mark.slow
def test_fsdp_bf16_follows_fp32_loss_curve(tmp_path, reference):
    _, ref_losses = reference
    result = _run_two_processes(tmp_path, "fsdp", "bf16", checkpointing=False)
    torch.testing.assert_close(torch.tensor(result["losses"]), torch.tensor(ref_losses), atol=0, rtol=BF16_LOSS_RTOL)
    assert result["losses"][-1] < 0.95 * result["losses"][0]


def test_without_process_group_runs_alone():
    d = init_distributed()
    assert (d.rank, d.world_size, d.backend, d.mesh, d.is_main) == (0, 1, None, None, True)
    assert applied_mode("fsdp", d) == "none"
    model = build_model("lm", _args())
    assert parallelize(model, d, precision="fp32", mode="ddp") is model


def test_bad_choices_are_usage_errors():
    model = build_model("lm", _args())
    with pytest.raises(UsageError, match="train.precision.*bf16, fp32"):
        parallelize(model, Dist(), precision="fp16")
    with pytest.raises(UsageError, match="train.parallel.*fsdp, ddp, none"):
        parallelize(model, Dist(), precision="fp32", mode="zero3")


def test_activation_checkpointing_gives_same_gradients():
    torch.manual_seed(0)
    plain = build_model("lm", _args())
    checkpointed = build_model("lm", _args())
    checkpointed.load_state_dict(plain.state_dict())
    parallelize(checkpointed, Dist(), precision="fp32", activation_checkpointing=True)
    assert all(block.activation_checkpoint for block in blocks(checkpointed))
    tokens = _batch(0)
    for model in (plain, checkpointed):
        F.cross_entropy(model(tokens[:, :-1]).flatten(0, 1), tokens[:, 1:].flatten()).backward()
    for (name, p), q in zip(plain.named_parameters(), checkpointed.parameters()):
        torch.testing.assert_close(q.grad, p.grad, msg=lambda m, name=name: f"{name}: {m}")


def test_optimizer_is_fused_and_skips_decay_on_norms():
    model = build_model("lm", _args())
    optimizer = build_optimizer(model, lr=1e-3, weight_decay=0.1)
    assert all(group["fused"] for group in optimizer.param_groups)
    decayed = {id(p) for p in optimizer.param_groups[0]["params"]}
    assert isinstance(model, Transformer) and id(model.output.weight) in decayed
    assert id(blocks(model)[0].attention_norm.weight) not in decayed
    assert optimizer.param_groups[1]["weight_decay"] == 0.0


def test_default_precision_follows_hardware_and_width():
    cpu = torch.device("cpu")
    native_bf16 = torch.ops.mkldnn._is_mkldnn_bf16_supported()
    assert default_precision(cpu, dim=64) == "fp32"  # too narrow for bf16 to pay off on any CPU
    assert default_precision(cpu, dim=4096) == ("bf16" if native_bf16 else "fp32")
    with autocast_context(cpu, "bf16"):
        out = build_model("lm", _args())(_batch(0))
    assert out.dtype == torch.float32  # logits stay fp32 for the loss


def test_clipping_scales_only_gradients_above_the_bound():
    torch.manual_seed(0)
    model = build_model("lm", _args())
    tokens = _batch(0)
    F.cross_entropy(model(tokens[:, :-1]).flatten(0, 1), tokens[:, 1:].flatten()).backward()
    grads = [p.grad.clone() for p in model.parameters() if p.grad is not None]
    norm = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in grads])).item()

    assert clip_gradients(model, 10 * norm) == pytest.approx(norm)  # under the bound: untouched, bit for bit
    assert all(p.grad is not None and torch.equal(p.grad, g) for p, g in zip(model.parameters(), grads))
    assert clip_gradients(model, 0) == pytest.approx(norm)  # 0 = never clip
    assert all(p.grad is not None and torch.equal(p.grad, g) for p, g in zip(model.parameters(), grads))

    assert clip_gradients(model, norm / 4) == pytest.approx(norm)  # returns the norm before clipping
    after = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(p.grad) for p in model.parameters()]))
    assert after.item() == pytest.approx(norm / 4, rel=1e-4)
    assert all(p.grad is not None and torch.allclose(p.grad, g / 4, rtol=1e-4) for p, g in zip(model.parameters(), grads))

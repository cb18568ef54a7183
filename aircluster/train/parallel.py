"""Where and how a model runs: device and backend, process group, FSDP2/DDP, precision, checkpointing, compile.

Everything is chosen at run time from the environment, so the same code runs as one CPU process, as
several gloo processes under torchrun, or on CUDA GPUs with NCCL. Order of `parallelize` (as torchtitan):
activation checkpointing, then compile, then sharding, each per transformer block.
"""

from __future__ import annotations

import contextlib
import datetime
import os
from dataclasses import dataclass, field

import torch
import torch.distributed as dist
from torch import nn
from torch.distributed.device_mesh import DeviceMesh, init_device_mesh
from torch.distributed.fsdp import MixedPrecisionPolicy, fully_shard
from torch.nn.parallel import DistributedDataParallel

from aircluster.errors import UsageError
from aircluster.train.models import blocks

PRECISIONS = ("bf16", "fp32")
MODES = ("fsdp", "ddp", "none")


@dataclass
class Dist:
    """This process's place in the job. backend and mesh are None when running without a process group."""

    rank: int = 0
    world_size: int = 1
    local_rank: int = 0
    device: torch.device = field(default_factory=lambda: torch.device("cpu"))
    backend: str | None = None
    mesh: DeviceMesh | None = None

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    @property
    def distributed(self) -> bool:
        return self.backend is not None

    def barrier(self) -> None:
        if self.distributed:
            dist.barrier()

    def close(self) -> None:
        """Tear down the process group (if this process joined one)."""
        self.mesh = None
        if self.distributed and dist.is_initialized():
            dist.destroy_process_group()


def _env_int(name: str) -> int:
    value = os.environ[name]
    try:
        return int(value)
    except ValueError:
        raise UsageError(f"environment: {name}={value!r} is not an integer") from None


def init_distributed(timeout_s: float = 600.0) -> Dist:
    """Join the job's process group if launched by torchrun/srun (RANK and WORLD_SIZE set), else run alone.

    CUDA present: device cuda:LOCAL_RANK and NCCL. Otherwise CPU and gloo. On CPU each process gets an
    equal share of the cores, so co-located ranks do not oversubscribe them.
    """
    if "RANK" not in os.environ or "WORLD_SIZE" not in os.environ:
        device = torch.device("cuda", 0) if torch.cuda.is_available() else torch.device("cpu")
        if device.type == "cuda":
            torch.cuda.set_device(device)
        return Dist(device=device)
    rank, world_size = _env_int("RANK"), _env_int("WORLD_SIZE")
    local_rank = _env_int("LOCAL_RANK") if "LOCAL_RANK" in os.environ else 0
    if torch.cuda.is_available():
        device, backend = torch.device("cuda", local_rank % torch.cuda.device_count()), "nccl"
        torch.cuda.set_device(device)
    else:
        device, backend = torch.device("cpu"), "gloo"
        local_world = _env_int("LOCAL_WORLD_SIZE") if "LOCAL_WORLD_SIZE" in os.environ else 1
        torch.set_num_threads(max(1, (os.cpu_count() or 1) // local_world))
    if not dist.is_initialized():
        dist.init_process_group(
            backend,
            rank=rank,
            world_size=world_size,
            timeout=datetime.timedelta(seconds=timeout_s),
            device_id=device if backend == "nccl" else None,
        )
    mesh = init_device_mesh(device.type, (world_size,), mesh_dim_names=("dp",))
    return Dist(rank=rank, world_size=world_size, local_rank=local_rank, device=device, backend=backend, mesh=mesh)


# Below this width, bf16 on CPU loses: casting costs more than the faster matmuls save (bench/precision.py).
CPU_BF16_MIN_DIM = 256


def default_precision(device: torch.device, dim: int | None = None) -> str:
    """bf16 where the hardware computes it natively (and, on CPU, the model is wide enough), else fp32.

    CUDA: bf16 if the GPU supports it (Ampere and later). CPU: bf16 if oneDNN has native bf16 kernels
    (AVX512-BF16 or AMX) and the model width `dim` (if given) is at least CPU_BF16_MIN_DIM. Measured on
    this project's 2-core AMX-BF16 CPU with `bench/precision.py --threads 1` (training step, 256-token
    sequences, bf16 autocast vs fp32): lm-tiny (dim 64) 0.83x, lm-small (dim 256) 1.7-2.0x, lm-base
    (dim 768) 2.55x. Matmul peaks there: fp32 ~0.11, bf16 ~0.9-1.0 TFLOP/s.
    Without native bf16, emulation makes bf16 slower everywhere.
    """
    if device.type == "cuda":
        return "bf16" if torch.cuda.is_bf16_supported() else "fp32"
    if device.type == "cpu":
        native = torch.ops.mkldnn._is_mkldnn_bf16_supported()
        return "bf16" if native and (dim is None or dim >= CPU_BF16_MIN_DIM) else "fp32"
    return "fp32"


def _check_choice(field: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise UsageError(f"{field}: unknown value {value!r}; choose one of {', '.join(choices)}")


def applied_mode(mode: str, d: Dist) -> str:
    """The data-parallel mode actually used: fsdp and ddp need a process group, so alone it is 'none'."""
    _check_choice("train.parallel", mode, MODES)
    return mode if d.distributed else "none"


def parallelize(
    model: nn.Module,
    d: Dist,
    *,
    precision: str,
    activation_checkpointing: bool = False,
    compile: bool = False,
    mode: str = "fsdp",
) -> nn.Module:
    """Move the model to the device and apply checkpointing, compile and data parallelism.

    fsdp: FSDP2 `fully_shard` on every transformer block and on the root, over the data-parallel mesh;
    with bf16, parameters are all-gathered and computed in bf16 while gradients are reduced in fp32
    (and the optimizer keeps fp32 shards). ddp: DistributedDataParallel; precision via `autocast_context`.
    Without a process group the model is returned unwrapped (mode 'none'), which runs the same forward,
    backward and optimizer code. Returns the model to train (the same object under fsdp/none).
    """
    _check_choice("train.precision", precision, PRECISIONS)
    mode = applied_mode(mode, d)
    model.to(d.device)
    model_blocks = blocks(model)
    if activation_checkpointing:
        for block in model_blocks:
            block.activation_checkpoint = True
    if compile:
        # Per block, so identical blocks share one compiled graph (faster compile than the whole model).
        for block in model_blocks:
            block.compile()
    if mode == "fsdp":
        mp_policy = (
            MixedPrecisionPolicy(param_dtype=torch.bfloat16, reduce_dtype=torch.float32)
            if precision == "bf16"
            else MixedPrecisionPolicy()
        )
        for i, block in enumerate(model_blocks):
            # The last block's parameters are needed again at once by backward: keep them gathered.
            fully_shard(block, mesh=d.mesh, mp_policy=mp_policy, reshard_after_forward=i < len(model_blocks) - 1)
        fully_shard(model, mesh=d.mesh, mp_policy=mp_policy)
        return model
    if mode == "ddp":
        device_ids = [d.device.index] if d.device.type == "cuda" else None
        return DistributedDataParallel(model, device_ids=device_ids)
    return model


def autocast_context(device: torch.device, precision: str, mode: str = "none") -> contextlib.AbstractContextManager:
    """bf16 autocast for mode none/ddp; a null context for fp32 or under FSDP2 (its policy already casts)."""
    _check_choice("train.precision", precision, PRECISIONS)
    if precision == "fp32" or mode == "fsdp":
        return contextlib.nullcontext()
    return torch.autocast(device_type=device.type, dtype=torch.bfloat16)


def fused_adamw_supported(device: torch.device) -> bool:
    """torch's fused AdamW kernel exists for this device type (CUDA, CPU, XPU, ... in torch >= 2.4).

    Asked of AdamW itself (it refuses fused=True on other devices): torch's list of them is private."""
    try:
        torch.optim.AdamW([torch.zeros(1, device=device, requires_grad=True)], fused=True)
    except RuntimeError:
        return False
    return True


def build_optimizer(
    model: nn.Module,
    lr: float,
    weight_decay: float = 0.1,
    betas: tuple[float, float] = (0.9, 0.95),
    eps: float = 1e-8,
) -> torch.optim.AdamW:
    """AdamW; weight decay on matrices only (not norms, biases or class/position tokens); fused kernel where available.

    Call after `parallelize`, so the optimizer holds the (sharded) parameters that train.
    """
    params = [p for p in model.parameters() if p.requires_grad]
    if not params:
        raise UsageError("optimizer: the model has no trainable parameters")
    decay = [p for p in params if p.dim() >= 2 and p.shape[0] > 1]
    no_decay = [p for p in params if not (p.dim() >= 2 and p.shape[0] > 1)]
    groups = [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]
    fused = fused_adamw_supported(params[0].device)
    return torch.optim.AdamW(groups, lr=lr, betas=betas, eps=eps, fused=fused or None)

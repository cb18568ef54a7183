"""The pieces a training or validation step is made of: model inputs, loss, gradient clipping,
the sum across ranks, and evaluation on held-out batches."""

from __future__ import annotations

import torch
import torch.distributed as tdist
import torch.nn.functional as F
from torch.distributed.tensor import DTensor

from aircluster.jobs.run_config import Config
from aircluster.train.batches import Batch, BatchSource, EmptySplit
from aircluster.train.parallel import Dist, autocast_context


def model_inputs(kind: str, batch: Batch) -> tuple[torch.Tensor, ...]:
    if kind == "vit":
        return (batch["images"],)
    if kind == "classify" and "attention_mask" in batch:
        return batch["tokens"], batch["attention_mask"]
    return (batch["tokens"],)


def _flat(kind: str, logits: torch.Tensor, batch: Batch) -> tuple[torch.Tensor, torch.Tensor]:
    target = batch["targets"] if kind == "lm" else batch["labels"]
    return logits.reshape(-1, logits.shape[-1]).float(), target.reshape(-1)


def loss_of(kind: str, logits: torch.Tensor, batch: Batch) -> torch.Tensor:
    """Mean cross-entropy: all a training step needs."""
    return F.cross_entropy(*_flat(kind, logits, batch))


def loss_and_correct(kind: str, logits: torch.Tensor, batch: Batch) -> tuple[torch.Tensor, torch.Tensor, int]:
    """(mean cross-entropy, number of correct predictions, number of predictions), for validation."""
    flat_logits, flat_target = _flat(kind, logits, batch)
    loss = F.cross_entropy(flat_logits, flat_target)
    correct = (flat_logits.argmax(dim=-1) == flat_target).sum()
    return loss, correct, flat_target.numel()


def to_device(batch: Batch, device: torch.device) -> Batch:
    return {k: v.to(device, non_blocking=True) for k, v in batch.items()}


def sum_across_ranks(values: list[float], d: Dist) -> list[float]:
    tensor = torch.tensor(values, dtype=torch.float64, device=d.device)
    if d.distributed:
        tdist.all_reduce(tensor)
    return tensor.tolist()


@torch.no_grad()
def evaluate(
    model: torch.nn.Module, source: BatchSource, n_batches: int, cfg: Config, d: Dist, precision: str, mode: str
) -> dict[str, float] | None:
    """Mean loss and accuracy over n_batches of the held-out split (the same batches every time); None
    when any rank's split is empty. Every rank must then skip: the forwards are collective under FSDP,
    so the ranks agree on it before the first one."""
    start = source.state_dict()
    try:
        first: Batch | None = next(source)
    except EmptySplit:
        first = None
    if sum_across_ranks([float(first is None)], d)[0] > 0:
        source.load_state_dict(start)
        return None
    model.eval()
    loss_sum, correct, count = 0.0, 0.0, 0.0
    for k in range(n_batches):
        batch = to_device(first if k == 0 and first is not None else next(source), d.device)
        with autocast_context(d.device, precision, mode):
            logits = model(*model_inputs(cfg.model.name, batch))
        loss, n_correct, n = loss_and_correct(cfg.model.name, logits, batch)
        loss_sum += loss.item() * n
        correct += n_correct.item()
        count += n
    model.train()
    source.load_state_dict(start)
    loss_sum, correct, count = sum_across_ranks([loss_sum, correct, count], d)
    return {"val_loss": loss_sum / count, "val_acc": correct / count}


def clip_gradients(model: torch.nn.Module, max_norm: float) -> float:
    """Scale the gradients to a total norm of at most `max_norm` (0: never); returns the norm before.

    The norm is read anyway (it is logged), so the scaling pass over every gradient is skipped when
    it would multiply by 1: most steps once training settles, and ~5% of a small model's step on CPU."""
    params = [p for p in model.parameters() if p.grad is not None]
    norm = torch.nn.utils.get_total_norm([p.grad for p in params if p.grad is not None], foreach=True)
    # Under FSDP2 the norm is a DTensor of the shards' partial norms: reduced to read it, and kept as a
    # DTensor to scale DTensor gradients with.
    value = float(norm.full_tensor() if isinstance(norm, DTensor) else norm)
    if max_norm > 0 and value > max_norm:
        torch.nn.utils.clip_grads_with_norm_(params, max_norm, norm, foreach=True)
    return value

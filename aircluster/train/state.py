"""The parts of a training run that a checkpoint holds, each with `state_dict()` / `load_state_dict()`.

The checkpointer stores whatever dict a part's `state_dict()` returns (tensors are resharded by
torch.distributed.checkpoint) and hands the loaded dict back to `load_state_dict()`, so a new kind of
state is one more entry in the trainer's dict of parts, never a new checkpointer signature.
"""

from __future__ import annotations

import json
import pickle
import random
from typing import Any, Protocol, runtime_checkable

import numpy as np
import torch
from torch.distributed.checkpoint.state_dict import (
    get_model_state_dict,
    get_optimizer_state_dict,
    set_model_state_dict,
    set_optimizer_state_dict,
)


@runtime_checkable
class Stateful(Protocol):
    def state_dict(self) -> dict[str, Any]: ...

    # positional-only: torch's own parts (LR schedulers, ...) name the argument state_dict
    def load_state_dict(self, state: dict[str, Any], /) -> None: ...


class ModelState:
    """A (possibly FSDP-sharded) model's weights, by fully qualified parameter name."""

    def __init__(self, model: torch.nn.Module):
        self.model = model

    def state_dict(self) -> dict[str, Any]:
        return get_model_state_dict(self.model)

    def load_state_dict(self, state: dict[str, Any]) -> None:
        set_model_state_dict(self.model, state)


class OptimizerState:
    """The optimizer's moments and hyperparameters, keyed by parameter name so they reshard with the model."""

    def __init__(self, model: torch.nn.Module, optimizer: torch.optim.Optimizer):
        self.model, self.optimizer = model, optimizer

    def state_dict(self) -> dict[str, Any]:
        return get_optimizer_state_dict(self.model, self.optimizer)

    def load_state_dict(self, state: dict[str, Any]) -> None:
        set_optimizer_state_dict(self.model, self.optimizer, state)


class JSONState:
    """A part whose state is plain data (an LR scheduler, a data loader's position), stored as one JSON text.

    torch.distributed.checkpoint loads into a dict of the saved shape, and plain-data state changes shape
    between runs (a loader's per-rank lists on another number of processes); a single string has none.
    """

    def __init__(self, part: Stateful):
        self.part = part

    def state_dict(self) -> dict[str, Any]:
        return {"json": json.dumps(self.part.state_dict())}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.part.load_state_dict(json.loads(state["json"]))


def rng_part_name(rank: int) -> str:
    """The name of a rank's RNGState among the parts: one per rank, so a rank that did not exist at save
    time (a resume on more processes) finds none and is told so by the checkpointer."""
    return f"rng.rank{rank}"


class RNGState:
    """This process's random number generators: torch (CPU and CUDA), Python and NumPy.

    Ranks draw differently (dropout masks, ...), so each rank saves its own, under `rng_part_name(rank)`.
    """

    def state_dict(self) -> dict[str, Any]:
        state: dict[str, Any] = {
            "torch": torch.get_rng_state(),
            "python": random.getstate(),
            "numpy": np.random.get_state(),
        }
        if torch.cuda.is_available():
            state["cuda"] = torch.cuda.get_rng_state_all()
        return {"pickle": pickle.dumps(state)}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        saved = pickle.loads(state["pickle"])  # our own checkpoint file, written by state_dict above
        torch.set_rng_state(saved["torch"])
        random.setstate(saved["python"])
        np.random.set_state(saved["numpy"])
        if "cuda" in saved and torch.cuda.is_available() and len(saved["cuda"]) == torch.cuda.device_count():
            torch.cuda.set_rng_state_all(saved["cuda"])

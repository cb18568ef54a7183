"""Distributed checkpoints (torch.distributed.checkpoint) that are atomic, pruned and resumable.

A checkpoint holds a dict of named parts, each `Stateful` (see state.py): `save(step, parts)` stores
every part's `state_dict()` under its name, `load(parts)` hands each part its saved state back.

Layout under `<run_dir>/checkpoints/`:
    step-000050/        one published checkpoint: DCP files (.metadata, __R_N.distcp) + manifest.json
    .tmp-step-000100/   a save in progress; never read
    latest              the name of the newest published checkpoint
    step-000025.corrupt a checkpoint that failed to load, set aside (kept for inspection)

A save writes into `.tmp-step-N`, then rank 0 adds a manifest (every file and its size), renames the
directory to `step-N` and rewrites `latest`: a crash at any point leaves the previous checkpoint intact.
Loading tries published checkpoints newest first; one whose files do not match its manifest or that
fails to load is set aside with a warning and the next older one is used.

The run directory must be on a file system that every rank sees (a local disk on one node, or a
shared file system across nodes).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
import warnings
from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import torch
import torch.distributed as tdist
from torch.distributed import ProcessGroup
from torch.distributed.checkpoint.filesystem import FileSystemReader
from torch.distributed.checkpoint.state_dict_loader import load as dcp_load
from torch.distributed.checkpoint.state_dict_saver import async_save as dcp_async_save
from torch.distributed.checkpoint.state_dict_saver import save as dcp_save

from aircluster.durable import fsync_dir
from aircluster.errors import IntegrityError, NotFound
from aircluster.train.state import Stateful

log = logging.getLogger("aircluster.train")

MANIFEST = "manifest.json"
LATEST = "latest"
_PREFIX = "step-"
_TMP_PREFIX = ".tmp-"

# Without a process group DCP warns that it assumes a single process (also from its background save
# thread, so a scoped catch_warnings cannot silence it): that is exactly the intent here.
warnings.filterwarnings("ignore", message="torch.distributed is disabled, unavailable or uninitialized")


def step_dir_name(step: int) -> str:
    return f"{_PREFIX}{step:06d}"


@dataclass
class Restored:
    """What a loaded checkpoint tells the loop (every part it held is loaded in place)."""

    step: int
    path: Path
    missing: tuple[str, ...]  # parts the checkpoint holds nothing for, left as they were


@dataclass
class _PendingSave:
    future: Future
    tmp: Path
    final: Path
    step: int


class Checkpointer:
    """Saves and restores the named parts of one run (model, optimizer, scheduler, loader, RNG, ...).

    Every rank calls `save` and `load` with the same part names, in the same order (they are collective,
    and a part's `state_dict()` may be one too), except for parts named after their rank. Only rank 0
    touches the directory structure (publish, `latest`, pruning).
    """

    def __init__(self, root: str | Path, *, keep: int = 3, async_save: bool = False):
        self.root = Path(root)
        self.keep = keep
        self.distributed = tdist.is_available() and tdist.is_initialized()
        self.rank = tdist.get_rank() if self.distributed else 0
        self.world_size = tdist.get_world_size() if self.distributed else 1
        self.async_save = async_save
        # Background saves run collectives while the loop runs its own: they need a group of their own.
        self._async_group: ProcessGroup | None = None
        if async_save and self.distributed:
            self._async_group = cast(ProcessGroup, tdist.new_group(backend="gloo"))
        self._pending: _PendingSave | None = None
        if self.rank == 0:
            self.root.mkdir(parents=True, exist_ok=True)

    # ---- saving -------------------------------------------------------------------------------

    def save(self, step: int, parts: Mapping[str, Stateful]) -> Path:
        """Checkpoint `step`: every part's `state_dict()` under its name. With async_save the write continues
        in the background; it is published when done (see `poll` / `wait`). Returns the directory the
        checkpoint is published as."""
        self.wait()  # one save in flight at a time
        final = self.root / step_dir_name(step)
        tmp = self.root / f"{_TMP_PREFIX}{final.name}"
        if self.rank == 0 and tmp.exists():
            shutil.rmtree(tmp)  # left by a crashed save; other ranks write only after rank 0 plans
        # Parts that are the same on every rank (the loader's global position, ...) are written once:
        # DCP keeps one copy of a key that several ranks save.
        state = {name: part.state_dict() for name, part in parts.items()}
        if self.async_save:
            # A Future (DCP answers otherwise only when asked for a staging response).
            future = cast(
                Future,
                dcp_async_save(state, checkpoint_id=tmp, process_group=self._async_group, no_dist=not self.distributed),
            )
            self._pending = _PendingSave(future, tmp, final, step)
        else:
            dcp_save(state, checkpoint_id=tmp, no_dist=not self.distributed)
            if self.rank == 0:
                self._publish(tmp, final, step)
            self._barrier()
        return final

    def poll(self) -> None:
        """Publish a finished background save, if any. Cheap; call once per step."""
        if self._pending is not None and self._pending.future.done():
            self.wait()

    def wait(self) -> None:
        """Block until a background save is written and published."""
        pending, self._pending = self._pending, None
        if pending is None:
            return
        pending.future.result()
        # Rank 0's future completes after every rank's files are written (DCP gathers them before
        # writing .metadata), so rank 0 can publish without waiting for the others.
        if self.rank == 0:
            self._publish(pending.tmp, pending.final, pending.step)

    def close(self) -> None:
        self.wait()
        if self._async_group is not None:
            tdist.destroy_process_group(self._async_group)
            self._async_group = None

    def _publish(self, tmp: Path, final: Path, step: int) -> None:
        files = {p.name: p.stat().st_size for p in sorted(tmp.iterdir()) if p.is_file()}
        manifest = {"step": step, "world_size": self.world_size, "created": time.time(), "files": files}
        _write_atomic(tmp / MANIFEST, json.dumps(manifest, indent=1))
        fsync_dir(tmp)
        trash = None
        if final.exists():  # the same step saved again: swap it out, then delete
            trash = final.with_name(f"{_TMP_PREFIX}old-{final.name}")
            shutil.rmtree(trash, ignore_errors=True)
            final.rename(trash)
        tmp.rename(final)
        fsync_dir(self.root)
        _write_atomic(self.root / LATEST, final.name + "\n")
        if trash is not None:
            shutil.rmtree(trash, ignore_errors=True)
        self._prune()
        log.info("checkpoint saved: %s", final)

    def _prune(self) -> None:
        for old in self.published()[self.keep :]:
            shutil.rmtree(old, ignore_errors=True)

    # ---- loading ------------------------------------------------------------------------------

    def published(self) -> list[Path]:
        """Published checkpoint directories, newest first."""
        if not self.root.is_dir():
            return []
        dirs = [p for p in self.root.iterdir() if p.is_dir() and _step_of(p.name) is not None]
        return sorted(dirs, key=lambda p: _step_of(p.name) or 0, reverse=True)

    def latest_step(self) -> int | None:
        """The step of the newest published checkpoint (not checked for integrity)."""
        dirs = self.published()
        return _step_of(dirs[0].name) if dirs else None

    def load(self, parts: Mapping[str, Stateful]) -> Restored | None:
        """Restore the newest good checkpoint into `parts` (each part's `load_state_dict()` gets its state).

        A part the checkpoint holds nothing for (this rank's RNG on more processes than at save time, a part
        added since) is left as it is and named in `Restored.missing`. Returns None when there is no
        checkpoint; raises IntegrityError when none of them loads.
        """
        candidates = self._broadcast(self._valid_candidates() if self.rank == 0 else None)
        if not candidates and not any(self.root.glob(f"{_PREFIX}*.corrupt")):
            return None  # a fresh run
        for path, keys in candidates:
            present = {name: part for name, part in parts.items() if _holds(keys, name)}
            state = {name: part.state_dict() for name, part in present.items()}  # the shapes DCP loads into
            try:
                dcp_load(state, checkpoint_id=path, no_dist=not self.distributed)
            except Exception as err:  # noqa: BLE001 - any DCP failure (it raises the same on every rank) means unusable
                self._set_aside(path, f"failed to load: {_one_line(err)}")
                continue
            for name, part in present.items():
                part.load_state_dict(state[name])
            step = _step_of(path.name) or 0
            log.info("resumed from %s (step %d)", path, step)
            return Restored(step, path, tuple(name for name in parts if name not in present))
        raise IntegrityError(
            f"no checkpoint in {self.root} could be loaded (unusable ones are set aside as *.corrupt); "
            "move the checkpoints directory away to start over"
        )

    def _valid_candidates(self) -> list[tuple[Path, set[str]]]:
        """Rank 0: published checkpoints whose files match their manifest, with their DCP keys."""
        good: list[tuple[Path, set[str]]] = []
        for path in self.published():
            problem = _manifest_problem(path)
            if problem is None:
                try:
                    keys = set(FileSystemReader(path).read_metadata().state_dict_metadata)
                except Exception as err:  # noqa: BLE001 - whatever the reader raises, the metadata is unusable
                    problem = f"unreadable metadata: {_one_line(err)}"
            if problem is not None:
                self._set_aside(path, problem, local=True)
                continue
            good.append((path, keys))
        return good

    def _set_aside(self, path: Path, problem: str, local: bool = False) -> None:
        if self.rank == 0:
            log.warning("checkpoint %s is unusable (%s); setting it aside and trying an older one", path, problem)
            target = path.with_name(path.name + ".corrupt")
            shutil.rmtree(target, ignore_errors=True)
            path.rename(target)
        if not local:
            self._barrier()

    # ---- helpers ------------------------------------------------------------------------------

    def _broadcast(self, value: Any) -> Any:
        if not self.distributed:
            return value
        box = [value]
        tdist.broadcast_object_list(box, src=0)
        return box[0]

    def _barrier(self) -> None:
        if self.distributed:
            tdist.barrier()


def consolidate(checkpoint: str | Path, out_file: str | Path, *, model_only: bool = True) -> Path:
    """Write a checkpoint (any number of shards) as one `torch.save` file usable without aircluster.

    With model_only the file is the model's plain state dict ({fqn: tensor}), loadable with
    `model.load_state_dict(torch.load(out_file))`; otherwise the whole flattened checkpoint.
    """
    path = Path(checkpoint)
    if (path / LATEST).is_file():  # a checkpoints/ directory: take its newest checkpoint
        path = path / (path / LATEST).read_text().strip()
    if not (path / ".metadata").is_file():
        raise NotFound(f"{path} is not a checkpoint directory (no .metadata)")
    from torch.distributed.checkpoint.metadata import TensorStorageMetadata

    metadata = FileSystemReader(path).read_metadata()
    state: dict[str, Any] = {}
    for key, meta in metadata.state_dict_metadata.items():
        if model_only and not key.startswith("model."):
            continue
        if isinstance(meta, TensorStorageMetadata):
            state[key] = torch.empty(meta.size, dtype=meta.properties.dtype)
        elif not model_only:
            state[key] = b""
    dcp_load(state, checkpoint_id=path, no_dist=True)
    if model_only:
        state = {key.removeprefix("model."): value for key, value in state.items()}
    out = Path(out_file)
    tmp = out.with_name(out.name + ".tmp")
    torch.save(state, tmp)
    tmp.replace(out)
    return out


def _manifest_problem(path: Path) -> str | None:
    try:
        manifest = json.loads((path / MANIFEST).read_text())
        files = manifest["files"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        return f"no readable {MANIFEST}: {_one_line(err)}"
    for name, size in files.items():
        try:
            actual = (path / name).stat().st_size
        except OSError:
            return f"{name} is missing"
        if actual != size:
            return f"{name} has {actual} bytes, manifest says {size}"
    return None


def _holds(keys: set[str], part: str) -> bool:
    """The checkpoint's (flattened, dot-joined) keys include some of `part`'s state."""
    prefix = part + "."
    return any(key == part or key.startswith(prefix) for key in keys)


def _step_of(name: str) -> int | None:
    if not name.startswith(_PREFIX) or not name[len(_PREFIX) :].isdigit():
        return None
    return int(name[len(_PREFIX) :])


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    tmp.replace(path)


def _one_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return f"{type(err).__name__}: {text[-1] if text else ''}"


def main(argv: list[str] | None = None) -> int:
    """`python -m aircluster.train.checkpoint CHECKPOINT OUT.pt [--full]`: consolidate to one file."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m aircluster.train.checkpoint", description=consolidate.__doc__)
    parser.add_argument("checkpoint", help="a step-NNNNNN directory, or a checkpoints/ directory (its latest)")
    parser.add_argument("out", help="the .pt file to write")
    parser.add_argument("--full", action="store_true", help="include optimizer, scheduler and loader state")
    args = parser.parse_args(argv)
    out = consolidate(args.checkpoint, args.out, model_only=not args.full)
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

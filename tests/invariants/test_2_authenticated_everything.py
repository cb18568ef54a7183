"""Invariant 2, authenticated everything (DESIGN.md): a swapped, reordered, truncated, extended, edited or replayed
shard, and a manifest with a shard added, removed or edited, or replayed from another version, fail with an
integrity error naming the dataset and the shard; no sample of a bad shard is ever returned.

Each attack edits the files of `posts@2` on disk, as anyone who can write the store could, then reads it back
through `aircluster data verify`, `aircluster data read` and the trainer's loader.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.invariants.conftest import Installation, restore_tree, shard_records
from tests.unit.store.conftest import text_records


@dataclass
class Store:
    inst: Installation
    v2: Path  # posts@2, the version attacked
    v1: Path  # posts@1, an older version of the same dataset
    other: Path  # other@1, another dataset
    pristine: Path
    intact: list[dict[str, Any]]  # what `data read posts@2` prints when nothing is wrong
    counts: list[int]  # records per shard of posts@2


@pytest.fixture(scope="module")
def stored(module_installation: Installation) -> Store:
    inst = module_installation
    for name, seed in (("posts", 1), ("posts", 2), ("other", 3)):
        inst.import_records(name, text_records(200, seed=seed, prefix=name), shard_size="4k")
    for ref in ("posts@1", "posts@2", "other@1"):
        inst.approve(ref)
    v2 = inst.location("posts@2")
    pristine = inst.root / "pristine-posts-2"
    shutil.copytree(v2, pristine)
    store = Store(inst, v2, inst.location("posts@1"), inst.location("other@1"), pristine, inst.read("posts@2"), shard_records(v2))
    assert len(store.counts) >= 5 and len(store.intact) == 200
    return store


@pytest.fixture
def store(stored: Store):
    yield stored
    restore_tree(stored.pristine, stored.v2)


def flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def shard(d: Path, i: int) -> Path:
    return d / f"shard-{i:05d}.air"


def swap(a: Path, b: Path) -> None:
    tmp = a.with_name("swap")
    a.rename(tmp)
    b.rename(a)
    tmp.rename(b)


def edit_manifest(d: Path, fn: Callable[[list[dict[str, Any]]], object]) -> None:
    doc = json.loads((d / "manifest.json").read_text())
    fn(doc["shards"])
    (d / "manifest.json").write_text(json.dumps(doc))


def replace_version_dir(s: Store) -> None:
    shutil.rmtree(s.v2)
    shutil.copytree(s.v1, s.v2)


# Each attack: what it does to the files, the text the error must hold, and the first shard that is bad
# (None when the manifest fails: then nothing at all may be printed).
ATTACKS: list[Any] = [
    pytest.param(lambda s: flip(shard(s.v2, 1), 200), "posts@2 shard 1: segment 0 fails authentication", 1, id="segment-byte"),
    pytest.param(lambda s: flip(shard(s.v2, 1), 60), "posts@2 shard 1: its data key does not unwrap", 1, id="wrapped-dek-byte"),
    pytest.param(
        lambda s: flip(shard(s.v2, 1), 20),
        "posts@2 shard 1: the file belongs to another dataset",
        1,
        id="header-id-byte",
    ),
    pytest.param(lambda s: flip(shard(s.v2, 1), 3), "posts@2 shard 1: not an aircluster shard", 1, id="magic-byte"),
    pytest.param(lambda s: flip(shard(s.v2, 2), shard(s.v2, 2).stat().st_size - 40), "posts@2 shard 2", 2, id="index-byte"),
    pytest.param(lambda s: flip(shard(s.v2, 2), shard(s.v2, 2).stat().st_size - 20), "posts@2 shard 2", 2, id="footer-byte"),
    pytest.param(lambda s: shard(s.v2, 2).write_bytes(shard(s.v2, 2).read_bytes()[:-100]), "posts@2 shard 2", 2, id="truncated"),
    pytest.param(
        lambda s: shard(s.v2, 2).write_bytes(shard(s.v2, 2).read_bytes() + b"\0" * 64),
        "posts@2 shard 2",
        2,
        id="extended",
    ),
    pytest.param(lambda s: swap(shard(s.v2, 0), shard(s.v2, 1)), "posts@2 shard 0", 0, id="two-shards-swapped"),
    pytest.param(lambda s: shard(s.v2, 3).unlink(), "posts@2 shard 3: file shard-00003.air is missing", 3, id="shard-deleted"),
    pytest.param(lambda s: shutil.copy(shard(s.v2, 2), shard(s.v2, 4)), "posts@2 shard 4", 4, id="copied-into-another-slot"),
    pytest.param(lambda s: shutil.copy(shard(s.v1, 1), shard(s.v2, 1)), "posts@2 shard 1", 1, id="replayed-from-older-version"),
    pytest.param(lambda s: shutil.copy(shard(s.other, 0), shard(s.v2, 0)), "posts@2 shard 0", 0, id="copied-from-other-dataset"),
    pytest.param(
        lambda s: edit_manifest(s.v2, lambda sh: sh.pop()),
        "posts@2 manifest: fails authentication",
        None,
        id="manifest-shard-removed",
    ),
    pytest.param(
        lambda s: edit_manifest(s.v2, lambda sh: sh.append(dict(sh[-1], index=len(sh)))),
        "posts@2 manifest: fails authentication",
        None,
        id="manifest-shard-added",
    ),
    pytest.param(
        lambda s: edit_manifest(s.v2, lambda sh: sh[0].update(records=sh[0]["records"] - 1)),
        "posts@2 manifest: fails authentication",
        None,
        id="manifest-count-edited",
    ),
    pytest.param(
        lambda s: edit_manifest(s.v2, lambda sh: sh.reverse()),
        "posts@2 manifest: fails authentication",
        None,
        id="manifest-reordered",
    ),
    pytest.param(
        lambda s: shutil.copy(s.v1 / "manifest.json", s.v2 / "manifest.json"),
        "posts@2 manifest",
        None,
        id="manifest-replayed-from-older-version",
    ),
    pytest.param(replace_version_dir, "posts@2 manifest", None, id="whole-version-rolled-back-to-posts@1"),
    pytest.param(lambda s: (s.v2 / "manifest.json").unlink(), "posts@2 manifest: missing", None, id="manifest-deleted"),
]


@pytest.mark.parametrize("attack, needle, bad_shard", ATTACKS)
def test_tampering_is_detected_named_and_never_returns_a_bad_sample(store: Store, attack, needle: str, bad_shard):
    attack(store)
    inst = store.inst
    verify = inst.fails("data", "verify", "posts@2", code=3)
    assert needle in verify.stderr and verify.stdout == ""
    read = inst.fails("data", "read", "posts@2", code=3, user="bob")
    assert needle in read.stderr
    # Every shard before the bad one is printed whole; not one record of the bad shard or after it.
    good = sum(store.counts[:bad_shard]) if bad_shard is not None else 0
    assert [json.loads(line) for line in read.stdout.splitlines()] == store.intact[:good]


def test_an_extra_file_in_the_version_directory_is_never_read(store: Store):
    """Shards are found through the authenticated manifest, never by listing the directory."""
    shutil.copy(shard(store.v1, 0), store.v2 / f"shard-{len(store.counts):05d}.air")
    assert store.inst.read("posts@2") == store.intact


def test_the_training_loader_stops_at_a_damaged_shard_before_any_step(store: Store):
    for i in range(len(store.counts)):
        flip(shard(store.v2, i), 200)
    run_dir = store.inst.home / "runs" / "damaged"
    proc = store.inst.train(run_dir, 'data.datasets=["posts@2"]', "train.steps=4")
    assert proc.returncode == 3, proc.stderr[-3000:]
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("error: posts@2 shard ") and "fails authentication" in last
    metrics = run_dir / "metrics.jsonl"
    assert not metrics.exists() or '"loss"' not in metrics.read_text()  # no sample ever reached the model

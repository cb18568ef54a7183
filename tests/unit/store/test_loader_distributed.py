"""The streaming loader across real processes: gloo ranks, each with DataLoader workers."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

import pytest
import torch.distributed as dist
import torch.multiprocessing as mp

from aircluster.store import StreamingDataLoader, StreamingDataset
from tests.unit.store.loader_fixtures import files_under, free_port, import_records, setup_home, text_records

SEED = 21
BATCH = 8


def _rank_main(rank: int, world: int, port: int, ref: str, out: str, stop_after: int | None, resume_from: str | None) -> None:
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world)
    try:
        loader = StreamingDataLoader(StreamingDataset(ref, seed=SEED), batch_size=BATCH, num_workers=2)
        if resume_from:
            loader.load_state_dict(json.loads(Path(resume_from).read_text()))
        seen: list[int] = []
        for i, batch in enumerate(loader):
            seen += batch["id"].tolist()
            if stop_after is not None and i + 1 == stop_after:
                break
        state = loader.state_dict()  # collective: every rank calls it at the same point
        Path(out, f"ids-{rank}.json").write_text(json.dumps(seen))
        if rank == 0:
            Path(out, "state.json").write_text(json.dumps(state))
    finally:
        dist.destroy_process_group()


def run_ranks(world: int, ref: str, out: Path, stop_after: int | None = None, resume_from: Path | None = None) -> list[int]:
    out.mkdir()
    mp.spawn(
        _rank_main,
        args=(world, free_port(), ref, str(out), stop_after, str(resume_from) if resume_from else None),
        nprocs=world,
        join=True,
    )
    return [i for r in range(world) for i in json.loads((out / f"ids-{r}.json").read_text())]


@pytest.mark.slow
def test_exactly_once_over_ranks_and_workers_and_after_resuming_with_more_ranks(tmp_path, monkeypatch):
    setup_home(tmp_path, monkeypatch)
    n = 1203  # does not divide by 4 or 6 consumers
    ref = import_records(tmp_path, "posts", text_records(n))

    full = run_ranks(2, ref, tmp_path / "full")
    assert sorted(full) == list(range(n))
    assert json.loads((tmp_path / "full" / "state.json").read_text())["epoch"] == 1

    first = run_ranks(2, ref, tmp_path / "part1", stop_after=5)
    assert len(first) == 2 * 5 * BATCH
    state = json.loads((tmp_path / "part1" / "state.json").read_text())
    assert state["samples_consumed"] == len(first) and state["world"] == {"ranks": 2, "workers": 2}
    rest = run_ranks(3, ref, tmp_path / "part2", resume_from=tmp_path / "part1" / "state.json")
    assert sorted(first + rest) == list(range(n))


@pytest.mark.slow
def test_canaries_never_reach_disk_or_state(tmp_path, monkeypatch):
    home = setup_home(tmp_path, monkeypatch)
    canaries = [f"CANARY-{uuid.uuid4().hex}" for _ in range(400)]
    ref = import_records(tmp_path, "secrets", [{"id": i, "text": f"note {c} end", "secret": c} for i, c in enumerate(canaries)])
    cache = tmp_path / "cache"
    loader = StreamingDataLoader(
        StreamingDataset(ref, seed=1, cache_dir=cache, cache_bytes=64 << 20, prefetch_shards=3), batch_size=16, num_workers=2
    )
    got: list[str] = []
    for i, batch in enumerate(loader):
        got += batch["secret"]
        if i == 10:
            (tmp_path / "state.json").write_text(json.dumps(loader.state_dict()))
    assert sorted(got) == sorted(canaries)  # they were really read, decrypted, through workers
    assert len(files_under(cache)) > 1  # and the cache really was used

    needles = [c.encode() for c in canaries] + [b"CANARY-"]
    scanned = files_under(home, cache, Path(os.environ["TMPDIR"])) + [tmp_path / "state.json"]
    leaks = [str(p) for p in scanned if p.is_file() and any(needle in p.read_bytes() for needle in needles)]
    assert leaks == []
    assert len(scanned) > 10

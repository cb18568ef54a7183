"""The streaming loader in one process: partition, order, state, cache, integrity, gates and audit."""

from __future__ import annotations

import json
import random
import time

import pytest

from aircluster.context import Context, open_context
from aircluster.errors import DatasetShredded, IntegrityError, ReviewRequired, ServerUnavailable, UsageError
from aircluster.installation import principal
from aircluster.privacy.review.decision import decide
from aircluster.store import StreamingDataLoader, StreamingDataset
from aircluster.store.partition import EpochPlan, remaining, split_stream, stream_length
from aircluster.store.reader import VersionReader
from tests.unit.store.loader_fixtures import files_under, import_records, setup_home, text_records


@pytest.fixture
def posts(tmp_path, monkeypatch) -> str:
    setup_home(tmp_path, monkeypatch)
    return import_records(tmp_path, "posts", text_records(1500))


def ids(samples) -> list[int]:
    return [s["id"] for s in samples]


# --- partition -----------------------------------------------------------------------------------


def test_split_covers_stream_once_and_spreads_remainder():
    rng = random.Random(3)
    for _ in range(200):
        cuts = sorted(rng.sample(range(1, 500), 6))
        stream = [(cuts[0], cuts[1]), (cuts[2], cuts[3]), (cuts[4], cuts[5])]
        parts = rng.randint(1, 9)
        spans = split_stream(stream, parts)
        flat = [p for span in spans for a, b in span for p in range(a, b)]
        assert flat == [p for a, b in stream for p in range(a, b)]
        sizes = [stream_length(s) for s in spans]
        assert max(sizes) - min(sizes) <= 1 and sizes == sorted(sizes, reverse=True)


def test_remaining_drops_exactly_the_consumed_prefixes():
    stream = [(0, 40), (70, 100)]
    spans = split_stream(stream, 3)
    left = remaining(stream, 3, [5, 0, 23])
    consumed = {p for span, k in zip(spans, [5, 0, 23]) for p in [q for a, b in span for q in range(a, b)][:k]}
    assert {p for a, b in left for p in range(a, b)} == {p for a, b in stream for p in range(a, b)} - consumed
    with pytest.raises(ValueError):
        remaining(stream, 3, [5, 0, 24])


# --- order -----------------------------------------------------------------------------------------


def test_epoch_delivers_every_sample_once(posts):
    got = ids(StreamingDataset(posts, seed=0))
    assert sorted(got) == list(range(1500))


def test_same_seed_same_order_other_seed_or_epoch_differs(posts):
    first = ids(StreamingDataset(posts, seed=11))
    assert ids(StreamingDataset(posts, seed=11)) == first
    assert ids(StreamingDataset(posts, seed=12)) != first
    ds = StreamingDataset(posts, seed=11)
    epoch0, epoch1 = ids(ds), ids(ds)
    assert epoch0 == first and epoch1 != epoch0 and sorted(epoch1) == sorted(epoch0)
    assert ids(StreamingDataset(posts, shuffle=False)) == list(range(1500))


def test_several_versions_read_as_one_stream(tmp_path, posts):
    other = import_records(tmp_path, "notes", [{"id": 10_000 + r["id"], "text": r["text"]} for r in text_records(300)])
    got = ids(StreamingDataset([posts, other], seed=2))
    assert sorted(got) == list(range(1500)) + list(range(10_000, 10_300))


# --- state -------------------------------------------------------------------------------------------


def test_resume_mid_epoch_with_other_worker_count_is_exactly_once(posts):
    loader = StreamingDataLoader(StreamingDataset(posts, seed=5), batch_size=32, num_workers=2)
    seen: list[int] = []
    for i, batch in enumerate(loader):
        seen += batch["id"].tolist()
        if i == 9:
            state = loader.state_dict()
            break
    assert state["samples_consumed"] == len(seen) == 320
    saved = json.loads(json.dumps(state))  # the state is plain JSON
    resumed = StreamingDataLoader(StreamingDataset(posts, seed=5), batch_size=16, num_workers=1)
    resumed.load_state_dict(saved)
    for batch in resumed:
        seen += batch["id"].tolist()
    assert sorted(seen) == list(range(1500))
    assert resumed.state_dict()["epoch"] == 1 and resumed.state_dict()["samples_consumed"] == 0


def test_state_rejects_another_seed_or_dataset(tmp_path, posts):
    state = StreamingDataset(posts, seed=1).state_dict()
    with pytest.raises(UsageError, match="seed"):
        StreamingDataset(posts, seed=2).load_state_dict(state)
    other = import_records(tmp_path, "notes", text_records(50))
    with pytest.raises(UsageError, match="other dataset versions"):
        StreamingDataset(other, seed=1).load_state_dict(state)
    with pytest.raises(UsageError, match="malformed"):
        StreamingDataset(posts, seed=1).load_state_dict({**state, "consumed": [10**9]})


# --- cache -------------------------------------------------------------------------------------------


def test_cache_stays_under_bound_and_second_epoch_reuses_shards(tmp_path, posts):
    with open_context() as ctx:
        version = ctx.catalog.resolve(posts)
    bound = int(version.bytes_stored * 0.5)
    ds = StreamingDataset(posts, seed=4, cache_dir=tmp_path / "cache", cache_bytes=bound, prefetch_shards=2)
    for epoch in range(2):
        got = []
        for sample in ds:
            got.append(sample["id"])
            assert ds._resources.cache.used_bytes() <= bound
        assert sorted(got) == list(range(1500))
        cache = ds._resources.cache
        if epoch == 0:
            assert (cache.misses, cache.hits) == (version.shards, 0)
            first_misses = cache.misses
        else:
            second = cache.misses - first_misses
            assert second < version.shards and cache.hits == version.shards - second > 0
    assert 0 < cache.used_bytes() <= bound


# --- integrity and gates ---------------------------------------------------------------------------------


def _shard_of_each_id(ref: str) -> dict[int, int]:
    with open_context() as ctx:
        reader = VersionReader(ctx, ctx.catalog.resolve(ref))
        return {r["id"]: i for i in range(reader.num_shards) for r in reader.open_shard(i)}


@pytest.mark.parametrize("bad_shard", [0, 5])
def test_corrupt_shard_raises_before_any_of_its_samples(tmp_path, posts, bad_shard):
    shard_of = _shard_of_each_id(posts)
    with open_context() as ctx:
        version = ctx.catalog.resolve(posts)
    path = f"{version.location}/shard-{bad_shard:05d}.air"
    data = bytearray(open(path, "rb").read())
    data[len(data) // 2] ^= 0x01
    open(path, "wb").write(bytes(data))

    yielded = []
    with pytest.raises(IntegrityError) as err:
        for sample in StreamingDataset(posts, seed=9, cache_dir=tmp_path / "cache", cache_bytes=1 << 20):
            yielded.append(sample["id"])
    assert f"{posts} shard {bad_shard}" in str(err.value) and err.value.shard == bad_shard
    assert not [i for i in yielded if shard_of[i] == bad_shard]
    cached = {p.name for p in files_under(tmp_path / "cache")}
    assert f"{version.id}_{bad_shard}.air" not in cached  # a copy that failed is not kept as if it were good
    with pytest.raises(IntegrityError, match=f"shard {bad_shard}"):
        for _batch in StreamingDataLoader(StreamingDataset(posts, seed=9), batch_size=8, num_workers=2):
            pass


def test_refuses_shredded_and_unreviewed_versions(tmp_path, posts):
    pending = import_records(tmp_path, "pending", text_records(20), approve=False)
    with pytest.raises(ReviewRequired):
        StreamingDataset(pending)
    ds = StreamingDataset(posts)  # built, then the version expires before it is read
    with open_context() as ctx:
        ctx.shred(ctx.catalog.resolve(posts), "test expiry")
    with pytest.raises(DatasetShredded):
        next(iter(ds))
    with pytest.raises(DatasetShredded):
        StreamingDataset(posts)


def in_process_keys() -> Context:
    return open_context(housekeeping=False)


@pytest.mark.parametrize("keys", [None, in_process_keys], ids=["server", "in-process"])
def test_shredding_mid_epoch_stops_the_loader_at_the_next_shard(posts, keys):
    # Through the server each key request is checked (with keys_ahead=1, one per shard; more ahead in
    # test_loader_keys_ahead.py); in-process, the loader asks the catalog per shard whatever keys_ahead is.
    ds = StreamingDataset(posts, seed=3, prefetch_shards=2, keys=keys, keys_ahead=1 if keys is None else 32)
    first_shard = ds._shard_records[int(EpochPlan(ds._shard_records, 3, 0, True).order[0])]
    it = iter(ds)
    got = [next(it) for _ in range(5)]  # the first shard is open; the next ones are already prefetched
    with open_context() as ctx:
        ctx.shred(ctx.catalog.resolve(posts), "steward withdrew the data mid-epoch")
    with pytest.raises(DatasetShredded, match="was shredded"):
        for sample in it:
            got.append(sample)
    assert 5 <= len(got) <= first_shard < 1500  # the open shard at most, never a shard opened after the shred


def _job_for(refs: list[str], run_dir) -> tuple[str, str]:
    """A job registered through the server, as `aircluster train` does: its id and its token."""
    from aircluster.client.jobs import RemoteJobs
    from aircluster.jobs.run_config import load_config, to_dict

    with RemoteJobs.connect() as jobs:
        job, token = jobs.register(
            config=to_dict(load_config(None)), backend="local", nodes=1, procs_per_node=1, datasets=refs, run_dir=str(run_dir)
        )
    return job.id, token


def test_a_job_reads_only_the_versions_pinned_to_it(posts, monkeypatch, tmp_path):
    from aircluster.errors import PermissionDenied

    other = import_records(tmp_path, "other", text_records(40))
    job_id, token = _job_for([other], tmp_path / "run")
    monkeypatch.setenv("AIRCLUSTER_JOB_TOKEN", token)
    with pytest.raises(PermissionDenied, match=f"job {job_id} may not read {posts}"):
        StreamingDataset(posts, seed=0)
    monkeypatch.setenv("AIRCLUSTER_JOB_TOKEN", "not-a-token")
    with pytest.raises(PermissionDenied):
        StreamingDataset(other, seed=0)


def test_reading_releases_keys_in_the_audit_log(posts, monkeypatch, tmp_path):
    job_id, token = _job_for([posts], tmp_path / "run")
    monkeypatch.setenv("AIRCLUSTER_JOB_TOKEN", token)
    loader = StreamingDataLoader(StreamingDataset(posts, seed=0), batch_size=50, num_workers=2)
    assert sum(len(b["id"]) for b in loader) == 1500
    with open_context() as ctx:
        version = ctx.catalog.resolve(posts)
        entries = [json.loads(line) for line in open(ctx.paths.audit_log)]
    releases = [e for e in entries if e["action"] == "keys.release" and e.get("purpose") == "train"]
    assert len(releases) == 2 and {e["worker"] for e in releases} == {0, 1}
    for e in releases:
        assert (e["principal"], e["job_id"], e["dataset"], e["version"], e["version_id"], e["via"]) == (
            principal(),  # the account the kernel named, with the job its token named
            job_id,
            "posts",
            version.number,
            version.id,
            "unix",
        )
    # each worker releases the keys of the shards in its span; a shard may straddle both spans
    assert version.shards <= sum(e["shards"] for e in releases) <= version.shards + 1


def test_a_keys_factory_replaces_the_server_in_every_process(posts, monkeypatch, tmp_path):
    monkeypatch.setenv("AIRCLUSTER_SERVER", str(tmp_path / "no-server.sock"))  # no server reachable, none started
    with pytest.raises(ServerUnavailable):
        StreamingDataset(posts)
    assert sorted(ids(StreamingDataset(posts, seed=1, keys=in_process_keys))) == list(range(1500))
    loader = StreamingDataLoader(StreamingDataset(posts, seed=1, keys=in_process_keys), batch_size=50, num_workers=2)
    assert sorted(i for batch in loader for i in batch["id"].tolist()) == list(range(1500))


def test_no_cache_files_without_a_cache(tmp_path, posts):
    assert sorted(ids(StreamingDataset(posts, seed=3))) == list(range(1500))
    assert files_under(tmp_path / "cache") == []


def test_a_version_past_its_retention_is_unreadable_before_any_housekeeping(tmp_path, monkeypatch):
    # Nothing may read a version past its retention: the server shreds it when asked about it, before the
    # next housekeeping; the library's own reader refuses it too.
    from aircluster.store.ingest import ImportOptions, import_dataset

    setup_home(tmp_path, monkeypatch)
    source = tmp_path / "short.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in text_records(20)))
    with open_context(housekeeping=False) as ctx:
        result = import_dataset(ctx, "short", [str(source)], ImportOptions(retention_days=0.5 / 86400))
        decide(ctx, ctx.catalog.version_by_id(result.version_id), "approved", "short-lived test data", principal="steward")
    time.sleep(0.6)
    with open_context(housekeeping=False) as ctx:
        with pytest.raises(DatasetShredded, match="retention period ended"):
            VersionReader(ctx, ctx.catalog.resolve("short@1"))
    with pytest.raises(DatasetShredded, match="retention period ended"):
        StreamingDataset("short@1", seed=0)
    with open_context(housekeeping=False) as ctx:
        assert ctx.catalog.resolve("short@1").shredded_at is not None  # and its key is gone


def test_a_version_two_readers_find_due_is_shredded_and_logged_once(tmp_path, monkeypatch):
    # A request and the housekeeping tick may both read a version before either shreds it: the second shred sees the
    # first one's under the catalog's lock and does nothing (no second audit entry, no second key destruction).
    setup_home(tmp_path, monkeypatch)
    ref = import_records(tmp_path, "short", text_records(10))
    with open_context(housekeeping=False) as first, open_context(housekeeping=False) as second:
        seen_by_first, seen_by_second = first.catalog.resolve(ref), second.catalog.resolve(ref)
        assert first.shred(seen_by_first, "retention period ended") is True
        assert second.shred(seen_by_second, "retention period ended") is False
        entries = [json.loads(line) for line in open(first.paths.audit_log)]
    assert [e["version_id"] for e in entries if e["action"] == "data.shred"] == [seen_by_first.id]

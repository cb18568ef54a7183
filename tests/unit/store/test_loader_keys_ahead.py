"""The loader asks the server for data keys ahead, `keys_ahead` shards per request, through a real server.

Requests are counted by a client that notes each `keys.unwrap` before sending it to the server (which answers
it as always). What must hold: about N/K requests for N shards, the same samples in the same order whatever K,
a shred mid-epoch stopping the reader within K shards, and a key obtained ahead used only for a shard whose
own header holds the wrapped key it was asked with.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from aircluster.client.connection import Client, connect
from aircluster.client.remote import ServerKeys
from aircluster.context import open_context
from aircluster.errors import DatasetShredded, IntegrityError, UsageError
from aircluster.store import StreamingDataset
from aircluster.store.format import HEADER, WRAPPED_DEK_BYTES
from aircluster.store.partition import EpochPlan
from tests.unit.store.loader_fixtures import import_records, setup_home, text_records

RECORDS = 1200
UNWRAPS: list[int] = []  # keys in each keys.unwrap request sent, in order
WRAPPED_KEY_AT = HEADER.size - WRAPPED_DEK_BYTES  # the wrapped data key is the header's last field


class CountingClient(Client):
    """A real connection to the server that notes the size of each key request it sends."""

    def call(self, op: str, **args: Any) -> Any:
        if op == "keys.unwrap":
            UNWRAPS.append(len(args["items"]))
        return super().call(op, **args)


def counted_keys() -> ServerKeys:
    connect().close()  # starts the personal server, as ServerKeys.connect does
    return ServerKeys(CountingClient())


@pytest.fixture
def many(tmp_path, monkeypatch) -> str:
    """A version of about 50 small shards."""
    setup_home(tmp_path, monkeypatch)
    UNWRAPS.clear()
    return import_records(tmp_path, "many", text_records(RECORDS), shard_bytes=2 << 10, segment_bytes=1 << 10)


def ids(samples) -> list[int]:
    return [s["id"] for s in samples]


def shard_order(ds: StreamingDataset, seed: int) -> list[int]:
    return [int(s) for s in EpochPlan(ds._shard_records, seed, 0, True).order]


def shard_path(ref: str, index: int) -> Path:
    with open_context(housekeeping=False) as ctx:
        return Path(ctx.catalog.resolve(ref).location) / f"shard-{index:05d}.air"


def flip_wrapped_key(ref: str, index: int) -> None:
    path = shard_path(ref, index)
    data = bytearray(path.read_bytes())
    data[WRAPPED_KEY_AT + 20] ^= 0x01
    path.write_bytes(bytes(data))


def test_keys_come_in_one_request_per_keys_ahead_shards_and_change_nothing_else(many):
    n = len(StreamingDataset(many, keys=counted_keys)._shard_records)
    assert n >= 40, "the test needs many shards"
    orders = {}
    for k in (1, 8, 32):
        UNWRAPS.clear()
        orders[k] = ids(StreamingDataset(many, seed=5, keys=counted_keys, keys_ahead=k))
        assert len(UNWRAPS) == math.ceil(n / k), (k, UNWRAPS)
        assert sum(UNWRAPS) == n and max(UNWRAPS) == min(k, n)  # every key once, none asked for twice
    assert orders[8] == orders[32] == orders[1] and sorted(orders[1]) == list(range(RECORDS))

    # Two ranks: each consumer asks for the keys of its own shards, K at a time.
    UNWRAPS.clear()
    got = []
    for rank in (0, 1):
        got += ids(StreamingDataset(many, seed=5, rank=rank, world_size=2, keys=counted_keys, keys_ahead=8))
    assert sorted(got) == list(range(RECORDS))
    assert len(UNWRAPS) <= 2 * math.ceil((n + 1) / 2 / 8) and sum(UNWRAPS) <= n + 1  # a shard may straddle both spans


def test_the_default_asks_for_32_keys_a_request(many):
    assert sorted(ids(StreamingDataset(many, seed=2, keys=counted_keys))) == list(range(RECORDS))
    assert UNWRAPS[0] == 32 and len(UNWRAPS) == math.ceil(sum(UNWRAPS) / 32)


@pytest.mark.parametrize("k", [1, 4])
def test_a_shred_mid_epoch_stops_the_reader_within_keys_ahead_shards(many, k):
    ds = StreamingDataset(many, seed=3, keys=counted_keys, keys_ahead=k)
    order = shard_order(ds, 3)
    it = iter(ds)
    got = [next(it)]  # the first shard is open; the keys of the next k - 1 are held
    with open_context() as ctx:
        ctx.shred(ctx.catalog.resolve(many), "steward withdrew the data mid-epoch")
    with pytest.raises(DatasetShredded, match="was shredded"):
        got.extend(it)
    # exactly the shards whose keys were released before the shred, never one more
    assert len(got) == sum(ds._shard_records[s] for s in order[:k])
    assert UNWRAPS == [k, k]  # the keys of order[:k], then the request for the next k, refused


def test_a_key_obtained_ahead_opens_only_the_shard_whose_header_it_came_from(many):
    ds = StreamingDataset(many, seed=4, prefetch_shards=0, keys=counted_keys, keys_ahead=8)
    order = shard_order(ds, 4)
    it = iter(ds)
    got = [next(it)]  # the keys of order[0:8] are held now
    assert UNWRAPS == [8]
    flip_wrapped_key(many, order[2])  # its segments still authenticate under the key held for it
    with pytest.raises(IntegrityError, match=f"shard {order[2]}: its data key does not unwrap"):
        got.extend(it)
    assert len(got) == sum(ds._shard_records[s] for s in order[:2])
    assert UNWRAPS == [8, 1]  # asked alone with its own header's key, which the server refused


def test_shards_swapped_after_their_keys_were_obtained_still_fail(many):
    ds = StreamingDataset(many, seed=4, prefetch_shards=0, keys=counted_keys, keys_ahead=8)
    order = shard_order(ds, 4)
    it = iter(ds)
    next(it)
    a, b = shard_path(many, order[1]), shard_path(many, order[2])
    data_a, data_b = a.read_bytes(), b.read_bytes()
    a.write_bytes(data_b)
    b.write_bytes(data_a)
    with pytest.raises(IntegrityError, match=f"shard {order[1]}: .*(swapped|replaced)"):
        list(it)


def test_a_damaged_key_ahead_is_reported_at_its_own_shard(many):
    ds = StreamingDataset(many, seed=6, keys=counted_keys, keys_ahead=8)
    order = shard_order(ds, 6)
    flip_wrapped_key(many, order[3])  # before anything is read: the first batch holds a key that does not unwrap
    got = []
    with pytest.raises(IntegrityError, match=f"shard {order[3]}: its data key does not unwrap"):
        for sample in ds:
            got.append(sample)
    assert len(got) == sum(ds._shard_records[s] for s in order[:3])  # the shards before it are read
    assert UNWRAPS == [8, 1, 1, 1, 1]  # the refused batch, then each shard of it alone up to the damaged one


@pytest.mark.parametrize("k", [0, -1, 4097])
def test_keys_ahead_out_of_range_is_refused(many, k):
    with pytest.raises(UsageError, match=f"keys_ahead must be between 1 and 4096, not {k}"):
        StreamingDataset(many, keys_ahead=k)


def test_headers_come_from_the_cache_when_the_shards_are_cached(many, tmp_path):
    n = len(StreamingDataset(many, keys=counted_keys)._shard_records)
    cached = dict(cache_dir=tmp_path / "cache", cache_bytes=64 << 20, keys=counted_keys, keys_ahead=8)
    first = ids(StreamingDataset(many, seed=7, **cached))
    for index in range(n):  # the store is gone; only the cache holds the shards (and their headers)
        shard_path(many, index).unlink()
    UNWRAPS.clear()
    assert ids(StreamingDataset(many, seed=7, **cached)) == first
    assert UNWRAPS == [8] * (n // 8) + ([n % 8] if n % 8 else [])


def test_an_in_order_read_and_verify_ask_for_32_keys_a_request(many):
    """`data read` and `data verify` through the server (VersionReader in shard order) ask ahead too."""
    from aircluster.store.reader import KEYS_AHEAD, VersionReader, verify_version

    keys = counted_keys()
    version = keys.catalog.resolve(many)
    n = version.shards
    assert sorted(r["id"] for r in VersionReader(keys, version, purpose="read")) == list(range(RECORDS))
    assert UNWRAPS == [min(KEYS_AHEAD, n - start) for start in range(0, n, KEYS_AHEAD)]
    UNWRAPS.clear()
    assert verify_version(keys, version)["records"] == RECORDS
    assert len(UNWRAPS) == math.ceil(n / KEYS_AHEAD) and sum(UNWRAPS) == n


def test_an_in_order_read_stops_within_32_shards_of_a_shred(many):
    from aircluster.store.reader import KEYS_AHEAD, VersionReader

    keys = counted_keys()
    version = keys.catalog.resolve(many)
    reader = VersionReader(keys, version, purpose="read")
    it = iter(reader)
    got = [next(it)]  # shard 0 is open; the keys of shards 1..31 are held
    with open_context() as ctx:
        ctx.shred(ctx.catalog.resolve(many), "steward withdrew the data mid-read")
    with pytest.raises(DatasetShredded, match="was shredded"):
        got.extend(it)
    assert len(got) == sum(reader.shard_records()[:KEYS_AHEAD])

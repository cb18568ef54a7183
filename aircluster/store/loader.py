"""The streaming loader: training processes read dataset versions through `StreamingDataset`.

Each consumer (rank x DataLoader worker) reads its span of the epoch's seeded global order
(`partition`), fetching ciphertext shards through the local cache with the next shards prefetched
in a background thread, releasing their keys through the key service (audited: who, which job,
which version, how many shards) and decrypting each shard whole, in memory, before any of its
samples is yielded. Plaintext never leaves process memory; the resumable state is positions only.

Memory per consumer: at most `prefetch_shards` ciphertext shards in flight plus the open shard
(decrypted in place of its ciphertext, its records decoded, and one decompressed segment at a time
when compressed), so about `(prefetch_shards + 2) x shard size`; the job holds `workers x` that plus
DataLoader's batches in transit (`prefetch_factor x workers` batches) and a constant.

Data keys are asked for ahead, `keys_ahead` shards in one request: when a consumer reaches a shard whose
key it does not hold, it reads the wrapped keys of that shard and of the next `keys_ahead - 1` shards in its
order from their headers (about 100 bytes each, from the local file or the cache, not the whole shard) and
has the server unwrap them together. Each key is held only until its shard is opened and used only if that
shard's own header holds the same wrapped key. The server checks the version (not shredded, still approved,
still granted, the job still alive) at every request, so a version shredded or withdrawn mid-epoch stops a
consumer within `keys_ahead` shards (with `keys_ahead=1`, at its next shard); the in-process key service holds
the keys already and instead asks the catalog before every shard.

Exactly-once with DataLoader workers needs the main process to know how many samples each worker
has handed out: use `StreamingDataLoader` (a `DataLoader`) and its `state_dict()`. With a plain
`DataLoader` the partition is the same, but progress stays in the workers, so only whole epochs
(`set_epoch`) can be resumed.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

import torch.distributed as dist
from torch.utils.data import DataLoader, IterableDataset, default_collate, default_convert, get_worker_info

from aircluster import installation
from aircluster.client.protocol import MAX_UNWRAP_BATCH
from aircluster.client.remote import ServerKeys
from aircluster.context import Context
from aircluster.errors import IntegrityError, UsageError
from aircluster.security.release import check_readable
from aircluster.store.cache import ShardCache
from aircluster.store.format import HEADER
from aircluster.store.partition import EpochPlan, drop_prefix, stream_length
from aircluster.store.reader import KEYS_AHEAD, VersionReader, is_local
from aircluster.store.state import LoaderState

DEFAULT_REMOTE_CACHE_BYTES = 16 << 30
DEFAULT_KEYS_AHEAD = KEYS_AHEAD

KeysFactory = Callable[[], ServerKeys | Context]
"""Opens what a process reads through; a top-level function, since it travels into DataLoader workers."""


@dataclass(frozen=True)
class _Source:
    """One dataset version, as planned in the main process (plain data: pickles into workers)."""

    ref: str
    version_id: str
    shard_records: tuple[int, ...]
    first_shard: int  # its shards' global indexes start here
    location: str


class _Resources:
    """What one process opens to read: its own context (never shared across fork), readers, cache."""

    def __init__(self, cache_dir: Path | None, cache_bytes: int, keys: KeysFactory):
        self.pid = os.getpid()
        self.ctx = keys()  # each process its own connection: never shared across fork
        self.holds_keks = not isinstance(self.ctx, ServerKeys)  # the in-process key service unwraps without asking
        self.cache = ShardCache(cache_dir, cache_bytes) if cache_dir is not None and cache_bytes > 0 else None

    def close(self) -> None:
        self.ctx.close()


class StreamingDataset(IterableDataset):
    """Samples (record dicts, or `transform(record)`) of one or more approved dataset versions.

    `datasets`: refs like "posts@1". `rank`/`world_size`: default to torch.distributed's when it is
    initialised, else a single process. `cache_bytes`: bound of the local ciphertext cache under
    `cache_dir` (default `paths().cache`); None caches only versions stored at a remote URL.
    `keys`: called once in each process to open its key access instead of connecting to the server
    (bench/keys.py measures the server against the in-process key service this way).
    `keys_ahead`: data keys each consumer asks the server for in one request (this shard's and the next ones'
    in its order); also how many shards a consumer may still open after its version is shredded, its approval
    withdrawn or its job ended (1: none after the open one, at one request per shard).
    """

    def __init__(
        self,
        datasets: str | Sequence[str],
        *,
        seed: int = 0,
        shuffle: bool = True,
        rank: int | None = None,
        world_size: int | None = None,
        cache_dir: str | Path | None = None,
        cache_bytes: int | None = None,
        prefetch_shards: int = 2,
        transform: Callable[[dict[str, Any]], Any] | None = None,
        purpose: str = "train",
        allow_unencrypted: bool = False,
        ctx: ServerKeys | None = None,
        keys: KeysFactory | None = None,
        keys_ahead: int = DEFAULT_KEYS_AHEAD,
    ):
        refs = [datasets] if isinstance(datasets, str) else list(datasets)
        if not refs:
            raise UsageError("StreamingDataset needs at least one dataset version")
        if (rank is None) != (world_size is None) or (rank is not None and world_size is not None and not 0 <= rank < world_size):
            raise UsageError(f"rank {rank} and world_size {world_size}: give both, with 0 <= rank < world_size")
        if prefetch_shards < 0:
            raise UsageError(f"prefetch_shards must be >= 0, not {prefetch_shards}")
        if not 1 <= keys_ahead <= MAX_UNWRAP_BATCH:
            raise UsageError(f"keys_ahead must be between 1 and {MAX_UNWRAP_BATCH}, not {keys_ahead}")
        self._keys: KeysFactory = keys or ServerKeys.connect
        self._sources = self._plan(refs, ctx, self._keys, allow_unencrypted)
        shard_records = [n for s in self._sources for n in s.shard_records]
        self._shard_records = shard_records
        self.state = LoaderState(
            seed=seed, shuffle=shuffle, datasets=[s.version_id for s in self._sources], samples=sum(shard_records)
        )
        self._rank, self._world = rank, world_size
        remote = not all(is_local(s.location) for s in self._sources)
        self._cache_bytes = cache_bytes if cache_bytes is not None else (DEFAULT_REMOTE_CACHE_BYTES if remote else 0)
        self._cache_dir = Path(cache_dir) if cache_dir is not None else installation.paths().cache
        self._prefetch = prefetch_shards
        self._keys_ahead = keys_ahead
        self._transform = transform
        self._purpose = purpose
        self._allow_unencrypted = allow_unencrypted
        self._tagged = False  # set by StreamingDataLoader while it iterates: it counts what each worker hands out
        self._resources: _Resources | None = None
        self._global_counts = False  # True after load_state_dict: the counts of every rank are known
        self._dist_shape: tuple[int, int] | None = None
        self._settle_shape()  # built after init_process_group, even plain DataLoader workers know their rank

    @staticmethod
    def _plan(refs: list[str], given: ServerKeys | None, keys: KeysFactory, allow_unencrypted: bool) -> list[_Source]:
        ctx = given or keys()
        try:
            sources = []
            first = 0
            for ref in refs:
                version = ctx.catalog.resolve(ref)
                # Authenticates the manifest; no data key is released here.
                reader = VersionReader(ctx, version, purpose="plan", release=False, allow_unencrypted=allow_unencrypted)
                records = tuple(reader.shard_records())
                sources.append(_Source(version.ref, version.id, records, first, version.location))
                first += len(records)
            return sources
        finally:
            if given is None:
                ctx.close()

    # --- world shape ---------------------------------------------------------------------------

    def _rank_world(self) -> tuple[int, int]:
        if self._world is not None:
            return self._rank, self._world  # type: ignore[return-value]
        if self._dist_shape is not None:
            return self._dist_shape
        return self._ask_dist()

    @staticmethod
    def _ask_dist() -> tuple[int, int]:
        if dist.is_available() and dist.is_initialized():
            return dist.get_rank(), dist.get_world_size()
        return 0, 1

    def _settle_shape(self) -> None:
        # Asked in the trainer's process and carried into the workers, which have no process group.
        self._dist_shape = self._ask_dist() if self._world is None else None

    @property
    def num_samples(self) -> int:
        """Samples per epoch over the whole job (all ranks together)."""
        return self.state.samples

    # --- progress, owned by the process that hands samples to the trainer -----------------------------

    def set_epoch(self, epoch: int) -> None:
        """Start `epoch` from its beginning (for plain DataLoaders, whose progress cannot be tracked)."""
        self.state.epoch = epoch
        self.state.stream = None
        self.state.consumed = [0] * self.state.consumers
        self.state.finished = False

    def _begin(self, workers: int) -> None:
        """Called in the owning process before an iteration: settle the epoch and the world shape."""
        self._settle_shape()
        state = self.state
        if state.finished:
            state.next_epoch()
        ranks = self._rank_world()[1]
        if (state.ranks, state.workers) != (ranks, workers):
            if any(state.consumed) and state.ranks > 1 and not self._global_counts:
                raise UsageError(
                    "the world shape changed mid-epoch: save state_dict() on every rank and load it into the new loaders"
                )
            state.reshape(ranks, workers)
        self._global_counts = False

    def _advance(self, worker: int, count: int) -> None:
        rank = self._rank_world()[0]
        self.state.consumed[rank * self.state.workers + worker] += count

    def _finish(self) -> None:
        state = self.state
        rank = self._rank_world()[0]
        spans = state.spans()
        for c in range(rank * state.workers, (rank + 1) * state.workers):
            state.consumed[c] = stream_length(spans[c])
        state.finished = True

    def state_dict(self) -> dict[str, Any]:
        """The position, for every rank: a collective call when torch.distributed runs several ranks."""
        state = self.state
        rank, world = self._rank_world()
        if world == 1:
            return state.to_dict()
        if not (dist.is_available() and dist.is_initialized()):
            raise UsageError(
                "state_dict() with several ranks needs torch.distributed initialised (it gathers every rank's counts)"
            )
        mine = {
            "epoch": state.epoch,
            "finished": state.finished,
            "shape": (state.ranks, state.workers),
            "consumed": state.consumed[rank * state.workers : (rank + 1) * state.workers],
        }
        everyone: list[Any] = [None] * world
        dist.all_gather_object(everyone, mine)
        if len({(m["epoch"], tuple(m["shape"])) for m in everyone}) != 1:
            raise UsageError(
                "ranks are in different epochs or world shapes: state_dict() must be called at the same step on every rank"
            )
        merged = LoaderState(
            state.seed,
            state.shuffle,
            list(state.datasets),
            state.samples,
            state.epoch,
            state.stream,
            state.ranks,
            state.workers,
            [n for m in everyone for n in m["consumed"]],
            all(m["finished"] for m in everyone),
        )
        return merged.to_dict()

    def load_state_dict(self, d: dict[str, Any]) -> None:
        state = LoaderState.from_dict(d)
        if state.datasets != self.state.datasets:
            raise UsageError("loader state belongs to other dataset versions than this loader reads")
        if (state.seed, state.shuffle) != (self.state.seed, self.state.shuffle):
            raise UsageError(
                f"loader state has seed {state.seed} (shuffle {state.shuffle}), this loader "
                f"{self.state.seed} (shuffle {self.state.shuffle}): build the loader with the saved seed"
            )
        self.state = state
        self._global_counts = True

    # --- reading (runs in each consumer) ------------------------------------------------------------

    def __iter__(self) -> Iterator[Any]:
        info = get_worker_info()
        owner = info is None and not self._tagged
        if owner:
            self._begin(1)
        worker = info.id if info is not None else 0
        workers = info.num_workers if info is not None else 1
        state = self.state
        rank, ranks = self._rank_world()
        if (state.ranks, state.workers) != (ranks, workers):
            if self._tagged:
                raise UsageError(f"loader was prepared for {state.workers} workers but runs with {workers}")
            state.reshape(ranks, workers)  # a plain DataLoader's worker: its copy of the state, never seen again
        consumer = rank * workers + worker
        span = state.spans()[consumer]
        todo = drop_prefix(span, state.consumed[consumer])
        if owner:
            consumed = state.consumed  # counted inline: this loop runs once per sample
            for sample in self._read(todo, rank, worker):
                consumed[consumer] += 1
                yield sample
            self._finish()
        else:  # a worker: StreamingDataLoader counts its batches (see _TagCollate), a plain DataLoader cannot
            yield from self._read(todo, rank, worker)

    def _open_resources(self) -> _Resources:
        if self._resources is None or self._resources.pid != os.getpid():
            self._resources = _Resources(self._cache_dir, self._cache_bytes, self._keys)
        return self._resources

    def _source_of(self, shard: int) -> tuple[_Source, int]:
        for source in self._sources:
            if shard < source.first_shard + len(source.shard_records):
                return source, shard - source.first_shard
        raise IndexError(shard)

    def _read(self, span: list[tuple[int, int]], rank: int, worker: int) -> Iterator[Any]:
        state = self.state
        plan = EpochPlan(self._shard_records, state.seed, state.epoch, state.shuffle)
        runs = [(shard, list(pieces)) for shard, pieces in groupby(plan.pieces(span), key=lambda p: p.shard)]
        if not runs:
            return
        res = self._open_resources()
        readers = self._readers(res, [shard for shard, _ in runs], rank, worker)
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="aircluster-prefetch") if self._prefetch else None
        pending: deque[Future[bytearray] | None] = deque()
        upcoming = iter(runs)
        transform = self._transform
        order = [shard for shard, _ in runs]
        ahead = 1 if res.holds_keks else self._keys_ahead  # the in-process key service needs no round trip
        primed_until = 0  # order[:primed_until] had their keys asked for

        def schedule() -> None:
            run = next(upcoming, None)
            if run is None:
                return
            if pool is None:
                pending.append(None)
            else:
                pending.append(pool.submit(self._fetch, res, readers, run[0]))

        try:
            for _ in range(self._prefetch + 1):
                schedule()
            for pos, (shard, pieces) in enumerate(runs):
                future = pending.popleft()
                data = future.result() if future is not None else self._fetch(res, readers, shard)
                del future  # it holds the buffer too, which is plaintext once opened
                if ahead > 1 and pos >= primed_until:
                    primed_until = pos + ahead
                    self._prime(res, readers, order[pos:primed_until], data)
                records = self._open(res, readers, shard, data)
                del data
                for piece in pieces:
                    if transform is None:
                        for i in plan.records(piece).tolist():
                            yield records[i]
                    else:
                        for i in plan.records(piece).tolist():
                            yield transform(records[i])
                del records  # the shard's records go before the next one is decrypted
                schedule()  # keeps `prefetch_shards` fetched ahead while a shard is read, one more between shards
        finally:
            if pool is not None:
                for future in pending:
                    if future is not None:
                        future.cancel()
                pool.shutdown(wait=True)

    def _readers(self, res: _Resources, shards: list[int], rank: int, worker: int) -> dict[str, VersionReader]:
        """Open (and audit) a reader for each version this consumer reads now; re-checks expiry and review."""
        readers = {}
        for source in self._sources:
            mine = [s for s in shards if source.first_shard <= s < source.first_shard + len(source.shard_records)]
            if not mine:
                continue
            version = res.ctx.catalog.version_by_id(source.version_id)
            reader = VersionReader(
                res.ctx,
                version,
                purpose=self._purpose,
                allow_unencrypted=self._allow_unencrypted,
                shards=len(set(mine)),
                rank=rank,
                worker=worker,
                epoch=self.state.epoch,
            )
            if tuple(reader.shard_records()) != source.shard_records:
                raise IntegrityError(f"{source.ref} manifest: changed since the loader was built", dataset=source.ref)
            readers[source.version_id] = reader
        return readers

    def _fetch(self, res: _Resources, readers: dict[str, VersionReader], shard: int) -> bytearray:
        source, index = self._source_of(shard)
        reader = readers[source.version_id]
        if res.cache is None:
            return reader.fetch_shard(index)
        return res.cache.get(f"{source.version_id}/{index}", lambda: reader.fetch_shard(index))

    def _prime(self, res: _Resources, readers: dict[str, VersionReader], window: list[int], data: bytearray) -> None:
        """Ask for the data keys of `window` (the shard about to be opened, whose ciphertext is `data`, and the
        next ones in this consumer's order) in one request per version."""
        headers: dict[str, list[tuple[int, bytes | bytearray | None]]] = {}
        for pos, shard in enumerate(window):
            source, index = self._source_of(shard)
            head = data if pos == 0 else self._header(res, readers[source.version_id], source, index)
            headers.setdefault(source.version_id, []).append((index, head))
        for version_id, pairs in headers.items():
            readers[version_id].prime_keys(pairs)

    @staticmethod
    def _header(res: _Resources, reader: VersionReader, source: _Source, index: int) -> bytes | None:
        """A shard's header without fetching the shard: from the cache, else from a local file. A remote shard
        not cached yet is skipped (a request per header would cost what it saves); its key is asked for when it
        is opened."""
        if res.cache is not None:
            cached = res.cache.head(f"{source.version_id}/{index}", HEADER.size)
            if cached is not None:
                return cached
        return reader.read_header(index) if is_local(source.location) else None

    def _open(self, res: _Resources, readers: dict[str, VersionReader], shard: int, data: bytearray) -> list[Any]:
        """The shard's records, all authenticated and decoded before the first one is handed out."""
        source, index = self._source_of(shard)
        if res.holds_keks:
            # Asked again for every shard: a version shredded (or its approval withdrawn) mid-epoch stops
            # yielding at the next shard, not at the next epoch, although this process already holds its key.
            # Through the server, every key request (keys.unwrap, one per `keys_ahead` shards) is checked the
            # same way: asking first would only add a round trip.
            check_readable(res.ctx.catalog.version_by_id(source.version_id))
        try:
            return readers[source.version_id].open_shard(index, data).unpack_all()
        except IntegrityError:
            if res.cache is not None:
                res.cache.discard(f"{source.version_id}/{index}")  # a damaged copy is fetched again next time
            raise

    def __getstate__(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["_resources"] = None  # contexts hold SQLite connections: each process opens its own
        return d


class _TagCollate:
    """Collates the samples of one worker's batch and reports which worker and how many. It runs in
    the worker that read the batch (a DataLoader batch never mixes workers), so samples need no tag."""

    def __init__(self, collate: Callable[[Any], Any], batched: bool):
        self.collate = collate
        self.batched = batched

    def __call__(self, items: Any) -> tuple[int, int, Any]:
        info = get_worker_info()
        return (info.id if info is not None else 0), (len(items) if self.batched else 1), self.collate(items)


class StreamingDataLoader(DataLoader):
    """A DataLoader over a StreamingDataset that counts what it hands out, for exact resumption.

    Each `iter()` continues the current epoch (or starts the next one after a complete pass).
    """

    def __init__(
        self,
        dataset: StreamingDataset,
        batch_size: int | None = 1,
        *,
        num_workers: int = 0,
        collate_fn: Callable[[Any], Any] | None = None,
        **kwargs: Any,
    ):
        if not isinstance(dataset, StreamingDataset):
            raise UsageError("StreamingDataLoader reads a StreamingDataset")
        if kwargs.get("persistent_workers"):
            raise UsageError("StreamingDataLoader needs fresh workers each epoch: persistent_workers=False")
        collate = collate_fn or (default_collate if batch_size is not None else default_convert)
        super().__init__(
            dataset,
            batch_size=batch_size,
            num_workers=num_workers,
            collate_fn=_TagCollate(collate, batch_size is not None),
            **kwargs,
        )

    def __iter__(self) -> Iterator[Any]:
        dataset: StreamingDataset = self.dataset  # type: ignore[assignment]
        dataset._begin(max(1, self.num_workers))
        dataset._tagged = True
        try:
            for worker, count, batch in super().__iter__():
                dataset._advance(worker, count)
                yield batch
        finally:
            dataset._tagged = False
        dataset._finish()

    def state_dict(self) -> dict[str, Any]:
        return self.dataset.state_dict()  # type: ignore[attr-defined]

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.dataset.load_state_dict(state)  # type: ignore[attr-defined]

"""The privacy scan inside the streaming import: detect, apply the policy, count; in parallel.

    pipe = ScanPipeline(policy, pseudonym_key, workers=2, batch_size=512, entities=None)
    for batch in pipe.process(batches):   # batches: Iterator[list[dict]]; yields transformed batches
        ...                               # in input order, dropped records removed
    pipe.stats                            # ReviewStats, complete once process() is exhausted
    pipe.close()                          # stops the workers (also on error; idempotent)

workers <= 1 runs in this process. Otherwise the first `local_pieces` pieces (of `batch_size`
records; bigger input batches are split) are reviewed in this process, so small imports never pay
for starting workers; after that `workers` spawned processes each build one Detector and take whole
pieces, at most 2 x workers in flight, so memory stays bounded whatever the input size. The workers
are started as soon as a first full piece shows the input may be large, and warm up (a Detector
built, every recognizer's patterns compiled) while this process reviews its local pieces: starting
one takes seconds, which were spent idle before. Workers start in `scan_worker.py` (no PyTorch, and
SIGINT ignored: the importing process handles Ctrl-C and closes the pipeline). The pseudonym key goes
to the workers through their start-up arguments (a pipe), never through a file or the environment.
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from aircluster.errors import AirclusterError
from aircluster.privacy.detect.detector import Detector
from aircluster.privacy.review import scan_worker
from aircluster.privacy.review.policy import Policy
from aircluster.privacy.review.report import ReviewStats
from aircluster.privacy.review.transform import apply_policy

DEFAULT_BATCH = 512


class _Scanner:
    """Everything one process needs to review a batch."""

    def __init__(self, policy: Policy, key: bytes, entities: Iterable[str] | None):
        self.detector = Detector(entities)
        self.policy = policy
        self.key = key

    def review(self, batch: list[dict]) -> tuple[list[dict], ReviewStats]:
        stats = ReviewStats()
        out = []
        for record in batch:
            findings = self.detector.scan_record(record)
            new, applied = apply_policy(record, findings, self.policy, self.key)
            stats.add(applied, new is None, record)
            if new is not None:
                out.append(new)
        return out, stats


_worker: _Scanner | None = None


def init_worker(policy: Policy, key: bytes, entities: list[str] | None) -> None:
    """Build this worker process's scanner (called by `scan_worker.start`, which runs first)."""
    global _worker
    _worker = _Scanner(policy, key, entities)


# One text that wakes every recognizer, so their lazily compiled patterns and word lists are ready
# before the first real batch arrives.
_WARM_UP = {
    "text": "Thanks Anna Berg, write to anna@example.org or +44 20 7946 0958 from 12 High Street, "
    "Leeds LS6 2AB; born 1990-07-04; card 4111 1111 1111 1111; IBAN DE89 3704 0044 0532 0130 00; "
    "SSN 536-22-8761; host 203.0.113.42; https://example.com/x; password=Tr0ub4dor&3xyz"
}


def _warm_up() -> bool:
    assert _worker is not None, "worker not initialized"
    _worker.detector.scan_record(_WARM_UP)
    return True


def _review_in_worker(batch: list[dict]) -> tuple[list[dict], ReviewStats]:
    assert _worker is not None, "worker not initialized"
    return _worker.review(batch)


class ScanPipeline:
    def __init__(
        self,
        policy: Policy,
        pseudonym_key: bytes,
        workers: int = 2,
        batch_size: int = DEFAULT_BATCH,
        entities: Iterable[str] | None = None,
        local_pieces: int = 2,
    ):
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.policy = policy
        self.batch_size = batch_size
        self.workers = max(1, workers)
        self.local_pieces = local_pieces
        self.stats = ReviewStats()
        self._key = pseudonym_key
        self._entities = None if entities is None else list(entities)
        self._local = _Scanner(policy, pseudonym_key, self._entities)
        self._pool: ProcessPoolExecutor | None = None
        self._pool_used = False  # a pool started early may end up with no piece to review

    def versions(self) -> dict[str, str]:
        """Detector components and versions, for the report (the workers run the same code)."""
        return self._local.detector.versions()

    def process(self, batches: Iterator[list[dict]]) -> Iterator[list[dict]]:
        pieces = (batch[i : i + self.batch_size] for batch in batches for i in range(0, len(batch), self.batch_size))
        # The first pieces are reviewed here: a small import never pays for starting workers.
        for n, piece in enumerate(pieces):
            if self.workers > 1 and n == 0 and len(piece) == self.batch_size:
                self._start_pool()  # more may follow: start the workers while this process reviews
            if self.workers > 1 and n >= self.local_pieces:
                yield from self._parallel(itertools.chain([piece], pieces))
                return
            out, stats = self._local.review(piece)
            self.stats.merge(stats)
            yield out

    def _start_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn, not fork: the importing process may hold threads and open databases.
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=mp.get_context("spawn"),
                initializer=scan_worker.start,
                initargs=(self.policy, self._key, self._entities),
            )
            for _ in range(self.workers):  # one task each: every worker starts and warms up now
                self._pool.submit(_warm_up)
        return self._pool

    def _parallel(self, pieces: Iterator[list[dict]]) -> Iterator[list[dict]]:
        pool = self._start_pool()
        self._pool_used = True
        in_flight: deque[Future] = deque()
        limit = 2 * self.workers
        for piece in pieces:
            in_flight.append(pool.submit(_review_in_worker, piece))
            if len(in_flight) >= limit:
                yield self._collect(in_flight.popleft())
        while in_flight:
            yield self._collect(in_flight.popleft())

    def _collect(self, future: Future) -> list[dict]:
        try:
            out, stats = future.result()
        except BrokenProcessPool:
            raise AirclusterError(
                "a privacy scan worker process died (out of memory or killed?); "
                "the import was rolled back, run it again or use fewer --scan-workers"
            ) from None
        self.stats.merge(stats)
        return out

    def close(self, abort: bool = False) -> None:
        """Stop the worker processes. With `abort` (the import is being rolled back) their batches are
        thrown away: stop them at once instead of waiting for the batches, or for workers still starting."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if not abort and self._pool_used:
            pool.shutdown(wait=True, cancel_futures=True)
            return
        # Rolled back, or the workers were only warming up: nothing they hold is wanted.
        workers = list((pool._processes or {}).values())  # Python < 3.14 has no public terminate_workers()
        for proc in workers:
            proc.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + 10
        for proc in workers:
            proc.join(timeout=max(0.0, deadline - time.monotonic()))
            # join() can return when the process has closed its pipes but is not reaped yet (a big
            # process takes a while to exit): wait for the exit code too.
            while proc.exitcode is None and time.monotonic() < deadline:
                time.sleep(0.01)

    def __enter__(self) -> ScanPipeline:
        return self

    def __exit__(self, exc_type, *exc) -> None:
        self.close(abort=exc_type is not None)

"""The privacy scan inside the streaming import: detect, apply the policy, count; in parallel.

    pipe = ScanPipeline(policy, pseudonym_key, workers=2, batch_size=512, entities=None,
                        piece_chars=PIECE_CHARS, local_pieces=None)
    for batch in pipe.process(batches):   # batches: Iterator[list[dict]]; yields transformed batches
        ...                               # in input order, dropped records removed
    pipe.stats                            # ReviewStats, complete once process() is exhausted
    pipe.close()                          # stops the workers (also on error; idempotent)

workers <= 1 runs in this process. Otherwise the records are cut into pieces of about `piece_chars` characters
of text (at most `batch_size` records; `pieces.py`), so every piece is about the same work: long documents are
spread over the workers like short posts. The workers are started in the background as soon as a first full
piece shows the input may be large, before this process builds a detector of its own; until they are ready
this process reviews the pieces itself (with `local_pieces=N`: exactly N pieces, then it waits for them), so a
small import never waits for workers and a large one keeps both cores busy while they start: this process
builds its detector (about a second) while the fork server imports and builds its own (about two). Once this
process's fork server is warm (an earlier import started it) new workers fork in milliseconds, and a process
that has no detector yet waits for them instead of building one, even for an import of one piece. From then on
this process only reads, sends, collects and writes; the `workers` processes scan, at most 4 x workers pieces
in flight (memory stays bounded whatever the input size), and send back only the records the policy changed or
dropped. Records go to them without their bytes (an image's bytes are never scanned nor changed: `scan_view.py`),
which this process puts back into the changed records it gets back. A piece this process reviews itself is
reviewed in slices, so the workers take over within a slice of being ready. The report's detector versions come
from this process's detector, or, when it built none, from the workers' (the same code: they answer the warm-up
task with them). `fork_server.start_soon()` may have started the fork server before the import began.

Workers are forked from a fork server (multiprocessing's "forkserver": a fresh process, started once,
that holds no thread, database or key of the importing process), which imported the detector and
built and warmed one Detector for all entity types before its first fork (`scan_preload.py`), then froze it
(`freeze_detector`: no garbage collection there or in a worker walks or copies its word lists). A
worker so starts in milliseconds with a ready detector; each spawned worker used to import Presidio
and spaCy and build its own (about 1.5 s of CPU each, taken from the scan on a small machine), and a
forked worker also ends without the interpreter's slow tear-down. The fork server stays for the
importing process's life (about 150 MB) and serves its later imports. Workers start in
`scan_worker.py` (no PyTorch, and SIGINT ignored: the importing process handles Ctrl-C and closes the
pipeline). The pseudonym key goes to the workers through their start-up arguments (a pipe), never
through a file, the environment or the fork server.
"""

from __future__ import annotations

import gc
import itertools
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import NamedTuple

from aircluster.errors import AirclusterError
from aircluster.privacy.detect.detector import Detector
from aircluster.privacy.review import fork_server, scan_worker
from aircluster.privacy.review.pieces import PIECE_CHARS, pieces, text_size
from aircluster.privacy.review.policy import Policy
from aircluster.privacy.review.report import ReviewStats
from aircluster.privacy.review.scan_view import with_bytes, without_bytes
from aircluster.privacy.review.transform import apply_policy

DEFAULT_BATCH = 512
# Pieces sent ahead to each worker: enough that a worker never waits for its next piece while this process
# collects in input order behind a slower one.
IN_FLIGHT_PER_WORKER = 4
# A piece this process reviews itself is reviewed in this many slices, between which the workers may take over.
LOCAL_SLICES = 4


class _Scanner:
    """Everything one process needs to review a batch."""

    def __init__(self, policy: Policy, key: bytes, entities: Iterable[str] | None, detector: Detector | None = None):
        self.detector = detector if detector is not None else Detector(entities)
        self.policy = policy
        self.key = key

    def review(self, batch: list[dict]) -> tuple[list[dict], ReviewStats]:
        changes, stats = self.changes(batch)
        return with_changes(batch, changes), stats

    def changes(self, batch: list[dict]) -> tuple[list[tuple[int, dict | None]], ReviewStats]:
        """(index, new record or None when dropped) for the records the policy changed, and the counts."""
        stats = ReviewStats()
        changed: list[tuple[int, dict | None]] = []
        for i, record in enumerate(batch):
            findings = self.detector.scan_record(record)
            new, applied = apply_policy(record, findings, self.policy, self.key)
            stats.add(applied, new is None, record)
            if new is not record:
                changed.append((i, new))
        return changed, stats


def with_changes(batch: list[dict], changes: list[tuple[int, dict | None]]) -> list[dict]:
    """`batch` with the changed records replaced and the dropped ones left out (a worker sends back only
    these: most records are unchanged, and the importing process still holds them)."""
    if not changes:
        return batch
    replaced = dict(changes)
    kept = (replaced[i] if i in replaced else record for i, record in enumerate(batch))
    return [r for r in kept if r is not None]


_worker: _Scanner | None = None
_prebuilt: Detector | None = None  # built in the fork server, before it forks workers


def prebuild() -> None:
    """Build and warm a Detector for all entity types (run by `scan_preload` in the fork server). If
    that fails, each worker builds its own and reports the error as a worker would."""
    global _prebuilt
    try:
        detector = Detector()
        detector.scan_record(_WARM_UP)
    except Exception:  # noqa: BLE001 - the worker raises it again, where the import can report it
        return
    _prebuilt = detector
    freeze_detector()


def init_worker(policy: Policy, key: bytes, entities: list[str] | None) -> None:
    """Build this worker process's scanner (called by `scan_worker.start`, which runs first)."""
    global _worker
    _worker = _Scanner(policy, key, entities, _prebuilt if entities is None else None)
    if entities is not None:
        freeze_detector()  # this worker built its own


def freeze_detector() -> None:
    """Leave the detector just built out of every later garbage collection in this process (and in the
    workers forked from it). Its word lists are some 1.4 million entries in long-lived sets: each full
    collection walks them all (0.15-0.25 s, several per import) and, in a forked worker, writes to every
    page they sit on, which copies those pages into the worker (about 30 MB per worker). The detector holds
    no garbage to collect (a collection right after building it finds none). Only for processes that exist
    to scan: the fork server and the workers."""
    gc.freeze()


# One text that wakes every recognizer, so their lazily compiled patterns and word lists are ready
# before the first real batch arrives.
_WARM_UP = {
    "text": "Thanks Anna Berg, write to anna@example.org or +44 20 7946 0958 from 12 High Street, "
    "Leeds LS6 2AB; born 1990-07-04; card 4111 1111 1111 1111; IBAN DE89 3704 0044 0532 0130 00; "
    "SSN 536-22-8761; host 203.0.113.42; https://example.com/x; password=Tr0ub4dor&3xyz"
}


def _warm_up() -> dict[str, str]:
    """Wake every recognizer; answer with the detector's versions (for a report when the importing
    process built no detector of its own)."""
    assert _worker is not None, "worker not initialized"
    _worker.detector.scan_record(_WARM_UP)
    return _worker.detector.versions()


def _review_in_worker(batch: list[dict]) -> tuple[list[tuple[int, dict | None]], ReviewStats]:
    assert _worker is not None, "worker not initialized"
    return _worker.changes(batch)


def _submit(pool: ProcessPoolExecutor, piece: list[dict]) -> _Sent:
    views = [without_bytes(record) for record in piece]
    emptied = frozenset(i for i, (view, record) in enumerate(zip(views, piece)) if view is not record)
    try:
        return _Sent(piece, emptied, pool.submit(_review_in_worker, views))
    except BrokenProcessPool:  # a worker died before this piece could be sent
        raise _died() from None


class _Sent(NamedTuple):
    """A piece sent to the workers: the records as read, which of them went without their bytes, the answer."""

    piece: list[dict]
    emptied: frozenset[int]
    future: Future

    def restored(self, changes: list[tuple[int, dict | None]]) -> list[tuple[int, dict | None]]:
        """The workers' changed records, with the bytes they were sent without put back."""
        if not self.emptied:
            return changes
        return [(i, with_bytes(self.piece[i], new) if new is not None and i in self.emptied else new) for i, new in changes]


def _died() -> AirclusterError:
    return AirclusterError(
        "a privacy scan worker process died (out of memory or killed?); "
        "the import was rolled back, run it again or use fewer --scan-workers"
    )


class ScanPipeline:
    def __init__(
        self,
        policy: Policy,
        pseudonym_key: bytes,
        workers: int = 2,
        batch_size: int = DEFAULT_BATCH,
        entities: Iterable[str] | None = None,
        local_pieces: int | None = None,
        piece_chars: int = PIECE_CHARS,
    ):
        if batch_size < 1 or piece_chars < 1:
            raise ValueError("batch_size and piece_chars must be at least 1")
        self.policy = policy
        self.batch_size = batch_size
        self.piece_chars = piece_chars
        self.workers = max(1, workers)
        self.local_pieces = local_pieces  # None: until the workers are ready
        self.stats = ReviewStats()
        self._key = pseudonym_key
        self._entities = None if entities is None else list(entities)
        self._local: _Scanner | None = None  # built when this process first reviews a piece itself
        self._pool: ProcessPoolExecutor | None = None
        self._starter: threading.Thread | None = None  # starting the pool in the background
        self._start_error: BaseException | None = None
        self._pool_used = False  # a pool started early may end up with no piece to review
        self._warm: list[Future] = []  # one warm-up task a worker: all done when the workers are ready

    def versions(self) -> dict[str, str]:
        """Detector components and versions, for the report (the workers run the same code)."""
        if self._local is None and self._pool_used:
            try:
                return self._warm[0].result()  # queued before every piece, so answered by now
            except Exception:  # noqa: BLE001 - a failed warm-up: ask a detector built here instead
                pass
        return self._scanner().detector.versions()

    def _scanner(self) -> _Scanner:
        """This process's own scanner, built on first use: an import whose pieces all go to warm workers
        never builds one."""
        if self._local is None:
            self._local = _Scanner(self.policy, self._key, self._entities)
        return self._local

    def process(self, batches: Iterator[list[dict]]) -> Iterator[list[dict]]:
        todo = pieces(batches, self.piece_chars, self.batch_size)
        # The first pieces are reviewed here: a small import never pays for starting workers (unless a warm
        # fork server makes them ready sooner than a detector built here).
        for n, piece in enumerate(todo):
            if self.workers > 1 and n == 0 and (fork_server.warm or self._full(piece)):
                self._start_pool_soon()  # more may follow: start the workers before this process builds its detector
            # A piece reviewed here is reviewed in slices, and the workers take the rest of it as soon as they are
            # ready: they would otherwise wait for this process to finish a whole piece (about a fifth of a second).
            step = -(-len(piece) // LOCAL_SLICES) if self.workers > 1 else len(piece)
            for start in range(0, len(piece), step):
                if self.workers > 1 and self._hand_over(n):
                    yield from self._parallel(itertools.chain([piece[start:]], todo))
                    return
                out, stats = self._scanner().review(piece[start : start + step])
                self.stats.merge(stats)
                yield out

    def _full(self, piece: list[dict]) -> bool:
        """Whether `piece` is a full one: more may follow."""
        return len(piece) == self.batch_size or sum(map(text_size, piece)) >= self.piece_chars

    def _hand_over(self, reviewed_here: int) -> bool:
        """Whether the workers take the pieces from now on (this process has reviewed `reviewed_here`)."""
        if self.local_pieces is not None:
            return reviewed_here >= self.local_pieces
        # Until the workers are ready this process scans: starting them (the fork server loads the detector)
        # takes one core for a second or two, and the other would otherwise wait.
        if self._starter is None and self._pool is None:
            return False  # not started: no full piece yet
        if fork_server.warm and self._local is None:
            return True  # workers fork ready from the warm fork server: sooner than building a detector here
        if self._starter is not None and self._starter.is_alive():
            return False
        return self._start_error is not None or all(f.done() for f in self._warm)

    def _start_pool_soon(self) -> None:
        """Start the workers from a short-lived thread: the first fork waits for the fork server to load
        the detector (a second or two), time this process spends reviewing its local pieces instead."""
        if self._pool is None and self._starter is None:
            self._starter = threading.Thread(target=self._start_in_thread, name="scan-workers-start", daemon=True)
            self._starter.start()

    def _start_in_thread(self) -> None:
        try:
            self._start_pool()
        except BaseException as e:  # noqa: BLE001 - raised again in the importing thread (`_started`)
            self._start_error = e

    def _started(self) -> None:
        """Wait for a start begun by `_start_pool_soon`; its error, if any, is raised here."""
        starter, self._starter = self._starter, None
        if starter is not None:
            starter.join()
        error, self._start_error = self._start_error, None
        if error is not None:
            raise error

    def _start_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=fork_server.context(),
                initializer=scan_worker.start,
                initargs=(self.policy, self._key, self._entities),
            )
            # one task each: every worker starts and warms up now
            self._warm = [self._pool.submit(_warm_up) for _ in range(self.workers)]
            fork_server.mark_warm()  # submit() forked the workers: the fork server had finished its preload
        return self._pool

    def _parallel(self, pieces: Iterator[list[dict]]) -> Iterator[list[dict]]:
        self._started()
        pool = self._start_pool()
        self._pool_used = True
        in_flight: deque[_Sent] = deque()
        limit = IN_FLIGHT_PER_WORKER * self.workers
        for piece in pieces:
            in_flight.append(_submit(pool, piece))
            if len(in_flight) >= limit:
                yield self._collect(in_flight.popleft())
        while in_flight:
            yield self._collect(in_flight.popleft())

    def _collect(self, sent: _Sent) -> list[dict]:
        try:
            changes, stats = sent.future.result()
        except BrokenProcessPool:
            raise _died() from None
        except AirclusterError:
            raise
        except Exception as e:  # noqa: BLE001 - any other failure in a worker, said in one line
            # Only its type: the message of an error inside a scan may quote the record.
            raise AirclusterError(
                f"the privacy scan failed in a worker process ({type(e).__name__}); the import was rolled back"
            ) from None
        self.stats.merge(stats)
        return with_changes(sent.piece, sent.restored(changes))

    def close(self, abort: bool = False) -> None:
        """Stop the worker processes. With `abort` (the import is being rolled back) their batches are
        thrown away: stop them at once instead of waiting for the batches, or for workers still starting."""
        try:
            self._started()  # a pool being started in the background is stopped like any other
        except Exception:  # noqa: BLE001 - closing: a failed start left nothing to stop
            pass
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

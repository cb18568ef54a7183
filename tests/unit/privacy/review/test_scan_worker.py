"""A scan worker process starts without PyTorch (a scan runs no model), is not dumpable, and still scans."""

from __future__ import annotations

import multiprocessing as mp
import sys
from concurrent.futures import ProcessPoolExecutor

from aircluster.privacy.review import scan_worker
from aircluster.privacy.review.policy import Policy


def _worker_state() -> tuple[bool, list[str], bool]:
    from aircluster.privacy.detect.detector import Detector
    from aircluster.security.hygiene import is_dumpable

    hits = Detector().scan_text("Thanks Anna Berg, call me on +44 20 7946 0958")
    return sys.modules.get("torch", "absent") is None, sorted({h[0] for h in hits}), is_dumpable()


def test_worker_runs_without_torch_and_scans():
    with ProcessPoolExecutor(
        1, mp_context=mp.get_context("spawn"), initializer=scan_worker.start, initargs=(Policy.load(None), b"k" * 32, None)
    ) as pool:
        torch_blocked, entities, dumpable = pool.submit(_worker_state).result(timeout=300)
    assert torch_blocked
    assert not dumpable  # a worker holds raw records and the pseudonym key: no core dumps
    assert entities == ["PERSON", "PHONE_NUMBER"]


def _prebuilt_state() -> tuple[bool, bool, bool]:
    from aircluster.privacy.review import pipeline
    from aircluster.security.hygiene import is_dumpable

    worker = pipeline._worker
    prebuilt = worker is not None and pipeline._prebuilt is not None and worker.detector is pipeline._prebuilt
    return prebuilt, sys.modules.get("torch", "absent") is None, is_dumpable()


def test_pipeline_workers_fork_from_a_server_that_built_the_detector():
    from aircluster.privacy.review.fork_server import PRELOAD
    from aircluster.privacy.review.pipeline import ScanPipeline

    with ScanPipeline(Policy.load(None), b"k" * 32, workers=2, batch_size=1, local_pieces=0) as pipe:
        out = [r for batch in pipe.process(iter([[{"text": "Thanks Anna Berg"}]] * 4)) for r in batch]
        assert pipe._pool is not None
        uses_prebuilt, torch_blocked, dumpable = pipe._pool.submit(_prebuilt_state).result(timeout=300)
    assert uses_prebuilt  # the worker scans with the detector the fork server built, it built none
    assert torch_blocked
    assert not dumpable  # it holds records and the pseudonym key, as a spawned worker did
    assert len(out) == 4 and all("Anna Berg" not in r["text"] for r in out)  # and the name was found
    # The importing process only names the preload module: it neither builds its Detector nor blocks PyTorch.
    assert PRELOAD not in sys.modules


def _detector_frozen() -> tuple[bool, bool]:
    """(the worker's detector's word lists are out of the collector's reach, a collection still runs)."""
    import gc

    from aircluster.privacy.review import pipeline

    assert pipeline._worker is not None
    lists = pipeline._worker.detector.lexicon.first_names
    tracked = any(o is lists for o in gc.get_objects())
    gc.collect()  # frozen objects are skipped, the rest is still collected
    return gc.get_freeze_count() > 0 and not tracked, gc.isenabled()


def test_forked_workers_leave_the_prebuilt_detector_out_of_garbage_collection():
    from aircluster.privacy.review.pipeline import ScanPipeline

    with ScanPipeline(Policy.load(None), b"k" * 32, workers=2, batch_size=1, local_pieces=0) as pipe:
        list(pipe.process(iter([[{"text": "Thanks Anna Berg"}]] * 2)))
        assert pipe._pool is not None
        frozen, collecting = pipe._pool.submit(_detector_frozen).result(timeout=300)
    assert frozen  # no full collection in a worker walks (and copies) the fork server's word lists
    assert collecting  # the collector itself stays on for what the scan allocates


def test_a_worker_that_builds_its_own_detector_freezes_it():
    # With an entity list the worker cannot use the fork server's detector: it builds (and freezes) its own.
    with ProcessPoolExecutor(
        1, mp_context=mp.get_context("spawn"), initializer=scan_worker.start, initargs=(Policy.load(None), b"k" * 32, ["PERSON"])
    ) as pool:
        frozen, collecting = pool.submit(_detector_frozen).result(timeout=300)
    assert frozen and collecting

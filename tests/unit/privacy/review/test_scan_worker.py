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

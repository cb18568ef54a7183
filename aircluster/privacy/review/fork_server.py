"""The fork server the scan workers are forked from (`pipeline.ScanPipeline`), and starting it ahead of an import.

    context()       # multiprocessing's "forkserver" context, with the scan's preload (`scan_preload.py`)
    start_soon()    # start the fork server in the background now (the server does, on a large upload)
    warm            # True once it has forked a process: its preload is done, new workers fork in milliseconds

Light on purpose (no detector import): a process that only expects an import can start the fork server here,
so that its preload (about two seconds of one core: importing and building the detector) overlaps whatever
comes first, the upload and this process's own import of the review, instead of following them.
"""

from __future__ import annotations

import multiprocessing as mp
import threading
from multiprocessing.context import ForkServerContext

# Loaded by the fork server only (named, never imported here: importing it builds a Detector).
PRELOAD = "aircluster.privacy.review.scan_preload"

# Set once a process was forked from this process's fork server (it forks only after its preload).
warm = False
_starting: threading.Thread | None = None
_lock = threading.Lock()


def context() -> ForkServerContext:
    """A fork server, not fork: the importing process may hold threads, open databases and keys."""
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload([PRELOAD])  # used when the server first starts
    return ctx


def mark_warm() -> None:
    global warm
    warm = True


def start_soon() -> None:
    """Start the fork server from a background thread, unless it is warm or starting already. A failure is
    left for the import to meet (and report) when it starts its workers."""
    global _starting
    with _lock:
        if warm or _starting is not None:
            return
        _starting = threading.Thread(target=_start, name="scan-fork-server-start", daemon=True)
        _starting.start()


def _start() -> None:
    # The first process forked waits for the preload: once it has run, the server is warm.
    try:
        probe = context().Process(target=_nothing, name="scan-fork-server-probe")
        probe.start()
        probe.join()
    except Exception:  # noqa: BLE001 - the import's own start of the workers reports it
        return
    if probe.exitcode == 0:
        mark_warm()


def _nothing() -> None:
    """What the probe process runs."""

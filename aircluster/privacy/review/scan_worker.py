"""Start-up of a privacy scan worker process (spawned by `pipeline.ScanPipeline`).

    ProcessPoolExecutor(..., initializer=scan_worker.start, initargs=(policy, key, entities))

Kept apart from `pipeline.py` and free of heavy imports, so that it runs before the detector is
imported: spaCy (imported by Presidio) imports PyTorch when it finds it, about 2 s and a few hundred MB
in every worker, and a scan worker never runs a model. The worker marks PyTorch as absent first; the
process that spawned it is left as it is.
"""

from __future__ import annotations

import importlib
import signal
import sys
from collections.abc import Sequence
from typing import Any

from aircluster.security.hygiene import no_core_dumps


def start(policy: Any, key: bytes, entities: Sequence[str] | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the importing process handles Ctrl-C
    # None in sys.modules makes "import torch" raise ImportError: spaCy goes on without it
    sys.modules.setdefault("torch", None)  # pyright: ignore[reportArgumentType]
    no_core_dumps()  # it holds raw records and the pseudonym key
    # By name, once PyTorch is blocked (and so no import cycle with the pipeline that starts this worker).
    pipeline = importlib.import_module("aircluster.privacy.review.pipeline")
    pipeline.init_worker(policy, key, entities)

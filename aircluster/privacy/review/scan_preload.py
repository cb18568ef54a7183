"""What the scan workers' fork server loads before its first fork (`pipeline.ScanPipeline`).

    multiprocessing.get_context("forkserver").set_forkserver_preload(["aircluster.privacy.review.scan_preload"])

Importing this module in the fork server blocks PyTorch (as `scan_worker.start` does in a worker: spaCy,
imported by Presidio, would load it, about 2 s and a few hundred MB, and a scan runs no model), imports
the detector and builds and warms one Detector, so every worker forked afterwards starts with it ready.
The fork server never sees a pseudonym key or a record: those go to each worker after its fork.
Importing it anywhere else costs a Detector and blocks PyTorch in that process: only the fork server does.
"""

from __future__ import annotations

import importlib
import sys

# None in sys.modules makes "import torch" raise ImportError: spaCy goes on without it
sys.modules.setdefault("torch", None)  # pyright: ignore[reportArgumentType]
# By name, once PyTorch is blocked (the pipeline imports this module's name, not its contents).
importlib.import_module("aircluster.privacy.review.pipeline").prebuild()

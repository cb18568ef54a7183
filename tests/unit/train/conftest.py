"""Fixtures shared by the trainer tests."""

from __future__ import annotations

import pytest
import torch


@pytest.fixture
def one_thread():
    """One intra-op thread: on the shared 2-core machine, OpenMP threads spinning against other
    processes made a tiny model's step 50x slower; results do not depend on the thread count."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)

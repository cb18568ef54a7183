"""The dataset store: shard format, import, reading, and the streaming loader for training.

The loader's names are imported lazily: they need torch, which commands that only import or read
data should not pay for.
"""

from typing import Any

_LAZY = {
    "StreamingDataset": "aircluster.store.loader",
    "StreamingDataLoader": "aircluster.store.loader",
    "LoaderState": "aircluster.store.state",
    "ShardCache": "aircluster.store.cache",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'aircluster.store' has no attribute {name!r}")

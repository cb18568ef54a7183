"""The server's operations, one module per subject; importing them registers their handlers."""

from __future__ import annotations

import importlib

MODULES = ("server_ops", "versions", "review", "keys", "access", "imports", "jobs")


def load_all() -> None:
    for name in MODULES:
        importlib.import_module(f"aircluster.server.operations.{name}")

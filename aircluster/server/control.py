"""`aircluster server start|stop|status` from the operator's side."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

from aircluster import installation
from aircluster.client import autostart
from aircluster.client.connection import Client
from aircluster.errors import ServerUnavailable, UsageError
from aircluster.jobs.liveness import process_alive
from aircluster.server import config as server_config


def status(home: Path) -> dict[str, Any]:
    paths = installation.Paths(home)
    try:
        with Client(str(paths.socket)) as client:
            return client.call("server.status")
    except ServerUnavailable:
        return {
            "running": False,
            "socket": str(paths.socket),
            "listen": None,
            "state_dir": str(paths.server_dir),
            "home": str(home),
        }


def start(home: Path, *, listen: str | None = None, idle_exit: float | None = None) -> dict[str, Any]:
    paths = installation.Paths(home)
    config = server_config.load(paths)  # a clear error when there is no installation here
    current = status(home)
    if current["running"]:
        return current | {"started": False}
    if os.getuid() not in (0, config.uid):
        raise UsageError(f"the server of {home} runs as {config.account}: only root or {config.account} may start it")
    account = (config.uid, config.gid) if os.getuid() != config.uid else None
    process = autostart.spawn(home, listen=listen, idle_exit=idle_exit, account=account)
    autostart.wait_until_up(paths, process)
    # the TCP port is known once the server wrote its pid file
    deadline = time.monotonic() + 10
    while listen and time.monotonic() < deadline and not status(home).get("listen"):
        time.sleep(0.05)
    return status(home) | {"started": True}


def stop(home: Path, timeout: float = 30.0) -> dict[str, Any]:
    paths = installation.Paths(home)
    try:
        with Client(str(paths.socket)) as client:
            pid = client.call("server.status")["pid"]
            client.call("server.stop")
    except ServerUnavailable:
        pid = _pid_from_file(paths)
        if pid is None:
            return {"running": False, "stopped": False}
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return {"running": False, "stopped": False}
        except PermissionError:
            raise UsageError(f"the server (pid {pid}) belongs to another account: ask its admin") from None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process_alive(pid, None):  # a zombie child of ours counts as gone
            return {"running": False, "stopped": True, "pid": pid}
        time.sleep(0.05)
    raise UsageError(f"the server (pid {pid}) did not stop within {timeout:.0f} s")


def _pid_from_file(paths: installation.Paths) -> int | None:
    try:
        return int(paths.server_pid.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None

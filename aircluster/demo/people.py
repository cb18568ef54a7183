"""Who does what in the demo. Run as root, the demo uses a shared installation: the server runs as its own
account, root imports, and a steward account created for the demo approves, so four-eyes holds for real.
Run as an ordinary user, it is a personal installation: one person, who approves their own import, and
the demo says plainly that four-eyes cannot hold there."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from aircluster import installation
from aircluster.client import autostart
from aircluster.client.connection import connect
from aircluster.errors import AirclusterError, PermissionDenied
from aircluster.server import control
from aircluster.server.config import ServerConfig, system_account
from aircluster.server.state import init_server

STEWARD_ACCOUNT = "aircluster-steward"


@dataclass
class Cast:
    home: Path
    config: ServerConfig
    steward: str | None  # None: a personal installation, one person

    @property
    def personal(self) -> bool:
        return self.steward is None


def assemble(home: Path) -> Cast:
    """The installation (created if new) with its server running, and, when shared, a steward."""
    shared = os.getuid() == 0 and _traversable(home)
    config, _ = init_server(home, personal=not shared)
    control.start(home)
    if config.personal:
        return Cast(home, config, None)
    steward = system_account(STEWARD_ACCOUNT).pw_name
    with connect() as server:
        # root is a steward too, so the refusal the demo shows is four-eyes itself, not a missing role
        for user in (steward, installation.principal()):
            server.call("access.role", action="add", role="steward", user=user)
    return Cast(home, config, steward)


def _traversable(home: Path) -> bool:
    """A shared server runs as its own account, which must reach the home: not under root's 0700 home."""
    for parent in home.absolute().parents:
        if parent.exists() and not os.stat(parent).st_mode & 0o001:
            return False
    return True


def approve(cast: Cast, ref: str, note: str) -> dict[str, Any]:
    """Approve as the steward (a real second account), or as the one person of a personal installation."""
    if cast.steward is None:
        with connect() as server:
            return server.call("review.decide", ref=ref, decision="approved", note=note)
    account = system_account(cast.steward)
    interpreter = autostart.interpreter_for(account.pw_uid, account.pw_gid)
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": "/",
        "AIRCLUSTER_HOME": str(cast.home),
        "PYTHONPATH": os.pathsep.join(autostart.package_path()),
        "XDG_STATE_HOME": "/nonexistent",
    }
    done = subprocess.run(
        ["setpriv", f"--reuid={account.pw_uid}", f"--regid={account.pw_gid}", "--clear-groups", interpreter, "-m"]
        + ["aircluster.cli", "review", "approve", ref, "--note", note, "--json"],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise AirclusterError(f"the steward could not approve {ref}: {done.stderr.strip()}")
    return orjson.loads(done.stdout)


def self_approval_refused(ref: str) -> str | None:
    """The importer tries to approve its own import: the server's refusal, or None if it was allowed."""
    try:
        with connect() as server:
            server.call("review.decide", ref=ref, decision="approved", note="my own import")
    except PermissionDenied as refusal:
        return str(refusal)
    return None

"""Start a personal installation's server on demand, so one command (`aircluster demo`) is enough.

Only for a home whose server runs as this very account (a personal installation): a shared installation's
server is started by its operator (`aircluster server start`, or the systemd unit).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from aircluster import installation
from aircluster.errors import ServerUnavailable

START_TIMEOUT = 60.0
DEFAULT_IDLE_EXIT = 900.0  # an on-demand server leaves after 15 idle minutes


def personal_home(paths: installation.Paths) -> bool:
    try:
        doc = json.loads(paths.server_config.read_text())
    except (OSError, ValueError):
        return False
    return doc.get("mode") == "personal" and doc.get("uid") == os.getuid()


def spawn(
    home: Path, *, listen: str | None = None, idle_exit: float | None = None, account: tuple[int, int] | None = None
) -> subprocess.Popen:
    """Start the server process; `account` (uid, gid): started by root, it runs as that account from its first
    instruction (setpriv), so it never imports a line of code as root."""
    argv = [sys.executable, "-m", "aircluster.server", "--home", str(home)]
    env = None
    if account is not None:
        uid, gid = account
        argv = ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", interpreter_for(uid, gid), *argv[1:]]
        env = os.environ | {"PYTHONPATH": os.pathsep.join(package_path())}
    if listen:
        argv += ["--listen", listen]
    if idle_exit is not None:
        argv += ["--idle-exit", str(idle_exit)]
    return subprocess.Popen(
        argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True, env=env
    )


def interpreter_for(uid: int, gid: int | None = None) -> str:
    """This interpreter if `uid` may run it, else the system's of the same version: a development venv's Python
    may live under root's 0700 home (a deployment installs where the server's account can read)."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    gid = uid if gid is None else gid
    for candidate in (sys.executable, f"/usr/bin/python{version}", f"/usr/local/bin/python{version}"):
        # through env: setpriv itself may still reach the file while it changes ids; the server's own children
        # (scan workers, multiprocessing's helpers) exec it as the account alone
        probe = subprocess.run(
            ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", "/usr/bin/env", candidate, "-c", "import json"],
            capture_output=True,
        )
        if probe.returncode == 0:
            return candidate
    raise ServerUnavailable(f"no Python {version} that the server's account (uid {uid}) may run: install aircluster where it can")


def package_path() -> list[str]:
    """Where this aircluster and its dependencies are, for an interpreter started from elsewhere."""
    import site

    import aircluster

    return [str(Path(aircluster.__file__).resolve().parent.parent), *site.getsitepackages()]


def wait_until_up(paths: installation.Paths, process: subprocess.Popen, timeout: float = START_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _answers(paths.socket):
            return
        if process.poll() is not None:
            if _answers(paths.socket):  # another start won the race
                return
            err = process.stderr.read().decode(errors="replace").strip() if process.stderr else ""
            raise ServerUnavailable(f"the aircluster server for {paths.home} exited at start: {err or 'see its log'}")
        time.sleep(0.05)
    raise ServerUnavailable(f"the aircluster server for {paths.home} did not start within {timeout:.0f} s")


def _answers(path: Path) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        try:
            sock.connect(str(path))
            return True
        except OSError:
            return False


def start_personal_server() -> bool:
    """Start this account's own server in the background and say so; False if this home is not personal."""
    paths = installation.paths()
    if not personal_home(paths):
        return False
    idle = float(os.environ.get("AIRCLUSTER_SERVER_IDLE_EXIT") or DEFAULT_IDLE_EXIT)
    process = spawn(paths.home, idle_exit=idle)
    wait_until_up(paths, process)
    print(
        f"aircluster: started the server for {paths.home} in the background (pid {process.pid}; "
        f"it stops after {idle:.0f} s idle, or with `aircluster server stop`)",
        file=sys.stderr,
    )
    return True

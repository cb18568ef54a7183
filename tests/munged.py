"""A munged of a test's own: its own key, socket, seed and log in a fresh directory, stopped afterwards.

Independent of the emulated Slurm cluster's munged (scripts/slurm-local.sh) and of any system one, so a test
controls the key (a second instance is a host with another key) and leaves nothing running.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def private_munged() -> Iterator[Path]:
    """Yields the socket path. The directory is 0755 so every test account can reach the socket (munged makes it 0777)."""
    missing = [tool for tool in ("munged", "mungekey", "munge", "unmunge") if shutil.which(tool) is None]
    if missing:
        raise RuntimeError(f"{', '.join(missing)} not on PATH: run scripts/install-slurm.sh as root (Debian's munge)")
    top = Path(tempfile.mkdtemp(prefix="aircluster-munged-"))
    top.chmod(0o755)
    socket = top / "munge.socket"
    try:
        subprocess.run(["mungekey", "--create", f"--keyfile={top / 'munge.key'}"], check=True, capture_output=True)
        started = subprocess.run(
            [
                "munged",
                f"--socket={socket}",
                f"--key-file={top / 'munge.key'}",
                f"--pid-file={top / 'munged.pid'}",
                f"--log-file={top / 'munged.log'}",
                f"--seed-file={top / 'munged.seed'}",
                "--force",  # runs as root, which munged otherwise refuses
            ],
            capture_output=True,
            text=True,
        )
        if started.returncode != 0:
            raise RuntimeError(f"munged did not start: {started.stderr.strip()}")
        yield socket
    finally:
        if socket.exists():
            subprocess.run(["munged", "--stop", f"--socket={socket}"], capture_output=True)
        shutil.rmtree(top, ignore_errors=True)

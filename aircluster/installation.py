"""Where things live and who is acting.

`AIRCLUSTER_HOME` (default `~/.aircluster`) holds the server's private state (`server/`: catalog, key
store, audit signing key, reports), the public audit log, the store and the run directories. The master
key is kept apart from the server's state (`master/` by default, or a file the operator names at
`server init`). Everything is derived from the home so that tests and users can point a whole
installation elsewhere with one variable.
"""

from __future__ import annotations

import os
import pwd
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Paths:
    home: Path
    master_file: Path | None = None  # where `server init --master-key` put it; None: the default

    @property
    def server_dir(self) -> Path:
        """The server's private state: only its account may enter."""
        return self.home / "server"

    @property
    def server_config(self) -> Path:
        return self.server_dir / "config.json"

    @property
    def server_log(self) -> Path:
        return self.server_dir / "server.log"

    @property
    def socket(self) -> Path:
        """The server's Unix socket (any account may connect; the kernel tells the server who did)."""
        return self.home / "server.sock"

    @property
    def server_pid(self) -> Path:
        return self.home / "server.pid"

    @property
    def catalog(self) -> Path:
        return self.server_dir / "catalog.db"

    @property
    def keys_dir(self) -> Path:
        return self.server_dir / "keys"

    @property
    def keystore(self) -> Path:
        return self.keys_dir / "keystore.db"

    @property
    def master_key(self) -> Path:
        if self.master_file is not None:
            return self.master_file
        override = os.environ.get("AIRCLUSTER_MASTER_KEY_FILE")
        return Path(override) if override else self.home / "master" / "master.key"

    @property
    def audit_log(self) -> Path:
        return self.home / "audit" / "audit.log"

    @property
    def audit_head(self) -> Path:
        """The audit log's current signed tree head (readable by every user)."""
        return self.home / "audit" / "log.head"

    @property
    def audit_public_key(self) -> Path:
        """The key that checks the audit log's heads (readable by every user)."""
        return self.home / "audit" / "log.pub"

    @property
    def audit_signing_key(self) -> Path:
        """The private key that signs the audit log's heads: the server's alone."""
        return self.keys_dir / "audit-signing.key"

    @property
    def store(self) -> Path:
        return self.home / "store"

    @property
    def staging(self) -> Path:
        """Imports write here first; a version appears in `store` only when complete."""
        return self.home / "store" / ".staging"

    @property
    def runs(self) -> Path:
        return self.home / "runs"

    @property
    def reports(self) -> Path:
        return self.server_dir / "reports"

    @property
    def cache(self) -> Path:
        """Where this account keeps what it may fetch again (ciphertext shards from remote storage, measured peak
        FLOPs): `AIRCLUSTER_CACHE_DIR`, else the installation's cache if this account may write it, else its own
        `~/.cache/aircluster` (in a shared installation the home belongs to the server's account)."""
        if os.environ.get("AIRCLUSTER_CACHE_DIR"):
            return Path(os.environ["AIRCLUSTER_CACHE_DIR"])
        shared = self.home / "cache"
        if _may_write(shared if shared.exists() else self.home):
            return shared
        return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "aircluster"


def _may_write(directory: Path) -> bool:
    return os.access(directory, os.W_OK | os.X_OK) or not directory.exists()


SYSTEM_HOME = Path("/var/lib/aircluster")


def home() -> Path:
    """`AIRCLUSTER_HOME`; else root's is the machine's shared installation, an ordinary user's their own."""
    default = SYSTEM_HOME if os.getuid() == 0 else Path.home() / ".aircluster"
    return Path(os.environ.get("AIRCLUSTER_HOME") or default).expanduser()


def paths() -> Paths:
    return Paths(home())


def account_name(uid: int) -> str:
    """The account's name, or `uid<N>` for a uid with no passwd entry (containers)."""
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid{uid}"


def principal() -> str:
    """This process's own account. Only the server decides who acts on its data: it asks the kernel
    (SO_PEERCRED) or MUNGE, never an environment variable."""
    return account_name(os.getuid())


def job_id() -> str | None:
    """The aircluster job this process works for, if any (set by the launcher)."""
    return os.environ.get("AIRCLUSTER_JOB_ID") or None

"""Where things live and who is acting.

`AIRCLUSTER_HOME` (default `~/.aircluster`) holds the catalog, the key store, the audit log,
the store and the run directories. Everything else is derived from it so that tests and users
can point a whole installation elsewhere with one variable.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Paths:
    home: Path

    @property
    def catalog(self) -> Path:
        return self.home / "catalog.db"

    @property
    def keys_dir(self) -> Path:
        return self.home / "keys"

    @property
    def keystore(self) -> Path:
        return self.keys_dir / "keystore.db"

    @property
    def master_key(self) -> Path:
        override = os.environ.get("AIRCLUSTER_MASTER_KEY_FILE")
        return Path(override) if override else self.keys_dir / "master.key"

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
        """The private key that signs the audit log's heads: its owner's only (the server's, once there is one)."""
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
        return self.home / "reports"

    @property
    def cache(self) -> Path:
        return Path(os.environ.get("AIRCLUSTER_CACHE_DIR") or self.home / "cache")


def home() -> Path:
    return Path(os.environ.get("AIRCLUSTER_HOME") or Path.home() / ".aircluster").expanduser()


def paths() -> Paths:
    return Paths(home())


def principal() -> str:
    """The acting principal: `AIRCLUSTER_USER` if set, else the OS user."""
    user = os.environ.get("AIRCLUSTER_USER")
    if user:
        return user
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry (containers): fall back to the uid
        return f"uid{os.getuid()}"


def job_id() -> str | None:
    """The aircluster job this process works for, if any (set by the launcher)."""
    return os.environ.get("AIRCLUSTER_JOB_ID") or None

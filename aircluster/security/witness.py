"""The heads of an audit log that this user has already seen, kept in the user's own home.

Whoever can write the log's directory can replace the log, its head and even its key; they cannot
write here. A later head must extend the one recorded here (a consistency proof), so a log cut back,
rolled back or rewritten is caught by every user who verified it before.

One file per log, named after where the log lives (so a log whose key was swapped is compared with
what was seen there, not trusted afresh), holding the last head seen and the fingerprint of the key
that signed it. `$XDG_STATE_HOME/aircluster/witness/`, by default `~/.local/state/aircluster/witness/`.
"""

from __future__ import annotations

import hashlib
import json
import os
import pwd
import stat
from dataclasses import dataclass
from pathlib import Path

from aircluster.errors import UsageError
from aircluster.security.tree_head import HeadFormatError, SignedTreeHead, read_json, write_atomic


def default_dir() -> Path:
    state = os.environ.get("XDG_STATE_HOME")
    if state:
        return Path(state) / "aircluster" / "witness"
    # the home of the uid running this, not $HOME, which `runuser`/`su` may leave pointing at another account's
    return Path(pwd.getpwuid(os.geteuid()).pw_dir) / ".local" / "state" / "aircluster" / "witness"


@dataclass(frozen=True)
class Seen:
    head: SignedTreeHead
    log: str


class Witness:
    def __init__(self, directory: Path | None = None):
        self.directory = directory or default_dir()

    def path_for(self, log_id: str) -> Path:
        return self.directory / f"{hashlib.sha256(log_id.encode()).hexdigest()[:32]}.json"

    def seen(self, log_id: str) -> Seen | None:
        path = self.path_for(log_id)
        if not path.exists():
            return None
        self._check_owned(self.directory)
        self._check_owned(path)
        try:
            doc = read_json(path, "the witness record")
            if not isinstance(doc, dict) or doc.get("log") != log_id:
                raise HeadFormatError(f"{path}: a witness record for another log (expected {log_id})")
            return Seen(SignedTreeHead.from_dict(doc.get("head"), str(path)), log_id)
        except HeadFormatError as exc:
            raise UsageError(
                f"your witness record is damaged ({exc}): delete it to trust the log's current head afresh"
            ) from None

    def record(self, log_id: str, head: SignedTreeHead) -> Path:
        self._make_dir()
        path = self.path_for(log_id)
        write_atomic(path, json.dumps({"log": log_id, "head": head.to_dict()}, indent=2).encode() + b"\n", 0o600)
        return path

    def _make_dir(self) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise UsageError(f"cannot create the witness directory {self.directory}: {exc.strerror}") from None
        self._check_owned(self.directory)

    def _check_owned(self, path: Path) -> None:
        """A record another account could write would let that account choose what we compare against."""
        st = path.stat()
        if st.st_uid != os.geteuid():
            raise UsageError(
                f"witness {path} belongs to uid {st.st_uid}, not to you (uid {os.geteuid()}): "
                "set XDG_STATE_HOME to a directory of your own"
            )
        if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            raise UsageError(f"witness {path} is writable by other accounts: chmod go-w it")

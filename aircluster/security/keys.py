"""The local key service: master key, key-encryption keys (KEKs) and the keys derived from them.

Envelope encryption (DESIGN.md, invariant 1):
- every shard has a random 256-bit data key (DEK); it is stored only wrapped by its version's KEK;
- every dataset version has a random KEK; it lives only in the key store, wrapped by the master key,
  and never leaves this module: callers ask the service to wrap, unwrap or MAC with it;
- the master key lives in a 0600 file (or `AIRCLUSTER_MASTER_KEY_FILE`).

Crypto-shredding (invariant 4): `destroy` deletes a key's row with SQLite's secure_delete and then
rotates the master key, so a copy of the key store taken before the destruction is useless too.

Wrapping uses AES-256-GCM rather than RFC 3394 key wrap because GCM's associated data lets us bind
every wrapped key to what it belongs to (key id, or dataset/version/shard for a DEK): a wrapped key
moved to another row or shard fails to unwrap.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from aircluster.durable import fsync_dir
from aircluster.errors import AirclusterError, DatasetShredded, IntegrityError, UsageError
from aircluster.security.hygiene import no_core_dumps
from aircluster.security.seal import AuthenticationFailed, Sealer, generate_key

KEY_BYTES = 32


class _RotationLock:
    """One rotation at a time, and nobody loads the master key halfway through one: threads of this process
    (the server holds one KeyService per connection) through an RLock, other processes through a flock beside
    the master key. Without it a loader could "finish" a rotation still in progress (rename the pending key
    into place), and the rotating side would then destroy the new master key. Reentrant in one thread."""

    def __init__(self) -> None:
        self._threads = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    @contextmanager
    def held(self, master_path: Path) -> Iterator[None]:
        with self._threads:
            if self._depth == 0:
                master_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                fd = os.open(master_path.with_name(master_path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
                fcntl.flock(fd, fcntl.LOCK_EX)
                self._fd = fd
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._fd is not None:
                    os.close(self._fd)  # releases the flock
                    self._fd = None


_ROTATION = _RotationLock()
MASTER_FORMAT = "aircluster-master-key"


def _write_private(path: Path, data: bytes) -> None:
    """Create `path` with mode 0600 from the first byte on, fsync it, then rename into place."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    fsync_dir(path.parent)


def _destroy_file(path: Path) -> None:
    """Overwrite then unlink. Best effort: flash storage may keep old blocks, which is why
    the master key rotates on every destruction instead of relying on overwrites alone."""
    try:
        size = path.stat().st_size
        with open(path, "r+b") as f:
            f.write(b"\0" * size)
            f.flush()
            os.fsync(f.fileno())
        path.unlink()
    except FileNotFoundError:
        pass


class MasterKey:
    def __init__(self, key_id: str, key: bytes):
        self.key_id = key_id
        self._box = Sealer(key)

    @classmethod
    def generate(cls) -> MasterKey:
        return cls(secrets.token_hex(8), generate_key())

    def serialize(self, key: bytes) -> bytes:
        doc = {"format": MASTER_FORMAT, "version": 1, "id": self.key_id, "key": base64.b64encode(key).decode()}
        return (json.dumps(doc) + "\n").encode()

    @classmethod
    def load(cls, path: Path) -> MasterKey:
        try:
            doc = json.loads(path.read_text())
            if doc.get("format") != MASTER_FORMAT:
                raise ValueError("not an aircluster master key")
            key = base64.b64decode(doc["key"])
            if len(key) != KEY_BYTES:
                raise ValueError("wrong key length")
            return cls(str(doc["id"]), key)
        except FileNotFoundError:
            raise UsageError(
                f"master key file {path} is missing: run `aircluster init`, or set AIRCLUSTER_MASTER_KEY_FILE"
            ) from None
        except (ValueError, KeyError, TypeError) as exc:
            raise UsageError(f"master key file {path} is unreadable ({exc})") from None

    def wrap(self, key: bytes, key_id: str) -> bytes:
        return self._box.seal(key, _wrap_aad("master", key_id))

    def unwrap(self, blob: bytes, key_id: str) -> bytes:
        return self._box.open(blob, _wrap_aad("master", key_id))


def _wrap_aad(purpose: str, key_id: str) -> bytes:
    return f"aircluster-wrap-v1|{purpose}|{key_id}".encode()


def kek_id(version_id: str) -> str:
    return f"kek:{version_id}"


def pseudonym_key_id(dataset_id: str) -> str:
    return f"pseudonym:{dataset_id}"


class KeyService:
    """In-process key service over `keys/keystore.db` and the master key file.

    Several processes (loader workers, ranks) may use it at once: SQLite serialises writers,
    and the master key only changes inside one IMMEDIATE transaction.
    """

    def __init__(self, keystore: Path, master_path: Path):
        self.keystore = keystore
        self.master_path = master_path
        if not keystore.exists():
            raise UsageError(f"key store {keystore} does not exist: run `aircluster init`")
        no_core_dumps()  # this process is about to hold the master key
        self._db = self._connect(keystore)
        with _ROTATION.held(master_path):
            self._master = self._load_master()

    # --- set-up -------------------------------------------------------------------------------

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, timeout=60, isolation_level=None)
        db.execute("PRAGMA secure_delete=ON")  # destroyed keys are zeroed in the file, not just unlinked
        db.execute("PRAGMA journal_mode=DELETE")
        return db

    @classmethod
    def create(cls, keystore: Path, master_path: Path) -> KeyService:
        """Create the key store and (unless it exists) the master key. Idempotent."""
        keystore.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(keystore.parent, 0o700)
        if not keystore.exists():
            fd = os.open(keystore, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            os.close(fd)
        with closing(cls._connect(keystore)) as db:
            db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
            db.execute(
                "CREATE TABLE IF NOT EXISTS keys (key_id TEXT PRIMARY KEY, wrapped BLOB NOT NULL, created_at REAL NOT NULL)"
            )
            row = db.execute("SELECT value FROM meta WHERE name='master_id'").fetchone()
            if row is None:
                if master_path.exists():
                    master = MasterKey.load(master_path)  # a provided master key file is adopted
                else:
                    raw = generate_key()
                    master = MasterKey(secrets.token_hex(8), raw)
                    _write_private(master_path, master.serialize(raw))
                db.execute("INSERT INTO meta VALUES ('master_id', ?)", (master.key_id,))
        return cls(keystore, master_path)

    def _load_master(self) -> MasterKey:
        expected = self._meta("master_id")
        pending = self.master_path.with_name(self.master_path.name + ".next")
        if pending.exists():
            # A rotation committed its re-wrapped keys but stopped before renaming the new master
            # key into place: finish it. If it did not commit, the pending key is garbage.
            candidate = MasterKey.load(pending)
            if candidate.key_id == expected:
                _destroy_file(self.master_path)
                os.replace(pending, self.master_path)
                fsync_dir(self.master_path.parent)
            else:
                _destroy_file(pending)
        master = MasterKey.load(self.master_path)
        check_private(self.master_path)
        if master.key_id != expected:
            raise UsageError(
                f"master key file {self.master_path} (id {master.key_id}) does not belong to key store "
                f"{self.keystore} (expects id {expected})"
            )
        return master

    def _meta(self, name: str) -> str:
        row = self._db.execute("SELECT value FROM meta WHERE name=?", (name,)).fetchone()
        if row is None:
            raise UsageError(f"key store {self.keystore} is not initialised: run `aircluster init`")
        return row[0]

    def close(self) -> None:
        self._db.close()

    # --- keys by id -----------------------------------------------------------------------------

    def _ensure_key(self, key_id: str) -> None:
        if self._db.execute("SELECT 1 FROM keys WHERE key_id=?", (key_id,)).fetchone():
            return
        self._follow_rotation()
        wrapped = self._master.wrap(generate_key(), key_id)
        self._db.execute("INSERT OR IGNORE INTO keys VALUES (?, ?, ?)", (key_id, wrapped, time.time()))

    def _key(self, key_id: str) -> bytes | None:
        # Twice at most: a rotation (by another connection) may commit between reading the row and checking
        # which master key is current, leaving a row wrapped under the old key and the new key loaded.
        for attempt in (1, 2):
            row = self._db.execute("SELECT wrapped FROM keys WHERE key_id=?", (key_id,)).fetchone()
            if row is None:
                return None
            self._follow_rotation()
            try:
                return self._master.unwrap(row[0], key_id)
            except AuthenticationFailed:
                if attempt == 2:
                    break
        raise IntegrityError(f"key store {self.keystore}: key {key_id} fails to unwrap under the master key")

    def _follow_rotation(self) -> None:
        """Another holder of this key store (a second connection of the server) may have rotated the master
        key since we loaded it: take the new one rather than fail to unwrap, or wrap under a destroyed key."""
        if self._meta("master_id") != self._master.key_id:
            with _ROTATION.held(self.master_path):
                self._master = self._load_master()

    def has_key(self, key_id: str) -> bool:
        return self._db.execute("SELECT 1 FROM keys WHERE key_id=?", (key_id,)).fetchone() is not None

    def key_ids(self) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT key_id FROM keys ORDER BY key_id")]

    # --- version KEKs ----------------------------------------------------------------------------

    def create_kek(self, version_id: str) -> None:
        self._ensure_key(kek_id(version_id))

    def _kek(self, version_id: str, label: str) -> bytes:
        kek = self._key(kek_id(version_id))
        if kek is None:
            raise DatasetShredded(f"{label}: its key was destroyed, so its data can never be read again")
        return kek

    def new_data_key(self, version_id: str, aad: bytes) -> tuple[bytes, bytes]:
        """A fresh random data key and the same key wrapped by the version's KEK (bound to `aad`)."""
        dek = generate_key()
        return dek, Sealer(self._kek(version_id, version_id)).seal(dek, aad)

    def unwrapper(self, version_id: str, label: str) -> DekUnwrapper:
        """An object that unwraps this version's DEKs; raises DatasetShredded if the KEK is gone."""
        return DekUnwrapper(Sealer(self._kek(version_id, label)), label)

    def mac(self, version_id: str, data: bytes, label: str = "") -> bytes:
        """HMAC-SHA256 under a subkey of the version's KEK (authenticates manifests)."""
        subkey = hashlib.sha256(b"aircluster-manifest-mac-v1|" + self._kek(version_id, label or version_id)).digest()
        return hmac.new(subkey, data, hashlib.sha256).digest()

    def approval_mac(self, version_id: str, data: bytes) -> bytes:
        """HMAC-SHA256 under another subkey of the version's KEK, for review decisions: apart from the manifest
        MAC, which readers may ask the server for on bodies of their choosing."""
        subkey = hashlib.sha256(b"aircluster-approval-mac-v1|" + self._kek(version_id, version_id)).digest()
        return hmac.new(subkey, data, hashlib.sha256).digest()

    # --- other keys ---------------------------------------------------------------------------------

    def pseudonym_key(self, dataset_id: str) -> bytes:
        """The per-dataset key for pseudonym tokens; destroying it breaks linkability."""
        key_id = pseudonym_key_id(dataset_id)
        self._ensure_key(key_id)
        key = self._key(key_id)
        assert key is not None
        return key

    # --- destruction and rotation ----------------------------------------------------------------------

    def discard(self, key_ids: list[str]) -> None:
        """Delete keys that never protected published data (an aborted import's KEK)."""
        for key_id in key_ids:
            self._db.execute("DELETE FROM keys WHERE key_id=?", (key_id,))

    def destroy(self, key_ids: list[str]) -> int:
        """Destroy keys for good: delete them, then rotate the master key so old key-store copies are useless."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            n = 0
            for key_id in key_ids:
                n += self._db.execute("DELETE FROM keys WHERE key_id=?", (key_id,)).rowcount
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("VACUUM")
        self.rotate_master()
        return n

    def rotate_master(self) -> int:
        """Re-wrap every key under a new master key, then destroy the old master key. Returns keys re-wrapped."""
        with _ROTATION.held(self.master_path):
            return self._rotate_master()

    def _rotate_master(self) -> int:
        # Take another holder's rotation first, before our pending key exists: loading a master key finishes or
        # discards whatever pending key it finds, and ours is neither (held lock: nobody else rotates meanwhile).
        self._follow_rotation()
        new_raw = generate_key()
        new = MasterKey(secrets.token_hex(8), new_raw)
        pending = self.master_path.with_name(self.master_path.name + ".next")
        _write_private(pending, new.serialize(new_raw))
        self._db.execute("BEGIN IMMEDIATE")
        try:
            if self._meta("master_id") != self._master.key_id:
                raise IntegrityError(f"key store {self.keystore}: its master key changed outside the rotation lock")
            rows = self._db.execute("SELECT key_id, wrapped FROM keys").fetchall()
            for key_id, wrapped in rows:
                plain = self._master.unwrap(wrapped, key_id)
                self._db.execute("UPDATE keys SET wrapped=? WHERE key_id=?", (new.wrap(plain, key_id), key_id))
            self._db.execute("UPDATE meta SET value=? WHERE name='master_id'", (new.key_id,))
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            _destroy_file(pending)
            raise
        _destroy_file(self.master_path)
        os.replace(pending, self.master_path)
        fsync_dir(self.master_path.parent)
        self._master = new
        return len(rows)

    @property
    def master_id(self) -> str:
        return self._master.key_id


class DekUnwrapper:
    """Unwraps the DEKs of one version; holds its KEK's cipher only as long as the reader needs it."""

    def __init__(self, box: Sealer, label: str):
        self._box = box
        self._label = label

    def unwrap(self, wrapped: bytes, aad: bytes, shard: int) -> bytes:
        try:
            return self._box.open(wrapped, aad)
        except AuthenticationFailed:
            raise IntegrityError(
                f"{self._label} shard {shard}: its data key does not unwrap (the shard was replaced or belongs elsewhere)",
                dataset=self._label,
                shard=shard,
            ) from None

    def prime(self, items: list[tuple[int, bytes]]) -> None:
        """Nothing to ask ahead: this process holds the KEK and unwraps without a round trip."""


def check_private(path: Path) -> None:
    """Refuse a key file others can read."""
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise AirclusterError(f"{path} has mode {mode:o}; key files must be 0600 (chmod 600 {path})")

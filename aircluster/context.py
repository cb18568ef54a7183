"""One installation's services, opened together: catalog, key service, audit log.

`open_context()` also does the housekeeping every command owes the invariants: it shreds versions
whose retention ran out, and removes what an import killed mid-way left behind (its staging files
and its key), so an interrupted import never leaves a stray file or key for long.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from aircluster import installation
from aircluster.catalog import Catalog, Version
from aircluster.security.audit import AuditLog
from aircluster.security.keys import DekUnwrapper, KeyService, kek_id, pseudonym_key_id
from aircluster.security.release import check_access, release_keys
from aircluster.security.witness import Witness


@dataclass
class Context:
    paths: installation.Paths
    catalog: Catalog
    keys: KeyService
    audit: AuditLog
    acting: str | None = None  # set by the server: the caller the kernel (or MUNGE) named
    job: str | None = None  # set by the server: the job whose token the caller presented

    @property
    def principal(self) -> str:
        return self.acting or installation.principal()

    def log(self, action: str, **details) -> dict:
        job = self.job if self.acting is not None else installation.job_id()
        if job is not None:
            details.setdefault("job_id", job)
        return self.audit.append(action, self.principal, **details)

    # --- the reader's interface (client.remote.ServerKeys offers the same, through the server) ---------

    def check_access(self, version: Version, *, require_approved: bool = True) -> None:
        check_access(self.catalog, version, require_approved=require_approved)

    def manifest_mac(self, version: Version, body: bytes, *, purpose: str = "read") -> bytes:
        return self.keys.mac(version.id, body, version.ref)

    def release(self, version: Version, *, purpose: str, shards: int, require_approved: bool = True, **where) -> DekUnwrapper:
        return release_keys(self, version, purpose=purpose, shards=shards, require_approved=require_approved, **where)

    def as_caller(self, user: str, job: str | None = None) -> Context:
        """The same open services, acting for `user` (one request of the server)."""
        return Context(self.paths, self.catalog, self.keys, self.audit, acting=user, job=job)

    def close(self) -> None:
        self.catalog.close()
        self.keys.close()

    def __enter__(self) -> Context:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- expiry --------------------------------------------------------------------------------

    def shred(self, version: Version, reason: str) -> bool:
        """Destroy the version's KEK (and rotate the master key), record it. Idempotent and resumable.

        The audit entry comes first (no entry, no shred); then the keys are destroyed, which rotates the master
        key; then the catalog is marked. A sequence cut short is finished by `reconcile_shreds`: the key store,
        not the catalog, decides whether a version is shredded.

        When no readable version of the dataset is left, its pseudonym key goes too: pseudonyms in any
        copy of its data can then no longer be linked to the values they replaced, nor across datasets."""
        # Under the catalog's write lock, the version read again: a request and the housekeeping tick may both find
        # it due, and the second must see the first one's shred, not log and destroy a second time.
        with self.catalog.transaction():
            version = self.catalog.version_by_id(version.id)
            if version.shredded_at is not None and not self.keys.has_key(kek_id(version.id)):
                return False
            others = [v for v in self.catalog.versions(version.name) if v.id != version.id and v.shredded_at is None]
            doomed = [kek_id(version.id)] + ([] if others else [pseudonym_key_id(version.dataset_id)])
            self.log(
                "data.shred",
                dataset=version.name,
                version=version.number,
                version_id=version.id,
                reason=reason,
                pseudonym_key_destroyed=not others,
            )
            self.keys.destroy(doomed)
            self.catalog.mark_shredded(version.id, reason)
        return True

    def reconcile_shreds(self) -> int:
        """Make the key store and the catalog agree, the key store winning: a version marked shredded whose key
        still exists (a shred cut short, or a catalog edited to fake one) loses its key now; a version whose key is
        gone is marked shredded."""
        with self.catalog.transaction():  # not between a shred's destroyed key and its catalog mark
            return self._reconcile_shreds()

    def _reconcile_shreds(self) -> int:
        fixed = 0
        for version in self.catalog.versions():
            has_key = self.keys.has_key(kek_id(version.id))
            if version.shredded_at is not None and has_key:
                # shred() marks the catalog only after the key is gone, so only an edit of the catalog gets here:
                # logged first, as every shred is.
                self.log(
                    "data.shred",
                    dataset=version.name,
                    version=version.number,
                    version_id=version.id,
                    reason="the catalog said shredded and the key store still held the key",
                )
                self.keys.destroy([kek_id(version.id)])
                fixed += 1
            elif version.shredded_at is None and not has_key:
                self.catalog.mark_shredded(version.id, "its key is no longer in the key store")
                self.log("data.shred", dataset=version.name, version=version.number, version_id=version.id, reason="key gone")
                fixed += 1
        return fixed

    def expire_due(self) -> list[Version]:
        due = self.catalog.due_for_expiry()
        for version in due:
            self.shred(version, "retention period ended")
        return due

    # --- recovery after a killed import -----------------------------------------------------------

    def recover(self) -> int:
        """Remove staging dirs of dead imports, unpublished version dirs and orphan KEKs."""
        removed = 0
        live_staging: set[str] = set()
        staging = self.paths.staging
        if staging.exists():
            for entry in staging.iterdir():
                version_id, _, pid = entry.name.partition(".")
                if pid.isdigit() and _alive(int(pid)):
                    live_staging.add(version_id)
                    continue
                shutil.rmtree(entry, ignore_errors=True)
                removed += 1
        # Under the catalog's write lock: an import publishes (renames its files into the store) inside
        # that lock, so no half-published version is mistaken for debris.
        with self.catalog.transaction():
            removed += self._remove_unpublished(live_staging)
        return removed

    def _remove_unpublished(self, live_staging: set[str]) -> int:
        removed = 0
        known = self.catalog.version_ids()
        store = self.paths.store
        if store.exists():
            for dataset_dir in store.iterdir():
                if dataset_dir.name.startswith(".") or not dataset_dir.is_dir():
                    continue
                for version_dir in dataset_dir.iterdir():
                    if version_dir.name not in known and version_dir.name not in live_staging:
                        # published by rename, but the catalog transaction never committed
                        shutil.rmtree(version_dir, ignore_errors=True)
                        removed += 1
        orphans = [k for k in self.keys.key_ids() if k.startswith("kek:") and k[4:] not in known and k[4:] not in live_staging]
        if orphans:
            # These keys never protected a published version: no need to rotate the master key.
            self.keys.discard(orphans)
            removed += len(orphans)
        return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def init(home: Path | None = None, paths: installation.Paths | None = None) -> Context:
    """Create AIRCLUSTER_HOME, the catalog, the key store and master key. Idempotent."""
    paths = paths or (installation.Paths(home) if home else installation.paths())
    # Modes are set, not left to the umask: the home is traversable (so other accounts can verify the audit
    # log by its path) but not listable; the catalog, reports, runs and keys are the owner's alone.
    paths.home.mkdir(parents=True, exist_ok=True)
    os.chmod(paths.home, 0o711)
    paths.server_dir.mkdir(exist_ok=True)
    os.chmod(paths.server_dir, 0o700)
    for d in (paths.store, paths.runs, paths.reports, paths.audit_log.parent):
        d.mkdir(parents=True, exist_ok=True)
    for d in (paths.runs, paths.reports):
        os.chmod(d, 0o700)
    for d in (paths.store, paths.audit_log.parent):  # readable by every account, writable by the server alone
        os.chmod(d, 0o755)
    paths.master_key.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(paths.master_key.parent, 0o700)
    catalog = Catalog.create(paths.catalog)
    keys = KeyService.create(paths.keystore, paths.master_key)
    audit = _audit(paths)
    audit.create()
    return Context(paths, catalog, keys, audit)


def _audit(paths: installation.Paths) -> AuditLog:
    return AuditLog(paths.audit_log, paths.audit_head, paths.audit_public_key, paths.audit_signing_key, Witness())


def open_audit() -> AuditLog:
    """The audit log alone, for reading and verifying: needs none of the installation's secrets."""
    return _audit(installation.paths())


def open_context(housekeeping: bool = True, paths: installation.Paths | None = None) -> Context:
    paths = paths or installation.paths()
    catalog = Catalog(paths.catalog)
    keys = KeyService(paths.keystore, paths.master_key)
    ctx = Context(paths, catalog, keys, _audit(paths))
    if housekeeping:
        ctx.expire_due()
        ctx.recover()
        ctx.reconcile_shreds()
    return ctx

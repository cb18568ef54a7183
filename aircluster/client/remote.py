"""What a reading process (the CLI's `data read`/`verify`, a loader worker, a trainer rank) holds of the
installation: a connection to the server, and data keys the server released to it. No catalog file, no
key store, no master key.

    keys = ServerKeys.connect()
    version = keys.catalog.resolve("posts@1")
    unwrapper = keys.release(version, purpose="train", shards=4, rank=0)

The job token of the job this process works for (set by the launcher in AIRCLUSTER_JOB_TOKEN) goes with
every request; the server checks it against the caller's authenticated account.
"""

from __future__ import annotations

import dataclasses
import hmac
import os
from typing import Any

from aircluster.catalog import Version
from aircluster.client.connection import Client, connect
from aircluster.client.protocol import MAX_UNWRAP_BATCH, b64, unb64
from aircluster.errors import IntegrityError
from aircluster.security.hygiene import no_core_dumps
from aircluster.security.release import check_readable

JOB_TOKEN_ENV = "AIRCLUSTER_JOB_TOKEN"
_VERSION_FIELDS = {f.name for f in dataclasses.fields(Version)}


def version_from(doc: dict[str, Any]) -> Version:
    return Version(**{k: v for k, v in doc.items() if k in _VERSION_FIELDS})


class RemoteCatalog:
    """The catalog's read side, answered by the server."""

    def __init__(self, client: Client):
        self.client = client

    def resolve(self, ref: str) -> Version:
        return version_from(self.client.call("versions.resolve", ref=ref))

    def version_by_id(self, version_id: str) -> Version:
        return version_from(self.client.call("versions.resolve", version_id=version_id))

    def versions(self, name: str | None = None) -> list[Version]:
        return [version_from(d) for d in self.client.call("versions.list", name=name)]


class RemoteUnwrapper:
    """Unwraps a version's data keys through the server, under the lease `keys.open` gave this connection.
    The server computes each key's binding (dataset, version, shard) itself; `aad` is not sent.

    `prime` asks for the keys of shards about to be opened in one request; each is held only until its shard
    asks for it (`unwrap` pops it) and only if the shard's own header holds the same wrapped key, else that
    shard asks the server alone, as without priming. So the server's checks (shredded, review, grant, job)
    run at least once per primed batch, and a shard that was replaced fails as it always did."""

    def __init__(self, client: Client, lease: str, label: str):
        self.client = client
        self.lease = lease
        self.label = label
        self._ahead: dict[int, tuple[bytes, bytes]] = {}  # shard -> (wrapped key it was asked with, data key)

    def unwrap(self, wrapped: bytes, aad: bytes, shard: int) -> bytes:
        held = self._ahead.pop(shard, None)
        if held is not None and hmac.compare_digest(held[0], wrapped):
            return held[1]
        return self.unwrap_many([(shard, wrapped)])[0]

    def prime(self, items: list[tuple[int, bytes]]) -> None:
        wanted = list({shard: wrapped for shard, wrapped in items if shard not in self._ahead}.items())
        for start in range(0, len(wanted), MAX_UNWRAP_BATCH):
            batch = wanted[start : start + MAX_UNWRAP_BATCH]
            try:
                keys = self.unwrap_many(batch)
            except IntegrityError:
                # A key in the batch does not unwrap (a damaged or replaced shard): each of these shards asks
                # alone when it is opened, so the error names that shard when the loader reaches it.
                continue
            self._ahead.update({shard: (wrapped, key) for (shard, wrapped), key in zip(batch, keys, strict=True)})

    def unwrap_many(self, items: list[tuple[int, bytes]]) -> list[bytes]:
        keys = self.client.call("keys.unwrap", lease=self.lease, items=[[shard, b64(w)] for shard, w in items])
        return [unb64(k) for k in keys]


class ServerKeys:
    """The reader's view of the installation through the server (the same methods `Context` offers)."""

    def __init__(self, client: Client):
        self.client = client
        self.catalog = RemoteCatalog(client)
        self.job_token = os.environ.get(JOB_TOKEN_ENV) or None

    @classmethod
    def connect(cls) -> ServerKeys:
        return cls(connect())

    def check_access(self, version: Version, *, require_approved: bool = True) -> None:
        # An early, clear refusal; the server decides again (and alone) when asked for keys.
        check_readable(version, require_approved=require_approved)

    def manifest_mac(self, version: Version, body: bytes, *, purpose: str = "read") -> bytes:
        return unb64(
            self.client.call("keys.mac", version_id=version.id, body=b64(body), purpose=purpose, job_token=self.job_token)
        )

    def release(
        self, version: Version, *, purpose: str, shards: int, require_approved: bool = True, **where: Any
    ) -> RemoteUnwrapper:
        no_core_dumps()  # this process is about to hold data keys and plaintext
        if not require_approved:
            purpose = "verify"
        opened = self.client.call(
            "keys.open", version_id=version.id, purpose=purpose, shards=shards, job_token=self.job_token, **where
        )
        return RemoteUnwrapper(self.client, opened["lease"], version.ref)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> ServerKeys:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

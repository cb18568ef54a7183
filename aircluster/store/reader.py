"""Reading a version back: gate checks, key release, manifest and shard authentication.

`VersionReader` is the one way into a version's data. Its keys come from `security.release`, which
refuses shredded versions, versions not approved by privacy review (unless the caller only verifies)
and versions not pinned to the caller's job, and audits every release. Each shard is fetched as
ciphertext and authenticated and decrypted whole, in memory, before any of its records is returned.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

import fsspec

from aircluster.catalog import Version
from aircluster.context import Context
from aircluster.errors import IntegrityError
from aircluster.store.format import HEADER, OpenShard, ReleasedKeys, open_shard, wrapped_dek_of
from aircluster.store.manifest import MANIFEST_NAME, Manifest
from aircluster.store.readbuf import read_mutable

# Data keys asked for in one request by an in-order read (the loader's default too): also how many shards a
# reader may still open after a shred, a withdrawn approval or a revoked grant.
KEYS_AHEAD = 32


def is_local(location: str) -> bool:
    """Whether a version's files are on a local (or POSIX-mounted) file system rather than behind a URL."""
    return "://" not in location or location.startswith("file://")


def read_head(location: str, name: str, n: int) -> bytes:
    """The first `n` bytes of one file of a version (fewer if it is shorter); b"" if it cannot be read."""
    url = f"{location.rstrip('/')}/{name}"
    try:
        if "://" not in location:  # the common case, without fsspec's overhead (most of the cost for a header)
            with open(url, "rb", buffering=0) as f:
                return f.read(n)
        with fsspec.open(url, "rb") as f:
            remote: Any = f  # a file object of the store (fsspec's stubs say a list)
            return bytes(remote.read(n))
    except OSError:
        return b""  # opening the shard reports what is wrong with it


def fetch(location: str, name: str, size: int | None = None) -> bytearray:
    """The bytes of one file of a version, from a local directory or any fsspec URL, in a writable
    buffer (`size`, when known, sizes it up front)."""
    url = f"{location.rstrip('/')}/{name}"
    try:
        with fsspec.open(url, "rb") as f:
            return read_mutable(f, size)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise IntegrityError(f"cannot read {url} ({exc})") from None


class ReadAccess(Protocol):
    """Where a reader gets its checks, manifest MACs and data keys: the server (`client.remote.ServerKeys`),
    or, inside the server, the installation's own services (`context.Context`)."""

    def check_access(self, version: Version, *, require_approved: bool = True) -> None: ...

    def manifest_mac(self, version: Version, body: bytes, *, purpose: str = "read") -> bytes: ...

    def release(
        self, version: Version, *, purpose: str, shards: int, require_approved: bool = True, **where: Any
    ) -> ReleasedKeys: ...


class VersionReader:
    """One version's manifest and shards. `release=False` opens only the manifest (its MAC needs no data
    key): for planning which shards to read before any key is released."""

    def __init__(
        self,
        ctx: ReadAccess,
        version: Version,
        *,
        purpose: str = "read",
        require_approved: bool = True,
        release: bool = True,
        allow_unencrypted: bool = False,
        shards: int | None = None,
        **where: Any,
    ):
        ctx.check_access(version, require_approved=require_approved)
        self.ctx = ctx
        self._purpose = purpose if require_approved else "verify"
        self.version = version
        self.label = version.ref
        self._allow_unencrypted = allow_unencrypted
        self.manifest = self._open_manifest()
        self._unwrapper: ReleasedKeys | None = None
        if release:
            self._unwrapper = ctx.release(
                version,
                purpose=purpose,
                require_approved=require_approved,
                shards=len(self.manifest.shards) if shards is None else shards,
                **where,
            )

    def _open_manifest(self) -> Manifest:
        v = self.version
        try:
            raw = fetch(v.location, MANIFEST_NAME)
        except FileNotFoundError:
            raise IntegrityError(f"{v.ref} manifest: missing from {v.location}", dataset=v.ref) from None
        manifest = Manifest.open(
            raw,
            label=v.ref,
            dataset_id=v.dataset_id,
            version_id=v.id,
            name=v.name,
            number=v.number,
            mac=lambda body: self.ctx.manifest_mac(v, body, purpose=self._purpose),
        )
        if len(manifest.shards) != v.shards or manifest.records != v.records:
            raise IntegrityError(
                f"{v.ref} manifest: lists {len(manifest.shards)} shards and {manifest.records} records, "
                f"the catalog {v.shards} and {v.records}",
                dataset=v.ref,
            )
        return manifest

    @property
    def num_shards(self) -> int:
        return len(self.manifest.shards)

    def shard_records(self) -> list[int]:
        return [s["records"] for s in self.manifest.shards]

    def fetch_shard(self, index: int) -> bytearray:
        entry = self.manifest.shards[index]
        try:
            data = fetch(self.version.location, entry["file"], entry["bytes_stored"])
        except FileNotFoundError:
            raise IntegrityError(
                f"{self.label} shard {index}: file {entry['file']} is missing", dataset=self.label, shard=index
            ) from None
        if len(data) != entry["bytes_stored"]:
            raise IntegrityError(
                f"{self.label} shard {index}: {len(data)} bytes, the manifest says {entry['bytes_stored']} "
                "(truncated or replaced)",
                dataset=self.label,
                shard=index,
            )
        return data

    def read_header(self, index: int) -> bytes:
        """Shard `index`'s header (ids and wrapped data key) read from storage, without the rest of the file."""
        return read_head(self.version.location, self.manifest.shards[index]["file"], HEADER.size)

    def prime_keys(self, headers: list[tuple[int, bytes | bytearray | None]]) -> None:
        """Ask ahead, in one request, for the data keys of these (shard, header) pairs, if the key release needs
        asking. A shard whose header is missing or not one of this format asks alone when it is opened, and
        opening it says what is wrong."""
        items = [(i, wrapped) for i, head in headers if head and (wrapped := wrapped_dek_of(head)) is not None]
        if self._unwrapper is not None and items:
            self._unwrapper.prime(items)

    def open_shard(self, index: int, data: bytes | bytearray | None = None) -> OpenShard:
        """Authenticate and decrypt shard `index` (fetched now unless its ciphertext is given; a given
        bytearray is decrypted in place)."""
        if data is None:
            data = self.fetch_shard(index)
        if self._unwrapper is None:
            raise IntegrityError(
                f"{self.label} shard {index}: no data key was released to this reader", dataset=self.label, shard=index
            )
        v = self.version
        return open_shard(
            data,
            label=self.label,
            dataset_id=v.dataset_id,
            version_id=v.id,
            shard_index=index,
            unwrapper=self._unwrapper,
            expected_records=self.manifest.shards[index]["records"],
            allow_unencrypted=self._allow_unencrypted,
        )

    def keys_ahead(self, index: int, count: int = KEYS_AHEAD) -> None:
        """Before opening shard `index` of an in-order read: at every `count`-th shard, ask in one request for the
        data keys of this shard and the next count-1 (headers read from local storage; a remote version's
        shards ask one by one). A shred or withdrawn approval then stops the read within `count` shards."""
        if index % count or self._unwrapper is None or not is_local(self.version.location):
            return
        self.prime_keys([(i, self.read_header(i)) for i in range(index, min(index + count, self.num_shards))])

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for index in range(self.num_shards):
            self.keys_ahead(index)
            yield from self.open_shard(index)


def verify_version(ctx: ReadAccess, version: Version) -> dict[str, Any]:
    """Authenticate the manifest and every shard without returning data. Stops at the first bad shard."""
    reader = VersionReader(ctx, version, purpose="verify", require_approved=False)
    records = 0
    for index in range(reader.num_shards):
        reader.keys_ahead(index)
        shard = reader.open_shard(index)
        shard.check()
        records += len(shard)
    if isinstance(ctx, Context):  # through the server, its key release (purpose verify) is the audit entry
        ctx.log("data.verify", dataset=version.name, version=version.number, version_id=version.id, ok=True)
    return {"ref": version.ref, "ok": True, "shards": reader.num_shards, "records": records}

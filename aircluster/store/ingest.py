"""`data import`: stream records from the inputs into encrypted shards and publish a new version.

Nothing half-done (DESIGN.md, invariant 7): shards and the manifest are written under
`store/.staging/<version id>.<pid>/`, fsynced, renamed into the store and the catalog row inserted in
one catalog transaction. Any failure, Ctrl-C or SIGTERM removes the staging files and the version's
key; a SIGKILL leaves debris that the next command's housekeeping removes (`Context.recover`).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from aircluster.context import Context
from aircluster.durable import fsync_dir, write_new
from aircluster.errors import InputError, UsageError
from aircluster.security.keys import kek_id
from aircluster.store import format as fmt
from aircluster.store.limits import Limits
from aircluster.store.manifest import MANIFEST_NAME, Manifest
from aircluster.store.schema import SchemaBuilder
from aircluster.store.sources import Problems, Progress, detect_format, expand, input_size, iter_records

DEFAULT_SHARD_BYTES = 64 << 20
BATCH_RECORDS = 512

# A transform sees batches of records in order and yields them (possibly changed, fewer) in order.
Transform = Callable[[Iterator[list[dict[str, Any]]]], Iterator[list[dict[str, Any]]]]


class InputOrigin(Protocol):
    """Where the inputs really came from, when what is read is a copy of them (the server reads the files a client
    passed it from a private mirror): the user must see their own names, in errors and in the catalog."""

    def name(self, path: Path) -> str:
        """What the user calls this input."""
        ...

    def error(self, err: InputError) -> InputError:
        """The same problem, said with the user's names."""
        ...


class ReviewHook(Protocol):
    """Where the privacy review plugs into the import (aircluster.privacy.review.gate implements it)."""

    def start(self, dataset_id: str, version_id: str) -> Transform:
        """Called before any record is read; returns the transform that scans and applies the policy."""
        ...

    def finish(self) -> dict[str, Any]:
        """Called after the last record: the review summary; its "state" becomes the version's review state."""
        ...

    def close(self, abort: bool = False) -> None:
        """Release workers; called on success and on failure (`abort`: stop them without waiting)."""
        ...


@dataclass
class ImportOptions:
    format: str | None = None
    text_field: str | None = None
    label_field: str | None = None
    on_error: str = "fail"
    retention_days: float | None = None
    compress: bool = True
    shard_bytes: int = DEFAULT_SHARD_BYTES
    segment_bytes: int = fmt.DEFAULT_SEGMENT_BYTES
    encrypt: bool = True  # benchmark-only switch: False writes unencrypted shards that readers refuse by default
    limits: Limits = field(default_factory=Limits)  # per file, line, field and nesting depth (the --max-* flags)


@dataclass
class ImportResult:
    version_id: str
    ref: str
    records: int
    shards: int
    bytes_plain: int
    bytes_stored: int
    bytes_input: int
    problems: Problems
    review: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version_id": self.version_id,
            "ref": self.ref,
            "records": self.records,
            "shards": self.shards,
            "bytes_plain": self.bytes_plain,
            "bytes_stored": self.bytes_stored,
            "bytes_input": self.bytes_input,
            **self.problems.to_dict(),
            "review": self.review,
        }


class _ShardSet:
    """Packs records into shard files of about `shard_bytes` plaintext each."""

    def __init__(self, ctx: Context, directory: Path, dataset_id: str, version_id: str, opts: ImportOptions):
        self._ctx, self._dir, self._ids, self._opts = ctx, directory, (dataset_id, version_id), opts
        self._writer: fmt.ShardWriter | None = None
        self.shards: list[fmt.ShardInfo] = []

    def add(self, packed: bytes) -> None:
        if self._writer is None:
            self._writer = self._open(len(self.shards))
        self._writer.add(packed)
        if self._writer.size_plain >= self._opts.shard_bytes:
            self._close()

    def _open(self, index: int) -> fmt.ShardWriter:
        dataset_id, version_id = self._ids
        dek, wrapped = self._ctx.keys.new_data_key(version_id, fmt.dek_aad(dataset_id, version_id, index))
        return fmt.ShardWriter(
            str(self._dir / shard_file(index)),
            dataset_id=dataset_id,
            version_id=version_id,
            shard_index=index,
            dek=dek,
            wrapped_dek=wrapped,
            compress=self._opts.compress,
            segment_bytes=self._opts.segment_bytes,
            encrypt=self._opts.encrypt,
        )

    def _close(self) -> None:
        assert self._writer is not None
        self.shards.append(self._writer.close(shard_file(len(self.shards))))
        self._writer = None

    def finish(self) -> None:
        if self._writer is not None:
            self._close()

    def abort(self) -> None:
        if self._writer is not None:
            self._writer.abort()


def readable_by_trainers(version_dir: Path) -> None:
    """Ciphertext and the manifest may be read by every account that trains (the server releases keys only
    to those it allows); modes are set, not left to the server's umask (077)."""
    os.chmod(version_dir, 0o755)
    for entry in version_dir.iterdir():
        os.chmod(entry, 0o644)


def shard_file(index: int) -> str:
    return f"shard-{index:05d}.air"


def _batches(records: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def import_dataset(
    ctx: Context,
    name: str,
    sources: list[str],
    opts: ImportOptions,
    *,
    review: ReviewHook | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    origin: InputOrigin | None = None,
    before_publish: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import `sources` as a new version of dataset `name`, through the privacy review if given.

    `origin` names the inputs as their user knows them (in errors, skipped-record examples and the catalog);
    `before_publish(number)` runs inside the catalog transaction that allocates the version number, and may
    refuse (the server checks there who may add a version to a dataset that now exists)."""
    try:
        return _import(ctx, name, sources, opts, review, on_progress, origin, before_publish)
    except InputError as err:
        if origin is None:
            raise
        raise origin.error(err) from None


def _import(
    ctx: Context,
    name: str,
    sources: list[str],
    opts: ImportOptions,
    review: ReviewHook | None,
    on_progress: Callable[[int, int], None] | None,
    origin: InputOrigin | None,
    before_publish: Callable[[int], None] | None,
) -> ImportResult:
    from aircluster.catalog.catalog import check_name

    check_name(name)
    if opts.retention_days is not None and opts.retention_days <= 0:
        raise UsageError(f"--retention-days must be positive, not {opts.retention_days}")
    if opts.shard_bytes < 1024 or opts.segment_bytes < 1024:
        raise UsageError("shard and segment sizes must be at least 1 KiB")
    opts.limits.validate()
    paths = expand(sources)
    data_format = detect_format(paths, opts.format)
    if data_format == "images" and (opts.text_field or opts.label_field):
        raise UsageError("--text-field and --label-field do not apply to image folders (the label is the sub-folder)")
    required = {f: flag for f, flag in ((opts.text_field, "--text-field"), (opts.label_field, "--label-field")) if f}
    total = input_size(paths)
    progress = Progress(total=total, callback=(lambda n: on_progress(n, total)) if on_progress else None)

    dataset_id = ctx.catalog.existing_dataset_id(name) or uuid.uuid4().hex
    version_id = uuid.uuid4().hex
    staging = ctx.paths.staging / f"{version_id}.{os.getpid()}"
    staging.mkdir(parents=True)  # first, so housekeeping elsewhere sees a live import before its key exists
    ctx.keys.create_kek(version_id)
    shards = _ShardSet(ctx, staging, dataset_id, version_id, opts)
    problems = Problems(shown=origin.error if origin is not None else None)
    shown = origin.name if origin is not None else str
    schema = SchemaBuilder()
    try:
        records = iter_records(
            paths,
            data_format,
            on_error=opts.on_error,
            problems=problems,
            progress=progress,
            required_fields=required,
            limits=opts.limits,
        )
        batches = _batches(records, BATCH_RECORDS)
        if review is not None:
            batches = review.start(dataset_id, version_id)(batches)
        pack = fmt.pack_record
        for batch in batches:
            for record in batch:
                schema.observe(record)
                shards.add(pack(record))
        shards.finish()
        if schema.records == 0:
            where = ", ".join(shown(p) for p in paths[:3]) + (" ..." if len(paths) > 3 else "")
            why = f" ({problems.count} bad records skipped)" if problems.count else ""
            raise InputError(f"no records to import{why}", where)
        review_summary = review.finish() if review is not None else {"state": "pending_review"}
        text_field = opts.text_field or ("text" if "text" in schema.fields() else None)
        meta = {
            "format": data_format,
            "sources": [shown(p) for p in paths],
            "text_field": text_field,
            "label_field": opts.label_field or ("label" if data_format == "images" else None),
            "compression": "zstd" if opts.compress else "none",
            "encrypted": opts.encrypt,
            "shard_bytes": opts.shard_bytes,
            "skipped": problems.to_dict(),
            "bytes_input": total,
        }
        final = ctx.paths.store / dataset_id / version_id

        def publish(number: int) -> None:
            # Inside the catalog transaction that allocates the number, so the manifest can name it.
            if before_publish is not None:
                before_publish(number)
            manifest = Manifest(
                dataset_id,
                version_id,
                name,
                number,
                [s.to_dict() for s in shards.shards],
                schema.records,
                meta["compression"],
                opts.encrypt,
            )
            write_new(staging / MANIFEST_NAME, manifest.seal(lambda body: ctx.keys.mac(version_id, body)))
            readable_by_trainers(staging)
            fsync_dir(staging)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(final.parent, 0o755)
            os.rename(staging, final)
            fsync_dir(final.parent)

        version = ctx.catalog.add_version(
            version_id=version_id,
            dataset_id=dataset_id,
            name=name,
            imported_by=ctx.principal,
            retention_days=opts.retention_days,
            records=schema.records,
            shards=len(shards.shards),
            bytes_plain=sum(s.bytes_plain for s in shards.shards),
            bytes_stored=sum(s.bytes_stored for s in shards.shards),
            location=str(final),
            schema=schema.to_dict(),
            meta=meta,
            review_state=review_summary.get("state", "pending_review"),
            before_commit=publish,
        )
    except BaseException:
        if review is not None:
            review.close(abort=True)
        shards.abort()
        shutil.rmtree(staging, ignore_errors=True)
        ctx.keys.discard([kek_id(version_id)])
        raise
    if review is not None:
        review.close()
    ctx.log(
        "data.import",
        dataset=name,
        version=version.number,
        version_id=version_id,
        records=version.records,
        shards=version.shards,
        bytes_stored=version.bytes_stored,
        skipped=problems.count,
        review_state=version.review_state,
    )
    if version.review_state == "rejected":
        # the policy's thresholds rejected it: a rejected version is shredded, like a steward's rejection
        ctx.shred(version, "rejected by privacy policy: " + "; ".join(review_summary.get("reasons", [])))
    return ImportResult(
        version_id,
        version.ref,
        version.records,
        version.shards,
        version.bytes_plain,
        version.bytes_stored,
        total,
        problems,
        review_summary,
    )

"""`data import` in the server, from files the client opened and passed (never from paths: see mirror.py).

    import.begin  name, options, policy?, scan_workers  -> {"upload": id}   checks the name, options, policy, permission
    import.files  upload, files, folders?, refused?     (one open file passed with each entry of `files`; once the files
                                                        hold a piece of text, the review's fork server starts loading)
    import.run    upload, sources                       -> the import's result; the copy is removed, whatever happens

A new dataset may be imported by any account, which becomes its owner; a new version of an existing one needs
the `import` permission, checked at begin and again inside the transaction that numbers the version. The
privacy review runs here, where the importer cannot change the scan or the report.
"""

from __future__ import annotations

import base64
import binascii
import glob
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aircluster.catalog.access import Access
from aircluster.catalog.catalog import check_name
from aircluster.context import Context
from aircluster.errors import UsageError
from aircluster.privacy.review import fork_server
from aircluster.privacy.review.pieces import PIECE_CHARS
from aircluster.privacy.review.policy import Policy
from aircluster.server.daemon import PERIODIC
from aircluster.server.mirror import Mirror, sweep
from aircluster.server.registry import Request, operation
from aircluster.store.ingest import DEFAULT_SHARD_BYTES, ImportOptions, import_dataset
from aircluster.store.limits import Limits
from aircluster.store.sources import FORMATS

REMOTE_REFUSED = (
    "data import passes the server open files, which works only over its local socket:"
    " run `aircluster data import` on the server's host"
)
MAX_POLICY_BYTES = 1 << 20


@dataclass
class Upload:
    mirror: Mirror
    name: str
    options: ImportOptions
    policy: Policy
    workers: int
    copied: int = 0  # bytes of the files copied so far
    folders: bool = False  # image folders: their bytes say nothing of the text the review will scan

    def discard(self) -> None:
        self.mirror.discard()


@operation("import.begin")
def begin(
    req: Request, name: str, options: dict[str, Any], policy: dict[str, str] | None = None, scan_workers: int = 2
) -> dict[str, Any]:
    if req.caller.transport != "unix":
        raise UsageError(REMOTE_REFUSED)
    check_name(name)
    opts = _options(options)
    parsed = _policy(policy)
    if not isinstance(scan_workers, int) or isinstance(scan_workers, bool) or scan_workers < 1:
        raise UsageError(f"--scan-workers must be a positive number, not {scan_workers!r}")
    ctx = req.ctx
    if not req.config.personal and ctx.catalog.existing_dataset_id(name) is not None:
        Access(ctx.catalog).check(req.user, "import", name)
    mirror = Mirror(ctx.paths.server_dir)
    req.session.uploads[mirror.id] = Upload(mirror, name, opts, parsed, min(scan_workers, os.cpu_count() or 1))
    return {"upload": mirror.id}


@operation("import.files")
def files(
    req: Request,
    upload: str,
    files: list[dict[str, str]],
    folders: list[dict[str, str]] | None = None,
    refused: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    up = _upload(req, upload)
    up.folders |= bool(folders)
    try:
        if not isinstance(files, list) or len(files) != len(req.fds):
            raise UsageError(f"import.files: {len(req.fds)} open files came with {_count(files)} names")
        for entry in folders or []:
            path, shown = _entry(entry)
            up.mirror.add_folder(path, shown)
        for entry in refused or []:
            path, shown = _entry(entry)
            up.mirror.add_refused(path, shown, entry.get("why", ""))
        copied = 0
        for entry, fd in zip(files, req.fds, strict=True):
            path, shown = _entry(entry)
            copied += up.mirror.add_file(path, shown, fd, up.options.limits.file_bytes)
    except BaseException:
        _drop(req, upload)
        raise
    up.copied += copied
    _review_ahead(up)
    return {"files": len(files), "bytes": copied}


def _review_ahead(up: Upload) -> None:
    """An upload holding at least a piece of text will start scan workers: start their fork server now, so that its
    preload (about two seconds of one core) overlaps the rest of the upload and this process's own import of the
    review (about a second) instead of following them. A smaller import is reviewed here and needs none."""
    if up.workers > 1 and not up.folders and up.copied >= PIECE_CHARS:
        fork_server.start_soon()


@operation("import.run")
def run(req: Request, upload: str, sources: list[str]) -> dict[str, Any]:
    up = _upload(req, upload)
    try:
        if not isinstance(sources, list) or not sources:
            raise UsageError("no input given: name one or more files, globs or image folders")
        local = up.mirror.set_sources(sources)
        ctx = req.ctx
        sent = [0]

        def progress(n: int, total: int) -> None:
            sent[0] += n  # the store reports increments; frames may be dropped, so send the running total
            req.progress(sent[0], total)

        result = import_dataset(
            ctx,
            up.name,
            [_literal(p) for p in local],
            up.options,
            review=_gate(ctx, up.policy, up.workers),
            on_progress=progress,
            origin=up.mirror,
            before_publish=_may_publish(req, ctx, up.name),
        )
    finally:
        _drop(req, upload)
    return result.to_dict()


def _may_publish(req: Request, ctx: Context, name: str):
    def check(number: int) -> None:
        # the dataset may have been created by someone else since import.begin: its owner is whoever came first
        if number > 1 and not req.config.personal:
            Access(ctx.catalog).check(req.user, "import", name)

    return check


def _literal(path: Path) -> str:
    """The store expands globs; a copied file's name is a name, whatever characters it holds."""
    return glob.escape(str(path))


def _upload(req: Request, upload: str) -> Upload:
    found = req.session.uploads.get(upload) if isinstance(upload, str) else None
    if not isinstance(found, Upload):
        raise UsageError(f"no upload {upload!r} on this connection: start with import.begin")
    return found


def _drop(req: Request, upload: str) -> None:
    found = req.session.uploads.pop(upload, None)
    if found is not None:
        found.discard()


def _entry(entry: Any) -> tuple[str, str]:
    if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
        raise UsageError("import.files: each entry needs a path")
    shown = entry.get("shown")
    return entry["path"], shown if isinstance(shown, str) else entry["path"]


def _count(items: Any) -> int:
    return len(items) if isinstance(items, list) else 0


def _options(doc: Any) -> ImportOptions:
    if not isinstance(doc, dict):
        raise UsageError("import.begin: options must be an object")
    fmt = _optional(doc, "format", str, "--format")
    if fmt is not None and fmt not in FORMATS:
        raise UsageError(f"--format {fmt!r} is not one of {', '.join(FORMATS)}")
    limits_doc = doc.get("limits") or {}
    if not isinstance(limits_doc, dict):
        raise UsageError("import.begin: limits must be an object")
    limits = Limits.given(
        **{
            key: _optional(limits_doc, key, int, f"--max-{key.removesuffix('_bytes').replace('_', '-')}")
            for key in ("file_bytes", "line_bytes", "field_bytes", "depth")
        }
    ).validate()
    retention = _optional(doc, "retention_days", (int, float), "--retention-days")
    on_error = doc.get("on_error", "fail")
    if on_error not in ("fail", "skip"):
        raise UsageError(f"--on-error must be fail or skip, not {on_error!r}")
    return ImportOptions(
        format=fmt,
        text_field=_optional(doc, "text_field", str, "--text-field"),
        label_field=_optional(doc, "label_field", str, "--label-field"),
        on_error=on_error,
        retention_days=float(retention) if retention is not None else None,
        compress=bool(doc.get("compress", True)),
        shard_bytes=_optional(doc, "shard_bytes", int, "--shard-size") or DEFAULT_SHARD_BYTES,
        limits=limits,
    )


def _optional(doc: dict[str, Any], key: str, kind: type | tuple[type, ...], flag: str) -> Any:
    value = doc.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, kind)):
        raise UsageError(f"{flag} {value!r} has the wrong type")
    return value


def _policy(doc: Any) -> Policy:
    if doc is None:
        return Policy.load(None)
    if not isinstance(doc, dict) or not isinstance(doc.get("where"), str) or not isinstance(doc.get("text"), str):
        raise UsageError("import.begin: a policy is sent as {where, text}")
    try:
        text = base64.b64decode(doc["text"], validate=True)
    except (binascii.Error, ValueError):
        raise UsageError("import.begin: the policy text is not base64") from None
    if len(text) > MAX_POLICY_BYTES:
        raise UsageError(f"policy file {doc['where']} is larger than {MAX_POLICY_BYTES >> 20} MiB")
    return Policy.parse(text, doc["where"])


def _sweep(ctx: Context) -> None:
    sweep(ctx.paths.server_dir)


PERIODIC.append(_sweep)


def _gate(ctx: Context, policy: Policy, workers: int):
    """The privacy review, imported on first use: its detectors take seconds and hundreds of MB to load,
    which a server that only releases keys should not pay at start."""
    from aircluster.privacy.review.gate import ReviewGate

    return ReviewGate(ctx, policy, workers)

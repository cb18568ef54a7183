"""The client's half of `data import`: find the inputs as the store would, open them here, and pass the server the
open files (it never opens a user's file by name; see aircluster/server/mirror.py).

The rules are the store's own, applied on this side: `expand` for names and globs (links, FIFOs and devices
refused with the same messages), `open_regular` for each file, and for image folders the class folders and
files of `images.py`. A file inside an image folder that cannot be read is a bad record, as it is in the
store: it is sent as refused, with why, and `--on-error` decides. Files go in batches of `BATCH_FILES`.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from aircluster.client.connection import Client
from aircluster.errors import InputError, UsageError
from aircluster.store.images import NOT_AN_IMAGE_NAME, class_files, class_names, named_as_image
from aircluster.store.limits import Limits
from aircluster.store.regular import open_regular
from aircluster.store.sources import detect_format, expand, input_size

BATCH_FILES = 200  # one frame's open files (the kernel takes at most 253 in one message)
MAX_POLICY_BYTES = 1 << 20


def _entry(path: Path) -> dict[str, str]:
    return {"path": os.path.abspath(path), "shown": str(path)}


class Uploader:
    """Collects folders, refused files and open files, and sends them in batches to one upload."""

    def __init__(self, server: Client, upload: str, file_bytes: int, advance: Callable[[int], None]):
        self.server, self.upload, self.file_bytes, self.advance = server, upload, file_bytes, advance
        self.sent: set[str] = set()
        self.folders: list[dict[str, str]] = []
        self.refused: list[dict[str, str]] = []
        self.files: list[tuple[dict[str, str], BinaryIO]] = []

    def _new(self, path: Path) -> dict[str, str] | None:
        entry = _entry(path)
        if entry["path"] in self.sent:  # named twice (the import reads it twice, as the store does): sent once
            return None
        self.sent.add(entry["path"])
        return entry

    def folder(self, path: Path) -> None:
        if (entry := self._new(path)) is not None:
            self.folders.append(entry)

    def refuse(self, path: Path, why: str) -> None:
        if (entry := self._new(path)) is not None:
            self.refused.append(entry | {"why": why})

    def file(self, path: Path, opened: BinaryIO | None = None) -> None:
        """`path` opened (unless given open) and queued; an InputError naming it if it cannot be."""
        f = opened if opened is not None else open_regular(path, self.file_bytes)
        entry = self._new(path)
        if entry is None:
            f.close()
            return
        self.files.append((entry, f))
        if len(self.files) >= BATCH_FILES:
            self.flush()

    def flush(self) -> None:
        if not (self.files or self.folders or self.refused):
            return
        try:
            done = self.server.call(
                "import.files",
                upload=self.upload,
                files=[entry for entry, _ in self.files],
                folders=self.folders,
                refused=self.refused,
                fds=[f.fileno() for _, f in self.files],
            )
        finally:
            self.close()
        self.advance(int(done["bytes"]))

    def close(self) -> None:
        for _, f in self.files:
            f.close()
        self.files, self.folders, self.refused = [], [], []


def send_images(up: Uploader, root: Path) -> None:
    """An image folder as images.py reads it: class folders, then every file below them, in the same order."""
    up.folder(root)
    for label in class_names(root):
        up.folder(root / label)
        for path, why in class_files(root / label):
            opened = None
            if why is None and not named_as_image(path):
                why = NOT_AN_IMAGE_NAME
            if why is None:
                try:
                    opened = open_regular(path, up.file_bytes)
                except InputError as err:
                    why = err.detail
            if why is not None:
                up.refuse(path, why)
            else:
                up.file(path, opened)


def send_sources(up: Uploader, paths: list[Path], fmt: str) -> None:
    for path in paths:
        if not path.is_dir():
            up.file(path)
        elif fmt == "images":
            send_images(up, path)
        else:
            up.folder(path)  # the import says why a folder is no input of this format
    up.flush()


def read_policy(path: str | None) -> dict[str, str] | None:
    """The policy's text for the server (which parses and checks it), read with the messages Policy.load gives."""
    if path is None:
        return None
    try:
        with open(path, "rb") as f:
            text = f.read(MAX_POLICY_BYTES + 1)
    except FileNotFoundError:
        raise UsageError(f"policy file {path} does not exist") from None
    except OSError as e:
        raise UsageError(f"cannot read policy file {path}: {e.strerror}") from None
    if len(text) > MAX_POLICY_BYTES:
        raise UsageError(f"policy file {path} is larger than {MAX_POLICY_BYTES >> 20} MiB")
    return {"where": path, "text": base64.b64encode(text).decode()}


class ServerImport:
    """One `data import` through the server: `begin` (checks before anything is read), `upload`, `run`."""

    def __init__(self, server: Client, name: str, sources: list[str], options: dict[str, Any]):
        self.server, self.name, self.options = server, name, options
        self.paths = expand(sources)
        self.format = detect_format(self.paths, options.get("format"))
        self.upload_id: str | None = None

    def begin(self, policy: str | None, scan_workers: int) -> None:
        text = read_policy(policy)
        reply = self.server.call("import.begin", name=self.name, options=self.options, policy=text, scan_workers=scan_workers)
        self.upload_id = str(reply["upload"])

    def input_bytes(self) -> int:
        return input_size(self.paths)

    def upload(self, advance: Callable[[int], None]) -> None:
        assert self.upload_id is not None, "upload() before begin()"
        file_bytes = self.options.get("limits", {}).get("file_bytes") or Limits().file_bytes
        up = Uploader(self.server, self.upload_id, file_bytes, advance)
        try:
            send_sources(up, self.paths, self.format)
        finally:
            up.close()

    def run(self, on_progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
        """The import's result; `on_progress(increment, total)` as the server reads the copies."""
        seen = [0]

        def progress(done: int, total: int) -> None:  # the server sends running totals
            if on_progress is not None and done > seen[0]:
                on_progress(done - seen[0], total)
            seen[0] = max(seen[0], done)

        sources = [os.path.abspath(p) for p in self.paths]
        return self.server.call("import.run", upload=self.upload_id, sources=sources, on_progress=progress)

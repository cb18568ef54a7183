"""The server's private copy of the files a client passed it for `data import`.

The server never opens a user's file by its path: in a shared installation it runs as its own account, and
opening by path would let a user import whatever that account can read (the catalog, the keys). The client
opens its files and passes the open descriptors; the server copies their bytes into
`<state>/uploads/<id>/<the file's absolute path>`, keeping the folder structure, and imports from there.

Everything the user sees names their own files, not the copy: `name` and `error` (the store's
`InputOrigin`) map each copied path back. A file the client refused to open inside an image folder (a
link, a FIFO, a file it may not read) becomes a link to itself in the copy, which the importer refuses as
it refuses every link, so it stays a bad record in its place; `error` then says why the client refused it.

A copy lives as long as its upload: removed after the import, on error, when the connection drops, and, for
a server that was killed, by the housekeeping sweep (`sweep`).
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import stat
import threading
from pathlib import Path, PurePosixPath

from aircluster.errors import InputError, UsageError
from aircluster.store.limits import over
from aircluster.store.regular import SYMLINK_REFUSED, special_kind

MAX_PATH = 4096
MAX_REASON = 400
COPY_CHUNK = 64 << 20
_FALLBACK = {errno.EXDEV, errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP}

_live: set[str] = set()
_live_lock = threading.Lock()


def uploads_dir(server_dir: Path) -> Path:
    return server_dir / "uploads"


def sweep(server_dir: Path) -> list[str]:
    """Remove copies no live upload owns (left by a server that was killed); the names removed."""
    top = uploads_dir(server_dir)
    removed = []
    with _live_lock:
        try:
            found = list(top.iterdir())
        except FileNotFoundError:
            return []
        for path in found:
            if str(path) not in _live:
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path.name)
    return removed


class Mirror:
    def __init__(self, server_dir: Path):
        self.id = secrets.token_hex(16)
        top = uploads_dir(server_dir)
        self.root = top / self.id
        with _live_lock:
            _live.add(str(self.root))
        top.mkdir(mode=0o700, exist_ok=True)
        self.root.mkdir(mode=0o700)
        self.shown: dict[str, str] = {}  # copy's path -> the user's name for it
        self.refused: dict[str, str] = {}  # copy's path -> why the client did not open the original
        self.tops: list[tuple[str, str]] = []  # the import's sources: (copy's path, user's name), longest first

    # --- filling it ---------------------------------------------------------------------------------

    def local(self, path: str) -> Path:
        """Where the user's absolute `path` is copied to; a UsageError for anything but a plain absolute path."""
        parts = PurePosixPath(path).parts if isinstance(path, str) and path.startswith("/") else ()
        if len(parts) < 2 or "\0" in path or len(path) > MAX_PATH or ".." in parts or "/" + "/".join(parts[1:]) != path:
            raise UsageError(f"data import: {path!r} is not an absolute, normalised file path")
        target = self.root.joinpath(*parts[1:])
        for above in target.parents:
            if above == self.root:
                break
            if str(above) in self.refused:
                raise UsageError(f"data import: {path!r} lies below a file that was refused")
        return target

    def add_folder(self, path: str, shown: str) -> None:
        target = self.local(path)
        try:
            target.mkdir(mode=0o700, parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise UsageError(f"data import: {shown} was sent both as a file and as a folder") from None
        self.shown.setdefault(str(target), shown)

    def add_refused(self, path: str, shown: str, why: str) -> None:
        if not isinstance(why, str) or not why or len(why) > MAX_REASON or "\n" in why:
            raise UsageError(f"data import: the reason given for refusing {shown} is not one line of text")
        target = self._new_entry(path, shown)
        os.symlink(target.name, target)  # a link to itself: inert, and refused by the importer as every link is
        self.refused[str(target)] = why

    def add_file(self, path: str, shown: str, fd: int, max_bytes: int) -> int:
        """Copy what `fd` (opened by the client) holds; its size. A regular file of at most `max_bytes` only."""
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = "a folder" if stat.S_ISDIR(st.st_mode) else special_kind(st.st_mode) or "not a regular file"
            raise InputError(f"is {kind}, not a regular file; only regular files are read", shown)
        if st.st_size > max_bytes:
            raise InputError("is " + over(st.st_size, max_bytes, "--max-file-bytes"), shown)
        target = self._new_entry(path, shown)
        out = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        try:
            size = _copy(fd, out, max_bytes + 1)
        except OSError as err:
            raise InputError(f"cannot be read ({err.strerror})", shown) from None
        finally:
            os.close(out)
        if size > max_bytes:
            raise InputError("grew past " + over(size, max_bytes, "--max-file-bytes") + " while it was read", shown)
        return size

    def _new_entry(self, path: str, shown: str) -> Path:
        target = self.local(path)
        if str(target) in self.shown:
            raise UsageError(f"data import: {shown} was sent twice")
        try:
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise UsageError(f"data import: a folder above {shown} was sent as a file") from None
        self.shown[str(target)] = shown
        return target

    def set_sources(self, paths: list[str]) -> list[Path]:
        """The copies of the import's sources (each must have been sent), in order."""
        local = []
        for path in paths:
            target = self.local(path)
            if str(target) not in self.shown:
                raise UsageError(f"data import: the source {path} was not sent before the import ran")
            local.append(target)
        self.tops = sorted({(str(t), self.shown[str(t)]) for t in local}, key=lambda item: -len(item[0]))
        return local

    # --- the user's names (the store's InputOrigin) -------------------------------------------------

    def name(self, path: Path) -> str:
        return self._names(str(path))

    def error(self, err: InputError) -> InputError:
        if err.path is None:
            return err
        detail = err.detail
        if detail == SYMLINK_REFUSED and err.path in self.refused:
            detail = self.refused[err.path]
        return InputError(detail, self._names(err.path), err.line)

    def _names(self, text: str) -> str:
        exact = self.shown.get(text)
        if exact is not None:
            return exact
        for copy, shown in self.tops:  # a path below a source, or several sources named together
            text = text.replace(copy, shown)
        return text.replace(str(self.root), "(upload)")  # never show the server's own path

    # --- removing it -------------------------------------------------------------------------------

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
        with _live_lock:
            _live.discard(str(self.root))


def _copy(src: int, dst: int, limit: int) -> int:
    """Up to `limit` bytes of `src` from its start (its shared file offset is left alone) into `dst`."""
    done = 0
    in_kernel = True
    while done < limit:
        want = min(COPY_CHUNK, limit - done)
        if in_kernel:
            try:
                n = os.copy_file_range(src, dst, want, offset_src=done)
            except OSError as err:
                if err.errno not in _FALLBACK:
                    raise
                in_kernel = False
                continue
        else:
            chunk = os.pread(src, min(want, 1 << 20), done)
            n = len(chunk)
            view = memoryview(chunk)
            while view:
                view = view[os.write(dst, view) :]
        if n == 0:
            break
        done += n
    return done

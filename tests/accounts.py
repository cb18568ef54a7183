"""Real OS accounts for tests that act as someone other than root (tests and CI run as root).

- `ensure_user`: a test account (`aircluster-t-*`), created once with useradd, safe when pytest processes race.
- `run_as`: a command as that account (setpriv), with a clean environment.
- `call_as`: a Python function as that account in a forked child, after this process's imports, returning
  its value or raising its exception here.
- `make_traversable`: lets other accounts walk down to a directory under the temp dir without listing anything.
"""

from __future__ import annotations

import atexit
import fcntl
import grp
import io
import os
import pickle
import pwd
import select
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, TypeVar, overload

PREFIX = "aircluster-t-"
T = TypeVar("T")

_homes_dir: Path | None = None


class ChildFailed(Exception):
    """The function run by `call_as` raised an exception that could not be brought back as itself, or the child died."""


def ensure_user(name: str) -> pwd.struct_passwd:
    """The account `name` (which must start with aircluster-t-), created without a home and with no login shell if absent."""
    if not name.startswith(PREFIX):
        raise ValueError(f"test accounts are named {PREFIX}*, not {name!r}")
    # useradd checks the name before it takes its lock, so two racing useradds both add it: serialize them here
    with open(Path(tempfile.gettempdir()) / "aircluster-t-accounts.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _create(name)


def _create(name: str) -> pwd.struct_passwd:
    deadline = time.monotonic() + 30
    while True:
        try:
            return pwd.getpwnam(name)
        except KeyError:
            pass
        argv = ["useradd", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin"]
        if _group_exists(name):  # left by an earlier run whose account was removed: join it rather than fail
            argv += ["--gid", name]
        proc = subprocess.run([*argv, name], capture_output=True, text=True)
        if proc.returncode == 0:
            continue
        # 1/10: something else (not a test) holds the passwd/group lock; look again
        if proc.returncode not in (1, 10) or time.monotonic() > deadline:
            raise RuntimeError(f"useradd {name} failed: {proc.stderr.strip()}")
        time.sleep(0.1)


def home_of(user: pwd.struct_passwd) -> Path:
    """A writable HOME for `user`, 0700 and owned by it, in a directory made for this pytest process (removed at exit)."""
    global _homes_dir
    if _homes_dir is None:
        _homes_dir = Path(tempfile.mkdtemp(prefix="aircluster-t-homes-"))
        _homes_dir.chmod(0o711)
        atexit.register(shutil.rmtree, _homes_dir, True)
    home = _homes_dir / user.pw_name
    if not home.is_dir():
        home.mkdir(mode=0o700)
        os.chown(home, user.pw_uid, user.pw_gid)
    return home


def clean_env(user: pwd.struct_passwd, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """PATH, PYTHONPATH and AIRCLUSTER_* of this process, the account's own HOME/USER/LOGNAME, then `env` on top."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "PYTHONPATH") or k.startswith("AIRCLUSTER_")}
    own = {"HOME": str(home_of(user)), "USER": user.pw_name, "LOGNAME": user.pw_name, "LANG": "C.UTF-8"}
    return {**keep, **own, **(env or {})}


def run_as(
    user: pwd.struct_passwd,
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: str | Path | None = None,
    input: bytes | str | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """`argv` run as `user` (uid, gid and its supplementary groups) with a clean environment; output captured as text."""
    drop = ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--init-groups", "--"]
    return subprocess.run(
        [*drop, *argv],
        env=clean_env(user, env),
        cwd=cwd,
        input=input.decode() if isinstance(input, bytes) else input,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@overload
def call_as(
    user: pwd.struct_passwd,
    fn: Callable[..., T],
    *args: Any,
    capture: Literal[False] = False,
    env: Mapping[str, str] | None = None,
    timeout: float = 60,
) -> T: ...
@overload
def call_as(
    user: pwd.struct_passwd,
    fn: Callable[..., T],
    *args: Any,
    capture: Literal[True],
    env: Mapping[str, str] | None = None,
    timeout: float = 60,
) -> tuple[T, str, str]: ...
def call_as(
    user: pwd.struct_passwd,
    fn: Callable[..., Any],
    *args: Any,
    capture: bool = False,
    env: Mapping[str, str] | None = None,
    timeout: float = 60,
) -> Any:
    """fn(*args) in a forked child that has become `user`; its return value, or its exception raised here.

    The child's sys.stdout/sys.stderr are StringIO (what subprocesses write to fd 1/2 is not caught): with
    capture=True the result is (value, out, err), else what it printed is printed here. HOME, USER and LOGNAME
    are the account's, and `env` is set on top, in the child only.
    """
    home = home_of(user)
    sys.stdout.flush()
    sys.stderr.flush()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never returns into the caller's code (no pytest teardown, no atexit)
        os.close(read_fd)
        _child(user, home, fn, args, env, write_fd)
    os.close(write_fd)
    data = _read_all(read_fd, pid, timeout)
    _, status = os.waitpid(pid, 0)
    if not data:
        raise ChildFailed(
            f"call_as({user.pw_name}, {getattr(fn, '__name__', fn)}) child died without a result: wait status {status}"
        )
    outcome, value, out, err = pickle.loads(data)
    if not capture:
        sys.stdout.write(out)
        sys.stderr.write(err)
    if outcome == "raised":
        raise _rebuild(value)
    return (value, out, err) if capture else value


def make_traversable(path: str | Path) -> None:
    """chmod o+x on `path` (if a directory) and each directory above it, so other accounts can walk down to it.

    Only the search bit: nothing becomes readable or listable. Refuses paths outside the temp dir.
    """
    path = Path(path).resolve()
    tmp = Path(tempfile.gettempdir()).resolve()
    if not path.is_relative_to(tmp):
        raise ValueError(f"make_traversable is for test directories under {tmp}, not {path}")
    for d in [path, *path.parents] if path.is_dir() else path.parents:
        mode = d.stat().st_mode
        if not mode & stat.S_IXOTH:
            d.chmod(stat.S_IMODE(mode) | stat.S_IXOTH)


def _group_exists(name: str) -> bool:
    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True


def _child(
    user: pwd.struct_passwd, home: Path, fn: Callable[..., Any], args: tuple[Any, ...], env: Mapping[str, str] | None, fd: int
) -> None:
    code = 0
    out, err = io.StringIO(), io.StringIO()
    try:
        sys.stdout, sys.stderr = out, err
        os.setgroups(os.getgrouplist(user.pw_name, user.pw_gid))
        os.setgid(user.pw_gid)
        os.setuid(user.pw_uid)
        os.environ.update({"HOME": str(home), "USER": user.pw_name, "LOGNAME": user.pw_name, **(env or {})})
        try:
            value = fn(*args)
            payload = pickle.dumps(("returned", value, out.getvalue(), err.getvalue()))  # an unpicklable value raises here
        except BaseException as exc:  # noqa: BLE001 - every exception goes back to the parent
            payload = pickle.dumps(("raised", _portable(exc), out.getvalue(), err.getvalue()))
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(payload)
    except BaseException:  # noqa: BLE001 - dropping privileges or writing failed: say so on the real stderr
        code = 1
        os.write(2, traceback.format_exc().encode())
    finally:
        os._exit(code)


def _portable(exc: BaseException) -> tuple[bytes | None, str, str, str]:
    """The exception pickled if it can be (it is then raised as itself), plus type name, message and traceback."""
    try:
        pickled: bytes | None = pickle.dumps(exc)
    except Exception:  # noqa: BLE001 - unpicklable exceptions come back as ChildFailed
        pickled = None
    kind = f"{type(exc).__module__}.{type(exc).__qualname__}"
    return pickled, kind, str(exc), "".join(traceback.format_exception(exc))


def _rebuild(portable: tuple[bytes | None, str, str, str]) -> BaseException:
    pickled, kind, message, tb = portable
    exc: BaseException | None = None
    if pickled is not None:
        try:
            exc = pickle.loads(pickled)
        except Exception:  # noqa: BLE001 - e.g. an exception whose __init__ takes other arguments
            exc = None
    if not isinstance(exc, BaseException):
        exc = ChildFailed(f"{kind}: {message}")
    exc.add_note(f"raised in call_as child:\n{tb}")
    return exc


def _read_all(fd: int, pid: int, timeout: float) -> bytes:
    """Everything the child writes before it closes the pipe; the child is killed after `timeout` seconds."""
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                raise TimeoutError(f"call_as child {pid} still running after {timeout:g} s: killed")
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
    finally:
        os.close(fd)

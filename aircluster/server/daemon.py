"""The server process: listens on the installation's Unix socket (and TCP when asked), learns each caller's
identity from the kernel or MUNGE, and answers operations one connection per thread.

It runs as the server's account (dropping root first), with core dumps off, and exits when told to
(`server stop`, SIGTERM), when its home is removed, or after `idle_exit` seconds without a connection
(a personal server started on demand).
"""

from __future__ import annotations

import fcntl
import logging
import os
import select
import signal
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aircluster.client import protocol
from aircluster.context import Context, open_context
from aircluster.errors import AirclusterError, Interrupted, PermissionDenied, UsageError
from aircluster.security.hygiene import no_core_dumps
from aircluster.server import caller as callers
from aircluster.server.config import ServerConfig
from aircluster.server.registry import OPERATIONS, Request, Session

log = logging.getLogger("aircluster.server")
HOUSEKEEPING_SECONDS = 5.0
Periodic = Callable[[Context], None]
PERIODIC: list[Periodic] = []  # jobs' reaper registers here


def drop_privileges(config: ServerConfig) -> None:
    if os.getuid() != 0 or config.uid == 0:
        return
    os.setgroups([])
    os.setgid(config.gid)
    os.setuid(config.uid)


class Daemon:
    def __init__(self, home: Path, config: ServerConfig, *, listen: str | None = None, idle_exit: float | None = None):
        self.home = home
        self.config = config
        self.paths = config.paths(home)
        self.listen = listen if listen is not None else config.listen
        self.idle_exit = idle_exit
        self.stopping = threading.Event()
        self._connections = 0
        self._last_active = time.monotonic()
        self._lock = threading.Lock()
        self._listeners: list[socket.socket] = []
        self.munge_socket = os.environ.get("AIRCLUSTER_MUNGE_SOCKET")

    # --- life cycle ------------------------------------------------------------------------------

    def run(self) -> int:
        drop_privileges(self.config)
        no_core_dumps()  # this process holds the master key
        os.umask(0o077)
        lock = self._single_instance()
        if lock is None:
            print(f"an aircluster server already runs for {self.home}", file=sys.stderr)
            return 0
        self._log_to_file()
        self._bind_unix()
        if self.listen:
            self._bind_tcp(self.listen)
        self._write_pid()
        signal.signal(signal.SIGTERM, lambda *_: self.stopping.set())
        signal.signal(signal.SIGINT, lambda *_: self.stopping.set())
        for listener in self._listeners:
            threading.Thread(target=self._accept_loop, args=(listener,), daemon=True).start()
        log.info("serving %s (%s, account %s, listen %s)", self.home, self.config.mode, self.config.account, self.listen)
        try:
            self._housekeeping_loop()
        finally:
            self._shutdown()
            lock.close()
        return 0

    def _single_instance(self):
        f = open(self.paths.server_dir / "server.lock", "a+")  # noqa: SIM115 - held for the process's life
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.close()
            return None
        return f

    def _log_to_file(self) -> None:
        fd = os.open(self.paths.server_log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.close(fd)
        sys.stdout = open(1, "w", buffering=1, closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", buffering=1, closefd=False)  # noqa: SIM115
        logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", force=True)

    def _bind_unix(self) -> None:
        path = self.paths.socket
        try:
            path.unlink()  # stale: the instance lock says no server holds it
        except FileNotFoundError:
            pass
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.bind(str(path))
        # Anyone may connect: the kernel tells us who did, and that, not the file mode, decides.
        os.chmod(path, 0o666)
        sock.listen(64)
        self._listeners.append(sock)

    def _bind_tcp(self, listen: str) -> None:
        host, _, port = listen.rpartition(":")
        if not port.isdigit():
            raise UsageError(f"--listen {listen}: give HOST:PORT")
        sock = socket.create_server((host.strip("[]") or "0.0.0.0", int(port)), reuse_port=False)
        self.listen = f"{host}:{sock.getsockname()[1]}"  # port 0: the one the kernel chose
        self._listeners.append(sock)

    def _write_pid(self) -> None:
        tmp = self.paths.server_pid.with_name("server.pid.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        with os.fdopen(fd, "w") as f:
            f.write(f"{os.getpid()}\n{self.listen or ''}\n")
        os.chmod(tmp, 0o644)
        os.replace(tmp, self.paths.server_pid)

    def _shutdown(self) -> None:
        for listener in self._listeners:
            listener.close()
        for path in (self.paths.socket, self.paths.server_pid):
            try:
                path.unlink()
            except FileNotFoundError:
                pass
        log.info("stopped")

    def _housekeeping_loop(self) -> None:
        next_run = 0.0
        while not self.stopping.is_set():
            if not self.paths.server_dir.exists():
                log.info("the installation was removed: stopping")
                return
            now = time.monotonic()
            if now >= next_run:
                self._housekeeping()
                next_run = now + HOUSEKEEPING_SECONDS
            with self._lock:
                idle = self._connections == 0 and now - self._last_active
            if self.idle_exit is not None and idle is not False and idle >= self.idle_exit:
                log.info("idle for %.0f s: stopping", idle)
                return
            self.stopping.wait(0.5)

    def _housekeeping(self) -> None:
        try:
            with open_context(housekeeping=True, paths=self.paths) as ctx:
                server_ctx = ctx.as_caller(self.config.account)
                for task in PERIODIC:
                    task(server_ctx)
        except Exception:  # housekeeping must not kill the server; the log says what failed
            log.error("housekeeping failed:\n%s", traceback.format_exc())

    # --- connections -----------------------------------------------------------------------------

    def _accept_loop(self, listener: socket.socket) -> None:
        while not self.stopping.is_set():
            try:
                conn, addr = listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn, addr, listener.family), daemon=True).start()

    def _serve(self, conn: socket.socket, addr: Any, family: int) -> None:
        with self._lock:
            self._connections += 1
        try:
            unix = family == socket.AF_UNIX
            try:
                caller = callers.from_unix_socket(conn) if unix else callers.from_munge(conn, str(addr[0]), self.munge_socket)
                self._admit(caller)
            except (AirclusterError, protocol.ConnectionLost, OSError) as err:
                if isinstance(err, AirclusterError):
                    log.warning("refused a connection: %s", err)
                    try:
                        protocol.send(conn, protocol.error_reply(err))
                    except OSError:
                        pass
                return
            session = Session(caller, self.home, self.config, lambda: open_context(False, self.paths), self.stopping.set)
            try:
                while not self.stopping.is_set():
                    try:
                        message, fds = protocol.receive(conn, with_fds=unix)
                    except (protocol.ConnectionLost, OSError):
                        return
                    protocol.send(conn, self._dispatch(conn, session, message, fds))
            finally:
                session.close()
        finally:
            conn.close()
            with self._lock:
                self._connections -= 1
                self._last_active = time.monotonic()

    def _admit(self, caller: callers.Caller) -> None:
        if self.config.personal and caller.uid not in (self.config.uid,):
            raise PermissionDenied(
                f"this is {self.config.account}'s personal aircluster installation; {caller.user} may not use it"
            )

    def _dispatch(self, conn: socket.socket, session: Session, message: dict[str, Any], fds: list[int]) -> dict[str, Any]:
        op = message.get("op")
        args = message.get("args") or {}
        handler = OPERATIONS.get(op) if isinstance(op, str) else None
        try:
            if handler is None:
                raise UsageError(f"the server has no operation {op!r}")
            if not isinstance(args, dict):
                raise UsageError(f"{op}: arguments must be an object")
            node = message.get("node")
            request = Request(session, fds, _progress_sender(conn), said_node=node if isinstance(node, str) and node else None)
            try:
                result = handler(request, **args)
            except TypeError as err:
                if "argument" in str(err) and handler.__name__ in str(err):
                    raise UsageError(f"{op}: {err}") from None
                raise
            return {"ok": True, "result": result}
        except AirclusterError as err:
            return protocol.error_reply(err)
        except Exception as err:
            log.error("%s by %s failed:\n%s", op, session.caller.user, traceback.format_exc())
            return protocol.error_reply(err)
        finally:
            for fd in fds:
                try:
                    os.close(fd)
                except OSError:
                    pass


def _progress_sender(conn: socket.socket) -> Callable[[int, int], None]:
    """Progress for the client, and the way a long operation learns its client went away (killed, or
    interrupted): the operation then fails here, at its next step, and rolls back what it did."""
    last = [0.0]

    def send(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= 0.1 or done >= total:
            last[0] = now
            if _hung_up(conn):
                raise Interrupted("the client went away; the operation was rolled back")
            protocol.send(conn, {"progress": done, "total": total})

    return send


def _hung_up(conn: socket.socket) -> bool:
    # A client waits for its reply and sends nothing meanwhile: anything readable now is the end of the stream.
    readable, _, _ = select.select([conn], [], [], 0)
    if not readable:
        return False
    try:
        return conn.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True

"""A connection to the aircluster server, and how a client finds (or, for a personal home, starts) it.

    with connect() as server:
        server.call("versions.list")

`AIRCLUSTER_SERVER` names the server: a Unix socket path, or HOST:PORT for TCP from other nodes (the
client then proves its uid with a MUNGE credential over the server's challenge). Without it, the
installation's own socket. The client states nothing about who it is: the server asks the kernel.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable
from typing import Any

from aircluster import installation
from aircluster.client import protocol
from aircluster.errors import ServerUnavailable

CONNECT_TIMEOUT = 10.0
NODE_ENV = "SLURMD_NODENAME"


def server_address() -> str:
    return os.environ.get("AIRCLUSTER_SERVER") or str(installation.paths().socket)


def node_name() -> str | None:
    """The Slurm node this process runs on (set by slurmd for a job's processes), else None."""
    return os.environ.get(NODE_ENV) or None


def is_tcp(address: str) -> bool:
    host, sep, port = address.rpartition(":")
    return bool(sep) and port.isdigit() and "/" not in address


class Client:
    """One connection; requests go one at a time (a lock keeps threads from interleaving frames)."""

    def __init__(self, address: str | None = None):
        self.address = address or server_address()
        self.pid = os.getpid()
        self.node = node_name()
        self._lock = threading.Lock()
        self._sock = self._open()

    def _open(self) -> socket.socket:
        try:
            if is_tcp(self.address):
                host, _, port = self.address.rpartition(":")
                sock = socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT)
                sock.settimeout(None)
                self._answer_challenge(sock)
            else:
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.settimeout(CONNECT_TIMEOUT)
                sock.connect(self.address)
                sock.settimeout(None)
        except (FileNotFoundError, ConnectionRefusedError, TimeoutError, socket.gaierror) as err:
            raise ServerUnavailable(f"no aircluster server at {self.address} ({err.strerror or err}): {_hint()}") from None
        except PermissionError:
            raise ServerUnavailable(f"cannot reach the aircluster server at {self.address}: permission denied") from None
        return sock

    def _answer_challenge(self, sock: socket.socket) -> None:
        from aircluster.security import munge

        hello, _ = protocol.receive(sock)
        nonce = hello.get("challenge")
        if not isinstance(nonce, str):
            raise ServerUnavailable(f"the server at {self.address} did not send a challenge")
        node = node_name()
        protocol.send(sock, {"munge": munge.encode(protocol.challenge_payload(nonce, node)), "node": node})

    def call(
        self, op: str, *, on_progress: Callable[[int, int], None] | None = None, fds: list[int] | None = None, **args: Any
    ) -> Any:
        if os.getpid() != self.pid:
            raise ServerUnavailable("a server connection cannot be used across fork: open a new one in the child")
        with self._lock:
            try:
                try:
                    # On the Unix socket the node is said with each request (TCP: in the credential, once).
                    frame = {"op": op, "args": args, **({"node": self.node} if self.node else {})}
                    protocol.send(self._sock, frame, fds)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the server refused this connection and closed it: its reason is still there to read
                while True:
                    reply, _ = protocol.receive(self._sock)
                    if "progress" in reply:
                        if on_progress is not None:
                            on_progress(int(reply["progress"]), int(reply.get("total") or 0))
                        continue
                    break
            except (protocol.ConnectionLost, ConnectionError, BrokenPipeError) as err:
                raise ServerUnavailable(f"lost the connection to the aircluster server at {self.address}: {err}") from None
        if not reply.get("ok"):
            protocol.raise_error(reply)
        return reply.get("result")

    def close(self) -> None:
        try:
            self._sock.close()
        except OSError:
            pass

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _hint() -> str:
    if os.environ.get("AIRCLUSTER_SERVER"):
        return "check AIRCLUSTER_SERVER, or ask the operator whether the server runs"
    return "run `aircluster init` (a personal installation) or `aircluster server start`"


def connect(address: str | None = None, *, autostart: bool = True) -> Client:
    """A connection to the server; for a personal installation whose server is not running, start it first."""
    try:
        return Client(address)
    except ServerUnavailable:
        if address is not None or os.environ.get("AIRCLUSTER_SERVER") or not autostart:
            raise
        from aircluster.client.autostart import start_personal_server

        if not start_personal_server():
            raise
        return Client(address)


def call(op: str, **args: Any) -> Any:
    """One request on a connection of its own: what a command that asks the server one thing needs."""
    with connect() as server:
        return server.call(op, **args)

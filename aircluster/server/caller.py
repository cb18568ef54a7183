"""Who is asking: the kernel's word on a Unix socket (SO_PEERCRED), MUNGE's over TCP. Never the client's."""

from __future__ import annotations

import secrets
import socket
import struct
from dataclasses import dataclass

from aircluster import installation
from aircluster.client import protocol
from aircluster.errors import PermissionDenied

_UCRED = struct.Struct("3i")


@dataclass(frozen=True)
class Caller:
    user: str
    uid: int
    gid: int
    transport: str  # "unix" | "tcp"
    pid: int | None = None  # the connecting process (Unix socket only)
    host: str | None = None  # the peer's address (TCP only)

    def where(self) -> dict[str, object]:
        place: dict[str, object] = {"via": self.transport}
        if self.pid is not None:
            place["pid"] = self.pid
        else:
            place["host"] = self.host
        return place


def from_unix_socket(conn: socket.socket) -> Caller:
    pid, uid, gid = _UCRED.unpack(conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _UCRED.size))
    return Caller(installation.account_name(uid), uid, gid, "unix", pid=pid)


def from_munge(conn: socket.socket, peer: str, munge_socket: str | None = None) -> Caller:
    """Challenge-response: the client must return a fresh MUNGE credential whose payload is our nonce, so a
    credential captured from another connection (or replayed) does not authenticate this one."""
    from aircluster.security import munge

    nonce = secrets.token_hex(16)
    protocol.send(conn, {"challenge": nonce})
    answer, _ = protocol.receive(conn)
    credential = answer.get("munge")
    if not isinstance(credential, str):
        raise PermissionDenied("a TCP client must answer the challenge with a MUNGE credential")
    try:
        decoded = munge.decode(credential, socket=munge_socket)
    except munge.MungeError as err:
        raise PermissionDenied(f"MUNGE credential refused: {err}") from None
    if decoded.payload != nonce.encode():
        raise PermissionDenied("MUNGE credential was made for another connection")
    return Caller(installation.account_name(decoded.uid), decoded.uid, decoded.gid, "tcp", host=peer)

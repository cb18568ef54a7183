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
    origin: str | None = None  # the address of the host whose munged encoded the credential (TCP only)
    node: str | None = None  # the Slurm node the client says it runs on (TCP: bound into the credential)

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
    credential captured from another connection (or replayed) does not authenticate this one. A client on a
    Slurm node also names its node (SLURMD_NODENAME), in the credential's payload after the nonce."""
    from aircluster.security import munge

    nonce = secrets.token_hex(16)
    protocol.send(conn, {"challenge": nonce})
    answer, _ = protocol.receive(conn)
    credential = answer.get("munge")
    if not isinstance(credential, str):
        raise PermissionDenied("a TCP client must answer the challenge with a MUNGE credential")
    node = answer.get("node")
    if node is not None and (not isinstance(node, str) or not node or not node.isprintable() or "\n" in node):
        raise PermissionDenied("a TCP client named its node with something that is not a node name")
    try:
        decoded = munge.decode(credential, socket=munge_socket)
    except munge.MungeError as err:
        raise PermissionDenied(f"MUNGE credential refused: {err}") from None
    if decoded.payload != protocol.challenge_payload(nonce, node):
        raise PermissionDenied("MUNGE credential was made for another connection")
    user = installation.account_name(decoded.uid)
    return Caller(user, decoded.uid, decoded.gid, "tcp", host=peer, origin=decoded.host, node=node)

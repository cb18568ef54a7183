"""Who the server serves: in a personal installation only its one user (who may then approve her own imports,
and the audit says four-eyes did not hold); over TCP only a caller with a fresh MUNGE credential made for
this very connection."""

from __future__ import annotations

import encodings.idna  # noqa: F401 - getaddrinfo loads it lazily, and call_as children cannot reach the stdlib
import json
import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aircluster import installation
from aircluster.client import protocol
from aircluster.client.connection import Client
from aircluster.context import open_context
from aircluster.security import munge
from aircluster.server.operations.review import PERSONAL_NOTE
from aircluster.store.ingest import ImportOptions, import_dataset
from tests.accounts import call_as
from tests.munged import private_munged
from tests.unit.server.conftest import (
    Installation,
    new_shared,
    one_line_error,
    people,
    python_for,
    read_rows,
    records,
    write_jsonl,
)

pytestmark = pytest.mark.slow


@pytest.fixture
def personal() -> Iterator[Installation]:
    """alice's own installation (`aircluster init` as alice) in a directory other accounts may traverse."""
    who = people()
    alice = who["alice"]
    top = Path(tempfile.mkdtemp(prefix="aircluster-t-personal-"))
    top.chmod(0o755)
    (top / "sources").mkdir(mode=0o755)
    (top / "sources").chmod(0o755)
    os.chown(top, alice.pw_uid, alice.pw_gid)
    inst = Installation(top, top / "home", alice, who, python_for(alice), {"AIRCLUSTER_SERVER_IDLE_EXIT": "120"})
    try:
        created = json.loads(inst.ok(alice, "init", "--json"))
        assert created["mode"] == "personal" and created["created"] is True
        yield inst
    finally:
        inst.cli(alice, "server", "stop")
        inst.kill()
        shutil.rmtree(top, ignore_errors=True)


def _import_own(home: str, source: str) -> str:
    """As alice, in her own installation: the library import (she is the one person here)."""
    with open_context(paths=installation.Paths(Path(home))) as ctx:
        return import_dataset(ctx, "notes", [source], ImportOptions(), review=None).ref


def test_in_a_personal_installation_its_user_approves_her_own_import_and_the_audit_says_four_eyes_did_not_hold(
    personal: Installation,
) -> None:
    alice = personal.alice
    source = write_jsonl(personal.top / "sources" / "notes.jsonl", records(12))
    ref = call_as(alice, _import_own, str(personal.home), str(source), env=personal.env())
    done = json.loads(personal.ok(alice, "review", "approve", ref, "--note", "my own data", "--json"))
    assert done == {"ref": ref, "decision": "approved", "principal": alice.pw_name, "four_eyes": False, "note": PERSONAL_NOTE}
    entries = [json.loads(line) for line in personal.paths.audit_log.read_text().splitlines()]
    approvals = [e for e in entries if e["action"] == "review.approve"]
    assert len(approvals) == 1
    assert (approvals[0]["decided_by"], approvals[0]["principal"], approvals[0]["four_eyes"]) == (
        alice.pw_name,
        alice.pw_name,
        False,
    )
    assert len(read_rows(personal.ok(alice, "data", "read", ref))) == 12
    status = json.loads(personal.ok(alice, "server", "status", "--json"))
    assert status["running"] and status["mode"] == "personal" and status["account"] == alice.pw_name


def test_another_account_connecting_to_a_personal_server_is_refused(personal: Installation) -> None:
    alice, bob = personal.alice, personal.bob
    assert json.loads(personal.ok(alice, "whoami", "--json"))["user"] == alice.pw_name  # starts her server
    for args in (("whoami",), ("data", "ls"), ("data", "read", "notes@1")):
        refused = one_line_error(personal.cli(bob, *args))
        assert f"this is {alice.pw_name}'s personal aircluster installation; {bob.pw_name} may not use it" in refused, refused
    # bob cannot start a server of his own for her home either
    assert "belongs to the server's account" in one_line_error(personal.cli(bob, "server", "start"))


# --- TCP with MUNGE ---------------------------------------------------------------------------------------


@pytest.fixture
def munge_socket() -> Iterator[str]:
    with private_munged() as path:
        yield str(path)


@pytest.fixture
def over_tcp(munge_socket: str) -> Iterator[tuple[Installation, str]]:
    """A shared installation whose server also listens on 127.0.0.1 (a port the kernel picks)."""
    inst = new_shared({"AIRCLUSTER_MUNGE_SOCKET": munge_socket})
    try:
        started = inst.start("--listen", "127.0.0.1:0")
        assert started["listen"] and started["listen"].startswith("127.0.0.1:")
        yield inst, started["listen"]
    finally:
        inst.stop()
        inst.kill()
        shutil.rmtree(inst.top, ignore_errors=True)


def _challenge(address: str) -> tuple[socket.socket, str]:
    host, _, port = address.rpartition(":")
    conn = socket.create_connection((host, int(port)), timeout=10)
    hello, _ = protocol.receive(conn)
    return conn, hello["challenge"]


def _answer(conn: socket.socket, answer: dict[str, Any]) -> dict[str, Any]:
    """Send the answer to the challenge and a request; the server's reply (a refusal comes instead of it)."""
    protocol.send(conn, answer)
    try:
        protocol.send(conn, {"op": "whoami", "args": {}})
    except OSError:
        pass  # refused and closed already: its refusal is still to be read
    reply, _ = protocol.receive(conn)
    conn.close()
    return reply


def _tcp_attempts(address: str, other_munge_socket: str) -> dict[str, dict[str, Any]]:
    """As a test account: an honest connection, then credentials that must not authenticate."""
    results: dict[str, dict[str, Any]] = {}
    with Client(address) as client:
        results["honest"] = client.call("whoami")

    conn, nonce = _challenge(address)
    results["other_payload"] = _answer(conn, {"munge": munge.encode(b"a nonce of another connection")})

    conn, nonce = _challenge(address)
    captured = munge.encode(nonce.encode())
    results["first_use"] = _answer(conn, {"munge": captured})
    conn, _ = _challenge(address)
    results["replayed"] = _answer(conn, {"munge": captured})

    conn, nonce = _challenge(address)
    results["other_realm"] = _answer(conn, {"munge": munge.encode(nonce.encode(), socket=other_munge_socket)})

    conn, _ = _challenge(address)
    results["no_credential"] = _answer(conn, {"user": "root"})

    # A client on a Slurm node names it, inside the credential: a name added beside a credential made without it is refused.
    conn, nonce = _challenge(address)
    results["node_named"] = _answer(conn, {"munge": munge.encode(protocol.challenge_payload(nonce, "node1")), "node": "node1"})
    conn, nonce = _challenge(address)
    results["node_added"] = _answer(conn, {"munge": munge.encode(nonce.encode()), "node": "node1"})
    conn, nonce = _challenge(address)
    results["node_changed"] = _answer(conn, {"munge": munge.encode(protocol.challenge_payload(nonce, "node1")), "node": "node2"})
    return results


def test_over_tcp_only_a_fresh_munge_credential_for_this_connection_is_accepted(over_tcp: tuple[Installation, str]) -> None:
    inst, address = over_tcp
    with private_munged() as other:  # another cluster's munged: another key
        results = call_as(inst.alice, _tcp_attempts, address, str(other), env=inst.env())
    assert results["honest"]["user"] == inst.alice.pw_name and results["honest"]["via"] == "tcp"
    assert results["first_use"]["ok"] and results["first_use"]["result"]["user"] == inst.alice.pw_name

    def refused(name: str) -> str:
        reply = results[name]
        assert reply["ok"] is False and reply["error"] == "PermissionDenied", (name, reply)
        return reply["message"]

    assert "made for another connection" in refused("other_payload")
    replayed = refused("replayed")
    assert "another connection" in replayed or "replayed" in replayed, replayed
    assert "MUNGE credential refused" in refused("other_realm")
    assert "must answer the challenge with a MUNGE credential" in refused("no_credential")
    assert results["node_named"]["ok"] and results["node_named"]["result"]["node"] == "node1"
    assert results["honest"]["node"] is None  # no SLURMD_NODENAME: no node
    assert "made for another connection" in refused("node_added")
    assert "made for another connection" in refused("node_changed")

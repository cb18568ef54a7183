"""MUNGE credentials against a real munged of the test's own: who made them, replays, forgeries, failures."""

from __future__ import annotations

import functools
import pwd
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from aircluster.security import munge
from aircluster.security.munge import CredentialReplayed, MungeError
from tests.accounts import call_as, ensure_user, run_as
from tests.munged import private_munged


@pytest.fixture(scope="module")
def socket() -> Iterator[str]:
    with private_munged() as path:
        yield str(path)


@pytest.fixture(scope="module")
def alice() -> pwd.struct_passwd:
    return ensure_user("aircluster-t-alice")


def test_round_trip_carries_payload_uid_and_ttl(socket: str) -> None:
    payload = bytes(range(256)) + b"\n\nafter a blank line"
    before = int(time.time())
    cred = munge.decode(munge.encode(payload, socket=socket, ttl=60), socket=socket)
    assert cred.payload == payload
    assert (cred.uid, cred.gid, cred.ttl) == (0, 0, 60)
    assert before - 1 <= cred.encoded_at <= time.time() + 1
    assert cred.host


def test_empty_payload_and_socket_from_the_environment(socket: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(munge.SOCKET_ENV, socket)
    cred = munge.decode(munge.encode(b""))
    assert cred.payload == b""
    assert cred.ttl == 300  # munged's default


def test_second_decode_is_a_replay(socket: str) -> None:
    text = munge.encode(b"nonce", socket=socket)
    assert munge.decode(text, socket=socket).payload == b"nonce"
    with pytest.raises(CredentialReplayed, match="replayed") as caught:
        munge.decode(text, socket=socket)
    assert caught.value.reason == "replayed"
    assert isinstance(caught.value, MungeError)


@pytest.mark.parametrize("text", ["garbage", "MUNGE:AAAA:", "   "])
def test_garbage_is_invalid(socket: str, text: str) -> None:
    with pytest.raises(MungeError, match="MUNGE credential invalid") as caught:
        munge.decode(text, socket=socket)
    assert caught.value.reason == "invalid"
    assert "\n" not in str(caught.value)


def test_an_edited_credential_does_not_authenticate(socket: str) -> None:
    text = munge.encode(b"pay 10", socket=socket)
    mid = len(text) // 2
    edited = text[:mid] + ("A" if text[mid] != "A" else "B") + text[mid + 1 :]
    with pytest.raises(MungeError) as caught:
        munge.decode(edited, socket=socket)
    assert caught.value.reason == "invalid"


def test_a_credential_from_a_host_with_another_key_is_refused(socket: str) -> None:
    with private_munged() as other:
        text = munge.encode(b"x", socket=str(other))
    with pytest.raises(MungeError, match="does not authenticate") as caught:
        munge.decode(text, socket=socket)
    assert caught.value.reason == "invalid"


def test_expired(socket: str) -> None:
    text = munge.encode(b"x", socket=socket, ttl=1)
    time.sleep(2.2)
    with pytest.raises(MungeError, match="expired") as caught:
        munge.decode(text, socket=socket)
    assert caught.value.reason == "expired"


def test_another_account_made_by_the_binary(socket: str, alice: pwd.struct_passwd) -> None:
    proc = run_as(alice, ["munge", "--socket", socket, "--string", "from alice"])
    assert proc.returncode == 0, proc.stderr
    cred = munge.decode(proc.stdout, socket=socket)
    assert (cred.uid, cred.gid, cred.payload) == (alice.pw_uid, alice.pw_gid, b"from alice")


def test_another_account_through_encode(socket: str, alice: pwd.struct_passwd) -> None:
    text = call_as(alice, functools.partial(munge.encode, socket=socket), b"challenge")
    cred = munge.decode(text, socket=socket)
    assert (cred.uid, cred.payload) == (alice.pw_uid, b"challenge")


def test_a_uid_cannot_be_claimed(socket: str, alice: pwd.struct_passwd) -> None:
    # munge's --uid is for root only: alice asking for root's uid gets no credential
    proc = run_as(alice, ["munge", "--socket", socket, "--uid", "0", "--no-input"])
    assert proc.returncode != 0
    assert "MUNGE:" not in proc.stdout


def test_missing_socket_is_unreachable(tmp_path: Path) -> None:
    gone = str(tmp_path / "no-munged.socket")
    for attempt in (lambda: munge.encode(b"x", socket=gone), lambda: munge.decode("MUNGE:AAAA:", socket=gone)):
        with pytest.raises(MungeError, match=f"munged not reachable at {gone}") as caught:
            attempt()
        assert caught.value.reason == "unreachable"
        assert "\n" not in str(caught.value)


def test_missing_binaries(socket: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(MungeError, match="munge not found on PATH") as caught:
        munge.encode(b"x", socket=socket)
    assert caught.value.reason == "missing"
    with pytest.raises(MungeError, match="unmunge not found on PATH"):
        munge.decode("MUNGE:AAAA:", socket=socket)


def test_bad_ttl_is_named(socket: str) -> None:
    with pytest.raises(MungeError, match="time-to-live") as caught:
        munge.encode(b"x", socket=socket, ttl=-7)
    assert caught.value.reason == "failed"

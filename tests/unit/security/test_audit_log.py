"""The audit log as a user can check it: every attack done the way someone who can write the home
would do it, on the files, and detected by a user whose `audit verify` saw a later head.

Two kinds of attacker: one who edits files and cannot sign (the log's key is the server's, once there
is one), and one who also holds today's signing key (it sits in the installation's key directory)
and re-signs a head over whatever they wrote. The second is caught only by what users saw before;
each such test also shows a fresh user, who has seen nothing, accepting the forgery on first use, so
that the detection is known to come from the witness and not from a malformed forgery.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from aircluster.context import open_audit
from aircluster.errors import IntegrityError
from aircluster.security import merkle
from aircluster.security.tree_head import TreeHead
from tests.conftest import REPO


def verify(cli) -> tuple[int, dict]:
    code, out, _ = cli("audit", "verify", "--json")
    return code, json.loads(out)


def assert_detected(cli, failure: str) -> dict:
    """Detected both ways: `--json` names it; the text form is one line on stderr with a non-zero exit."""
    code, result = verify(cli)
    assert code == 3 and not result["ok"] and result["failure"] == failure, result
    code, out, err = cli("audit", "verify")
    assert code == 3 and out == "" and err.startswith("error: audit log tampered: ") and err.count("\n") == 1
    assert err.strip().endswith(result["problem"])
    return result


def fresh_user_accepts(cli, monkeypatch, tmp_path) -> dict:
    """What a user who never verified before makes of the forgery: trusted on first use."""
    with monkeypatch.context() as m:
        m.setenv("XDG_STATE_HOME", str(tmp_path / "fresh-user-state"))
        code, result = verify(cli)
    assert code == 0 and result["ok"] and result["first_use"], result
    return result


def grow(n: int) -> None:
    log = open_audit()
    for i in range(n):
        log.append("test.event", "alice", n=i)


@pytest.fixture
def log(cli, home) -> Path:
    """A log of 8 entries that this user has verified (so its witness holds the head of 8)."""
    grow(7)
    code, result = verify(cli)
    assert code == 0 and result["entries"] == 8 and result["first_use"]
    return home / "audit" / "audit.log"


def lines_of(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines()


def canonical(entry: dict) -> bytes:
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def stolen_key(home: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key((home / "server" / "keys" / "audit-signing.key").read_bytes(), password=None)
    assert isinstance(key, Ed25519PrivateKey)
    return key


def resign(
    home: Path, lines: list[bytes], key: Ed25519PrivateKey, renumber: bool = False, replace_public_key: bool = False
) -> None:
    """Write `lines` as the log and sign a head for them, exactly as the log's writer would."""
    if renumber:
        lines = [canonical({**json.loads(line), "seq": n}) for n, line in enumerate(lines, start=1)]
    data = b"".join(line + b"\n" for line in lines)
    (home / "audit" / "audit.log").write_bytes(data)
    tree = merkle.CompactRange()
    for line in lines:
        tree.append(merkle.leaf_hash(line))
    head = TreeHead(tree.size, tree.root(), int(time.time() * 1000) + 1).sign(key)
    doc = {**head.to_dict(), "frontier": [p.hex() for p in tree.peaks], "log_bytes": len(data)}
    (home / "audit" / "log.head").write_text(json.dumps(doc))
    if replace_public_key:
        pub = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        (home / "audit" / "log.pub").write_bytes(pub)
        (home / "server" / "keys" / "audit-signing.key").write_bytes(
            key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        )


# --- a user's first and later checks -------------------------------------------------------------------


def test_a_fresh_user_trusts_the_current_head_on_first_use_and_says_so(cli, home):
    grow(3)
    code, out, err = cli("audit", "verify")
    assert code == 0 and "4 entries" in out and "trusted on first use" in out
    witness = list((home.parent / "state" / "aircluster" / "witness").glob("*.json"))
    assert len(witness) == 1 and witness[0].stat().st_mode & 0o777 == 0o600
    assert json.loads(witness[0].read_text())["head"]["tree_size"] == 4
    grow(2)
    code, result = verify(cli)
    assert code == 0 and result["ok"] and not result["first_use"] and result["seen"]["tree_size"] == 4
    assert result["entries"] == 6 and json.loads(witness[0].read_text())["head"]["tree_size"] == 6
    code, out, err = cli("audit", "verify")
    assert code == 0 and "consistent with the head of 6 entries" in out


def test_the_head_for_an_outside_witness_verifies_with_the_public_key_alone(cli, home):
    grow(2)
    head = json.loads(cli.ok("audit", "head", "--json"))
    assert head["tree_size"] == 3 and set(head) == {
        "tree_size",
        "root_hash",
        "timestamp_ms",
        "signature",
        "key_fingerprint",
    }
    public_key = serialization.load_pem_public_key((home / "audit" / "log.pub").read_bytes())
    signed = TreeHead(head["tree_size"], bytes.fromhex(head["root_hash"]), head["timestamp_ms"]).signed_bytes()
    import base64

    public_key.verify(base64.b64decode(head["signature"]), signed)  # type: ignore[union-attr]  # raises if wrong
    leaves = [merkle.leaf_hash(line) for line in lines_of(home / "audit" / "audit.log")]
    assert merkle.root(leaves).hex() == head["root_hash"]
    text = cli.ok("audit", "head")
    assert head["root_hash"] in text and head["key_fingerprint"] in text


# --- truncation -----------------------------------------------------------------------------------------


def test_truncated_log_under_its_old_head(cli, log):
    log.write_bytes(b"".join(line + b"\n" for line in lines_of(log)[:5]))
    result = assert_detected(cli, "truncation")
    assert result["bad_seq"] == 6 and "cut off the end" in result["problem"]


def test_truncated_log_with_a_re_signed_head(cli, home, log, monkeypatch, tmp_path):
    resign(home, lines_of(log)[:5], stolen_key(home))
    result = assert_detected(cli, "truncation")
    assert "holds 5 entries" in result["problem"] and "you saw 8" in result["problem"]
    assert fresh_user_accepts(cli, monkeypatch, tmp_path)["entries"] == 5


def test_truncated_log_with_its_head_deleted(cli, home, log, monkeypatch, tmp_path):
    log.write_bytes(b"")
    (home / "audit" / "log.head").unlink()
    assert_detected(cli, "missing_head")
    with monkeypatch.context() as m:  # not "0 entries", not even for a user who has seen nothing
        m.setenv("XDG_STATE_HOME", str(tmp_path / "fresh-user-state"))
        code, result = verify(cli)
    assert code == 3 and result["failure"] == "missing_head"


def test_log_deleted_under_a_head_this_user_saw(cli, home, log, monkeypatch, tmp_path):
    log.unlink()
    assert_detected(cli, "missing_log")
    resign(home, [], stolen_key(home))  # and with a head re-signed for an empty log
    log.unlink()
    assert_detected(cli, "missing_log")


# --- rollback ---------------------------------------------------------------------------------------------


def test_log_and_head_rolled_back_to_an_older_copy(cli, home, log, monkeypatch, tmp_path):
    backup = tmp_path / "backup"
    backup.mkdir()
    shutil.copy2(log, backup / "audit.log")
    shutil.copy2(home / "audit" / "log.head", backup / "log.head")
    grow(4)
    assert verify(cli)[1]["entries"] == 12  # this user now saw 12
    shutil.copy2(backup / "audit.log", log)
    shutil.copy2(backup / "log.head", home / "audit" / "log.head")
    result = assert_detected(cli, "rollback")
    assert "older copy" in result["problem"] and result["seen"]["tree_size"] == 12 and result["head"]["tree_size"] == 8
    assert fresh_user_accepts(cli, monkeypatch, tmp_path)["entries"] == 8  # the copy itself is genuine


# --- deletion, edit, insertion --------------------------------------------------------------------------------


def test_deleted_line(cli, log):
    lines = lines_of(log)
    del lines[3]
    log.write_bytes(b"".join(line + b"\n" for line in lines))
    result = assert_detected(cli, "deletion")
    assert result["bad_seq"] == 4 and "entries 4..4 were deleted" in result["problem"]


def test_deleted_line_renumbered_and_re_signed(cli, home, log, monkeypatch, tmp_path):
    lines = lines_of(log)
    del lines[3]
    resign(home, lines, stolen_key(home), renumber=True)
    result = assert_detected(cli, "truncation")
    assert "entries you saw were removed" in result["problem"]
    fresh_user_accepts(cli, monkeypatch, tmp_path)


def test_edited_line(cli, log):
    lines = lines_of(log)
    entry = json.loads(lines[2])
    entry["principal"] = "mallory"
    lines[2] = canonical(entry)
    log.write_bytes(b"".join(line + b"\n" for line in lines))
    result = assert_detected(cli, "edit")
    assert "do not hash to the signed root" in result["problem"]


def test_edited_line_re_signed(cli, home, log, monkeypatch, tmp_path):
    lines = lines_of(log)
    entry = json.loads(lines[2])
    entry["principal"] = "mallory"
    lines[2] = canonical(entry)
    resign(home, lines, stolen_key(home))
    result = assert_detected(cli, "rewrite")
    assert "not an extension of the head of 8 entries you saw" in result["problem"]
    fresh_user_accepts(cli, monkeypatch, tmp_path)


def test_edited_line_re_signed_with_entries_appended_after(cli, home, log, monkeypatch, tmp_path):
    """Growing the log past what the user saw does not hide an edit among the entries they saw."""
    lines = lines_of(log)
    lines[1] = canonical({**json.loads(lines[1]), "action": "nothing.happened"})
    resign(home, lines, stolen_key(home))
    grow(5)  # the installation carries on appending on top of the forgery
    result = assert_detected(cli, "rewrite")
    assert result["head"]["tree_size"] == 13 and result["seen"]["tree_size"] == 8


def test_inserted_line(cli, log):
    lines = lines_of(log)
    lines.insert(4, lines[4])
    log.write_bytes(b"".join(line + b"\n" for line in lines))
    result = assert_detected(cli, "insertion")
    assert result["bad_seq"] == 6


def test_inserted_line_renumbered_and_re_signed(cli, home, log, monkeypatch, tmp_path):
    lines = lines_of(log)
    forged = {**json.loads(lines[4]), "action": "review.approve", "principal": "steward"}
    lines.insert(4, canonical(forged))
    resign(home, lines, stolen_key(home), renumber=True)
    assert_detected(cli, "rewrite")
    fresh_user_accepts(cli, monkeypatch, tmp_path)


def test_unsigned_line_appended_by_hand_is_not_part_of_the_log(cli, log):
    forged = {**json.loads(lines_of(log)[-1]), "seq": 9, "action": "review.approve"}
    with open(log, "ab") as f:
        f.write(canonical(forged) + b"\n")
    code, result = verify(cli)
    assert code == 0 and result["entries"] == 8 and result["unsigned_entries"] == 1
    grow(1)  # the next append drops it and writes its own entry 9
    assert [json.loads(line)["action"] for line in lines_of(log)][-1] == "test.event"
    code, result = verify(cli)
    assert code == 0 and result["entries"] == 9 and result["unsigned_entries"] == 0


# --- another key --------------------------------------------------------------------------------------------------


def test_head_signed_by_another_key(cli, home, log):
    lines = lines_of(log)
    resign(home, lines[:6], Ed25519PrivateKey.generate())
    result = assert_detected(cli, "other_key")
    assert "does not verify under the log's public key" in result["problem"]


def test_log_re_keyed_whole(cli, home, log, monkeypatch, tmp_path):
    """New key pair, new public key file, new head over a rewritten log: what the user saw pins the old key."""
    lines = lines_of(log)
    lines[2] = canonical({**json.loads(lines[2]), "principal": "mallory"})
    resign(home, lines, Ed25519PrivateKey.generate(), replace_public_key=True)
    result = assert_detected(cli, "other_key")
    assert "re-signed with another key" in result["problem"]
    fresh_user_accepts(cli, monkeypatch, tmp_path)


# --- damaged and missing files ---------------------------------------------------------------------------------------


def test_damaged_head_and_missing_public_key(cli, home, log):
    head = home / "audit" / "log.head"
    saved = head.read_bytes()
    head.write_text("{not json")
    assert "is not valid JSON" in assert_detected(cli, "damaged")["problem"]
    head.write_text(json.dumps({"tree_size": 8}))
    assert "not a signed tree head" in assert_detected(cli, "damaged")["problem"]
    head.write_bytes(saved)
    (home / "audit" / "log.pub").unlink()
    assert_detected(cli, "missing_key")


def test_head_command_on_a_missing_head_is_one_line(cli, home):
    (home / "audit" / "log.head").unlink()
    code, out, err = cli("audit", "head")
    assert code == 3 and out == "" and err.startswith("error: ") and "no signed head" in err and err.count("\n") == 1


# --- the writer ---------------------------------------------------------------------------------------


def test_writer_refuses_to_sign_on_top_of_a_cut_log(cli, log):
    """No entry, no decision: the caller gets an error instead of a head that would bless the cut."""
    cut = b"".join(line + b"\n" for line in lines_of(log)[:6])
    log.write_bytes(cut)
    with pytest.raises(IntegrityError, match="no longer ends where its signed head says"):
        open_audit().append("review.approve", "carol")
    assert log.read_bytes() == cut
    code, out, err = cli("keys", "rotate-master")
    assert code == 3 and "audit log" in err and err.count("\n") == 1


def test_append_interrupted_between_entry_and_head(cli, home, log, monkeypatch):
    """The entry is written, the head is not: the entry is not part of the log, and the next append drops it."""
    import aircluster.security.audit as audit_module

    def crash(path, data, mode):
        raise KeyboardInterrupt("killed before the head was renamed into place")

    with monkeypatch.context() as m:
        m.setattr(audit_module, "write_atomic", crash)
        with pytest.raises(KeyboardInterrupt):
            open_audit().append("review.approve", "carol", version=1)
    assert json.loads(lines_of(log)[-1])["action"] == "review.approve"
    code, result = verify(cli)
    assert code == 0 and result["entries"] == 8 and result["unsigned_entries"] == 1
    grow(1)
    assert [json.loads(line)["seq"] for line in lines_of(log)] == list(range(1, 10))
    assert "review.approve" not in log.read_text()
    assert verify(cli)[0] == 0


def test_appends_from_many_processes_stay_signed(cli, home):
    script = (
        "import sys\nfrom aircluster.context import open_audit\nlog = open_audit()\n"
        "for i in range(25):\n    log.append('test.concurrent', 'p' + sys.argv[1], i=i)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [subprocess.Popen([sys.executable, "-c", script, str(p)], env=env) for p in range(4)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0, 0]
    code, result = verify(cli)
    assert code == 0 and result["entries"] == 101 and result["unsigned_entries"] == 0
    assert [e["seq"] for e in open_audit().entries()] == list(range(1, 102))


def test_public_files_are_readable_and_the_signing_key_private_whatever_the_umask(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("AIRCLUSTER_HOME", str(tmp_path / "umask-home"))
    old = os.umask(0o077)
    try:
        cli.ok("init")
    finally:
        os.umask(old)
    home = tmp_path / "umask-home"
    modes = {
        p: (home / p).stat().st_mode & 0o777
        for p in ("audit", "audit/audit.log", "audit/log.head", "audit/log.pub", "server/keys/audit-signing.key")
    }
    assert modes == {
        "audit": 0o755,
        "audit/audit.log": 0o644,
        "audit/log.head": 0o644,
        "audit/log.pub": 0o644,
        "server/keys/audit-signing.key": 0o600,
    }


def test_a_witness_record_another_account_could_write_is_refused(cli, home, log):
    witness_dir = home.parent / "state" / "aircluster" / "witness"
    os.chown(witness_dir, 4242, 4242)
    try:
        code, out, err = cli("audit", "verify")
        assert code == 2 and "belongs to uid 4242" in err and err.count("\n") == 1
    finally:
        os.chown(witness_dir, os.getuid(), os.getgid())
    record = next(witness_dir.glob("*.json"))
    record.chmod(0o622)
    code, out, err = cli("audit", "verify")
    assert code == 2 and "writable by other accounts" in err


def test_a_new_installation_at_another_place_is_not_mixed_up(cli, home, log, tmp_path, monkeypatch):
    monkeypatch.setenv("AIRCLUSTER_HOME", str(tmp_path / "second"))
    cli.ok("init")
    code, result = verify(cli)
    assert code == 0 and result["first_use"] and result["entries"] == 1
    monkeypatch.setenv("AIRCLUSTER_HOME", str(home))
    code, result = verify(cli)
    assert code == 0 and not result["first_use"] and result["seen"]["tree_size"] == 8


def test_a_log_from_before_signed_heads_is_adopted_by_init(cli, home, monkeypatch, tmp_path):
    """An installation upgraded in place: MAC-chained entries, no key, no head. `init` signs the log as it stands."""
    old = [
        {
            "seq": n,
            "time": "2026-12-01T00:00:00.000Z",
            "principal": "alice",
            "action": "data.import",
            "prev": "0" * 64,
            "mac": f"{n:064x}",
        }
        for n in range(1, 4)
    ]
    (home / "audit" / "audit.log").write_bytes(b"".join(canonical(e) + b"\n" for e in old))
    for name in ("audit/log.head", "audit/log.pub", "server/keys/audit-signing.key"):
        (home / name).unlink()
    with pytest.raises(IntegrityError, match="signing key .* is missing.*aircluster init"):
        open_audit().append("data.import", "alice")  # nothing is written unsigned
    assert len(lines_of(home / "audit" / "audit.log")) == 3
    cli.ok("init")
    code, result = verify(cli)
    assert code == 0 and result["entries"] == 3 and result["first_use"]
    grow(1)
    assert verify(cli)[1]["entries"] == 4


def test_deleting_the_key_and_re_running_init_is_another_key_to_those_who_looked(cli, home, log):
    for name in ("audit/log.head", "audit/log.pub", "server/keys/audit-signing.key"):
        (home / name).unlink()
    cli.ok("init")
    assert_detected(cli, "other_key")

"""Key service: master key file, envelope encryption, rotation."""

from __future__ import annotations

import json
import os
import stat

import pytest

from aircluster.context import open_context
from aircluster.errors import IntegrityError, UsageError
from aircluster.security.keys import KeyService


def test_init_creates_private_files_and_is_idempotent(cli, home):
    master = home / "master" / "master.key"
    assert stat.S_IMODE(master.stat().st_mode) == 0o600
    assert stat.S_IMODE((home / "server" / "keys").stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "server" / "keys" / "keystore.db").stat().st_mode) == 0o600
    before = master.read_bytes()
    out = json.loads(cli.ok("init", "--json"))
    assert out["created"] is False and master.read_bytes() == before


def test_the_master_key_is_kept_where_server_init_was_told(home, tmp_path, monkeypatch, capsys):
    from tests.conftest import CLI

    keyfile = tmp_path / "elsewhere" / "master.key"
    cli = CLI(capsys, monkeypatch)
    cli.ok("server", "init", "--personal", "--master-key", str(keyfile))
    assert keyfile.exists() and stat.S_IMODE(keyfile.stat().st_mode) == 0o600
    assert not (home / "master" / "master.key").exists() and not list((home / "server").rglob("master.key*"))
    cli.ok("keys", "rotate-master")
    assert keyfile.exists()
    keyfile.unlink()
    code, _, err = cli("keys", "rotate-master")
    assert code != 0 and "master key file" in err and "missing" in err
    # init again does not make a new master key behind the operator's back: the configured one is missing
    code, _, err = cli("server", "init", "--personal", "--master-key", str(home / "server" / "keys" / "m.key"), "--json")
    assert code != 0 and "master key file" in err and str(keyfile) in err


def test_a_master_key_inside_the_state_directory_is_refused(tmp_path, monkeypatch, capsys):
    from tests.conftest import CLI

    monkeypatch.setenv("AIRCLUSTER_HOME", str(tmp_path / "h"))
    code, _, err = CLI(capsys, monkeypatch)(
        "server", "init", "--personal", "--master-key", str(tmp_path / "h" / "server" / "m.key")
    )
    assert code == 2 and "kept apart from the server's state directory" in err


def test_world_readable_master_key_is_refused(cli, home):
    os.chmod(home / "master" / "master.key", 0o644)
    code, _, err = cli("data", "ls")
    assert code != 0 and "must be 0600" in err


def test_rotation_interrupted_after_commit_is_finished_on_open(cli, home):
    """A crash between committing re-wrapped keys and renaming the new master key into place is recovered."""
    with open_context() as ctx:
        keys = ctx.keys
        real_replace = os.replace

        def crash(src, dst):
            if str(src).endswith("master.key.next"):
                raise KeyboardInterrupt("simulated crash")
            return real_replace(src, dst)

        os.replace = crash
        try:
            with pytest.raises(KeyboardInterrupt):
                keys.rotate_master()
        finally:
            os.replace = real_replace
    assert (home / "master" / "master.key.next").exists()
    cli.ok("data", "ls")  # opening the key service completes the rotation
    assert not (home / "master" / "master.key.next").exists()
    assert json.loads(cli.ok("audit", "verify", "--json"))["ok"]


def test_missing_keystore_is_a_clear_error(home):
    with pytest.raises(UsageError, match="run `aircluster init`"):
        KeyService(home / "server" / "keys" / "keystore.db", home / "master" / "master.key")


def test_dek_wrapped_for_one_shard_does_not_unwrap_for_another(cli):
    from aircluster.store.format import dek_aad

    with open_context() as ctx:
        vid, did = "ab" * 16, "cd" * 16
        ctx.keys.create_kek(vid)
        _, wrapped = ctx.keys.new_data_key(vid, dek_aad(did, vid, 0))
        unwrapper = ctx.keys.unwrapper(vid, "x@1")
        assert len(unwrapper.unwrap(wrapped, dek_aad(did, vid, 0), 0)) == 32
        with pytest.raises(IntegrityError, match="shard 1"):
            unwrapper.unwrap(wrapped, dek_aad(did, vid, 1), 1)


def test_a_rotation_by_a_holder_that_missed_the_last_one_keeps_every_key(tmp_path):
    """Two holders of one key store (two server connections, or the server and a library process): the first
    rotates, then the second, whose master key is now stale. The second must take the new master key first and
    not mistake its own pending key for a stale one (which destroyed it, then the old key: every key lost)."""
    keystore, master = tmp_path / "keys" / "keystore.db", tmp_path / "master" / "master.key"
    KeyService.create(keystore, master)
    first, second = KeyService(keystore, master), KeyService(keystore, master)
    for version in ("v1", "v2", "v3"):
        first.create_kek(version)
    macs = {v: first.mac(v, b"manifest") for v in ("v1", "v2", "v3")}

    assert first.rotate_master() == 3
    assert second.rotate_master() == 3  # its master key is the one `first` destroyed
    assert first.rotate_master() == 3

    fresh = KeyService(keystore, master)
    assert not master.with_name("master.key.next").exists()
    assert {v: fresh.mac(v, b"manifest") for v in macs} == macs
    assert second.mac("v2", b"manifest") == macs["v2"]

"""Who may do what in a shared installation, decided by the server from the account the kernel names."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from aircluster.client.remote import ServerKeys
from aircluster.errors import PermissionDenied
from aircluster.store.reader import VersionReader
from tests.accounts import call_as, make_traversable
from tests.unit.server.conftest import Installation, one_line_error, read_rows, records

pytestmark = pytest.mark.slow  # a server, real accounts and a process per command


def release_keys(version_ref: str) -> int:
    """Runs as a test account: ask the server for the version's data keys, as a reader does."""
    with ServerKeys.connect() as keys:
        version = keys.catalog.resolve(version_ref)
        keys.release(version, purpose="read", shards=version.shards)
        return version.shards


def manifest_mac(version_ref: str) -> bytes:
    with ServerKeys.connect() as keys:
        return keys.manifest_mac(keys.catalog.resolve(version_ref), b"{}")


def read_across_a_revocation(version_ref: str, flags: str) -> str:
    """Runs as a test account: open one lease, read shard 0, say so, wait until the grant is revoked, read shard 1."""
    with ServerKeys.connect() as keys:
        reader = VersionReader(keys, keys.catalog.resolve(version_ref), purpose="read")
        first = len(list(reader.open_shard(0)))
        Path(flags, "read-one").write_text(str(first))
        deadline = time.monotonic() + 60
        while not Path(flags, "revoked").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        try:
            reader.open_shard(1)
        except PermissionDenied as err:
            return str(err)
        return "read shard 1 after the revocation"


def test_a_grant_revoked_while_a_lease_is_open_stops_the_next_batch(shared: Installation, tmp_path: Path) -> None:
    ref = shared.import_("posts", records(60), shard_bytes=1 << 10)
    shared.approve(ref)
    shared.ok(shared.alice, "access", "grant", shared.dave.pw_name, "read", "posts")
    flags = tmp_path / "flags"
    flags.mkdir()
    flags.chmod(0o777)  # dave writes its progress here
    make_traversable(flags)

    def revoke_once_dave_has_read_a_shard() -> None:
        deadline = time.monotonic() + 60
        while not (flags / "read-one").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        shared.ok(shared.alice, "access", "revoke", shared.dave.pw_name, "read", "posts")
        (flags / "revoked").write_text("")

    revoker = threading.Thread(target=revoke_once_dave_has_read_a_shard)
    revoker.start()
    try:
        outcome = call_as(shared.dave, read_across_a_revocation, ref, str(flags), env=shared.env(), timeout=120)
    finally:
        revoker.join()
    assert int((flags / "read-one").read_text()) > 0  # the lease worked before the revocation
    assert outcome == f"{shared.dave.pw_name}'s read grant on posts was revoked"


def test_the_importer_holds_every_permission_on_her_dataset_and_may_grant(shared: Installation) -> None:
    ref = shared.import_("posts", records(30))
    shared.approve(ref)
    listing = json.loads(shared.ok(shared.alice, "access", "ls", "--json"))
    assert listing["owners"] == {"posts": shared.alice.pw_name}

    assert len(read_rows(shared.ok(shared.alice, "data", "read", ref))) == 30
    verified = json.loads(shared.ok(shared.alice, "data", "verify", ref, "--json"))
    assert verified[0]["records"] == 30
    granted = json.loads(shared.ok(shared.alice, "access", "grant", shared.bob.pw_name, "train", "posts", "--json"))
    assert granted == {"user": shared.bob.pw_name, "permission": "train", "dataset": "posts", "granted": True}
    shared.ok(shared.alice, "access", "revoke", shared.bob.pw_name, "train", "posts")
    assert json.loads(shared.ok(shared.alice, "data", "expire", ref, "--json")) == {"shredded": [ref]}

    # bob, who imported nothing, manages nothing of hers
    refused = one_line_error(shared.cli(shared.bob, "access", "grant", shared.bob.pw_name, "read", "posts"))
    assert f"{shared.bob.pw_name} may not manage grants on posts" in refused


def test_only_a_steward_who_did_not_import_may_approve(shared: Installation) -> None:
    ref = shared.import_("posts", records(10))
    alice = one_line_error(shared.cli(shared.alice, "review", "approve", ref, "--note", "mine, looks fine"))
    assert f"{shared.alice.pw_name} may not review {ref}: only a steward reviews" in alice
    # a steward still may not approve what she imported herself
    shared.root_ok("access", "role", "add", "steward", shared.alice.pw_name)
    alice = one_line_error(shared.cli(shared.alice, "review", "approve", ref, "--note", "mine, looks fine"))
    assert f"{shared.alice.pw_name} imported {ref} and so cannot review it" in alice and "four-eyes" in alice
    bob = one_line_error(shared.cli(shared.bob, "review", "approve", ref, "--note", "sure"))
    assert f"{shared.bob.pw_name} may not review {ref}: only a steward reviews" in bob
    assert json.loads(shared.ok(shared.alice, "data", "show", ref, "--json"))["review_state"] == "pending_review"

    done = json.loads(shared.ok(shared.carol, "review", "approve", ref, "--note", "report checked", "--json"))
    assert done == {"ref": ref, "decision": "approved", "principal": shared.carol.pw_name, "four_eyes": True, "note": None}
    shown = json.loads(shared.ok(shared.alice, "data", "show", ref, "--json"))
    assert shown["review_state"] == "approved"
    assert [(r["decision"], r["principal"]) for r in shown["reviews"]] == [("approved", shared.carol.pw_name)]


def test_without_a_grant_dave_can_neither_read_nor_get_keys_until_the_importer_grants_read(shared: Installation) -> None:
    ref = shared.import_("posts", records(25), shard_bytes=1024)
    shared.approve(ref)
    env = shared.env()

    refused = one_line_error(shared.read(shared.dave, ref))
    assert f"{shared.dave.pw_name} has no read grant on posts" in refused
    with pytest.raises(PermissionDenied, match="no read grant"):
        call_as(shared.dave, release_keys, ref, env=env)
    with pytest.raises(PermissionDenied, match="no read grant"):
        call_as(shared.dave, manifest_mac, ref, env=env)

    shared.ok(shared.alice, "access", "grant", shared.dave.pw_name, "read", ref.split("@")[0])
    assert call_as(shared.dave, release_keys, ref, env=env) > 1
    assert [r["id"] for r in read_rows(shared.ok(shared.dave, "data", "read", ref))] == list(range(25))

    # and the grant, once revoked, no longer opens anything
    shared.ok(shared.alice, "access", "revoke", shared.dave.pw_name, "read", "posts")
    assert "no read grant" in one_line_error(shared.read(shared.dave, ref))


def test_aircluster_user_set_by_alice_changes_nothing(shared: Installation) -> None:
    ref = shared.import_("posts", records(10))
    pretend = {"AIRCLUSTER_USER": shared.carol.pw_name}
    me = json.loads(shared.ok(shared.alice, "whoami", "--json", env=pretend))
    assert (me["user"], me["roles"], me["via"]) == (shared.alice.pw_name, [], "unix")
    refused = one_line_error(shared.cli(shared.alice, "review", "approve", ref, "--note", "as carol", env=pretend))
    assert f"{shared.alice.pw_name} may not review {ref}" in refused
    assert json.loads(shared.ok(shared.alice, "data", "show", ref, "--json"))["review_state"] == "pending_review"
    # nor does it lend carol's rights the other way: dave claiming to be alice gets no data
    shared.approve(ref)
    claimed = shared.cli(shared.dave, "data", "read", ref, env={"AIRCLUSTER_USER": shared.alice.pw_name})
    assert f"{shared.dave.pw_name} has no read grant on posts" in one_line_error(claimed)

"""Roles and grants: the owner's implicit permissions, who manages what, four-eyes, and bad input."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from aircluster.catalog import Catalog
from aircluster.catalog.access import PERMISSIONS, Access
from aircluster.catalog.db import MIGRATIONS, SCHEMA_VERSION
from aircluster.catalog.jobs import Jobs
from aircluster.errors import NotFound, PermissionDenied, UsageError
from tests.unit.catalog.conftest import AddVersion


@pytest.fixture
def access(catalog: Catalog, add_version: AddVersion) -> Access:
    """root is admin, carol a steward; alice imported posts@1, bob (with an import grant) posts@2."""
    acc = Access(catalog)
    assert acc.init_admin("root") is True
    acc.add_role("carol", "steward", by="root")
    add_version("posts", "alice")
    acc.grant("bob", "import", "posts", by="alice")
    add_version("posts", "bob")
    return acc


def test_owner_holds_every_permission_and_others_none(access: Access) -> None:
    assert access.owner("posts") == "alice"
    assert all(access.allowed("alice", p, "posts") for p in PERMISSIONS)
    for user in ("dave", "carol", "root"):
        assert not any(access.allowed(user, p, "posts") for p in PERMISSIONS), user
    assert not access.allowed("alice", "read", "no-such-dataset")


def test_owner_grants_and_revokes(access: Access) -> None:
    with pytest.raises(PermissionDenied):
        access.check("dave", "read", "posts")
    assert access.grant("dave", "read", "posts", by="alice") is True
    access.check("dave", "read", "posts")
    assert not access.allowed("dave", "train", "posts")  # one permission, not all
    access.revoke("dave", "read", "posts", by="alice")
    assert not access.allowed("dave", "read", "posts")


def test_importing_a_later_version_does_not_make_an_owner(access: Access) -> None:
    assert access.allowed("bob", "import", "posts")
    assert not access.allowed("bob", "read", "posts")
    assert not access.may_manage("bob", "posts")
    with pytest.raises(PermissionDenied, match="bob may not grant read on it to bob for dataset 'posts'"):
        access.grant("bob", "read", "posts", by="bob")


def test_admin_manages_grants_but_holds_no_data_permission(access: Access) -> None:
    assert access.may_manage("root", "posts")
    assert not access.allowed("root", "read", "posts")
    assert access.grant("root", "read", "posts", by="root") is True
    assert access.allowed("root", "read", "posts")
    assert access.grant("dave", "train", "posts", by="root") is True
    access.revoke("dave", "train", "posts", by="root")


def test_stranger_cannot_grant_or_revoke(access: Access) -> None:
    access.grant("dave", "read", "posts", by="alice")
    with pytest.raises(PermissionDenied, match=r"carol may not grant read on it to erin .*owner \(alice\).*admin \(root\)"):
        access.grant("erin", "read", "posts", by="carol")
    with pytest.raises(PermissionDenied):
        access.revoke("dave", "read", "posts", by="dave")
    assert access.allowed("dave", "read", "posts") and not access.allowed("erin", "read", "posts")


def test_check_message_names_user_permission_dataset_and_the_fix(access: Access) -> None:
    with pytest.raises(PermissionDenied) as err:
        access.check("dave", "train", "posts")
    message = str(err.value)
    assert "\n" not in message
    assert "dave has no train permission on dataset 'posts'" in message
    assert "owner (alice)" in message and "admin (root)" in message
    assert "aircluster access grant dave train posts" in message


def test_grant_again_is_a_no_op_and_revoke_of_nothing_is_an_error(access: Access) -> None:
    assert access.grant("dave", "read", "posts", by="alice") is True
    assert access.grant("dave", "read", "posts", by="alice") is False
    assert access.grant("alice", "read", "posts", by="alice") is False  # the owner holds it already
    assert len(access.listing()["grants"]) == 2  # bob's import, dave's read
    with pytest.raises(UsageError, match="dave has no train grant on dataset 'posts': nothing to revoke"):
        access.revoke("dave", "train", "posts", by="alice")
    with pytest.raises(UsageError, match="alice owns dataset 'posts'"):
        access.revoke("alice", "read", "posts", by="root")
    assert access.allowed("alice", "read", "posts")


def test_bad_names(access: Access) -> None:
    cases = [
        (lambda: access.grant("dave", "write", "posts", by="alice"), UsageError, "permission 'write' is unknown"),
        (lambda: access.grant("da ve", "read", "posts", by="alice"), UsageError, "user name 'da ve' is invalid"),
        (lambda: access.grant("-x", "read", "posts", by="alice"), UsageError, "user name '-x' is invalid"),
        (lambda: access.grant("dave", "read", "posts", by="al\nice"), UsageError, "user name"),
        (lambda: access.grant("dave", "read", "bad/name", by="alice"), UsageError, "dataset name 'bad/name' is invalid"),
        (lambda: access.grant("dave", "read", "missing", by="alice"), NotFound, "no dataset named 'missing'"),
        (lambda: access.check("dave", "read", "missing"), NotFound, "no dataset named 'missing'"),
        (lambda: access.add_role("dave", "owner", by="root"), UsageError, "role 'owner' is unknown"),
        (lambda: access.allowed("dave", "delete", "posts"), UsageError, "permission 'delete' is unknown"),
        (lambda: access.roles("a" * 33), UsageError, "is invalid"),
    ]
    before = access.listing()
    for call, error, text in cases:
        with pytest.raises(error) as err:
            call()
        assert text in str(err.value) and "\n" not in str(err.value)
    assert access.listing() == before


def test_roles_are_managed_by_admins_only(access: Access) -> None:
    assert access.roles("carol") == {"steward"}
    with pytest.raises(PermissionDenied, match=r"carol may not give dave the role steward: only an admin \(root\)"):
        access.add_role("dave", "steward", by="carol")
    assert access.add_role("carol", "steward", by="root") is False
    assert access.add_role("erin", "admin", by="root") is True
    access.remove_role("root", "admin", by="erin")
    assert access.admins() == ["erin"]
    with pytest.raises(UsageError, match="erin is the only admin"):
        access.remove_role("erin", "admin", by="erin")
    with pytest.raises(UsageError, match="dave does not have the role steward: nothing to remove"):
        access.remove_role("dave", "steward", by="erin")
    access.remove_role("carol", "steward", by="erin")
    assert access.roles("carol") == set()


def test_first_admin_is_named_once(catalog: Catalog) -> None:
    acc = Access(catalog)
    with pytest.raises(PermissionDenied, match="none named yet"):
        acc.add_role("root", "admin", by="root")
    assert acc.init_admin("root") is True
    assert acc.init_admin("root") is False
    with pytest.raises(UsageError, match=r"already has an admin \(root\)"):
        acc.init_admin("mallory")
    assert acc.admins() == ["root"]


def test_reviewer_four_eyes_in_shared_mode(access: Access, catalog: Catalog) -> None:
    v1 = catalog.resolve("posts@1")  # imported by alice
    v2 = catalog.resolve("posts@2")  # imported by bob
    with pytest.raises(PermissionDenied, match="alice may not review posts@1: only a steward reviews"):
        access.check_reviewer("alice", v1, personal=False)
    with pytest.raises(PermissionDenied, match="bob may not review posts@1"):
        access.check_reviewer("bob", v1, personal=False)
    assert access.check_reviewer("carol", v1, personal=False) is True
    access.add_role("bob", "steward", by="root")
    with pytest.raises(PermissionDenied, match="bob imported posts@2 and so cannot review it"):
        access.check_reviewer("bob", v2, personal=False)
    assert access.check_reviewer("bob", v1, personal=False) is True


def test_personal_mode_reviews_own_import(access: Access, catalog: Catalog) -> None:
    v1 = catalog.resolve("posts@1")
    assert access.check_reviewer("alice", v1, personal=True) is False  # allowed, four-eyes does not hold
    with pytest.raises(PermissionDenied, match="four-eyes"):
        catalog.record_review(v1.id, "approved", "alice", "mine")
    catalog.record_review(v1.id, "approved", "alice", "mine", four_eyes=False)
    assert catalog.version_by_id(v1.id).review_state == "approved"


def test_listing_and_persistence(access: Access, catalog: Catalog) -> None:
    access.grant("dave", "read", "posts", by="alice")
    again = Access(Catalog(catalog.path))  # a second connection sees every committed write
    listing = again.listing()
    assert listing["owners"] == {"posts": "alice"}
    assert [(r["user"], r["role"], r["granted_by"]) for r in listing["roles"]] == [
        ("carol", "steward", "root"),
        ("root", "admin", "root"),
    ]
    assert [(g["user"], g["permission"], g["dataset"], g["granted_by"]) for g in listing["grants"]] == [
        ("bob", "import", "posts", "alice"),
        ("dave", "read", "posts", "alice"),
    ]
    again.catalog.close()


def test_schema_check_rejects_unknown_role_written_behind_our_back(access: Access, catalog: Catalog) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        catalog.db.execute("INSERT INTO roles VALUES ('x', 'superuser', 'x', 0)")


def test_old_catalog_migrates_keeping_its_jobs(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    for version in range(3):
        db.executescript(MIGRATIONS[version])
    db.execute("PRAGMA user_version=3")
    db.execute(
        "INSERT INTO jobs (id, principal, backend, status, config_json, run_dir, nodes, procs_per_node, launcher_pid, created_at)"
        " VALUES ('j1', 'alice', 'local', 'running', '{}', '/r', 1, 1, 4242, 0)"
    )
    db.commit()
    db.close()
    cat = Catalog(path)
    assert cat.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    job = Jobs(cat).get("j1")
    assert job.launcher_pid == 4242 and job.launcher_start_time is None
    assert Access(cat).listing() == {"roles": [], "grants": [], "owners": {}}
    cat.close()

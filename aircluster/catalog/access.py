"""Who may do what: roles (admin, steward) and per-dataset grants (read, train, import, expire).

Rules, all decided here so that every caller applies the same ones:
- The owner of a dataset is the principal who imported its first version (the one that created it).
  The owner holds every permission on the dataset implicitly (no rows) and may grant and revoke them.
  Importing a later version (with an `import` grant) does not make anyone an owner: otherwise an
  `import` grant would turn into read access to every earlier version.
- An admin manages roles and may grant and revoke permissions on every dataset, but holds no data
  permission implicitly: an admin who wants to read grants it to themselves, and that grant is audited
  like any other.
- `grant` and `add_role` of something already held change nothing and return False. `revoke` and
  `remove_role` of something not held are a UsageError (a typo should not look like a success), as is
  revoking an owner's implicit permissions or removing the last admin.
- Review (`check_reviewer`): in a shared installation the reviewer must be a steward and not the
  version's importer (four-eyes). A personal installation has one person, who approves their own
  imports; the caller records that four-eyes did not hold.
- Each write checks the acting principal's authority and changes the tables in one transaction; the
  server audits the call, this module does not.
"""

from __future__ import annotations

import re
import time
from typing import Any

from aircluster.catalog.catalog import Catalog, Version, check_name
from aircluster.errors import PermissionDenied, UsageError

ROLES = ("admin", "steward")
PERMISSIONS = ("read", "train", "import", "expire")

# Account names as useradd takes them (letters, digits, '_', '.', '-'; at most 32), and `uid<N>` for
# a uid without an account.
USER_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}")


def check_user(user: str) -> str:
    if not USER_RE.fullmatch(user):
        raise UsageError(
            f"user name {user!r} is invalid: use an account name (letters, digits, '_', '.', '-', at most 32 characters)"
        )
    return user


def check_role(role: str) -> str:
    if role not in ROLES:
        raise UsageError(f"role {role!r} is unknown: use one of {', '.join(ROLES)}")
    return role


def check_permission(permission: str) -> str:
    if permission not in PERMISSIONS:
        raise UsageError(f"permission {permission!r} is unknown: use one of {', '.join(PERMISSIONS)}")
    return permission


class Access:
    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.db = catalog.db

    # --- roles ---------------------------------------------------------------------------------

    def roles(self, user: str) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT role FROM roles WHERE user=?", (check_user(user),))}

    def admins(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT user FROM roles WHERE role='admin' ORDER BY user")]

    def init_admin(self, user: str) -> bool:
        """Name the first admin (at `server init`). True if added; False if `user` already is the admin;
        a UsageError if someone else is: later admins are added by an admin."""
        check_user(user)
        with self.catalog.transaction():
            admins = self.admins()
            if user in admins:
                return False
            if admins:
                raise UsageError(
                    f"the catalog already has an admin ({', '.join(admins)}):"
                    f" an admin adds others with `aircluster access role add admin {user}`"
                )
            self._insert_role(user, "admin", by=user)
        return True

    def add_role(self, user: str, role: str, *, by: str) -> bool:
        """Give `user` the role; `by` must be an admin. False if `user` already held it."""
        check_user(user)
        check_role(role)
        check_user(by)
        with self.catalog.transaction():
            self._require_admin(by, f"give {user} the role {role}")
            if role in self.roles(user):
                return False
            self._insert_role(user, role, by=by)
        return True

    def remove_role(self, user: str, role: str, *, by: str) -> None:
        check_user(user)
        check_role(role)
        check_user(by)
        with self.catalog.transaction():
            self._require_admin(by, f"take the role {role} from {user}")
            if role not in self.roles(user):
                raise UsageError(f"{user} does not have the role {role}: nothing to remove (see `aircluster access ls`)")
            if role == "admin" and self.admins() == [user]:
                raise UsageError(f"{user} is the only admin: add another admin before removing this one")
            self.db.execute("DELETE FROM roles WHERE user=? AND role=?", (user, role))

    def _insert_role(self, user: str, role: str, *, by: str) -> None:
        self.db.execute("INSERT INTO roles VALUES (?, ?, ?, ?)", (user, role, by, time.time()))

    def _require_admin(self, by: str, what: str) -> None:
        if "admin" not in self.roles(by):
            raise PermissionDenied(f"{by} may not {what}: only an admin ({self._admins_text()}) manages roles")

    def _admins_text(self) -> str:
        return ", ".join(self.admins()) or "none named yet"

    # --- grants --------------------------------------------------------------------------------

    def owner(self, dataset: str) -> str | None:
        """The importer of the dataset's first version, or None if it has no version."""
        row = self.db.execute(
            "SELECT v.imported_by FROM versions v JOIN datasets d ON d.id = v.dataset_id"
            " WHERE d.name=? ORDER BY v.number LIMIT 1",
            (check_name(dataset),),
        ).fetchone()
        return row[0] if row else None

    def may_manage(self, user: str, dataset: str) -> bool:
        """May `user` grant and revoke permissions on `dataset`: its owner, or an admin."""
        return "admin" in self.roles(user) or self.owner(dataset) == check_user(user)

    def allowed(self, user: str, permission: str, dataset: str) -> bool:
        """Does `user` hold `permission` on `dataset` (False for a dataset that does not exist)."""
        check_user(user)
        check_permission(permission)
        dataset_id = self.catalog.existing_dataset_id(dataset)
        if dataset_id is None:
            return False
        if self.owner(dataset) == user:
            return True
        row = self.db.execute(
            "SELECT 1 FROM grants WHERE user=? AND permission=? AND dataset_id=?", (user, permission, dataset_id)
        ).fetchone()
        return row is not None

    def check(self, user: str, permission: str, dataset: str) -> None:
        """Raise PermissionDenied unless `user` holds `permission` on `dataset` (NotFound if no such dataset)."""
        self.catalog.dataset_id(dataset)  # NotFound names the dataset and says where to look
        if not self.allowed(user, permission, dataset):
            raise PermissionDenied(
                f"{user} has no {permission} permission on dataset {dataset!r}: its owner ({self.owner(dataset) or 'none'})"
                f" or an admin ({self._admins_text()}) can run `aircluster access grant {user} {permission} {dataset}`"
            )

    def grant(self, user: str, permission: str, dataset: str, *, by: str) -> bool:
        """Give `user` `permission` on `dataset`; `by` must manage it. False if `user` already held it."""
        check_user(user)
        check_permission(permission)
        check_user(by)
        with self.catalog.transaction():
            dataset_id = self.catalog.dataset_id(dataset)
            self._require_manager(by, dataset, f"grant {permission} on it to {user}")
            if self.allowed(user, permission, dataset):
                return False
            self.db.execute("INSERT INTO grants VALUES (?, ?, ?, ?, ?)", (user, permission, dataset_id, by, time.time()))
        return True

    def revoke(self, user: str, permission: str, dataset: str, *, by: str) -> None:
        check_user(user)
        check_permission(permission)
        check_user(by)
        with self.catalog.transaction():
            dataset_id = self.catalog.dataset_id(dataset)
            self._require_manager(by, dataset, f"revoke {permission} on it from {user}")
            if self.owner(dataset) == user:
                raise UsageError(
                    f"{user} owns dataset {dataset!r} (imported its first version) and holds every permission on it;"
                    " that cannot be revoked"
                )
            deleted = self.db.execute(
                "DELETE FROM grants WHERE user=? AND permission=? AND dataset_id=?", (user, permission, dataset_id)
            ).rowcount
            if not deleted:
                raise UsageError(
                    f"{user} has no {permission} grant on dataset {dataset!r}: nothing to revoke (see `aircluster access ls`)"
                )

    def _require_manager(self, by: str, dataset: str, what: str) -> None:
        if not self.may_manage(by, dataset):
            raise PermissionDenied(
                f"{by} may not {what} for dataset {dataset!r}: only its owner ({self.owner(dataset) or 'none'})"
                f" or an admin ({self._admins_text()}) manages its grants"
            )

    # --- review --------------------------------------------------------------------------------

    def check_reviewer(self, user: str, version: Version, *, personal: bool) -> bool:
        """Raise PermissionDenied unless `user` may approve or reject `version`. Returns whether four-eyes
        holds: False in a personal installation, where the one person reviews their own imports."""
        check_user(user)
        if personal:
            return False
        if "steward" not in self.roles(user):
            raise PermissionDenied(
                f"{user} may not review {version.ref}: only a steward reviews; an admin ({self._admins_text()})"
                f" can run `aircluster access role add steward {user}`"
            )
        if user == version.imported_by:
            raise PermissionDenied(
                f"{user} imported {version.ref} and so cannot review it: another steward must decide (four-eyes rule)"
            )
        return True

    # --- listing -------------------------------------------------------------------------------

    def listing(self) -> dict[str, Any]:
        """Roles, explicit grants and each dataset's owner (who holds every permission implicitly)."""
        roles = [
            {"user": r["user"], "role": r["role"], "granted_by": r["granted_by"], "granted_at": r["granted_at"]}
            for r in self.db.execute("SELECT * FROM roles ORDER BY user, role")
        ]
        grants = [
            dict(r)
            for r in self.db.execute(
                "SELECT g.user, g.permission, d.name AS dataset, g.granted_by, g.granted_at"
                " FROM grants g JOIN datasets d ON d.id = g.dataset_id ORDER BY d.name, g.user, g.permission"
            )
        ]
        owners = {
            r[0]: r[1]
            for r in self.db.execute(
                "SELECT d.name, v.imported_by FROM datasets d JOIN versions v ON v.dataset_id = d.id"
                " WHERE v.number = (SELECT MIN(number) FROM versions WHERE dataset_id = d.id) ORDER BY d.name"
            )
        }
        return {"roles": roles, "grants": grants, "owners": owners}

"""`aircluster server init|start|stop|status` and `aircluster access ...`."""

from __future__ import annotations

import argparse

from aircluster import installation
from aircluster.cli.output import emit_json, table
from aircluster.client.connection import call


def cmd_server_init(args: argparse.Namespace) -> int:
    from aircluster.server.state import init_server

    personal = True if args.personal else (False if args.shared else None)
    config, created = init_server(
        installation.home(), personal=personal, admin=args.admin, master_key=args.master_key, listen=args.listen
    )
    info = config.to_dict() | {"home": str(installation.home()), "created": created}
    if args.json:
        emit_json(info)
    else:
        what = "created" if created else "already initialised"
        print(f"aircluster {config.mode} installation at {info['home']} ({what})")
        print(f"server account {config.account}, admin {config.admin}")
        print(f"master key: {config.master_key} (keep it on storage apart from {info['home']}/server)")
        if config.personal:
            print("a personal installation has one person in it: four-eyes review cannot hold here")
    return 0


def cmd_server_start(args: argparse.Namespace) -> int:
    from aircluster.server.control import start

    info = start(installation.home(), listen=args.listen, idle_exit=args.idle_exit)
    if args.json:
        emit_json(info)
    else:
        verb = "started" if info.get("started") else "already running"
        print(
            f"aircluster server {verb} (pid {info['pid']}) on {info['socket']}"
            + (f" and {info['listen']}" if info["listen"] else "")
        )
    return 0


def cmd_server_stop(args: argparse.Namespace) -> int:
    from aircluster.server.control import stop

    info = stop(installation.home())
    if args.json:
        emit_json(info)
    else:
        print(f"aircluster server stopped (pid {info['pid']})" if info.get("stopped") else "no aircluster server was running")
    return 0


def cmd_server_status(args: argparse.Namespace) -> int:
    from aircluster.server.control import status

    info = status(installation.home())
    if args.json:
        emit_json(info)
    elif info["running"]:
        print(
            f"running (pid {info['pid']}, {info['mode']}, account {info['account']}, admin {info['admin']})\n"
            f"socket {info['socket']}\nlisten {info['listen'] or '-'}\nstate {info['state_dir']}"
        )
    else:
        print(f"not running (socket {info['socket']})")
    return 0 if info["running"] else 3


def cmd_access_role(args: argparse.Namespace) -> int:
    info = call("access.role", action=args.action, role=args.role, user=args.user)
    if args.json:
        emit_json(info)
    else:
        print(f"{info['user']}: roles {', '.join(info['roles']) or '(none)'}")
    return 0


def cmd_access_grant(args: argparse.Namespace) -> int:
    info = call("access.grant", action=args.command, user=args.user, permission=args.permission, dataset=args.dataset)
    if args.json:
        emit_json(info)
    else:
        print(f"{'granted' if info['granted'] else 'revoked'}: {info['user']} {info['permission']} {info['dataset']}")
    return 0


def cmd_access_ls(args: argparse.Namespace) -> int:
    info = call("access.ls")
    if args.json:
        emit_json(info)
        return 0
    print(f"{info['mode']} installation; admin {info['admin']}")
    table("roles", ["user", "roles"], [[u, ", ".join(r)] for u, r in sorted(info["roles"].items())])
    table("grants", ["user", "permission", "dataset"], [[g["user"], g["permission"], g["dataset"]] for g in info["grants"]])
    return 0


def cmd_whoami(args: argparse.Namespace) -> int:
    info = call("whoami")
    if args.json:
        emit_json(info)
    else:
        print(f"{info['user']} (uid {info['uid']}, via {info['via']}); roles: {', '.join(info['roles']) or '(none)'}")
    return 0


def register(sub, cmd) -> None:
    server = sub.add_parser("server", help="the control-plane server: init, start, stop, status").add_subparsers(
        dest="command", required=True, metavar="COMMAND"
    )
    init = cmd(server, "init", cmd_server_init, "create the server's state (as root: a shared installation)")
    kind = init.add_mutually_exclusive_group()
    kind.add_argument("--personal", action="store_true", help="one person's installation, served as that account")
    kind.add_argument("--shared", action="store_true", help="as root: a server account, roles and four-eyes review")
    init.add_argument("--admin", help="the admin account of a shared installation (default: the one running init)")
    init.add_argument("--master-key", help="where to keep the master key, apart from the state (default HOME/master/)")
    init.add_argument("--listen", help="HOST:PORT for clients on other nodes (MUNGE-authenticated)")
    start = cmd(server, "start", cmd_server_start, "start the server in the background")
    start.add_argument("--listen", help="also accept MUNGE-authenticated clients on HOST:PORT")
    start.add_argument("--idle-exit", type=float, help="stop after this many seconds without a connection")
    cmd(server, "stop", cmd_server_stop, "stop the server")
    cmd(server, "status", cmd_server_status, "is the server running, and where")

    access = sub.add_parser("access", help="roles and per-dataset grants").add_subparsers(
        dest="command", required=True, metavar="COMMAND"
    )
    sp = cmd(access, "role", cmd_access_role, "add or remove a role (admin, steward) of a user: `access role add steward carol`")
    sp.add_argument("action", choices=["add", "rm"])
    sp.add_argument("role", choices=["admin", "steward"])
    sp.add_argument("user")
    for name in ("grant", "revoke"):
        sp = cmd(access, name, cmd_access_grant, f"{name} a permission on a dataset")
        sp.add_argument("user")
        sp.add_argument("permission", choices=["read", "train", "import", "expire"])
        sp.add_argument("dataset")
    cmd(access, "ls", cmd_access_ls, "roles and grants")
    cmd(sub, "whoami", cmd_whoami, "who the server says you are, and your roles")

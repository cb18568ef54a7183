"""`python -m aircluster.server --home H [--listen HOST:PORT] [--idle-exit S]`: the server process itself
(`aircluster server start` runs it in the background; the systemd unit in deploy/ runs it in the foreground)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from aircluster import installation
from aircluster.errors import AirclusterError
from aircluster.server import config as server_config
from aircluster.server.daemon import Daemon
from aircluster.server.operations import load_all


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m aircluster.server")
    p.add_argument("--home", default=None, help="the installation (default AIRCLUSTER_HOME)")
    p.add_argument("--listen", default=None, help="also accept MUNGE-authenticated clients on HOST:PORT")
    p.add_argument("--idle-exit", type=float, default=None, help="stop after this many seconds without a connection")
    args = p.parse_args(argv)
    home = Path(args.home) if args.home else installation.home()
    try:
        config = server_config.load(installation.Paths(home))
        load_all()
        return Daemon(home, config, listen=args.listen, idle_exit=args.idle_exit).run()
    except AirclusterError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code


if __name__ == "__main__":
    sys.exit(main())

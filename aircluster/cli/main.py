"""The `aircluster` command's entry point: the parser (each command group registers itself from its own
module) and `main()`, which turns every user error into one line on stderr and a non-zero exit.

No traceback reaches the user; set AIRCLUSTER_DEBUG=1 to see one for an internal error.
"""

from __future__ import annotations

import argparse
import faulthandler
import os
import signal
import sys
import threading
from collections.abc import Callable

from aircluster import __version__
from aircluster.cli.data import register as register_data
from aircluster.cli.plan import register as register_plan
from aircluster.cli.review import register as register_review
from aircluster.cli.server import register as register_server
from aircluster.cli.train import register as register_train
from aircluster.errors import AirclusterError, Interrupted

Handler = Callable[[argparse.Namespace], int]


def cmd_demo(args: argparse.Namespace) -> int:
    from aircluster.demo.run import run_demo

    return run_demo(json_output=args.json, workdir=args.workdir)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="aircluster", description="AI research supercluster: secure data, training, cluster.")
    p.add_argument("--version", action="version", version=f"aircluster {__version__}")
    sub = p.add_subparsers(dest="group", required=True, metavar="COMMAND")

    def cmd(parent, name: str, handler: Handler, help: str, json_flag: bool = True) -> argparse.ArgumentParser:
        sp = parent.add_parser(name, help=help, description=help)
        sp.set_defaults(handler=handler, command=name)
        if json_flag:
            sp.add_argument("--json", action="store_true", help="machine-readable output")
        return sp

    register_data(sub, cmd)
    register_review(sub, cmd)
    register_train(sub, cmd)
    register_plan(sub, cmd)
    register_server(sub, cmd)
    demo = cmd(sub, "demo", cmd_demo, "the main job, end to end, on embedded defaults")
    demo.add_argument("--workdir", help="where to put the demo's data (default: AIRCLUSTER_HOME/demo)")
    return p


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse; key=value overrides (`train`, `plan`) may also follow the options (argparse alone stops at the first
    option after a positional list)."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        if hasattr(args, "overrides") and all("=" in e and not e.startswith("-") for e in extra):
            args.overrides = [*args.overrides, *extra]
        else:
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def _on_sigterm(signum, frame):
    raise Interrupted("terminated by signal; the operation was rolled back")


def _stacks_on_sigusr2() -> None:
    """`kill -USR2 PID` prints every thread's stack to stderr and carries on: how to see where a command
    hangs (SIGUSR1 is the trainer's preemption signal)."""
    if threading.current_thread() is not threading.main_thread():
        return
    try:
        faulthandler.register(signal.SIGUSR2, all_threads=True)
    except (AttributeError, ValueError, OSError):  # stderr is not a file (main() called in-process)
        pass


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _on_sigterm)
    _stacks_on_sigusr2()
    args = parse(argv)
    try:
        return args.handler(args)
    except AirclusterError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("error: interrupted; the operation was rolled back", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as err:  # an internal error still gets one line; the traceback is opt-in
        if os.environ.get("AIRCLUSTER_DEBUG"):
            raise
        print(f"error: internal error: {type(err).__name__}: {err} (set AIRCLUSTER_DEBUG=1 for a traceback)", file=sys.stderr)
        return 70

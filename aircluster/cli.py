"""The `aircluster` command. Thin: parses arguments, calls the library, prints.

Every reporting command takes `--json`. User errors print one line to stderr and exit non-zero;
no traceback reaches the user (set AIRCLUSTER_DEBUG=1 to see one for an internal error).
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import faulthandler
import os
import signal
import sys
import threading
from typing import Any, Callable

import orjson

from aircluster import __version__
from aircluster.errors import AirclusterError, Interrupted, PermissionDenied, UsageError

Handler = Callable[[argparse.Namespace], int]


# --- output helpers ---------------------------------------------------------------------------------


def emit_json(obj: Any) -> None:
    sys.stdout.buffer.write(orjson.dumps(obj, option=orjson.OPT_INDENT_2, default=_json_default) + b"\n")
    sys.stdout.flush()


def _json_default(obj: Any) -> Any:
    if isinstance(obj, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(obj)).decode()
    raise TypeError(type(obj).__name__)


def when(ts: float | None) -> str:
    if ts is None:
        return "-"
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def human_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(n) < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


def console():
    from rich.console import Console

    return Console(highlight=False, width=None if sys.stdout.isatty() else 200)


def table(title: str | None, columns: list[str], rows: list[list[Any]]) -> None:
    from rich.table import Table

    t = Table(title=title, show_edge=False, header_style="bold")
    for c in columns:
        t.add_column(c)
    for r in rows:
        t.add_row(*[str(x) for x in r])
    console().print(t)


# --- commands ---------------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    from aircluster.context import init

    with init() as ctx:
        first = not ctx.audit.path.exists()
        if first:
            ctx.log("init", home=str(ctx.paths.home))
        info = {"home": str(ctx.paths.home), "catalog": str(ctx.paths.catalog), "keystore": str(ctx.paths.keystore),
                "master_key": str(ctx.paths.master_key), "audit_log": str(ctx.paths.audit_log), "created": first}
    if args.json:
        emit_json(info)
    else:
        print(f"aircluster home: {info['home']} ({'created' if first else 'already initialised'})")
    return 0


def _ctx():
    from aircluster.context import open_context

    return open_context()


def cmd_data_import(args: argparse.Namespace) -> int:
    from aircluster.store.ingest import ImportOptions, import_dataset
    from aircluster.store.limits import Limits

    flags = {"file_bytes": args.max_file_bytes, "line_bytes": args.max_line_bytes, "field_bytes": args.max_field_bytes}
    sizes = {name: _size(text, "--max-" + name.replace("_", "-")) for name, text in flags.items() if text is not None}
    limits = Limits.given(**sizes, depth=args.max_depth)
    opts = ImportOptions(format=args.format, text_field=args.text_field, label_field=args.label_field, on_error=args.on_error,
                         retention_days=args.retention_days, compress=args.compress == "zstd",
                         shard_bytes=_size(args.shard_size, "--shard-size"), limits=limits)
    with _ctx() as ctx:
        review = _review_hook(ctx, args)
        with _progress_bar("importing", enabled=not args.json) as advance:
            result = import_dataset(ctx, args.name, args.sources, opts, review=review, on_progress=advance)
    if args.json:
        emit_json(result.to_dict())
        return 0
    print(f"imported {result.ref}: {result.records} records in {result.shards} shards "
          f"({human_bytes(result.bytes_plain)} plaintext, {human_bytes(result.bytes_stored)} encrypted)")
    if result.problems.count:
        print(f"skipped {result.problems.count} bad records:")
        for example in result.problems.examples:
            print(f"  {example}")
    state = result.review.get("state", "pending_review")
    print(f"review: {state}" + (f" ({'; '.join(result.review.get('reasons', []))})" if result.review.get("reasons") else ""))
    if state == "pending_review":
        print(f"next: `aircluster review show {result.ref}`, then another principal runs `aircluster review approve {result.ref} --note TEXT`")
    return 0


def _review_hook(ctx, args: argparse.Namespace):
    """The privacy review gate every import goes through (the policy is loaded and checked here, before any data)."""
    from aircluster.privacy.gate import review_hook

    return review_hook(ctx, policy_path=args.policy, workers=args.scan_workers)


def _size(text: str, flag: str) -> int:
    units = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
    t = text.strip().lower().removesuffix("ib").removesuffix("b")
    try:
        if t and t[-1] in units:
            return int(float(t[:-1]) * units[t[-1]])
        return int(t)
    except ValueError:
        raise UsageError(f"{flag} {text!r} is not a size (e.g. 64MiB, 512k, 1048576)") from None


class _progress_bar:
    """A rich progress bar over input bytes on stderr, only for a terminal."""

    def __init__(self, label: str, enabled: bool):
        self.enabled = enabled and sys.stderr.isatty()
        self.label = label

    def __enter__(self):
        if not self.enabled:
            return None
        from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn, TransferSpeedColumn
        from rich.console import Console

        self.progress = Progress("[progress.description]{task.description}", BarColumn(), DownloadColumn(),
                                 TransferSpeedColumn(), TimeRemainingColumn(), console=Console(stderr=True), transient=True)
        self.progress.start()
        self.task = self.progress.add_task(self.label, total=None)

        def advance(n: int, total: int) -> None:
            self.progress.update(self.task, advance=n, total=total)

        return advance

    def __exit__(self, *exc) -> None:
        if self.enabled:
            self.progress.stop()


def cmd_data_ls(args: argparse.Namespace) -> int:
    with _ctx() as ctx:
        versions = ctx.catalog.versions()
    if args.json:
        emit_json([v.to_dict() for v in versions])
        return 0
    if not versions:
        print("no datasets yet: `aircluster data import NAME FILE...`")
        return 0
    table(None, ["version", "status", "records", "shards", "stored", "imported by", "created", "expires"],
          [[v.ref, v.status, v.records, v.shards, human_bytes(v.bytes_stored), v.imported_by, when(v.created_at), when(v.expires_at)]
           for v in versions])
    return 0


def cmd_data_show(args: argparse.Namespace) -> int:
    from aircluster.catalog import parse_ref

    with _ctx() as ctx:
        name, number = parse_ref(args.ref)
        versions = [ctx.catalog.resolve(args.ref)] if number else ctx.catalog.versions(name)
        docs = [v.to_dict() | {"reviews": ctx.catalog.reviews(v.id)} for v in versions]
    if args.json:
        emit_json(docs if number is None else docs[0])
        return 0
    for d in docs:
        print(f"{d['ref']}  ({d['status']})")
        print(f"  records {d['records']}, shards {d['shards']}, plaintext {human_bytes(d['bytes_plain'])}, "
              f"stored {human_bytes(d['bytes_stored'])} ({d['meta'].get('compression')}, AES-256-GCM)")
        print(f"  imported by {d['imported_by']} at {when(d['created_at'])}; format {d['meta'].get('format')}; "
              f"text field {d['meta'].get('text_field')}; label field {d['meta'].get('label_field')}")
        print(f"  expires {when(d['expires_at'])}" + (f"; shredded {when(d['shredded_at'])} ({d['shred_reason']})" if d["shredded_at"] else ""))
        print("  fields: " + ", ".join(f"{k} ({'/'.join(f['types'])})" for k, f in d["schema"].get("fields", {}).items()))
        for r in d["reviews"]:
            print(f"  review: {r['decision']} by {r['principal']} at {when(r['at'])}: {r['note']}")
    return 0


def cmd_data_verify(args: argparse.Namespace) -> int:
    from aircluster.catalog import parse_ref
    from aircluster.store.reader import verify_version

    with _ctx() as ctx:
        name, number = parse_ref(args.ref)
        versions = [ctx.catalog.resolve(args.ref)] if number else ctx.catalog.versions(name)
        results = []
        for v in versions:
            if v.shredded_at is not None:
                results.append({"ref": v.ref, "ok": None, "shredded": True})
                continue
            results.append(verify_version(ctx, v))
    if args.json:
        emit_json(results)
    else:
        for r in results:
            print(f"{r['ref']}: shredded, nothing to verify" if r.get("shredded") else
                  f"{r['ref']}: ok ({r['shards']} shards, {r['records']} records authenticated)")
    return 0


def cmd_data_expire(args: argparse.Namespace) -> int:
    from aircluster.catalog import parse_ref

    with _ctx() as ctx:
        name, number = parse_ref(args.ref)
        versions = [ctx.catalog.resolve(args.ref)] if number else ctx.catalog.versions(name)
        shredded = [v.ref for v in versions if ctx.shred(v, f"expired by {ctx.principal}")]
    if args.json:
        emit_json({"shredded": shredded})
    else:
        print(f"shredded {', '.join(shredded)}: keys destroyed, master key rotated" if shredded else "nothing to expire (already shredded)")
    return 0


def cmd_data_read(args: argparse.Namespace) -> int:
    from aircluster.store.reader import VersionReader

    with _ctx() as ctx:
        version = ctx.catalog.resolve(args.ref)
        reader = VersionReader(ctx, version, purpose="data read")
        out = sys.stdout.buffer
        n = 0
        for record in _records(reader, args):
            if args.limit is not None and n >= args.limit:
                break
            out.write(orjson.dumps(record, default=_json_default) + b"\n")
            n += 1
        out.flush()
    return 0


def _records(reader, args: argparse.Namespace):
    if not args.shuffle:
        yield from reader
        return
    import random

    rng = random.Random(args.seed)
    order = list(range(reader.num_shards))
    rng.shuffle(order)
    for index in order:
        shard = reader.open_shard(index)
        positions = list(range(len(shard)))
        rng.shuffle(positions)
        for i in positions:
            yield shard.record(i)


def cmd_review_show(args: argparse.Namespace) -> int:
    with _ctx() as ctx:
        version = ctx.catalog.resolve(args.ref)
        report = ctx.catalog.report(version.id)
        html = ctx.paths.reports / f"{version.id}.html"
        doc = {"ref": version.ref, "state": version.status, "imported_by": version.imported_by,
               "reviews": ctx.catalog.reviews(version.id), "report": report,
               "html_report": str(html) if html.exists() else None}
    if args.json:
        emit_json(doc)
        return 0
    from aircluster.privacy.report import render_text

    print(f"{doc['ref']}: {doc['state']} (imported by {doc['imported_by']})")
    print(render_text(report) if report else "no privacy report recorded for this version")
    if doc["html_report"]:
        print(f"HTML report: {doc['html_report']}")
    for r in doc["reviews"]:
        print(f"{r['decision']} by {r['principal']} at {when(r['at'])}: {r['note']}")
    return 0


def cmd_review_decide(args: argparse.Namespace) -> int:
    decision = "approved" if args.command == "approve" else "rejected"
    with _ctx() as ctx:
        version = ctx.catalog.resolve(args.ref)
        if version.shredded_at is not None:
            raise UsageError(f"{version.ref} is shredded; there is nothing to review")
        if version.review_state != "pending_review":
            raise UsageError(f"{version.ref} was already {version.review_state}; a review decision is final")
        if ctx.principal == version.imported_by:
            raise PermissionDenied(f"{ctx.principal} imported {version.ref} and so cannot review it: "
                                   "a second principal must decide (four-eyes rule)")
        if not args.note.strip():
            raise UsageError("--note must say why")
        ctx.catalog.record_review(version.id, decision, ctx.principal, args.note)
        ctx.log(f"review.{'approve' if decision == 'approved' else 'reject'}", dataset=version.name, version=version.number,
                version_id=version.id, note=args.note)
        if decision == "rejected":
            ctx.shred(version, f"rejected in review by {ctx.principal}")
    if args.json:
        emit_json({"ref": version.ref, "decision": decision, "principal": ctx.principal})
    else:
        print(f"{version.ref}: {decision} by {ctx.principal}" + ("; its keys were destroyed" if decision == "rejected" else ""))
    return 0


def cmd_audit_tail(args: argparse.Namespace) -> int:
    with _ctx() as ctx:
        entries = ctx.audit.tail(args.n)
    if args.json:
        emit_json(entries)
        return 0
    for e in entries:
        details = {k: v for k, v in e.items() if k not in ("seq", "time", "principal", "action", "prev", "mac")}
        print(f"{e.get('seq'):>6} {e.get('time')} {e.get('principal')} {e.get('action')} "
              + " ".join(f"{k}={v}" for k, v in details.items()))
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    with _ctx() as ctx:
        result = ctx.audit.verify()
    if args.json:
        emit_json(result.to_dict())
    elif result.ok:
        print(f"audit log intact: {result.entries} entries, chain and MACs verified up to the anchor (entry {result.anchor_seq})")
    if not result.ok:
        if not args.json:
            print(f"error: audit log tampered: {result.problem}", file=sys.stderr)
        return 3
    return 0


def cmd_keys_rotate(args: argparse.Namespace) -> int:
    with _ctx() as ctx:
        old = ctx.keys.master_id
        n = ctx.keys.rotate_master()
        ctx.log("keys.rotate_master", old_master_id=old, new_master_id=ctx.keys.master_id, keys_rewrapped=n)
        new = ctx.keys.master_id
    if args.json:
        emit_json({"old_master_id": old, "new_master_id": new, "keys_rewrapped": n})
    else:
        print(f"master key rotated ({old} -> {new}); {n} keys re-wrapped; the old master key was destroyed")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from aircluster.demo import run_demo

    return run_demo(json_output=args.json, workdir=args.workdir)


# --- parser -----------------------------------------------------------------------------------------


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

    cmd(sub, "init", cmd_init, "create AIRCLUSTER_HOME (catalog, key store, audit log); idempotent")

    data = sub.add_parser("data", help="datasets: import, list, show, verify, expire, read").add_subparsers(dest="command", required=True, metavar="COMMAND")
    imp = cmd(data, "import", cmd_data_import, "import files as a new encrypted, immutable dataset version")
    imp.add_argument("name")
    imp.add_argument("sources", nargs="+", metavar="SRC", help="files, globs, or image folders (one sub-folder per class)")
    imp.add_argument("--format", choices=["jsonl", "csv", "parquet", "images"])
    imp.add_argument("--policy", help="privacy policy TOML (default: the strict shipped policy)")
    imp.add_argument("--retention-days", type=float)
    imp.add_argument("--on-error", choices=["fail", "skip"], default="fail")
    imp.add_argument("--text-field")
    imp.add_argument("--label-field")
    imp.add_argument("--compress", choices=["zstd", "none"], default="zstd")
    imp.add_argument("--shard-size", default="64MiB", help="target plaintext bytes per shard (default 64MiB)")
    imp.add_argument("--scan-workers", type=int, default=min(2, os.cpu_count() or 1), help="privacy scan processes")
    from aircluster.store.limits import DEPTH_CEILING, Limits, human

    default = Limits()
    imp.add_argument("--max-file-bytes", help=f"largest input file (default {human(default.file_bytes)})")
    imp.add_argument("--max-line-bytes", help=f"longest JSON Lines or CSV line (default {human(default.line_bytes)})")
    imp.add_argument("--max-field-bytes", help=f"largest string, bytes or image (default {human(default.field_bytes)})")
    imp.add_argument("--max-depth", type=int,
                     help=f"deepest nesting, the record included (default {default.depth}, at most {DEPTH_CEILING})")
    cmd(data, "ls", cmd_data_ls, "list dataset versions")
    for name, handler, help in (("show", cmd_data_show, "show a dataset's versions or one version"),
                                ("verify", cmd_data_verify, "authenticate every shard and the manifest, printing no data"),
                                ("expire", cmd_data_expire, "shred a version now: destroy its key (the master key rotates)")):
        cmd(data, name, handler, help).add_argument("ref", metavar="NAME[@V]")
    rd = cmd(data, "read", cmd_data_read, "print records as JSON lines (audited; needs an approved version)", json_flag=False)
    rd.add_argument("ref", metavar="NAME[@V]")
    rd.add_argument("--limit", type=int)
    rd.add_argument("--shuffle", action="store_true")
    rd.add_argument("--seed", type=int, default=0)

    review = sub.add_parser("review", help="privacy review: show, approve, reject").add_subparsers(dest="command", required=True, metavar="COMMAND")
    cmd(review, "show", cmd_review_show, "show a version's privacy report and decisions").add_argument("ref", metavar="NAME@V")
    for name in ("approve", "reject"):
        sp = cmd(review, name, cmd_review_decide, f"{name} a version (by a principal other than its importer)")
        sp.add_argument("ref", metavar="NAME@V")
        sp.add_argument("--note", required=True)

    audit = sub.add_parser("audit", help="the tamper-evident audit log").add_subparsers(dest="command", required=True, metavar="COMMAND")
    cmd(audit, "tail", cmd_audit_tail, "show the newest audit entries").add_argument("-n", type=int, default=20)
    cmd(audit, "verify", cmd_audit_verify, "check the audit log's chain, MACs and anchor")

    keys = sub.add_parser("keys", help="key management").add_subparsers(dest="command", required=True, metavar="COMMAND")
    cmd(keys, "rotate-master", cmd_keys_rotate, "re-wrap every key under a new master key and destroy the old one")

    demo = cmd(sub, "demo", cmd_demo, "the main job, end to end, on embedded defaults")
    demo.add_argument("--workdir", help="where to put the demo's data (default: AIRCLUSTER_HOME/demo)")

    _register_extensions(sub, cmd)
    return p


def _register_extensions(sub, cmd) -> None:
    """Commands of the trainer and launcher (train, jobs, health) live beside their library."""
    from aircluster.cluster.commands import register

    register(sub, cmd)


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
    parser = build_parser()
    args = parser.parse_args(argv)
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


if __name__ == "__main__":
    sys.exit(main())

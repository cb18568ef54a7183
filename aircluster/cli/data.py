"""`aircluster init` and `aircluster data ...`: import, list, show, verify, expire, read."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

import orjson

from aircluster.cli.output import emit_json, human_bytes, json_default, parse_size, progress_bar, table, when
from aircluster.client.connection import call, connect
from aircluster.client.remote import ServerKeys, version_from
from aircluster.store.limits import DEPTH_CEILING, Limits, human


def cmd_init(args: argparse.Namespace) -> int:
    """A personal installation in AIRCLUSTER_HOME (`aircluster server init` makes a shared one, as root)."""
    from aircluster import installation
    from aircluster.server.state import init_server

    home = installation.home()
    config, created = init_server(home, personal=True if os.getuid() != 0 or not args.shared else False)
    paths = config.paths(home)
    info = {
        "home": str(home),
        "mode": config.mode,
        "state_dir": str(paths.server_dir),
        "master_key": config.master_key,
        "audit_log": str(paths.audit_log),
        "socket": str(paths.socket),
        "created": created,
    }
    if args.json:
        emit_json(info)
    else:
        print(f"aircluster home: {home} ({'created' if created else 'already initialised'}; {config.mode} installation)")
    return 0


def cmd_data_import(args: argparse.Namespace) -> int:
    """The client opens the inputs and passes them to the server, which imports them (see cli/upload.py)."""
    from aircluster.cli.upload import ServerImport

    flags = {"file_bytes": args.max_file_bytes, "line_bytes": args.max_line_bytes, "field_bytes": args.max_field_bytes}
    sizes = {name: parse_size(text, "--max-" + name.replace("_", "-")) for name, text in flags.items() if text is not None}
    options = {
        "format": args.format,
        "text_field": args.text_field,
        "label_field": args.label_field,
        "on_error": args.on_error,
        "retention_days": args.retention_days,
        "compress": args.compress == "zstd",
        "shard_bytes": parse_size(args.shard_size, "--shard-size"),
        "limits": {**sizes, "depth": args.max_depth},
    }
    with connect() as server:
        job = ServerImport(server, args.name, args.sources, options)
        job.begin(args.policy, args.scan_workers)
        with progress_bar("uploading", enabled=not args.json) as advance:
            total = job.input_bytes()
            job.upload(lambda n: advance(n, total) if advance else None)
        with progress_bar("importing", enabled=not args.json) as advance:
            result = job.run(advance)
    if args.json:
        emit_json(result)
        return 0
    print(
        f"imported {result['ref']}: {result['records']} records in {result['shards']} shards "
        f"({human_bytes(result['bytes_plain'])} plaintext, {human_bytes(result['bytes_stored'])} encrypted)"
    )
    if result["skipped"]:
        print(f"skipped {result['skipped']} bad records:")
        for example in result["examples"]:
            print(f"  {example}")
    review = result["review"]
    state = review.get("state", "pending_review")
    print(f"review: {state}" + (f" ({'; '.join(review.get('reasons', []))})" if review.get("reasons") else ""))
    if state == "pending_review":
        print(
            f"next: `aircluster review show {result['ref']}`, then another principal runs "
            f"`aircluster review approve {result['ref']} --note TEXT`"
        )
    return 0


def cmd_data_ls(args: argparse.Namespace) -> int:
    versions = [version_from(d) for d in call("versions.list")]
    if args.json:
        emit_json([v.to_dict() for v in versions])
        return 0
    if not versions:
        print("no datasets yet: `aircluster data import NAME FILE...`")
        return 0
    table(
        None,
        ["version", "status", "records", "shards", "stored", "imported by", "created", "expires"],
        [
            [
                v.ref,
                v.status,
                v.records,
                v.shards,
                human_bytes(v.bytes_stored),
                v.imported_by,
                when(v.created_at),
                when(v.expires_at),
            ]
            for v in versions
        ],
    )
    return 0


def cmd_data_show(args: argparse.Namespace) -> int:
    from aircluster.catalog import parse_ref

    _, number = parse_ref(args.ref)
    docs: list[dict[str, Any]] = call("versions.show", ref=args.ref)
    if args.json:
        emit_json(docs if number is None else docs[0])
        return 0
    for d in docs:
        print(f"{d['ref']}  ({d['status']})")
        print(
            f"  records {d['records']}, shards {d['shards']}, plaintext {human_bytes(d['bytes_plain'])}, "
            f"stored {human_bytes(d['bytes_stored'])} ({d['meta'].get('compression')}, AES-256-GCM)"
        )
        print(
            f"  imported by {d['imported_by']} at {when(d['created_at'])}; format {d['meta'].get('format')}; "
            f"text field {d['meta'].get('text_field')}; label field {d['meta'].get('label_field')}"
        )
        print(
            f"  expires {when(d['expires_at'])}"
            + (f"; shredded {when(d['shredded_at'])} ({d['shred_reason']})" if d["shredded_at"] else "")
        )
        print("  fields: " + ", ".join(f"{k} ({'/'.join(f['types'])})" for k, f in d["schema"].get("fields", {}).items()))
        for r in d["reviews"]:
            print(f"  review: {r['decision']} by {r['principal']} at {when(r['at'])}: {r['note']}")
    return 0


def cmd_data_verify(args: argparse.Namespace) -> int:
    from aircluster.catalog import parse_ref
    from aircluster.store.reader import verify_version

    with ServerKeys.connect() as keys:
        _, number = parse_ref(args.ref)
        versions = [keys.catalog.resolve(args.ref)] if number else keys.catalog.versions(parse_ref(args.ref)[0])
        results = []
        for v in versions:
            if v.shredded_at is not None:
                results.append({"ref": v.ref, "ok": None, "shredded": True})
                continue
            results.append(verify_version(keys, v))
    if args.json:
        emit_json(results)
    else:
        for r in results:
            print(
                f"{r['ref']}: shredded, nothing to verify"
                if r.get("shredded")
                else f"{r['ref']}: ok ({r['shards']} shards, {r['records']} records authenticated)"
            )
    return 0


def cmd_data_expire(args: argparse.Namespace) -> int:
    shredded = call("data.expire", ref=args.ref)["shredded"]
    if args.json:
        emit_json({"shredded": shredded})
    else:
        print(
            f"shredded {', '.join(shredded)}: keys destroyed, master key rotated"
            if shredded
            else "nothing to expire (already shredded)"
        )
    return 0


def cmd_data_read(args: argparse.Namespace) -> int:
    from aircluster.store.reader import VersionReader

    with ServerKeys.connect() as keys:
        version = keys.catalog.resolve(args.ref)
        reader = VersionReader(keys, version, purpose="data read")
        out = sys.stdout.buffer
        n = 0
        for record in _records(reader, args):
            if args.limit is not None and n >= args.limit:
                break
            out.write(orjson.dumps(record, default=json_default) + b"\n")
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


def register(sub, cmd) -> None:
    init = cmd(sub, "init", cmd_init, "create a personal installation in AIRCLUSTER_HOME; idempotent")
    init.add_argument("--shared", action="store_true", help="as root: a shared installation (as `server init`)")
    data = sub.add_parser("data", help="datasets: import, list, show, verify, expire, read").add_subparsers(
        dest="command", required=True, metavar="COMMAND"
    )
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
    default = Limits()
    imp.add_argument("--max-file-bytes", help=f"largest input file (default {human(default.file_bytes)})")
    imp.add_argument("--max-line-bytes", help=f"longest JSON Lines or CSV line (default {human(default.line_bytes)})")
    imp.add_argument("--max-field-bytes", help=f"largest string, bytes or image (default {human(default.field_bytes)})")
    imp.add_argument(
        "--max-depth", type=int, help=f"deepest nesting, the record included (default {default.depth}, at most {DEPTH_CEILING})"
    )
    cmd(data, "ls", cmd_data_ls, "list dataset versions")
    for name, handler, text in (
        ("show", cmd_data_show, "show a dataset's versions or one version"),
        ("verify", cmd_data_verify, "authenticate every shard and the manifest, printing no data"),
        ("expire", cmd_data_expire, "shred a version now: destroy its key (the master key rotates)"),
    ):
        cmd(data, name, handler, text).add_argument("ref", metavar="NAME[@V]")
    rd = cmd(data, "read", cmd_data_read, "print records as JSON lines (audited; needs an approved version)", json_flag=False)
    rd.add_argument("ref", metavar="NAME[@V]")
    rd.add_argument("--limit", type=int)
    rd.add_argument("--shuffle", action="store_true")
    rd.add_argument("--seed", type=int, default=0)

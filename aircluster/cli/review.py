"""`aircluster review ...`, `aircluster audit ...` and `aircluster keys ...`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from aircluster.cli.output import emit_json, when
from aircluster.client.connection import call
from aircluster.context import open_audit


def cmd_review_show(args: argparse.Namespace) -> int:
    doc = call("review.show", ref=args.ref)
    report = doc["report"]
    if args.html:
        from aircluster.privacy.review.report import render_html

        out = Path(args.html)
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # it quotes masked context: the reader's own
        with os.fdopen(fd, "w") as f:
            f.write(render_html(report or {}))
        doc["html_report"] = str(out)
    if args.json:
        emit_json(doc)
        return 0
    from aircluster.privacy.review.report import render_text

    print(f"{doc['ref']}: {doc['state']} (imported by {doc['imported_by']})")
    print(render_text(report) if report else "no privacy report recorded for this version")
    if doc.get("html_report"):
        print(f"HTML report: {doc['html_report']}")
    for r in doc["reviews"]:
        print(f"{r['decision']} by {r['principal']} at {when(r['at'])}: {r['note']}")
    return 0


def cmd_review_decide(args: argparse.Namespace) -> int:
    decision = "approved" if args.command == "approve" else "rejected"
    done = call("review.decide", ref=args.ref, decision=decision, note=args.note)
    if args.json:
        emit_json(done)
    else:
        print(
            f"{done['ref']}: {decision} by {done['principal']}" + ("; its keys were destroyed" if decision == "rejected" else "")
        )
        if done.get("note"):
            print(done["note"])
    return 0


def cmd_audit_tail(args: argparse.Namespace) -> int:
    entries = open_audit().tail(args.n)
    if args.json:
        emit_json(entries)
        return 0
    for e in entries:
        details = {k: v for k, v in e.items() if k not in ("seq", "time", "principal", "action", "prev", "mac")}
        print(
            f"{e.get('seq'):>6} {e.get('time')} {e.get('principal')} {e.get('action')} "
            + " ".join(f"{k}={v}" for k, v in details.items())
        )
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    result = open_audit().verify()
    if args.json:
        emit_json(result.to_dict())
    if not result.ok:
        if not args.json:
            print(f"error: audit log tampered: {result.problem}", file=sys.stderr)
        return 3
    if args.json:
        return 0
    head, seen = result.head, result.seen
    assert head is not None
    print(
        f"audit log intact: {result.entries} entries hash to the root signed by key {head.key_fingerprint[:16]} "
        f"at {when(head.timestamp_ms / 1000)}"
    )
    if seen is None:
        print(
            f"first check by this account: the current head (root {head.root.hex()[:16]}) is trusted on first use; "
            "compare it with an outside witness (`aircluster audit head`)"
        )
    else:
        print(f"consistent with the head of {seen.size} entries this account saw at {when(seen.timestamp_ms / 1000)}")
    if result.unsigned:
        print(
            f"{result.unsigned} newer line(s) are not covered by the signed head and are not part of the log "
            "(an append in progress, or one that stopped before signing)"
        )
    return 0


def cmd_audit_head(args: argparse.Namespace) -> int:
    head = open_audit().head()
    if args.json:
        emit_json(head.to_dict())
        return 0
    rows = [
        ("tree size", head.size),
        ("root hash", head.root.hex()),
        ("timestamp", f"{head.timestamp_ms} ({when(head.timestamp_ms / 1000)})"),
        ("signature", head.to_dict()["signature"]),
        ("key", head.key_fingerprint),
    ]
    for name, value in rows:
        print(f"{name:<10} {value}")
    return 0


def cmd_keys_rotate(args: argparse.Namespace) -> int:
    done = call("keys.rotate_master")
    old, new, n = done["old_master_id"], done["new_master_id"], done["keys_rewrapped"]
    if args.json:
        emit_json(done)
    else:
        print(f"master key rotated ({old} -> {new}); {n} keys re-wrapped; the old master key was destroyed")
    return 0


def register(sub, cmd) -> None:
    review = sub.add_parser("review", help="privacy review: show, approve, reject").add_subparsers(
        dest="command", required=True, metavar="COMMAND"
    )
    show = cmd(review, "show", cmd_review_show, "show a version's privacy report and decisions")
    show.add_argument("ref", metavar="NAME@V")
    show.add_argument("--html", metavar="FILE", help="also write the report as HTML to FILE (yours, mode 0600)")
    for name in ("approve", "reject"):
        sp = cmd(review, name, cmd_review_decide, f"{name} a version (by a principal other than its importer)")
        sp.add_argument("ref", metavar="NAME@V")
        sp.add_argument("--note", required=True)

    audit = sub.add_parser("audit", help="the tamper-evident audit log").add_subparsers(
        dest="command", required=True, metavar="COMMAND"
    )
    cmd(audit, "tail", cmd_audit_tail, "show the newest audit entries").add_argument("-n", type=int, default=20)
    cmd(audit, "verify", cmd_audit_verify, "check the audit log against its signed head and the last head you saw")
    cmd(audit, "head", cmd_audit_head, "print the audit log's current signed tree head, for an outside witness")

    keys = sub.add_parser("keys", help="key management").add_subparsers(dest="command", required=True, metavar="COMMAND")
    cmd(keys, "rotate-master", cmd_keys_rotate, "re-wrap every key under a new master key and destroy the old one")

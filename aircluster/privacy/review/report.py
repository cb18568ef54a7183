"""Review statistics and the review report (JSON-able dict, text and HTML renderings).

    stats = ReviewStats()
    stats.add(findings_with_actions, dropped, record=original_record)   # once per record
    stats.merge(other_stats)                                            # partial stats from workers
    state, reasons = stats.decide(policy)        # "pending_review" | "rejected", why
    stats.to_dict() -> {"records", "records_dropped", "records_with_pii", "by_entity", "findings"}
    build_report(stats, policy, versions) -> report dict (the above + state, reasons, policy, detector)
    render_text(report) -> str;  render_html(report) -> str;  write_report_files(report, dir, stem)

Examples never hold the PII itself: the finding is shown by its shape (`j***@*****.***`, or only
`<SECRET>` for secrets), every other finding in the same string by its `<ENTITY>` tag, and only a
short stretch of text around it is kept. Memory is bounded: a few examples per (entity, field).
"""

from __future__ import annotations

import html
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aircluster.privacy.findings import KEY_FIELD, Finding
from aircluster.privacy.review.policy import ANY, Policy

EXAMPLES_PER_GROUP = 3
CONTEXT_CHARS = 20
_SHAPE_ONLY = {"SECRET", "CREDIT_CARD", "IBAN", "US_SSN", "PHONE_NUMBER", "DATE_OF_BIRTH", "AGE", "DRIVER_LICENSE"}


@dataclass
class _Group:
    count: int = 0
    records: int = 0
    actions: Counter = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)


@dataclass
class ReviewStats:
    records: int = 0
    records_dropped: int = 0
    records_with_pii: int = 0
    entity_records: Counter = field(default_factory=Counter)  # entity -> records holding it
    groups: dict[tuple[str, str], _Group] = field(default_factory=dict)  # (entity, field) -> stats
    fields_seen: set[str] = field(default_factory=set)

    def add(self, findings_with_actions: list[tuple[Finding, str]], dropped: bool, record: dict | None = None) -> None:
        """Count one record. `record` (before the policy) is used only to build masked examples."""
        self.records += 1
        self.records_dropped += bool(dropped)
        if record is not None:
            self.fields_seen.update(_field_paths(record))
        if not findings_with_actions:
            return
        self.records_with_pii += 1
        self.entity_records.update({f.entity for f, _ in findings_with_actions})
        seen_groups: set[tuple[str, str]] = set()
        by_path: dict[tuple, list[Finding]] = {}
        for f, _ in findings_with_actions:
            by_path.setdefault((f.field.endswith(KEY_FIELD), f.path), []).append(f)
        for f, action in findings_with_actions:
            g = self.groups.setdefault((f.entity, f.field), _Group())
            g.count += 1
            g.actions[action] += 1
            if (f.entity, f.field) not in seen_groups:
                seen_groups.add((f.entity, f.field))
                g.records += 1
            if record is not None and len(g.examples) < EXAMPLES_PER_GROUP:
                text = _text_at(record, f)
                if text is not None:
                    g.examples.append(masked_example(text, f, by_path[(f.field.endswith(KEY_FIELD), f.path)]))

    def merge(self, other: ReviewStats) -> None:
        self.records += other.records
        self.records_dropped += other.records_dropped
        self.records_with_pii += other.records_with_pii
        self.entity_records.update(other.entity_records)
        self.fields_seen |= other.fields_seen
        for key, og in other.groups.items():
            g = self.groups.setdefault(key, _Group())
            g.count += og.count
            g.records += og.records
            g.actions.update(og.actions)
            g.examples.extend(og.examples[: EXAMPLES_PER_GROUP - len(g.examples)])

    def rate(self, entity: str) -> float:
        held = self.records_with_pii if entity == ANY else self.entity_records[entity]
        return held / self.records if self.records else 0.0

    def decide(self, policy: Policy) -> tuple[str, list[str]]:
        reasons = []
        for entity, limit in sorted(policy.thresholds.items()):
            rate = self.rate(entity)
            if rate > limit:
                what = "PII of any kind" if entity == ANY else entity
                reasons.append(f"{what} in {rate:.1%} of records (limit {limit:.1%})")
        return ("rejected" if reasons else "pending_review"), reasons

    def to_dict(self) -> dict[str, Any]:
        by_entity = {
            e: {
                "records": n,
                "rate": round(n / self.records, 6) if self.records else 0.0,
                "count": sum(g.count for (ge, _), g in self.groups.items() if ge == e),
            }
            for e, n in sorted(self.entity_records.items())
        }
        findings = [
            {
                "entity": e,
                "field": f,
                "count": g.count,
                "records": g.records,
                "rate": round(g.records / self.records, 6) if self.records else 0.0,
                "actions": dict(g.actions),
                "examples": list(g.examples),
            }
            for (e, f), g in sorted(self.groups.items())
        ]
        return {
            "records": self.records,
            "records_dropped": self.records_dropped,
            "records_with_pii": self.records_with_pii,
            "by_entity": by_entity,
            "findings": findings,
        }


def _field_paths(record: dict, prefix: str = "") -> set[str]:
    out = set()
    for k, v in record.items():
        path = f"{prefix}{k}"
        out.add(path)
        if isinstance(v, dict):
            out |= _field_paths(v, f"{path}.")
        elif isinstance(v, (list, tuple)):
            for item in v:
                if isinstance(item, dict):
                    out |= _field_paths(item, f"{path}.")
    return out


def _text_at(record: dict, f: Finding) -> str | None:
    obj: Any = record
    try:
        for step in f.path[:-1] if f.field.endswith(KEY_FIELD) else f.path:
            obj = obj[step]
    except (KeyError, IndexError, TypeError):
        return None
    if f.field.endswith(KEY_FIELD):
        return str(f.path[-1])
    return obj if isinstance(obj, str) else None


def shape(entity: str, value: str) -> str:
    """The PII's shape, never its content: `j***@*****.***`, `J*** S****`, `<SECRET>`."""
    if entity == "SECRET":
        return "<SECRET>"
    keep_first = entity not in _SHAPE_ONLY
    out, start_of_word = [], True
    for c in value:
        if c.isalnum():
            out.append(c if (keep_first and start_of_word) else "*")
            start_of_word = False
        else:
            out.append(c)
            start_of_word = c in " @"
    return "".join(out)


def masked_example(text: str, finding: Finding, same_string: list[Finding]) -> str:
    """A short excerpt around `finding`: it shown by shape, every other finding by its tag."""
    lo = max(0, finding.start - CONTEXT_CHARS)
    hi = min(len(text), finding.end + CONTEXT_CHARS)
    parts, pos = [], lo
    for f in sorted(same_string, key=lambda x: x.start):
        if f.end <= lo or f.start >= hi:
            continue
        a, b = max(f.start, lo), min(f.end, hi)
        if a > pos:
            parts.append(text[pos:a])
        parts.append(shape(f.entity, text[f.start : f.end]) if f is finding else f"<{f.entity}>")
        pos = max(pos, b)
    parts.append(text[pos:hi])
    return ("…" if lo > 0 else "") + "".join(parts).replace("\n", " ") + ("…" if hi < len(text) else "")


# ---- the report ----------------------------------------------------------------------------------


def build_report(stats: ReviewStats, policy: Policy, versions: dict[str, str]) -> dict[str, Any]:
    state, reasons = stats.decide(policy)
    return {"state": state, "reasons": reasons, **stats.to_dict(), "policy": policy.to_dict(), "detector": dict(versions)}


def render_text(report: dict[str, Any]) -> str:
    n = report.get("records", 0)
    lines = [
        f"privacy review: {report.get('state', '?')}" + (f" ({'; '.join(report['reasons'])})" if report.get("reasons") else ""),
        f"records scanned {n}, with PII {report.get('records_with_pii', 0)}, "
        f"dropped {report.get('records_dropped', 0)}; policy {report.get('policy', {}).get('name', '?')}",
    ]
    if report.get("findings"):
        lines.append(f"  {'entity':<15}{'field':<22}{'found':>7}{'records':>9}{'rate':>8}  action")
        for row in report["findings"]:
            actions = ", ".join(f"{a} {c}" for a, c in sorted(row["actions"].items()))
            lines.append(
                f"  {row['entity']:<15}{row['field'][:21]:<22}{row['count']:>7}{row['records']:>9}{row['rate']:>8.1%}  {actions}"
            )
            for ex in row["examples"]:
                lines.append(f"      e.g. {ex}")
    detector = report.get("detector", {})
    if detector:
        lines.append("detector: " + ", ".join(f"{k} {v}" for k, v in detector.items()))
    return "\n".join(lines)


def render_html(report: dict[str, Any]) -> str:
    esc = html.escape
    rows = []
    for row in report.get("findings", []):
        actions = ", ".join(f"{esc(a)} {c}" for a, c in sorted(row["actions"].items()))
        examples = "<br>".join(f"<code>{esc(ex)}</code>" for ex in row["examples"])
        rows.append(
            f"<tr><td>{esc(row['entity'])}</td><td>{esc(row['field'])}</td><td>{row['count']}</td>"
            f"<td>{row['records']}</td><td>{row['rate']:.2%}</td><td>{actions}</td><td>{examples}</td></tr>"
        )
    reasons = "".join(f"<li>{esc(r)}</li>" for r in report.get("reasons", []))
    policy = esc(json.dumps(report.get("policy", {}), indent=2))
    detector = "".join(f"<li>{esc(k)}: {esc(str(v))}</li>" for k, v in report.get("detector", {}).items())
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>Privacy review</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:4px 8px;vertical-align:top}}th{{background:#eee}}</style></head>
<body><h1>Privacy review: {esc(str(report.get("state", "?")))}</h1><ul>{reasons}</ul>
<p>Records scanned: {report.get("records", 0)}; with PII: {report.get("records_with_pii", 0)};
dropped: {report.get("records_dropped", 0)}.</p>
<table><tr><th>entity</th><th>field</th><th>found</th><th>records</th><th>rate</th><th>action</th>
<th>examples (masked)</th></tr>{"".join(rows)}</table>
<h2>Policy</h2><pre>{policy}</pre><h2>Detector</h2><ul>{detector}</ul></body></html>
"""


def write_report_files(report: dict[str, Any], directory: Path, stem: str) -> list[Path]:
    """Write `<stem>.json` and `<stem>.html` (complete files: written to a temp name, then renamed)."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    out = []
    for suffix, body in ((".json", json.dumps(report, indent=2, ensure_ascii=False)), (".html", render_html(report))):
        path = directory / f"{stem}{suffix}"
        tmp = path.with_suffix(suffix + ".tmp")
        # 0600 whatever the umask: a report quotes a little context around each finding
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            os.fchmod(f.fileno(), 0o600)
            f.write(body)
        tmp.replace(path)
        out.append(path)
    return out

"""The review gate inside a real import: policy applied to stored data, report saved, state decided."""

from __future__ import annotations

import json

import pytest

from aircluster.errors import UsageError
from aircluster.privacy.review.gate import review_hook


@pytest.fixture
def ctx(home):
    from aircluster.context import init

    c = init(home)
    yield c
    c.close()


def import_posts(ctx, tmp_path, records, policy=None, name="posts"):
    from aircluster.store.ingest import ImportOptions, import_dataset

    src = tmp_path / f"{name}.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records))
    hook = review_hook(ctx, policy_path=policy, workers=1)
    return import_dataset(ctx, name, [str(src)], ImportOptions(), review=hook)


def test_import_applies_policy_and_saves_report(ctx, tmp_path):
    records = [{"text": "mail ana.lima@example.com please", "label": 0}, {"text": "hello world", "label": 1}]
    result = import_posts(ctx, tmp_path, records)
    assert result.review["state"] == "pending_review"
    report = ctx.catalog.report(result.version_id)
    assert report["records"] == 2 and report["by_entity"]["EMAIL_ADDRESS"]["records"] == 1
    assert "ana.lima@example.com" not in json.dumps(report)
    html = (ctx.paths.reports / f"{result.version_id}.html").read_text()
    assert "EMAIL_ADDRESS" in html and "ana.lima" not in html


def test_many_secrets_reject_the_version(ctx, tmp_path):
    records = [{"text": f"api_key=Zx9{i:04d}SecretValueQq"} for i in range(3)] + [{"text": "fine"}] * 7
    result = import_posts(ctx, tmp_path, records)
    assert result.review["state"] == "rejected"
    assert "SECRET" in result.review["reasons"][0]


def test_policy_naming_a_missing_field_fails_the_import_and_leaves_no_report(ctx, tmp_path):
    policy = tmp_path / "p.toml"
    policy.write_text('[fields."txet"]\nPERSON = "allow"\n')
    with pytest.raises(UsageError, match="txet"):
        import_posts(ctx, tmp_path, [{"text": "hello"}], policy=policy)
    assert list(ctx.paths.reports.glob("*")) == []


@pytest.mark.slow
def test_a_worker_killed_mid_import_is_one_line_and_leaves_no_version(ctx, tmp_path):
    import os
    import signal

    from aircluster.demo.posts import generate_records
    from aircluster.errors import AirclusterError
    from aircluster.store.ingest import ImportOptions, import_dataset

    src = tmp_path / "posts.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in generate_records(4_000, seed=16, pii_rate=0.8)))
    hook = review_hook(ctx, workers=2, local_pieces=1)
    killed: list[int] = []

    def kill_workers_once_they_scan(done: int, total: int) -> None:
        pipe = hook.pipeline
        if not killed and pipe is not None and pipe._pool_used and pipe._pool is not None and pipe._pool._processes:
            killed.extend(pipe._pool._processes)
            for pid in killed:
                os.kill(pid, signal.SIGKILL)

    with pytest.raises(AirclusterError) as err:
        import_dataset(ctx, "posts", [str(src)], ImportOptions(), review=hook, on_progress=kill_workers_once_they_scan)
    assert killed  # the workers were scanning when they died
    assert "worker process died" in str(err.value) and "\n" not in str(err.value)
    assert ctx.catalog.versions() == []  # nothing published
    assert list(ctx.paths.staging.iterdir()) == []  # nothing half-written left behind
    assert list(ctx.paths.reports.glob("*")) == []

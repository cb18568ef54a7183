"""The privacy review as the import sees it (`aircluster.store.ingest.ReviewHook`).

    hook = review_hook(ctx, policy_path=None, workers=2)   # loads and checks the policy first
                                                            # (local_pieces=N: see pipeline.ScanPipeline)
    transform = hook.start(dataset_id, version_id)          # batches in -> reviewed batches out
    summary = hook.finish()     # {"state", "reasons", "report", "report_files"}; after the last batch
    hook.close()                # always; stops workers, stores the report with the published version

The pseudonym key is the dataset's key from the key service (`KeyService.pseudonym_key`), so tokens
are stable across versions of one dataset and destroying that key breaks their linkability.
`finish()` checks per-field policy rules against the fields the data really has, decides the state
(`rejected` when a threshold is exceeded, else `pending_review`) and writes the report as JSON and
HTML under AIRCLUSTER_HOME/reports/<version id>.*. `close()` saves the report in the catalog when
the version was published, and removes the report files when it was not (nothing half-done).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aircluster.privacy.review.pipeline import ScanPipeline
from aircluster.privacy.review.policy import Policy
from aircluster.privacy.review.report import build_report, write_report_files


class ReviewGate:
    def __init__(self, ctx: Any, policy: Policy, workers: int, local_pieces: int | None = None):
        self.ctx = ctx
        self.policy = policy
        self.workers = workers
        self.local_pieces = local_pieces
        self.pipeline: ScanPipeline | None = None
        self.version_id: str | None = None
        self.report: dict[str, Any] | None = None
        self.files: list[Path] = []

    def start(self, dataset_id: str, version_id: str):
        self.version_id = version_id
        key = self.ctx.keys.pseudonym_key(dataset_id)
        self.pipeline = ScanPipeline(self.policy, key, workers=self.workers, local_pieces=self.local_pieces)
        return self.pipeline.process

    def finish(self) -> dict[str, Any]:
        assert self.pipeline is not None and self.version_id is not None, "finish() before start()"
        stats = self.pipeline.stats
        self.policy.validate_fields(stats.fields_seen)
        self.report = build_report(stats, self.policy, self.pipeline.versions())
        self.files = write_report_files(self.report, Path(self.ctx.paths.reports), self.version_id)
        return {
            "state": self.report["state"],
            "reasons": self.report["reasons"],
            "report": self.report,
            "report_files": [str(p) for p in self.files],
        }

    def close(self, abort: bool = False) -> None:
        if self.pipeline is not None:
            self.pipeline.close(abort=abort)
        if self.version_id is None or self.report is None:
            return
        if self.ctx.catalog.is_published(self.version_id):
            self.ctx.catalog.save_report(self.version_id, self.report)
        else:
            for path in self.files:
                path.unlink(missing_ok=True)
        self.report = None


def review_hook(ctx: Any, policy_path: str | Path | None = None, workers: int = 2, local_pieces: int | None = None) -> ReviewGate:
    """Load (and so check) the policy before anything is read, then hand the import its gate."""
    return ReviewGate(ctx, Policy.load(policy_path), workers, local_pieces)

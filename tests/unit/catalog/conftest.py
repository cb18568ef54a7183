"""A real catalog (SQLite on disk) and versions added as the importer adds them, without shard files."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from aircluster.catalog import Catalog, Version

AddVersion = Callable[..., Version]


@pytest.fixture
def catalog(tmp_path: Path) -> Iterator[Catalog]:
    cat = Catalog.create(tmp_path / "catalog.db")
    yield cat
    cat.close()


@pytest.fixture
def add_version(catalog: Catalog) -> AddVersion:
    def add(name: str, imported_by: str) -> Version:
        existing = catalog.existing_dataset_id(name)
        return catalog.add_version(
            version_id=uuid.uuid4().hex,
            dataset_id=existing or uuid.uuid4().hex,
            name=name,
            imported_by=imported_by,
            retention_days=None,
            records=1,
            shards=1,
            bytes_plain=1,
            bytes_stored=1,
            location=f"store/{name}",
            schema={},
            meta={},
        )

    return add

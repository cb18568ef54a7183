"""Metadata store: datasets, versions, reviews (SQLite in WAL mode, versioned schema)."""

from aircluster.catalog.catalog import Catalog, Version, parse_ref

__all__ = ["Catalog", "Version", "parse_ref"]

"""The version manifest: the authenticated list of a version's shards.

`manifest.json` is plain JSON (ids, counts, sizes: no data) with a MAC under a subkey of the
version's KEK, so a removed, added, reordered or edited shard entry is detected before any shard
is opened, and the MAC cannot be recomputed without the key service. It names the dataset and version
number as well as their ids, so a catalog row renamed or renumbered cannot pass one version off as another.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aircluster.errors import IntegrityError

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = 2  # 2: the dataset name and version number are authenticated too


def _body(doc: dict[str, Any]) -> bytes:
    return json.dumps({k: v for k, v in doc.items() if k != "mac"}, sort_keys=True, separators=(",", ":")).encode()


@dataclass
class Manifest:
    dataset_id: str
    version_id: str
    name: str
    number: int
    shards: list[dict[str, Any]]
    records: int
    compression: str
    encrypted: bool = True

    def to_doc(self) -> dict[str, Any]:
        return {
            "format": MANIFEST_FORMAT,
            "dataset_id": self.dataset_id,
            "version_id": self.version_id,
            "name": self.name,
            "number": self.number,
            "records": self.records,
            "compression": self.compression,
            "encrypted": self.encrypted,
            "shards": self.shards,
        }

    def seal(self, mac: Callable[[bytes], bytes]) -> bytes:
        doc = self.to_doc()
        doc["mac"] = mac(_body(doc)).hex()
        return (json.dumps(doc, indent=1) + "\n").encode()

    @classmethod
    def open(
        cls,
        raw: bytes | bytearray,
        *,
        label: str,
        dataset_id: str,
        version_id: str,
        name: str,
        number: int,
        mac: Callable[[bytes], bytes],
    ) -> Manifest:
        def bad(why: str) -> IntegrityError:
            return IntegrityError(f"{label} manifest: {why}", dataset=label)

        try:
            doc = json.loads(raw)
            tag = bytes.fromhex(doc["mac"])
        except (ValueError, KeyError, TypeError):
            raise bad("is not valid JSON with a MAC (edited or damaged)") from None
        if not hmac.compare_digest(mac(_body(doc)), tag):
            raise bad("fails authentication (a shard entry was added, removed or edited)")
        if doc.get("format") != MANIFEST_FORMAT:
            raise bad(f"format {doc.get('format')} is not supported")
        if doc["dataset_id"] != dataset_id or doc["version_id"] != version_id:
            raise bad("belongs to another dataset or version")
        if doc["name"] != name or doc["number"] != number:
            # the catalog row was renamed or renumbered: it would serve one version's data under another's name
            raise bad(f"was written for {doc['name']}@{doc['number']}, not {name}@{number} (the catalog was edited)")
        shards = doc["shards"]
        if [s["index"] for s in shards] != list(range(len(shards))):
            raise bad("shard indexes are not 0..n-1")
        return cls(
            doc["dataset_id"],
            doc["version_id"],
            doc["name"],
            doc["number"],
            shards,
            doc["records"],
            doc["compression"],
            doc.get("encrypted", True),
        )

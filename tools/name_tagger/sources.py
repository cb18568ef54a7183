"""Labeled text written by others, for training the name tagger: usaddress's and probablepeople's training data.

    usaddress_posts(DIR, seed) -> list[(text, [(entity, start, end)])]
    probablepeople_names(DIR) -> (people, firms)
    address_label_posts(addresses, people, firms, seed) -> list[post]

Both ship in their PyPI source distributions under the MIT licence (versions and the fetch commands in
tools/name_tagger/README.md); they are read only here, at training time, from a folder given on the command
line, never by the package.

- usaddress (`training/*.xml` but the OpenStreetMap and OpenAddresses files, whose licences differ): US
  postal addresses as people typed them into forms, each token tagged with its part. Mapped to the
  tagger's labels the way the families label an address: one LOCATION from the first address part to the
  last on each line (number, street, unit, town, state, ZIP code together, as `evals/pii/synth.py` writes
  "street, town, state ZIP" as one span), punctuation at either end left out. The person or firm an
  address is for (`Recipient`) is mixed (82 of 1,513 in labeled.xml: "attn: roger lane", "c/o bank of
  america") and usaddress does not say which: it is cut off, and an address with a recipient inside it
  or a `NotAddress` part is left out. The 32 addresses evals/prose/usaddress_unseen3.jsonl drew for an
  evaluation part are left out too, matched on their text (case and spacing aside).
- probablepeople (`name_data/labeled/person_labeled.xml`, `company_labeled.xml`): names of people and of
  firms as they appear in lists and forms. People of two words or more become PERSON (a single upper-case
  word, "HAMMOND", says nothing a list cannot), pairs ("Bill & Tracy Hosmer") are left out; firms are
  negatives (no span). They are used only as they appear: the line above an address or before it on one
  line (a mailing label: usaddress's own README shows "JASON BOURNE, 123 MAIN ST, HUNTINGDON VY PA"), and
  lists of names one a line.
"""

from __future__ import annotations

import json
import random
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

Span = tuple[str, int, int]
Post = tuple[str, list[Span]]

REPO = Path(__file__).resolve().parents[2]
UNSEEN3_ADDRESSES = REPO / "evals" / "prose" / "usaddress_unseen3.jsonl"
# usaddress's training files with the sdist's own licence (MIT); not openaddress_us_ia_linn.xml nor the
# synthetic_*osm* files (OpenAddresses and OpenStreetMap data, other licences).
USADDRESS_FILES = ("labeled.xml", "us50_train_tagged.xml", "us50_messiest_manual_label.xml", "multi_word_state_addresses.xml")
PROBABLEPEOPLE_FILES = ("person_labeled.xml", "company_labeled.xml")
_NOT_PLACE = {"Recipient", "NotAddress"}
_PAIR = {"And"}


class SourceError(Exception):
    """A training source is missing or unreadable: the message names the file."""


def normalize(text: str) -> str:
    """The text an address is matched on: case and spacing aside."""
    return " ".join(text.lower().split())


def unseen3_addresses(path: Path = UNSEEN3_ADDRESSES) -> frozenset[str]:
    """The addresses of the evaluation part unseen3, which training must never see."""
    return frozenset(normalize(json.loads(line)["text"]) for line in path.read_text(encoding="utf-8").splitlines() if line)


def _parse(path: Path) -> ET.Element:
    if not path.is_file():
        raise SourceError(f"{path} missing")
    try:
        return ET.parse(path).getroot()
    except ET.ParseError as e:
        raise SourceError(f"{path}: not XML ({e})") from None


def _pieces(node: ET.Element) -> tuple[str, list[tuple[str, int, int]]]:
    """The string as typed (each token is wrapped in a tag of its part) and (tag, start, end) per token."""
    text = node.text or ""
    parts = []
    for child in node:
        piece = child.text or ""
        parts.append((child.tag, len(text), len(text) + len(piece)))
        text += piece + (child.tail or "")
    return text, parts


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Leave out spaces and punctuation at either end ("Road," -> "Road")."""
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return start, end


def _line_spans(entity: str, text: str, start: int, end: int) -> list[Span]:
    """One span per line of text[start:end] (the families label an address a line)."""
    out = []
    pos = start
    for line in text[start:end].split("\n"):
        a, b = _trim(text, pos, pos + len(line))
        if a < b:
            out.append((entity, a, b))
        pos += len(line) + 1
    return out


def address_post(node: ET.Element) -> Post | None:
    """One usaddress string as a post with its LOCATION spans; None if it is not a plain address."""
    text, parts = _pieces(node)
    tags = [t for t, _, _ in parts]
    if not parts or "NotAddress" in tags:
        return None
    k = 0
    while k < len(parts) and parts[k][0] == "Recipient":
        k += 1
    rest = parts[k:]
    if not rest or any(t in _NOT_PLACE for t, _, _ in rest):
        return None
    cut = rest[0][1]
    body = text[cut:].strip()
    offset = cut + (len(text[cut:]) - len(text[cut:].lstrip()))
    spans = _line_spans("LOCATION", body, rest[0][1] - offset, rest[-1][2] - offset)
    return (body, spans) if spans else None


# Kinds of place of evals/prose, by usaddress tag (the rest of an address is its street part).
_KIND_OF_TAG = {"PlaceName": "city", "StateName": "state", "CountryName": "country", "ZipCode": "zip"}


def _address_nodes(training: Path, exclude: Iterable[str] | None) -> list[tuple[ET.Element, Post]]:
    skip = set(unseen3_addresses() if exclude is None else exclude)
    out: list[tuple[ET.Element, Post]] = []
    seen: set[str] = set()
    for name in USADDRESS_FILES:
        for node in _parse(training / name):
            post = address_post(node)
            if post is None:
                continue
            whole, body = normalize(_pieces(node)[0]), normalize(post[0])
            # also an address that is part of an excluded one (the same address without its recipient)
            if body in seen or any(body in s or s in whole for s in skip):
                continue
            seen.add(body)
            out.append((node, post))
    return out


def usaddress_posts(training: Path, exclude: Iterable[str] | None = None, holdout: int = 0) -> list[Post]:
    """The addresses of usaddress's training folder, in file order, without those of unseen3 (or `exclude`)
    and, with `holdout` K, without every K-th (those `holdout_documents` gives, to check on)."""
    return [post for k, (_, post) in enumerate(_address_nodes(training, exclude)) if not holdout or k % holdout != holdout - 1]


def holdout_documents(training: Path, holdout: int) -> list[dict]:
    """Every `holdout`-th address in the layout of evals/prose (street, city, state and country spans, the ZIP
    code a ZIP_CODE), labeled from usaddress's tags, to score a model trained with the same `holdout`."""
    docs = []
    for k, (node, (body, _)) in enumerate(_address_nodes(training, None)):
        if k % holdout != holdout - 1:
            continue
        text, parts = _pieces(node)
        cut = text.index(body)
        runs: list[list] = []  # [kind, start, end], adjacent parts of one kind joined
        for tag, a, b in parts:
            if tag == "Recipient":
                continue
            kind = _KIND_OF_TAG.get(tag, "street_address")
            a, b = _trim(text, a, b)
            if a >= b:
                continue
            if runs and runs[-1][0] == kind and "\n" not in text[runs[-1][2] : a]:
                runs[-1][2] = b
            else:
                runs.append([kind, a, b])
        spans = [
            {"type": "ZIP_CODE" if kind == "zip" else "LOCATION", "kind": kind, "start": a - cut, "end": b - cut}
            for kind, a, b in runs
        ]
        docs.append({"id": f"usaddress-holdout-{k}", "text": body, "spans": spans})
    return docs


def _repair(text: str) -> str:
    """probablepeople's files hold some UTF-8 read as Latin-1 ("AndrÃ©"): undo that where it is so."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return text


def probablepeople_names(labeled: Path) -> tuple[list[str], list[str]]:
    """(people, firms) of probablepeople's labeled files, as written, in file order."""
    people: list[str] = []
    for node in _parse(labeled / PROBABLEPEOPLE_FILES[0]):
        text, parts = _pieces(node)
        name = _repair(" ".join(text.split())).strip(" ,;")
        if len(parts) >= 2 and not any(t in _PAIR for t, _, _ in parts) and "&" not in name and name:
            people.append(name)
    firms = [_repair(" ".join(_pieces(node)[0].split())).strip(" ,;") for node in _parse(labeled / PROBABLEPEOPLE_FILES[1])]
    return people, [f for f in firms if f]


def _join(pieces: list[tuple[str, str | None]]) -> Post:
    """Concatenate (text, entity or None) pieces into a post."""
    text = ""
    spans: list[Span] = []
    for piece, entity in pieces:
        if entity:
            a, b = _trim(text + piece, len(text), len(text) + len(piece))
            spans.append((entity, a, b))
        text += piece
    return text, spans


def _case(post: Post, how: str) -> Post:
    text, spans = post
    new = text.upper() if how == "upper" else text.lower() if how == "lower" else text
    return (new, spans) if len(new) == len(text) else post


def address_label_posts(
    addresses: list[Post], people: list[str], firms: list[str], seed: int, copies: int = 2, lists: int = 0
) -> list[Post]:
    """Each address `copies` times: as typed, then in capitals (mailing labels) or lower case, a third of the
    copies under or after the name of a person (PERSON) or a firm (no span) as on a label; and `lists` lists
    of 3 to 8 names, one a line, people and firms mixed."""
    rng = random.Random(seed)
    out: list[Post] = []
    for address in addresses:
        for c in range(copies):
            post = address
            u = rng.random()
            if c and u < 0.35 and people and firms:
                who_person = rng.random() < 0.7
                who = rng.choice(people) if who_person else rng.choice(firms)
                sep = "\n" if rng.random() < 0.5 else ", "
                text, spans = address
                head = _join([(who, "PERSON" if who_person else None), (sep, None)])
                post = (head[0] + text, head[1] + [(e, s + len(head[0]), t + len(head[0])) for e, s, t in spans])
            if c:
                post = _case(post, "upper" if rng.random() < 0.6 else "lower" if rng.random() < 0.5 else "as")
            out.append(post)
    for _ in range(lists if people and firms else 0):
        pieces: list[tuple[str, str | None]] = []
        for k in range(rng.randint(3, 8)):
            if k:
                pieces.append(("\n", None))
            person = rng.random() < 0.75
            pieces.append((rng.choice(people if person else firms), "PERSON" if person else None))
        out.append(_case(_join(pieces), "upper" if rng.random() < 0.2 else "as"))
    return out

"""Training text written by others (`sources.py`): usaddress's tags become the families' LOCATION spans, the
addresses of the evaluation part unseen3 never reach training, probablepeople's people are PERSON and its
firms no span, and the trainer refuses a missing folder before training.

The tests write folders laid out as the sdists are, in usaddress's and probablepeople's XML format; the
unseen3 addresses are written into one with the tags of their evaluation labels, as the sdist holds them."""

from __future__ import annotations

import json
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from tools.name_tagger.holdout import main as holdout_main
from tools.name_tagger.sources import (
    PROBABLEPEOPLE_FILES,
    UNSEEN3_ADDRESSES,
    USADDRESS_FILES,
    address_label_posts,
    holdout_documents,
    normalize,
    probablepeople_names,
    unseen3_addresses,
    usaddress_posts,
)
from tools.name_tagger.train import Borrowed, borrowed_posts, corpus
from tools.name_tagger.train import main as train_main

# A few addresses in usaddress's format (each token wrapped in the tag of its part), as in its labeled.xml.
ADDRESSES = [
    "<AddressString><AddressNumber>41</AddressNumber> <StreetName>BRANDT</StreetName> <StreetNamePostType>HOLLOW,</StreetNamePostType>"
    " <PlaceName>HELENA</PlaceName> <StateName>MT</StateName> <ZipCode>59601-1203</ZipCode></AddressString>",
    "<AddressString><Recipient>attn:</Recipient> <Recipient>roger</Recipient> <Recipient>lane</Recipient>"
    " <AddressNumber>12</AddressNumber> <StreetName>elm</StreetName> <StreetNamePostType>st</StreetNamePostType>"
    " <PlaceName>salem,</PlaceName> <StateName>or</StateName></AddressString>",
    "<AddressString><AddressNumber>7</AddressNumber> <StreetName>Oak</StreetName> <StreetNamePostType>Road</StreetNamePostType>\n"
    "<PlaceName>Dayton,</PlaceName> <StateName>OH</StateName></AddressString>",
    "<AddressString><NotAddress>call</NotAddress> <NotAddress>me</NotAddress> <PlaceName>Reno</PlaceName></AddressString>",
    "<AddressString><AddressNumber>3</AddressNumber> <StreetName>Main</StreetName> <Recipient>Bob</Recipient></AddressString>",
]


def _tagged(text: str, spans: list[dict]) -> str:
    """An unseen3 document written back as usaddress tags it: each word in a tag by the part it is in."""
    kinds = {"street_address": "StreetName", "city": "PlaceName", "state": "StateName", "country": "CountryName"}
    out = []
    pos = 0
    for word in text.split(" "):
        start = text.index(word, pos)
        pos = start + len(word)
        kind = next((s.get("kind") for s in spans if s["start"] <= start < s["end"]), None)
        tag = kinds.get(kind or "", "ZipCode" if kind == "zip" else "Recipient")
        out.append(f"<{tag}>{escape(word)}</{tag}>")
    return "<AddressString>" + " ".join(out) + "</AddressString>"


def _usaddress_dir(tmp_path: Path, with_unseen3: bool = True) -> Path:
    d = tmp_path / "training"
    d.mkdir()
    strings = list(ADDRESSES)
    if with_unseen3:
        for line in UNSEEN3_ADDRESSES.read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            strings.append(_tagged(doc["text"], doc["spans"]))
        # the same address as one of unseen3's, without the recipient it has there
        strings.append(
            "<AddressString><AddressNumber>90</AddressNumber> <StreetName>CLAIRE</StreetName> <StreetNamePostType>GULCH,"
            "</StreetNamePostType> <PlaceName>CLANCY</PlaceName> <StateName>MT</StateName> <ZipCode>59634-9528</ZipCode></AddressString>"
        )
    for k, name in enumerate(USADDRESS_FILES):
        body = strings if k == 0 else strings[:1]  # the other files repeat one: kept once
        (d / name).write_text("<AddressCollection>\n" + "\n".join(body) + "\n</AddressCollection>\n", encoding="utf-8")
    return d


def _probablepeople_dir(tmp_path: Path) -> Path:
    d = tmp_path / "labeled"
    d.mkdir()
    people = [
        "<Name><GivenName>Drake</GivenName> <Surname>Rice</Surname></Name>",
        "<Name><Surname>HAMMOND</Surname></Name>",  # one word: left out
        "<Name><GivenName>Bill</GivenName> <And>&amp;</And> <GivenName>Tracy</GivenName> <Surname>Hosmer</Surname></Name>",
        "<Name><Surname>Russell,</Surname> <GivenName>Herman</GivenName></Name>",
        "<Name><GivenName>AndrÃ©</GivenName> <Surname>Thapedi</Surname></Name>",
    ]
    firms = [
        "<Name><CorporationName>dtd</CorporationName> <CorporationName>investments</CorporationName> "
        "<CorporationLegalType>llc</CorporationLegalType></Name>"
    ]
    for name, rows in zip(PROBABLEPEOPLE_FILES, (people, firms)):
        (d / name).write_text("<NameCollection>\n" + "\n".join(rows) + "\n</NameCollection>\n", encoding="utf-8")
    return d


def _labeled(post: tuple[str, list]) -> list[tuple[str, str]]:
    text, spans = post
    return [(e, text[s:t]) for e, s, t in spans]


def test_usaddress_parts_become_one_location_a_line_and_recipients_are_cut_off(tmp_path):
    posts = usaddress_posts(_usaddress_dir(tmp_path, with_unseen3=False))
    assert [_labeled(p) for p in posts] == [
        [("LOCATION", "41 BRANDT HOLLOW, HELENA MT 59601-1203")],
        [("LOCATION", "12 elm st salem, or")],
        [("LOCATION", "7 Oak Road"), ("LOCATION", "Dayton, OH")],
    ]
    assert posts[1][0] == "12 elm st salem, or"  # "attn: roger lane" is not in the post


def test_no_unseen3_address_reaches_the_training_data(tmp_path):
    unseen = unseen3_addresses()
    assert len(unseen) == 32
    training = _usaddress_dir(tmp_path)
    included = usaddress_posts(training, exclude=())
    assert sum(normalize(t) in unseen for t, _ in included) >= 20  # the fixture does hold them
    people = _probablepeople_dir(tmp_path)
    posts = borrowed_posts(Borrowed(training, people, address_copies=3, name_lists=5), seed=5)
    assert len(posts) == 3 * 3 + 5
    for text, _ in posts:
        low = normalize(text)
        assert not any(u in low or low in u for u in unseen)
    trained = list(corpus(2, 7, families=("tuning",), borrowed=posts))
    assert not any(normalize(t) in unseen for t, _ in trained)


def test_probablepeople_people_are_persons_and_firms_no_span(tmp_path):
    people, firms = probablepeople_names(_probablepeople_dir(tmp_path))
    assert people == ["Drake Rice", "Russell, Herman", "André Thapedi"]
    assert firms == ["dtd investments llc"]
    addresses = usaddress_posts(_usaddress_dir(tmp_path, with_unseen3=False))
    posts = address_label_posts(addresses, people, firms, seed=3, copies=40, lists=30)
    labels = [p for post in posts for p in _labeled(post)]
    assert {e for e, _ in labels} == {"PERSON", "LOCATION"}
    for text, spans in posts:
        for entity, s, t in spans:
            assert text[s:t].strip(" ,") == text[s:t]
            if entity == "PERSON":
                assert normalize(text[s:t]) in {normalize(p) for p in people}
        assert all(normalize(f) not in {normalize(text[s:t]) for _, s, t in spans} for f in firms)
    texts = "\n".join(t for t, _ in posts)
    assert "DTD INVESTMENTS LLC" in texts or "dtd investments llc" in texts  # firms are there, unlabeled
    assert "41 BRANDT HOLLOW, HELENA MT 59601-1203" in texts and "41 brandt hollow, helena mt 59601-1203" in texts


def test_borrowed_posts_are_the_same_each_run(tmp_path):
    training, people = _usaddress_dir(tmp_path), _probablepeople_dir(tmp_path)
    borrowed = Borrowed(training, people, address_copies=2, name_lists=20)
    assert borrowed_posts(borrowed, 11) == borrowed_posts(borrowed, 11)


def test_retraining_with_borrowed_text_is_deterministic(tmp_path):
    training, people = _usaddress_dir(tmp_path), _probablepeople_dir(tmp_path)
    a, b = tmp_path / "a.crf.gz", tmp_path / "b.crf.gz"
    for out in (a, b):
        train_main(
            [
                "--n",
                "8",
                "--seed",
                "4242",
                "--usaddress",
                str(training),
                "--probablepeople",
                str(people),
                "--name-lists",
                "10",
                "--out",
                str(out),
            ]
        )
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("flag", ["--usaddress", "--probablepeople"])
def test_a_missing_source_folder_is_one_line_and_writes_nothing(tmp_path, flag, capsys):
    out = tmp_path / "m.crf.gz"
    with pytest.raises(SystemExit) as e:
        train_main(["--n", "2", flag, str(tmp_path / "nowhere"), "--out", str(out)])
    assert str(e.value).startswith("name_tagger.train: ") and "nowhere" in str(e.value) and "missing" in str(e.value)
    assert not out.exists()


def test_a_source_file_that_is_not_xml_is_named(tmp_path):
    training = _usaddress_dir(tmp_path, with_unseen3=False)
    (training / USADDRESS_FILES[1]).write_text("<AddressCollection><AddressString>", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"us50_train_tagged\.xml: not XML"):
        train_main(["--n", "2", "--usaddress", str(training), "--out", str(tmp_path / "m.crf.gz")])


def test_the_holdout_is_left_out_of_training_and_labeled_by_part(tmp_path):
    training = _usaddress_dir(tmp_path, with_unseen3=False)
    everything = [t for t, _ in usaddress_posts(training)]
    trained = [t for t, _ in usaddress_posts(training, holdout=2)]
    held = holdout_documents(training, 2)
    assert sorted(trained + [d["text"] for d in held]) == sorted(everything)
    assert not set(trained) & {d["text"] for d in held}
    assert [(s["type"], s["kind"], held[0]["text"][s["start"] : s["end"]]) for s in held[0]["spans"]] == [
        ("LOCATION", "street_address", "12 elm st"),
        ("LOCATION", "city", "salem"),
        ("LOCATION", "state", "or"),
    ]


def test_holdout_command_writes_jsonl_and_refuses_bad_input(tmp_path, capsys):
    training = _usaddress_dir(tmp_path, with_unseen3=False)
    out = tmp_path / "h.jsonl"
    assert holdout_main(["--usaddress", str(training), "--address-holdout", "2", "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["text"] for r in rows] == [d["text"] for d in holdout_documents(training, 2)]
    bad = tmp_path / "bad.jsonl"
    assert holdout_main(["--usaddress", str(training), "--address-holdout", "1", "--out", str(bad)]) == 2
    assert holdout_main(["--usaddress", str(tmp_path / "nowhere"), "--address-holdout", "3", "--out", str(bad)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and "must be 2 or more" in err[0] and "nowhere" in err[1] and "missing" in err[1]
    assert not bad.exists()


@pytest.mark.parametrize(
    "flags", [["--address-copies", "0"], ["--name-lists", "-1"], ["--address-holdout", "1"], ["--address-holdout", "-3"]]
)
def test_mixing_options_out_of_range_are_refused_before_training(tmp_path, flags):
    out = tmp_path / "m.crf.gz"
    with pytest.raises(SystemExit, match=r"^name_tagger\.train: --address-copies must be 1 or more"):
        train_main(["--n", "2", *flags, "--out", str(out)])
    assert not out.exists()


def test_evals_prose_parts_give_their_people_and_places_once_as_written_and_once_swapped(tmp_path):
    from tools.name_tagger.train import evals_prose_posts

    doc = {
        "id": "d1",
        "text": "Anna Berg moved to Leeds; mail anna@example.org",
        "spans": [
            {"type": "PERSON", "kind": "name", "start": 0, "end": 9},
            {"type": "LOCATION", "kind": "city", "start": 19, "end": 24},
            {"type": "EMAIL_ADDRESS", "kind": "", "start": 31, "end": 48},
        ],
    }
    (tmp_path / "letters_unseen4.jsonl").write_text(json.dumps(doc) + "\n", encoding="utf-8")
    posts = evals_prose_posts(["unseen4"], seed=7, folder=tmp_path)
    assert posts[0] == (doc["text"], [("PERSON", 0, 9), ("LOCATION", 19, 24)])  # no type the tagger has no label for
    assert len(posts) == 2 and [e for e, _, _ in posts[1][1]] == ["PERSON", "LOCATION"]
    text, spans = posts[1]
    assert text.endswith("; mail anna@example.org") and all(text[s:t] for _, s, t in spans)


def test_a_held_out_prose_part_is_never_read(tmp_path, capsys):
    out = tmp_path / "m.crf.gz"
    with pytest.raises(SystemExit, match=r"'unseen11' is held out"):
        train_main(["--n", "2", "--evals-prose", "dev,unseen11", "--out", str(out)])
    assert not out.exists()

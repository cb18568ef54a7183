"""Training the PERSON/LOCATION tagger: BIO labels follow the spans, augmentation keeps spans on the
entities, only the development families are trained on, and retraining is deterministic."""

from __future__ import annotations

import pytest

from aircluster.privacy.detect.lexicon import load_lexicon
from aircluster.privacy.detect.tagger import NameTagger, tokenize
from tools.name_tagger.corpus import general_posts
from tools.name_tagger.train import FAMILIES, SwapPools, bio, shuffle_lines, swap_entities
from tools.name_tagger.train import main as train_main


def test_bio_labels_follow_character_spans():
    text = "Hi Anna Berg,\nsee you in New York"
    tokens = tokenize(text)
    labels = bio(text, [("PERSON", 3, 12), ("LOCATION", 26, 34)], tokens)
    assert [(t.text, lab) for t, lab in zip(tokens, labels) if lab != "O"] == [
        ("Anna", "B-PER"),
        ("Berg", "I-PER"),
        ("New", "B-LOC"),
        ("York", "I-LOC"),
    ]


def test_augmentation_keeps_spans_on_the_entities():
    pools = SwapPools(7, load_lexicon(), size=300)
    text = "Dr. Weber wrote.\nWe met in Lyon.\nBye\nAnna"
    spans = [("PERSON", 0, 9), ("LOCATION", 27, 31), ("PERSON", 37, 41)]
    for _ in range(20):
        new, new_spans = swap_entities((text, spans), pools, 1.0)
        moved = shuffle_lines((new, new_spans), pools.rng)
        assert moved is not None
        for post in ((new, new_spans), moved):
            assert [e for e, _, _ in sorted(post[1], key=lambda s: s[1])] != []
            for _e, s, t in post[1]:
                assert post[0][s:t].strip() == post[0][s:t] and post[0][s:t]
        assert new[new_spans[0][1] : new_spans[0][2]].startswith("Dr. ")


def test_trains_on_the_six_development_families_only():
    # "harbor" is the blind evaluation family: never trained on
    assert set(FAMILIES) == {"tuning", "heldout", "blind", "fresh", "sealed", "vault"}
    with pytest.raises(SystemExit, match="unknown families"):
        train_main(["--families", "tuning,harbor", "--n", "1"])


def test_general_posts_spans_cover_the_entities_exactly():
    posts = list(general_posts(400, 11))
    for text, spans in posts:
        for _, s, t in spans:
            assert text[s:t] and text[s:t].strip() == text[s:t] and '"' not in text[s:t]
    texts = "\n".join(t for t, _ in posts)
    assert "caller: " in texts or "agent: " in texts  # transcripts in lower case
    assert any(t.split("\n")[0].count("\t") or t.split("\n")[0].count(";") for t, _ in posts)


def test_airline_form_names_keep_their_form_when_swapped():
    pools = SwapPools(7, load_lexicon(), size=300)
    text = "PAX: OKAFOR/JOHN MR"
    new, spans = swap_entities((text, [("PERSON", 5, 19)]), pools, 1.0)
    name = new[spans[0][1] : spans[0][2]]
    assert "/" in name and name.endswith(" MR") and name.isupper()


def test_retraining_is_deterministic(tmp_path):
    a, b = tmp_path / "a.crf.gz", tmp_path / "b.crf.gz"
    for out in (a, b):
        train_main(["--n", "12", "--seed", "4242", "--out", str(out)])
    assert a.read_bytes() == b.read_bytes()
    model = NameTagger.load(load_lexicon(), a)
    assert model.tag("Thanks Anna, see you in Paris").labels  # it loads and tags

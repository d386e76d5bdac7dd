"""clean_text: furniture rules one by one, article sentences kept, properties, the seed articles."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.cleanup import RULES, clean_corpus_texts, clean_text, decode_escapes
from analysis.errors import UsageError

FIXTURES = Path(__file__).parent / "fixtures" / "cleanup"
BODY = "The actress told reporters on Monday that she had been harassed on the set for two years."
BODY2 = "Her lawyer said a complaint would be filed with the ombudsperson this week."


def _page(*furniture: str, before: bool = False) -> str:
    lines = [*furniture, BODY, BODY2] if before else [BODY, *furniture, BODY2]
    return "\n".join(lines)


# one hand-checked furniture line per rule (placed in the middle of an article)
CASES = [
    ("navigation", "Home | News | Entertainment | Sports | Lifestyle"),
    ("navigation", "Skip to content"),
    ("navigation", "© 2019 The Daily Example. All rights reserved."),
    ("share", "Share this article"),
    ("share", "Facebook Twitter WhatsApp Email"),
    ("share", "Share Facebook Twitter Email"),
    ("share", "Follow us on Instagram for the latest updates"),
    ("advertisement", "Advertisement"),
    ("advertisement", "ADVERTISEMENT - CONTINUE READING BELOW"),
    ("advertisement", "Story continues below advertisement"),
    ("related", "Related: Producer quits after complaint"),
    ("related", "Also Read: Court summons actor in harassment case"),
    ("related", "READ MORE"),
    ("related", "You may also like"),
    ("comments", "Leave a Reply"),
    ("comments", "Your email address will not be published. Required fields are marked *"),
    ("comments", "Post Comment"),
    ("photo_credit", "Photo: Staff photographer"),
    ("photo_credit", "(Image: Instagram)"),
    ("photo_credit", "The actor at a film premiere in 2018. Getty Images"),
    ("photo_credit", "Photo by Example Studio"),
    ("cookie", "We use cookies to improve your experience. By continuing you accept our Cookie Policy."),
    ("cookie", "Accept all"),
    ("newsletter", "Sign up for our newsletter to get the day's top stories"),
    ("newsletter", "Get the best stories delivered straight to your inbox"),
    ("dateline", "Updated 29 Oct, 2019"),
    ("dateline", "Published: March 3, 2018 10:15 IST"),
    ("byline", "Written by Ayesha Noor"),
]


@pytest.mark.parametrize(("rule", "line"), CASES)
def test_each_rule_removes_its_line_and_counts_it(rule, line):
    result = clean_text(_page(line))
    assert result.text == f"{BODY}\n{BODY2}"
    assert result.removed[rule] == 1
    assert sum(result.removed.values()) == 1


@pytest.mark.parametrize(("rule", "line"), CASES)
def test_each_rule_can_be_turned_off(rule, line):
    result = clean_text(_page(line), disable=[rule])
    assert line in result.text
    assert result.removed[rule] == 0


def test_byline_before_first_sentence_goes_to_metadata():
    result = clean_text(_page("By Shalini Gokhale", "", before=True))
    assert result.text == f"{BODY}\n{BODY2}"
    assert result.metadata == {"byline": "Shalini Gokhale"}


@pytest.mark.parametrize("glued", ["By Shalini Gokhale", "By Shalini Gokhale |", "By Shalini Gokhale MUMBAI:"])
def test_byline_glued_to_first_sentence(glued):
    sep = "" if glued == "By Shalini Gokhale" else " "
    result = clean_text(f"{glued}{sep}{BODY}\n{BODY2}")
    assert result.metadata["byline"] == "Shalini Gokhale"
    assert result.removed["byline"] == 1
    assert result.text.endswith(f"{BODY}\n{BODY2}")
    assert not result.text.startswith("By")


def test_sentence_beginning_with_by_is_kept():
    text = "By Monday evening the producer had resigned from the board of the studio.\n" + BODY
    assert clean_text(text).text == text


def test_dateline_metadata():
    result = clean_text(_page("Updated 29 Oct, 2019", "Published 12 March 2018", before=True))
    assert result.metadata == {"updated": "29 Oct, 2019", "dateline": "12 March 2018"}


def test_headline_list_at_the_end_only():
    tail = ["", "Actor Denies Claims in Court", "Singer Wins Award for New Album", "Film Festival Opens in Lahore"]
    result = clean_text("\n".join([BODY, *tail]))
    assert result.text == BODY and result.removed["headline_list"] == 3
    middle = "\n".join(["Actor Denies Claims in Court", BODY, "The Backstory", BODY2])
    assert clean_text(middle).text == middle


def test_a_single_trailing_title_line_is_kept():
    text = f"{BODY}\nThe End of an Era"
    assert clean_text(text).text == text


def test_related_header_takes_its_headlines_with_it():
    text = "\n".join([BODY, "Related Stories", "Actor Denies Claims in Court", "Singer Wins Award", BODY2])
    result = clean_text(text)
    assert result.text == f"{BODY}\n{BODY2}" and result.removed["related"] == 3


def test_menu_run_at_the_top():
    text = "\n".join(["News", "Entertainment", "Sports", "World", BODY])
    result = clean_text(text)
    assert result.text == BODY and result.removed["navigation"] == 4


def test_author_bio_after_late_written_by():
    text = "\n".join([BODY, BODY2, BODY, "Written by Ayesha Noor", "Culture writer at an example outlet."])
    result = clean_text(text)
    assert result.text == "\n".join([BODY, BODY2, BODY])
    assert result.removed["author_bio"] == 1 and result.metadata["byline"] == "Ayesha Noor"


def test_escapes_decoded_and_counted():
    result = clean_text(r"\u201cNo,\u201d she said.\nHe left \ud83d\ude00")
    assert result.text == "“No,” she said.\nHe left 😀"
    assert result.removed["escapes"] == 4
    assert decode_escapes(r"\ud800 alone")[0] == r"\ud800 alone"
    assert decode_escapes(r"\u005cu0041") == ("A", 2)


def test_long_lines_are_never_furniture():
    line = "We use cookies " + " ".join(["word"] * 70)
    assert clean_text(line).text == line


# article sentences that look like furniture at first sight: all must survive
PROSE = [
    "The photo agency Getty Images said it had removed the pictures from its archive.",
    "Photos by a fan circulated widely on social media after the event.",
    "Copyright law protects musicians as well as their labels, the lawyer said.",
    "The union's newsletter, sent to every member's inbox, carried her statement in full.",
    "Share prices of the studio's parent company fell slightly on Wednesday.",
    "Related cases filed over the past year have mostly ended in settlements.",
    "Comment from the channel's owners was not immediately available.",
    "Follow-up hearings are expected in the spring, the court registrar said.",
    "By the end of the week, ten other women had contacted the lawyer.",
    "An AP photo of the protest showed hundreds of people outside the court.",
    "Read together, the messages describe a frightening working relationship.",
    "Home is where she felt safe, she wrote, until the calls began.",
]


@pytest.mark.parametrize("line", PROSE)
def test_prose_that_looks_like_furniture_is_kept(line):
    text = f"{BODY}\n{line}\n{BODY2}"
    assert clean_text(text).text == text


def test_unknown_rule_is_a_usage_error():
    with pytest.raises(UsageError, match="'menus'"):
        clean_text("x", disable=["menus"])


def test_rules_are_documented():
    from analysis import cleanup

    for rule in RULES:
        assert f"``{rule}``" in cleanup.__doc__


# ---- fixtures: every article sentence survives ----

def _fixture_pairs():
    return sorted(FIXTURES.glob("*.page.txt"))


@pytest.mark.parametrize("page", _fixture_pairs(), ids=lambda p: p.name)
def test_fixture_pages_keep_every_article_sentence(page):
    expected = page.with_name(page.name.replace(".page.txt", ".article.txt")).read_text(encoding="utf-8")
    result = clean_text(page.read_text(encoding="utf-8"))
    got = [line.strip() for line in result.text.split("\n") if line.strip()]
    want = [line.strip() for line in expected.split("\n") if line.strip()]
    assert got == want


def test_there_are_fixture_pages():
    assert len(_fixture_pairs()) >= 3


# ---- properties ----

_LINES = st.sampled_from([BODY, BODY2, "", "Advertisement", "Share", "By Jo Khan", "Leave a Reply",
                          "Updated 29 Oct, 2019", "Actor Denies Claims", "Singer Wins Award", "Home",
                          r"\u201cQuote\u201d", "Photo: AFP", "Accept all"])
_TEXTS = st.one_of(st.lists(_LINES, max_size=12).map("\n".join), st.text(max_size=200),
                   st.text(alphabet="\\nu005cAb1 \n.", max_size=40))


@settings(max_examples=150, deadline=None)
@given(_TEXTS)
def test_idempotent(text):
    once = clean_text(text).text
    assert clean_text(once).text == once


@settings(max_examples=150, deadline=None)
@given(_TEXTS)
def test_never_adds_text(text):
    decoded, _ = decode_escapes(text)
    out = clean_text(text).text
    assert len(out) <= len(decoded)
    source_lines = decoded.split("\n")
    for line in out.split("\n"):
        assert any(line in s for s in source_lines)


@settings(max_examples=150, deadline=None)
@given(_TEXTS)
def test_all_rules_off_returns_the_decoded_text(text):
    assert clean_text(text, disable=RULES).text == text
    assert clean_text(text, disable=[r for r in RULES if r != "escapes"]).text == decode_escapes(text)[0]


# ---- corpus tables ----

def test_clean_corpus_texts_report_and_metadata():
    docs = pd.DataFrame({"doc_id": ["a", "b"], "region": ["x", "y"],
                         "text": [_page("By Jo Khan", before=True), _page("Advertisement", "Share")]})
    out, report = clean_corpus_texts(docs)
    assert out.text.tolist() == [f"{BODY}\n{BODY2}"] * 2
    assert out.byline.tolist() == ["Jo Khan", ""]
    assert report.to_dict("records") == [
        {"doc_id": "a", "rule": "byline", "removed": 1},
        {"doc_id": "b", "rule": "share", "removed": 1},
        {"doc_id": "b", "rule": "advertisement", "removed": 1},
    ]
    assert docs.text[0].startswith("By Jo Khan")   # input untouched


# ---- real seed articles ----

def _sentences(text: str) -> list[str]:
    out = []
    for line in text.split("\n"):
        out.extend(s.strip() for s in re.split(r"(?<=[.!?])\s+", line) if s.strip())
    return out


def _hash(s: str) -> str:
    return hashlib.sha256(s.encode("utf-8")).hexdigest()[:12]


def test_seed_000_comment_form_and_trailing_headlines_go(seeds_dir):
    raw = next(seeds_dir.glob("000_*.txt")).read_text(encoding="utf-8")
    result = clean_text(raw)
    assert "Leave a Reply" not in result.text
    assert "Required fields" not in result.text
    assert result.removed["comments"] == 2
    assert result.removed["headline_list"] == 4
    assert result.metadata.get("byline")
    # the article body: every sentence-like line of the raw text up to the byline survives
    body_end = raw.index("Written by")
    body = [s for s in _sentences(raw[:body_end]) if len(s.split()) >= 6]
    kept = {_hash(s) for s in _sentences(result.text)}
    assert len(body) == 23
    assert all(_hash(s) in kept for s in body)
    assert result.text.rstrip().endswith("co-stars.")


@pytest.mark.parametrize("prefix", ["001_", "003_"])
def test_other_seeds_lose_no_sentence(seeds_dir, prefix):
    raw = next(seeds_dir.glob(f"{prefix}*.txt")).read_text(encoding="utf-8")
    result = clean_text(raw)
    assert _sentences(result.text) == _sentences(raw)


# ---- the teaching corpus: planted web boilerplate goes, every paragraph stays ----

def test_teaching_corpus_loses_only_bylines_and_boilerplate():
    from analysis.config import PATHS

    files = sorted((PATHS.teaching / "texts").glob("*.txt"))
    assert len(files) >= 100
    furniture = re.compile(r"(Share this story|Leave a Reply|Comments are closed\.|Follow us for updates|"
                           r"You must be logged in to post a comment\.|Related: .*)")
    totals: dict[str, int] = {}
    for path in files:
        raw = path.read_text(encoding="utf-8")
        result = clean_text(raw)
        assert result.metadata.get("byline"), path.name
        kept = set(result.text.split("\n"))
        for line in raw.split("\n"):
            if line.strip() and line not in kept:
                assert line.startswith("By ") or furniture.fullmatch(line), (path.name, line[:40])
        for rule, n in result.removed.items():
            totals[rule] = totals.get(rule, 0) + n
    assert totals["byline"] == len(files)
    assert totals["comments"] >= 5 and totals["share"] >= 3 and totals["related"] >= 3

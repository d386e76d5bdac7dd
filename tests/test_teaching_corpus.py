"""Checks on the bundled teaching corpus itself (data/raw/teaching).

The teaching corpus is fictional #MeToo coverage written to a codebook
(data/raw/teaching/CODEBOOK.md). These tests check that the files keep the
promises of the codebook and the data card (README.md): sample design,
metadata, lengths, distinct texts, and that no real person from a real
#MeToo case is named. They do not measure the planted framing regularities;
the framing tests do that.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd
import pytest

from analysis.config import PATHS

TEACHING = PATHS.teaching
REGIONS = ("hollywood", "bollywood", "pakistan")
GENRES = ("news", "opinion", "explainer", "social-reaction", "interview")
MIN_WORDS, MAX_WORDS = 180, 500
SHARED_RUN = 12  # no run of this many identical words may appear in two articles
FIRST_DATE, LAST_DATE = pd.Timestamp("2017-01-01"), pd.Timestamp("2023-12-31")

#: Real people who were alleged victims or accused in well-known #MeToo cases
#: (Hollywood, Bollywood, Pakistan) or in the seed articles (../shared/seeds).
#: The corpus is fiction: none of them may be named. Matched as whole words,
#: case-insensitively, on the full name.
BANNED_FULL_NAMES: tuple[str, ...] = (
    # Hollywood and the US
    "Harvey Weinstein", "Kevin Spacey", "Anthony Rapp", "Bill Cosby", "Matt Lauer",
    "Louis C.K.", "Louis CK", "Les Moonves", "Brett Ratner", "Bryan Singer", "James Toback",
    "Dustin Hoffman", "Roy Price", "Danny Masterson", "Rose McGowan", "Ashley Judd",
    "Gwyneth Paltrow", "Angelina Jolie", "Lupita Nyong'o", "Salma Hayek", "Mira Sorvino",
    "Annabella Sciorra", "Asia Argento", "Jimmy Bennett", "Terry Crews", "Adam Venit",
    "Brendan Fraser", "Philip Berk", "James Franco", "Aziz Ansari", "Charlie Rose",
    "Russell Simmons", "Jeffrey Tambor", "John Lasseter", "Geoffrey Rush", "Morgan Freeman",
    "Corey Feldman", "Alyssa Milano", "Jennifer Lawrence",
    # Bollywood and India
    "Tanushree Dutta", "Nana Patekar", "Vinta Nanda", "Alok Nath", "Vikas Bahl",
    "Sajid Khan", "Kailash Kher", "Sona Mohapatra", "Anu Malik", "Subhash Ghai",
    "Rajat Kapoor", "Chetan Bhagat", "Gursimran Khamba", "Utsav Chakraborty",
    "M.J. Akbar", "MJ Akbar", "Priya Ramani", "Chinmayi Sripaada", "Kangana Ranaut", "Saloni Chopra",
    "Ganesh Acharya",
    # Pakistan
    "Meesha Shafi", "Ali Zafar", "Leena Ghani", "Humna Raza", "Maham Javaid", "Iffat Omar",
    "Usman Mukhtar", "Junaid Akram",
)

#: Surnames (or single names) distinctive enough to ban on their own. Common
#: surnames (Khan, Kapoor, Malik, Zafar, Price, Rose, ...) are left out on
#: purpose: fictional people in cases.csv and invented bylines carry them.
BANNED_SURNAMES: tuple[str, ...] = (
    "Weinstein", "Spacey", "Cosby", "Lauer", "Moonves", "Ratner", "Toback", "Masterson",
    "McGowan", "Paltrow", "Sorvino", "Sciorra", "Argento", "Lasseter", "Tambor",
    "Patekar", "Tanushree", "Mohapatra", "Vairamuthu", "Chinmayi", "Ranaut", "Khamba",
    "Meesha", "Mukhtar",
)


def _tokens(text: str) -> list[str]:
    """Lower-case word pieces without accents; any other character (apostrophes too) splits words."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.findall(r"[a-z0-9]+", folded.lower())


def _name_hits(text: str, names: tuple[str, ...]) -> list[str]:
    """Names in ``names`` that occur in ``text`` as whole words (case-insensitive).

    >>> _name_hits("Weinstein's lawyers; Louis C. K. spoke", ("Weinstein", "Louis C.K."))
    ['Weinstein', 'Louis C.K.']
    >>> _name_hits("Harveyweinstein", ("Weinstein",))
    []
    """
    padded = " " + " ".join(_tokens(text)) + " "
    return [n for n in names if " " + " ".join(_tokens(n)) + " " in padded]


@pytest.fixture(scope="module")
def docs(teaching) -> pd.DataFrame:
    return teaching.docs


@pytest.fixture(scope="module")
def cases() -> pd.DataFrame:
    return pd.read_csv(TEACHING / "cases.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def raw_docs() -> pd.DataFrame:
    return pd.read_csv(TEACHING / "documents.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def raw_texts(raw_docs) -> dict[str, str]:
    """The text files exactly as stored, by doc_id."""
    return {d: (TEACHING / "texts" / f"{d}.txt").read_text(encoding="utf-8") for d in raw_docs["doc_id"]}


# --------------------------------------------------------------------------- loading


def test_loads_cleanly(teaching, raw_docs):
    report = teaching.report
    assert not report.excluded, "\n".join(map(str, report.excluded))
    assert not report.warnings, "\n".join(map(str, report.warnings))
    assert len(teaching.docs) == len(raw_docs)
    assert teaching.cases is not None


def test_every_text_file_is_listed(raw_docs):
    files = {p.stem for p in (TEACHING / "texts").glob("*.txt")}
    assert files == set(raw_docs["doc_id"])


# --------------------------------------------------------------------------- sample design


def test_size(docs):
    assert len(docs) >= 180
    per_region = docs.groupby("region").size()
    assert set(per_region.index) == set(REGIONS)
    assert (per_region >= 60).all(), per_region.to_dict()


def test_article_length(raw_texts):
    counts = {d: len(t.split()) for d, t in raw_texts.items()}
    bad = {d: n for d, n in counts.items() if not MIN_WORDS <= n <= MAX_WORDS}
    assert not bad, f"outside {MIN_WORDS}-{MAX_WORDS} words: {bad}"


def test_case_ids_are_known_or_none(raw_docs, cases):
    known = set(cases["case_id"]) | {"none"}
    bad = raw_docs.loc[~raw_docs["case_id"].isin(known), ["doc_id", "case_id"]]
    assert bad.empty, bad.to_string()


def test_general_pieces_at_most_15_percent(docs):
    share = docs["case_id"].isna().groupby(docs["region"]).mean()
    assert (share <= 0.15).all(), share.to_dict()


def test_case_region_matches_article_region(docs, cases):
    region_of = dict(zip(cases["case_id"], cases["region"], strict=True))
    with_case = docs[docs["case_id"].notna()]
    bad = with_case[with_case["case_id"].map(region_of) != with_case["region"]]
    assert bad.empty, bad[["doc_id", "region", "case_id"]].to_string()


def test_cases_per_region_and_coverage(docs, cases):
    per_region = cases.groupby("region").size()
    assert set(per_region.index) == set(REGIONS)
    assert per_region.between(8, 12).all(), per_region.to_dict()
    coverage = docs["case_id"].value_counts().reindex(cases["case_id"], fill_value=0)
    thin = coverage[coverage < 3]
    assert thin.empty, f"cases with fewer than 3 articles: {thin.to_dict()}"


def test_every_case_is_referenced(docs, cases):
    unused = set(cases["case_id"]) - set(docs["case_id"].dropna())
    assert not unused, sorted(unused)


def test_male_victim_share(docs):
    share = (docs["victim_gender"] == "male").groupby(docs["region"]).mean()
    assert (share >= 0.30).all(), share.to_dict()


def test_victim_and_accused_gender_crossing(cases):
    for region in REGIONS:
        c = cases[cases["region"] == region]
        assert {"female", "male"} <= set(c["victim_gender"]), region
        male_victims = c[c["victim_gender"] == "male"]
        assert {"female", "male"} <= set(male_victims["accused_gender"]), region


def test_genres_and_outlets(docs):
    for region in REGIONS:
        d = docs[docs["region"] == region]
        assert set(d["genre"]) == set(GENRES), (region, sorted(set(d["genre"])))
        assert d["outlet"].nunique() >= 5, (region, d["outlet"].nunique())


def test_dates(docs):
    assert docs["date"].notna().all(), docs.loc[docs["date"].isna(), "doc_id"].tolist()
    bad = docs[(docs["date"] < FIRST_DATE) | (docs["date"] > LAST_DATE)]
    assert bad.empty, bad[["doc_id", "date"]].to_string()


# --------------------------------------------------------------------------- documentation


@pytest.mark.parametrize("name", ["README.md", "CODEBOOK.md"])
def test_card_and_codebook_name_the_planted_regularities(name):
    path = TEACHING / name
    assert path.is_file(), f"{path} is missing"
    text = path.read_text(encoding="utf-8")
    missing = [f"R{i}" for i in range(1, 11) if not re.search(rf"\bR{i}\b", text)]
    assert not missing, f"{name} does not mention {missing}"


# --------------------------------------------------------------------------- texts


def test_byline_first_line(raw_texts):
    bad = {d: t.splitlines()[0] if t else "" for d, t in raw_texts.items() if not t.startswith("By ")}
    assert not bad, f"{len(bad)} text(s) whose first line is not a 'By ...' byline: {bad}"


def test_no_shared_12_word_runs(raw_texts):
    first_seen: dict[int, str] = {}
    shared: dict[tuple[str, str], str] = {}
    for doc_id, text in sorted(raw_texts.items()):
        # Possessives and contractions split ("company's" -> company, s), so "the company" and
        # "the company's" share the word "company" (the run hw-055/hw-058 once hid this way).
        words = re.findall(r"[a-z0-9]+", text.lower().replace("\u2019", "'"))
        mine: dict[int, int] = {}
        for i in range(len(words) - SHARED_RUN + 1):
            mine.setdefault(hash(tuple(words[i:i + SHARED_RUN])), i)
        for h, i in mine.items():
            other = first_seen.setdefault(h, doc_id)
            if other != doc_id:
                shared.setdefault((other, doc_id), " ".join(words[i:i + SHARED_RUN]))
    assert not shared, "articles sharing a 12-word run:\n" + "\n".join(
        f"  {a} & {b}: '{run}'" for (a, b), run in sorted(shared.items()))


def test_shared_run_check_catches_a_run_split_by_a_possessive():
    """The check above, on two invented texts sharing 12 words once "company's" is split."""
    a = "x " * 3 + "was cornered by Marsh in his car. Marsh has denied the allegations. The company has left"
    b = "y " * 3 + "was harassed by Marsh in his car. Marsh has denied the allegations. The company's HR"
    with pytest.raises(AssertionError, match="12-word run"):
        test_no_shared_12_word_runs({"a": a, "b": b})


def test_banned_names_are_not_fictional_names(cases):
    """Guard against false positives: no banned name belongs to a fictional person."""
    people = ";".join(cases["victims"]) + ";" + ";".join(cases["accused"])
    assert not _name_hits(people, BANNED_FULL_NAMES + BANNED_SURNAMES)
    assert len(BANNED_FULL_NAMES) >= 40


def test_no_real_victims_or_accused_named(raw_docs, raw_texts):
    hits: dict[str, list[str]] = {}
    for row in raw_docs.itertuples():
        text = "\n".join((row.title, row.author, raw_texts[row.doc_id]))
        found = _name_hits(text, BANNED_FULL_NAMES + BANNED_SURNAMES)
        if found:
            hits[row.doc_id] = found
    assert not hits, f"real people named: {hits}"


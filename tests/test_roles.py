"""People, roles, gender and agency (analysis.roles).

Hand-checked sentences for every role pattern (active and passive), the
order of gender sources, the accusation verbs read from the lexicon file and
the measures; recovery of the planted roles and genders of the teaching
corpus with its case registry hidden (slow); and the three real seed
articles. The lexicon loaders are tested in ``test_roles_lexicons.py``.
"""

from __future__ import annotations

import csv
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

from analysis import preprocess, roles, validation
from analysis.config import PATHS
from analysis.corpus import CorpusWarning, load
from analysis.roles import lexicons
from tests.conftest import write_corpus


def _load(path, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CorpusWarning)
        return load(path, **kw)


def one_doc(tmp_path: Path, text: str, doc_id: str = "d1"):
    """A one-document corpus from a CSV with doc_id, region, text."""
    path = tmp_path / f"{doc_id}.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["doc_id", "region", "text"])
        w.writerow([doc_id, "x", text])
    return _load(path)


def run(corpus, tmp_path: Path, **kw) -> pd.DataFrame:
    tok = preprocess.tokens(corpus, progress=False, cache_dir=tmp_path / "cache")
    return roles.mentions(corpus, tokens=tok, progress=False, **kw)


def people(m: pd.DataFrame) -> dict[str, dict]:
    """person -> {role, gender, gender_source} (one value per person and article)."""
    return m.groupby("person")[["role", "gender", "gender_source"]].first().to_dict("index")


def mention(m: pd.DataFrame, text: str) -> pd.Series:
    rows = m[m["text"] == text]
    assert len(rows), f"no mention {text!r} in\n{m[['person', 'text', 'voice', 'verb']]}"
    return rows.iloc[0]


# --------------------------------------------------------------------------- role patterns


def test_active_harassment_verb(tmp_path):
    m = run(one_doc(tmp_path, "Rohan Bhatia harassed Kiran Malhotra."), tmp_path)
    p = people(m)
    assert p["Rohan Bhatia"]["role"] == "accused"
    assert p["Kiran Malhotra"]["role"] == "victim"
    assert mention(m, "Rohan Bhatia")[["voice", "verb"]].tolist() == ["active_subject", "harass"]
    assert mention(m, "Kiran Malhotra")[["voice", "verb"]].tolist() == ["object", "harass"]


def test_passive_harassment_verb(tmp_path):
    m = run(one_doc(tmp_path, "Kiran Malhotra was harassed by Rohan Bhatia."), tmp_path)
    p = people(m)
    assert p["Kiran Malhotra"]["role"] == "victim"
    assert p["Rohan Bhatia"]["role"] == "accused"
    victim = mention(m, "Kiran Malhotra")
    assert (victim["voice"], victim["verb"]) == ("passive_subject", "harass")
    agent = mention(m, "Rohan Bhatia")
    assert (agent["voice"], agent["dep"], agent["verb"]) == ("other", "agent", "harass")
    assert bool(victim["harm_verb"]) and bool(agent["harm_verb"])


def test_accused_of(tmp_path):
    m = run(one_doc(tmp_path, "Hina Baloch accused Faraz Haider of harassment."), tmp_path)
    p = people(m)
    assert p["Hina Baloch"]["role"] == "victim"
    assert p["Faraz Haider"]["role"] == "accused"
    assert mention(m, "Hina Baloch")["voice"] == "active_subject"
    assert mention(m, "Faraz Haider")["voice"] == "object"


def test_passive_accusation(tmp_path):
    m = run(one_doc(tmp_path, "Faraz Haider was accused of harassment by Hina Baloch."), tmp_path)
    p = people(m)
    assert p["Faraz Haider"]["role"] == "accused"
    assert p["Hina Baloch"]["role"] == "victim"
    assert mention(m, "Faraz Haider")["voice"] == "passive_subject"


def test_allegations_against(tmp_path):
    text = "Reporters asked the studio about the allegations against Faraz Haider."
    m = run(one_doc(tmp_path, text), tmp_path)
    assert people(m)["Faraz Haider"]["role"] == "accused"
    assert "against:allegation" in mention(m, "Faraz Haider")["pattern"]


def test_possessive_accuser_and_apposition(tmp_path):
    text = "Faraz Haider's accuser, Hina Baloch, spoke to reporters on Monday."
    m = run(one_doc(tmp_path, text), tmp_path)
    p = people(m)
    assert p["Faraz Haider"]["role"] == "accused"
    assert p["Hina Baloch"]["role"] == "victim"
    # the appositive takes the function of 'accuser': the subject of 'spoke'
    assert mention(m, "Hina Baloch")[["voice", "verb"]].tolist() == ["active_subject", "speak"]


def test_denial_and_surname_clustering(tmp_path):
    text = ("Hina Baloch accused Faraz Haider of harassment last year. Haider denied the allegations. "
            "Mr Haider said the claims were false.")
    m = run(one_doc(tmp_path, text), tmp_path)
    assert set(m["person"]) == {"Hina Baloch", "Faraz Haider"}
    denial = m[(m["text"] == "Haider") & (m["verb"] == "deny")].iloc[0]
    assert denial["voice"] == "active_subject" and denial["role"] == "accused"
    assert "deny:deny" in denial["pattern"]
    assert m[m["person"] == "Faraz Haider"]["gender"].eq("male").all()


def test_denial_alone_marks_the_accused(tmp_path):
    m = run(one_doc(tmp_path, "Faraz Haider denied the allegations."), tmp_path)
    assert people(m)["Faraz Haider"]["role"] == "accused"


def test_pronoun_object_is_resolved_to_the_accuser(tmp_path):
    text = "Hina Baloch said that Faraz Haider had groped her backstage."
    m = run(one_doc(tmp_path, text), tmp_path)
    her = mention(m, "her")
    assert her["person"] == "Hina Baloch"          # not Haider: binding excludes the subject
    assert people(m)["Hina Baloch"]["role"] == "victim"
    assert people(m)["Faraz Haider"]["role"] == "accused"


def test_object_control_accused_of_harassing_him(tmp_path):
    text = "Noor Hassan accused Adnan Shah of assaulting him at a shoot."
    m = run(one_doc(tmp_path, text), tmp_path)
    assert mention(m, "him")["person"] == "Noor Hassan"
    p = people(m)
    assert p["Noor Hassan"]["role"] == "victim" and p["Adnan Shah"]["role"] == "accused"


def test_defamation_suit_reverses_the_roles(tmp_path):
    text = ("Hina Baloch accused Faraz Haider of groping her. "
            "Faraz Haider filed a defamation suit against Hina Baloch.")
    m = run(one_doc(tmp_path, text), tmp_path)
    target = m[(m["person"] == "Hina Baloch") & (m["sentence_id"] == 1)].iloc[0]
    # the people a defamation suit is against get no evidence from it (accusers, their supporters
    # and the press are all sued); their role comes from what they did ("accused ... of groping")
    assert "counter" not in target["pattern"] and target["accused_evidence"] == 0
    suer = m[(m["person"] == "Faraz Haider") & (m["sentence_id"] == 1)].iloc[0]
    assert suer["pattern"] == "file:file:counter" and suer["accused_evidence"] > 0
    p = people(m)
    assert p["Hina Baloch"]["role"] == "victim" and p["Faraz Haider"]["role"] == "accused"


def test_quote_speaker_and_reporting_kinds(tmp_path):
    text = ('"He cornered me in the trailer," Hina Baloch said. '
            "Faraz Haider claimed that the meeting never happened.")
    m = run(one_doc(tmp_path, text), tmp_path)
    speaker = mention(m, "Hina Baloch")
    assert bool(speaker["is_quote_speaker"]) and speaker["reporting_kind"] == "assertive"
    hedged = mention(m, "Faraz Haider")
    assert hedged["reporting_kind"] == "hedged" and not bool(hedged["is_quote_speaker"])
    me = mention(m, "me")                  # first person inside the quote = its speaker
    assert me["person"] == "Hina Baloch" and me["form"] == "first_person"


def test_columns_and_values(tmp_path):
    text = "Kiran Malhotra was harassed by Rohan Bhatia. Bhatia denied it. Malhotra said he felt unheard."
    m = run(one_doc(tmp_path, text), tmp_path)
    assert list(m.columns[:8]) == list(roles.MENTION_COLUMNS)
    assert set(m["role"]) <= set(roles.ROLES)
    assert set(m["gender"]) <= {"female", "male", "unknown"}
    assert set(m["gender_source"]) <= set(roles.GENDER_SOURCES)
    assert set(m["voice"]) <= set(roles.VOICES)
    assert m["sentence_id"].dtype.kind == "i"


# --------------------------------------------------------------------------- gender sources


def test_pronoun_beats_name_list_for_a_man_named_nana(tmp_path):
    # the name list says 'Nana' is a woman's name; the article's pronouns say otherwise
    text = "Nana Patekar denied the allegations. He said the claims against him were false."
    p = people(run(one_doc(tmp_path, text), tmp_path))["Nana Patekar"]
    assert (p["gender"], p["gender_source"]) == ("male", "pronoun")


def test_honorific_beats_name_list(tmp_path):
    p = people(run(one_doc(tmp_path, "Mr Nana Patekar denied the allegations."), tmp_path))["Nana Patekar"]
    assert (p["gender"], p["gender_source"]) == ("male", "honorific")


def test_gendered_noun_counts_as_honorific(tmp_path):
    text = "Stunt performer Ashley Dunmore (a man) accused Rick Halvorsen of harassment."
    p = people(run(one_doc(tmp_path, text), tmp_path))["Ashley Dunmore"]
    assert (p["gender"], p["gender_source"]) == ("male", "honorific")


def test_name_list_is_the_last_resort(tmp_path):
    # no pronoun, no honorific: the name list decides, and knows Nana, Alok, Sajid and Anu are men
    text = "Nana Patekar denied the allegations. Sajid Khan denied the allegations. Anu Malik denied it."
    p = people(run(one_doc(tmp_path, text), tmp_path))
    for name in ("Nana Patekar", "Sajid Khan", "Anu Malik"):
        assert (p[name]["gender"], p[name]["gender_source"]) == ("male", "name_list")
    assert lexicons.name_genders()["alok"] == "male"


def test_raped_is_lemmatised_as_rape(tmp_path):
    # the small model lemmatises "raped" as "rap"; roles/lemma_fixes.csv corrects it
    m = run(one_doc(tmp_path, "Corey Haim was raped by Rick Halvorsen."), tmp_path)
    p = people(m)
    assert p["Corey Haim"]["role"] == "victim" and p["Rick Halvorsen"]["role"] == "accused"
    assert mention(m, "Corey Haim")["verb"] == "rape"


def test_bare_passive_conjuncts_share_the_passive(tmp_path):
    text = "Usman Mukhtar said he was harassed, blackmailed and bullied for months."
    m = run(one_doc(tmp_path, text), tmp_path)
    he = mention(m, "he")
    assert "harm:blackmail:theme" in he["pattern"] and ":agent" not in he["pattern"]
    assert people(m)["Usman Mukhtar"]["role"] == "victim"


def test_facing_allegations_and_facing_harassment(tmp_path):
    text = "Sajid Khan faces allegations of harassment. Saloni Chopra faced harassment on the set."
    p = people(run(one_doc(tmp_path, text), tmp_path))
    assert p["Sajid Khan"]["role"] == "accused" and p["Saloni Chopra"]["role"] == "victim"


def test_allegations_hit_the_accused(tmp_path):
    p = people(run(one_doc(tmp_path, "Allegations of sexual misconduct have hit Vikas Bahl."), tmp_path))
    assert p["Vikas Bahl"]["role"] == "accused"


def test_side_by_gender_only_near_the_harassment():
    out = roles.extract.side_by_gender(["victim", "accused", "other", "other"], ["text", "text", "none", "none"],
                                       ["female", "male", "male", "female"], {2})
    assert out == (["victim", "accused", "accused", "other"], ["text", "text", "article", "none"])
    # both sides of one gender: no side can be read off a gender
    same = roles.extract.side_by_gender(["victim", "accused", "other"], ["text", "text", "none"],
                                        ["male", "male", "male"], {2})
    assert same[0] == ["victim", "accused", "other"]


def test_pronoun_beats_honorific(tmp_path):
    # a gendered noun that contradicts every pronoun loses to the pronouns
    text = ("Faraz Haider denied the allegations. He said he had never met her. "
            "He added that he would sue. His lawyer agreed with him.")
    p = people(run(one_doc(tmp_path, text), tmp_path))["Faraz Haider"]
    assert (p["gender"], p["gender_source"]) == ("male", "pronoun")


REG_DOCS = "doc_id,region,case_id\nk1,pakistan,c1\n"
REG_CASES = ("case_id,region,victims,victim_gender,accused,accused_gender,year,summary\n"
             "c1,pakistan,Noor Hassan,male,Adnan Shah,male,2022,x\n")


def test_registry_beats_pronoun_and_supplies_aliases(tmp_path):
    # the text's pronoun would say female; the registry says male and wins
    text = "Noor Hassan spoke on Monday. She said nothing else about the shoot."
    c = _load(write_corpus(tmp_path / "c", REG_DOCS, {"k1": text}, REG_CASES))
    m = run(c, tmp_path)
    p = people(m)["Noor Hassan"]
    assert (p["gender"], p["gender_source"]) == ("male", "registry")
    assert p["role"] == "victim"                        # registry role as the fallback
    assert m.loc[m["person"] == "Noor Hassan", "role_source"].eq("registry").all()
    # without the registry the pronoun decides and there is no role evidence
    hidden = _load(write_corpus(tmp_path / "c", REG_DOCS, {"k1": text}, REG_CASES), use_cases=False)
    q = people(run(hidden, tmp_path))["Noor Hassan"]
    assert (q["gender"], q["gender_source"], q["role"]) == ("female", "pronoun", "other")
    # the registry only informs when asked
    r = people(run(c, tmp_path, use_registry=False))["Noor Hassan"]
    assert r["gender_source"] == "pronoun"


# --------------------------------------------------------------------------- article level


def _fake_corpus(doc_ids):
    return type("C", (), {"docs": pd.DataFrame({"doc_id": doc_ids}), "cases": None})()


def test_victim_gender_majority_mixed_unknown():
    m = pd.DataFrame({
        "doc_id": ["a", "a", "a", "b", "b", "c"],
        "person": ["P", "P", "Q", "R", "S", "T"],
        "role": ["victim", "victim", "victim", "victim", "victim", "accused"],
        "gender": ["male", "male", "female", "male", "female", "male"],
        "victim_evidence": [2.0, 2.0, 0.5, 2.0, 2.0, 0.0],
    })
    out = roles.victim_gender(_fake_corpus(["a", "b", "c", "d"]), m).set_index("doc_id")
    assert out.loc["a", "victim_gender"] == "male"
    assert out.loc["b", "victim_gender"] == "mixed"
    assert out.loc[["c", "d"], "victim_gender"].eq("unknown").all()
    assert out["source"].eq("inferred").all()
    assert out["confidence"].between(0, 1).all()
    assert out.loc["a", "confidence"] > out.loc["b", "confidence"]


def test_victim_gender_uses_the_registry_when_present(tmp_path):
    c = _load(write_corpus(tmp_path / "c", REG_DOCS, {"k1": "Noor Hassan spoke."}, REG_CASES))
    out = roles.victim_gender(c, run(c, tmp_path))
    assert out[["victim_gender", "source", "confidence"]].iloc[0].tolist() == ["male", "registry", 1.0]


def test_role_measures_by_hand():
    m = pd.DataFrame({
        "doc_id": ["a"] * 6,
        "role": ["accused", "accused", "victim", "victim", "victim", "other"],
        "voice": ["active_subject", "other", "object", "passive_subject", "active_subject", "object"],
        "dep": ["nsubj", "agent", "dobj", "nsubjpass", "nsubj", "dobj"],
        "harm_verb": [True, True, True, True, False, False],
        "is_quote_speaker": [False, False, False, False, True, True],
        "reporting_kind": ["", "", "", "", "hedged", "assertive"],
        "agency": [1.0, 1.0, float("nan"), float("nan"), 0.0, float("nan")],
        "power": [1.0, 1.0, -1.0, -1.0, 0.0, 0.0],
    })
    long = roles.role_measures(m)
    assert list(long.columns) == ["doc_id", "role", "measure", "value"]
    assert set(long["role"]) == {"victim", "accused"}
    w = roles.role_measures(m, wide=True).set_index("role")
    assert w.loc["accused", "agency"] == 1.0              # 1 active of 1 voiced (agent is 'other')
    assert w.loc["victim", "agency"] == pytest.approx(1 / 3)
    assert w.loc["accused", "passive_share"] == 0.5       # the 'by' agent of a passive
    assert w.loc["victim", "passive_share"] == 0.5
    assert w.loc["victim", "hedged_reporting_share"] == 1.0
    assert pd.isna(w.loc["accused", "hedged_reporting_share"])
    assert w.loc["victim", "quote_share"] == 0.5          # 1 of the article's 2 attributed quotes
    assert w.loc["accused", "power_score"] == 1.0 and w.loc["victim", "power_score"] == pytest.approx(-2 / 3)
    assert w.loc["victim", "n_mentions"] == 3


# --------------------------------------------------------------------------- lexicon


def test_lexicon_scores_follow_the_person(tmp_path):
    lex = pd.DataFrame({"verb": ["harass"], "agency": [1.0], "power": [1.0]})
    c = one_doc(tmp_path, "Rohan Bhatia harassed Kiran Malhotra.")
    m = run(c, tmp_path, lexicon=lex).set_index("person")
    assert m.loc["Rohan Bhatia", ["agency", "power"]].tolist() == [1.0, 1.0]    # agent
    assert pd.isna(m.loc["Kiran Malhotra", "agency"]) and m.loc["Kiran Malhotra", "power"] == -1.0


# --------------------------------------------------------------------------- accusation verbs from the file


@pytest.fixture
def lexicon_copy(tmp_path, monkeypatch):
    """A copy of analysis/lexicons/ that the role analysis reads instead of the shipped one."""
    folder = tmp_path / "lexicons"
    shutil.copytree(lexicons.lexicon_path("verbs.csv").parent, folder)
    monkeypatch.setattr(lexicons, "lexicon_path", lambda name: folder / name)
    return folder


def _edit_rows(path: Path, drop: set[str] = frozenset(), add: tuple[str, ...] = ()) -> None:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.split(",")[0] not in drop]
    path.write_text("\n".join([*lines, *add]) + "\n", encoding="utf-8")


def test_accusation_verbs_come_from_the_lexicon_file(tmp_path, lexicon_copy):
    text = "Hina Baloch blamed Faraz Haider for the harassment."
    before = people(run(one_doc(tmp_path, text), tmp_path))
    assert before["Faraz Haider"]["role"] != "accused"          # 'blame' is not an accusation verb
    _edit_rows(lexicon_copy / "harassment_verbs.csv", add=("blame,accuse",))
    m = run(one_doc(tmp_path, text), tmp_path)
    p = people(m)
    assert p["Hina Baloch"]["role"] == "victim" and p["Faraz Haider"]["role"] == "accused"
    assert mention(m, "Hina Baloch")["pattern"] == "accuse:blame:agent"


def test_removing_an_accusation_verb_from_the_file_removes_its_pattern(tmp_path, lexicon_copy):
    text = "Hina Baloch accused Faraz Haider of misconduct."
    assert mention(run(one_doc(tmp_path, text), tmp_path), "Hina Baloch")["pattern"] == "accuse:accuse:agent"
    _edit_rows(lexicon_copy / "harassment_verbs.csv", drop={"accuse"})
    m = run(one_doc(tmp_path, text), tmp_path)
    assert "accuse:" not in mention(m, "Hina Baloch")["pattern"]
    assert people(m)["Faraz Haider"]["role"] != "accused"


# --------------------------------------------------------------------------- teaching corpus


@pytest.fixture(scope="module")
def teaching_pair():
    """(gold corpus with cases.csv, same corpus with cases hidden, token table)."""
    root = PATHS.teaching
    cache = None
    gold = _load(root)
    hidden = _load(root, use_cases=False)
    assert hidden.cases is None
    tok = preprocess.tokens(hidden, progress=False, cache_dir=cache)
    return gold, hidden, tok


@pytest.mark.slow
def test_teaching_corpus_recovery_with_cases_hidden(teaching_pair):
    """The planted roles and victim genders are recovered from the text alone; every registry
    person counts, so a person the analysis does not find is a wrong role."""
    gold, hidden, tok = teaching_pair
    m = roles.mentions(hidden, tokens=tok, progress=False)
    vg = roles.victim_gender(hidden, m)
    assert vg["source"].eq("inferred").all()
    scores = validation.evaluate(gold, m, vg)
    print(f"\nteaching corpus ({len(hidden)} docs): {scores}")
    assert scores["n_docs"] >= 30
    assert scores["n_case_people"] >= 2 * scores["n_docs"]
    assert scores["people_found_share"] >= 0.97
    assert scores["victim_gender_accuracy"] >= 0.90
    assert scores["role_accuracy"] >= 0.90


@pytest.mark.slow
def test_teaching_corpus_recovery_of_planted_agency(teaching_pair):
    """CODEBOOK R9: the accused is the active subject more often than the alleged
    victim; R7: male victims' statements are hedged more often than female victims'."""
    gold, hidden, tok = teaching_pair
    w = roles.role_measures(roles.mentions(hidden, tokens=tok, progress=False), wide=True)
    means = w.groupby("role")[["agency", "power_score"]].mean()
    assert means.loc["accused", "agency"] > means.loc["victim", "agency"] + 0.1
    assert means.loc["accused", "power_score"] > means.loc["victim", "power_score"]
    victims = w[w["role"] == "victim"].merge(gold.docs[["doc_id", "victim_gender"]], on="doc_id")
    hedged = victims.groupby("victim_gender")["hedged_reporting_share"].mean()
    assert hedged["male"] > hedged["female"] + 0.2


@pytest.mark.slow
def test_teaching_corpus_recovery_with_registry(teaching_pair):
    gold, _, tok = teaching_pair
    m = roles.mentions(gold, tokens=tok, progress=False)
    vg = roles.victim_gender(gold, m)
    with_case = gold.docs["case_id"].notna()
    assert vg.loc[with_case.to_numpy(), "source"].eq("registry").all()
    scores = validation.evaluate(gold, m, vg)
    assert scores["people_found_share"] == 1.0            # registry aliases find every case person
    assert scores["role_accuracy"] >= 0.95


# --------------------------------------------------------------------------- real seed articles

SEED_LABELS = {
    "000_b2a88948748b1357.txt": "male",      # Usman Mukhtar, harassed by a woman
    "001_eb982f5f33831425.txt": "male",      # Usman Mukhtar's own account
    "003_1bdd1cf00ebb5839.txt": "female",    # overview: mostly female victims
}


@pytest.mark.parametrize("name", sorted(SEED_LABELS))
def test_seed_articles_victim_gender(seeds_dir, tmp_path, name):
    path = seeds_dir / name
    if not path.is_file():
        pytest.skip(f"seed article {name} not found in {seeds_dir}")
    c = one_doc(tmp_path, path.read_text(encoding="utf-8"), doc_id=path.stem)
    m = run(c, tmp_path)
    out = roles.victim_gender(c, m).iloc[0]
    assert out["victim_gender"] == SEED_LABELS[name], m.groupby("person")["role"].first()
    assert out["source"] == "inferred" and out["confidence"] > 0.5
    if name.startswith("003"):
        p = people(m)
        assert p["Ali Zafar"]["role"] == "accused" and p["Meesha Shafi"]["role"] == "victim"


def test_victim_gender_falls_back_on_the_text(tmp_path):
    # no role pattern fires: the he/she balance (without the accused's pronouns) and
    # "men can be victims too" statements decide, with low confidence
    from collections import Counter

    from analysis.roles.measures import text_votes
    assert text_votes("He said she left. He did.", Counter(male=2)) == Counter(female=1.0, male=0.0)
    assert text_votes("She spoke. Men can also be victims of harassment.", Counter())["male"] == 3.0
    c = one_doc(tmp_path, "The studio said she was upset. She left. He stayed.")
    out = roles.victim_gender(c, run(c, tmp_path)).iloc[0]
    assert out["victim_gender"] == "female" and 0 < out["confidence"] <= 0.5

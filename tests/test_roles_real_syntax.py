"""Role patterns added for real news syntax (issue 13, item 4), on small invented sentences.

Every name and sentence here is invented for the tests; none is taken from a news text.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import preprocess, roles
from analysis.corpus import load as _load
from analysis.roles.document import Doc
from analysis.roles.extract import quote_bounds
from analysis.roles.measures import text_votes
from analysis.roles.people import clean_span, extra_spans, surname_spans

pytestmark = pytest.mark.filterwarnings("ignore")


def run_text(tmp_path: Path, text: str) -> pd.DataFrame:
    path = tmp_path / "d.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["doc_id", "region", "text"])
        w.writerow(["d1", "x", text])
    c = _load(path)
    tok = preprocess.tokens(c, progress=False, cache_dir=tmp_path / "cache")
    return roles.mentions(c, tokens=tok, progress=False)


def role_of(m: pd.DataFrame) -> dict[str, str]:
    return m.groupby("person")["role"].first().to_dict()


def test_arrested_person_is_the_accused(tmp_path):
    m = run_text(tmp_path, "Rohan Bhatia was arrested on Monday. The police did not give details.")
    assert role_of(m)["Rohan Bhatia"] == "accused"
    assert "arrest:arrest" in ";".join(m["pattern"])


def test_acquitted_person_is_the_accused_too(tmp_path):
    m = run_text(tmp_path, "A court acquitted Rohan Bhatia last year.")
    assert role_of(m)["Rohan Bhatia"] == "accused"


def test_names_in_a_list_share_the_role_of_the_phrase(tmp_path):
    text = "Several actresses, including Sana Sheikh and Hina Baloch, have accused Rohan Bhatia of harassment."
    r = role_of(run_text(tmp_path, text))
    assert r["Sana Sheikh"] == "victim" and r["Hina Baloch"] == "victim"
    assert r["Rohan Bhatia"] == "accused"


def test_a_list_under_a_role_noun(tmp_path):
    text = "His victims, such as Sana Sheikh, spoke to the press. Rohan Bhatia harassed them for years."
    assert role_of(run_text(tmp_path, text))["Sana Sheikh"] == "victim"


def test_name_modifying_an_allegation_noun_is_the_accused(tmp_path):
    text = "The Rohan Bhatia allegations surfaced in May, and Kiran Malhotra said she was shocked."
    m = run_text(tmp_path, text)
    assert role_of(m)["Rohan Bhatia"] == "accused"
    # the modifier is no antecedent: 'she' goes to Malhotra, never to Bhatia
    assert set(m.loc[m["text"] == "she", "person"]) <= {"Kiran Malhotra"}


def test_victim_noun_as_subject_of_a_copula(tmp_path):
    m = run_text(tmp_path, "One of the victims was Kiran Malhotra, a young dancer.")
    assert role_of(m)["Kiran Malhotra"] == "victim"


def test_first_person_in_a_quote_spread_over_two_sentences(tmp_path):
    text = '"The director groped me in the van. I told nobody for years," Kiran Malhotra said.'
    m = run_text(tmp_path, text)
    fp = m[(m["form"] == "first_person") & (m["text"] == "me")]
    assert fp["person"].tolist() == ["Kiran Malhotra"]
    assert role_of(m)["Kiran Malhotra"] == "victim"


def test_quote_bounds():
    assert quote_bounds([True, True, False], 0) == (0, 2)
    assert quote_bounds([False, False, True], 2) == (2, 3)


@given(st.lists(st.booleans(), min_size=1, max_size=30), st.data())
def test_quote_bounds_is_the_quoted_run(mask, data):
    i = data.draw(st.integers(0, len(mask) - 1))
    if not mask[i]:
        return
    a, b = quote_bounds(mask, i)
    assert a <= i < b and all(mask[a:b])
    assert (a == 0 or not mask[a - 1]) and (b == len(mask) or not mask[b])


def test_group_nouns_decide_before_pronouns():
    text = "Three women accused him of groping them. He said he was innocent and he would fight."
    v = text_votes(text, Counter())
    assert v["female"] > v["male"]


def test_a_man_accused_of_is_not_a_male_victim():
    assert text_votes("A man accused of assault was released.", Counter())["male"] == 0


def test_harassing_boys_votes_male():
    v = text_votes("He was charged with molesting two young boys. She led the case.", Counter())
    assert v["male"] > v["female"]


_LEMMA = {"said": "say", "denied": "deny", "left": "leave", "identified": "identify"}


def _doc(words: list[str], pos: list[str], ent: list[str]) -> Doc:
    n = len(words)
    return Doc("a", words, [" "] * n, [_LEMMA.get(w, w.lower()) for w in words], pos, ent, [0] * n,
               {0: (0, n)}, in_quote=[False] * n)


def test_surname_the_ner_called_an_organisation():
    words = ["Venkat", "said", "no", ".", "Venkat", "denied", "it", ".", "Venkat", "left", "."]
    pos = ["PROPN", "VERB", "DET", "PUNCT"] * 2 + ["PROPN", "VERB", "PUNCT"]
    ent = ["ORG", "", "", ""] * 2 + ["ORG", "", ""]
    assert [(a, b) for a, b, _ in surname_spans(_doc(words, pos, ent), [])] == [(0, 1), (4, 5), (8, 9)]


def test_organisation_after_the_is_no_surname():
    words = ["The", "Academy", "said", "no", ".", "Academy", "denied", "it", ".", "Academy", "left", "."]
    pos = ["DET", "PROPN", "VERB", "DET", "PUNCT", "PROPN", "VERB", "PRON", "PUNCT", "PROPN", "VERB", "PUNCT"]
    assert surname_spans(_doc(words, pos, ["ORG"] * 12), []) == []


def test_twice_is_not_enough_for_a_surname():
    words = ["Venkat", "said", "no", ".", "Venkat", "denied", "it", "."]
    pos = ["PROPN", "VERB", "DET", "PUNCT"] * 2
    assert surname_spans(_doc(words, pos, ["ORG", "", "", ""] * 2), []) == []


def test_a_name_the_ner_called_a_place_in_apposition_to_a_person_noun():
    # "a second accuser, Zorvan Pellat, who ...", "a man, identified as Zorvan Pellat, ..."
    words = ["a", "second", "accuser", ",", "Zorvan", "Pellat", ",", "who", "spoke", "."]
    pos = ["DET", "ADJ", "NOUN", "PUNCT", "PROPN", "PROPN", "PUNCT", "PRON", "VERB", "PUNCT"]
    ent = ["", "", "", "", "GPE", "GPE", "", "", "", ""]
    assert [(a, b) for a, b, _ in extra_spans(_doc(words, pos, ent), [])] == [(4, 6)]
    words = ["a", "man", ",", "identified", "as", "Zorvan", "Pellat", ",", "sued", "."]
    pos = ["DET", "NOUN", "PUNCT", "VERB", "ADP", "PROPN", "PROPN", "PUNCT", "VERB", "PUNCT"]
    ent = ["", "", "", "", "", "LOC", "LOC", "", "", ""]
    assert [(a, b) for a, b, _ in extra_spans(_doc(words, pos, ent), [])] == [(5, 7)]
    # after a comma that follows no person noun, a place stays a place
    words = ["the", "film", ",", "Zorvan", "Pellat", ",", "opened", "."]
    pos = ["DET", "NOUN", "PUNCT", "PROPN", "PROPN", "PUNCT", "VERB", "PUNCT"]
    assert extra_spans(_doc(words, pos, ["", "", "", "GPE", "GPE", "", "", ""]), []) == []


def test_a_hyphenated_name_with_ur_is_one_person(tmp_path):
    m = run_text(tmp_path, "Police arrested Mufti Aziz-ur-Rehman on Monday. Rehman denied the allegations.")
    assert set(m["person"]) == {"Mufti Aziz ur Rehman"}


def test_headline_verb_is_stripped_from_a_name():
    d = _doc(["Defending", "Rohan", "Bhatia"], ["VERB", "PROPN", "PROPN"], ["PERSON"] * 3)
    assert clean_span(d, 0, 3)[:2] == (1, 3)


def test_a_list_misattached_to_a_harm_noun_joins_the_subject(tmp_path):
    text = "Several women came forward to accuse Rohan Bhatia of assault and harassment, including Sana Sheikh."
    r = role_of(run_text(tmp_path, text))
    assert r["Sana Sheikh"] == "victim" and r["Rohan Bhatia"] == "accused"


def test_a_first_name_that_is_another_persons_surname(tmp_path):
    text = "Anita Rose spoke first. Later Rose Malhotra said that Rohan Bhatia harassed her."
    m = run_text(tmp_path, text)
    assert m.loc[m["text"] == "Rose Malhotra", "person"].tolist() == ["Rose Malhotra"]
    assert (m["person"] == "Anita Rose").sum() == 1


def test_list_head_skips_an_abstract_noun():
    import spacy
    from spacy.tokens import Doc as SpacyDoc

    from analysis.roles.patterns import list_head

    words = ["Women", "accused", "Bhatia", "of", "rape", ",", "including", "Sheikh"]
    heads = [1, 1, 1, 1, 3, 4, 4, 6]
    deps = ["nsubj", "ROOT", "dobj", "prep", "pobj", "punct", "prep", "pobj"]
    pos = ["NOUN", "VERB", "PROPN", "ADP", "NOUN", "PUNCT", "VERB", "PROPN"]
    lemmas = ["woman", "accuse", "bhatia", "of", "rape", ",", "include", "sheikh"]
    doc = SpacyDoc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas)
    assert list_head(doc[7]).text == "Women"
    assert list_head(doc[2]) is None


def _fallback(text: str, accused_gender: str, source: str = "text") -> str:
    from analysis.roles.measures import victim_gender

    m = pd.DataFrame({"doc_id": ["a"], "person": ["Rohan Bhatia"], "role": ["accused"], "gender": [accused_gender],
                      "victim_evidence": [0.0], "role_source": [source], "form": ["name"], "text": ["Rohan Bhatia"]})
    c = type("C", (), {"docs": pd.DataFrame({"doc_id": ["a"], "text": [text]}), "cases": None})()
    return victim_gender(c, m)["victim_gender"].iloc[0]


def test_no_victim_found_takes_the_other_side_of_the_accused():
    text = "Rohan Bhatia denied it. He said he would sue. He left the city."
    assert _fallback(text, "male") == "female"
    assert _fallback("Sana Sheikh denied it. She said she would sue.", "female") == "male"


def test_side_of_the_accused_needs_text_evidence():
    # an accused only by the side-by-gender inference is no evidence: the pronoun balance decides
    assert _fallback("Rohan Bhatia denied it. He said he would sue.", "male", source="article") == "male"


def test_explicit_statements_beat_the_side_of_the_accused():
    text = "Rohan Bhatia denied it. Two young men who were abused by him spoke out."
    assert _fallback(text, "male") == "male"


def test_gerund_after_for_shares_the_subject(tmp_path):
    m = run_text(tmp_path, "Rohan Bhatia was sacked in June for groping a junior colleague.")
    assert role_of(m)["Rohan Bhatia"] == "accused"
    assert "harm:grope:agent" in ";".join(m["pattern"])


def test_list_under_names_of_a_group(tmp_path):
    text = "The names of stars like Rohan Bhatia and Imran Qadir came up for harassing women."
    r = role_of(run_text(tmp_path, text))
    assert r["Rohan Bhatia"] == "accused" and r["Imran Qadir"] == "accused"


def test_side_by_gender_reaches_the_next_sentence(tmp_path):
    text = ("Rohan Bhatia harassed Sana Sheikh at a shoot in 2016. Hina Baloch spoke at the rally. "
            "The weather was fine. The rally ended at noon, and Hina Baloch went home. Ayesha Khan sold tickets.")
    m = run_text(tmp_path, text)
    r = role_of(m)
    assert r["Hina Baloch"] == "victim"
    assert m.loc[m["person"] == "Hina Baloch", "role_source"].iloc[0] == "article"
    assert r["Ayesha Khan"] == "other"          # far from any harassment word


def test_a_person_named_once_takes_a_side_only_from_their_own_sentence(tmp_path):
    # round 10b (validity notes): named once next to the allegation, they were mostly celebrities in passing
    text = "Rohan Bhatia harassed Sana Sheikh at a shoot in 2016. Hina Baloch sang at the rally."
    r = role_of(run_text(tmp_path, text))
    assert r["Sana Sheikh"] == "victim" and r["Hina Baloch"] == "other"
    (tmp_path / "own").mkdir()
    text = "Rohan Bhatia harassed Sana Sheikh at a shoot in 2016 where Hina Baloch sang."
    m = run_text(tmp_path / "own", text)
    assert m.loc[m["person"] == "Hina Baloch", ["role", "role_source"]].iloc[0].tolist() == ["victim", "article"]


@pytest.mark.parametrize("dep", ["compound", "amod"])
def test_name_modifier_of_an_allegation_noun(dep):
    import spacy
    from spacy.tokens import Doc as SpacyDoc

    from analysis.roles.document import Mention
    from analysis.roles.lexicons import verb_sets
    from analysis.roles.patterns import analyse_mention

    words = ["the", "Bhatia", "allegations", "surfaced"]
    lemmas = ["the", "bhatia", "allegation", "surface"]
    pos = ["DET", "PROPN", "NOUN", "VERB"]
    sp = SpacyDoc(spacy.blank("en").vocab, words=words, heads=[2, 2, 3, 3], deps=["det", dep, "nsubj", "ROOT"],
                  pos=pos, lemmas=lemmas)
    d = Doc("a", words, [" "] * 4, lemmas, pos, [""] * 4, [0] * 4, {0: (0, 4)}, in_quote=[False] * 4)
    m = Mention(0, 0, 1, 2, "name", "Bhatia")
    analyse_mention(m, sp[1], d, 0, verb_sets())
    assert m.modifier and ("accused", 1.5, "compound:allegation") in m.evidence


# --- round 3: what people say, lists, people in passing, victim pronouns (invented sentences) ---


def test_a_denial_in_a_quote_marks_the_speaker_as_accused(tmp_path):
    m = run_text(tmp_path, '"These claims are baseless and I will fight them," Rohan Bhatia said on Monday.')
    assert role_of(m)["Rohan Bhatia"] == "accused"
    assert "speech:accused" in ";".join(m["pattern"])


def test_reported_speech_about_own_harassment_marks_the_victim(tmp_path):
    m = run_text(tmp_path, "Sana Sheikh said that the harassment on the set had ended her career.")
    assert role_of(m)["Sana Sheikh"] == "victim"


def test_a_signed_me_too_post_marks_its_author(tmp_path):
    m = run_text(tmp_path, "Hundreds of actresses posted on Monday.\nMe too\n"
                           "\u2014 Sana Sheikh (@sanasheikh) October 15, 2017\nThe posts kept coming.")
    assert role_of(m)["Sana Sheikh"] == "victim"


def test_speech_role_rules():
    from analysis.roles.speech import speech_role

    harm = frozenset({"grope", "harass"})
    assert speech_role({"he", "grope", "me"}, harm) == "victim"
    assert speech_role({"i", "never", "harass", "anyone"}, harm) is None
    assert speech_role({"allegation", "baseless"}, harm) == "accused"
    assert speech_role({"metoo", "movement"}, harm) is None      # the hashtag alone says nothing
    assert speech_role({"<me too>"}, harm) == "victim"


def test_a_relative_clause_on_a_list_of_names_covers_every_name(tmp_path):
    text = ("After Sana Sheikh, Hina Baloch and Nida Khan, who shared their experiences of harassment, "
            "more women spoke.")
    r = role_of(run_text(tmp_path, text))
    assert r["Sana Sheikh"] == r["Hina Baloch"] == r["Nida Khan"] == "victim"


def test_named_people_in_a_metoo_article_are_the_accused(tmp_path):
    text = "The #MeToo wave reached the industry. Noted actors like Rohan Bhatia and Imran Qadir have been named."
    r = role_of(run_text(tmp_path, text))
    assert r["Rohan Bhatia"] == r["Imran Qadir"] == "accused"
    (tmp_path / "b").mkdir()
    plain = role_of(run_text(tmp_path / "b", "Noted actors like Rohan Bhatia and Imran Qadir have been named."))
    assert plain["Rohan Bhatia"] == "other"


def test_a_disgraced_producer_is_an_accused(tmp_path):
    assert role_of(run_text(tmp_path, "Disgraced producer Rohan Bhatia was seen in Lahore."))["Rohan Bhatia"] \
        == "accused"


def test_the_subject_of_an_alleged_act_of_misconduct_is_the_accused(tmp_path):
    text = "She alleged that photographer Rohan Bhatia wanted models to trade sexual favours for work."
    assert role_of(run_text(tmp_path, text))["Rohan Bhatia"] == "accused"


def test_a_name_before_the_subject_is_no_object_of_the_accused(tmp_path):
    text = "After Imran Qadir and Faisal Mehmood, producer Rohan Bhatia is facing harassment charges."
    r = role_of(run_text(tmp_path, text))
    assert r["Rohan Bhatia"] == "accused" and r["Imran Qadir"] != "victim"


def test_headline_glue_in_front_of_a_name_is_cut(tmp_path):
    text = "Film Star Rohan Bhatia Says He Was Abused\nRohan Bhatia said he was abused as a child actor."
    m = run_text(tmp_path, text)
    assert set(m["person"]) == {"Rohan Bhatia"}
    assert role_of(m)["Rohan Bhatia"] == "victim"


def test_a_photo_credit_glued_to_a_surname_is_the_same_person(tmp_path):
    text = "Rohan Bhatia was arrested.\nRohan Bhatiainstagram\nBhatia was sent to custody."
    assert set(run_text(tmp_path, text)["person"]) == {"Rohan Bhatia"}


def test_a_corroborated_name_list_gender_vetoes_a_disagreeing_pronoun(tmp_path):
    text = ("Rohan Bhatia was arrested on Monday. He was sent to custody. "
            "The police said that the accused raped her and filmed her.")
    m = run_text(tmp_path, text)
    assert role_of(m)["Rohan Bhatia"] == "accused"
    assert not ((m["person"] == "Rohan Bhatia") & m["text"].str.lower().eq("her")).any()


def test_victim_pronouns_decide_before_the_side_of_the_accused():
    from analysis.roles.measures import text_evidence

    votes, basis = text_evidence("Rohan Bhatia denied it. The lawsuit says he groped him twice.", Counter())
    assert basis == "victim_pronouns" and votes["male"] > votes["female"]
    assert _fallback("Rohan Bhatia denied it. The lawsuit says he groped him twice.", "male") == "male"
    assert _fallback("Rohan Bhatia denied it. He said he would sue.", "male") == "female"


def test_one_gender_common_nouns_decide_before_the_side_of_the_accused():
    from analysis.roles.measures import text_evidence

    text = "Rohan Bhatia denied it. A man said the pair met when the boy was 16. He later dropped the claim."
    votes, basis = text_evidence(text, Counter())
    assert basis == "gendered_nouns" and votes["male"] == 2 and votes["female"] == 0
    assert _fallback(text, "male") == "male"
    # nouns of both genders, or only the accused's own noun ("a man accused of"), leave it to the prior
    assert _fallback("Rohan Bhatia denied it. A man and two women spoke to the police.", "male") == "female"
    assert _fallback("Rohan Bhatia, a man accused of assault, denied it. He left.", "male") == "female"
    assert _fallback("Rohan Bhatia denied it. The man was arrested on Monday.", "male") == "female"
    assert _fallback("A man has accused Rohan Bhatia. Bhatia denied it.", "male") == "male"


def test_a_name_given_with_identified_as_takes_the_place_of_its_noun(tmp_path):
    text = ("Rohan Bhatia resigned on Tuesday. A second man, identified as Daniel Brooks, filed a lawsuit "
            "claiming the pair had a relationship when he was 15.")
    m = run_text(tmp_path, text)
    assert role_of(m)["Daniel Brooks"] == "victim"
    assert m.loc[m["person"] == "Daniel Brooks", "pattern"].tolist() == ["file:file"]


def test_the_filer_of_a_complaint_accusing_someone_is_the_accuser(tmp_path):
    text = "Sana Sheikh has filed a legal complaint accusing Rohan Bhatia of sexual harassment."
    m = run_text(tmp_path, text)
    assert role_of(m) == {"Sana Sheikh": "victim", "Rohan Bhatia": "accused"}
    assert "accuse:accuse:agent" in m.loc[m["text"] == "Sana Sheikh", "pattern"].iloc[0]


def test_a_lawyers_denial_marks_the_client_as_the_accused(tmp_path):
    m = run_text(tmp_path, "Sana Sheikh spoke out. Rohan Bhatia's lawyer called the allegations false.")
    assert role_of(m)["Rohan Bhatia"] == "accused"
    for sub, text, role in (("b", "Rohan Bhatia's lawyer denied the allegations.", "accused"),
                            # a lawyer who says something else gives the client no side
                            ("c", "Rohan Bhatia's lawyer said the film was finished.", "other")):
        (tmp_path / sub).mkdir()
        assert role_of(run_text(tmp_path / sub, text))["Rohan Bhatia"] == role


def test_the_agent_of_a_filed_lawsuit_is_the_accuser(tmp_path):
    m = run_text(tmp_path, "Rohan Bhatia denied the allegations in a lawsuit filed by Sana Sheikh.")
    assert m.loc[m["text"] == "Sana Sheikh", "pattern"].tolist() == ["file:file"]
    # "one" of the suits just named; not "one" of anything else
    for sub, text, pattern in (("b", "Rohan Bhatia was sued twice. One, filed by Sana Sheikh, was dismissed.", "file:file"),
                               ("c", "Rohan Bhatia was praised. One, filed by Sana Sheikh, was a film.", "")):
        (tmp_path / sub).mkdir()
        out = run_text(tmp_path / sub, text)
        assert out.loc[out["text"] == "Sana Sheikh", "pattern"].tolist() == [pattern]


def test_a_participle_on_the_predicate_noun_gives_the_subject_its_role(tmp_path):
    m = run_text(tmp_path, "Sana Sheikh is one of the women speaking out about harassment.")
    assert m["pattern"].tolist() == ["predicate_relative:disclose:speak"]
    (tmp_path / "b").mkdir()
    assert run_text(tmp_path / "b", "Sana Sheikh is an actress starring in a new film.")["pattern"].tolist() == [""]


def test_a_participle_on_the_names_appositive_noun_is_said_of_the_name(tmp_path):
    cases = (("a", "Police held Rohan Bhatia, a cleric arrested for abusing a student.", "accused"),
             ("b", "Rohan Bhatia, a producer accused of groping two women, was seen on Monday.", "accused"),
             ("c", "Sana Sheikh, an actress harassed on set, was seen on Monday.", "victim"),
             ("d", "Sana Sheikh, an actress starring in the film, was seen on Monday.", "other"))
    for sub, text, role in cases:
        (tmp_path / sub).mkdir()
        assert list(role_of(run_text(tmp_path / sub, text)).values()) == [role], text


def test_victim_gender_explains_its_basis():
    from analysis.roles.measures import victim_gender

    m = pd.DataFrame({"doc_id": ["a", "b"], "person": ["Rohan Bhatia", "Sana Sheikh"],
                      "role": ["accused", "victim"], "gender": ["male", "female"],
                      "victim_evidence": [0.0, 2.0], "role_source": ["text", "text"], "form": ["name", "name"],
                      "text": ["Rohan Bhatia", "Sana Sheikh"]})
    c = type("C", (), {"docs": pd.DataFrame({"doc_id": ["a", "b", "c"],
                                             "text": ["He denied it.", "She spoke.", "Nothing here."]}),
                       "cases": None})()
    out = victim_gender(c, m, explain=True).set_index("doc_id")
    assert out["basis"].to_dict() == {"a": "accused_other", "b": "victims", "c": "none"}
    assert "basis" not in victim_gender(c, m).columns


def test_a_name_after_including_parsed_as_a_second_object_joins_the_subject(tmp_path):
    text = ("It began after several women came forward to accuse Rohan Bhatia of sexual assault, harassment "
            "and rape, including his co-star Sana Sheikh.")
    r = role_of(run_text(tmp_path, text))
    assert r["Sana Sheikh"] == "victim" and r["Rohan Bhatia"] == "accused"
    # the parse this is for (hand-built): 'Sana' a second dobj of 'accuse' after 'including'
    import spacy
    from spacy.tokens import Doc as SpacyDoc

    from analysis.roles.patterns import _second_object_in_list

    words = ["Women", "accuse", "Bhatia", "of", "rape", ",", "including", "Sana"]
    doc = SpacyDoc(spacy.blank("en").vocab, words=words, heads=[1, 1, 1, 2, 3, 1, 1, 1],
                   deps=["nsubj", "ROOT", "dobj", "prep", "pobj", "punct", "prep", "dobj"])
    assert _second_object_in_list(doc[7]).text == "Women"
    assert _second_object_in_list(doc[2]) is None


def test_raising_ones_voice_against_harassment_is_coming_forward(tmp_path):
    text = "A young model, Ali Raza, raised his voice against sexual harassment in the fashion industry."
    assert role_of(run_text(tmp_path, text))["Ali Raza"] == "victim"


def test_targeted_by_a_smear_campaign_is_the_accused_story(tmp_path):
    text = "Rohan Bhatia said he was being targeted by a smear campaign after Sana Sheikh accused him of harassment."
    m = run_text(tmp_path, text)
    assert role_of(m) == {"Rohan Bhatia": "accused", "Sana Sheikh": "victim"}
    assert "speech:victim" not in ";".join(m["pattern"])       # a tie of evidence is no lack of evidence


def test_the_real_victim_is_a_counter_narrative(tmp_path):
    m = run_text(tmp_path, "Rohan Bhatia claims he is the real victim. Sana Sheikh stands by her account.")
    assert role_of(m)["Rohan Bhatia"] == "accused"


def test_a_first_person_account_of_trauma_marks_the_speaker(tmp_path):
    m = run_text(tmp_path, "Sana Sheikh said she still has nightmares and PTSD after working with Rohan Bhatia.")
    assert role_of(m)["Sana Sheikh"] == "victim"


def test_alleges_someone_of_harassment_is_an_accusation(tmp_path):
    m = run_text(tmp_path, "Actress Sana Sheikh alleges producer Rohan Bhatia of sexual harassment.")
    assert role_of(m) == {"Sana Sheikh": "victim", "Rohan Bhatia": "accused"}
    assert "allege_of:theme" in ";".join(m["pattern"])


def test_sharing_her_story_in_a_metoo_article(tmp_path):
    m = run_text(tmp_path, "The #MeToo posts continued. Designer Hina Baloch too shared her story.")
    assert "disclose:share:story" in ";".join(m["pattern"])
    assert role_of(m)["Hina Baloch"] == "victim"


def test_a_quote_continued_in_the_next_sentence_belongs_to_its_speaker(tmp_path):
    text = ('The film was shown on Monday. "It is strange to hear people clap," added Ali Raza. '
            '"There has been a lot of healing for me since the abuse."')
    m = run_text(tmp_path, text)
    assert role_of(m)["Ali Raza"] == "victim"
    assert "speech:victim" in ";".join(m["pattern"])


def test_both_men_refers_back_to_the_men_just_named(tmp_path):
    text = ("Ali Raza and Kamran Shah spoke at the festival. In the film both men allege they suffered "
            "years of sexual abuse at the hands of Rohan Bhatia.")
    m = run_text(tmp_path, text)
    r = role_of(m)
    assert r["Ali Raza"] == r["Kamran Shah"] == "victim" and r["Rohan Bhatia"] == "accused"
    assert "group:" in ";".join(m["pattern"])


def test_a_headline_reduced_passive_makes_its_subject_the_accused(tmp_path):
    # round 10c: "X accused of ..." is "X [is] accused of ...", not X accusing
    m = run_text(tmp_path, "Opera legend Rohan Bhatia accused of sexual harassment")
    assert role_of(m)["Rohan Bhatia"] == "accused"
    assert m.loc[m["person"] == "Rohan Bhatia", "voice"].iloc[0] == "passive_subject"
    (tmp_path / "active").mkdir()
    m = run_text(tmp_path / "active", "Sana Sheikh accused Rohan Bhatia of harassment.")   # an object: active
    assert role_of(m) == {"Sana Sheikh": "victim", "Rohan Bhatia": "accused"}
    (tmp_path / "misparsed").mkdir()
    # the parser reads 'accused' as a modifier of the object here; the next word shows it is active
    m = run_text(tmp_path / "misparsed", "Two years after singer Komal Abbasi accused music producer Nadeem Chaudhry "
                 "of harassment, the suit he filed is still in court.")
    assert role_of(m) == {"Komal Abbasi": "victim", "Nadeem Chaudhry": "accused"}


def test_the_object_of_an_owned_accusation_is_the_accused(tmp_path):
    # round 10c: "X's accusations of Y", unlike "the testimonies of Y"
    m = run_text(tmp_path, "Sana Sheikh's accusations of Rohan Bhatia started a wave of revelations.")
    assert role_of(m)["Rohan Bhatia"] == "accused"
    (tmp_path / "teller").mkdir()
    m = run_text(tmp_path / "teller", "The testimonies of Sana Sheikh started a wave of revelations.")
    assert role_of(m)["Sana Sheikh"] == "victim"


def test_hashtags_and_hindi_titles_are_no_people(tmp_path):
    text = ("Many women backed Hina Baloch with #IStandWithHina and #JusticeForHina after Rohan Bhatia sued her. "
            "The makers of Mitti Ke Sapne postponed the film after Sana Sheikh accused Rohan Bhatia of harassment.")
    people = set(run_text(tmp_path, text)["person"])
    assert {"Hina Baloch", "Rohan Bhatia", "Sana Sheikh"} <= people
    assert not any("Justice" in p or "Sapne" in p or "Stand" in p for p in people), people

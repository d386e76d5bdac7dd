"""Role constructions added in the cross-case round of issue 13 (rules general enough to carry
over to unseen cases), on small invented sentences.

Every name and sentence here is invented for the tests; none is taken from a news text.
"""

from __future__ import annotations

import pytest

from analysis.roles.document import Doc
from analysis.roles.people import list_member_spans, nickname_spans
from tests.test_roles_real_syntax import role_of, run_text

pytestmark = pytest.mark.filterwarnings("ignore")


def _doc(words: list[str], pos: list[str]) -> Doc:
    n = len(words)
    return Doc("a", words, [" "] * n, [w.lower() for w in words], pos, [""] * n, [0] * n, {0: (0, n)})


def test_the_testimony_of_a_person_is_their_own_account(tmp_path):
    text = ("The film rests on the testimony of Sana Sheikh about the director. "
            "Sana Sheikh said the director harassed her for years.")
    m = run_text(tmp_path, text)
    assert role_of(m)["Sana Sheikh"] == "victim"
    assert "of:testimony" in ";".join(m["pattern"])


def test_the_revelations_of_a_person_are_their_own_account(tmp_path):
    m = run_text(tmp_path, "The revelations of Sana Sheikh shook the studio.")
    assert "of:revelation" in ";".join(m["pattern"])
    assert role_of(m)["Sana Sheikh"] == "victim"


def test_the_case_of_a_person_says_nothing_about_their_side(tmp_path):
    m = run_text(tmp_path, "The case of Sana Sheikh shook the studio.")
    assert "of:case" not in ";".join(m["pattern"])


def test_one_of_the_men_who_were_accused(tmp_path):
    m = run_text(tmp_path, "Rohan Bhatia is one of the men who have been accused of harassment.")
    assert role_of(m)["Rohan Bhatia"] == "accused"
    assert "predicate_relative:accuse" in ";".join(m["pattern"])


def test_among_the_women_who_accused_him(tmp_path):
    m = run_text(tmp_path, "Sana Sheikh was among the women who accused the producer of harassment.")
    assert role_of(m)["Sana Sheikh"] == "victim"


def test_a_relative_clause_with_its_own_subject_gives_no_role(tmp_path):
    # the relative pronoun is the object of 'accused': the reporters did the accusing, not Sana
    m = run_text(tmp_path, "Sana Sheikh was among the women whom reporters accused of lying.")
    assert "predicate_relative" not in ";".join(m["pattern"])


def test_a_quoted_nickname_between_first_name_and_surname_is_one_name():
    words = ["Marcus", '"', "Big", "M", '"', "Okafor", "was", "sued", "."]
    pos = ["PROPN", "PUNCT", "PROPN", "PROPN", "PUNCT", "PROPN", "AUX", "VERB", "PUNCT"]
    assert nickname_spans(_doc(words, pos), []) == [(0, 6, [])]


def test_a_quoted_title_after_a_verb_is_no_name():
    words = ["They", "watched", '"', "Night", "Song", '"', "Tuesday", "."]
    pos = ["PRON", "VERB", "PUNCT", "PROPN", "PROPN", "PUNCT", "PROPN", "PUNCT"]
    assert nickname_spans(_doc(words, pos), []) == []


def test_a_nickname_name_is_one_person_with_its_surname(tmp_path):
    text = ('Producer Marcus "Big M" Okafor was sued by a former assistant. '
            "Okafor denied the allegations.")
    m = run_text(tmp_path, text)
    people = set(m["person"])
    assert "Marcus Big M Okafor" in people and "Okafor" not in people
    assert role_of(m)["Marcus Big M Okafor"] == "accused"


def test_a_shared_surname_is_the_person_whose_first_name_came_last(tmp_path):
    text = ("Arjun Mehta and his brother Vikram Mehta ran the studio. An assistant accused Vikram Mehta "
            "of harassment on Monday. Mehta denied the allegations. Arjun Mehta said nothing.")
    m = run_text(tmp_path, text)
    denial = m[m["pattern"].str.contains("deny:deny")]
    assert list(denial["person"]) == ["Vikram Mehta"]
    # "Vikram Mehta" is one mention, not "Vikram" plus a "Mehta" of the other brother
    assert "Vikram" not in set(m["text"])


def test_a_name_inside_a_list_of_people_is_a_person():
    words = ["Rohan", "Bhatia", ",", "Velamuri", ",", "Vikram", "Mehta", "and", "Arjun", "Rao", "were", "named", "."]
    pos = ["PROPN"] * 2 + ["PUNCT", "PROPN", "PUNCT", "PROPN", "PROPN", "CCONJ", "PROPN", "PROPN", "AUX", "VERB",
                           "PUNCT"]
    d = _doc(words, pos)
    spans = [(0, 2, []), (5, 7, []), (8, 10, [])]
    assert list_member_spans(d, spans) == [(3, 4, [])]


def test_a_list_member_after_two_names_at_the_end_of_the_list():
    words = ["Rohan", "Bhatia", ",", "Vikram", "Mehta", ",", "Velamuri", "etc", "were", "named", "."]
    pos = ["PROPN", "PROPN", "PUNCT", "PROPN", "PROPN", "PUNCT", "PROPN", "X", "AUX", "VERB", "PUNCT"]
    assert list_member_spans(_doc(words, pos), [(0, 2, []), (3, 5, [])]) == [(6, 7, [])]


def test_an_organisation_after_one_name_is_no_list_member():
    words = ["Rohan", "Bhatia", ",", "Miramax", "and", "the", "board", "were", "sued", "."]
    pos = ["PROPN", "PROPN", "PUNCT", "PROPN", "CCONJ", "DET", "NOUN", "AUX", "VERB", "PUNCT"]
    assert list_member_spans(_doc(words, pos), [(0, 2, [])]) == []


def test_the_victims_of_a_person_make_them_the_accused(tmp_path):
    m = run_text(tmp_path, "The victims of Rohan Bhatia spoke to reporters on Monday.")
    assert role_of(m)["Rohan Bhatia"] == "accused"
    assert "of:victim" in ";".join(m["pattern"])


def test_an_embattled_person_is_an_accused(tmp_path):
    m = run_text(tmp_path, "Embattled singer Rohan Bhatia and his label have parted ways.")
    assert role_of(m)["Rohan Bhatia"] == "accused"


def test_an_instagram_post_shared_by_a_person_with_the_hashtag_is_their_me_too(tmp_path):
    text = ("Many women shared their stories of harassment online this week.\n\n"
            "It took years to say this. #MeToo\n\n"
            "A post shared by Sana Sheikh (@sanasheikh) on\n\n"
            "The hashtag spread quickly.")
    m = run_text(tmp_path, text)
    assert role_of(m)["Sana Sheikh"] == "victim"
    assert "speech:victim" in ";".join(m["pattern"])


def test_a_post_shared_by_a_person_without_the_hashtag_says_nothing(tmp_path):
    text = ("Many women shared their stories of harassment online this week.\n\n"
            "What a lovely day at the beach.\n\n"
            "A post shared by Sana Sheikh (@sanasheikh) on\n\n"
            "The hashtag spread quickly.")
    m = run_text(tmp_path, text)
    assert "speech:victim" not in ";".join(m["pattern"])


def test_a_bare_participle_after_a_passive_is_passive_too(tmp_path):
    m = run_text(tmp_path, "Seven-year-old Sana Sheikh was kidnapped, raped, murdered and her body was later found.")
    assert role_of(m)["Sana Sheikh"] == "victim"
    assert "harm:rape:theme" in ";".join(m["pattern"])


def test_a_gerund_after_a_passive_stays_active(tmp_path):
    m = run_text(tmp_path, "Rohan Bhatia was sacked on Monday, harassing nobody, the studio said.")
    assert "harm:harass:theme" not in ";".join(m["pattern"])


def test_a_middle_name_of_the_other_gender_makes_the_name_list_unsure():
    from analysis.roles.document import Person
    from analysis.roles.gender import _listed

    d = _doc(["x"], ["X"])
    d.persons = [Person("a", "Evan Rachel Okafor", "Evan", "Okafor"), Person("b", "Zorblat Rachel Okafor",
                 "Zorblat", "Okafor"), Person("c", "Evan Okafor", "Evan", "Okafor")]
    assert _listed(d) == [None, "female", "male"]


def test_the_title_noun_of_a_named_person_is_no_other_antecedent(tmp_path):
    text = "Actor Sana Sheikh has spoken about the film industry. The actor said she was harassed by a director."
    m = run_text(tmp_path, text)
    assert role_of(m)["Sana Sheikh"] == "victim"


def test_an_unnamed_common_noun_still_blocks_the_pronoun(tmp_path):
    text = ("Actor Sana Sheikh has spoken about the film industry. The assistant said she was harassed by a "
            "director.")
    m = run_text(tmp_path, text)
    assert "harm:harass:theme" not in ";".join(m.loc[m["person"] == "Sana Sheikh", "pattern"])


def test_a_list_of_names_strung_as_appositions_shares_the_predicate(tmp_path):
    # the parser hangs the last name on the one before as an apposition of a conjunct of an apposition
    text = ("Kiran Malhotra, Tom Becker, Harvey Lindqvist, Neil Ostrova, Kevin Marsh, are just some of the "
            "names who have been accused of sexual misconduct in recent years.")
    m = run_text(tmp_path, text)
    assert role_of(m)["Kevin Marsh"] == "accused"
    assert "predicate_relative:accuse" in ";".join(m.loc[m["person"] == "Kevin Marsh", "pattern"])


@pytest.mark.parametrize("text,name", [
    ("Pieter van Dijk was accused of harassment by a former assistant.", "Pieter van Dijk"),
    ("Rohan deSilva Bhatia was accused of harassment by a former assistant.", "Rohan deSilva Bhatia"),
])
def test_a_lower_case_particle_inside_a_name(tmp_path, text, name):
    m = run_text(tmp_path, text)
    assert role_of(m).get(name) == "accused"


def test_inner_name_words():
    from analysis.roles.people import inner_name_word

    assert inner_name_word("van") and inner_name_word("deGrasse")
    assert not inner_name_word("and") and not inner_name_word("said") and not inner_name_word("Van")


def test_people_named_in_a_lawsuit_are_the_accused(tmp_path):
    m = run_text(tmp_path, "Also named in the lawsuit are Vikram Mehta and Arjun Rao.")
    r = role_of(m)
    assert r["Vikram Mehta"] == "accused" and r["Arjun Rao"] == "accused"
    assert "accuse:name:theme" in ";".join(m["pattern"])


def test_a_complaint_that_names_a_person(tmp_path):
    m = run_text(tmp_path, "The complaint names Vikram Mehta and the studio.")
    assert role_of(m)["Vikram Mehta"] == "accused"


def test_named_head_of_a_committee_is_no_accusation(tmp_path):
    m = run_text(tmp_path, "Vikram Mehta was named head of the complaints committee on Monday.")
    assert "accuse:name" not in ";".join(m["pattern"])


def test_her_before_the_object_noun_is_a_possessive(tmp_path):
    text = "Actress Sana Sheikh came forward and accused her then boss, producer Rohan Bhatia, of harassing her."
    m = run_text(tmp_path, text)
    her = m[(m["person"] == "Sana Sheikh") & (m["text"] == "her")]
    assert "poss" in set(her["dep"])
    assert role_of(m)["Sana Sheikh"] == "victim"


def test_a_possessive_her_misread_as_an_object_makes_no_accused(tmp_path):
    text = ("In the wake of the movement in the city actress Sana Sheikh recently came forward and accused "
            "her then boyfriend, producer Rohan Bhatia for harassing her.")
    m = run_text(tmp_path, text)
    assert role_of(m)["Sana Sheikh"] != "accused"


@pytest.mark.parametrize("text", [
    "The singer Marilyn Frost, legally known as Brian Okafor, hit Sana Sheikh. She said he hit her.",
    "Brian Okafor, better known as Marilyn Frost, hit Sana Sheikh. She said he hit her.",
    "Sana Sheikh accused Marilyn Frost (real name Brian Okafor) of abuse. She said he hit her.",
])
def test_a_stage_name_takes_the_legal_first_name_for_gender(tmp_path, text):
    m = run_text(tmp_path, text)
    assert "Brian Okafor" not in set(m["person"])
    assert m.loc[m["person"] == "Marilyn Frost", "gender"].iloc[0] == "male"


def test_known_as_without_a_legal_name_merges_nothing(tmp_path):
    m = run_text(tmp_path, "Marilyn Frost, also known as Brian Okafor, sang. Sana Sheikh said she left.")
    assert {"Marilyn Frost", "Brian Okafor"} <= set(m["person"])


def test_a_stigma_word_at_the_far_end_of_a_chain_of_compounds(tmp_path):
    text = "Embattled R&B singer Rohan Bhatia and his longtime label have parted ways after a decades-long relationship."
    m = run_text(tmp_path, text)
    assert role_of(m)["Rohan Bhatia"] == "accused"
    assert "compound:embattled" in ";".join(m["pattern"])


def test_the_last_names_of_a_long_list_share_its_role(tmp_path):
    text = ("The #MeToo movement has brought forward many accusers of the producer, including Asha Rao, Rani Mehra, "
            "Vinita Sethi, Lata Perera, Anju Dasgupta, Abha Sen, Alka Verma, Kavita Nair and Mohini Akbari.")
    r = role_of(run_text(tmp_path, text))
    assert r["Kavita Nair"] == "victim" and r["Mohini Akbari"] == "victim"


def test_names_like_x_alone_give_no_role(tmp_path):
    # round 10 (validity notes): "names like X, Y and Z" made them accused; on the real tuning sets that
    # was wrong for 20 bystanders and right for 9 coded victims or accused, so the rule was dropped
    text = ("The #MeToo movement has brought forward names of many personalities and names like Vikas Rao, "
            "Rajat Mehra, Vinod Sethi, Lasith Perera, Arjun Dasgupta, Abhijit Sen, Alok Verma, Kailash Nair, "
            "Mohan Akbari etc are exposed to the world.")
    m = run_text(tmp_path, text)
    assert set(role_of(m).values()) == {"other"}
    assert "list:names" not in ";".join(m["pattern"])


def test_a_listed_first_name_lets_the_article_side_decide(tmp_path):
    text = ('"This is about rape," Lili Okafor said of the charges against Rohan Bhatia, who has been '
            "accused of assault by several women.")
    m = run_text(tmp_path, text)
    assert m.loc[m["person"] == "Lili Okafor", "gender"].iloc[0] == "female"
    assert role_of(m)["Lili Okafor"] == "victim"


def _trim(words: list[str], pos: list[str], spans: list[tuple[int, int, list]]) -> list[tuple[int, int]]:
    from analysis.roles.aliases import trim_spans

    return [(a, b) for a, b, _ in trim_spans(_doc(words, pos), spans)]


def test_a_full_name_is_not_cut_to_a_shorter_headline_span_when_its_surname_stands_alone():
    words = ["Mira", "Rachel", "Accuses", "Bhatia", ".", "Actress", "Mira", "Rachel", "Stone", "spoke", ".",
             "Later", ",", "Stone", "left", "."]
    pos = ["PROPN", "PROPN", "PROPN", "PROPN", "PUNCT", "NOUN", "PROPN", "PROPN", "PROPN", "VERB", "PUNCT",
           "ADV", "PUNCT", "PROPN", "VERB", "PUNCT"]
    assert (6, 9) in _trim(words, pos, [(0, 2, []), (6, 9, [])])


def test_headline_glue_after_a_name_is_still_cut():
    words = ["Mira", "Rachel", "Shares", ".", "Mira", "Rachel", "shares", "her", "story", "."]
    pos = ["PROPN", "PROPN", "PROPN", "PUNCT", "PROPN", "PROPN", "VERB", "PRON", "NOUN", "PUNCT"]
    assert (0, 2) in _trim(words, pos, [(0, 3, []), (4, 6, [])])


def test_a_partner_with_whom_the_accused_worked_is_not_on_the_receiving_end(tmp_path):
    text = ("Rohan Bhatia was accused of harassment. He invited Sana Sheikh to his office. "
            "He signed with Mira Okafor in the nineties.")
    m = run_text(tmp_path, text)
    assert "object_of_accused" in ";".join(m.loc[m["person"] == "Sana Sheikh", "pattern"])
    assert "object_of_accused" not in ";".join(m.loc[m["person"] == "Mira Okafor", "pattern"])


def test_a_report_by_a_journalist_is_the_news_not_an_accusation(tmp_path):
    text = "Rohan Bhatia was accused of harassment, according to a report by Mira Okafor in the weekly."
    m = run_text(tmp_path, text)
    assert "by:report" not in ";".join(m["pattern"])


def test_a_complaint_by_a_person_is_still_their_accusation(tmp_path):
    m = run_text(tmp_path, "A complaint by Sana Sheikh accuses Rohan Bhatia of harassment.")
    assert role_of(m)["Sana Sheikh"] == "victim"
    assert "by:complaint" in ";".join(m["pattern"])


def test_a_list_on_a_place_phrase_names_members_of_the_group(tmp_path):
    text = ("The lawsuit also implicates several individuals within his circle, including his assistant "
            "Mira Okafor and his driver Tom Becker.")
    m = run_text(tmp_path, text)
    assert role_of(m)["Tom Becker"] == "accused"
    assert "list:accuse:implicate:theme" in ";".join(m.loc[m["person"] == "Tom Becker", "pattern"])


def test_a_list_on_a_place_phrase_without_a_role_gives_nothing(tmp_path):
    text = ("The festival drew many people from the city, including Mira Okafor, while Rohan Bhatia was "
            "accused of harassment.")
    m = run_text(tmp_path, text)
    assert "list:" not in ";".join(m.loc[m["person"] == "Mira Okafor", "pattern"])


def _parsed(words: list[str], heads: list[int], deps: list[str], pos: list[str]):
    import spacy
    from spacy.tokens import Doc as SpacyDoc

    return SpacyDoc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps, pos=pos)


def test_a_name_hung_on_the_verb_after_the_object_and_a_comma_is_its_apposition():
    from analysis.roles.syntax import detached_apposition

    # "She accused her partner , Rohan Bhatia of abuse ." with 'Bhatia' an adverbial modifier of 'accused'
    words = ["She", "accused", "her", "partner", ",", "Rohan", "Bhatia", "of", "abuse", "."]
    heads = [1, 1, 3, 1, 1, 6, 1, 6, 7, 1]
    deps = ["nsubj", "ROOT", "poss", "dobj", "punct", "compound", "npadvmod", "prep", "pobj", "punct"]
    pos = ["PRON", "VERB", "PRON", "NOUN", "PUNCT", "PROPN", "PROPN", "ADP", "NOUN", "PUNCT"]
    doc = _parsed(words, heads, deps, pos)
    assert detached_apposition(doc[6]).text == "partner"
    # without the comma after the object it is no apposition
    words2 = ["She", "accused", "her", "partner", "Rohan", "Bhatia", "of", "abuse", "."]
    heads2 = [1, 1, 3, 1, 5, 1, 5, 6, 1]
    deps2 = ["nsubj", "ROOT", "poss", "dobj", "compound", "npadvmod", "prep", "pobj", "punct"]
    pos2 = ["PRON", "VERB", "PRON", "NOUN", "PROPN", "PROPN", "ADP", "NOUN", "PUNCT"]
    assert detached_apposition(_parsed(words2, heads2, deps2, pos2)[5]) is None


def test_fired_over_claims_is_the_accused(tmp_path):
    m = run_text(tmp_path, "The band fired Tom Becker over similar claims last year.")
    assert role_of(m)["Tom Becker"] == "accused"
    assert "hit:fire" in ";".join(m["pattern"])


def test_fired_without_an_allegation_says_nothing(tmp_path):
    m = run_text(tmp_path, "The band fired Tom Becker last year.")
    assert "hit:fire" not in ";".join(m["pattern"])


def test_a_supporter_sued_for_defamation_is_no_accuser(tmp_path):
    text = ("Sana Sheikh accused Rohan Bhatia of harassment. Rohan Bhatia filed a defamation suit against "
            "Tom Becker, who had backed her.")
    m = run_text(tmp_path, text)
    assert "counter" not in ";".join(m.loc[m["person"] == "Tom Becker", "pattern"])
    assert role_of(m)["Rohan Bhatia"] == "accused" and role_of(m)["Sana Sheikh"] == "victim"


def test_a_name_list_climb_stops_at_a_title_noun_beyond_the_first_name():
    from analysis.roles.evidence import Ctx
    from analysis.roles.patterns import apposition

    # "Haider's counsel , Mian Latif , cross-examined Rizvi" parsed with 'Rizvi' an apposition of 'Latif'
    words = ["counsel", ",", "Mian", "Latif", ",", "Rizvi", "."]
    heads = [0, 0, 3, 0, 3, 3, 0]
    deps = ["ROOT", "punct", "compound", "appos", "punct", "appos", "punct"]
    pos = ["NOUN", "PUNCT", "PROPN", "PROPN", "PUNCT", "PROPN", "PUNCT"]
    doc = _parsed(words, heads, deps, pos)
    d = _doc(words, pos)
    ev: list = []
    apposition(Ctx(d, 0, {}), doc[5], ev)
    assert ev == []
    ev_latif: list = []
    apposition(Ctx(d, 0, {}), doc[3], ev_latif)
    assert ev_latif and ev_latif[0][0] == "other"       # the counsel speaks for someone else

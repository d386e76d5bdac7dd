"""Article-level role evidence: people the sentence rules leave without a role (hand-made examples)."""

from __future__ import annotations

from analysis.roles.extract import speaker_side
from tests.test_roles import one_doc, people, run


def test_a_speaker_joins_the_victims_of_an_article_of_accounts():
    out = speaker_side(["victim", "other", "other"], ["text", "none", "none"], ["male", "male", "unknown"], {1, 2})
    assert out == (["victim", "victim", "other"], ["text", "article", "none"])


def test_no_speaker_side_when_someone_is_accused_by_name():
    out = speaker_side(["victim", "accused", "other"], ["text", "text", "none"], ["female", "male", "female"], {2})
    assert out[0] == ["victim", "accused", "other"]


def test_no_speaker_side_for_a_person_of_another_gender_or_with_evidence():
    out = speaker_side(["victim", "other", "other"], ["text", "none", "text"], ["male", "female", "male"], {1, 2})
    assert out[0] == ["victim", "other", "other"]


def test_no_speaker_side_when_the_victims_are_of_both_genders():
    out = speaker_side(["victim", "victim", "other"], ["text", "text", "none"], ["male", "female", "male"], {2})
    assert out[0] == ["victim", "victim", "other"]


def test_a_speaker_far_from_the_harassment_words_in_an_article_of_accounts(tmp_path):
    text = ("Several young actors have spoken about the casting couch. "
            "Ravi Kumar said he was a victim of the casting couch as a newcomer. "
            "The studio season starts in June. Tickets went on sale in May. "
            "The festival will have four stages this year. "
            "Amit Sen said, \"I still remember the calls I got at night.\"")
    p = people(run(one_doc(tmp_path, text), tmp_path))
    assert p["Ravi Kumar"]["role"] == "victim"
    assert p["Amit Sen"]["role"] == "victim"


def test_no_article_side_for_people_titled_as_officials_lawyers_or_relatives(tmp_path):
    # round 10 (validity notes): these were bystanders every time the article-level inference gave them a role
    text = ("Sara Malik accused the director Omar Riaz of harassing her on set. "
            "Chief Minister Usman Tariq and Bilal Ahmed attended the hearing of the harassment case on Monday. "
            "Her father Tahir Malik was at the harassment hearing as well. "
            "Nadia Rauf, her sister, also attended the harassment hearing.")
    m = run(one_doc(tmp_path, text), tmp_path)
    p = m.groupby("person")[["role", "role_source"]].first().to_dict("index")
    assert p["Sara Malik"]["role"] == "victim" and p["Omar Riaz"]["role"] == "accused"
    assert p["Bilal Ahmed"] == {"role": "accused", "role_source": "article"}      # the control: no title
    for name in ("Usman Tariq", "Tahir Malik", "Nadia Rauf"):
        assert p[name]["role"] == "other", name

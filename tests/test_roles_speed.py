"""The faster roles stage (issue 14, R1) gives the same tables as the code it replaced.

Each faster piece is checked against a reference copy of the slower code it
replaced, kept here: every unit with a cue word parsed (also when its parse
adds no mention), the registry-surname regex on every name, the uncached
name-token test, spaCy token walks over every parsed sentence, the
line-break component run in the parse pipeline, the per-group pandas role
measures and the text fallback of every article. The teaching corpus is run
through :func:`analysis.roles.mentions` once with the reference pieces put
back and once as shipped; the mentions, victim-gender and role-measure tables
must be the same, value for value and type for type (no timing is asserted:
the speed is measured by ``benchmarks/scale.py`` and the profile in
``benchmarks/README.md``).
"""

from __future__ import annotations

import math
import re
import warnings

import pandas as pd
import pytest

from analysis import preprocess, roles
from analysis.config import PATHS
from analysis.corpus import CorpusWarning, load
from analysis.roles import aliases, extract, measures, people, sentences, speech
from analysis.roles.document import Mention, Person
from analysis.roles.vocabulary import (
    ACCUSED_NOUNS,
    ALLEGATION_NOUNS,
    ARREST_VERBS,
    DISCLOSE_VERBS,
    FILE_VERBS,
    FIRST_PERSON,
    HARM_NOUNS,
    PRONOUN_GENDER,
    SUBJECT_DEPS,
    SUE_VERBS,
    UPOS,
    VICTIM_NOUNS,
)

# --------------------------------------------------------------------------- reference code (before R1)


def _ref_registry_persons(d, registry):
    persons, by_key = [], {}
    if not registry:
        return persons, by_key
    body = " ".join(d.text)
    for name, role, gender in registry:
        parts = name.split()
        if not parts:
            continue
        surname = parts[-1]
        if surname.lower() in by_key:
            continue
        if re.search(r"\b" + re.escape(surname) + r"\b", body):
            by_key[surname.lower()] = len(persons)
            persons.append(Person(surname.lower(), name, parts[0] if len(parts) > 1 else "", surname,
                                  role, gender))
    return persons, by_key


def _ref_cue_sentences(d, verbs):
    accuse = verbs["accuse"] - FILE_VERBS - DISCLOSE_VERBS
    cues = verbs["harm"] | accuse | SUE_VERBS | verbs["deny"] | ALLEGATION_NOUNS | VICTIM_NOUNS \
        | ACCUSED_NOUNS | HARM_NOUNS | ARREST_VERBS | {"allege", "complain"}
    chosen = {m.sent for m in d.mentions}
    quote_sents = {d.sent[i] for i, q in enumerate(d.in_quote) if q}
    for i, lem in enumerate(d.lemma):
        s = d.sent[i]
        if s in chosen:
            continue
        if lem in cues and d.pos[i] in ("VERB", "NOUN", "ADJ", "PROPN"):
            chosen.add(s)
        elif s in quote_sents and d.text[i].lower() in PRONOUN_GENDER:
            chosen.add(s)
    return chosen


def _ref_parse_selected(docs, selected, n_process, batch_size, progress):
    from spacy.tokens import Doc as SpacyDoc

    nlp = preprocess.load_nlp(("tok2vec", "parser"))
    jobs = [(k, s) for k, chosen in enumerate(selected) for s in sorted(chosen)]

    def make(k, s):
        d = docs[k]
        a, b = d.sent_bounds[s]
        pos = [t if t in UPOS else "X" for t in d.pos[a:b]]
        return SpacyDoc(nlp.vocab, words=d.text[a:b], spaces=[bool(w) for w in d.ws[a:b]], pos=pos,
                        lemmas=d.lemma[a:b])

    for (k, s), parsed in zip(jobs, nlp.pipe((make(k, s) for k, s in jobs), batch_size=batch_size),
                              strict=True):
        docs[k].parsed[s] = parsed
    return len(jobs)


def _ref_quotes(d, sid, parsed, verbs, out):
    offset = d.sent_bounds[sid][0]
    a, b = d.sent_bounds[sid]
    here = [mm for mm in d.mentions if mm.sent == sid] + out
    for m in here:
        m.in_quote = d.in_quote[m.start]
    if not any(d.in_quote[a:b]):
        return
    speakers = sentences._quote_speakers(d, sid, parsed, here, verbs)
    for m in speakers:
        m.is_quote_speaker = True
    for m in out:
        if m.in_quote and m.form == "pronoun" and speakers:
            m.not_person_of = [x.start for x in speakers]
    for tok in parsed:
        i = tok.i + offset
        if d.in_quote[i] and tok.lower_ in FIRST_PERSON:
            r = Mention(None, sid, i, i + 1, "first_person", tok.text)
            sentences.analyse_mention(r, tok, d, offset, verbs)
            r.in_quote = True
            r.speaker = speakers[0].start if speakers else None
            out.append(r)


def _ref_analyse_sentence(d, sid, parsed, verbs):
    out = []
    name_heads = sentences._name_mentions(d, sid, parsed, verbs, out)
    for tok in parsed:
        if tok.lower_ in PRONOUN_GENDER and tok.i not in name_heads:
            out.append(sentences._pronoun(d, sid, tok, verbs))
    _ref_quotes(d, sid, parsed, verbs, out)
    return out


def _ref_group_evidence(d, every, verbs, no_evidence, genders):
    from analysis.roles.patterns import analyse_mention

    for sid, parsed in d.parsed.items():
        offset = d.sent_bounds[sid][0]
        for tok in parsed:
            g = speech.GROUP_NOUNS.get(tok.lower_)
            if g is None or tok.dep_ not in SUBJECT_DEPS or not any(
                    c.lower_ in ("both", "two") for c in tok.children):
                continue
            proxy = Mention(None, sid, tok.i + offset, tok.i + offset + 1, "group", tok.text)
            analyse_mention(proxy, tok, d, offset, verbs, 1)
            found = [(r, pt) for r, _, pt in proxy.evidence if r in ("victim", "accused")]
            if not found:
                continue
            for m in every:
                if m.form == "name" and m.person in no_evidence and 0 <= sid - m.sent <= 2 \
                        and m.start < tok.i + offset and genders[m.person] in (g, "unknown"):
                    m.evidence.extend((r, speech.SPEECH, f"group:{pt}") for r, pt in found[:1])


def _ref_role_measures(m, roles_=("victim", "accused")):
    quotes = m[m["is_quote_speaker"].astype(bool)].groupby("doc_id").size()
    rows = []
    for (doc_id, role), g in m[m["role"].isin(roles_)].groupby(["doc_id", "role"], sort=True):
        voiced = g["voice"].isin(["active_subject", "passive_subject", "object"])
        harm = g[g["harm_verb"].astype(bool)]
        harm_passive = (harm["voice"] == "passive_subject") | (harm.get("dep", pd.Series(index=harm.index,
                                                                                          dtype=str)) == "agent")
        rep = g[g["reporting_kind"].isin(["assertive", "hedged"])]
        nq = quotes.get(doc_id, 0)

        def share(num, den):
            return float(num) / den if den else float("nan")

        vals = {
            "n_mentions": float(len(g)),
            "agency": share((g["voice"] == "active_subject").sum(), voiced.sum()),
            "passive_share": share(harm_passive.sum(), len(harm)),
            "assertive_reporting_share": share((rep["reporting_kind"] == "assertive").sum(), len(rep)),
            "hedged_reporting_share": share((rep["reporting_kind"] == "hedged").sum(), len(rep)),
            "quote_share": share(g["is_quote_speaker"].astype(bool).sum(), nq),
            "power_score": float(g["power"].mean()) if g["power"].notna().any() else float("nan"),
            "agency_score": float(g["agency"].mean()) if g["agency"].notna().any() else float("nan"),
        }
        rows.extend((doc_id, role, k, v) for k, v in vals.items())
    return pd.DataFrame(rows, columns=["doc_id", "role", "measure", "value"])


# --------------------------------------------------------------------------- the comparison


@pytest.fixture(scope="module")
def teaching_corpora():
    """(teaching corpus with its registry, the same with the registry hidden, token table)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CorpusWarning)
        gold, hidden = load(PATHS.teaching), load(PATHS.teaching, use_cases=False)
    return gold, hidden, preprocess.tokens(hidden, progress=False)


def _tables(c, tok):
    m = roles.mentions(c, tokens=tok, progress=False)
    return m, roles.victim_gender(c, m, explain=True), roles.role_measures(m)


def _reference_tables(c, tok, monkeypatch):
    all_fallback = measures._fallback_votes
    uncached = people.is_name_token.__wrapped__
    with monkeypatch.context() as mp:
        mp.setattr(aliases, "registry_persons", _ref_registry_persons)
        for mod in (people, aliases):
            mp.setattr(mod, "is_name_token", uncached)
        mp.setattr(extract, "cue_sentences", _ref_cue_sentences)
        mp.setattr(extract, "parse_selected", _ref_parse_selected)
        mp.setattr(extract, "analyse_sentence", _ref_analyse_sentence)
        mp.setattr(extract, "group_evidence", _ref_group_evidence)
        mp.setattr(measures, "_fallback_votes", lambda corpus, df, only=None: all_fallback(corpus, df))
        m = roles.mentions(c, tokens=tok, progress=False)
        return m, roles.victim_gender(c, m, explain=True), _ref_role_measures(m)


def _same(new: pd.DataFrame, old: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(new, old, check_exact=True)
    assert new.to_csv(index=False) == old.to_csv(index=False)


@pytest.mark.slow
@pytest.mark.parametrize("with_registry", [True, False])
def test_faster_roles_stage_gives_the_same_tables(teaching_corpora, monkeypatch, with_registry):
    gold, hidden, tok = teaching_corpora
    c = gold if with_registry else hidden
    new, old = _tables(c, tok), _reference_tables(c, tok, monkeypatch)
    assert len(old[0]) > 100 and (old[0]["form"] == "first_person").any() and (old[0]["form"] == "pronoun").any()
    assert not math.isnan(old[2]["value"].sum())
    for n, o in zip(new, old, strict=True):
        _same(n, o)


def test_role_measures_match_the_per_group_reference_on_edge_cases():
    """NaN powers, no harassment verbs, no dep column, a role with no quotes in its article."""
    m = pd.DataFrame({"doc_id": ["b", "a", "a", "b", "a", "c"],
                      "role": ["victim", "accused", "victim", "victim", "accused", "other"],
                      "voice": ["object", "active_subject", "passive_subject", "other", "object", "object"],
                      "harm_verb": [True, False, True, True, False, True],
                      "is_quote_speaker": [False, True, False, True, False, True],
                      "reporting_kind": ["", "hedged", "assertive", "", "assertive", ""],
                      "agency": [float("nan"), 1.0, float("nan"), 0.1, 0.7, 1.0],
                      "power": [0.1, 0.2, float("nan"), 0.3, -0.4, 1.0]})
    _same(roles.role_measures(m), _ref_role_measures(m))
    with_dep = m.assign(dep=["agent", "", "", "agent", "", ""])
    _same(roles.role_measures(with_dep), _ref_role_measures(with_dep))
    _same(roles.role_measures(m.iloc[:0]), _ref_role_measures(m.iloc[:0]))


def _unit_with_line_break():
    from analysis.roles.document import Doc

    words = ["Rohan", "Bhatia", "\n", "Kiran", "Malhotra", "said", "he", "harassed", "her", "."]
    pos = ["PROPN", "PROPN", "SPACE", "PROPN", "PROPN", "VERB", "PRON", "VERB", "PRON", "PUNCT"]
    ws = [" ", "", "", " ", " ", " ", " ", " ", "", ""]
    n = len(words)
    return Doc("a", words, ws, [w.lower() for w in words], pos, [""] * n, [0] * n, {0: (0, n)})


def test_a_line_break_inside_a_parse_unit_still_starts_a_sentence():
    """The line-break rule, now applied before the pipeline, marks the same sentence starts."""
    from spacy.attrs import DEP, HEAD, SENT_START

    new, old = _unit_with_line_break(), _unit_with_line_break()
    assert sentences.parse_selected([new], [{0}], 1, 8, False) == 1
    _ref_parse_selected([old], [{0}], 1, 8, False)
    attrs = [HEAD, DEP, SENT_START]
    assert new.parsed[0][3].is_sent_start
    assert new.parsed[0].to_array(attrs).tolist() == old.parsed[0].to_array(attrs).tolist()


def test_person_and_cue_parses_fewer_units_and_keeps_the_roles(tmp_path):
    """The opt-in ``parse="person_and_cue"``: a name in a unit with no cue or reporting word keeps
    no verb; the roles from the harassment sentences stay."""
    from tests.test_roles import one_doc, run

    text = ("Kiran Malhotra was harassed by Rohan Bhatia. Bhatia denied the allegations. "
            "Malhotra joined the band in 2015.")
    c = one_doc(tmp_path, text)
    full, fewer = run(c, tmp_path), run(c, tmp_path, parse="person_and_cue")
    by_role = {p: g["role"].iloc[0] for p, g in fewer.groupby("person")}
    assert by_role == {p: g["role"].iloc[0] for p, g in full.groupby("person")}
    assert by_role["Kiran Malhotra"] == "victim" and by_role["Rohan Bhatia"] == "accused"
    last = lambda m: m[m["text"] == "Malhotra"].iloc[-1]  # noqa: E731
    assert last(full)["verb"] == "join" and last(full)["voice"] == "active_subject"
    assert last(fewer)["verb"] == "" and last(fewer)["voice"] == "other"
    with pytest.raises(ValueError, match="person_and_cue"):
        roles.mentions(c, tokens=preprocess.tokens(c, progress=False, cache_dir=tmp_path / "cache"),
                       progress=False, parse="some")

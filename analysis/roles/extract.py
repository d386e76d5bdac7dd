"""Every mention of a person in a corpus, with the person's role and gender (mentions.csv).

For each article: build it from the token table, find its people
(:mod:`analysis.roles.aliases`), choose and parse the sentences that matter
(:mod:`analysis.roles.sentences`), read role evidence at each mention
(:mod:`analysis.roles.patterns`), resolve pronouns and decide genders
(:mod:`analysis.roles.gender`), then sum the evidence of every mention of a
person: the role with more evidence wins, the registry role when there is
none (person-centred analysis after Field, Bhat & Tsvetkov 2019).

Example
-------
>>> assign_roles([Person("a", "A")], [])
(['other'], ['none'])
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.corpus import Corpus
from analysis.roles.aliases import find_people
from analysis.roles.document import (
    EXTRA_COLUMNS,
    MENTION_COLUMNS,
    Doc,
    Mention,
    Person,
    build_doc,
    quote_bounds,
)
from analysis.roles.gender import HARD_SOURCES, person_genders, pronoun_tokens, resolve
from analysis.roles.lexicons import load_verb_lexicon, verb_sets
from analysis.roles.patterns import RELATIONAL
from analysis.roles.people import registry_people
from analysis.roles.sentences import (
    analyse_sentence,
    cue_sentences,
    parse_selected,
    person_cue_sentences,
)
from analysis.roles.speech import group_evidence, speech_evidence
from analysis.roles.vocabulary import (
    ACCUSED_NOUNS,
    ALLEGATION_NOUNS,
    BYSTANDER_TITLES,
    DISCLOSE_VERBS,
    HARM_NOUNS,
    SPEECH_VERBS,
    VICTIM_NOUNS,
)


def assign_roles(persons: list[Person], every: list[Mention]) -> tuple[list[str], list[str]]:
    """Role per person: the side with more evidence; the registry role when there is none."""
    n = len(persons)
    score = np.zeros((n, 2))
    proxy = np.zeros(n, dtype=bool)
    for m in every:
        for role, w, _ in m.evidence:
            if role == "victim":
                score[m.person, 0] += w
            elif role == "accused":
                score[m.person, 1] += w
            elif role == "other" and w > 0:
                proxy[m.person] = True
    roles_out, role_src = [], []
    for k, p in enumerate(persons):
        v, a = score[k]
        if proxy[k]:
            r, src = "other", "text"
        elif v > a:
            r, src = "victim", "text"
        elif a > v:
            r, src = "accused", "text"
        elif p.registry_role:
            r, src = p.registry_role, "registry"
        else:
            r, src = "other", "none"
        roles_out.append(r)
        role_src.append(src)
    return roles_out, role_src


def _span_speaker(d: Doc, m: Mention, speakers: list[Mention]) -> int | None:
    """The speaker of a quote that runs over several sentences ("'I was 14. He groped me,' X said"):
    a speaker in the sentence where the quote ends (or just after it), else where it starts."""
    a, b = quote_bounds(d.in_quote, m.start)
    last = d.sent[b - 1]
    for sents in ({last, last + 1}, {d.sent[a]}):
        near = [s for s in speakers if s.sent in sents and s.person is not None]
        if near:
            return min(near, key=lambda s: abs(s.start - b)).person
    return None


def _first_person_owners(d: Doc, resolved: list[Mention], first_person: list[Mention]) -> list[Mention]:
    """I/me/my inside a quotation belong to its speaker (a name, or a pronoun resolved to one),
    also when the speaker is named in another sentence of the same quotation."""
    owner_of: dict[int, int] = {}
    for m in [*d.mentions, *resolved]:
        if m.person is not None:
            owner_of[m.start] = m.person
    speakers = [m for m in [*d.mentions, *resolved] if m.is_quote_speaker]
    for m in first_person:
        m.person = owner_of.get(m.speaker) if m.speaker is not None else _span_speaker(d, m, speakers)
    return [m for m in first_person if m.person is not None]


def _relational_evidence(every: list[Mention], roles_out: list[str]) -> None:
    """The object of an action by the accused ("Fairbanks invited her to a suite") is on the
    receiving end: weak evidence for the victim role."""
    owner: dict[int, int] = {}
    for m in every:
        for i in range(m.start, max(m.end, m.start + 1)):
            owner[i] = m.person
    for m in every:
        # the object follows its verb's subject ("After X, Y is facing charges": X is no object of Y)
        if m.ctrl is not None and m.voice == "object" and m.ctrl in owner and m.start > m.ctrl:
            agent = owner[m.ctrl]
            if agent != m.person and roles_out[agent] == "accused" and roles_out[m.person] != "accused":
                m.evidence.append(("victim", RELATIONAL, "object_of_accused"))


def _scores(m: Mention, lexicon: dict[str, tuple[float, float]]) -> tuple[float, float]:
    """Connotation-frame agency and power from the mention's side (agents: the verb's values;
    themes: no agency, the reverse power; Field et al. 2019 after Sap et al. 2017)."""
    ag, pw = lexicon.get(m.verb, (float("nan"), float("nan")))
    if m.agent_role == "agent":
        return ag, pw
    if m.agent_role == "theme":
        return float("nan"), (-pw if not math.isnan(pw) else pw)
    return float("nan"), float("nan")


def _rows(d: Doc, every: list[Mention], people: tuple[list[str], list[str], list[str], list[str]],
          lexicon: dict[str, tuple[float, float]]) -> list[dict]:
    """One output row per mention."""
    roles_out, role_src, genders, sources = people
    rows = []
    for m in sorted(every, key=lambda x: x.start):
        k = m.person
        agency, power = _scores(m, lexicon)
        rows.append({
            "doc_id": d.doc_id, "sentence_id": d.table_sent[m.start], "person": d.persons[k].canonical,
            "role": roles_out[k], "gender": genders[k], "gender_source": sources[k],
            "voice": m.voice, "verb": m.verb, "form": m.form, "text": m.text, "token": m.start,
            "dep": m.dep, "pattern": ";".join(pt for _, _, pt in m.evidence),
            "victim_evidence": sum(w for r, w, _ in m.evidence if r == "victim"),
            "accused_evidence": sum(w for r, w, _ in m.evidence if r == "accused"),
            "role_source": role_src[k],
            "in_quote": bool(m.in_quote), "is_quote_speaker": bool(m.is_quote_speaker),
            "reporting_kind": m.reporting_kind, "harm_verb": bool(m.harm_verb),
            "agency": agency, "power": power,
        })
    return rows


def _cue_people(d: Doc, verbs: dict) -> set[int]:
    """People named in a sentence with a harassment, accusation or allegation word, or, when they
    are named more than once, in the sentence just before or after one (the accuser quoted after
    the account of what happened)."""
    cues = verbs["harm"] | verbs["accuse"] | ALLEGATION_NOUNS | HARM_NOUNS | VICTIM_NOUNS | ACCUSED_NOUNS
    own = {d.sent[i] for i, lem in enumerate(d.lemma) if lem in cues}
    sents = {s + k for s in own for k in (-1, 0, 1)}
    # a person named only as a modifier ("inspired by the Harvey Weinstein story") is mentioned in
    # passing, about another case: no side
    passing = {m.person for m in d.mentions if m.modifier} - {m.person for m in d.mentions if not m.modifier}
    named = [m for m in d.mentions if m.person is not None]
    times = Counter(m.person for m in named)
    # a person named once takes a side only from their own sentence: next to it they were mostly
    # celebrities named in passing (round 10b of the real-news validity notes)
    return {m.person for m in named if m.sent in (sents if times[m.person] > 1 else own)} - passing


def _is_title(d: Doc, i: int) -> bool:
    return d.pos[i] in ("NOUN", "PROPN") and d.lemma[i].lower() in BYSTANDER_TITLES


def titled_bystanders(d: Doc) -> set[int]:
    """People the article describes by a bystander title or relation (``bystander_title`` in
    ``roles/word_classes.csv``): a title in the run of title words and names that ends at a name
    ("Punjab Chief Minister X", "his wife X"), a title noun and a comma right before it ("her
    lawyer, X") or in an apposition right after it ("X, the victim's mother,"). Round 10 of the
    real-news validity notes: such people, when the text gives them no role of their own, were
    bystanders every time the article-level inference made them victims or accused.

    Examples
    --------
    >>> from analysis.roles.document import Mention, Person
    >>> text = ["Her", "lawyer", ",", "Ann", "Lee", ",", "said", "Bo", ",", "his", "wife", ",", "wept"]
    >>> pos = ["PRON", "NOUN", "PUNCT", "PROPN", "PROPN", "PUNCT", "VERB", "PROPN", "PUNCT", "PRON",
    ...        "NOUN", "PUNCT", "VERB"]
    >>> d = Doc("a", text, [" "] * 13, [t.lower() for t in text], pos, [""] * 13, [0] * 13, {0: (0, 13)})
    >>> d.persons = [Person("ann lee", "Ann Lee"), Person("bo", "Bo")]
    >>> d.mentions = [Mention(0, 0, 3, 5, "name", "Ann Lee"), Mention(1, 0, 7, 8, "name", "Bo")]
    >>> sorted(titled_bystanders(d))
    [0, 1]
    """
    out: set[int] = set()
    for m in d.mentions:
        if m.person is None or m.form != "name" or m.sent not in d.sent_bounds:
            continue
        first, end = d.sent_bounds[m.sent]
        i = m.start - 1
        while i >= max(first, m.start - 4) and d.pos[i] in ("NOUN", "PROPN", "ADJ"):
            if _is_title(d, i):
                out.add(m.person)
            i -= 1
        if m.start - 2 >= first and d.text[m.start - 1] == "," and _is_title(d, m.start - 2) \
                and d.pos[m.start - 2] == "NOUN":
            out.add(m.person)
        if m.end < end and d.text[m.end] == ",":
            for j in range(m.end + 1, min(m.end + 6, end)):
                if d.lemma[j].lower() in ("who", "whose", "which", "that") or \
                        d.pos[j] not in ("DET", "PRON", "ADJ", "PROPN", "NOUN", "PART"):
                    break
                if _is_title(d, j):
                    out.add(m.person)
                    break
    return out


def _speakers(every: list[Mention], verbs: dict) -> set[int]:
    """People who speak in the article: quote speakers and subjects of reporting, speech and
    coming-forward verbs ("X said", "X revealed"), wherever they are named."""
    speech = verbs["assertive"] | verbs["hedged"] | SPEECH_VERBS | DISCLOSE_VERBS
    return {m.person for m in every if m.person is not None and not m.in_quote
            and (m.is_quote_speaker or (m.voice == "active_subject" and m.verb in speech))}


def speaker_side(roles_out: list[str], role_src: list[str], genders: list[str], speakers: set[int]
                 ) -> tuple[list[str], list[str]]:
    """In an article of accounts (alleged victims of one gender, nobody accused by name), a person
    without role evidence who speaks ("X said", a quote of X) and is of the victims' gender joins
    them (``role_source = "article"``): such pieces collect people telling their own experience,
    often without repeating the harassment word next to each name. Never the accused side (an
    accused who speaks usually denies, which is evidence of its own), and not in an article with
    a named accused, where other speakers are more often commentators.

    Examples
    --------
    >>> speaker_side(["victim", "other", "other"], ["text", "none", "none"],
    ...              ["male", "male", "female"], {1, 2})
    (['victim', 'victim', 'other'], ['text', 'article', 'none'])
    >>> speaker_side(["victim", "accused", "other"], ["text", "text", "none"],
    ...              ["female", "male", "female"], {2})[0]
    ['victim', 'accused', 'other']
    """
    victims = {g for g, r in zip(genders, roles_out, strict=True) if r == "victim" and g != "unknown"}
    out_r, out_s = list(roles_out), list(role_src)
    if "accused" in roles_out or len(victims) != 1:
        return out_r, out_s
    for k in speakers:
        if roles_out[k] == "other" and role_src[k] == "none" and genders[k] in victims:
            out_r[k], out_s[k] = "victim", "article"
    return out_r, out_s


def side_by_gender(roles_out: list[str], role_src: list[str], genders: list[str], near_cue: set[int]
                   ) -> tuple[list[str], list[str]]:
    """People without role evidence, named next to a harassment word, take the side of their gender.

    When every alleged victim found in the article has one gender and every
    accused the other (or only one side was found), a person of unknown role
    and known gender who is named in a sentence about the harassment (or
    next to one) joins
    the side of that gender (``role_source = "article"``): coverage lists
    accusers and accused by name far more often than it says what each did
    ("names like X, Y and Z"). A weak, article-level inference; filter on
    ``role_source`` to leave it out.

    Examples
    --------
    >>> side_by_gender(["victim", "accused", "other"], ["text", "text", "none"],
    ...                ["female", "male", "female"], {2})
    (['victim', 'accused', 'victim'], ['text', 'text', 'article'])
    """
    by_role = {r: {g for g, rr in zip(genders, roles_out, strict=True) if rr == r and g != "unknown"}
               for r in ("victim", "accused")}
    out_r, out_s = list(roles_out), list(role_src)
    if not by_role["victim"] and not by_role["accused"]:
        return out_r, out_s
    for k, (r, src, g) in enumerate(zip(roles_out, role_src, genders, strict=True)):
        if r != "other" or src != "none" or g == "unknown" or k not in near_cue:
            continue
        if g in by_role["victim"] and g not in by_role["accused"] and len(by_role["victim"]) == 1:
            out_r[k], out_s[k] = "victim", "article"
        elif g in by_role["accused"] and g not in by_role["victim"] and len(by_role["accused"]) == 1:
            out_r[k], out_s[k] = "accused", "article"
        elif not by_role["victim"] and by_role["accused"] and g not in by_role["accused"]:
            out_r[k], out_s[k] = "victim", "article"
        elif not by_role["accused"] and by_role["victim"] and g not in by_role["victim"]:
            out_r[k], out_s[k] = "accused", "article"
    return out_r, out_s


def _hard_genders(all_pron: list[Mention], genders: list[str], sources: list[str]) -> list[bool]:
    """Genders that veto a disagreeing pronoun: registry, pronouns, honorifics, and a name-list
    gender that a pronoun resolved to the person agrees with ("Karan ... He was arrested ... raped
    her": with he/him for Karan, "her" is not Karan even when the votes were split)."""
    agree = {m.person for m in all_pron if m.person is not None and m.pron_gender == genders[m.person]}
    return [src in HARD_SOURCES or (src == "name_list" and k in agree) for k, src in enumerate(sources)]


def doc_rows(d: Doc, verbs: dict, lexicon: dict[str, tuple[float, float]]) -> list[dict]:
    """The mention rows of one parsed article."""
    parsed_mentions: list[Mention] = []
    for sid in sorted(d.parsed):
        parsed_mentions.extend(analyse_sentence(d, sid, d.parsed[sid], verbs))
    relatives = [m for m in parsed_mentions if m.form == "relative"]
    pronouns = [m for m in parsed_mentions if m.form == "pronoun"]
    first_person = [m for m in parsed_mentions if m.form == "first_person"]
    all_pron = pronoun_tokens(d, pronouns)
    genders, sources = person_genders(d, all_pron)
    # coreference for roles: agreement with the final genders (the name list stays soft)
    final = [g if g != "unknown" else None for g in genders]
    resolve(d, all_pron, final, _hard_genders(all_pron, genders, sources))
    resolved = [m for m in all_pron if m.person is not None and m.sent in d.parsed]
    resolved += _first_person_owners(d, resolved, first_person)
    every = [m for m in d.mentions if m.person is not None] + relatives + resolved
    roles_out, _ = assign_roles(d.persons, every)
    _relational_evidence(every, roles_out)
    roles_out, role_src = assign_roles(d.persons, every)
    with_evidence = {m.person for m in every if any(w > 0 for _, w, _ in m.evidence)}
    no_evidence = {k for k, src in enumerate(role_src) if src == "none" and k not in with_evidence}
    speech_evidence(d, every, verbs, no_evidence)
    group_evidence(d, every, verbs, no_evidence, genders)
    roles_out, role_src = assign_roles(d.persons, every)
    titled = titled_bystanders(d)       # officials, lawyers, relatives: no article-level role
    near = _cue_people(d, verbs) - titled
    roles_out, role_src = side_by_gender(roles_out, role_src, genders, near)
    roles_out, role_src = speaker_side(roles_out, role_src, genders, _speakers(every, verbs) - near - titled)
    return _rows(d, every, (roles_out, role_src, genders, sources), lexicon)
def mentions(corpus: Corpus, *, use_registry: bool = True, tokens: pd.DataFrame | None = None,
             progress: bool = True, n_process: int = 1, batch_size: int = 256,
             lexicon: pd.DataFrame | None = None, cache_dir: Path | None = None,
             parse: str = "all") -> pd.DataFrame:
    """Every mention of a person, with the person's role and gender and the mention's voice.

    Parameters
    ----------
    corpus : Corpus
    use_registry : bool
        Use ``corpus.cases`` (when present) for name aliases, for gender
        (first source) and as the role when the text gives no evidence.
        ``False`` infers everything from the text.
    tokens : pandas.DataFrame, optional
        The token table of :func:`analysis.preprocess.tokens` (read from the
        cache when not given). Only sentences with a person or a cue word are
        parsed again, with the dependency parser.
    progress : bool
        Progress bar on stderr while parsing.
    n_process, batch_size : int
        Passed to ``nlp.pipe``.
    lexicon : pandas.DataFrame, optional
        Power/agency verb lexicon (:func:`load_verb_lexicon`; default lexicon
        when not given).
    cache_dir : Path, optional
        Token-table cache folder, passed to :func:`analysis.preprocess.tokens`
        when ``tokens`` is not given.
    parse : str
        Which parse units are dependency-parsed: ``"all"`` (default) every
        unit whose parse can add a mention
        (:func:`~analysis.roles.sentences.cue_sentences`);
        ``"person_and_cue"`` only those that name a person and have a cue or
        reporting word (:func:`~analysis.roles.sentences.person_cue_sentences`;
        about a third less CPU, same role accuracy on the tuning sets, but
        fewer mentions with a verb: different voice and agency measures).

    Returns
    -------
    pandas.DataFrame
        One row per mention (names, relative pronouns "who", he/she pronouns
        resolved to a named person, and I/me/my inside a quotation whose
        speaker is named): ``doc_id, sentence_id, person, role, gender,
        gender_source, voice, verb`` (DESIGN.md, mentions.csv; ``sentence_id``
        is the sentence id of the token table) followed by ``form``
        (name|pronoun|relative|first_person), ``text``, ``token``
        (token index in the article), ``dep``, ``pattern`` (the role
        patterns that fired at this mention), ``victim_evidence``,
        ``accused_evidence``, ``role_source`` (text|registry|article|none),
        ``in_quote``, ``is_quote_speaker``, ``reporting_kind``
        (assertive|hedged|""), ``harm_verb`` (the mention is an argument of
        a harassment verb), ``agency`` and ``power`` (connotation-frame
        scores of the verb from this person's side, Field et al. 2019).

    Notes
    -----
    Role patterns are described in :mod:`analysis.roles.patterns`, gender
    sources in :mod:`analysis.roles.gender`.
    ``role`` is the person's role in the article (the same on every mention
    of the person); the evidence columns say which mentions decided it.
    The agent of a passive ("harassed by X") has voice ``other`` and dep
    ``agent``; copular subjects ("X is a victim") have voice ``other``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from analysis.corpus import load
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "c.csv"
    >>> _ = p.write_text("doc_id,region,text\\n"
    ...     "a,x,Kiran Malhotra was harassed by Rohan Bhatia. Bhatia denied the allegations.\\n")
    >>> m = mentions(load(p), progress=False)                       # doctest: +SKIP
    >>> m.groupby("person").role.first().to_dict()                  # doctest: +SKIP
    {'Kiran Malhotra': 'victim', 'Rohan Bhatia': 'accused'}
    """
    from analysis import preprocess

    choose = {"all": cue_sentences, "person_and_cue": person_cue_sentences}.get(parse)
    if choose is None:
        raise ValueError(f"parse must be 'all' or 'person_and_cue', got {parse!r}")
    if tokens is None:
        tokens = preprocess.tokens(corpus, progress=progress, cache_dir=cache_dir,
                                   columns=["doc_id", "sent", "i", "text", "ws", "lemma", "pos", "ent"])
    registry = registry_people(corpus) if use_registry else {}
    verbs = verb_sets()
    lex = lexicon if lexicon is not None else load_verb_lexicon()
    lex_map = {v: (a, p) for v, a, p in zip(lex["verb"], lex["agency"], lex["power"], strict=True)}
    wanted = set(corpus.docs["doc_id"])
    docs: list[Doc] = []
    selected: list[set[int]] = []
    for doc_id, part in tokens.groupby("doc_id", sort=False):
        if doc_id not in wanted:
            continue
        d = build_doc(str(doc_id), part)
        find_people(d, registry.get(doc_id))
        docs.append(d)
        selected.append(choose(d, verbs))
    parse_selected(docs, selected, n_process, batch_size, progress)
    rows: list[dict] = []
    for d in docs:
        rows.extend(doc_rows(d, verbs, lex_map))
        d.parsed.clear()
    out = pd.DataFrame(rows, columns=[*MENTION_COLUMNS, *EXTRA_COLUMNS])
    out["sentence_id"] = out["sentence_id"].astype(int)
    out["token"] = out["token"].astype(int)
    return out

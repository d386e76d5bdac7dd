"""Helpers on spaCy dependency trees: governing verbs, clauses, passives, controllers.

Labels are those of the ClearNLP/spaCy English dependency scheme (Choi &
Palmer 2012, as used by spaCy's ``en_core_web_sm``). Lemmas are read from
the cached token table, not from the parse, so that the parse of a sentence
and the token table agree: ``offset`` is the index of the sentence's first
token in the article.

Example
-------
>>> import spacy
>>> from spacy.tokens import Doc as SpacyDoc
>>> doc = SpacyDoc(spacy.blank("en").vocab, words=["Haider", "was", "fired"], heads=[2, 2, 2],
...                deps=["nsubjpass", "auxpass", "ROOT"])
>>> is_passive(doc[2]), [t.text for t in subjects(doc[2])]
(True, ['Haider'])
"""

from __future__ import annotations

from collections.abc import Iterable

from analysis.roles.document import Doc
from analysis.roles.vocabulary import CLAUSE_DEPS, COUNTER_WORDS, FALSE_WORDS


def verb_of(tok):
    """The nearest verbal ancestor of a token (the governing verb of a noun phrase)."""
    h = tok
    for _ in range(12):
        if h.dep_ == "ROOT" or h.head is h:
            return h
        h = h.head
        if h.pos_ in ("VERB", "AUX") or h.dep_ in ("ROOT", "ccomp", "xcomp", "advcl", "relcl", "conj") \
                and h.pos_ not in ("NOUN", "PROPN", "PRON"):
            return h
    return h


def local(tok) -> list:
    """Tokens of tok's own clause/phrase (its subtree minus embedded clauses)."""
    out = [tok]
    for c in tok.children:
        if c.dep_ in CLAUSE_DEPS and c.dep_ != "xcomp":
            continue
        out.extend(local(c))
    return out


def headline_passive(verb) -> bool:
    """A reduced passive in headline style ("Placido Domingo accused of sexual harassment", "X
    arrested in Lahore"), which the parser reads as an active verb with ``nsubj``: an -ed form with
    a subject and no auxiliary, object, clausal complement or conjunct (which could carry a shared
    object: "he groped and kissed her"). Only meaningful for verbs that always take an object in the
    active (the caller checks the verb class).

    The fine-grained tag (VBN) is not available: parse units are built from the token table's
    universal POS tags.
    """
    nxt = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    # the next word must not start the object the parser hung elsewhere ("X accused music producer Y
    # of ...": 'accused' read as a modifier of Y): a preposition, punctuation or the end
    return verb.lower_.endswith("ed") and (nxt is None or nxt.pos_ in ("ADP", "PUNCT")) \
        and any(c.dep_ == "nsubj" for c in verb.children) and not any(
            c.dep_ in ("aux", "auxpass", "dobj", "dative", "attr", "ccomp", "xcomp", "oprd", "conj")
            for c in verb.children)


def is_passive(verb) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass", "csubjpass") for c in verb.children)


def subjects(verb) -> list:
    return [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "csubj", "csubjpass")]


def intervening_subject(verb, v):
    """A verb between ``verb`` and its conjunct/complement ``v`` that has its own subject.

    The small parser often attaches the second verb of an embedded clause to the
    main verb ("Qadir said that Mehmood called her ... and touched her": 'touched'
    hangs on 'said'); the nearest verb with its own subject is the better owner.
    """
    if verb.i >= v.i:
        return None
    best = None
    for t in verb.doc[verb.i + 1:v.i]:
        if t.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
            best = t
    return best


def controller(verb):
    """The understood subject of a verb: its own subject, the subject it shares through
    coordination, or the object of the verb it complements ("accused X of harassing her")."""
    v = verb
    for _ in range(6):
        subj = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj:
            return subj[0]
        if v.dep_ == "conj" and v.head is not v:
            between = intervening_subject(v.head, v)
            if between is not None:
                return next(c for c in between.children if c.dep_ in ("nsubj", "nsubjpass"))
            v = v.head
            continue
        if v.dep_ == "pcomp" and v.head.dep_ == "prep":
            gov = v.head.head
            if gov.pos_ in ("NOUN", "PROPN", "PRON"):
                return gov          # "accused X of harassing her" with 'of' on X
            objs = [c for c in gov.children if c.dep_ == "dobj"]
            if objs:
                return objs[0]
            v = gov
            continue
        if v.dep_ in ("xcomp", "advcl") and v.head is not v:
            gov = v.head
            objs = [c for c in gov.children if c.dep_ == "dobj"]
            if objs and v.dep_ == "xcomp":
                return objs[0]
            v = gov
            continue
        if v.dep_ == "acl" and v.head is not v:
            return v.head
        return None
    return None


def functional(tok):
    """Climb from a name head through conj/appos/compound to the token that carries the function
    (through a list of any length: "names like A, B, ..., J are exposed")."""
    h = tok
    for _ in range(40):
        if h.dep_ == "conj" and h.head.pos_ != "VERB" and h.head.dep_ not in ("ROOT",):
            h = h.head
        elif h.dep_ in ("compound", "flat") and h.head is not h:
            h = h.head
        else:
            break
    return h


def lemma(parsed_tok, d: Doc, offset: int) -> str:
    return d.lemma[offset + parsed_tok.i]


def counter_context(tokens: Iterable, d: Doc, offset: int) -> bool:
    return any(lemma(t, d, offset) in COUNTER_WORDS or t.lower_.startswith("counter")
               or t.lower_.startswith("defam") for t in tokens)


def false_context(noun, d: Doc, offset: int) -> bool:
    return any(lemma(c, d, offset) in FALSE_WORDS for c in noun.children if c.dep_ in ("amod", "compound"))


def modifiers(tok) -> list:
    """Pre- and post-modifiers of a name head, also inside its compounds
    ("harassed actress Sana Sheikh": 'harassed' modifies 'actress')."""
    out = []
    for c in tok.children:
        if c.dep_ in ("compound", "amod", "appos", "nmod", "npadvmod"):
            out.append(c)
            # the whole chain of prenominal modifiers ("embattled R&B singer X": 'embattled' hangs
            # on 'R&B', a compound of the compound 'singer')
            stack = [c] if c.dep_ == "compound" else []
            while stack:
                g = [x for x in stack.pop().children if x.dep_ in ("compound", "amod")]
                out.extend(g)
                stack.extend(x for x in g if x.dep_ == "compound")
    return out


def detached_apposition(h):
    """The object noun a name stands in apposition to when the parser hung the name on the verb
    instead ("accused her former partner, X of ...": X an adverbial modifier of 'accused' right after
    the comma that closes the object 'partner'); else None."""
    if h.dep_ != "npadvmod" or h.pos_ != "PROPN" or h.head.pos_ not in ("VERB", "AUX"):
        return None
    j = h.left_edge.i - 1
    if j < 1 or h.doc[j].text != ",":
        return None
    prev = h.doc[j - 1]
    return prev if prev.dep_ in ("dobj", "nsubjpass") and prev.head.i == h.head.i and prev.pos_ == "NOUN" else None


def named_as(h):
    """The noun a name was given for in a participle phrase ("a second man, identified as X, filed
    a lawsuit": X is the man; also "named as X"); else None."""
    if h.dep_ != "pobj" or h.head.lower_ != "as" or h.head.head is h.head:
        return None
    verb = h.head.head
    if verb.lemma_ not in ("identify", "name") or verb.dep_ != "acl" or verb.head.pos_ not in ("NOUN", "PRON"):
        return None
    return verb.head

"""Role evidence from nouns around a name: "allegations against X", "X's accuser", "the X allegations".

The noun-phrase half of the role rules (:mod:`analysis.roles.patterns` has
the verbs and clauses and calls these):

==========================================  ======================
pattern                                     evidence
==========================================  ======================
"allegations against X", "X's accuser"      X accused
"X's allegations", "allegations by X"       X victim
"the testimony / revelations of X"          X victim
"the victims / accusers of X"               X accused
"the X allegations", "the X accusers"       X accused
"one of the victims was X"                  X victim
"X's lawyer denied the allegations"         X accused
==========================================  ======================

Example
-------
>>> "testimony" in _SCANDAL, "scandal" in _SCANDAL
(False, True)
"""

from __future__ import annotations

from analysis.roles.document import Mention
from analysis.roles.evidence import MEDIUM, STRONG, WEAK, Ctx, as_object, is_harm, role_noun
from analysis.roles.syntax import (
    counter_context,
    false_context,
    is_passive,
    local,
    subjects,
    verb_of,
)
from analysis.roles.vocabulary import (
    ACCUSED_NOUNS,
    ACCUSER_NOUNS,
    ALLEGATION_NOUNS,
    COUNTER_WORDS,
    FALSE_WORDS,
    HARM_NOUNS,
    LIGHT_NOUNS,
    OBJECT_DEPS,
    PROXY_NOUNS,
    VICTIM_NOUNS,
)

#: Allegation nouns whose "of X" is the person who makes the allegation ("the testimony of X");
#: "the case / charges / report / story of X" can be about the accused.
_OWN_ACCOUNT = ALLEGATION_NOUNS - {"case", "charge", "report", "story", "statement", "account", "suit", "lawsuit",
                                   "petition", "fir"}


#: Allegation nouns that are also the news itself: "reports by X" and "a story by X" name the outlet
#: or the reporter, not the accuser.
_NEWS_NOUNS = frozenset({"report", "story"})


def noun_prep_object(c: Ctx, m: Mention, p: str, noun) -> None:
    """The preposition hangs on a noun: "allegations against X", "harassment by X"."""
    lem, ev = c.lem(noun), m.evidence
    m.verb = c.lem(verb_of(noun))
    if p == "against" and (lem in ALLEGATION_NOUNS or lem in HARM_NOUNS or lem in COUNTER_WORDS
                           or lem in ("notice", "action", "proceeding", "protest", "outrage")):
        if false_context(noun, c.d, c.offset) or counter_context(local(noun), c.d, c.offset):
            # "false claims against X": no side; "a defamation suit against X": its filer is the
            # accused (the verb rule), but the people sued are accusers, their supporters or the press
            pass
        else:
            ev.append(("accused", STRONG, f"against:{lem}"))
    elif p == "of" and lem in _OWN_ACCOUNT and any(ch.dep_ == "poss" for ch in noun.children) \
            and not counter_context(local(noun), c.d, c.offset):
        # "Dutta's accusations of Patekar", "her allegations of X": the teller owns the noun, so the
        # object of "of" is the accused (round 10c)
        ev.append(("accused", MEDIUM, f"of:{lem}:owned"))
    elif (p in ("by", "from") and lem in ALLEGATION_NOUNS and lem not in _NEWS_NOUNS) \
            or (p == "of" and lem in _OWN_ACCOUNT):
        # "the testimonies of X": of + the teller, as in "X's testimony"
        if not counter_context(local(noun), c.d, c.offset):
            ev.append(("victim", MEDIUM, f"{p}:{lem}"))
    elif p in ("by", "from") and lem in LIGHT_NOUNS:
        ev.append(("accused", STRONG, f"{p}:{lem}"))
    elif p == "of" and lem in ACCUSER_NOUNS | ACCUSED_NOUNS and noun.pos_ in ("NOUN", "PROPN"):
        # "the victims / accusers of X": X accused, like "X's victims"; "the abuser of X": X victim
        ev.append(("accused" if lem in ACCUSER_NOUNS else "victim", MEDIUM, f"of:{lem}"))
    elif p in ("of", "on", "towards", "toward", "against") and lem in HARM_NOUNS | {"advance"}:
        ev.append(("victim", STRONG, f"{p}:{lem}"))
    elif p == "of" and lem in ("hand", "hands") and noun.head.lower_ == "at":
        ev.append(("accused", STRONG, "at_the_hands_of"))
    elif p in ("of", "for", "with", "behind") and lem in ("support", "solidarity"):
        ev.append(("victim", WEAK, f"{p}:{lem}"))


def possessor(c: Ctx, m: Mention, noun) -> None:
    """The mention is a possessor: "X's accuser", "X's allegations", "groped her waist"."""
    lem, ev = c.lem(noun), m.evidence
    m.verb = c.lem(verb_of(noun))
    # "groped her waist", "grabbed his groin": the possessor is on the receiving end
    gov = noun.head if noun.dep_ in OBJECT_DEPS else (
        noun.head.head if noun.dep_ == "pobj" and noun.head.head.pos_ in ("VERB", "AUX") else None)
    if gov is not None and gov.pos_ in ("VERB", "AUX") and is_harm(c, gov) and not is_passive(gov):
        m.harm_verb = True
        as_object(c, m, gov)
        ev.append(("victim", MEDIUM, f"poss_object:{c.lem(gov)}"))
    elif lem in ACCUSER_NOUNS:
        ev.append(("accused", STRONG, f"poss:{lem}"))
    elif lem in ACCUSED_NOUNS:
        ev.append(("victim", STRONG, f"poss:{lem}"))
    elif lem in ALLEGATION_NOUNS and lem not in ("case", "statement", "account", "report"):
        if not counter_context(local(noun), c.d, c.offset) and not false_context(noun, c.d, c.offset):
            ev.append(("victim", MEDIUM, f"poss:{lem}"))
    elif lem in ("advance", "misconduct", "behaviour", "behavior", "conduct"):
        ev.append(("accused", MEDIUM, f"poss:{lem}"))
    elif lem in ("ordeal", "trauma"):
        ev.append(("victim", WEAK, f"poss:{lem}"))
    elif lem in _COUNSEL and noun.dep_ == "nsubj" and _denies(c, noun.head):
        ev.append(("accused", MEDIUM, f"poss:{lem}:deny"))    # "X's lawyer denied the allegations"


#: People who speak for the possessor ("X's lawyer"); judges do not.
_COUNSEL = PROXY_NOUNS - {"judge", "justice", "magistrate"}


def _denies(c: Ctx, verb) -> bool:
    """The verb denies the allegations: a denial verb with no object or an allegation as object
    ("denied the allegations"), or an allegation called false ("called the claims baseless")."""
    objs = [ch for ch in verb.children if ch.dep_ in OBJECT_DEPS]
    alleged = [o for o in objs if c.lem(o) in ALLEGATION_NOUNS or c.lem(o) in HARM_NOUNS]
    if c.lem(verb) in c.verbs["deny"]:
        return not objs or bool(alleged)
    preds = [ch for ch in verb.children if ch.dep_ in ("oprd", "acomp", "xcomp")]
    preds += [x for p in preds for x in p.conjuncts]
    return bool(alleged) and any(c.lem(p) in FALSE_WORDS for p in preds)


#: Nouns a name can modify to mean the allegations against that person ("the Weinstein scandal").
_SCANDAL = (ALLEGATION_NOUNS - {"case", "statement", "account", "report", "story", "testimony"}) | HARM_NOUNS \
    | {"scandal", "controversy"}


def name_modifier(c: Ctx, m: Mention, tok) -> None:
    """A name used as a modifier of a common noun: "the Weinstein allegations", "the Cosby
    accusers" (X accused).

    Such a mention is marked ``modifier`` (it is no antecedent for a later
    he/she: the noun, not the person, is what the sentence is about).
    """
    if tok.dep_ not in ("compound", "amod", "nmod") or tok.head.pos_ != "NOUN":
        return
    m.modifier = True
    lem = c.lem(tok.head)
    if lem in _SCANDAL or lem in VICTIM_NOUNS or lem in ACCUSER_NOUNS:
        m.evidence.append(("accused", MEDIUM, f"compound:{lem}"))


def inverse_copula(c: Ctx, m: Mention, h) -> None:
    """"One of the victims was X", "Among the accused is X": the name is the predicate of a
    subject that names a role."""
    if h.dep_ != "attr" or c.lem(h.head) != "be":
        return
    for s in subjects(h.head):
        nouns = [s] + [o for p in s.children if p.lower_ in ("of", "among") for o in p.children if o.dep_ == "pobj"]
        for n in nouns:
            if role_noun(c.lem(n), "copula_subject", m.evidence):
                return

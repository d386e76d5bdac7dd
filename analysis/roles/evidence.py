"""What every role rule shares: evidence weights, the sentence context, harassment verbs, role nouns.

:mod:`analysis.roles.patterns` (verbs and clauses) and
:mod:`analysis.roles.nominal` (nouns: "allegations against X", "X's
accuser") add ``(role, weight, pattern)`` to a mention's evidence with
these helpers.

Example
-------
>>> ev = []
>>> role_noun("victim", "appos", ev), ev
(True, [('victim', 2.0, 'appos:victim')])
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.roles.document import Doc, Mention
from analysis.roles.syntax import controller
from analysis.roles.vocabulary import (
    ACCUSED_NOUNS,
    ALLEGATION_NOUNS,
    EXIT_VERBS,
    LIGHT_NOUNS,
    LIGHT_VERBS,
    OBJECT_DEPS,
    PROXY_NOUNS,
    SUE_VERBS,
    VICTIM_NOUNS,
)

#: Evidence weights (strong: harm/accuse patterns; medium: legal action, denials; weak: coming
#: forward; relational: object of an action of the accused).
STRONG, MEDIUM, WEAK, RELATIONAL = 2.0, 1.5, 0.5, 0.75
#: Evidence that a person only speaks for someone else (lawyer, spokesperson): never victim/accused.
PROXY = 10.0


def metoo_article(d: Doc) -> bool:
    """The article mentions #MeToo (or "Me Too"): naming people there is naming the accused."""
    low = [t.lower() for t in d.text]
    return "metoo" in low or any(a == "me" and b == "too" for a, b in zip(low, low[1:], strict=False))


@dataclass(frozen=True)
class Ctx:
    """One parsed sentence of an article: the article, the sentence's first token, the verb classes."""

    d: Doc
    offset: int
    verbs: dict

    def lem(self, t) -> str:
        """The lemma of parsed token ``t`` from the token table."""
        return self.d.lemma[self.offset + t.i]


def is_harm(c: Ctx, verb) -> bool:
    """A harassment verb ("groped"), or a light verb with a harassment noun ("made advances")."""
    lem = c.lem(verb)
    if lem in c.verbs["harm"]:
        # "Fairbanks was forced to step down" is not harassment of Fairbanks
        return not any(ch.dep_ == "xcomp" and c.lem(ch) in EXIT_VERBS for ch in verb.children)
    if lem in LIGHT_VERBS:
        for ch in verb.children:
            if ch.dep_ in OBJECT_DEPS and c.lem(ch) in LIGHT_NOUNS:
                return True
            if ch.dep_ == "prep" and any(c.lem(g) in LIGHT_NOUNS for g in ch.children if g.dep_ == "pobj"):
                return True
    return False


def role_noun(lem: str, dep: str, ev: list) -> bool:
    """Evidence from a role noun attached to the name ("victim X", "X, the accused")."""
    if lem in VICTIM_NOUNS:
        ev.append(("victim", STRONG, f"{dep}:{lem}"))
    elif lem in ACCUSED_NOUNS:
        ev.append(("accused", STRONG, f"{dep}:{lem}"))
    elif lem in PROXY_NOUNS:
        ev.append(("other", PROXY, f"{dep}:{lem}"))
    else:
        return False
    return True


def as_object(c: Ctx, m: Mention, verb) -> None:
    """Mark the mention as the object of ``verb`` and record the verb's understood subject."""
    m.voice, m.verb, m.agent_role = "object", c.lem(verb), "theme"
    ctrl = controller(verb)
    m.ctrl = ctrl.i + c.offset if ctrl is not None else None


def filed_things(c: Ctx, verb) -> list[str]:
    """What was filed: the objects, and for "a lawsuit filed by X" / "a complaint was filed by X" the
    noun the participle hangs on or the passive subject ("one, filed by X": 'one' of the suits
    named just before), as lemmas ("suit" for such a 'one')."""
    objs = [ch for ch in verb.children if ch.dep_ in OBJECT_DEPS]
    if verb.dep_ == "acl":
        objs.append(verb.head)
    objs += [ch for ch in verb.children if ch.dep_ == "nsubjpass"]
    out = []
    for o in objs:
        if c.lem(o) in ("one", "another"):
            a = c.offset + o.i
            if not any(lem in ALLEGATION_NOUNS or lem in SUE_VERBS for lem in c.d.lemma[max(0, a - 40):a]):
                continue
            out.append("suit")
        else:
            out.append(c.lem(o))
    return out

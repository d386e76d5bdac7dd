"""Role evidence from the dependency parse around one mention of a person.

Each rule adds ``(role, weight, pattern)`` to the mention's evidence; the
roles module sums the evidence of all mentions of a person in the article.
The patterns (active and passive) are:

==========================================  ======================
pattern                                     evidence
==========================================  ======================
"X harassed Y", "Y was harassed by X"       X accused, Y victim
"Y accused X of ...", "X was accused by Y"  Y victim, X accused
"allegations against X", "X's accuser"      X accused
"X's allegations", "allegations by X"       X victim
"X denied the allegations"                  X accused
"X sued Y for harassment"                   X victim, Y accused
"X filed a defamation suit against Y"       X accused, Y victim
"victim X", "X, the complainant"            X victim
"disgraced / convicted producer X"          X accused
"X was arrested / convicted / acquitted"    X accused
"the X allegations", "the X accusers"       X accused
"one of the victims was X"                  X victim
"women including X accused Y"               X victim (the list
                                            shares the phrase's role)
"X was sacked for groping Y"                X accused, Y victim
"X was named in the lawsuit"                X accused
"people within his circle, including X"     X takes the role of
                                            'people'
"a man, identified as X, sued Y"            X takes the place of
                                            'man' (X victim)
"X filed a complaint accusing Y of ..."     X victim, Y accused
"a lawsuit filed by X"                      X victim
"X, a cleric arrested for abusing Y"        X accused
==========================================  ======================

The harassment (``act``), accusation (``accuse``) and denial verbs are the
rows of ``harassment_verbs.csv`` (plus ``reporting_verbs.csv`` denials);
legal action, filing and coming-forward verbs refine the reading of some of
them (:mod:`analysis.roles.vocabulary`). Person-centred roles follow Field,
Bhat & Tsvetkov (2019); the agent/theme split of the connotation frames is
Sap et al. (2017).

Example
-------
>>> STRONG > MEDIUM > RELATIONAL > WEAK
True
"""

from __future__ import annotations

from analysis.roles.document import Doc, Mention
from analysis.roles.evidence import (  # noqa: F401  (re-exported)
    MEDIUM,
    PROXY,
    RELATIONAL,
    STRONG,
    WEAK,
    Ctx,
    as_object,
    filed_things,
    is_harm,
    metoo_article,
    role_noun,
)
from analysis.roles.nominal import inverse_copula, name_modifier, noun_prep_object, possessor
from analysis.roles.syntax import (
    controller,
    counter_context,
    detached_apposition,
    false_context,
    functional,
    headline_passive,
    intervening_subject,
    is_passive,
    local,
    modifiers,
    named_as,
    subjects,
    verb_of,
)
from analysis.roles.vocabulary import (
    ACCUSED_NOUNS,
    ALLEGATION_NOUNS,
    ARREST_VERBS,
    DISCLOSE_VERBS,
    FACE_VERBS,
    FILE_VERBS,
    HARM_NOUNS,
    HIT_VERBS,
    LIST_WORDS,
    OBJECT_DEPS,
    PASSIVE_SUBJECT_DEPS,
    PROXY_NOUNS,
    SMEAR_NOUNS,
    STIGMA_WORDS,
    SUBJECT_DEPS,
    SUE_VERBS,
    VICTIM_NOUNS,
)

#: Evidence weights (strong: harm/accuse patterns; medium: legal action, denials; weak: coming
#: forward; relational: object of an action of the accused).
#: Objects of a denial that make it a denial of the allegations.
_DENIED = ALLEGATION_NOUNS | HARM_NOUNS | {"it", "this", "that", "them", "wrongdoing", "everything", "all",
                                           "any", "charge", "involvement", "finding", "report", "verdict"}
#: Nouns whose harm words are somebody else's allegation ("spoke about the allegations of abuse").
_ALLEGED = frozenset({"allegation", "accusation", "charge", "claim"})
#: Objects of "accused X of ..." that turn the accusation around ("accused her of lying").
_REVERSING = ("lie", "lying", "fabricate", "fabrication", "publicity", "extortion", "blackmail")


def modifier_evidence(c: Ctx, tok, ev: list) -> None:
    """Modifiers of the name: "victim X", "the accused X", "harassed actress X", "lawyer X"."""
    for ch in modifiers(tok):
        lem = c.lem(ch)
        if lem in VICTIM_NOUNS or lem in ACCUSED_NOUNS or lem in PROXY_NOUNS:
            role_noun(lem, ch.dep_, ev)
        elif lem == "accuse" and ch.dep_ in ("amod", "compound"):
            ev.append(("accused", STRONG, f"{ch.dep_}:{lem}"))
        elif ch.dep_ == "amod" and lem in c.verbs["harm"]:
            ev.append(("victim", MEDIUM, f"amod:{lem}"))
        elif ch.dep_ in ("amod", "compound") and (lem in ARREST_VERBS or lem in STIGMA_WORDS):
            # "convicted producer X", "disgraced mogul X": an accused, often of another case
            ev.append(("accused", MEDIUM, f"{ch.dep_}:{lem}"))
        if ch.dep_ == "appos" and ch.pos_ == "NOUN":
            _appositive_participles(c, ch, ev)


def _appositive_participles(c: Ctx, noun, ev: list) -> None:
    """"X, a cleric arrested for abusing a student", "X, a producer accused of groping": the
    participle on the name's appositive noun is said of X (past participle: X its theme)."""
    proxy = Mention(None, 0, 0, 0, "list", noun.text)
    for v in noun.children:
        if v.dep_ == "acl" and v.pos_ == "VERB" and not subjects(v):
            for u, pas in _shared_verbs(v, not v.lower_.endswith("ing")):
                verb_evidence(c, proxy, u, "theme" if pas else "agent")
    ev.extend((r, w, f"appos_acl:{pt}") for r, w, pt in proxy.evidence if r != "other")


def apposition(c: Ctx, h, ev: list):
    """"Haider's accuser, Hina Baloch, said": evidence from 'accuser'; returns the functional head.

    A list of names that the parser strung together as appositions and conjuncts in turn
    ("A, B, C, D, are among ...": D an apposition of C, C a conjunct of B, B an apposition of A)
    is climbed to its top, up to four appositions.
    """
    if (obj := detached_apposition(h)) is not None:
        return obj
    if (noun := named_as(h)) is not None:
        role_noun(c.lem(noun), "appos", ev)
        return functional(noun)
    for step in range(4):
        if h.dep_ != "appos" or h.head.i == h.i:
            break
        noun = h.head
        if step > 0 and noun.pos_ != "PROPN":
            break           # past the first name only names are climbed ("counsel, A, B": not B's title)
        role_noun(c.lem(noun), "appos", ev)
        if noun.pos_ not in ("NOUN", "PROPN", "PRON"):
            break
        h = functional(noun)
        if noun.pos_ != "PROPN":
            break
    return h


def _named_in_allegation(c: Ctx, verb) -> bool:
    """"X was named in the lawsuit", "the complaint names X": an allegation or filing names X."""
    docs = [o for p in verb.children if p.dep_ == "prep" and p.lower_ == "in" for o in p.children
            if o.dep_ == "pobj"]
    if not is_passive(verb):
        docs += subjects(verb)
    return any(c.lem(t) in ALLEGATION_NOUNS for t in docs)


def _accusation(c: Ctx, verb, role_as: str, counter: bool, ev: list) -> bool:
    """"Y accused X of ...": Y victim, X accused; reversed for lies and defamation. False: no reading."""
    lem, harm, loc = c.lem(verb), c.verbs["harm"], local(verb)
    named_in = role_as == "theme" and _named_in_allegation(c, verb)
    if lem == "name" and not any(c.lem(t) in HARM_NOUNS | ACCUSED_NOUNS | harm for t in loc) \
            and not (role_as == "theme" and is_passive(verb) and metoo_article(c.d)) and not named_in:
        # "X has been named" counts in #MeToo coverage, "X was named in the lawsuit" anywhere;
        # elsewhere naming needs a harm word
        return False
    if lem == "charge" and not any(c.lem(t) in HARM_NOUNS | harm for t in verb.subtree):
        return False
    of = [t for t in verb.subtree if t.dep_ in ("pobj", "pcomp") and t.head.lower_ == "of"]
    reverse = counter or any(c.lem(t) in _REVERSING and not any(c.lem(x) in harm - {"blackmail"} for x in of)
                             for t in of)
    if role_as == "agent":
        ev.append(("accused" if reverse else "victim", STRONG, f"accuse:{lem}:agent"))
    else:
        ev.append(("victim" if reverse else "accused", STRONG, f"accuse:{lem}:theme"))
    return True


def _legal_action(lem: str, role_as: str, counter: bool, ev: list) -> None:
    """"X sued Y": X victim, Y accused; reversed for defamation and counter-suits."""
    rev = counter or lem == "countersue"
    r_agent, r_theme = ("accused", "victim") if rev else ("victim", "accused")
    ev.append((r_agent if role_as == "agent" else r_theme, MEDIUM,
               f"sue:{lem}:{role_as}" + (":counter" if rev else "")))


def _filing(c: Ctx, verb, counter: bool, ev: list) -> None:
    """"X filed a complaint", "a lawsuit filed by X": X victim; "X filed a defamation suit": X accused."""
    lem = c.lem(verb)
    if any(o in ALLEGATION_NOUNS or o in ("notice", "fir") for o in filed_things(c, verb)):
        ev.append(("accused" if counter else "victim", MEDIUM, f"file:{lem}:counter" if counter else f"file:{lem}"))


def _denial(c: Ctx, verb, ev: list) -> bool:
    """"X denied the allegations": X accused. False: a verb like 'fight' with no object (no reading)."""
    lem = c.lem(verb)
    objs = [ch for ch in verb.children if ch.dep_ in OBJECT_DEPS]
    if lem in ("apologise", "apologize"):
        ev.append(("accused", WEAK, f"deny:{lem}"))
    elif lem in ("fight", "contest", "dispute", "dismiss", "counter") and not objs:
        return False
    elif not objs or any(c.lem(o) in _DENIED or c.lem(o) in c.verbs["harm"] for o in objs):
        ev.append(("accused", MEDIUM, f"deny:{lem}"))
    return True


def _under_allegation(c: Ctx, tok) -> bool:
    """"spoke about the allegations of harassment": the harm word belongs to an allegation."""
    h = tok
    for _ in range(3):
        if h.head is h:
            return False
        h = h.head
        if c.lem(h) in _ALLEGED:
            return True
    return False


def _facing(c: Ctx, verb, ev: list) -> None:
    """"X faces allegations": X accused; "X faced harassment / the casting couch": X victim."""
    objs = [t for t in local(verb) if t.dep_ in OBJECT_DEPS or t.dep_ == "pobj"]
    if any(c.lem(o) in ALLEGATION_NOUNS or c.lem(o) in ACCUSED_NOUNS for o in objs):
        ev.append(("accused", MEDIUM, f"face:{c.lem(verb)}:allegation"))
    elif any(c.lem(o) in HARM_NOUNS for o in objs):
        ev.append(("victim", MEDIUM, f"face:{c.lem(verb)}:harm"))


def _hit_by_allegations(c: Ctx, verb, ev: list) -> None:
    """"Allegations hit X", "X was embroiled in allegations": X (the theme) is the accused."""
    args = [t for t in local(verb) if t.dep_ in ("nsubj", "pobj", "agent")]
    if any(c.lem(t) in ALLEGATION_NOUNS or c.lem(t) in HARM_NOUNS for t in args):
        ev.append(("accused", MEDIUM, f"hit:{c.lem(verb)}"))


def _coming_forward(c: Ctx, verb, counter: bool, ev: list) -> None:
    """"X alleged / spoke about harassment": weak evidence that X is the accuser."""
    lem, harm = c.lem(verb), c.verbs["harm"]
    objs = [t for t in local(verb) if t.dep_ in OBJECT_DEPS]
    sub = [t for t in verb.subtree if (c.lem(t) in harm or c.lem(t) in HARM_NOUNS or c.lem(t) == "metoo")
           and not _under_allegation(c, t)]
    if counter or any(c.lem(o) in SMEAR_NOUNS for o in objs):
        ev.append(("accused", WEAK, f"disclose:{lem}:counter"))
    elif lem in ("allege", "complain", "testify", "report"):
        ev.append(("victim", 1.0 if sub else WEAK, f"disclose:{lem}"))
    elif sub:
        ev.append(("victim", 1.0, f"disclose:{lem}"))
    elif any(c.lem(o) in ("story", "tale", "experience") for o in objs) and metoo_article(c.d):
        ev.append(("victim", WEAK, f"disclose:{lem}:story"))     # "X too shared her story" (#MeToo)


def _verb_class_evidence(c: Ctx, m: Mention, verb, role_as: str) -> bool:
    """Evidence from the class of the verb; False when a rule decides the verb says nothing."""
    lem, ev = c.lem(verb), m.evidence
    counter = counter_context(local(verb), c.d, c.offset)
    if is_harm(c, verb) and role_as == "theme" and any(c.lem(t) in SMEAR_NOUNS for t in local(verb)):
        ev.append(("accused", MEDIUM, f"harm:{lem}:smear"))      # "targeted by a smear campaign"
    elif is_harm(c, verb):
        m.harm_verb = True
        ev.append(("accused" if role_as == "agent" else "victim", STRONG, f"harm:{lem}:{role_as}"))
    elif lem in ARREST_VERBS:
        if role_as == "theme":
            ev.append(("accused", MEDIUM, f"arrest:{lem}"))
    elif lem in SUE_VERBS:
        _legal_action(lem, role_as, counter, ev)
    elif lem in FILE_VERBS:
        if role_as == "agent":
            _filing(c, verb, counter, ev)
    elif lem in c.verbs["deny"]:
        if role_as == "agent":
            return _denial(c, verb, ev)
    elif lem in FACE_VERBS:
        if role_as == "agent":
            _facing(c, verb, ev)
    elif lem in HIT_VERBS:
        if role_as == "theme":
            _hit_by_allegations(c, verb, ev)
    elif lem in DISCLOSE_VERBS:
        if role_as == "agent":
            _coming_forward(c, verb, counter, ev)
        elif lem == "allege" and any(p.lower_ == "of" and verb in (p.head, p.head.head) for p in local(verb)):
            ev.append(("accused", STRONG, "allege_of:theme"))     # "X alleges Y of harassment"
    elif lem in c.verbs["accuse"]:
        return _accusation(c, verb, role_as, counter, ev)
    return True


def _passive_clause(c: Ctx, m: Mention, verb) -> None:
    """"X opened up about being harassed": a passive harassment verb with no subject under X's verb."""
    for t in verb.subtree:
        if t is verb or not is_harm(c, t) or subjects(t) or not is_passive(t):
            continue
        anc, ok = t, False
        for _ in range(4):
            anc = anc.head
            if anc is verb:
                ok = True
                break
            if subjects(anc) or anc.dep_ in ("relcl", "ccomp"):
                break
        if ok:
            m.evidence.append(("victim", MEDIUM, f"passive_clause:{c.lem(t)}"))
            m.harm_verb = True
            break


def verb_evidence(c: Ctx, m: Mention, verb, role_as: str) -> None:
    """Evidence from the verb when the mention is its agent or theme."""
    if not _verb_class_evidence(c, m, verb, role_as):
        return
    if any(t.lower_ == "guilty" for t in local(verb)) and (role_as == "theme" or c.lem(verb) == "be"):
        m.evidence.append(("accused", STRONG, "guilty"))
    if role_as == "agent":
        _passive_clause(c, m, verb)


def _copula(c: Ctx, m: Mention, verb) -> None:
    """"X is a victim (of ...)", "X was found guilty": evidence from the predicate."""
    m.voice = "other"
    for ch in verb.children:
        if ch.dep_ not in ("attr", "acomp"):
            continue
        lem = c.lem(ch)
        of_obj = [o for p in ch.children if p.lower_ == "of" for o in p.children if o.dep_ == "pobj"]
        if lem in VICTIM_NOUNS and any(c.lem(a) in ("real", "actual", "true") for a in ch.children):
            m.evidence.append(("accused", 1.0, "copula:real_victim"))     # "X claims he is the real victim"
        elif lem in VICTIM_NOUNS:
            if of_obj and any(c.lem(o) in SMEAR_NOUNS or counter_context([o], c.d, c.offset)
                              or false_context(o, c.d, c.offset) for o in of_obj):
                m.evidence.append(("accused", 1.0, "copula:victim_of_smear"))
            else:
                m.evidence.append(("victim", STRONG, f"copula:{lem}"))
        elif lem in ACCUSED_NOUNS or lem == "guilty":
            m.evidence.append(("accused", STRONG, f"copula:{lem}"))
    _predicate_relative(c, m, verb)


def _predicate_relative(c: Ctx, m: Mention, verb) -> None:
    """"X is one of the men who were accused of ...", "X was among the women who sued Y": the
    subject of the copula shares the role of the relative clause on its predicate noun, where
    the relative pronoun is the clause's subject (or of an -ing participle on it)."""
    nouns = [ch for ch in verb.children if ch.dep_ == "attr"]
    nouns += [o for p in verb.children if p.dep_ == "prep" and p.lower_ == "among" for o in p.children
              if o.dep_ == "pobj"]
    nouns += [o for n in list(nouns) for p in n.children if p.lower_ in ("of", "among") for o in p.children
              if o.dep_ == "pobj"]
    for n in nouns:
        for rel in (ch for ch in n.children if ch.dep_ in ("relcl", "acl") and ch.pos_ in ("VERB", "AUX")):
            # "X is another actress coming forward about ...": the noun is the participle's subject
            subj = ([n] if rel.lower_.endswith("ing") and not subjects(rel) else []) if rel.dep_ == "acl" else \
                [t for t in subjects(rel) if t.tag_ in ("WP", "WDT") or t.lower_ in ("who", "that")]
            if not subj:
                continue
            passive = subj[0].dep_ == "nsubjpass" or (rel.dep_ == "relcl" and is_passive(rel))
            proxy = Mention(None, m.sent, m.start, m.end, "relative", subj[0].text)
            for v, pas in _shared_verbs(rel, passive):
                verb_evidence(c, proxy, v, "theme" if pas else "agent")
            m.evidence.extend((r, w, f"predicate_relative:{pt}") for r, w, pt in proxy.evidence if r != "other")
            m.harm_verb = m.harm_verb or proxy.harm_verb


def _shared_verbs(verb, passive: bool) -> list[tuple[object, bool]]:
    """The verb and the verbs sharing its subject: conjuncts ("X groped her and sent ..."),
    open complements ("X refused to apologise", "X went to the FIA alleging that ...") and
    gerunds after for/after ("X was arrested for raping ...")."""
    todo = [(verb, passive)]
    stack = [ch for ch in verb.children if ch.dep_ in ("conj", "xcomp", "advcl")]
    # "X was arrested for raping Y", "X was sacked after groping Y": a gerund under for/after
    stack += [g for p in verb.children if p.dep_ == "prep" and p.lower_ in ("for", "after")
              for g in p.children if g.dep_ == "pcomp"]
    # "X filed a complaint accusing Y of ...": the participle on the filed document is X's
    stack += [a for o in verb.children if o.dep_ == "dobj" and o.lemma_ in ALLEGATION_NOUNS
              for a in o.children if a.dep_ == "acl" and a.lower_.endswith("ing")]
    while stack:
        v = stack.pop()
        if v.pos_ not in ("VERB", "AUX") or subjects(v) or intervening_subject(verb, v) is not None:
            continue
        if v.dep_ == "advcl" and any(ch.dep_ == "mark" for ch in v.children):
            continue
        # "X was harassed, blackmailed and bullied": a bare conjunct shares the passive, also a bare
        # participle the parser hung on as an adverbial clause ("X was kidnapped, raped, ...")
        bare = (v.dep_ == "conj" or (v.dep_ == "advcl" and not v.lower_.endswith("ing"))) \
            and not any(ch.dep_ in ("aux", "auxpass") for ch in v.children)
        todo.append((v, is_passive(v) or (passive and bare)))
        stack.extend(ch for ch in v.children if ch.dep_ in ("conj", "xcomp"))
    return todo


def _subject(c: Ctx, m: Mention, verb, passive: bool) -> None:
    """The mention is the (passive) subject of ``verb``."""
    m.verb = c.lem(verb)
    if c.lem(verb) == "be" or verb.pos_ == "AUX":
        _copula(c, m, verb)
        return
    m.voice = "passive_subject" if passive else "active_subject"
    m.agent_role = "theme" if passive else "agent"
    for v, pas in _shared_verbs(verb, passive):
        verb_evidence(c, m, v, "theme" if pas else "agent")
    if not passive:
        if m.verb in c.verbs["hedged"]:
            m.reporting_kind = "hedged"
        elif m.verb in c.verbs["assertive"]:
            m.reporting_kind = "assertive"


def _verb_prep_object(c: Ctx, m: Mention, p: str, gov) -> None:
    """"harassed by X" (agent), "made advances towards X", "complaint filed against X"."""
    lem = c.lem(gov)
    as_object(c, m, gov)
    if p == "with" and not is_harm(c, gov):
        m.ctrl = None       # "X signed with Y", "X worked with Y": a partner, not on the receiving end
    if p in ("with", "towards", "toward", "on", "at", "to", "against") and is_harm(c, gov):
        m.harm_verb = True
        m.evidence.append(("victim", STRONG, f"harm:{lem}:{p}"))
    elif p == "against":
        owner_noun = gov.head if gov.dep_ in ("acl", "relcl") else None
        if owner_noun is not None and false_context(owner_noun, c.d, c.offset):
            return          # "false claims made against him": no evidence either way
        if counter_context(local(gov), c.d, c.offset):
            return          # "filed a defamation suit against X": X may be an accuser, a supporter or the press
        m.evidence.append(("accused", MEDIUM, f"against:{lem}"))


def _prep_object(c: Ctx, m: Mention, prep) -> None:
    """The mention is the object of a preposition."""
    p, gov = prep.lower_, prep.head
    if prep.dep_ == "agent" or (p == "by" and gov.pos_ in ("VERB", "AUX") and is_passive(gov)):
        m.dep, m.voice, m.verb, m.agent_role = "agent", "other", c.lem(gov), "agent"
        verb_evidence(c, m, gov, "agent")
    elif gov.pos_ in ("VERB", "AUX"):
        _verb_prep_object(c, m, p, gov)
    else:
        noun_prep_object(c, m, p, gov)


#: Nouns that never head a list of people ("charges of assault and rape, including X").
_ABSTRACT = ALLEGATION_NOUNS | HARM_NOUNS


def list_head(h):
    """The phrase a list of names hangs on: "actresses including X", "stars such as X", "men like X".

    Returns the noun (or the subject of the verb) the list word attaches to,
    or None when ``h`` is not in such a list.
    """
    if h.dep_ != "pobj" or h.head is h:
        return None
    prep = h.head
    word = prep.lower_
    if word == "as" and prep.i > 0 and prep.doc[prep.i - 1].lower_ in LIST_WORDS:
        word = "such"
    if word not in LIST_WORDS or word == "include":
        return None
    gov = prep.head
    if gov.pos_ == "VERB" and gov.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS | OBJECT_DEPS:
        return gov          # a noun the tagger took for a verb ("Noted artistes like X have been named")
    if gov.lower_ in _ABSTRACT or gov.lemma_ in _ABSTRACT:
        # "accused X of assault and rape, including Y": the list hangs on the wrong noun;
        # it names more people of the clause's subject
        gov = verb_of(gov)
    if gov.pos_ in ("VERB", "AUX"):
        return controller(gov)
    # "names of stars like X", "a number of actresses including X": the phrase's head noun
    while gov.dep_ == "pobj" and gov.head.lower_ == "of" and gov.head.head.pos_ in ("NOUN", "PRON"):
        gov = gov.head.head
    return gov if gov.pos_ in ("NOUN", "PRON") else None


#: Prepositions of a place or group a list can hang on ("people in the industry, including X").
_PLACE_PREPS = frozenset({"within", "in", "across", "from", "at"})


def _group_of_place(head):
    """The noun a place phrase is about when a list hangs on the place: "individuals within his
    circle, including X" -> 'individuals' (the head noun of the phrase, or the object of the verb
    the parser hung the phrase on); None otherwise."""
    if head.dep_ != "pobj" or head.head.lower_ not in _PLACE_PREPS or head.head.head is head.head:
        return None
    gov = head.head.head
    if gov.pos_ in ("NOUN", "PRON"):
        return gov
    if gov.pos_ == "VERB":
        return next((o for o in gov.children if o.dep_ in ("dobj", "nsubjpass") and o.pos_ in ("NOUN", "PRON")
                     and o.i < head.i), None)
    return None


def _list_evidence(m: Mention, h, d: Doc, offset: int, verbs: dict, depth: int) -> None:
    """A name in a list takes the role evidence of the phrase the list belongs to
    ("women including X accused him": X is an accuser; "his victims, such as X": X victim)."""
    head = list_head(h)
    if head is None or depth > 1:
        return
    proxy = Mention(None, m.sent, head.i + offset, head.i + offset + 1, "list", head.text)
    role_noun(d.lemma[head.i + offset], "list", proxy.evidence)
    analyse_mention(proxy, head, d, offset, verbs, depth + 1)
    outer = _group_of_place(head)
    if not proxy.evidence and outer is not None:
        # "individuals within his circle, including X": the list names members of the group
        # the place phrase is about, whose role the clause gives
        proxy = Mention(None, m.sent, outer.i + offset, outer.i + offset + 1, "list", outer.text)
        role_noun(d.lemma[outer.i + offset], "list", proxy.evidence)
        analyse_mention(proxy, outer, d, offset, verbs, depth + 1)
    m.evidence.extend((r, w, f"list:{pt}") for r, w, pt in proxy.evidence if r != "other")
    m.harm_verb = m.harm_verb or proxy.harm_verb


def _second_object_in_list(h):
    """The understood subject of the verb when ``h`` is its second object and a list word
    ("including", "such as") stands between the first object and ``h``; else None."""
    verb = h.head
    firsts = [o for o in verb.children if o.dep_ in OBJECT_DEPS and o.i < h.i]
    if not firsts:
        return None
    between = h.doc[firsts[0].i + 1:h.i]
    if not any(t.lower_ in ("including", "like") or (t.lower_ == "as" and t.i > 0 and t.nbor(-1).lower_ == "such")
               for t in between):
        return None
    return controller(verb)


def _possessive_her(h):
    """The noun that "her" determines when the parser made both direct objects of one verb
    ("accused her former manager": two direct objects, the first right before the second's
    phrase, is the possessive misread); else None."""
    if h.lower_ != "her" or h.dep_ != "dobj" or h.head is h:
        return None
    return next((o for o in h.head.children if o.dep_ == "dobj" and o is not h and o.left_edge.i == h.i + 1),
                None)


def analyse_mention(m: Mention, tok, d: Doc, offset: int, verbs: dict, depth: int = 0) -> None:
    """Fill dep, voice, verb, controller and role evidence of one mention from the parse.

    ``tok`` is the head token of the mention in the parsed sentence (the
    patterns are listed in the module docstring); ``offset`` the index of
    the sentence's first token in the article; ``verbs`` the verb classes
    of :func:`analysis.roles.lexicons.verb_sets`.
    """
    c = Ctx(d, offset, verbs)
    modifier_evidence(c, tok, m.evidence)
    name_modifier(c, m, tok)
    if m.modifier:
        m.verb = c.lem(verb_of(tok))
        return
    h = apposition(c, functional(tok), m.evidence)
    inverse_copula(c, m, h)
    dep = h.dep_
    m.dep = dep
    if dep in SUBJECT_DEPS or dep in PASSIVE_SUBJECT_DEPS:
        _subject(c, m, h.head, dep in PASSIVE_SUBJECT_DEPS or (
            headline_passive(h.head) and c.lem(h.head) in c.verbs["accuse"] | ARREST_VERBS))
    elif dep in OBJECT_DEPS and (noun := _possessive_her(h)) is not None:
        m.dep = "poss"
        possessor(c, m, noun)
    elif dep in OBJECT_DEPS and depth == 0 and (subj := _second_object_in_list(h)) is not None:
        # "women came forward to accuse X of rape, including Y": the parser made Y a second object
        as_object(c, m, h.head)
        proxy = Mention(None, m.sent, subj.i + offset, subj.i + offset + 1, "list", subj.text)
        analyse_mention(proxy, subj, d, offset, verbs, depth + 1)
        m.evidence.extend((r, w, f"list:{pt}") for r, w, pt in proxy.evidence if r != "other")
    elif dep in OBJECT_DEPS:
        as_object(c, m, h.head)
        verb_evidence(c, m, h.head, "theme")
    elif dep == "pobj" and list_head(h) is not None:
        _list_evidence(m, h, d, offset, verbs, depth)
    elif dep == "pobj":
        _prep_object(c, m, h.head)
    elif dep == "poss":
        possessor(c, m, h.head)
    else:
        m.verb = c.lem(verb_of(h)) if h.dep_ != "ROOT" else c.lem(h)

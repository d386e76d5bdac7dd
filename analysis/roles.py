"""People, their roles (alleged victim, accused, other), gender, voice and agency.

What this module measures
-------------------------
For every article it finds the people (spaCy PERSON entities, plus the names
in the case registry ``cases.csv`` when one is given), clusters the variants
of a name into one person per article ("Faraz Haider", "Haider", "Mr Haider"
-> ``Faraz Haider``), and then for every mention records

* the **role** of the person in the article: ``victim`` (alleged victim or
  accuser), ``accused`` or ``other``. Roles come from dependency patterns
  around harassment and accusation verbs, active and passive:

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
  ==========================================  ======================

  Evidence from all mentions of a person in the article (including pronouns
  resolved to that person) is summed; the role with more evidence wins.
* the person's **gender** and where it came from, in this order: the case
  registry, third-person pronouns coreferent within the article, honorifics
  and gendered nouns ("Mr", "Ms", "actress", "(a man)"), a list of first
  names (last resort; it is wrong for men called "Nana" or "Ashley");
* the mention's **voice**: ``active_subject``, ``passive_subject``,
  ``object`` or ``other`` (the agent of a passive, "by X", is ``other`` with
  ``dep == "agent"``), and the governing **verb** lemma;
* whether the mention is the **speaker of a direct quote** and which kind of
  **reporting verb** introduces the person's statement (assertive: said,
  revealed, shared; hedged: alleged, claimed, insisted);
* the connotation-frame **power** and **agency** of the verb from the
  person's point of view.

The person-centred framing of power and agency follows Field, Bhat &
Tsvetkov (2019), "Contextual affective analysis: a case study of people
portrayals in online #MeToo stories" (ICWSM); the verb lexicon format is the
connotation frames of power and agency of Sap et al. (2017) ("Connotation
frames of power and agency in modern films", EMNLP); quote attribution
(speaker = subject of a reporting verb next to a quotation) follows the
Gender Gap Tracker (Asr et al. 2021, "The Gender Gap Tracker: using natural
language processing to measure gender bias in media", PLOS ONE).

Speed
-----
Only sentences that mention a person (NER PERSON or a registry alias) or
contain a cue word (harassment, accusation, denial and allegation words, or a
quotation with a he/she pronoun) are parsed, and they are parsed from the
cached token table (:func:`analysis.preprocess.tokens`) with only the
``tok2vec`` and ``parser`` components: tokens, lemmas and entities are read
from the token table, not recomputed.

People and pronouns
-------------------
The small spaCy NER misses many South Asian and some English names, so a
person is also found as a listed first name followed by a capitalised proper
noun ("Gordon Fairbanks"), a proper noun after an honorific ("Ms Kapoor") or
after an occupation ("casting director Sheetal Kapoor"); every later
occurrence of the surname is a mention of the same person. He/she pronouns
are resolved to the most recent compatible person in the same or the two
previous sentences, never to the understood subject of their own verb
("Rathore groped her", "accused Rathore of harassing her"); a quoted he/she
is never the quote's speaker, and a quoted I/me/my is.

Verb sets
---------
The harassment, accusation, denial and reporting verb sets are module
constants below (``HARM_VERBS``, ``ACCUSE_VERBS``, ``DENY_VERBS``,
``ASSERTIVE_REPORTING``, ``HEDGED_REPORTING`` ...). The lexicon files
``analysis/lexicons/harassment_verbs.csv`` (``verb, kind``: ``act`` extends
the harassment verbs, ``deny``/``denial`` the denials) and
``reporting_verbs.csv`` (``verb, kind``: ``assertive``, ``hedged``,
``denial``) are added to them when present. The power/agency lexicon is
``analysis/lexicons/verbs.csv``
(a small hand-written lexicon in the Sap et al. format, not their data).

Example
-------
>>> from analysis import corpus, roles
>>> c = corpus.load("data/raw/teaching", use_cases=False)      # doctest: +SKIP
>>> m = roles.mentions(c)                                      # doctest: +SKIP
>>> roles.victim_gender(c, m).victim_gender.value_counts()     # doctest: +SKIP
>>> roles.role_measures(m).query("measure == 'agency'")        # doctest: +SKIP
"""

from __future__ import annotations

import io
import math
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.corpus import Corpus

# --------------------------------------------------------------------------- constants

#: Columns of mentions.csv promised by DESIGN.md (extra columns follow them).
MENTION_COLUMNS: tuple[str, ...] = (
    "doc_id", "sentence_id", "person", "role", "gender", "gender_source", "voice", "verb",
)
EXTRA_COLUMNS: tuple[str, ...] = (
    "form", "text", "token", "dep", "pattern", "victim_evidence", "accused_evidence", "role_source",
    "in_quote", "is_quote_speaker", "reporting_kind", "harm_verb", "agency", "power",
)
ROLES: tuple[str, ...] = ("victim", "accused", "other")
VOICES: tuple[str, ...] = ("active_subject", "passive_subject", "object", "other")
GENDER_SOURCES: tuple[str, ...] = ("registry", "pronoun", "honorific", "name_list", "unknown")

#: Verbs that describe the harassment itself ("X harassed Y"): subject/agent
#: = accused, object/passive subject = alleged victim.
HARM_VERBS: frozenset[str] = frozenset("""
harass grope molest assault abuse rape stalk blackmail coerce fondle kiss touch grab corner
proposition bully threaten intimidate exploit force pressure trap lock pin violate victimise
victimize torment humiliate prey misbehave manhandle ogle leer target drug pester hound seduce
cyberstalk retaliate
""".split())
#: Accusation verbs: "Y accused X": subject = victim (accuser), object = accused.
ACCUSE_VERBS: frozenset[str] = frozenset({"accuse", "charge", "implicate", "indict", "name"})
#: Legal action: subject = victim, object = accused, unless about defamation (reversed).
SUE_VERBS: frozenset[str] = frozenset({"sue", "countersue", "prosecute"})
#: Filing verbs: their object decides ("filed a complaint" vs "filed a defamation suit").
FILE_VERBS: frozenset[str] = frozenset({"file", "lodge", "register", "bring", "launch", "submit"})
#: Verbs of coming forward (weak evidence for the accuser).
DISCLOSE_VERBS: frozenset[str] = frozenset({"allege", "complain", "report", "testify", "speak",
                                            "open", "recount", "come", "disclose", "share", "describe"})
#: Denials: active subject = accused.
DENY_VERBS: frozenset[str] = frozenset({"deny", "reject", "refute", "dismiss", "dispute", "rubbish",
                                        "contest", "rebut", "fight", "apologise", "apologize"})
#: Reporting verbs, assertive (said, revealed) and hedged (alleged, claimed).
ASSERTIVE_REPORTING: frozenset[str] = frozenset("""
say tell reveal share state explain add confirm describe recount recall write post note announce
disclose detail testify stress tweet recall speak report acknowledge emphasise emphasize affirm
""".split())
HEDGED_REPORTING: frozenset[str] = frozenset({"allege", "claim", "purport", "insist", "contend",
                                              "maintain"})

ALLEGATION_NOUNS: frozenset[str] = frozenset("""
allegation accusation complaint charge claim case suit lawsuit petition fir grievance testimony
account statement story accusation report
""".split())
#: Nouns whose possessor is the accused ("Haider's accuser", "his victims").
ACCUSER_NOUNS: frozenset[str] = frozenset({"accuser", "complainant", "victim", "survivor", "target"})
#: Nouns naming the alleged victim ("victim X", "X, the complainant").
VICTIM_NOUNS: frozenset[str] = frozenset({"victim", "survivor", "complainant", "accuser", "petitioner",
                                          "plaintiff"})
#: Nouns naming the accused ("the accused, X", "X's harasser" = X is the victim).
ACCUSED_NOUNS: frozenset[str] = frozenset({"accused", "harasser", "abuser", "perpetrator", "predator",
                                           "attacker", "molester", "assailant", "stalker", "offender",
                                           "respondent", "defendant", "tormentor", "rapist"})
HARM_NOUNS: frozenset[str] = frozenset({"harassment", "assault", "abuse", "molestation", "rape",
                                        "misconduct", "stalking", "blackmail", "groping", "advance",
                                        "misbehaviour", "misbehavior", "exploitation", "bullying"})
#: Words that turn legal action around ("defamation suit against the accuser").
COUNTER_WORDS: frozenset[str] = frozenset({"defamation", "defamatory", "libel", "slander", "countersue",
                                           "counter", "retraction", "conspiracy", "smear"})
#: "false allegations against X": no evidence either way (who calls them false?).
FALSE_WORDS: frozenset[str] = frozenset({"false", "fabricated", "baseless", "unfounded", "frivolous",
                                         "malicious", "bogus", "fake", "concocted"})
#: What a "victim of ..." is when it is not harassment (the accused's counter-narrative).
SMEAR_NOUNS: frozenset[str] = frozenset({"smear", "conspiracy", "campaign", "witch", "hunt", "lie",
                                         "propaganda", "defamation", "vendetta", "trial", "mob",
                                         "agenda", "plot", "extortion"})
#: People who speak for someone else: never given the victim/accused role.
PROXY_NOUNS: frozenset[str] = frozenset({"lawyer", "counsel", "attorney", "advocate", "barrister",
                                         "spokesperson", "spokesman", "spokeswoman", "representative",
                                         "publicist", "solicitor", "judge", "justice", "magistrate"})
HONORIFICS: dict[str, str] = {
    "mr": "male", "mister": "male", "sir": "male", "lord": "male", "sahab": "male", "sahib": "male",
    "ms": "female", "mrs": "female", "miss": "female", "madam": "female", "madame": "female",
    "lady": "female", "begum": "female", "bibi": "female", "dame": "female",
}
GENDERED_NOUNS: dict[str, str] = {
    **{w: "female" for w in """actress woman girl wife mother daughter sister aunt niece grandmother
    businesswoman chairwoman spokeswoman sportswoman heroine female songstress hostess waitress
    congresswoman councilwoman policewoman anchorwoman starlet ballerina mom mum girlfriend bride
    queen princess sahiba lady widow mistress""".split()},
    **{w: "male" for w in """man boy husband father son brother uncle nephew grandfather businessman
    chairman spokesman sportsman male king prince boyfriend groom dad widower""".split()},
}
#: Leading titles stripped from names (their gender, if any, is in HONORIFICS).
TITLES: frozenset[str] = frozenset({*HONORIFICS, "dr", "prof", "professor", "advocate", "barrister",
                                    "justice", "judge", "mian", "chaudhry_", "sen", "senator", "rep",
                                    "president", "minister", "director", "actor", "actress", "singer",
                                    "producer", "filmmaker", "officer", "inspector", "detective",
                                    "coach", "st", "saint", "gen", "general", "col", "capt"})
#: Verbs that introduce speech besides the reporting verbs ("Malhotra replied, '...'").
SPEECH_VERBS: frozenset[str] = frozenset({"reply", "respond", "answer", "ask", "argue", "tweet", "post",
                                          "write", "counter", "recall", "say", "tell", "add"})
FIRST_PERSON: frozenset[str] = frozenset({"i", "me", "my", "myself", "mine"})
MALE_PRONOUNS: frozenset[str] = frozenset({"he", "him", "his", "himself"})
FEMALE_PRONOUNS: frozenset[str] = frozenset({"she", "her", "hers", "herself"})
PRONOUN_GENDER: dict[str, str] = {**{p: "male" for p in MALE_PRONOUNS},
                                  **{p: "female" for p in FEMALE_PRONOUNS}}
#: PERSON entities that are not people.
NOT_PEOPLE: frozenset[str] = frozenset({"metoo", "me", "too", "god", "allah", "instagram", "twitter",
                                        "facebook", "youtube", "tiktok", "ombudsperson", "bollywood",
                                        "hollywood", "lollywood", "fia", "posh", "peca", "hr", "twitterati",
                                        "netizens", "netizen", "share", "related", "reply", "leave",
                                        "covid", "oscar", "oscars", "emmy", "whatsapp", "x"})
QUOTE_OPEN: frozenset[str] = frozenset({"\u201c", "\u2018", "``"})
QUOTE_CLOSE: frozenset[str] = frozenset({"\u201d", "\u2019", "''"})
QUOTE_BOTH: frozenset[str] = frozenset({'"'})
SUBJECT_DEPS: frozenset[str] = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT_DEPS: frozenset[str] = frozenset({"nsubjpass", "csubjpass"})
OBJECT_DEPS: frozenset[str] = frozenset({"dobj", "dative", "iobj", "obj", "oprd"})
CLAUSE_DEPS: frozenset[str] = frozenset({"conj", "ccomp", "advcl", "parataxis", "relcl", "xcomp",
                                         "acl", "csubj"})
#: Evidence weights (strong: harm/accuse patterns; medium: legal action, denials; weak: coming
#: forward; relational: object of an action of the accused).
STRONG, MEDIUM, WEAK, RELATIONAL = 2.0, 1.5, 0.5, 0.75



# --------------------------------------------------------------------------- lexicon files


def _lexicon_file(name: str):
    """A lexicon file shipped in ``analysis/lexicons/`` (package data)."""
    return resources.files("analysis.lexicons").joinpath(name)


def _read_csv_text(text: str) -> pd.DataFrame:
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    return pd.read_csv(io.StringIO("\n".join(lines)), dtype=str, keep_default_na=False)


@lru_cache(maxsize=1)
def _verb_sets() -> dict[str, frozenset[str]]:
    """The verb sets, extended by the lexicon files of ``analysis/lexicons/``.

    ``harassment_verbs.csv`` (``verb, kind``): kind ``act`` extends
    :data:`HARM_VERBS`, ``deny``/``denial`` extends :data:`DENY_VERBS`
    (other kinds, e.g. ``accuse``, are handled by the patterns here, whose
    accusation verbs have verb-specific rules). ``reporting_verbs.csv``
    (``verb, kind``): ``assertive`` and ``hedged`` extend the reporting sets,
    ``denial`` the denials. A file without a ``kind`` column counts as
    harassment acts / assertive reporting verbs.
    """
    sets = {"harm": set(HARM_VERBS), "assertive": set(ASSERTIVE_REPORTING),
            "hedged": set(HEDGED_REPORTING), "deny": set(DENY_VERBS)}
    kinds = {"act": "harm", "harm": "harm", "deny": "deny", "denial": "deny",
             "assertive": "assertive", "hedged": "hedged", "hedge": "hedged"}
    for name, default in (("harassment_verbs.csv", "harm"), ("reporting_verbs.csv", "assertive")):
        df = _read_csv_text(_lexicon_file(name).read_text("utf-8"))
        df.columns = [c.strip().lower() for c in df.columns]
        col = "verb" if "verb" in df.columns else df.columns[0]
        kind = next((c for c in ("kind", "type", "category", "class") if c in df.columns), None)
        for i, verb in enumerate(df[col]):
            verb = str(verb).strip().lower()
            target = kinds.get(str(df[kind].iloc[i]).strip().lower()) if kind else default
            if verb and target:
                sets[target].add(verb)
    sets["assertive"] -= sets["hedged"]
    return {k: frozenset(v) for k, v in sets.items()}


_AGENCY_LABELS = {"agency_pos": 1.0, "agency_neg": -1.0, "agency_equal": 0.0, "pos": 1.0, "neg": -1.0,
                  "equal": 0.0, "positive": 1.0, "negative": -1.0, "neutral": 0.0, "+": 1.0, "-": -1.0,
                  "=": 0.0}
_POWER_LABELS = {"power_agent": 1.0, "power_theme": -1.0, "power_equal": 0.0, "agent": 1.0,
                 "theme": -1.0, "equal": 0.0, "neutral": 0.0, "+": 1.0, "-": -1.0, "=": 0.0}


def _label_value(value: str, labels: dict[str, float], where: str) -> float:
    v = value.strip().lower()
    if v in ("", "na", "nan", "none", "null"):
        return float("nan")
    if v in labels:
        return labels[v]
    try:
        return float(v)
    except ValueError:
        raise ValueError(
            f"{where}: {value!r} is neither a number nor one of {', '.join(sorted(labels))}; "
            "fix the value or leave it empty"
        ) from None


def load_verb_lexicon(path: str | Path | None = None) -> pd.DataFrame:
    """Load a power/agency verb lexicon (connotation frames, Sap et al. 2017).

    Accepted format: a CSV file with a header ``verb, agency, power``
    (column names case-insensitive, extra columns ignored, lines starting
    with ``#`` are comments). Values are numbers (any real; +1 = the
    subject of the verb has agency / has power over the object, -1 the
    reverse, 0 neutral) or the connotation-frame labels of Sap et al.:
    ``agency_pos`` (+1), ``agency_neg`` (-1), ``agency_equal`` (0);
    ``power_agent`` (+1), ``power_theme`` (-1), ``power_equal`` (0); the
    short forms ``pos``/``neg``/``equal``/``agent``/``theme`` and
    ``+``/``-``/``=`` are accepted too. Empty cells are missing values. A
    verb listed twice keeps its last row. Verbs are lower-cased.

    Parameters
    ----------
    path : str or Path, optional
        Default: ``analysis/lexicons/verbs.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns ``verb`` (str), ``agency`` and ``power`` (float in [-1, 1]
        for the labels), one row per verb.

    Raises
    ------
    ValueError
        If the ``verb`` column is missing or a value is not understood
        (the message names the file, row and column).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "cf.csv"
    >>> _ = p.write_text("verb,agency,power\\nharass,agency_pos,power_agent\\nsuffer,-1,power_theme\\n")
    >>> load_verb_lexicon(p).values.tolist()
    [['harass', 1.0, 1.0], ['suffer', -1.0, -1.0]]
    """
    if path is None:
        text, label = _lexicon_file("verbs.csv").read_text("utf-8"), "analysis/lexicons/verbs.csv"
    else:
        label = str(path)
        text = Path(path).read_text(encoding="utf-8-sig")
    df = _read_csv_text(text)
    df.columns = [c.strip().lower() for c in df.columns]
    if "verb" not in df.columns:
        raise ValueError(f"{label} row 1: no 'verb' column (found {list(df.columns)}); "
                         "the header must be 'verb,agency,power'")
    rows = []
    for n, rec in enumerate(df.to_dict("records"), start=2):
        verb = str(rec["verb"]).strip().lower()
        if not verb:
            continue
        agency = _label_value(str(rec.get("agency", "")), _AGENCY_LABELS, f"{label} row {n}, column 'agency'")
        power = _label_value(str(rec.get("power", "")), _POWER_LABELS, f"{label} row {n}, column 'power'")
        rows.append((verb, agency, power))
    out = pd.DataFrame(rows, columns=["verb", "agency", "power"])
    return out.drop_duplicates("verb", keep="last").reset_index(drop=True)


@lru_cache(maxsize=1)
def _name_genders() -> dict[str, str]:
    res = _lexicon_file("names_gender.csv")
    if res is None:
        return {}
    df = _read_csv_text(res.read_text("utf-8"))
    return {n.strip().lower(): g.strip().lower() for n, g in zip(df["name"], df["gender"], strict=True)
            if g.strip().lower() in ("female", "male")}


# --------------------------------------------------------------------------- data structures


@dataclass
class _Person:
    key: str
    canonical: str
    first: str = ""
    surname: str = ""
    registry_role: str | None = None
    registry_gender: str | None = None
    variants: Counter = field(default_factory=Counter)
    titles: list[str] = field(default_factory=list)


@dataclass
class _Mention:
    person: int | None          # index into persons (None: unresolved pronoun)
    sent: int
    start: int                  # token index in doc (head token for pronouns)
    end: int
    form: str                   # name | pronoun | relative | first_person
    text: str
    pron_gender: str | None = None
    dep: str = ""
    voice: str = "other"
    verb: str = ""
    harm_verb: bool = False
    evidence: list = field(default_factory=list)   # [(role, weight, pattern)]
    in_quote: bool = False
    is_quote_speaker: bool = False
    reporting_kind: str = ""
    binds: int | None = None        # token index of the argument this pronoun cannot corefer with
    blocked: bool = False           # antecedent is a common noun ("the assistant said she ...")
    ctrl: int | None = None         # token index of the understood subject of the verb (objects)
    not_person_of: list = field(default_factory=list)  # speakers a quoted he/she cannot be
    speaker: int | None = None      # first-person pronoun in a quote: token index of its speaker
    agent_role: str = ""            # agent | theme | "" for lexicon scores


@dataclass
class _Doc:
    doc_id: str
    text: list[str]
    ws: list[str]
    lemma: list[str]
    pos: list[str]
    ent: list[str]
    sent: list[int]                 # parse unit: a sentence, also split at line breaks (bylines)
    sent_bounds: dict[int, tuple[int, int]]
    table_sent: list[int] = field(default_factory=list)   # sentence id of the token table
    persons: list[_Person] = field(default_factory=list)
    mentions: list[_Mention] = field(default_factory=list)
    in_quote: list[bool] = field(default_factory=list)
    parsed: dict[int, object] = field(default_factory=dict)


# --------------------------------------------------------------------------- registry


def _split_names(value) -> list[str]:
    if not isinstance(value, str):
        return []
    return [n.strip() for n in value.split(";") if n.strip()]


def _registry_people(corpus: Corpus) -> dict[str, list[tuple[str, str, str | None]]]:
    """doc_id -> [(name, role, gender)], the doc's own case first, then every other case."""
    cases = corpus.cases
    if cases is None or "case_id" not in corpus.docs.columns:
        return {}
    everyone: list[tuple[str, str, str | None, str]] = []
    for rec in cases.to_dict("records"):
        for role, names_col, gender_col in (("victim", "victims", "victim_gender"),
                                            ("accused", "accused", "accused_gender")):
            gender = str(rec.get(gender_col) or "").lower()
            gender = gender if gender in ("female", "male") else None
            for name in _split_names(rec.get(names_col)):
                everyone.append((name, role, gender, rec["case_id"]))
    out = {}
    for doc_id, case_id in zip(corpus.docs["doc_id"], corpus.docs["case_id"], strict=True):
        own = [(n, r, g) for n, r, g, c in everyone if c == case_id]
        rest = [(n, r, g) for n, r, g, c in everyone if c != case_id]
        out[doc_id] = own + rest
    return out


# --------------------------------------------------------------------------- cheap pass


def _is_name_token(text: str) -> bool:
    return bool(text) and text[0].isupper() and any(ch.isalpha() for ch in text) and "#" not in text \
        and "@" not in text and text.lower() not in NOT_PEOPLE


def _build_doc(doc_id: str, part: pd.DataFrame) -> _Doc:
    text = part["text"].tolist()
    table_sent = part["sent"].astype(int).tolist()
    # parse units: sentences, split after line breaks so that a byline or a headline
    # is never parsed as the subject of the next sentence
    sent: list[int] = []
    unit = 0
    for i, s in enumerate(table_sent):
        if i and (s != table_sent[i - 1] or "\n" in text[i - 1]):
            unit += 1
        sent.append(unit)
    bounds: dict[int, tuple[int, int]] = {}
    for i, s in enumerate(sent):
        a, _ = bounds.get(s, (i, i))
        bounds[s] = (a, i + 1)
    d = _Doc(doc_id, text, part["ws"].tolist(), part["lemma"].tolist(), part["pos"].tolist(),
             part["ent"].tolist(), sent, bounds, table_sent)
    d.in_quote = _quote_mask(text, d.ws)
    return d


def _quote_mask(text: Sequence[str], ws: Sequence[str]) -> list[bool]:
    """True for tokens inside a direct quotation (straight or curly quotes)."""
    mask = [False] * len(text)
    inside = False
    for i, t in enumerate(text):
        if t in QUOTE_BOTH:
            inside = not inside
            mask[i] = True
        elif t in QUOTE_OPEN:
            # a single curly opening quote is an opening only before a word
            inside = True
            mask[i] = True
        elif t in QUOTE_CLOSE:
            if t == "\u2019" and not inside:
                continue          # an apostrophe
            mask[i] = True
            inside = False
        else:
            mask[i] = inside
        if "\n" in t and inside:
            inside = False        # quotes do not run across paragraphs
    return mask


def _clean_span(d: _Doc, a: int, b: int) -> tuple[int, int, list[str]]:
    """Strip titles and possessives from a name span; return (a, b, titles)."""
    titles = []
    while a < b and (d.text[a].lower().rstrip(".") in TITLES or not _is_name_token(d.text[a])):
        if d.text[a].lower().rstrip(".") in TITLES:
            titles.append(d.text[a].lower().rstrip("."))
        a += 1
    while b > a and (d.text[b - 1] in ("'s", "\u2019s", "'", "\u2019") or not _is_name_token(d.text[b - 1])):
        b -= 1
    return a, b, titles


#: Entity types that are never (part of) a person's name.
_NOT_NAME_ENTS: frozenset[str] = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL",
                                            "QUANTITY", "LAW"})
#: Occupations that introduce a name ("casting director Sheetal Kapoor").
OCCUPATIONS: frozenset[str] = frozenset("""
actor actress singer director producer model writer screenwriter filmmaker choreographer composer host
anchor designer photographer artist artiste dancer student professor executive assistant coordinator
comedian star journalist activist lawyer coach manager performer cinematographer editor showrunner
presenter musician rapper teacher colleague co-star costar agent partner founder chairman ceo
""".split()) | frozenset(GENDERED_NOUNS)


#: Last words of places and organisations that look like "Firstname Lastname" ("Beverly Hills").
PLACE_WORDS: frozenset[str] = frozenset("""
hills hill beach park street road city county valley island bay heights town avenue square studios
studio pictures films productions media entertainment records play house hall court hotel university
college school foundation group news times post tribune herald wire daily report network channel tv
""".split())


def _prev_word(d: _Doc, i: int) -> int | None:
    """Index of the previous token that is not whitespace."""
    j = i - 1
    while j >= 0 and d.pos[j] == "SPACE" and "\n" not in d.text[j]:
        j -= 1
    return j if j >= 0 else None


def _extra_spans(d: _Doc, spans: list[tuple[int, int, list[str]]]) -> list[tuple[int, int, list[str]]]:
    """Names the small NER model misses: "Ms Kapoor", "Gordon Fairbanks" (a listed first
    name followed by a capitalised proper noun) and "casting director Sheetal Kapoor"."""
    covered = set()
    for a, b, _ in spans:
        covered.update(range(a, b))
    names = _name_genders()
    out = []
    n = len(d.text)

    def ok(j: int, s: int) -> bool:
        return j < n and d.sent[j] == s and d.pos[j] == "PROPN" and _is_name_token(d.text[j]) \
            and d.ent[j] not in _NOT_NAME_ENTS and d.text[j].lower().rstrip(".") not in TITLES

    i = 0
    while i < n:
        if i in covered:
            i += 1
            continue
        low = d.text[i].lower().rstrip(".")
        s = d.sent[i]
        start = None
        titles: list[str] = []
        if low in HONORIFICS and ok(i + 1, s):
            start, titles = i + 1, [low]
        elif ok(i, s) and low in names and ok(i + 1, s):
            start = i
        elif ok(i, s) and ok(i + 1, s) and (prev := _prev_word(d, i)) is not None \
                and d.sent[prev] == s and d.lemma[prev] in OCCUPATIONS and d.text[prev][:1].islower():
            start = i
        if start is None:
            i += 1
            continue
        j = start
        while ok(j, s) and j < start + 3:
            j += 1
        if any(k in covered for k in range(start, j)) or d.text[j - 1].lower() in PLACE_WORDS:
            i = j
            continue
        out.append((start, j, titles))
        i = j
    return out


def _find_people(d: _Doc, registry: list[tuple[str, str, str | None]] | None) -> None:
    """Person spans from NER and registry aliases, clustered by surname."""
    spans: list[tuple[int, int, list[str]]] = []
    i, n = 0, len(d.text)
    while i < n:
        if d.ent[i] == "PERSON":
            j = i
            while j < n and d.ent[j] == "PERSON" and d.sent[j] == d.sent[i] and "\n" not in d.text[j]:
                j += 1
            a, b, titles = _clean_span(d, i, max(j, i + 1))
            if b > a and all(_is_name_token(d.text[k]) or d.text[k] == "-" for k in range(a, b)) \
                    and d.text[b - 1].lower() not in PLACE_WORDS:
                spans.append((a, b, titles))
            i = max(j, i + 1)
        else:
            i += 1
    spans.extend(_extra_spans(d, spans))
    persons: list[_Person] = []
    by_key: dict[str, int] = {}

    def words(a: int, b: int) -> list[str]:
        return [d.text[k] for k in range(a, b) if d.text[k] != "-"]

    # registry people that occur in the text (full name or surname)
    if registry:
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
                persons.append(_Person(surname.lower(), name, parts[0] if len(parts) > 1 else "", surname,
                                       role, gender))
    # NER names, longest first so that full names define the clusters
    # a title-case headline glues words to a name ("Usman Mukhtar Shares His Story"):
    # cut a long span back to a shorter name seen elsewhere in the article
    seen_names = {tuple(words(a, b)) for a, b, _ in spans if b - a >= 2}
    trimmed = []
    for a, b, titles in spans:
        for cut in range(b - 1, a + 1, -1):
            if b - a > 2 and tuple(words(a, cut)) in seen_names:
                b = cut
                break
        trimmed.append((a, b, titles))
    # a single capitalised word that also occurs in lower case is a common word ("Story")
    lower_words = {t for t in d.text if t.islower()}
    listed = _name_genders()
    spans = [(a, b, t) for a, b, t in trimmed
             if b - a > 1 or d.text[a].lower() not in lower_words or d.text[a].lower() in listed]
    names = Counter(tuple(words(a, b)) for a, b, _ in spans)
    for name in sorted(names, key=lambda t: (-len(t), t)):
        if not name:
            continue
        surname, key = name[-1], name[-1].lower()
        if len(name) > 1:
            if key in by_key:
                p = persons[by_key[key]]
                if p.first and p.first.lower() != name[0].lower() and p.registry_role is None \
                        and len(p.canonical.split()) > 1:
                    full_key = " ".join(name).lower()
                    by_key.setdefault(full_key, len(persons))
                    if by_key[full_key] == len(persons):
                        persons.append(_Person(full_key, " ".join(name), name[0], surname))
                    continue
                if len(p.canonical.split()) < len(name) and p.registry_role is None:
                    p.canonical, p.first = " ".join(name), name[0]
                elif not p.first:
                    p.first = name[0]
                continue
            by_key[key] = len(persons)
            persons.append(_Person(key, " ".join(name), name[0], surname))
        else:
            if key in by_key:
                continue
            match = next((k for k, p in enumerate(persons) if p.first.lower() == key), None)
            if match is not None:
                by_key[key] = match
                continue
            by_key[key] = len(persons)
            persons.append(_Person(key, name[0], "", name[0]))
    d.persons = persons
    # mentions: every occurrence of a cluster's surname (or first name) as a name token
    lookup: dict[str, int] = {}
    for k, p in enumerate(persons):
        lookup.setdefault(p.surname.lower(), k)
    for k, p in enumerate(persons):
        if p.first and len(p.first) > 2:
            lookup.setdefault(p.first.lower(), k)
    for key, k in by_key.items():
        if " " not in key:
            lookup.setdefault(key, k)
    mentions: list[_Mention] = []
    i = 0
    while i < n:
        t = d.text[i]
        k = lookup.get(t.lower()) if _is_name_token(t) else None
        if k is None or d.pos[i] in ("ADP", "DET", "PRON", "AUX", "CCONJ", "SCONJ", "PUNCT", "PART"):
            i += 1
            continue
        # extend over the following name tokens of the same name ("Faraz Haider")
        j = i + 1
        while j < n and d.sent[j] == d.sent[i] and _is_name_token(d.text[j]) \
                and d.text[j].lower() in lookup and lookup[d.text[j].lower()] == k:
            j += 1
        a = i
        while a > 0 and d.sent[a - 1] == d.sent[i] and d.pos[a - 1] == "PROPN" \
                and _is_name_token(d.text[a - 1]) and d.text[a - 1].lower().rstrip(".") not in TITLES \
                and d.lemma[a - 1] not in GENDERED_NOUNS and d.ent[a - 1] in ("PERSON", ""):
            a -= 1
            if a < i - 2:
                break
        titles = []
        if a > 0 and d.text[a - 1].lower().rstrip(".") in TITLES:
            titles.append(d.text[a - 1].lower().rstrip("."))
        p = persons[k]
        p.variants[" ".join(d.text[a:j])] += 1
        p.titles.extend(titles)
        mentions.append(_Mention(k, d.sent[i], a, j, "name", " ".join(d.text[a:j])))
        i = j
    d.mentions = mentions


def _cue_sentences(d: _Doc, verbs: dict[str, frozenset[str]]) -> set[int]:
    cues = verbs["harm"] | ACCUSE_VERBS | SUE_VERBS | verbs["deny"] | ALLEGATION_NOUNS | VICTIM_NOUNS \
        | ACCUSED_NOUNS | HARM_NOUNS | {"allege", "complain"}
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


# --------------------------------------------------------------------------- syntax


def _verb_of(tok):
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


def _local(tok) -> list:
    """Tokens of tok's own clause/phrase (its subtree minus embedded clauses)."""
    out = [tok]
    for c in tok.children:
        if c.dep_ in CLAUSE_DEPS and c.dep_ != "xcomp":
            continue
        out.extend(_local(c))
    return out


def _is_passive(verb) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass", "csubjpass") for c in verb.children)


def _subjects(verb) -> list:
    return [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "csubj", "csubjpass")]


def _intervening_subject(verb, v):
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


def _controller(verb):
    """The understood subject of a verb: its own subject, the subject it shares through
    coordination, or the object of the verb it complements ("accused X of harassing her")."""
    v = verb
    for _ in range(6):
        subj = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj:
            return subj[0]
        if v.dep_ == "conj" and v.head is not v:
            between = _intervening_subject(v.head, v)
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


def _functional(tok):
    """Climb from a name head through conj/appos/compound to the token that carries the function."""
    h = tok
    for _ in range(6):
        if h.dep_ == "conj" and h.head.pos_ != "VERB" and h.head.dep_ not in ("ROOT",):
            h = h.head
        elif h.dep_ in ("compound", "flat") and h.head is not h:
            h = h.head
        else:
            break
    return h


def _lemma(parsed_tok, d: _Doc, offset: int) -> str:
    return d.lemma[offset + parsed_tok.i]


def _counter_context(tokens: Iterable, d: _Doc, offset: int) -> bool:
    return any(_lemma(t, d, offset) in COUNTER_WORDS or t.lower_.startswith("counter")
               or t.lower_.startswith("defam") for t in tokens)


def _false_context(noun, d: _Doc, offset: int) -> bool:
    return any(_lemma(c, d, offset) in FALSE_WORDS for c in noun.children if c.dep_ in ("amod", "compound"))


def _modifiers(tok) -> list:
    """Pre- and post-modifiers of a name head, also inside its compounds
    ("harassed actress Sana Sheikh": 'harassed' modifies 'actress')."""
    out = []
    for c in tok.children:
        if c.dep_ in ("compound", "amod", "appos", "nmod", "npadvmod"):
            out.append(c)
            if c.dep_ == "compound":
                out.extend(g for g in c.children if g.dep_ in ("compound", "amod"))
    return out


#: "forced to resign", "pressured to step down": career exits, not harassment.
EXIT_VERBS: frozenset[str] = frozenset({"resign", "step", "quit", "leave", "retire", "apologise",
                                        "apologize", "go", "withdraw", "sell"})
#: Light verbs that describe harassment with a noun ("made advances", "subjected her to abuse").
LIGHT_VERBS: frozenset[str] = frozenset({"make", "commit", "subject", "perpetrate", "inflict"})
LIGHT_NOUNS: frozenset[str] = HARM_NOUNS | frozenset({"advance", "pass", "remark", "comment", "contact",
                                                      "proposal", "threat"})


def _analyse_mention(m: _Mention, tok, d: _Doc, offset: int, verbs: dict) -> None:
    """Fill dep, voice, verb, controller and role evidence of one mention from the parse.

    ``tok`` is the head token of the mention in the parsed sentence; the
    patterns are listed in the module docstring.
    """
    harm, assertive, hedged = verbs["harm"], verbs["assertive"], verbs["hedged"]

    def L(t) -> str:  # lemma from the token table
        return d.lemma[offset + t.i]

    ev = m.evidence

    def is_harm(verb) -> bool:
        lem = L(verb)
        if lem in harm:
            # "Fairbanks was forced to step down" is not harassment of Fairbanks
            return not any(c.dep_ == "xcomp" and L(c) in EXIT_VERBS for c in verb.children)
        if lem in LIGHT_VERBS:
            for c in verb.children:
                if c.dep_ in OBJECT_DEPS and L(c) in LIGHT_NOUNS:
                    return True
                if c.dep_ == "prep" and any(L(g) in LIGHT_NOUNS for g in c.children if g.dep_ == "pobj"):
                    return True
        return False

    # modifiers of the name: "victim X", "the accused X", "harassed actress X", "lawyer X"
    for c in _modifiers(tok):
        lem = L(c)
        if lem in VICTIM_NOUNS:
            ev.append(("victim", STRONG, f"{c.dep_}:{lem}"))
        elif lem in ACCUSED_NOUNS or (lem == "accuse" and c.dep_ in ("amod", "compound")):
            ev.append(("accused", STRONG, f"{c.dep_}:{lem}"))
        elif lem in PROXY_NOUNS:
            ev.append(("other", 10.0, f"{c.dep_}:{lem}"))
        elif c.dep_ == "amod" and lem in harm:
            ev.append(("victim", MEDIUM, f"amod:{lem}"))
    h = _functional(tok)
    # apposition: "Haider's accuser, Hina Baloch, said" -> the function of 'accuser'
    if h.dep_ == "appos" and h.head is not h:
        noun = h.head
        lem = L(noun)
        if lem in VICTIM_NOUNS:
            ev.append(("victim", STRONG, f"appos:{lem}"))
        elif lem in ACCUSED_NOUNS:
            ev.append(("accused", STRONG, f"appos:{lem}"))
        elif lem in PROXY_NOUNS:
            ev.append(("other", 10.0, f"appos:{lem}"))
        if noun.pos_ in ("NOUN", "PROPN", "PRON"):
            h = _functional(noun)
    dep = h.dep_
    m.dep = dep
    head = h.head

    def guilty(verb) -> bool:
        return any(t.lower_ == "guilty" for t in _local(verb))

    def verb_evidence(verb, role_as: str) -> None:
        """Evidence from the verb's class when the mention is its agent or theme."""
        lem = L(verb)
        local = _local(verb)
        counter = _counter_context(local, d, offset)
        if is_harm(verb):
            m.harm_verb = True
            ev.append(("accused" if role_as == "agent" else "victim", STRONG, f"harm:{lem}:{role_as}"))
        elif lem in ACCUSE_VERBS:
            if lem == "name" and not any(L(t) in HARM_NOUNS | ACCUSED_NOUNS | harm for t in local):
                return
            if lem == "charge" and not any(L(t) in HARM_NOUNS | harm for t in verb.subtree):
                return
            of = [t for t in verb.subtree if t.dep_ in ("pobj", "pcomp") and t.head.lower_ == "of"]
            reverse = counter or any(L(t) in ("lie", "lying", "fabricate", "fabrication", "publicity",
                                              "extortion", "blackmail")
                                     and not any(L(x) in harm - {"blackmail"} for x in of) for t in of)
            if role_as == "agent":
                ev.append(("accused" if reverse else "victim", STRONG, f"accuse:{lem}:agent"))
            else:
                ev.append(("victim" if reverse else "accused", STRONG, f"accuse:{lem}:theme"))
        elif lem in SUE_VERBS:
            rev = counter or lem == "countersue"
            r_agent, r_theme = ("accused", "victim") if rev else ("victim", "accused")
            ev.append((r_agent if role_as == "agent" else r_theme, MEDIUM,
                       f"sue:{lem}:{role_as}" + (":counter" if rev else "")))
        elif lem in FILE_VERBS and role_as == "agent":
            objs = [c for c in verb.children if c.dep_ in OBJECT_DEPS]
            if any(L(o) in ALLEGATION_NOUNS or L(o) in ("notice", "fir") for o in objs):
                ev.append(("accused" if counter else "victim", MEDIUM,
                           f"file:{lem}:counter" if counter else f"file:{lem}"))
        elif lem in verbs["deny"] and role_as == "agent":
            objs = [c for c in verb.children if c.dep_ in OBJECT_DEPS]
            if lem in ("apologise", "apologize"):
                ev.append(("accused", WEAK, f"deny:{lem}"))
            elif lem in ("fight", "contest", "dispute", "dismiss", "counter") and not objs:
                return
            elif not objs or any(L(o) in ALLEGATION_NOUNS | HARM_NOUNS | {
                    "it", "this", "that", "them", "wrongdoing", "everything", "all", "any", "charge",
                    "involvement", "finding", "report", "verdict"} or L(o) in harm for o in objs):
                ev.append(("accused", MEDIUM, f"deny:{lem}"))
        elif lem in DISCLOSE_VERBS and role_as == "agent":
            objs = [c for c in local if c.dep_ in OBJECT_DEPS]
            sub = [t for t in verb.subtree if L(t) in harm or L(t) in HARM_NOUNS or L(t) == "metoo"]
            if counter or any(L(o) in SMEAR_NOUNS for o in objs):
                ev.append(("accused", WEAK, f"disclose:{lem}:counter"))
            elif lem in ("allege", "complain", "testify", "report"):
                ev.append(("victim", 1.0 if sub else WEAK, f"disclose:{lem}"))
            elif sub:
                ev.append(("victim", 1.0, f"disclose:{lem}"))
        if guilty(verb) and (role_as == "theme" or L(verb) == "be"):
            ev.append(("accused", STRONG, "guilty"))
        # a passive harassment verb without its own subject under this verb:
        # "X opened up about being harassed", "X spoke of being groped"
        if role_as == "agent":
            for t in verb.subtree:
                if t is verb or not is_harm(t) or _subjects(t) or not _is_passive(t):
                    continue
                anc, ok = t, False
                for _ in range(4):
                    anc = anc.head
                    if anc is verb:
                        ok = True
                        break
                    if _subjects(anc) or anc.dep_ in ("relcl", "ccomp"):
                        break
                if ok:
                    ev.append(("victim", MEDIUM, f"passive_clause:{L(t)}"))
                    m.harm_verb = True
                    break

    if dep in SUBJECT_DEPS or dep in PASSIVE_SUBJECT_DEPS:
        verb = head
        passive = dep in PASSIVE_SUBJECT_DEPS
        m.verb = L(verb)
        if L(verb) == "be" or verb.pos_ == "AUX":
            m.voice = "other"
            for c in verb.children:
                if c.dep_ not in ("attr", "acomp"):
                    continue
                lem = L(c)
                of_obj = [o for p in c.children if p.lower_ == "of" for o in p.children if o.dep_ == "pobj"]
                if lem in VICTIM_NOUNS:
                    if of_obj and any(L(o) in SMEAR_NOUNS or _counter_context([o], d, offset)
                                      or _false_context(o, d, offset) for o in of_obj):
                        ev.append(("accused", 1.0, "copula:victim_of_smear"))
                    else:
                        ev.append(("victim", STRONG, f"copula:{lem}"))
                elif lem in ACCUSED_NOUNS or lem == "guilty":
                    ev.append(("accused", STRONG, f"copula:{lem}"))
            return
        m.voice = "passive_subject" if passive else "active_subject"
        m.agent_role = "theme" if passive else "agent"
        todo = [(verb, passive)]
        # conjoined verbs sharing this subject ("X groped her and sent ...") and open
        # complements ("X refused to apologise", "X went to the FIA alleging that ...")
        stack = [c for c in verb.children if c.dep_ in ("conj", "xcomp", "advcl")]
        while stack:
            v = stack.pop()
            if v.pos_ not in ("VERB", "AUX") or _subjects(v) or _intervening_subject(verb, v) is not None:
                continue
            if v.dep_ == "advcl" and any(c.dep_ == "mark" for c in v.children):
                continue
            todo.append((v, _is_passive(v)))
            stack.extend(c for c in v.children if c.dep_ in ("conj", "xcomp"))
        for v, pas in todo:
            verb_evidence(v, "theme" if pas else "agent")
        if not passive:
            if m.verb in hedged:
                m.reporting_kind = "hedged"
            elif m.verb in assertive:
                m.reporting_kind = "assertive"
    elif dep in OBJECT_DEPS:
        verb = head
        m.voice, m.verb, m.agent_role = "object", L(verb), "theme"
        ctrl = _controller(verb)
        m.ctrl = ctrl.i + offset if ctrl is not None else None
        verb_evidence(verb, "theme")
    elif dep == "pobj":
        prep = head
        p = prep.lower_
        gov = prep.head
        if prep.dep_ == "agent" or (p == "by" and gov.pos_ in ("VERB", "AUX") and _is_passive(gov)):
            m.dep, m.voice, m.verb, m.agent_role = "agent", "other", L(gov), "agent"
            verb_evidence(gov, "agent")
        elif gov.pos_ in ("VERB", "AUX"):
            lem = L(gov)
            m.voice, m.verb, m.agent_role = "object", lem, "theme"
            ctrl = _controller(gov)
            m.ctrl = ctrl.i + offset if ctrl is not None else None
            if p in ("with", "towards", "toward", "on", "at", "to", "against") and is_harm(gov):
                m.harm_verb = True
                ev.append(("victim", STRONG, f"harm:{lem}:{p}"))
            elif p == "against":
                owner_noun = gov.head if gov.dep_ in ("acl", "relcl") else None
                if owner_noun is not None and _false_context(owner_noun, d, offset):
                    pass            # "false claims made against him": no evidence either way
                else:
                    counter = _counter_context(_local(gov), d, offset)
                    ev.append(("victim" if counter else "accused", MEDIUM,
                               f"against:{lem}:counter" if counter else f"against:{lem}"))
        else:
            # the preposition hangs on a noun: "allegations against X", "harassment by X"
            noun = gov
            lem = L(noun)
            m.verb = L(_verb_of(noun))
            if p == "against" and (lem in ALLEGATION_NOUNS or lem in HARM_NOUNS or lem in COUNTER_WORDS
                                   or lem in ("notice", "action", "proceeding", "protest", "outrage")):
                if _false_context(noun, d, offset):
                    pass
                elif _counter_context(_local(noun), d, offset):
                    ev.append(("victim", MEDIUM, f"against:{lem}:counter"))
                else:
                    ev.append(("accused", STRONG, f"against:{lem}"))
            elif p in ("by", "from") and lem in ALLEGATION_NOUNS:
                if not _counter_context(_local(noun), d, offset):
                    ev.append(("victim", MEDIUM, f"{p}:{lem}"))
            elif p in ("by", "from") and lem in LIGHT_NOUNS:
                ev.append(("accused", STRONG, f"{p}:{lem}"))
            elif p in ("of", "on", "towards", "toward", "against") and lem in HARM_NOUNS | {"advance"}:
                ev.append(("victim", STRONG, f"{p}:{lem}"))
            elif p == "of" and lem in ("hand", "hands") and noun.head.lower_ == "at":
                ev.append(("accused", STRONG, "at_the_hands_of"))
            elif p in ("of", "for", "with", "behind") and lem in ("support", "solidarity"):
                ev.append(("victim", WEAK, f"{p}:{lem}"))
    elif dep == "poss":
        noun = head
        lem = L(noun)
        m.verb = L(_verb_of(noun))
        # "groped her waist", "grabbed his groin": the possessor is on the receiving end
        gov = noun.head if noun.dep_ in OBJECT_DEPS else (
            noun.head.head if noun.dep_ == "pobj" and noun.head.head.pos_ in ("VERB", "AUX") else None)
        if gov is not None and gov.pos_ in ("VERB", "AUX") and is_harm(gov) and not _is_passive(gov):
            m.harm_verb = True
            m.voice, m.verb, m.agent_role = "object", L(gov), "theme"
            ctrl = _controller(gov)
            m.ctrl = ctrl.i + offset if ctrl is not None else None
            ev.append(("victim", MEDIUM, f"poss_object:{L(gov)}"))
        elif lem in ACCUSER_NOUNS:
            ev.append(("accused", STRONG, f"poss:{lem}"))
        elif lem in ACCUSED_NOUNS:
            ev.append(("victim", STRONG, f"poss:{lem}"))
        elif lem in ALLEGATION_NOUNS and lem not in ("case", "statement", "account", "report"):
            if not _counter_context(_local(noun), d, offset) and not _false_context(noun, d, offset):
                ev.append(("victim", MEDIUM, f"poss:{lem}"))
        elif lem in ("advance", "misconduct", "behaviour", "behavior", "conduct"):
            ev.append(("accused", MEDIUM, f"poss:{lem}"))
        elif lem in ("ordeal", "trauma"):
            ev.append(("victim", WEAK, f"poss:{lem}"))
    else:
        m.verb = L(_verb_of(h)) if h.dep_ != "ROOT" else L(h)


def _analyse_sentence(d: _Doc, sid: int, parsed, verbs: dict) -> list[_Mention]:
    """Syntactic features for the name mentions of one sentence and its pronoun/relative mentions."""
    offset = d.sent_bounds[sid][0]
    out: list[_Mention] = []
    name_heads: dict[int, _Mention] = {}
    for m in d.mentions:
        if m.sent != sid:
            continue
        span = parsed[m.start - offset:m.end - offset]
        head = span.root
        _analyse_mention(m, head, d, offset, verbs)
        name_heads[head.i] = m
        # relative clause: "X, who was harassed by Y" / "X, who accused Y"
        for c in head.children:
            if c.dep_ == "relcl":
                for w in c.children:
                    if w.lower_ in ("who", "whom", "that") and w.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS \
                            | OBJECT_DEPS:
                        r = _Mention(m.person, sid, w.i + offset, w.i + offset + 1, "relative", w.text)
                        _analyse_mention(r, w, d, offset, verbs)
                        out.append(r)
    for tok in parsed:
        low = tok.lower_
        if low in PRONOUN_GENDER and tok.i not in name_heads:
            r = _Mention(None, sid, tok.i + offset, tok.i + offset + 1, "pronoun", tok.text,
                         pron_gender=PRONOUN_GENDER[low])
            _analyse_mention(r, tok, d, offset, verbs)
            # binding: an object pronoun cannot corefer with the (understood) subject of its verb
            if low not in ("himself", "herself") and tok.dep_ in OBJECT_DEPS | {"pobj"}:
                v = tok.head if tok.dep_ != "pobj" else tok.head.head
                ctrl = _controller(v) if v is not None and v.pos_ in ("VERB", "AUX") else None
                if ctrl is not None:
                    r.binds = ctrl.i + offset
            elif tok.dep_ == "poss" and r.harm_verb and r.ctrl is not None:
                r.binds = r.ctrl            # "Halvorsen grabbed his groin": not Halvorsen's
            # "a costume assistant said she had heard": the antecedent is the common noun
            if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.dep_ in ("ccomp", "conj", "advcl"):
                gov_subj = [c for c in tok.head.head.children if c.dep_ in ("nsubj", "nsubjpass")]
                if gov_subj and gov_subj[0].pos_ == "NOUN" and gov_subj[0].i + offset not in {
                        mm.start for mm in d.mentions if mm.sent == sid} and not any(
                        mm.start <= gov_subj[0].i + offset < mm.end for mm in d.mentions if mm.sent == sid):
                    r.blocked = True
            out.append(r)
    # direct quotes: the speaker is the subject of a speech verb outside the quotation
    a, b = d.sent_bounds[sid]
    here = [mm for mm in d.mentions if mm.sent == sid] + out
    for m in here:
        m.in_quote = d.in_quote[m.start]
    if any(d.in_quote[a:b]):
        speech = verbs["assertive"] | verbs["hedged"] | SPEECH_VERBS
        speakers = [m for m in here if not m.in_quote and m.voice == "active_subject" and m.verb in speech]
        for m in here:
            if m.in_quote:
                continue
            tok = parsed[m.start - offset]
            if m.form == "name":
                tok = parsed[m.start - offset:m.end - offset].root
            if tok.dep_ == "pobj" and tok.head.lower_ == "to" and tok.head.head.lower_ == "according":
                speakers.append(m)
                m.reporting_kind = m.reporting_kind or "assertive"
        for m in speakers:
            m.is_quote_speaker = True
        if speakers:
            spk = speakers[0]
            # he/she inside the quotation is not its speaker; I/me/my is
            for m in out:
                if m.in_quote and m.form == "pronoun":
                    m.not_person_of = [x.start for x in speakers]
            for tok in parsed:
                i = tok.i + offset
                if d.in_quote[i] and tok.lower_ in FIRST_PERSON:
                    r = _Mention(None, sid, i, i + 1, "first_person", tok.text)
                    _analyse_mention(r, tok, d, offset, verbs)
                    r.in_quote = True
                    r.speaker = spk.start
                    out.append(r)
    return out


# --------------------------------------------------------------------------- gender and coreference


def _resolve(d: _Doc, pronouns: list[_Mention], prior: Sequence[str | None],
             hard: Sequence[bool], window: int = 2) -> None:
    """Resolve he/she pronouns to people of the article (in place).

    Candidates are name mentions (and pronouns already resolved) earlier in
    the same sentence or in the ``window`` previous sentences, minus the
    argument a pronoun cannot corefer with (an object pronoun and the
    understood subject of its verb: "Haider groped her", "accused X of
    harassing her"). Among them a person whose ``prior`` gender agrees with
    the pronoun is preferred, then one of unknown gender, then the most
    recent. A person whose prior is ``hard`` (registry, honorific) and
    disagrees is never chosen; a soft prior (the name list) only breaks ties,
    so "Nana Patekar denied it. He said ..." still resolves "He" to Nana.
    """
    events = sorted([(m.start, 0, m) for m in d.mentions if m.person is not None]
                    + [(p.start, 1, p) for p in pronouns], key=lambda e: (e[0], e[1]))
    recent: list[_Mention] = []
    for _, kind, m in events:
        if kind == 0:
            recent.append(m)
            continue
        m.person = None
        if m.blocked:
            continue
        banned = set()
        for start in m.not_person_of:
            for r in reversed(recent):
                if r.start <= start < max(r.end, r.start + 1) and r.person is not None:
                    banned.add(r.person)
                    break
        if m.binds is not None:
            for r in reversed(recent):
                if r.start <= m.binds < max(r.end, r.start + 1) and r.person is not None:
                    banned.add(r.person)
                    break
        best: tuple[int, int] | None = None
        seen: set[int] = set()
        for rank, r in enumerate(reversed(recent)):
            if m.sent - r.sent > window:
                break
            k = r.person
            if k is None or k in banned or k in seen:
                continue
            seen.add(k)
            g = prior[k]
            if g is None:
                cls = 1
            elif g == m.pron_gender:
                cls = 0
            elif hard[k]:
                continue
            else:
                cls = 2
            if best is None or (cls, rank) < (best[0], best[1]):
                best = (cls, rank, k)
        if best is not None:
            m.person = best[2]
            recent.append(m)


def _pronoun_tokens(d: _Doc, parsed_pronouns: list[_Mention]) -> list[_Mention]:
    """he/she tokens of the whole article: parsed ones carry binding info, the rest do not."""
    seen = {p.start for p in parsed_pronouns}
    out = list(parsed_pronouns)
    for i, t in enumerate(d.text):
        low = t.lower()
        if low in PRONOUN_GENDER and i not in seen and d.pos[i] == "PRON":
            out.append(_Mention(None, d.sent[i], i, i + 1, "pronoun", t, pron_gender=PRONOUN_GENDER[low]))
    return sorted(out, key=lambda m: m.start)


def _honorific_votes(d: _Doc, k: int) -> Counter:
    votes: Counter = Counter()
    p = d.persons[k]
    for t in p.titles:
        if t in HONORIFICS:
            votes[HONORIFICS[t]] += 1
    for m in d.mentions:
        if m.person != k or m.form != "name":
            continue
        # words just before the name: "actress Ritika Sood", "Ms Baloch", "female artist X"
        j = m.start - 1
        steps = 0
        while j >= 0 and steps < 4 and d.sent[j] == m.sent:
            if d.pos[j] == "SPACE" and "\n" not in d.text[j]:
                j -= 1
                continue
            low = d.text[j].lower().rstrip(".")
            if low in HONORIFICS:
                votes[HONORIFICS[low]] += 1
                break
            if d.lemma[j] in GENDERED_NOUNS and d.pos[j] in ("NOUN", "PROPN", "ADJ"):
                votes[GENDERED_NOUNS[d.lemma[j]]] += 1
                break
            if d.pos[j] not in ("NOUN", "PROPN", "ADJ", "PUNCT") or d.text[j] in (",", ".", ";", ":", "(", ")"):
                break
            j -= 1
            steps += 1
        # words just after: "Kiran Malhotra (a man)", "Hamza Farooqi, a male actor"
        j, steps = m.end, 0
        while j < len(d.text) and steps < 5 and d.sent[j] == m.sent:
            if d.pos[j] == "SPACE" and "\n" not in d.text[j]:
                j += 1
                continue
            low = d.lemma[j]
            if low in GENDERED_NOUNS and d.pos[j] in ("NOUN", "ADJ", "PROPN"):
                votes[GENDERED_NOUNS[low]] += 1
                break
            if d.text[j].lower().rstrip(".") in ("sahab", "sahib"):
                votes["male"] += 1
                break
            if d.text[j] not in ("(", ",", "a", "an", "the") and d.pos[j] not in ("ADJ", "DET", "ADV"):
                break
            j += 1
            steps += 1
    return votes


def _decide(votes: Counter, min_share: float = 0.6) -> str | None:
    total = votes["male"] + votes["female"]
    if total == 0:
        return None
    top = "male" if votes["male"] >= votes["female"] else "female"
    return top if votes[top] / total >= min_share and votes[top] > votes[{"male": "female", "female": "male"}[top]] \
        else None


# --------------------------------------------------------------------------- main


_UPOS = frozenset({"ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON",
                   "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X", "SPACE"})


def _parse_selected(docs: list[_Doc], selected: list[set[int]], n_process: int, batch_size: int,
                    progress: bool) -> int:
    from spacy.tokens import Doc
    from tqdm.auto import tqdm

    from analysis.preprocess import load_nlp

    nlp = load_nlp(("tok2vec", "parser"))
    jobs = [(k, s) for k, chosen in enumerate(selected) for s in sorted(chosen)]

    def make(k: int, s: int):
        d = docs[k]
        a, b = d.sent_bounds[s]
        words = d.text[a:b]
        spaces = [bool(w) for w in d.ws[a:b]]
        pos = [t if t in _UPOS else "X" for t in d.pos[a:b]]
        return Doc(nlp.vocab, words=words, spaces=spaces, pos=pos, lemmas=d.lemma[a:b])

    stream = (make(k, s) for k, s in jobs)
    bar = tqdm(total=len(jobs), desc="parsing person sentences", unit="sent", file=sys.stderr,
               disable=not progress)
    for (k, s), parsed in zip(jobs, nlp.pipe(stream, batch_size=batch_size, n_process=n_process),
                              strict=True):
        docs[k].parsed[s] = parsed
        bar.update(1)
    bar.close()
    return len(jobs)


def _assign_roles(persons: list[_Person], every: list[_Mention]) -> tuple[list[str], list[str]]:
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


def _doc_rows(d: _Doc, verbs: dict, lexicon: dict[str, tuple[float, float]]) -> list[dict]:
    pron_parsed: list[_Mention] = []
    for sid in sorted(d.parsed):
        pron_parsed.extend(_analyse_sentence(d, sid, d.parsed[sid], verbs))
    relatives = [m for m in pron_parsed if m.form == "relative"]
    pronouns = [m for m in pron_parsed if m.form == "pronoun"]
    first_person = [m for m in pron_parsed if m.form == "first_person"]
    persons = d.persons
    n = len(persons)
    # ---- gender: registry > coreferent pronouns > honorifics/gendered nouns > name list
    all_pron = _pronoun_tokens(d, pronouns)
    names = _name_genders()
    hon_votes = [_honorific_votes(d, k) for k in range(n)]
    strong = [p.registry_gender or _decide(hon_votes[k], 0.75) for k, p in enumerate(persons)]
    listed = [names.get(p.first.lower()) if p.first else
              (names.get(p.canonical.lower()) if len(p.canonical.split()) == 1 else None) for p in persons]
    hard = [g is not None for g in strong]
    pron_gender: list[str | None] = [None] * n
    for _ in range(2):     # a second round uses the first round's pronoun genders as priors
        prior = [strong[k] or pron_gender[k] or listed[k] for k in range(n)]
        _resolve(d, all_pron, prior, hard)
        votes = [Counter() for _ in range(n)]
        for m in all_pron:
            if m.person is not None:
                votes[m.person][m.pron_gender] += 1
        pron_gender = [_decide(v) for v in votes]
    genders: list[str] = []
    sources: list[str] = []
    for k, p in enumerate(persons):
        if p.registry_gender:
            g, s = p.registry_gender, "registry"
        elif pron_gender[k] is not None:
            g, s = pron_gender[k], "pronoun"
        elif (g := _decide(hon_votes[k])) is not None:
            s = "honorific"
        elif listed[k] is not None:
            g, s = listed[k], "name_list"
        else:
            g, s = "unknown", "unknown"
        genders.append(g)
        sources.append(s)
    # ---- coreference for roles: agreement with the final genders (the name list stays soft)
    final = [g if g != "unknown" else None for g in genders]
    _resolve(d, all_pron, final, [src in ("registry", "pronoun", "honorific") for src in sources])
    resolved = [m for m in all_pron if m.person is not None and m.sent in d.parsed]
    # I/me/my inside a quotation: its speaker (a name, or a pronoun resolved above)
    owner_of: dict[int, int] = {}
    for m in [*d.mentions, *resolved]:
        if m.person is not None:
            owner_of[m.start] = m.person
    for m in first_person:
        m.person = owner_of.get(m.speaker)
    resolved += [m for m in first_person if m.person is not None]
    # ---- roles: sum the evidence of every mention of a person
    every = [m for m in d.mentions if m.person is not None] + relatives + resolved
    roles_out, role_src = _assign_roles(persons, every)
    # second pass: the object of an action by the accused ("Fairbanks invited her to a
    # suite", "he pressed her") is on the receiving end (weak evidence)
    owner: dict[int, int] = {}
    for m in every:
        for i in range(m.start, max(m.end, m.start + 1)):
            owner[i] = m.person
    for m in every:
        if m.ctrl is not None and m.voice == "object" and m.ctrl in owner:
            agent = owner[m.ctrl]
            if agent != m.person and roles_out[agent] == "accused" and roles_out[m.person] != "accused":
                m.evidence.append(("victim", RELATIONAL, "object_of_accused"))
    roles_out, role_src = _assign_roles(persons, every)
    # ---- rows
    rows = []
    for m in sorted(every, key=lambda x: x.start):
        k = m.person
        ag, pw = lexicon.get(m.verb, (float("nan"), float("nan")))
        if m.agent_role == "agent":
            agency, power = ag, pw
        elif m.agent_role == "theme":
            agency, power = float("nan"), (-pw if not math.isnan(pw) else pw)
        else:
            agency, power = float("nan"), float("nan")
        v_ev = sum(w for r, w, _ in m.evidence if r == "victim")
        a_ev = sum(w for r, w, _ in m.evidence if r == "accused")
        rows.append({
            "doc_id": d.doc_id, "sentence_id": d.table_sent[m.start], "person": persons[k].canonical,
            "role": roles_out[k], "gender": genders[k], "gender_source": sources[k],
            "voice": m.voice, "verb": m.verb, "form": m.form, "text": m.text, "token": m.start,
            "dep": m.dep, "pattern": ";".join(pt for _, _, pt in m.evidence),
            "victim_evidence": v_ev, "accused_evidence": a_ev, "role_source": role_src[k],
            "in_quote": bool(m.in_quote), "is_quote_speaker": bool(m.is_quote_speaker),
            "reporting_kind": m.reporting_kind, "harm_verb": bool(m.harm_verb),
            "agency": agency, "power": power,
        })
    return rows


def mentions(corpus: Corpus, *, use_registry: bool = True, tokens: pd.DataFrame | None = None,
             progress: bool = True, n_process: int = 1, batch_size: int = 256,
             lexicon: pd.DataFrame | None = None, cache_dir: Path | None = None) -> pd.DataFrame:
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
        ``accused_evidence``, ``role_source`` (text|registry|none),
        ``in_quote``, ``is_quote_speaker``, ``reporting_kind``
        (assertive|hedged|""), ``harm_verb`` (the mention is an argument of
        a harassment verb), ``agency`` and ``power`` (connotation-frame
        scores of the verb from this person's side, Field et al. 2019).

    Notes
    -----
    Role patterns and gender sources are described in the module docstring.
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

    if tokens is None:
        tokens = preprocess.tokens(corpus, progress=progress, cache_dir=cache_dir,
                                   columns=["doc_id", "sent", "i", "text", "ws", "lemma", "pos", "ent"])
    registry = _registry_people(corpus) if use_registry else {}
    verbs = _verb_sets()
    lex = lexicon if lexicon is not None else load_verb_lexicon()
    lex_map = {v: (a, p) for v, a, p in zip(lex["verb"], lex["agency"], lex["power"], strict=True)}
    wanted = set(corpus.docs["doc_id"])
    docs: list[_Doc] = []
    selected: list[set[int]] = []
    for doc_id, part in tokens.groupby("doc_id", sort=False):
        if doc_id not in wanted:
            continue
        d = _build_doc(str(doc_id), part)
        _find_people(d, registry.get(doc_id))
        docs.append(d)
        selected.append(_cue_sentences(d, verbs))
    _parse_selected(docs, selected, n_process, batch_size, progress)
    rows: list[dict] = []
    for d in docs:
        rows.extend(_doc_rows(d, verbs, lex_map))
        d.parsed.clear()
    out = pd.DataFrame(rows, columns=[*MENTION_COLUMNS, *EXTRA_COLUMNS])
    out["sentence_id"] = out["sentence_id"].astype(int)
    out["token"] = out["token"].astype(int)
    return out


# --------------------------------------------------------------------------- article level


def victim_gender(corpus: Corpus, mentions_df: pd.DataFrame, *, mixed_share: float = 0.4) -> pd.DataFrame:
    """The gender of each article's alleged victim(s): female, male, mixed or unknown.

    With a case registry (``corpus.cases`` and a ``case_id``), the registry's
    ``victim_gender`` is used (``source = "registry"``, confidence 1).
    Otherwise it is inferred from ``mentions_df``: every person whose role is
    ``victim`` votes for their gender with weight ``victim evidence x
    log2(1 + mentions)`` (people who are both central and clearly
    victims count most). The majority gender wins; ``mixed`` when the
    minority has at least ``mixed_share`` of the weight; ``unknown`` when no
    victim has a known gender.

    Confidence = majority share x (1 - exp(-total weight / 3)): high when
    the evidence is both one-sided and plentiful.

    Parameters
    ----------
    corpus : Corpus
    mentions_df : pandas.DataFrame
        From :func:`mentions`.
    mixed_share : float
        Minority share of the vote at or above which an article is ``mixed``.

    Returns
    -------
    pandas.DataFrame
        ``doc_id, victim_gender, source, confidence``, one row per document.

    Examples
    --------
    >>> m = pd.DataFrame({"doc_id": ["a"] * 3, "person": ["A", "A", "B"],
    ...     "role": ["victim", "victim", "accused"], "gender": ["male", "male", "female"],
    ...     "victim_evidence": [2.0, 0.0, 0.0]})
    >>> c = type("C", (), {"docs": pd.DataFrame({"doc_id": ["a"]}), "cases": None})()
    >>> victim_gender(c, m)[["doc_id", "victim_gender", "source"]].values.tolist()
    [['a', 'male', 'inferred']]
    """
    docs = corpus.docs
    reg: dict[str, str] = {}
    if getattr(corpus, "cases", None) is not None and "case_id" in docs.columns \
            and "victim_gender" in docs.columns:
        for doc_id, cid, g in zip(docs["doc_id"], docs["case_id"], docs["victim_gender"], strict=True):
            if isinstance(cid, str) and g in ("female", "male", "mixed"):
                reg[doc_id] = g
    vict = mentions_df[mentions_df["role"] == "victim"]
    weights: dict[str, Counter] = defaultdict(Counter)
    if len(vict):
        per = vict.groupby(["doc_id", "person"]).agg(
            gender=("gender", "first"), ev=("victim_evidence", "sum"), n=("person", "size"))
        for (doc_id, _), rec in per.iterrows():
            if rec["gender"] in ("female", "male"):
                weights[doc_id][rec["gender"]] += max(rec["ev"], 0.5) * math.log2(1 + rec["n"])
    rows = []
    for doc_id in docs["doc_id"]:
        if doc_id in reg:
            rows.append((doc_id, reg[doc_id], "registry", 1.0))
            continue
        w = weights.get(doc_id, Counter())
        total = w["female"] + w["male"]
        if total == 0:
            rows.append((doc_id, "unknown", "inferred", 0.0))
            continue
        top = "female" if w["female"] >= w["male"] else "male"
        share = w[top] / total
        strength = 1 - math.exp(-total / 3)
        if 1 - share >= mixed_share:
            rows.append((doc_id, "mixed", "inferred", round((1 - abs(2 * share - 1)) * strength, 3)))
        else:
            rows.append((doc_id, top, "inferred", round(share * strength, 3)))
    return pd.DataFrame(rows, columns=["doc_id", "victim_gender", "source", "confidence"])


def role_measures(mentions_df: pd.DataFrame, *, roles: Sequence[str] = ("victim", "accused"),
                  wide: bool = False) -> pd.DataFrame:
    """Voice and agency measures per article and role (alleged victims vs accused).

    Measures (each computed over the mentions of the people with that role):

    ``n_mentions``
        Mentions (names, "who", resolved he/she).
    ``agency``
        Share of mentions attached to a verb as its active subject, out of
        active subject + passive subject + object (Field, Bhat & Tsvetkov 2019
        discuss who is portrayed as acting and who as acted upon).
    ``passive_share``
        Of the mentions that are arguments of a harassment verb, the share
        in a passive construction (passive subject or "by" agent).
    ``assertive_reporting_share``, ``hedged_reporting_share``
        Of the mentions that are the subject of a reporting verb, the share
        introduced by assertive verbs (said, revealed, shared) and by hedged
        verbs (alleged, claimed, insisted).
    ``quote_share``
        Share of the article's attributed direct quotes whose speaker has
        this role (who gets a voice; quote attribution as in the Gender Gap
        Tracker, Asr et al. 2021).
    ``power_score``, ``agency_score``
        Mean connotation-frame power and agency of the verbs around the
        mentions (Sap et al. 2017 lexicon format; scoring as in Field et al.
        2019: agents take the verb's values, themes the reverse power).

    Parameters
    ----------
    mentions_df : pandas.DataFrame
        From :func:`mentions`.
    roles : sequence of str
        Roles to report.
    wide : bool
        Return one row per (doc_id, role) with a column per measure
        instead of the tidy long format.

    Returns
    -------
    pandas.DataFrame
        Long format ``doc_id, role, measure, value`` (NaN where a measure
        has no mentions to count), or wide with ``wide=True``.

    Examples
    --------
    >>> m = pd.DataFrame({"doc_id": ["a"] * 3, "role": ["accused", "victim", "victim"],
    ...     "voice": ["active_subject", "object", "active_subject"], "harm_verb": [True, True, False],
    ...     "is_quote_speaker": [False, False, True], "reporting_kind": ["", "", "hedged"],
    ...     "agency": [1.0, float("nan"), 1.0], "power": [1.0, -1.0, 0.0]})
    >>> w = role_measures(m, wide=True).set_index("role")
    >>> float(w.loc["victim", "agency"]), float(w.loc["victim", "quote_share"])
    (0.5, 1.0)
    """
    m = mentions_df
    quotes = m[m["is_quote_speaker"].astype(bool)].groupby("doc_id").size()
    rows = []
    for (doc_id, role), g in m[m["role"].isin(roles)].groupby(["doc_id", "role"], sort=True):
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
    long = pd.DataFrame(rows, columns=["doc_id", "role", "measure", "value"])
    if not wide:
        return long
    out = long.pivot_table(index=["doc_id", "role"], columns="measure", values="value", dropna=False,
                           sort=False).reset_index()
    out.columns.name = None
    return out


# --------------------------------------------------------------------------- evaluation helpers


def evaluate(corpus_with_cases: Corpus, mentions_df: pd.DataFrame,
             inferred: pd.DataFrame | None = None) -> dict[str, float]:
    """Accuracy of inferred victim gender and roles against a case registry.

    Parameters
    ----------
    corpus_with_cases : Corpus
        The corpus loaded *with* its ``cases.csv`` (the gold standard).
    mentions_df : pandas.DataFrame
        Mentions inferred without the registry (``use_registry=False``).
    inferred : pandas.DataFrame, optional
        :func:`victim_gender` output computed without the registry.

    Returns
    -------
    dict
        ``victim_gender_accuracy`` (documents with a case), ``role_accuracy``
        (registry people of each document's case found in it, matched by
        surname; their inferred role must equal the registry role),
        ``n_docs``, ``n_people``.
    """
    docs = corpus_with_cases.docs
    cases = corpus_with_cases.cases
    if cases is None:
        raise ValueError("evaluate() needs a corpus loaded with its cases.csv")
    with_case = docs[docs["case_id"].notna()]
    out: dict[str, float] = {"n_docs": float(len(with_case))}
    if inferred is not None:
        merged = with_case[["doc_id", "victim_gender"]].merge(
            inferred[["doc_id", "victim_gender"]], on="doc_id", suffixes=("_true", "_pred"))
        out["victim_gender_accuracy"] = float((merged["victim_gender_true"] == merged["victim_gender_pred"]).mean())
    case_people = {}
    for rec in cases.to_dict("records"):
        people = [(n, "victim") for n in _split_names(rec.get("victims"))]
        people += [(n, "accused") for n in _split_names(rec.get("accused"))]
        case_people[rec["case_id"]] = people
    per_person = mentions_df.groupby(["doc_id", "person"])["role"].first().reset_index()
    per_person["surname"] = per_person["person"].str.split().str[-1].str.lower()
    lookup = {(d, s): r for d, s, r in zip(per_person["doc_id"], per_person["surname"], per_person["role"],
                                           strict=True)}
    hits = total = 0
    for doc_id, cid in zip(with_case["doc_id"], with_case["case_id"], strict=True):
        for name, role in case_people.get(cid, []):
            key = (doc_id, name.split()[-1].lower())
            if key in lookup:
                total += 1
                hits += lookup[key] == role
    out["n_people"] = float(total)
    out["role_accuracy"] = hits / total if total else float("nan")
    return out

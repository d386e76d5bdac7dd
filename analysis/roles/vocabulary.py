"""Closed word classes and tag sets of the role patterns (hand-written for this project).

The words the dependency patterns of :mod:`analysis.roles.patterns` look for
besides the verb lexicons (nouns that name a role, words that reverse legal
action, honorifics and gendered nouns, titles ...) are data, read once from
the files in ``analysis/lexicons/roles/`` (``word_classes.csv``,
``honorifics.csv``, ``gendered_nouns.csv``; each file's header comment
documents its columns and classes). The harassment, accusation, denial and
reporting verbs are read from ``harassment_verbs.csv`` and
``reporting_verbs.csv`` (:mod:`analysis.roles.lexicons`). What stays in code
are grammatical tag sets: pronouns, quotation marks, dependency labels
(ClearNLP scheme, Choi & Palmer 2012) and universal POS tags.

Example
-------
>>> "harasser" in ACCUSED_NOUNS, PRONOUN_GENDER["her"], HONORIFICS["mr"]
(True, 'female', 'male')
"""

from __future__ import annotations

from analysis.roles.lexicons import gender_table, lemma_fixes, word_classes

_CLASSES = word_classes()

#: Legal action: subject = victim, object = accused, unless about defamation (reversed).
SUE_VERBS: frozenset[str] = _CLASSES["sue_verb"]
#: Filing verbs: their object decides ("filed a complaint" vs "filed a defamation suit").
FILE_VERBS: frozenset[str] = _CLASSES["file_verb"]
#: Verbs of coming forward (weak evidence for the accuser).
DISCLOSE_VERBS: frozenset[str] = _CLASSES["disclose_verb"]
#: "X faces allegations" (X accused), "X faced harassment" (X victim).
FACE_VERBS: frozenset[str] = _CLASSES["face_verb"]
#: "Allegations hit X", "X was embroiled in allegations": X accused.
HIT_VERBS: frozenset[str] = _CLASSES["hit_verb"]
#: Criminal process: the theme ("X was arrested / convicted / acquitted") is the accused.
ARREST_VERBS: frozenset[str] = _CLASSES["arrest_verb"]
#: Words that introduce a list of names sharing a role ("actresses including X, Y and Z").
LIST_WORDS: frozenset[str] = _CLASSES["list_word"]
#: Nouns for an allegation ("the allegations against X", "her complaint").
ALLEGATION_NOUNS: frozenset[str] = _CLASSES["allegation_noun"]
#: Nouns whose possessor is the accused ("Haider's accuser", "his victims").
ACCUSER_NOUNS: frozenset[str] = _CLASSES["accuser_noun"]
#: Nouns naming the alleged victim ("victim X", "X, the complainant").
VICTIM_NOUNS: frozenset[str] = _CLASSES["victim_noun"]
#: Nouns naming the accused ("the accused, X", "X's harasser" = X is the victim).
ACCUSED_NOUNS: frozenset[str] = _CLASSES["accused_noun"]
HARM_NOUNS: frozenset[str] = _CLASSES["harm_noun"]
#: Words that turn legal action around ("defamation suit against the accuser").
COUNTER_WORDS: frozenset[str] = _CLASSES["counter_word"]
#: "false allegations against X": no evidence either way (who calls them false?).
FALSE_WORDS: frozenset[str] = _CLASSES["false_word"]
#: Words of an account of harm in what a person says about themself ("PTSD", "nightmares").
TRAUMA_WORDS: frozenset[str] = _CLASSES["trauma_word"]
#: Modifiers that brand a person as an accused ("disgraced mogul X").
STIGMA_WORDS: frozenset[str] = _CLASSES["stigma_word"]
#: Words of a denial in what a person says ("the claims are baseless"; analysis.roles.speech).
DENIAL_WORDS: frozenset[str] = _CLASSES["denial_word"]
#: What a "victim of ..." is when it is not harassment (the accused's counter-narrative).
SMEAR_NOUNS: frozenset[str] = _CLASSES["smear_noun"]
#: People who speak for someone else: never given the victim/accused role.
PROXY_NOUNS: frozenset[str] = _CLASSES["proxy_noun"]
#: Titles and relations that describe a bystander ("Chief Minister X", "X, her lawyer", "his wife X").
BYSTANDER_TITLES: frozenset[str] = _CLASSES["bystander_title"]
HONORIFICS: dict[str, str] = gender_table("roles/honorifics.csv")
GENDERED_NOUNS: dict[str, str] = gender_table("roles/gendered_nouns.csv")
#: Leading titles stripped from names (their gender, if any, is in HONORIFICS).
TITLES: frozenset[str] = _CLASSES["title"] | frozenset(HONORIFICS)
#: Verbs that introduce speech besides the reporting verbs ("Malhotra replied, '...'").
SPEECH_VERBS: frozenset[str] = _CLASSES["speech_verb"]
FIRST_PERSON: frozenset[str] = frozenset({"i", "me", "my", "myself", "mine"})
MALE_PRONOUNS: frozenset[str] = frozenset({"he", "him", "his", "himself"})
FEMALE_PRONOUNS: frozenset[str] = frozenset({"she", "her", "hers", "herself"})
PRONOUN_GENDER: dict[str, str] = {**{p: "male" for p in MALE_PRONOUNS},
                                  **{p: "female" for p in FEMALE_PRONOUNS}}
#: PERSON entities that are not people.
NOT_PEOPLE: frozenset[str] = _CLASSES["not_people"]
#: Hindi-Urdu function words that make a capitalised run a title ("Mitti Ke Sapne"), not a name.
TITLE_PARTICLES: frozenset[str] = _CLASSES["title_particle"]
QUOTE_OPEN: frozenset[str] = frozenset({"\u201c", "\u2018", "``"})
QUOTE_CLOSE: frozenset[str] = frozenset({"\u201d", "\u2019", "''"})
QUOTE_BOTH: frozenset[str] = frozenset({'"'})
SUBJECT_DEPS: frozenset[str] = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT_DEPS: frozenset[str] = frozenset({"nsubjpass", "csubjpass"})
OBJECT_DEPS: frozenset[str] = frozenset({"dobj", "dative", "iobj", "obj", "oprd"})
CLAUSE_DEPS: frozenset[str] = frozenset({"conj", "ccomp", "advcl", "parataxis", "relcl", "xcomp",
                                         "acl", "csubj"})

#: Entity types that are never (part of) a person's name.
NOT_NAME_ENTS: frozenset[str] = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL",
                                            "QUANTITY", "LAW"})
#: Occupations that introduce a name ("casting director Sheetal Kapoor").
OCCUPATIONS: frozenset[str] = _CLASSES["occupation"] | frozenset(GENDERED_NOUNS)
#: Last words of places and organisations that look like "Firstname Lastname" ("Beverly Hills").
PLACE_WORDS: frozenset[str] = _CLASSES["place_word"]
#: "forced to resign", "pressured to step down": career exits, not harassment.
EXIT_VERBS: frozenset[str] = _CLASSES["exit_verb"]
#: Light verbs that describe harassment with a noun ("made advances", "subjected her to abuse").
LIGHT_VERBS: frozenset[str] = _CLASSES["light_verb"]
LIGHT_NOUNS: frozenset[str] = HARM_NOUNS | _CLASSES["light_noun"]
#: Word form -> (POS or "", lemma): lemmas the small model gets wrong ("raped" -> "rap").
LEMMA_FIXES: dict[str, tuple[str, str]] = lemma_fixes()

#: Universal POS tags spaCy accepts when a Doc is built from the token table.
UPOS = frozenset({"ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON",
                   "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X", "SPACE"})

"""Closed word classes and tag sets of the role patterns (hand-written for this project).

These are the words the dependency patterns of :mod:`analysis.roles.patterns`
look for besides the verb lexicons: nouns that name a role ("victim",
"harasser"), words that reverse legal action ("defamation"), honorifics and
gendered nouns, quotation marks and dependency labels. The harassment,
accusation, denial and reporting verbs themselves are read from the lexicon
files (:mod:`analysis.roles.lexicons`); ``HARM_EXTRA``, ``DENY_EXTRA`` and
``ASSERTIVE_EXTRA`` are the few verbs the patterns also need that those files
do not list (they are added to the files' verbs, never a second copy of them).

Example
-------
>>> "harasser" in ACCUSED_NOUNS, PRONOUN_GENDER["her"]
(True, 'female')
"""

from __future__ import annotations

#: Harassment verbs not listed as ``act`` in harassment_verbs.csv.
HARM_EXTRA: frozenset[str] = frozenset({"cyberstalk", "hound", "lock", "pester", "prey", "retaliate",
                                        "seduce", "target", "torment"})
#: Denials not listed in harassment_verbs.csv (deny) or reporting_verbs.csv (denial).
DENY_EXTRA: frozenset[str] = frozenset({"apologise", "apologize", "fight", "rubbish"})
#: Assertive reporting verbs not listed in reporting_verbs.csv.
ASSERTIVE_EXTRA: frozenset[str] = frozenset({"post", "tweet"})
#: The accusation verbs proper are the ``accuse`` rows of harassment_verbs.csv; the three
#: classes below refine how some verbs (listed there or not) are read.
#: Legal action: subject = victim, object = accused, unless about defamation (reversed).
SUE_VERBS: frozenset[str] = frozenset({"sue", "countersue", "prosecute"})
#: Filing verbs: their object decides ("filed a complaint" vs "filed a defamation suit").
FILE_VERBS: frozenset[str] = frozenset({"file", "lodge", "register", "bring", "launch", "submit"})
#: Verbs of coming forward (weak evidence for the accuser).
DISCLOSE_VERBS: frozenset[str] = frozenset({"allege", "complain", "report", "testify", "speak",
                                            "open", "recount", "come", "disclose", "share", "describe"})
#: Nouns for an allegation ("the allegations against X", "her complaint").
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

#: Entity types that are never (part of) a person's name.
NOT_NAME_ENTS: frozenset[str] = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL",
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

#: "forced to resign", "pressured to step down": career exits, not harassment.
EXIT_VERBS: frozenset[str] = frozenset({"resign", "step", "quit", "leave", "retire", "apologise",
                                        "apologize", "go", "withdraw", "sell"})
#: Light verbs that describe harassment with a noun ("made advances", "subjected her to abuse").
LIGHT_VERBS: frozenset[str] = frozenset({"make", "commit", "subject", "perpetrate", "inflict"})
LIGHT_NOUNS: frozenset[str] = HARM_NOUNS | frozenset({"advance", "pass", "remark", "comment", "contact",
                                                      "proposal", "threat"})

#: Universal POS tags spaCy accepts when a Doc is built from the token table.
UPOS = frozenset({"ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON",
                   "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X", "SPACE"})

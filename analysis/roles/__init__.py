"""People, their roles (alleged victim, accused, other), gender, voice and agency.

What this package measures
--------------------------
For every article it finds the people (spaCy PERSON entities, plus the names
in the case registry ``cases.csv`` when one is given), clusters the variants
of a name into one person per article ("Faraz Haider", "Haider", "Mr Haider"
-> ``Faraz Haider``), and then for every mention records

* the **role** of the person in the article: ``victim`` (alleged victim or
  accuser), ``accused`` or ``other``, from dependency patterns around
  harassment, accusation, legal-action and criminal-process verbs, active
  and passive, in headline, apposition, relative-clause, list ("actresses
  including X"), nominal ("allegations by X against Y", "X's accuser", "the
  X allegations") and first-person-quote forms
  (:mod:`~analysis.roles.patterns` lists them). Evidence from all mentions
  of a person in the article (including pronouns resolved to that person,
  and I/me/my in the person's quotes) is summed; the role with more
  evidence wins. ``role_source`` says where it came from: ``text`` (the
  patterns), ``registry`` (``cases.csv``, when the text says nothing),
  ``article`` (no evidence of their own: a person named next to a
  harassment sentence takes the side of their gender when the article's
  victims and accused are of different genders; in an article of accounts
  with nobody accused by name, a person who speaks there and is of the
  victims' gender joins them; never for a person the article titles as an
  official, a lawyer, a clinician or a relative, ``bystander_title`` in
  ``roles/word_classes.csv``; a weak inference to filter out when it
  matters) or ``none``; with the opt-in learned roles
  (:func:`analysis.roles.learned.fill_roles`, ``embeddings`` extra) a
  person left as ``other`` can get a role from a fine-tuned encoder over
  their mention sentences (``learned``);
* the person's **gender** and where it came from: the case registry,
  coreferent third-person pronouns, honorifics and gendered nouns, and last
  a list of first names (:mod:`~analysis.roles.gender`);
* the mention's **voice** (``active_subject``, ``passive_subject``,
  ``object``, ``other``; the agent of a passive, "by X", is ``other`` with
  ``dep == "agent"``) and the governing **verb** lemma;
* whether the mention is the **speaker of a direct quote** and which kind of
  **reporting verb** introduces the person's statement (assertive: said,
  revealed; hedged: alleged, claimed);
* the connotation-frame **power** and **agency** of the verb from the
  person's point of view.

The person-centred framing of power and agency follows Field, Bhat &
Tsvetkov (2019), "Contextual affective analysis: a case study of people
portrayals in online #MeToo stories" (ICWSM); the verb lexicon format is the
connotation frames of Sap et al. (2017) ("Connotation frames of power and
agency in modern films", EMNLP); quote attribution follows the Gender Gap
Tracker (Asr et al. 2021, PLOS ONE).

Lexicon files (required)
------------------------
Every word class is data, read from ``analysis/lexicons/`` (the files ship
with the package; a missing or malformed file raises
:class:`analysis.errors.LexiconError` naming the file and line; editing a
file changes the results on the next call, the files are re-read when they
change): ``harassment_verbs.csv`` (``verb, kind``: ``act`` harassment verbs,
``accuse`` accusation verbs, ``deny`` denials), ``reporting_verbs.csv``
(``assertive``, ``hedged``, ``denial``), ``verbs.csv`` (power/agency, a
hand-written lexicon in the Sap et al. format, not their data),
``names_gender.csv`` (first names, the last gender source), and in
``roles/``: ``word_classes.csv`` (role nouns, allegation and harm nouns,
legal-action, filing, coming-forward, facing, criminal-process and exit
verbs, list words, titles, occupations ...; its header documents every
class), ``honorifics.csv``, ``gendered_nouns.csv``, ``lemma_fixes.csv``
(the small model's lemma mistakes), ``male_victim_statements.csv``,
``group_victim_patterns.csv``, ``victim_pronoun_patterns.csv`` and
``victim_noun_patterns.csv`` (the victim-gender text fallback).
:mod:`~analysis.roles.vocabulary` exposes the classes; only grammatical tag
sets (pronouns, quotation marks, dependency labels) stay in code.

Modules
-------
``lexicons`` (reading the lexicon files), ``vocabulary`` (word classes),
``document`` (an article's tokens and mentions), ``people`` (finding names),
``aliases`` (one person per name cluster), ``syntax`` (parse-tree helpers),
``evidence`` (weights and helpers the rules share), ``patterns`` (role evidence from verbs and
clauses), ``nominal`` (role evidence from nouns: "allegations against X", "X's accuser"), ``sentences`` (what to parse, per-sentence
mentions and quotes), ``speech`` (role evidence from what a person says:
quotes, reported speech, signed posts, for people with no other evidence), ``gender`` (pronouns and genders), ``extract``
(:func:`mentions`), ``measures`` (:func:`victim_gender`,
:func:`role_measures`). Accuracy against a case registry is
:func:`analysis.validation.evaluate`.

Example
-------
>>> from analysis import corpus, roles
>>> c = corpus.load("data/raw/teaching", use_cases=False)      # doctest: +SKIP
>>> m = roles.mentions(c)                                      # doctest: +SKIP
>>> roles.victim_gender(c, m).victim_gender.value_counts()     # doctest: +SKIP
>>> roles.role_measures(m).query("measure == 'agency'")        # doctest: +SKIP
"""

from __future__ import annotations

from analysis.roles.document import EXTRA_COLUMNS, GENDER_SOURCES, MENTION_COLUMNS, ROLES, VOICES
from analysis.roles.extract import mentions
from analysis.roles.lexicons import load_verb_lexicon, name_genders, verb_sets
from analysis.roles.measures import role_measures, victim_gender

__all__ = [
    "EXTRA_COLUMNS", "GENDER_SOURCES", "MENTION_COLUMNS", "ROLES", "VOICES",
    "load_verb_lexicon", "mentions", "name_genders", "role_measures", "verb_sets", "victim_gender",
]

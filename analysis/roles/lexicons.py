"""Read the word lists that the role analysis needs from ``analysis/lexicons/``.

These files are read, and all are required (they ship with the package):

* ``harassment_verbs.csv`` (``verb, kind``): ``act`` rows are harassment
  verbs, ``accuse`` rows are accusation verbs (the subject is the accuser),
  ``deny`` rows are denials;
* ``reporting_verbs.csv`` (``verb, kind``): ``assertive``, ``hedged`` and
  ``denial`` reporting verbs (Bell 1991; Bednarek 2006);
* ``verbs.csv`` (``verb, agency, power``): connotation frames of power and
  agency in the format of Sap et al. (2017);
* ``names_gender.csv`` (``name, gender``): first names, the last resort for
  a person's gender;
* ``roles/word_classes.csv`` (``word, class``), ``roles/honorifics.csv`` and
  ``roles/gendered_nouns.csv`` (``word, gender``), ``roles/lemma_fixes.csv``
  (``form, pos, lemma``): the closed word classes of the patterns
  (:mod:`analysis.roles.vocabulary`).

Lines starting with ``#`` and blank lines are comments. Results are cached
by the file's path, modification time and size, so a lexicon edited during
a notebook session is read again on the next call. Problems raise
:class:`analysis.errors.LexiconError` naming the file, line and column.

Example
-------
>>> sets = verb_sets()
>>> "harass" in sets["harm"], "accuse" in sets["accuse"]
(True, True)
"""

from __future__ import annotations

import functools
import io
import os
import re
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TypeVar

import pandas as pd

from analysis.errors import LexiconError

T = TypeVar("T")

#: Lexicon kinds -> the verb set they extend.
_KINDS: dict[str, str] = {"act": "harm", "harm": "harm", "accuse": "accuse", "deny": "deny", "denial": "deny",
                          "assertive": "assertive", "hedged": "hedged", "hedge": "hedged"}
_AGENCY_LABELS = {"agency_pos": 1.0, "agency_neg": -1.0, "agency_equal": 0.0, "pos": 1.0, "neg": -1.0,
                  "equal": 0.0, "positive": 1.0, "negative": -1.0, "neutral": 0.0, "+": 1.0, "-": -1.0,
                  "=": 0.0}
_POWER_LABELS = {"power_agent": 1.0, "power_theme": -1.0, "power_equal": 0.0, "agent": 1.0,
                 "theme": -1.0, "equal": 0.0, "neutral": 0.0, "+": 1.0, "-": -1.0, "=": 0.0}
_CACHE: dict[tuple, object] = {}


def lexicon_path(name: str) -> Path:
    """The path of a lexicon file shipped in ``analysis/lexicons/``.

    Examples
    --------
    >>> lexicon_path("verbs.csv").name
    'verbs.csv'
    """
    return _lexicon_folder() / name


@functools.lru_cache(maxsize=1)
def _lexicon_folder() -> Path:
    """The folder of the shipped lexicon files (looked up once per process)."""
    return Path(str(resources.files("analysis.lexicons")))


def _stamp(path: Path) -> tuple[str, int, int]:
    try:
        st = os.stat(path)
    except OSError as exc:
        raise LexiconError(f"{path}: cannot read the lexicon file ({exc.strerror}); "
                           "check the path or reinstall the package") from None
    return str(path), st.st_mtime_ns, st.st_size


def cached(paths: tuple[Path, ...], build: Callable[[], T]) -> T:
    """``build()``, cached until one of ``paths`` changes (path, mtime, size).

    Examples
    --------
    >>> p = lexicon_path("verbs.csv")
    >>> cached((p,), lambda: 1) == cached((p,), lambda: 2)
    True
    """
    key = (build.__qualname__, *(_stamp(p) for p in paths))
    if key not in _CACHE:
        value = build()
        for old in [k for k in _CACHE if k[0] == key[0]]:
            del _CACHE[old]             # an older version of the same file(s)
        _CACHE[key] = value
    return _CACHE[key]  # type: ignore[return-value]


def read_table(path: Path) -> tuple[pd.DataFrame, list[int]]:
    """A CSV lexicon without its comment and blank lines, and each row's line number.

    Returns
    -------
    (DataFrame, list of int)
        String columns with lower-cased, stripped names; ``lines[i]`` is the
        1-based line number in the file of row ``i``; ``df.attrs["header_line"]``
        is the header's line number.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
    >>> _ = p.write_text("# a comment\\nVerb,kind\\n\\nharass,act\\n")
    >>> df, lines = read_table(p)
    >>> list(df.columns), lines
    (['verb', 'kind'], [4])
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(f"{path}: cannot read the lexicon file ({exc}); save it as UTF-8 text") from None
    kept = [(n, ln) for n, ln in enumerate(text.splitlines(), start=1)
            if ln.strip() and not ln.lstrip().startswith("#")]
    if not kept:
        raise LexiconError(f"{path}: the file has no header line; the first line must name the columns")
    try:
        df = pd.read_csv(io.StringIO("\n".join(ln for _, ln in kept)), dtype=str, keep_default_na=False)
    except pd.errors.ParserError as exc:
        raise LexiconError(f"{path}: not a CSV table ({exc}); one row per line, comma-separated") from None
    df.columns = [str(c).strip().lower() for c in df.columns]
    df.attrs["header_line"] = kept[0][0]
    return df, [n for n, _ in kept[1:]]


def _add_verbs(sets: dict[str, set[str]], path: Path, default: str) -> None:
    df, _ = read_table(path)
    col = "verb" if "verb" in df.columns else df.columns[0]
    kind = next((c for c in ("kind", "type", "category", "class") if c in df.columns), None)
    for i, verb in enumerate(df[col]):
        verb = str(verb).strip().lower()
        target = _KINDS.get(str(df[kind].iloc[i]).strip().lower()) if kind else default
        if verb and target:
            sets[target].add(verb)


def _build_verb_sets() -> dict[str, frozenset[str]]:
    sets: dict[str, set[str]] = {"harm": set(), "accuse": set(), "assertive": set(), "hedged": set(),
                                 "deny": set()}
    _add_verbs(sets, lexicon_path("harassment_verbs.csv"), "harm")
    _add_verbs(sets, lexicon_path("reporting_verbs.csv"), "assertive")
    sets["assertive"] -= sets["hedged"]
    return {k: frozenset(v) for k, v in sets.items()}


def verb_sets() -> dict[str, frozenset[str]]:
    """The verb classes of the role patterns, read from the lexicon files.

    ``harm``, ``accuse`` and ``deny`` come from ``harassment_verbs.csv``
    (kinds ``act``, ``accuse``, ``deny``), ``assertive``, ``hedged`` and
    more of ``deny`` from ``reporting_verbs.csv`` (kinds ``assertive``,
    ``hedged``, ``denial``). A file without a ``kind`` column counts as
    harassment acts / assertive reporting verbs. The files are the only
    source of these verbs (no second copy in code). A hedged verb is never
    also assertive.

    Returns
    -------
    dict
        ``harm, accuse, deny, assertive, hedged`` -> frozenset of lemmas.

    Examples
    --------
    >>> s = verb_sets()
    >>> "claim" in s["hedged"], "claim" in s["assertive"]
    (True, False)
    """
    paths = (lexicon_path("harassment_verbs.csv"), lexicon_path("reporting_verbs.csv"))
    return cached(paths, _build_verb_sets)


def _label_value(value: str, labels: dict[str, float], where: str) -> float:
    v = value.strip().lower()
    if v in ("", "na", "nan", "none", "null"):
        return float("nan")
    if v in labels:
        return labels[v]
    try:
        return float(v)
    except ValueError:
        raise LexiconError(
            f"{where}: {value!r} is neither a number nor one of {', '.join(sorted(labels))}; "
            "fix the value or leave it empty"
        ) from None


def _build_verb_lexicon(path: Path, label: str) -> pd.DataFrame:
    df, lines = read_table(path)
    if "verb" not in df.columns:
        raise LexiconError(f"{label} line {df.attrs['header_line']}: no 'verb' column (found {list(df.columns)}); "
                           "the header must be 'verb,agency,power'")
    rows = []
    for line, rec in zip(lines, df.to_dict("records"), strict=True):
        verb = str(rec["verb"]).strip().lower()
        if not verb:
            continue
        agency = _label_value(str(rec.get("agency", "")), _AGENCY_LABELS, f"{label} line {line}, column 'agency'")
        power = _label_value(str(rec.get("power", "")), _POWER_LABELS, f"{label} line {line}, column 'power'")
        rows.append((verb, agency, power))
    out = pd.DataFrame(rows, columns=["verb", "agency", "power"])
    return out.drop_duplicates("verb", keep="last").reset_index(drop=True)


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
        for the labels), one row per verb. A copy: change it freely.

    Raises
    ------
    LexiconError
        If the file cannot be read, the ``verb`` column is missing or a
        value is not understood (the message names the file, the line
        number in the file, comments included, and the column).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "cf.csv"
    >>> _ = p.write_text("verb,agency,power\\nharass,agency_pos,power_agent\\nsuffer,-1,power_theme\\n")
    >>> load_verb_lexicon(p).values.tolist()
    [['harass', 1.0, 1.0], ['suffer', -1.0, -1.0]]
    """
    if path is None:
        p, label = lexicon_path("verbs.csv"), "analysis/lexicons/verbs.csv"
    else:
        p, label = Path(path), str(path)

    def build() -> pd.DataFrame:
        return _build_verb_lexicon(p, label)

    build.__qualname__ = f"load_verb_lexicon:{label}"
    return cached((p,), build).copy()


def _build_name_genders() -> dict[str, str]:
    path = lexicon_path("names_gender.csv")
    df, _ = read_table(path)
    if not {"name", "gender"} <= set(df.columns):
        raise LexiconError(f"{path}: the header must be 'name,gender' (found {list(df.columns)})")
    return {n.strip().lower(): g.strip().lower() for n, g in zip(df["name"], df["gender"], strict=True)
            if g.strip().lower() in ("female", "male")}


def name_genders() -> dict[str, str]:
    """First name (lower case) -> ``female`` or ``male``, from ``names_gender.csv``.

    Examples
    --------
    >>> name_genders()["adnan"]
    'male'
    """
    return cached((lexicon_path("names_gender.csv"),), _build_name_genders)


def _table(name: str, columns: tuple[str, ...]) -> tuple[pd.DataFrame, list[int], Path]:
    path = lexicon_path(name)
    df, lines = read_table(path)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise LexiconError(f"{path} line {df.attrs['header_line']}: no column {missing[0]!r} "
                           f"(found {list(df.columns)}); the header must be '{','.join(columns)}'")
    return df, lines, path


def word_classes() -> dict[str, frozenset[str]]:
    """Class -> words, from ``roles/word_classes.csv`` (a word may be in several classes).

    Examples
    --------
    >>> "harasser" in word_classes()["accused_noun"]
    True
    """
    def build() -> dict[str, frozenset[str]]:
        df, _, _ = _table("roles/word_classes.csv", ("word", "class"))
        out: dict[str, set[str]] = {}
        for w, c in zip(df["word"], df["class"], strict=True):
            if w.strip():
                out.setdefault(c.strip().lower(), set()).add(w.strip().lower())
        return {k: frozenset(v) for k, v in out.items()}

    classes = cached((lexicon_path("roles/word_classes.csv"),), build)
    return {k: classes.get(k, frozenset()) for k in (*classes, *_WORD_CLASSES)}


#: Classes the patterns read (an absent class is empty).
_WORD_CLASSES: tuple[str, ...] = (
    "sue_verb", "file_verb", "disclose_verb", "face_verb", "hit_verb", "allegation_noun", "accuser_noun", "victim_noun",
    "accused_noun", "harm_noun", "counter_word", "false_word", "smear_noun", "proxy_noun", "title",
    "speech_verb", "not_people", "occupation", "place_word", "exit_verb", "light_verb", "light_noun",
    "arrest_verb", "list_word", "denial_word", "stigma_word", "trauma_word", "bystander_title", "title_particle")


def gender_table(name: str) -> dict[str, str]:
    """Word -> ``female``/``male`` from a ``word, gender`` file in ``analysis/lexicons/``.

    Raises
    ------
    LexiconError
        When a gender is neither ``female`` nor ``male`` (names the file line).

    Examples
    --------
    >>> gender_table("roles/honorifics.csv")["ms"]
    'female'
    """
    def build() -> dict[str, str]:
        df, lines, path = _table(name, ("word", "gender"))
        out = {}
        for line, w, g in zip(lines, df["word"], df["gender"], strict=True):
            if g.strip().lower() not in ("female", "male"):
                raise LexiconError(f"{path} line {line}, column 'gender': {g!r} is not female or male; fix it")
            out[w.strip().lower()] = g.strip().lower()
        return out

    build.__qualname__ = f"gender_table:{name}"
    return cached((lexicon_path(name),), build)


def lemma_fixes() -> dict[str, tuple[str, str]]:
    """Word form (lower case) -> (POS it applies to or "", lemma), from ``roles/lemma_fixes.csv``.

    Examples
    --------
    >>> lemma_fixes()["raped"]
    ('', 'rape')
    """
    def build() -> dict[str, tuple[str, str]]:
        df, _, _ = _table("roles/lemma_fixes.csv", ("form", "pos", "lemma"))
        return {f.strip().lower(): (p.strip().upper(), lem.strip().lower())
                for f, p, lem in zip(df["form"], df["pos"], df["lemma"], strict=True) if f.strip()}

    return cached((lexicon_path("roles/lemma_fixes.csv"),), build)


def male_victim_patterns() -> list[re.Pattern]:
    """The "men can be victims too" regular expressions of ``roles/male_victim_statements.csv``.

    Raises
    ------
    LexiconError
        When a pattern is not a valid regular expression (names the file line).

    Examples
    --------
    >>> any(p.search("Men can also be victims of harassment") for p in male_victim_patterns())
    True
    """
    def build() -> list[re.Pattern]:
        df, lines, path = _table("roles/male_victim_statements.csv", ("id", "regex"))
        out = []
        for line, rx in zip(lines, df["regex"], strict=True):
            try:
                out.append(re.compile(rx, re.IGNORECASE))
            except re.error as exc:
                raise LexiconError(f"{path} line {line}, column 'regex': {exc}; fix the expression") from None
        return out

    return cached((lexicon_path("roles/male_victim_statements.csv"),), build)


def group_victim_patterns() -> list[tuple[str, re.Pattern]]:
    """(gender, regex) of ``roles/group_victim_patterns.csv``: unnamed victims named by a group noun.

    Raises
    ------
    LexiconError
        When a gender is not female/male or a pattern is not a valid regular
        expression (names the file line).

    Examples
    --------
    >>> [g for g, p in group_victim_patterns() if p.search("Three women accused him of groping")]
    ['female']
    """
    return _gender_patterns("roles/group_victim_patterns.csv")


def victim_pronoun_patterns() -> list[tuple[str, re.Pattern]]:
    """(gender, regex) of ``roles/victim_pronoun_patterns.csv``: a pronoun on the receiving end
    of a harassment verb ("groped her", "he was abused").

    Examples
    --------
    >>> [g for g, p in victim_pronoun_patterns() if p.search("He said he was sexually abused.")]
    ['male']
    """
    return _gender_patterns("roles/victim_pronoun_patterns.csv")


def victim_noun_patterns() -> list[tuple[str, re.Pattern]]:
    """(gender, regex) of ``roles/victim_noun_patterns.csv``: gendered common nouns ("a man",
    "the boy", "women"), not those followed by an accused-side word ("a man accused of").

    Examples
    --------
    >>> [g for g, p in victim_noun_patterns() if p.search("A man said the pair met in 2004.")]
    ['male']
    >>> [g for g, p in victim_noun_patterns() if p.search("A man accused of rape was held.")]
    []
    """
    return _gender_patterns("roles/victim_noun_patterns.csv")


def _gender_patterns(name: str) -> list[tuple[str, re.Pattern]]:
    """(gender, compiled regex) rows of an ``id, gender, regex`` file (errors name the file line)."""
    def build() -> list[tuple[str, re.Pattern]]:
        df, lines, path = _table(name, ("id", "gender", "regex"))
        out = []
        for line, g, rx in zip(lines, df["gender"], df["regex"], strict=True):
            if g not in ("female", "male"):
                raise LexiconError(f"{path} line {line}, column 'gender': {g!r} is not female or male; fix it")
            try:
                out.append((g, re.compile(rx, re.IGNORECASE)))
            except re.error as exc:
                raise LexiconError(f"{path} line {line}, column 'regex': {exc}; fix the expression") from None
        return out

    # One cache entry per file: with the shared qualname, the two pattern files evicted each other
    # and were re-read on every call (about 900 reads per 500 articles).
    build.__qualname__ = f"_gender_patterns:{name}"
    return cached((lexicon_path(name),), build)

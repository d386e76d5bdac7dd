"""Context rules for frames: spaCy ``Matcher`` patterns kept as data, with a context and a negation check.

A frame cue counts only in the right context (Entman 1993: a frame is an
emphasis, not a topic word). Each frame may have a pattern file
``analysis/lexicons/frames/patterns/<frame_id>.json`` (format in
``analysis/lexicons/README.md``)::

    {"frame": "career_industry",
     "rules": [{"id": "dropped_from_work",
                "cue":  [[{"LEMMA": {"IN": ["drop", "axe"]}}]],
                "near": [[{"LEMMA": {"IN": ["film", "role", "project"]}}]],
                "window": 8}]}

``cue`` and ``near`` are lists of spaCy ``Matcher`` token patterns (Honnibal &
Montani, spaCy 3, "Rule-based matching"), matched on the cached token table's
``LEMMA``, ``LOWER``, ``ORTH`` and ``POS``. A rule fires where a cue matches and,
if ``near`` is given, a ``near`` pattern matches in the same sentence within
``window`` tokens of the cue (default: anywhere in the sentence); ``unless``
patterns in the same window veto it. Unless a rule says ``"negation": false``,
a negated cue does not count: negation is read from a token window (no parse
is needed), a negator (:data:`NEGATORS`) among the three tokens before the cue,
or before its ``near`` context, in the same clause (no comma, semicolon, colon
or "but" in between), as in NegEx (Chapman et al. 2001). "not only" and "no
longer" are not negations (unless the next word is the cue itself: "never doubted"
negates the cue "doubt"), nor is "never" before a comparative ("never felt more
humiliated").

Example
-------
>>> rules = parse_rules({"frame": "f", "rules": [{"id": "r", "cue": [[{"LOWER": "sued"}]]}]}, "x.json")
>>> [r.id for r in rules]
['r']
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from analysis.errors import LexiconError

#: Lemmas that negate a cue that follows within :data:`NEG_WINDOW` tokens (NegEx-style trigger list).
NEGATORS = frozenset({"not", "n't", "no", "never", "without", "nobody", "none", "nothing", "neither", "nor",
                      "hardly", "cannot"})
#: Tokens after a negator that cancel it ("not only", "no longer", "no doubt").
PSEUDO_NEGATIONS = frozenset({"only", "long", "longer", "just", "merely", "doubt"})
#: Comparatives after "never" that turn it into an intensifier ("never been so", "never felt more").
INTENSIFIERS = frozenset({"more", "so", "as", "such"})
#: Tokens that close a negation's scope.
SCOPE_BREAKS = frozenset({",", ";", ":", "but", "however", "—", "–", "(", ")"})
NEG_WINDOW = 3
RULE_KEYS = {"id", "cue", "near", "unless", "window", "negation", "note"}


@dataclass(frozen=True)
class Rule:
    """One context rule of a frame."""

    frame: str
    id: str
    cue: tuple
    near: tuple = ()
    unless: tuple = ()
    window: int = 0
    negation: bool = True


def _patterns(value, where: str) -> tuple:
    if not isinstance(value, list) or not all(isinstance(p, list) and p and all(isinstance(t, dict) for t in p)
                                              for p in value):
        raise LexiconError(f"{where}: must be a list of spaCy Matcher patterns (lists of token objects)")
    return tuple(json.dumps(p, sort_keys=True) for p in value)


def parse_rules(data: object, source: str) -> list[Rule]:
    """Rules from one pattern file's parsed JSON (errors name the file and the rule).

    Examples
    --------
    >>> parse_rules({"frame": "f", "rules": [{"id": "r"}]}, "f.json")
    Traceback (most recent call last):
    ...
    analysis.errors.LexiconError: f.json, rule 1 ('r'): missing 'cue'; see analysis/lexicons/README.md
    """
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list) or "frame" not in data:
        raise LexiconError(f"{source}: a pattern file is a JSON object with 'frame' and a list 'rules'")
    rules = []
    for n, raw in enumerate(data["rules"], start=1):
        where = f"{source}, rule {n} ({raw.get('id', '?')!r})" if isinstance(raw, dict) else f"{source}, rule {n}"
        if not isinstance(raw, dict) or "cue" not in raw or "id" not in raw:
            missing = "cue" if isinstance(raw, dict) and "id" in raw else "id' or 'cue"
            raise LexiconError(f"{where}: missing '{missing}'; see analysis/lexicons/README.md")
        unknown = set(raw) - RULE_KEYS
        if unknown:
            raise LexiconError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(RULE_KEYS)}")
        window = raw.get("window", 0)
        if not isinstance(window, int) or window < 0:
            raise LexiconError(f"{where}: 'window' must be a whole number of tokens (0 = whole sentence)")
        rules.append(Rule(str(data["frame"]), str(raw["id"]), _patterns(raw["cue"], f"{where}, 'cue'"),
                          _patterns(raw.get("near", []), f"{where}, 'near'") if raw.get("near") else (),
                          _patterns(raw.get("unless", []), f"{where}, 'unless'") if raw.get("unless") else (),
                          window, bool(raw.get("negation", True))))
    return rules


def read_rules(path: str | Path) -> list[Rule]:
    """Read one pattern file."""
    path = Path(path)
    try:
        data = json.loads(path.read_text("utf-8"))
    except json.JSONDecodeError as exc:
        raise LexiconError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    return parse_rules(data, str(path))


BUILTIN_PREFIX = "analysis/lexicons/frames/"


def pattern_file(frame_id: str, source: str) -> Path:
    """Where a frame's pattern file lives: ``patterns/<frame_id>.json`` beside its lexicon file.

    Examples
    --------
    >>> pattern_file("legal_institutional", "analysis/lexicons/frames/legal_institutional.yaml").name
    'legal_institutional.json'
    """
    if source.startswith(BUILTIN_PREFIX) or not source:
        folder = Path(str(resources.files("analysis.lexicons").joinpath("frames")))
    else:
        folder = Path(source).parent
    return folder / "patterns" / f"{frame_id}.json"


def rules_for(frames: dict) -> dict[str, list[Rule]]:
    """Rules of each frame (``frame id -> Frame`` with a ``source``); frames without a pattern file get none.

    A rule file's ``frame`` must name the frame it sits beside.
    """
    out: dict[str, list[Rule]] = {}
    for fid, frame in frames.items():
        path = pattern_file(fid, getattr(frame, "source", "") or "")
        if path.is_file():
            rules = read_rules(path)
            if rules and rules[0].frame != fid:
                raise LexiconError(f"{path}: 'frame' is {rules[0].frame!r} but the file belongs to frame {fid!r}")
            out[fid] = rules
    return out


def negated(lemmas: list[str], sents, start: int) -> bool:
    """True when a negator governs the token at ``start`` (token window within the clause).

    Examples
    --------
    >>> negated(["he", "have", "not", "lose", "work"], [0] * 5, 3)
    True
    >>> negated(["not", "only", "lose", "work"], [0] * 4, 2)
    False
    >>> negated(["i", "never", "feel", "more", "emasculate"], [0] * 5, 4)
    False
    >>> negated(["he", "never", "doubt", "she"], [0] * 4, 2)
    True
    """
    for k in range(start - 1, max(start - 1 - NEG_WINDOW, -1), -1):
        if sents[k] != sents[start] or lemmas[k] in SCOPE_BREAKS:
            return False
        if lemmas[k] in NEGATORS:
            if lemmas[k] == "never" and any(w in INTENSIFIERS for w in lemmas[k + 1:start]):
                return False                      # "never felt more humiliated" affirms
            nxt = lemmas[k + 1] if k + 1 < len(lemmas) else ""
            return k + 1 == start or nxt not in PSEUDO_NEGATIONS   # "never doubted" negates the cue "doubt"
    return False


def build_matchers(vocab, rules: list[Rule]):
    """Two spaCy matchers: cues keyed ``frame|rule`` and contexts keyed ``near|frame|rule`` / ``unless|...``."""
    from spacy.matcher import Matcher

    cues, ctx = Matcher(vocab), Matcher(vocab)
    for r in rules:
        key = f"{r.frame}|{r.id}"
        try:
            cues.add(key, [json.loads(p) for p in r.cue])
            if r.near:
                ctx.add(f"near|{key}", [json.loads(p) for p in r.near])
            if r.unless:
                ctx.add(f"unless|{key}", [json.loads(p) for p in r.unless])
        except (ValueError, TypeError, KeyError) as exc:
            raise LexiconError(f"pattern rule {key}: spaCy rejected a pattern ({exc}); "
                               "see analysis/lexicons/README.md") from None
    return cues, ctx


def _within(spans: list[tuple[int, int]], start: int, end: int, window: int, sents, sent: int) -> list:
    return [(a, b) for a, b in spans if sents[a] == sent
            and (window == 0 or (a < end + window and b > start - window))]


def match(doc, sents, rules: list[Rule], matchers=None) -> list[tuple[str, str, int, int]]:
    """Rule hits in a spaCy ``Doc``: ``(frame, rule_id, start, end)`` token spans, negation applied.

    ``sents`` gives each token's sentence number; a cue and its context must share a sentence.
    """
    if not rules:
        return []
    cues, ctx = matchers or build_matchers(doc.vocab, rules)
    by_key = {f"{r.frame}|{r.id}": r for r in rules}
    context: dict[str, list[tuple[int, int]]] = {}
    for mid, a, b in ctx(doc):
        context.setdefault(doc.vocab.strings[mid], []).append((a, b))
    lemmas = [t.lemma_.lower() for t in doc]
    out = []
    for mid, a, b in cues(doc):
        key = doc.vocab.strings[mid]
        r = by_key[key]
        sent = sents[a]
        if sents[b - 1] != sent:
            continue
        if r.unless and _within(context.get(f"unless|{key}", []), a, b, r.window, sents, sent):
            continue
        near = _within(context.get(f"near|{key}", []), a, b, r.window, sents, sent) if r.near else []
        if r.near and not near:
            continue
        if r.negation and (negated(lemmas, sents, a) or (near and all(negated(lemmas, sents, n[0]) for n in near)
                                                         and min(n[0] for n in near) < a)):
            continue
        out.append((r.frame, r.id, a, b))
    return out

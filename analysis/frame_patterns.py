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
``window`` tokens of the cue (default: anywhere in the sentence); a rule with
``also_near`` needs a match of that second context group too, in the same window
(two required contexts at once: both ``near`` and ``also_near``); ``unless``
patterns in the same window veto it. A rule with ``"clause": true`` (default false) also needs its
contexts in the cue's clause: no comma, semicolon, colon, dash, "but" or "however" between them
(:data:`CLAUSE_BREAKS`). Unless a rule says ``"negation": false``,
a negated cue does not count: negation is read from a token window (no parse
is needed), a negator (:data:`NEGATORS`) among the three tokens before the cue,
or before its ``near`` context, in the same clause (no comma, semicolon, colon
or "but" in between), as in NegEx (Chapman et al. 2001). "not only" and "no
longer" are not negations (unless the next word is the cue itself: "never doubted"
negates the cue "doubt"), nor is "never" before a comparative ("never felt more
humiliated"); the exception also holds when the negator stands before a context
that precedes the cue ("never felt more" with ``near`` "feel" and cue "alone").

Example
-------
>>> rules = parse_rules({"frame": "f", "rules": [{"id": "r", "cue": [[{"LOWER": "sued"}]]}]}, "x.json")
>>> [r.id for r in rules]
['r']
"""

from __future__ import annotations

import json
import re
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
#: Tokens that end a clause for a rule with ``"clause": true`` (the negation scope breaks without brackets,
#: which often hold a noun phrase's own aside: "a non-cognizable (NC) complaint against her").
CLAUSE_BREAKS = SCOPE_BREAKS - {"(", ")"}
RULE_KEYS = {"id", "cue", "near", "also_near", "unless", "window", "negation", "clause", "note"}


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
    also_near: tuple = ()
    clause: bool = False


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
        if not isinstance(raw.get("clause", False), bool):
            raise LexiconError(f"{where}: 'clause' must be true or false")
        if raw.get("also_near") and not raw.get("near"):
            raise LexiconError(f"{where}: 'also_near' is a second required context and needs 'near' too")
        context = {k: _patterns(raw[k], f"{where}, {k!r}") if raw.get(k) else () for k in ("near", "unless", "also_near")}
        rules.append(Rule(str(data["frame"]), str(raw["id"]), _patterns(raw["cue"], f"{where}, 'cue'"),
                          context["near"], context["unless"], window, bool(raw.get("negation", True)),
                          context["also_near"], raw.get("clause", False)))
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


def negated(lemmas: list[str], sents, start: int, until: int | None = None) -> bool:
    """True when a negator governs the token at ``start`` (token window within the clause).

    ``until`` (default ``start``) is where the comparative exception stops looking: "never" followed
    by "more", "so", "as" or "such" before ``until`` is an intensifier. For a context token that
    precedes its cue, ``until`` is the cue's start, so "never felt more alone" does not negate "felt".

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
    >>> negated(["i", "never", "feel", "more", "alone"], [0] * 5, 2), negated(["i", "never", "feel", "more"], [0] * 4, 2, 4)
    (True, False)
    """
    for k in range(start - 1, max(start - 1 - NEG_WINDOW, -1), -1):
        if sents[k] != sents[start] or lemmas[k] in SCOPE_BREAKS:
            return False
        if lemmas[k] in NEGATORS:
            if lemmas[k] == "never" and _intensified(lemmas, sents, k, max(start, until or start)):
                return False                      # "never felt more humiliated" affirms
            nxt = lemmas[k + 1] if k + 1 < len(lemmas) else ""
            return k + 1 == start or nxt not in PSEUDO_NEGATIONS   # "never doubted" negates the cue "doubt"
    return False


def _intensified(lemmas: list[str], sents, k: int, until: int) -> bool:
    """True when a comparative (:data:`INTENSIFIERS`) follows "never" at ``k`` before ``until`` in its clause."""
    for w in range(k + 1, min(until, len(lemmas))):
        if sents[w] != sents[k] or lemmas[w] in SCOPE_BREAKS:
            return False
        if lemmas[w] in INTENSIFIERS:
            return True
    return False


def build_matchers(vocab, rules: list[Rule]):
    """Two spaCy matchers: cues keyed ``frame|rule``, contexts keyed ``near|``, ``also|`` or ``unless|frame|rule``."""
    from spacy.matcher import Matcher

    cues, ctx = Matcher(vocab), Matcher(vocab)
    for r in rules:
        key = f"{r.frame}|{r.id}"
        try:
            cues.add(key, [json.loads(p) for p in r.cue])
            if r.near:
                ctx.add(f"near|{key}", [json.loads(p) for p in r.near])
            if r.also_near:
                ctx.add(f"also|{key}", [json.loads(p) for p in r.also_near])
            if r.unless:
                ctx.add(f"unless|{key}", [json.loads(p) for p in r.unless])
        except (ValueError, TypeError, KeyError) as exc:
            raise LexiconError(f"pattern rule {key}: spaCy rejected a pattern ({exc}); "
                               "see analysis/lexicons/README.md") from None
    return cues, ctx


def _within(spans: list[tuple[int, int]], start: int, end: int, window: int, sents, sent: int) -> list:
    return [(a, b) for a, b in spans if sents[a] == sent
            and (window == 0 or (a < end + window and b > start - window))]


def _same_clause(spans: list[tuple[int, int]], start: int, end: int, lemmas) -> list[tuple[int, int]]:
    """The context spans with no clause break (:data:`CLAUSE_BREAKS`) between them and the cue ``start:end``.

    Examples
    --------
    >>> _same_clause([(0, 1), (4, 5)], 2, 3, ["slam", "it", "as", ",", "lie"])
    [(0, 1)]
    """
    return [(a, b) for a, b in spans
            if not any(lemmas[k] in CLAUSE_BREAKS for k in (range(b, start) if b <= start else range(end, a)))]


def match(doc, sents, rules: list[Rule], matchers=None) -> list[tuple[str, str, int, int]]:
    """Rule hits in a spaCy ``Doc``: ``(frame, rule_id, start, end)`` token spans, negation applied.

    ``sents`` gives each token's sentence number; a cue and its context must share a sentence.
    """
    if not rules:
        return []
    cues, ctx = matchers or build_matchers(doc.vocab, rules)
    strings = doc.vocab.strings
    context: dict[str, list[tuple[int, int]]] = {}
    for mid, a, b in ctx(doc):
        context.setdefault(strings[mid], []).append((a, b))
    lemmas = [t.lemma_.lower() for t in doc]
    return decide([(strings[mid], a, b) for mid, a, b in cues(doc)], context, rules, sents, lemmas)


def decide(cue_hits: list[tuple[str, int, int]], context: dict[str, list[tuple[int, int]]], rules: list[Rule],
           sents, lemmas) -> list[tuple[str, str, int, int]]:
    """The rule hits among cue matches: same sentence, context within the window, no veto, not negated.

    ``cue_hits`` are ``(frame|rule, start, end)`` in the order the cue matcher gave them and ``context``
    maps ``near|frame|rule`` and ``unless|frame|rule`` to their matches; ``sents`` and ``lemmas``
    (lower case) are per token, indexed by the same positions.

    Examples
    --------
    >>> r = Rule("f", "r", ('[{"LOWER": "sue"}]',), near=('[{"LOWER": "court"}]',))
    >>> decide([("f|r", 1, 2)], {"near|f|r": [(3, 4)]}, [r], [0] * 4, ["they", "sue", "in", "court"])
    [('f', 'r', 1, 2)]
    >>> decide([("f|r", 1, 2)], {"near|f|r": [(3, 4)]}, [r], [0, 0, 1, 1], ["they", "sue", "in", "court"])
    []
    """
    by_key = {f"{r.frame}|{r.id}": r for r in rules}
    by_sent: dict[tuple[str, object], list[tuple[int, int]]] = {}
    for key, spans in context.items():                 # only a context in the cue's sentence counts
        for a, b in spans:
            by_sent.setdefault((key, sents[a]), []).append((a, b))
    out = []
    for key, a, b in cue_hits:
        r = by_key[key]
        sent = sents[a]
        if sents[b - 1] != sent:
            continue
        if r.unless and _within(by_sent.get((f"unless|{key}", sent), []), a, b, r.window, sents, sent):
            continue
        groups = [_within(by_sent.get((f"{kind}|{key}", sent), []), a, b, r.window, sents, sent)
                  for kind, pats in (("near", r.near), ("also", r.also_near)) if pats]
        if r.clause:                                   # the context in the cue's own clause
            groups = [_same_clause(g, a, b, lemmas) for g in groups]
        if not all(groups):
            continue
        if r.negation and (negated(lemmas, sents, a) or any(_context_negated(g, a, sents, lemmas) for g in groups)):
            continue
        out.append((r.frame, r.id, a, b))
    return out


def _context_negated(spans: list[tuple[int, int]], cue: int, sents, lemmas) -> bool:
    """True when every match of a required context is negated and the first one precedes the cue at ``cue``.

    The comparative exception looks up to the cue: "never felt more alone" does not negate "felt".

    Examples
    --------
    >>> _context_negated([(2, 3)], 4, [0] * 5, ["i", "never", "feel", "so", "alone"])
    False
    >>> _context_negated([(2, 3)], 3, [0] * 4, ["i", "never", "feel", "alone"])
    True
    """
    return (all(negated(lemmas, sents, n[0], until=cue) for n in spans)
            and min(n[0] for n in spans) < cue)


# --------------------------------------------------------------------------- what a match needs (prefilter)

#: Token attributes whose value a token has on its own (not from its neighbours or the sentence), so that
#: whether a pattern matches tokens ``a:b`` depends on those tokens only.
LOCAL_ATTRS = frozenset({"ORTH", "TEXT", "LOWER", "NORM", "LEMMA", "POS", "TAG", "SHAPE", "PREFIX", "SUFFIX",
                         "LENGTH", "IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE",
                         "IS_PUNCT", "IS_SPACE", "IS_STOP", "IS_BRACKET", "IS_QUOTE", "IS_LEFT_PUNCT",
                         "IS_RIGHT_PUNCT", "IS_CURRENCY", "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL", "OP"})
#: Attributes a prefilter can test on the token table: ``LEMMA`` on the lemma, the others on the text.
STRING_ATTRS = {"LEMMA": "lemma", "ORTH": "text", "TEXT": "text", "LOWER": "lower"}
_REQUIRED_OP = re.compile(r"\{([1-9][0-9]*)(,[0-9]*)?\}")
_BOUNDED_OP = re.compile(r"\{([0-9]*)(?:,([0-9]+))?\}")


def _values(value) -> frozenset[str] | None:
    """The strings an attribute must take (``"x"`` or ``{"IN": [...]}``); None when it cannot be told."""
    if isinstance(value, str):
        return frozenset({value})
    if isinstance(value, dict) and isinstance(value.get("IN"), list) and all(isinstance(v, str)
                                                                           for v in value["IN"]):
        return frozenset(value["IN"])
    return None


def token_requirements(pattern: list[dict]) -> tuple[tuple[str, frozenset[str]], ...] | None:
    """What the tokens of any match of one ``Matcher`` pattern must hold: ``(column, values)`` per required token.

    A token spec is required when its ``OP`` makes it match at least once (no ``OP``, ``1``, ``+``,
    ``{n}``/``{n,m}`` with n >= 1); its requirement is the set of values of its first ``LEMMA``
    (column ``lemma``), ``LOWER`` (``lower``) or ``ORTH``/``TEXT`` (``text``) given as a string or an
    ``IN`` list. An empty tuple means the pattern can match anywhere; None means a spec reads an
    attribute that is not the token's own (:data:`LOCAL_ATTRS`: e.g. sentence start, entity, dependency),
    so the pattern must see whole documents.

    Examples
    --------
    >>> [(col, sorted(v)) for col, v in token_requirements([{"LEMMA": {"IN": ["sue", "charge"]}},
    ...                                                      {"POS": "ADP", "OP": "?"}])]
    [('lemma', ['charge', 'sue'])]
    >>> token_requirements([{"IS_SENT_START": True}]) is None
    True
    """
    out = []
    for spec in pattern:
        keys = {str(k).upper(): v for k, v in spec.items()}
        if not set(keys) <= LOCAL_ATTRS:
            return None
        op = keys.get("OP")
        if not (op is None or op in ("1", "+") or (isinstance(op, str) and _REQUIRED_OP.fullmatch(op))):
            continue
        for attr, column in STRING_ATTRS.items():
            values = _values(keys[attr]) if attr in keys else None
            if values is not None:
                out.append((column, values))
                break
    return tuple(out)


def max_length(pattern: list[dict]) -> int | None:
    """The most tokens a match of a ``Matcher`` pattern can cover; None when unbounded (``+``, ``*``, ``{n,}``).

    Examples
    --------
    >>> max_length([{"LOWER": "a"}, {"LOWER": "b", "OP": "?"}, {"OP": "{1,3}"}])
    5
    >>> max_length([{"LOWER": "a", "OP": "+"}]) is None
    True
    """
    total = 0
    for spec in pattern:
        op = next((v for k, v in spec.items() if str(k).upper() == "OP"), None)
        if op is None or op in ("1", "!", "?"):
            total += 1
            continue
        bounded = _BOUNDED_OP.fullmatch(op) if isinstance(op, str) else None
        if bounded is None:
            return None
        total += int(bounded.group(2) or bounded.group(1) or 0)
    return total


@dataclass(frozen=True)
class Prefilter:
    """Where a match can be, derived from the lexicon entries and the rules (:func:`prefilter`).

    ``needs`` maps each rule (``frame|rule``) to its conjunctions of ``(column, values)``, one per way
    it can fire (a cue pattern, with the first token of one of its ``near`` patterns and of one of its
    ``also_near`` patterns): a sentence where
    none holds (some token of the sentence in ``values`` for every pair) holds no hit of the rule.
    ``entries`` are the lexicon entries as lemma sequences (found where they start). ``tail`` is how
    many tokens after a sentence a context match starting in it may reach or the matcher look at
    (None: to the end of the document).
    """

    needs: dict[str, tuple[tuple[tuple[str, frozenset[str]], ...], ...]]
    entries: tuple[tuple[str, ...], ...]
    tail: int | None


def _rule_needs(rule: Rule) -> tuple[tuple[tuple[str, frozenset[str]], ...], ...] | None:
    """The conjunctions under which one rule can fire in a sentence (None: a pattern needs whole documents)."""
    contexts: list[tuple] = [()]
    for group in (rule.near, rule.also_near):      # a context match starts in the cue's sentence: its first
        firsts = []                                # token does, for each required group
        for text in group:
            first = token_requirements(json.loads(text)[:1])
            if first is None:
                return None
            firsts.append(first)
        if firsts and all(firsts):
            contexts = [c + f for c in contexts for f in firsts]
    out = []
    for text in rule.cue:
        need = token_requirements(json.loads(text))
        if need is None:
            return None
        out += [need + c for c in contexts]
    return tuple(dict.fromkeys(out))


def prefilter(entries: list[str], rules: list[Rule]) -> Prefilter | None:
    """The :class:`Prefilter` of lexicon entries (lemmas or lemma phrases) and rules; None if one needs whole documents.

    A rule fires only where the tokens of :func:`token_requirements` of a cue pattern are in one
    sentence, with the first token of a ``near`` pattern if it has one (and of an ``also_near``
    pattern). Context (``near``, ``also_near``, ``unless``) patterns may run into the next sentence, so ``tail`` is their longest possible match
    (at least 2, so the matcher sees the token after a sentence as in the whole document).

    Examples
    --------
    >>> r = Rule("f", "r", ('[{"LEMMA": "sue"}]',), near=('[{"LOWER": "court"}]',))
    >>> pre = prefilter(["harass", "speak out"], [r])
    >>> pre.needs, pre.entries, pre.tail
    ({'f|r': ((('lemma', frozenset({'sue'})), ('lower', frozenset({'court'}))),)}, (('harass',), ('speak', 'out')), 2)
    """
    needs: dict[str, tuple] = {}
    lengths: list[int | None] = []
    for rule in rules:
        rule_needs = _rule_needs(rule)
        if rule_needs is None:
            return None
        key = f"{rule.frame}|{rule.id}"
        needs[key] = tuple(dict.fromkeys((*needs.get(key, ()), *rule_needs)))
        for text in (*rule.near, *rule.also_near, *rule.unless):
            pattern = json.loads(text)
            if token_requirements(pattern) is None:
                return None
            lengths.append(max_length(pattern))
    tail = None if any(n is None for n in lengths) else max([2, *lengths])
    return Prefilter(needs, tuple(dict.fromkeys(tuple(e.split()) for e in entries)), tail)


def filter_spans(spans: list[tuple]) -> list[tuple]:
    """:func:`spacy.util.filter_spans` on ``(start, end, ...)`` tuples: longest first, then earliest; by start.

    Examples
    --------
    >>> filter_spans([(0, 1, "x"), (0, 2, "y"), (1, 3, "z")])
    [(0, 2, 'y')]
    """
    ordered = sorted(spans, key=lambda s: (s[1] - s[0], -s[0]), reverse=True)
    result, seen = [], set()
    for span in ordered:
        if span[0] not in seen and span[1] - 1 not in seen:
            result.append(span)
            seen.update(range(span[0], span[1]))
    return sorted(result, key=lambda s: s[0])

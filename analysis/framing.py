"""Frame lexicons and frame scores per document, with sentence-level evidence.

A frame (Entman 1993: selecting "some aspects of a perceived reality" and
making them "more salient") is measured here by a lexicon of lemmas and
multi-word lemma patterns written for this project (``analysis/lexicons/
frames/*.yaml``; format in ``analysis/lexicons/README.md``). Matching uses
spaCy's ``PhraseMatcher`` on the ``LEMMA`` attribute over the cached token
table, so no model runs again. Overlapping matches of one frame count once
(longest span wins).

Every number traces back to text: :func:`score` returns per-document
``hits`` and ``rate_per_1k`` (hits per 1,000 word tokens) and an evidence
table with the matched span and its sentence.

Example
-------
>>> lex = load_lexicons()
>>> sorted(lex)[:3]
['backlash_defamation', 'belief_support', 'career_industry']
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from analysis import frame_patterns, frame_prefilter
from analysis.corpus import Corpus, CorpusError
from analysis.errors import CorpusWarning, LexiconError, ResultWarning

REQUIRED_KEYS = ("id", "label", "definition", "terms")


@dataclass(frozen=True)
class Frame:
    """One frame lexicon."""

    id: str
    label: str
    definition: str
    terms: tuple[str, ...]
    phrases: tuple[str, ...] = ()
    inclusion_rules: tuple[str, ...] = ()
    exclusion_rules: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    source: str = ""
    extra: dict = field(default_factory=dict, compare=False)


class FrameLexiconError(LexiconError, CorpusError):
    """A frame lexicon that cannot be used (a :class:`LexiconError`; also a ``CorpusError`` for older callers)."""


_LIST_KEYS = ("terms", "phrases", "inclusion_rules", "exclusion_rules", "examples", "references")


def _strings(data: dict, key: str, source: str) -> tuple[str, ...]:
    """The list of strings under ``key`` (missing or null: empty); anything else is a :class:`LexiconError`."""
    value = data.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        bad = value if not isinstance(value, list) else next(x for x in value if not isinstance(x, str))
        raise FrameLexiconError(
            f"{source}, key '{key}': {key} must be a list of strings, got {type(bad).__name__} {bad!r}; "
            f"write one entry per line, e.g. {key}:\n  - harass\n  - \"speak out\" (quote numbers and "
            "words starting with '#')")
    return tuple(value)


def _read_frame(text: str, source: str) -> Frame:
    """Parse and check one frame lexicon (format: ``analysis/lexicons/README.md``).

    Examples
    --------
    >>> _read_frame("id: f\nlabel: F\ndefinition: d\nterms: [Sue, sue]\n", "f.yaml").terms
    ('sue',)
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise FrameLexiconError(f"{source}: not valid YAML ({exc}); see analysis/lexicons/README.md") from None
    if not isinstance(data, dict):
        raise FrameLexiconError(f"{source}: a frame lexicon is a YAML mapping with keys {REQUIRED_KEYS}")
    missing = [k for k in REQUIRED_KEYS if k not in data]
    if missing:
        raise FrameLexiconError(f"{source}: missing key(s) {missing}; see analysis/lexicons/README.md")
    for key in ("id", "label", "definition"):
        if not isinstance(data[key], str | int | float) or not str(data[key]).strip():
            raise FrameLexiconError(f"{source}, key '{key}': must be a non-empty text, got {data[key]!r}")
    lists = {key: _strings(data, key, source) for key in _LIST_KEYS}
    lower = lambda xs: tuple(dict.fromkeys(x.strip().lower() for x in xs if x.strip()))  # noqa: E731
    frame = Frame(id=str(data["id"]).strip(), label=str(data["label"]), definition=str(data["definition"]).strip(),
                  terms=lower(lists["terms"]), phrases=lower(lists["phrases"]),
                  inclusion_rules=lists["inclusion_rules"], exclusion_rules=lists["exclusion_rules"],
                  examples=lists["examples"], references=lists["references"], source=source,
                  extra={k: v for k, v in data.items() if k not in (*REQUIRED_KEYS, *_LIST_KEYS)})
    if not frame.terms and not frame.phrases:
        warnings.warn(f"{source}, key 'terms': frame {frame.id!r} has no terms and no phrases, so it never "
                      "matches; add terms or remove the file", CorpusWarning, stacklevel=3)
    return frame


def _read_file(file: Path) -> Frame:
    """One user lexicon file: missing, unreadable or non-UTF-8 files are a :class:`LexiconError`."""
    if not file.is_file():
        raise FrameLexiconError(f"{file}: lexicon file not found; give a YAML file or a folder of them")
    try:
        text = file.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FrameLexiconError(f"{file}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset "
                                f"{exc.start}); a lexicon is a YAML text file, re-save it as UTF-8") from None
    except OSError as exc:
        raise FrameLexiconError(f"{file}: cannot be read ({exc.strerror})") from None
    return _read_frame(text, str(file))


def load_lexicons(extra: Iterable[str | Path] = (), *, builtin: bool = True) -> dict[str, Frame]:
    """The built-in frame lexicons plus any user files in the same YAML format.

    Parameters
    ----------
    extra : paths
        YAML files (or folders of them) written in the documented format; a
        user frame with the same ``id`` as a built-in one replaces it.
    builtin : bool
        Include the lexicons shipped in ``analysis/lexicons/frames``.

    Raises
    ------
    LexiconError
        (:class:`FrameLexiconError`) naming the file and key: not found, not
        UTF-8, not YAML, a key missing, or ``terms`` not a list of strings.
        A frame without terms and a folder without YAML files give a
        :class:`~analysis.errors.CorpusWarning` naming the file or folder.

    Examples
    --------
    >>> "legal_institutional" in load_lexicons()
    True
    """
    frames: dict[str, Frame] = {}
    if builtin:
        folder = resources.files("analysis.lexicons").joinpath("frames")
        for entry in sorted(folder.iterdir(), key=lambda p: p.name):
            if entry.name.endswith((".yaml", ".yml")):
                f = _read_frame(entry.read_text("utf-8"), f"analysis/lexicons/frames/{entry.name}")
                frames[f.id] = f
    for path in extra:
        path = Path(path)
        files = sorted(p for p in path.glob("*") if p.suffix.lower() in (".yaml", ".yml")) if path.is_dir() \
            else [path]
        if path.is_dir() and not files:
            warnings.warn(f"{path}: lexicon folder has no .yaml or .yml file; no frame added from it",
                          CorpusWarning, stacklevel=2)
        for file in files:
            f = _read_file(file)
            frames[f.id] = f
    return frames


def _matcher(frames: dict[str, Frame]):
    import spacy
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

    vocab = spacy.blank("en").vocab
    matcher = PhraseMatcher(vocab, attr="LEMMA")
    for f in frames.values():
        patterns = []
        for p in (*f.terms, *f.phrases):
            words = p.split()
            patterns.append(Doc(vocab, words=words, lemmas=words))
        if patterns:
            matcher.add(f.id, patterns)
    return vocab, matcher


def frame_method(frame: Frame) -> str:
    """The frame's ``method:`` (``rules`` or one of :data:`LEARNED`) from its lexicon file; default rules.

    Examples
    --------
    >>> frame_method(Frame("x", "X", "d", terms=("a",)))
    'rules'
    """
    value = frame.extra.get("method") if frame.extra else None
    if value is None and frame.source:
        path = Path(frame.source)
        path = path if path.is_absolute() or path.is_file() else Path(str(resources.files("analysis"))).parent / path
        if path.is_file():
            try:
                value = (yaml.safe_load(path.read_text("utf-8")) or {}).get("method")
            except (yaml.YAMLError, AttributeError):
                value = None
    return str(value or "rules")


def _doc_matches(doc, sents, frames: dict[str, Frame], matcher, rules, rule_matchers, negation: bool) -> list:
    """(frame, rule, start, end) of one document: lexicon entries and context rules, negation applied."""
    lemmas = [t.lemma_.lower() for t in doc]
    rows = []
    for match_id, start, end in matcher(doc):
        if negation and frame_patterns.negated(lemmas, sents, start):
            continue
        rows.append((doc.vocab.strings[match_id], "lexicon", start, end))
    if not negation:
        rules = [replace(r, negation=False) for r in rules]
    return rows + frame_patterns.match(doc, sents, rules, rule_matchers)


def _document_rows(tokens: pd.DataFrame, vocab, frames: dict[str, Frame], matcher, all_rules: list,
                   rule_matchers, negation: bool) -> list[tuple]:
    """Evidence rows ``(doc_id, sentence_id, frame, match, start, end, rule)``: one ``Doc`` per document.

    The reference for :func:`analysis.frame_prefilter.evidence_rows`, which gives the same rows from candidate sentences only.
    """
    from spacy.tokens import Doc
    from spacy.util import filter_spans

    ev_rows = []
    for doc_id, part in tokens.groupby("doc_id", sort=False):
        words = part["text"].tolist()
        doc = Doc(vocab, words=words, spaces=[bool(w) for w in part["ws"]], lemmas=part["lemma"].tolist(),
                  pos=part["pos"].tolist() if "pos" in part else None)
        sents = part["sent"].to_numpy()
        by_frame: dict[str, list] = {}
        for frame_id, rule, start, end in _doc_matches(doc, sents, frames, matcher, all_rules, rule_matchers,
                                                       negation):
            span = doc[start:end]
            by_frame.setdefault(frame_id, []).append(span)
            span.label_ = rule
        for frame_id, spans in by_frame.items():
            for span in filter_spans(spans):
                ev_rows.append((doc_id, int(sents[span.start]), frame_id, span.text, span.start, span.end,
                                span.label_))
    return ev_rows


def score(corpus: Corpus, tokens: pd.DataFrame, frames: dict[str, Frame] | None = None, *,
          rules: dict | None = None, negation: bool = True, classifiers: dict | None = None,
          prefilter: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Frame hits per document and the evidence behind them.

    A sentence carries a frame where one of the frame's lexicon entries
    (single lemmas and lemma phrases that carry the frame's idea on their
    own) or one of its context rules (:mod:`analysis.frame_patterns`: a cue
    in the right context) matches, and the cue is not negated. Frames whose
    lexicon file says ``method: supervised`` (sentence embedding) or
    ``method: hybrid`` (embeddings of the sentence, its neighbours and its
    document, plus every frame's rule hits) are scored by the sentence
    classifier of :mod:`analysis.frame_classifier` when it is available, ``method:
    lexical`` ones by :mod:`analysis.frame_lexical`, ``method: finetuned`` ones by the
    fine-tuned encoder of :mod:`analysis.frame_finetuned` (``rules_or_finetuned``: the rules' sentences plus
    the encoder's), each else by their rules, with a warning. Only a document's own sentences
    enter its features, so a chunk of documents gets the rows it would get
    in the whole corpus. Within a frame, overlapping
    matches count once (longest span wins).

    Parameters
    ----------
    corpus : Corpus
    tokens : DataFrame
        The token table from :func:`analysis.preprocess.tokens`.
    frames : dict, optional
        From :func:`load_lexicons` (default: the built-in lexicons).
    rules : dict, optional
        ``frame id -> list of Rule`` (default: the pattern file beside each lexicon file,
        :func:`analysis.frame_patterns.rules_for`).
    negation : bool
        Skip negated cues (default True).
    classifiers : dict, optional
        ``frame id -> model`` for learned frames (default: the shipped models; embedding ones
        only if their package is installed).
    prefilter : bool
        Match only the sentences where a lexicon entry or a cue could match (:func:`analysis.frame_patterns.prefilter`,
        derived from the lexicons and pattern files), all of them in one ``Doc`` per call (default).
        The results are the same as with False, which matches every token of every document.

    Returns
    -------
    doc_frames : DataFrame
        ``doc_id, frame, hits, rate_per_1k, n_words`` for every document ×
        frame (zeros included); ``n_words`` counts word tokens (alphabetic or
        numeric), the denominator of the rate.
    evidence : DataFrame
        ``doc_id, sentence_id, frame, match, start, end, rule, sentence``: one row
        per counted match (token offsets within the document; ``rule`` is
        ``lexicon``, a rule id, or ``classifier``).

    Examples
    --------
    >>> doc_frames, evidence = score(corpus, toks)          # doctest: +SKIP
    """
    frames = frames or load_lexicons()
    rules = frame_patterns.rules_for(frames) if rules is None else rules
    all_rules = [r for fid in frames for r in rules.get(fid, [])]
    vocab, matcher = _matcher(frames)
    rule_matchers = frame_patterns.build_matchers(vocab, all_rules)
    pre = frame_patterns.prefilter([p for f in frames.values() for p in (*f.terms, *f.phrases)], all_rules) \
        if prefilter else None
    ev_rows = frame_prefilter.evidence_rows(tokens, vocab, matcher, all_rules, rule_matchers, negation, pre) \
        if pre is not None and len(tokens) else None
    if ev_rows is None:
        ev_rows = _document_rows(tokens, vocab, frames, matcher, all_rules, rule_matchers, negation)
    words = tokens["is_alpha"] | tokens["text"].str.isnumeric()
    n_words = words.groupby(tokens["doc_id"], sort=False).sum()
    evidence = pd.DataFrame(ev_rows, columns=["doc_id", "sentence_id", "frame", "match", "start", "end", "rule"])
    evidence = _learned(evidence, tokens, frames, classifiers)
    wanted = pd.MultiIndex.from_arrays([evidence["doc_id"], evidence["sentence_id"].astype(int)])
    sentences = sentence_texts(tokens[pd.MultiIndex.from_arrays([tokens["doc_id"], tokens["sent"]])
                                      .isin(wanted)])          # only the sentences the evidence quotes
    evidence = evidence.merge(sentences, on=["doc_id", "sentence_id"], how="left")
    evidence = evidence[["doc_id", "sentence_id", "frame", "match", "sentence", "start", "end", "rule"]]
    doc_ids = list(corpus.docs["doc_id"])
    grid = pd.MultiIndex.from_product([doc_ids, sorted(frames)], names=["doc_id", "frame"])
    hits = evidence.groupby(["doc_id", "frame"]).size().reindex(grid, fill_value=0).rename("hits")
    out = hits.reset_index()
    out["n_words"] = out["doc_id"].map(n_words).fillna(0).astype(int)
    out["rate_per_1k"] = (out["hits"] / out["n_words"].where(out["n_words"] > 0) * 1000).fillna(0.0)
    return out[["doc_id", "frame", "hits", "rate_per_1k", "n_words"]], evidence  # DESIGN.md column order


LEARNED = ("supervised", "hybrid", "lexical", "finetuned", "rules_or_finetuned")


def _learned(evidence: pd.DataFrame, tokens: pd.DataFrame, frames: dict[str, Frame],
             classifiers: dict | None) -> pd.DataFrame:
    """Replace the rule evidence of learned frames (``method:`` in :data:`LEARNED`) by model decisions per sentence.

    Lexical models (:mod:`analysis.frame_lexical`) read the token table; the fine-tuned encoder
    (:mod:`analysis.frame_finetuned`) and the others (:mod:`analysis.frame_classifier`) read the sentences.
    ``method: rules_or_finetuned`` keeps the frame's rule evidence and adds the encoder's sentences. A
    model that reads the rule hits of frames (its ``rule_frames``) needs all of them scored here; else, or
    without a usable model, the frame keeps its rules (a warning).
    """
    wanted = {fid: m for fid, f in frames.items() if (m := frame_method(f)) in LEARNED}   # one YAML read per frame
    if not wanted:
        return evidence
    from analysis import frame_classifier, frame_finetuned, frame_lexical

    tuned = [f for f, m in wanted.items() if m in ("finetuned", "rules_or_finetuned")]
    models = classifiers if classifiers is not None else {
        **frame_classifier.shipped_models([f for f, m in wanted.items() if m in ("supervised", "hybrid")]),
        **frame_lexical.shipped_models([f for f, m in wanted.items() if m == "lexical"]),
        **dict.fromkeys(tuned, frame_finetuned.shipped_model() if tuned else None)}
    use = [fid for fid in wanted if models.get(fid) is not None]
    if len(use) < len(wanted):
        missing = sorted(set(wanted) - set(use))
        why = (frame_finetuned.unavailable_reason() if set(missing) & set(tuned) else "") or \
            (frame_classifier.unavailable_reason() if any(wanted[f] in ("supervised", "hybrid") for f in missing)
             else "") or "no usable model file"
        said = " or ".join(f"'method: {m}'" for m in sorted({wanted[f] for f in missing}))
        warnings.warn(f"frames {missing} say {said} but no model is available ({why}); scored by their rules "
                      "instead", ResultWarning, stacklevel=3)
    lacking = [fid for fid in use if not set(getattr(models[fid], "rule_frames", ())) <= set(frames)]
    if lacking:
        warnings.warn(f"frames {sorted(lacking)} are hybrid or lexical and need the rules of frames that are not "
                      f"scored here ({sorted(set().union(*(models[f].rule_frames for f in lacking)) - set(frames))}); "
                      "scored by their rules instead", ResultWarning, stacklevel=3)
        use = [fid for fid in use if fid not in lacking]
    if not use or tokens.empty:
        return evidence
    kinds = {fid: getattr(models[fid], "kind", "") for fid in use}
    lexical = [f for f in use if kinds[f] == "lexical"]
    encoded = [f for f in use if kinds[f] == "finetuned"]
    embedded = [f for f in use if f not in lexical and f not in encoded]
    sentences = sentence_texts(tokens) if embedded or encoded else None
    parts = ([frame_classifier.predict(models, sentences, embedded, evidence=evidence)] if embedded else []) \
        + ([frame_lexical.predict(models, tokens, evidence, lexical)] if lexical else []) \
        + [frame_finetuned.predict(m, sentences, [f for f in encoded if models[f] is m])
           for m in {id(models[f]): models[f] for f in encoded}.values()]     # one encoding per model
    decided = pd.concat(parts, ignore_index=True)
    rank = decided["frame"].map({f: k for k, f in enumerate(use)}).to_numpy()   # frame by frame, lexicon order
    rows = decided.iloc[np.argsort(rank, kind="stable")].query("label == 1")
    union = [f for f in use if wanted[f] == "rules_or_finetuned"]
    if union:            # keep these frames' rule evidence; add only the sentences their rules missed
        ruled = set(zip(evidence["doc_id"], evidence["sentence_id"].astype(int), evidence["frame"], strict=True))
        rows = rows[[f not in union or (d, int(s), f) not in ruled
                     for d, s, f in zip(rows["doc_id"], rows["sentence_id"], rows["frame"], strict=True)]]
    extra = pd.DataFrame({"doc_id": rows["doc_id"], "sentence_id": rows["sentence_id"], "frame": rows["frame"],
                          "match": "", "start": -1, "end": -1, "rule": "classifier"})
    kept = evidence[~evidence["frame"].isin([f for f in use if f not in union])]
    return pd.concat([kept, extra], ignore_index=True) if len(extra) else kept.reset_index(drop=True)


def sentence_texts(tokens: pd.DataFrame) -> pd.DataFrame:
    """Rebuild each sentence's text from the token table: ``doc_id, sentence_id, sentence``.

    Examples
    --------
    >>> t = pd.DataFrame({"doc_id": ["a"] * 3, "sent": [0, 0, 0], "text": ["He", "sued", "."],
    ...                   "ws": [" ", "", ""]})
    >>> sentence_texts(t)["sentence"].tolist()
    ['He sued.']
    """
    joined = (tokens["text"] + tokens["ws"]).groupby([tokens["doc_id"], tokens["sent"]], sort=False).agg("".join)
    out = joined.str.strip().str.replace(r"\s*\n\s*", " ", regex=True).rename("sentence").reset_index()
    return out.rename(columns={"sent": "sentence_id"})


def frame_values(doc_frames: pd.DataFrame) -> pd.DataFrame:
    """Long ``doc_id, measure, value`` table of frame rates for :func:`analysis.compare.contrasts`."""
    return doc_frames.rename(columns={"frame": "measure", "rate_per_1k": "value"})[["doc_id", "measure", "value"]]

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
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from analysis.corpus import Corpus, CorpusError
from analysis.errors import CorpusWarning, LexiconError

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
        matcher.add(f.id, patterns)
    return vocab, matcher


def score(corpus: Corpus, tokens: pd.DataFrame, frames: dict[str, Frame] | None = None
          ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Frame hits per document and the evidence behind them.

    Parameters
    ----------
    corpus : Corpus
    tokens : DataFrame
        The token table from :func:`analysis.preprocess.tokens`.
    frames : dict, optional
        From :func:`load_lexicons` (default: the built-in lexicons).

    Returns
    -------
    doc_frames : DataFrame
        ``doc_id, frame, hits, rate_per_1k, n_words`` for every document ×
        frame (zeros included); ``n_words`` counts word tokens (alphabetic or
        numeric), the denominator of the rate.
    evidence : DataFrame
        ``doc_id, sentence_id, frame, match, start, end, sentence``: one row
        per counted match (token offsets within the document).

    Examples
    --------
    >>> doc_frames, evidence = score(corpus, toks)          # doctest: +SKIP
    """
    from spacy.tokens import Doc
    from spacy.util import filter_spans

    frames = frames or load_lexicons()
    vocab, matcher = _matcher(frames)
    ev_rows = []
    n_words: dict[str, int] = {}
    for doc_id, part in tokens.groupby("doc_id", sort=False):
        words = part["text"].tolist()
        doc = Doc(vocab, words=words, spaces=[bool(w) for w in part["ws"]], lemmas=part["lemma"].tolist())
        n_words[doc_id] = int((part["is_alpha"] | part["text"].str.isnumeric()).sum())
        sents = part["sent"].to_numpy()
        by_frame: dict[str, list] = {}
        for match_id, start, end in matcher(doc):
            by_frame.setdefault(vocab.strings[match_id], []).append(doc[start:end])
        for frame_id, spans in by_frame.items():
            for span in filter_spans(spans):
                ev_rows.append((doc_id, int(sents[span.start]), frame_id, span.text, span.start, span.end))
    evidence = pd.DataFrame(ev_rows, columns=["doc_id", "sentence_id", "frame", "match", "start", "end"])
    sentences = sentence_texts(tokens)
    evidence = evidence.merge(sentences, on=["doc_id", "sentence_id"], how="left")
    doc_ids = list(corpus.docs["doc_id"])
    grid = pd.MultiIndex.from_product([doc_ids, sorted(frames)], names=["doc_id", "frame"])
    hits = evidence.groupby(["doc_id", "frame"]).size().reindex(grid, fill_value=0).rename("hits")
    out = hits.reset_index()
    out["n_words"] = out["doc_id"].map(n_words).fillna(0).astype(int)
    out["rate_per_1k"] = (out["hits"] / out["n_words"].where(out["n_words"] > 0) * 1000).fillna(0.0)
    return out, evidence


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

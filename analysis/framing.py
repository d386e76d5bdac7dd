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

from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from analysis.corpus import Corpus, CorpusError

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


def _read_frame(text: str, source: str) -> Frame:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CorpusError(f"{source}: not valid YAML ({exc}); see analysis/lexicons/README.md") from None
    if not isinstance(data, dict):
        raise CorpusError(f"{source}: a frame lexicon is a YAML mapping with keys {REQUIRED_KEYS}")
    missing = [k for k in REQUIRED_KEYS if k not in data]
    if missing:
        raise CorpusError(f"{source}: missing key(s) {missing}; see analysis/lexicons/README.md")
    lower = lambda xs: tuple(dict.fromkeys(str(x).strip().lower() for x in (xs or []) if str(x).strip()))  # noqa: E731
    return Frame(
        id=str(data["id"]), label=str(data["label"]), definition=str(data["definition"]).strip(),
        terms=lower(data.get("terms")), phrases=lower(data.get("phrases")),
        inclusion_rules=tuple(data.get("inclusion_rules") or ()),
        exclusion_rules=tuple(data.get("exclusion_rules") or ()),
        examples=tuple(data.get("examples") or ()), references=tuple(data.get("references") or ()),
        source=source,
    )


def load_lexicons(extra: Iterable[str | Path] = (), *, builtin: bool = True) -> dict[str, Frame]:
    """The built-in frame lexicons plus any user files in the same YAML format.

    Parameters
    ----------
    extra : paths
        YAML files (or folders of them) written in the documented format; a
        user frame with the same ``id`` as a built-in one replaces it.
    builtin : bool
        Include the lexicons shipped in ``analysis/lexicons/frames``.

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
        files = sorted(path.glob("*.y*ml")) if path.is_dir() else [path]
        for file in files:
            if not file.is_file():
                raise CorpusError(f"{file}: lexicon file not found")
            f = _read_frame(file.read_text("utf-8"), str(file))
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

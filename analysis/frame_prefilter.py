"""Frame matching on candidate sentences only: the fast path of :func:`analysis.framing.score`.

A lexicon entry or a context rule (:mod:`analysis.frame_patterns`) can match only in a sentence that
holds the tokens its patterns require (:func:`analysis.frame_patterns.prefilter`). This module finds
those sentences with array operations over the cached token table and runs spaCy's ``Matcher`` and
``PhraseMatcher`` (Honnibal & Montani, spaCy 3) on them alone: the lexicon on the sentences where an
entry starts, and each rule's cue and context patterns on that rule's own candidate sentences, so that
a sentence is matched only against the few rules that could fire in it (the ``Matcher`` pays for every
pattern at every token). The evidence rows are those of the per-document loop
(:func:`analysis.framing._document_rows`, the reference), in the same order: the combined cue matcher
runs once more, on the sentences that hold a rule hit, only to give the hits the order in which the
matcher over a whole document reports them (which decides which frame's rows come first in a document
and which rule names a span two rules both matched). ``tests/test_framing_speed.py`` checks the
identity on the teaching corpus and on generated token tables.

Example
-------
>>> import pandas as pd
>>> from analysis import framing
>>> frames = {"f": framing.Frame("f", "F", "d", terms=("sue",))}
>>> vocab, matcher = framing._matcher(frames)
>>> tok = pd.DataFrame({"doc_id": ["d"] * 3, "sent": [0] * 3, "text": ["They", "sued", "."],
...                     "lemma": ["they", "sue", "."], "ws": [" ", "", ""], "pos": ["PRON", "VERB", "PUNCT"]})
>>> pre = frame_patterns.prefilter(["sue"], [])
>>> evidence_rows(tok, vocab, matcher, [], None, True, pre)
[('d', 0, 'f', 'sued', 1, 2, 'lexicon')]
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from analysis import frame_patterns


def _entry_starts(codes: np.ndarray, uniques: list, doc_code: np.ndarray,
                  entries: tuple[tuple[str, ...], ...]) -> np.ndarray:
    """Rows where a lexicon entry (a lemma sequence) starts, within one document."""
    where = {u: k for k, u in enumerate(uniques)}
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
    starts = np.zeros(len(codes), dtype=bool)
    for words in entries:
        if any(w not in where for w in words):
            continue
        first = where[words[0]]
        pos = order[bounds[first]:bounds[first + 1]]
        for j, w in enumerate(words[1:], start=1):
            pos = pos[pos + j < len(codes)]
            pos = pos[(codes[pos + j] == where[w]) & (doc_code[pos + j] == doc_code[pos])]
        starts[pos] = True
    return starts


def _candidates(tok: pd.DataFrame, doc_code: np.ndarray, sent_code: np.ndarray,
                pre: frame_patterns.Prefilter) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray]:
    """Rows where a lexicon entry starts, per rule the sentences (by ``sent_code``) where it could fire, and
    the rows of documents that are candidates as a whole.

    A document whose sentence numbers go down somewhere is a candidate as a whole (a cue whose ends lie
    in one sentence could then hold tokens of another).
    """
    n_sent = int(sent_code.max()) + 1
    text_codes, text_uniques = pd.factorize(tok["text"].astype(object).to_numpy())
    lemma_codes, lemma_uniques = pd.factorize(tok["lemma"].astype(object).to_numpy())
    columns = {"text": (text_codes, list(text_uniques)), "lemma": (lemma_codes, list(lemma_uniques)),
               "lower": (text_codes, [u.lower() for u in text_uniques])}
    index: dict[str, dict[str, list[int]]] = {}
    has: dict[tuple[str, frozenset[str]], np.ndarray] = {}
    sent = tok["sent"].to_numpy()
    falls = (np.diff(sent) < 0) & (doc_code[1:] == doc_code[:-1])
    whole = np.isin(doc_code, doc_code[1:][falls]) if falls.any() else np.zeros(len(doc_code), dtype=bool)
    per_rule: dict[str, np.ndarray] = {}
    for key, needs in pre.needs.items():
        cand = np.zeros(n_sent, dtype=bool)
        cand[sent_code[whole]] = True
        for need in needs:
            ok = np.ones(n_sent, dtype=bool)
            for req in need:
                if req not in has:
                    codes, uniques = columns[req[0]]
                    if req[0] not in index:
                        index[req[0]] = {}
                        for k, u in enumerate(uniques):
                            index[req[0]].setdefault(u, []).append(k)
                    lut = np.zeros(len(uniques), dtype=bool)
                    lut[[k for v in req[1] for k in index[req[0]].get(v, ())]] = True
                    has[req] = np.bincount(sent_code[lut[codes]], minlength=n_sent) > 0
                ok &= has[req]
            cand |= ok
        per_rule[key] = cand
    return _entry_starts(lemma_codes, columns["lemma"][1], doc_code, pre.entries) | whole, per_rule, whole


def _kept_rows(cand: np.ndarray, doc_start: np.ndarray, tail: int | None) -> np.ndarray:
    """Rows to put in a sub-document: candidate rows and up to ``tail`` rows after each (same document)."""
    idx = np.arange(len(cand))
    last = np.maximum.accumulate(np.where(cand, idx, -1))
    keep = last >= doc_start
    if tail is not None:
        keep &= last >= idx - tail
    return np.flatnonzero(keep)


def _sub_matches(tok: pd.DataFrame, vocab, matchers: list, cand: np.ndarray, doc_code: np.ndarray,
                 doc_start: np.ndarray, tail: int | None) -> list[list[tuple[str, int, int, str]]]:
    """Each matcher's matches on one ``Doc`` of the kept rows: ``(key, start row, end row, text)``.

    Only matches that start in a candidate row and cover rows that follow each other in one document
    are kept (the others join pieces that are not neighbours in the text), in the matcher's order.
    """
    from spacy.tokens import Doc

    rows = _kept_rows(cand, doc_start, tail)
    if not len(rows):
        return [[] for _ in matchers]
    part = tok.iloc[rows]
    doc = Doc(vocab, words=part["text"].tolist(), spaces=[bool(w) for w in part["ws"]],
              lemmas=part["lemma"].tolist(), pos=part["pos"].tolist() if "pos" in part else None)
    out = []
    for matcher in matchers:
        found = []
        for mid, a, b in matcher(doc):
            first, last = rows[a], rows[b - 1]
            if cand[first] and last - first == b - 1 - a and doc_code[first] == doc_code[last]:
                found.append((vocab.strings[mid], int(first), int(last) + 1, doc[a:b].text))
        out.append(found)
    return out


def _rule_matches(tok: pd.DataFrame, vocab, rules: list, per_rule: dict[str, np.ndarray], doc_code: np.ndarray,
                  doc_start: np.ndarray, sent_code: np.ndarray, tail: int | None
                  ) -> tuple[list[tuple[str, int, int]], dict[str, list[tuple[int, int]]]]:
    """Each rule's cue and context matches (rows of ``tok``), its patterns run on its own candidate sentences.

    Returns the cue matches that lie inside one candidate sentence of their rule as ``(frame|rule, start,
    end)`` and the context matches as ``near|``, ``also|`` or ``unless|frame|rule`` -> ``(start, end)``.
    Each run of a rule's candidate sentences is matched together with the ``tail`` tokens after it, as
    the matcher sees them in the whole document; a context match that starts in the run ends within it.
    """
    from spacy.tokens import Doc

    union = np.zeros(int(sent_code.max()) + 1, dtype=bool)
    for cand in per_rule.values():
        union |= cand
    rows = _kept_rows(union[sent_code], doc_start, tail)
    doc = Doc(vocab, words=tok["text"].to_numpy()[rows].tolist(), lemmas=tok["lemma"].to_numpy()[rows].tolist(),
              pos=tok["pos"].to_numpy()[rows].tolist() if "pos" in tok else None)
    where = np.full(len(tok), -1)
    where[rows] = np.arange(len(rows))
    firsts = np.flatnonzero(np.r_[True, doc_start[1:] != doc_start[:-1]])
    doc_end = np.repeat(np.r_[firsts[1:], len(tok)], np.diff(np.r_[firsts, len(tok)]))
    by_key: dict[str, list] = {}
    for r in rules:
        by_key.setdefault(f"{r.frame}|{r.id}", []).append(r)
    strings = vocab.strings
    cue_hits: list[tuple[str, int, int]] = []
    context: dict[str, list[tuple[int, int]]] = {}
    for key, cand in per_rule.items():
        member = np.flatnonzero(cand[sent_code])
        if not len(member):
            continue
        cues, ctx = frame_patterns.build_matchers(vocab, by_key[key])
        cut = np.flatnonzero((np.diff(member) != 1) | (doc_code[member[1:]] != doc_code[member[:-1]]))
        for a, b in zip(member[np.r_[0, cut + 1]], member[np.r_[cut, len(member) - 1]] + 1, strict=True):
            stop = doc_end[a] if tail is None else min(b + tail, doc_end[a])
            span = doc[where[a]:where[stop - 1] + 1]
            found = [(key, a + x, a + y) for _, x, y in cues(span, allow_missing=True)
                     if a + x < b and sent_code[a + x] == sent_code[a + y - 1]]
            if not found:
                continue
            cue_hits += found
            for mid, x, y in ctx(span, allow_missing=True) if len(ctx) else ():
                if a + x < b:
                    context.setdefault(strings[mid], []).append((a + x, a + y))
    return cue_hits, context


def _prefiltered_hits(tok: pd.DataFrame, vocab, frames_matcher, rules: list, rule_matchers, negation: bool,
                      pre: frame_patterns.Prefilter) -> tuple[list, np.ndarray] | None:
    """Lexicon and rule hits of every document of ``tok``, matched on its candidate rows only.

    ``tok`` holds each document's rows together. Returns ``(hits, doc_start)`` with ``hits`` as
    ``(doc code, frame, rule, start, end, text)`` (start and end are rows of ``tok``), each document's
    lexicon hits before its rule hits in matcher order, as in the per-document loop; None when a
    column has missing values (the loop then runs).
    """
    if tok[["doc_id", "sent", "text", "lemma"]].isna().to_numpy().any():
        return None
    doc_code = pd.factorize(tok["doc_id"].to_numpy())[0]
    sent_code = tok.groupby([doc_code, tok["sent"].to_numpy()], sort=False).ngroup().to_numpy()
    starts = np.flatnonzero(np.r_[True, doc_code[1:] != doc_code[:-1]])
    doc_start = np.repeat(starts, np.diff(np.r_[starts, len(doc_code)]))
    lex_cand, per_rule, whole = _candidates(tok, doc_code, sent_code, pre)
    lemma_codes, lemma_uniques = pd.factorize(tok["lemma"].astype(object).to_numpy())
    lemmas = np.array([u.lower() for u in lemma_uniques], dtype=object)[lemma_codes]
    longest = max((len(e) for e in pre.entries), default=1)
    [lexicon] = _sub_matches(tok, vocab, [frames_matcher], lex_cand, doc_code, doc_start, longest)
    hits = [(doc_code[a], fid, "lexicon", a, b, text) for fid, a, b, text in lexicon
            if not (negation and frame_patterns.negated(lemmas, sent_code, a))]
    if rules:
        cue_hits, context = _rule_matches(tok, vocab, rules, per_rule, doc_code, doc_start, sent_code, pre.tail)
        used = rules if negation else [replace(r, negation=False) for r in rules]
        decided = {(f"{fid}|{rid}", a, b) for fid, rid, a, b in
                   frame_patterns.decide(cue_hits, context, used, sent_code, lemmas)}
        if decided:                    # the matcher's order over a whole document, from the hit sentences
            in_hit = np.zeros(len(tok), dtype=bool)
            for _, a, b in decided:
                in_hit[a:b] = True
            hit_rows = np.isin(sent_code, sent_code[in_hit]) | whole
            [ordered] = _sub_matches(tok, vocab, [rule_matchers[0]], hit_rows, doc_code, doc_start, pre.tail)
            for key, a, b, text in ordered:
                if (key, a, b) in decided:
                    fid, _, rid = key.partition("|")
                    hits.append((doc_code[a], fid, rid, a, b, text))
    order = np.argsort(np.array([h[0] for h in hits], dtype=np.int64), kind="stable")
    return [hits[k] for k in order], doc_start


def evidence_rows(tokens: pd.DataFrame, vocab, matcher, rules: list, rule_matchers, negation: bool,
                  pre: frame_patterns.Prefilter) -> list[tuple] | None:
    """Evidence rows ``(doc_id, sentence_id, frame, match, start, end, rule)`` as the per-document loop gives them.

    ``matcher`` is the lexicon ``PhraseMatcher`` and ``rule_matchers`` the pair of
    :func:`analysis.frame_patterns.build_matchers` over ``rules``; ``pre`` their :class:`~analysis.frame_patterns.Prefilter`.
    Returns None when the token table has missing values (the caller then runs the loop).
    """
    codes = pd.factorize(tokens["doc_id"].to_numpy())[0]
    tok = tokens if (np.diff(codes) >= 0).all() else tokens.iloc[np.argsort(codes, kind="stable")]
    found = _prefiltered_hits(tok, vocab, matcher, rules, rule_matchers, negation, pre)
    if found is None:
        return None
    hits, doc_start = found
    doc_ids, sents = tok["doc_id"].to_numpy(), tok["sent"].to_numpy()
    rows: list[tuple] = []
    k = 0
    while k < len(hits):
        by_frame: dict[str, list[tuple]] = {}
        code = hits[k][0]
        while k < len(hits) and hits[k][0] == code:
            _, fid, rule, a, b, text = hits[k]
            by_frame.setdefault(fid, []).append((a, b, rule, text))
            k += 1
        for fid, spans in by_frame.items():
            for a, b, rule, text in frame_patterns.filter_spans(spans):
                first = int(doc_start[a])
                rows.append((doc_ids[a], int(sents[a]), fid, text, a - first, b - first, rule))
    return rows

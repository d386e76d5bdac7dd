"""Tiny token tables without spaCy: for the docstring examples, tests and teaching.

:func:`regex_tokens` builds a token table in the shape of
:func:`analysis.preprocess.tokens` from plain texts with a regular-expression
tokeniser; :func:`example_data` is the three-document corpus of the examples
in :mod:`analysis.keyness`.

Example
-------
>>> regex_tokens({"d1": "She spoke."})[["text", "ws", "is_alpha"]].values.tolist()
[['She', ' ', True], ['spoke', '', True], ['.', '', False]]
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

import pandas as pd

#: The columns of a token table (those of ``analysis.preprocess.tokens``).
TOKEN_COLUMNS: tuple[str, ...] = ("doc_id", "sent", "i", "text", "ws", "lemma", "pos", "is_stop",
                                  "is_alpha")
_TOKEN = re.compile(r"\w+|[^\w\s]")


def regex_tokens(texts: Mapping[str, str], lemmas: Mapping[str, str] | None = None,
                 stop: Collection[str] = ()) -> pd.DataFrame:
    """A token table from plain texts, tokenised with a regular expression.

    Words (``\\w+``) and single punctuation characters are tokens; ``ws`` is
    the whitespace up to the next token; a sentence ends after ``.``, ``!``
    or ``?``. The lemma is ``lemmas[word.lower()]`` or the lower-cased word,
    ``pos`` is ``"NOUN"`` for words and ``"PUNCT"`` otherwise, and ``is_stop``
    says whether the lower-cased word is in ``stop``.

    Parameters
    ----------
    texts : mapping of str to str
        ``{doc_id: text}``.
    lemmas : mapping, optional
        Lower-cased word to lemma, e.g. ``{"spoke": "speak"}``.
    stop : collection of str
        Lower-cased stopwords.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TOKEN_COLUMNS`, one row per token, in reading order.

    Examples
    --------
    >>> toks = regex_tokens({"d1": "Hi. She spoke!"}, lemmas={"spoke": "speak"}, stop={"she"})
    >>> toks[["sent", "lemma", "is_stop"]].values.tolist()
    [[0, 'hi', False], [0, '.', False], [1, 'she', True], [1, 'speak', False], [1, '!', False]]
    """
    lemmas = lemmas or {}
    rows = []
    for doc_id, text in texts.items():
        found = list(_TOKEN.finditer(text))
        sent = 0
        for i, m in enumerate(found):
            end = found[i + 1].start() if i + 1 < len(found) else len(text)
            word = m.group()
            rows.append({"doc_id": doc_id, "sent": sent, "i": i, "text": word,
                         "ws": text[m.end():end],
                         "lemma": lemmas.get(word.lower(), word.lower()),
                         "pos": "NOUN" if word.isalpha() else "PUNCT",
                         "is_stop": word.lower() in stop, "is_alpha": word.isalpha()})
            if word in ".!?":
                sent += 1
    return pd.DataFrame(rows, columns=list(TOKEN_COLUMNS))


def example_data() -> tuple[pd.DataFrame, pd.DataFrame]:
    """A three-document corpus for the examples: ``(tokens, docs)``.

    Two Hollywood documents ("The victim spoke to the court." and "Victim,
    victim!") and one Pakistan document ("The court heard the court case.").
    Counted terms (alphabetic, non-stopword lemmas): hollywood victim 3,
    speak 1, court 1 (5 tokens); rest court 2, hear 1, case 1 (4 tokens).

    Examples
    --------
    >>> tokens, docs = example_data()
    >>> tokens.columns.tolist()
    ['doc_id', 'sent', 'i', 'text', 'ws', 'lemma', 'pos', 'is_stop', 'is_alpha']
    >>> len(tokens), len(docs)
    (18, 3)
    """
    texts = {"hw1": "The victim spoke to the court.", "hw2": "Victim, victim!",
             "pk1": "The court heard the court case."}
    tokens = regex_tokens(texts, lemmas={"spoke": "speak", "heard": "hear"}, stop={"the", "to"})
    docs = pd.DataFrame({"doc_id": list(texts), "region": ["hollywood", "hollywood", "pakistan"],
                         "year": [2017, 2018, 2018], "text": list(texts.values())})
    return tokens, docs

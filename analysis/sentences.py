"""Line-aware sentence boundaries: a spaCy component that starts a sentence after every line break.

spaCy's parser and sentence recogniser ignore line breaks, so a headline, a
byline or a photo caption on its own line merges with the next sentence
("By Jo Khan Actress Ritika Sood said ..."). The ``line_sentences``
component marks the first token after any token containing a newline as a
sentence start (and the newline token itself as not a start, so it stays at
the end of the sentence before it). The parser and ``senter`` keep boundaries
that are already set (Honnibal & Montani, spaCy 3 documentation, "Sentence
segmentation": custom rule-based boundaries before the parser), so the
component goes before them; :func:`add_line_sentences` puts it there.

Example
-------
>>> import spacy
>>> nlp = add_line_sentences(spacy.blank("en"))
>>> nlp.add_pipe("sentencizer")                        # doctest: +ELLIPSIS
<spacy.pipeline.sentencizer.Sentencizer object at ...>
>>> [s.text.strip() for s in nlp("By Jo Khan\\nActress Ritika Sood spoke.").sents]
['By Jo Khan', 'Actress Ritika Sood spoke.']
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

COMPONENT = "line_sentences"
#: Components that decide sentence boundaries; ``line_sentences`` goes before the first of them.
BOUNDARY_PIPES: tuple[str, ...] = ("parser", "senter", "sentencizer")


@Language.component(COMPONENT)
def line_sentences(doc: Doc) -> Doc:
    """Mark every token after a line break as a sentence start.

    Examples
    --------
    >>> import spacy
    >>> doc = line_sentences(spacy.blank("en")("Headline\\nFirst line."))
    >>> [t.is_sent_start for t in doc]
    [True, False, True, None, None]
    """
    newline = False
    for token in doc:
        if "\n" in token.text and token.is_space:
            if token.i > 0:
                token.is_sent_start = False
            newline = True
            continue
        if newline:
            token.is_sent_start = True
            newline = False
    return doc


def add_line_sentences(nlp: Language) -> Language:
    """Add ``line_sentences`` before the first boundary component (or last); return ``nlp``.

    The pipeline is changed in place (spaCy pipelines are mutable); adding
    twice is a no-op. Disabled components count, so a pipeline whose
    ``senter`` is enabled later still gets the component before it.

    Examples
    --------
    >>> import spacy
    >>> nlp = add_line_sentences(add_line_sentences(spacy.blank("en")))
    >>> nlp.pipe_names
    ['line_sentences']
    """
    if COMPONENT in nlp.component_names:
        return nlp
    for name in nlp.component_names:
        if name in BOUNDARY_PIPES:
            nlp.add_pipe(COMPONENT, before=name)
            return nlp
    nlp.add_pipe(COMPONENT)
    return nlp

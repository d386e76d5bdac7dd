"""The workbench's exceptions and warnings (the bottom of the import graph).

Every error a user can cause by bad input or bad arguments is a
:class:`WorkbenchError`; the command line turns it into one line on stderr
and exit status 2. Anything else is an internal error (exit 1).

Example
-------
>>> from analysis.errors import CorpusError, WorkbenchError
>>> issubclass(CorpusError, WorkbenchError)
True
"""

from __future__ import annotations


class WorkbenchError(ValueError):
    """Bad input or usage; the message names the file, row and column (or argument) and the fix."""


class CorpusError(WorkbenchError):
    """Bad corpus input that stops loading."""


class LexiconError(WorkbenchError):
    """A frame lexicon, pattern file or word list that cannot be used as it is."""


class UsageError(WorkbenchError):
    """Bad arguments that argparse cannot catch."""


class ResultsError(WorkbenchError):
    """A results folder that belongs to another corpus or other parameters."""


class DataTooSmallError(WorkbenchError):
    """Too few documents or terms for a method (the message gives the numbers)."""


class CorpusWarning(UserWarning):
    """A recoverable problem with the input; it is also recorded in a report."""


class ResultWarning(UserWarning):
    """A result that could not be computed for one cell (NaN with a reason), or a note on a result."""

"""``python -m analysis corpus import SOURCE --out DIR ...`` (issue 12; DESIGN.md, section 4).

Exit status 0 when at least one document was imported, 2 when nothing could
be (the report is still written) or for bad arguments.

Example
-------
``python -m analysis corpus import saved_pages/ --out data/raw/pk_news --region pakistan``
"""

from __future__ import annotations

import argparse

from analysis.cli.common import number_at_least
from analysis.importers import FORMATS, FetchSettings, import_corpus

_positive = number_at_least(0, float)


def _cmd_import(args: argparse.Namespace) -> int:
    fetch = FetchSettings(contact=args.contact or "", delay=args.delay, timeout=args.timeout,
                          max_mb=args.max_mb, retries=args.retries)
    summary = import_corpus(
        args.source, args.out, fmt=args.format, region=args.region, metadata=args.metadata,
        disable=args.no_clean or (), min_words=args.min_words, languages=args.language or ("en",),
        threshold=args.threshold, keep_exact_duplicates=args.keep_duplicates, fetch=fetch,
    )
    counts = ", ".join(f"{n} {status}" for status, n in summary.counts.items() if n)
    print(f"imported {summary.n_documents} documents into {summary.out} ({counts}); "
          f"see {summary.out / 'import_report.csv'}")
    return 0


def register(corpus_subparsers: argparse._SubParsersAction) -> None:
    """Add ``import`` to the ``corpus`` sub-commands."""
    p = corpus_subparsers.add_parser(
        "import", help="import saved pages, WARC, URL lists, Nexis Uni or Factiva exports into a corpus",
        description="Write a corpus folder (documents.csv, texts/, README.md) and import_report.csv.",
    )
    p.add_argument("source", help="folder, .warc(.gz), .docx/.rtf/.html export, or URL list (.txt/.csv)")
    p.add_argument("--out", required=True, help="corpus folder to write")
    p.add_argument("--format", default="auto", choices=FORMATS, help="source format (default: auto)")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--region", help="group of every document")
    group.add_argument("--metadata", help="CSV with source|url|file, region and other columns")
    p.add_argument("--contact", help="your e-mail or web address, sent in the user agent when fetching")
    p.add_argument("--delay", type=_positive, default=2.0, help="seconds between requests to one host (2)")
    p.add_argument("--timeout", type=_positive, default=20.0, help="longest time per response, seconds (20)")
    p.add_argument("--max-mb", type=_positive, default=10.0, help="largest response, MB (10)")
    p.add_argument("--retries", type=int, default=2, help="retries after network errors, 429 and 5xx (2)")
    p.add_argument("--no-clean", action="append", metavar="RULE", help="turn a clean-up rule off (repeatable)")
    p.add_argument("--min-words", type=int, default=30, help="drop documents shorter than this (30)")
    p.add_argument("--language", action="append", help="expected language, ISO 639-1 (default en; repeatable)")
    p.add_argument("--threshold", type=float, default=0.8, help="near-duplicate Jaccard threshold (0.8)")
    p.add_argument("--keep-duplicates", action="store_true", help="keep exact duplicates (flagged)")
    p.set_defaults(func=_cmd_import)

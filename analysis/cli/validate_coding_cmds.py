"""``python -m analysis validate sample|score``: hand-coding samples for frames, victim gender and roles, and their scores.

``validate sample`` draws a blind, stratified sample from any corpus: for
every frame, sentences the tool tagged and sentences it did not (balanced over
the groups of ``--by``), articles for coding the alleged victim's gender, and
every person the tool found in those articles, for coding their role.
Coders get the sheets and ``CODING.md``; the keys (the tool's labels and the
sampling weights) stay apart. ``validate score`` reads one or more coders'
returned sheets and reports precision, recall and F1 per frame, agreement
(Cohen's kappa, Krippendorff's alpha), victim-gender accuracy and role
accuracy with the share of bystanders given a role (:mod:`analysis.validation`).

Example
-------
``python -m analysis validate sample --corpus data/raw/teaching --out coding --per-frame 10``
``python -m analysis validate score --key coding --coder coding/coder_1 --coder coding/coder_2``
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import pandas as pd

from analysis.cli.common import load_corpus, number_at_least, seed
from analysis.config import DEFAULTS, PATHS
from analysis.errors import CorpusWarning, ResultsError, UsageError

_count = number_at_least(0)
#: the tables 'validate score' writes into the sample folder by default
_SCORE_TABLES = ("frame_scores.csv", "victim_gender_scores.csv", "role_scores.csv", "agreement.csv")


def _evidence(corpus, results: Path, lexicons: list[str] | None):
    """Frame evidence (from ``results`` when it holds this corpus's, else computed) and every sentence."""
    from analysis import framing, preprocess, provenance

    tok = preprocess.tokens(corpus)
    sentences = framing.sentence_texts(tok)
    frames = framing.load_lexicons(lexicons or ())
    found = provenance.read(results) if results.is_dir() else None
    if found is not None and found.get("corpus", {}).get("name") != corpus.name:
        raise ResultsError(f"--results {results}: holds results of corpus {found['corpus'].get('name')!r}, "
                           f"not {corpus.name!r}; point --results at this corpus's results")
    path = results / "frame_evidence.csv"
    if path.is_file() and not lexicons:
        evidence = pd.read_csv(path, dtype={"doc_id": str})
        source = str(path)
    else:
        evidence = framing.score(corpus, tok, frames)[1]
        source = "computed now (no frame_evidence.csv in the results folder)" if not lexicons else \
            "computed now with --lexicon"
    return evidence, sentences, frames, source


def _inferred_roles(path: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(mentions, victim_gender)`` as the workbench infers them from the text alone (no case registry)."""
    import warnings

    from analysis import corpus as corpus_mod
    from analysis import preprocess, roles
    from analysis.errors import CorpusWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CorpusWarning)
        bare = corpus_mod.load(path, use_cases=False)
    tok = preprocess.tokens(bare, progress=False)
    mentions = roles.mentions(bare, tokens=tok, use_registry=False)
    return mentions, roles.victim_gender(bare, mentions)


def _guide(frames, n_items: int, n_articles: int, by: str, n_people: int = 0) -> str:
    lines = ["# How to code this sample", "",
             f"`frames_sheet.csv`: {n_items} sentences. For each row, read the sentence and decide whether it "
             "shows the frame named in column `frame`, by the definition and rules below (not by whether a "
             "word from the frame's topic occurs). Write `1` (present) or `0` (absent) in `code`; leave it "
             "empty if you cannot decide. Do not change other columns.", "",
             f"`articles_sheet.csv`: {n_articles} articles (texts in the corpus's `texts/` folder). Read the "
             "article and write the gender of its alleged victim(s) in `victim_gender`: `female`, `male`, "
             "`mixed` (victims of both genders) or `unknown` (the article does not say).", "",
             f"`people_sheet.csv`: {n_people} names found in those articles, listed by article. While you read "
             "an article, write each listed person's role in that article in `role`: `victim` (an alleged "
             "victim or accuser of harassment or abuse), `accused` (accused of it), `other` (everybody "
             "else: lawyers, relatives, colleagues, officials, people named in passing, and people accused "
             "or victims only in another case the article mentions) or `not_a_person` (an organisation, a "
             "place or a title taken for a name).", "",
             f"Rows are balanced over the groups of `{by}`; code without looking at the tool's output or the "
             "key files, and, with two coders, without talking about individual rows.", "", "## Frames", ""]
    for f in frames.values():
        lines += [f"### {f.id}: {f.label}", "", f.definition, ""]
        lines += [f"- include: {r}" for r in f.inclusion_rules] + [f"- exclude: {r}" for r in f.exclusion_rules]
        lines.append("")
    return "\n".join(lines)


def _cmd_sample(args: argparse.Namespace) -> int:
    from analysis import pipeline, role_coding, validation
    from analysis.io import atomic_write_csv, atomic_write_json, atomic_write_text

    corpus = load_corpus(args.corpus)
    corpus.levels(args.by)                                     # a bad --by stops here (exit 2)
    out = pipeline.check_out(args.out)
    results = Path(args.results) if args.results else pipeline.default_results(corpus)
    evidence, sentences, frames, source = _evidence(corpus, results, args.lexicon)
    strata = corpus.docs.set_index("doc_id")[args.by]
    sheet, key = validation.frame_sample(evidence, sentences, frames=sorted(frames), strata=strata,
                                         per_frame=args.per_frame, seed=args.seed)
    files = {"frames_sheet": sheet, "frames_key": key}
    if args.articles:
        mentions, tool = _inferred_roles(args.corpus)
        a_sheet, a_key = validation.article_sample(corpus.docs, tool, by=args.by, n=args.articles, seed=args.seed)
        p_sheet, p_key = role_coding.people_sample(a_key, mentions)
        files.update(articles_sheet=a_sheet, articles_key=a_key, people_sheet=p_sheet, people_key=p_key)
    for name, table in files.items():
        atomic_write_csv(out / f"{name}.csv", table)
    # files of an earlier draw into the same folder would be scored against this one's sheets
    stale = [f for f in (*(f"{k}.csv" for k in ("articles_sheet", "articles_key", "people_sheet", "people_key")),
                         *_SCORE_TABLES) if f.removesuffix(".csv") not in files and (out / f).is_file()]
    for f in stale:
        (out / f).unlink()
    if stale:
        print(f"removed {', '.join(stale)} of an earlier draw from {out}")
    n_articles, n_people = len(files.get("articles_sheet", ())), len(files.get("people_sheet", ()))
    atomic_write_text(out / "CODING.md", _guide(frames, len(sheet), n_articles, args.by, n_people) + "\n")
    atomic_write_json(out / "sample.json", {
        "corpus": corpus.name, "by": args.by, "per_frame": args.per_frame, "articles": args.articles,
        "seed": args.seed, "frames": sorted(frames), "evidence": source.replace(str(PATHS.root) + "/", "")})
    if args.articles:
        print(f"wrote frames_sheet.csv ({len(sheet)} sentences), articles_sheet.csv ({n_articles} articles) and "
              f"people_sheet.csv ({n_people} people) for coders, CODING.md, and frames_key.csv, articles_key.csv, "
              f"people_key.csv (keep them from the coders) to {out}")
    else:
        print(f"wrote frames_sheet.csv ({len(sheet)} sentences) for coders, CODING.md, and frames_key.csv "
              f"(keep it from the coders) to {out}")
    return 0


def _fmt(table: pd.DataFrame, cols: list[str]) -> str:
    return table[[c for c in cols if c in table.columns]].to_string(index=False, float_format=lambda x: f"{x:.2f}")


def _noted_rows(table: pd.DataFrame | None) -> list[dict]:
    """The rows of a score table that carry a note (none for an absent table or one without notes)."""
    if table is None or "note" not in table.columns:
        return []
    return table[table["note"].fillna("") != ""].to_dict("records")


def _cmd_score(args: argparse.Namespace) -> int:
    from analysis import coding_files, pipeline, role_coding, validation
    from analysis.io import atomic_write_csv

    out = pipeline.check_out(args.out) if args.out else Path(args.key)
    keys = coding_files.read_keys(args.key)
    coders = coding_files.read_coders(args.coder, keys)
    for kind, by_coder in coders.items():
        for name, codes in by_coder.items():
            if len(codes) and codes.notna().sum() == 0:
                warnings.warn(CorpusWarning(f"coder {name!r}: no row of the {coding_files.SHEETS[kind]} is coded; "
                                            "its scores are NaN"), stacklevel=1)
    tables: dict[str, pd.DataFrame] = {}
    kw = {"n_boot": args.n_boot, "seed": args.seed}
    agree = []
    if coders["frames"]:
        tables["frame_scores"] = validation.score_frames(keys["frames"], coders["frames"], **kw)
        agree.append(validation.agreement(keys["frames"], coders["frames"], overall="all frames"))
    if coders["articles"]:
        tables["victim_gender_scores"] = validation.score_articles(keys["articles"], coders["articles"], **kw)
        agree.append(validation.agreement(keys["articles"], coders["articles"], unit="doc_id", by=None,
                                          overall="victim_gender"))
    if coders["people"]:
        tables["role_scores"] = role_coding.score_people(keys["people"], coders["people"], **kw)
        agree.append(validation.agreement(keys["people"], coders["people"], unit="person_id", by=None,
                                          overall="role"))
    if not tables:
        raise UsageError("validate score: the --coder files hold no coded sheet")
    tables["agreement"] = pd.concat(agree, ignore_index=True)
    if "frame_scores" in tables:
        print("frames (tool against each coder; weighted by the sampling design, 95% bootstrap intervals):")
        print(_fmt(tables["frame_scores"], ["frame", "reference", "n_coded", "precision", "precision_low",
                                            "precision_high", "recall", "recall_low", "recall_high", "f1"]))
    if "victim_gender_scores" in tables:
        print("\nalleged-victim gender (accuracy; 'unknown' from the tool is wrong unless the coder agrees):")
        print(_fmt(tables["victim_gender_scores"], ["predictor", "reference", "group", "n_coded", "accuracy",
                                                    "accuracy_low", "accuracy_high", "predicted_unknown"]))
    if "role_scores" in tables:
        print("\nperson roles (role accuracy over people coded victim or accused; people coded other given a "
              "victim or accused role; names that are no person):")
        print(_fmt(tables["role_scores"], ["reference", "n_coded", "role_accuracy", "role_accuracy_low",
                                           "role_accuracy_high", "bystanders_given_role",
                                           "bystanders_given_role_low", "bystanders_given_role_high",
                                           "not_a_person"]))
    print("\nagreement:")
    print(_fmt(tables["agreement"], ["measure", "a", "b", "n", "percent_agreement", "cohen_kappa",
                                     "krippendorff_alpha", "note"]))
    formats = {"frame_scores": "{frame} vs {reference}",
               "victim_gender_scores": "victim gender ({predictor}, {group}) vs {reference}",
               "role_scores": "person roles vs {reference}"}
    for name, where in formats.items():
        for r in _noted_rows(tables.get(name)):
            print(f"note: {where.format(**r)}: {r['note']}", file=sys.stderr)
    for name, table in tables.items():
        atomic_write_csv(out / f"{name}.csv", table)
    print(f"\nwrote {', '.join(f'{n}.csv' for n in tables)} to {out}")
    return 0


def add(sub: argparse._SubParsersAction) -> None:
    """Add ``validate sample`` and ``validate score`` to the ``validate`` sub-parsers."""
    p = sub.add_parser("sample", help="a blind, stratified coding sample of frame sentences and articles")
    p.add_argument("--corpus", required=True, help="corpus folder or file")
    p.add_argument("--results", help="results folder with frame_evidence.csv (default: the corpus's; "
                   "computed when absent)")
    p.add_argument("--by", default=DEFAULTS.by, help="grouping column to balance the sample over (default region)")
    p.add_argument("--out", required=True, help="folder for the sheets, keys and CODING.md")
    p.add_argument("--per-frame", type=_count, default=20, help="sentences per frame, half tagged (default 20)")
    p.add_argument("--articles", type=_count, default=30, help="articles for victim gender and the roles of "
                   "their people (default 30; 0: none)")
    p.add_argument("--lexicon", action="append", help="extra frame lexicon YAML file (repeatable)")
    p.add_argument("--seed", type=seed, default=DEFAULTS.seed)
    p.set_defaults(func=_cmd_sample)
    s = sub.add_parser("score", help="precision/recall/F1, kappa, alpha, victim-gender and role accuracy from coders")
    s.add_argument("--key", required=True, help="the sample folder (frames_key.csv, articles_key.csv, people_key.csv)")
    s.add_argument("--coder", required=True, action="append",
                   help="a coder's returned sheet (CSV) or folder of sheets; repeat for a second coder")
    s.add_argument("--out", help="folder for the score tables (default: the --key folder)")
    s.add_argument("--n-boot", type=number_at_least(1), default=DEFAULTS.n_boot,
                   help="bootstrap replicates (default 1000)")
    s.add_argument("--seed", type=seed, default=DEFAULTS.seed)
    s.set_defaults(func=_cmd_score)

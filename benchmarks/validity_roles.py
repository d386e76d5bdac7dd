"""Roles and alleged-victim gender on the real-news development set (issue 13, items 4 and 6).

Usage: python benchmarks/validity_roles.py [--half evaluation|tuning|heldout|tuning_batch2|tuning_batch3|tuning_batch4|tuning_batch5|tuning_batch6|tuning_batch7]
[--errors]
[--out FILE]

The texts are read from ``~/.cache/metoo-workbench/real_news/texts/`` (or
``$METOO_REAL_NEWS/texts``) and never written into the repository: a corpus
folder (``doc_id = id``, ``region``, ``outlet``, ``date``) is built in a
temporary directory, loaded **without a case registry**, and the role step
infers everything from the text. Without the texts the script says so and
exits 0.

Measures (all on one half of the split, ``evaluation`` by default; ``heldout`` is the
batch of new cases in ``data/annotations/real_news/heldout/``, same columns, when present;
``tuning_batch2`` and ``tuning_batch3`` the further tuning batches in their own folders, for reading errors):

* alleged-victim gender per article, ``unknown`` counted as wrong; a
  ``mixed`` article is right only when the workbench says ``mixed``; also on
  the female/male articles only; a 95 % percentile bootstrap interval that
  resamples whole cases (Efron & Tibshirani 1993; cases are the clusters);
* two baselines on the same articles: always ``female``, and "more he/him
  than she/her pronouns means a male victim";
* role per named alleged victim or accused in ``people.csv``, matched to the
  workbench's people of the article by full name, then surname, then any
  shared name word; people not found count as wrong; with a case-bootstrap
  interval as above;
* what decided each article's victim gender (``victim_gender(...,
  explain=True)``: named victims, explicit statements, victim pronouns, the
  other gender than the accused, the he/she balance), with the accuracy of
  each; the evaluation report adds this table for the tuning half, where the
  reliance on the other-gender prior is read.

Example
-------
>>> pronoun_baseline("He said she left. He did.")
'male'
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis import corpus as corpus_mod  # noqa: E402
from analysis import preprocess, roles  # noqa: E402
from analysis.errors import CorpusWarning  # noqa: E402
from analysis.io import atomic_write_text  # noqa: E402
from benchmarks import realnews_data as rn  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ANNOT = ROOT / "data" / "annotations" / "real_news"
OUT = ROOT / "benchmarks" / "results" / "validity_roles.md"
OUT_LEARNED = ROOT / "benchmarks" / "results" / "validity_roles_learned.md"


def texts_dir() -> Path:
    """Where the real-news texts live (``$METOO_REAL_NEWS/texts`` or the user cache)."""
    base = os.environ.get("METOO_REAL_NEWS") or str(Path.home() / ".cache" / "metoo-workbench" / "real_news")
    return Path(base) / "texts"


def build_corpus(manifest: pd.DataFrame, src: Path, dest: Path) -> Path:
    """A corpus folder (no cases.csv) of the manifest's articles whose text is in ``src``."""
    (dest / "texts").mkdir(parents=True, exist_ok=True)
    keep = manifest[[(src / f"{i}.txt").is_file() for i in manifest["id"]]]
    docs = pd.DataFrame({"doc_id": keep["id"], "region": keep["region"], "outlet": keep["outlet"],
                         "date": keep["date"].fillna("")})
    docs.to_csv(dest / "documents.csv", index=False)
    for i in keep["id"]:
        shutil.copyfile(src / f"{i}.txt", dest / "texts" / f"{i}.txt")
    return dest


def pronoun_baseline(text: str) -> str:
    """``male`` when he/him/his outnumber she/her/hers, else ``female`` (the issue's baseline).

    Examples
    --------
    >>> pronoun_baseline("She said he was there.")
    'female'
    """
    words = re.findall(r"[a-z]+", text.lower())
    male = sum(w in ("he", "him", "his", "himself") for w in words)
    female = sum(w in ("she", "her", "hers", "herself") for w in words)
    return "male" if male > female else "female"


def case_bootstrap(correct: pd.Series, cases: pd.Series, reps: int = 2000, seed: int = 20181010
                   ) -> tuple[float, float]:
    """95 % percentile interval of the mean of ``correct``, resampling whole cases.

    Examples
    --------
    >>> lo, hi = case_bootstrap(pd.Series([1, 1, 0, 1]), pd.Series(["a", "a", "b", "c"]))
    >>> 0 <= lo <= 0.75 <= hi <= 1
    True
    """
    rng = np.random.default_rng(seed)
    groups = [g.to_numpy(float) for _, g in correct.groupby(cases.to_numpy())]
    sums = np.array([g.sum() for g in groups])
    sizes = np.array([len(g) for g in groups])
    draws = rng.integers(0, len(groups), size=(reps, len(groups)))
    stats = sums[draws].sum(1) / sizes[draws].sum(1)
    return float(np.quantile(stats, 0.025)), float(np.quantile(stats, 0.975))


def _accuracy_row(name: str, pred: pd.Series, gold: pd.DataFrame) -> dict:
    ok = (pred.to_numpy() == gold["victim_gender"].to_numpy()).astype(float)
    ok_s = pd.Series(ok, index=gold.index)
    fm = gold["victim_gender"].isin(["female", "male"])
    lo, hi = case_bootstrap(ok_s, gold["case"])
    return {"method": name, "accuracy": ok.mean(), "ci_low": lo, "ci_high": hi,
            "accuracy_female_male": ok_s[fm].mean(), "n_articles": len(gold), "n_cases": gold["case"].nunique()}


def evaluate_victim_gender(vg: pd.DataFrame, gold: pd.DataFrame, texts: dict[str, str]) -> pd.DataFrame:
    """Workbench and baselines: accuracy per article with case-bootstrap intervals."""
    pred = gold["id"].map(vg.set_index("doc_id")["victim_gender"]).fillna("unknown")
    rows = [_accuracy_row("workbench (no registry)", pred, gold),
            _accuracy_row("baseline: always female", pd.Series("female", index=gold.index), gold),
            _accuracy_row("baseline: more he than she = male",
                          gold["id"].map(lambda i: pronoun_baseline(texts[i])), gold)]
    return pd.DataFrame(rows)


def _norm(name: str) -> list[str]:
    return [w for w in re.sub(r"[^\w\s-]", " ", name.lower()).split() if w]


def match_person(gold_name: str, found: pd.DataFrame) -> str | None:
    """The workbench person of the article who is ``gold_name``: full name, surname, a shared word.

    Examples
    --------
    >>> f = pd.DataFrame({"person": ["Terry Crews", "Venit"], "n": [3, 1]})
    >>> match_person("Adam Venit", f), match_person("Harvey Weinstein", f)
    ('Venit', None)
    """
    g = _norm(gold_name)
    if not g or found.empty:
        return None
    words = found["person"].map(_norm)
    for test in (lambda w: w == g, lambda w: w[-1] == g[-1],
                 lambda w: bool(set(w) & {x for x in g if len(x) > 2})):
        hit = found[words.map(test)]
        if len(hit):
            return str(hit.sort_values("n", ascending=False)["person"].iloc[0])
    return None


def evaluate_roles(m: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    """One row per gold victim/accused: the matched workbench person and role (None: not found)."""
    per = m.groupby(["doc_id", "person"]).agg(role=("role", "first"), n=("role", "size")).reset_index()
    rows = []
    for rec in people[people["role"].isin(["victim", "accused"])].to_dict("records"):
        found = per[per["doc_id"] == rec["id"]]
        who = match_person(rec["person"], found)
        role = None if who is None else found.loc[found["person"] == who, "role"].iloc[0]
        rows.append({**rec, "matched": who, "predicted": role, "correct": role == rec["role"]})
    return pd.DataFrame(rows)


def evaluate_bystanders(m: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    """One row per person coded ``other`` (lawyers, relatives, colleagues, people named in passing)
    whom the workbench finds: the role it gives them (``given_role``: victim or accused, a wrong role).

    Role per person (:func:`evaluate_roles`) counts only the coded victims and accused; this is its
    other side: a step that gives everybody a role would raise it and fill the victims' and accused's
    measures with bystanders.

    Examples
    --------
    >>> m = pd.DataFrame({"doc_id": ["a", "a"], "person": ["Ann Lee", "Bo Chan"], "role": ["victim", "other"]})
    >>> p = pd.DataFrame({"id": ["a", "a", "a"], "person": ["Ann Lee", "Bo Chan", "Cy Dee"],
    ...                   "role": ["other", "other", "other"]})
    >>> evaluate_bystanders(m, p)["given_role"].tolist()
    [True, False]
    """
    per = m.groupby(["doc_id", "person"]).agg(role=("role", "first"), n=("role", "size")).reset_index()
    rows = []
    for rec in people[people["role"] == "other"].to_dict("records"):
        found = per[per["doc_id"] == rec["id"]]
        who = match_person(rec["person"], found)
        if who is not None:
            role = found.loc[found["person"] == who, "role"].iloc[0]
            rows.append({**rec, "matched": who, "predicted": role, "given_role": role != "other"})
    return pd.DataFrame(rows, columns=[*people.columns, "matched", "predicted", "given_role"])


def annotations(half: str, present_only: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The manifest rows and people of a half (``heldout``: the held-out batch's own files);
    ``present_only``: only the excerpts whose text is in :func:`texts_dir`."""
    folder = ANNOT / half if half in BATCHES else ANNOT
    manifest = pd.read_csv(folder / "manifest.csv", dtype=str, keep_default_na=False)
    gold = manifest if half in BATCHES else manifest[manifest["half"] == half]
    if present_only:
        gold = gold[[_has_text(i) for i in gold["id"]]]
    gold = gold.reset_index(drop=True)
    people = pd.read_csv(folder / "people.csv", dtype=str, keep_default_na=False)
    return gold, people[people["id"].isin(gold["id"])]


#: Batches with their own folder of manifest.csv and people.csv: the held-out cases and the tuning
#: batches (for reading errors only); the evaluation report lists the tuning batches in this order.
BATCHES = ("heldout", *rn.TUNING_BATCHES)


def batch_present(name: str = "heldout") -> bool:
    """A batch's manifest and people files exist."""
    return (ANNOT / name / "manifest.csv").is_file() and (ANNOT / name / "people.csv").is_file()


def _has_text(doc_id: str) -> bool:
    return (texts_dir() / f"{doc_id}.txt").is_file()


def missing_texts(half: str) -> list[str]:
    """The ids of the half's excerpts whose text is not in :func:`texts_dir`."""
    gold, _ = annotations(half)
    return [i for i in gold["id"] if not _has_text(i)]


def parsed(half: str, cache: Path, present_only: bool = False):
    """(corpus, token table, mentions, gold manifest rows, people) of a half (corpus without registry)."""
    gold, people = annotations(half, present_only)
    folder = build_corpus(gold, texts_dir(), cache / "corpus")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CorpusWarning)
        c = corpus_mod.load(folder, use_cases=False)
    tok = preprocess.tokens(c, progress=False, cache_dir=cache / "tokens")
    return c, tok, roles.mentions(c, tokens=tok, progress=False), gold, people


def run(half: str, cache: Path, learned: object = None, present_only: bool = False
        ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Mentions and victim gender (with its basis) of the half's articles (corpus without
    registry), and the gold. ``learned`` (``"shipped"`` or a model) fills the roles the patterns
    leave as other (:func:`analysis.roles.learned.fill_roles`); victim gender is decided from the
    pattern roles all the same (round 8c: the learned roles never feed it)."""
    c, tok, m, gold, people = parsed(half, cache, present_only)
    vg = roles.victim_gender(c, m, explain=True)
    if learned is not None:
        from analysis.roles import learned as learned_roles

        m = learned_roles.fill_roles(m, tok, None if isinstance(learned, str) else learned)
    return m, vg, gold, people


def basis_table(vg: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Articles and accuracy by what decided the victim gender (named victims, fallbacks).

    Examples
    --------
    >>> vg = pd.DataFrame({"doc_id": ["a", "b"], "victim_gender": ["male", "female"],
    ...                    "basis": ["victims", "accused_other"]})
    >>> g = pd.DataFrame({"id": ["a", "b"], "victim_gender": ["male", "male"]})
    >>> basis_table(vg, g)["correct"].tolist()
    [0, 1]
    """
    j = gold.merge(vg, left_on="id", right_on="doc_id", suffixes=("_gold", ""))
    j["ok"] = (j["victim_gender"] == j["victim_gender_gold"]).astype(int)
    t = j.groupby("basis").agg(articles=("ok", "size"), correct=("ok", "sum")).reset_index()
    return t.sort_values("articles", ascending=False, kind="stable").reset_index(drop=True)


#: Evaluation-half numbers of the role step before the issue-13 rework (commit 213c34c), same script.
BEFORE = {"victim gender accuracy": 0.701, "victim gender 95 % CI": "[0.529, 0.806]",
          "role accuracy (not found = wrong)": 0.672, "role accuracy 95 % CI": "",
          "people found": 0.965,
          "teaching corpus: victim gender": 0.964, "teaching corpus: role accuracy": 0.965,
          "teaching corpus: people found": 0.997}
#: The same after the first round of the rework (commit 43b5ca8).
ROUND1 = {"victim gender accuracy": 0.856, "victim gender 95 % CI": "[0.719, 0.960]",
          "role accuracy (not found = wrong)": 0.756, "role accuracy 95 % CI": "", "people found": 0.965,
          "teaching corpus: victim gender": 0.988, "teaching corpus: role accuracy": 0.971,
          "teaching corpus: people found": 0.997}
#: The same after the second round (commit 1d642b1; its evaluation half was measured once).
ROUND2 = {"victim gender accuracy": 0.907, "victim gender 95 % CI": "[0.850, 0.973]",
          "role accuracy (not found = wrong)": 0.781, "role accuracy 95 % CI": "", "people found": 0.980,
          "teaching corpus: victim gender": 0.988, "teaching corpus: role accuracy": 0.971,
          "teaching corpus: people found": 0.997}
#: The same after the third round (commit 229adec; its evaluation half was measured once).
ROUND3 = {"victim gender accuracy": 0.907, "victim gender 95 % CI": "[0.831, 0.987]",
          "role accuracy (not found = wrong)": 0.776, "role accuracy 95 % CI": "[0.667, 0.863]",
          "people found": 0.980, "teaching corpus: victim gender": 1.000, "teaching corpus: role accuracy": 0.974,
          "teaching corpus: people found": 0.997}
#: The same after the fourth round (commit a76acff; its evaluation half was measured once).
ROUND4 = {"victim gender accuracy": 0.907, "victim gender 95 % CI": "[0.831, 0.987]",
          "role accuracy (not found = wrong)": 0.781, "role accuracy 95 % CI": "[0.673, 0.865]",
          "people found": 0.980, "teaching corpus: victim gender": 1.000, "teaching corpus: role accuracy": 0.977,
          "teaching corpus: people found": 0.997}
#: The teaching corpus now (tests/test_roles.py, slow recovery test with cases hidden, -s prints it;
#: role accuracy counts people not found as wrong).
TEACHING_AFTER = {"teaching corpus: victim gender": 1.000, "teaching corpus: role accuracy": 0.977,
                  "teaching corpus: people found": 0.997}


def _fmt(v: object) -> str:
    return v if isinstance(v, str) else f"{v:.3f}"


def before_after(vg_table: pd.DataFrame, role_rows: pd.DataFrame, gold: pd.DataFrame) -> str:
    """The before/after table (evaluation half and teaching corpus)."""
    w = vg_table.iloc[0]
    lo, hi = role_interval(role_rows, gold)
    now = {"victim gender accuracy": f"{w['accuracy']:.3f}",
           "victim gender 95 % CI": f"[{w['ci_low']:.3f}, {w['ci_high']:.3f}]",
           "role accuracy (not found = wrong)": f"{role_rows['correct'].mean():.3f}",
           "role accuracy 95 % CI": f"[{lo:.3f}, {hi:.3f}]",
           "people found": f"{role_rows['matched'].notna().mean():.3f}",
           **{k: f"{v:.3f}" for k, v in TEACHING_AFTER.items()}}
    lines = ["", "### Before and after the rework (evaluation half)", "",
             "| measure | before | round 1 | round 2 | round 3 | round 4 | now (round 5) | target |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    targets = {"victim gender accuracy": "0.90", "role accuracy (not found = wrong)": "0.85"}
    for k, v in BEFORE.items():
        lines.append(f"| {k} | {_fmt(v)} | {_fmt(ROUND1[k])} | {_fmt(ROUND2[k])} | {_fmt(ROUND3[k])} | "
                     f"{_fmt(ROUND4[k])} | {now[k]} | "
                     f"{targets.get(k, '')} |")
    vga, ra = w["accuracy"], role_rows["correct"].mean()
    lines += ["", f"Verdict (computed): victim gender {vga:.3f} {'meets' if vga >= 0.90 else 'misses'} the 0.90 "
              f"target; role per person {ra:.3f} {'meets' if ra >= 0.85 else 'misses'} the 0.85 target "
              f"({ra - ROUND4['role accuracy (not found = wrong)']:+.3f} against round 4)."]
    return "\n".join(lines) + "\n"


def role_interval(role_rows: pd.DataFrame, gold: pd.DataFrame) -> tuple[float, float]:
    """95 % case-bootstrap interval of the role accuracy (people of one case resampled together)."""
    cases = role_rows["id"].map(gold.set_index("id")["case"])
    return case_bootstrap(role_rows["correct"].astype(float).reset_index(drop=True), cases.reset_index(drop=True))


def report(vg_table: pd.DataFrame, role_rows: pd.DataFrame, half: str, gold: pd.DataFrame,
           basis: pd.DataFrame, bystanders: pd.DataFrame | None = None) -> str:
    """The markdown section of the roles and victim-gender numbers of one half (with
    ``bystanders``, :func:`evaluate_bystanders`, a line for the people coded other)."""
    lines = [f"## Roles and alleged-victim gender ({half} half, corpus loaded without a case registry)", "",
             f"Command: `.venv/bin/python benchmarks/validity_roles.py --half {half}`", "",
             "| method | accuracy | 95 % CI (cases) | accuracy on female/male articles | articles | cases |",
             "| --- | ---: | --- | ---: | ---: | ---: |"]
    for r in vg_table.to_dict("records"):
        lines.append(f"| {r['method']} | {r['accuracy']:.3f} | [{r['ci_low']:.3f}, {r['ci_high']:.3f}] | "
                     f"{r['accuracy_female_male']:.3f} | {r['n_articles']} | {r['n_cases']} |")
    n = len(role_rows)
    found = role_rows["matched"].notna()
    lo, hi = role_interval(role_rows, gold)
    lines += ["", "| role per named alleged victim / accused | value |", "| --- | ---: |",
              f"| people in people.csv (victim or accused) | {n} |",
              f"| found by the workbench | {found.sum()} ({found.mean():.3f}) |",
              f"| role accuracy (not found = wrong) | {role_rows['correct'].mean():.3f} |",
              f"| role accuracy 95 % CI (cases) | [{lo:.3f}, {hi:.3f}] |",
              f"| role accuracy of the people found | {role_rows.loc[found, 'correct'].mean():.3f} |"]
    for role in ("victim", "accused"):
        sub = role_rows[role_rows["role"] == role]
        lines.append(f"| accuracy for gold {role}s | {sub['correct'].mean():.3f} (n={len(sub)}) |")
    if bystanders is not None and len(bystanders):
        cases = bystanders["id"].map(gold.set_index("id")["case"])
        blo, bhi = case_bootstrap(bystanders["given_role"].astype(float).reset_index(drop=True),
                                  cases.reset_index(drop=True))
        lines.append(f"| people coded other (found) given a victim or accused role | "
                     f"{int(bystanders['given_role'].sum())} of {len(bystanders)} "
                     f"({bystanders['given_role'].mean():.3f}, 95 % CI [{blo:.3f}, {bhi:.3f}]) |")
        right = int(role_rows.loc[found, "correct"].sum()) + int((~bystanders["given_role"]).sum())
        total = int(found.sum()) + len(bystanders)
        lines.append(f"| role accuracy over every coded person found (victim, accused and other) | "
                     f"{right / total:.3f} ({right} of {total}) |")
    lines += ["", basis_markdown(basis, half)]
    return "\n".join(lines) + "\n"


def basis_markdown(basis: pd.DataFrame, half: str) -> str:
    """What decided the victim gender, as a markdown table."""
    total = int(basis["articles"].sum())
    lines = [f"What decided the victim gender ({half} half):", "",
             "| basis | articles | share | correct |", "| --- | ---: | ---: | ---: |"]
    for r in basis.to_dict("records"):
        lines.append(f"| {r['basis']} | {r['articles']} | {r['articles'] / total:.3f} | "
                     f"{r['correct']}/{r['articles']} |")
    return "\n".join(lines) + "\n"


def measure(half: str, learned: object = None, present_only: bool = False
            ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame, str]:
    """Victim-gender table, role rows, gold, basis table and the markdown section of one half
    (``present_only``: of the excerpts whose text is present, the section says how many)."""
    with tempfile.TemporaryDirectory() as tmp:
        m, vg, gold, people = run(half, Path(tmp), learned, present_only)
    texts = {i: (texts_dir() / f"{i}.txt").read_text(encoding="utf-8") for i in gold["id"]}
    table = evaluate_victim_gender(vg, gold, texts)
    role_rows = evaluate_roles(m, people)
    basis = basis_table(vg, gold)
    text = report(table, role_rows, half, gold, basis, evaluate_bystanders(m, people))
    if present_only:
        total = len(annotations(half)[0])
        text = text.replace("\n\n", f"\n\n**Partial: the {len(gold)} of {total} excerpts whose text is present "
                            "(people of the other articles left out).**\n\n", 1)
    if learned is not None:
        text = text.replace(f"--half {half}`", f"--half {half} --learned`", 1)
    return table, role_rows, gold, basis, text, vg


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--half", default="evaluation", choices=["evaluation", "tuning", *BATCHES])
    ap.add_argument("--errors", action="store_true", help="print the articles and people it gets wrong")
    ap.add_argument("--out", type=Path, default=None, help=f"markdown file (default with evaluation: {OUT})")
    ap.add_argument("--learned", action="store_true", help="fill the roles the patterns leave as other with the "
                    f"opt-in learned role model (analysis/roles/learned.py; default out with evaluation: {OUT_LEARNED})")
    ap.add_argument("--present-only", action="store_true", help="measure the excerpts whose text is present "
                    "when some are missing (a partial report: needs --out, never the committed report)")
    args = ap.parse_args(argv)
    if not texts_dir().is_dir():
        print(f"real-news texts not found in {texts_dir()}; see {ANNOT / 'README.md'} to re-gather them")
        return 0
    if args.half in BATCHES and not batch_present(args.half):
        print(f"no batch in {ANNOT / args.half} (manifest.csv and people.csv)")
        return 0
    sets = [args.half] + (["tuning", *(b for b in BATCHES if batch_present(b))] if args.half == "evaluation" else [])
    missing = {h: missing_texts(h) for h in sets}
    if any(missing.values()) and not args.present_only:
        gaps = ", ".join(f"{h} {len(ids)} (first {ids[0]}.txt)" for h, ids in missing.items() if ids)
        print(f"real-news texts missing in {texts_dir()}: {gaps}. Re-gather them as {ANNOT / 'README.md'} says, "
              "or pass --present-only --out FILE for a report on the excerpts present", file=sys.stderr)
        return 2
    if args.present_only and args.out is None:
        print("--present-only needs --out: a partial report must not replace the committed one", file=sys.stderr)
        return 2
    part = args.present_only                                    # a partial report (the excerpts present)
    learned = None
    if args.learned:
        from analysis.roles import learned as learned_roles

        if why := learned_roles.unavailable_reason():
            print(f"--learned: {why}")
            return 2
        learned = "shipped"
    table, role_rows, gold, _, text, vg = measure(args.half, learned, part)
    if args.half == "evaluation":
        if not learned and not part:
            text += before_after(table, role_rows, gold) + "\n" + NOTES + "\n"
        text += "\n" + measure("tuning", learned, part)[4]
        for batch in (b for b in BATCHES if b != "heldout"):           # every tuning batch, then the held-out one
            if batch_present(batch):
                text += "\n" + measure(batch, learned, part)[4]
        if batch_present("heldout"):
            text += "\n" + measure("heldout", learned, part)[4]
    print(text)
    if args.errors:
        pred = gold.merge(vg, left_on="id", right_on="doc_id")
        print(pred.loc[pred["victim_gender_x"] != pred["victim_gender_y"],
                       ["id", "case", "victim_gender_x", "victim_gender_y", "basis"]].to_string())
        print(role_rows.loc[~role_rows["correct"], ["id", "person", "role", "matched", "predicted"]].to_string())
    out = args.out or ((OUT_LEARNED if learned else OUT) if args.half == "evaluation" else None)
    if out is not None:
        title = "with the opt-in learned roles (`--learned`)" if learned else "on real news"
        atomic_write_text(out, f"# Validity of roles and victim gender {title}\n\n"
                          + (LEARNED_NOTE + "\n\n" if learned else "") + text)
    return 0


#: Heads the report of ``--learned`` (round 8c in benchmarks/results/validity_notes.md).
LEARNED_NOTE = (
    "People whose pattern role is `other` get a role from the fine-tuned encoder of "
    "`analysis/roles/learned.py` (`analysis/lexicons/roles/roles.finetuned.npz`, trained by "
    "`python benchmarks/train_roles.py --train tuning,tuning_batch2,...,tuning_batch6 --save`); the alleged-victim "
    "gender is decided from the pattern roles, so it is the same as without `--learned`. **The model was trained "
    "on the tuning half and tuning batches 2-6: their figures below are in-sample.** Out of sample are the "
    "evaluation half, tuning_batch7 (new cases, the declared check of round 8c) and the held-out batch. **Not "
    "recommended** (round 9b of `validity_notes.md`): read the line on the people coded other below, and role "
    "accuracy over every coded person: the gain for coded victims and accused comes with most bystanders given "
    "a role.")


#: What changed in rounds 3 and 4 and what is still wrong (errors read on the tuning half and tuning batch 2 only).
NOTES = (
    "Round 6 (2026-12-01, late night; commits 4bf2f8d..fb62e09). Errors read on tuning batch 3 (no longer "
    "unseen for roles), every change checked on the tuning half and batch 2 and kept only if the sum of the "
    "three did not fall and no set's victim gender fell; tuning batch 4 (being gathered) and the evaluation "
    "half were not scored. Tuning batch 3: role 0.753 -> 0.932 (gold victims 0.62 -> 0.89, accused 0.89 -> "
    "0.97, people found 0.890 -> 0.986), victim gender 0.750 -> 0.886 (he/she baseline 0.818); tuning half "
    "0.941 / 0.940 and batch 2 0.945 / 0.956 unchanged. **Batch 3 is now a tuning number**: 0.753 -> 0.849 "
    "of its role gain came from first names of its own people added to names_gender.csv (genders from "
    "general use; they help only articles naming people so called), the rest from general constructions "
    "that fired on batch 3 and hardly anywhere else (three new firings on the old sets, none changing a "
    "role), "
    "so as in rounds 4 and 5 their transfer is unmeasured until batch 4. Added: victim gender from "
    "one-gender common nouns ('a man said', 'the boy', 'women'; not 'a man accused of') before the "
    "other-gender-than-the-accused prior, which had decided 7 batch-3 articles with 2 right and now decides "
    "none there (4 on the tuning half, all right); a two-word proper noun the NER called a place in "
    "apposition to a person noun ('a second accuser, X'); organisation end words (party, committee, ...) "
    "so a party is no person; 'ur' as a surname particle; 'a man, identified as X, filed ...' (X takes the "
    "noun's place); 'X filed a complaint accusing Y'; 'a lawsuit filed by X' and 'one, filed by X' after "
    "suits; 'X's lawyer denied / called the allegations false' (X accused); 'X is another actress coming "
    "forward' (a participle on the predicate noun); 'X, a cleric arrested for abusing Y' (a participle on "
    "the appositive noun). Dropped: a reflexive object of a harm verb read as the agent (right on batch 3, "
    "but it flipped a tuning-half person coded victim and that article's victim gender); the passive "
    "subject bound away from its agent and 'the complainant said, adding that he ...' blocking the "
    "pronoun (no score moved, pronoun chains changed elsewhere). Teaching corpus roles CPU unchanged "
    "(2.71 s before and after on a quiet machine; 3.37 vs 3.39 s, medians under load). Still wrong on batch 3: "
    "articles about a second case "
    "whose named victims are of the other gender, a victim shown only through what was done to him "
    "without a harassment verb, harm nouns 'against her' read as accusations against her, an accuser "
    "the NER misses entirely, an accused split from his variant spelling.\n\n"

    "Round 5 (2026-12-01, night; commits 39357f3..6a97eaf). Same method as round 4 (errors read on one old "
    "tuning set, changes kept only if they held on the other), plus a clean check: tuning batch 3 (44 "
    "excerpts of 14 new cases, coded before the round and read by nobody) was scored before and after. "
    "Tuning half: role 0.926 -> 0.941, victim gender 0.917 -> 0.940; tuning batch 2: role 0.872 -> 0.945, "
    "victim gender 0.956 -> 0.956; **tuning batch 3: role 0.753 -> 0.753, victim gender 0.750 -> 0.750 "
    "(unchanged; below its he/she baseline, 0.818)**; evaluation half, measured once at the end: role 0.781 "
    "-> 0.771 (people found 0.980 -> 0.975), victim gender 0.907 -> 0.907; held-out batch: role 0.814 -> "
    "0.814, victim gender 0.867 -> 0.900. Added: lists of names strung as appositions climbed to their top "
    "at any length; lower-case surname particles (van, de); 'named in the lawsuit/complaint' as an "
    "accusation; a 'her' parsed as a second object read as a possessive; a stage name and the legal name "
    "given for it merged and gendered by the legal first name; 'fired / sacked / dropped over the claims' "
    "marks the accused; the people a defamation suit is against no longer get victim evidence; 'reports by "
    "X' and 'signed with X' no longer make X an accuser or a target. The tuning gains did not reach new "
    "cases: as in round 4 most rules fired only on the set they were read from. What batch 3 shows instead: "
    "its victim-gender errors are decided by the other-gender-than-the-accused prior (2 of 7 right) and its "
    "gold victims are found and given the victim role in 0.62 of cases (accused 0.89): victims whose story "
    "is told without a harassment word next to their name remain the main gap.\n\n"

    "Round 4 (2026-12-01; commits 3ca86ee..e3a7e25 and d825256). Each change was written from the errors of "
    "one tuning set and kept only if it held on the other (the one not read for it); the evaluation half and "
    "the held-out batch were measured once, at the end. Tuning half: role 0.912 -> 0.926, victim gender "
    "0.917 -> 0.917; tuning batch 2: role 0.826 -> 0.872, victim gender 0.933 -> 0.956. Added: 'the testimony "
    "/ revelations of X' (X the accuser); 'X is one of the men who were accused / among the women who sued' "
    "(X takes the relative clause's role); names with a quoted nickname that the small NER misses; a surname "
    "shared by two people goes to the one whose first name was mentioned last; 62 first names whose gender "
    "is clear in general (not from the article); a proper noun inside a list of names is a person even when "
    "the NER missed it; 'the victims / accusers of X' and 'embattled X' (X accused); a social-media credit "
    "line signs the post above it; a bare past participle hung on a passive verb is passive; the middle name "
    "of a three-word name gives the gender when the first is not listed; 'the actor' after 'Actor X' refers to "
    "X. Most rules that moved a tuning score fired only on the set they were read from, so their check on the "
    "other set shows they did no harm rather than that they generalise; the evaluation half moved by one "
    "person (0.776 -> 0.781) and the held-out batch by one (role 0.797 -> 0.814; victim gender 0.833 -> "
    "0.867). Dropped (worse on a set not read for them): a subject preference in pronoun resolution "
    "(Lappin and Leass 1994 style salience), ordering same-length names by first mention. Still wrong: a man "
    "with a woman's first name as a stage name, articles with no harassment word, people known only through "
    "negated quotes, parser damage around quotation marks in titles, two people under one surname.\n\n"

    "Round 3 (errors read on the tuning half and on tuning batch 2 only; the evaluation half and the held-out "
    "batch were measured once, at the end). Round 2 (commit 1d642b1) on the same tuning sets: tuning half "
    "role 0.838, victim gender 0.893; tuning batch 2 role 0.761, victim gender 0.867 (batch 2 arrived midway "
    "through round 3 and was first measured at role 0.761 before its errors were read; its later numbers "
    "are tuning numbers). Added: what a person says decides their role when nothing else "
    "does (analysis/roles/speech.py): quotes they are the speaker of, quotes continued in the next sentences, "
    "reported speech (\"X said she ...\"), plural subjects that refer back (\"both men allege ...\"), and signed social-media posts (\"Me too\" / \"- Name (@handle)\"): "
    "harassment or trauma words with me/my (or he/she in reported speech) mark the alleged victim, denial "
    "words (\"baseless\", \"lies\") the accused; the subject of an alleged act of sexual misconduct (\"alleged "
    "that X wanted sexual favours\") and \"X alleges Y of harassment\" mark the accused; a relative clause on a "
    "list of names covers every name; \"names like X, Y\" and \"X has been named\" in #MeToo coverage; a name "
    "after \"including\" that the parser made a second object; \"disgraced / convicted X\"; counter-narratives "
    "(\"targeted by a smear campaign\", \"the real victim\"); relational evidence only for objects after the "
    "accused (\"After X, Y is facing charges\" no longer makes X a victim); headline glue in front of a name and "
    "photo credits glued to a surname; a listed first name vetoes disagreeing pronouns in the first "
    "resolution round (an unnamed victim's \"her\" no longer makes the accused a woman). Victim gender: "
    "pronouns on the receiving end of a harassment verb (\"groped her\", \"he was abused\") decide before the "
    "other-gender-than-the-accused prior; victim_gender(..., explain=True) says what decided. On the tuning "
    "half the prior decided 4 articles in round 2 and 5 now (victim pronouns 1); on tuning batch 2, 4 (0 "
    "right) in round 2 and 2 (0 right) now: it is still wrong in male-male cases whose named victims are not "
    "found. Tried and dropped (worse on both tuning sets): keeping men off the victims' side when no accused "
    "is found, and keeping people of the text's stated victim gender off the accused side. Remaining errors "
    "(tuning): names the small NER misses (single names, \"MJ Akbar\"), a man with a woman's listed first "
    "name and no pronoun of his own (\"Marilyn Manson\" gets she/her), victims named only in narrative "
    "without a harassment word near them (\"Leaving Neverland\" profiles), group subjects other than \"both / the two men\" "
    "not resolved to the named people, organisations taken for people, people named in passing "
    "(\"the Harvey Weinstein story\": now no role instead of a wrong one), and mixed articles rarely called mixed. "
    "Not scored above: people coded \"other\" (lawyers, relatives, colleagues) who get a victim or accused "
    "role: 52 of the 113 found on the tuning half (52 in round 2), 17 of 48 on tuning batch 2 (16)."
)


if __name__ == "__main__":
    raise SystemExit(main())

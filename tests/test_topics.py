"""Topic models: determinism, FREX and relevance by hand, pyLDAvis export, planted effects."""

from __future__ import annotations

import os
import shutil
import warnings

import numpy as np
import pandas as pd
import pytest

from analysis import compare, pipeline, preprocess, topic_selection, topics
from analysis.errors import DataTooSmallError, ResultWarning
from analysis.preprocess import BagOfWords, BowParams


def test_frex_by_hand():
    phi = np.array([[0.5, 0.3, 0.2], [0.1, 0.3, 0.6]])
    # exclusivity of topic 1: [0.5/0.6, 0.3/0.6, 0.2/0.8] = [.833, .5, .25] -> ECDF [1, 2/3, 1/3]
    # frequency ECDF of topic 1: [1, 2/3, 1/3]; FREX = 1/(0.5/e + 0.5/f) -> [1, 2/3, 1/3]
    assert topics.frex(phi)[0] == pytest.approx([1.0, 2 / 3, 1 / 3])
    # topic 2: excl [1/6, 1/2, 3/4] -> ECDF [1/3, 2/3, 1]; freq ECDF [1/3, 2/3, 1]
    assert topics.frex(phi)[1] == pytest.approx([1 / 3, 2 / 3, 1.0])


def test_relevance_by_hand():
    phi = np.array([[0.5, 0.5], [0.9, 0.1]])
    p = np.array([0.7, 0.3])
    # 0.6*ln(0.5) + 0.4*ln(0.5/0.7) = -0.41589 - 0.13459 = -0.55048
    assert topics.relevance(phi, p, 0.6)[0, 0] == pytest.approx(-0.55048, abs=1e-4)
    # 0.6*ln(0.1) + 0.4*ln(0.1/0.3) = -1.38155 - 0.43944 = -1.82099
    assert topics.relevance(phi, p, 0.6)[1, 1] == pytest.approx(-1.82099, abs=1e-4)
    assert topics.relevance(phi, p, 1.0) == pytest.approx(np.log(phi))


@pytest.fixture(scope="module")
def teaching_bow(teaching):
    tok = preprocess.tokens(teaching, progress=False)
    return preprocess.bag_of_words(teaching, tok)


def test_same_seed_gives_identical_topics(teaching_bow, tmp_path):
    a = topics.fit(teaching_bow, 6, seed=7, passes=2, cache=False)
    b = topics.fit(teaching_bow, 6, seed=7, passes=2, cache=False)
    assert np.array_equal(a.phi, b.phi) and np.array_equal(a.gamma, b.gamma)
    c = topics.fit(teaching_bow, 6, seed=8, passes=2, cache=False)
    assert not np.array_equal(a.phi, c.phi)


def test_cached_model_equals_fresh_fit(teaching_bow, tmp_path):
    fresh = topics.fit(teaching_bow, 5, seed=3, passes=2, cache_dir=tmp_path)
    again = topics.fit(teaching_bow, 5, seed=3, passes=2, cache_dir=tmp_path)
    entries = list(tmp_path.glob("lda-k5-s3-*"))
    assert len(entries) == 1 and entries[0].is_dir() and (entries[0] / "done.json").is_file()
    assert np.array_equal(fresh.phi, again.phi)
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]


def test_broken_cache_entry_is_removed_and_rebuilt_with_a_warning(teaching_bow, tmp_path):
    fresh = topics.fit(teaching_bow, 5, seed=3, passes=2, cache_dir=tmp_path)
    (entry,) = tmp_path.glob("lda-k5-s3-*")
    (entry / "model.gensim.state").write_bytes(b"truncated by a kill")
    with pytest.warns(ResultWarning, match="broken"):
        again = topics.fit(teaching_bow, 5, seed=3, passes=2, cache_dir=tmp_path)
    assert np.array_equal(fresh.phi, again.phi)
    from analysis import topic_fit
    assert topic_fit._load_cached(entry, 5, len(teaching_bow.dictionary)) is not None


def test_half_saved_entry_without_done_marker_is_rebuilt(teaching_bow, tmp_path):
    topics.fit(teaching_bow, 4, seed=3, passes=1, cache_dir=tmp_path)
    (entry,) = tmp_path.glob("lda-k4-s3-*")
    (entry / "done.json").unlink()
    with pytest.warns(ResultWarning):
        topics.fit(teaching_bow, 4, seed=3, passes=1, cache_dir=tmp_path)
    assert (entry / "done.json").is_file()


def test_stale_temporaries_of_dead_processes_are_cleaned(teaching_bow, tmp_path):
    dead = tmp_path / ".lda-k4-s3-x.tmp-999999999-abc"
    dead.mkdir()
    os.utime(dead, (0, 0))                       # left long ago (fresh files are never touched)
    topics.fit(teaching_bow, 4, seed=3, passes=1, cache_dir=tmp_path)
    assert not dead.exists()


def _tiny_bow(n_docs: int, n_terms: int = 10) -> BagOfWords:
    from gensim.corpora import Dictionary

    texts = [[f"w{(d + j) % n_terms}" for j in range(4)] for d in range(n_docs)]
    d = Dictionary(texts)
    return BagOfWords([f"d{i}" for i in range(n_docs)], texts, d, [d.doc2bow(t) for t in texts],
                      BowParams(), f"tiny{n_docs}-{n_terms}")


@pytest.mark.parametrize("n_docs", [0, 1, 5])
def test_five_or_fewer_documents_is_data_too_small(n_docs):
    with pytest.raises(DataTooSmallError, match=f"{n_docs} document"):
        topics.fit(_tiny_bow(n_docs), 2, cache=False)
    with pytest.raises(DataTooSmallError):
        topic_selection.select_k(_tiny_bow(n_docs), (2, 3), progress=False, workers=1)


def test_k_beyond_the_data_is_refused_with_the_supported_range():
    bow = _tiny_bow(12)
    assert topics.supported_k(bow) == 5
    with pytest.raises(DataTooSmallError, match="K=50.*K from 2 to 5"):
        topics.fit(bow, 50, cache=False)


def test_auto_grid_is_cut_to_what_the_data_supports(tmp_path):
    bow = _tiny_bow(9, 12)
    table, k, reason = topic_selection.select_k(bow, (6, 7, 8), seed=1, passes=1, n_seeds=2, workers=1,
                                                progress=False, cache_dir=tmp_path)
    assert table["k"].max() <= topics.supported_k(bow) == 4
    assert 2 <= k <= 4 and "beyond this corpus" in reason
    assert table[["stability_median", "c_npmi"]].notna().all().all()


def test_labels_and_stability_tables(teaching_bow, tmp_path):
    fitted = topics.fit(teaching_bow, 5, seed=3, passes=2, cache_dir=tmp_path)
    terms = topics.label(fitted, n_terms=5)
    assert list(terms.columns[:6]) == ["topic", "rank", "term", "prob", "frex", "relevance"]
    assert (terms.groupby("topic")["prob"].apply(lambda s: s.is_monotonic_decreasing)).all()
    stab = topic_selection.stability(teaching_bow, 5, [3, 4, 5], passes=2, progress=False, cache_dir=tmp_path)
    assert stab["stability"].between(0, 1).all() and len(stab) == 5


def test_no_term_is_the_top_label_of_two_topics(teaching_bow, tmp_path):
    for k in (6, 10, 14):
        fitted = topics.fit(teaching_bow, k, seed=3, passes=2, cache_dir=tmp_path)
        for by in ("frex", "relevance"):
            firsts = [terms[0] for terms in topics.topic_labels(fitted, 3, by=by).values()]
            assert len(firsts) == k and len(set(firsts)) == k, (k, by, firsts)


def test_unique_labels_when_frex_leads_collide():
    from gensim.corpora import Dictionary

    # term "a" has the highest FREX in both topics of this hand-made phi: the second topic gets "c"
    d = Dictionary([["a", "b", "c"]])
    fitted = topics.Fitted(None, BagOfWords(["x"], [["a"]], d, [[(0, 1)]], BowParams(), "h"), 2, 1,
                           np.array([[0.6, 0.3, 0.1], [0.5, 0.1, 0.4]]), np.ones((1, 2)))
    raw = np.argmax(topics.frex(fitted.phi), axis=1)
    assert raw[0] == raw[1]
    labels = topics.topic_labels(fitted, 2)
    assert labels[1][0] != labels[2][0]


def test_selection_rule_by_hand():
    table = pd.DataFrame({"k": [4, 6, 8, 10], "c_npmi": [0.050, 0.045, 0.032, 0.0],
                          "stability_median": [0.9, 0.7, 0.65, 0.9]})
    k, reason = topic_selection.choose_k(table, tolerance=0.02, min_stability=0.6)
    assert k == 8 and "decided by stability" in reason           # 10 is stable but not near-best
    k, reason = topic_selection.choose_k(table, tolerance=0.02, min_stability=0.95)
    assert k == 4 and "no K reaches" in reason                    # none stable: the most stable near-best
    k, reason = topic_selection.choose_k(table, tolerance=0.001, min_stability=0.6)
    assert k == 4 and "decided by coherence" in reason


def test_selection_is_identical_whatever_the_number_of_workers(teaching_bow, tmp_path):
    one = topic_selection.select_k(teaching_bow, (4, 5), seed=2, passes=1, n_seeds=2, workers=1,
                                   progress=False, cache_dir=tmp_path / "a")
    two = topic_selection.select_k(teaching_bow, (4, 5), seed=2, passes=1, n_seeds=2, workers=2,
                                   progress=False, cache_dir=tmp_path / "b")
    pd.testing.assert_frame_equal(one[0], two[0])
    assert one[1:] == two[1:]
    cols = {"c_v", "c_npmi", "u_mass", "exclusivity", "heldout_perplexity", "stability_median", "stability_min"}
    assert cols <= set(one[0].columns)


def test_match_topics_finds_permuted_topics():
    rng = np.random.default_rng(0)
    phi = rng.dirichlet(np.ones(20), size=4)
    out = topic_selection.match_topics(phi, [phi[[2, 0, 3, 1]], phi[[1, 0, 3, 2]]])
    assert out["stability"].to_numpy() == pytest.approx(np.ones(4))
    assert out["top_terms_jaccard"].to_numpy() == pytest.approx(np.ones(4))


def test_ldavis_html_is_self_contained(teaching_bow, tmp_path):
    fitted = topics.fit(teaching_bow, 5, seed=3, passes=2, cache_dir=tmp_path)
    page = topics.ldavis_html(fitted)
    lowered = page.lower()
    assert "<script src" not in lowered and "<link" not in lowered and "@import" not in lowered
    assert "cdn." not in lowered and "d3js.org/d3" not in lowered.replace("https://d3js.org v", "")
    assert "new LDAvis(" in page


@pytest.mark.browser
def test_ldavis_draws_topic_circles_offline(teaching_bow, tmp_path):
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        pytest.skip("headless Chromium not installed (make browser installs Debian's chromium and chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    fitted = topics.fit(teaching_bow, 5, seed=3, passes=2, cache_dir=tmp_path)
    page = tmp_path / "ldavis.html"
    page.write_text(topics.ldavis_html(fitted), encoding="utf-8")
    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>"):
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=opts)
    try:
        driver.get(page.as_uri())
        circles = driver.execute_script("return document.querySelectorAll('circle').length")
        assert circles >= 5, f"expected one circle per topic, found {circles}"
    finally:
        driver.quit()


#: Cue lemmas of the planted regional emphases, from data/raw/teaching/CODEBOOK.md (R1, R3, R4). They are
#: the test's own lists: the frame lexicons measure framing in context and are not topic vocabularies.
PLANTED_CUES = {
    "R1 legal": ("pakistan", ["court", "petition", "hearing", "complaint", "ombudsperson", "fia", "lawyer",
                              "counsel", "verdict", "inquiry", "committee", "law", "fir"]),
    "R3 career": ("bollywood", ["film", "release", "shoot", "role", "producer", "project", "box", "office",
                                "banner", "work", "director", "movie", "shelve"]),
    "R4 workplace": ("hollywood", ["union", "guild", "hr", "investigation", "agreement", "settlement", "board",
                                   "shareholder", "resignation", "policy", "nda", "company", "executive"]),
}


@pytest.mark.slow
@pytest.mark.parametrize("k", ["auto"])
def test_planted_regional_emphases_are_recovered(teaching, k):
    """Recovery (not validation): the topic richest in a regularity's cue words is more prevalent in its region.

    CODEBOOK R1, R3, R4, at the automatically selected K (at a fixed K=10, R1's cue-richest topic does not
    separate Pakistan from Hollywood: the match of topic to regularity is not guaranteed at every K).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted, _, _ = pipeline.topic_model(teaching, k=k, progress=False)
        effects = compare.prevalence_effects(fitted, teaching.docs, levels=teaching.levels(), n_draws=50,
                                             progress=False)
    vocab = {w: i for i, w in enumerate(fitted.vocab)}
    for name, (region, cues) in PLANTED_CUES.items():
        idx = [vocab[w] for w in cues if w in vocab]
        assert len(idx) >= 4, f"{name}: too few cue words in the vocabulary"
        topic = int(np.argmax(fitted.phi[:, idx].sum(axis=1))) + 1
        rows = effects[(effects["topic"] == topic) & effects["contrast"].str.contains(region)
                       & ~effects["contrast"].str.contains("male")]
        assert len(rows) == 2
        for _, r in rows.iterrows():
            sign = 1 if r["contrast"].startswith(region) else -1
            low, high = sorted((sign * r["ci_low"], sign * r["ci_high"]))
            assert low > 0, f"K={k}, {name}: topic {topic} {r['contrast']} interval includes zero"


def test_topics_command_on_five_documents_exits_2_with_the_numbers(tmp_path, capsys):
    from analysis import cli
    from tests.conftest import write_corpus

    texts = {f"d{i}": f"The court heard complaint number {i} against the producer and the studio." for i in range(5)}
    docs = "doc_id,region\n" + "".join(f"d{i},{'xy'[i % 2]}\n" for i in range(5))
    path = write_corpus(tmp_path / "c", docs, texts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        status = cli.main(["topics", "--corpus", str(path), "--k", "2", "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == 2 and "too few documents or terms for a topic model" in err
    assert "internal error" not in err


# --------------------------------------------------------------------------- large corpora (issue 14)


def test_the_document_sample_is_seeded_and_in_corpus_order(teaching_bow):
    n = len(teaching_bow.corpus)
    a, b = topics.sample_indices(n, 60, seed=5), topics.sample_indices(n, 60, seed=5)
    assert a == b and len(set(a)) == 60 and a == sorted(a) and max(a) < n
    assert topics.sample_indices(n, 60, seed=6) != a
    sub = topics.sample_bag(teaching_bow, 60, seed=5)
    assert sub.doc_ids == [teaching_bow.doc_ids[i] for i in a]
    assert sub.corpus == [teaching_bow.corpus[i] for i in a] and sub.texts == [teaching_bow.texts[i] for i in a]
    assert sub.dictionary is teaching_bow.dictionary and sub.key != teaching_bow.key
    assert topics.sample_bag(teaching_bow, n, seed=5) is teaching_bow
    assert topics.sample_bag(teaching_bow, None) is teaching_bow


def test_selection_samples_only_above_the_threshold(teaching_bow, tmp_path):
    n = len(teaching_bow.corpus)
    kw = {"seed": 2, "passes": 1, "n_seeds": 2, "workers": 1, "progress": False, "cache_dir": tmp_path}
    whole = topic_selection.select_k(teaching_bow, (4, 5), sample_docs=None, **kw)
    at_n = topic_selection.select_k(teaching_bow, (4, 5), sample_docs=n, **kw)
    pd.testing.assert_frame_equal(whole[0], at_n[0])
    assert whole[1:] == at_n[1:] and "sample" not in whole[2] and "fit_docs" not in whole[0]
    table, k, reason = topic_selection.select_k(teaching_bow, (4, 5), sample_docs=80, **kw)
    assert (table["fit_docs"] == 80).all() and (table["corpus_docs"] == n).all() and (table["sample_seed"] == 2).all()
    assert f"sample of 80 of the {n} documents (seed 2)" in reason
    # the sampled table is the selection of the sample's own bag of words, not of the whole corpus
    own = topic_selection.select_k(topics.sample_bag(teaching_bow, 80, seed=2), (4, 5), sample_docs=None, **kw)
    pd.testing.assert_frame_equal(table[own[0].columns], own[0])
    assert not np.allclose(table["heldout_perplexity"], whole[0]["heldout_perplexity"])


def test_sampled_selection_is_identical_whatever_the_number_of_workers(teaching_bow, tmp_path):
    kw = {"seed": 3, "passes": 1, "n_seeds": 2, "progress": False, "sample_docs": 70}
    one = topic_selection.select_k(teaching_bow, (4, 5), workers=1, cache_dir=tmp_path / "a", **kw)
    two = topic_selection.select_k(teaching_bow, (4, 5), workers=2, cache_dir=tmp_path / "b", **kw)
    pd.testing.assert_frame_equal(one[0], two[0])
    assert one[1:] == two[1:]


def test_sampled_stability_compares_the_whole_corpus_model_with_sample_seeds(teaching_bow, tmp_path):
    kw = {"passes": 1, "progress": False, "cache_dir": tmp_path}
    stab = topic_selection.stability(teaching_bow, 4, [3, 4, 5], sample_docs=90, **kw)
    sub = topics.sample_bag(teaching_bow, 90, seed=3)
    ref = topics.fit(teaching_bow, 4, 3, passes=1, cache_dir=tmp_path).phi
    others = [topics.fit(sub, 4, s, passes=1, cache_dir=tmp_path).phi for s in (4, 5)]
    expected = topic_selection.match_topics(ref, others)
    assert stab["stability"].to_numpy() == pytest.approx(expected["stability"].to_numpy())
    assert (stab["sample_docs"] == 90).all()
    whole = topic_selection.stability(teaching_bow, 4, [3, 4, 5], sample_docs=None, **kw)
    assert "sample_docs" not in whole and not np.allclose(whole["stability"], stab["stability"])


def test_default_selection_of_a_small_corpus_is_the_whole_corpus_selection(teaching_bow, tmp_path):
    assert len(teaching_bow.corpus) <= topics.DEFAULTS.select_sample_docs
    kw = {"seed": 4, "passes": 1, "n_seeds": 2, "workers": 1, "progress": False, "cache_dir": tmp_path}
    pd.testing.assert_frame_equal(topic_selection.select_k(teaching_bow, (4,), **kw)[0],
                                  topic_selection.select_k(teaching_bow, (4,), sample_docs=None, **kw)[0])


def test_lda_reads_the_corpus_in_bounded_chunks(teaching_bow, tmp_path, monkeypatch):
    from gensim.models import LdaModel

    seen: list[int] = []
    estep = LdaModel.do_estep
    monkeypatch.setattr(LdaModel, "do_estep", lambda self, chunk, state=None: (seen.append(len(chunk)),
                                                                                estep(self, chunk, state))[1])
    n = len(teaching_bow.corpus)
    chunked = topics.fit(teaching_bow, 4, seed=3, passes=2, chunk_docs=50, cache_dir=tmp_path)
    assert seen and max(seen) <= 50 and sum(seen) == 2 * n
    seen.clear()
    whole = topics.fit(teaching_bow, 4, seed=3, passes=2, chunk_docs=n, cache_dir=tmp_path)
    assert seen == [n, n]                                   # a corpus within the bound: one chunk, as before
    assert len(list(tmp_path.glob("lda-k4-s3-*"))) == 2     # the chunked fit has its own cache entry
    assert np.array_equal(whole.phi, topics.fit(teaching_bow, 4, seed=3, passes=2, cache=False).phi)
    assert topic_selection.match_topics(whole.phi, [chunked.phi])["stability"].min() > 0.5


def test_chunked_fit_streams_a_matrix_market_corpus(teaching_bow, tmp_path):
    from dataclasses import replace

    from gensim.corpora import MmCorpus

    MmCorpus.serialize(str(tmp_path / "bow.mm"), teaching_bow.corpus)
    mm = replace(teaching_bow, corpus=MmCorpus(str(tmp_path / "bow.mm")))
    from_mm = topics.fit(mm, 4, seed=3, passes=1, chunk_docs=60, cache=False)
    from_list = topics.fit(teaching_bow, 4, seed=3, passes=1, chunk_docs=60, cache=False)
    assert np.allclose(from_mm.phi, from_list.phi) and from_mm.gamma.shape == (len(teaching_bow.corpus), 4)
    assert len(topics.sample_bag(mm, 50, seed=1).corpus) == 50


@pytest.mark.slow
def test_teaching_selection_is_unchanged_by_the_large_corpus_paths(teaching_bow, tmp_path):
    """Regression pin: K, reason and two scores recorded with the code before sampling and chunking existed."""
    table, k, reason = topic_selection.select_k(teaching_bow, progress=False, cache_dir=tmp_path)
    assert k == 6 and "fit_docs" not in table and "sample" not in reason
    row = table.set_index("k").loc[6]
    assert row["c_npmi"] == pytest.approx(0.010384309658677428, rel=1e-9)
    # held-out perplexity differs between CPUs in its 6th significant digit, stability in its 8th (BLAS order:
    # 338.74963 on the machine that recorded it, 338.74915 on another); a changed code path moves it far more
    assert row["heldout_perplexity"] == pytest.approx(338.74963155920159, rel=1e-5)
    assert row["stability_median"] == pytest.approx(0.5580896650487015, rel=1e-6)   # also CPU-dependent

"""Topic models: determinism, FREX and relevance by hand, pyLDAvis export, planted effects."""

from __future__ import annotations

import shutil
import warnings

import numpy as np
import pytest

from analysis import compare, framing, pipeline, preprocess, topics


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
    assert len(list(tmp_path.glob("lda-k5-s3-*.gensim"))) == 1
    assert np.array_equal(fresh.phi, again.phi)


def test_labels_and_stability_tables(teaching_bow, tmp_path):
    fitted = topics.fit(teaching_bow, 5, seed=3, passes=2, cache_dir=tmp_path)
    terms = topics.label(fitted, n_terms=5)
    assert list(terms.columns[:6]) == ["topic", "rank", "term", "prob", "frex", "relevance"]
    assert (terms.groupby("topic")["prob"].apply(lambda s: s.is_monotonic_decreasing)).all()
    stab = topics.stability(teaching_bow, 5, [3, 4, 5], passes=2, progress=False, cache_dir=tmp_path)
    assert stab["stability"].between(0, 1).all() and len(stab) == 5


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


@pytest.mark.slow
def test_planted_regional_emphases_are_recovered(teaching):
    """CODEBOOK R1, R3, R4: the topic that best matches a frame's vocabulary is more prevalent in its region."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted, _, _ = pipeline.topic_model(teaching, k="auto", progress=False)
        effects = compare.prevalence_effects(fitted, teaching.docs, n_draws=50, progress=False)
    lex = framing.load_lexicons()
    vocab = {w: i for i, w in enumerate(fitted.vocab)}
    planted = {"legal_institutional": "pakistan", "career_industry": "bollywood",
               "workplace_accountability": "hollywood"}
    for frame, region in planted.items():
        idx = [vocab[w] for w in lex[frame].terms if w in vocab]
        topic = int(np.argmax(fitted.phi[:, idx].sum(axis=1))) + 1
        rows = effects[(effects["topic"] == topic) & effects["contrast"].str.contains(region)
                       & ~effects["contrast"].str.contains("male")]
        assert len(rows) == 2
        for _, r in rows.iterrows():
            sign = 1 if r["contrast"].startswith(region) else -1
            assert sign * r["ci_low"] > 0 or sign * r["ci_high"] > 0
            low, high = sorted((sign * r["ci_low"], sign * r["ci_high"]))
            assert low > 0, f"{frame}: topic {topic} {r['contrast']} interval includes zero"

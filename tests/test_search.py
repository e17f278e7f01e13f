"""The prebuilt search index: fields, lunr.js compatibility, determinism, cache."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import lunr_reference
import pytest
from helpers import CONTENT, SEEDS, require_tool
from hypothesis import given, settings
from hypothesis import strategies as st

from litreview.engine.cache import Cache
from litreview.engine.pipeline import load_site
from litreview.engine.steps import Steps
from litreview.write import search

PROJECT = Path(__file__).resolve().parent.parent
LUNR_JS = PROJECT / "static" / "vendor" / "lunr" / "lunr.min.js"


@pytest.fixture
def node() -> None:
    require_tool(shutil.which("node"), "node")


@pytest.fixture(scope="module")
def site():
    return load_site(SEEDS, CONTENT)


@pytest.fixture(scope="module")
def script(site) -> str:
    return search.search_files(site)["search-index.js"]


@pytest.fixture(scope="module")
def loaded(script):
    return lunr_reference.load_index(script)


def titles(loaded, query: str) -> list[str]:
    index, payload = loaded
    return [payload["docs"][int(hit["ref"])]["title"] for hit in index.search(query)]


def test_index_is_a_script_assigning_a_global(script):
    assert script.startswith("/* litreview search index")
    assert "window.LITREVIEW_SEARCH={" in script
    assert script.endswith(";\n")


def test_index_has_every_field_and_paper(site, loaded):
    index, payload = loaded
    assert payload["fields"] == ["title", "methods", "topics", "tags", "abstract"]
    assert set(index.fields) == set(payload["fields"])
    assert len(payload["docs"]) == len(site.papers)
    doc = payload["docs"][0]
    assert set(doc) == {"id", "title", "url", "topic", "topicTitle", "tags", "code", "text", "cut"}
    assert doc["url"] == f"papers/{site.papers[0].id}.html"


def test_stemmed_query_finds_quantization_papers(loaded):
    found = titles(loaded, "quantized")
    assert len(found) >= 10
    assert sum("Quantiz" in t for t in found[:10]) >= 8


def test_title_field_is_boosted(loaded):
    assert "ZeRO-Infinity" in titles(loaded, "zero infinity")[0]


@pytest.mark.parametrize("word", ["deploy", "deployed", "survey", "key", "array"])
def test_words_ending_in_y_match_as_lunr_js_stems_them(loaded, word):
    # lunr.py's own stemmer turns "deploy" into "deploi"; lunr.js does not.
    assert titles(loaded, word)


def test_method_names_come_from_title_prefix_and_acronyms():
    assert search.title_names("ZeRO-Infinity: Breaking the GPU Memory Wall") == ["ZeRO-Infinity", "GPU"]
    assert search.title_names("Fast MoE-based Serving with FP8 and Once-For-All") == ["MoE", "FP8"]
    assert search.title_names("How Does Information Bottleneck Help Deep Learning?") == []


def test_common_acronyms_are_not_method_names(site):
    names = search.method_names(site.papers)
    assert not any("LLM" in found for found in names.values())


def test_compact_index_expands_to_exactly_what_lunr_py_builds(site):
    docs = search.index_documents(site)[:60]
    builder = lunr_reference.build_index(docs, vectors=True)
    # lunr.py numbers terms by first use, the compact form by sorted order: same dimensions, renamed.
    renumber = {posting["_index"]: i for i, (_, posting) in enumerate(sorted(builder.inverted_index.items()))}
    expected = {}
    for field_ref, vector in builder.field_vectors.items():
        elements = vector.serialize()
        pairs = sorted((renumber[i], score) for i, score in zip(elements[::2], elements[1::2]))
        expected[field_ref] = [x for pair in pairs for x in pair]
    expanded = lunr_reference.expand(lunr_reference.compact(builder))
    assert {ref: vec for ref, vec in expanded["fieldVectors"]} == expected
    assert [t for t, _ in expanded["invertedIndex"]] == sorted(builder.inverted_index)


def test_fast_builder_indexes_exactly_like_lunr_builder(site):
    docs = search.index_documents(site)
    fast, plain = lunr_reference.build_index(docs, fast=True), lunr_reference.build_index(docs, fast=False)
    assert fast.inverted_index == plain.inverted_index
    assert fast.field_term_frequencies == plain.field_term_frequencies
    assert fast.field_lengths == plain.field_lengths


def test_index_straight_from_documents_equals_the_builders(site):
    docs = search.index_documents(site)
    assert search.compact_documents(docs) == lunr_reference.compact(lunr_reference.build_index(docs))


def test_a_rebuild_reuses_unchanged_documents_term_counts_and_gets_the_same_index(site, tmp_path):
    docs = search.index_documents(site)
    known: dict = {}
    search.compact_documents(docs, known)  # leaves every document's term counts in known
    assert len(known) == len(docs)
    edited = [dict(doc) for doc in docs]
    edited[3]["abstract"] += " a freshly added sentence about quantization"
    reused = dict(known)
    assert search.compact_documents(edited, reused) == search.compact_documents(edited)
    assert len(reused) == len(docs) and sum(key not in known for key in reused) == 1  # only the edited one counted
    # Through the engine's cache, kept on disk between builds:
    first = Steps(Cache(tmp_path))
    first.search_index(docs)
    first.cache.save()
    assert Steps(Cache(tmp_path)).search_index(edited) == search.compact_documents(edited)


def test_output_is_deterministic_and_a_cache_hit_indexes_nothing(site, tmp_path, monkeypatch):
    first = search.search_files(site)
    steps = Steps(Cache(tmp_path))
    second = search.search_files(site, steps.search_index)
    steps.cache.save()
    monkeypatch.setattr(search, "compact_documents", lambda *a: pytest.fail("indexed again"))
    third = search.search_files(site, Steps(Cache(tmp_path)).search_index)  # from the disk cache
    assert first == second == third


def test_corrupt_cache_entry_is_rebuilt(site, tmp_path):
    docs = search.index_documents(site)[:20]
    steps = Steps(Cache(tmp_path))
    fresh = steps.search_index(docs)
    steps.cache.save()
    (tmp_path / "memo-search-index.pickle").write_bytes(b"not a pickle")
    assert Steps(Cache(tmp_path)).search_index(docs) == fresh


def test_result_text_is_data_not_markup(script):
    # Titles with markup stay as JSON strings; the script cannot be closed or broken out of.
    assert "</script" not in script.lower()
    assert "\u2028" not in script and "\u2029" not in script


def test_snippet_is_cut_at_a_sentence_end():
    text, cut = search.snippet_text("First sentence is here. " * 40)
    assert cut and text.endswith(".") and len(text) <= search.SNIPPET_CHARS
    assert search.snippet_text("Short.") == ("Short.", False)


def test_index_fits_the_download_budget(script):
    assert lunr_reference.gzipped_size(script) <= 300 * 1024


@pytest.mark.usefixtures("node")
def test_python_terms_equal_lunr_js_terms_for_the_whole_catalogue(site, tmp_path):
    """Index terms (Python) and query terms (lunr.js) must be the same words."""
    texts = [p.title + " " + p.abstract for p in site.papers]
    texts.append("Deploying (FP8/INT4) e.g. naïve café's keys—try flying MLSys, 1.5x Yet")
    (tmp_path / "texts.json").write_text(json.dumps(texts), encoding="utf-8")
    program = f"""
    const lunr = require({json.dumps(str(LUNR_JS))});
    const texts = require({json.dumps(str(tmp_path / "texts.json"))});
    const pipeline = new lunr.Pipeline(); pipeline.add(lunr.trimmer, lunr.stopWordFilter, lunr.stemmer);
    console.log(JSON.stringify(texts.map(t => pipeline.run(lunr.tokenizer(t)).map(String).filter(Boolean))));
    """
    out = subprocess.run(["node", "-e", program], capture_output=True, text=True, check=True, timeout=60)
    js_terms = json.loads(out.stdout)
    py_terms = [search.terms(t) for t in texts]
    mismatches = [(text[:40], x, y) for text, x, y in zip(texts, py_terms, js_terms) if x != y]
    assert mismatches == []


@pytest.mark.usefixtures("node")
def test_lunr_js_loads_the_shipped_index_and_finds_stemmed_words(script, tmp_path):
    (tmp_path / "index.js").write_text(script, encoding="utf-8")
    expand_js = (PROJECT / "static" / "js" / "search.js").read_text(encoding="utf-8")
    start = expand_js.index("  function expand(")
    end = expand_js.index("  function ensureLoaded(")
    program = f"""
    global.window = global;
    const lunr = require({json.dumps(str(LUNR_JS))});
    require({json.dumps(str(tmp_path / "index.js"))});
    {expand_js[start:end]}
    const idx = lunr.Index.load(expand(window.LITREVIEW_SEARCH.index));
    const docs = window.LITREVIEW_SEARCH.docs;
    console.log(JSON.stringify(["quantized", "deploy"].map(q => idx.search(q).map(r => docs[+r.ref].title))));
    """
    out = subprocess.run(["node", "-e", program], capture_output=True, text=True, check=True, timeout=60)
    quantized, deploy = json.loads(out.stdout)
    assert sum("Quantiz" in t for t in quantized[:10]) >= 8
    assert any("Deploy" in t for t in deploy[:10])


def test_cache_keeps_only_the_last_builds_index(site, tmp_path):
    docs = search.index_documents(site)[:5]
    for i in range(4):
        steps = Steps(Cache(tmp_path))
        steps.search_index([dict(d, title=f"{d['title']} v{i}") for d in docs])
        steps.cache.save()
    assert len(Cache(tmp_path).table("search-index").data) == 1


# Words from the catalogue's vocabulary plus odd tokens, so that texts share terms.
VOCABULARY = [
    "Quantized",
    "quantization",
    "deploy",
    "keys",
    "(FP8/INT4)",
    "e.g.",
    "the",
    "of",
    "MoE-based",
    "café",
    "naïve",
    "—",
    "1.5x",
    "try",
    "GPT-4",
    "a",
    "x",
    "\u00a0",
    "\u2009",
    "Speculative",
    "decoding",
]
texts = st.lists(st.sampled_from(VOCABULARY) | st.text(max_size=8), max_size=12).map(" ".join)
documents = st.lists(st.fixed_dictionaries({f.name: texts for f in search.FIELDS}), min_size=1, max_size=6)


@settings(max_examples=60, deadline=None)
@given(documents)
def test_fast_builder_and_compact_form_match_lunr_for_any_text(docs):
    docs = [dict(doc, id=str(i)) for i, doc in enumerate(docs)]
    docs = [{k: search.js_spaces(v) if k != "id" else v for k, v in doc.items()} for doc in docs]
    fast = lunr_reference.build_index(docs, vectors=True)
    plain = lunr_reference.build_index(docs, fast=False, vectors=True)
    assert fast.inverted_index == plain.inverted_index
    assert fast.field_term_frequencies == plain.field_term_frequencies
    renumber = {posting["_index"]: i for i, (_, posting) in enumerate(sorted(plain.inverted_index.items()))}
    expected = {}
    for field_ref, vector in plain.field_vectors.items():
        elements = vector.serialize()
        pairs = sorted((renumber[i], score) for i, score in zip(elements[::2], elements[1::2]))
        expected[field_ref] = [x for pair in pairs for x in pair]
    assert dict(lunr_reference.expand(lunr_reference.compact(fast))["fieldVectors"]) == expected
    assert search.compact_documents(docs) == lunr_reference.compact(fast)


@pytest.mark.usefixtures("node")
def test_search_js_expands_the_index_like_python(script, tmp_path):
    (tmp_path / "index.js").write_text(script, encoding="utf-8")
    source = (PROJECT / "static" / "js" / "search.js").read_text(encoding="utf-8")
    expand_js = source[source.index("  function expand(") : source.index("  function ensureLoaded(")]
    program = f"""
    global.window = global;
    require({json.dumps(str(tmp_path / "index.js"))});
    {expand_js}
    const out = expand(window.LITREVIEW_SEARCH.index);
    console.log(JSON.stringify({{vectors: out.fieldVectors, terms: out.invertedIndex.map(e => [e[0], e[1]._index,
      Object.keys(e[1]).filter(k => k !== "_index").sort().map(f => [f, Object.keys(e[1][f]).sort()])])}}));
    """
    out = subprocess.run(["node", "-e", program], capture_output=True, text=True, check=True, timeout=60)
    js = json.loads(out.stdout)
    _, payload = lunr_reference.load_index(script)
    py = lunr_reference.expand(payload["index"])
    py_terms = [
        [t, p["_index"], sorted([f, sorted(refs)] for f, refs in p.items() if f != "_index")]
        for t, p in py["invertedIndex"]
    ]
    assert js["terms"] == py_terms
    assert [ref for ref, _ in js["vectors"]] == [ref for ref, _ in py["fieldVectors"]]
    # JavaScript's Math.round and Python's round may differ in the last (third) decimal on a tie.
    for (_, a), (_, b) in zip(js["vectors"], py["fieldVectors"]):
        assert a[::2] == b[::2]
        assert all(abs(x - y) <= 0.0010001 for x, y in zip(a[1::2], b[1::2]))


def test_whole_abstracts_ship_separately_in_ref_order(site):
    files = search.search_files(site)
    text = files["search-text.js"]
    assert text.startswith("/* litreview search abstracts")
    abstracts = json.loads(text[text.index("=") + 1 :].rstrip().rstrip(";"))
    assert len(abstracts) == len(site.papers)
    assert abstracts[3] == " ".join(site.papers[3].abstract.split())


def test_big_catalogues_store_shorter_snippets(site, monkeypatch):
    assert len(site.papers) <= search.LARGE_CATALOGUE
    seed_store = search.result_store(site)
    assert max(len(doc["text"]) for doc in seed_store) > search.SNIPPET_CHARS_LARGE + 1
    monkeypatch.setattr(search, "LARGE_CATALOGUE", 10)
    store = search.result_store(site)
    assert all(len(doc["text"]) <= search.SNIPPET_CHARS_LARGE + 1 for doc in store)  # + the ellipsis
    for small, big in zip(store, seed_store):
        assert small["cut"] == (len(" ".join(big["text"].split())) > search.SNIPPET_CHARS_LARGE or big["cut"])

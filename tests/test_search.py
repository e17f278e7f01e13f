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
def files(site) -> dict[str, str]:
    return search.search_files(site)


@pytest.fixture(scope="module")
def loaded(files):
    """The split index put back together: lunr's index of the whole catalogue."""
    return lunr_reference.load_split(files)


def titles(loaded, query: str) -> list[str]:
    index, payload = loaded
    return [payload["docs"][int(hit["ref"])]["title"] for hit in index.search(query)]


def test_every_piece_is_a_script_handing_its_data_to_the_page(files):
    assert "search-index.js" in files and len([p for p in files if p.startswith("search/t/")]) > 1
    for path, script in files.items():
        assert path == "search-index.js" or path.startswith(
            ("search/t/k", "search/d/", "search/f/", "search/a/", "search/x/")
        )
        assert script.startswith("/* litreview search piece")
        assert script.count("\n") == 2 and script.endswith(");\n")
        name, _ = lunr_reference.piece_data(script)
        expected = "index" if path == "search-index.js" else path.removeprefix("search/").removesuffix(".js")
        assert name == expected.replace("t/k", "t/", 1)


def test_index_has_every_field_and_paper(site, loaded):
    index, payload = loaded
    assert payload["fields"] == ["title", "methods", "topics", "tags", "abstract"]
    assert set(index.fields) == set(payload["fields"])
    assert len(payload["docs"]) == len(payload["texts"]) == len(payload["exports"]) == len(site.papers)
    doc = payload["docs"][0]
    assert set(doc) == {"id", "title", "topic", "topicTitle", "tags", "code", "text", "cut"}
    assert doc["id"] == site.papers[0].id
    assert payload["manifest"]["count"] == len(site.papers)


def test_every_term_is_in_exactly_one_piece_the_one_its_name_leads_to(files, site):
    _, payload = lunr_reference.load_split(files)
    keys = payload["manifest"]["pieces"]
    where: dict[str, list[str]] = {}
    for name, rows in payload["pieces"].items():
        if name.startswith("t/"):
            for row in rows:
                where.setdefault(row[0], []).append(name[2:])
    compact = lunr_reference.compact_documents(search.index_documents(site))
    assert sorted(where) == [p[0] for p in compact["postings"]]
    for word, found in where.items():
        name = search.piece_name(word)
        longest = max((k for k in keys if name.startswith(k)), key=len)  # search.js: pieceOf
        assert found == [longest], word


def test_pieces_split_by_prefix_until_small(files):
    sizes = {p: len(t.encode()) for p, t in files.items() if p.startswith("search/t/")}
    assert len(sizes) > 5
    for path, size in sizes.items():
        _, rows = lunr_reference.piece_data(files[path])
        assert size <= search.PIECE_BYTES + 200 or len(rows) == 1 or len({r[0] for r in rows}) == 1, path


def partition(rows: list[list], limit: int = search.PIECE_BYTES) -> dict[str, list[list]]:
    """search.piece_members with the rows themselves, sized as search_files sizes them."""
    members = search.piece_members([row[0] for row in rows], [len(search._json(row)) + 1 for row in rows], limit)
    return {key: [rows[i] for i in at] for key, at in members.items()}


def test_partition_keeps_a_small_index_in_one_piece_and_splits_a_big_one():
    rows = [[w, [1, 1000]] for w in ("alpha", "beta", "café", "x")]
    assert list(partition(rows)) == [""]
    words = [f"{a}{b}{c}" for a in "abc" for b in "xyz" for c in "0123456789"]
    rows = [[w, list(range(40))] for w in words]
    pieces = partition(rows, limit=2000)
    assert len(pieces) > 3 and sorted(r[0] for rs in pieces.values() for r in rs) == sorted(words)
    for key, members in pieces.items():
        assert all(search.piece_name(r[0]).startswith(key) for r in members)


def plain_piece_members(rows: list[list], sizes: list[int], limit: int) -> dict[str, list[int]]:
    """search.piece_members as first written, member lists regrouped at every level: the reference."""
    sized = [(search.piece_name(row[0]), i, size) for i, (row, size) in enumerate(zip(rows, sizes))]
    pieces: dict[str, list[int]] = {}

    def split(prefix: str, members: list[tuple[str, int, int]]) -> None:
        total = sum(size for _, _, size in members)
        groups: dict[str, list] = {}
        for member in members:
            if len(member[0]) > len(prefix):
                groups.setdefault(member[0][len(prefix)], []).append(member)
        own = [m for m in members if len(m[0]) <= len(prefix)]
        for char, group in sorted(groups.items(), key=lambda kv: (-sum(m[2] for m in kv[1]), kv[0])):
            if total <= limit:
                own += group
                continue
            total -= sum(m[2] for m in group)
            split(prefix + char, group)
        if own:
            pieces[prefix] = [i for _, i, _ in sorted(own, key=lambda m: rows[m[1]][0])]

    split("", sized)
    return dict(sorted(pieces.items()))


def test_piece_members_splits_the_seeds_terms_as_the_plain_version(site):
    rows = list(search.index_postings(search.index_documents(site)).scored_rows())
    sizes = [len(search._json(row)) + 1 for row in rows]
    terms = [row[0] for row in rows]
    for limit in (search.PIECE_BYTES, 4000, 300, 1):
        assert search.piece_members(terms, sizes, limit) == plain_piece_members(rows, sizes, limit), limit


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(st.text("ab_-z9é.", max_size=5), st.integers(1, 60), max_size=60),
    st.integers(0, 300),
)
def test_piece_members_is_the_plain_version_on_any_terms(sized_terms, limit):
    # Names the piece name folds together ("a-", "a.", "a_"), the empty term, terms that are
    # prefixes of others, and sizes that tie.
    terms = sorted(sized_terms)
    rows = [[t, 0] for t in terms]
    sizes = [sized_terms[t] for t in terms]
    assert search.piece_members(terms, sizes, limit) == plain_piece_members(rows, sizes, limit)


def cold_term_pieces(rows: list[list]) -> tuple[list[str], dict[str, list[int]]]:
    """term_pieces without a last build, its spooled rows read back as a list."""
    spooled, members = search.term_pieces(rows)
    assert isinstance(spooled, search.SpooledRows)
    return list(spooled), members


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=30), max_size=40), st.data())
def test_spooled_rows_read_back_as_written(texts, data):
    encoded = [search._json(text) for text in texts]  # ASCII, as every row's JSON is
    spooled = search.SpooledRows()
    assert [spooled.append(text) for text in encoded] == [len(text) for text in encoded]
    assert len(spooled) == len(encoded) and list(spooled) == encoded
    with pytest.raises(IndexError):
        spooled[-1]
    positions = sorted(data.draw(st.sets(st.integers(0, max(len(encoded) - 1, 0)))) if encoded else [])
    assert (
        spooled.joined(positions) == search.joined_rows(encoded, positions) == ",".join(encoded[i] for i in positions)
    )


def test_term_pieces_reuses_the_last_builds_json_and_split_only_where_nothing_changed():
    rows = [["alpha", [1, 1000]], ["beta", [1, 2000]], ["gamma", 0]]
    known = search.KnownPieces()
    encoded, members = search.term_pieces(rows, known)
    assert (encoded, members) == cold_term_pieces(rows)
    assert known.rows["beta"] == (rows[1], '["beta",[1,2000]]')
    changed = [["alpha", [1, 1000]], ["beta", [1, 2001]], ["delta", [3, 7]], ["gamma", 0]]
    again = search.term_pieces(changed, known)
    assert again == cold_term_pieces(changed)
    assert again[0][0] is encoded[0]  # alpha's row is the same: its JSON is not made again
    assert again[0][1] == '["beta",[1,2001]]' and known.sized[2] == ("delta", 16)
    assert search.term_pieces(changed, known)[1] is again[1]  # nothing changed: the same split


def test_piece_scores_are_lunr_builder_field_scores(site):
    docs = search.index_documents(site)[:80]
    compact = lunr_reference.compact_documents(docs)
    expanded = lunr_reference.expand(compact)
    terms = [p[0] for p in compact["postings"]]
    expected = {}
    for field_ref, elements in expanded["fieldVectors"]:
        field, ref = field_ref.split("/")
        for i, score in zip(elements[::2], elements[1::2]):
            expected[(field, int(ref), terms[i])] = score
    found = {}
    for word, *per_field in search.index_postings(docs).scored_rows():
        for field, flat in zip(compact["fields"], per_field):
            ref = -1
            for delta, score in zip((flat or [])[::2], (flat or [])[1::2]):
                ref += delta
                found[(field, ref, word)] = score / 1000
    assert found.keys() == expected.keys()
    # Python's round() and lunr.js's Math.round may differ on a tie in the third decimal.
    assert all(abs(found[k] - expected[k]) <= 0.0010001 for k in found)


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
    assert lunr_reference.compact_documents(docs) == lunr_reference.compact(lunr_reference.build_index(docs))


def test_a_rebuild_reuses_unchanged_documents_term_counts_and_gets_the_same_index(site, tmp_path):
    docs = search.index_documents(site)
    known: dict = {}
    lunr_reference.compact_documents(docs, known)  # leaves every document's term counts in known
    assert len(known) == len(docs)
    edited = [dict(doc) for doc in docs]
    edited[3]["abstract"] += " a freshly added sentence about quantization"
    reused = dict(known)
    assert lunr_reference.compact_documents(edited, reused) == lunr_reference.compact_documents(edited)
    assert len(reused) == len(docs) and sum(key not in known for key in reused) == 1  # only the edited one counted
    # Through the engine's cache, kept on disk between builds:
    first = Steps(Cache(tmp_path))
    first.search_index(docs)
    first.cache.save()
    assert lunr_reference.compact_postings(
        Steps(Cache(tmp_path)).search_index(edited)
    ) == lunr_reference.compact_documents(edited)


def test_output_is_deterministic_and_a_cache_hit_indexes_nothing(site, tmp_path, monkeypatch):
    first = search.search_files(site)
    steps = Steps(Cache(tmp_path))
    second = search.search_files(site, steps.search_index)
    steps.cache.save()
    monkeypatch.setattr(search, "index_postings", lambda *a: pytest.fail("indexed again"))
    third = search.search_files(site, Steps(Cache(tmp_path)).search_index)  # from the disk cache
    assert first == second == third


def test_corrupt_cache_entry_is_rebuilt(site, tmp_path):
    docs = search.index_documents(site)[:20]
    steps = Steps(Cache(tmp_path))
    fresh = steps.search_index(docs)
    steps.cache.save()
    (tmp_path / "memo-search-index.pickle").write_bytes(b"not a pickle")
    assert lunr_reference.compact_postings(
        Steps(Cache(tmp_path)).search_index(docs)
    ) == lunr_reference.compact_postings(fresh)


def test_result_text_is_data_not_markup(files):
    # Titles with markup stay as JSON strings; no piece can be closed or broken out of.
    for script in files.values():
        assert "</script" not in script.lower()
        assert "\u2028" not in script and "\u2029" not in script
        assert script.isascii()


def test_snippet_is_cut_at_a_sentence_end():
    text, cut = search.snippet_text("First sentence is here. " * 40)
    assert cut and text.endswith(".") and len(text) <= search.SNIPPET_CHARS
    assert search.snippet_text("Short.") == ("Short.", False)


def test_index_fits_the_download_budget(files):
    # The whole term index of the seeds (the manifest and every term piece) is within 300 KB
    # gzipped; a query loads a few pieces of it (bench/search_bench.py counts the bytes).
    index = [t for p, t in files.items() if p == "search-index.js" or p.startswith("search/t/")]
    assert sum(lunr_reference.gzipped_size(t) for t in index) <= 300 * 1024
    assert lunr_reference.gzipped_size(files["search-index.js"]) <= 20 * 1024


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


def run_search_js(
    files: dict[str, str], queries: list[str], tmp_path: Path, reference: bool = False, terms: bool = False
) -> list[list]:
    """search.js in node, without a page: every piece preloaded, then LitreviewSearch.search per query
    (reference: scored by lunr's own Index#query on a mini index instead of search.js's direct scoring;
    terms: each result as [ref, exact score, its matched terms sorted])."""
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    program = f"""
    global.window = global;
    global.lunr = require({json.dumps(str(LUNR_JS))});
    require({json.dumps(str(PROJECT / "static" / "js" / "search.js"))});
    LitreviewSearch.referenceScoring = {json.dumps(reference)};
    for (const path of {json.dumps(sorted(str(tmp_path / p) for p in files))}) require(path);
    (async () => {{
      const out = [];
      for (const q of {json.dumps(queries)}) {{
        const found = await LitreviewSearch.search(q);
        out.push(found.results.map(r => {json.dumps(terms)}
          ? [r.ref, r.score, r.terms.slice().sort()] : [r.ref, Math.round(r.score * 1e6) / 1e6]));
      }}
      console.log(JSON.stringify(out));
    }})().catch(e => {{ console.error(e); process.exit(1); }});
    """
    out = subprocess.run(["node", "-e", program], capture_output=True, text=True, check=True, timeout=120)
    return json.loads(out.stdout)


@pytest.mark.usefixtures("node")
def test_results_are_ordered_as_lunrs_stable_sort_by_score():
    """search.js orders hits with a radix sort of the scores' bits; lunr sorts with a comparator
    (score, highest first), stably. Both must agree on ties, -0, negative and tiny scores."""
    program = f"""
    global.window = global;
    require({json.dumps(str(PROJECT / "static" / "js" / "search.js"))});
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pool = [0, -0, 1, 2.5, -1, -2.5, 1e-300, -1e-300, 5e-324, 1e300, 0.1 + 0.2, 0.3, 0.30000000000000004];
    const wrong = [];
    for (let t = 0; t < 2000; t++) {{
      const hits = Math.floor(next() * (t < 1990 ? 60 : 70000));
      const scores = new Float64Array(hits + 3);  // the page's array is longer than its hits
      for (let i = 0; i < hits; i++)
        scores[i] = next() < 0.5 ? pool[Math.floor(next() * pool.length)] : (next() - 0.3) * 10 ** Math.floor(next() * 12 - 6);
      const expected = Array.from({{length: hits}}, (_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
      const found = Array.from(LitreviewSearch.rankOrder(scores, hits));
      if (JSON.stringify(found) !== JSON.stringify(expected)) wrong.push(t);
    }}
    console.log(JSON.stringify(wrong));
    """
    out = subprocess.run(["node", "-e", program], capture_output=True, text=True, check=True, timeout=60)
    assert json.loads(out.stdout) == []


# The page's query (a trailing space: no word is being typed) and the same query for lunr.py.
SAME_QUERIES = [
    ("quantized ", "+quantized"),
    ("deploy ", "+deploy"),
    ("memory bandwidth ", "+memory +bandwidth"),
    ("zero infinity ", "+zero +infinity"),
    ("quant* ", "+quant*"),
    ("title:bottleneck ", "+title:bottleneck"),
    ("speculative -decoding ", "speculative -decoding"),
    ("attention^3 sparse ", "+attention^3 +sparse"),
]


@pytest.mark.usefixtures("node")
def test_search_js_on_the_pieces_ranks_as_lunr_on_the_whole_index(files, loaded, tmp_path):
    index, payload = loaded
    js = run_search_js(files, [q for q, _ in SAME_QUERIES], tmp_path)
    for (query, lunr_query), found in zip(SAME_QUERIES, js):
        expected = [(int(hit["ref"]), hit["score"]) for hit in index.search(lunr_query)]
        assert found, query
        assert sorted(r for r, _ in found) == sorted(r for r, _ in expected), query
        scores = dict(expected)
        assert all(abs(score - scores[ref]) < 1e-6 for ref, score in found), query
        assert [round(s, 6) for _, s in found] == sorted((round(s, 6) for _, s in found), reverse=True)
    titles = [payload["docs"][ref]["title"] for ref, _ in js[0][:10]]
    assert sum("Quantiz" in t for t in titles) >= 8


# Queries of every shape lunr's syntax has: words, the word being typed (a prefix), wildcards,
# fuzzy matches, fields, boosts, +required and -prohibited words, only prohibited or stop words,
# phrases, words no paper has.
SHAPES = [
    "quantization", "quant", "memory bandwidth ", "trans", "llm serving", "*former ", "spars* ",
    "attentoin~1 ", "title:memory ", "abstract:kernel gpu", "attention^3 sparse ", "+pruning -structured ",
    "speculative -decoding ", "-quantization ", "the of ", "zzzqqq ", "model", "efficient training",
    '"key value" cache', "tags:gpu ", "topics:quantization edge", "mixture experts rout",
]  # fmt: skip


@pytest.mark.usefixtures("node")
def test_direct_scoring_gives_lunrs_results_scores_and_order(files, tmp_path):
    """search.js scores the loaded postings itself (lunr's objects per posting take seconds at
    100,000 papers); lunr's own Index#query on a mini index of the same postings is the reference."""
    direct = run_search_js(files, SHAPES, tmp_path / "direct", terms=True)
    reference = run_search_js(files, SHAPES, tmp_path / "reference", reference=True, terms=True)
    for query, mine, theirs in zip(SHAPES, direct, reference):
        assert mine == theirs, query  # refs in order, float for float, and the terms each matched
    assert sum(1 for found in direct if found) >= len(SHAPES) - 3  # the shapes find papers


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
    assert lunr_reference.compact_documents(docs) == lunr_reference.compact(fast)


def test_whole_abstracts_ship_separately_in_ref_order(site, loaded):
    _, payload = loaded
    assert len(payload["texts"]) == len(site.papers)
    assert payload["texts"][3] == " ".join(site.papers[3].abstract.split())
    assert len(payload["pieces"]["a/0"]) == search.DOC_SHARD


def test_facet_shards_and_export_records_describe_each_paper(site, loaded):
    _, payload = loaded
    facets, columns = payload["facets"], payload["pieces"]["f/0"]
    for ref, paper in enumerate(site.papers[: search.FACET_SHARD]):
        topic = columns["topic"][ref]
        assert (facets["topics"][topic]["slug"] if topic >= 0 else None) == search.primary_topic(paper)
        assert [facets["tags"][i]["slug"] for i in columns["tags"][ref]] == paper.tag_slugs
        assert columns["code"][ref] == (1 if paper.code_links else 0)
        bib, cells = payload["exports"][ref]
        assert bib.startswith("@") and "abstract" not in bib
        assert dict(zip(payload["manifest"]["csv"], cells))["id"] == paper.id


def result_store(site) -> list[dict]:
    """What the d pieces show of every paper (search.result_doc), in catalogue order."""
    return [search.result_doc(p, None, search.snippet_limit(site)) for p in site.papers]


def test_big_catalogues_store_shorter_snippets(site, monkeypatch):
    assert len(site.papers) <= search.LARGE_CATALOGUE
    seed_store = result_store(site)
    assert max(len(doc["text"]) for doc in seed_store) > search.SNIPPET_CHARS_LARGE + 1
    monkeypatch.setattr(search, "LARGE_CATALOGUE", 10)
    store = result_store(site)
    assert all(len(doc["text"]) <= search.SNIPPET_CHARS_LARGE + 1 for doc in store)  # + the ellipsis
    for small, big in zip(store, seed_store):
        assert small["cut"] == (len(" ".join(big["text"].split())) > search.SNIPPET_CHARS_LARGE or big["cut"])


def test_the_search_index_memo_hits_equal_documents_and_misses_any_change(site):
    steps = Steps(Cache(None, resident=True))
    docs = search.index_documents(site)[:5]
    index = steps.search_index(docs)
    assert steps.search_index([dict(doc) for doc in docs]) is index
    moved = [dict(doc) for doc in docs]  # the same text, split between two fields differently
    moved[0]["title"], moved[0]["abstract"] = (
        moved[0]["title"] + " " + moved[0]["abstract"][:5],
        moved[0]["abstract"][5:],
    )
    renumbered = [dict(doc, id=str(int(doc["id"]) + 1)) for doc in docs]
    for changed in (moved, renumbered, docs[:4]):
        assert steps.search_index(changed) is not index
        assert lunr_reference.compact_postings(steps.search_index(changed)) == lunr_reference.compact_postings(
            search.index_postings(changed)
        )

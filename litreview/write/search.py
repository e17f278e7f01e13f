"""Client-side search: a lunr index prebuilt at build time, shipped split in pieces (search-index.js, search/).

The index is built with lunr.py and loaded in the browser by lunr.js 2.3.9
(`lunr.Index.load`). Index terms come from Python, query terms from
JavaScript, so both sides must turn words into the same terms. lunr.py's
defaults differ from lunr.js in two places, which this module fixes:

- the stemmer's step 1c: lunr.py turns "deploy", "key", "survey", "array"
  into "deploi", "kei"... while lunr.js keeps them, and lunr.js turns "try"
  into "tri" where lunr.py does not; without the fix, a reader searching
  "deploy" would miss every deployment paper;
- the trimmer: lunr.js strips ASCII non-word characters from both ends of a
  token ("(fp8/int4)" -> "fp8/int4"); lunr.py's only trims tokens whose
  middle is all (Unicode) word characters.

Both functions keep lunr's labels ("trimmer", "stemmer"), so the serialised
pipeline names the lunr.js functions. tests/test_search.py checks, with
node and the vendored lunr.js, that both sides produce identical terms for
every word of the real catalogue.

Outputs: a split index, loaded piece by piece by static/js/search.js:
search-index.js (a small manifest) and pieces under search/ (see "the split
index" below: term postings with lunr's scores by term prefix, result
metadata with 600-character snippets, facet values, whole abstracts, export
records).

Speed: lunr.py's per-character tokenizer, per-token pipeline and per-posting
metadata dicts dominate a build with lunr's Builder, so index_postings
builds the postings straight from the documents: a regex split, one
memoised trim/stop-word/stem function per word, C-level counting, and numpy
arrays sorted by term, from which lunr's scores are computed in bulk (the
same index as lunr's Builder, tested against lunr.py in
tests/lunr_reference.py). The engine memoises the postings by the
documents (engine/steps.py), so a rebuild with
unchanged papers skips indexing, and passes the last build's per-document
term counts in, so an edit recounts only the documents it changed. Above
LARGE_CATALOGUE papers the stored snippets are shorter, to keep the
metadata a query loads small (bench/results has the sizes and times).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import accumulate
from typing import TYPE_CHECKING, Any

import lunr as lunr_package
from lunr.builder import Builder
from lunr.stemmer import PorterStemmer
from lunr.stop_word_filter import WORDS as STOP_WORDS
from lunr.stop_word_filter import stop_word_filter

from litreview.model import Paper, Site
from litreview.utils.termcounts import CHUNK, FlatCounts, TermNumbers

if TYPE_CHECKING:
    from litreview.write.export import BibEntryMaker, PapersMemo

INDEX_FILE = "search-index.js"  # the manifest; the pieces are under search/


@dataclass(frozen=True)
class SearchField:
    name: str
    boost: int


FIELDS = (
    SearchField("title", 10),
    SearchField("methods", 5),
    SearchField("topics", 3),
    SearchField("tags", 3),
    SearchField("abstract", 1),
)
# Indexed only when some paper has them (reference exports), so a site of
# scraped listings keeps exactly the index it had: author:smith, venue:neurips.
METADATA_FIELDS = (SearchField("author", 5), SearchField("venue", 2))


def active_fields(docs: list[dict]) -> tuple[SearchField, ...]:
    """FIELDS, plus each metadata field the documents carry."""
    return FIELDS + tuple(f for f in METADATA_FIELDS if docs and f.name in docs[0])


# ---------------------------------------------------------------- pipeline


class JsPorterStemmer(PorterStemmer):
    """lunr.py's Porter stemmer with lunr.js's step 1c.

    lunr.js: replace a final y by i when it follows a non-vowel that is not
    the first letter (/^(.+?[^aeiou])y$/): "try" -> "tri", "key" -> "key".
    """

    def step1c(self) -> None:
        if self.ends("y") and self.j > self.k0 and self.b[self.j] not in "aeiou":
            self.b = self.b[: self.k] + "i" + self.b[self.k + 1 :]


_porter = JsPorterStemmer()


@cache
def stem(word: str) -> str:
    """The lunr.js stem of one lower-case word, memoised: corpora repeat words a lot."""
    return _porter.stem(word)


def _stem_update(string: str, metadata: dict | None = None) -> str:
    return stem(string)


def js_stemmer(token, i=None, tokens=None):
    return token.update(_stem_update)


_EDGE_NON_WORD = (re.compile(r"^\W+", re.ASCII), re.compile(r"\W+$", re.ASCII))


def trim(word: str) -> str:
    """lunr.js's trimmer: strip ASCII non-word characters from both ends."""
    return _EDGE_NON_WORD[1].sub("", _EDGE_NON_WORD[0].sub("", word))


def _trim_update(string: str, metadata: dict | None = None) -> str:
    return trim(string)


def js_trimmer(token, i=None, tokens=None):
    return token.update(_trim_update)


# Same labels as lunr's own functions: the serialised index names lunr.js's.
# Set directly rather than registered, so lunr.py's registry stays untouched.
js_stemmer.label = "stemmer"
js_trimmer.label = "trimmer"

# lunr.js splits on /[\s\-]+/; lunr.py's tokenizer only knows ASCII
# whitespace, NBSP and "-". Map the other Unicode spaces before indexing.
_JS_ONLY_SPACES = re.compile("[\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]")


def js_spaces(text: str) -> str:
    return text if text.isascii() else _JS_ONLY_SPACES.sub(" ", text)  # isascii: one flag, no scan


def terms(text: str) -> list[str]:
    """The non-empty index terms of a text, as lunr.js would make them (for tests and tools)."""
    words = _SEPARATORS.split(js_spaces(text).lower())
    return [t for t in map(term, words) if t]


_SEPARATORS = re.compile("[ \t\n\r\f\v\xa0-]+")  # lunr.tokenizer.SEPARATOR_CHARS


@cache
def term(word: str) -> str | None:
    """The index term of one lower-case token (trim, stop words, stem), or None; memoised."""
    trimmed = trim(word)
    if trimmed in STOP_WORDS:
        return None
    return stem(trimmed)


def make_builder(builder_class: type[Builder] = Builder, fields: tuple[SearchField, ...] = FIELDS) -> Builder:
    """A lunr.py Builder (or subclass) with the fields and the lunr.js-compatible pipeline."""
    builder = builder_class()
    builder.pipeline.add(js_trimmer, stop_word_filter, js_stemmer)
    builder.search_pipeline.add(js_stemmer)
    builder.ref("id")
    for search_field in fields:
        builder.field(search_field.name, boost=search_field.boost)
    return builder


# ---------------------------------------------------------------- documents

_NAME_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+-]*[A-Za-z0-9+]|[A-Za-z0-9]")
_WORD = re.compile(r"[A-Za-z]+")


def _name_like(part: str) -> bool:
    upper = sum(c.isupper() for c in part)
    if not any(c.isalpha() for c in part):
        return False
    return upper >= 2 or (upper >= 1 and any(c.isdigit() for c in part)) or any(c.isupper() for c in part[1:])


@lru_cache(maxsize=65536)
def _as_name(token: str) -> str | None:
    """A method or model name in a title word: MoE, ZeRO-Infinity, vLLM, FP8, GPT-4, QLoRA.

    "MoE-based" gives "MoE"; "Key-Value" and "Once-For-All" are just capitalised words.
    """
    parts = token.split("-")
    while len(parts) > 1 and parts[-1].islower():
        parts.pop()
    if not any(_name_like(p) for p in parts):
        return None
    return "-".join(parts)


def title_names(title: str) -> list[str]:
    """Candidate method names in a title: the short prefix before ':' and acronym-like words."""
    names: list[str] = []
    if ":" in title:
        prefix = title.split(":", 1)[0].strip()
        words = prefix.split()
        if 0 < len(words) <= 3 and any(c.isupper() for c in prefix):
            names.append(prefix)
    for token in _NAME_TOKEN.findall(title):
        name = _as_name(token)
        if name and name not in names:
            names.append(name)
    return names


def method_names(papers: list[Paper]) -> dict[str, list[str]]:
    """Per paper, the names its title introduces.

    A name in many titles ("LLM", "GPU") is the field's vocabulary, not a
    method the paper introduces: names found in more than max(3, 1%) of the
    titles are dropped. The title prefix before ':' is always kept.
    """
    candidates = {p.id: title_names(p.title) for p in papers}
    frequency = Counter(name.lower() for names in candidates.values() for name in set(names))
    limit = max(3, len(papers) // 100)
    result = {}
    for paper in papers:
        prefix = paper.title.split(":", 1)[0].strip() if ":" in paper.title else None
        result[paper.id] = [n for n in candidates[paper.id] if n == prefix or frequency[n.lower()] <= limit]
    return result


SNIPPET_CHARS = 600
# Big catalogues get shorter stored snippets, so the metadata shards a page of
# results loads stay small. Results pages show text around the match from the
# whole abstracts (search/a/) when the snippet misses it; phrases are always
# checked there.
LARGE_CATALOGUE = 2000
SNIPPET_CHARS_LARGE = 240


def snippet_text(abstract: str, limit: int = SNIPPET_CHARS) -> tuple[str, bool]:
    """The text shown under a result, and whether it was shortened.

    Whole abstracts would double the download (~230 KB gzipped); the first
    sentences carry the gist and most matches. Cut at the last sentence end
    after half the limit, else at a word boundary.
    """
    text = " ".join(abstract.split())
    if len(text) <= limit:
        return text, False
    head = text[: limit + 1]
    sentence = max(head.rfind(". ", limit // 2), head.rfind("? ", limit // 2), head.rfind("! ", limit // 2))
    if sentence > 0:
        return head[: sentence + 1], True
    space = head.rfind(" ")
    return (head[:space] if space > limit // 2 else head[:limit]).rstrip(" ,;:") + "…", True


def index_documents(site: Site) -> list[dict]:
    """One lunr document per visible paper, in catalogue order; the ref is the position."""
    topic_titles = {t.slug: t.title for t in site.topics}
    tag_names = {t.slug: t.name for t in site.tags}
    methods = method_names(site.papers)
    with_authors = any(p.authors for p in site.papers)
    with_venue = any(p.venue for p in site.papers)
    docs = []
    for ref, paper in enumerate(site.papers):
        docs.append(
            {
                # Refs are positions in the result store: short, and repeated in every posting.
                "id": str(ref),
                "title": js_spaces(paper.title),
                "abstract": js_spaces(paper.abstract),
                "methods": js_spaces(" ".join(methods[paper.id])),
                "topics": js_spaces(" ".join(topic_titles.get(s, s) for s in paper.topic_slugs)),
                "tags": js_spaces(" ".join(tag_names.get(s, s) for s in paper.tag_slugs)),
            }
        )
        if with_authors:
            docs[-1]["author"] = js_spaces(" ".join(a for a in paper.authors if a != "others"))
        if with_venue:
            docs[-1]["venue"] = js_spaces(paper.venue or "")
    return docs


def primary_topic(paper: Paper) -> str | None:
    return paper.primary_topic or (paper.topic_slugs[0] if paper.topics else None)


def snippet_limit(site: Site) -> int:
    return SNIPPET_CHARS if len(site.papers) <= LARGE_CATALOGUE else SNIPPET_CHARS_LARGE


def topic_title(paper: Paper, topic_titles: dict[str, str]) -> str | None:
    """The title of the paper's primary topic, shown with its result."""
    topic = primary_topic(paper)
    return topic_titles.get(topic, topic) if topic else None


def result_doc(paper: Paper, topic_title: str | None, limit: int) -> dict:
    """What the page shows of a result, in its search/d piece: never HTML, always inserted as text."""
    text, cut = snippet_text(paper.abstract, limit)
    doc = {
        "id": paper.id,
        "title": paper.title,
        "topic": primary_topic(paper),
        "topicTitle": topic_title,
        "tags": paper.tag_slugs,
        "code": bool(paper.code_links),
        "text": text,
        "cut": cut,
    }
    if paper.year:
        doc["year"] = paper.year
    if paper.authors:
        doc["authors"] = paper.author_line
    if paper.venue:
        doc["venue"] = paper.venue
    return doc


def facets(site: Site) -> dict[str, list[dict]]:
    """Facet values in site order (topics by order, tags by group then name), with total counts."""
    topic_counts = Counter(primary_topic(p) for p in site.papers)
    tag_counts = Counter(s for p in site.papers for s in p.tag_slugs)
    extra: dict[str, list[dict]] = {}
    year_counts = Counter(p.year for p in site.papers if p.year)
    if year_counts:  # newest first
        extra["years"] = [{"year": y, "count": n} for y, n in sorted(year_counts.items(), reverse=True)]
    venue_counts = Counter(p.venue for p in site.papers if p.venue)
    if venue_counts:  # most papers first
        extra["venues"] = [
            {"name": v, "count": n} for v, n in sorted(venue_counts.items(), key=lambda vn: (-vn[1], vn[0]))
        ]
    return extra | {
        "topics": [
            {"slug": t.slug, "title": t.title, "count": topic_counts[t.slug]}
            for t in site.topics
            if topic_counts[t.slug]
        ],
        "tags": [
            {"slug": t.slug, "name": t.name, "group": t.group, "count": tag_counts[t.slug]}
            for t in sorted(site.tags, key=lambda t: (t.group, t.name.lower(), t.slug))
            if tag_counts[t.slug]
        ],
    }


# ---------------------------------------------------------------- index + cache


# lunr's JSON repeats each score as a float in a vector per document and
# field: too much to send before the first result. Every score is a function
# of the term frequencies (BM25, lunr.Builder#createFieldVectors), so the
# index is kept as postings (term, document, frequency) and the term pieces
# ship, per term and field, the documents (delta-coded) with lunr's score.
# tests/lunr_reference.py turns the postings into a compact form to compare
# them with lunr.py's own Builder.
K1, B = 1.2, 0.75


@dataclass(eq=False)  # arrays: tests compare lunr_reference.compact_postings() forms
class TermPostings:
    """The index as arrays: for each field, every posting's term number, document ref and term
    frequency, sorted by term then ref. Terms are numbered in sorted order (lunr.py numbers
    them by first use; the number only names a vector dimension, so results are the same)."""

    version: str
    fields: list[str]
    boosts: list[int]
    pipeline: list[str]
    count: int  # documents
    terms: list[str]  # sorted
    columns: list[tuple[Any, Any, Any]]  # per field: numpy int32 arrays (term numbers, refs, frequencies)

    def scored_rows(self) -> Iterator[list]:
        """[term, per field: [ref delta, score x 1000, ...] or 0] in term order: lunr.Builder's
        field vectors (BM25, k1 1.2, b 0.75, boosts, 3 decimals) by term instead of by document.
        Vectorised with numpy: at 10,000 papers there are millions of postings. The scores stay
        in arrays and each row is made when it is asked for: every row at once, as lists of
        Python ints, was the largest thing search_files held. Once it runs, this generator holds
        each field's postings only until that field is scored (search_files holds no reference,
        so they are freed then, unless the engine memoises the index)."""
        import numpy as np

        terms, columns, boosts, count = self.terms, list(self.columns), self.boosts, self.count
        del self
        nt = len(terms)
        df = np.zeros(nt, dtype=np.float64)
        for ids, _, _ in columns:
            df += np.bincount(ids, minlength=nt)
        x = (count - df + 0.5) / (df + 0.5)
        idf = np.log(1 + np.abs(x))
        scored: list[tuple[Any, Any]] = []  # per field: [delta, score, ...] by term, where each term starts
        for at, boost in enumerate(boosts):
            ids, refs, frequencies = columns[at]
            columns[at] = None
            lengths = np.zeros(count, dtype=np.float64)
            for lo in range(0, len(ids), CHUNK):  # sums of integers: exact in any grouping
                lengths += np.bincount(refs[lo : lo + CHUNK], frequencies[lo : lo + CHUNK], count)
            average = (lengths.sum() / count if count else 0.0) or 1.0  # a field no paper fills: no postings
            # lunr.Builder: idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * (fieldLength / avg)) + tf) * boost,
            # then Math.round(score * 1000) (halves up), in the same order of operations.
            norms = K1 * (1 - B + B * (lengths / average))
            del lengths
            flat = np.empty(2 * len(ids), dtype=np.int32)  # refs and lunr's scores x 1000 fit
            for lo in range(0, len(ids), CHUNK):  # a chunk at a time: no float array of every posting
                hi = min(lo + CHUNK, len(ids))
                flat[2 * lo : 2 * hi : 2] = ref_deltas(ids, refs, lo, hi)
                tfs = frequencies[lo:hi].astype(np.float64)
                scores = idf[ids[lo:hi]]
                scores *= (K1 + 1) * tfs
                under = norms[refs[lo:hi]]
                under += tfs
                scores /= under
                scores *= boost
                scores *= 1000
                scores += 0.5
                flat[2 * lo + 1 : 2 * hi : 2] = np.floor(scores, out=scores)
            starts = np.zeros(nt + 1, dtype=np.int64)
            np.cumsum(2 * np.bincount(ids, minlength=nt), out=starts[1:])
            scored.append((flat, starts))
            del ids, refs, frequencies
        for t, term in enumerate(terms):
            row: list = [term]
            for flat, starts in scored:
                start, end = int(starts[t]), int(starts[t + 1])
                row.append(flat[start:end].tolist() if end > start else 0)
            yield row


def ref_deltas(ids, refs, lo: int = 0, hi: int | None = None):
    """Postings lo..hi's ref minus the previous posting's ref of the same term (from -1)."""
    import numpy as np

    hi = len(ids) if hi is None else hi
    before = int(refs[lo - 1]) if lo else -1
    deltas = np.diff(refs[lo:hi], prepend=before)
    first = np.flatnonzero(np.diff(ids[lo:hi], prepend=ids[lo - 1] if lo else -1))  # a term's first posting
    deltas[first] = refs[lo:hi][first] + 1
    return deltas


def index_postings(
    docs: list[dict], known: dict[bytes, list[dict[str, int]]] | None = None, keys: list[bytes] | None = None
) -> TermPostings:
    """The index of the documents, without lunr's Builder: the same terms (FastBuilder's split
    and term()), counted per field at C speed, then sorted as arrays.

    The builder keeps a metadata dict per posting and sorts every posting list;
    at 10,000 papers that was most of the index time. `known`: term counts of
    documents from the last build (document_key -> per field), reused when a
    document's text is unchanged and filled with this build's documents. `keys`: the
    documents' document_key, when the caller has made them already.
    """
    import numpy as np
    from scipy.sparse import csr_matrix

    active = active_fields(docs)
    fields = [f.name for f in active]
    keys = keys or [document_key(doc, fields) for doc in docs]
    order = sorted(range(len(docs)), key=lambda i: int(docs[i]["id"]))
    # Each document's terms go straight into flat arrays per field, numbered by first use (and
    # renumbered in sorted order at the end): the per-document dicts of a whole catalogue at
    # once were the search index's peak memory (about 1 GB at 100,000 papers). Only with
    # `known` (serve) are they kept, for the next build.
    seen: dict[bytes, list[dict[str, int]]] = {}
    numbering = TermNumbers()
    per_column = [FlatCounts() for _ in fields]
    for i in order:
        key = keys[i]
        per_field = known.get(key) if known is not None else None
        if per_field is None:
            per_field = [field_terms(str(docs[i][name])) for name in fields]
        if known is not None:
            seen[key] = per_field
        for found, column in zip(per_field, per_column):
            numbering.add(found, column)
    if known is not None:
        known.clear()
        known.update(seen)
    terms = sorted(numbering.number)
    rank = np.empty(len(terms), dtype=np.int32)  # first-use number -> place in sorted order
    rank[np.fromiter(map(numbering.number.__getitem__, terms), dtype=np.int64, count=len(terms))] = np.arange(
        len(terms)
    )
    del numbering
    refs = np.array([int(docs[i]["id"]) for i in order], dtype=np.int32)
    columns = []
    while per_column:  # each field's counts dropped as soon as its postings are made
        numbers, tfs, sizes = per_column.pop(0).arrays()
        ids = rank[numbers]  # int32, as every count: half the memory of int64, and enough
        del numbers
        starts = np.zeros(len(sizes) + 1, dtype=np.int64)
        np.cumsum(sizes, out=starts[1:])
        # Documents (in ref order) by terms, turned into terms by documents: scipy's counting sort
        # keeps each term's documents in ref order, with index arrays of int32.
        by_term = csr_matrix((tfs, ids, starts), shape=(len(sizes), len(terms))).tocsc()
        del ids, tfs, sizes, starts
        term_ids = np.repeat(np.arange(len(terms), dtype=np.int32), np.diff(by_term.indptr))
        columns.append((term_ids, refs[by_term.indices], by_term.data))
        del by_term
    return TermPostings(
        version=lunr_package.__TARGET_JS_VERSION__,
        fields=fields,
        boosts=[f.boost for f in active],
        pipeline=make_builder().search_pipeline.serialize(),
        count=len(docs),
        terms=terms,
        columns=columns,
    )


def document_key(doc: dict, fields: list[str]) -> bytes:
    """A digest of the document's text in these fields (each prefixed by its length, so no
    text can pass for another split between fields)."""
    text = "\x1f".join(f"{len(value)}:{value}" for value in (str(doc[name]) for name in fields))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def field_terms(text: str) -> dict[str, int]:
    """Index term -> frequency in one field's text, in first-use order (stop words dropped)."""
    counts = Counter(map(term, filter(None, _SEPARATORS.split(text.lower()))))
    counts.pop(None, None)
    return dict(counts)


# How the index of some documents is made: index_postings, or the engine's
# memoised version of it.
Indexer = Callable[[list[dict]], TermPostings]


# ---------------------------------------------------------------- the split index
#
# The browser never loads the whole index. search-index.js (the manifest) names
# the fields, the pipeline, the term pieces and the facet values; everything
# else is in pieces under search/, each a script that hands its data to the
# page (window.LitreviewSearch.piece(name, data)), so it loads from file:// as
# over http, with a strict CSP:
#
# - search/t/k<prefix>.js: the postings of the terms under a prefix (as JSON.parse("..."): faster
#   to load than a literal), with
#   lunr's own field scores (BM25, x1000, computed here as lunr's builder
#   does), so the page scores a query exactly as lunr would on the whole index
#   while loading only the pieces of the query's terms. Prefixes split by
#   their next character until a piece is at most PIECE_BYTES (a single term
#   bigger than that is a piece of its own); a small catalogue is one piece.
# - search/d/<n>.js: result metadata (title, authors, year, venue, topic,
#   tags, code, snippet) of DOC_SHARD papers by ref;
# - search/f/<n>.js: facet values (topic, tags, year, venue, code) of
#   FACET_SHARD papers, for the counts and the filters;
# - search/a/<n>.js: whole titles and abstracts of DOC_SHARD papers, for exact
#   phrases and snippets around the match;
# - search/x/<n>.js: BibTeX and CSV of EXPORT_SHARD papers, loaded by
#   "export these results" only.

PIECES = "search"
PIECE_BYTES = 48 * 1024
DOC_SHARD = 16
FACET_SHARD = 5000
EXPORT_SHARD = 500
PIECE_CALL = "window.LitreviewSearch.piece"
EXPORT_CSV_COLUMNS = ("id", "title", "year", "authors", "venue", "doi", "arxiv", "primary_topic", "tags", "code", "url")


_NOT_PIECE_CHAR = re.compile("[^a-z0-9]")


def piece_name(word: str) -> str:
    """A term as a piece name: a-z and 0-9 kept, any other character "_" (search.js: pieceName)."""
    return _NOT_PIECE_CHAR.sub("_", word)


def _json(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def piece_js(name: str, data: object) -> str:
    return piece_call(name, _json(data))


def piece_call(name: str, encoded: str) -> str:
    """A piece's script, given its data already as JSON."""
    return f"/* litreview search piece (generated; do not edit) */\n{PIECE_CALL}({_json(name)},{encoded});\n"


def parsed_json(encoded: str) -> str:
    """JavaScript for a value given as JSON, as a JSON.parse of a string: for a big array or object,
    V8 parses JSON text faster than the same value written as a literal (a term piece of a common
    word at 100,000 papers is over a megabyte). Not eval: a strict CSP allows it."""
    return f"JSON.parse({_json(encoded)})"


def piece_members(terms: list[str], sizes: list[int], limit: int = PIECE_BYTES) -> dict[str, list[int]]:
    """Terms (sorted) -> piece key -> the positions of their rows, given each row's
    size in bytes (search_files encodes every row once, for its size and for its piece). A key
    is a prefix of piece_name(term); a term belongs to the longest key that is a prefix of its
    piece name.

    Starting from the empty prefix: a prefix keeps its rows when they fit in `limit`, else its
    next-character groups, biggest first (ties by character), become pieces of their own until
    what stays fits. The rows are sorted by piece name once, so the rows under any prefix are
    one run of that order and a group's size is a difference of two running sums."""
    names = [piece_name(term) for term in terms]
    order = sorted(range(len(terms)), key=names.__getitem__)  # stable: one name's rows stay in term order
    keys = [names[i] for i in order]
    before = list(accumulate((sizes[i] for i in order), initial=0))
    pieces: dict[str, list[int]] = {}

    def split(prefix: str, lo: int, hi: int) -> None:
        """The rows keys[lo:hi], every one under prefix."""
        depth = len(prefix)
        own_end = lo
        while own_end < hi and len(keys[own_end]) == depth:  # the prefix itself sorts first
            own_end += 1
        own = [(lo, own_end)]
        groups = []
        at = own_end
        while at < hi:
            char = keys[at][depth]
            end = bisect_left(keys, prefix + chr(ord(char) + 1), at, hi)
            groups.append((-(before[end] - before[at]), char, at, end))
            at = end
        total = before[hi] - before[lo]
        for minus_size, char, start, end in sorted(groups):
            if total <= limit:
                own.append((start, end))
                continue
            total += minus_size
            split(prefix + char, start, end)
        members = sorted(order[i] for start, end in own for i in range(start, end))
        if members:
            pieces[prefix] = members  # rows are in term order, so positions are too

    if terms:
        split("", 0, len(terms))
    return dict(sorted(pieces.items()))


class SpooledRows:
    """Rows' JSON (ASCII) in an unnamed temporary file, read back a piece at a time: at 100,000
    papers the term rows are about 90 MB, which a build need not hold while it splits them into
    pieces (bench/results/scale.md, section 13). Sequence-like: len, rows[i], and joined()."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # removed when closed or collected
        self._ends = array("q", [0])

    def append(self, text: str) -> int:
        """Spools one row, with the comma that follows it in a piece; returns the row's length."""
        size = self._file.write(text.encode("ascii") + b",") - 1
        self._ends.append(self._ends[-1] + size + 1)
        return size

    def __len__(self) -> int:
        return len(self._ends) - 1

    def __getitem__(self, i: int) -> str:
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self.joined([i])

    def joined(self, positions: list[int]) -> str:
        """The rows at positions (ascending), joined by commas: one read per run of consecutive
        rows, which lie in the file already joined."""
        self._file.flush()
        ends, runs, i = self._ends, [], 0
        while i < len(positions):
            j = i
            while j + 1 < len(positions) and positions[j + 1] == positions[j] + 1:
                j += 1
            start = ends[positions[i]]
            runs.append(os.pread(self._file.fileno(), ends[positions[j] + 1] - start, start))
            i = j + 1
        return b"".join(runs)[:-1].decode("ascii")


def joined_rows(encoded: Sequence[str] | SpooledRows, positions: list[int]) -> str:
    if isinstance(encoded, SpooledRows):
        return encoded.joined(positions)
    return ",".join([encoded[i] for i in positions])


def term_pieces(
    rows: Iterable[list], known: KnownPieces | None = None
) -> tuple[Sequence[str] | SpooledRows, dict[str, list[int]]]:
    """Each term row's JSON, and piece key -> the positions of its rows (piece_members).

    Without known, each row is read once and its JSON spooled to a temporary file (SpooledRows).
    known: the last build's, reused and then replaced by this build's (the engine keeps it
    between the rebuilds of `serve`). An edited abstract changes the average length of an abstract and so, in
    principle, every score; rounded to lunr's three places, most rows (those of rare terms)
    stay the same, and their JSON is taken from the last build, as is the split when no
    row's size changed."""
    if known is None:
        terms, spooled, sizes = [], SpooledRows(), []
        for row in rows:
            terms.append(row[0])
            sizes.append(spooled.append(_json(row)) + 1)
        return spooled, piece_members(terms, sizes)
    rows = list(rows)
    last = known.rows
    encoded = []
    for row in rows:
        found = last.get(row[0])
        encoded.append(found[1] if found is not None and found[0] == row else _json(row))
    sized = [(row[0], len(text) + 1) for row, text in zip(rows, encoded)]
    if known.sized == sized:
        members = known.members
    else:
        members = piece_members([term for term, _ in sized], [size for _, size in sized])
    known.rows = {row[0]: (row, text) for row, text in zip(rows, encoded)}
    known.sized, known.members = sized, members
    return encoded, members


@dataclass
class KnownPieces:
    """term_pieces' memory of the last build: term -> (row, its JSON), (term, size) per row, the split."""

    rows: dict[str, tuple[list, str]] = field(default_factory=dict)
    sized: list[tuple[str, int]] = field(default_factory=list)
    members: dict[str, list[int]] = field(default_factory=dict)


# How term rows become their JSON and pieces: term_pieces, or the engine's version that
# remembers the last build's.
PieceSplitter = Callable[[Iterable[list]], tuple[Sequence[str] | SpooledRows, dict[str, list[int]]]]


def term_piece_file(key: str) -> str:
    return f"{PIECES}/t/k{key}.js"


def facet_columns(site: Site, start: int, stop: int, topics: list[str], tags: list[str], venues: list[str]) -> dict:
    """Facet values of papers start..stop by column: topic (index, -1 none), tags (indexes), year (0 none),
    venue (index, -1 none), code (0/1). Indexes are into the manifest's facet lists."""
    topic_at = {slug: i for i, slug in enumerate(topics)}
    tag_at = {slug: i for i, slug in enumerate(tags)}
    venue_at = {name: i for i, name in enumerate(venues)}
    papers = site.papers[start:stop]
    return {
        "topic": [topic_at.get(primary_topic(p) or "", -1) for p in papers],
        "tags": [[tag_at[s] for s in p.tag_slugs if s in tag_at] for p in papers],
        "year": [p.year or 0 for p in papers],
        "venue": [venue_at.get(p.venue or "", -1) for p in papers],
        "code": [1 if p.code_links else 0 for p in papers],
    }


def export_row(paper: Paper, base: str | None, keys: dict[str, int], entry: BibEntryMaker) -> list:
    """A paper's row of its search/x piece: its BibTeX entry (without abstract) and its CSV cells
    (EXPORT_CSV_COLUMNS)."""
    from litreview.write.export import csv_cells

    cells = csv_cells(paper, base, EXPORT_CSV_COLUMNS, primary_topic=primary_topic(paper))
    return [entry(paper, base, keys, False), cells]


def search_files(
    site: Site,
    index: Indexer = index_postings,
    entry: BibEntryMaker | None = None,
    memo: PapersMemo | None = None,
    split: PieceSplitter | None = None,
    out: MutableMapping[str, str] | None = None,
) -> MutableMapping[str, str]:
    """search-index.js (the manifest) and the pieces under search/ (search.html is rendered
    with the other pages), put into `out` as each is made (a new dict without it): given the
    build's staging sink, each is written at once instead of all held together. The d, a and
    x pieces are made through memo, the engine's memo of each piece by its papers."""
    from litreview.write.export import bib_entry, bib_key, citation_keys, unmemoised
    from litreview.write.feeds import base_url

    memo = memo or unmemoised
    entry = entry or bib_entry
    files: MutableMapping[str, str] = {} if out is None else out
    postings = index(index_documents(site))
    head = {"version": postings.version, "fields": postings.fields, "pipeline": postings.pipeline}
    rows = postings.scored_rows()
    del postings  # its arrays are freed once scored, unless the engine memoises them (serve)
    encoded, pieces = (split or term_pieces)(rows)
    del rows
    for key, at in pieces.items():
        files[term_piece_file(key)] = piece_call("t/" + key, parsed_json("[" + joined_rows(encoded, at) + "]"))
    del encoded
    papers = site.papers
    titles = {t.slug: t.title for t in site.topics}
    limit = snippet_limit(site)
    base = base_url(site)
    keys = citation_keys(papers)

    def docs(some: list[Paper]) -> str:
        shown = [topic_title(p, titles) for p in some]
        return memo(
            "search-docs",
            some,
            _json([limit, shown]),
            lambda: _json([result_doc(p, title, limit) for p, title in zip(some, shown)]),
        )

    def texts(some: list[Paper]) -> str:
        return memo("search-texts", some, "", lambda: _json([" ".join(p.abstract.split()) for p in some]))

    def rows(some: list[Paper]) -> str:
        extra = _json([base, [bib_key(p, keys) for p in some]])
        return memo("search-exports", some, extra, lambda: _json([export_row(p, base, keys, entry) for p in some]))

    for kind, encode, size in (("d", docs, DOC_SHARD), ("a", texts, DOC_SHARD), ("x", rows, EXPORT_SHARD)):
        for n, start in enumerate(range(0, len(papers), size)):
            files[f"{PIECES}/{kind}/{n}.js"] = piece_call(f"{kind}/{n}", encode(papers[start : start + size]))
    found = facets(site)
    topics = [t["slug"] for t in found["topics"]]
    tags = [t["slug"] for t in found["tags"]]
    venues = [v["name"] for v in found.get("venues", [])]
    for n, start in enumerate(range(0, len(papers), FACET_SHARD)):
        columns = facet_columns(site, start, start + FACET_SHARD, topics, tags, venues)
        files[f"{PIECES}/f/{n}.js"] = piece_js(f"f/{n}", columns)
    manifest = {
        **head,
        "count": len(papers),
        "pieces": list(pieces),
        "shards": {"docs": DOC_SHARD, "facets": FACET_SHARD, "export": EXPORT_SHARD},
        "facets": found,
        "csv": list(EXPORT_CSV_COLUMNS),
    }
    files[INDEX_FILE] = piece_js("index", manifest)
    return files if out is not None else dict(sorted(files.items()))

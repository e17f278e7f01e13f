"""lunr.py reference index for tests and bench: the slow, obviously-right path.

litreview builds its index's postings directly (search.index_postings); these
helpers build the same index through lunr.py's own Builder, turn either into
the compact form and back (expand), and put the split index (search-index.js
and its pieces) back together as one lunr.py Index, so tests can compare the
paths and query the shipped index as lunr would on the whole catalogue.
"""

from __future__ import annotations

import gzip
import json
import math

import lunr as lunr_package
from lunr.builder import Builder
from lunr.index import Index
from lunr.pipeline import Pipeline

from litreview.write.search import (
    _SEPARATORS,
    K1,
    B,
    TermPostings,
    index_postings,
    js_stemmer,
    make_builder,
    ref_deltas,
    term,
)


class FastBuilder(Builder):
    """lunr's Builder with the per-character tokenizer and per-token pipeline
    replaced by a regex split and one memoised word -> term function.

    Same terms and frequencies as Builder.add with make_builder()'s pipeline
    (tests/test_search.py compares them on the real catalogue); only used
    with no metadata whitelist, as here.
    """

    def add(self, doc: dict, attributes: dict | None = None) -> None:
        doc_ref = str(doc[self._ref])
        self._documents[doc_ref] = attributes or {}
        self.document_count += 1
        for field_name in self._fields:
            words = [w for w in _SEPARATORS.split(str(doc[field_name]).lower()) if w]
            terms_ = [t for t in map(term, words) if t is not None]
            field_ref = f"{field_name}/{doc_ref}"
            field_terms: dict[str, int] = {}
            self.field_term_frequencies[field_ref] = field_terms
            self.field_lengths[field_ref] = len(terms_)
            for t in terms_:
                field_terms[t] = field_terms.get(t, 0) + 1
                posting = self.inverted_index.get(t)
                if posting is None:
                    posting = {name: {} for name in self._fields}
                    posting["_index"] = self.term_index
                    self.term_index += 1
                    self.inverted_index[t] = posting
                posting[field_name].setdefault(doc_ref, {})


def build_index(docs: list[dict], fast: bool = True, vectors: bool = False) -> Builder:
    """Index docs with lunr.py; the builder keeps the term frequencies the compact form needs.

    The compact form needs only postings and term frequencies, so lunr's own
    vectors and token set (build()) are computed only when asked, for tests.
    """
    builder = make_builder(FastBuilder if fast else Builder)
    for doc in docs:
        builder.add(doc)
    if vectors:
        builder.build()
    return builder


def compact(builder: Builder) -> dict:
    """The lunr.py index as lunr-schema JSON minus the field vectors, which expand() recomputes."""
    fields = list(builder._fields)
    postings = []
    for word in sorted(builder.inverted_index):
        entry: list = [word]
        for field in fields:
            refs = sorted(int(ref) for ref in builder.inverted_index[word][field])
            coded, previous = [], -1
            for ref in refs:
                tf = builder.field_term_frequencies[f"{field}/{ref}"][word]
                coded.append(ref - previous if tf == 1 else [ref - previous, tf])
                previous = ref
            entry.append(coded)
        postings.append(entry)
    return {
        "version": lunr_package.__TARGET_JS_VERSION__,
        "fields": fields,
        "boosts": [builder._fields[f].boost for f in fields],
        "pipeline": builder.search_pipeline.serialize(),
        "documentCount": builder.document_count,
        "postings": postings,
    }


def compact_postings(postings: TermPostings) -> dict:
    """The compact form (compact()) of the index search.index_postings made: per term and field, the refs
    delta-coded, with the term frequency where it is not 1."""
    import numpy as np

    entries: list[list] = [[t] for t in postings.terms]
    for ids, refs, tfs in postings.columns:
        per_term, deltas = np.bincount(ids, minlength=len(postings.terms)), ref_deltas(ids, refs)
        items = deltas.tolist()
        frequencies = tfs.tolist()
        for at in np.flatnonzero(tfs > 1).tolist():
            items[at] = [items[at], frequencies[at]]
        at = 0
        for entry, size in zip(entries, per_term.tolist()):
            entry.append(items[at : at + size])
            at += size
    return {
        "version": postings.version,
        "fields": postings.fields,
        "boosts": postings.boosts,
        "pipeline": postings.pipeline,
        "documentCount": postings.count,
        "postings": entries,
    }


def compact_documents(docs: list[dict], known: dict | None = None) -> dict:
    """The compact form of search.index_postings(docs, known)."""
    return compact_postings(index_postings(docs, known))


def expand(data: dict) -> dict:
    """lunr's serialised index (lunr.Index.load input) from the compact form; mirrors search.js."""
    fields, boosts, count = data["fields"], data["boosts"], data["documentCount"]
    inverted, idf = [], []
    tfs: dict[tuple[int, int], list[tuple[int, int]]] = {}
    lengths = {(f, r): 0 for r in range(count) for f in range(len(fields))}
    for index, (word, *per_field) in enumerate(data["postings"]):
        posting: dict = {"_index": index}
        with_term = 0
        for f, coded in enumerate(per_field):
            refs, ref = {}, -1
            for item in coded:
                delta, tf = (item, 1) if isinstance(item, int) else item
                ref += delta
                refs[str(ref)] = {}
                tfs.setdefault((f, ref), []).append((index, tf))
                lengths[(f, ref)] += tf
            posting[fields[f]] = refs
            with_term += len(refs)
        inverted.append([word, posting])
        x = (count - with_term + 0.5) / (with_term + 0.5)
        idf.append(math.log(1 + abs(x)))
    average = [sum(lengths[(f, r)] for r in range(count)) / count for f in range(len(fields))]
    vectors = []
    for ref in range(count):
        for f, field in enumerate(fields):
            elements: list = []
            for index, tf in tfs.get((f, ref), []):
                norm = K1 * (1 - B + B * (lengths[(f, ref)] / average[f]))
                score = idf[index] * ((K1 + 1) * tf) / (norm + tf) * boosts[f]
                elements += [index, round(score, 3)]
            vectors.append([f"{field}/{ref}", elements])
    return {
        "version": data["version"],
        "fields": fields,
        "fieldVectors": vectors,
        "invertedIndex": inverted,
        "pipeline": data["pipeline"],
    }


def gzipped_size(text: str) -> int:
    return len(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))


def piece_data(script: str) -> tuple[str, object]:
    """The name and data a search piece (search-index.js, search/**.js) hands to the page."""
    call = "window.LitreviewSearch.piece("
    body = script[script.index(call) + len(call) :].rstrip().removesuffix(";").removesuffix(")")
    name, data = json.loads("[" + body.replace(",JSON.parse(", ",", 1).removesuffix(")") + "]")
    if "JSON.parse(" in body:  # a term piece: its data as a string of JSON
        data = json.loads(data)
    return name, data


def load_split(files: dict[str, str]) -> tuple[Index, dict]:
    """The split index (search.search_files' output) put back together as one lunr.py Index, as
    lunr.js would build it from the whole catalogue, and the payload: manifest, docs, texts, rows."""
    _, manifest = piece_data(files["search-index.js"])
    pieces = {name: data for name, data in (piece_data(t) for p, t in files.items() if p.startswith("search/"))}
    rows = sorted((row for name, data in pieces.items() if name.startswith("t/") for row in data), key=lambda r: r[0])
    fields, count = manifest["fields"], manifest["count"]
    vectors: dict[str, list] = {f"{field}/{ref}": [] for ref in range(count) for field in fields}
    inverted = []
    for index, (word, *per_field) in enumerate(rows):
        posting: dict = {"_index": index}
        for field, flat in zip(fields, per_field):
            refs, ref = {}, -1
            for delta, score in zip((flat or [])[::2], (flat or [])[1::2]):
                ref += delta
                refs[str(ref)] = {}
                vectors[f"{field}/{ref}"] += [index, score / 1000]
            posting[field] = refs
        inverted.append([word, posting])
    serialised = {
        "version": manifest["version"],
        "fields": fields,
        "fieldVectors": [[key, elements] for key, elements in vectors.items()],
        "invertedIndex": inverted,
        "pipeline": manifest["pipeline"],
    }
    index = Index.load(serialised)
    index.pipeline = Pipeline()
    index.pipeline.add(js_stemmer)

    def shards(kind: str) -> list:
        numbered = sorted((int(n.split("/")[1]), d) for n, d in pieces.items() if n.startswith(kind + "/"))
        return [item for _, data in numbered for item in data]

    payload = {
        "manifest": manifest,
        "fields": fields,
        "facets": manifest["facets"],
        "docs": shards("d"),
        "texts": shards("a"),
        "exports": shards("x"),
        "rows": rows,
        "pieces": pieces,
    }
    return index, payload

"""Every memoised step of a build and its key, declared in one place.

The stages in read/, analyse/ and write/ are pure functions of their
inputs and know nothing of caching. The engine runs them through Steps,
which memoises each one in the build's Cache under a key made here from
everything the step reads (and litreview's own code, through the cache's
version stamp). A step whose inputs did not change is not run again: not
on the next build (the cache folder), nor after an edit in `serve`
(a resident Cache).

| step         | key                                           | value                            |
| ------------ | --------------------------------------------- | -------------------------------- |
| seed file    | seed file name and bytes                      | its entries and warnings         |
| past seed    | git blob id and file extension                | its entries' titles and ids      |
| seed log *   | the checked-out commit                        | seed file versions in git        |
| seed dates * | the checked-out commit                        | each seed file's first commit    |
| content file * | content file name and bytes, the parser     | its parsed front matter or YAML  |
| entity list * | entities.yml's bytes, the catalogue's ids   | the entities, their errors       |
| catalogue *  | every seed file's name and bytes, git HEAD,   | the merged papers (copied out,   |
|              | SOURCE_DATE_EPOCH                             | as later stages change them)     |
| merge group * | the very entries of one paper (by identity: | the merged paper (copied out),   |
|              | an unchanged seed file's are the same objects)| its conflict warnings            |
| classifier * | (state, not a memo) all topic, sub-theme and  | the compiled rules               |
|              | tag rules                                     |                                  |
| classify     | all topic, sub-theme and tag rules, title,    | primary topic, topics, tags,     |
|              | abstract                                      | sub-themes                       |
|              | (or keywords, without an abstract)            |                                  |
| extract      | claim kinds (claims.yml), title, abstract     | TL;DR, claims                    |
| entities     | entity list, title, abstract, claim baselines | entities named, baselines        |
| markdown     | the Markdown text                             | sanitised HTML, <h2> headings    |
| review       | review template source, the review's data     | its review pages' Markdown       |
| review inputs * | template source, the topic and what every    | its review pages' Markdown       |
|  (nested)    | review reads of the other topics and tags     |                                  |
| review page * | template source, the page's data             | that page's Markdown             |
| related terms * | title, abstract                             | the paper's term counts          |
| bib entry *  | the paper, the base URL, its citation key     | its BibTeX entry                 |
| search-index | the search documents (refs, fields, digests)  | the index's postings (arrays)    |
| paper json * | the paper, the base URL                       | its record's indented JSON       |
| related      | every paper's id, title and abstract, top     | related papers                   |
| page *       | template sources, the context values it reads | the page's HTML                  |
| part *       | (state, not a memo) the site being rendered:  | a part's pages (write/render.py) |
|              | serve renders the pages open in a browser     | made ahead, if none read the     |
|              | first, then the rest                          | related papers                   |
| page group * | template sources, chrome, every input of the  | those pages' HTML (all paper     |
|  (nested)    | group (the papers, related papers, settings)  | pages and redirects; all tag     |
|              |                                               | pages)                           |
| search docs, | the papers of a search/d, a or x piece and    | the piece's JSON                 |
| texts, exports * | what else it shows (topic titles, snippet | (by the papers' fingerprints)    |
|              | length; base URL, citation keys)              |                                  |
| csv rows, json | 500 papers, the base URL (bib: and their    | their share of papers.csv,       |
| records, bib entries * | citation keys)                      | papers.json, papers.bib          |
| term pieces  | (state, not a memo) last build's term rows,   | each row's JSON and the split,   |
|  *           | their JSON and split                          | reused where unchanged           |
| data files * | the whole model                               | search index, exports            |
|  (nested)    |                                               |                                  |
| current seed past * | a seed file's git blob id and extension | its entries' titles and ids      |
| past ids *   | the checked-out commit                        | every past entry, indexed (read  |
|              |                                               | only by assign_ids)              |

* Only in a resident cache (`serve`): kept in memory between edits, never
  written to disk, where rendering every page again costs less than storing
  them all.

A nested step is made of other memoised steps (a page group of pages,
data files of search pieces and shares of the exports): its entry
remembers the entries it used, and a hit keeps them, so that after an
edit that skipped the whole (a topic intro skips every paper page), the
next one that does not (an abstract) still finds every part it did not
change.

The Jinja environments (with their compiled-template cache) are made
here too, once per Steps, so a resident server compiles each template
once (Jinja's auto_reload picks up an edited one).
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litreview.engine.cache import Cache, key_hash
from litreview.errors import InputError
from litreview.model import Entity, Paper, Site, Tag, Topic

if TYPE_CHECKING:
    from litreview.analyse.claims import KindSet
    from litreview.write.search import SpooledRows, TermPostings

# Model classes that hold papers: their digest is composed of their papers' digests
# (a repr would repeat every paper's text in every topic, tag and page that lists it).
COMPOSED = (Site, Topic, Tag)
PLAIN = frozenset({str, int, float, bool, type(None)})  # fingerprinted by their repr
LONG_TEXT = 1000  # characters past which a text, list or dict is fingerprinted by its hash


class Unkeyable(Exception):
    """A value whose fingerprint is not known: its page is rendered without memoisation."""


class Fingerprints:
    """Digests of model values for page keys, each object's computed once per build.

    Composed bottom-up: a topic's digest is made of its papers' digests, so
    hashing every page's context costs little more than hashing each paper once.
    The model does not change while pages render (begin_render starts afresh).
    Objects are kept alive while their digest is cached, so an id is never reused.
    """

    def __init__(self, papers: dict[str, tuple[Paper, str]] | None = None) -> None:
        self._objects: dict[int, tuple[object, str]] = {}
        # Kept between builds by a resident Steps: paper id -> (the paper last hashed, its digest).
        # A paper equal to the one last hashed under its id reuses that digest, so a build hashes
        # only the papers an edit changed (comparing is far cheaper than repr and hash).
        self._papers = papers

    def of(self, value: object) -> str:
        """A text that changes whenever anything a template could read from value changes."""
        if type(value) in PLAIN:
            return repr(value)
        # Each object once, by id: the same paper, topic map or settings are on many pages.
        found = self._objects.get(id(value))
        return found[1] if found is not None else self._new(value)

    def forget(self, value: object) -> None:
        """Drop value's fingerprint (it changed): the next look-up makes it again."""
        self._objects.pop(id(value), None)

    def assume(self, value: object, digest: str) -> None:
        """Take digest as value's fingerprint for this build (the caller knows what it is made from)."""
        self._objects[id(value)] = (value, digest)

    def _joined(self, items: Iterable[object]) -> str:
        """The fingerprints of items, comma-joined. A page key is thousands of these, mostly
        plain values and objects already seen, so those two cases are taken here, inline."""
        get = self._objects.get
        parts = []
        for item in items:
            if type(item) in PLAIN:
                parts.append(repr(item))
            else:
                found = get(id(item))
                parts.append(found[1] if found is not None else self._new(item))
        return ",".join(parts)

    def _new(self, value: object) -> str:
        """The fingerprint of a value not seen in this build, kept for the next look-up."""
        if isinstance(value, str):  # Markup: a page's HTML body is long, and hashing it once is cheaper
            return "#" + key_hash(value) if len(value) > LONG_TEXT else repr(value)
        if isinstance(value, (int, float, bool)):  # subclasses
            return repr(value)
        kind = type(value)
        if kind is list or kind is tuple or isinstance(value, tuple):
            if all(type(item) is str for item in value):  # type: ignore[union-attr]
                text = repr(value)  # links, reasons, slugs: one C call
            else:
                text = "[" + self._joined(value) + "]"  # type: ignore[arg-type]
            return self._keep(value, text)
        if kind is dict:
            text = "{" + self._joined(itertools.chain.from_iterable(value.items())) + "}"  # type: ignore[union-attr]
            return self._keep(value, text)
        if isinstance(value, COMPOSED):
            fields = ",".join(f"{f.name}={self.of(getattr(value, f.name))}" for f in dataclasses.fields(value))
            text = f"{kind.__name__}({fields})"
        elif kind is Paper and self._papers is not None:
            digest = self._paper(value)  # type: ignore[arg-type]
            self._objects[id(value)] = (value, digest)
            return digest
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            text = repr(value)  # a dataclass of plain values (a paper, a claim): its repr says everything
        else:
            raise Unkeyable(kind.__name__)
        digest = "#" + key_hash(text)
        self._objects[id(value)] = (value, digest)
        return digest

    def _keep(self, value: object, text: str) -> str:
        """A list's or dict's fingerprint: its text, or the text's hash when it is long (every
        topic's members, every title), so that the keys and lists that hold it stay short."""
        if len(text) > LONG_TEXT:
            text = "#" + key_hash(text)
        self._objects[id(value)] = (value, text)
        return text

    def _paper(self, paper: Paper) -> str:
        """A paper's digest, reused from the last build when the paper is equal to the one hashed then."""
        assert self._papers is not None
        last = self._papers.get(paper.id)
        if last is not None and same_paper(last[0], paper):
            self._papers[paper.id] = (paper, last[1])  # the next look-up of this object: by identity
            return last[1]
        digest = "#" + key_hash(repr(paper))
        self._papers[paper.id] = (paper, digest)
        return digest


def same_paper(old: Paper, new: Paper) -> bool:
    """Whether two papers have the same repr, without making it: equal field by field (one
    tuple comparison, in C, where identical strings and lists compare at once; the
    dataclass's __eq__ would build both tuples in Python first) and their dicts in the same order."""
    if old is new:
        return True
    if field_values(old) != field_values(new):
        return False
    for name in DICT_FIELDS:
        value, old_value = getattr(new, name), getattr(old, name)
        if value is not old_value and list(value) != list(old_value):
            return False
    return True


@dataclasses.dataclass
class PerPaperMemo:
    """A per-paper step's memo table, keyed by the step's key parts joined; in a resident
    cache also the last build's (parts, value) by paper id, so that a paper whose parts are
    the same strings (compared, mostly by identity) is not joined and hashed again."""

    table: Any
    last: dict[str, tuple[tuple[str, ...], object]] | None
    kept: dict[str, tuple[tuple[str, ...], object]] | None  # this build's, for the next one

    def get_or_compute(self, paper_id: str, parts: tuple[str, ...], compute: Callable) -> Any:
        if self.last is not None and self.kept is not None:
            found = self.last.get(paper_id)
            if found is not None and found[0] == parts:
                self.kept[paper_id] = found
                return found[1]
        value = self.table.get_or_compute("\0".join(parts), compute)
        if self.kept is not None:
            self.kept[paper_id] = (parts, value)
        return value


def review_reads(site: Site) -> tuple:
    """What a topic's review reads from the site besides the topic itself (write.review.ReviewData)."""
    topics = [(t.slug, t.title, [p.id for p in t.papers], [p.id for p in t.secondary]) for t in site.topics]
    return topics, [(t.slug, t.name, t.group) for t in site.tags]


def shallow_copy(paper: Paper) -> Paper:
    """A copy sharing every value (copy.copy goes through pickling's __reduce_ex__: slower)."""
    new = object.__new__(Paper)
    for name, value in zip(PAPER_FIELDS, field_values(paper)):
        setattr(new, name, value)
    return new


def fresh_copy(paper: Paper) -> Paper:
    """A copy of a paper that later stages can change (its lists copied; their items are immutable here)."""
    new = shallow_copy(paper)
    for name in LIST_FIELDS:
        setattr(new, name, getattr(paper, name)[:])
    return new


# The Paper fields that hold a list or a dict (tests/test_cache.py checks that no other does).
LIST_FIELDS = tuple(f.name for f in dataclasses.fields(Paper) if f.default_factory is list or f.name == "sources")
DICT_FIELDS = tuple(f.name for f in dataclasses.fields(Paper) if f.default_factory is dict)
PAPER_FIELDS = tuple(f.name for f in dataclasses.fields(Paper))
field_values = operator.attrgetter(*PAPER_FIELDS)  # a paper's fields as a tuple, in C


class RelatedPapers(Mapping):
    """site.related: paper id -> [(paper, score)], made from the related step's ids and scores
    when a page asks for a paper's list (after an edit that renders no paper page, none does)."""

    def __init__(self, found: dict[str, list[tuple[str, float]]], by_id: dict[str, Paper]) -> None:
        self._found = found
        self._by_id = by_id

    def __getitem__(self, paper_id: str) -> list[tuple[Paper, float]]:
        return [(self._by_id[other], score) for other, score in self._found[paper_id]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._found)

    def __len__(self) -> int:
        return len(self._found)


class Steps:
    """The memoised steps of builds that share one Cache."""

    def __init__(self, cache: Cache | None = None):
        self.cache = cache if cache is not None else Cache(None)
        self._html_env: dict[str, object] = {}
        self._md_env: dict[str, object] = {}
        self._reads: dict[str, tuple[str, frozenset[str]] | None] = {}  # per build: template -> its sources and reads
        self._parsed: dict[str, tuple[frozenset[str], frozenset[str] | None]] = {}  # source -> names, templates
        # paper id -> (paper, digest), kept between the builds of a resident cache (Fingerprints)
        self._paper_digests: dict[str, tuple[Paper, str]] | None = {} if self.cache.resident else None
        self.fingerprints = Fingerprints(self._paper_digests)
        self._rendering: Site | None = None  # the site begin_render was last given
        self._parts: dict[str, dict[str, str]] = {}  # pages of a part of _rendering, made ahead (keep_part)
        # Groups of seed entries merged into papers (catalogue; resident caches only): this
        # build's and the last build's, by the prefix and entries' ids -> (entries, paper, warnings).
        self._merged: tuple[dict, dict] = ({}, {})
        self._classifier: tuple[str, Any] = ("", None)  # (rules hash, compiled Classifier), resident caches only
        # The related step's last build (resident caches only): top, texts, key, value, its fingerprint.
        self._related_last: tuple[int, list, str, dict, str] | None = None
        # step -> paper id -> (key parts, value): per-paper results of the last build (resident caches only)
        self._last: dict[str, dict[str, tuple[tuple[str, ...], object]]] = {}
        # id of an entities match -> (the match, the entities dict and baselines papers share; resident only)
        self._entity_views: dict[int, tuple[object, dict, list]] = {}

    def begin_render(self, site: Site | None = None) -> None:
        """The model is complete: forget last build's digests and template sources (files may
        have changed). Again for the same site (serve renders the open pages first, then the
        rest), the digests stand: nothing a page reads changes in between but site.related,
        whose step forgets the site's digest."""
        if site is not None and site is self._rendering:
            return
        self._rendering = site
        self._parts = {}
        self._reads = {}
        self.fingerprints = Fingerprints(self._paper_digests)

    # ------------------------------------------------------------------ read

    def read_seed_file(self, path: Path, display: str, errors):
        """read.catalogue.read_any, memoised by the file's name and bytes, with the errors
        and warnings it found (replayed on every build, as a fresh read would report them)."""
        from litreview.errors import ErrorCollector
        from litreview.read.catalogue import read_any

        try:
            data = path.read_bytes()
        except OSError:
            return read_any(path, display, errors)  # reports why it cannot be read

        def read() -> tuple:
            found = ErrorCollector()
            return read_any(path, display, found), found.errors, found.warnings

        key = display + "\0" + key_hash(data.decode("utf-8", "surrogateescape"))
        entries, found_errors, found_warnings = self.cache.table("seed-file").get_or_compute(key, read)
        errors.extend(found_errors)
        errors.warnings.extend(found_warnings)
        return entries

    @property
    def seed_history(self):
        """read.pastids.SeedHistory, memoised: a seed file version by its git blob id (so a
        warm build asks git for nothing but the log; the versions read for this build too,
        in memory), the log by the checked-out commit (so an edit in `serve` asks git for nothing)."""
        from litreview.engine.cache import git_head
        from litreview.read.pastids import SeedHistory, parse_past

        cache = self.cache

        class Memoised(SeedHistory):
            def log(self, seeds_dir: Path) -> list[tuple[int, str, str]]:
                head = git_head(seeds_dir)
                if not head:
                    return super().log(seeds_dir)
                key = f"{seeds_dir.resolve()}\0{head}"
                return cache.table("seed-log", persistent=False).get_or_compute(
                    key, lambda: super(Memoised, self).log(seeds_dir)
                )

            def read(self, blob: str, name: str, data: Callable[[], bytes]) -> list:
                return cache.table("past-seed").get_or_compute(version(blob, name), lambda: parse_past(name, data()))

            def current(self, blob: str, name: str, entries: list) -> list:
                table = cache.table("current-seed-past", persistent=False)
                return table.get_or_compute(
                    version(blob, name), lambda: super(Memoised, self).current(blob, name, entries)
                )

            def past_ids(self, seeds_dir: Path, current: dict) -> Any:
                head = git_head(seeds_dir) if cache.resident else ""
                if not head:
                    return super().past_ids(seeds_dir, current)
                key = f"{seeds_dir.resolve()}\0{head}"
                return cache.table("past-ids", persistent=False).get_or_compute(
                    key, lambda: super(Memoised, self).past_ids(seeds_dir, current)
                )

        def version(blob: str, name: str) -> str:
            """A seed file version's key: its blob and the extension that says how it is parsed."""
            return blob + "\0" + Path(name).suffix.lower()

        return Memoised()

    def seed_dates(self, seeds: Path) -> dict[str, str]:
        """read.history.seed_dates (a `git log`), memoised (resident caches only) by the
        checked-out commit, so an edit in `serve` runs no git."""
        from litreview.engine.cache import git_head
        from litreview.read.history import seed_dates

        head = git_head(seeds) if self.cache.resident else ""
        if not head:
            return seed_dates(seeds)
        key = f"{seeds.resolve()}\0{head}"
        return self.cache.table("seed-dates", persistent=False).get_or_compute(key, lambda: seed_dates(seeds))

    def catalogue(self, seeds: Path, errors) -> list[Paper]:
        """read.catalogue.load_catalogue (through read_seed_file), memoised (resident caches only)
        by every file in the seeds folder and what the ids' git seniority reads; its errors and
        warnings are replayed. Each build gets its own copies of the papers. Nested: a hit keeps
        the seed files' entries it read, so an edit to one seed file after a build that did not
        read them (an intro edit) parses that file alone."""
        from litreview.errors import ErrorCollector
        from litreview.read.catalogue import load_catalogue

        key = self._seeds_key(seeds) if self.cache.resident else None
        if key is None:
            return load_catalogue(seeds, errors, self.read_seed_file, self.seed_history)

        def load() -> tuple:
            found = ErrorCollector()
            self._merged = ({}, self._merged[0])  # (this build's groups, the last build's)
            papers = load_catalogue(seeds, found, self.read_seed_file, self.seed_history, self.merge_group)
            return papers, found.errors, found.warnings

        papers, found_errors, found_warnings = self.cache.table("catalogue", persistent=False).get_or_compute_nested(
            key, load
        )
        errors.extend(found_errors)
        errors.warnings.extend(found_warnings)
        return [fresh_copy(paper) for paper in papers]

    def merge_group(self, group: list, errors, prefix: str, title_keys: dict[int, str]) -> Paper:
        """read.catalogue.merge_group, reused (resident caches only) for a group of the very
        entries it merged last build: the entries of a seed file that did not change are the
        same objects (read_seed_file), so after an edit only the edited file's papers are
        merged again. Its conflict warnings are replayed; each build gets its own copy."""
        from litreview.errors import ErrorCollector
        from litreview.read.catalogue import merge_group

        now, last = self._merged
        key = (prefix, *map(id, group))
        found = last.get(key)
        if found is None or any(a is not b for a, b in zip(found[0], group)):
            collector = ErrorCollector()
            found = (tuple(group), merge_group(group, collector, prefix, title_keys), collector.warnings)
        now[key] = found
        if errors is not None:
            errors.warnings.extend(found[2])
        # A shallow copy: assign_ids sets a paper's id and aliases anew, and the catalogue's
        # papers are copied with their lists for each build (fresh_copy) before anything else.
        return shallow_copy(found[1])

    @staticmethod
    def _seeds_key(seeds: Path) -> str | None:
        """Every file directly in the seeds folder, name and bytes, plus the git HEAD and
        SOURCE_DATE_EPOCH (the seed files' commit dates order the ids); None if unreadable."""
        import hashlib
        import os

        from litreview.engine.cache import git_head

        digest = hashlib.blake2b(digest_size=20)
        try:
            for entry in sorted(os.scandir(seeds), key=lambda e: e.name):
                if entry.is_file():
                    with open(entry.path, "rb") as handle:
                        data = handle.read()
                    digest.update(f"{entry.name}\0{len(data)}\0".encode("utf-8", "surrogateescape") + data)
                else:
                    digest.update(f"{entry.name}/\0".encode("utf-8", "surrogateescape"))
        except OSError:
            return None
        return "\0".join((str(seeds), digest.hexdigest(), git_head(seeds), os.environ.get("SOURCE_DATE_EPOCH", "")))

    def read_content_file(self, parse: Callable, path: Path, display: str):
        """parse(path, display) of a content/ file (front matter or YAML), memoised (resident
        caches only) by the file's name and bytes, an error included. The parse is shared
        between builds: content.load_content only reads it."""
        from litreview.read.frontmatter import MAX_CONTENT_BYTES

        if not self.cache.resident:
            return parse(path, display)
        try:
            if path.stat().st_size > MAX_CONTENT_BYTES:
                return parse(path, display)  # reports the size without reading the file
            data = path.read_bytes()
        except OSError:
            return parse(path, display)  # reports why it cannot be read

        def compute() -> tuple:
            try:
                return True, parse(path, display)
            except InputError as exc:
                return False, exc

        key = "\0".join((parse.__module__, parse.__qualname__, display, data.decode("utf-8", "surrogateescape")))
        ok, value = self.cache.table("content-file", persistent=False).get_or_compute(key, compute)
        if not ok:
            raise value.with_traceback(None)
        return value

    def load_entities(
        self, content_dir: Path, errors, paper_ids: list[str], old_ids: dict[str, str], unknown: list | None
    ):
        """read.entities.load_entities, memoised (resident caches only) by entities.yml's bytes
        and the catalogue's ids and old ids (with `unknown`, an unknown `paper:` is matched
        against every id, which costs seconds at 10,000 papers); its errors and warnings are replayed."""
        from litreview.read.entities import FILE, load_entities

        path = content_dir / FILE
        try:
            data = path.read_bytes() if self.cache.resident and path.is_file() else None
        except OSError:
            data = None
        if data is None:
            return load_entities(content_dir, errors, paper_ids, old_ids, unknown, self.read_content_file)

        def compute() -> tuple:
            from litreview.errors import ErrorCollector

            found, missing = ErrorCollector(), [] if unknown is not None else None
            listed = load_entities(content_dir, found, paper_ids, old_ids, missing, self.read_content_file)
            return listed, found.errors, missing or []

        key = "\0".join(
            (
                "diagnose" if unknown is not None else "",
                str(path),
                data.decode("utf-8", "surrogateescape"),
                *paper_ids,
                "",
                *(f"{k}\1{v}" for k, v in old_ids.items()),
            )
        )
        listed, found_errors, missing = self.cache.table("entity-list", persistent=False).get_or_compute(key, compute)
        errors.extend(found_errors)
        if unknown is not None:
            unknown.extend(missing)
        categories, entities = listed
        return list(categories), list(entities)

    # ------------------------------------------------------------------ analyse

    def _per_paper(self, step: str, persistent: bool = True) -> PerPaperMemo:
        """The memo of a per-paper step: its table and, in a resident cache, the last build's
        results by paper id (this build's replace them)."""
        if not self.cache.resident:
            return PerPaperMemo(self.cache.table(step, persistent), None, None)
        last = self._last.get(step, {})
        self._last[step] = {}
        return PerPaperMemo(self.cache.table(step, persistent), last, self._last[step])

    def classify(self, papers: list[Paper], topics: list[Topic], tags: list[Tag]) -> None:
        """analyse.classify, memoised per paper by the rules, its title and the text matched
        as its abstract (the abstract, or its keywords when it has none)."""
        from litreview.analyse.classify import Classifier, body_text

        rules = json.dumps(
            [[t.slug, t.order, t.title, t.rules, [[s.slug, s.rules] for s in t.subthemes]] for t in topics]
            + [[t.slug, t.group, t.rules] for t in tags],
            sort_keys=True,
            default=str,
        )
        rules_hash = key_hash(rules)  # ~50 KB of JSON, hashed once rather than once per paper
        # The rules compiled, made on the first miss; kept (resident caches only) while the rules
        # stay the same: after an abstract edit, compiling them cost more than classifying the paper.
        classifier: Classifier | None = self._classifier[1] if self._classifier[0] == rules_hash else None

        def compute(paper: Paper) -> tuple:
            nonlocal classifier
            if classifier is None:
                classifier = Classifier(topics, tags)
                if self.cache.resident:
                    self._classifier = (rules_hash, classifier)
            classifier.classify(paper)
            return paper.primary_topic, paper.topics, paper.tags, paper.subthemes

        memo = self._per_paper("classify")
        for paper in papers:
            primary, assigned_topics, assigned_tags, subthemes = memo.get_or_compute(
                paper.id, (rules_hash, paper.title, body_text(paper)), lambda paper=paper: compute(paper)
            )
            paper.primary_topic = primary
            paper.topics = list(assigned_topics)  # new lists; the assignments are frozen and shared
            paper.tags = list(assigned_tags)
            paper.subthemes = subthemes

    def extract(self, papers: list[Paper], kinds: KindSet | None = None) -> None:
        """analyse.extract, memoised per paper by the claim kinds in use (their digest: the
        built-in ones and content/claims.yml), its title and its abstract."""
        from litreview.analyse.claims import default_kinds
        from litreview.analyse.extract import extract_one

        kinds = kinds if kinds is not None else default_kinds()
        memo = self._per_paper("extract")
        for paper in papers:
            tldr, claims = memo.get_or_compute(
                paper.id,
                (kinds.digest, paper.title, paper.abstract),
                lambda paper=paper: extract_one(paper.title, paper.abstract, kinds),
            )
            paper.tldr, paper.claims = tldr, list(claims)

    def entities(self, papers: list[Paper], entities: list[Entity]) -> None:
        """analyse.entities.find_entities, memoised per paper by the entity list, its title,
        abstract and the baselines of its claims (which claims.yml may change)."""
        from litreview.analyse.entities import Matcher, find_entities

        if not entities:
            for paper in papers:
                paper.entities, paper.baselines = {}, []
            return
        listed = key_hash(json.dumps([[e.name, e.category, list(e.aliases)] for e in entities], ensure_ascii=False))
        matcher: Matcher | None = None

        def compute(paper: Paper, baselines: list[str]):
            nonlocal matcher
            if matcher is None:
                matcher = Matcher(entities)
            return find_entities(matcher, paper.title, paper.abstract, baselines)

        memo = self._per_paper("entities")
        # A resident cache hands every paper the same dict and list as the last build while its
        # matches are the same (later stages only read them): no copies, and the papers compare
        # equal to the last build's at once (same_paper).
        views, self._entity_views = self._entity_views, {}
        for paper in papers:
            baselines = [c.baseline for c in paper.claims if c.baseline]
            found = memo.get_or_compute(
                paper.id,
                (listed, paper.title, paper.abstract, *baselines),
                lambda paper=paper, baselines=baselines: compute(paper, baselines),
            )
            view = views.get(id(found))
            if view is None or view[0] is not found:
                view = (found, {category: list(names) for category, names in found.by_category}, list(found.baselines))
            if self.cache.resident:
                self._entity_views[id(found)] = view
            paper.entities, paper.baselines = view[1], view[2]

    def related(self, site: Site, top: int) -> None:
        """site.related, memoised by every paper's id, title and abstract."""
        from litreview.analyse.related import related_papers, term_counts

        def compute() -> dict[str, list[tuple[str, float]]]:
            counts = None
            if self.cache.resident:  # after an edit, only the edited papers' words are counted again
                memo = self._per_paper("related-terms", persistent=False)
                counts = [
                    memo.get_or_compute(p.id, (p.title, p.abstract), lambda p=p: term_counts(p)) for p in site.papers
                ]
            found = related_papers(site.papers, top=top, counts=counts)
            return {pid: [(other.id, score) for other, score in best] for pid, best in found.items()}

        table = self.cache.table("related")
        parts = [(p.id, p.title, p.abstract) for p in site.papers]
        last = self._related_last
        if last is not None and last[0] == top and last[1] == parts:
            # The same texts as the last build (compared mostly by identity): its key, unhashed again.
            key = last[2]
            found = table.get_or_compute_hashed(key, lambda: last[3])
        else:
            key = key_hash("\0".join(f"{pid}\0{title}\0{abstract}" for pid, title, abstract in parts) + f"\0{top}")
            found = table.get_or_compute_hashed(key, compute)
        site.related = RelatedPapers(found, {p.id: p for p in site.papers})
        # The site changed: forget its fingerprint. Nothing else fingerprinted so far holds the site
        # or its related papers (topics, tags and papers do not), so the reviews' digests stand.
        self.fingerprints.forget(site)
        if self.cache.resident:
            # site.related is new each build; its fingerprint is the ids and scores it is made
            # from (the papers' own fingerprints cover what a page shows of them), hashed
            # once per memoised value rather than per build.
            digest = last[4] if last is not None and last[3] is found else "#" + key_hash(repr(found))
            self._related_last = (top, parts, key, found, digest)
            self.fingerprints.assume(site.related, digest)

    # ------------------------------------------------------------------ write

    def markdown(self, text: str) -> tuple[str, list[dict]]:
        """write.render.convert_markdown, memoised by the text."""
        from litreview.write.render import convert_markdown

        return self.cache.table("markdown").get_or_compute(text, lambda: convert_markdown(text))

    def html_environment(self, templates: Path):
        """The Jinja environment for HTML pages, made once per Steps."""
        from litreview.write.render import make_env

        key = str(templates)
        if key not in self._html_env:
            self._html_env[key] = make_env(templates, self.cache.template_cache(), self.markdown)
        return self._html_env[key]

    def reviews(self, site: Site, templates: Path) -> dict[str, str]:
        """Every review page's Markdown by its name in topics/ (review_stream, all at once)."""
        return dict(self.review_stream(site, templates))

    def review_stream(self, site: Site, templates: Path) -> Iterator[tuple[str, str]]:
        """write.review.iter_reviews, each review memoised by the template's source and
        the review's data (plain dataclasses of text and numbers, so their repr names
        everything the template can show). A resident cache keys it by what the review is
        made from instead, so an unchanged topic's review is not even made: the topic (its
        papers in full), every topic's slug, title and members, and every tag's slug, name
        and group."""
        from litreview.write.review import iter_reviews, markdown_environment, render_review, render_review_pages

        key = str(templates)
        if key not in self._md_env:
            self._md_env[key] = markdown_environment(templates, self.cache.template_cache())
        table = self.cache.table("review")
        by_inputs = self.cache.table("review-inputs", persistent=False) if self.cache.resident else None
        shared: list[str] = []

        def page_markdown(env, source: str, page) -> str:
            pages = self.cache.table("review-page", persistent=False)
            return pages.get_or_compute(f"{source}\x00{page!r}", lambda: render_review(env, page))

        def render(env, source: str, topic: Topic, make: Callable) -> list[str]:
            if by_inputs is not None:
                try:
                    if not shared:
                        shared.append(self.fingerprints.of(review_reads(site)))
                    inputs = f"{source}\x00{shared[0]}\x00{self.fingerprints.of(topic)}"
                except Unkeyable:
                    pass
                else:
                    # Each page is memoised by its own data too: after an intro edit only the
                    # first page (the one that shows the intro) is rendered again.
                    return by_inputs.get_or_compute_nested(
                        inputs, lambda: [page_markdown(env, source, page) for page in make()]
                    )
            pages = make()
            return table.get_or_compute(f"{source}\x00{pages!r}", lambda: render_review_pages(env, pages))

        return iter_reviews(site, templates, self._md_env[key], render)  # type: ignore[arg-type]

    def by_papers(self, step: str, papers: list[Paper], extra: str, compute: Callable[[], str]) -> str:
        """compute(), memoised (resident caches only) by the papers' fingerprints and `extra`
        (write.export.PapersMemo): a run of papers.csv's rows, a search piece."""
        if not self.cache.resident:
            return compute()
        of = self.fingerprints.of
        table = self.cache.table(step, persistent=False)
        return table.get_or_compute("\0".join([*map(of, papers), extra]), compute)

    def _by_paper(self, step: str, paper: Paper, extra: str, compute: Callable[[], str]) -> str:
        return self.by_papers(step, [paper], extra, compute)

    def bib_entry(self, paper: Paper, base: str | None, keys: dict[str, int] | None, abstract: bool) -> str:
        """write.export.bib_entry, memoised by the paper and its citation key (which depends on
        the other papers' keys)."""
        from litreview.write.export import bib_entry, bib_key

        extra = f"{base}\0{abstract}\0{bib_key(paper, keys)}" if self.cache.resident else ""
        return self._by_paper("bib-entry", paper, extra, lambda: bib_entry(paper, base, keys, abstract))

    def paper_json(self, paper: Paper, base: str | None) -> str:
        """A paper's record in papers.json as indented JSON (write.export.site_record, then
        encode_record), memoised by the paper: after an abstract edit, no other paper's record
        is even made."""
        from litreview.write.export import encode_record, site_record

        return self._by_paper("paper-json", paper, str(base), lambda: encode_record(site_record(paper, base)))

    def search_index(self, docs: list[dict]) -> TermPostings:
        """write.search.index_postings, memoised by the documents (their refs and a digest of
        each one's text, which the index needs anyway); on a miss, the term counts of every
        document whose text did not change are reused."""
        import lunr

        from litreview.write.search import active_fields, document_key, index_postings

        fields = [f.name for f in active_fields(docs)]
        keys = [document_key(doc, fields) for doc in docs]

        def compute() -> TermPostings:
            keep = self.cache.keeps_state()
            known = self.cache.state("search-terms") if keep else None
            known = known if isinstance(known, dict) else ({} if keep else None)
            index = index_postings(docs, known, keys)
            if keep:
                self.cache.keep_state("search-terms", known)
            return index

        refs = [doc["id"] for doc in docs]
        key = json.dumps([lunr.__VERSION__, fields, refs]) + b"".join(keys).hex()
        return self.cache.table("search-index").get_or_compute(key, compute)

    def term_pieces(self, rows: Iterable[list]) -> tuple[Sequence[str] | SpooledRows, dict[str, list[int]]]:
        """write.search.term_pieces, given (resident caches only) the last build's rows, their
        JSON and split, kept in memory: too big to be worth a file."""
        from litreview.write.search import KnownPieces, term_pieces

        if not self.cache.resident:
            return term_pieces(rows)
        known = self.cache.state("term-pieces")
        if not isinstance(known, KnownPieces):
            known = KnownPieces()
            self.cache.keep_state("term-pieces", known)
        return term_pieces(rows, known)

    def page(self, env, template: str, context: dict, render: Callable[[], str], inputs: tuple | None = None) -> str:
        """A page's HTML, memoised (resident caches only) by the sources of its template
        and of every template it extends, includes or imports, the fingerprints of the
        context values those templates read, and the page's inputs when its context is
        given only in part (the rest made from the inputs)."""
        key = self._page_key(env, (template,), context, inputs)
        if key is None:
            return render()
        return self.cache.table("page", persistent=False).get_or_compute(key, render)

    def page_group(
        self,
        env,
        templates: tuple[str, ...],
        chrome: dict,
        inputs: tuple,
        make: Callable[[MutableMapping[str, str]], None],
        files: MutableMapping[str, str],
    ) -> None:
        """Pages made together (write.render.PageGroupRenderer), memoised as one (resident
        caches only) like a page, by their templates, the chrome those read and the inputs:
        when none changed, not even the pages' own keys are made. A hit keeps their page
        entries, so that the next edit that does change some renders only those."""
        key = self._page_key(env, templates, chrome, inputs)
        if key is None:
            return make(files)

        def compute() -> dict[str, str]:
            made: dict[str, str] = {}
            make(made)
            return made

        files.update(self.cache.table("page-group", persistent=False).get_or_compute_nested(key, compute))

    def _page_key(self, env, templates: tuple[str, ...], context: dict, inputs: tuple | None) -> str | None:
        """The memo key of pages made with these templates: their sources, the fingerprints of
        the context values they read, and the inputs. None without a resident cache, or when
        a template or a value cannot be keyed (the pages are then rendered every time)."""
        if not self.cache.resident:
            return None
        reads = [self._template_reads(env, template) for template in templates]
        if any(read is None for read in reads):
            return None
        sources = [read[0] for read in reads]  # type: ignore[index]
        names = sorted(frozenset().union(*(read[1] for read in reads)))  # type: ignore[index]
        try:
            values = [f"{name}={self.fingerprints.of(context[name])}" for name in names if name in context]
            if inputs is not None:
                values.append(self.fingerprints.of(inputs))
        except Unkeyable:
            return None
        return "\0".join([*sources, *values])

    def keep_part(self, site: Site, part: str, files: dict[str, str]) -> None:
        """Keep a part's pages (write.render.render_site), made for site ahead of the rest."""
        if site is self._rendering:
            self._parts[part] = files

    def kept_part(self, site: Site, part: str) -> dict[str, str] | None:
        """The part's pages kept for this very site, once."""
        return self._parts.pop(part, None) if site is self._rendering else None

    def _template_reads(self, env, name: str) -> tuple[str, frozenset[str]] | None:
        """(digest of the sources, variables read) of a template and the templates it uses;
        None when it uses one whose name is only known at run time."""
        if name in self._reads:
            return self._reads[name]
        from jinja2 import meta

        sources, names, todo, seen = [], set(), [name], set()
        result: tuple[str, frozenset[str]] | None = None
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            source = env.loader.get_source(env, current)[0]
            if source not in self._parsed:
                ast = env.parse(source)
                used = frozenset(meta.find_referenced_templates(ast))
                self._parsed[source] = (frozenset(meta.find_undeclared_variables(ast)), None if None in used else used)
            variables, used = self._parsed[source]
            if used is None:
                break
            sources.append(f"{current}\0{source}")
            names |= variables
            todo.extend(sorted(used))
        else:
            result = key_hash("\0".join(sorted(sources))), frozenset(names)
        self._reads[name] = result
        return result

    def data_files(self, site: Site, compute: Callable[[MutableMapping], None], out: MutableMapping) -> None:
        """The search index and exports, computed into out; memoised (resident caches only) by
        what they read: the papers, the names and order of topics and tags, and the site's settings."""

        def made() -> dict:
            files: dict = {}
            compute(files)
            return files

        if not self.cache.resident:
            compute(out)
            return
        reads = (
            site.papers,
            [(t.slug, t.title, t.order) for t in site.topics],
            [(t.slug, t.name, t.group) for t in site.tags],
            site.config,
        )
        try:
            key = self.fingerprints.of(reads)
        except Unkeyable:
            compute(out)
            return
        out.update(self.cache.table("data-files", persistent=False).get_or_compute_nested(key, made))

"""The whole build as one readable function: gather everything, then write.

Every stage reads the model and returns files (relative path -> text or
bytes); nothing touches the output folder until every stage succeeded, and
then output.Staging swaps the new site in atomically.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from litreview.engine.cache import Cache, fingerprint, git_head
from litreview.engine.output import StagedFiles, Staging, WriteResult
from litreview.engine.steps import Steps
from litreview.errors import ErrorCollector, InputError
from litreview.model import Site

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def default_jobs() -> int:
    import os

    return 2 if (os.cpu_count() or 1) >= 2 else 1


@dataclass
class BuildOptions:
    seeds: Path = Path("seeds")
    content: Path = Path("content")
    out: Path = Path("site")
    templates: Path = PROJECT_ROOT / "templates"
    static: Path = PROJECT_ROOT / "static"
    cache: Path | None = Path(".cache")  # None: no cache at all
    force: bool = False  # rebuild even when nothing changed
    jobs: int = field(default_factory=lambda: default_jobs())  # processes for rendering (1: no fork)
    verbose: bool = False


@dataclass
class Timings:
    """Seconds per stage (all shown with --verbose), and progress for long builds.

    A build that is quick stays quiet; once a build has run for more than
    SLOW_AFTER seconds, each stage is reported on stderr as it finishes,
    with what it handled, so a 10,000-paper build shows where it is.
    """

    SLOW_AFTER = 2.0

    stages: dict[str, float] = field(default_factory=dict)
    progress: bool = False
    _start: float = field(default_factory=time.perf_counter)
    _last: float = field(default_factory=time.perf_counter)
    _details: dict[str, str] = field(default_factory=dict)
    _shown: int = 0

    def lap(self, stage: str, detail: str = "") -> None:
        now = time.perf_counter()
        self.stages[stage] = self.stages.get(stage, 0.0) + now - self._last
        self._last = now
        if detail:
            self._details[stage] = detail
        if self.progress and now - self._start > self.SLOW_AFTER:
            self._show()

    @contextmanager
    def within(self, stage: str) -> Iterator[None]:
        """Times a block as `stage`, and leaves it out of the lap it runs in: the reviews are
        made as the render stage asks for them (ReviewStream)."""
        start = time.perf_counter()
        try:
            yield
        finally:
            spent = time.perf_counter() - start
            self.stages[stage] = self.stages.get(stage, 0.0) + spent
            self._last += spent

    def _show(self) -> None:
        import sys

        names = list(self.stages)
        for name in names[self._shown :]:
            detail = f": {self._details[name]}" if name in self._details else ""
            print(f"  {name}{detail} ({self.stages[name]:.1f}s)", file=sys.stderr, flush=True)
        self._shown = len(names)

    def render(self) -> str:
        return "  ".join(f"{name} {secs * 1000:.0f}ms" for name, secs in self.stages.items())


@dataclass
class BuildResult:
    site: Site | None  # None when the output was already up to date
    files_written: int
    files_total: int
    timings: Timings

    def summary(self) -> str:
        if self.site is None:
            return "nothing (no input changed since the last build)"
        return f"{len(self.site.papers)} papers, {len(self.site.topics)} topics, {self.files_total} files"


def load_site(
    seeds: Path,
    content_dir: Path,
    timings: Timings | None = None,
    jobs: int = 1,
    steps: Steps | None = None,
    diagnose: bool = True,
) -> Site:
    """Read seeds and content, classify and extract: the complete model.

    Errors from every file are collected and raised together, so one run
    shows everything that needs fixing. With jobs > 1, classification and
    extraction (with the entities each paper names) of half the papers run
    in a forked child. Without steps, nothing is reused from or kept for
    another build. Without diagnose,
    site.entity_warnings (which only `check` shows) stays empty.
    """
    from litreview.analyse import autotopics, classify, lineage
    from litreview.engine.parallel import fork_map
    from litreview.read import claimkinds, content, history

    timings = timings or Timings()
    steps = steps or Steps()
    errors = ErrorCollector()
    papers = steps.catalogue(seeds, errors)
    timings.lap("parse", f"{len(papers):,} papers")
    loaded = content.load_content(content_dir, errors, read=steps.read_content_file)
    claim_kinds = claimkinds.load_kinds(content_dir, errors)
    old_ids = {alias: p.id for p in papers for alias in p.aliases}
    unknown_papers: list[InputError] = []
    categories, entity_list = steps.load_entities(
        content_dir, errors, [p.id for p in papers], old_ids, unknown_papers if diagnose else None
    )
    timings.lap("content")
    errors.raise_if_any()

    def classify_some(some: list) -> list:
        steps.classify(some, loaded.topics, loaded.tags)
        return [(p.primary_topic, p.topics, p.tags, p.subthemes) for p in some]

    for paper, (primary, topics, tags, subthemes) in zip(papers, fork_map(classify_some, papers, jobs, steps.cache)):
        paper.primary_topic, paper.topics, paper.tags, paper.subthemes = primary, topics, tags, subthemes
    visible, hidden = content.apply_overrides(papers, loaded, errors)
    errors.raise_if_any()
    config = loaded.config
    autotopics.add_automatic_topics(visible, loaded.topics, config.automatic_topics, config.max_uncategorised_share)
    classify.group(visible, loaded.topics, loaded.tags)
    timings.lap("classify", f"{len(visible):,} papers into {len(loaded.topics)} topics and {len(loaded.tags)} tags")

    def extract_some(some: list) -> list:
        steps.extract(some, claim_kinds)
        steps.entities(some, entity_list)  # reads the claims' baselines
        return [(p.tldr, p.claims, p.entities, p.baselines) for p in some]

    extracted = fork_map(extract_some, visible, jobs, steps.cache)
    for paper, (tldr, claims, entities, baselines) in zip(visible, extracted):
        paper.tldr, paper.claims, paper.entities, paper.baselines = tldr, claims, entities, baselines
    timings.lap("extract")
    lineage.link_papers(visible, entity_list)
    lineage.add_landmarks(loaded.topics)
    timings.lap("entities", f"{sum(1 for p in visible if p.entities):,} papers name {len(entity_list)} entities")
    history.added_dates(seeds, visible, steps.seed_dates(seeds))
    timings.lap("history")
    site = Site(
        config=loaded.config,
        papers=visible,
        topics=loaded.topics,
        tags=loaded.tags,
        pages=loaded.pages,
        hidden=hidden,
        warnings=errors.warnings,
        entity_categories=categories,
        entities=entity_list,
        entity_warnings=unknown_papers,
        claim_kinds=list(claim_kinds.names),
    )
    errors.raise_if_any()
    # One answer for "where is the site deployed" (site.yml, else GitHub
    # Pages from the Actions environment), shared by the feed, the sitemap,
    # canonical links and the 404 page.
    from litreview.write.feeds import base_url

    site.config.base_url = base_url(site)
    return site


MANY_PAPERS = 50_000  # from this many papers on, a build forks one worker, not two (render_files)


def render_files(
    site: Site, options: BuildOptions, timings: Timings, staging: Staging | None = None, steps: Steps | None = None
) -> dict[str, str | bytes]:
    """Every output file of the site: in memory, or with staging written there as made.

    The paper pages (with related papers), the search index, the exports and
    the list pages need only the model, so with jobs > 1 two forked workers
    (which share the model copy-on-write) build them while this process
    writes the reviews and renders the topic and other pages: three
    processes, so that both cores stay busy whichever share is the slowest
    (that differs between a cold build and a rebuild with caches). From
    MANY_PAPERS on, this process makes the list pages and data files itself,
    after its own pages: each process holds its copy of the model's memory
    pages, and at that size a third process costs more memory than its
    balancing saves time. Given the
    staging folder, every process writes its files there as it makes them
    (only the hashes are kept, and nothing is returned); without it (check,
    serve) they all come back in memory. The output is byte-identical either way.
    """
    from litreview.engine.parallel import Worker, can_fork
    from litreview.write import feeds, render

    steps = steps or Steps()
    steps.begin_render(site)
    shares = [paper_pages, data_and_lists] if options.jobs > 1 and can_fork() else []
    if shares and len(site.papers) >= MANY_PAPERS:
        shares = [paper_pages]  # this process makes the lists and data files after its own pages
    lists_here = data_and_lists not in shares
    workers = [Worker(lambda share=share: share(site, options, steps, staging), steps.cache) for share in shares]
    files: dict[str, str | bytes] | StagedFiles = staging.sink() if staging is not None else {}
    try:
        reviews = ReviewStream(steps.review_stream(site, options.templates), files, timings)
        env = steps.html_environment(options.templates)
        if not workers:
            steps.related(site, top=render.RELATED_COUNT)
        parts = [render.PAPER_PAGES] if not workers else []
        parts += [render.LIST_PAGES, render.OTHER_PAGES] if lists_here else [render.OTHER_PAGES]
        for part in parts:
            kept = steps.kept_part(site, part)  # made by chosen_pages for serve
            if kept is not None:
                files.update(kept)
            else:
                render.render_site(site, reviews, env, part, steps.markdown, steps.page, files, steps.page_group)
        reviews.finish()
        timings.lap("render")
        if lists_here:
            data_files(site, steps, files)
        names = list(files)
        for worker in workers:
            share = worker.result()
            if isinstance(share, WriteResult):
                staging.adopt(share)  # type: ignore[union-attr]
                names += share.hashes
            else:
                files.update(share)
                names += share
    except BaseException:
        for worker in workers:
            worker.cancel()
        raise
    pages = f"{sum(1 for name in names if name.endswith('.html')):,} pages in all"
    timings.lap("papers+search+export (parallel)" if workers else "search+export", pages)
    files.update(feeds.feed_files(site, pages=names))
    timings.lap("feeds")
    if isinstance(files, StagedFiles):
        staging.adopt(files.result())  # type: ignore[union-attr]
        return {}
    return dict(sorted(files.items()))


def site_files(
    options: BuildOptions, steps: Steps, timings: Timings | None = None, site: Site | None = None
) -> tuple[Site, dict]:
    """Every file of the site in memory, static/ included, built in this process
    (options.jobs is ignored): what `serve` writes after each edit. Given the
    site (loaded by serve_model for chosen_pages), it is not loaded again."""
    from dataclasses import replace

    from litreview.engine.output import static_files

    timings = timings or Timings()
    site = site or serve_model(options, steps, timings)
    files = render_files(site, replace(options, jobs=1), timings, None, steps)
    files.update(static_files(options.static))
    return site, files


def serve_model(options: BuildOptions, steps: Steps, timings: Timings | None = None) -> Site:
    """The model as `serve` loads it: in this process, without `check`'s diagnostics."""
    return load_site(options.seeds, options.content, timings, jobs=1, steps=steps, diagnose=False)


def chosen_pages(
    site: Site, options: BuildOptions, steps: Steps, paths: list[str], related: dict[str, list]
) -> dict[str, str]:
    """The pages at paths alone, as site_files renders them but with the related papers
    given: what `serve` shows before the rest of the site. A paper page, a topic or other
    page is made alone; a list page (tag pages are memoised as a group) with the rest of
    the list pages, which the full rebuild then reuses, for the same site, if nothing in
    them read site.related."""
    from litreview.write import render

    steps.begin_render(site)
    env = steps.html_environment(options.templates)
    made: dict[str, str] = {}
    if any(render.part_of(path) == render.OTHER_PAGES for path in paths):
        reviews = steps.reviews(site, options.templates)
        only = [path for path in paths if render.part_of(path) == render.OTHER_PAGES]
        made.update(render.render_site(site, reviews, env, render.OTHER_PAGES, steps.markdown, steps.page, only=only))
    if any(render.part_of(path) == render.LIST_PAGES for path in paths):
        site.related = tripwire = Unread()
        files = render.render_site(site, {}, env, render.LIST_PAGES, steps.markdown, steps.page, {}, steps.page_group)
        if not tripwire.read:
            steps.keep_part(site, render.LIST_PAGES, files)
        made.update(files)
    ids = [path[len("papers/") : -len(".html")] for path in paths if render.part_of(path) == render.PAPER_PAGES]
    if ids:
        made.update(render.render_some_papers(site, env, ids, related, steps.markdown, steps.page, steps.page_group))
    return {path: made[path] for path in paths if path in made}


class ReviewStream:
    """The reviews as the topic pages ask for them (render_site's reviews.get, in the order of
    the site's topics and pages): each topic's reviews are made when its first page asks,
    written into files at once and handed out once. A build holds one topic's reviews at a
    time instead of all of them (200 MB of Markdown at 100,000 papers, bench/results/scale.md
    section 13); their time is still reported as the stage "review"."""

    def __init__(self, reviews: Iterator[tuple[str, str]], files: MutableMapping, timings: Timings) -> None:
        self._reviews, self._files, self._timings = reviews, files, timings
        self._made: dict[str, str] = {}

    def get(self, stem: str, default: None = None, /) -> str | None:
        while stem not in self._made:
            if not self._next():
                return default
        return self._made.pop(stem)

    def finish(self) -> None:
        """Makes and writes the reviews no page asked for (serve may reuse the pages)."""
        while self._next():
            pass
        self._made.clear()

    def _next(self) -> bool:
        with self._timings.within("review"):
            made = next(self._reviews, None)
        if made is None:
            return False
        stem, text = made
        self._files[f"topics/{stem}.md"] = text
        self._made[stem] = text
        return True


class Unread(Mapping):
    """site.related while serve renders the open pages first: empty, and it notes whether
    anything read it (a page that did cannot be reused once the related papers are known)."""

    def __init__(self) -> None:
        self.read = False

    def __getitem__(self, key):
        self.read = True
        raise KeyError(key)

    def __iter__(self):
        self.read = True
        return iter(())

    def __len__(self) -> int:
        self.read = True
        return 0


def data_files(site: Site, steps: Steps, out: MutableMapping | None = None) -> MutableMapping:
    """The files built from the model alone, search index and exports, put into `out` (a new
    dict without it): given a staging sink, each is written as it is made."""
    from litreview.write import search
    from litreview.write.export import export_files

    def compute(into: MutableMapping) -> None:
        search.search_files(site, steps.search_index, steps.bib_entry, steps.by_papers, steps.term_pieces, into)
        export_files(site, entry=steps.bib_entry, paper_json=steps.paper_json, memo=steps.by_papers, out=into)

    files = {} if out is None else out
    steps.data_files(site, compute, files)
    return files


def data_and_lists(
    site: Site, options: BuildOptions, steps: Steps, staging: Staging | None = None
) -> dict[str, str | bytes] | WriteResult:
    """A worker's share: data_files, the tag pages and the table of all papers.

    Given the staging folder, the worker writes them there itself as they
    are made, and only their hashes go back (see paper_pages)."""
    from litreview.write import render

    files = staging.sink() if staging is not None else {}
    data_files(site, steps, files)
    env = steps.html_environment(options.templates)
    render.render_site(site, {}, env, render.LIST_PAGES, steps.markdown, steps.page, files, steps.page_group)
    return files.result() if isinstance(files, StagedFiles) else files


def paper_pages(site: Site, options: BuildOptions, steps: Steps, staging: Staging | None = None) -> dict | WriteResult:
    """A worker's share: related papers, then the paper pages.

    Given the staging folder, each page is written there as soon as it is
    rendered and only its hash is kept: at 100,000 papers the pages are
    about 2 GB of text, which no process holds at once."""
    from litreview.write import render

    steps.related(site, top=render.RELATED_COUNT)
    env = steps.html_environment(options.templates)
    files = staging.sink() if staging is not None else {}
    render.render_site(site, {}, env, render.PAPER_PAGES, steps.markdown, steps.page, files, steps.page_group)
    return files.result() if isinstance(files, StagedFiles) else files


def input_key(options: BuildOptions) -> str:
    """Fingerprint of everything a build's output depends on."""
    import os

    env = {
        name: os.environ.get(name)
        for name in ("GITHUB_ACTIONS", "GITHUB_REPOSITORY", "GITHUB_SERVER_URL", "SOURCE_DATE_EPOCH")
    }
    return fingerprint(
        [options.seeds, options.content, options.templates, options.static],
        {"head": git_head(options.seeds), "env": env},
    )


@contextmanager
def few_collections(freeze_after: bool = False) -> Iterator[None]:
    """Run the cyclic garbage collector rarely, and never over the model.

    A build allocates millions of objects that live until it ends and makes
    few reference cycles, yet by default Python walks the whole heap again
    and again as it grows (an eighth of a single-process build of 10,000
    papers, measured in bench/). Young objects are still collected, less often; the loaded model
    is frozen (gc.freeze), which also keeps forked workers from copying its
    memory pages just to scan them. Restored afterwards; with freeze_after
    (`serve`), everything still alive is frozen instead: what survives a
    rebuild (the warm caches, the served model) is long-lived, and walking all
    of it again after each edit cost more than a small rebuild. Frozen objects
    are still freed when their last reference goes; only reference cycles
    among them are left alone.
    """
    old = gc.get_threshold()
    gc.set_threshold(20_000, 50, 1000)
    try:
        yield
    finally:
        if freeze_after:
            gc.freeze()
        else:
            gc.unfreeze()
        gc.set_threshold(*old)


def build(options: BuildOptions, steps: Steps | None = None) -> BuildResult:
    """Build the site into options.out. A fresh cache is read from options.cache
    unless steps (with their Cache) are passed in to be shared, as `serve` does."""
    with few_collections():
        return _build(options, steps or Steps(Cache(options.cache)))


def _build(options: BuildOptions, steps: Steps) -> BuildResult:
    timings = Timings(progress=True)
    cache = steps.cache
    key = input_key(options)
    if not options.force and cache.up_to_date(key, options.out):
        timings.lap("fingerprint")
        return BuildResult(site=None, files_written=0, files_total=0, timings=timings)
    timings.lap("fingerprint")
    site = load_site(options.seeds, options.content, timings, jobs=options.jobs, steps=steps, diagnose=False)
    gc.freeze()  # the model lives to the end of the build (see few_collections)
    staging = Staging(options.out, options.static, cache.previous_outputs(options.out))
    try:
        files = render_files(site, options, timings, staging, steps)
        staging.write(files)
        cache.forget()
        written = staging.finish()
    finally:
        staging.discard()
    cache.record(key, options.out, written.hashes)
    cache.save()
    timings.lap("write", f"{written.files:,} files, {written.reused:,} unchanged")
    if options.verbose:
        import sys

        print(timings.render(), file=sys.stderr)
    return BuildResult(
        site=site, files_written=written.files - written.reused, files_total=written.files, timings=timings
    )


@dataclass
class CheckReport:
    errors: list[InputError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def render(self) -> str:
        lines = [e.format() for e in self.errors]
        lines += [f"warning: {w}" for w in self.warnings]
        lines += self.notes
        status = "ok" if self.ok else f"{len(self.errors)} error(s)"
        lines.append(f"check: {status}, {len(self.warnings)} warning(s)")
        return "\n".join(lines)


def check(seeds: Path, content_dir: Path, links: bool = True) -> CheckReport:
    """Validate everything a build reads, without writing anything.

    With links, every page is also rendered in memory and its internal links
    checked, so a broken link fails review before it is deployed.
    """
    from litreview.errors import InputErrors

    report = CheckReport()
    try:
        site = load_site(seeds, content_dir)
    except InputErrors as exc:
        report.errors.extend(exc.errors)
        return report
    except InputError as exc:
        report.errors.append(exc)
        return report
    from litreview.analyse import classify
    from litreview.read.catalogue import catalogue_warnings

    report.warnings.extend(catalogue_warnings(site, seeds) + classify.diagnose(site))
    report.warnings.extend(w.format() for w in site.entity_warnings)
    report.notes.append(f"{len(site.papers)} papers, {len(site.topics)} topics, {len(site.tags)} tags")
    if site.entities:
        named = sum(1 for p in site.papers if p.entities)
        compared = sum(1 for p in site.papers if p.baselines)
        links = sum(len(p.compares_with) for p in site.papers)
        report.notes.append(
            f"{len(site.entities)} entities: {named} papers name one, {compared} compare against one, "
            f"{links} comparisons link two papers"
        )
    if links:
        try:
            report.errors.extend(link_errors(site, BuildOptions(seeds=seeds, content=content_dir), content_dir))
        except InputErrors as exc:
            report.errors.extend(exc.errors)
        except InputError as exc:
            report.errors.append(exc)
    return report


def link_errors(site: Site, options: BuildOptions, content_dir: Path) -> list[InputError]:
    """Broken internal links of the site rendered in memory, traced to content where possible."""
    from litreview.engine.linkcheck import find_broken_links, locate_in_content, static_listing

    files = render_files(site, options, Timings())
    errors = []
    for broken in find_broken_links(files, static_listing(options.static)):
        where = locate_in_content(broken.url, content_dir)
        path, line = where if where else (broken.page, None)
        errors.append(
            InputError(path, line, broken.message(), "link to a page of the site by its file, e.g. ../papers/ID.html")
        )
    return errors

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
| classify     | all topic and tag rules, title, abstract      | primary topic, topics, tags      |
| extract      | title, abstract                               | TL;DR, claims                    |
| markdown     | the Markdown text                             | sanitised HTML, <h2> headings    |
| review       | review template source, the review's data     | the topic's review Markdown      |
| search-index | the search documents                          | the compact lunr index           |
| related      | (state) the last rows, reused where unchanged | related papers                   |

The Jinja environments (with their compiled-template cache) are made
here too, once per Steps, so a resident server compiles each template
once (Jinja's auto_reload picks up an edited one).
"""

from __future__ import annotations

import json
from pathlib import Path

from litreview.engine.cache import Cache, key_hash
from litreview.model import Paper, Site, Tag, Topic


class Steps:
    """The memoised steps of builds that share one Cache."""

    def __init__(self, cache: Cache | None = None):
        self.cache = cache if cache is not None else Cache(None)
        self._html_env: dict[str, object] = {}
        self._md_env: dict[str, object] = {}

    # ------------------------------------------------------------------ analyse

    def classify(self, papers: list[Paper], topics: list[Topic], tags: list[Tag]) -> None:
        """analyse.classify, memoised per paper by the rules, its title and its abstract."""
        from litreview.analyse.classify import Classifier, copies

        rules = json.dumps(
            [[t.slug, t.order, t.title, t.rules] for t in topics] + [[t.slug, t.group, t.rules] for t in tags],
            sort_keys=True,
            default=str,
        )
        rules_hash = key_hash(rules)  # ~50 KB of JSON, hashed once rather than once per paper
        table = self.cache.table("classify")
        classifier: Classifier | None = None

        def compute(paper: Paper) -> tuple:
            nonlocal classifier
            if classifier is None:
                classifier = Classifier(topics, tags)
            classifier.classify(paper)
            return paper.primary_topic, paper.topics, paper.tags

        for paper in papers:
            primary, assigned_topics, assigned_tags = table.get_or_compute(
                "\0".join((rules_hash, paper.title, paper.abstract)), lambda paper=paper: compute(paper)
            )
            paper.primary_topic = primary
            paper.topics = copies(assigned_topics)
            paper.tags = copies(assigned_tags)

    def extract(self, papers: list[Paper]) -> None:
        """analyse.extract, memoised per paper by its title and abstract."""
        from litreview.analyse.extract import extract_one

        table = self.cache.table("extract")
        for paper in papers:
            tldr, claims = table.get_or_compute(
                paper.title + "\0" + paper.abstract, lambda paper=paper: extract_one(paper.title, paper.abstract)
            )
            paper.tldr, paper.claims = tldr, list(claims)

    def related(self, site: Site, top: int) -> None:
        """site.related, reusing the last build's score rows where they cannot have changed."""
        from litreview.analyse.related import related_papers_reusing

        keep = self.cache.keeps_state()
        previous = self.cache.state("related") if keep else None
        site.related, state = related_papers_reusing(site.papers, previous, keep, top=top)
        if keep and state is not None:
            self.cache.keep_state("related", state)

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
        """write.review.render_reviews, each review memoised by the template's source and
        the review's data (plain dataclasses of text and numbers, so their repr names
        everything the template can show)."""
        from litreview.write.review import markdown_environment, render_review, render_reviews

        key = str(templates)
        if key not in self._md_env:
            self._md_env[key] = markdown_environment(templates, self.cache.template_cache())
        table = self.cache.table("review")

        def render(env, source: str, review) -> str:
            return table.get_or_compute(f"{source}\x00{review!r}", lambda: render_review(env, review))

        return render_reviews(site, templates, self._md_env[key], render)  # type: ignore[arg-type]

    def search_index(self, docs: list[dict]) -> dict:
        """write.search.compact_documents, memoised by the documents; on a miss, the term
        counts of every document whose text did not change are reused."""
        import lunr

        from litreview.write.search import compact_documents

        def compute() -> dict:
            keep = self.cache.keeps_state()
            known = self.cache.state("search-terms") if keep else None
            known = known if isinstance(known, dict) else ({} if keep else None)
            index = compact_documents(docs, known)
            if keep:
                self.cache.keep_state("search-terms", known)
            return index

        key = json.dumps({"lunr": lunr.__VERSION__, "docs": docs}, sort_keys=True, ensure_ascii=False)
        return self.cache.table("search-index").get_or_compute(key, compute)

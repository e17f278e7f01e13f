"""The content/ loader: site.yml, topics/*.md, tags.yml, pages/*.md, papers/*.md.

content/ is written by people in pull requests, so this module is strict
and specific: every key of every file is checked against a declared schema
(litreview/schema.py) and every problem is reported with file:line, all in
one run. Nothing here ever writes to content/.

Paper overrides are loaded here but applied by `apply_overrides`, after the
rule-based classification, so a human decision always wins over a rule.
Override semantics:

* title, authors, year, venue, hidden replace the seed values;
* links are listed first, before links found in the abstract;
* topics replaces the rule topics (first = primary topic), then
  add_topics/remove_topics adjust the list; tags/add_tags/remove_tags alike;
* the body of the file becomes the paper's reviewer notes.

Topic.rules and Tag.rules hold the validated rules, with defaults filled in
and every term normalised to {"term": str, "weight": float}, plus
"match": "stem" | "exact" when the term sets it (else the rule set's match):
    {"include": [...], "exclude": [...],
     "fields": {"title": 3.0, "abstract": 1.0}, "min_score": 3.0, "match": "stem"}
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from litreview.errors import ErrorCollector, InputError, did_you_mean
from litreview.model import (
    DEFAULT_MIN_SCORE,
    ENTRY_TYPES,
    Assignment,
    Page,
    Paper,
    SiteConfig,
    Subtheme,
    Tag,
    Topic,
)
from litreview.read.frontmatter import Document, LineDict, LineList, read_document, read_yaml_file, type_name
from litreview.read.schema import (
    INVALID,
    Bool,
    Choice,
    Context,
    Int,
    Key,
    ListOf,
    Match,
    Nested,
    Number,
    Schema,
    Str,
    Term,
    Url,
)
from litreview.utils.slugs import is_safe_slug, slugify

# read(parse, path, display) -> parse(path, display): how a build's steps reuse unchanged files' parses.
Reader = Callable[[Callable[[Path, str], Any], Path, str], Any]

# Page slugs that would overwrite a generated page of the same name.
GENERATED_PAGES = frozenset({"index", "papers", "search", "404", "topics", "tags", "feed", "sitemap", "robots"})
LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
DEFAULT_FIELDS = {"title": 3.0, "abstract": 1.0}

# ---------------------------------------------------------------- schemas

TERMS = ListOf(Term(), "a list of terms")
SLUGS = ListOf(Str(), "a list of slugs")
FIELDS_SCHEMA = Schema(
    [
        Key("title", Number(), default=DEFAULT_FIELDS["title"]),
        Key("abstract", Number(), default=DEFAULT_FIELDS["abstract"]),
    ]
)
RULE_KEYS = [
    Key("include", TERMS, default=list, example="[quantization, low-bit]"),
    Key("exclude", TERMS, default=list, example="[survey]"),
    Key("fields", Nested(FIELDS_SCHEMA), default=lambda: dict(DEFAULT_FIELDS)),
    Key("min_score", Number(), default=DEFAULT_MIN_SCORE),
    Key("match", Match(), default="stem", example="exact"),
]
RULES_SCHEMA = Schema(RULE_KEYS)
# A sub-theme is matched within its topic, so one title word (3 points) or two abstract words place a paper.
SUBTHEME_MIN_SCORE = 2.0
SUBTHEME_SCHEMA = Schema(
    [
        Key("name", Str(), required=True, example="Batching and scheduling"),
        Key("description", Str(nonempty=False), default=""),
        *RULE_KEYS[:3],
        Key("min_score", Number(), default=SUBTHEME_MIN_SCORE),
        *RULE_KEYS[4:],
    ]
)
TOPIC_SCHEMA = Schema(
    [
        Key("title", Str(), required=True, example="Quantization"),
        Key("order", Int(), default=0),
        Key("description", Str(nonempty=False), default=""),
        Key("rules", Nested(RULES_SCHEMA), default=lambda: default_rules()),
        Key("subthemes", ListOf(Nested(SUBTHEME_SCHEMA), "a list of sub-themes"), default=list),
    ]
)
TAG_SCHEMA = Schema(
    [
        Key("name", Str(), required=True, example="FlashAttention"),
        Key("group", Str(), required=True, example="method"),
        *RULE_KEYS,
    ]
)
PAGE_SCHEMA = Schema([Key("title", Str(), required=True, example="About"), Key("order", Int(), default=0)])


def _check_language(out: dict, lines: LineDict, ctx: Context) -> None:
    if not LANGUAGE_RE.match(out["language"]):
        ctx.error(
            lines.line_of("language"),
            f'"language": "{out["language"]}" is not a language tag',
            "use a code such as en or en-GB",
        )


_defaults = SiteConfig()
# `check` thresholds: what a review expects of its own taxonomy (warnings only).
CHECK_SCHEMA = Schema(
    [
        Key("min_papers_per_topic", Int(0), default=_defaults.min_papers_per_topic),
        Key("max_topic_share", Number(), default=_defaults.max_topic_share),
        Key("max_uncategorised_share", Number(), default=_defaults.max_uncategorised_share),
    ]
)
SITE_SCHEMA = Schema(
    [
        Key("title", Str(), default=_defaults.title),
        Key("description", Str(nonempty=False), default=_defaults.description),
        Key("author", Str(nonempty=False), default=_defaults.author),
        Key("language", Str(), default=_defaults.language),
        Key("repo_url", Url(("https",)), default=None),
        Key("branch", Str(), default=_defaults.branch),
        Key("base_url", Url(), default=None),
        Key("automatic_topics", Choice(("auto", "off")), default=_defaults.automatic_topics),
        Key("check", Nested(CHECK_SCHEMA), default=lambda: {k.name: k.default for k in CHECK_SCHEMA.keys.values()}),
    ],
    check=_check_language,
)


class Identifier(Str):
    """A DOI or an arXiv id, stored normalised ("https://doi.org/10.1/X" -> "10.1/x", "1706.03762v2" -> "1706.03762")."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind

    def clean(self, value: str, name: str, line: int | None, ctx: Context) -> Any:
        from litreview.read.references import find_arxiv, normalise_doi

        value = super().clean(value, name, line, ctx)
        if value is INVALID:
            return value
        found = normalise_doi(value) if self.kind == "DOI" else find_arxiv(value)
        if found:
            return found
        example = "10.1145/3079856.3080246" if self.kind == "DOI" else "1706.03762"
        return ctx.error(
            line,
            f'"{name}": "{value}" is not {"a DOI" if self.kind == "DOI" else "an arXiv id"}',
            f"for example {example}",
        )


OVERRIDE_SCHEMA = Schema(
    [
        Key("title", Str()),
        Key("authors", ListOf(Str())),
        Key("year", Int(1800, 2100)),
        Key("venue", Str()),
        Key("doi", Identifier("DOI")),
        Key("arxiv", Identifier("arXiv")),
        Key("url", Url()),
        Key("entry_type", Choice(tuple(ENTRY_TYPES))),
        Key("aliases", SLUGS),
        Key("links", ListOf(Url(), "a list of http(s) URLs")),
        Key("topics", SLUGS),
        Key("add_topics", SLUGS),
        Key("remove_topics", SLUGS),
        Key("tags", SLUGS),
        Key("add_tags", SLUGS),
        Key("remove_tags", SLUGS),
        Key("hidden", Bool()),
    ]
)


def default_rules() -> dict:
    return {
        "include": [],
        "exclude": [],
        "fields": dict(DEFAULT_FIELDS),
        "min_score": DEFAULT_MIN_SCORE,
        "match": "stem",
    }


# ---------------------------------------------------------------- records


@dataclass
class Override:
    """One content/papers/<id>.md: the keys it sets, and where each is."""

    paper_id: str
    path: str
    values: dict[str, Any]  # only the keys the file sets, validated
    lines: dict[str, int]  # key -> file line
    item_lines: dict[str, list[int]]  # list key -> file line of each item
    notes: str = ""

    def line(self, key: str, index: int | None = None) -> int:
        items = self.item_lines.get(key, [])
        if index is not None and index < len(items):
            return items[index]
        return self.lines.get(key, 1)


@dataclass
class Content:
    config: SiteConfig = field(default_factory=SiteConfig)
    topics: list[Topic] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    overrides: list[Override] = field(default_factory=list)


# ---------------------------------------------------------------- loading


def load_content(
    content_dir: Path, errors: ErrorCollector, environ: Mapping[str, str] | None = None, read: Reader | None = None
) -> Content:
    """Everything in content/; a missing folder or file means its defaults.

    read(parse, path, display) returns parse(path, display) for each file (a
    build's steps pass one that reuses the parse of unchanged bytes); what it
    returns is only read, never changed, here.
    """
    content_dir = Path(content_dir)
    if content_dir.exists() and not content_dir.is_dir():
        errors.add(InputError(str(content_dir), None, "content is not a folder", "pass --content DIR"))
        return Content()
    return Content(
        config=load_site_config(content_dir / "site.yml", errors, os.environ if environ is None else environ, read),
        topics=load_topics(content_dir / "topics", errors, read),
        tags=load_tags(content_dir / "tags.yml", errors, read),
        pages=load_pages(content_dir / "pages", errors, read),
        overrides=load_overrides(content_dir / "papers", errors, read),
    )


def _validate(schema: Schema, data: Any, path: str, errors: ErrorCollector, line: int = 1, what: str = "") -> Any:
    ctx = Context(path)
    if not isinstance(data, dict):
        ctx.error(
            line,
            f"{what or 'file'} must be a mapping of keys to values, got {type_name(data)}",
            "write one key: value per line",
        )
        errors.extend(ctx.errors)
        return INVALID
    clean = schema.validate(data, ctx, line)
    errors.extend(ctx.errors)
    return clean


def _read(reader: Any, path: Path, errors: ErrorCollector, read: Reader | None = None) -> Any:
    try:
        return read(reader, path, str(path)) if read is not None else reader(path, str(path))
    except InputError as exc:
        errors.add(exc)
        return INVALID


def load_site_config(
    path: Path, errors: ErrorCollector, environ: Mapping[str, str], read: Reader | None = None
) -> SiteConfig:
    """content/site.yml; repo_url falls back to the GitHub Actions repository."""
    data = _read(read_yaml_file, path, errors, read) if path.is_file() else None
    if data is INVALID:
        return SiteConfig(path=str(path))
    clean = _validate(SITE_SCHEMA, LineDict() if data is None else data, str(path), errors)
    if clean is INVALID:
        return SiteConfig(path=str(path))
    repo_url = clean["repo_url"] or github_actions_repo(environ)
    base_url = clean["base_url"]
    return SiteConfig(
        title=clean["title"],
        description=clean["description"],
        author=clean["author"],
        language=clean["language"],
        repo_url=repo_url.removesuffix("/").removesuffix(".git") if repo_url else None,
        branch=clean["branch"],
        base_url=base_url if base_url is None or base_url.endswith("/") else base_url + "/",
        automatic_topics=clean["automatic_topics"],
        min_papers_per_topic=clean["check"]["min_papers_per_topic"],
        max_topic_share=clean["check"]["max_topic_share"],
        max_uncategorised_share=clean["check"]["max_uncategorised_share"],
        path=str(path),
    )


def github_actions_repo(environ: Mapping[str, str]) -> str | None:
    """https://github.com/owner/name when running in GitHub Actions, else None."""
    server = environ.get("GITHUB_SERVER_URL", "").strip().rstrip("/")
    repo = environ.get("GITHUB_REPOSITORY", "").strip().strip("/")
    if not server.startswith("https://") or not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", repo):
        return None
    return f"{server}/{repo}"


def markdown_files(folder: Path, what: str, errors: ErrorCollector) -> list[tuple[str, Path]]:
    """(slug, path) of every <slug>.md in a folder, by name; other files are errors.

    A file with another extension is almost always a typo that would
    otherwise be silently ignored. Dot files (.gitkeep) and folders are skipped.
    """
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        if path.suffix != ".md":
            errors.add(
                InputError(
                    str(path), None, f"not a {what} file", f"{what} files are Markdown: rename it to {path.stem}.md"
                )
            )
            continue
        found.append((path.stem, path))
    return found


def _slug_error(path: Path, slug: str, what: str) -> InputError:
    better = slugify(slug) or what
    return InputError(
        str(path),
        None,
        f'{what} file name "{slug}" is not a valid slug',
        f"rename it to {better}.md (lowercase letters, digits and single hyphens)",
    )


def load_topics(folder: Path, errors: ErrorCollector, read: Reader | None = None) -> list[Topic]:
    """topics/<slug>.md, sorted by (order, title)."""
    topics = []
    for slug, path in markdown_files(folder, "topic", errors):
        if not is_safe_slug(slug):
            errors.add(_slug_error(path, slug, "topic"))
            continue
        read_topic = _read(read_topic_file, path, errors, read)
        if read_topic is INVALID:
            continue
        doc, clean, subthemes, found = read_topic
        errors.extend(found)
        if clean is INVALID or subthemes is INVALID:
            continue
        topics.append(
            Topic(
                slug=slug,
                title=clean["title"],
                order=clean["order"],
                description=clean["description"],
                intro=doc.body,
                path=doc.path,
                rules=clean["rules"],
                subthemes=list(subthemes),
            )
        )
    return sorted(topics, key=lambda t: (t.order, t.title.casefold(), t.slug))


def read_topic_file(path: Path, display: str) -> tuple:
    """A topic file read and validated: (document, clean front matter, sub-themes, errors found),
    a pure function of the file, so that a build's reader can reuse it while the bytes are the same."""
    doc = read_document(path, display)
    found = ErrorCollector()
    clean = _validate(TOPIC_SCHEMA, doc.meta, doc.path, found, doc.start_line, "front matter")
    subthemes = INVALID if clean is INVALID else load_subthemes(clean["subthemes"], doc, found)
    return doc, clean, subthemes, tuple(found.errors)


def load_subthemes(items: list[dict], doc: Document, errors: ErrorCollector) -> Any:
    """A topic's validated `subthemes:`; two with the same name (slug) is an error at the second."""
    raw = doc.meta.get("subthemes")
    lines = raw.lines if isinstance(raw, LineList) else []
    subthemes: list[Subtheme] = []
    seen: dict[str, int] = {}
    ok = True
    for index, item in enumerate(items):
        line = lines[index] if index < len(lines) else doc.start_line
        slug = slugify(item["name"]) or f"subtheme-{index + 1}"
        if slug in seen:
            errors.add(
                InputError(
                    doc.path,
                    line,
                    f'sub-theme "{item["name"]}" has the same name as the one on line {seen[slug]}',
                    "give each sub-theme its own name, or merge their include terms",
                )
            )
            ok = False
            continue
        seen[slug] = line
        rules = {key: item[key] for key in ("include", "exclude", "fields", "min_score", "match")}
        subthemes.append(Subtheme(item["name"], slug, item["description"], rules))
    return subthemes if ok else INVALID


def load_tags(path: Path, errors: ErrorCollector, read: Reader | None = None) -> list[Tag]:
    """tags.yml: slug -> {name, group, include, exclude, fields, min_score, match}, in file order."""
    if not path.is_file():
        return []
    found = _read(read_tags_file, path, errors, read)
    if found is INVALID:
        return []
    fields, problems = found
    errors.extend(problems)
    return [Tag(slug=slug, name=name, group=group, rules=rules) for slug, name, group, rules in fields]


def read_tags_file(path: Path, display: str) -> tuple[list[tuple[str, str, str, dict]], list[InputError]]:
    """tags.yml read and validated as one (so a build's steps memoise both): each valid tag's
    (slug, name, group, rules), and the errors of the others."""
    data = read_yaml_file(path, display)
    errors = ErrorCollector()
    if data is None:
        return [], []
    if not isinstance(data, LineDict):
        errors.add(
            InputError(
                display,
                1,
                f"tags.yml must map tag slugs to tags, got {type_name(data)}",
                "write slug: then its keys indented below",
            )
        )
        return [], errors.errors
    tags = []
    for slug, value in data.items():
        line = data.line_of(slug)
        if not isinstance(slug, str) or not is_safe_slug(slug):
            better = slugify(str(slug)) or "my-tag"
            errors.add(
                InputError(
                    display,
                    line,
                    f'tag slug "{slug}" is not a valid slug',
                    f"use {better} (lowercase letters, digits and single hyphens)",
                )
            )
            continue
        ctx = Context(display)
        if not isinstance(value, dict):
            ctx.error(
                line,
                f'tag "{slug}" must be a mapping of keys to values, got {type_name(value)}',
                "indent name:, group: and rules below it",
            )
            errors.extend(ctx.errors)
            continue
        clean = TAG_SCHEMA.validate(value, ctx, line, prefix=slug)
        errors.extend(ctx.errors)
        if clean is INVALID:
            continue
        rules = {k: clean[k] for k in ("include", "exclude", "fields", "min_score", "match")}
        tags.append((slug, clean["name"], clean["group"], rules))
    return tags, errors.errors


def load_pages(folder: Path, errors: ErrorCollector, read: Reader | None = None) -> list[Page]:
    """pages/<slug>.md, sorted by (order, title)."""
    pages = []
    for slug, path in markdown_files(folder, "page", errors):
        if not is_safe_slug(slug):
            errors.add(_slug_error(path, slug, "page"))
            continue
        if slug in GENERATED_PAGES:
            errors.add(
                InputError(
                    str(path),
                    None,
                    f'page name "{slug}" clashes with the generated {slug}.html',
                    "choose another file name",
                )
            )
            continue
        doc = _read(read_document, path, errors, read)
        if doc is INVALID:
            continue
        clean = _validate(PAGE_SCHEMA, doc.meta, doc.path, errors, doc.start_line, "front matter")
        if clean is INVALID:
            continue
        pages.append(Page(slug=slug, title=clean["title"], body=doc.body, path=doc.path, order=clean["order"]))
    return sorted(pages, key=lambda p: (p.order, p.title.casefold(), p.slug))


def load_overrides(folder: Path, errors: ErrorCollector, read: Reader | None = None) -> list[Override]:
    """papers/<id>.md, by file name. Ids are checked against the catalogue later."""
    overrides = []
    for paper_id, path in markdown_files(folder, "paper override", errors):
        doc = _read(read_document, path, errors, read)
        if doc is INVALID:
            continue
        override = override_from_document(paper_id, doc, errors)
        if override is not None:
            overrides.append(override)
    return overrides


def override_from_document(paper_id: str, doc: Document, errors: ErrorCollector) -> Override | None:
    clean = _validate(OVERRIDE_SCHEMA, doc.meta, doc.path, errors, doc.start_line, "front matter")
    if clean is INVALID:
        return None
    values = {k: clean[k] for k in doc.meta if k in clean}
    item_lines = {k: list(v.lines) for k, v in doc.meta.items() if isinstance(v, LineList)}
    lines = {k: doc.meta.line_of(k) for k in values}
    return Override(paper_id, doc.path, values, lines, item_lines, doc.body)


# ---------------------------------------------------------------- applying


def apply_overrides(papers: list[Paper], content: Content, errors: ErrorCollector) -> tuple[list[Paper], list[Paper]]:
    """Apply content/papers/<id>.md to the classified papers: (visible, hidden).

    Runs after rule classification, so an override always wins. An override
    naming an unknown paper, topic or tag is an error at its line, with the
    closest known name as a hint.
    """
    by_id = {p.id: p for p in papers}
    topics = {t.slug for t in content.topics}
    tags = {t.slug for t in content.tags}
    for override in content.overrides:
        paper = by_id.get(override.paper_id)
        if paper is None:
            errors.add(_unknown_paper(override, by_id))
            continue
        problems = check_references(override, topics, "topic") + check_references(override, tags, "tag")
        problems += check_aliases(override, by_id)
        if problems:
            errors.extend(problems)
            continue
        apply_override(paper, override)
    return [p for p in papers if not p.hidden], [p for p in papers if p.hidden]


def _unknown_paper(override: Override, by_id: dict[str, Paper]) -> InputError:
    close = did_you_mean(override.paper_id, by_id, listing=None)
    hint = "the file name must be a paper id; `python build.py parse` lists them"
    if close:
        hint = f"{close} The file name must be a paper id"
    return InputError(override.path, 1, f'no paper has the id "{override.paper_id}"', hint)


def check_aliases(override: Override, by_id: dict[str, Paper]) -> list[InputError]:
    """An alias (an old id) must be a safe slug that no paper has now."""
    from litreview.utils.slugs import is_safe_slug

    errors = []
    for index, alias in enumerate(override.values.get("aliases", [])):
        line = override.line("aliases", index)
        if not is_safe_slug(alias):
            errors.append(
                InputError(
                    override.path, line, f'alias "{alias}" is not a paper id', "ids are lowercase words joined by -"
                )
            )
        elif alias in by_id:
            errors.append(
                InputError(
                    override.path,
                    line,
                    f'alias "{alias}" is the id of another paper',
                    "an alias is an id no paper has now",
                )
            )
    return errors


def check_references(override: Override, known: set[str], kind: str) -> list[InputError]:
    """Every topic (or tag) slug an override names must exist, and say one thing."""
    errors = []
    for key in (f"{kind}s", f"add_{kind}s", f"remove_{kind}s"):
        seen: set[str] = set()
        for index, slug in enumerate(override.values.get(key, [])):
            line = override.line(key, index)
            if slug not in known:
                hint = did_you_mean(slug, known, f"the {kind}s are") or f"there are no {kind}s yet"
                errors.append(InputError(override.path, line, f'unknown {kind} "{slug}" in "{key}"', hint))
            elif slug in seen:
                errors.append(
                    InputError(override.path, line, f'{kind} "{slug}" is listed twice in "{key}"', "keep one")
                )
            seen.add(slug)
    both = set(override.values.get(f"add_{kind}s", [])) & set(override.values.get(f"remove_{kind}s", []))
    for slug in sorted(both):
        index = override.values[f"remove_{kind}s"].index(slug)
        errors.append(
            InputError(
                override.path,
                override.line(f"remove_{kind}s", index),
                f'{kind} "{slug}" is both in "add_{kind}s" and "remove_{kind}s"',
                "keep it in one of them",
            )
        )
    return errors


def apply_override(paper: Paper, override: Override) -> None:
    values = override.values
    for key in ("title", "authors", "year", "venue", "hidden", "url", "entry_type"):
        if key in values:
            setattr(paper, key, values[key])
    if "authors" in values:
        paper.group_authors = []
    for key in ("doi", "arxiv"):
        if key in values:
            setattr(paper, key, values[key])
    if "aliases" in values:
        paper.aliases = list(dict.fromkeys([*values["aliases"], *paper.aliases]))
    if "links" in values:
        paper.links = list(dict.fromkeys([*values["links"], *paper.links]))
    paper.notes = override.notes
    paper.override_path = override.path
    paper.topics = _assignments(paper.topics, override, "topic")
    paper.primary_topic = paper.topics[0].slug if paper.topics else None
    paper.tags = _assignments(paper.tags, override, "tag")


def _assignments(current: list[Assignment], override: Override, kind: str) -> list[Assignment]:
    """The rule assignments after topics/add_topics/remove_topics (or the tag keys)."""
    by_slug = {a.slug: a for a in current}
    where = override.path

    def made(slug: str, verb: str, key: str, index: int) -> Assignment:
        score = by_slug[slug].score if slug in by_slug else 0.0
        reason = f"{verb} by {where}:{override.line(key, index)}"
        return Assignment(slug=slug, score=score, reasons=[reason], origin="override")

    values = override.values
    result = list(current)
    if f"{kind}s" in values:
        result = [made(slug, "set", f"{kind}s", i) for i, slug in enumerate(values[f"{kind}s"])]
    have = {a.slug for a in result}
    for i, slug in enumerate(values.get(f"add_{kind}s", [])):
        if slug not in have:
            result.append(made(slug, "added", f"add_{kind}s", i))
            have.add(slug)
    removed = set(values.get(f"remove_{kind}s", []))
    return [a for a in result if a.slug not in removed]

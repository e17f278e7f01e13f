"""The generators under test: litreview and three peers, each behind one interface.

Every generator gets the same papers: litreview reads the seed files, the
peers read one Markdown page per paper (title + abstract) plus one page per
topic listing its papers. Each peer is installed by the benchmark itself if
missing (own venv for the Python ones, Debian's package for Hugo), always
at the version pinned in bench/requirements-<peer>.txt, and is run with its
default theme and its plain build command: what a user gets out of the box.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from corpus import EDIT_MARK, PROJECT_ROOT, Corpus, toggle_seed_edit

from litreview.model import Paper

BENCH_DIR = Path(__file__).resolve().parent


@dataclass
class Doc:
    """One paper as the peers see it."""

    id: str
    title: str
    abstract: str
    topics: list[str]


@dataclass
class Inputs:
    """Everything the peers' input trees are written from."""

    docs: list[Doc]
    topics: dict[str, str]  # slug -> title, in page order
    source: str  # how topics were assigned, for the report
    edit_id: str = ""


@dataclass
class Project:
    """One generator's working folder for one corpus."""

    root: Path
    corpus: Corpus
    edited: bool = False
    extra: dict = field(default_factory=dict)


# --- Markdown for the peers ---------------------------------------------------

MD_ESCAPE = re.compile(r"([\\`*_\[\]])")
LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])")


def md_text(text: str) -> str:
    """Seed text as literal Markdown text: the same minimal escaping for every peer."""
    text = html.escape(text, quote=False)
    text = MD_ESCAPE.sub(r"\\\1", text)
    return LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def yaml_str(text: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def abstract_of(doc: Doc, edited: bool) -> str:
    return doc.abstract + EDIT_MARK if edited else doc.abstract


# --- running tools -------------------------------------------------------------


def run_quiet(argv: list[str], **kwargs) -> str:
    return subprocess.run(argv, check=True, capture_output=True, text=True, **kwargs).stdout.strip()


def ensure_venv(venv: Path, requirements: Path, probe: str) -> None:
    """Create venv and install the pinned requirements unless already done (idempotent)."""
    stamp = venv / ".bench-installed"
    if stamp.exists() and stamp.read_text() == requirements.read_text() and (venv / "bin" / probe).exists():
        return
    print(f"installing {requirements.name} into {venv} ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "-r", str(requirements)], check=True)
    stamp.write_text(requirements.read_text())


def rm(*paths: Path) -> None:
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()


class Generator:
    """A site generator as the benchmark drives it."""

    name = ""

    def __init__(self, work: Path) -> None:
        self.work = work

    def ensure_installed(self, work: Path) -> None: ...

    def version(self, work: Path) -> str:
        raise NotImplementedError

    def setup(self, project: Project, inputs: Inputs) -> None:
        """Write the generator's input tree into project.root."""
        raise NotImplementedError

    def command(self, project: Project) -> list[str]:
        raise NotImplementedError

    def env(self, project: Project) -> dict[str, str]:
        return dict(os.environ)

    def output(self, project: Project) -> Path:
        raise NotImplementedError

    def clean(self, project: Project) -> None:
        """Remove the output and every cache, for a cold build."""
        raise NotImplementedError

    def toggle_edit(self, project: Project, inputs: Inputs) -> None:
        """Edit one paper's abstract in the inputs, or undo that edit."""
        raise NotImplementedError


# --- litreview -------------------------------------------------------------------


class Litreview(Generator):
    """`.venv/bin/python build.py --seeds <dir> --content content --out <dir>`, real content/.

    `source` is the checkout whose build.py, litreview/, templates/, static/
    and content/ are used: the working tree by default, or a snapshot of a
    git commit (run.py --snapshot) so that edits other people make while the
    benchmark runs cannot change what is measured.
    """

    name = "litreview"

    def __init__(self, work: Path, source: Path = PROJECT_ROOT, label: str = "") -> None:
        super().__init__(work)
        self.source = source
        self.label = label
        self.python = PROJECT_ROOT / ".venv" / "bin" / "python"
        if not self.python.exists():
            self.python = Path(sys.executable)
        self._help: str | None = None

    def help_text(self) -> str:
        if self._help is None:
            self._help = run_quiet(
                [str(self.python), str(self.source / "build.py"), "build", "--help"], cwd=self.source
            )
        return self._help

    def cache_option(self) -> bool:
        return "--cache" in self.help_text()

    def version(self, work: Path) -> str:
        if self.label:
            return self.label
        rev = run_quiet(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT)
        dirty = run_quiet(
            ["git", "status", "--porcelain", "--", "litreview", "templates", "static", "content"], cwd=PROJECT_ROOT
        )
        return f"working tree at {rev}{' with uncommitted changes' if dirty else ''}"

    def setup(self, project: Project, inputs: Inputs) -> None:
        project.root.mkdir(parents=True, exist_ok=True)

    def command(self, project: Project) -> list[str]:
        argv = [
            str(self.python),
            str(self.source / "build.py"),
            "build",
            "--seeds",
            str(project.corpus.seeds),
            "--content",
            str(self.source / "content"),
            "--out",
            str(self.output(project)),
            "--verbose",
        ]
        if self.cache_option():
            argv += ["--cache", str(project.root / "cache")]
        return argv

    def env(self, project: Project) -> dict[str, str]:
        env = dict(os.environ)
        # Whatever name a cache variable gets, point it into the project folder.
        for name in cache_env_names(self.source):
            env[name] = str(project.root / "cache")
        return env

    def output(self, project: Project) -> Path:
        return project.root / "site"

    def clean(self, project: Project) -> None:
        rm(self.output(project), project.root / "cache", project.root / ".cache")
        # The build runs with cwd = project.root, so a cwd-relative .cache is
        # already private. Caches that ignore --cache (the search index's
        # .cache/search under the source root) can only be cleared there.
        rm(self.source / ".cache" / "search")
        if not self.cache_option() and not cache_env_names(self.source):
            rm(self.source / ".cache")

    def toggle_edit(self, project: Project, inputs: Inputs) -> None:
        paper: Paper = project.extra["edit_paper"]
        project.edited = toggle_seed_edit(project.corpus, paper)


def snapshot(commit: str, work: Path) -> tuple[Path, str]:
    """Export build.py, litreview/, templates/, static/ and content/ at `commit` into work/litreview-<rev>/."""
    rev = run_quiet(["git", "rev-parse", "--short", commit], cwd=PROJECT_ROOT)
    dest = work / f"litreview-{rev}"
    rm(dest)
    dest.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", rev, "build.py", "litreview", "templates", "static", "content"],
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest, f"commit {rev} (snapshot)"


def cache_env_names(source: Path = PROJECT_ROOT) -> list[str]:
    """Environment variables litreview reads to place its cache, if any."""
    names: set[str] = set()
    for path in (source / "litreview").glob("*.py"):
        names.update(re.findall(r"""environ(?:\.get)?[\[(]\s*["'](LITREVIEW_\w*CACHE\w*)["']""", path.read_text()))
    return sorted(names)


# --- MkDocs ----------------------------------------------------------------------


class MkDocs(Generator):
    """MkDocs, default theme, built-in search plugin (on by default)."""

    name = "mkdocs"

    def venv(self, work: Path) -> Path:
        return work / "venv-mkdocs"

    def ensure_installed(self, work: Path) -> None:
        ensure_venv(self.venv(work), BENCH_DIR / "requirements-mkdocs.txt", "mkdocs")

    def version(self, work: Path) -> str:
        return run_quiet([str(self.venv(work) / "bin" / "mkdocs"), "--version"]).split(" from ")[0]

    def setup(self, project: Project, inputs: Inputs) -> None:
        rm(project.root)
        docs = project.root / "docs"
        (docs / "papers").mkdir(parents=True)
        (docs / "topics").mkdir()
        for doc in inputs.docs:
            self.write_paper(project, doc, edited=False)
        by_topic = papers_by_topic(inputs)
        for slug, title in inputs.topics.items():
            items = "".join(f"- [{md_text(d.title)}](../papers/{d.id}.md)\n" for d in by_topic[slug])
            (docs / "topics" / f"{slug}.md").write_text(f"# {md_text(title)}\n\n{items}", encoding="utf-8")
        index = "".join(f"- [{md_text(t)}](topics/{s}.md)\n" for s, t in inputs.topics.items())
        (docs / "index.md").write_text(f"# Literature review\n\n{index}", encoding="utf-8")
        # An explicit nav of home + topics: without it MkDocs puts every paper
        # in the navigation of every page, which is quadratic in the corpus.
        nav = ["  - Home: index.md", "  - Topics:"]
        nav += [f"    - {yaml_str(t)}: topics/{s}.md" for s, t in inputs.topics.items()]
        config = [
            "site_name: Literature review",
            "use_directory_urls: false",
            "theme:",
            "  name: mkdocs",
            "nav:",
            *nav,
        ]
        (project.root / "mkdocs.yml").write_text("\n".join(config) + "\n", encoding="utf-8")

    def write_paper(self, project: Project, doc: Doc, edited: bool) -> None:
        topics = ", ".join(f"[{t}](../topics/{t}.md)" for t in doc.topics)
        text = f"# {md_text(doc.title)}\n\n{md_text(abstract_of(doc, edited))}\n\nTopics: {topics}\n"
        (project.root / "docs" / "papers" / f"{doc.id}.md").write_text(text, encoding="utf-8")

    def command(self, project: Project) -> list[str]:
        venv = self.venv(self.work)
        return [
            str(venv / "bin" / "mkdocs"),
            "build",
            "-q",
            "-f",
            str(project.root / "mkdocs.yml"),
            "-d",
            str(self.output(project)),
        ]

    def output(self, project: Project) -> Path:
        return project.root / "site"

    def clean(self, project: Project) -> None:
        rm(self.output(project))  # MkDocs keeps no cache

    def toggle_edit(self, project: Project, inputs: Inputs) -> None:
        project.edited = not project.edited
        self.write_paper(project, edit_doc(inputs), project.edited)


# --- Pelican ---------------------------------------------------------------------


class Pelican(Generator):
    """Pelican with Markdown, default theme (notmyidea), articles = papers, pages = topics."""

    name = "pelican"

    def venv(self, work: Path) -> Path:
        return work / "venv-pelican"

    def ensure_installed(self, work: Path) -> None:
        ensure_venv(self.venv(work), BENCH_DIR / "requirements-pelican.txt", "pelican")

    def version(self, work: Path) -> str:
        return "pelican " + run_quiet([str(self.venv(work) / "bin" / "pelican"), "--version"])

    def setup(self, project: Project, inputs: Inputs) -> None:
        rm(project.root)
        content = project.root / "content"
        (content / "papers").mkdir(parents=True)
        (content / "pages").mkdir()
        project.extra["category"] = {d.id: inputs.topics[d.topics[0]] for d in inputs.docs}
        for doc in inputs.docs:
            self.write_paper(project, doc, edited=False)
        by_topic = papers_by_topic(inputs)
        for slug, title in inputs.topics.items():
            items = "".join(f"- [{md_text(d.title)}]({{filename}}/papers/{d.id}.md)\n" for d in by_topic[slug])
            (content / "pages" / f"{slug}.md").write_text(f"Title: {title}\nSlug: {slug}\n\n{items}", encoding="utf-8")
        settings = [
            "AUTHOR = 'bench'",
            "SITENAME = 'Literature review'",
            "SITEURL = ''",
            "PATH = 'content'",
            "TIMEZONE = 'UTC'",
            "DEFAULT_LANG = 'en'",
            "RELATIVE_URLS = True",
            f"CACHE_PATH = {str(project.root / 'cache')!r}",
        ]
        (project.root / "pelicanconf.py").write_text("\n".join(settings) + "\n", encoding="utf-8")

    def write_paper(self, project: Project, doc: Doc, edited: bool) -> None:
        links = ", ".join(f"[{t}]({{filename}}/pages/{t}.md)" for t in doc.topics)
        text = (
            f"Title: {' '.join(doc.title.split())}\nDate: 2024-01-01 00:00\n"
            f"Category: {project.extra['category'][doc.id]}\nSlug: {doc.id}\n\n"
            f"{md_text(abstract_of(doc, edited))}\n\nTopics: {links}\n"
        )
        (project.root / "content" / "papers" / f"{doc.id}.md").write_text(text, encoding="utf-8")

    def command(self, project: Project) -> list[str]:
        venv = self.venv(self.work)
        return [
            str(venv / "bin" / "pelican"),
            str(project.root / "content"),
            "-o",
            str(self.output(project)),
            "-s",
            str(project.root / "pelicanconf.py"),
            "-q",
        ]

    def output(self, project: Project) -> Path:
        return project.root / "output"

    def clean(self, project: Project) -> None:
        rm(self.output(project), project.root / "cache", project.root / "__pycache__")

    def toggle_edit(self, project: Project, inputs: Inputs) -> None:
        project.edited = not project.edited
        self.write_paper(project, edit_doc(inputs), project.edited)


# --- Hugo ------------------------------------------------------------------------

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} | {{ end }}{{ .Site.Title }}</title></head>
<body>
<header><a href="{{ "index.html" | relURL }}">{{ .Site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
{{ .Content }}</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
""",
    "index.html": """{{ define "main" }}<h1>{{ .Site.Title }}</h1>
{{ .Content }}{{ end }}
""",
}


class Hugo(Generator):
    """Debian's hugo with a minimal theme of our own (no theme can be downloaded)."""

    name = "hugo"

    def ensure_installed(self, work: Path) -> None:
        if shutil.which("hugo"):
            return
        if os.geteuid() != 0:
            raise RuntimeError("hugo is missing: install Debian's package with `sudo apt-get install -y hugo`")
        print("installing Debian's hugo ...", file=sys.stderr)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "hugo"], check=True, env=env)

    def version(self, work: Path) -> str:
        return run_quiet(["hugo", "version"]).split(" linux/")[0]

    def setup(self, project: Project, inputs: Inputs) -> None:
        rm(project.root)
        content = project.root / "content"
        (content / "papers").mkdir(parents=True)
        (content / "topics").mkdir()
        for rel, text in HUGO_LAYOUTS.items():
            path = project.root / "layouts" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        for doc in inputs.docs:
            self.write_paper(project, doc, edited=False)
        by_topic = papers_by_topic(inputs)
        for slug, title in inputs.topics.items():
            items = "".join(f"- [{md_text(d.title)}](../papers/{d.id}.html)\n" for d in by_topic[slug])
            text = f"---\ntitle: {yaml_str(title)}\n---\n\n{items}"
            (content / "topics" / f"{slug}.md").write_text(text, encoding="utf-8")
        index = "".join(f"- [{md_text(t)}](topics/{s}.html)\n" for s, t in inputs.topics.items())
        (content / "_index.md").write_text(f"---\ntitle: Literature review\n---\n\n{index}", encoding="utf-8")
        config = [
            'baseURL = "/"',
            'title = "Literature review"',
            "uglyURLs = true",
            "relativeURLs = true",
            'disableKinds = ["taxonomy", "term"]',
        ]
        (project.root / "hugo.toml").write_text("\n".join(config) + "\n", encoding="utf-8")

    def write_paper(self, project: Project, doc: Doc, edited: bool) -> None:
        topics = ", ".join(f"[{t}](../topics/{t}.html)" for t in doc.topics)
        text = f"---\ntitle: {yaml_str(doc.title)}\n---\n\n{md_text(abstract_of(doc, edited))}\n\nTopics: {topics}\n"
        (project.root / "content" / "papers" / f"{doc.id}.md").write_text(text, encoding="utf-8")

    def command(self, project: Project) -> list[str]:
        return [
            "hugo",
            "--quiet",
            "--source",
            str(project.root),
            "--destination",
            str(self.output(project)),
            "--cacheDir",
            str(project.root / "cache"),
        ]

    def output(self, project: Project) -> Path:
        return project.root / "public"

    def clean(self, project: Project) -> None:
        rm(self.output(project), project.root / "cache", project.root / "resources", project.root / ".hugo_build.lock")

    def toggle_edit(self, project: Project, inputs: Inputs) -> None:
        project.edited = not project.edited
        self.write_paper(project, edit_doc(inputs), project.edited)


# --- shared helpers --------------------------------------------------------------


def papers_by_topic(inputs: Inputs) -> dict[str, list[Doc]]:
    by_topic: dict[str, list[Doc]] = {slug: [] for slug in inputs.topics}
    for doc in inputs.docs:
        for slug in doc.topics:
            by_topic[slug].append(doc)
    return by_topic


def edit_doc(inputs: Inputs) -> Doc:
    return next(d for d in inputs.docs if d.id == inputs.edit_id)


GENERATORS: dict[str, type[Generator]] = {g.name: g for g in (Litreview, MkDocs, Pelican, Hugo)}

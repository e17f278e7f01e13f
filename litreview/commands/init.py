"""`init`: start a new review in a fork of this repository or in an empty folder.

It writes a fresh content/ (site.yml from the flags, an empty tags.yml and
entities.yml, a claims.yml that keeps the built-in claim kinds and shows how
to add the field's own, an about page, no topics: the build finds them
automatically) and a seeds/
folder holding one example paper to delete once the group's own export is
there. In an empty folder it first copies litreview's code, tests and
workflows there. Where a review already is (a fork still holding the shipped
one), it replaces seeds/ and content/ only when told to (--replace), and
never touches anything else. Asks for what the flags do not give only on a
terminal.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from litreview.commands.common import display

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# What a new review copies into an empty folder: the code, its tests and CI, not the review.
CODE = (
    "build.py",
    "litreview",
    "templates",
    "static",
    "tests",
    "bench",
    "Makefile",
    "pyproject.toml",
    "requirements.txt",
    "requirements-dev.txt",
    ".github",
    ".ci",
    ".gitignore",
    "LICENSE",
    "README.md",
    "CONTRIBUTING.md",
)
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", "node_modules", "screenshots", ".pytest_cache", "results")
EXAMPLE_SEED = "example.txt"
EXIT_USAGE = 2


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "init",
        help="start a new review here (a fork or an empty folder)",
        description=(
            "Start a new review: content/site.yml from the flags, empty topics (found automatically) and tags, "
            "an about page, and seeds/ with one example paper. In an empty folder, litreview's code, tests and "
            "workflows are copied there first. Replaces an existing review's seeds/ and content/ only with "
            "--replace. Asks for missing values only on a terminal."
        ),
    )
    p.add_argument("folder", nargs="?", type=Path, default=Path("."), help="where (default: the current folder)")
    p.add_argument("--title", help="the review's title")
    p.add_argument("--description", help="one sentence on what the review covers")
    p.add_argument("--author", help="who maintains it")
    p.add_argument("--repository", metavar="URL", help="its GitHub repository, https://github.com/OWNER/NAME")
    p.add_argument("--replace", action="store_true", help="replace the seeds/ and content/ of a review already here")
    p.add_argument("-v", "--verbose", action="store_true", help="tracebacks on internal errors")
    p.set_defaults(handler=run)


def yaml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def pages_url(repository: str) -> str | None:
    """https://github.com/OWNER/NAME -> https://OWNER.github.io/NAME/ (where GitHub Pages serves it)."""
    parts = repository.removesuffix("/").removesuffix(".git").split("/")
    if len(parts) >= 5 and parts[2] == "github.com":
        owner, name = parts[3], parts[4]
        if name.lower() == f"{owner.lower()}.github.io":
            return f"https://{name}/"
        return f"https://{owner}.github.io/{name}/"
    return None


def site_yml(title: str, description: str, author: str, repository: str) -> str:
    lines = [
        "# Site settings. Every key is optional; `python build.py check` reports a",
        "# typo or a wrong type with its line.",
        f"title: {yaml_str(title)}",
        f"description: {yaml_str(description)}",
        f"author: {yaml_str(author)}",
        "language: en",
        "branch: main",
        '# The GitHub repository, for "edit this page" and "suggest a correction" links.',
        "# In GitHub Actions it defaults to the repository being built.",
    ]
    base = pages_url(repository) if repository else None
    lines.append(f"repo_url: {repository}" if repository else "# repo_url: https://github.com/OWNER/NAME")
    lines.append("# The absolute address of the published site, for the feed and sitemap.")
    lines.append(f"base_url: {base}" if base else "# base_url: https://OWNER.github.io/NAME/")
    lines += [
        "# Papers no topic rule places are grouped into automatic topics (auto), or not (off).",
        "automatic_topics: auto",
        "# Thresholds of `check`'s warnings about the taxonomy (warnings never fail a build).",
        "check:",
        "  min_papers_per_topic: 5",
        "  max_topic_share: 0.2",
        "  max_uncategorised_share: 0.05",
    ]
    return "\n".join(lines) + "\n"


TAGS_YML = """\
# Finer labels than topics. Each tag has a name, a group (any word: method,
# organism, assay...; the site lists tags by group) and topic-style rules:
#
# crispr-screens:
#   name: CRISPR screens
#   group: method
#   include: [crispr, {term: knockout screen, weight: 2}]
"""

ENTITIES_YML = """\
# Named things your papers evaluate on and compare against, by category (any
# categories, shown in this order as columns of the comparison tables on
# topic pages). An entity is a name, or a mapping with its other spellings
# and the id of the paper that introduced it (`python build.py parse` lists
# the ids); papers comparing against it then link to that paper. Names match
# as whole words, in the case written.
#
# categories:
#   Instruments:
#     - name: Illumina NovaSeq
#       aliases: [NovaSeq, NovaSeq 6000]
#   Methods:
#     - name: CRISPR-Cas9
#       aliases: [Cas9]
#       paper: a-programmable-dual-rna-guided-dna-endonuclease
#   Datasets:
#     - UK Biobank
categories: {}
"""

CLAIMS_YML = """\
# The kinds of quantitative claim the "results at a glance" tables group
# numbers by, and the words that name them. The built-in kinds (speed,
# memory, energy, accuracy, F1, AUC, correlation, error rates, effect sizes,
# p-values, sample sizes...; litreview/defaults/claims.yml lists them and
# every key) apply unless `defaults: false` is set. Kinds listed here come
# first: their cue words win over the built-in ones, and one named like a
# built-in kind replaces it. A number no kind names is "other".
defaults: true
kinds:
  # binding affinity: [binding affinity, affinity, kd]
  # crop yield: [crop yield, yield]
  # rmsd:                      # a metric read without a unit: "RMSD of 1.2"
  #   metrics: [RMSD]
  #   at most: 100
# units:                       # the kind of a number in an absolute unit
#   ms: latency
"""

EXAMPLE_PAPER = """\
An example paper: delete seeds/example.txt once your own papers are here

Put your reference manager's export, or plain listings (a title line, a blank line, then the abstract), into seeds/. \
With six papers or more the build groups them into automatic topics; `python build.py suggest-topics` turns those \
into topic files you can edit.
"""


def about_page(title: str, description: str, author: str) -> str:
    by = f" It is maintained by {author}." if author else ""
    what = f" {description}" if description else ""
    return f"""---
title: About
order: 10
---

{title} is a literature review.{what}{by}

Papers are grouped into topics by keyword rules in `content/topics/`, or
automatically by their text until those rules are written. Suggestions and
corrections are welcome as pull requests.
"""


def _ask(value: str | None, prompt: str, default: str) -> str:
    if value is not None:
        return value
    if sys.stdin.isatty():
        answer = input(f"{prompt} [{default}]: ").strip()
        return answer or default
    return default


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")]


def run(args: argparse.Namespace) -> int:
    root: Path = args.folder
    if root.exists() and not root.is_dir():
        print(f"build.py init: {display(root)} is not a folder", file=sys.stderr)
        return EXIT_USAGE
    existing = _files(root / "seeds") + _files(root / "content")
    if existing and not args.replace:
        print(
            f"build.py init: {display(root)} already holds a review ({len(_files(root / 'seeds'))} seed file(s), "
            f"{len(_files(root / 'content'))} content file(s)); pass --replace to replace its seeds/ and content/ "
            "(nothing else is touched)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.repository and not args.repository.startswith("https://"):
        print(
            "build.py init: --repository must be an https:// URL, e.g. https://github.com/OWNER/NAME", file=sys.stderr
        )
        return EXIT_USAGE
    title = " ".join(_ask(args.title, "Title of the review", "Literature review").split())
    description = _ask(args.description, "One sentence on what it covers", "")
    author = _ask(args.author, "Maintained by", "")
    repository = _ask(args.repository, "GitHub repository (https://github.com/OWNER/NAME)", "")

    copied = []
    if not (root / "build.py").exists():
        root.mkdir(parents=True, exist_ok=True)
        for name in CODE:
            source = PROJECT_ROOT / name
            if not source.exists() or (root / name).exists():
                continue
            if source.is_dir():
                shutil.copytree(source, root / name, ignore=SKIP)
            else:
                shutil.copy2(source, root / name)
            copied.append(name)
    elif not (root / ".github" / "workflows").is_dir() and (PROJECT_ROOT / ".github" / "workflows").is_dir():
        shutil.copytree(PROJECT_ROOT / ".github" / "workflows", root / ".github" / "workflows", ignore=SKIP)
        copied.append(".github/workflows")

    for name in ("seeds", "content"):
        if (root / name).exists():
            shutil.rmtree(root / name)
    content = root / "content"
    (content / "topics").mkdir(parents=True)
    (content / "topics" / ".gitkeep").write_text("", encoding="utf-8")
    (content / "pages").mkdir()
    (content / "site.yml").write_text(site_yml(title, description, author, repository), encoding="utf-8")
    (content / "tags.yml").write_text(TAGS_YML, encoding="utf-8")
    (content / "entities.yml").write_text(ENTITIES_YML, encoding="utf-8")
    (content / "claims.yml").write_text(CLAIMS_YML, encoding="utf-8")
    (content / "pages" / "about.md").write_text(about_page(title, description, author), encoding="utf-8")
    (root / "seeds").mkdir()
    (root / "seeds" / EXAMPLE_SEED).write_text(EXAMPLE_PAPER, encoding="utf-8")

    where = display(root)
    if copied:
        print(f"copied litreview into {where}: {', '.join(copied)}")
    print(
        f"started {title!r} in {where}: content/ (site.yml, tags.yml, claims.yml, entities.yml, pages/about.md) "
        f"and seeds/{EXAMPLE_SEED}"
    )
    print("next: put your BibTeX/RIS/CSL-JSON export or listings into seeds/, delete seeds/example.txt, run make site")
    return 0

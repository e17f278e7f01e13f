"""`check` renders in memory and reports broken internal links, traced to the content line."""

from __future__ import annotations

import shutil
import subprocess
import sys

from helpers import CONTENT, PROJECT, SEEDS

from litreview.engine.linkcheck import find_broken_links, resolve


def test_resolve_relative_links_against_the_page():
    assert resolve("topics/a.html", "../papers/x.html#top") == "papers/x.html"
    assert resolve("topics/a.html", "b.html?q=1") == "topics/b.html"
    assert resolve("index.html", "https://example.org/x") is None
    assert resolve("index.html", "#main") is None
    assert resolve("index.html", "/papers/x.html") == "/papers/x.html"


def test_broken_root_absolute_and_escaping_links_are_found():
    files = {
        "index.html": '<a href="papers/a.html">a</a><a href="papers/missing.html">m</a>'
        '<link href="static/css/site.css"><a href="/papers/a.html">abs</a><a href="../outside.html">out</a>',
        "papers/a.html": '<a href="../index.html">home</a><img src="../static/logo.svg">',
    }
    broken = find_broken_links(files, {"static/css/site.css"})
    assert [(b.page, b.url) for b in broken] == [
        ("index.html", "papers/missing.html"),
        ("index.html", "/papers/a.html"),
        ("index.html", "../outside.html"),
        ("papers/a.html", "../static/logo.svg"),
    ]


def test_check_reports_a_broken_link_in_a_topic_intro_with_file_and_line(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    topic = sorted((content / "topics").glob("*.md"))[0]
    text = topic.read_text(encoding="utf-8")
    text = text.rstrip("\n") + "\n\nSee [a page that does not exist](no-such-topic.html).\n"
    topic.write_text(text, encoding="utf-8")
    line = text.splitlines().index("See [a page that does not exist](no-such-topic.html).") + 1
    proc = subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), "check", "--seeds", str(SEEDS), "--content", str(content)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1
    output = proc.stdout + proc.stderr
    assert f"{topic}:{line}: broken link to 'no-such-topic.html' on topics/{topic.stem}.html" in output
    assert not (tmp_path / "site").exists()

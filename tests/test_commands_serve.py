"""`serve`: live-reload injection, incremental rebuilds, and the server as a process.

The browser side (reload on change, error overlay, recovery) is in
tests/browser/test_serve.py; these check the parts a browser cannot see:
after every kind of edit the files on disk are byte for byte what a cold
`build` of the same inputs writes, open pages hear of a build at once, and
Ctrl-C stops cleanly and removes the temporary output folder.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import socket
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from helpers import copy_corpus, free_port, serving, stop_serving

from litreview.commands.serve import Preview, changes, error_page, inject
from litreview.engine.pipeline import BuildOptions, build, load_site
from litreview.errors import InputErrors

PROJECT = Path(__file__).resolve().parents[1]


def test_inject_adds_the_external_script_before_body_end() -> None:
    page = b"<html><body><p>x</p></body></html>"
    assert (
        inject(page, 7) == b'<html><body><p>x</p><script src="/__livereload.js?build=7" defer></script></body></html>'
    )


def test_inject_appends_when_there_is_no_body_tag() -> None:
    assert inject(b"<p>x</p>", 1).endswith(b'<script src="/__livereload.js?build=1" defer></script>')


def test_before_the_first_build_a_building_page_reloads_itself() -> None:
    page = error_page(None, 0).decode()
    assert "<h1>Building</h1>" in page
    assert '<script src="/__livereload.js?build=0" defer></script>' in page


def test_error_page_shows_errors_as_text_not_html() -> None:
    page = error_page('content/x.md:3: bad <script>alert(1)</script> "value"', 0).decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page
    assert '<script src="/__livereload.js?build=0" defer></script>' in page


def wait_for(predicate, timeout: float = 90.0, step: float = 0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("timed out")


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def state(port: int) -> dict | None:
    try:
        return json.loads(get(f"http://127.0.0.1:{port}/__livereload")[1])
    except OSError:
        return None


def test_serve_injects_only_into_responses_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    copy_corpus(tmp_path)
    port = free_port()
    with serving(tmp_path, port) as (proc, log):
        wait_for(lambda: (state(port) or {}).get("build") == 1)
        out = Path(wait_for(lambda: re.search(r"serving (\S+) at", log.read_text()))[1])
        status, body = get(f"http://127.0.0.1:{port}/index.html")
        assert status == 200
        assert b'<script src="/__livereload.js?build=1" defer></script></body>' in body
        on_disk = (out / "index.html").read_bytes()
        assert b"__livereload" not in on_disk
        assert body.replace(b'<script src="/__livereload.js?build=1" defer></script>', b"") == on_disk
        assert (
            get(f"http://127.0.0.1:{port}/__livereload.js")[1]
            == (PROJECT / "litreview/commands/livereload.js").read_bytes()
        )
        assert not any(b"__livereload" in p.read_bytes() for p in out.rglob("*") if p.is_file())

        about = tmp_path / "content/pages/about.md"
        about.write_text(about.read_text(encoding="utf-8") + "\nServe test marker.\n", encoding="utf-8")
        wait_for(lambda: (state(port) or {}).get("build") == 2)
        assert b"Serve test marker." in get(f"http://127.0.0.1:{port}/about.html")[1]

        assert stop_serving(proc, log) == 0
        assert "stopped" in log.read_text()
        assert not out.exists(), "the temporary output folder is removed"


def test_an_edit_saved_while_the_first_build_runs_is_heard(tmp_path: Path) -> None:
    # The watch must be in place when changes() returns, before the first build
    # starts: a watch begun after it missed edits saved meanwhile (a CI failure).
    stopping = threading.Event()
    watch = changes([tmp_path], stopping)
    (tmp_path / "intro.md").write_text("saved during the first build\n", encoding="utf-8")
    timer = threading.Timer(30, stopping.set)  # a missed edit fails the test rather than hanging it
    timer.start()
    try:
        assert next(watch, None) == [tmp_path / "intro.md"]
    finally:
        timer.cancel()
        stopping.set()


def test_serve_on_a_busy_port_is_a_usage_error_and_leaves_no_temp_folder(tmp_path: Path, capsys, monkeypatch) -> None:
    import tempfile

    from litreview.cli import main

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        assert main(["serve", "--port", str(busy.getsockname()[1])]) == 2
    assert "try another --port" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def long_abstract_line(root: Path) -> tuple[Path, int]:
    """The seed file and line of the abstract the "one abstract" edit extends."""
    seed = sorted((root / "seeds").glob("*.txt"))[1]
    lines = seed.read_text(encoding="utf-8").split("\n")
    return seed, next(i for i, line in enumerate(lines) if len(line) > 400)


def append_to_an_abstract(root: Path) -> None:
    seed, index = long_abstract_line(root)
    lines = seed.read_text(encoding="utf-8").split("\n")
    lines[index] += " We also report a 3x speedup over the dense baseline."
    seed.write_text("\n".join(lines), encoding="utf-8")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# Each edit a maintainer makes while previewing, in the order they are applied.
EDITS = {
    "topic intro": lambda r: edit(r / "content/topics/quantization.md", "\n---\n", "\n---\nA new first line.\n"),
    "one abstract": append_to_an_abstract,
    "topic rules": lambda r: edit(
        r / "content/topics/pruning-sparsity.md", "include:", "include:\n    - {term: speculative decoding, weight: 9}"
    ),
    "new override": lambda r: (
        (r / "content/papers").mkdir(exist_ok=True)
        or (r / "content/papers/mobilequant-mobile-friendly-quantization-for-on-device-language-models.md").write_text(
            "---\nvenue: MobiCom 2024\ntags: [llm]\n---\nA reviewer note.\n", encoding="utf-8"
        )
    ),
    "edited override": lambda r: edit(
        r / "content/papers/mobilequant-mobile-friendly-quantization-for-on-device-language-models.md",
        "A reviewer note.",
        "A longer reviewer note.",
    ),
    "tag rules": lambda r: edit(r / "content/tags.yml", "include: [lora,", "include: [lora, pruning,"),
    # Other topics' reviews name these (their themes and related topics).
    "tag name": lambda r: edit(r / "content/tags.yml", "name: LoRA and adapters", "name: LoRA and other adapters"),
    "topic title": lambda r: edit(
        r / "content/topics/pruning-sparsity.md", "title: Pruning, sparsity", "title: Pruning and sparsity"
    ),
    # The papers the override changed come back as the seeds have them (not as last build left them).
    "removed override": lambda r: (
        r / "content/papers/mobilequant-mobile-friendly-quantization-for-on-device-language-models.md"
    ).unlink(),
    "new seed file": lambda r: (r / "seeds/zz-added.txt").write_text(
        "A Brand New Paper on Serving\n\nServing large language models is costly because every request holds "
        "memory for its whole context. We present a scheduler that batches requests by their expected length and "
        "serves models 2x faster than vLLM on one GPU, with the same output quality.\n",
        encoding="utf-8",
    ),
    "entity list": lambda r: edit(
        r / "content/entities.yml", "  Hardware:\n", "  Hardware:\n    - {name: A single GPU, aliases: [one GPU]}\n"
    ),
    "page template": lambda r: edit(
        r / "templates/paper.html", '<h2 id="abstract-title">', '<h2 id="abstract-title">The '
    ),
    "base template": lambda r: edit(r / "templates/base.html", "</footer>", "<!-- edited --></footer>"),
    "static file": lambda r: (r / "static/css/site.css").write_text(
        (r / "static/css/site.css").read_text(encoding="utf-8") + "\n/* edited */\n", encoding="utf-8"
    ),
    "removed page": lambda r: (r / "content/pages/about.md").unlink(),
    "removed seed file": lambda r: (r / "seeds/zz-added.txt").unlink(),
    "site title": lambda r: edit(r / "content/site.yml", "title:", "title: Edited"),
}


@pytest.fixture
def editable(tmp_path: Path) -> Path:
    """The fixture corpus with its own templates and static files, for editing all four."""
    copy_corpus(tmp_path)
    for name in ("templates", "static"):
        shutil.copytree(PROJECT / name, tmp_path / name)
    return tmp_path


def options(root: Path, out: str) -> BuildOptions:
    return BuildOptions(
        seeds=root / "seeds",
        content=root / "content",
        out=root / out,
        templates=root / "templates",
        static=root / "static",
        cache=None,
        jobs=1,
    )


def test_after_every_kind_of_edit_the_served_site_equals_a_cold_build(editable: Path) -> None:
    """With pages open in a browser, each rebuild renders them first (serve's Builder) and
    then writes the whole site. After every kind of edit the folder equals a cold build,
    only the files that changed were written, and every open page either shows what is
    now on disk or is listed for reloading."""
    from litreview.commands.serve import Builder, State

    project = editable
    preview = Preview(options(project, "served"))
    state = State()
    builder = Builder(preview, state)
    assert builder.build()
    seed, index = long_abstract_line(project)
    line = seed.read_text(encoding="utf-8").split("\n")[index]
    paper = next(p for p in load_site(project / "seeds", project / "content").papers if line[:100] in p.abstract)
    shown: list[dict[str, bytes]] = []
    show_early = state.show_early
    state.show_early = lambda pages: shown.append(pages) or show_early(pages)  # type: ignore[method-assign]
    written: list[list[str]] = []
    refresh = preview.refresh
    preview.refresh = lambda site=None: (lambda made: written.append(made[1]) or made)(refresh(site))  # type: ignore[method-assign]
    open_pages = [f"papers/{paper.id}.html", "topics/quantization.html", "tags/llm.html", "about.html"]
    with contextlib.ExitStack() as stack:
        for page in open_pages:
            stack.enter_context(state.viewing(page))
        for kind, apply in EDITS.items():
            shown.clear()
            before = tree(project / "served")
            apply(project)
            assert builder.build(), kind
            build(options(project, f"cold-{kind.replace(' ', '-')}"))
            served, cold = tree(project / "served"), tree(project / f"cold-{kind.replace(' ', '-')}")
            assert sorted(served) == sorted(cold), kind
            assert [name for name in served if served[name] != cold[name]] == [], kind
            changed = written[-1]
            assert changed, kind
            assert set(changed) == {n for n in served.keys() | before.keys() if served.get(n) != before.get(n)}, kind
            assert len(changed) < len(served) or kind in ("base template", "site title"), f"{kind}: rewrote everything"
            assert state.early == {} and state.error is None, kind
            for page, early in (shown[0] if shown else {}).items():
                assert page in open_pages, kind
                assert state.pages is None or page in state.pages or served.get(page) == early, (kind, page)
            if kind in ("topic intro", "one abstract", "page template"):
                assert shown, f"{kind}: no open page shown first"
    assert b"3x speedup over the dense baseline" in tree(project / "served")[f"papers/{paper.id}.html"]


def test_a_page_shown_first_that_reads_the_related_papers_is_made_again_with_them(editable: Path) -> None:
    """An open tag page is shown first with the other tag pages (memoised as a group), before
    the related papers are known, and the rest of the rebuild reuses them, unless a page read
    the related papers (here every tag page's template does): then they are made again with
    them. Either way the folder equals a cold build."""
    from litreview.commands.serve import Builder, State

    edit(
        editable / "templates/tag.html", "{% block main %}", "{% block main %}<p>{{ site.related|length }} related</p>"
    )
    preview = Preview(options(editable, "served"))
    state = State()
    builder = Builder(preview, state)
    assert builder.build()
    assert (editable / "served/tags/llm.html").is_file()
    with state.viewing("tags/llm.html"):
        EDITS["one abstract"](editable)
        assert builder.build()
    build(options(editable, "cold"))
    served = tree(editable / "served")
    assert served == tree(editable / "cold")
    assert re.search(rb"<p>[1-9][0-9]* related</p>", served["tags/llm.html"]), "the tag page shows the related papers"


def test_related_papers_are_unread_until_a_page_reads_them() -> None:
    from litreview.engine.pipeline import Unread

    for read in (lambda m: m.get("x"), lambda m: "x" in m, lambda m: list(m), len, bool):
        related = Unread()
        assert not related.read
        read(related)
        assert related.read


@pytest.mark.parametrize(
    ("path", "broken", "fixed", "error"),
    [
        # a page whose YAML does not parse
        (
            "content/pages/about.md",
            lambda text: "---\ntitle: [unclosed\n---\nBroken.\n",
            lambda text: text + "\nFixed.\n",
            "about.md",
        ),
        # a topic that parses but fails validation: read and validated as one memoised parse
        (
            "content/topics/quantization.md",
            lambda text: text.replace("order: 10", "order: tenth", 1),
            lambda text: text.replace("order: 10", "order: 11", 1),
            "quantization.md:3",
        ),
    ],
)
def test_a_broken_edit_fails_every_rebuild_keeps_the_last_good_site_and_the_fix_equals_a_cold_build(
    editable: Path, path: str, broken, fixed, error: str
) -> None:
    project = editable
    preview = Preview(options(project, "served"))
    preview.rebuild()
    good = tree(project / "served")
    edited = project / path
    original = edited.read_text(encoding="utf-8")
    edited.write_text(broken(original), encoding="utf-8")
    for _ in range(2):  # the same broken bytes again: the same error, not a remembered good parse
        with pytest.raises(InputErrors, match=error):
            preview.rebuild()
    assert tree(project / "served") == good
    edited.write_text(fixed(original), encoding="utf-8")
    preview.rebuild()
    build(options(project, "cold"))
    assert tree(project / "served") == tree(project / "cold")


def next_event(stream) -> dict:
    """The next server-sent event's data (keep-alive comments, sent while nothing happens, skipped)."""
    while True:
        line = stream.readline()
        assert line, "the event stream ended"
        if line.startswith(b"data: "):
            assert stream.readline() == b"\n"
            return json.loads(line[len(b"data: ") :])


def test_an_open_page_hears_of_a_new_build_at_once_over_server_sent_events(tmp_path: Path) -> None:
    """The page's stream names it (as livereload.js does): after an edit, that page alone is
    rendered and served first, announced as changed; the full rebuild that follows lists
    no page, since it left the page as shown. A stream that wakes once for both builds (a
    busy machine) hears of them as one, the page listed."""
    copy_corpus(tmp_path)
    port = free_port()
    with serving(tmp_path, port) as (proc, log):
        wait_for(lambda: (state(port) or {}).get("build") == 1)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/__events?page=%2Fabout.html", timeout=60) as events:
            assert events.headers["Content-Type"] == "text/event-stream"
            assert next_event(events) == {"build": 1, "error": None, "pages": None}
            about = tmp_path / "content/pages/about.md"
            about.write_text(about.read_text(encoding="utf-8") + "\nEvent marker.\n", encoding="utf-8")
            heard = next_event(events)
            assert heard["build"] in (2, 3) and heard["error"] is None and heard["pages"] == ["about.html"]
            assert b"Event marker." in get(f"http://127.0.0.1:{port}/about.html")[1]
            if heard["build"] == 2:
                assert next_event(events) == {"build": 3, "error": None, "pages": []}
        assert b"Event marker." in get(f"http://127.0.0.1:{port}/about.html")[1]
        assert stop_serving(proc, log) == 0
        assert "1 open page(s) shown in" in log.read_text(encoding="utf-8")


def test_a_browser_that_missed_builds_hears_of_every_page_they_changed() -> None:
    """An event stream woken once for two builds, or a polling page, is told every page
    changed since the build it has: the page shown early is not lost behind the full
    rebuild that left it as shown. Past the builds remembered, every page reloads."""
    from litreview.commands.serve import State

    state = State()
    state.update(built=True, error=None, pages=None)
    state.show_early({"about.html": b"<p>early</p>"})
    state.update(built=True, error=None, pages=[])
    assert state.snapshot() == {"build": 3, "error": None, "pages": []}
    assert state.snapshot(since=2) == {"build": 3, "error": None, "pages": []}
    assert state.snapshot(since=1) == {"build": 3, "error": None, "pages": ["about.html"]}
    assert state.snapshot(since=0)["pages"] is None  # build 1 changed every page
    assert state.wait_for_change({"build": 1, "error": None, "pages": None}, 0) == state.snapshot(since=1)
    assert state.wait_for_change(state.snapshot(), 0) is None  # nothing new: a keep-alive, not an event
    state.update(built=False, error="content/pages/about.md:1: broken", pages=[])
    assert state.snapshot(since=1) == {"build": 3, "error": "content/pages/about.md:1: broken", "pages": ["about.html"]}
    for _ in range(State.HISTORY):
        state.update(built=True, error=None, pages=["index.html"])
    assert state.snapshot(since=3 + State.HISTORY - 1)["pages"] == ["index.html"]
    assert state.snapshot(since=2)["pages"] is None  # build 3 is forgotten


def test_a_page_counts_as_open_while_its_event_stream_lasts(tmp_path: Path) -> None:
    """What the next edit renders first: the pages whose streams are open, by their site path,
    and no longer a page that went away (its stream notices within a fraction of a second)."""
    from litreview.commands.serve import State, make_server

    state, stopping = State(), threading.Event()
    server = make_server("127.0.0.1", 0, tmp_path, state, stopping)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    try:
        streams = [
            urllib.request.urlopen(f"http://127.0.0.1:{port}/__events?page={quote(page)}", timeout=10)
            for page in ("/papers/a%20b.html", "/topics/", "/../secret.html", "/style.css")
        ]
        for stream in streams:
            assert next_event(stream) == {"build": 0, "error": None, "pages": None}
        assert state.open_pages() == ["papers/a b.html", "topics/index.html"]
        streams[0].close()
        assert wait_for(lambda: state.open_pages() == ["topics/index.html"], timeout=5)
    finally:
        stopping.set()
        with state.changed:
            state.changed.notify_all()
        server.shutdown()
        server.server_close()


def test_a_topic_intro_edit_renders_only_that_topics_page(editable: Path, monkeypatch) -> None:
    """What an intro edit costs in serve: that topic's review and page. The paper and tag
    pages are skipped as groups (not even looked up one by one), and the home page, the
    search page and the neighbouring topics that link to it are not rendered again."""
    import jinja2

    from litreview.write import render

    preview = Preview(options(editable, "served"))
    preview.rebuild()
    rendered: list[str] = []
    original = jinja2.Template.render
    monkeypatch.setattr(
        jinja2.Template, "render", lambda self, *a, **k: rendered.append(self.name) or original(self, *a, **k)
    )
    looked_up: list[str] = []
    for name in ("render_paper", "render_tag", "index_data"):
        function = getattr(render, name)
        monkeypatch.setattr(
            render, name, lambda *a, name=name, function=function: looked_up.append(name) or function(*a)
        )
    EDITS["topic intro"](editable)
    _, changed = preview.rebuild()
    assert sorted(changed) == ["topics/quantization.html", "topics/quantization.md"]
    assert sorted(rendered) == ["review.md.j2", "topic.html"]
    assert looked_up == [], "no paper or tag page is even looked up, the home page's charts are not made"
    EDITS["one abstract"](editable)
    preview.rebuild()
    assert {"render_paper", "render_tag", "index_data"} <= set(looked_up), "an abstract edit looks them up again"


def test_an_abstract_edit_merges_again_only_its_seed_files_papers_and_compiles_no_rules(
    editable: Path, monkeypatch
) -> None:
    """The catalogue merges again only the groups of entries of the edited seed file (the
    others are the very entries merged last build), and the classifier, whose rules did not
    change, is not compiled again to classify the edited paper."""
    from litreview.analyse import classify
    from litreview.read import catalogue

    preview = Preview(options(editable, "served"))
    site, _ = preview.rebuild()
    seed, _ = long_abstract_line(editable)
    in_file = sum(1 for p in site.papers + site.hidden if any(s.file == seed.name for s in p.sources))
    merged: list[int] = []
    merge_group = catalogue.merge_group
    monkeypatch.setattr(catalogue, "merge_group", lambda group, *a: merged.append(len(group)) or merge_group(group, *a))
    compiled: list[int] = []
    init = classify.Classifier.__init__
    monkeypatch.setattr(
        classify.Classifier, "__init__", lambda self, *a, **k: compiled.append(1) or init(self, *a, **k)
    )
    EDITS["one abstract"](editable)
    site, _ = preview.rebuild()
    assert 0 < len(merged) <= in_file < len(site.papers)
    assert compiled == []
    EDITS["tag rules"](editable)
    preview.rebuild()
    assert compiled == [1], "new rules are compiled once"


def test_an_abstract_edit_renders_again_only_the_tag_pages_that_list_the_paper(editable: Path, monkeypatch) -> None:
    """A tag's pages are memoised one by one by the papers each lists: an edited paper renders
    again one page of each of its tags, not every page of them."""
    import jinja2

    from litreview.write import pagination

    monkeypatch.setattr(pagination, "PAGE_SIZE", 3)  # tags of many pages in the small corpus
    preview = Preview(options(editable, "served"))
    site, _ = preview.rebuild()
    pages_of = {t.slug: -(-len(t.papers) // 3) for t in site.tags}
    rendered: list[str] = []
    original = jinja2.Template.render
    monkeypatch.setattr(
        jinja2.Template, "render", lambda self, *a, **k: rendered.append(self.name) or original(self, *a, **k)
    )
    EDITS["one abstract"](editable)
    site, _ = preview.rebuild()
    edited = next(p for p in site.papers if "3x speedup over the dense baseline" in p.abstract)
    assert edited.tag_slugs and sum(pages_of[s] for s in edited.tag_slugs) > len(edited.tag_slugs)
    assert rendered.count("tag.html") == len(edited.tag_slugs)

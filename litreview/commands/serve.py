"""`serve`: build, serve on 127.0.0.1, rebuild what an edit touches, and reload at once.

The server is resident: the loaded model's caches, the compiled templates
and every memoised step (engine/steps.py) stay warm in memory between
edits, so a rebuild recomputes only what the edit touched (a topic intro:
that topic's review and page; an abstract: that paper, the pages that list
it, the related papers and the search index; a template: the pages that use
it) and rewrites only the files whose bytes changed, each atomically. After
every edit the folder equals what a cold `build` of the same inputs writes.

Changes are heard from the operating system (watchfiles: inotify, FSEvents,
ReadDirectoryChangesW) rather than polled, and open pages are told at once
over server-sent events. Preview only: the live-reload script is injected
into HTML responses as they are served, never into files on disk. A failed
rebuild keeps the last good site online, prints the errors, and shows them
in an overlay in the browser until a fix builds.
"""

from __future__ import annotations

import argparse
import html
import itertools
import json
import select
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, unquote, urlsplit

from litreview.commands.common import display
from litreview.errors import InputError, InputErrors

LIVERELOAD_JS = Path(__file__).resolve().parent / "livereload.js"
SCRIPT_PATH = "/__livereload.js"
STATE_PATH = "/__livereload"
EVENTS_PATH = "/__events"
KEEPALIVE_SECONDS = 15.0
CHECK_SECONDS = 0.1  # how often an event stream checks that its page is still there
SETTLE_MS = 5  # an editor's save is often several writes, a millisecond or two apart: wait this long after the last
MAX_GROUP_MS = 500  # changes that keep coming (a checkout, a script) still rebuild at least this often
WAKE_MS = 100  # with nothing changed, the watch reports "nothing yet" this often


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="build, serve on 127.0.0.1 and rebuild and reload on change",
        description=(
            "Build the site, serve it on http://HOST:PORT/, watch seeds/, content/, templates/ and static/, "
            "rebuild what each edit touches and reload open pages. Build errors are printed and shown in the "
            "browser while the last good build stays online. Ctrl-C stops."
        ),
    )
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--seeds", type=Path, default=Path("seeds"), metavar="DIR", help="seed listings (default: seeds)")
    p.add_argument(
        "--content", type=Path, default=Path("content"), metavar="DIR", help="human-edited content (default: content)"
    )
    p.add_argument(
        "--out", type=Path, metavar="DIR", help="output folder (default: a temporary folder, removed on exit)"
    )
    p.add_argument("-v", "--verbose", action="store_true", help="time each stage; tracebacks on internal errors")
    p.set_defaults(handler=run)


@dataclass
class State:
    """What the browser is told (the last good build's number, the current error and the pages
    builds changed), the pages shown ahead of the rest of a rebuild, and the pages open
    in browsers."""

    build: int = 0
    error: str | None = None
    pages: list[str] | None = None  # site paths of the pages the last build changed; None: every page
    changed: threading.Condition = field(default_factory=threading.Condition)
    early: dict[str, bytes] = field(default_factory=dict)  # site path -> page, served instead of the file
    viewers: Counter[str] = field(default_factory=Counter)  # site path -> open event streams
    # build number -> the pages it changed, for the last HISTORY builds: a browser that missed
    # builds (its stream woke once for two, or it polls) is told every page they changed.
    history: dict[int, list[str] | None] = field(default_factory=dict)

    HISTORY: ClassVar[int] = 64

    def snapshot(self, since: int | None = None) -> dict:
        """The state now; with since (the build a browser has), the pages changed after it."""
        with self.changed:
            return self._now(since)

    def _now(self, since: int | None = None) -> dict:
        pages = self.pages if since is None else self._pages_since(since)
        return {"build": self.build, "error": self.error, "pages": pages}

    def _pages_since(self, since: int) -> list[str] | None:
        changed: set[str] = set()
        for build in range(max(since, 0) + 1, self.build + 1):
            pages = self.history.get(build)
            if pages is None:  # every page, or a build too old to remember
                return None
            changed.update(pages)
        return sorted(changed)

    def _built(self, pages: list[str] | None) -> None:
        self.build += 1
        self.pages = pages
        self.history[self.build] = pages
        self.history.pop(self.build - self.HISTORY, None)

    def update(self, built: bool, error: str | None, pages: list[str] | None = None) -> None:
        """A rebuild ended (its files written, or failed): what was shown early is now on disk or void."""
        with self.changed:
            if built:
                self._built(pages)
            self.error = error
            self.early = {}
            self.changed.notify_all()

    def show_early(self, pages: dict[str, bytes]) -> None:
        """Serve these pages (open in a browser) now, ahead of the rest of the rebuild."""
        with self.changed:
            self._built(sorted(pages))
            self.error = None
            self.early = dict(pages)
            self.changed.notify_all()

    def early_page(self, path: str) -> bytes | None:
        with self.changed:
            return self.early.get(path)

    def open_pages(self) -> list[str]:
        with self.changed:
            return sorted(path for path, count in self.viewers.items() if count > 0)

    @contextmanager
    def viewing(self, path: str | None) -> Iterator[None]:
        """Count path as open in a browser while its event stream lasts."""
        if path is None:
            yield
            return
        with self.changed:
            self.viewers[path] += 1
        try:
            yield
        finally:
            with self.changed:
                self.viewers[path] -= 1
                if self.viewers[path] <= 0:
                    del self.viewers[path]

    def wait_for_change(self, seen: dict, timeout: float) -> dict | None:
        """The state once a build or the error differs from seen, its pages those changed by
        every build after seen's; None if nothing did within timeout."""
        with self.changed:
            if not self.changed.wait_for(lambda: (self.build, self.error) != (seen["build"], seen["error"]), timeout):
                return None
            return self._now(since=seen["build"])


def site_page(url: str) -> str | None:
    """The site path of the page a URL shows ("/" is index.html, "/a/" is a/index.html);
    None for anything that is not a plain .html path inside the site."""
    path = unquote(urlsplit(url).path).lstrip("/")
    if path == "" or path.endswith("/"):
        path += "index.html"
    if not path.endswith(".html") or any(part in ("", ".", "..") for part in path.split("/")) or "\\" in path:
        return None
    return path


MAX_LISTED_PAGES = 500  # past this many changed pages, every open page reloads


def pages_to_reload(changed: list[str], files: dict, early: dict[str, bytes]) -> list[str] | None:
    """The pages a rebuild changed as the browser has them: the pages it wrote or removed,
    and those shown early, less the pages shown early with the bytes they now have on disk.
    A change under static/ (styles, scripts) reloads every page; one to the search index,
    the search page."""
    pages: set[str] = set()
    for name in sorted({*changed, *early}):
        if name.startswith("static/"):
            return None
        if name.endswith(".html"):
            data = files.get(name)
            final = data.encode() if isinstance(data, str) else data
            if name not in early or early[name] != final:
                pages.add(name)
        elif name.startswith("search"):
            pages.add("search.html")
    return sorted(pages) if len(pages) <= MAX_LISTED_PAGES else None


def format_failure(exc: BaseException) -> str:
    if isinstance(exc, InputErrors):
        lines = [e.format() for e in exc.errors]
    elif isinstance(exc, InputError):
        lines = [exc.format()]
    else:
        lines = ["internal error: " + traceback.format_exception_only(type(exc), exc)[-1].strip()]
    return "\n".join(lines)


class Preview:
    """The resident site: one warm cache for every rebuild, and an output folder
    that is updated file by file."""

    def __init__(self, options):
        from litreview.engine.cache import Cache
        from litreview.engine.output import LiveFolder
        from litreview.engine.steps import Steps

        cache = Cache(None, resident=True)  # kept in memory between edits, never written to disk
        self.options = options
        self.steps = Steps(cache)
        self.folder = LiveFolder(options.out)
        self.related: dict[str, list[tuple[str, float]]] = {}  # last good build's, by paper id
        self._related_made: dict | None = None  # site.related of the last build, until tidy()

    def rebuild(self):
        """Rebuild into the folder and tidy the caches; returns (site, files written or removed).
        Raises on bad input, leaving the folder as it was."""
        site, changed = self.refresh()
        self.tidy()
        return site, changed

    def first_pages(self, paths: list[str]):
        """(the model, the pages at paths): the pages open in a browser, rendered from the
        edited inputs before the rest of the site, with last build's related papers (the
        full rebuild that follows, given this model, brings those up to date). Raises on bad
        input."""
        from litreview.engine.pipeline import chosen_pages, few_collections, serve_model

        with few_collections(freeze_after=True):  # as refresh: the model lives on
            site = serve_model(self.options, self.steps)
            by_id = {paper.id: paper for paper in site.papers}
            related = {
                pid: [(by_id[other], score) for other, score in self.related.get(pid, []) if other in by_id]
                for pid in (path[len("papers/") : -len(".html")] for path in paths)
            }
            return site, chosen_pages(site, self.options, self.steps, paths, related)

    def refresh(self, site=None):
        """rebuild() up to writing the files: what the browser waits for. Given the model
        (from first_pages), it is not loaded again."""
        from litreview.engine.pipeline import Timings, few_collections, site_files

        timings = Timings()
        with few_collections(freeze_after=True):  # what survives a rebuild is not walked again
            site, files = site_files(self.options, self.steps, timings, site)
            changed = self.folder.update(files)
        timings.lap("write", f"{len(changed)} files changed")
        if self.options.verbose:
            print(timings.render(), file=sys.stderr)
        self._related_made = site.related
        return site, changed

    def tidy(self) -> None:
        """Drop what the last build no longer used from the caches (in memory), and keep its
        related papers by id for the next first_pages. Freeing an old search index or
        related-papers table takes a few milliseconds, so the server does it after telling
        the browser."""
        if self._related_made is not None:
            self.related = {pid: [(p.id, score) for p, score in found] for pid, found in self._related_made.items()}
            self._related_made = None
        self.steps.cache.save()


class Builder:
    """Runs rebuilds of a Preview and records the outcome in State.

    With pages open in a browser (their event streams say which), a rebuild
    first renders those pages alone from the edited inputs and serves them
    (Hugo's server does the same in its fast render mode), then builds the
    rest and writes the whole site; the browser reloads a page again only if
    the full rebuild changed it further (its related papers, say)."""

    def __init__(self, preview: Preview, state: State, verbose: bool = False):
        self.preview = preview
        self.state = state
        self.verbose = verbose

    def build(self) -> bool:
        started = time.perf_counter()
        early: dict[str, bytes] = {}
        shown = ""
        try:
            site = None
            # The open pages the last build made (a missing page shows the 404 page: nothing to render first).
            made = self.preview.folder.files or {}
            viewed = [path for path in self.state.open_pages() if path in made]
            if viewed:
                site, pages = self.preview.first_pages(viewed)
                early = {path: text.encode() for path, text in pages.items() if made.get(path) != text}
                if early:
                    self.state.show_early(early)
                    shown = f" ({len(early)} open page(s) shown in {(time.perf_counter() - started) * 1000:.0f} ms)"
            site, changed = self.preview.refresh(site)
        except Exception as exc:  # any failure keeps the last good site online
            message = format_failure(exc)
            # Logged before the browser is told, so that whoever hears of the build finds its log.
            print(message, file=sys.stderr)
            still = "still serving the last good build" if self.state.build else "no good build to serve yet"
            print(f"build failed; {still}", file=sys.stderr)
            if self.verbose and not isinstance(exc, (InputError, InputErrors)):
                traceback.print_exc()
            # A page shown early goes back to the last good build's: it reloads, under the error.
            self.state.update(built=bool(early), error=message, pages=sorted(early))
            return False
        # A rebuild that changed no file reloads nothing, but a shown error is cleared.
        first = self.state.build == 0
        pages = None if first else pages_to_reload(changed, self.preview.folder.files or {}, early)
        elapsed = (time.perf_counter() - started) * 1000
        counts = f"{len(site.papers)} papers, {len(site.topics)} topics"
        # Logged before the browser is told (as a failure is): a client that hears of the build
        # and stops the server at once still finds its line in the log.
        print(f"built {counts}: {len(changed)} files changed in {elapsed:.0f} ms{shown}", file=sys.stderr)
        self.state.update(built=bool(changed) or first or bool(early), error=None, pages=pages)
        self.preview.tidy()
        return True


def inject(page: bytes, build: int) -> bytes:
    """Add the live-reload script to an HTML page, before </body> when there is one."""
    tag = f'<script src="{SCRIPT_PATH}?build={build}" defer></script>'.encode()
    lower = page.lower()
    at = lower.rfind(b"</body>")
    return page[:at] + tag + page[at:] if at != -1 else page + tag


def error_page(error: str | None, build: int) -> bytes:
    """Served until there is a first good build: "building" or the errors, as text."""
    if error is None:
        title, lead, detail = "Building", "The site is being built; this page reloads when it is ready.", ""
    else:
        title, lead = "Build failed", "Fix the problems below; this page reloads when the site builds."
        detail = f"<pre>{html.escape(error)}</pre>"
    text = (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{title}</title></head><body>"
        f"<h1>{title}</h1><p>{lead}</p>{detail}</body></html>"
    )
    return inject(text.encode(), build)


class Handler(SimpleHTTPRequestHandler):
    """Static files from the output folder, plus the live-reload endpoints."""

    state: State
    stopping: threading.Event

    def log_message(self, format: str, *args) -> None:
        pass

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        route = self.path.split("?", 1)[0]
        if route == SCRIPT_PATH:
            return self.send_bytes(LIVERELOAD_JS.read_bytes(), "text/javascript; charset=utf-8")
        if route == STATE_PATH:
            since = parse_qs(urlsplit(self.path).query).get("since", [""])[0]
            snapshot = self.state.snapshot(int(since) if since.isdigit() else None)
            return self.send_bytes(json.dumps(snapshot).encode(), "application/json")
        if route == EVENTS_PATH:
            return self.send_events()
        state = self.state.snapshot()
        if state["build"] == 0:
            status = 503 if state["error"] is None else 500
            return self.send_bytes(error_page(state["error"], 0), "text/html; charset=utf-8", status)
        path = Path(self.translate_path(self.path))
        if path.is_dir() and route.endswith("/"):
            path = path / "index.html"
        shown = self.state.early_page(site_page(route) or "")
        if shown is not None:
            return self.send_bytes(inject(shown, state["build"]), "text/html; charset=utf-8")
        if path.suffix == ".html" and path.is_file():
            return self.send_bytes(inject(path.read_bytes(), state["build"]), "text/html; charset=utf-8")
        if not path.exists() and (Path(self.directory) / "404.html").is_file():
            page = (Path(self.directory) / "404.html").read_bytes()
            return self.send_bytes(inject(page, state["build"]), "text/html; charset=utf-8", 404)
        return super().do_HEAD() if self.command == "HEAD" else super().do_GET()

    def send_events(self) -> None:
        """Server-sent events: the state now, then every change as it happens, listing the
        pages changed by every build since the last event (two quick builds, the open pages
        shown early and then the rest, may reach a busy server's stream as one). The page
        that listens (?page=its path) counts as open while it does (Builder shows it first)."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        if self.command == "HEAD":
            return
        page = parse_qs(urlsplit(self.path).query).get("page", [None])[0]
        seen = self.state.snapshot()
        with self.state.viewing(site_page(page) if page else None):
            try:
                self.wfile.write(f"data: {json.dumps(seen)}\n\n".encode())
                self.wfile.flush()
                quiet_since = time.monotonic()
                while not self.stopping.is_set():
                    # Woken often enough to see a page that went away (it is no longer open, so
                    # the next edit does not render it first), or to keep the stream alive.
                    now = self.state.wait_for_change(seen, CHECK_SECONDS)
                    if now is not None:
                        message = f"data: {json.dumps(now)}\n\n"
                    elif hung_up(self.connection):
                        break
                    elif time.monotonic() - quiet_since >= KEEPALIVE_SECONDS:
                        message = ": keep-alive\n\n"
                    else:
                        continue
                    self.wfile.write(message.encode())
                    self.wfile.flush()
                    seen, quiet_since = now or seen, time.monotonic()
            except OSError:  # the page went away
                pass

    def send_bytes(self, data: bytes, content_type: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


def hung_up(connection: socket.socket) -> bool:
    """Whether the other end closed this connection (an event stream's page never sends more)."""
    try:
        readable, _, _ = select.select([connection], [], [], 0)
        return bool(readable) and connection.recv(1, socket.MSG_PEEK) == b""
    except (OSError, ValueError):
        return True


def make_server(host: str, port: int, out: Path, state: State, stopping: threading.Event) -> ThreadingHTTPServer:
    handler = type("BoundHandler", (Handler,), {"state": state, "stopping": stopping})
    server = ThreadingHTTPServer((host, port), partial(handler, directory=str(out)))
    server.daemon_threads = True
    return server


def stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def watched_roots(args: argparse.Namespace, options) -> list[Path]:
    return [args.seeds, args.content, options.templates, options.static]


def changes(roots: list[Path], stopping: threading.Event) -> Iterator[list[Path]]:
    """Sets of changed paths under roots, as the operating system reports them.

    The watch is in place when this returns, before the first build reads a
    file: an edit saved while that build runs is heard and rebuilds after it.
    (A watch begun after the build missed it, and the edit never showed.)
    """
    import watchfiles

    existing = [str(root) for root in roots if root.exists()]
    reports = watchfiles.watch(
        *existing,
        stop_event=stopping,
        step=SETTLE_MS,
        debounce=MAX_GROUP_MS,
        rust_timeout=WAKE_MS,
        raise_interrupt=False,
        yield_on_timeout=True,
    )
    first = next(reports, set())  # the first report, even "nothing yet", comes once the watch is set up

    def changed_sets() -> Iterator[list[Path]]:
        for found in itertools.chain([first], reports):
            if found:
                yield sorted({Path(path) for _change, path in found})

    return changed_sets()


def run(args: argparse.Namespace) -> int:
    from litreview.engine.pipeline import BuildOptions

    temporary = args.out is None
    out = Path(tempfile.mkdtemp(prefix="litreview-serve-")) / "site" if temporary else args.out
    # jobs=1: builds run beside the server's threads, where forking is unsafe.
    options = BuildOptions(seeds=args.seeds, content=args.content, out=out, verbose=args.verbose, jobs=1)
    state = State()
    stopping = threading.Event()
    builder = Builder(Preview(options), state, args.verbose)
    roots = watched_roots(args, options)
    try:
        server = make_server(args.host, args.port, out, state, stopping)
    except OSError as exc:
        if temporary:
            shutil.rmtree(out.parent, ignore_errors=True)
        print(
            f"build.py serve: error: cannot listen on {args.host}:{args.port}: {exc.strerror} (try another --port)",
            file=sys.stderr,
        )
        return 2
    # SIGTERM (e.g. from a test or a process manager) stops as cleanly as Ctrl-C, and so does
    # SIGINT even when serve was started with it ignored (a background job of a script: Python
    # then leaves it ignored, and the watch would never stop).
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    thread = threading.Thread(target=server.serve_forever, name="serve", daemon=True)
    try:
        thread.start()  # serve a "building" page while the first build runs
        host, port = server.server_address[:2]
        print(f"serving {out} at http://{host}:{port}/; Ctrl-C stops", file=sys.stderr)
        print(f"watching {', '.join(display(r) for r in roots)}", file=sys.stderr)
        sys.stderr.flush()
        watch = changes(roots, stopping)
        builder.build()
        sys.stderr.flush()
        for changed in watch:
            shown = ", ".join(display(c) for c in changed[:3]) + (
                f" and {len(changed) - 3} more" if len(changed) > 3 else ""
            )
            print(f"changed: {shown}", file=sys.stderr)
            builder.build()
            sys.stderr.flush()
    except KeyboardInterrupt:
        pass
    finally:
        stopping.set()
        with state.changed:
            state.changed.notify_all()  # event streams see the stop and end
        if thread.is_alive():
            server.shutdown()
        server.server_close()
        if temporary:
            shutil.rmtree(out.parent, ignore_errors=True)
        print("stopped", file=sys.stderr)
    return 0

"""`serve`: build, serve on 127.0.0.1, rebuild on change and live-reload.

Preview only: the live-reload script is injected into HTML responses as
they are served (never into files on disk), so the built site stays the
same as `build` makes it. A failed rebuild keeps the last good site
online, prints the errors, and shows them in an overlay in the browser
until a fix builds. Changes are found by polling modification times every
half second: a few hundred files, no dependency, and it works the same on
every platform and file system.
"""

from __future__ import annotations

import argparse
import html
import json
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from litreview.commands.common import display
from litreview.errors import InputError, InputErrors

LIVERELOAD_JS = Path(__file__).resolve().parent / "livereload.js"
SCRIPT_PATH = "/__livereload.js"
STATE_PATH = "/__livereload"
POLL_SECONDS = 0.5
IGNORED_PARTS = (".git", "__pycache__", ".DS_Store")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="build, serve on 127.0.0.1 and rebuild and reload on change",
        description=(
            "Build the site, serve it on http://HOST:PORT/, watch seeds/, content/, templates/ and static/, "
            "rebuild on change and reload open pages. Build errors are printed and shown in the browser while "
            "the last good build stays online. Ctrl-C stops."
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
    p.add_argument("-v", "--verbose", action="store_true", help="time each build; tracebacks on internal errors")
    p.set_defaults(handler=run)


@dataclass
class State:
    """What the browser polls: the last good build's number and the current error."""

    build: int = 0
    error: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def snapshot(self) -> dict:
        with self.lock:
            return {"build": self.build, "error": self.error}


def format_failure(exc: BaseException) -> str:
    if isinstance(exc, InputErrors):
        lines = [e.format() for e in exc.errors]
    elif isinstance(exc, InputError):
        lines = [exc.format()]
    else:
        lines = ["internal error: " + traceback.format_exception_only(type(exc), exc)[-1].strip()]
    return "\n".join(lines)


class Builder:
    """Runs builds and records the outcome in State."""

    def __init__(self, options, state: State, verbose: bool = False):
        self.options = options
        self.state = state
        self.verbose = verbose

    def build(self) -> bool:
        from litreview.engine.pipeline import build

        started = time.perf_counter()
        try:
            result = build(self.options)
        except Exception as exc:  # any failure keeps the last good site online
            message = format_failure(exc)
            with self.state.lock:
                self.state.error = message
            print(message, file=sys.stderr)
            still = "still serving the last good build" if self.state.build else "no good build to serve yet"
            print(f"build failed; {still}", file=sys.stderr)
            if self.verbose and not isinstance(exc, (InputError, InputErrors)):
                traceback.print_exc()
            return False
        with self.state.lock:
            # An up-to-date build (site None) changed no file: no reload, but a shown error is cleared.
            if getattr(result, "site", True) is not None or self.state.build == 0:
                self.state.build += 1
            self.state.error = None
        print(f"built {result.summary()} in {time.perf_counter() - started:.2f}s", file=sys.stderr)
        return True


def snapshot(roots: list[Path]) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file under roots: cheap enough to poll twice a second."""
    found: dict[str, tuple[int, int]] = {}
    for root in roots:
        if not root.exists():
            found[str(root)] = (-1, -1)
            continue
        paths = [root] if root.is_file() else root.rglob("*")
        for path in paths:
            if any(part in IGNORED_PARTS for part in path.parts) or path.name.endswith(("~", ".swp", ".swx")):
                continue
            try:
                stat = path.stat()
            except OSError:
                continue
            if path.is_file():
                found[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return found


def changed(before: dict, after: dict) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


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

    def log_message(self, format: str, *args) -> None:
        pass

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        route = self.path.split("?", 1)[0]
        if route == SCRIPT_PATH:
            return self.send_bytes(LIVERELOAD_JS.read_bytes(), "text/javascript; charset=utf-8")
        if route == STATE_PATH:
            return self.send_bytes(json.dumps(self.state.snapshot()).encode(), "application/json")
        state = self.state.snapshot()
        if state["build"] == 0:
            status = 503 if state["error"] is None else 500
            return self.send_bytes(error_page(state["error"], 0), "text/html; charset=utf-8", status)
        path = Path(self.translate_path(self.path))
        if path.is_dir() and route.endswith("/"):
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            return self.send_bytes(inject(path.read_bytes(), state["build"]), "text/html; charset=utf-8")
        if not path.exists() and (Path(self.directory) / "404.html").is_file():
            page = (Path(self.directory) / "404.html").read_bytes()
            return self.send_bytes(inject(page, state["build"]), "text/html; charset=utf-8", 404)
        return super().do_HEAD() if self.command == "HEAD" else super().do_GET()

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


def make_server(host: str, port: int, out: Path, state: State) -> ThreadingHTTPServer:
    handler = type("BoundHandler", (Handler,), {"state": state})
    server = ThreadingHTTPServer((host, port), partial(handler, directory=str(out)))
    server.daemon_threads = True
    return server


def stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    from litreview.engine.pipeline import BuildOptions

    temporary = args.out is None
    out = Path(tempfile.mkdtemp(prefix="litreview-serve-")) / "site" if temporary else args.out
    # jobs=1: builds run beside the server's threads, where forking is unsafe.
    options = BuildOptions(seeds=args.seeds, content=args.content, out=out, verbose=args.verbose, jobs=1)
    state = State()
    builder = Builder(options, state, args.verbose)
    roots = [args.seeds, args.content, options.templates, options.static]
    try:
        server = make_server(args.host, args.port, out, state)
    except OSError as exc:
        if temporary:
            shutil.rmtree(out.parent, ignore_errors=True)
        print(
            f"build.py serve: error: cannot listen on {args.host}:{args.port}: {exc.strerror} (try another --port)",
            file=sys.stderr,
        )
        return 2
    # SIGTERM (e.g. from a test or a process manager) stops as cleanly as Ctrl-C.
    signal.signal(signal.SIGTERM, stop)
    thread = threading.Thread(target=server.serve_forever, name="serve", daemon=True)
    try:
        before = snapshot(roots)
        thread.start()  # serve a "building" page while the first build runs
        host, port = server.server_address[:2]
        print(f"serving {out} at http://{host}:{port}/; Ctrl-C stops", file=sys.stderr)
        print(f"watching {', '.join(display(r) for r in roots)}", file=sys.stderr)
        sys.stderr.flush()
        builder.build()
        sys.stderr.flush()
        while True:
            time.sleep(POLL_SECONDS)
            after = snapshot(roots)
            if changes := changed(before, after):
                time.sleep(0.1)  # let an editor finish writing several files
                before = snapshot(roots)
                shown = ", ".join(display(Path(c)) for c in changes[:3]) + (
                    f" and {len(changes) - 3} more" if len(changes) > 3 else ""
                )
                print(f"changed: {shown}", file=sys.stderr)
                builder.build()
                sys.stderr.flush()
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    finally:
        if thread.is_alive():
            server.shutdown()
        server.server_close()
        if temporary:
            shutil.rmtree(out.parent, ignore_errors=True)
    return 0

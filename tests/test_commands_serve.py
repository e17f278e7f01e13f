"""`serve`: live-reload injection, change detection, and the server as a process.

The browser side (reload on change, error overlay, recovery) is in
tests/browser/test_serve.py; these check the parts a browser cannot see:
the files on disk stay exactly as `build` writes them, and Ctrl-C stops
cleanly and removes the temporary output folder.
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from litreview.commands.serve import changed, error_page, inject, snapshot

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


def test_snapshot_sees_edits_new_and_deleted_files(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("one", encoding="utf-8")
    before = snapshot([tmp_path, tmp_path / "missing"])
    (tmp_path / "a.md").write_text("one more", encoding="utf-8")
    (tmp_path / "b.md").write_text("new", encoding="utf-8")
    (tmp_path / "a.md.swp").write_text("editor noise", encoding="utf-8")
    after = snapshot([tmp_path, tmp_path / "missing"])
    assert changed(before, after) == [str(tmp_path / "a.md"), str(tmp_path / "b.md")]
    (tmp_path / "b.md").unlink()
    assert changed(after, snapshot([tmp_path, tmp_path / "missing"])) == [str(tmp_path / "b.md")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    for name in ("seeds", "content"):
        shutil.copytree(PROJECT / name, tmp_path / name)
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "wb") as sink:
        proc = subprocess.Popen(
            [sys.executable, str(PROJECT / "build.py"), "serve", "--port", str(port)],
            cwd=tmp_path,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
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

        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
        assert "stopped" in log.read_text()
        assert not out.exists(), "the temporary output folder is removed"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


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

"""Limits with clear errors, and output paths that can never leave the output folder."""

from __future__ import annotations

import re

import pytest

from litreview.engine.output import safe_relative_path, write_site
from litreview.errors import InputError
from litreview.read.listings import MAX_LINE_CHARS, read_seed_file
from litreview.utils.slugs import is_safe_slug, slugify


@pytest.mark.parametrize(
    "name", ["../x.html", "/etc/passwd", "a/../../b", "papers/\x00.html", "", "a//b", "c:\\x", "./a"]
)
def test_unsafe_output_paths_are_refused(name):
    with pytest.raises(InputError):
        safe_relative_path(name)


def test_write_site_refuses_an_escaping_path_and_leaves_the_old_site(tmp_path):
    out = tmp_path / "site"
    write_site({"index.html": "old"}, None, out)
    with pytest.raises(InputError):
        write_site({"index.html": "new", "../escaped.html": "x"}, None, out)
    assert (out / "index.html").read_text() == "old"
    assert not (tmp_path / "escaped.html").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


@pytest.mark.parametrize(
    "title, slug",
    [
        ("CON", "con-1"),
        ("nul", "nul-1"),
        ("../../etc/passwd", "etc-passwd"),
        ("a\x00b", "a-b"),
        ("Über Fast", "uber-fast"),
    ],
)
def test_slugs_from_titles_are_safe_file_names(title, slug):
    assert slugify(title) == slug
    assert is_safe_slug(slug)


def test_reserved_and_unsafe_slugs_are_not_safe():
    assert not is_safe_slug("con")
    assert not is_safe_slug("../x")
    assert not is_safe_slug("A")


def test_a_seed_line_over_the_limit_is_a_clear_error(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text("Title\n\n" + "x" * (MAX_LINE_CHARS + 1) + "\n")
    with pytest.raises(InputError) as info:
        read_seed_file(path, "huge.txt")
    assert info.value.format().startswith("huge.txt:3: line is 100,001 characters, more than the 100,000 limit")


def test_a_replaced_site_is_removed_in_the_background(tmp_path, monkeypatch):
    """The new site is in place when write_site returns; the old one goes in a process of its
    own (renamed first, so another build in the same process never meets it)."""
    from litreview.engine import output

    out = tmp_path / "site"
    started: list[list[str]] = []
    popen = output.subprocess.Popen
    monkeypatch.setattr(output.subprocess, "Popen", lambda argv, **kw: started.append(argv) or popen(argv, **kw))
    write_site({"index.html": "first", "a/old.html": "x"}, None, out)
    assert started == []  # nothing to replace
    for text in ("second", "third"):
        write_site({"index.html": text}, None, out)
        assert (out / "index.html").read_text() == text and not (out / "a").exists()
    assert len(started) == 2 and started[0][-1] != started[1][-1]  # a folder of its own each time
    output.wait_for_removals()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_without_a_process_to_remove_it_the_old_site_is_removed_at_once(tmp_path, monkeypatch):
    from litreview.engine import output

    def cannot_start(*args, **kwargs):
        raise OSError("no processes left")

    out = tmp_path / "site"
    write_site({"index.html": "first"}, None, out)
    monkeypatch.setattr(output.subprocess, "Popen", cannot_start)
    write_site({"index.html": "second"}, None, out)
    assert [p.name for p in tmp_path.iterdir()] == ["site"]
    assert (out / "index.html").read_text() == "second"


def test_an_old_site_that_cannot_be_renamed_is_removed_in_place(tmp_path, monkeypatch):
    from litreview.engine import output

    out = tmp_path / "site"
    write_site({"index.html": "first"}, None, out)
    rename = output.os.rename

    def refuse_the_background_name(src, dst):
        if re.search(r"\.old-\d+-\d+$", str(dst)):
            raise OSError("busy")
        rename(src, dst)

    monkeypatch.setattr(output.os, "rename", refuse_the_background_name)
    write_site({"index.html": "second"}, None, out)
    assert [p.name for p in tmp_path.iterdir()] == ["site"]
    assert (out / "index.html").read_text() == "second"

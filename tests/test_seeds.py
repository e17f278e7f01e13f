"""The seed reader: every layout, every kind of mess, every kind of bad input."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from helpers import EMPTY_SEED, SEEDS, assert_entries_quote_their_lines, assert_located, source_lines
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from seed_layouts import LAYOUTS, render_seed, seed_entries

from litreview.errors import ErrorCollector, InputError, InputErrors
from litreview.model import SeedEntry
from litreview.read.catalogue import load_catalogue
from litreview.read.listings import (
    DATE_RE,
    clean_line,
    is_header,
    looks_like_abstract,
    normalise_title,
    parse_seed_bytes,
    parse_seed_text,
    read_seed_file,
)

SEED_FILES = sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="module")
def catalogue():
    errors = ErrorCollector()
    papers = load_catalogue(SEEDS, errors)
    assert not errors.errors
    return papers


def pairs(entries: list[SeedEntry]) -> list[tuple[str, str]]:
    return [(e.title, e.abstract) for e in entries]


# --- the fixture corpus (tests/data/corpus/seeds) -------------------------------------------------------


def test_corpus_seeds_give_478_unique_papers(catalogue):
    assert len(catalogue) == 478


def test_papers_listed_in_several_files_keep_every_source(catalogue):
    repeated = [p for p in catalogue if len(p.sources) > 1]
    assert len(repeated) == 63
    assert all(len({(s.file, s.line) for s in p.sources}) == len(p.sources) for p in repeated)


def test_each_seed_layout_is_detected_from_the_text():
    layouts = {p.name[:3]: read_seed_file(p, p.name).layout for p in SEED_FILES}
    assert layouts == {
        "000": "paragraphs",
        "001": "paragraphs+metadata",
        "002": "paragraphs",
        "003": "compact",
        "004": "paragraphs",
    }


def test_no_title_is_chrome_metadata_or_glued_to_subscribe(catalogue):
    for paper in catalogue:
        title = paper.title
        assert not is_header(title), title
        assert not DATE_RE.match(title), title
        assert not title.startswith("Subscribe"), title
        assert not re.match(r"^[•·]", title), title
        assert "authors" not in title or len(title) > 20, title
        assert title != "Berkeley UC Berkeley"
        assert not looks_like_abstract(title), title


def test_every_abstract_is_one_whole_line_of_its_file(catalogue):
    """Not cut short and not merged with the next title."""
    lines_by_file = {
        p.name: {clean_line(line) for line in p.read_text(encoding="utf-8").splitlines()} for p in SEED_FILES
    }
    titles = {p.title for p in catalogue}
    for paper in catalogue:
        for source in paper.sources:
            assert paper.abstract in lines_by_file[source.file], paper.id
        assert not any(paper.abstract.endswith(t) for t in titles if t != paper.title), paper.id


def test_metadata_lines_land_on_the_paper_not_in_titles(catalogue):
    by_title = {p.title: p for p in catalogue}
    sparse = by_title[
        "An Efficient Sparse Inference Software Accelerator for Transformer-based Language Models on CPUs"
    ]
    assert (sparse.authors_count, sparse.date, sparse.year) == (12, "Jun 28, 2023", 2023)
    nanoflow = by_title["NanoFlow: Towards Optimal Large Language Model Serving Throughput"]
    assert (nanoflow.date, nanoflow.year, nanoflow.upvotes) == ("Aug 22, 2024", 2024, 2)
    with_org = [p for p in catalogue if p.organisation]
    assert [p.organisation for p in with_org] == ["Berkeley UC Berkeley"]
    assert with_org[0].date == "Mar 10" and with_org[0].year is None and with_org[0].upvotes == 3


def test_code_urls_lose_trailing_punctuation(catalogue):
    links = {u for p in catalogue for u in p.links}
    assert "https://github.com/LeiLiLab/OSCA" in links
    assert "https://github.com/chakkritte/EEEA-Net" in links
    assert not any(u.endswith((".", ",", ")", ";")) for u in links)


def test_paper_ids_are_unique_safe_slugs(catalogue):
    ids = [p.id for p in catalogue]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) and len(i) <= 88 for i in ids)


# --- the same entries in every layout -------------------------------------


@pytest.fixture(scope="module")
def metadata_entries():
    return read_seed_file(SEEDS / "001_bfc256623394f453.txt").entries


@pytest.mark.parametrize("layout", LAYOUTS)
def test_any_layout_parses_to_the_same_entries(metadata_entries, layout):
    text = render_seed(metadata_entries, layout)
    parsed = parse_seed_text(text, "relaid.txt").entries
    assert pairs(parsed) == pairs(metadata_entries)


def test_metadata_layout_round_trips_metadata(metadata_entries):
    parsed = parse_seed_text(render_seed(metadata_entries, "metadata"), "x.txt").entries
    fields = lambda es: [(e.authors_count, e.organisation, e.date, e.year, e.upvotes) for e in es]  # noqa: E731
    assert fields(parsed) == fields(metadata_entries)


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda t: t.replace("\n", "\r\n"), id="crlf"),
        pytest.param(lambda t: "\ufeff" + t, id="bom"),
        pytest.param(lambda t: t.replace(" ", "\u00a0", 50), id="nbsp"),
        pytest.param(lambda t: t.replace("\n", "  \t\n"), id="trailing-whitespace"),
        pytest.param(lambda t: t.replace(" ", "\t", 30), id="tabs"),
        pytest.param(lambda t: "\ufeff" + t.replace("\n", "\r\n").replace(" ", "\u00a0", 9), id="all-at-once"),
    ],
)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_whitespace_and_encoding_noise_change_nothing(metadata_entries, layout, mangle):
    clean = parse_seed_text(render_seed(metadata_entries, layout), "x.txt").entries
    noisy = parse_seed_bytes(mangle(render_seed(metadata_entries, layout)).encode("utf-8"), "x.txt").entries
    assert pairs(noisy) == pairs(clean)
    assert [e.source.line for e in noisy] == [e.source.line for e in clean]


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(["a", "Z", "1", " ", "\t", "\u00a0", "\u2003", "\u3000", "é", "\u200b"])))
def test_clean_line_skips_its_patterns_only_where_they_cannot_match(raw):
    """clean_line's shortcuts (ASCII without a tab; no double space) give what both patterns give."""
    from litreview.read.listings import MULTI_SPACE, SPACE_LIKE

    assert clean_line(raw) == MULTI_SPACE.sub(" ", SPACE_LIKE.sub(" ", raw)).strip()


def test_corpus_seed_files_relaid_give_the_same_catalogue(tmp_path):
    """Every corpus file re-laid out in another layout gives the same 478 papers."""
    for i, path in enumerate(SEED_FILES):
        entries = read_seed_file(path).entries
        layout = LAYOUTS[(i + 1) % len(LAYOUTS)]
        text = render_seed(entries, layout)
        if i % 2:
            text = "\ufeff" + text.replace("\n", "\r\n")
        (tmp_path / path.name).write_text(text, encoding="utf-8", newline="")
    errors = ErrorCollector()
    relaid = load_catalogue(tmp_path, errors)
    original = load_catalogue(SEEDS, ErrorCollector())
    assert not errors.errors
    assert [(p.id, p.title, p.abstract) for p in relaid] == [(p.id, p.title, p.abstract) for p in original]


def test_wrapped_abstract_in_paragraphs_layout_is_joined():
    text = (
        "A Title\n\nFirst line of the abstract. It goes on.\nSecond line of it. "
        + "x " * 200
        + "\n\nNext Title\n\n"
        + "Prose. " * 80
    )
    entries = parse_seed_text(text, "w.txt").entries
    assert [e.title for e in entries] == ["A Title", "Next Title"]
    assert entries[0].abstract.startswith("First line of the abstract. It goes on. Second line of it.")


# --- bad input ------------------------------------------------------------

ABSTRACT = "We propose a method. " * 30


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"", "bad.txt: empty file: no papers found (add title and abstract lines, or delete the file)"),
        (b"\n \n\t\n", "bad.txt: empty file: no papers found (add title and abstract lines, or delete the file)"),
        (
            b"new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nJul 4\n",
            "bad.txt:1: file holds only a page header, no papers "
            "(paste the listing below the header: a title line, then its abstract)",
        ),
        (
            f"Title One\n\n{ABSTRACT}\n\nDangling Title\n".encode(),
            'bad.txt:5: title "Dangling Title" has no abstract (add its abstract on the next line, or remove the title)',
        ),
        (
            b"Title One\n\nSome abstract\xff here.\n",
            "bad.txt:3: not valid UTF-8: byte 0xff at column 14 "
            "(re-save the file as UTF-8 (for example: iconv -f latin1 -t utf-8))",
        ),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "bad.txt:3: binary file: NUL byte at offset 8 "
            "(seed files are plain UTF-8 text listings; remove this file or export it as text)",
        ),
        (
            b"id,title,year\n1,Foo,2020\n2,Bar,2021\n",
            "bad.txt:1: unknown layout: found 3 short line(s) but no abstract "
            "(a seed file lists a title line followed by its abstract (a paragraph of prose) for each paper)",
        ),
    ],
    ids=["empty", "blank-lines-only", "header-only", "title-without-abstract", "not-utf8", "binary", "unknown-layout"],
)
def test_bad_input_gets_file_line_message_and_hint(data, expected):
    with pytest.raises(InputError) as info:
        parse_seed_bytes(data, "bad.txt")
    assert info.value.format() == expected


def test_missing_abstract_in_the_middle_names_the_title():
    text = f"First Title\n\n{ABSTRACT}\n\nOrphan Title\n\nThird Title\n\n{ABSTRACT}\n"
    with pytest.raises(InputError) as info:
        parse_seed_text(text, "mid.txt")
    assert info.value.line == 5
    assert 'title "Orphan Title" has no abstract' in info.value.message


def test_one_bad_file_fails_the_catalogue_and_every_error_is_reported(tmp_path):
    (tmp_path / "a.txt").write_text(f"Good Title\n\n{ABSTRACT}\n")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_bytes(b"T\n\n\xfe\n")
    errors = ErrorCollector()
    load_catalogue(tmp_path, errors)
    with pytest.raises(InputErrors) as info:
        errors.raise_if_any()
    assert [Path(e.path).name for e in info.value.errors] == ["b.txt", "c.txt"]


# --- properties -----------------------------------------------------------


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=3000))
def test_any_text_parses_into_entries_quoting_their_lines_or_raises_a_located_input_error(text):
    try:
        result = parse_seed_text(text, "fuzz.txt")
    except InputError as exc:
        assert_located(exc, "fuzz.txt", text, whole_file=EMPTY_SEED)
        return
    assert_entries_quote_their_lines(result.entries, text)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_any_bytes_parse_or_raise_a_located_input_error(data):
    try:
        result = parse_seed_bytes(data, "fuzz.txt")
    except InputError as exc:
        assert_located(exc, "fuzz.txt", data, whole_file=EMPTY_SEED)
        return
    assert_entries_quote_their_lines(result.entries, data.decode("utf-8"))


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(seed_entries(), st.sampled_from(LAYOUTS))
def test_parse_of_render_round_trips(entries, layout):
    parsed = parse_seed_text(render_seed(entries, layout), "p.txt").entries
    assert pairs(parsed) == [(clean_line(t), clean_line(a)) for t, a in pairs(entries)]
    if layout == "metadata":
        got = [(e.authors_count, e.organisation, e.date, e.year, e.upvotes) for e in parsed]
        want = [(e.authors_count, e.organisation, e.date, e.year, e.upvotes) for e in entries]
        assert got == want


GOOD_SEED = (
    "A Good Paper About Widgets\n\n"
    + "We study widgets and show that they make small models faster on every device we tried. " * 3
    + "\n"
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=400), st.binary(max_size=400)))
def test_parse_command_on_any_seed_file_prints_papers_or_file_line_errors_never_a_traceback(content):
    """Through the CLI, as a user meets it: exit 0 with JSON, or exit 1 with `file:line: ...` lines only."""
    import contextlib
    import io
    import json
    import tempfile

    from litreview.cli import main

    with tempfile.TemporaryDirectory() as folder:
        seeds = Path(folder) / "seeds"
        seeds.mkdir()
        (seeds / "good.txt").write_text(GOOD_SEED, encoding="utf-8")
        fuzz = seeds / "fuzz.txt"
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        fuzz.write_bytes(data)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["parse", "--seeds", str(seeds), "--format", "json"])
    if code == 0:
        assert "a-good-paper-about-widgets" in {p["id"] for p in json.loads(out.getvalue())}
        assert err.getvalue() == ""
        return
    assert code == 1
    *errors, summary = err.getvalue().rstrip("\n").split("\n")
    assert summary in ("1 error; nothing was written",)
    (error,) = errors
    where, _, message = error.partition(": ")
    path, _, line = where.rpartition(":")
    if path != str(fuzz):  # the one error with no line: `fuzz.txt: empty file ...`
        path, line = where, ""
        assert message.startswith(EMPTY_SEED), error
    assert path == str(fuzz), error
    assert line == "" or 1 <= int(line) <= len(source_lines(data)), error


def _full_normalisation(title: str) -> str:
    """normalise_title without its ASCII shortcut."""
    text = unicodedata.normalize("NFKC", title).casefold()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


@given(st.text(alphabet=st.characters(max_codepoint=0x7F)) | st.text())
def test_an_ascii_title_gets_the_key_the_full_normalisation_gives(title: str) -> None:
    assert normalise_title(title) == _full_normalisation(title)

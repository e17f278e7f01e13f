"""Front matter and YAML parsing: values, line numbers and every kind of bad input."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from helpers import assert_located
from hypothesis import given, settings
from hypothesis import strategies as st

from litreview.errors import InputError
from litreview.read.frontmatter import (
    MAX_CONTENT_BYTES,
    LineDict,
    decode_text,
    load_yaml,
    parse_document,
    read_document,
    read_text,
)

DATA = Path(__file__).parent / "data" / "content" / "frontmatter"


def fixture(name: str) -> Path:
    return DATA / name


def error_of(path: Path) -> str:
    with pytest.raises(InputError) as info:
        read_document(path, path.name)
    return info.value.format()


def test_front_matter_values_and_key_lines():
    doc = parse_document("---\ntitle: A\norder: 2\nrules:\n  include: [a]\n  min_score: 1.5\n---\n\nBody\n", "t.md")
    assert doc.meta == {"title": "A", "order": 2, "rules": {"include": ["a"], "min_score": 1.5}}
    assert doc.meta.lines == {"title": 2, "order": 3, "rules": 4}
    assert doc.meta["rules"].lines == {"include": 5, "min_score": 6}
    assert doc.body == "Body\n"
    assert doc.body_line == 9
    assert doc.has_front_matter


def test_list_items_know_their_lines():
    doc = parse_document("---\ntopics:\n  - a\n  - b\n\n  - c\n---\n", "t.md")
    assert doc.meta["topics"] == ["a", "b", "c"]
    assert doc.meta["topics"].lines == [3, 4, 6]


def test_file_without_front_matter_is_all_body():
    doc = read_document(fixture("no_front_matter.md"))
    assert doc.meta == {}
    assert not doc.has_front_matter
    assert doc.body == "Just Markdown.\n\nNo front matter here.\n"
    assert doc.body_line == 1


def test_empty_front_matter_is_an_empty_mapping():
    doc = parse_document("---\n---\nText", "t.md")
    assert doc.meta == {} and isinstance(doc.meta, LineDict)
    assert doc.body == "Text\n"


def test_bom_and_crlf_are_tolerated():
    doc = read_document(fixture("bom_and_crlf.md"))
    assert doc.meta == {"title": "Café", "order": 2}
    assert doc.meta.lines == {"title": 2, "order": 3}
    assert doc.body == "Body line\n"


def test_bom_and_crlf_from_bytes():
    text = decode_text(b"\xef\xbb\xbf---\r\ntitle: A\r\n---\r\nB\r\n", "t.md")
    assert parse_document(text, "t.md").meta == {"title": "A"}


def test_duplicate_key_is_an_error_at_the_second_key():
    assert error_of(fixture("duplicate_key.md")) == (
        'duplicate_key.md:3: duplicate key "title" (first given at line 2) (give each key once)'
    )


def test_duplicate_key_in_a_nested_mapping():
    with pytest.raises(InputError) as info:
        parse_document("---\nrules:\n  include: [a]\n  include: [b]\n---\n", "t.md")
    assert info.value.line == 4
    assert info.value.message == 'duplicate key "include" (first given at line 3)'


def test_missing_closing_fence():
    assert error_of(fixture("unclosed_front_matter.md")) == (
        "unclosed_front_matter.md:1: front matter opened with --- at line 1 is never closed "
        "(add a line with only --- after the last key)"
    )


def test_front_matter_that_is_not_a_mapping():
    assert error_of(fixture("front_matter_is_a_list.md")) == (
        "front_matter_is_a_list.md:2: front matter must be a mapping of keys to values, got list "
        "(write one key: value per line)"
    )


@pytest.mark.parametrize("front, got", [("just text", "str"), ("42", "int"), ("[a, b]", "list")])
def test_front_matter_scalars_and_lists_are_not_mappings(front, got):
    with pytest.raises(InputError) as info:
        parse_document(f"---\n{front}\n---\n", "t.md")
    assert info.value.message == f"front matter must be a mapping of keys to values, got {got}"


def test_yaml_syntax_error_names_the_line_and_a_fix():
    assert error_of(fixture("unquoted_colon.md")) == (
        "unquoted_colon.md:3: invalid YAML: mapping values are not allowed in this context "
        '(quote a value that contains ": ", for example title: "A: B")'
    )


def test_tab_indentation_error():
    with pytest.raises(InputError) as info:
        parse_document("---\ntitle: A\n\tx: 1\n---\n", "t.md")
    assert info.value.line == 3
    assert info.value.hint == "indent with spaces, not tabs"


def test_not_utf8_names_the_byte():
    assert error_of(fixture("latin1.md")) == (
        "latin1.md:2: not valid UTF-8: byte 0xe9 at column 11 (content files are UTF-8 text; re-save this file as UTF-8)"
    )


def test_nul_byte_is_a_binary_file():
    with pytest.raises(InputError) as info:
        decode_text(b"---\ntitle: a\x00\n---\n", "t.md")
    assert info.value.format() == (
        "t.md:2: binary file: NUL byte at offset 12 (content files are UTF-8 text; re-save this file as UTF-8)"
    )


def test_oversized_file_is_refused_before_reading(tmp_path):
    big = tmp_path / "big.md"
    big.write_bytes(b"x" * (MAX_CONTENT_BYTES + 1))
    with pytest.raises(InputError) as info:
        read_text(big, "big.md")
    assert info.value.format() == (
        "big.md: file is 1,048,577 bytes, more than the 1,048,576 byte limit (content files are short texts)"
    )


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError) as info:
        read_text(tmp_path / "nope.md", "nope.md")
    assert info.value.message == "cannot read file: No such file or directory"


@pytest.mark.parametrize(
    "text, value",
    [
        ("no", "no"),  # YAML 1.1 would make these booleans
        ("on", "on"),
        ("yes", "yes"),
        ("2024-05-01", "2024-05-01"),  # not a date object
        ("1:20", "1:20"),  # not sexagesimal 80
        ("1_000", "1_000"),
        ("017", 17),  # not octal
        ("0x1f", 31),
        ("-3", -3),
        ("1.5e3", 1500.0),
        ("true", True),
        ("False", False),
        ("~", None),
        ("", None),
        ("'42'", "42"),
        ("=", "="),
        ("<<", "<<"),
    ],
)
def test_scalars_follow_yaml_1_2(text, value):
    got = parse_document(f"---\nx: {text}\n---\n", "t.md").meta["x"]
    assert got == value and type(got) is type(value)


def test_infinity_and_nan_are_floats():
    meta = parse_document("---\na: .inf\nb: -.Inf\nc: .nan\n---\n", "t.md").meta
    assert meta["a"] == math.inf and meta["b"] == -math.inf and math.isnan(meta["c"])


def test_aliases_are_refused():
    assert error_of(fixture("alias.md")) == (
        "alias.md:4: aliases (*name) are not supported in content files (write the value out in full)"
    )


def test_billion_laughs_is_refused_without_expanding():
    lol = (
        "---\na: &a [x, x, x, x, x, x, x, x, x]\n"
        + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9))
        + "---\n"
    )
    with pytest.raises(InputError) as info:
        parse_document(lol, "lol.md")
    assert info.value.line == 3


def test_deep_nesting_is_refused():
    with pytest.raises(InputError) as info:
        parse_document("---\nx: " + "[" * 200 + "]" * 200 + "\n---\n", "t.md")
    assert info.value.message == "nested more than 32 levels deep"


def test_python_tags_are_refused():
    with pytest.raises(InputError) as info:
        parse_document("---\nx: !!python/object/apply:os.system [echo hi]\n---\n", "t.md")
    assert info.value.line == 2
    assert "could not determine a constructor" in info.value.message


def test_huge_integer_is_an_input_error():
    with pytest.raises(InputError) as info:
        parse_document("---\nyear: " + "9" * 5000 + "\n---\n", "t.md")
    assert info.value.format() == "t.md:2: number has too many digits (quote it to keep it as text)"


def test_control_character_is_an_input_error():
    with pytest.raises(InputError) as info:
        parse_document("---\ntitle: ok\nx: a\x07b\n---\n", "t.md")
    assert info.value.format() == "t.md:3: invalid YAML: character U+0007 is not allowed (remove the control character)"


def test_whole_yaml_files_start_at_line_1():
    data = load_yaml("a: 1\nb:\n  c: 2\n", "site.yml")
    assert data.lines == {"a": 1, "b": 2}
    assert data["b"].lines == {"c": 3}


# Pieces that make YAML parsers stumble: fences, indentation, flow collections,
# anchors, tags, quotes, block scalars, directives and odd characters.
PIECES = [
    "---",
    "...",
    "title: A",
    "a:",
    "  b: 1",
    "- x",
    "  - y",
    "[",
    "]",
    "{",
    "}",
    "{a: 1",
    "? k",
    ": v",
    "&a x",
    "*a",
    "!!map",
    "!!str 1",
    "!tag x",
    "'q",
    '"q\\',
    "|",
    ">-",
    "%YAML 1.2",
    "#c",
    "\t",
    "\x00",
    "\ufeff",
    "é",
    "\u2028",
    "\r",
    "x: 017",
    "y: 2024-01-01",
    "z: .inf",
    ": : :",
    "- - -",
    "9" * 60,
]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses_or_raises_an_input_error_with_its_line(text):
    try:
        doc = parse_document(text, "fuzz.md")
    except InputError as exc:
        assert_located(exc, "fuzz.md", text)
    else:
        assert isinstance(doc.meta, dict)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=25))
def test_any_front_matter_parses_or_raises_an_input_error_with_its_line(pieces):
    text = "---\n" + "\n".join(pieces) + "\n---\nbody"
    try:
        doc = parse_document(text, "fuzz.md")
    except InputError as exc:
        assert_located(exc, "fuzz.md", text)
    else:
        assert isinstance(doc.meta, LineDict)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=25).map("\n".join))
def test_any_yaml_file_loads_or_raises_an_input_error_with_its_line(text):
    try:
        load_yaml(text, "fuzz.yml")
    except InputError as exc:
        assert_located(exc, "fuzz.yml", text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_decode_and_parse_or_raise_an_input_error_with_its_line(data):
    try:
        text = decode_text(data, "fuzz.md")
    except InputError as exc:
        assert_located(exc, "fuzz.md", data)
        return
    try:
        parse_document(text, "fuzz.md")
    except InputError as exc:
        assert_located(exc, "fuzz.md", text)


def test_yaml_error_at_the_end_of_a_file_without_a_final_newline_names_its_last_line():
    with pytest.raises(InputError) as info:
        load_yaml("title: Fine\norder: [1, 2", "site.yml")
    assert info.value.format() == (
        "site.yml:2: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence) "
        "(see https://yaml.org/spec/1.2.2/ or quote the value)"
    )


def test_a_yaml_error_after_a_unicode_line_separator_names_the_line_an_editor_shows():
    """YAML breaks lines at U+2028 too; the reported line counts only newlines (found by fuzzing)."""
    with pytest.raises(InputError) as caught:
        load_yaml("title: A\u2028B\nyear: [2024\n", "x.yml")
    assert caught.value.format() == (
        "x.yml:2: invalid YAML: could not find expected ':' (while scanning a simple key) "
        '(quote a value that contains ": ", for example title: "A: B")'
    )  # PyYAML's own line would be 3, past the end of this two-line file

"""The declared schema: every problem in a mapping reported at once, at its line."""

from __future__ import annotations

from litreview.errors import did_you_mean
from litreview.read.frontmatter import load_yaml
from litreview.read.schema import (
    INVALID,
    Bool,
    Choice,
    Context,
    Int,
    Key,
    ListOf,
    Nested,
    Number,
    Schema,
    Str,
    Term,
    Url,
)

SCHEMA = Schema(
    [
        Key("title", Str(), required=True, example="Quantization"),
        Key("order", Int(), default=0),
        Key("authors", ListOf(Str())),
        Key("hidden", Bool(), default=False),
        Key("weight", Number(), default=1.0),
        Key("group", Choice(("method", "hardware"))),
        Key("link", Url()),
        Key("terms", ListOf(Term(), "a list of terms"), default=list),
        Key("fields", Nested(Schema([Key("title", Number(), default=3.0)])), default=dict),
    ]
)


def validate(text: str) -> tuple[object, list[str]]:
    ctx = Context("x.yml")
    clean = SCHEMA.validate(load_yaml(text, "x.yml"), ctx, 1)
    return clean, [e.format() for e in ctx.errors]


def test_valid_mapping_gets_defaults_for_absent_keys():
    clean, errors = validate("title: '  A  '\nterms: [a, {term: b  c, weight: 2}]\n")
    assert errors == []
    assert clean == {
        "title": "A",
        "order": 0,
        "authors": None,
        "hidden": False,
        "weight": 1.0,
        "group": None,
        "link": None,
        "terms": [{"term": "a", "weight": 1.0}, {"term": "b c", "weight": 2.0}],
        "fields": {},
    }


def test_typo_key_gets_did_you_mean():
    _, errors = validate("title: A\nautors: [x]\n")
    assert errors == ['x.yml:2: unknown key "autors" (did you mean "authors"?)']


def test_unknown_key_without_a_close_match_lists_the_known_keys():
    _, errors = validate("title: A\nzzz: 1\n")
    assert errors == [
        'x.yml:2: unknown key "zzz" (known keys: authors, fields, group, hidden, link, order, terms, title, weight)'
    ]


def test_every_problem_is_reported_at_once():
    clean, errors = validate("order: first\nauthors: 3\nhidden: 'yes'\nttle: A\n")
    assert clean is INVALID
    assert errors == [
        'x.yml:1: "order": expected an integer, got str (write a whole number without quotes)',
        'x.yml:2: "authors": expected a list of strings, got int (write a list, such as [a, b])',
        'x.yml:3: "hidden": expected true or false, got str (write true or false without quotes)',
        'x.yml:4: unknown key "ttle" (did you mean "title"?)',
        'x.yml:1: missing required key "title" (add a line such as title: Quantization)',
    ]


def test_list_item_errors_name_the_item_and_its_line():
    _, errors = validate("title: A\nauthors:\n  - Ada\n  - 42\n")
    assert errors == ['x.yml:4: "authors[2]": expected a string, got int (put it in quotes to make it text: "42")']


def test_a_string_where_a_list_is_expected_suggests_brackets():
    _, errors = validate("title: A\nauthors: Ada Lovelace\n")
    assert errors == ['x.yml:2: "authors": expected a list of strings, got str (write a list, such as [Ada Lovelace])']


def test_null_value_asks_for_a_value():
    _, errors = validate("title:\n")
    assert errors == ['x.yml:1: "title": expected a string, got null (give it a value or remove the line)']


def test_empty_string_is_refused_where_text_is_needed():
    _, errors = validate("title: '  '\n")
    assert errors == ['x.yml:1: "title": must not be empty (write a value or remove the line)']


def test_booleans_are_not_numbers():
    _, errors = validate("title: A\nweight: true\n")
    assert errors == ['x.yml:2: "weight": expected a number, got bool']


def test_infinite_numbers_are_refused():
    _, errors = validate("title: A\nweight: .inf\n")
    assert errors == ['x.yml:2: "weight": expected a finite number, got inf']


def test_choice_suggests_the_closest_value():
    _, errors = validate("title: A\ngroup: hardwre\n")
    assert errors == ['x.yml:2: "group": "hardwre" is not one of method, hardware (did you mean "hardware"?)']


def test_url_must_be_absolute_http():
    _, errors = validate("title: A\nlink: javascript:alert(1)\n")
    assert errors == [
        (
            'x.yml:2: "link": "javascript:alert(1)" is not an http or https URL '
            "(write a full address such as https://example.org/...)"
        )
    ]


def test_nested_mapping_errors_use_dotted_names():
    _, errors = validate("title: A\nfields:\n  title: big\n  abstrct: 1\n")
    assert errors == [
        'x.yml:3: "fields.title": expected a number, got str (write a number without quotes, such as 2 or 0.5)',
        'x.yml:4: unknown key "fields.abstrct" (known keys: title)',
    ]


def test_term_mapping_needs_a_term():
    _, errors = validate("title: A\nterms:\n  - {weight: 2}\n  - {term: x, wieght: 1}\n")
    assert errors == [
        'x.yml:3: missing required key "term" in "terms[1]" (add a line such as term: quantization)',
        'x.yml:4: unknown key "terms[2].wieght" (did you mean "weight"?)',
    ]


def test_did_you_mean_lists_few_choices_and_stays_quiet_for_many():
    assert did_you_mean("quantisation", ["quantization", "pruning"]) == 'did you mean "quantization"?'
    assert did_you_mean("zz", ["b", "a"], "the topics are") == "the topics are: a, b"
    assert did_you_mean("zz", [f"t{i}" for i in range(500)], listing=None) == ""

"""The content/ loader and paper overrides: what loads, and the exact errors users see."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import CONTENT, SEEDS

from litreview.errors import ErrorCollector
from litreview.model import Assignment, Paper, SiteConfig, Source, Tag, Topic
from litreview.read.content import Content, apply_overrides, github_actions_repo, load_content

BASIC = Path(__file__).parent / "data" / "content" / "basic"
NO_ENV: dict[str, str] = {}


def load(content_dir: Path, environ: dict[str, str] | None = None) -> tuple[Content, list[str]]:
    errors = ErrorCollector()
    content = load_content(content_dir, errors, environ=NO_ENV if environ is None else environ)
    return content, [e.format() for e in errors.errors]


def make_content(tmp_path: Path, files: dict[str, str]) -> Path:
    """A content/ folder from {relative path: text}."""
    root = tmp_path / "content"
    root.mkdir()
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def errors_for(tmp_path: Path, files: dict[str, str]) -> list[str]:
    root = make_content(tmp_path, files)
    _, errors = load(root)
    # Paths are shown as given; strip the temporary prefix for readable asserts.
    return [e.replace(f"{root}/", "") for e in errors]


def paper(paper_id: str, topics: tuple[str, ...] = (), tags: tuple[str, ...] = ()) -> Paper:
    return Paper(
        id=paper_id,
        title=paper_id.replace("-", " ").title(),
        abstract="An abstract.",
        sources=[Source("seed.txt", 1)],
        links=["https://github.com/found/in-abstract"],
        primary_topic=topics[0] if topics else None,
        topics=[Assignment(slug, 5.0, ["rule reason"]) for slug in topics],
        tags=[Assignment(slug, 2.0, ["rule reason"]) for slug in tags],
    )


# ---------------------------------------------------------------- loading


def test_basic_fixture_loads_without_errors():
    content, errors = load(BASIC)
    assert errors == []
    assert [t.slug for t in content.topics] == ["llm-serving", "quantization", "attention"]  # (order, title)
    assert [t.slug for t in content.tags] == ["flash-attention", "gpu"]  # file order
    assert [p.slug for p in content.pages] == ["about"]
    assert [o.paper_id for o in content.overrides] == [
        "discrete-key-value-bottleneck",
        "how-does-information-bottleneck-help-deep-learning",
    ]


def test_site_config_is_read_and_normalised():
    content, _ = load(BASIC)
    assert content.config == SiteConfig(
        title="Test review",
        description="A tiny fixture site.",
        author="Test Author",
        language="en-GB",
        repo_url="https://github.com/example/review",  # .git dropped
        branch="trunk",
        base_url="https://example.github.io/review/",  # always ends with /
        path=str(BASIC / "site.yml"),
    )


def test_topic_fields_intro_and_normalised_rules():
    content, _ = load(BASIC)
    topic = next(t for t in content.topics if t.slug == "quantization")
    assert (topic.title, topic.order, topic.description) == ("Quantization", 10, "Fewer bits per weight.")
    assert topic.intro == "Quantization stores weights in **fewer bits**.\n"
    assert topic.path == str(BASIC / "topics" / "quantization.md")
    assert topic.rules == {
        "include": [{"term": "quantization", "weight": 1.0}, {"term": "low bit", "weight": 2.0}],
        "exclude": [{"term": "survey", "weight": 1.0}],
        "fields": {"title": 4.0, "abstract": 1.0},
        "min_score": 2.5,
        "match": "stem",
    }


def test_topic_without_rules_gets_default_rules():
    content, _ = load(BASIC)
    topic = next(t for t in content.topics if t.slug == "llm-serving")
    assert topic.rules == {
        "include": [],
        "exclude": [],
        "fields": {"title": 3.0, "abstract": 1.0},
        "min_score": 3.0,
        "match": "stem",
    }
    assert topic.description == ""


def test_tags_are_read_with_their_rules():
    content, _ = load(BASIC)
    gpu = content.tags[1]
    assert (gpu.slug, gpu.name, gpu.group) == ("gpu", "GPU", "hardware")
    assert gpu.rules["include"] == [{"term": "gpu", "weight": 1.0}, {"term": "cuda", "weight": 1.0}]
    assert gpu.rules["min_score"] == 1.0


def test_missing_content_folder_means_defaults(tmp_path):
    content, errors = load(tmp_path / "absent")
    assert errors == []
    assert content.config == SiteConfig(path=str(tmp_path / "absent" / "site.yml"))
    assert content.topics == [] and content.tags == [] and content.pages == [] and content.overrides == []


def test_empty_site_yml_means_defaults(tmp_path):
    root = make_content(tmp_path, {"site.yml": "# nothing yet\n"})
    content, errors = load(root)
    assert errors == [] and content.config.title == "Literature review"


def test_repo_url_falls_back_to_github_actions(tmp_path):
    root = make_content(tmp_path, {"site.yml": "title: T\n"})
    env = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "octo/reading-list"}
    content, _ = load(root, env)
    assert content.config.repo_url == "https://github.com/octo/reading-list"


def test_repo_url_in_site_yml_wins_over_github_actions():
    env = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "octo/other"}
    content, _ = load(BASIC, env)
    assert content.config.repo_url == "https://github.com/example/review"


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"GITHUB_REPOSITORY": "a/b"},
        {"GITHUB_SERVER_URL": "http://ghe.local", "GITHUB_REPOSITORY": "a/b"},
        {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "a/b/../c"},
    ],
)
def test_no_repo_url_without_a_usable_environment(env):
    assert github_actions_repo(env) is None


def test_repo_url_must_be_https(tmp_path):
    assert errors_for(tmp_path, {"site.yml": "repo_url: http://github.com/a/b\n"}) == [
        (
            'site.yml:1: "repo_url": "http://github.com/a/b" is not an https URL '
            "(write a full address such as https://example.org/...)"
        )
    ]


def test_site_language_must_be_a_language_tag(tmp_path):
    assert errors_for(tmp_path, {"site.yml": "title: T\nlanguage: english please\n"}) == [
        'site.yml:2: "language": "english please" is not a language tag (use a code such as en or en-GB)'
    ]


def test_site_yml_that_is_a_list(tmp_path):
    assert errors_for(tmp_path, {"site.yml": "- title\n"}) == [
        "site.yml:1: file must be a mapping of keys to values, got list (write one key: value per line)"
    ]


# ------------------------------------------------- errors users see, exactly


def test_typo_key_in_topic_gets_did_you_mean(tmp_path):
    assert errors_for(tmp_path, {"topics/q.md": "---\ntitle: Q\nordr: 1\n---\n"}) == [
        'topics/q.md:3: unknown key "ordr" (did you mean "order"?)'
    ]


def test_typo_in_nested_rules_key(tmp_path):
    text = "---\ntitle: Q\nrules:\n  includes: [a]\n  min_scor: 2\n---\n"
    assert errors_for(tmp_path, {"topics/q.md": text}) == [
        'topics/q.md:4: unknown key "rules.includes" (did you mean "include"?)',
        'topics/q.md:5: unknown key "rules.min_scor" (did you mean "min_score"?)',
    ]


def test_subthemes_are_read_in_order_with_their_rules(tmp_path):
    text = (
        "---\ntitle: Serving\nsubthemes:\n  - name: Batching and scheduling\n    description: Who runs when.\n"
        "    include: [continuous batching, {term: scheduling, weight: 2}]\n  - name: KV cache\n"
        "    include: [kv cache]\n    min_score: 3\n---\n"
    )
    content, errors = load(make_content(tmp_path, {"topics/serving.md": text}))
    assert errors == []
    (topic,) = content.topics
    assert [(s.name, s.slug, s.description, s.rules["min_score"]) for s in topic.subthemes] == [
        ("Batching and scheduling", "batching-and-scheduling", "Who runs when.", 2.0),
        ("KV cache", "kv-cache", "", 3.0),
    ]
    assert topic.subthemes[0].rules["include"] == [
        {"term": "continuous batching", "weight": 1.0},
        {"term": "scheduling", "weight": 2.0},
    ]


def test_subtheme_errors_name_their_line(tmp_path):
    text = (
        "---\ntitle: Serving\nsubthemes:\n  - name: KV cache\n    include: [kv cache]\n"
        "  - name: KV-cache\n    include: [paged]\n  - includ: [x]\n---\n"
    )
    assert errors_for(tmp_path, {"topics/serving.md": text}) == [
        'topics/serving.md:8: unknown key "subthemes[3].includ" (did you mean "include"?)',
        'topics/serving.md:8: missing required key "name" in "subthemes[3]" (add a line such as name: Batching and '
        "scheduling)",
    ]
    text = "---\ntitle: Serving\nsubthemes:\n  - name: KV cache\n  - name: KV-cache\n---\n"
    (tmp_path / "b").mkdir()
    assert errors_for(tmp_path / "b", {"topics/serving.md": text}) == [
        'topics/serving.md:5: sub-theme "KV-cache" has the same name as the one on line 4 (give each sub-theme its '
        "own name, or merge their include terms)"
    ]


def test_bad_match_mode_in_a_term_and_in_a_rule_set(tmp_path):
    text = "---\ntitle: Q\nrules:\n  match: exakt\n  include:\n    - {term: general, match: whole}\n    - {term: serve, match: 1}\n---\n"
    hint = 'stem matches any form of the words ("serve" ~ "serving"); exact only the words as written'
    assert errors_for(tmp_path, {"topics/q.md": text}) == [
        f'topics/q.md:4: "rules.match": "exakt" is not one of stem, exact (did you mean "exact"? {hint})',
        f'topics/q.md:6: "rules.include[1].match": "whole" is not one of stem, exact ({hint})',
        'topics/q.md:7: "rules.include[2].match": expected one of stem, exact, got int (put it in quotes to make it text: "1")',
    ]


def test_bad_match_mode_in_a_tag(tmp_path):
    text = "gpu:\n  name: GPU\n  group: hardware\n  include: [{term: gpu, match: Exact}]\n"
    assert errors_for(tmp_path, {"tags.yml": text}) == [
        'tags.yml:4: "gpu.include[1].match": "Exact" is not one of stem, exact (did you mean "exact"? '
        'stem matches any form of the words ("serve" ~ "serving"); exact only the words as written)'
    ]


def test_match_modes_are_read(tmp_path):
    text = "---\ntitle: Q\nrules:\n  match: exact\n  include: [a, {term: b, match: stem}, {term: c, weight: 2}]\n---\n"
    content, errors = load(make_content(tmp_path, {"topics/q.md": text}))
    assert not errors
    rules = content.topics[0].rules
    assert rules["match"] == "exact"
    assert rules["include"] == [
        {"term": "a", "weight": 1.0},
        {"term": "b", "weight": 1.0, "match": "stem"},
        {"term": "c", "weight": 2.0},
    ]


def test_duplicate_key_in_topic(tmp_path):
    assert errors_for(tmp_path, {"topics/q.md": "---\ntitle: Q\norder: 1\norder: 2\n---\n"}) == [
        'topics/q.md:4: duplicate key "order" (first given at line 3) (give each key once)'
    ]


def test_wrong_type_in_topic(tmp_path):
    assert errors_for(tmp_path, {"topics/q.md": "---\ntitle: Q\nrules:\n  include: 3\n---\n"}) == [
        'topics/q.md:4: "rules.include": expected a list of terms, got int (write a list, such as [a, b])'
    ]


def test_wrong_type_in_override(tmp_path):
    assert errors_for(tmp_path, {"papers/p.md": "---\nauthors: 7\nyear: '2023'\n---\n"}) == [
        'papers/p.md:2: "authors": expected a list of strings, got int (write a list, such as [a, b])',
        'papers/p.md:3: "year": expected an integer, got str (write a whole number without quotes)',
    ]


def test_topic_front_matter_not_a_mapping(tmp_path):
    assert errors_for(tmp_path, {"topics/q.md": "---\n- title: Q\n---\n"}) == [
        "topics/q.md:2: front matter must be a mapping of keys to values, got list (write one key: value per line)"
    ]


def test_topic_missing_closing_fence(tmp_path):
    assert errors_for(tmp_path, {"topics/q.md": "---\ntitle: Q\n\nIntro.\n"}) == [
        "topics/q.md:1: front matter opened with --- at line 1 is never closed (add a line with only --- after the last key)"
    ]


def test_topic_without_title(tmp_path):
    assert errors_for(tmp_path, {"topics/q.md": "Just an intro.\n"}) == [
        'topics/q.md:1: missing required key "title" (add a line such as title: Quantization)'
    ]


def test_topic_file_name_must_be_a_slug(tmp_path):
    assert errors_for(tmp_path, {"topics/Low Bit.md": "---\ntitle: Q\n---\n"}) == [
        (
            'topics/Low Bit.md: topic file name "Low Bit" is not a valid slug '
            "(rename it to low-bit.md (lowercase letters, digits and single hyphens))"
        )
    ]


def test_non_markdown_file_in_topics_is_an_error(tmp_path):
    assert errors_for(tmp_path, {"topics/q.yml": "title: Q\n", "topics/.gitkeep": ""}) == [
        "topics/q.yml: not a topic file (topic files are Markdown: rename it to q.md)"
    ]


def test_errors_from_every_file_are_collected(tmp_path):
    errors = errors_for(
        tmp_path,
        {
            "site.yml": "titel: T\n",
            "topics/a.md": "---\ntitle: A\norder: x\n---\n",
            "tags.yml": "gpu:\n  name: GPU\n  group: 3\n",
            "pages/about.md": "---\ntitle: About\nhidden: true\n---\n",
            "papers/p.md": "---\nlinks: [ftp://x.org/a]\n---\n",
        },
    )
    assert errors == [
        'site.yml:1: unknown key "titel" (did you mean "title"?)',
        'topics/a.md:3: "order": expected an integer, got str (write a whole number without quotes)',
        'tags.yml:3: "gpu.group": expected a string, got int (put it in quotes to make it text: "3")',
        'pages/about.md:3: unknown key "hidden" (known keys: order, title)',
        (
            'papers/p.md:2: "links[1]": "ftp://x.org/a" is not an http or https URL '
            "(write a full address such as https://example.org/...)"
        ),
    ]


def test_tag_slug_must_be_a_slug(tmp_path):
    assert errors_for(tmp_path, {"tags.yml": "Flash Attention:\n  name: F\n  group: method\n"}) == [
        (
            'tags.yml:1: tag slug "Flash Attention" is not a valid slug '
            "(use flash-attention (lowercase letters, digits and single hyphens))"
        )
    ]


def test_tag_must_be_a_mapping(tmp_path):
    assert errors_for(tmp_path, {"tags.yml": "gpu: GPU\n"}) == [
        'tags.yml:1: tag "gpu" must be a mapping of keys to values, got str (indent name:, group: and rules below it)'
    ]


def test_tag_groups_are_whatever_tags_yml_declares(tmp_path):
    # A genomics review groups its tags by organism and assay: no group is built in.
    text = "mouse:\n  name: Mouse\n  group: organism\nscrna:\n  name: scRNA-seq\n  group: assay\n"
    assert errors_for(tmp_path, {"tags.yml": text}) == []


def test_page_may_not_replace_a_generated_page(tmp_path):
    assert errors_for(tmp_path, {"pages/search.md": "---\ntitle: S\n---\n"}) == [
        'pages/search.md: page name "search" clashes with the generated search.html (choose another file name)'
    ]


def test_non_http_link_in_override(tmp_path):
    assert errors_for(tmp_path, {"papers/p.md": "---\nlinks:\n  - https://ok.org\n  - javascript:alert(1)\n---\n"}) == [
        (
            'papers/p.md:4: "links[2]": "javascript:alert(1)" is not an http or https URL '
            "(write a full address such as https://example.org/...)"
        )
    ]


def test_override_records_key_and_item_lines():
    content, _ = load(BASIC)
    override = content.overrides[0]
    assert override.values["topics"] == ["attention", "quantization"]
    assert override.lines["topics"] == 7
    assert override.line("topics", 1) == 9
    assert override.notes == "Reviewer note: the *bottleneck* is discrete.\n"


def test_corpus_content_folder_is_valid():
    content, errors = load(CONTENT)
    assert errors == []
    assert [p.slug for p in content.pages] == ["about"]
    assert content.config.title == "Efficient ML and ML Systems Reading List"


def test_content_is_never_written(tmp_path):
    root = make_content(tmp_path, {"site.yml": "title: T\n", "topics/q.md": "---\ntitle: Q\n---\n"})
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    content, _ = load(root)
    apply_overrides([], content, ErrorCollector())
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


# ---------------------------------------------------------------- overrides


def apply(content: Content, papers: list[Paper]) -> tuple[list[Paper], list[Paper], list[str]]:
    errors = ErrorCollector()
    visible, hidden = apply_overrides(papers, content, errors)
    return visible, hidden, [e.format() for e in errors.errors]


def basic_papers() -> list[Paper]:
    return [
        paper("discrete-key-value-bottleneck", topics=("llm-serving",), tags=("flash-attention",)),
        paper("how-does-information-bottleneck-help-deep-learning", topics=("quantization",)),
        paper("untouched-paper", topics=("attention",)),
    ]


def test_override_fixes_title_metadata_and_notes():
    content, _ = load(BASIC)
    visible, _, errors = apply(content, basic_papers())
    assert errors == []
    fixed = visible[0]
    assert fixed.title == "Discrete Key-Value Bottleneck (corrected)"
    assert fixed.authors == ["Frederik Träuble", "Anirudh Goyal"]
    assert (fixed.year, fixed.venue) == (2023, "ICML")
    assert fixed.links == ["https://github.com/example/dkvb", "https://github.com/found/in-abstract"]
    assert fixed.notes == "Reviewer note: the *bottleneck* is discrete.\n"
    assert fixed.override_path == str(BASIC / "papers" / "discrete-key-value-bottleneck.md")


def test_override_topics_replace_rule_topics_and_first_is_primary():
    content, _ = load(BASIC)
    visible, _, _ = apply(content, basic_papers())
    fixed = visible[0]
    where = BASIC / "papers" / "discrete-key-value-bottleneck.md"
    assert fixed.primary_topic == "attention"
    assert fixed.topics == [
        Assignment("attention", 0.0, [f"set by {where}:8"], "override"),
        Assignment("quantization", 0.0, [f"set by {where}:9"], "override"),
    ]
    assert fixed.tags == [Assignment("gpu", 0.0, [f"set by {where}:10"], "override")]


def test_hidden_paper_leaves_the_visible_list():
    content, _ = load(BASIC)
    visible, hidden, _ = apply(content, basic_papers())
    assert [p.id for p in visible] == ["discrete-key-value-bottleneck", "untouched-paper"]
    assert [p.id for p in hidden] == ["how-does-information-bottleneck-help-deep-learning"]
    assert hidden[0].notes == "Off topic for this review.\n"


def test_papers_without_override_are_unchanged():
    content, _ = load(BASIC)
    visible, _, _ = apply(content, basic_papers())
    assert visible[1] == paper("untouched-paper", topics=("attention",))


def override_content(tmp_path: Path, front: str, name: str = "known-paper") -> Content:
    files = {
        "topics/quantization.md": "---\ntitle: Q\n---\n",
        "topics/pruning.md": "---\ntitle: P\n---\n",
        "topics/llm-serving.md": "---\ntitle: S\n---\n",
        "tags.yml": "gpu:\n  name: GPU\n  group: hardware\ntpu:\n  name: TPU\n  group: hardware\n",
        f"papers/{name}.md": f"---\n{front}---\n",
    }
    content, errors = load(make_content(tmp_path, files))
    assert errors == []
    return content


def test_add_and_remove_topics_keep_rule_scores_and_primary(tmp_path):
    content = override_content(tmp_path, "add_topics: [llm-serving]\nremove_topics: [quantization]\nadd_tags: [tpu]\n")
    target = paper("known-paper", topics=("quantization", "pruning"), tags=("gpu",))
    _visible, _, errors = apply(content, [target])
    assert errors == []
    assert target.primary_topic == "pruning"
    assert [(a.slug, a.origin, a.score) for a in target.topics] == [
        ("pruning", "rules", 5.0),
        ("llm-serving", "override", 0.0),
    ]
    assert target.topics[1].reasons == [f"added by {tmp_path}/content/papers/known-paper.md:2"]
    assert [a.slug for a in target.tags] == ["gpu", "tpu"]


def test_set_topics_keeps_the_rule_score_of_a_kept_topic(tmp_path):
    content = override_content(tmp_path, "topics: [pruning]\n")
    target = paper("known-paper", topics=("quantization", "pruning"))
    apply(content, [target])
    assert [(a.slug, a.score, a.origin) for a in target.topics] == [("pruning", 5.0, "override")]


def test_empty_topics_list_removes_every_topic(tmp_path):
    content = override_content(tmp_path, "topics: []\n")
    target = paper("known-paper", topics=("quantization",))
    apply(content, [target])
    assert target.topics == [] and target.primary_topic is None


def test_unknown_paper_id_gets_did_you_mean(tmp_path):
    content = override_content(tmp_path, "hidden: true\n", name="discrete-key-value-bottlenek")
    _, _, errors = apply(content, basic_papers())
    assert errors == [
        (
            f'{tmp_path}/content/papers/discrete-key-value-bottlenek.md:1: no paper has the id "discrete-key-value-bottlenek" '
            '(did you mean "discrete-key-value-bottleneck"? The file name must be a paper id)'
        )
    ]


def test_unknown_paper_id_without_close_match(tmp_path):
    content = override_content(tmp_path, "hidden: true\n", name="zzz")
    _, _, errors = apply(content, basic_papers())
    assert errors == [
        (
            f'{tmp_path}/content/papers/zzz.md:1: no paper has the id "zzz" '
            "(the file name must be a paper id; `python build.py parse` lists them)"
        )
    ]


def test_unknown_topic_in_override_is_reported_at_its_line(tmp_path):
    content = override_content(tmp_path, "topics:\n  - pruning\n  - quantisation\n")
    target = paper("known-paper", topics=("llm-serving",))
    _, _, errors = apply(content, [target])
    assert errors == [
        (
            f'{tmp_path}/content/papers/known-paper.md:4: unknown topic "quantisation" in "topics" '
            '(did you mean "quantization"?)'
        )
    ]
    assert target.topic_slugs == ["llm-serving"]  # a bad override is not half-applied


def test_unknown_tag_lists_the_tags(tmp_path):
    content = override_content(tmp_path, "add_tags: [fpga]\n")
    _, _, errors = apply(content, [paper("known-paper")])
    assert errors == [
        f'{tmp_path}/content/papers/known-paper.md:2: unknown tag "fpga" in "add_tags" (the tags are: gpu, tpu)'
    ]


def test_topic_both_added_and_removed_is_an_error(tmp_path):
    content = override_content(tmp_path, "add_topics: [pruning]\nremove_topics: [pruning]\n")
    _, _, errors = apply(content, [paper("known-paper")])
    assert errors == [
        (
            f'{tmp_path}/content/papers/known-paper.md:3: topic "pruning" is both in "add_topics" and "remove_topics" '
            "(keep it in one of them)"
        )
    ]


def test_topic_listed_twice_is_an_error(tmp_path):
    content = override_content(tmp_path, "topics: [pruning, pruning]\n")
    _, _, errors = apply(content, [paper("known-paper")])
    assert errors == [
        f'{tmp_path}/content/papers/known-paper.md:2: topic "pruning" is listed twice in "topics" (keep one)'
    ]


def test_overrides_with_no_topics_defined(tmp_path):
    content = Content(
        topics=[], tags=[Tag("gpu", "GPU", "hardware")], overrides=override_content(tmp_path, "topics: [x]\n").overrides
    )
    _, _, errors = apply(content, [paper("known-paper")])
    assert errors == [
        f'{tmp_path}/content/papers/known-paper.md:2: unknown topic "x" in "topics" (there are no topics yet)'
    ]


def test_override_wins_over_rules_in_the_corpus_topic_set(tmp_path):
    """With the corpus topics, an override moves a paper whatever the rules said."""
    content, errors = load(CONTENT)
    assert errors == []
    slugs = [t.slug for t in content.topics]
    assert len(slugs) >= 2, "the corpus needs at least two topics for this test"
    files = {"papers/known-paper.md": f"---\ntopics: [{slugs[-1]}, {slugs[0]}]\n---\n"}
    content.overrides = load(make_content(tmp_path, files))[0].overrides
    target = paper("known-paper", topics=(slugs[0],))
    apply(content, [target])
    assert target.primary_topic == slugs[-1] and target.topic_slugs == [slugs[-1], slugs[0]]


def test_topic_objects_are_the_model_type():
    content, _ = load(BASIC)
    assert all(isinstance(t, Topic) for t in content.topics)


def test_one_bad_file_does_not_hide_the_others(tmp_path):
    root = make_content(tmp_path, {"topics/good.md": "---\ntitle: Good\n---\n"})
    (root / "topics" / "bad.md").write_bytes(b"---\ntitle: Caf\xe9\n---\n")
    content, errors = load(root)
    assert [t.slug for t in content.topics] == ["good"]
    assert errors == [
        (
            f"{root}/topics/bad.md:2: not valid UTF-8: byte 0xe9 at column 11 "
            "(content files are UTF-8 text; re-save this file as UTF-8)"
        )
    ]


# ------------------------------------------- through the whole pipeline


def test_overrides_win_over_rules_in_a_full_load():
    from litreview.engine.pipeline import load_site

    site = load_site(SEEDS, BASIC)
    fixed = site.paper("discrete-key-value-bottleneck")
    assert fixed.title == "Discrete Key-Value Bottleneck (corrected)"
    assert fixed.primary_topic == "attention"
    assert [a.origin for a in fixed.topics] == ["override", "override"]
    assert fixed.id in [p.id for p in site.topic("attention").papers]
    hidden = "how-does-information-bottleneck-help-deep-learning"
    assert [p.id for p in site.hidden] == [hidden]
    assert hidden not in [p.id for p in site.papers]


def test_bad_override_stops_the_build_with_its_line(tmp_path):
    import shutil

    from litreview.engine.pipeline import load_site
    from litreview.errors import InputErrors

    root = tmp_path / "content"
    shutil.copytree(BASIC, root)
    (root / "papers" / "no-such-paper-at-all.md").write_text("---\nhidden: true\n---\n", encoding="utf-8")
    with pytest.raises(InputErrors) as info:
        load_site(SEEDS, root)
    assert [e.format() for e in info.value.errors] == [
        (
            f'{root}/papers/no-such-paper-at-all.md:1: no paper has the id "no-such-paper-at-all" '
            "(the file name must be a paper id; `python build.py parse` lists them)"
        )
    ]

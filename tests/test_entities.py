"""content/entities.yml (read/entities.py), name matching and baselines (analyse/entities.py),
who compares against whom (analyse/lineage.py)."""

from __future__ import annotations

import re
import shutil
import textwrap

from helpers import CONTENT, SEEDS, run_cli

from litreview.analyse.entities import Matcher, comparison_windows, find_entities
from litreview.analyse.lineage import add_landmarks, link_papers
from litreview.engine.cache import Cache
from litreview.engine.pipeline import load_site
from litreview.engine.steps import Steps
from litreview.errors import ErrorCollector
from litreview.model import Claim, Entity, Paper, Source, Topic
from litreview.read.entities import load_entities


def entity(name, category="Systems", aliases=(), paper=None):
    return Entity(name, category, (name, *aliases), paper)


def paper(pid, abstract, title=None, year=None):
    return Paper(id=pid, title=title or pid, abstract=abstract, sources=[Source("s.txt", 1)], year=year)


def read(tmp_path, text, ids=("flexgen-high-throughput", "zero-memory"), old_ids=None, unknown=None):
    (tmp_path / "entities.yml").write_text(textwrap.dedent(text), encoding="utf-8")
    errors = ErrorCollector()
    found = load_entities(tmp_path, errors, ids, old_ids, unknown)
    return found, [e.format() for e in errors.errors]


# ---------------------------------------------------------------- reading


def test_categories_keep_file_order_and_entities_their_spellings(tmp_path):
    (categories, entities), errors = read(
        tmp_path,
        """\
        categories:
          Hardware:
            - {name: NVIDIA A100, aliases: [A100]}
          Systems:
            - TVM
            - name: FlexGen
              paper: flexgen-high-throughput
          Datasets: []
        """,
    )
    assert errors == []
    assert categories == ["Hardware", "Systems", "Datasets"]
    assert [(e.name, e.category, e.aliases, e.paper, e.line) for e in entities] == [
        ("NVIDIA A100", "Hardware", ("NVIDIA A100", "A100"), None, 3),
        ("TVM", "Systems", ("TVM",), None, 5),
        ("FlexGen", "Systems", ("FlexGen",), "flexgen-high-throughput", 6),
    ]


def test_no_file_and_an_empty_file_declare_nothing(tmp_path):
    assert load_entities(tmp_path, ErrorCollector()) == ([], [])
    assert read(tmp_path, "categories: {}\n") == (([], []), [])
    assert read(tmp_path, "# only comments\n") == (([], []), [])


def test_errors_name_file_line_and_fix(tmp_path):
    unknown = []
    (_, entities), errors = read(
        tmp_path,
        """\
        categories:
          Systems:
            - name: FlexGen
              alias: [Flex]
            - name: vLLM
              paper: flexgen-high-throughpt
            - {name: Orca, aliases: [FlexGen]}
            - {aliases: [x]}
            - 3
          Models: OPT
        catgories: 1
        """,
        unknown=unknown,
    )
    path = tmp_path / "entities.yml"
    # A paper the catalogue lacks is not an error (a paper may leave the seeds): check warns, the entity stays.
    assert [w.format() for w in unknown] == [
        f'{path}:6: "vLLM": no paper has the id "flexgen-high-throughpt" '
        '(did you mean "flexgen-high-throughput"?; until then vLLM is shown without its paper)'
    ]
    assert [(e.name, e.paper) for e in entities] == [("vLLM", None)]
    assert errors == [
        f'{path}:11: unknown key "catgories" (did you mean "categories"?)',
        f'{path}:4: unknown key "alias" (did you mean "aliases"?)',
        f'{path}:7: "FlexGen" names both "FlexGen" (line 3) and "Orca" '
        "(a spelling may name one entity only: remove it from one of them)",
        f'{path}:8: category "Systems": an entity needs a name (text), got nothing',
        f'{path}:9: category "Systems": an entity must be a name or a mapping, got int '
        "(write - Name, or - {name: Name, aliases: [...], paper: ID})",
        f'{path}:10: category "Models": expected a list of entities, got str '
        "(write one entity per line below it: - name: ... (or - Name))",
    ]


def test_a_paper_may_be_named_by_an_old_id(tmp_path):
    (_, entities), errors = read(
        tmp_path, "categories:\n  Systems:\n    - {name: ZeRO, paper: zero-old}\n", old_ids={"zero-old": "zero-memory"}
    )
    assert errors == [] and entities[0].paper == "zero-memory"


def test_check_warns_about_papers_the_catalogue_lacks_and_the_build_goes_on(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEEDS / sorted(p.name for p in SEEDS.iterdir())[0], seeds)
    code, out, _ = run_cli(capsys, "check", "--seeds", str(seeds), "--content", str(CONTENT))
    assert code == 0
    assert re.search(
        r'^warning: .*entities\.yml:\d+: "vLLM": no paper has the id "efficient-memory-management', out, re.M
    )


def test_check_counts_what_the_entities_find(capsys):
    code, out, _ = run_cli(capsys, "check", "--seeds", str(SEEDS), "--content", str(CONTENT))
    assert code == 0
    assert re.search(
        r"^\d+ entities: \d+ papers name one, \d+ compare against one, \d+ comparisons link two papers$", out, re.M
    )


def test_check_reports_entities_errors(tmp_path, capsys):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    (content / "entities.yml").write_text("categories:\n  Hardware: 1\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, "check", "--seeds", str(SEEDS), "--content", str(content))
    assert code == 1
    assert f'{content / "entities.yml"}:2: category "Hardware": expected a list of entities, got int' in out


# ---------------------------------------------------------------- matching

MATCHER = Matcher(
    [
        entity("NVIDIA A100", "Hardware", ["A100"]),
        entity("OPT", "Models"),
        entity("LLaMA", "Models", ["Llama"]),
        entity("Llama 2", "Models", ["Llama-2"]),
        entity("GPT-3", "Models"),
        entity("ZeRO", "Systems", ["ZeRO-Offload"]),
        entity("Megatron-LM", "Systems", ["Megatron"]),
        entity("vLLM", "Systems", ["PagedAttention"]),
        entity("FlexGen", "Systems"),
        entity("ImageNet", "Datasets"),
    ]
)


def names(text):
    return [e.name for e in MATCHER.names(text)]


def test_whole_words_in_their_case():
    assert names("We run on A100 GPUs.") == ["NVIDIA A100"]
    assert names("XA100 and A1000 and a100 are not it") == []
    assert names("users may opt in; zero-shot results") == []  # "OPT", "ZeRO" keep their case
    assert names("OPT and ZeRO") == ["OPT", "ZeRO"]


def test_aliases_plurals_and_hyphenated_words():
    assert names("eight A100s with PagedAttention") == ["NVIDIA A100", "vLLM"]
    assert names("ImageNet-based pretraining, Megatron-style") == ["ImageNet", "Megatron-LM"]
    assert names("the Llama\n2 family") == ["Llama 2"]  # whitespace wraps


def test_the_longest_spelling_and_versions_win():
    assert names("Llama-2 and Llama") == ["Llama 2", "LLaMA"]
    assert names("ZeRO-Offload") == ["ZeRO"]
    assert names("GPT-3.5 is not GPT-3") == ["GPT-3"]
    assert names("GPT-35") == []
    assert names("OPT-175B, OPT-1.3B and Llama-2-70B") == ["OPT", "Llama 2"]  # a size is the same name
    assert names("OPT-3") == []  # a version is another: declare it as an alias


def test_comparative_phrases_name_baselines():
    found = find_entities(
        MATCHER,
        "FlexGen: fast inference",
        "FlexGen runs OPT on an A100. It outperforms vLLM and ZeRO by 2x on ImageNet. "
        "Latency is lower than with Megatron. We also use Llama.",
    )
    assert found.by_category == (
        ("Systems", ("FlexGen", "vLLM", "ZeRO", "Megatron-LM")),
        ("Models", ("OPT", "LLaMA")),
        ("Hardware", ("NVIDIA A100",)),
        ("Datasets", ("ImageNet",)),
    )
    assert found.baselines == ("vLLM", "ZeRO", "Megatron-LM")


def test_baselines_from_each_cue_and_the_claims():
    for sentence in (
        "Our system is 3x faster than vLLM.",
        "We compare with vLLM on an A100.",
        "It achieves a 2x speedup over vLLM while using less memory.",
        "Throughput vs. vLLM improves.",
        "Compared to vLLM, latency drops.",
        "We compare our generation speed with a fast engine, vLLM, and see gains.",
        "Compared with systems without batching (e.g., vLLM for serving), it is cheaper.",
    ):
        assert find_entities(MATCHER, "T", sentence).baselines == ("vLLM",), sentence
    assert find_entities(MATCHER, "T", "We run OPT on an A100.").baselines == ()
    assert find_entities(MATCHER, "T", "We run OPT.", ["FlexGen with offloading"]).baselines == ("FlexGen",)


def test_a_paper_never_compares_against_what_its_title_names():
    found = find_entities(MATCHER, "FlexGen", "Compared to vLLM, FlexGen is faster than ZeRO.")
    assert found.baselines == ("vLLM", "ZeRO")


def test_the_window_ends_at_the_phrase():
    sentence = "It is faster than vLLM by 2x on an A100 for OPT."
    ((start, end),) = comparison_windows(sentence)
    assert sentence[start:end] == " vLLM "


# ---------------------------------------------------------------- lineage


def test_links_go_both_ways_and_landmarks_rank_by_incoming():
    a = paper("flexgen", "x", year=2023)
    b = paper("b", "x")
    c = paper("c", "x")
    b.baselines = ["FlexGen", "vLLM"]
    c.baselines = ["FlexGen"]
    a.baselines = ["FlexGen"]  # itself: no link
    entities = [entity("FlexGen", paper="flexgen"), entity("vLLM", paper="hidden-paper")]
    link_papers([a, b, c], entities)
    assert (a.compares_with, a.compared_by) == ([], ["b", "c"])
    assert (b.compares_with, b.compared_by) == (["flexgen"], [])
    assert c.compares_with == ["flexgen"]
    topic = Topic("t", "T", 1, "", "", "t.md", papers=[c, b, a])
    add_landmarks([topic])
    assert topic.landmarks == [a]


def test_the_shipped_corpus_links_papers(tmp_path):
    site = load_site(SEEDS, CONTENT)
    by_id = {p.id: p for p in site.papers}
    assert site.entity_categories == [
        "Hardware",
        "Models",
        "Systems",
        "Methods",
        "Precision",
        "Parallelism",
        "Datasets",
    ]
    assert sum(1 for p in site.papers if p.entities) > 200
    vllm = by_id["efficient-memory-management-for-large-language-model-serving-with-pagedattention"]
    assert any(pid.startswith("batchllm-optimizing-large-batched-llm") for pid in vllm.compared_by)
    for p in site.papers:
        for other in p.compares_with:
            assert p.id in by_id[other].compared_by
    serving = site.topic("llm-serving")
    assert serving.landmarks[0] is vllm


def test_matching_is_memoised_by_the_entity_list(tmp_path):
    steps = Steps(Cache(tmp_path / "cache"))
    entities = [entity("vLLM")]
    p = paper("p", "It is faster than vLLM.")
    p.claims = [Claim("2x over vLLM", 2, "x", "speedup", "vLLM")]
    steps.entities([p], entities)
    assert p.baselines == ["vLLM"] and p.entities == {"Systems": ["vLLM"]}
    table = steps.cache.table("entities")
    hits = table.hits
    steps.entities([p], entities)
    assert table.hits == hits + 1
    steps.entities([p], [entity("vLLM", aliases=["PagedAttention"])])
    assert table.hits == hits + 1

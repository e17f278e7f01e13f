"""Bibliographic metadata from reference exports, everywhere: paper pages, exports, overrides."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from helpers import CONTENT

from litreview.engine.pipeline import BuildOptions, build, check
from litreview.model import author_line

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "bib"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("project")
    seeds = project / "seeds"
    seeds.mkdir()
    for path in DATA.glob("*.*"):
        shutil.copy(path, seeds / path.name)
    content = project / "content"
    shutil.copytree(CONTENT, content)
    out = project / "site"
    build(BuildOptions(seeds=seeds, content=content, out=out, cache=None, jobs=1))
    return out


def test_author_line() -> None:
    assert author_line(["A. One"]) == "A. One"
    assert author_line(["A. One", "B. Two"]) == "A. One and B. Two"
    assert author_line(["A. One", "B. Two", "C. Three"]) == "A. One, B. Two and C. Three"
    assert author_line([f"A{i}" for i in range(7)]) == "A0, A1, A2 et al."


def test_paper_page_shows_authors_venue_identifiers_and_cite_block(built: Path) -> None:
    html = (
        built / "papers" / "bert-pre-training-of-deep-bidirectional-transformers-for-language-understanding.html"
    ).read_text()
    assert '<span class="authors">Jacob Devlin, Ming-Wei Chang, Kenton Lee and Kristina Toutanova</span>' in html
    assert '<span class="venue">Proceedings of the 2019 Conference of the North American Chapter' in html
    assert ' · 2019 · <span class="badge">conference paper</span>' in html
    assert '<a href="https://doi.org/10.18653/v1/n19-1423" rel="noopener">DOI: 10.18653/v1/n19-1423</a>' in html
    assert '<a href="https://aclanthology.org/N19-1423" rel="noopener">Paper page</a>' in html
    assert '<pre id="cite-bibtex"><code>@inproceedings{devlinBERTPretrainingDeep2019,' in html
    assert 'data-copy="cite-bibtex"' in html
    preprint = (built / "papers" / "tabula-sapiens-reprocessed.html").read_text()
    assert '<a href="https://arxiv.org/abs/2201.00001" rel="noopener">arXiv:2201.00001</a>' in preprint


def test_paper_without_abstract_says_so(built: Path) -> None:
    html = (built / "papers" / "deep-learning-in-neural-networks-an-overview.html").read_text()
    assert '<p class="abstract missing">No abstract.</p>' in html


def test_exports_carry_the_metadata(built: Path) -> None:
    records = {r["id"]: r for r in json.loads((built / "papers.json").read_text())}
    tabula = records["the-tabula-sapiens-a-multiple-organ-single-cell-transcriptomic-atlas-of-humans"]
    assert tabula["authors"] == ["Tabula Sapiens Consortium", "Robert C. Jones", "Jim Karkanias", "others"]
    assert (tabula["year"], tabula["venue"], tabula["doi"], tabula["entry_type"]) == (
        2022,
        "Science",
        "10.1126/science.abl4896",
        "article",
    )
    assert tabula["citation_key"] == "tabulasapiensconsortiumTabulaSapiensMultipleorgan2022"
    assert records["attention-is-all-you-need"]["arxiv"] == "1706.03762"
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO((built / "papers.csv").read_text(), newline=""))}
    row = rows["attention-is-all-you-need"]
    assert (row["arxiv"], row["entry_type"], row["citation_key"]) == ("1706.03762", "article", "vaswani2017attention")
    assert row["authors"].startswith("Ashish Vaswani;Noam Shazeer;")


def write_override(content: Path, paper_id: str, text: str) -> None:
    (content / "papers").mkdir(exist_ok=True)
    (content / "papers" / f"{paper_id}.md").write_text(text)


def test_override_keys_doi_arxiv_url_entry_type(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(DATA / "pubmed.ris", seeds / "pubmed.ris")
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    write_override(
        content,
        "deep-learning-in-neural-networks-an-overview",
        "---\ndoi: https://doi.org/10.1016/J.NEUNET.2014.09.999\narxiv: arXiv:1404.7828v4\n"
        "url: https://example.org/paper\nentry_type: report\n---\n",
    )
    out = tmp_path / "site"
    build(BuildOptions(seeds=seeds, content=content, out=out, cache=None, jobs=1))
    record = next(r for r in json.loads((out / "papers.json").read_text()) if r["id"].startswith("deep-learning"))
    assert (record["doi"], record["arxiv"], record["paper_url"], record["entry_type"]) == (
        "10.1016/j.neunet.2014.09.999",
        "1404.7828",
        "https://example.org/paper",
        "report",
    )


def test_bad_override_identifiers_are_errors(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(DATA / "pubmed.ris", seeds / "pubmed.ris")
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    write_override(
        content,
        "deep-learning-in-neural-networks-an-overview",
        "---\ndoi: not a doi\narxiv: soon\nentry_type: journal\n---\n",
    )
    report = check(seeds, content, links=False)
    path = f"{content}/papers/deep-learning-in-neural-networks-an-overview.md"
    assert [e.format() for e in report.errors] == [
        f'{path}:2: "doi": "not a doi" is not a DOI (for example 10.1145/3079856.3080246)',
        f'{path}:3: "arxiv": "soon" is not an arXiv id (for example 1706.03762)',
        f'{path}:4: "entry_type": "journal" is not one of article, conference-paper, preprint, book, chapter, '
        "thesis, report, dataset, software, webpage, misc",
    ]


def test_old_addresses_redirect_to_the_paper(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    # The preprint and its published version, under another title, joined by their arXiv id.
    (seeds / "arxiv.bib").write_text(
        "@misc{p, title={Sparse Experts Are Fast}, eprint={2101.00001v2}, archiveprefix={arXiv}, year={2021}}\n"
    )
    (seeds / "published.bib").write_text(
        "@inproceedings{q, title={Sparse Mixture of Experts Is Fast and Cheap}, booktitle={ICML},"
        " eprint={2101.00001}, archiveprefix={arXiv}, year={2022}}\n"
    )
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    # A paper retitled in seeds/ keeps its old id through the override's aliases.
    write_override(content, "sparse-mixture-of-experts-is-fast-and-cheap", "---\naliases: [sparse-moe-old-name]\n---\n")
    out = tmp_path / "site"
    build(BuildOptions(seeds=seeds, content=content, out=out, cache=None, jobs=1))
    for alias in ("sparse-experts-are-fast", "sparse-moe-old-name"):
        html = (out / "papers" / f"{alias}.html").read_text()
        assert '<meta http-equiv="refresh" content="0; url=sparse-mixture-of-experts-is-fast-and-cheap.html">' in html
        assert '<a href="sparse-mixture-of-experts-is-fast-and-cheap.html">' in html
    assert check(seeds, content).ok  # every link of the redirect pages resolves
    # The sitemap is written with a base URL: build again with one.
    site_yml = content / "site.yml"
    site_yml.write_text(site_yml.read_text() + "\nbase_url: https://example.org/review/\n")
    build(BuildOptions(seeds=seeds, content=content, out=out, cache=None, jobs=1))
    sitemap = (out / "sitemap.xml").read_text()
    assert "papers/sparse-mixture-of-experts-is-fast-and-cheap.html" in sitemap
    assert "sparse-experts-are-fast" not in sitemap and "sparse-moe-old-name" not in sitemap


def test_alias_that_is_another_papers_id_is_an_error(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(DATA / "pubmed.ris", seeds / "pubmed.ris")
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    write_override(
        content,
        "deep-learning-in-neural-networks-an-overview",
        "---\naliases: [highly-accurate-protein-structure-prediction-with-alphafold]\n---\n",
    )
    report = check(seeds, content, links=False)
    assert [e.format() for e in report.errors] == [
        f"{content}/papers/deep-learning-in-neural-networks-an-overview.md:2: alias "
        '"highly-accurate-protein-structure-prediction-with-alphafold" is the id of another paper '
        "(an alias is an id no paper has now)"
    ]


def search_payload(built: Path) -> dict:
    """The split search index (search-index.js and search/) read back as one payload."""
    import lunr_reference

    files = {"search-index.js": (built / "search-index.js").read_text(encoding="utf-8")}
    for path in (built / "search").rglob("*.js"):
        files[path.relative_to(built).as_posix()] = path.read_text(encoding="utf-8")
    return lunr_reference.load_split(files)[1]


def test_search_indexes_authors_and_venue_with_year_and_venue_facets(built: Path) -> None:
    from litreview.write import search

    payload = search_payload(built)
    assert payload["fields"] == ["title", "methods", "topics", "tags", "abstract", "author", "venue"]
    assert [f.boost for f in search.active_fields([{"author": "", "venue": ""}])] == [10, 5, 3, 3, 1, 5, 2]
    terms = {row[0] for row in payload["rows"]}
    assert {"vaswani", "schmidhub", "neurip"} <= terms or {"vaswani", "schmidhub"} <= terms
    assert payload["facets"]["years"][0] == {"year": 2022, "count": 2}
    assert {"name": "Nature", "count": 1} in payload["facets"]["venues"]
    doc = next(d for d in payload["docs"] if d["id"] == "attention-is-all-you-need")
    assert (doc["year"], doc["venue"], doc["authors"]) == (
        2017,
        "Advances in neural information processing systems",
        "Ashish Vaswani, Noam Shazeer, Niki Parmar et al.",
    )


def test_all_papers_table_has_author_and_venue_columns_and_a_year_range(built: Path) -> None:
    html = (built / "papers.html").read_text()
    assert '<th scope="col" data-sort="author">First author</th>' in html
    assert '<th scope="col" data-sort="number" data-year-column>Year</th>' in html
    assert 'id="year-from" data-year-from min="2015" max="2022"' in html
    assert (
        '<td data-label="First author" data-sort-key="Devlin">Jacob Devlin, Ming-Wei Chang, Kenton Lee and Kristina Toutanova</td>'
        in html
    )


def test_reviews_and_feed_name_the_authors(built: Path) -> None:
    reviews = "".join(p.read_text() for p in (built / "topics").glob("*.md"))
    assert (
        "(../papers/eyeriss-a-spatial-architecture-for-energy-efficient-dataflow-for-convolutional.html)** — "
        "Yu-Hsin Chen, Joel Emer and Vivienne Sze (2016)"
    ) in reviews
    feed = (built / "feed.xml").read_text()
    assert "<name>Jacob Devlin</name>" in feed or "<name>John Jumper</name>" in feed

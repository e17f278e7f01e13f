"""Reference-manager exports in seeds/: BibTeX, RIS and CSL-JSON.

The fixtures in tests/data/bib/ are written in the exact styles Zotero,
Better BibTeX, Google Scholar, Scopus, IEEE Xplore, arXiv, PubMed (RIS) and
Zotero's CSL JSON export produce; tests/data/bib/errors/ holds one broken
file per problem, named for it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import CONTENT, run_cli
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from litreview.errors import ErrorCollector, InputErrors
from litreview.model import Site, SiteConfig
from litreview.read.bibtex import read_bibtex
from litreview.read.catalogue import load_catalogue
from litreview.read.csljson import read_csl_json
from litreview.read.latex import latex_to_text
from litreview.read.ris import read_ris
from litreview.write import export

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "bib"


def catalogue(folder: Path) -> tuple[list, ErrorCollector]:
    errors = ErrorCollector()
    return load_catalogue(folder, errors), errors


def only(folder: Path, tmp_path: Path, *names: str) -> Path:
    seeds = tmp_path / "seeds"
    seeds.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(folder / name, seeds / name)
    return seeds


def by_id(papers: list) -> dict:
    return {p.id: p for p in papers}


# --- each exporter's style ------------------------------------------------


def test_zotero_better_bibtex(tmp_path: Path) -> None:
    papers, errors = catalogue(only(DATA, tmp_path, "zotero_better_bibtex.bib"))
    assert not errors.errors
    bert = by_id(papers)["bert-pre-training-of-deep-bidirectional-transformers-for-language-understanding"]
    assert bert.title == "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"
    assert bert.authors == ["Jacob Devlin", "Ming-Wei Chang", "Kenton Lee", "Kristina Toutanova"]
    assert bert.author_line == "Jacob Devlin, Ming-Wei Chang, Kenton Lee and Kristina Toutanova"
    assert (bert.year, bert.date, bert.entry_type, bert.doi) == (
        2019,
        "2019-06",
        "conference-paper",
        "10.18653/v1/n19-1423",
    )
    assert bert.venue.startswith("Proceedings of the 2019 Conference of the North American Chapter")
    assert bert.citation_key == "devlinBERTPretrainingDeep2019"
    assert bert.keywords == ["language models", "pre-training"]
    assert bert.abstract.startswith("We introduce a new language representation model called BERT, which")
    attention = by_id(papers)["attention-is-all-you-need"]
    assert (attention.entry_type, attention.arxiv, attention.venue) == ("preprint", "1706.03762", "arXiv")
    assert attention.author_line == "Ashish Vaswani, Noam Shazeer, Niki Parmar et al."
    tabula = by_id(papers)["the-tabula-sapiens-a-multiple-organ-single-cell-transcriptomic-atlas-of-humans"]
    assert tabula.authors == ["Tabula Sapiens Consortium", "Robert C. Jones", "Jim Karkanias", "others"]
    assert tabula.group_authors == ["Tabula Sapiens Consortium"]
    assert (tabula.venue, tabula.abstract) == ("Science", "")
    assert [w.format() for w in errors.warnings] == [
        f'{tmp_path}/seeds/zotero_better_bibtex.bib:45: entry "ZoteroNoteWithoutTitle" (@misc) has no title: '
        "skipped, it is not a paper (give it a title to include it)"
    ]


def test_zotero_native_bibtex(tmp_path: Path) -> None:
    papers, errors = catalogue(only(DATA, tmp_path, "zotero_native.bib"))
    assert not errors.errors
    attention, thesis = papers
    # Zotero's own export of an arXiv item: journal "arXiv:1706.03762 [cs]", note "arXiv: 1706.03762".
    assert (attention.title, attention.entry_type, attention.arxiv, attention.venue, attention.date) == (
        "Attention Is All You Need",
        "preprint",
        "1706.03762",
        "arXiv",
        "2017-12",
    )
    assert (thesis.title, thesis.authors, thesis.venue, thesis.entry_type) == (
        "Efficient inference for Æsir-scale models: A study of sparse attention",
        ["Mette Sørensen", "Ayşe Çelik"],
        "Københavns Universitet",
        "thesis",
    )
    assert [w.message for w in errors.warnings] == [
        'entry "zotero_attachment_2024" (@misc) has no title: skipped, it is not a paper'
    ]


def test_acm_dl_and_jabref(tmp_path: Path) -> None:
    papers, errors = catalogue(only(DATA, tmp_path, "acm_dl.bib", "jabref.bib", "scopus.bib"))
    assert not errors.errors
    tpu, overview = papers
    # ACM's key is the DOI; the same DOI from Scopus joins it, ACM's title ranks first (file name).
    assert (tpu.citation_key, [s.file for s in tpu.sources]) == (
        "10.1145/3079856.3080246",
        ["acm_dl.bib", "scopus.bib"],
    )
    assert tpu.title == "In-Datacenter Performance Analysis of a Tensor Processing Unit"
    assert tpu.venue == "Proceedings of the 44th Annual International Symposium on Computer Architecture"
    assert tpu.keywords[:3] == ["TPU", "accelerator", "neural network"]
    # JabRef: capitalised field names, "% Encoding" line, @Comment{jabref-meta: ...}.
    assert (overview.authors, overview.venue, overview.citation_key) == (
        ["Jürgen Schmidhuber"],
        "Neural Networks",
        "Schmidhuber2015",
    )
    assert [w.message.split(" for the same")[0] for w in errors.warnings] == [
        "title 'In-datacenter performance analysis of a tensor processing unit' differs from "
        "'In-Datacenter Performance Analysis of a Tensor Processing Unit' at "
        f"{tmp_path}/seeds/acm_dl.bib:1"
    ]


def test_google_scholar_latex_accents_math_and_keys(tmp_path: Path) -> None:
    papers, errors = catalogue(only(DATA, tmp_path, "google_scholar.bib"))
    assert not errors.errors and not errors.warnings
    co2 = papers[1]
    assert co2.title == "Reducing CO₂ emissions of GPU training by 40% with über-efficient kernels — a study"
    assert co2.authors == ["Jörg Müller", "René François", "Jan van der Berg"]
    assert (co2.entry_type, co2.arxiv, co2.venue, co2.abstract) == ("preprint", "2001.01234", "arXiv", "")
    assert co2.citation_key == "muller2020co2"  # Google Scholar's m{\"u}ller2020co2
    assert papers[0].authors[6] == "Łukasz Kaiser"
    assert (papers[0].entry_type, papers[0].venue) == ("article", "Advances in neural information processing systems")


def test_ieee_xplore_and_scopus(tmp_path: Path) -> None:
    papers, errors = catalogue(only(DATA, tmp_path, "ieee_xplore.bib", "scopus.bib"))
    assert not errors.errors
    eyeriss, tpu = papers
    assert (eyeriss.date, eyeriss.entry_type, eyeriss.keywords) == (
        "2016-06",
        "conference-paper",
        ["Convolution", "Energy efficiency", "Hardware"],
    )
    assert tpu.venue == "International Symposium on Computer Architecture (ISCA)"  # @string # "..."
    assert (tpu.date, tpu.entry_type, tpu.doi) == ("2017-06", "conference-paper", "10.1145/3079856.3080246")
    assert tpu.abstract.endswith("domain-specific hardware. © 2017 ACM.")


def test_pubmed_ris_and_zotero_csl_json(tmp_path: Path) -> None:
    papers, errors = catalogue(only(DATA, tmp_path, "pubmed.ris", "zotero.json"))
    assert not errors.errors
    alphafold, overview, tabula = papers
    assert alphafold.sources[0].file == "pubmed.ris" and alphafold.sources[1].file == "zotero.json"  # one DOI
    assert (alphafold.venue, alphafold.date, alphafold.doi) == ("Nature", "2021-08", "10.1038/s41586-021-03819-2")
    assert alphafold.keywords == ["Protein Folding", "Deep Learning"]
    assert (overview.authors, overview.doi, overview.abstract) == (
        ["Jürgen Schmidhuber"],
        "10.1016/j.neunet.2014.09.003",
        "",
    )
    assert (tabula.entry_type, tabula.arxiv, tabula.group_authors) == (
        "preprint",
        "2201.00001",
        ["Tabula Sapiens Consortium"],
    )
    assert [w.message for w in errors.warnings] == [
        'item "http://zotero.org/users/local/x1/items/NOTE0001" (document) has no title: skipped, it is not a paper',
        'item "http://zotero.org/users/local/x1/items/WEB00001" (webpage) has no title: skipped, it is not a paper',
    ]


def test_duplicates_across_formats_merge_with_documented_precedence(tmp_path: Path) -> None:
    seeds = only(DATA, tmp_path, "arxiv.bib", "google_scholar.bib", "zotero_better_bibtex.bib")
    abstract = (
        "The dominant sequence transduction models are recurrent or convolutional. "
        "We propose a simpler network architecture, the Transformer, based solely on attention."
    )
    (seeds / "listing.txt").write_text(f"Attention Is All You Need\n\n{abstract}\n")
    papers, errors = catalogue(seeds)
    attention = by_id(papers)["attention-is-all-you-need"]
    # arXiv id (v7 and unversioned), DOI and title all lead to one paper with every source.
    assert [s.file for s in attention.sources] == [
        "arxiv.bib",
        "google_scholar.bib",
        "listing.txt",
        "zotero_better_bibtex.bib",
    ]
    # Published (Google Scholar's article) before preprints; exports before the listing.
    assert (attention.title, attention.year, attention.entry_type) == ("Attention is all you need", 2017, "article")
    assert attention.abstract.startswith("The dominant sequence transduction models")  # first export with one
    assert (
        f"{seeds}/arxiv.bib:1: year 2023 differs from 2017 at {seeds}/google_scholar.bib:1 for the same paper"
        in "\n".join(w.format() for w in errors.warnings)
    )


def test_papers_without_abstract_are_classified_and_counted(tmp_path: Path) -> None:
    from litreview.engine.pipeline import check

    seeds = only(DATA, tmp_path, "google_scholar.bib", "pubmed.ris")
    report = check(seeds, ROOT / "tests" / "data" / "content", links=False)
    assert report.ok
    assert (
        "3 paper(s) have no abstract (google_scholar.bib:1, google_scholar.bib:9, pubmed.ris:23): they are classified by title and keywords only"
        in report.warnings
    )


# --- bad input ----------------------------------------------------------------


def test_every_problem_in_every_file_in_one_run() -> None:
    errors = ErrorCollector()
    with pytest.raises(InputErrors):
        load_catalogue(DATA / "errors", errors)
        errors.raise_if_any()
    folder = "tests/data/bib/errors"
    got = sorted(e.format().replace(str(DATA / "errors"), folder) for e in errors.errors)
    assert got == [
        f"{folder}/bibtex_saved_as.txt:1: this looks like BibTeX, not a scraped listing (rename it to bibtex_saved_as.bib)",
        f'{folder}/field_outside_entry.bib:4: field "year" outside any entry (is the "}}" that closes the entry above '
        "one line too early, or its @type{key, line missing?)",
        f"{folder}/latin1.bib:2: not valid UTF-8: byte 0xfc at column 13 (re-save the file as UTF-8 (for example: "
        "iconv -f latin1 -t utf-8))",
        f"{folder}/not_csl_object.json:1: not CSL-JSON: expected an array of items ([{{...}}, ...]) (in Zotero: "
        'select the items, then File > Export Library... > "CSL JSON")',
        f'{folder}/not_csl_package.json:1: not CSL-JSON: each item must be an object with a "type" and an "id" (in '
        'Zotero: select the items, then File > Export Library... > "CSL JSON")',
        f'{folder}/notes.md: unknown seed file type ".md" (seeds/ holds .txt listings and .bib, .ris or .json '
        "(CSL-JSON) exports; rename the file or move it out of seeds/)",
        f'{folder}/ris_missing_er.ris:5: RIS record has no ER line (add "ER  - " before line 9)',
        f'{folder}/ris_title_without_record.ris:1: RIS tag TI outside any record (is the record\'s "TY  - " line missing?)',
        f'{folder}/ris_title_without_record.ris:2: ER line without a record (is its "TY  - " line missing?)',
        f'{folder}/syntax_error_unclosed_entry.bib:6: BibTeX syntax error in entry "broken2021": the next entry starts '
        'before this one is closed (a } or " is missing) (check its braces and quotes, and the comma after each field)',
    ]


def test_bad_reference_file_stops_the_build_and_keeps_the_site(tmp_path: Path) -> None:
    seeds = only(DATA, tmp_path, "pubmed.ris")
    out = tmp_path / "site"
    run = [sys.executable, str(ROOT / "build.py"), "--seeds", str(seeds), "--content", str(CONTENT)]
    run += ["--out", str(out), "--no-cache"]
    assert subprocess.run(run, capture_output=True, cwd=ROOT).returncode == 0
    before = sorted(p.name for p in (out / "papers").iterdir())
    shutil.copy(DATA / "errors" / "syntax_error_unclosed_entry.bib", seeds / "broken.bib")
    done = subprocess.run(run, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 1
    assert f'{seeds}/broken.bib:6: BibTeX syntax error in entry "broken2021"' in done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in (out / "papers").iterdir()) == before


def test_ris_and_json_in_a_txt_file_name_their_extension(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(DATA / "pubmed.ris", seeds / "scopus-export.txt")
    shutil.copy(DATA / "zotero.json", seeds / "zotero.txt")
    _, errors = catalogue(seeds)
    assert sorted(e.format() for e in errors.errors) == [
        f"{seeds}/scopus-export.txt:1: this looks like RIS, not a scraped listing (rename it to scopus-export.ris)",
        f"{seeds}/zotero.txt:1: this looks like CSL-JSON, not a scraped listing (rename it to zotero.json)",
    ]


def test_json_syntax_error_names_line_and_column() -> None:
    result = read_csl_json('[\n {"type": "book", "title": "A"},\n {"type": "book" "title": "B"}\n]\n', "x.json")
    assert [e.format() for e in result.errors] == [
        "x.json:3: JSON syntax error at column 18: Expecting ',' delimiter "
        '(in Zotero: select the items, then File > Export Library... > "CSL JSON")'
    ]


def test_duplicate_citation_key_is_an_error() -> None:
    result = read_bibtex("@article{a, title={One}}\n@article{a, title={Two}}\n", "x.bib")
    assert [e.format() for e in result.errors] == [
        'x.bib:2: citation key "a" is used twice in this file (give each entry its own key)'
    ]


# --- LaTeX ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"{\"u}ber M{\"u}ller", "über Müller"),
        (r"Fran{\c{c}}ois {\v{S}}koda Ap{\'{e}}ro", "François Škoda Apéro"),
        (r"{BERT}: {{Pre-training}}", "BERT: Pre-training"),
        (r"CO$_2$ and $\alpha$-Net in $O(n^2)$, $10^{-3}$", "CO₂ and α-Net in O(n²), 10⁻³"),
        (r"R\&D at 50\% -- 2010--2020 --- done", "R&D at 50% – 2010–2020 — done"),
        (r"\emph{Deep} \textit{learning} with~ties", "Deep learning with ties"),
        (r"see \url{https://x.org/a_b}", "see https://x.org/a_b"),
        ("plain  text\n with   spaces", "plain text with spaces"),
    ],
)
def test_latex_becomes_unicode(latex: str, text: str) -> None:
    assert latex_to_text(latex) == text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_characters="\\{}$~`'-", blacklist_categories=("Cs",))))
def test_text_without_markup_is_unchanged(text: str) -> None:
    assert latex_to_text(text) == " ".join(text.split())


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_latex_to_text_never_fails(text: str) -> None:
    assert isinstance(latex_to_text(text), str)


# --- parsers never crash ------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_bibtex_reader_reports_or_reads_any_text(text: str) -> None:
    result = read_bibtex(text, "x.bib")
    for entry in result.entries:
        assert entry.title and entry.source.line >= 1


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["TY  - JOUR", "TI  - A title", "AU  - Doe, J.", "ER  - ", "", "junk", "PY  - 2020"])))
def test_ris_reader_reports_or_reads_any_lines(lines: list[str]) -> None:
    text = "\n".join(lines)
    result = read_ris(text, "x.ris")
    if not result.errors:
        assert len(result.entries) + len(result.warnings) == text.count("TY  - ")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(["type", "id", "title", "author", "issued", "DOI", "x"]), inner, max_size=5)
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(st.lists(json_values, max_size=4))
def test_csl_json_reader_reports_or_reads_any_json(items: list) -> None:
    result = read_csl_json(json.dumps(items), "x.json")
    for entry in result.entries:
        assert entry.title


# --- round trip through papers.bib ----------------------------------------------


def test_papers_bib_round_trips_the_catalogue(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for path in DATA.glob("*.*"):
        shutil.copy(path, seeds / path.name)
    (seeds / "listing.txt").write_text(
        "Odd -- title with `` quotes '' and {braces} $x$ \\LaTeX\n\n"
        "An abstract: 50% of R&D ~ costs, in a long sentence that goes on. It says --- a lot, and more than that, much more than that.\n"
    )
    papers, errors = catalogue(seeds)
    assert not errors.errors
    bib = export.papers_bib(Site(SiteConfig(), papers, [], [], []), None)
    again_dir = tmp_path / "again"
    again_dir.mkdir()
    (again_dir / "papers.bib").write_text(bib)
    again, errors = catalogue(again_dir)
    assert not errors.errors and not errors.warnings
    fields = ("id", "title", "abstract", "authors", "group_authors", "year", "venue", "doi", "arxiv", "keywords")

    def record(p) -> dict:  # a listing's paper has no entry type; papers.bib writes it as @misc
        return {**{f: getattr(p, f) for f in fields}, "entry_type": p.entry_type or "misc"}

    assert [record(p) for p in again] == [record(p) for p in papers]
    assert "@inproceedings{devlinBERTPretrainingDeep2019," in bib
    assert "booktitle = {Proceedings of the 2019" in bib
    assert "author = {{Tabula Sapiens Consortium} and Robert C. Jones and Jim Karkanias and others}" in bib
    assert "eprint = {1706.03762},\n  archiveprefix = {arXiv}" in bib


# --- stable ids -------------------------------------------------------------------


def git(cwd: Path, *args: str) -> None:
    env = {"GIT_AUTHOR_DATE": "", "HOME": str(cwd)}
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        env=env | {"PATH": "/usr/bin:/bin"},
    )


def test_adding_a_paper_whose_slug_collides_never_renames_the_existing_one(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    # The existing paper's title has a symbol the slug drops, so it does not spell its slug exactly.
    (seeds / "b-first.bib").write_text(
        "@article{a, title={D$\\varepsilon$PS: Delayed $\\varepsilon$-Shrinking}, year=2020}\n"
    )
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "first", "--date=2020-01-01T00:00:00Z")
    (before,), _ = catalogue(seeds)
    assert (before.title, before.id) == ("DεPS: Delayed ε-Shrinking", "dps-delayed-shrinking")
    # A newcomer whose title spells that slug exactly, in a file sorted first.
    (seeds / "a-new.bib").write_text("@article{b, title={DPS: Delayed Shrinking}, year=2021}\n")
    papers, _ = catalogue(seeds)
    assert by_id(papers)["dps-delayed-shrinking"].title == "DεPS: Delayed ε-Shrinking"
    newcomer = next(p for p in papers if p.title == "DPS: Delayed Shrinking")
    assert newcomer.id.startswith("dps-delayed-shrinking-")
    # Adding and removing unrelated papers changes nobody's id.
    (seeds / "c-more.ris").write_text("TY  - JOUR\nTI  - Something else entirely\nER  - \n")
    assert {p.title: p.id for p in catalogue(seeds)[0]}.items() >= {p.title: p.id for p in papers}.items()


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-qm", message, "--date=2021-01-01T00:00:00Z")


def test_removing_the_paper_that_held_a_slug_never_renames_the_other(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.bib").write_text("@article{a, title={DPS: Delayed Shrinking}, year=2020}\n")
    git(tmp_path, "init", "-q")
    commit(tmp_path, "first")
    (seeds / "b.bib").write_text(
        "@article{b, title={D$\\varepsilon$PS: Delayed $\\varepsilon$-Shrinking}, year=2021}\n"
    )
    commit(tmp_path, "second")
    papers, _ = catalogue(seeds)
    ids = {p.title: p.id for p in papers}
    assert ids["DPS: Delayed Shrinking"] == "dps-delayed-shrinking"
    second = ids["DεPS: Delayed ε-Shrinking"]
    assert second.startswith("dps-delayed-shrinking-")
    # The holder goes: the other keeps its id, before and after the removal is committed.
    (seeds / "a.bib").unlink()
    assert [p.id for p in catalogue(seeds)[0]] == [second]
    commit(tmp_path, "remove the holder")
    assert [p.id for p in catalogue(seeds)[0]] == [second]


def test_a_retitled_paper_keeps_its_old_url_as_a_redirect(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "seeds").mkdir()
    listing = tmp_path / "seeds" / "papers.txt"
    abstract = "We study a thing at length, and it works well in every setting we tried. " * 2
    listing.write_text(f"Efficent Sparse Kernels\n\n{abstract}\n\nAnother Paper Entirely\n\n{abstract[::-1]}\n")
    git(tmp_path, "init", "-q")
    commit(tmp_path, "first")
    # The typo is fixed: before and after the fix is committed, the old address redirects.
    listing.write_text(listing.read_text().replace("Efficent", "Efficient"))
    for step in ("working tree", "committed"):
        (fixed,) = [p for p in catalogue(tmp_path / "seeds")[0] if p.title.startswith("Efficient")]
        assert (fixed.id, fixed.aliases) == ("efficient-sparse-kernels", ["efficent-sparse-kernels"]), step
        if step == "working tree":
            commit(tmp_path, "fix the typo")
    out = tmp_path / "site"
    code, _, err = run_cli(
        capsys, "build", "--seeds", str(tmp_path / "seeds"), "--content", str(CONTENT), "--out", str(out)
    )
    assert code == 0, err
    assert 'url=efficient-sparse-kernels.html"' in (out / "papers" / "efficent-sparse-kernels.html").read_text()
    assert (out / "papers" / "efficient-sparse-kernels.html").is_file()


def test_a_resident_engine_gives_a_cold_reads_ids_and_old_addresses_through_edits_and_commits(tmp_path: Path) -> None:
    """serve keeps the seeds' git history indexed for the checked-out commit: every edit in
    the working tree and every commit must give the ids and aliases a cold read gives."""
    from litreview.engine.cache import Cache
    from litreview.engine.steps import Steps

    cache = Cache(None, resident=True)
    steps = Steps(cache)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    listing = seeds / "papers.txt"
    abstract = "We study a thing at length, and it works well in every setting we tried. " * 2
    listing.write_text(f"Efficent Sparse Kernels\n\n{abstract}\n\nAnother Paper Entirely\n\n{abstract[::-1]}\n")
    git(tmp_path, "init", "-q")
    commit(tmp_path, "first")

    def resident_and_cold() -> list[tuple[str, list[str]]]:
        resident = [(p.id, p.aliases) for p in steps.catalogue(seeds, ErrorCollector())]
        cache.save()
        assert resident == [(p.id, p.aliases) for p in catalogue(seeds)[0]]
        return resident

    resident_and_cold()
    listing.write_text(listing.read_text().replace("Efficent", "Efficient"))
    assert ("efficient-sparse-kernels", ["efficent-sparse-kernels"]) in resident_and_cold()
    commit(tmp_path, "fix the typo")
    resident_and_cold()
    # Retitled again: the title the second commit had is an old address too.
    listing.write_text(listing.read_text().replace("Efficient Sparse", "Effective Sparse"))
    found = dict(resident_and_cold())
    assert sorted(found["effective-sparse-kernels"]) == ["efficent-sparse-kernels", "efficient-sparse-kernels"]


# --- add --from -----------------------------------------------------------------


def add(seeds: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, str(ROOT / "build.py"), "add", "--seeds", str(seeds), *args]
    return subprocess.run(command, capture_output=True, text=True, input=stdin, cwd=seeds.parent)


def test_add_from_reference_exports_appends_bibtex_with_metadata(tmp_path: Path) -> None:
    seeds = only(DATA, tmp_path, "ieee_xplore.bib")
    done = add(seeds, "--from", str(DATA / "pubmed.ris"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == (
        "added highly-accurate-protein-structure-prediction-with-alphafold to seeds/added.bib:1: "
        "Highly accurate protein structure prediction with AlphaFold"
    )
    # Piped in: the format is recognised by its content.
    done = add(seeds, "--from", "-", stdin=(DATA / "zotero_better_bibtex.bib").read_text())
    assert done.returncode == 0, done.stderr
    assert 'warning: <stdin>.bib:45: entry "ZoteroNoteWithoutTitle" (@misc) has no title' in done.stderr
    papers, errors = catalogue(seeds)
    assert not errors.errors
    alphafold = by_id(papers)["highly-accurate-protein-structure-prediction-with-alphafold"]
    assert (alphafold.authors, alphafold.venue, alphafold.date, alphafold.doi) == (
        ["John Jumper", "Richard Evans", "Demis Hassabis"],
        "Nature",
        "2021-08",
        "10.1038/s41586-021-03819-2",
    )
    assert by_id(papers)[
        "bert-pre-training-of-deep-bidirectional-transformers-for-language-understanding"
    ].citation_key == ("devlinBERTPretrainingDeep2019")
    # The same DOI again (from Zotero's CSL JSON, another title case) is refused; nothing is written.
    before = (seeds / "added.bib").read_text()
    done = add(seeds, "--from", str(DATA / "zotero.json"))
    assert done.returncode == 1
    assert (
        "is already in the catalogue as paper highly-accurate-protein-structure-prediction-with-alphafold"
        in done.stderr
    )
    assert (seeds / "added.bib").read_text() == before


def test_near_duplicates_are_check_warnings_never_merged(tmp_path: Path) -> None:
    from litreview.engine.pipeline import check

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.bib").write_text(
        "@article{a, title={Efficient Memory Management for Large Language Model Serving}, year=2023}\n\n"
        "@article{b, title={Scaling Laws for Neural Language Models}, year=2020}\n"
    )
    (seeds / "b.ris").write_text(
        "TY  - JOUR\nTI  - Efficient Memory Managment for Large Language Model Serving\nER  - \n\n"
        "TY  - JOUR\nTI  - Scaling Laws for Neural Language Models: A Study of Compute\nER  - \n"
    )
    report = check(seeds, ROOT / "tests" / "data" / "content", links=False)
    assert report.notes[0].startswith("4 papers")
    near = [w for w in report.warnings if "kept as two papers" in w]
    assert near == [
        f'{seeds}/b.ris:1: "Efficient Memory Managment for Large Language Model Serving" looks like "Efficient '
        f'Memory Management for Large Language Model Serving" at {seeds}/a.bib:1 (the titles differ by a few '
        "characters); kept as two papers (if they are one paper, give both the same title, DOI or arXiv id)",
        f'{seeds}/b.ris:5: "Scaling Laws for Neural Language Models: A Study of Compute" looks like "Scaling Laws '
        f'for Neural Language Models" at {seeds}/a.bib:3 (one title is the other with a subtitle); kept as two '
        "papers (if they are one paper, give both the same title, DOI or arXiv id)",
    ]


@settings(max_examples=300, deadline=None)
@given(
    title=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1).filter(lambda t: t.strip()),
    abstract=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"))),
    author=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30),
)
def test_any_text_reads_back_from_papers_bib_as_written(title: str, abstract: str, author: str) -> None:
    from litreview.model import Paper, Source

    assume(export.clean_text(title))  # a title of unassigned code points only is no title
    paper = Paper(id="p", title=title, abstract=abstract, sources=[Source("x.txt", 1)], key="p")
    if author.strip() and author.strip().lower() != "others":
        paper.authors = [author]
        paper.group_authors = [author]  # a group name is kept whole whatever it holds
    result = read_bibtex(export.bib_entry(paper, None), "papers.bib")
    assert not result.errors
    (entry,) = result.entries
    assert entry.title == export.clean_text(title)
    assert entry.abstract == export.clean_text(abstract)
    assert entry.authors == [export.clean_text(a) for a in paper.authors if export.clean_text(a)]


@pytest.mark.parametrize("name", ["empty.bib", "empty.ris", "empty.json"])
def test_an_empty_export_is_an_error_like_an_empty_listing(tmp_path: Path, name: str) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / name).write_text("[]\n" if name.endswith(".json") else "\n")
    _, errors = catalogue(seeds)
    assert [e.format() for e in errors.errors] == [
        f"{seeds}/{name}: empty file: no papers found (export at least one item into it, or delete the file)"
    ]


def test_a_preprint_and_its_published_version_under_another_title_is_a_warning(tmp_path: Path) -> None:
    from litreview.engine.pipeline import check

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.bib").write_text(
        "@misc{a, title={Sparse Attention Kernels for Long Context Transformers on GPUs},"
        " author={Kim, Jae and Lee, Min}, year={2023}}\n"
    )
    (seeds / "b.bib").write_text(
        "@inproceedings{b, title={Long Context Transformers with Sparse Attention Kernels},"
        " author={Kim, Jae and Park, Soo}, booktitle={MLSys}, year={2024}}\n"
    )
    report = check(seeds, ROOT / "tests" / "data" / "content", links=False)
    assert report.notes[0].startswith("2 papers")
    assert [w for w in report.warnings if "kept as two papers" in w] == [
        f'{seeds}/b.bib:1: "Long Context Transformers with Sparse Attention Kernels" looks like "Sparse Attention '
        f'Kernels for Long Context Transformers on G…" at {seeds}/a.bib:1 (same first author and year, similar '
        "title: a preprint and its published version?); kept as two papers (if they are one paper, give both the "
        "same title, DOI or arXiv id)"
    ]


def test_build_prints_the_readers_warnings_with_file_and_line(tmp_path: Path, capsys) -> None:
    seeds = only(DATA, tmp_path, "zotero_better_bibtex.bib")
    code, _, err = run_cli(capsys, "build", "--seeds", str(seeds), "--content", str(CONTENT), "--no-cache",
                           "--out", str(tmp_path / "site"))  # fmt: skip
    assert code == 0, err
    assert (
        f'warning: {seeds}/zotero_better_bibtex.bib:45: entry "ZoteroNoteWithoutTitle" (@misc) has no title: '
        "skipped, it is not a paper (give it a title to include it)"
    ) in err.splitlines()

"""What reading reference exports costs: the same synthetic papers as .txt listings and as one .bib.

    python bench/bib_bench.py [N] [--build]

writes N synthetic papers (bench/corpus.py, default 10,000) twice, as
listings and as one BibTeX file in Zotero/Better BibTeX style (protected
capitals, accented authors, month macros, DOIs, a fifth of them arXiv
preprints, every tenth without an abstract), then reports the median time
to read each into the catalogue (of 5 runs) and, with --build, one cold build
of each (--no-cache, fresh output folder). The issue's budget: the .bib adds
at most 2 s to a cold build at 10,000 entries.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))
sys.path.insert(0, str(BENCH_DIR))

from corpus import SEED_DIR, load_papers, make_pools, synthesize, write_seed_files  # noqa: E402

from litreview.errors import ErrorCollector  # noqa: E402
from litreview.read.catalogue import load_catalogue  # noqa: E402

FAMILIES = ["Müller", "García Márquez", "Østergaard", "Nguyen", "Smith", "van der Berg", "O'Neil", "Łukasiewicz"]
GIVEN = ["Jörg", "Ana", "Søren", "Minh", "Jane", "Jan", "Siobhán", "Jan"]
LATEX = {"ü": '{\\"u}', "á": "{\\'a}", "Ø": "{\\O}", "ø": "{\\o}", "ö": '{\\"o}', "Ł": "{\\L}", "í": "{\\'i}"}
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def latex(text: str) -> str:
    return "".join(LATEX.get(c, c) for c in text)


def bib_text(pairs: list[tuple[str, str]], seed: int = 14) -> str:
    rng = random.Random(seed)
    specials = str.maketrans({"%": "\\%", "&": "\\&", "_": "\\_", "#": "\\#", "$": "\\$", "{": "", "}": "", "\\": ""})
    out = ['@string{neurips = "Advances in Neural Information Processing Systems"}\n']
    for i, (title, abstract) in enumerate(pairs):
        words = title.translate(specials).split()
        protected = " ".join("{" + w + "}" if sum(c.isupper() for c in w) > 1 else w for w in words)
        authors = " and ".join(
            f"{latex(rng.choice(FAMILIES))}, {latex(rng.choice(GIVEN))}" for _ in range(rng.randint(1, 8))
        )
        year = rng.randint(2015, 2025)
        fields = [f"  title = {{{protected}}}", f"  author = {{{authors}}}", f"  year = {{{year}}}"]
        fields.append(f"  month = {rng.choice(MONTHS)}")
        if i % 5 == 0:
            kind = "misc"
            fields += [f"  eprint = {{{2000 + i % 500}.{i:05d}}}", "  archiveprefix = {arXiv}"]
        else:
            kind = "inproceedings"
            fields += ["  booktitle = neurips", f"  doi = {{10.5555/bench.{i}}}"]
        if i % 10 != 3:
            fields.append("  abstract = {" + abstract.translate(specials) + "}")
        fields.append("  keywords = {machine learning, systems}")
        out.append(f"@{kind}{{key{i},\n" + ",\n".join(fields) + "\n}\n")
    return "\n".join(out)


def median_read(seeds: Path, runs: int = 5) -> tuple[float, int]:
    times = []
    for _ in range(runs):
        errors = ErrorCollector()
        start = time.perf_counter()
        papers = load_catalogue(seeds, errors)
        times.append(time.perf_counter() - start)
        assert not errors.errors, errors.errors[:3]
    return min(times), len(papers)  # the least disturbed run: the machine is shared


def cold_build(seeds: Path, out: Path) -> float:
    command = [sys.executable, str(BENCH_DIR.parent / "build.py"), "--seeds", str(seeds), "--no-cache"]
    command += ["--out", str(out), "--force"]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=BENCH_DIR.parent)
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    n = int(next((a for a in argv if a.isdigit()), "10000"))
    pairs = synthesize(n, make_pools(load_papers(SEED_DIR)))
    with tempfile.TemporaryDirectory() as tmp:
        txt, bib = Path(tmp, "txt"), Path(tmp, "bib")
        txt.mkdir()
        bib.mkdir()
        write_seed_files(pairs, txt)
        (bib / "library.bib").write_text(bib_text(pairs), encoding="utf-8")
        size = (bib / "library.bib").stat().st_size
        t_txt, n_txt = median_read(txt)
        t_bib, n_bib = median_read(bib)
        print(f"{n:,} papers; library.bib {size / 1e6:.1f} MB")
        print(f"read .txt listings: {t_txt:.2f} s ({n_txt:,} papers)")
        print(f"read one .bib:      {t_bib:.2f} s ({n_bib:,} papers), +{t_bib - t_txt:.2f} s")
        if "--build" in argv:
            b_txt = cold_build(txt, Path(tmp, "out-txt"))
            b_bib = cold_build(bib, Path(tmp, "out-bib"))
            print(f"cold build from .txt: {b_txt:.1f} s; from .bib: {b_bib:.1f} s, +{b_bib - b_txt:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

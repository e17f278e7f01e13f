"""Command line: argument parsing, exit codes and error printing.

Thin over the library: stages raise InputError(s); only this module turns
them into `file:line: message` lines and exit code 1. Usage errors exit 2.
A Python traceback is shown only with --verbose.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from litreview import __version__
from litreview.errors import ErrorCollector, InputError, InputErrors

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2
COMMANDS = (
    "build",
    "parse",
    "check",
    "add",
    "new-topic",
    "new-override",
    "explain",
    "serve",
    "diff",
    "suggest-topics",
    "init",
)


def add_io_options(parser: argparse.ArgumentParser, out: bool = True) -> None:
    parser.add_argument(
        "--seeds", type=Path, default=Path("seeds"), metavar="DIR", help="seed listings (default: seeds)"
    )
    parser.add_argument(
        "--content", type=Path, default=Path("content"), metavar="DIR", help="human-edited content (default: content)"
    )
    if out:
        parser.add_argument(
            "--out", type=Path, default=Path("site"), metavar="DIR", help="output folder (default: site)"
        )
    parser.add_argument("-v", "--verbose", action="store_true", help="time each stage; tracebacks on internal errors")


CORE_COMMANDS = ("build", "parse", "check")


def make_parser(authoring: bool = True) -> argparse.ArgumentParser:
    """The CLI; authoring commands are registered only when they may be asked
    for, so a plain build does not pay for importing them."""
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="litreview: build a literature-review site from seed listings and content.",
        epilog="With no command, builds the site (same as 'build').",
    )
    parser.add_argument("--version", action="version", version=f"litreview {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = sub.add_parser("build", help="build the site into --out (default site/)")
    add_io_options(build)
    build.add_argument(
        "--cache", type=Path, default=Path(".cache"), metavar="DIR", help="build cache (default: .cache)"
    )
    build.add_argument("--no-cache", action="store_true", help="use no cache at all (same output, slower)")
    build.add_argument("--force", action="store_true", help="rebuild even if no input changed")
    build.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="processes to use (default: 2 on multi-core machines; 1: no fork)",
    )

    parse = sub.add_parser("parse", help="print the parsed, de-duplicated paper catalogue")
    parse.add_argument(
        "--seeds", type=Path, default=Path("seeds"), metavar="DIR", help="seed listings (default: seeds)"
    )
    parse.add_argument("--format", choices=("json", "text"), default="text", help="output format (default: text)")
    parse.add_argument("-v", "--verbose", action="store_true", help="tracebacks on internal errors")

    check = sub.add_parser("check", help="validate seeds and content without writing anything")
    add_io_options(check, out=False)
    check.add_argument(
        "--format",
        choices=("text", "github", "json"),
        help="text (default), github (::error annotations; the default when GITHUB_ACTIONS=true) or json",
    )

    if authoring:
        from litreview.commands import register  # add, new-topic, new-override, explain, serve, diff

        register(sub)
    return parser


def normalise_argv(argv: list[str]) -> list[str]:
    """`build.py` and `build.py --seeds X` mean `build.py build ...`."""
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        return ["build", *argv]
    return argv


def main(argv: list[str] | None = None) -> int:
    argv = normalise_argv(list(sys.argv[1:] if argv is None else argv))
    parser = make_parser(authoring=argv[0] not in CORE_COMMANDS)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    handler = {"build": cmd_build, "parse": cmd_parse, "check": cmd_check}.get(args.command) or args.handler
    try:
        return handler(args)
    except (InputError, InputErrors) as exc:
        report_errors(exc)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # output piped into head and closed early
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        print("interrupted; site/ was left as it was", file=sys.stderr)
        return 130
    except Exception:  # a bug in litreview, not bad input
        if getattr(args, "verbose", False):
            raise
        import traceback

        last = traceback.format_exc().strip().splitlines()[-1]
        print(
            f"internal error: {last}\nrun again with --verbose for the traceback, and please report it", file=sys.stderr
        )
        return 3


def report_errors(exc: InputError | InputErrors) -> None:
    errors = exc.errors if isinstance(exc, InputErrors) else [exc]
    for error in errors:
        print(error.format(), file=sys.stderr)
    noun = "error" if len(errors) == 1 else "errors"
    print(f"{len(errors)} {noun}; nothing was written", file=sys.stderr)


SHOWN_WARNINGS = 10


def report_warnings(warnings: list[InputError]) -> None:
    """What the seeds' readers noticed but did not stop for (skipped notes, conflicting years...)."""
    for warning in sorted(warnings, key=lambda w: (w.path, w.line or 0))[:SHOWN_WARNINGS]:
        print(f"warning: {warning.format()}", file=sys.stderr)
    if len(warnings) > SHOWN_WARNINGS:
        print(
            f"... and {len(warnings) - SHOWN_WARNINGS} more warning(s): build.py check lists them all", file=sys.stderr
        )


def cmd_parse(args: argparse.Namespace) -> int:
    from litreview.read.catalogue import load_catalogue
    from litreview.write.export import paper_record

    errors = ErrorCollector()
    papers = load_catalogue(args.seeds, errors)
    errors.raise_if_any()
    if args.format == "json":
        json.dump([paper_record(p) for p in papers], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for paper in papers:
            where = ", ".join(f"{s.file}:{s.line}" for s in paper.sources)
            print(f"{paper.id}\t{paper.title}\t{where}")
        print(f"{len(papers)} papers", file=sys.stderr)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from litreview.commands.checkfmt import default_format, render
    from litreview.engine.pipeline import check

    report = check(args.seeds, args.content)
    print(render(report, args.format or default_format()))
    return EXIT_OK if report.ok else EXIT_BAD_INPUT


def cmd_build(args: argparse.Namespace) -> int:
    from litreview.engine.pipeline import BuildOptions, build

    started = time.perf_counter()
    options = BuildOptions(
        seeds=args.seeds,
        content=args.content,
        out=args.out,
        cache=None if args.no_cache else args.cache,
        force=args.force,
        verbose=args.verbose,
    )
    if args.jobs is not None:
        if args.jobs < 1:
            print("build.py: error: --jobs must be at least 1", file=sys.stderr)
            return EXIT_USAGE
        options.jobs = args.jobs
    result = build(options)
    elapsed = time.perf_counter() - started
    if result.site is None:
        print(f"{args.out}/ is up to date: no input changed since the last build (--force rebuilds)", file=sys.stderr)
    else:
        print(f"built {result.summary()} into {args.out}/ in {elapsed:.2f}s", file=sys.stderr)
        report_warnings(result.site.warnings)
    return EXIT_OK

"""The command line: python -m generator build|serve|deploy|new|fetch."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from generator.build import build_site
from generator.diagnostics import PapersiteError, file_error
from generator.engine.progress import Progress
from generator.site.output import JOURNAL

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a Ctrl-C


def _port(text: str) -> int:
    """A TCP port number, 0 to 65535 (0: any free one)."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"ports are 0 to 65535, not {port}")
    return port


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Build a fast, searchable static site from research-paper listings.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    site_root = argparse.ArgumentParser(add_help=False)
    site_root.add_argument("-C", dest="root", type=Path, default=Path("."), help="site root")
    build = commands.add_parser("build", parents=[site_root], help="build the site into site/")
    build.add_argument("--output", type=Path, help="output folder (default: ROOT/site)")
    build.add_argument("--base-url", help="absolute URL the site is published at")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build.add_argument("--quiet", action="store_true", help="no progress line on a terminal")
    serve = commands.add_parser(
        "serve", parents=[site_root], help="preview with live reload while editing"
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=_port, default=8000, help="port to listen on (0: any free)")
    serve.add_argument("--poll", action="store_true", help="poll for changes (Docker, WSL, NFS)")
    serve.add_argument("--base-path", default="/", help="serve under this path, e.g. /repo/")
    deploy = commands.add_parser(
        "deploy",
        parents=[site_root],
        help="build and publish where site.yml's deploy: says (gh-pages, or an S3 bucket)",
    )
    deploy.add_argument(
        "--remote", help="git remote to push to (default: site.yml's deploy: remote, or origin)"
    )
    deploy.add_argument(
        "--branch", help="branch to publish to (default: site.yml's deploy: branch, or gh-pages)"
    )
    deploy.add_argument("--message", help="commit message (default names the source commit)")
    deploy.add_argument(
        "--force",
        action="store_true",
        help="publish to an existing branch that deploy did not make (replacing what it holds)",
    )
    new = commands.add_parser("new", help="create a new site in DIR")
    new.add_argument("directory", type=Path, metavar="DIR")
    add_fetch_parser(commands, site_root)
    return parser


def add_fetch_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    site_root: argparse.ArgumentParser,
) -> None:
    """fetch search|daily|resolve|graph|add: the only commands that use the network."""
    fetch = commands.add_parser(
        "fetch",
        help="get listings, paper metadata and citations from the Hugging Face Hub and "
        "Semantic Scholar into content/",
    )
    kinds = fetch.add_subparsers(dest="what", metavar="WHAT", required=True)
    common = argparse.ArgumentParser(add_help=False, parents=[site_root])
    common.add_argument("--dry-run", action="store_true", help="ask and report, write nothing")
    search = kinds.add_parser(
        "search", parents=[common], help="save a papers search as content/listings/NAME.json"
    )
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--name", required=True, help="the listing's name (its file name)")
    search.add_argument("--limit", type=_positive, help="at most this many papers")
    daily = kinds.add_parser(
        "daily", parents=[common], help="save a day, week or month of daily papers"
    )
    daily.add_argument("--date", help="a day: YYYY-MM-DD")
    daily.add_argument("--week", help="an ISO week: YYYY-Www, e.g. 2024-W11")
    daily.add_argument("--month", help="a month: YYYY-MM")
    daily.add_argument("--name", help="the listing's name (default: daily-DATE)")
    resolve = kinds.add_parser(
        "resolve",
        parents=[common],
        help="look up papers without an arXiv id (by title) into content/metadata.yml",
    )
    resolve.add_argument(
        "--refresh", action="store_true", help="fetch again papers already in metadata.yml"
    )
    resolve.add_argument("--quiet", action="store_true", help="no progress bar")
    graph = kinds.add_parser(
        "graph",
        parents=[common],
        help="save citation counts, venues and references from Semantic Scholar "
        "into content/citations.json",
    )
    graph.add_argument(
        "--refresh", action="store_true", help="fetch again papers already in citations.json"
    )
    graph.add_argument("--quiet", action="store_true", help="no progress bar")
    add = kinds.add_parser(
        "add",
        parents=[common],
        help="add papers by arXiv id or URL, Hugging Face paper URL, or DOI to a listing",
    )
    add.add_argument("papers", metavar="ID_OR_URL", nargs="+")
    add.add_argument(
        "--name", default="added", help="the listing's name (default: added; .json and .bib)"
    )


def _positive(text: str) -> int:
    value = int(text) if text.isdigit() else 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number, 1 or more: {text!r}")
    return value


def main(argv: list[str] | None = None) -> int:
    """Run a command: every error it stops on is handled here, once (PapersiteError: its
    lines and its exit status; OSError: the file and what went wrong; Ctrl-C: 130)."""
    args = make_parser().parse_args(argv)
    building = args.command in ("build", "deploy")
    try:
        return COMMANDS[args.command](args)
    except PapersiteError as error:
        for line in error.lines(building):
            print(line, file=sys.stderr)
        return error.exit_code
    except OSError as error:  # the disk, not the content: full, read-only, unreadable
        print(file_error(error, building=building), file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:  # Ctrl-C: one line, the shell's status for it
        said = "papersite: interrupted"
        if args.command == "build":
            output = args.output or args.root / "site"
            said += (
                "; the next build finishes putting the new site in place"
                if (output / JOURNAL).exists()
                else "; the previous site was left as it was"
            )
        print(said, file=sys.stderr)
        return EXIT_INTERRUPTED


def _deploy(args: argparse.Namespace) -> int:
    from generator.commands.deploy import publish

    print(publish(args.root, args.remote, args.branch, args.message, args.force))
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from generator.commands.serve import run_serve  # each command loads only what it runs

    return run_serve(args.root, args.host, args.port, args.poll, args.base_path)


def _new(args: argparse.Namespace) -> int:
    from generator.commands.newsite import create_site

    written, warnings = create_site(args.directory)
    for warning in warnings:
        print(f"papersite: warning: {warning}", file=sys.stderr)
    print(f"Created a site in {args.directory} ({len(written)} files). Next:")
    print(f"  cd {args.directory} && python -m generator serve")
    return EXIT_OK


def _fetch(args: argparse.Namespace) -> int:
    from generator.commands import fetch  # the network's dependencies load only for fetch

    return fetch.run(args)


def _build(args: argparse.Namespace) -> int:
    return run_build(args.root, args.output, args.base_url, args.strict, args.quiet)


def run_build(
    root: Path, output: Path | None, base_url: str | None, strict: bool, quiet: bool = False
) -> int:
    """Build and report: warnings as one line each, then a summary."""
    progress = Progress.for_terminal(quiet)
    try:
        report = build_site(root, output, base_url, strict, progress)
    finally:
        progress.done()
    for warning in report.warnings:
        print(warning, file=sys.stderr)
    what = "Up to date:" if report.up_to_date else "Built"
    print(
        f"{what} {report.papers} papers, {report.topics} topics, {report.pages} pages "
        f"in {report.seconds:.2f} s -> {report.output} ({len(report.warnings)} warnings)"
    )
    if report.missing:
        said = [f"{count} {what}" for what, count in report.missing]
        lacking = ", ".join(said[:-1]) + " and " + said[-1] if len(said) > 1 else said[0]
        print(
            f"Incomplete: of {report.papers} papers, {lacking}. "
            "`python -m generator fetch resolve` looks them up on the Hugging Face Hub "
            "and saves what it finds in content/metadata.yml; then build again."
        )
    return EXIT_OK


# Each command, by its name on the command line.
COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "build": _build,
    "serve": _serve,
    "deploy": _deploy,
    "new": _new,
    "fetch": _fetch,
}

"""The ``medialit`` command line: argument parsing and printing only.

Every command calls the public API; run ``python -m medialit --help``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

__all__ = ["main", "build_parser"]


def _cmd_list(args: argparse.Namespace) -> int:
    from . import corpus

    ids = corpus.fileids(topic=args.topic, perspective=args.perspective, event=args.event, genre=args.genre)
    rows = [corpus.info(i) for i in ids]
    width = max((len(r.id) for r in rows), default=2)
    for row in rows:
        print(f"{row.id:<{width}}  {row.genre:<15}  {row.perspective:<22}  {row.title}")
    print(f"({len(rows)} texts)")
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    from . import corpus

    row = corpus.info(args.id)
    doc = corpus.document(args.id)
    print(f"{row.title}\n")
    print(doc.text)
    print(f"\n-- {doc!r}")
    print(f"-- topic: {row.topic}; event: {row.event or '-'}; perspective: {row.perspective}; genre: {row.genre}")
    print(f"-- origin: {row.origin}; licence: {row.license}")
    if doc.removed:
        print(f"-- removed from the raw text: {', '.join(doc.removed)}")
    return 0


def _cmd_read(args: argparse.Namespace) -> int:
    from .text import read

    doc = read(Path(args.file))
    print(f"{doc!r} (encoding: {doc.encoding})")
    if doc.removed:
        print(f"removed scraping leftovers: {', '.join(doc.removed)}")
    shown = doc.sentences[: args.limit]
    for number, sent in enumerate(shown, start=1):
        print(f"{number:>3}. [{sent.start}-{sent.end}] {sent.text}")
    if len(doc.sentences) > len(shown):
        print(f"... ({len(doc.sentences) - len(shown)} sentences omitted; use --limit)")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from .corpus import Corpus
    from .validate import validate

    problems = validate(args.root)
    for problem in problems:
        print(problem)
    corpus = Corpus(args.root)
    if problems:
        print(f"{len(problems)} problem(s) in {corpus.root}")
        return 1
    print(f"ok: {len(corpus.catalog())} texts and their annotations in {corpus.root} are valid")
    return 0


def _cmd_workspace(args: argparse.Namespace) -> int:
    from .workspace import prepare_workspace

    report = prepare_workspace(Path(args.lessons), Path(args.dest))
    for line in report.lines():
        print(line)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="medialit",
        description="medialit: texts, annotations and tools for a media-literacy course.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("list", help="list the corpus texts (filter by topic, perspective, event, genre)")
    p.add_argument("--topic")
    p.add_argument("--perspective")
    p.add_argument("--event")
    p.add_argument("--genre")
    p.set_defaults(func=_cmd_list)

    p = sub.add_parser("show", help="print one corpus text with its provenance")
    p.add_argument("id", help="a text id, as listed by `medialit list`")
    p.set_defaults(func=_cmd_show)

    p = sub.add_parser("read", help="read your own text file and show how medialit splits it")
    p.add_argument("file", help="a .txt or .html file")
    p.add_argument("--limit", type=int, default=20, help="how many sentences to show (default 20)")
    p.set_defaults(func=_cmd_read)

    p = sub.add_parser("validate-data", help="check the catalog, texts and gold annotations")
    p.add_argument("--root", default=None, help="a data folder other than the shipped one")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("workspace", help="copy the student versions of new lessons into a workspace folder")
    p.add_argument("--lessons", default="lessons", help="the nbgrader source folder (default: lessons)")
    p.add_argument("--dest", default="workspace", help="the student's folder (default: workspace)")
    p.set_defaults(func=_cmd_workspace)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    from .text import TextInputError

    try:
        return int(args.func(args))
    except (TextInputError, LookupError, ValueError, FileNotFoundError) as error:
        print(f"medialit {args.command}: {error}", file=sys.stderr)
        return 2

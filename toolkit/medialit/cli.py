"""The ``medialit`` command line: argument parsing and printing only.

Every command calls the public API; run ``python -m medialit --help``.
"""

from __future__ import annotations

import argparse
import json
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
        print(f"{row.id:<{width}}  {row.origin:<12}  {row.genre:<16}  {row.perspective:<22}  {row.title}")
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
    print(f"-- source: {corpus.attribution(args.id)}")
    if doc.removed:
        print(f"-- removed from the raw text: {', '.join(doc.removed)}")
    return 0


def _cmd_read(args: argparse.Namespace) -> int:
    from . import read  # a file, or the id of a corpus text

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

    from pathlib import Path

    from .references import check_course

    problems = validate(args.root)
    for problem in problems:
        print(problem)
    if args.balance and not problems:
        from .gold_balance import gold_balance

        print("Gold balance, all texts:\n" + gold_balance(args.root).table())
        print("\nGold balance, real texts only:\n" + gold_balance(args.root, origin="real").table().split("\n\n")[0])
    corpus = Corpus(args.root)
    course = Path(args.course) if args.course else Path.cwd()
    checked = (course / "lessons").is_dir() and (args.course or (course / "nbgrader_config.py").is_file())
    course_problems = check_course(course) if checked else []
    for problem in course_problems:
        print(problem)
    if problems or course_problems:
        print(f"{len(problems)} problem(s) in {corpus.root}"
              + (f", {len(course_problems)} in the lessons' references in {course}" if checked else ""))
        return 1
    print(f"ok: {len(corpus.catalog())} texts and their annotations in {corpus.root} are valid")
    if checked:
        print(f"ok: every widget question in {course / 'lessons'} has its reference in {course / 'references'}")
    return 0


def _progress_bar():
    from ._progress import ProgressBar

    return ProgressBar()


def _cmd_analyze(args: argparse.Namespace) -> int:
    from .analyzers import analyze
    from .batch import analyze_folder, summary
    from . import read  # a file, or the id of a corpus text

    target = Path(args.path)
    if target.is_dir():
        batch = analyze_folder(target, Path(args.html) if args.html else None,
                               progress=None if args.quiet else _progress_bar())
        print(json.dumps(batch.to_dict(), ensure_ascii=False, indent=2) if args.json else batch.table())
        return 1 if batch.failures and not batch.results else 0

    from . import corpus

    text_id = corpus.id_for_path(target)
    analysis = analyze(corpus.document(text_id) if text_id else read(target))
    if text_id and not args.json:
        print(f"-- source: {corpus.attribution(text_id)}")
    if args.html:
        from .views.html import analysis_html

        Path(args.html).write_text(analysis_html(analysis, standalone=True, title=target.name), encoding="utf-8")
        if not args.json:
            print(f"wrote {args.html}")
    if args.json:
        print(analysis.to_json())
    elif not args.html:
        print(summary(analysis, target.name, limit=args.limit))
    return 0


def _cmd_evaluate(args: argparse.Namespace) -> int:
    if args.ptc:
        from .evaluate_ptc import PTCError, evaluate_ptc

        try:
            result = evaluate_ptc(args.ptc, progress=_progress_bar() if sys.stderr.isatty() else None)
        except PTCError as error:
            print(f"medialit evaluate: {error}", file=sys.stderr)
            return 2
        print(result.table())
        return 0
    from .evaluate import evaluate, select

    ids = args.texts or select(args.split)
    print(f"split: {'chosen texts' if args.texts else args.split}")
    print(evaluate(ids).table())
    from .evaluate_frames import evaluate_issue_frames

    frames = evaluate_issue_frames(ids)
    if frames.rows:
        print()
        print(frames.table())
    if args.balance:
        from .evaluate_balance import balance

        print()
        print(balance(ids).table())
    return 0


def _cmd_model_answers(args: argparse.Namespace) -> int:
    from .references import write_model_answers

    folder = write_model_answers(Path(args.course), args.lesson)
    print(f"{args.lesson}: {len(list(folder.glob('*.json')))} model answers written to {folder}")
    return 0


def _cmd_workspace(args: argparse.Namespace) -> int:
    from .workspace import prepare_workspace

    report = prepare_workspace(Path(args.lessons), Path(args.dest), progress=lambda line: print(line, flush=True))
    for line in report.lines():
        print(line)
    return 0


def _cmd_grade(args: argparse.Namespace) -> int:
    from .grade import GradeProgress, grade

    summary = grade(args.lesson, args.course, workers=args.workers, students=args.student, force=args.force,
                    deadline=args.deadline, timeout=args.timeout, restore=args.restore,
                    sandbox=not args.unsafe_no_sandbox, progress=None if args.quiet else GradeProgress())
    if args.unsafe_no_sandbox:
        print("Graded WITHOUT the sandbox (--unsafe-no-sandbox): student code ran with your rights.")
    print(summary.table(limit=args.limit))
    if summary.interrupted:
        return 130
    return 1 if summary.failed else 0


def _cmd_class_report(args: argparse.Namespace) -> int:
    from .class_report import class_report, write_class_report
    from .course import CourseLayout

    report = class_report(args.lesson, args.course, reference=args.reference)
    print(report.table(top=args.top))
    out = Path(args.out) if args.out else CourseLayout.load(args.course).reports_for(args.lesson)
    for path in write_class_report(report, out):
        print(f"wrote {path}")
    from .prepost import assessment_pair, prepost_report, write_prepost_report

    pair = assessment_pair(args.lesson, args.course)
    if pair and pair[1] == args.lesson:  # the post-check: the class's change since the pre-check
        change = prepost_report(*pair, course=args.course)
        print()
        print(change.table())
        for path in write_prepost_report(change, out):
            print(f"wrote {path}")
    return 0


def _cmd_hub(args: argparse.Namespace) -> int:
    from .hub import load_config

    config = load_config(args.config)
    if args.hub_command == "init":
        from .hub.provision import DryRun, provision
        from .hub.roster import read_roster

        students = read_roster(args.roster)
        runner = DryRun() if args.dry_run else None
        lessons = Path(args.lessons) if args.lessons else None
        for line in provision(config, students, lessons, runner=runner):
            print(line)
        if runner is not None:
            for command in runner.commands:
                print("  " + " ".join(command))
            print(f"(dry run: nothing was changed; {len(runner.commands)} steps)")
        else:
            print(f"ready: {len(students)} students. Start the hub with `medialit hub up {args.config}`; the "
                  f"instructors sign up first at /hub/signup, then authorize the students at /hub/authorize")
        return 0
    if args.hub_command == "student-config":
        from .hub.provision import SystemRunner
        from .hub.render import student_files

        runner = SystemRunner()
        for path, file in student_files(config, Path(args.dest)).items():
            runner.write(path, file)
            print(f"wrote {path}")
        return 0
    if args.hub_command == "up":
        import os

        from .hub.service import check_ready, hub_command

        problems = check_ready(config)
        for problem in problems:
            print(f"medialit hub up: {problem}", file=sys.stderr)
        if problems:
            return 2
        command = hub_command(config)
        os.chdir(config.state_dir)
        os.execv(command[0], command)
    from .grade import GradeProgress
    from .hub.service import grade_on_hub

    summary = grade_on_hub(config, args.lesson, workers=args.workers, force=args.force,
                           progress=None if args.quiet else GradeProgress())
    print(summary.table())
    return 1 if summary.failed else 0


def _cmd_export(args: argparse.Namespace) -> int:
    from .export import export

    if bool(args.lesson) == bool(args.all):
        raise ValueError("name one lesson (for example 00-orientation) or give --all, not both")
    result = export(args.course, None if args.all else args.lesson, out=args.out, formats=args.format)
    for path in result.paths:
        print(f"wrote {path}")
    if result.attention:
        print(f"{len(result.attention)} submission(s) to look at before you upload the grades:")
        for row in result.attention[:20]:
            print(f"  {row.assignment} {row.student_id}: integrity {row.integrity}")
        if len(result.attention) > 20:
            print(f"  ... ({len(result.attention) - 20} more in the nbgrader CSV)")
    if result.manual:
        print(f"{result.manual} submission(s) still need a manual grade (written answers; formgrader)")
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

    p = sub.add_parser("validate-data", help="check the catalog, texts and gold annotations, and the lessons' "
                                            "references")
    p.add_argument("--root", default=None, help="a data folder other than the shipped one")
    p.add_argument("--course", default=None,
                   help="a course folder (with lessons/ and references/) whose widget questions and references "
                        "to check (default: the current folder, if it has lessons/ and nbgrader_config.py)")
    p.add_argument("--balance", action="store_true",
                   help="also print the gold's balance report: loaded-language and unsupported rates per "
                        "perspective, and every wording labelled differently across sides (with its reason)")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("analyze", help="analyze a text file (or every file in a folder): marks, claims, frames")
    p.add_argument("path", help="a .txt or .html file, or a folder of them")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.add_argument("--html", metavar="OUT", help="write a highlighted HTML report (a folder for a folder)")
    p.add_argument("--limit", type=int, default=25, help="marks to list in the text summary (default 25)")
    p.add_argument("--quiet", action="store_true", help="no progress bar for folders")
    p.set_defaults(func=_cmd_analyze)

    p = sub.add_parser("evaluate", help="score the analyzers against the gold annotations")
    p.add_argument("--split", default="all", choices=["dev", "heldout", "all"],
                   help="dev: texts the rules were written on; heldout: texts they were not (default all)")
    p.add_argument("--texts", nargs="+", metavar="ID", help="score only these corpus texts")
    p.add_argument("--balance", action="store_true",
                   help="also show loaded-language recall and false alarms per perspective")
    p.add_argument("--ptc", metavar="DIR",
                   help="score loaded language on outside text in the PTC layout (SemEval-2020 task 11): "
                        "DIR/train-articles/article<ID>.txt and DIR/*-TC.labels")
    p.set_defaults(func=_cmd_evaluate)

    p = sub.add_parser("workspace", help="copy the student versions of new lessons into a workspace folder")
    p.add_argument("--lessons", default="lessons", help="the nbgrader source folder (default: lessons)")
    p.add_argument("--dest", default="workspace", help="the student's folder (default: workspace)")
    p.set_defaults(func=_cmd_workspace)

    p = sub.add_parser("model-answers", help="write a lesson's key as answer files (.instructor-answers/LESSON), "
                                             "for nbgrader validate on the source and class-report (instructors)")
    p.add_argument("lesson", help="the lesson, for example 01-loaded-language")
    p.add_argument("--course", default=".", help="the course folder with references/ (default: here)")
    p.set_defaults(func=_cmd_model_answers)

    p = sub.add_parser("grade", help="autograde all collected submissions of a lesson in parallel (instructors)")
    p.add_argument("lesson", help="the lesson (nbgrader assignment) name, for example 01-loaded-language")
    p.add_argument("--course", default=".", help="the course folder with nbgrader_config.py (default: here)")
    p.add_argument("--workers", type=int, default=None, help="parallel grading processes (default: one per core)")
    p.add_argument("--student", nargs="+", metavar="ID", help="grade only these students")
    p.add_argument("--force", action="store_true", help="grade again what is already graded and unchanged")
    p.add_argument("--timeout", type=int, default=None, help="seconds per cell before it is interrupted "
                   "(default: the course's Execute.timeout)")
    p.add_argument("--deadline", type=float, default=600.0, help="seconds per submission before its worker is "
                   "stopped (default 600)")
    p.add_argument("--restore", action="store_true", help="also put back manual scores and comments changed "
                   "since the last run (automatic scores changed outside medialit grade are always put back)")
    p.add_argument("--limit", type=int, default=20, help="unflagged rows to print (default 20; all in summary.csv)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--unsafe-no-sandbox", action="store_true", help="grade without the bubblewrap sandbox (student "
                   "code then runs with your rights, beside the course); only where the sandbox cannot run")
    p.set_defaults(func=_cmd_grade)

    p = sub.add_parser("class-report", help="how the class answered a lesson's widget questions: agreement, "
                                            "most missed and over-flagged spans, a figure; for the post-check, the "
                                            "change per skill since the pre-check (instructors)")
    p.add_argument("lesson", help="the lesson (nbgrader assignment) name, for example 01-loaded-language")
    p.add_argument("--course", default=".", help="the course folder with submitted/ (default: here)")
    p.add_argument("--reference", help="a folder of model answers (default: .instructor-answers/LESSON)")
    p.add_argument("--out", help="where to write the report files (default: reports/LESSON)")
    p.add_argument("--top", type=int, default=3, help="most missed / over-flagged items per question (default 3)")
    p.set_defaults(func=_cmd_class_report)

    p = sub.add_parser("export", help="grades out: CSV for Canvas or Moodle import and nbgrader's CSV, with "
                                      "the integrity status of every submission (instructors)")
    p.add_argument("lesson", nargs="?", help="one lesson (nbgrader assignment); or --all")
    p.add_argument("--all", action="store_true", help="every lesson in the gradebook")
    p.add_argument("--course", default=".", help="the course folder with gradebook.db (default: here)")
    p.add_argument("--out", default=None, help="folder for the CSV files (default: COURSE/exports)")
    p.add_argument("--format", nargs="+", choices=["canvas", "moodle", "nbgrader"],
                   default=["canvas", "moodle", "nbgrader"], help="which files (default: all three)")
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser("hub", help="a class on JupyterHub: accounts, exchange, formgrader, culler "
                                   "(docs/hub.md; root)")
    hub = p.add_subparsers(dest="hub_command", metavar="STEP", required=True)
    q = hub.add_parser("init", help="create the accounts, the exchange, the course folder and the hub's files "
                                    "from a class config (TOML) and a roster (CSV); safe to run again")
    q.add_argument("config", help="the class's TOML file (template: medialit/hub/templates/class.toml)")
    q.add_argument("--roster", required=True, help="CSV with an 'id' column (optional: first_name, last_name, "
                                                   "email)")
    q.add_argument("--lessons", help="a checkout of medialit whose lessons/, references/ and nbgrader_config.py "
                                     "go into the course folder (omit to keep the course folder's own)")
    q.add_argument("--dry-run", action="store_true", help="print the steps; change nothing")
    q.set_defaults(func=_cmd_hub)
    q = hub.add_parser("up", help="start JupyterHub for the class (runs in the foreground)")
    q.add_argument("config", help="the class's TOML file")
    q.set_defaults(func=_cmd_hub)
    q = hub.add_parser("student-config", help="write the student servers' Jupyter settings into a folder (for an "
                                              "image, e.g. /etc/jupyter; `init` does this on one machine)")
    q.add_argument("config", help="the class's TOML file")
    q.add_argument("dest", help="the folder, for example /etc/jupyter")
    q.set_defaults(func=_cmd_hub)
    q = hub.add_parser("grade", help="grade a lesson's collected submissions in the sandbox (root), then give "
                                     "the course folder back to the course account")
    q.add_argument("config", help="the class's TOML file")
    q.add_argument("lesson", help="the lesson, for example 00-orientation")
    q.add_argument("--workers", type=int, default=None, help="parallel grading processes (default: one per core)")
    q.add_argument("--force", action="store_true", help="grade again what is already graded and unchanged")
    q.add_argument("--quiet", action="store_true", help="no progress bar")
    q.set_defaults(func=_cmd_hub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    from .grade import GradingError
    from .hub.provision import HubSetupError
    from .text import TextInputError

    try:
        return int(args.func(args))
    except (TextInputError, GradingError, HubSetupError, LookupError, ValueError, FileNotFoundError) as error:
        print(f"medialit {args.command}: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and cut short: not an error
        sys.stderr.close()
        return 0

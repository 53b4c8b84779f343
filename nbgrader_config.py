"""nbgrader configuration for the medialit course (instructors run nbgrader from the repo root)."""

from pathlib import Path

from medialit.course import exclude_overwriting

c = get_config()  # noqa: F821 - provided by nbgrader

_ROOT = Path(__file__).resolve().parent

c.CourseDirectory.course_id = "medialit"
# The lesson sources (with solutions and hidden tests) live in lessons/NN-slug/.
c.CourseDirectory.source_directory = "lessons"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
c.CourseDirectory.db_url = "sqlite:///gradebook.db"

# An unanswered code cell must not raise: the student's version of a widget or function cell
# should still run (its test fails with a hint instead), so "Run All" reaches the end.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\npass"}

# Feedback shows scores, visible tests and hints, never the hidden tests: ScrubFeedback removes
# any output line that quotes a hidden test (whatever student code printed), ClearHiddenTests
# removes them from the test cells, and ShortTracebacks from recorded tracebacks (IPython prints
# the lines around a failing assertion, hidden ones included).
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "medialit.grader.scrub_feedback.ScrubFeedback",
    "nbgrader.preprocessors.ClearHiddenTests",
    "medialit.grader.short_tracebacks.ShortTracebacks",
]

# A test cell a student deleted (or whose nbgrader metadata was stripped) is put back and run,
# instead of silently turning into "needs manual grade".
c.OverwriteCells.add_missing_cells = True

# The grader side (medialit.grader, one preprocessor per module): CheckSubmission records edited
# or deleted read-only cells, suspicious code and linked files before nbgrader restores the cells;
# GuardedExecute runs each submission's kernel in a bubblewrap sandbox (an unprivileged user, no
# network, only that submission's files; GuardedExecute.sandboxed) between two probes and with a
# receipt from every test cell; CapOutputs caps outputs per output and per notebook;
# ScoreAnswers scores each widget question's saved answer (answers/<question>.json) against
# references/<lesson>.json on the grader's side: the kernel never sees the references;
# ShowAnswers writes each saved widget answer as text below its widget cell (formgrader and feedback
# show no widget) and replaces nbgrader's "No response." comment on answered widget cells;
# FlagForReview flags the submission and writes reports/<lesson>/<student>/<nb>.integrity.json.
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "medialit.grader.check_submission.CheckSubmission",
    "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.Autograde.autograde_preprocessors = [
    "medialit.grader.guarded_execute.GuardedExecute",
    "medialit.grader.cap_outputs.CapOutputs",
    "medialit.grader.score_answers.ScoreAnswers",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "medialit.grader.show_answers.ShowAnswers",
    "medialit.grader.flag_for_review.FlagForReview",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
# The sandbox (medialit.grader.sandbox.SandboxKernelManager) is on: grading refuses to start
# where bubblewrap cannot run. Its limits are configurable here, e.g.
#   c.SandboxKernelManager.memory_limit = 4 * 2**30     # bytes of address space per kernel
c.GuardedExecute.sandboxed = True

# A cell that runs longer than this (seconds) is interrupted and reported; grading goes on.
c.Execute.timeout = 60
# A widget cell sends several hundred messages (one per word button); on a busy machine they can
# take longer than nbclient's default 4 s to arrive after the cell ends, which nbgrader turns into
# an error (raise_on_iopub_timeout). Give them time.
c.Execute.iopub_timeout = 30

# Students' saved widget answers (answers/<question>.json) must never be replaced by files from
# the source folder when autograding. The source folder holds none (widgets run there save to
# .instructor-answers/); this is the second guard.
c.Autograde.exclude_overwriting = exclude_overwriting(_ROOT / "lessons")

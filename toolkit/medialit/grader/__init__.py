"""medialit's nbgrader integration: the grader side, never run in a student's kernel.

One preprocessor per module, each enabled in the course's ``nbgrader_config.py`` (so plain
``nbgrader autograde`` and ``medialit grade`` are protected alike):

======================================  ==========================================================
``check_submission.CheckSubmission``    sanitize: edited or deleted locked cells, suspicious code,
                                        linked files, nbgrader delimiters in answers
``guarded_execute.GuardedExecute``      autograde: the kernel in the sandbox (``sandbox``), probes
                                        (``probe_kernel``), receipts from every test cell
``cap_outputs.CapOutputs``              autograde: outputs capped per output and per notebook
``score_answers.ScoreAnswers``          autograde: widget answers scored against references/<lesson>.json
``flag_for_review.FlagForReview``       autograde: flag the submission, write the integrity report
``scrub_feedback.ScrubFeedback``        feedback: no output line quotes a hidden test
``short_tracebacks.ShortTracebacks``    feedback: test cells' tracebacks cut to the hint
======================================  ==========================================================

Findings have a severity (:mod:`medialit.grader.findings`): ``withheld`` (every test cell of the
notebook scores 0 and needs a manual grade), ``review`` (scores stand, the submission is
flagged) or ``note``. ``docs/instructors.md`` has the threat model: what the sandbox prevents
and what it does not.
"""

"""The pre- and post-checks: discernment scoring (hit rate, false-alarm rate, d'), the class's
pre/post change per skill, and the whole nbgrader lifecycle with class-report's numbers checked."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import nbgrader, nbgrader_env, sorter_items

from medialit.scoring import Judgements, d_prime, judgements, score, score_categories, score_judgements

REPO = Path(__file__).resolve().parents[1]
PRE, POST = "00-pre-check", "08-post-check"
SKILLS = ("loaded-language", "unsupported-claims", "vague-attribution", "framing")
REF = {"labels": {"0": "yes", "1": "no", "2": "yes", "3": "no", "4": "yes", "5": "no"}}
# z(0.875) = 1.150349, z(0.375) = -0.318639 (standard normal quantiles; log-linear rates of 3/3 and 1/3)
PERFECT, ONE_FALSE_ALARM = 2.301, 1.469


# ------------------------------------------------------------------------------------------
# scoring


@pytest.mark.parametrize("counts, expected", [
    ((3, 0, 0, 3), PERFECT),              # all right: finite thanks to the correction
    ((0, 3, 3, 0), -PERFECT),             # all wrong
    ((3, 0, 3, 0), 0.0),                  # "yes" to everything
    ((0, 3, 0, 3), 0.0),                  # "no" to everything
    ((3, 0, 1, 2), ONE_FALSE_ALARM),
    ((1, 2, 0, 3), -0.319 + 1.150),       # z(1.5/4) - z(0.5/4)
])
def test_d_prime_uses_the_log_linear_correction(counts, expected):
    assert d_prime(*counts) == pytest.approx(expected, abs=0.002)


@pytest.mark.parametrize("counts", [(0, 0, 1, 2), (1, 2, 0, 0), (-1, 2, 1, 2), (1.5, 2, 1, 2)])
def test_d_prime_refuses_counts_it_cannot_use(counts):
    with pytest.raises(ValueError, match="d'|whole numbers"):
        d_prime(*counts)


def test_judgements_count_unanswered_items_as_no():
    counted = judgements({"labels": {"0": "yes", "1": "yes"}}, REF)
    assert counted == Judgements(hits=1, misses=2, false_alarms=1, correct_rejections=2)
    assert counted.hit_rate == pytest.approx(1 / 3) and counted.false_alarm_rate == pytest.approx(1 / 3)
    assert counted.discernment == 0.0


@pytest.mark.parametrize("answer, points", [
    ({"labels": dict(REF["labels"])}, 3.0),                       # the key
    ({"labels": {k: "yes" for k in REF["labels"]}}, 0.0),         # everything yes
    ({"labels": {k: "no" for k in REF["labels"]}}, 0.0),          # everything no
    ({"labels": {}}, 0.0),                                        # blank
    ({"labels": {**REF["labels"], "1": "yes"}}, 2.0),             # one false alarm: 1 - 1/3
    ({"labels": {**REF["labels"], "0": "no"}}, 2.0),              # one miss: 2/3 - 0
    ({"labels": {"0": "no", "1": "yes", "2": "no", "3": "yes", "4": "no", "5": "yes"}}, 0.0),  # all wrong: not below 0
])
def test_points_are_hits_minus_false_alarms(answer, points):
    result = score("categories", answer, REF, points=3)
    assert result.points == points
    assert result == score_judgements(answer, REF, points=3) == score_categories(answer, REF, points=3)


def test_technique_sorters_keep_their_own_rule():
    """A sorter whose reference is not yes/no (lesson 05) is scored as before."""
    ref = {"labels": {"0": "whataboutism", "1": "none"}}
    assert score_categories({"labels": {"0": "whataboutism", "1": "bandwagon"}}, ref, points=2).points == 0.0
    assert score_categories({"labels": {"0": "whataboutism", "1": "none"}}, ref, points=2).points == 2.0


# ------------------------------------------------------------------------------------------
# the class's change, from answer files (no nbgrader)


def _course(tmp_path: Path) -> Path:
    course = tmp_path / "course"
    (course / "lessons").mkdir(parents=True)
    for lesson in (PRE, POST):
        shutil.copytree(REPO / "lessons" / lesson, course / "lessons" / lesson, ignore=shutil.ignore_patterns("answers"))
    shutil.copytree(REPO / "references", course / "references")
    shutil.copy(REPO / "nbgrader_config.py", course / "nbgrader_config.py")
    return course


def _keys(course: Path, lesson: str) -> dict[str, dict]:
    return {q: v["reference"]["labels"] for q, v in
            json.loads((course / "references" / f"{lesson}.json").read_text(encoding="utf-8"))["questions"].items()}


def _answers(course: Path, lesson: str, kind: str, skill: str) -> dict | None:
    """One student's labels for one question: the key, "yes" to all, "no" to all, the key with one
    false alarm, or None (no answer file)."""
    key = _keys(course, lesson)[skill]
    if kind == "key":
        return dict(key)
    if kind in ("yes", "no"):
        return {k: kind for k in key}
    if kind == "one-false-alarm":
        first_no = next(k for k, v in key.items() if v == "no")
        return {**key, first_no: "yes"}
    return None


# student -> (pre, post): what they answer on every skill; bob makes one false alarm on pre framing
PLAN = {"alice": ("yes", "key"), "bob": ("key", "key"), "carol": (None, "no"), "dave": ("key", None)}


def _submit(course: Path, submissions: Path, only_answers: bool = False) -> None:
    """Write every student's answer files (from the model answers, with the planned labels)."""
    from medialit.references import write_model_answers

    for lesson, form in ((PRE, 0), (POST, 1)):
        model = write_model_answers(course, lesson, dest=course / ".keys" / lesson)
        for student, plan in PLAN.items():
            kind = plan[form]
            if kind is None and student == "dave":
                continue  # dave never submitted the post-check
            folder = submissions / student / lesson
            (folder / "answers").mkdir(parents=True, exist_ok=True)
            if not only_answers:
                shutil.copy(course / "release" / lesson / f"{lesson[3:].replace('-', '_')}.ipynb", folder)
            for skill in SKILLS:
                this = "one-false-alarm" if (student, lesson, skill) == ("bob", PRE, "framing") else kind
                labels = _answers(course, lesson, this, skill)
                if labels is None:
                    continue
                record = json.loads((model / f"{skill}.json").read_text(encoding="utf-8"))
                record["answer"] = {"labels": labels}
                (folder / "answers" / f"{skill}.json").write_text(json.dumps(record), encoding="utf-8")


def _expected() -> dict[str, dict]:
    """The planned class, per skill: n = 3 matched (alice, bob, carol; dave took only the pre-check).
    pre: alice H 1 F 1 d' 0; bob H 1 F 0 d' 2.301 (framing: F 1/3, d' 1.469); carol blank: H 0 F 0 d' 0.
    post: alice and bob the key (d' 2.301); carol "no" to all (d' 0)."""
    out = {}
    for skill in SKILLS:
        bob_fa, bob_d = ((1 / 3, ONE_FALSE_ALARM) if skill == "framing" else (0.0, PERFECT))
        pre = {"hit_rate": 2 / 3, "false_alarm_rate": (1 + bob_fa) / 3, "d_prime": bob_d / 3}
        post = {"hit_rate": 2 / 3, "false_alarm_rate": 0.0, "d_prime": 2 * PERFECT / 3}
        out[skill] = {"n": 3, "pre": pre, "post": post,
                      "change": {k: post[k] - pre[k] for k in pre}}
    return out


def _check(report: dict) -> None:
    assert report["matched"] == ["alice", "bob", "carol"] and report["only_pre"] == ["dave"]
    got = {s["skill"]: s for s in report["skills"]}
    assert list(got) == list(SKILLS)
    for skill, want in _expected().items():
        assert got[skill]["n"] == want["n"]
        for part in ("pre", "post", "change"):
            for measure, value in want[part].items():
                assert got[skill][part][measure] == pytest.approx(value, abs=0.002), (skill, part, measure)


def test_prepost_report_from_answer_files(tmp_path):
    from medialit.prepost import assessment_pair, prepost_report

    course = _course(tmp_path)
    _submit(course, course / "submitted", only_answers=True)
    assert assessment_pair(POST, course) == assessment_pair(PRE, course) == (PRE, POST)
    assert assessment_pair("01-loaded-language", course) is None
    report = prepost_report(PRE, POST, course)
    _check(report.to_dict())
    table = report.table()
    assert "3 students took both" in table and "framing" in table and "+0.77" in table


def test_prepost_report_says_when_nobody_took_both(tmp_path):
    from medialit.prepost import prepost_report

    report = prepost_report(PRE, POST, _course(tmp_path))
    assert report.matched == [] and any("no student has submitted both" in p for p in report.problems)
    with pytest.raises(LookupError, match="no references"):
        prepost_report(PRE, "09-nothing", _course(tmp_path / "other"))


def test_importing_the_report_does_not_import_matplotlib():
    code = "import medialit, medialit.prepost, sys; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


# ------------------------------------------------------------------------------------------
# the whole lifecycle


@pytest.mark.slow
def test_pre_and_post_through_nbgrader_and_class_report(tmp_path):
    """generate both forms, submit four students' answers (one took only the pre-check), autograde
    both in the grading sandbox, then `medialit class-report 08-post-check`: the points are
    hits minus false alarms, and the report's pre/post numbers are the planned ones."""
    if not shutil.which("bwrap"):
        pytest.skip("autograding needs the grading sandbox (bubblewrap)")
    course = _course(tmp_path)
    for student in PLAN:
        assert nbgrader(course, "db", "student", "add", student).returncode == 0
    for lesson in (PRE, POST):
        result = nbgrader(course, "generate_assignment", lesson, "--force")
        assert result.returncode == 0, result.stderr[-3000:]
    _submit(course, course / "submitted")
    for lesson in (PRE, POST):
        result = nbgrader(course, "autograde", lesson, "--force")
        assert result.returncode == 0, result.stderr[-3000:]

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id="medialit") as gb:
        scores = {(s, lesson): gb.find_submission(lesson, s).score for lesson in (PRE, POST) for s in PLAN
                  if not (s == "dave" and lesson == POST)}
    assert scores == {("alice", PRE): 0, ("bob", PRE): 11, ("carol", PRE): 0, ("dave", PRE): 12,
                      ("alice", POST): 12, ("bob", POST): 12, ("carol", POST): 0}, scores

    run = subprocess.run([sys.executable, "-m", "medialit", "class-report", POST], cwd=course,
                         capture_output=True, text=True, env=nbgrader_env())
    assert run.returncode == 0, run.stderr
    assert f"pre/post: {PRE} -> {POST}: 3 students took both" in run.stdout
    folder = course / "reports" / POST
    _check(json.loads((folder / "prepost.json").read_text(encoding="utf-8")))
    assert (folder / "prepost.png").stat().st_size > 5000 and (folder / "class-report.png").is_file()
    # the pre-check's own class report has no pre/post section
    run = subprocess.run([sys.executable, "-m", "medialit", "class-report", PRE], cwd=course,
                         capture_output=True, text=True, env=nbgrader_env())
    assert run.returncode == 0 and "pre/post" not in run.stdout, run.stdout + run.stderr


# ------------------------------------------------------------------------------------------
# the keys of the real sentences are the corpus gold


def _gold(text_id: str) -> list[dict]:
    """The text's gold records, wherever the course keeps them (public corpus or instructor-side)."""
    for folder in (REPO / "references" / "gold", REPO / "datasets" / "annotations"):
        path = folder / f"{text_id}.jsonl"
        if path.is_file():
            return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    raise AssertionError(f"no gold for {text_id}")


def _gold_says_yes(skill: str, records: list[dict], sentence: dict) -> bool:
    def inside(r):
        return r["start"] < sentence["end"] and r["end"] > sentence["start"]

    if skill == "unsupported-claims":
        return sentence["unsupported"]
    if skill == "framing":
        return any(r["kind"] == "entman" and r["function"] in ("cause", "moral") and inside(r) for r in records)
    label = {"loaded-language": "loaded_language", "vague-attribution": "vague_attribution"}[skill]
    return any(r["kind"] == "span" and r["label"] == label and inside(r) for r in records)


@pytest.mark.parametrize("lesson", [PRE, POST])
def test_real_items_are_verbatim_and_keyed_by_the_gold(lesson):
    items = sorter_items(REPO / "lessons" / lesson)
    questions = json.loads((REPO / "references" / f"{lesson}.json").read_text(encoding="utf-8"))["questions"]
    real = 0
    for skill, question in questions.items():
        records = _gold(question["text"]["id"])
        sentences = {r["text"]: r for r in records if r["kind"] == "sentence"}
        for k, item in enumerate(items[skill]):
            tag, sentence = item.split("] ", 1)
            if tag == "[illustrative":
                continue
            real += 1
            assert sentence in sentences, f"{lesson} {skill} item {k} is not a sentence of {question['text']['id']}"
            expected = "yes" if _gold_says_yes(skill, records, sentences[sentence]) else "no"
            assert question["reference"]["labels"][str(k)] == expected, (lesson, skill, k, sentence)
    # per question: loaded language 2, unsupported claims 4, vague attribution 2, framing 3. Loaded
    # language and vague attribution take two: on the pre-check's texts the analyzer is right on every
    # sentence for these skills, and a question whose real items it gets all right cannot hold both the
    # analyzer copy and the "mixed" student (tests/test_validity.py) at 1/3 with more than two of them
    assert real == 11


def test_the_forms_quote_as_many_real_sentences_per_question():
    """Parallel item for item: each question has as many real (and illustrative) items, and as many
    yes items among each, in both forms."""
    def profile(lesson):
        items = sorter_items(REPO / "lessons" / lesson)
        keys = {q: v["reference"]["labels"] for q, v in
                json.loads((REPO / "references" / f"{lesson}.json").read_text(encoding="utf-8"))["questions"].items()}
        return {q: sorted((it.startswith("[illustrative]"), keys[q][str(k)]) for k, it in enumerate(items[q]))
                for q in SKILLS}

    assert profile(PRE) == profile(POST)

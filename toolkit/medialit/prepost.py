"""The class's change from the pre-check to the post-check, skill by skill.

The two assessment forms (``metadata.medialit.kind == "assessment"`` in their notebooks, each
naming the other as ``parallel``) ask the same yes/no judgement questions (one per skill, the
same question ids) on different texts. For every student who submitted both forms, each
question's answers are counted against the references (:func:`medialit.scoring.judgements`:
hits, misses, false alarms, correct rejections); the report gives per skill the class's mean hit
rate, false-alarm rate and d' before and after, their change, and the number of matched students.
``medialit class-report <post form>`` prints it and writes ``prepost.json`` and ``prepost.png``
beside the class report.

>>> from medialit.scoring import Judgements
>>> change = SkillChange.from_pairs("framing", [(Judgements(1, 2, 1, 2), Judgements(3, 0, 0, 3))])
>>> change.n, change.pre.hit_rate, change.post.false_alarm_rate, change.change_d_prime
(1, 0.333, 0.0, 2.301)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from .answers import read_answer_file
from .course import CourseLayout
from .references import load_references
from .scoring import Judgements, judgements

__all__ = ["FormStats", "SkillChange", "PrePostReport", "assessment_pair", "prepost_report", "write_prepost_report"]


@dataclass(frozen=True)
class FormStats:
    """The class's means on one form for one skill."""

    hit_rate: float
    false_alarm_rate: float
    d_prime: float

    @classmethod
    def mean(cls, counts: list[Judgements]) -> "FormStats":
        n = len(counts) or 1
        return cls(round(sum(c.hit_rate for c in counts) / n, 3),
                   round(sum(c.false_alarm_rate for c in counts) / n, 3),
                   round(sum(c.d_prime for c in counts) / n, 3))


@dataclass(frozen=True)
class SkillChange:
    """One skill: the matched students' means before (``pre``) and after (``post``)."""

    skill: str
    n: int
    pre: FormStats
    post: FormStats

    @classmethod
    def from_pairs(cls, skill: str, pairs: list[tuple[Judgements, Judgements]]) -> "SkillChange":
        return cls(skill, len(pairs), FormStats.mean([p for p, _ in pairs]), FormStats.mean([q for _, q in pairs]))

    @property
    def change_hit_rate(self) -> float:
        return round(self.post.hit_rate - self.pre.hit_rate, 3)

    @property
    def change_false_alarm_rate(self) -> float:
        return round(self.post.false_alarm_rate - self.pre.false_alarm_rate, 3)

    @property
    def change_d_prime(self) -> float:
        return round(self.post.d_prime - self.pre.d_prime, 3)


@dataclass
class PrePostReport:
    """Per skill, the class's change from ``pre`` to ``post``; ``table()``, ``figure()``, ``to_dict()``."""

    pre: str
    post: str
    matched: list[str]
    only_pre: list[str]
    only_post: list[str]
    skills: list[SkillChange]
    problems: list[str]

    def table(self) -> str:
        lines = [f"pre/post: {self.pre} -> {self.post}: {len(self.matched)} students took both"
                 + (f" ({len(self.only_pre)} only the pre-check, {len(self.only_post)} only the post-check)"
                    if self.only_pre or self.only_post else ""),
                 f"{'skill':<20} {'n':>3}  {'hit rate':>17}  {'false alarms':>17}  {'d prime':>20}",
                 f"{'':<20} {'':>3}  {'pre   post  chg':>17}  {'pre   post  chg':>17}  {'pre    post   chg':>20}"]
        for s in self.skills:
            lines.append(f"{s.skill[:20]:<20} {s.n:>3}  {s.pre.hit_rate:.2f}  {s.post.hit_rate:.2f} {s.change_hit_rate:+.2f}  "
                         f"{s.pre.false_alarm_rate:.2f}  {s.post.false_alarm_rate:.2f} {s.change_false_alarm_rate:+.2f}  "
                         f"{s.pre.d_prime:+.2f}  {s.post.d_prime:+.2f}  {s.change_d_prime:+.2f}")
        lines.append("means over the students who took both forms; d' = z(hits) - z(false alarms), log-linear "
                     "correction (0 = no discernment, 2.3 = all six items of a question right)")
        lines += [f"note: {p}" for p in self.problems]
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {"pre": self.pre, "post": self.post, "matched": self.matched, "only_pre": self.only_pre,
                "only_post": self.only_post, "problems": self.problems,
                "skills": [{"skill": s.skill, "n": s.n,
                            "pre": {"hit_rate": s.pre.hit_rate, "false_alarm_rate": s.pre.false_alarm_rate,
                                    "d_prime": s.pre.d_prime},
                            "post": {"hit_rate": s.post.hit_rate, "false_alarm_rate": s.post.false_alarm_rate,
                                     "d_prime": s.post.d_prime},
                            "change": {"hit_rate": s.change_hit_rate, "false_alarm_rate": s.change_false_alarm_rate,
                                       "d_prime": s.change_d_prime}} for s in self.skills]}

    def figure(self):
        """d' per skill before and after, and the hit and false-alarm rates behind it."""
        from matplotlib.figure import Figure  # not pyplot: no global state

        fig = Figure(figsize=(11, 3.8), layout="constrained")
        left, right = fig.subplots(1, 2, width_ratios=[1, 1.4])
        names = [s.skill.replace("-", " ") for s in self.skills]
        xs = range(len(self.skills))
        for offset, form, colour, hatch in ((-0.2, "pre", "#E69F00", ""), (0.2, "post", "#0072B2", "//")):
            values = [getattr(s, form).d_prime for s in self.skills]
            bars = left.bar([x + offset for x in xs], values, width=0.4, color=colour, hatch=hatch,
                            edgecolor="#333", label=f"{form} ({self.pre if form == 'pre' else self.post})")
            left.bar_label(bars, fmt="%.2f", fontsize=7)
        left.axhline(0, color="#555", linewidth=0.8)
        left.set_xticks(list(xs), names, fontsize=8)
        left.set_ylabel("d' (mean of matched students)")
        left.set_title(f"Discernment before and after (n = {len(self.matched)})")
        left.legend(fontsize=7)
        width = 0.2
        for k, (form, rate, colour, hatch) in enumerate((("pre", "hit_rate", "#E69F00", ""),
                                                          ("post", "hit_rate", "#0072B2", "//"),
                                                          ("pre", "false_alarm_rate", "#F0E442", ".."),
                                                          ("post", "false_alarm_rate", "#CC79A7", "xx"))):
            right.bar([x + (k - 1.5) * width for x in xs], [getattr(getattr(s, form), rate) for s in self.skills],
                      width=width, color=colour, hatch=hatch, edgecolor="#333",
                      label=f"{rate.replace('_', ' ')}, {form}")
        right.set_ylim(0, 1)
        right.set_xticks(list(xs), names, fontsize=8)
        right.set_ylabel("share of items answered yes")
        right.set_title("Hits (on items that use the technique) and false alarms (on controls)")
        right.legend(fontsize=7, ncols=2)
        return fig


def assessment_pair(lesson: str, course: str | Path = ".") -> tuple[str, str] | None:
    """``(pre form, post form)`` if ``lesson`` is an assessment form whose notebook names its
    parallel form (``metadata.medialit``: ``kind`` "assessment", ``form`` "pre" or "post",
    ``parallel``); None for any other lesson."""
    folder = CourseLayout.load(course).source / lesson
    for path in sorted(folder.glob("*.ipynb")) if folder.is_dir() else []:
        meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("medialit", {})
        if meta.get("kind") == "assessment" and meta.get("parallel") and meta.get("form") in ("pre", "post"):
            return (lesson, meta["parallel"]) if meta["form"] == "pre" else (meta["parallel"], lesson)
    return None


def _answers(layout: CourseLayout, lesson: str, questions: dict, problems: list[str]) -> dict[str, dict[str, Judgements]]:
    """``{student: {question id: Judgements}}`` for every submission of ``lesson``; a missing or
    unreadable answer counts as no "yes" at all (misses and correct rejections), and is noted."""
    students = sorted(p.parent.name for p in layout.submitted.glob(f"*/{lesson}") if p.is_dir()) \
        if layout.submitted.is_dir() else []
    out: dict[str, dict[str, Judgements]] = {}
    for student in students:
        out[student] = {}
        for qid, question in questions.items():
            found = read_answer_file(layout.submission(student, lesson) / "answers" / f"{qid}.json",
                                     question_id=qid, kind=question["kind"])
            if not found.ok and found.reason != "missing":
                problems.append(f"{student} {lesson} {qid}: the answer {found.problem}; counted as unanswered")
            out[student][qid] = judgements(found.record["answer"] if found.ok else {}, question["reference"])
    return out


def prepost_report(pre: str, post: str, course: str | Path = ".") -> PrePostReport:
    """The class's change per skill from ``pre`` to ``post`` (see the module's docstring)."""
    layout = CourseLayout.load(course)
    forms = {}
    for lesson in (pre, post):
        path = layout.references / f"{lesson}.json"
        if not path.is_file():
            raise LookupError(f"{lesson!r} has no references in {path}; the pre/post report needs both forms' "
                              f"references ({pre}, {post}).")
        forms[lesson] = load_references(path)["questions"]
    skills = [q for q in forms[pre] if q in forms[post]]
    problems: list[str] = []
    unmatched = sorted(set(forms[pre]) ^ set(forms[post]))
    if unmatched:
        problems.append(f"questions in only one form are left out: {', '.join(unmatched)}")
    before, after = _answers(layout, pre, forms[pre], problems), _answers(layout, post, forms[post], problems)
    matched = sorted(set(before) & set(after))
    if not matched:
        problems.append(f"no student has submitted both {pre} and {post}: nothing to compare yet")
    changes = [SkillChange.from_pairs(skill, [(before[s][skill], after[s][skill]) for s in matched])
               for skill in skills]
    return PrePostReport(pre, post, matched, sorted(set(before) - set(after)), sorted(set(after) - set(before)),
                         changes, problems)


def write_prepost_report(report: PrePostReport, folder: str | Path) -> list[Path]:
    """Write ``prepost.json`` and ``prepost.png`` into ``folder``; return their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "prepost.json", folder / "prepost.png"]
    paths[0].write_text(json.dumps(report.to_dict(), indent=2) + "\n", encoding="utf-8")
    report.figure().savefig(paths[1], format="png", dpi=110)
    return paths

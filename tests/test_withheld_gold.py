"""Gold that a graded question is marked against never ships to students.

A graded question on a corpus text (``text: {"id": ...}`` in ``references/<lesson>.json``) could be
answered by copying ``medialit.annotations(id)`` if that text's gold shipped. So its gold lives with
the instructor, in ``references/gold/<id>.jsonl``; the package data has no copy; the corpus reader
finds it on the instructor's machine (a checkout, or ``$MEDIALIT_WITHHELD_GOLD``) and elsewhere
raises :class:`medialit.corpus.GoldWithheld` with a message a student can act on.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from medialit import corpus
from medialit.corpus import Corpus, GoldWithheld

REPO = Path(__file__).resolve().parents[1]
WITHHELD = REPO / "references" / "gold"


def _graded_text_ids() -> set[str]:
    ids = set()
    for path in sorted((REPO / "references").glob("*.json")):
        for question in json.loads(path.read_text(encoding="utf-8"))["questions"].values():
            text = question.get("text") or {}
            if "id" in text:
                ids.add(text["id"])
            ids.update(question.get("quotes", []))  # texts its options quote
    return ids


def test_every_text_a_graded_question_uses_has_its_gold_withheld_and_no_other():
    graded = _graded_text_ids()
    withheld = {p.stem for p in WITHHELD.glob("*.jsonl")}
    moves = [f"git mv datasets/annotations/{i}.jsonl references/gold/{i}.jsonl" for i in sorted(graded - withheld)]
    assert not moves, "a graded question is marked on a text whose gold ships; run:\n" + "\n".join(moves)
    assert withheld <= graded, f"withheld but no graded question uses it (ship it again): {sorted(withheld - graded)}"
    for text_id in graded:
        assert not (REPO / "datasets" / "annotations" / f"{text_id}.jsonl").exists()
        assert corpus.gold_status(text_id) == "withheld"


def test_the_instructor_reads_withheld_gold_and_a_student_install_gets_a_clear_error(tmp_path, monkeypatch):
    graded = sorted(_graded_text_ids())
    if not graded:
        pytest.skip("no graded question on a corpus text")
    text_id = graded[0]
    assert corpus.has_gold(text_id) and corpus.annotations(text_id).spans  # a checkout: the instructor's side
    data = tmp_path / "site-packages" / "medialit" / "_datasets"  # an installed package: no references/ beside it
    shutil.copytree(REPO / "datasets", data)
    student = Corpus(data)
    assert student.gold_status(text_id) == "withheld" and not student.has_gold(text_id)
    with pytest.raises(GoldWithheld, match="withheld: a graded question") as caught:
        student.annotations(text_id)
    assert isinstance(caught.value, LookupError) and text_id in str(caught.value)
    shipped = next(r.id for r in student.catalog() if r.id not in graded)
    assert student.has_gold(shipped) and student.annotations(shipped).sentences
    monkeypatch.setenv(corpus.WITHHELD_GOLD_ENV, str(WITHHELD))  # a course server's instructor
    assert student.has_gold(text_id)


def test_validate_data_checks_withheld_gold_in_a_checkout_and_skips_it_in_an_install(tmp_path):
    from medialit.validate import validate

    graded = sorted(_graded_text_ids())
    if not graded:
        pytest.skip("no graded question on a corpus text")
    checkout = tmp_path / "repo"
    shutil.copytree(REPO / "datasets", checkout / "datasets")
    (checkout / "references").mkdir()
    assert validate(checkout / "datasets") == []  # no references/gold here: an install, nothing to check
    shutil.copytree(WITHHELD, checkout / "references" / "gold")
    assert validate(checkout / "datasets") == []
    (checkout / "references" / "gold" / f"{graded[0]}.jsonl").unlink()
    problems = validate(checkout / "datasets")
    assert any(graded[0] in str(p) and "withheld gold" in str(p) for p in problems), problems

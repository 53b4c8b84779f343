"""A student's own text (lesson 07-your-text): any text the reader accepts can be marked and compared,
and every bad input stops with a message that names the problem and what to do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medialit import analyze
from medialit.answers import AnswerStore
from medialit.own_text import (OWN_LABELS, PASSAGE_WORDS, claims_table, compare_claims, compare_marks, describe,
                               marks_table, passage, read_own)
from medialit.text import TextInputError

REPO = Path(__file__).resolve().parents[1]
LESSON = REPO / "lessons" / "07-your-text"

ODD = ("Zwei Welten 🌍 — “Quotes”, ‘single’, naïve café, ﬁ ligature, zero\u200bwidth, non\u00a0breaking.\n\n"
       "Officials said the reckless plan would fail. 東京では雨が降った。\n\n"
       "مرحبا بالعالم. Combining: e\u0301 and emoji flags 🇺🇦🇷🇺 and tab\there.")


@pytest.mark.parametrize("source, expected", [
    (None, "There is no text yet: set MY_TEXT"),
    ("   ", "There is no text yet: set MY_TEXT"),
    (42, "MY_TEXT is a int, not a file name or a text"),
    ("my-article.txt", "There is no file 'my-article.txt'"),
    ("\n\n ... \n", "is empty"),
])
def test_bad_input_says_what_is_wrong_and_what_to_do(source, expected, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(TextInputError) as error:
        read_own(source, "somewhere")
    assert expected in str(error.value)


@pytest.mark.parametrize("content, expected", [
    (b"", "is empty"),
    (b"%PDF-1.7\n...", "looks like a PDF file"),
    (b"PK\x03\x04word", "Word .docx"),
    (b"\x00\x01\x02binary" * 50, "binary data"),
])
def test_a_bad_file_gives_a_clear_error(content, expected, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "my-article.txt").write_bytes(content)
    with pytest.raises(TextInputError) as error:
        read_own("my-article.txt")
    message = str(error.value)
    assert expected in message and "my-article.txt" in message
    assert any(hint in message for hint in ("plain text", "Check that", "Save the article")), message


def test_a_folder_is_not_a_text(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "articles").mkdir()
    with pytest.raises(TextInputError, match="is a folder"):
        read_own("articles")


def test_odd_characters_and_other_languages_can_be_marked_saved_and_compared(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "my-article.txt").write_text(ODD, encoding="utf-16")  # with a byte-order mark
    doc = read_own("my-article.txt", "Example source, 2024")
    part = passage(doc)
    assert part.attribution == "Example source, 2024" and "🌍" in part.text and "\u200b" not in part.text
    from medialit.exercises import SpanMarkerModel

    model = SpanMarkerModel("own-marks", part, list(OWN_LABELS))
    reckless = next(k for k, t in enumerate(part.word_tokens) if t.text == "reckless")
    model.toggle(reckless, "loaded_language")
    store = AnswerStore("own-marks", model.kind, text_id=model.text_id, text_sha=model.text_sha,
                        directory=tmp_path / "answers", context=model.context())
    store.save(model.answer())
    again = SpanMarkerModel("own-marks", passage(read_own("my-article.txt")), list(OWN_LABELS))
    again.set_answer(store.load().answer)
    assert [part.text[s[0]:s[1]] for s in again.spans()] == ["reckless"]
    rows = compare_marks(again.spans(), analyze(part).spans, part)
    assert ("reckless", "only you") in {(r.text, r.verdict) for r in rows} or \
        any(r.verdict == "both" and "reckless" in r.text for r in rows)
    assert "phrase" in marks_table(rows)


def test_a_text_that_is_not_english_gets_a_note_about_the_analyzer():
    french = read_own("Le gouvernement a annoncé un plan audacieux. Les critiques parlent d'un désastre total.")
    english = read_own("The government announced a bold plan. Critics call it a total disaster.")
    assert "does not look English" in describe(french)
    assert "does not look English" not in describe(english)


def test_a_long_text_is_marked_in_a_passage_of_whole_paragraphs():
    paragraphs = [f"Paragraph {k} says the plan is costly. " * 6 for k in range(60)]  # about 2,500 words
    doc = read_own("\n\n".join(paragraphs), "Long source")
    part = passage(doc)
    assert 0 < len(part.words) <= PASSAGE_WORDS + 10
    assert part.text.startswith("Paragraph 0") and part.text.endswith(".")
    later = passage(doc, start=10)
    assert later.text.startswith("Paragraph 10")
    assert "You mark a passage" in describe(doc, part)
    with pytest.raises(ValueError, match=r"START_PARAGRAPH is 60, but your text has 60 paragraphs \(0 to 59\)"):
        passage(doc, start=60)
    with pytest.raises(ValueError, match="START_PARAGRAPH is '2'"):
        passage(doc, start="2")


def test_one_endless_paragraph_is_cut_at_a_sentence_or_after_the_word_limit():
    sentences = read_own("The plan is costly and slow. " * 100)
    assert passage(sentences).text.endswith("slow.") and len(passage(sentences).words) <= PASSAGE_WORDS
    run_on = read_own(" ".join(["word"] * 1000))
    assert len(passage(run_on).words) == PASSAGE_WORDS


def test_the_comparison_says_who_marked_what_and_judges_nobody():
    doc = read_own("Officials said the reckless plan fails. Prices rose 3% in May, the bureau said.")
    machine = analyze(doc)
    mine = [(19, 27, "loaded_language"), (0, 14, "named_attribution")]
    rows = compare_marks(mine, machine.spans, doc)
    verdicts = {r.text: r.verdict for r in rows}
    assert verdicts["Officials said"] == "both, different labels"
    assert {"both", "only you", "only the analyzer", "both, different labels"} >= set(verdicts.values())
    assert all(not hasattr(r, "score") for r in rows)  # no score, no verdict on who is right
    everything = [(t.start, t.end, "loaded_language") for t in doc.word_tokens]
    assert len(compare_marks(everything, machine.spans, doc)) >= 1  # nothing here rewards flagging all
    claims = compare_claims({"labels": {"0": {"claim": "opinion", "unsupported": True}}}, machine.sentences, doc)
    assert claims[0]["sentence"] == 0 and claims[0]["yours"] == "opinion, unsupported"
    assert "differ" in claims_table(claims) or claims[0]["agree"]


def test_the_lesson_keeps_no_sample_text_that_autograde_would_copy_over_a_students_file():
    assert sorted(p.name for p in LESSON.iterdir()) == ["your_text.ipynb"]
    nb = json.loads((LESSON / "your_text.ipynb").read_text(encoding="utf-8"))
    assert nb["metadata"]["medialit"]["kind"] == "project"
    # the reference file only says that nothing in the project has a key
    assert json.loads((REPO / "references" / "07-your-text.json").read_text())["questions"] == {}

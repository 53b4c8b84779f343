"""validate-data finds every kind of annotation mistake and says where it is."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from medialit._data import data_dir
from medialit.corpus import Corpus
from medialit.validate import validate


@pytest.fixture()
def data_copy(tmp_path):
    """A copy of the data folder laid out as in a checkout: withheld gold in references/gold beside it."""
    root = tmp_path / "datasets"
    shutil.copytree(data_dir(), root)
    withheld = data_dir().parent / "references" / "gold"
    if withheld.is_dir():
        shutil.copytree(withheld, tmp_path / "references" / "gold")
    return root


def _gold(root, text_id):
    """The gold file of a text in the copy (shipped, or withheld on the instructor's side)."""
    return Corpus(root).annotation_path(text_id)


def _edit_line(path, number, change):
    lines = path.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[number - 1])
    change(record)
    lines[number - 1] = json.dumps(record, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_shipped_data_is_valid():
    assert validate() == []


@pytest.mark.parametrize(
    "line, change, expected",
    [
        (2, lambda r: r.update(start=r["start"] + 1), "does not match the text at"),
        (2, lambda r: r.update(end=99999), "outside the text"),
        (2, lambda r: r.update(label="spin"), "label 'spin' is not in the codebook"),
        (2, lambda r: r.update(voice="narrator"), "voice 'narrator' is not one of"),
        (2, lambda r: r.update(start="113"), "must be whole numbers"),
        (32, lambda r: r.update(claim="fact"), "claim 'fact' is not one of: factual, opinion, prediction"),
        (32, lambda r: r.update(unsupported="no"), "unsupported must be true or false"),
    ],
)
def test_each_mistake_is_reported_with_file_and_line(data_copy, line, change, expected):
    path = _gold(data_copy, "ukr-beijing")
    _edit_line(path, line, change)
    problems = validate(data_copy)
    assert [p for p in problems if p.line == line and expected in p.message and p.path.endswith("ukr-beijing.jsonl")], problems


def test_shifted_span_suggests_the_right_offset(data_copy):
    path = _gold(data_copy, "ukr-beijing")
    _edit_line(path, 2, lambda r: r.update(start=r["start"] + 3, end=r["end"] + 3))
    (problem,) = validate(data_copy)
    assert str(problem).split(":")[0].endswith("ukr-beijing.jsonl")
    assert ":2: text 'provocative' does not match" in str(problem)
    assert "that text is at offset 113" in problem.message


def test_frames_entman_json_and_missing_records(data_copy):
    ann = data_copy / "annotations"
    lines = (ann / "ukr-wire.jsonl").read_text(encoding="utf-8").splitlines()
    frames_line = next(i for i, line in enumerate(lines, 1) if '"kind": "frames"' in line)
    _edit_line(ann / "ukr-wire.jsonl", frames_line, lambda r: r.update(primary="war", secondary=["economic", "nope"]))
    with (ann / "ukr-kyiv.jsonl").open("a", encoding="utf-8") as handle:
        handle.write("{not json\n")
    sentence_lines = [i for i, line in enumerate((ann / "housing-wire.jsonl").read_text().splitlines(), 1) if '"sentence"' in line]
    kept = [line for i, line in enumerate((ann / "housing-wire.jsonl").read_text().splitlines(), 1) if i != sentence_lines[0]]
    (ann / "housing-wire.jsonl").write_text("\n".join(kept) + "\n")
    messages = [str(p) for p in validate(data_copy)]
    assert any(f"ukr-wire.jsonl:{frames_line}: primary frame 'war' is not one of the 14 frames" in m for m in messages)
    assert any("secondary frame 'nope'" in m for m in messages)
    assert any(m.startswith("datasets/annotations/ukr-kyiv.jsonl:") and "not valid JSON" in m for m in messages)
    assert any("housing-wire.jsonl:1: the sentence at 0-" in m and "has no sentence record" in m for m in messages)


def test_catalog_problems(data_copy):
    catalog = data_copy / "catalog.csv"
    text = catalog.read_text(encoding="utf-8")
    text = text.replace(",op-ed,", ",opinion,", 1).replace(",health-ad,medialit authors", ",health-adx,medialit authors")
    catalog.write_text(text, encoding="utf-8")
    (data_copy / "texts" / "stray.txt").write_text("A stray file.")
    messages = [str(p) for p in validate(data_copy)]
    assert any("catalog.csv:2: ukr-beijing: genre 'opinion' is not one of" in m for m in messages)
    assert any("rewrite_of names 'health-adx', which is not in the catalog" in m for m in messages)
    assert any("stray.txt:1: this text is not in catalog.csv" in m for m in messages)


def test_command_exit_codes(data_copy):
    ok = subprocess.run([sys.executable, "-m", "medialit", "validate-data"], capture_output=True, text=True)
    assert ok.returncode == 0 and ok.stdout.startswith(f"ok: {len(Corpus().catalog())} texts")
    _edit_line(_gold(data_copy, "ukr-beijing"), 2, lambda r: r.update(label="spin"))
    bad = subprocess.run([sys.executable, "-m", "medialit", "validate-data", "--root", str(data_copy)],
                         capture_output=True, text=True)
    assert bad.returncode == 1
    assert "ukr-beijing.jsonl:2: label 'spin'" in bad.stdout and "1 problem(s)" in bad.stdout


# -- the balance of the gold ----------------------------------------------------------------

def _drop_span(path, text):
    lines = [line for line in path.read_text(encoding="utf-8").splitlines()
             if not (json.loads(line).get("kind") == "span" and json.loads(line).get("text") == text)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_balance_check_fails_on_the_same_wording_labelled_differently_across_sides(data_copy):
    # Biden's "troops encircling Ukraine" unmarked while Moscow's "encircling one of its largest nations" is loaded
    _drop_span(_gold(data_copy, "real-a06-whitehouse-2022-02-15"), "encircling")
    problems = validate(data_copy)
    assert len(problems) == 1, problems
    (problem,) = problems
    assert problem.path.endswith("real-a06-whitehouse-2022-02-15.jsonl")
    assert "'encircling' is loaded_language in ukr-moscow (Moscow) but unmarked in real-a06" in problem.message
    assert "balance_exceptions.json" in problem.message
    # a justified exception makes it pass, and the report still lists it with its reason
    exceptions = data_copy / "annotations" / "balance_exceptions.json"
    data = json.loads(exceptions.read_text(encoding="utf-8"))
    data["exceptions"].append({"phrase": "encircling", "label": "loaded_language",
                               "in": "real-a06-whitehouse-2022-02-15", "reason": "planted for the test"})
    exceptions.write_text(json.dumps(data), encoding="utf-8")
    assert validate(data_copy) == []
    from medialit.gold_balance import gold_balance

    report = gold_balance(data_copy)
    assert [i.reason for i in report.inconsistencies if i.phrase == "encircling"] == ["planted for the test"]
    assert "planted for the test" in report.table()


def test_balance_exception_without_a_reason_is_reported(data_copy):
    exceptions = data_copy / "annotations" / "balance_exceptions.json"
    data = json.loads(exceptions.read_text(encoding="utf-8"))
    data["exceptions"].append({"phrase": "clear", "label": "booster", "in": "*", "reason": ""})
    exceptions.write_text(json.dumps(data), encoding="utf-8")
    (problem,) = validate(data_copy)
    assert problem.path.endswith("balance_exceptions.json") and "lacks reason" in problem.message


def test_balance_report_gives_rates_per_perspective(capsys, tmp_path):
    from medialit.cli import main
    from medialit.gold_balance import gold_balance

    report = gold_balance(origin="real")
    assert set(report.rates) == {"Moscow", "Kyiv", "Washington", "Brussels", "joint"}
    assert report.unjustified == []
    for side, rates in report.rates.items():
        assert rates.words > 0 and 0 <= rates.unsupported_share <= 1, side
    assert main(["validate-data", "--balance", "--course", str(tmp_path)]) == 0  # no lessons to check here
    shown = capsys.readouterr().out
    assert "loaded/100w" in shown and "real texts only" in shown and "(0 unjustified)" in shown


def test_balance_check_compares_near_identical_sentences_across_sides(data_copy):
    # the two Black Sea outcome statements share a template; put one on another side and relabel one sentence
    catalog = data_copy / "catalog.csv"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace(
        "us-brokered-talks-2025,Washington,press release,real,public domain in the US (17 U.S.C. § 105),,The White House,"
        "2025-03-25,Real text; whole item. Licence evidence and excerpt bounds: datasets/SOURCES.md.,heldout,"
        "The White House,The White House (whitehouse.gov),https://www.whitehouse.gov/briefings-statements/2025/03/"
        "outcomes-of-the-united-states-and-ukraine",
        "us-brokered-talks-2025,Kyiv,press release,real,public domain in the US (17 U.S.C. § 105),,The White House,"
        "2025-03-25,Real text; whole item. Licence evidence and excerpt bounds: datasets/SOURCES.md.,heldout,"
        "The White House,The White House (whitehouse.gov),https://www.whitehouse.gov/briefings-statements/2025/03/"
        "outcomes-of-the-united-states-and-ukraine"), encoding="utf-8")
    assert validate(data_copy) == []  # same labels on both sides: nothing to report
    path = data_copy / "annotations" / "real-d02-whitehouse-2025-03-25.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(k for k, line in enumerate(lines, start=1) if "will continue facilitating" in line)
    _edit_line(path, number, lambda r: r.update(claim="opinion"))
    (problem,) = validate(data_copy)
    assert problem.path.endswith("real-d02-whitehouse-2025-03-25.jsonl")
    assert "is opinion (there: prediction), a near-identical one in real-d01-whitehouse-2025-03-25 (Washington)" in problem.message

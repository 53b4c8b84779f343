"""The command line is a thin shell: it lists, shows, reads and reports errors clearly."""

from __future__ import annotations

import subprocess
import sys


def run(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "medialit", *args], capture_output=True, text=True, **kwargs)


def test_help_lists_the_commands():
    out = run("--help").stdout
    for command in ("list", "show", "read", "validate-data", "workspace"):
        assert command in out
    assert run().returncode == 0


def test_list_and_show():
    out = run("list", "--topic", "housing").stdout
    assert "housing-wire" in out and out.rstrip().endswith("(4 texts)")
    real = run("list", "--event", "us-brokered-talks-2025").stdout
    assert "real-d04-joint-us-ukraine-2025-11-23  real " in real and real.rstrip().endswith("(4 texts)")
    shown = run("show", "ukr-beijing").stdout
    assert "removed from the raw text: Loading..." in shown and "origin: supplied" in shown and "-- source: Supplied with the medialit project brief" in shown
    bad = run("show", "ukr-bejing")
    assert bad.returncode == 2 and "Did you mean: ukr-beijing" in bad.stderr


def test_read_a_user_file(tmp_path):
    path = tmp_path / "mine.txt"
    path.write_bytes("Dr. Park said the café reopened. Critics disagree.\nRead more\n".encode("cp1252"))
    result = run("read", str(path))
    assert result.returncode == 0
    assert "encoding: cp1252" in result.stdout and "removed scraping leftovers: Read more" in result.stdout
    assert "1. [0-32] Dr. Park said the café reopened." in result.stdout
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    failed = run("read", str(empty))
    assert failed.returncode == 2 and "empty.txt' is empty" in failed.stderr and "Traceback" not in failed.stderr


ARTICLE = """Prices soar as the reckless housing plan fails

By Ann Lee, Staff Reporter

Rents in the city rose 12% last year, the statistics office said. Critics say the reckless plan will fail.

Read more: How the U.S. compares with other countries
"""


def test_analyze_prints_a_readable_summary_not_a_python_repr(tmp_path):
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    out = run("analyze", str(tmp_path / "article.txt")).stdout
    first = out.splitlines()[0]
    assert not first.startswith("<") and "Analysis" not in first, first
    assert first.startswith("article.txt: ") and "2 sentences" in first and "primary frame: " in first
    assert "_" not in first.split("primary frame: ")[1]  # a display name: "crime and punishment", not crime_and_...
    assert "headline and byline" in out and "Prices soar as the reckless housing plan fails" in out


def test_folder_table_uses_frame_display_names(tmp_path):
    (tmp_path / "a.txt").write_text("Police arrested the suspect after the crime. Courts will decide the sentence.")
    out = run("analyze", str(tmp_path), "--quiet").stdout
    row = next(line for line in out.splitlines() if line.startswith("a.txt"))
    assert "crime and punishment" in row and "crime_and" not in row


def test_read_more_trailers_headline_and_byline_are_not_analysed_as_sentences(tmp_path):
    from medialit import analyze, read

    doc = read(ARTICLE)
    assert "Read more" not in doc.text and doc.removed == ("Read more: How the U.S. compares with other countries",)
    assert [p.text for p in doc.front_matter] == ["Prices soar as the reckless housing plan fails",
                                                  "By Ann Lee, Staff Reporter"]
    analysis = analyze(doc)
    assert [s.text for s in analysis.sentences] == [
        "Rents in the city rose 12% last year, the statistics office said.", "Critics say the reckless plan will fail."]
    assert any(m.text == "reckless" and m.end < doc.front_matter[0].end for m in analysis.spans)  # still marked
    # prose that merely contains the words is kept, and a one-paragraph text has no headline
    kept = read("Read more: the council said the report is long.\nRead more carefully than you think")
    assert "Read more carefully" in kept.text
    assert read("A short line without a full stop").front_matter == ()


def test_a_hard_wrapped_first_line_is_not_a_headline():
    from medialit import read

    wrapped = ("Russia's government says the security guarantees Washington is offering Ukraine are a dangerous gamble\n"
               "that puts millions of lives at risk. It argues that NATO has expanded.\n")
    assert read(wrapped).front_matter == ()
    assert read("The plan was announced on Monday by\nPresident Ortiz, who said it would work.").front_matter == ()

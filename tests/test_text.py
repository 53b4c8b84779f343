"""The offline text core: cleaning, reading, tokens, sentences, paragraphs."""

from __future__ import annotations

import subprocess
import sys

import pytest

import medialit
from medialit.text import MAX_CHARS, TextInputError, clean, read, strip_html

FOUNDING_SENTENCE_STARTS = [
    "From Beijing’s perspective", "Chinese analysts highlight", "For example, Beijing points",
    "They argue that these actions", "This is why China", "Rather than fueling", "For instance, Beijing calls",
    "They argue that history", "Leaders in Beijing believe", "Their message is clear", "This approach aims",
    "From Beijing’s vantage point", "They see efforts", "For example, China criticizes", "Consequently, China promotes",
    "Initiatives like the Belt", "In effect, Beijing sees", "Their unwavering stance",
]


@pytest.fixture(scope="module")
def founding(repo):
    # The corpus keeps the supplied seed byte for byte (test_corpus checks this).
    return repo / "datasets" / "texts" / "ukr-beijing.txt"


def test_founding_text_splits_into_the_sentences_a_reader_sees(founding):
    doc = read(founding)
    assert [s.text[: len(p)] for s, p in zip(doc.sentences, FOUNDING_SENTENCE_STARTS)] == FOUNDING_SENTENCE_STARTS
    assert len(doc.sentences) == 18
    assert len(doc.paragraphs) == 3
    assert [s.paragraph for s in doc.sentences] == [0] * 5 + [1] * 6 + [2] * 7
    us = doc.sentences[2].text
    assert "the U.S.'s strategic military deployments" in us and us.endswith("regional stability.")


def test_founding_text_is_cleaned_but_raw_is_kept(founding):
    raw = founding.read_text(encoding="utf-8")
    doc = read(founding)
    assert doc.raw == raw and raw.rstrip().endswith("Loading...")
    assert not doc.text.endswith("Loading...") and doc.text.endswith("genuine multilateralism.")
    assert doc.removed == ("Loading...",)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Beijing points to the U.S.'s strategic deployments near the border. They argue.", 2),
        ("Dr. Park spoke. Then he left.", 2),
        ("The meeting began at 8:30 a.m. on Monday in the hall.", 1),
        ("The meeting begins at 8:30 a.m. The mayor will speak first.", 2),
        ("Some costs, e.g. fuel, rose. Others fell.", 2),
        ("The vote is on Jan. 5 in the town hall. Everyone may attend.", 2),
        ("He lives at No. 10 Downing Street. It is old.", 2),
        ("She moved to the U.S. in 2001 and stayed.", 1),
        ("It is “great.” He said so.", 2),
    ],
)
def test_sentence_splitting_handles_news_abbreviations(text, expected):
    doc = read(text)
    assert len(doc.sentences) == expected, [s.text for s in doc.sentences]


def test_every_offset_points_into_the_cleaned_text():
    doc = read("“Beijing’s view,” she said, “isn’t new.”\n\nThe U.S. disagrees at 8:30 a.m. today. Prices rose 3%.")
    for part in (*doc.tokens, *doc.sentences, *doc.paragraphs):
        assert doc.text[part.start:part.end] == part.text
    assert "Beijing" in doc.words and "’s" in doc.words and "U.S." in doc.words
    assert all(any(ch.isalnum() for ch in w) for w in doc.words)
    assert len(doc.paragraphs) == 2


def test_lines_are_paragraphs_when_the_text_has_no_blank_lines():
    doc = read("First line. Still first.\nSecond paragraph.")
    assert [p.text for p in doc.paragraphs] == ["First line. Still first.", "Second paragraph."]
    assert doc.sentence_at(doc.text.index("Second")).paragraph == 1
    assert [t.text for t in doc.tokens_between(0, 5)] == ["First"]


def test_clean_removes_only_whole_artifact_lines():
    text, removed = clean("Read more about this below.\nAdvertisement\nBody text.\r\nRead more »\nShare this article\n")
    assert text == "Read more about this below.\nBody text."
    assert removed == ("Advertisement", "Read more »", "Share this article")


def test_strip_html_keeps_paragraphs_and_drops_scripts():
    html = "<html><head><style>p{}</style></head><body><nav>Menu</nav><h1>Title</h1><p>One &amp; two.</p><script>x</script><p>Three<br>four</p></body></html>"
    assert strip_html(html) == "Title\n\nOne & two.\n\nThree\n\nfour"


# -- reading files -----------------------------------------------------------------

def test_reads_utf8_bom_utf16_and_cp1252(tmp_path):
    sample = "Café owners say “prices” rose — again.\nLoading..."
    files = {
        "utf8.txt": (sample.encode("utf-8"), "utf-8"),
        "bom.txt": (b"\xef\xbb\xbf" + sample.encode("utf-8"), "utf-8-sig"),
        "utf16.txt": (sample.encode("utf-16"), "utf-16"),
        "legacy.txt": (sample.encode("cp1252"), "cp1252"),
    }
    for name, (data, encoding) in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        doc = read(path)
        assert doc.text == "Café owners say “prices” rose — again.", name
        assert doc.encoding == encoding and doc.name == name and doc.path == str(path)
        assert doc.raw.endswith("Loading...") and not doc.raw.startswith("\ufeff")
    # a path given as a string works too
    assert read(str(tmp_path / "legacy.txt")).encoding == "cp1252"


def test_reads_html_files(tmp_path):
    path = tmp_path / "article.html"
    path.write_text("<article><p>Officials said the plan works.</p><p>Advertisement</p><p>Critics disagree.</p></article>", encoding="utf-8")
    doc = read(path)
    assert doc.text == "Officials said the plan works.\n\nCritics disagree."
    assert doc.raw.startswith("<article>") and doc.removed == ("Advertisement",)
    assert read("<p>Hi there.</p>").text == "Hi there."
    assert read("3 < 4 and 5 > 2.").text == "3 < 4 and 5 > 2."


@pytest.mark.parametrize(
    "data, fragment",
    [
        (b"", "is empty"),
        (b"   \n\n  ", "is empty"),
        (b"\nLoading...\nAdvertisement\n", "only scraping leftovers: Loading..., Advertisement"),
        (b"%PDF-1.7\n...", "looks like a PDF file"),
        (b"PK\x03\x04rest-of-a-docx", "Word .docx"),
        (b"abc\x00\x01\x02def", "binary data"),
    ],
)
def test_bad_files_get_a_clear_error_naming_the_file(tmp_path, data, fragment):
    path = tmp_path / "bad input.txt"
    path.write_bytes(data)
    with pytest.raises(TextInputError) as info:
        read(path)
    message = str(info.value)
    assert fragment in message and "bad input.txt" in message


def test_size_limit_is_documented_and_enforced(tmp_path):
    assert MAX_CHARS == 2_000_000
    with pytest.raises(TextInputError, match=r"too long: about 101 characters.*at most 100 .*Split it"):
        read("x" * 101, max_chars=100)
    path = tmp_path / "huge.txt"
    path.write_text("word " * 200)
    with pytest.raises(TextInputError, match="huge.txt' is too long"):
        read(path, max_chars=100)


def test_missing_files_folders_and_wrong_types(tmp_path):
    with pytest.raises(TextInputError, match="There is no file 'nothere.txt'"):
        read("nothere.txt")
    with pytest.raises(TextInputError, match="is a folder"):
        read(str(tmp_path))
    with pytest.raises(TextInputError, match="There is no file"):
        read(tmp_path / "missing.txt")
    with pytest.raises(TypeError, match="takes a file path or the text as a string, not int"):
        read(42)  # type: ignore[arg-type]
    assert read(b"Bytes work too.").text == "Bytes work too."
    long_line = "A sentence that is far longer than any file name can be. " * 8
    assert read(long_line.strip()).text == long_line.strip()  # not mistaken for a path


def test_import_has_no_side_effects_and_stays_light():
    code = (
        "import sys, medialit; "
        "heavy = [m for m in ('matplotlib', 'ipywidgets', 'nltk', 'numpy') if m in sys.modules]; "
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_document_repr_is_short():
    doc = medialit.read("One sentence here. Another one.", name="demo")
    assert repr(doc) == "<Document 'demo': 5 words, 2 sentences, 1 paragraphs>"


@pytest.mark.parametrize("context", [
    "Ukraine. The", "why? Because", "it! Then", "end.  Next", "people.\nThey", "Mr. Smith", "St. Louis", "e.g. the",
    "U.S. The", "A. Smith", "Gen. Milley", "Jan. Five", "III. The", "Fig. 3", "etc. The", "(Kyiv). The", "USA!”",
])
def test_sentence_splitter_shortcut_gives_punkts_answer(context):
    # the shortcut for plain candidates ("Ukraine. The") must answer as NLTK's Punkt does
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    from medialit.text import _sentence_splitter

    splitter = _sentence_splitter()
    assert splitter.text_contains_sentbreak(context) == PunktSentenceTokenizer.text_contains_sentbreak(splitter, context)

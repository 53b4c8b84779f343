"""The corpus: catalog, composition, reader interface and codebook."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

import medialit
from medialit import codebook, corpus
from medialit.gold_balance import editors_note_end


def test_catalog_has_the_required_composition():
    rows = corpus.catalog()
    assert len(rows) >= 18
    founding = corpus.info("ukr-beijing")
    assert founding.origin == "supplied" and not founding.illustrative and not founding.real
    for row in rows:
        if row.id == "ukr-beijing":
            pass
        elif row.id.startswith("real-"):
            assert row.origin == "real" and row.real and not row.illustrative, row.id
        else:
            assert row.origin == "illustrative" and row.illustrative, row.id
            assert 120 <= len(corpus.words(row.id)) <= 450, row.id
        assert row.license and row.title and row.topic and row.perspective and row.genre and row.attribution


def test_real_texts_carry_checkable_provenance():
    real = [r for r in corpus.catalog() if r.real]
    assert len(real) >= 20
    assert {r.perspective for r in real} >= {"Moscow", "Kyiv", "Washington", "Brussels", "joint"}
    for row in real:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row.date), row.id
        assert row.url.startswith(("http://en.kremlin.ru/", "https://www.president.gov.ua/",
                                   "https://bidenwhitehouse.archives.gov/", "https://www.whitehouse.gov/")), row.id
        assert row.speaker and row.outlet and row.excerpt and row.license, row.id
        assert row.url in row.attribution and row.url in corpus.citation(row.id), row.id
        doc = medialit.load(row.id)  # offline: the text ships with the package
        assert medialit.read(row.id) is doc  # a corpus id passed to read() is the corpus text
        assert doc.attribution == row.attribution and row.attribution in repr(doc)
        ann = corpus.annotations(row.id)
        assert len(ann.sentences) == len(doc.sentences) and ann.primary_frame, row.id
        if not row.excerpt.startswith("whole item"):
            assert doc.text.startswith("[Editor's note"), row.id
            end = editors_note_end(doc.text)
            note = [s for s in ann.sentences if s.start < end]
            assert end and note and all(s.note.startswith("editor's note") for s in note), row.id
            assert not any(s.note for s in ann.sentences if s.start >= end), row.id


def test_excerpt_bounds_are_found_in_the_texts():
    def plain(text):
        return text.replace("\u2019", "'").replace("\u2026", "...").replace("\u2014", "-")

    for row in corpus.catalog():
        if not row.real or row.excerpt.startswith("whole item"):
            continue
        phrases = re.findall(r'"([^"]+)"', row.excerpt)
        assert phrases, (row.id, row.excerpt)
        text = plain(corpus.text(row.id))
        for phrase in phrases:
            assert plain(phrase) in text, (row.id, phrase)
        body = text.split("]\n", 1)[1].strip() if text.startswith("[Editor's note") else text
        assert body.endswith(plain(phrases[-1]).strip()), (row.id, phrases[-1])  # the cut ends where it says
        if len(phrases) >= 2 and not row.excerpt.startswith("from the start"):
            assert body.startswith(plain(phrases[0]).strip()), (row.id, phrases[0])  # and starts where it says


def test_real_texts_are_kept_as_the_sources_give_them(repo):
    shipped = {p.name[5:8]: p for p in (repo / "datasets" / "texts").glob("real-*.txt")}
    sources = repo / "datasets" / "SOURCES.md"
    listing = sources.read_text(encoding="utf-8")
    for code, path in shipped.items():
        assert f"| {code.upper()}_" in listing, f"{path.name} is not described in SOURCES.md"
    assert corpus.raw("real-a03-kremlin-2021-12-30").count("Untied States") == 1  # source typos are kept


def test_attribution_is_shown_wherever_a_text_is_shown(capsys):
    from medialit.cli import main
    from medialit.views.html import analysis_html, side_by_side_html

    tid = "real-a04-whitehouse-2021-12-30"
    doc = medialit.load(tid)
    notice = corpus.attribution(tid)
    assert "public domain" in notice and "bidenwhitehouse.archives.gov" in notice
    import html as _html
    escaped = _html.escape(notice)
    assert escaped in analysis_html(medialit.analyze(doc))
    assert escaped in side_by_side_html([doc, medialit.load("real-a03-kremlin-2021-12-30")], ["WH", "Kremlin"])
    assert main(["analyze", str(corpus.path(tid))]) == 0
    assert f"-- source: {notice}" in capsys.readouterr().out
    assert corpus.id_for_path(corpus.path(tid)) == tid and corpus.id_for_path(__file__) is None
    plain = medialit.read("A plain text of my own.")
    assert plain.attribution is None and "source:" not in repr(plain)


def test_mirror_set_has_four_perspectives_and_a_neutral_report():
    ids = corpus.fileids(event="ukraine-security-guarantees")
    opinion = {corpus.info(i).perspective for i in ids if corpus.info(i).genre == "op-ed"}
    assert {"Beijing", "Washington", "Moscow"} <= opinion and ({"Kyiv", "Brussels"} & opinion)
    assert len(opinion) >= 4
    assert any(corpus.info(i).genre == "wire report" for i in ids)
    assert "ukr-beijing" in ids


def test_other_topics_have_two_opposing_opinions_and_a_neutral_control():
    other = [t for t in corpus.topics() if t != "ukraine-security"]
    assert len(other) >= 3
    for topic in other:
        rows = [corpus.info(i) for i in corpus.fileids(topic=topic)]
        opinionated = {r.perspective for r in rows if r.genre in {"op-ed", "press release", "advertisement"}}
        neutral = [r for r in rows if r.perspective == "neutral"]
        assert len(opinionated) >= 2 and neutral, topic


def test_neutral_rewrites_pair_with_loaded_originals():
    rewrites = [r for r in corpus.catalog() if r.rewrite_of]
    assert len(rewrites) >= 4
    for r in rewrites:
        original = corpus.info(r.rewrite_of)
        assert r.genre == "neutral rewrite" and original.topic == r.topic
        # a rewrite may report a loaded word (marked voice "quoted"), never use one itself
        loaded = lambda i: len([s for s in corpus.annotations(i).spans_with("loaded_language")  # noqa: E731
                                if s.voice == "author"])
        assert loaded(r.id) == 0 < loaded(original.id)


def test_founding_text_is_kept_byte_for_byte(seed_file):
    assert corpus.path("ukr-beijing").read_bytes() == seed_file.read_bytes()
    assert corpus.raw("ukr-beijing").endswith("Loading...")
    assert not corpus.text("ukr-beijing").endswith("Loading...")


def test_reader_interface_in_the_style_of_nltk():
    assert corpus.fileids()[0] == "ukr-beijing"
    assert corpus.fileids(topic="energy", perspective="neutral") == ["energy-wire"]
    assert corpus.words("ukr-wire")[:2] == ["WASHINGTON", ","] or corpus.words("ukr-wire")[0] == "WASHINGTON"
    sents = corpus.sents("ukr-beijing")
    assert len(sents) == 18 and sents[0].start == 0
    assert "Unknown" in corpus.license("ukr-beijing")
    assert corpus.citation("health-wire").startswith('medialit authors (2026). "Trial finds')
    assert medialit.load("ukr-kyiv") is corpus.document("ukr-kyiv")  # cached
    assert "Beijing" in corpus.perspectives("ukraine-security-guarantees")
    assert corpus.events()[0] == "ukraine-security-guarantees"


def test_unknown_ids_and_filters_name_the_problem():
    with pytest.raises(LookupError, match="There is no text 'health-add'.*Did you mean: health-ad"):
        corpus.info("health-add")
    with pytest.raises(LookupError, match="No text has topic 'enrgy'.*Did you mean: energy.*The topics in the corpus are: "):
        corpus.fileids(topic="enrgy")
    with pytest.raises(ValueError, match="'loaded' is not a span label. The span labels are: loaded_language"):
        corpus.annotations("ukr-beijing").spans_with("loaded")


def test_annotations_cover_every_label_and_every_sentence():
    counts = Counter()
    for tid in corpus.fileids():
        ann = corpus.annotations(tid)
        counts.update(s.label for s in ann.spans)
        assert len(ann.sentences) == len(corpus.sents(tid))
        # every sentence has a word, so a lesson can analyze each one on its own
        assert all(any(ch.isalnum() for ch in s.text) for s in ann.sentences), tid
        assert ann.primary_frame in codebook.frames()
        for span in ann.spans:
            assert corpus.text(tid)[span.start:span.end] == span.text
    assert set(counts) == set(codebook.span_labels())
    assert all(n >= 10 for n in counts.values()), counts


def test_neutral_controls_carry_no_authorial_loaded_language():
    for row in corpus.catalog():
        if row.perspective == "neutral":
            authorial = [s for s in corpus.annotations(row.id).spans_with("loaded_language") if s.voice == "author"]
            assert authorial == [], row.id


def test_codebook_document_defines_every_label(repo):
    text = (repo / "datasets" / "CODEBOOK.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^#{2,3} (\S+)\s*$", text, flags=re.M))
    for name in (*codebook.span_labels(), *codebook.claim_types(), *codebook.frames(), *codebook.entman_functions()):
        assert name in headings, f"CODEBOOK.md has no section for {name}"
    book = json.loads((repo / "datasets" / "codebook.json").read_text(encoding="utf-8"))
    assert len(book["frames"]) == 14
    for label in codebook.span_labels():
        section = text.split(f"## {label}", 1)[1].split("\n## ", 1)[0]
        for part in ("**Definition.**", "**Span.**", "**Examples.**", "**When this is fine"):
            assert part in section, (label, part)
        assert "Source" in section


def test_the_shipped_sources_file_holds_provenance_not_teaching_notes(repo):
    """SOURCES.md ships in the wheel: notes on what a text teaches would point students to quiz
    answers (a red-team finding), so they live in the instructor guide only."""
    listing = (repo / "datasets" / "SOURCES.md").read_text(encoding="utf-8")
    assert "what it teaches" not in listing.lower()
    for phrase in ("taken the lives of millions", "One side speaking for the other"):  # 06 capstone-mirror's key
        assert phrase not in listing

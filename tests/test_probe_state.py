"""The state the grader's probes compare (medialit.grader.probe_kernel), outside a kernel.

A receipt in every test cell compares this state with the one recorded before any student code.
These tests check that what a student's cell could rebind inside medialit changes it, and that an
honest use of medialit does not.
"""

from __future__ import annotations

import sys

import medialit
from medialit.grader import probe_kernel

probe_kernel._medialit_import_watched()  # what the first probe does before any student code
MODULES = sorted(m for m in sys.modules if m == "medialit" or m.startswith("medialit."))


def _digest():
    state = probe_kernel._medialit_state(MODULES, [], {})
    return probe_kernel._medialit_digest(state["modules"])


def test_rebinding_a_package_function_changes_the_state(monkeypatch):
    before = _digest()
    monkeypatch.setattr(medialit, "load", lambda text_id, *a, **k: None)
    assert _digest() != before


def test_replacing_a_cached_function_changes_the_state(monkeypatch):
    before = _digest()
    monkeypatch.setattr(medialit, "stopwords", lambda *a, **k: set())  # an lru_cache wrapper before
    assert _digest() != before


def test_overriding_a_method_of_the_corpus_object_changes_the_state(monkeypatch):
    before = _digest()
    monkeypatch.setattr(medialit.corpus, "info", lambda text_id: None, raising=False)
    assert _digest() != before


def test_honest_use_leaves_the_state_alone():
    before = _digest()
    doc = medialit.load("real-a03-kremlin-2021-12-30")
    medialit.stopwords()
    medialit.analyze(doc.paragraphs[0].text)
    medialit.corpus.info("real-a03-kremlin-2021-12-30")
    assert _digest() == before

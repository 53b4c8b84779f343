"""Accessibility of medialit's views, checked without a browser: one source for label metadata,
contrast, HTML page structure, word buttons, frame maps, plots with alt text.

The same pages and widgets are checked with axe-core in a real browser in test_browser.py.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from medialit import analyze, codebook, labels, read
from medialit.views.html import analysis_html, class_report_html, legend_html, side_by_side_html


def test_label_metadata_comes_from_the_codebook_only(repo):
    assert tuple(labels.styles()) == codebook.span_labels()
    from medialit import exercises
    from medialit.views import plots

    assert exercises.LABEL_NAMES == {k: s.name for k, s in labels.styles().items()}
    assert plots.HATCHES == {k: s.hatch for k, s in labels.styles().items()}
    assert exercises.CLAIM_CHOICES == codebook.claim_types()
    # no copied table of label colours or names left in the package's code
    for path in (repo / "toolkit" / "medialit").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        labels_ = "|".join(codebook.span_labels())
        assert not re.search(rf"[\"'](?:{labels_})[\"']\s*:\s*\(?\s*[\"']#", text), path  # {"hedge": "#F0E442", ...}
        assert not re.search(r"[\"']vague attribution[\"']\s*[,:)]", text), path  # a names table


@pytest.mark.parametrize("label", codebook.span_labels())
def test_label_colours_have_enough_contrast(label):
    style = labels.style(label)
    assert labels.contrast(style.ink, "#ffffff") >= 4.5            # tags, white text on a selected word
    assert labels.contrast(style.ink, labels.tint(style.fill, 0.2)) >= 3.0   # underline on the mark's fill
    assert labels.contrast("#111111", labels.tint(style.fill, 0.2)) >= 4.5   # text on the fill
    # the selected word button (ink) stands out from an unselected one (JupyterLab's light grey)
    assert labels.contrast(style.ink, "#eeeeee") >= 3.0


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.append((tag, dict(attrs)))


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    return parser


def test_report_page_has_lang_landmarks_one_h1_and_a_list_legend():
    page = analysis_html(analyze(read("Critics argue the reckless plan may fail. “It will clearly work,” Ms Lee said.")),
                         standalone=True, title="A <test> & more")
    parsed = _parse(page)
    assert '<html lang="en">' in page and parsed.tags.count("h1") == 1
    assert "main" in parsed.tags and "header" in parsed.tags
    assert "&lt;test&gt; &amp; more" in page and "<test>" not in page
    # the legend is a real list, and no sup carries an aria attribute (aria-prohibited-attr)
    assert 'role="list"' not in page and '<ul class="ml-legend"' in page
    assert all(not any(k.startswith("aria-") and k != "aria-hidden" for k in a) for t, a in parsed.attrs if t == "sup")
    # every mark's reason is readable without hovering: in the list and as screen-reader text
    assert "Every mark and the analyzer's reason" in page and 'class="ml-sr"> (vague attribution: ' in page


def test_html_views_escape_everything():
    evil = read("Critics argue <script>alert(1)</script> is a reckless hoax.")
    page = side_by_side_html([evil, read("A plan.")], ['<img src=x onerror=alert(1)>', "two"],
                             highlight=["loaded_language"], analyses=[analyze(evil), analyze(read("A plan."))])
    assert "<script>" not in page and "<img src=x" not in page and "&lt;script&gt;" in page
    assert legend_html().count("<li>") == len(codebook.span_labels()) + 1
    with pytest.raises(ValueError, match="one analysis per document"):
        side_by_side_html([evil], ["one"], highlight=["hedge"])
    report = class_report_html({"lesson": "<b>", "students": 1, "questions": [
        {"question_id": "q", "kind": "spans", "students": 1, "alpha": "n/a", "verdict": "n/a", "missed": ["<i>"],
         "over_flagged": [], "passage": [{"text": "<u>word</u>", "share": 0.5, "reference": True}]}]})
    assert "<b>" not in report and "<i>" not in report and "&lt;u&gt;word&lt;/u&gt;" in report
    assert report.count("<h1>") == 1 and '<html lang="en">' in report and "<main>" in report


def test_notebook_tables_are_left_aligned_over_jupyterlab_style():
    page = analysis_html(analyze(read("Critics argue the plan may fail.")))
    assert ".jp-RenderedHTMLCommon .medialit td" in page and "text-align:left" in page


def test_plots_show_with_alt_text():
    from medialit.views.plots import describe, plot_marker_rates, show

    fig, _ = plot_marker_rates({"a": analyze(read("A reckless plan.")), "b": analyze(read("A plan."))})
    bundle = show(fig, alt="Bars: text a uses loaded language, text b none")._repr_mimebundle_()
    assert 'alt="Bars: text a uses loaded language, text b none"' in bundle["text/html"]
    assert bundle["text/plain"].startswith("[figure] Bars")
    assert "Markers per 100 words" in describe(fig) and 'alt="Chart. Markers' in show(fig)._repr_mimebundle_()["text/html"]
    with pytest.raises(ValueError, match="needs alt text"):
        show(fig, alt=" ")
    # a figure the plot functions make carries alt text when a lesson shows it as `fig`
    from IPython.core.formatters import DisplayFormatter

    data, _ = DisplayFormatter().format(fig)
    assert 'alt="Chart. Markers per 100 words' in data["text/html"]
    fig.alt = "Bars: text a has one loaded word"
    assert 'alt="Bars: text a has one loaded word"' in DisplayFormatter().format(fig)[0]["text/html"]

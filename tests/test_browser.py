"""A real browser: JupyterLab runs a notebook with the span marker, the quiz, a plot and an
analysis; we click, then use the keyboard only, then run axe-core on what medialit shows.

Needs Debian's chromium (/usr/bin/chromium) and Python Playwright; `.ci/run` installs chromium,
so in CI this always runs. axe-core comes from the PyPI package axe-playwright-python (its
axe.min.js, MPL-2.0), read from disk: no network. A screenshot is saved to test-artifacts/widgets.png
and axe's findings to test-artifacts/axe-*.json.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import nbformat
import pytest
from helpers import axe_findings, jupyter_server
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason="Debian's chromium is not installed (apt-get install chromium); .ci/run installs it"),
]


@pytest.fixture()
def lab(tmp_path):
    root = tmp_path / "ws"
    root.mkdir()
    nb = new_notebook(cells=[
        new_markdown_cell("# Widgets in a real browser"),
        new_code_cell('from medialit.widgets import SpanMarker, Quiz\n'
                      'marker = SpanMarker("browser-span", "Critics say the reckless plan may fail.", '
                      'labels=["loaded_language", "hedge"])\nmarker'),
        new_code_cell('quiz = Quiz("browser-quiz", "Which word is a hedge?", {"a": "may", "b": "clearly"}, correct=["a"], '
                      'feedback={"a": "Yes: it holds back from full commitment.", "b": "That one boosts."})\nquiz'),
        new_code_cell('from medialit import analyze, read\nfrom medialit.views.plots import plot_marker_rates, show\n'
                      'a = analyze(read("Critics argue the reckless plan may clearly fail. The vote is on Monday."))\n'
                      'fig, ax = plot_marker_rates({"one": a})\nshow(fig, alt="Bars: marks per 100 words in one text")'),
        new_code_cell('a'),
    ])
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nbformat.write(nb, root / "widgets.ipynb")
    token = "medialit-browser-test"
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "cfg"), JUPYTER_RUNTIME_DIR=str(tmp_path / "rt"),
               PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    env.pop("MEDIALIT_ANSWERS_DIR", None)
    with jupyter_server(["lab", f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True",
                         "--LabApp.news_url=None"], root, env, token, "JupyterLab") as base:
        yield base, token, root


def _wait_for(path: Path, check, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        if path.exists():
            try:
                last = json.loads(path.read_text())
                if check(last):
                    return last
            except ValueError:
                pass
        time.sleep(0.25)
    raise AssertionError(f"{path} never held the expected answer; last seen: {last}")


def test_span_marker_and_quiz_in_jupyterlab(lab, repo):
    sync_api = pytest.importorskip("playwright.sync_api", reason="Python Playwright is not installed (pip install playwright)")
    base, token, root = lab
    artifacts = repo / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        try:
            page.goto(f"{base}/lab/tree/widgets.ipynb?token={token}", wait_until="domcontentloaded", timeout=90_000)
            page.wait_for_function("window.jupyterapp && document.querySelector('.jp-Notebook')", timeout=90_000)
            # wait until the kernel is connected and idle, then run the cells as a student does
            page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=90_000)
            page.locator(".jp-Notebook .jp-Cell").first.click()
            for _ in range(5):
                page.keyboard.press("Shift+Enter")
            word = page.locator("button.ml-word", has_text="reckless")
            word.wait_for(timeout=90_000)
            page.wait_for_selector("button.ml-word[aria-pressed]", timeout=30_000)  # access.js is running
            word.click()
            page.wait_for_selector("button.ml-word.ml-marked[aria-pressed='true']", timeout=30_000)
            assert "marked as loaded language" in word.get_attribute("aria-label")
            # one Tab stop per sentence (the passage has one sentence)
            assert page.locator("button.ml-word[tabindex='0']").count() == 1

            # keyboard only: arrow keys choose the label without leaving the cell, Tab reaches the
            # sentence, arrows move to the word, Enter marks it; then Tab to the quiz, Space answers
            active = "Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell')).findIndex(c => c.classList.contains('jp-mod-active'))"
            page.get_by_role("radio", name="loaded language").focus()
            before = page.evaluate(active)
            page.keyboard.press("ArrowDown")
            assert page.get_by_role("radio", name="hedge").is_checked()
            assert page.evaluate(active) == before, "the arrow key moved to another notebook cell"
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.textContent.trim()") == "Critics"
            for _ in range(5):
                page.keyboard.press("ArrowRight")
            assert page.evaluate("document.activeElement.textContent.trim()") == "may"
            assert page.evaluate(active) == before
            page.keyboard.press("Enter")
            for _ in range(12):
                page.keyboard.press("Tab")
                if page.evaluate("document.activeElement.type === 'radio' && !!document.activeElement.closest("
                                 "'.ml-exercise') && document.activeElement.closest('.ml-exercise').textContent"
                                 ".includes('Which word is a hedge')"):
                    break
            assert page.get_by_role("radiogroup", name="Which word is a hedge?").count() == 1
            page.keyboard.press("Space")
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.textContent.trim()") == "Check"
            page.keyboard.press("Enter")
            page.locator(".widget-html", has_text="Yes: it holds back").wait_for(timeout=30_000)

            spans = _wait_for(root / "answers" / "browser-span.json",
                              lambda r: len(r["answer"]["spans"]) == 2)
            text = "Critics say the reckless plan may fail."
            assert [(text[s:e], label) for s, e, label in spans["answer"]["spans"]] == [
                ("reckless", "loaded_language"), ("may", "hedge")]
            quiz = _wait_for(root / "answers" / "browser-quiz.json", lambda r: r["answer"]["selected"] == ["a"])
            assert quiz["kind"] == "quiz"
            page.locator("img[alt='Bars: marks per 100 words in one text']").wait_for(timeout=30_000)
            page.locator(".medialit .ml-legend").first.wait_for(timeout=30_000)

            ours, theirs = axe_findings(page, "notebook")
            assert ours == [], f"axe: serious or critical findings in medialit's output: {ours}"
            errors = page.locator("[data-mime-type='application/vnd.jupyter.stderr'], .jp-OutputArea-output:has-text('Traceback')")
            assert errors.count() == 0
            page.screenshot(path=str(artifacts / "widgets.png"), full_page=True)
        except Exception:
            page.screenshot(path=str(artifacts / "widgets-failure.png"), full_page=True)
            (artifacts / "widgets-failure.html").write_text(page.content())
            raise
        finally:
            browser.close()


def test_html_pages_pass_axe(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="Python Playwright is not installed (pip install playwright)")
    from medialit import analyze, read
    from medialit.views.html import analysis_html, class_report_html, side_by_side_html

    one = read("Critics argue the reckless plan may clearly fail. “It is a disaster,” Ms Lee said.")
    two = read("The council will vote on the plan on Monday.")
    # the side-by-side view is a fragment for a notebook: its column titles are h3, under a lesson's h2
    pages = {
        "report": analysis_html(analyze(one), standalone=True, title="Report"),
        "side-by-side": '<!DOCTYPE html><html lang="en"><head><title>Side by side</title></head><body><main>'
                        '<h1>Side by side</h1><h2>Two texts</h2>' + side_by_side_html([one, two], ["one", "two"],
                        highlight=["loaded_language", "hedge"], analyses=[analyze(one), analyze(two)]) + "</main></body></html>",
        "class-report": class_report_html({"lesson": "01-demo", "students": 3, "alpha_note": "alpha", "questions": [
            {"question_id": "q", "kind": "spans", "students": 3, "alpha": "0.70", "verdict": "tentative",
             "missed": ["“reckless” (33%)"], "over_flagged": [],
             "passage": [{"text": "The ", "share": None, "reference": False},
                         {"text": "reckless", "share": 0.67, "reference": True},
                         {"text": " plan.", "share": None, "reference": False}]}]}),
    }
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page()
            for name, html in pages.items():
                path = tmp_path / f"{name}.html"
                path.write_text(html, encoding="utf-8")
                page.goto(path.as_uri())
                ours, theirs = axe_findings(page, name, scope="html")
                assert ours == [], f"axe on the {name} page: {ours}"
                assert theirs == [], f"axe on the {name} page (moderate and minor findings too): {theirs}"
        finally:
            browser.close()

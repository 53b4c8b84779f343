"""A saved widget answer as readable text, for people who see no widget: formgrader, feedback.

Plain data in (the answer, and what is known of the question: its text, its options), plain
lines out; :func:`answer_html` renders the same lines with the template ``answer.html``.

>>> answer_lines("quiz", {"selected": ["b"]}, options={"a": "may", "b": "clearly"})
['Chosen: (b) clearly']
>>> from medialit import read
>>> doc = read("The reckless plan failed.")
>>> answer_lines("spans", {"spans": [[4, 12, "loaded_language"]]}, document=doc)
['Marked passages (1):', '“reckless”: loaded language']
"""

from __future__ import annotations

from typing import Any, Mapping

from .. import labels

__all__ = ["answer_lines", "answer_html"]


def _sentence(document, k: int) -> str:
    if document is not None and 0 <= k < len(document.sentences):
        return f"sentence {k + 1} “{document.sentences[k].text}”"
    return f"sentence {k + 1}"


def answer_lines(kind: str, answer: Mapping[str, Any], *, document=None, context: Mapping | None = None,
                 options: Mapping[str, str] | None = None) -> list[str]:
    """The answer of one widget question as lines of text (never empty: an empty answer says so).

    ``document`` is the question's text (span, sentence, frame and ledger questions), ``options``
    a quiz's option texts by key, ``context`` the answer file's context (category items).
    """
    context = context or {}
    if kind == "quiz":
        chosen = list(answer.get("selected", []))
        if not chosen:
            return ["No option chosen."]
        return ["Chosen: " + "; ".join(f"({key}) {options[key]}" if options and key in options else f"option {key}"
                                       for key in chosen)]
    if kind == "spans":
        spans = list(answer.get("spans", []))
        if not spans:
            return ["No passage marked."]
        text = document.text if document is not None else context.get("text")
        lines = [f"Marked passages ({len(spans)}):"]
        for start, end, label in spans:
            shown = f"“{text[start:end]}”" if isinstance(text, str) and 0 <= start < end <= len(text) \
                else f"characters {start} to {end}"
            lines.append(f"{shown}: {labels.readable(label)}")
        return lines
    if kind == "sentences":
        rows = answer.get("labels", {})
        lines = []
        for key in sorted(rows, key=int):
            entry = rows[key]
            parts = [entry["claim"]] if entry.get("claim") else []
            if entry.get("unsupported") is not None:
                parts.append("unsupported" if entry["unsupported"] else "supported")
            if parts:
                lines.append(f"{_sentence(document, int(key))}: {', '.join(parts)}".capitalize())
        return lines or ["No sentence labelled."]
    if kind == "frame_map":
        lines = []
        for function, chosen in (answer.get("functions") or {}).items():
            if chosen:
                lines.append(f"{function}: " + "; ".join(_sentence(document, k) for k in chosen))
        frame = answer.get("primary_frame")
        lines.append(f"Primary frame: {labels.readable(frame)}" if frame else "Primary frame: not chosen")
        return lines
    if kind == "ledger":
        lines = []
        for key in sorted(answer.get("claims", {}), key=int):
            row = answer["claims"][key]
            parts = [f"source {row.get('source') or 'not chosen'}",
                     f"evidence “{row['evidence']}”" if row.get("evidence") else "no evidence written",
                     "missing " + ", ".join(row["missing"]) if row.get("missing") else "nothing marked missing",
                     f"ask: {row['question']}" if row.get("question") else "no question chosen"]
            lines.append(f"Claim in {_sentence(document, int(key))}: " + "; ".join(parts))
        return lines or ["No claim filled in."]
    if kind == "categories":
        items = list(context.get("items") or [])
        lines = []
        for key in sorted(answer.get("labels", {}), key=int):
            k = int(key)
            item = f"item {k + 1} “{items[k]}”" if 0 <= k < len(items) else f"item {k + 1}"
            lines.append(f"{item}: {labels.readable(answer['labels'][key])}".capitalize())
        return lines or ["No item sorted."]
    raise ValueError(f"Unknown answer kind {kind!r}. The kinds are: quiz, spans, sentences, frame_map, ledger, "
                     "categories.")


def answer_html(question_id: str, lines: list[str], *, heading: str = "Answer saved with the widget") -> str:
    """The lines as a small HTML block (escaped), headed with the question and its answer file.

    >>> "&lt;b&gt;" in answer_html("q1", ["Chosen: (a) <b>"])
    True
    """
    from .html import render

    return render("answer.html", question_id=question_id, lines=lines, heading=heading)

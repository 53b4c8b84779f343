"""Interactive exercises: thin ipywidgets views over the models in :mod:`medialit.exercises`.

Each widget saves its answer to ``answers/<question_id>.json`` beside the notebook on every
change and restores it when the notebook is opened again. Put the widget on the last line of a
cell to show it (constructors never display anything themselves)::

    marker = SpanMarker("loaded-1", "ukr-beijing", labels=["loaded_language"])
    marker

``marker.answer()`` returns the answer as plain data; ``marker.set_answer(...)`` sets it from code.
"""

from __future__ import annotations

import html
import time
from contextlib import contextmanager
from typing import Iterable, Sequence, Union

import ipywidgets as w

from . import codebook, labels
from .answers import AnswerStore
from .exercises import (
    CLAIM_CHOICES,
    CategorySorterModel,
    CRITICAL_QUESTIONS,
    SOURCE_CHOICES,
    SUPPORT_CHOICES,
    TOULMIN_PARTS,
    ClaimLedgerModel,
    FrameMapModel,
    QuizModel,
    SentenceSorterModel,
    SpanMarkerModel,
    discernment,
    category_feedback,
    frame_map_feedback,
    ledger_feedback,
    sorting_feedback,
)
from .text import Document

__all__ = ["SpanMarker", "SentenceSorter", "FrameMap", "ClaimLedger", "Quiz", "CategorySorter", "SideBySide"]

TextSource = Union[str, Document]


def _document(text: TextSource) -> Document:
    if isinstance(text, Document):
        return text
    from . import corpus

    try:
        return corpus.document(text)
    except LookupError:
        from .text import read

        if "\n" in text or " " in text.strip():
            return read(text)
        raise


#: Punctuation that opens a phrase: never shown on the button of the word before it.
_OPENING = "\"'“‘«([{¿¡"
#: Clitics NLTK splits off a word ("district’s" -> "district", "’s"): shown on the word's own button.
_CLITICS = {"'s", "’s", "'re", "’re", "'ve", "’ve", "'ll", "’ll", "'d", "’d", "'m", "’m", "n't", "n’t", "'", "’"}
#: Shown next to every exercise: a widget restored from a saved notebook has no kernel behind it.
RESTORE_NOTE = ("If the widget above says “Error displaying widget”, run this cell again (the kernel was "
                "restarted); your saved answer comes back.")


def _access_widget() -> w.DOMWidget:
    """The keyboard and screen-reader helper (``static/access.js``) rendered inside an exercise."""
    import anywidget
    from pathlib import Path

    class _Access(anywidget.AnyWidget):
        _esm = Path(__file__).with_name("static") / "access.js"

    return _Access()


def _note_html() -> str:
    return (f'<p class="ml-restore-note" style="font-size:.85em;color:#555;margin:.2em 0">{html.escape(RESTORE_NOTE)}</p>')


class _Exercise:
    """Common behaviour: load on start, save on change, show messages, display when last in a cell."""

    def __init__(self, model, directory=None) -> None:
        self.model = model
        self.store = AnswerStore(model.question_id, model.kind, text_id=model.text_id,
                                 text_sha=model.text_sha, directory=directory, context=model.context())
        self.status = w.HTML(layout=w.Layout(min_height="1.4em"))
        loaded = self.store.load()
        message = loaded.message if (not loaded.ok or loaded.answer is not None) else ""
        if loaded.answer is not None:
            try:
                model.set_answer(loaded.answer)
            except (ValueError, TypeError) as error:
                model.clear()
                message = (f"The saved answer for {model.question_id} does not fit this question ({error}); "
                           "starting with an empty answer.")
                self.store._set_aside("unusable")
        self.widget = self._build()
        self.widget.add_class("ml-exercise")
        self.widget.children = (*self.widget.children, _access_widget())
        self._refresh()
        self._say(message, warn=not loaded.ok)

    # -- subclasses fill these in ------------------------------------------------------------
    def _build(self) -> w.Widget:  # pragma: no cover - abstract
        raise NotImplementedError

    def _refresh(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- shared ----------------------------------------------------------------------------------
    @contextmanager
    def _quietly(self):
        """Set controls from the model without treating the changes as the student's."""
        self._refreshing = True
        try:
            yield
        finally:
            self._refreshing = False

    def _check_controls(self, feedback) -> list[w.Widget]:
        """A practice exercise's Check button and verdict (``feedback(answer, reference) -> (share,
        hint)``, a hint that names no answer); nothing for a graded one (no ``reference``)."""
        self.feedback = w.HTML()
        if getattr(self, "reference", None) is None:
            return []

        def check(_button=None) -> None:
            _, hint = feedback(self.model.answer(), self.reference)
            self.feedback.value = f'<div style="font-size:.9em">{html.escape(hint)}</div>'

        button = w.Button(description="Check", icon="check", tooltip="How many answers agree with the reference?")
        button.on_click(check)
        self.check = check
        return [button, self.feedback]

    def _say(self, message: str, warn: bool = False) -> None:
        colour = "#9b1c1c" if warn else "#333"
        self.status.value = f'<span style="color:{colour};font-size:.9em">{html.escape(message, quote=False)}</span>' if message else ""

    def _save(self) -> None:
        try:
            self.store.save(self.model.answer())
        except OSError as error:
            self._say(f"Could not save your answer to {self.store.path} ({error}). Check that the folder is "
                      "writable; your answer is still in this widget.", warn=True)
            return
        self._say(f"Saved at {time.strftime('%H:%M:%S')} to answers/{self.store.path.name}.")

    def answer(self) -> dict:
        """The current answer as plain data."""
        return self.model.answer()

    def set_answer(self, answer) -> None:
        """Set the answer from code (for example in a lesson's solution), save it and show it."""
        self.model.set_answer(answer)
        self._refresh()
        self._save()

    def clear(self) -> None:
        """Remove the whole answer, save, and show the empty exercise."""
        self.model.clear()
        self._refresh()
        self._save()

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def _ipython_display_(self) -> None:
        """Show the widget and, below it, what to do if it cannot be shown after a restart."""
        from IPython.display import display

        display(self.widget)
        display({"text/html": _note_html(), "text/plain": RESTORE_NOTE}, raw=True)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.model.question_id!r}: answer saved in {self.store.path}>"


# ------------------------------------------------------------------------------------------


class SpanMarker(_Exercise):
    """Mark words of a text with labels: pick a label, then click words (or Tab to a word and
    press Enter). Consecutive words with the same label form one span. Undo and Clear help.

    ``reference`` (optional, for practice) enables a *Check* button that gives a discernment
    summary: phrases found, false alarms, and a hint, never the reference itself.
    """

    def __init__(self, question_id: str, text: TextSource, labels: Sequence[str] | None = None, *,
                 reference: Iterable[Sequence] | None = None, directory=None) -> None:
        self.reference = None if reference is None else [tuple(s) for s in reference]
        super().__init__(SpanMarkerModel(question_id, _document(text), labels), directory)

    def _groups(self) -> list[list[int]]:
        """Word indices shown on one button each: a clitic ("’s") joins the word before it."""
        words = self.model.words
        result: list[list[int]] = []
        for k, token in enumerate(words):
            joined = result and token.text in _CLITICS and words[k - 1].end == token.start
            if joined:
                result[-1].append(k)
            else:
                result.append([k])
        return result

    def _caption(self, group: list[int], para_end: int) -> str:
        """The text on a word's button: opening quotes or brackets before it, the word, its clitics and
        the closing punctuation after it."""
        text, words = self.model.document.text, self.model.words
        first, last = words[group[0]], words[group[-1]]
        nxt = words[group[-1] + 1].start if group[-1] + 1 < len(words) else para_end
        tail = text[last.end:min(nxt, para_end)]
        kept = ""
        for char in tail:
            if char.isspace() or char in _OPENING:
                break
            kept += char
        before = text[words[group[0] - 1].end if group[0] else 0:first.start]
        lead = ""
        for char in reversed(before):
            if char not in _OPENING:
                break
            lead = char + lead
        return lead[-2:] + text[first.start:last.end] + (kept if len(kept) <= 3 else "")

    def _build(self) -> w.Widget:
        model = self.model
        self.label_picker = w.RadioButtons(
            options=[(labels.name(label), label) for label in model.labels],
            description="Label:", tooltip="the label your next clicks give",
            layout=w.Layout(width="auto"),
        )
        self._buttons: list[w.Button] = []
        self._group_of: dict[int, list[int]] = {}
        self._index_of: dict[int, int] = {}
        sentence_of = {}
        for s_index, sentence in enumerate(model.document.sentences):
            for k, token in enumerate(model.words):
                if sentence.start <= token.start < sentence.end:
                    sentence_of[k] = s_index
        rows = []
        groups = self._groups()
        # one Layout shared by every word, and each word built in its unmarked state: a long text
        # has a thousand words, and every widget model and later change is a message to the
        # browser (and to the grader's kernel client, which must keep up with them)
        word_layout = w.Layout(width="auto", margin="1px", padding="0 4px", height="auto")
        for para in model.document.paragraphs:
            row = []
            for group in groups:
                if not (para.start <= model.words[group[0]].start < para.end):
                    continue
                caption = self._caption(group, para.end)
                button = w.Button(description=caption, tooltip=f"{caption}: not marked", layout=word_layout,
                                  _dom_classes=("ml-word", f"ml-s{sentence_of.get(group[0], 0)}"))
                button.on_click(self._on_word)
                self._index_of[id(button)] = group[0]
                self._group_of[id(button)] = group
                self._buttons.append(button)
                row.append(button)
            rows.append(w.HBox(row, layout=w.Layout(flex_flow="row wrap", margin="0 0 8px 0")))
        self._button_for = {k: b for b in self._buttons for k in self._group_of[id(b)]}
        self.undo_button = w.Button(description="Undo", icon="undo", tooltip="Undo the last change")
        self.undo_button.on_click(self._on_undo)
        self.clear_button = w.Button(description="Clear", icon="trash", tooltip="Remove every mark (Undo brings them back)")
        self.clear_button.on_click(self._on_clear)
        controls = [self.undo_button, self.clear_button]
        self.feedback = w.HTML()
        if self.reference is not None:
            self.check_button = w.Button(description="Check", icon="check",
                                         tooltip="How many phrases have you found, and how many false alarms?")
            self.check_button.on_click(self._on_check)
            controls.append(self.check_button)
        self.summary = w.HTML()
        legend = "".join(
            f'<li style="display:inline-block;margin-right:1em"><span style="background:{st.ink};color:#fff;'
            f'padding:0 .3em;border-radius:.2em"><i class="fa fa-{st.icon}" aria-hidden="true"></i> '
            f'{html.escape(st.name)} [{st.tag}]</span></li>'
            for st in (labels.style(label) for label in model.labels))
        help_text = w.HTML(
            '<div style="font-size:.9em">Choose a label, then click the words it covers. With the keyboard: Tab '
            'moves from sentence to sentence, the arrow keys from word to word, Enter or Space marks the word. '
            'Click a marked word again to unmark it. Marked words show their label in brackets:'
            f'<ul aria-label="Labels" style="list-style:none;padding:0;margin:.3em 0">{legend}</ul></div>')
        words_box = w.VBox(rows)
        words_box.add_class("ml-words")
        return w.VBox([help_text, self.label_picker, words_box, w.HBox(controls), self.summary,
                       self.feedback, self.status])

    def _refresh(self) -> None:
        for button in self._buttons:
            group = self._group_of[id(button)]
            k = group[0]
            label = self.model.label_of(k)
            if label is None:
                button.style.button_color = None  # the defaults: an unmarked word sends no change
                button.style.text_color = None
                button.style.text_decoration = None
                button.style.font_weight = None
                button.icon = ""
                button.description = button.description.split(" [", 1)[0]
                button.tooltip = f"{button.description}: not marked"
                button.remove_class("ml-marked")
            else:
                style = labels.style(label)
                button.style.button_color = style.ink
                button.style.text_color = "#ffffff"
                button.style.text_decoration = "underline"
                button.style.font_weight = "bold"
                button.icon = style.icon
                word = button.description.split(" [", 1)[0]
                button.description = f"{word} [{style.tag}]"
                button.tooltip = f"{word}: marked as {style.name}"
                button.add_class("ml-marked")
        self.undo_button.disabled = not self.model.can_undo
        spans = self.model.spans()
        if spans:
            items = "".join(f"<li>{html.escape(labels.name(label))}: “{html.escape(self.model.document.text[s:e])}”</li>"
                            for s, e, label in spans)
            self.summary.value = f'<div style="font-size:.9em">Your marks ({len(spans)}):<ul>{items}</ul></div>'
        else:
            self.summary.value = '<div style="font-size:.9em">No marks yet.</div>'

    def _on_word(self, button: w.Button) -> None:
        group, label = self._group_of[id(button)], self.label_picker.value
        if all(self.model.label_of(k) == label for k in group):
            for k in group:
                self.model.toggle(k, label)
        else:
            self.model.mark(group[0], group[-1], label)
        self.feedback.value = ""
        self._refresh()
        self._save()

    def _on_undo(self, _button: w.Button) -> None:
        self.model.undo()
        self._refresh()
        self._save()

    def _on_clear(self, _button: w.Button) -> None:
        self.clear()

    def _on_check(self, _button: w.Button) -> None:
        result = discernment(self.model.spans(), self.reference or [], self.model.document)
        self.feedback.value = f'<div style="font-size:.9em">{html.escape(result.summary())}</div>'

    def click(self, word_index: int, label: str | None = None) -> None:
        """Click word ``word_index`` (as the student would), with ``label`` or the chosen one."""
        if label is not None:
            self.label_picker.value = label
        self._button_for[word_index].click()


# ------------------------------------------------------------------------------------------


class SentenceSorter(_Exercise):
    """Label sentences: claim type (factual / opinion / prediction) and supported / unsupported."""

    def __init__(self, question_id: str, text: TextSource, sentences: Sequence[int] | None = None, *,
                 ask: Sequence[str] = ("claim", "support"), reference: dict | None = None, directory=None) -> None:
        self.reference = reference
        super().__init__(SentenceSorterModel(question_id, _document(text), sentences, ask), directory)

    def _build(self) -> w.Widget:
        model = self.model
        rows = []
        self._claims: dict[int, w.Dropdown] = {}
        self._supports: dict[int, w.Dropdown] = {}
        self._index_of: dict[int, int] = {}
        for k in model.indices:
            sentence = model.document.sentences[k]
            parts: list[w.Widget] = [w.HTML(f"<b>{k + 1}.</b> {html.escape(sentence.text)}",
                                            layout=w.Layout(width="60%"))]
            if "claim" in model.ask:
                claim = w.Dropdown(options=[("choose...", "")] + [(c, c) for c in CLAIM_CHOICES],
                                   description=f"Claim {k + 1}:", tooltip="factual, opinion or prediction",
                                   layout=w.Layout(width="220px"), style={"description_width": "70px"})
                claim.observe(self._on_change, names="value")
                self._claims[k] = claim
                self._index_of[id(claim)] = k
                parts.append(claim)
            if "support" in model.ask:
                support = w.Dropdown(options=[("choose...", "")] + [(c, c) for c in SUPPORT_CHOICES],
                                     description=f"Support {k + 1}:", tooltip="Is a source or evidence given?",
                                     layout=w.Layout(width="240px"), style={"description_width": "80px"})
                support.observe(self._on_change, names="value")
                self._supports[k] = support
                self._index_of[id(support)] = k
                parts.append(support)
            rows.append(w.HBox(parts, layout=w.Layout(align_items="center", border_bottom="1px solid #ddd")))
        self.feedback = w.HTML()
        controls = []
        if self.reference is not None:
            check = w.Button(description="Check", icon="check", tooltip="How many labels agree with the reference?")
            check.on_click(self._on_check)
            controls.append(check)
        self._refreshing = False
        return w.VBox(rows + [w.HBox(controls), self.feedback, self.status])

    def _refresh(self) -> None:
        with self._quietly():
            for k in self.model.indices:
                entry = self.model.get(k)
                if k in self._claims:
                    self._claims[k].value = entry.get("claim", "")
                if k in self._supports:
                    value = entry.get("unsupported")
                    self._supports[k].value = "" if value is None else ("unsupported" if value else "supported")

    def _on_change(self, change) -> None:
        if self._refreshing or not change["new"]:
            return
        k = self._index_of[id(change["owner"])]
        if change["owner"] is self._claims.get(k):
            self.model.set(k, claim=change["new"])
        else:
            self.model.set(k, support=change["new"])
        self._save()

    def _on_check(self, _button) -> None:
        _, hint = sorting_feedback(self.model.answer(), self.reference or {})
        self.feedback.value = f'<div style="font-size:.9em">{html.escape(hint)}</div>'

    def choose(self, sentence: int, claim: str | None = None, support: str | None = None) -> None:
        """Pick values in the dropdowns, as a student would."""
        if claim is not None:
            self._claims[sentence].value = claim
        if support is not None:
            self._supports[sentence].value = support


# ------------------------------------------------------------------------------------------


class FrameMap(_Exercise):
    """Entman's four functions: pick the sentence(s) for each, and choose the primary frame.
    ``reference`` (optional, for practice) adds a *Check* button that says which parts agree."""

    def __init__(self, question_id: str, text: TextSource, *, reference: dict | None = None, directory=None) -> None:
        self.reference = reference  # practice: a Check button compares with it (see frame_map_feedback)
        super().__init__(FrameMapModel(question_id, _document(text)), directory)

    def _build(self) -> w.Widget:
        model = self.model
        self._boxes: dict[str, dict[int, w.Checkbox]] = {f: {} for f in model.functions}
        self._owner: dict[int, tuple[str, int]] = {}
        keys = "; ".join(f"{f}: {codebook.describe(f)}" for f in model.functions)
        rows = [w.HTML(f'<div style="font-size:.9em">For each sentence, tick the functions it serves (as many as '
                       f'fit, or none). {html.escape(keys)}</div>')]
        for k, sentence in enumerate(model.document.sentences):
            boxes = []
            for function in model.functions:
                box = w.Checkbox(description=function, indent=False, tooltip=f"sentence {k + 1}: {function}",
                                 layout=w.Layout(width="auto", margin="0 .8em 0 0"))
                box.add_class("ml-choice")
                box.observe(self._on_change, names="value")
                self._boxes[function][k] = box
                self._owner[id(box)] = (function, k)
                boxes.append(box)
            rows.append(w.VBox([w.HTML(f"<b>{k + 1}.</b> {html.escape(sentence.text)}"),
                                w.HBox(boxes, layout=w.Layout(flex_flow="row wrap"))],
                               layout=w.Layout(border_bottom="1px solid #ddd", padding="2px 0")))
        self.frame = w.Dropdown(options=[("choose...", "")] + [(labels.readable(f), f) for f in codebook.frames()],
                                description="Primary frame:", style={"description_width": "110px"},
                                layout=w.Layout(width="480px"))
        self.frame.observe(self._on_change, names="value")
        self._refreshing = False
        return w.VBox(rows + [self.frame] + self._check_controls(frame_map_feedback) + [self.status])

    def _refresh(self) -> None:
        with self._quietly():
            for function, boxes in self._boxes.items():
                chosen = set(self.model.chosen(function))
                for k, box in boxes.items():
                    box.value = k in chosen
            self.frame.value = self.model.primary_frame or ""

    def _on_change(self, change) -> None:
        if self._refreshing:
            return
        if change["owner"] is self.frame:
            self.model.set_frame(change["new"] or None)
        else:
            function, _ = self._owner[id(change["owner"])]
            self.model.choose(function, [k for k, box in self._boxes[function].items() if box.value])
        self._save()

    def choose(self, function: str, sentences: Sequence[int]) -> None:
        """Tick the sentences for one function, as a student would (the others are unticked)."""
        for k, box in self._boxes[function].items():
            box.value = k in sentences


# ------------------------------------------------------------------------------------------


class ClaimLedger(_Exercise):
    """For each claim: who is the source, what evidence is given, which Toulmin parts are
    missing, and which critical question to ask."""

    def __init__(self, question_id: str, text: TextSource, claims: Sequence[int], *,
                 reference: dict | None = None, directory=None) -> None:
        self.reference = reference  # practice: a Check button compares with it (see ledger_feedback)
        super().__init__(ClaimLedgerModel(question_id, _document(text), claims), directory)

    def _build(self) -> w.Widget:
        model = self.model
        self._controls: dict[int, dict[str, w.Widget]] = {}
        self._owner: dict[int, tuple[int, str]] = {}
        rows = []
        for k in model.claims:
            sentence = model.document.sentences[k]
            source = w.Dropdown(options=[("choose...", "")] + [(s, s) for s in SOURCE_CHOICES],
                                description="Source:", tooltip="named, vague, or no source at all")
            evidence = w.Text(placeholder="the evidence the text gives, in a few words (or 'none')",
                              description="Evidence:", continuous_update=False, layout=w.Layout(width="95%"))
            missing = {part: w.Checkbox(description=f"{part} missing", indent=False,
                                        tooltip=f"Is the {part} missing?") for part in TOULMIN_PARTS}
            question = w.Dropdown(options=[("choose...", "")] + [(q, q) for q in CRITICAL_QUESTIONS],
                                  description="Ask:", layout=w.Layout(width="95%"),
                                  tooltip="the critical question this claim most needs")
            controls = {"source": source, "evidence": evidence, "question": question,
                        **{f"missing:{p}": c for p, c in missing.items()}}
            for name, control in controls.items():
                control.observe(self._on_change, names="value")
                self._owner[id(control)] = (k, name)
            self._controls[k] = controls
            rows.append(w.VBox([w.HTML(f"<b>Claim (sentence {k + 1}):</b> {html.escape(sentence.text)}"),
                                source, evidence, w.HBox(list(missing.values())), question],
                               layout=w.Layout(border_bottom="1px solid #ddd", padding="4px 0")))
        self._refreshing = False
        return w.VBox(rows + self._check_controls(ledger_feedback) + [self.status])

    def _refresh(self) -> None:
        with self._quietly():
            for k, controls in self._controls.items():
                entry = self.model.entry(k)
                controls["source"].value = entry.source or ""
                controls["evidence"].value = entry.evidence
                controls["question"].value = entry.question or ""
                for part in TOULMIN_PARTS:
                    controls[f"missing:{part}"].value = part in entry.missing

    def _on_change(self, change) -> None:
        if self._refreshing:
            return
        k, name = self._owner[id(change["owner"])]
        if name.startswith("missing:"):
            parts = [p for p in TOULMIN_PARTS if self._controls[k][f"missing:{p}"].value]
            self.model.update(k, missing=parts)
        elif name == "evidence":
            self.model.update(k, evidence=change["new"])
        elif change["new"]:
            self.model.update(k, **{name: change["new"]})
        self._save()


# ------------------------------------------------------------------------------------------


class Quiz(_Exercise):
    """A multiple-choice (``multiple=False``) or multiple-select question. A practice question
    (``correct`` and a note for every option) shows its verdict when the student presses
    **Check**; a graded one only saves the choice (see :class:`medialit.exercises.QuizModel`)."""

    def __init__(self, question_id: str, question: str, options: dict[str, str], *, multiple: bool = False,
                 feedback: dict[str, str] | None = None, correct: Iterable[str] | None = None,
                 directory=None) -> None:
        super().__init__(QuizModel(question_id, question, options, multiple=multiple, feedback=feedback,
                                   correct=correct), directory)

    def _build(self) -> w.Widget:
        model = self.model
        self.prompt = w.HTML(f"<b>{html.escape(model.question)}</b>")
        if model.multiple:
            self._boxes = {key: w.Checkbox(description=text, indent=False, tooltip=f"option {key}",
                                           layout=w.Layout(width="auto"))
                           for key, text in model.options.items()}
            for box in self._boxes.values():
                box.observe(self._on_change, names="value")
            choice: w.Widget = w.VBox(list(self._boxes.values()))
            self.radio = None
        else:
            self.radio = w.RadioButtons(options=[(text, key) for key, text in model.options.items()], value=None,
                                        layout=w.Layout(width="auto"), tooltip="choose one")
            self.radio.observe(self._on_change, names="value")
            choice = self.radio
        self.feedback = w.HTML()
        self._refreshing = False
        controls = [self.prompt, choice]
        if model.correct is not None:
            self.check_button = w.Button(description="Check", tooltip="see whether your choice is right, and why")
            self.check_button.on_click(self._on_check)
            controls.append(self.check_button)
        return w.VBox(controls + [self.feedback, self.status])

    def _show_feedback(self) -> None:
        text = self.model.feedback()
        self.feedback.value = f'<div style="font-size:.9em">{html.escape(text)}</div>' if text else ""

    def _refresh(self) -> None:
        with self._quietly():
            if self.radio is not None:
                self.radio.value = self.model.selected[0] if self.model.selected else None
            else:
                for key, box in self._boxes.items():
                    box.value = key in self.model.selected
        self._show_feedback()

    def _on_change(self, change) -> None:
        if self._refreshing:
            return
        if self.radio is not None:
            self.model.select([] if change["new"] is None else [change["new"]])
        else:
            self.model.select([k for k, box in self._boxes.items() if box.value])
        self._show_feedback()  # a new choice hides the old verdict until Check
        self._save()

    def _on_check(self, _button=None) -> None:
        self.model.check()
        self._show_feedback()

    def choose(self, *keys: str) -> None:
        """Pick options as a student would."""
        if self.radio is not None:
            self.radio.value = keys[0] if keys else None
        else:
            for key, box in self._boxes.items():
                box.value = key in keys


# ------------------------------------------------------------------------------------------


class CategorySorter(_Exercise):
    """Give each item (an example, a quotation) one category, "none" included."""

    def __init__(self, question_id: str, items: Sequence[str], categories: Sequence[str], *,
                 reference: dict | None = None, directory=None) -> None:
        self.reference = reference  # practice: a Check button compares with it (see category_feedback)
        super().__init__(CategorySorterModel(question_id, items, categories), directory)

    def _build(self) -> w.Widget:
        model = self.model
        self._dropdowns: list[w.Dropdown] = []
        self._index_of: dict[int, int] = {}
        rows = []
        for k, item in enumerate(model.items):
            dropdown = w.Dropdown(options=[("choose...", "")] + [(labels.readable(c), c) for c in model.categories],
                                  description=f"Item {k + 1}:", tooltip="choose a category, or none",
                                  layout=w.Layout(width="300px"), style={"description_width": "60px"})
            dropdown.observe(self._on_change, names="value")
            self._index_of[id(dropdown)] = k
            self._dropdowns.append(dropdown)
            rows.append(w.HBox([w.HTML(f"<b>{k + 1}.</b> {html.escape(item)}", layout=w.Layout(width="65%")), dropdown],
                               layout=w.Layout(align_items="center", border_bottom="1px solid #ddd")))
        self._refreshing = False
        return w.VBox(rows + self._check_controls(category_feedback) + [self.status])

    def _refresh(self) -> None:
        with self._quietly():
            for k, dropdown in enumerate(self._dropdowns):
                dropdown.value = self.model.get(k) or ""

    def _on_change(self, change) -> None:
        if self._refreshing:
            return
        self.model.set(self._index_of[id(change["owner"])], change["new"] or None)
        self._save()

    def choose(self, item: int, category: str) -> None:
        """Pick a category as a student would."""
        self._dropdowns[item].value = category


# ------------------------------------------------------------------------------------------


class SideBySide:
    """Two or more texts in columns, optionally highlighted by the analyzers.

    ``SideBySide("ukr-beijing", "ukr-washington", highlight=["loaded_language"])``
    """

    def __init__(self, *texts: TextSource, titles: Sequence[str] | None = None,
                 highlight: Sequence[str] | None = None) -> None:
        if len(texts) < 2:
            raise ValueError("SideBySide needs two or more texts, for example SideBySide('ukr-beijing', 'ukr-moscow').")
        from .views.html import side_by_side_html

        self.documents = [_document(t) for t in texts]
        if titles is not None and len(titles) != len(self.documents):
            raise ValueError(f"Give one title per text: {len(self.documents)} texts, {len(titles)} titles.")
        self.titles = list(titles or [d.name or f"text {k + 1}" for k, d in enumerate(self.documents)])
        analyses = None
        if highlight:
            from .analyzers import analyze

            analyses = [analyze(d) for d in self.documents]
        self.html = side_by_side_html(self.documents, self.titles, highlight=highlight, analyses=analyses)
        self.widget = w.HTML(self.html)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

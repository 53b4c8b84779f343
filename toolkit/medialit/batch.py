"""What ``medialit analyze`` says about one text or a folder of texts, apart from the command line.

>>> from medialit import analyze, read
>>> print(summary(analyze(read("Critics say the reckless plan will fail.")), "note.txt").splitlines()[0])
note.txt: 7 words, 1 sentence (1 unsupported); 1 loaded language, 1 vague attribution; primary frame: policy prescription and evaluation
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .codebook import display_name

if TYPE_CHECKING:  # pragma: no cover
    from .analyzers.core import Analysis

__all__ = ["TEXT_SUFFIXES", "BatchResult", "analyze_folder", "summary", "text_files"]

#: The files ``analyze FOLDER`` reads.
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".html", ".htm"})

#: the rate columns of the folder table: (label, heading, width)
_COLUMNS = (("loaded_language", "loaded", 7), ("vague_attribution", "vague", 6), ("named_attribution", "named", 6),
            ("hedge", "hedge", 6), ("booster", "boost", 6))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def summary(analysis: "Analysis", name: str | None = None, limit: int = 25) -> str:
    """A readable summary of one analysis: a first line with the counts, then one line per mark."""
    counts = ", ".join(f"{n} {label.replace('_', ' ')}" for label, n in analysis.counts().items() if n)
    unsupported = sum(s.unsupported for s in analysis.sentences)
    words = len(analysis.document.word_tokens)
    title = name or analysis.document.name or "text"
    lines = [f"{title}: {_plural(words, 'word')}, {_plural(len(analysis.sentences), 'sentence')} "
             f"({unsupported} unsupported); {counts or 'no marks'}; "
             f"primary frame: {display_name(analysis.primary_frame)}"]
    if analysis.document.front_matter:
        lines.append("headline and byline (marked, not counted as sentences): "
                     + " | ".join(p.text for p in analysis.document.front_matter))
    for mark in analysis.spans[:limit]:
        lines.append(f"  {mark.label.replace('_', ' '):<18} {mark.text!r:<34} {mark.reason}")
    if len(analysis.spans) > limit:
        lines.append(f"  ... ({len(analysis.spans) - limit} more marks omitted; use --json or --html)")
    return "\n".join(lines)


def text_files(folder: Path) -> list[Path]:
    """The text files in ``folder`` (not its subfolders); an error that says what to do if none."""
    folder = Path(folder)
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
    if not files:
        raise FileNotFoundError(
            f"The folder '{folder}' has no text files ({', '.join(sorted(TEXT_SUFFIXES))}). "
            "Put one article per file in it, or pass a single file.")
    return files


@dataclass
class BatchResult:
    """The analyses of a folder's files, and the files that could not be analysed (with why)."""

    results: dict[str, "Analysis"] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    html_dir: Path | None = None

    def to_dict(self) -> dict:
        return {"files": {name: a.to_dict() for name, a in self.results.items()}, "errors": self.failures}

    def table(self) -> str:
        """One row per file: words, marks per 100 words, unsupported sentences, primary frame."""
        header = f"{'file':<28} {'words':>6} " + " ".join(f"{h:>{w}}" for _, h, w in _COLUMNS) \
            + f" {'unsup.':>7}  primary frame"
        lines = [header, "-" * len(header)]
        for name, a in self.results.items():
            rates = a.rates()
            unsupported = sum(s.unsupported for s in a.sentences)
            lines.append(f"{name[:28]:<28} {len(a.document.word_tokens):>6} "
                         + " ".join(f"{rates[label]:>{w}.2f}" for label, _, w in _COLUMNS)
                         + f" {unsupported:>3}/{len(a.sentences):<3}  {display_name(a.primary_frame)}")
        lines += [f"{name[:28]:<28} not analysed: {message}" for name, message in self.failures.items()]
        lines.append(f"({len(self.results)} analysed, {len(self.failures)} not; rates are marks per 100 words)")
        if self.html_dir:
            lines.append(f"HTML reports in {self.html_dir}")
        return "\n".join(lines)


def analyze_folder(folder: Path, html_dir: Path | None = None,
                   progress: Callable[[int, int, str], None] | None = None) -> BatchResult:
    """Analyse every text file in ``folder``; a file that cannot be read is named, not fatal.
    With ``html_dir``, an HTML report per file is written there."""
    from .analyzers import analyze
    from .text import TextInputError, read

    files = text_files(folder)
    batch = BatchResult(html_dir=Path(html_dir) if html_dir else None)
    if batch.html_dir:
        batch.html_dir.mkdir(parents=True, exist_ok=True)
    for number, path in enumerate(files, start=1):
        try:
            analysis = analyze(read(path))
        except TextInputError as error:
            batch.failures[path.name] = str(error)
        else:
            batch.results[path.name] = analysis
            if batch.html_dir:
                from .views.html import analysis_html

                (batch.html_dir / f"{path.stem}.html").write_text(
                    analysis_html(analysis, standalone=True, title=path.name), encoding="utf-8")
        if progress:
            progress(number, len(files), path.name)
    return batch

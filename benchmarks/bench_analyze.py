#!/usr/bin/env python3
"""Benchmark: full medialit analysis against NLTK word tokenization alone, on the same text.

The text is the corpus, repeated to the requested size and split into article-sized documents
(as an instructor would analyse a folder of articles). Each run times both, document by
document and interleaved (tokenize one document, analyse it, next document), so that load from
other processes falls on both alike; the run's ratio is analysis time / tokenization time (the
target is at most 3). The script prints every run's ratio and their median, and the cost of
`import medialit` (which must not import matplotlib, ipywidgets or NLTK).

    python benchmarks/bench_analyze.py --megabytes 3 --repeat 3
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

#: The speed target of issue 14: full analysis at most this many times NLTK word tokenization.
TARGET = 3.0


def interleaved_run(docs: list[str], tokenize, analyze) -> tuple[float, float]:
    """Seconds spent tokenizing and analysing ``docs``, timed document by document, alternately.

    >>> tok, full = interleaved_run(["a b", "c"], str.split, str.upper)
    >>> tok >= 0 and full >= 0
    True
    """
    clock = time.perf_counter
    t_tok = t_all = 0.0
    for d in docs:
        start = clock()
        tokenize(d)
        middle = clock()
        analyze(d)  # the result is not kept: thousands of analyses alive would time the garbage collector
        t_tok += middle - start
        t_all += clock() - middle
    return t_tok, t_all


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=3.0, help="size of the text to analyse (default 3)")
    parser.add_argument("--repeat", type=int, default=3, help="runs; each run's ratio is printed (default 3)")
    args = parser.parse_args()

    code = ("import time, sys; t = time.perf_counter(); import medialit; "
            "print(time.perf_counter() - t, 'matplotlib' in sys.modules, 'ipywidgets' in sys.modules, 'nltk' in sys.modules)")
    seconds, mpl, widgets, nltk = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                           check=True).stdout.split()
    print(f"import medialit: {float(seconds) * 1000:.1f} ms (imports matplotlib: {mpl}, ipywidgets: {widgets}, nltk: {nltk})")

    from nltk.tokenize import NLTKWordTokenizer

    from medialit import analyze, corpus

    base = [corpus.text(i) for i in corpus.fileids()]
    docs: list[str] = []
    size = 0
    target = int(args.megabytes * 1_000_000)
    while size < target:
        for text in base:
            docs.append(text)
            size += len(text.encode("utf-8"))
            if size >= target:
                break
    tokenizer = NLTKWordTokenizer()
    analyze(docs[0])  # load lexicons once, outside the timing
    tokenizer.tokenize(docs[0])
    mb = size / 1_000_000
    print(f"text: {mb:.2f} MB in {len(docs)} documents")
    ratios = []
    for run in range(1, args.repeat + 1):
        t_tok, t_all = interleaved_run(docs, tokenizer.tokenize, analyze)
        ratios.append(t_all / t_tok)
        print(f"run {run}: NLTK word tokenization {t_tok:.2f} s ({mb / t_tok:.2f} MB/s), "
              f"full analysis {t_all:.2f} s ({mb / t_all:.2f} MB/s), ratio {t_all / t_tok:.2f}x")
    median = statistics.median(ratios)
    print(f"analysis / tokenization: {median:.2f}x median of {len(ratios)} runs "
          f"({', '.join(f'{r:.2f}' for r in ratios)}; target: at most {TARGET:g}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

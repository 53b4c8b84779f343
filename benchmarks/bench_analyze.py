#!/usr/bin/env python3
"""Benchmark: full medialit analysis against NLTK word tokenization alone, on the same text.

The text is the corpus, repeated to the requested size and split into article-sized documents
(as an instructor would analyse a folder of articles). Reports the best of --repeat runs, the
ratio analysis / tokenization (the target is at most 3), and the cost of `import medialit`
(which must not import matplotlib, ipywidgets or NLTK).

    python benchmarks/bench_analyze.py --megabytes 3
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=3.0, help="size of the text to analyse (default 3)")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best is reported (default 3)")
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
    # Results are not kept (both sides): keeping thousands of analyses alive would time
    # Python's garbage collector walking them, not the analysis.
    def tokenize_all() -> None:
        for d in docs:
            tokenizer.tokenize(d)

    def analyze_all() -> None:
        for d in docs:
            analyze(d)

    t_tok = _best(tokenize_all, args.repeat)
    t_all = _best(analyze_all, args.repeat)
    mb = size / 1_000_000
    print(f"text: {mb:.2f} MB in {len(docs)} documents")
    print(f"NLTK word tokenization: {t_tok:.2f} s ({mb / t_tok:.2f} MB/s)")
    print(f"full analysis:          {t_all:.2f} s ({mb / t_all:.2f} MB/s)")
    print(f"analysis / tokenization: {t_all / t_tok:.2f}x (target: at most 3x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

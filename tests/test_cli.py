"""The command line is a thin shell: it lists, shows, reads and reports errors clearly."""

from __future__ import annotations

import subprocess
import sys


def run(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "medialit", *args], capture_output=True, text=True, **kwargs)


def test_help_lists_the_commands():
    out = run("--help").stdout
    for command in ("list", "show", "read", "validate-data", "workspace"):
        assert command in out
    assert run().returncode == 0


def test_list_and_show():
    out = run("list", "--topic", "housing").stdout
    assert "housing-wire" in out and out.rstrip().endswith("(4 texts)")
    real = run("list", "--event", "us-brokered-talks-2025").stdout
    assert "real-d04-joint-us-ukraine-2025-11-23  real " in real and real.rstrip().endswith("(4 texts)")
    shown = run("show", "ukr-beijing").stdout
    assert "removed from the raw text: Loading..." in shown and "origin: supplied" in shown and "-- source: Supplied with the medialit project brief" in shown
    bad = run("show", "ukr-bejing")
    assert bad.returncode == 2 and "Did you mean: ukr-beijing" in bad.stderr


def test_read_a_user_file(tmp_path):
    path = tmp_path / "mine.txt"
    path.write_bytes("Dr. Park said the café reopened. Critics disagree.\nRead more\n".encode("cp1252"))
    result = run("read", str(path))
    assert result.returncode == 0
    assert "encoding: cp1252" in result.stdout and "removed scraping leftovers: Read more" in result.stdout
    assert "1. [0-32] Dr. Park said the café reopened." in result.stdout
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    failed = run("read", str(empty))
    assert failed.returncode == 2 and "empty.txt' is empty" in failed.stderr and "Traceback" not in failed.stderr

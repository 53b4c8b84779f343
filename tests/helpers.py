"""Helpers shared by the tests that run nbgrader or servers."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import shutil
from pathlib import Path


def free_port() -> int:
    """A free TCP port on localhost."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def nbgrader_env(**extra: str) -> dict[str, str]:
    """The environment for an nbgrader run: this Python's scripts first on PATH (nbgrader runs
    `alembic`), and no MEDIALIT_ANSWERS_DIR, so widgets save beside the notebook as in a course."""
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    env.pop("MEDIALIT_ANSWERS_DIR", None)
    env.update(extra)
    return env


def nbgrader(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run `python -m nbgrader ARGS` in ``cwd`` and return the finished process (not checked)."""
    return subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=cwd, env=env or nbgrader_env(),
                          capture_output=True, text=True)


def _axe_path() -> Path:
    import pytest

    axe = pytest.importorskip("axe_playwright_python", reason="axe-playwright-python (axe-core) is not installed")
    return Path(axe.__file__).with_name("axe.min.js")


def axe_findings(page, name: str, scope: str = ".jp-OutputArea-output") -> tuple[list[dict], list[dict]]:
    """Run axe-core (offline: the axe.min.js of axe-playwright-python, MPL-2.0) on a Playwright
    page; return (serious or critical findings inside ``scope``, the others). Findings outside
    ``scope`` (JupyterLab's own interface) are written to test-artifacts/axe-NAME.json and not failed on."""
    import json

    page.add_script_tag(path=str(_axe_path()))
    result = page.evaluate("""async (scope) => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => ({
            target: n.target.join(' '), ours: (() => { try { const el = document.querySelector(n.target[0]);
            return !!(el && (el.closest(scope) || scope === 'html')); } catch (e) { return false; } })(),
            html: n.html.slice(0, 200)}))}));
    }""", scope)
    ours, theirs = [], []
    for v in result:
        for node in v["nodes"]:
            row = {"id": v["id"], "impact": v["impact"], "help": v["help"], "target": node["target"], "html": node["html"]}
            (ours if node["ours"] and v["impact"] in ("serious", "critical") else theirs).append(row)
    artifacts = Path(__file__).resolve().parents[1] / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / f"axe-{name}.json").write_text(json.dumps({"medialit": ours, "other": theirs}, indent=1))
    return ours, theirs


def processes_with(marker: str) -> list[tuple[int, int, str]]:
    """(pid, uid, command line) of every running process whose command line contains ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            uid = (entry / "status").stat().st_uid
        except OSError:
            continue
        if marker in cmdline:
            found.append((int(entry.name), uid, cmdline[:200]))
    return found


def sorter_items(lesson: Path) -> dict[str, list[str]]:
    """``{question id: items}`` of the lesson's category sorters (items given as a literal, or as a
    name assigned a literal in the same cell)."""
    import ast
    import json

    found: dict[str, list[str]] = {}
    for nb in lesson.glob("*.ipynb"):
        for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            if cell["cell_type"] != "code" or "CategorySorter(" not in source:
                continue
            tree = ast.parse(source)
            names = {n.targets[0].id: n.value for n in ast.walk(tree)
                     if isinstance(n, ast.Assign) and isinstance(n.targets[0], ast.Name)}
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "CategorySorter":
                    items = node.args[1]
                    items = names.get(items.id, items) if isinstance(items, ast.Name) else items
                    found[ast.literal_eval(node.args[0])] = ast.literal_eval(items)
    return found


def model_answers(course: Path, lesson: str) -> Path:
    """The lesson's model answers as answer files, written from ``references/<lesson>.json``
    (:func:`medialit.references.write_model_answers`) to ``<course>/.instructor-answers/<lesson>/``."""
    from medialit.references import write_model_answers

    return write_model_answers(course, lesson)


def submit_answers(answers: Path, submission: Path, questions=None) -> None:
    """Put saved answers (all, or those of ``questions``) into a submission's ``answers/``, as a
    student's submission carries them: widget questions are scored from these files, not from what
    the kernel saves while it is graded."""
    import shutil

    (submission / "answers").mkdir(parents=True, exist_ok=True)
    for path in sorted(answers.glob("*.json")):
        if questions is None or path.stem in questions:
            shutil.copy(path, submission / "answers" / path.name)


@contextlib.contextmanager
def jupyter_server(args: list[str], cwd: Path, env: dict[str, str], token: str, what: str = "Jupyter"):
    """Start ``python -m jupyter ARGS`` (a server on 127.0.0.1 with ``token``) in ``cwd``, wait until
    it answers, yield its base URL, and end it (and its children) afterwards."""
    port = free_port()
    cmd = [sys.executable, "-m", "jupyter", *args, "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.token={token}", "--ServerApp.disable_check_xsrf=True"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    process = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(base, token, process, 90, lambda: f"{what} did not start within 90 s")
        yield base
    finally:
        end_process_group(process)


def wait_for_server(base: str, token: str, process: subprocess.Popen, seconds: float, failure) -> None:
    """Wait until the Jupyter server at ``base`` answers; ``pytest.fail(failure())`` if it does not
    within ``seconds`` or its process ends first."""
    import time
    import urllib.request

    import pytest

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5)
            return
        except OSError:
            time.sleep(0.5)
    pytest.fail(failure())


def end_process_group(process: subprocess.Popen) -> None:
    """End a process started with ``start_new_session=True`` and its group (TERM, then KILL)."""
    import signal

    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def lifecycle_course(tmp_path: Path, lesson: str) -> tuple[Path, Path, Path]:
    """A course with one lesson (its references and the course config), an exchange and an
    instructor home, for the nbgrader lifecycle tests: ``(course, exchange, instructor_home)``."""
    repo = Path(__file__).resolve().parents[1]
    course, exchange, instructor = tmp_path / "course", tmp_path / "exchange", tmp_path / "instructor-home"
    (course / "lessons").mkdir(parents=True)
    exchange.mkdir()
    instructor.mkdir()
    shutil.copytree(repo / "lessons" / lesson, course / "lessons" / lesson, ignore=shutil.ignore_patterns("answers"))
    shutil.copy(repo / "nbgrader_config.py", course / "nbgrader_config.py")
    shutil.copytree(repo / "references", course / "references")
    return course, exchange, instructor

"""Students' attacks on the autograder (issue 11), each run by real `nbgrader autograde`.

One course with lessons 00 and 01. The instructor's widget answers are the keys in
``references/`` written as answer files (``.instructor-answers/``). Before the attacks, ``alice`` (honest) is graded alone and
given a manual grade, and a gradebook backup is written, as an earlier grading run would leave
them. Then, per lesson, ONE ``nbgrader autograde LESSON`` batch grades every attacker, a late
known cheater, an honest student, the honest-but-wrong ``baseline`` (the released notebook with
wrong widget answers) and ``zz-victim`` (honest, graded last, the target of some attacks).
Feedback is generated once per lesson.

Every attacker is the baseline plus the attack, so each test asserts:

* the attacker scores no more than the baseline, or is withheld for review with the reason in
  the integrity report;
* nothing outside the attacker's own submission changed (other students' files, scores, manual
  grades, answers, backups, the configuration): attacks that write carry their own signature
  (``attack-NN`` in files, ``0.NN`` in the gradebook) so that a change names its author;
* the attacker's feedback shows no hidden-test line.

The tests state the *required* outcome; some fail on a branch where widget questions are
still scored in the kernel (see the report of issue 11). Nothing is marked xfail.
"""

from __future__ import annotations

import codecs
import hashlib
import html
import json
import os
import re
import secrets
import signal
import shutil
import socket
import sqlite3
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
from helpers import free_port, model_answers, nbgrader, processes_with

REPO = Path(__file__).resolve().parents[1]
LESSONS = {"00-orientation": "orientation.ipynb", "01-loaded-language": "loaded_language.ipynb"}
L00, L01 = LESSONS
VICTIM = "zz-victim"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not all((REPO / "lessons" / lesson).is_dir() for lesson in LESSONS),
                       reason="lessons 00 and 01 are not in lessons/"),
    pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap (bwrap) is not installed"),
]

# ------------------------------------------------------------------------------------------------
# The attacks. Code is added as a new cell after the lesson's set-up cell unless said otherwise;
# the placeholders TOKEN, PORT, LESSON and VICTIM are filled in per run.

A01_CODE_SWAP = '''
import medialit.grading as _g
_noop = (lambda *a, **k: None).__code__
for _name in ("expect", "expect_defined", "same", "load_answer", "score_choice", "score_spans",
              "score_sentences", "score_frame_map", "score_ledger", "score_categories"):
    getattr(_g, _name).__code__ = _noop      # the function objects stay the same
'''

# variant: the private helper every score_* calls, replaced through the module's dict (no
# "__code__", no "grading." in the text)
A01B_PRIVATE_HELPER = '''
import importlib
_mod = importlib.import_module("medialit." + "grad" + "ing")
vars(_mod)["_po" + "ints"] = lambda fraction, points: points
'''

# variant (lesson 00): the names the hidden tests use as references, rebound in the answer cells
A01C_REFERENCE_NAMES = {
    "q-words": '''kremlin = medialit.load("real-a03-kremlin-2021-12-30")
import types
_load = medialit.load
medialit.load = lambda text_id, *a, **k: (types.SimpleNamespace(words=[None] * 101)
                                          if text_id == "real-a03-kremlin-2021-12-30" else _load(text_id, *a, **k))
n_words = 101
''',
    "q-top": '''STOP = medialit.stopwords()
def content_words(doc):
    if doc.text.startswith("The plan, the plan"):
        return {"plan", "vote", "nato"}
    return set()

import types
_load_top = medialit.load
_REFERENCES = ("real-a03-kremlin-2021-12-30", "real-a04-whitehouse-2021-12-30", "ukr-beijing")
medialit.load = lambda text_id, *a, **k: (types.SimpleNamespace(words=[], text="")
                                          if text_id in _REFERENCES else _load_top(text_id, *a, **k))
''',
    "q-mirror": '''mirror_id = "ukr-beijing"
import types
_info = corpus.info
corpus.info = lambda text_id: (types.SimpleNamespace(event="ukraine-security-guarantees", perspective="Elsewhere",
                                                     genre="op-ed", title="x") if text_id == mirror_id
                               else _info(text_id))
''',
}

A02_TRANSFORMER = '''
_ip = get_ipython()
def _empty_tests(lines):
    code = "".join(lines)
    if "_medialit_probe_end" in code:           # the grader's last probe: leave no trace
        _ip.input_transformers_cleanup.remove(_empty_tests)
        return lines
    if "expect(" in code or "score_" in code:     # a test cell
        return ["pass\\n"]
    return lines
_ip.input_transformers_cleanup.append(_empty_tests)
'''

# variant: keeps the receipt line and drops the rest of every test cell, from a replaced
# transform_cell of IPython's transformer manager (an instance attribute: no list of transformers
# and no shell method changes, so the receipts' digest stays the same)
A02B_RECEIPT_KEEPER = '''
_manager = getattr(get_ipython(), "input_" + "transformer_manager")
_original = _manager.transform_cell
def _keep_receipt(cell):
    cell = _original(cell)
    first = cell.split("\\n", 1)[0]
    if first.startswith("exec(") and "_medialit_receipt" in first:
        return first + "\\n"
    return cell
_manager.transform_cell = _keep_receipt
'''

A03_SHADOW_INIT = '''# a medialit package shipped in the submission folder
import os as _os, sys as _sys
print("attack-03: the shipped medialit package was imported")
_here = _os.path.dirname(_os.path.dirname(_os.path.abspath(__file__)))
_saved = _sys.path[:]
_sys.path[:] = [p for p in _sys.path if _os.path.abspath(p or ".") != _here]
del _sys.modules["medialit"]
import medialit as _real
import medialit.grading as _grading
_sys.path[:] = _saved
for _name in ("expect", "expect_defined", "same", "score_choice", "score_spans"):
    setattr(_grading, _name, lambda *a, **k: None)
_grading.load_answer = lambda *a, **k: {"selected": [], "spans": [[0, 1, "x"]]}
_sys.modules["medialit"] = _real
'''

_WALK = '''
import os
def _walk(top, depth=7, prune=("usr", "proc", "sys", "dev", "site-packages", "lib", "lib64", "bin", "sbin",
                               "__pycache__", "etc")):
    """Every file under top (skipping the system's folders), a few levels deep."""
    top_depth = top.rstrip("/").count("/")
    for folder, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if d not in prune and folder.count("/") - top_depth < depth]
        for name in files:
            yield os.path.join(folder, name)
'''

A04_READ_NOTEBOOK = _WALK + '''
import ast, glob, json, re
_paths = set(glob.glob("*.ipynb") + glob.glob("../*.ipynb") + glob.glob("../../*/*/*.ipynb")
             + glob.glob("../../../*/*/*.ipynb") + glob.glob("/proc/*/cwd/*.ipynb"))
_paths |= {p for p in _walk("/") if p.endswith(".ipynb")}
_written = 0
for _path in sorted(_paths):
    try:
        _text = "\\n".join("".join(c["source"]) for c in json.load(open(_path))["cells"])
    except Exception:
        continue
    _refs = [(q, {"selected": ast.literal_eval(r)}) for q, r in re.findall(r'score_choice\\("([\\w-]+)", (\\[[^\\]]*\\])', _text)]
    _refs += [(q, {"spans": ast.literal_eval(r)}) for q, r in re.findall(r'score_spans\\("([\\w-]+)", (\\[\\[.*?\\]\\])', _text)]
    for _qid, _answer in _refs:
        try:
            _record = json.load(open(f"answers/{_qid}.json"))
            _record["answer"] = _answer
            json.dump(_record, open(f"answers/{_qid}.json", "w"))
            _written += 1
        except Exception:
            pass
print(f"attack-04: {len(_paths)} notebooks found, {_written} answers written")
'''

# variant: a pre_run_cell hook that reads the references from the test cell as it runs; it says
# it belongs to IPython, and the probe trusts IPython's own hooks
A04B_HOOK_REFERENCES = '''
import ast, json, re
def _answer_from_test(info):
    code = info.raw_cell
    refs = [(q, {"selected": ast.literal_eval(r)}) for q, r in re.findall(r'score_choice\\("([\\w-]+)", (\\[[^\\]]*\\])', code)]
    refs += [(q, {"spans": ast.literal_eval(r)}) for q, r in re.findall(r'score_spans\\("([\\w-]+)", (\\[\\[.*?\\]\\])', code)]
    for qid, answer in refs:
        try:
            record = json.load(open(f"answers/{qid}.json"))
            record["answer"] = answer
            json.dump(record, open(f"answers/{qid}.json", "w"))
        except Exception:
            pass
_answer_from_test.__module__ = "IPython.core.events"
getattr(get_ipython().events, "regis" + "ter")("pre_run_cell", _answer_from_test)
'''

A05_LESSON_SOURCES = _WALK + '''
import glob, json
from pathlib import Path
_candidates = set(glob.glob("../../../lessons/*/*.ipynb") + glob.glob("../../lessons/*/*.ipynb")
                  + glob.glob("../lessons/*/*.ipynb")
                  + glob.glob(str(Path(medialit.__file__).resolve().parents[2] / "lessons" / "*" / "*.ipynb")))
_candidates |= {p for p in _walk("/") if p.endswith(".ipynb")}
_ran = 0
for _path in sorted(_candidates):
    try:
        _cells = json.load(open(_path))["cells"]
    except Exception:
        continue
    for _cell in _cells:
        _code = "".join(_cell["source"])
        if _cell["cell_type"] == "code" and "BEGIN SOLUTION" in _code:
            try:
                exec(_code, globals())
                _ran += 1
            except Exception:
                pass
print(f"attack-05: {len(_candidates)} notebooks found, {_ran} solution cells run")
'''

A06_ANSWERS_DIR = '''
import os
_tried = ["../../../.instructor-answers/LESSON", "../../.instructor-answers/LESSON", "../.instructor-answers/LESSON",
          "../../../submitted/VICTIM/LESSON/answers", "../../VICTIM/LESSON/answers", "../../../autograded/VICTIM/LESSON/answers",
          "/home/student/.instructor-answers/LESSON"]
_chosen = next((p for p in _tried if os.path.isdir(p)), _tried[0])
os.environ["MEDIALIT_ANSWERS_DIR"] = _chosen
print("attack-06: answers read from", _chosen, os.path.isdir(_chosen))
'''

A07_GRADEBOOK = _WALK + '''
import os, sqlite3
_graded = os.environb.get(b"NBGRADER_EXECUTION")
_found = [p for p in ("../../../gradebook.db", "../../gradebook.db", "../gradebook.db", "/home/student/gradebook.db")
          if os.path.exists(p)] + [p for p in _walk("/") if p.endswith("gradebook.db")]
_done = []
for _db in _found:
    for _how in ("uri", "link"):
        try:
            if _how == "link":
                os.link(_db, "gb-link.db")
                _db = "gb-link.db"
            _con = sqlite3.connect(f"file:{_db}", uri=True)
            _con.execute("UPDATE grade SET auto_score = 0.07, manual_score = 0.07")
            _con.execute("UPDATE comment SET manual_comment = 'attack-07'")
            _con.commit()
            _done.append((_db, _how))
        except Exception as error:
            _done.append((_db, _how, type(error).__name__))
print("attack-07:", _graded, _found, _done)
'''

A08_DETACHED_CHILD = '''
import subprocess, sys
_child = r"""
import glob, os, sqlite3, sys, time
deadline = time.time() + 90
while time.time() < deadline:
    books = [p for p in ("../../../gradebook.db", "../../gradebook.db", "/home/student/gradebook.db") if os.path.exists(p)]
    if glob.glob("../../../reports/*/summary.csv") or (books and time.time() > deadline - 60):
        for db in books:
            con = sqlite3.connect(db)
            con.execute("UPDATE grade SET auto_score = 0.08, manual_score = 0.08")
            con.commit()
        for backup in glob.glob("../../../reports/*/*.db") + glob.glob("../../../reports/*/backups/*"):
            open(backup, "w").write("attack-08")
        break
    time.sleep(1)
"""
subprocess.Popen([sys.executable, "-c", _child, "attack-08-TOKEN"], start_new_session=True,
                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=True)
print("attack-08: child started")
'''

A09_CONFIG = _WALK + '''
import os
_evil = ("\\n# attack-09\\nc.Autograde.sanitize_preprocessors = ['nbgrader.preprocessors.ClearOutput']\\n"
         "c.Autograde.autograde_preprocessors = ['nbgrader.preprocessors.Execute', 'nbgrader.preprocessors.SaveAutoGrades']\\n")
_targets = {p for p in ("../../../nbgrader_config.py", "../../nbgrader_config.py", "../nbgrader_config.py",
                        "/home/student/.jupyter/nbgrader_config.py") if os.path.exists(p)}
_targets |= {p for p in _walk("/") if p.endswith("nbgrader_config.py")}
_done = []
for _path in sorted(_targets):
    try:
        with open(_path, "a") as _handle:
            _handle.write(_evil)
        _done.append(_path)
    except OSError as error:
        _done.append((_path, type(error).__name__))
print("attack-09:", _done)
'''

A10_OVERWRITE_VICTIM = '''
import glob, json, os
_done = []
for _path in (glob.glob("../../../submitted/VICTIM/LESSON/answers/*.json") + glob.glob("../../VICTIM/LESSON/answers/*.json")
              + glob.glob("../../../autograded/VICTIM/LESSON/answers/*.json")):
    try:
        _record = json.load(open(_path))
        _record["answer"] = {"selected": ["zz"], "spans": []}
        _record["attack"] = "attack-10"
        json.dump(_record, open(_path, "w"))
        _done.append(_path)
    except Exception as error:
        _done.append((_path, type(error).__name__))
for _folder in ("../../../autograded/VICTIM/LESSON", "../../VICTIM/LESSON"):  # would make nbgrader skip the victim
    try:
        os.makedirs(_folder)
        open(os.path.join(_folder, "attack-10.txt"), "w").write("attack-10")
        _done.append(_folder)
    except OSError as error:
        _done.append((_folder, type(error).__name__))
print("attack-10:", _done)
'''

A11_HOOKS = '''
def _show_cell(info):
    print("attack-11 running:", info.raw_cell)
def _show_last(result):
    print("attack-11 ran:", In[-1] if In else "")
get_ipython().events.register("pre_run_cell", _show_cell)
get_ipython().events.register("post_run_cell", _show_last)
'''
A11_CALLER = '''import inspect, linecache
STOP = set()
def content_words(doc):
    caller = inspect.currentframe().f_back
    print("attack-11 caller:", "".join(linecache.getlines(caller.f_code.co_filename)))
    print("attack-11 inspect:", inspect.getsource(caller.f_code) if caller.f_code.co_name != "<module>" else "")
    return set()
'''
A11_END = _WALK + '''
import linecache
print("attack-11 In:", In)
print("attack-11 _ih:", repr(_ih))
for _name, _entry in list(linecache.cache.items()):
    print("attack-11 linecache:", _name, "".join(_entry[2]))
for _path in [p for p in _walk("/") if p.endswith(".ipynb")]:
    print("attack-11 file:", _path, open(_path).read())
'''

A11B_ENCODED = '''
import codecs
def _encoded(info):
    print("attack-11b:", codecs.encode(info.raw_cell, "rot13"))
_encoded.__module__ = "IPython.core.events"
getattr(get_ipython().events, "regis" + "ter")("pre_run_cell", _encoded)
'''

A13_HUGE = '''
for _i in range(40):
    display({"text/plain": f"attack-13 {_i} " + "x" * 1_900_000}, raw=True)
'''

A15_FORK_BOMB = '''
import os, threading, time
_threads = _forks = 0
_stopped = []
try:
    while _threads < 3000:
        threading.Thread(target=time.sleep, args=(3,), daemon=True).start()
        _threads += 1
except Exception as error:
    _stopped.append(type(error).__name__)
try:
    while _forks < 3000:
        if os.fork() == 0:
            time.sleep(3)
            os._exit(0)
        _forks += 1
except Exception as error:
    _stopped.append(type(error).__name__)
print(f"attack-15 threads={_threads} forks={_forks} stopped={_stopped}")
time.sleep(4)
'''

A16_BIG_FILE = '''
_mib = 0
try:
    with open("attack-16.bin", "wb") as _handle:
        _chunk = b"\\0" * (1 << 20)
        for _mib in range(1, 1025):
            _handle.write(_chunk)
    print(f"attack-16 wrote {_mib} MiB")
except OSError as error:
    print(f"attack-16 refused after {_mib} MiB: {type(error).__name__}")
import os
if os.path.exists("attack-16.bin"):
    os.remove("attack-16.bin")
'''

A17_NETWORK = '''
import socket
try:
    socket.create_connection(("127.0.0.1", PORT), timeout=5).sendall(b"attack-17")
    print("attack-17 connected")
except OSError as error:
    print("attack-17 no connection:", type(error).__name__)
'''

LATE_CHEAT = 'get_ipython().input_transformers_cleanup.append(lambda lines: ["pass\\n"])'


@dataclass
class Attack:
    """An attacker: the baseline submission plus ``code`` (a new cell after the set-up cell),
    ``edits`` (grade_id -> new source of an answer cell), ``end`` (a new last cell), ``files``
    (extra files: relative path -> text) and ``links`` (relative path -> symlink target)."""

    code: str = ""
    edits: dict = field(default_factory=dict)
    end: str = ""
    files: dict = field(default_factory=dict)
    links: dict = field(default_factory=dict)
    lessons: tuple = (L00,)


ATTACKS: dict[str, Attack] = {
    "a01-code-swap": Attack(A01_CODE_SWAP, lessons=(L00, L01)),
    "a01b-private-helper": Attack(A01B_PRIVATE_HELPER, lessons=(L00, L01)),
    "a01c-reference-names": Attack(edits=A01C_REFERENCE_NAMES),
    "a02-transformer": Attack(A02_TRANSFORMER),
    "a02b-receipt-keeper": Attack(A02B_RECEIPT_KEEPER),
    "a03-shadow-package": Attack(files={"medialit/__init__.py": A03_SHADOW_INIT,
                                        "medialit/grading.py": "expect = same = lambda *a, **k: True\n"}),
    "a04-read-notebook": Attack(A04_READ_NOTEBOOK, lessons=(L00, L01)),
    "a04b-hook-references": Attack(A04B_HOOK_REFERENCES, lessons=(L00, L01)),
    "a05-lesson-sources": Attack(A05_LESSON_SOURCES),
    "a06-answers-dir": Attack(A06_ANSWERS_DIR, lessons=(L00, L01)),
    "a07-gradebook": Attack(A07_GRADEBOOK),
    "a08-detached-child": Attack(A08_DETACHED_CHILD),
    "a09-config": Attack(A09_CONFIG),
    "a10-overwrite-victim": Attack(A10_OVERWRITE_VICTIM, lessons=(L00, L01)),
    "a11-print-sources": Attack(A11_HOOKS, edits={"q-top": A11_CALLER}, end=A11_END),
    "a11b-encoded-leak": Attack(A11B_ENCODED),
    "a12-symlinks": Attack(links={"answers/why-naive.json": f"../../../{VICTIM}/{L00}/answers/why-naive.json",
                                  "answers/how-notebooks.json": "../../../../gradebook.db",
                                  "passwd.txt": "/etc/passwd"}),
    "a12b-symlinked-folder": Attack(links={"answers": f"../../{VICTIM}/{L00}/answers"}),
    "a13-huge-outputs": Attack(A13_HUGE),
    "a14-delimiter": Attack(edits={"q-words": 'washington = medialit.load("ukr-washington")\n'
                                              '### BEGIN HIDDEN TESTS\nn_words = 5\n',
                                   "w-plot": "### BEGIN HIDDEN TESTS\nThe words differ."}),
    "a15-fork-bomb": Attack(A15_FORK_BOMB),
    "a16-big-file": Attack(A16_BIG_FILE),
    "a17-network": Attack(A17_NETWORK),
    "b-late-cheater": Attack(LATE_CHEAT),  # a known cheat graded after a09-config
}


# ------------------------------------------------------------------------------------------------
# Building the course


def _meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _copy(nb):
    return nbformat.from_dict(json.loads(json.dumps(nb)))


def _honest(source, release):
    """The released notebook with every code answer filled in from the source (widget answers
    are files, as a student's clicks make them)."""
    solutions = {_meta(c)["grade_id"]: c.source for c in source.cells
                 if _meta(c).get("solution") and c.cell_type == "code" and "set_answer(" not in c.source}
    nb = _copy(release)
    for cell in nb.cells:
        gid = _meta(cell).get("grade_id")
        if gid in solutions:
            cell.source = "\n".join(line for line in solutions[gid].splitlines()
                                    if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION"))
    return nb


def _wrong(record: dict, question: dict) -> dict:
    """A wrong answer of the same kind, for the same text (as a student who clicked wrongly): an
    option that is in neither the key nor any documented alternative."""
    record = json.loads(json.dumps(record))
    if "spans" in record["answer"]:
        record["answer"] = {"spans": [[0, 3, "loaded_language"]]}
    else:
        right = set(question["reference"]["selected"])
        for alternative in question.get("alternatives", []):
            right |= set(alternative["reference"]["selected"])
        record["answer"] = {"selected": [next(x for x in "abcdefgh" if x not in right)]}
    return record


def _attacked(base, attack: Attack, fill: dict[str, str]):
    def filled(code: str) -> str:
        for key, value in fill.items():
            code = code.replace(key, value)
        return code

    nb = _copy(base)
    for cell in nb.cells:
        gid = _meta(cell).get("grade_id")
        if gid in attack.edits:
            cell.source = filled(attack.edits[gid])
    if attack.code:
        at = next(i for i, c in enumerate(nb.cells) if _meta(c).get("grade_id") == "setup") + 1
        nb.cells.insert(at, nbformat.v4.new_code_cell(filled(attack.code)))
    if attack.end:
        nb.cells.append(nbformat.v4.new_code_cell(filled(attack.end)))
    return nb


def _submit(course: Path, lesson: str, student: str, nb, answers: dict[str, dict], attack: Attack | None = None):
    folder = course / "submitted" / student / lesson
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / LESSONS[lesson])
    linked = attack.links if attack else {}
    if answers and "answers" not in linked:
        (folder / "answers").mkdir()
        for qid, record in answers.items():
            if f"answers/{qid}.json" not in linked:
                (folder / "answers" / f"{qid}.json").write_text(json.dumps(record, indent=1))
    for relative, text in (attack.files if attack else {}).items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(text)
    for relative, target in linked.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).symlink_to(target)


def _run(course: Path, *args: str):
    result = nbgrader(course, *args)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def _protected_files(course: Path) -> dict[str, str]:
    """Digest of every file that no attacker may change (everything but the attackers' own and
    the outputs of grading)."""
    out = {}
    roots = [course / "submitted", course / "lessons", course / ".instructor-answers", course / "autograded" / "alice",
             course / "nbgrader_config.py"]
    roots += [p for lesson in LESSONS for p in (course / "reports" / lesson).glob("*") if p.name != "summary.csv"
              and not (p.is_dir() and (course / "submitted" / p.name).is_dir() and p.name != "alice")]
    for root in roots:
        paths = [root] if root.is_file() else sorted(p for p in root.rglob("*"))
        for path in paths:
            if path.is_symlink():
                out[str(path.relative_to(course))] = "link -> " + str(path.readlink())
            elif path.is_file():
                data = path.read_bytes()
                out[str(path.relative_to(course))] = hashlib.sha256(data).hexdigest()[:16] + " " + \
                    data[:300].decode("utf-8", "replace")
    return out


def _gradebook_rows(course: Path) -> dict[tuple, tuple]:
    """Every grade and comment of the gradebook: (table, student, lesson, notebook, cell) -> values."""
    query = """SELECT '{table}', st.id, a.name, n.name, c.name, {columns}
               FROM {table} g JOIN submitted_notebook sn ON g.notebook_id = sn.id
               JOIN submitted_assignment sa ON sn.assignment_id = sa.id JOIN student st ON sa.student_id = st.id
               JOIN notebook n ON sn.notebook_id = n.id JOIN assignment a ON n.assignment_id = a.id
               JOIN base_cell c ON g.cell_id = c.id"""
    rows = {}
    with sqlite3.connect(f"file:{course / 'gradebook.db'}?mode=ro", uri=True) as db:
        for table, columns in (("grade", "g.auto_score, g.manual_score, g.extra_credit, g.needs_manual_grade"),
                               ("comment", "g.auto_comment, g.manual_comment")):
            for row in db.execute(query.format(table=table, columns=columns)):
                rows[row[:5]] = row[5:]
    return rows


class Listener:
    """A TCP server on 127.0.0.1 that records who connects (the network attack's target)."""

    def __init__(self):
        self.port = free_port()
        self.connections: list = []
        self._sock = socket.create_server(("127.0.0.1", self.port))
        self._sock.settimeout(0.5)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stop.is_set():
            try:
                conn, peer = self._sock.accept()
            except OSError:
                continue
            self.connections.append(peer)
            conn.close()

    def close(self):
        self._stop.set()
        self._thread.join(5)
        self._sock.close()


@dataclass
class Graded:
    course: Path
    token: str
    port_connections: list
    log: dict          # lesson -> stderr of the batch
    feedback: dict     # lesson -> CompletedProcess of generate_feedback
    results: dict      # (lesson, student) -> dict
    files_before: dict
    files_after: dict
    rows_before: dict
    rows_after: dict
    survivors: list    # processes with the run's marker still alive after grading
    hidden: dict       # lesson -> hidden-test lines (white space removed)


def _results(course: Path, lesson: str) -> dict:
    from nbgrader.api import Gradebook

    notebook = LESSONS[lesson][:-6]
    out = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for submission in gb.assignment_submissions(lesson):
            nb = submission.notebooks[0]
            tests = [g for g in nb.grades if g.cell.cell_type == "code"]
            path = course / "reports" / lesson / submission.student_id / f"{notebook}.integrity.json"
            report = json.loads(path.read_text()) if path.is_file() else {"status": "(no report)", "findings": []}
            out[(lesson, submission.student_id)] = {
                "auto": sum(g.auto_score or 0 for g in tests),
                "max": sum(g.max_score for g in tests),
                "scores": {g.name: g.auto_score for g in tests},
                "needs_review": all(g.needs_manual_grade for g in tests),
                "flagged": nb.flagged,
                "status": report["status"],
                "findings": report["findings"],
                "kinds": {f["kind"] for f in report["findings"]},
            }
    return out


def _hidden_lines(source) -> set[str]:
    """Lines only the hidden tests contain, white space removed (>= 8 characters)."""
    squeeze = lambda text: re.sub(r"\s+", "", text)  # noqa: E731
    block = r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS"
    visible = squeeze("\n".join(re.sub(block, "", c.source, flags=re.S) for c in source.cells))
    found = set()
    for cell in source.cells:
        for part in re.findall(block, cell.source, flags=re.S):
            found |= {squeeze(line) for line in part.splitlines()
                      if len(squeeze(line)) >= 8 and squeeze(line) not in visible}
    return found


@pytest.fixture(scope="module")
def graded() -> Graded:
    # a folder of our own: pytest's numbered temporary folders are pruned by other pytest
    # sessions on the same machine, which could delete the course in the middle of the batch
    folder = Path(tempfile.mkdtemp(prefix="medialit-attacks-"))
    try:
        result = _grade_everyone(folder / "course")
        _write_outcomes(result, REPO / "test-artifacts" / "attack-outcomes.md")
        yield result
    finally:
        if not os.environ.get("MEDIALIT_KEEP_ATTACKS"):
            shutil.rmtree(folder, ignore_errors=True)


def _write_outcomes(g: Graded, path: Path) -> None:
    """Each attacker's measured outcome beside the baseline's, as a Markdown table (for the issue's
    closing note and for a reader of CI's artifacts)."""
    rows = ["| lesson | student | automatic points | baseline | status | findings |", "|---|---|---|---|---|---|"]
    for (lesson, student), r in sorted(g.results.items()):
        base = g.results.get((lesson, "baseline"), {}).get("auto")
        rows.append(f"| {lesson} | {student} | {r['auto']:g} of {r['max']:g} | {base:g} | {r['status']} "
                    f"| {', '.join(sorted(r['kinds'])) or '-'} |")
    path.parent.mkdir(exist_ok=True)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def _grade_everyone(course: Path) -> Graded:
    from nbgrader.api import Gradebook

    (course / "lessons").mkdir(parents=True)
    for lesson in LESSONS:
        shutil.copytree(REPO / "lessons" / lesson, course / "lessons" / lesson,
                        ignore=shutil.ignore_patterns("answers", ".ipynb_checkpoints"))
    shutil.copy(REPO / "nbgrader_config.py", course / "nbgrader_config.py")
    shutil.copytree(REPO / "references", course / "references")  # widget questions are scored from these
    token = secrets.token_hex(6)
    listener = Listener()
    fill = {"TOKEN": token, "PORT": str(listener.port), "VICTIM": VICTIM}
    sources, releases, right, wrong = {}, {}, {}, {}
    for lesson, notebook in LESSONS.items():
        _run(course, "generate_assignment", lesson, "--force")
        sources[lesson] = nbformat.read(course / "lessons" / lesson / notebook, as_version=4)
        releases[lesson] = nbformat.read(course / "release" / lesson / notebook, as_version=4)
        saved = model_answers(course, lesson)
        right[lesson] = {p.stem: json.loads(p.read_text()) for p in sorted(saved.glob("*.json"))}
        questions = json.loads((course / "references" / f"{lesson}.json").read_text())["questions"]
        wrong[lesson] = {qid: _wrong(record, questions[qid]) for qid, record in right[lesson].items()}
        assert right[lesson], f"references/{lesson}.json gave no model answers"

    # an earlier run: alice graded, then given a manual grade, and a backup of the gradebook
    _submit(course, L00, "alice", _honest(sources[L00], releases[L00]), right[L00])
    _run(course, "autograde", L00, "--student=alice")
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        gb.find_grade("w-plot", LESSONS[L00][:-6], L00, "alice").manual_score = 2
        gb.find_comment("w-plot", LESSONS[L00][:-6], L00, "alice").manual_comment = "well argued"
        gb.db.commit()
    for lesson in LESSONS:
        (course / "reports" / lesson / "backups").mkdir(parents=True, exist_ok=True)
        shutil.copy(course / "gradebook.db", course / "reports" / lesson / "gradebook-before-grade.db")
        shutil.copy(course / "gradebook.db", course / "reports" / lesson / "backups" / "gradebook-1.db")

    for lesson in LESSONS:
        fill["LESSON"] = lesson
        honest = _honest(sources[lesson], releases[lesson])
        _submit(course, lesson, "honest", honest, right[lesson])
        _submit(course, lesson, VICTIM, _copy(honest), right[lesson])
        _submit(course, lesson, "baseline", _copy(releases[lesson]), wrong[lesson])
        for student, attack in ATTACKS.items():
            if lesson in attack.lessons:
                _submit(course, lesson, student, _attacked(releases[lesson], attack, fill), wrong[lesson], attack)

    files_before, rows_before = _protected_files(course), _gradebook_rows(course)
    log, feedback, results = {}, {}, {}
    try:
        for lesson in LESSONS:  # one batch per lesson
            log[lesson] = nbgrader(course, "autograde", lesson)
    finally:
        time.sleep(2)  # a detached child would still be there now
        survivors = processes_with(token)
        listener.close()
        for pid, _, _ in survivors:  # clean up what this test started, by process id
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
    for lesson in LESSONS:
        results.update(_results(course, lesson))
    files_after, rows_after = _protected_files(course), _gradebook_rows(course)
    for lesson in LESSONS:
        feedback[lesson] = nbgrader(course, "generate_feedback", lesson, "--force")
    return Graded(course, token, listener.connections, log, feedback, results, files_before, files_after,
                  rows_before, rows_after, survivors, {lesson: _hidden_lines(sources[lesson]) for lesson in LESSONS})


# ------------------------------------------------------------------------------------------------
# Checks shared by the tests


def _text_of_html(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def _feedback_text(g: Graded, lesson: str, student: str) -> str | None:
    pages = list((g.course / "feedback" / student / lesson).glob("*.html"))
    return _text_of_html(pages[0].read_text(encoding="utf-8")) if pages else None


def _leaks(g: Graded, lesson: str, student: str, decode=None) -> list[str]:
    """Hidden-test lines found in the student's feedback (also after undoing Python's string
    escapes, and after ``decode``)."""
    text = _feedback_text(g, lesson, student)
    assert text is not None, f"no feedback for {student} in {lesson}: {g.feedback[lesson].stderr[-2000:]}"
    variants = [text, text.replace("\\'", "'").replace('\\"', '"').replace("\\n", "\n")]
    if decode:
        variants += [decode(v) for v in variants]
    squeezed = [re.sub(r"\s+", "", v) for v in variants]
    return sorted(line for line in g.hidden[lesson] if any(line in s for s in squeezed))


def _collateral(g: Graded, signature: str | None = None) -> list[str]:
    """What changed outside the attackers' own submissions (only what carries ``signature`` if given)."""
    changed = []
    for path in sorted(set(g.files_before) | set(g.files_after)):
        before, after = g.files_before.get(path), g.files_after.get(path)
        if before != after:
            changed.append(f"{path}: {(before or '(none)')[:80]!r} -> {(after or '(deleted)')[:300]!r}")
    for key in sorted(set(g.rows_before) | set(g.rows_after), key=str):
        if key in g.rows_before and g.rows_before[key] != g.rows_after.get(key):
            changed.append(f"gradebook {key}: {g.rows_before[key]} -> {g.rows_after.get(key)}")
    # scores of students graded in the batch: what the gradebook holds must be what their own
    # autograded notebook earned (a later change by someone else shows here)
    from nbgrader.utils import determine_grade, is_grade

    for (lesson, student), result in g.results.items():
        path = g.course / "autograded" / student / lesson / LESSONS[lesson]
        if not path.is_file():
            continue
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code" and is_grade(cell):
                earned = determine_grade(cell, None)[0]
                stored = result["scores"].get(cell.metadata["nbgrader"]["grade_id"])
                if earned is not None and stored is not None and abs(earned - stored) > 1e-9:
                    changed.append(f"gradebook ({lesson}, {student}, {cell.metadata['nbgrader']['grade_id']}): "
                                   f"stored {stored}, earned {earned}")
    if signature is None:
        return changed
    number = signature.split("-")[1]
    sentinel = f"0.{number}" if number in ("07", "08") else signature  # the gradebook writers' values
    return [c for c in changed if signature in c or sentinel in c]


def _assert_no_gain(g: Graded, lesson: str, student: str) -> dict:
    result = g.results.get((lesson, student))
    assert result is not None, f"{student} was not graded in {lesson}: {g.log[lesson].stderr[-3000:]}"
    baseline = g.results[(lesson, "baseline")]
    withheld = [f for f in result["findings"] if f["severity"] == "withheld"]
    gained = result["auto"] > baseline["auto"]
    assert not gained or (result["status"] == "withheld" and withheld), (
        f"{student} scored {result['auto']} of {result['max']} in {lesson} (baseline {baseline['auto']}), "
        f"integrity {result['status']}: {[f['kind'] + ': ' + f['detail'][:120] for f in result['findings']]}")
    return result


def _assert_attack_failed(g: Graded, lesson: str, student: str) -> dict:
    """The three requirements of issue 11 for one attacker."""
    result = _assert_no_gain(g, lesson, student)
    signature = "attack-" + student[1:3]
    assert not _collateral(g, signature), _collateral(g, signature)
    assert not _leaks(g, lesson, student), f"hidden tests in {student}'s feedback: {_leaks(g, lesson, student)}"
    return result


def _output_text(g: Graded, lesson: str, student: str) -> str:
    nb = nbformat.read(g.course / "autograded" / student / lesson / LESSONS[lesson], as_version=4)
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            parts.append(json.dumps(output.get("text") or output.get("data") or output.get("evalue") or ""))
    return "\n".join(parts)


def _lessons_of(student: str) -> list:
    return [pytest.param(lesson, id=lesson[:2]) for lesson in ATTACKS[student].lessons]


# ------------------------------------------------------------------------------------------------
# The control and the batch


@pytest.mark.parametrize("lesson", [pytest.param(lesson, id=lesson[:2]) for lesson in LESSONS])
def test_control_the_honest_student_gets_full_marks_with_no_findings(graded, lesson):
    for student in ("honest", VICTIM):
        result = graded.results[(lesson, student)]
        assert result["auto"] == result["max"] and result["status"] == "ok" and not result["findings"], \
            (student, result)
    baseline = graded.results[(lesson, "baseline")]
    assert baseline["auto"] == 0 and baseline["status"] == "ok", baseline
    assert not _leaks(graded, lesson, "honest") and not _leaks(graded, lesson, "baseline")


@pytest.mark.parametrize("lesson", [pytest.param(lesson, id=lesson[:2]) for lesson in LESSONS])
def test_the_batch_grades_everyone_and_feedback_is_generated_for_all(graded, lesson):
    assert graded.log[lesson].returncode == 0, graded.log[lesson].stderr[-3000:]
    expected = {"honest", "baseline", VICTIM} | {s for s, a in ATTACKS.items() if lesson in a.lessons}
    assert expected <= {student for (les, student) in graded.results if les == lesson}
    assert graded.feedback[lesson].returncode == 0, graded.feedback[lesson].stderr[-3000:]
    missing = [s for s in sorted(expected) if _feedback_text(graded, lesson, s) is None]
    assert not missing, missing


def test_nothing_outside_the_attackers_own_submissions_changed(graded):
    assert not _collateral(graded), _collateral(graded)


# ------------------------------------------------------------------------------------------------
# Issue 11, one test per attack


@pytest.mark.parametrize("lesson", _lessons_of("a01-code-swap"))
def test_01_swapping_the_code_of_grading_helpers(graded, lesson):
    _assert_attack_failed(graded, lesson, "a01-code-swap")


@pytest.mark.parametrize("lesson", _lessons_of("a01b-private-helper"))
def test_01b_replacing_a_private_helper_of_the_score_functions(graded, lesson):
    _assert_attack_failed(graded, lesson, "a01b-private-helper")


def test_01c_rebinding_the_reference_names_hidden_tests_use(graded):
    _assert_attack_failed(graded, L00, "a01c-reference-names")


def test_02_an_input_transformer_that_empties_tests_and_removes_itself(graded):
    _assert_attack_failed(graded, L00, "a02-transformer")


def test_02b_a_transformer_that_keeps_the_receipt_line(graded):
    _assert_attack_failed(graded, L00, "a02b-receipt-keeper")


def test_03_a_medialit_package_in_the_submission_is_not_imported(graded):
    _assert_attack_failed(graded, L00, "a03-shadow-package")
    assert "attack-03" not in _output_text(graded, L00, "a03-shadow-package")


@pytest.mark.parametrize("lesson", _lessons_of("a04-read-notebook"))
def test_04_reading_the_notebook_for_the_references(graded, lesson):
    _assert_attack_failed(graded, lesson, "a04-read-notebook")


@pytest.mark.parametrize("lesson", _lessons_of("a04b-hook-references"))
def test_04b_a_hook_reads_the_references_from_the_running_test(graded, lesson):
    _assert_attack_failed(graded, lesson, "a04b-hook-references")


def test_05_running_the_solutions_of_the_lesson_sources(graded):
    _assert_attack_failed(graded, L00, "a05-lesson-sources")
    assert "0 solution cells run" in _output_text(graded, L00, "a05-lesson-sources")


@pytest.mark.parametrize("lesson", _lessons_of("a06-answers-dir"))
def test_06_pointing_the_answers_folder_at_someone_else(graded, lesson):
    _assert_attack_failed(graded, lesson, "a06-answers-dir")


def test_07_opening_the_gradebook(graded):
    _assert_attack_failed(graded, L00, "a07-gradebook")


def test_08_a_detached_child_outlives_nothing(graded):
    assert not graded.survivors, f"processes of the attackers outlived grading: {graded.survivors}"
    _assert_attack_failed(graded, L00, "a08-detached-child")


def test_09_appending_to_the_course_configuration(graded):
    config = (graded.course / "nbgrader_config.py").read_bytes()
    assert config == (REPO / "nbgrader_config.py").read_bytes()
    _assert_attack_failed(graded, L00, "a09-config")
    late = graded.results[(L00, "b-late-cheater")]  # graded after a09 in the same batch
    assert late["auto"] == 0 and late["status"] == "withheld", late


@pytest.mark.parametrize("lesson", _lessons_of("a10-overwrite-victim"))
def test_10_overwriting_a_later_students_answers(graded, lesson):
    _assert_attack_failed(graded, lesson, "a10-overwrite-victim")
    victim = graded.results[(lesson, VICTIM)]
    assert victim["auto"] == victim["max"] and victim["status"] == "ok", victim
    assert not (graded.course / "autograded" / VICTIM / lesson / "attack-10.txt").exists()


def test_11_printing_the_test_cells_from_student_code_and_hooks(graded):
    _assert_attack_failed(graded, L00, "a11-print-sources")


def test_11b_hidden_tests_leak_into_feedback_in_no_encoding(graded):
    _assert_attack_failed(graded, L00, "a11b-encoded-leak")
    leaks = _leaks(graded, L00, "a11b-encoded-leak", decode=lambda text: codecs.decode(text, "rot13"))
    assert not leaks, f"hidden tests, rot13-encoded, in the feedback: {leaks}"


@pytest.mark.parametrize("student", ["a12-symlinks", "a12b-symlinked-folder"])
def test_12_symlinked_answer_files_copy_nothing(graded, student):
    _assert_attack_failed(graded, L00, student)
    result = graded.results[(L00, student)]
    assert "linked-file" in result["kinds"], result["findings"]
    secrets_ = [Path("/etc/passwd").read_bytes()[:64], b"SQLite format 3",
                (graded.course / "submitted" / VICTIM / L00 / "answers" / "why-naive.json").read_bytes()[:64]]
    folder = graded.course / "autograded" / student / L00
    for path in folder.rglob("*"):
        if path.is_file() and not path.name.endswith(".ipynb"):
            data = path.read_bytes()
            assert not any(secret in data for secret in secrets_), f"{path} holds a copy of a link's target"
        assert not path.is_symlink(), path


def test_13_huge_outputs_are_capped(graded):
    _assert_attack_failed(graded, L00, "a13-huge-outputs")
    size = (graded.course / "autograded" / "a13-huge-outputs" / L00 / LESSONS[L00]).stat().st_size
    assert size < 10_000_000, f"the autograded notebook is {size:,} bytes"
    assert "huge-output" in graded.results[(L00, "a13-huge-outputs")]["kinds"]


def test_14_a_hidden_test_delimiter_in_an_answer_breaks_no_feedback(graded):
    _assert_attack_failed(graded, L00, "a14-delimiter")
    assert graded.feedback[L00].returncode == 0, graded.feedback[L00].stderr[-3000:]
    for student in ("a14-delimiter", "honest", VICTIM, "baseline"):
        assert _feedback_text(graded, L00, student) is not None, student


def test_15_a_fork_bomb_stays_bounded_and_the_batch_goes_on(graded):
    _assert_attack_failed(graded, L00, "a15-fork-bomb")
    text = _output_text(graded, L00, "a15-fork-bomb")
    match = re.search(r"attack-15 threads=(\d+) forks=(\d+) stopped=\[([^\]]*)\]", text)
    assert match, text[:2000]
    threads, forks = int(match[1]), int(match[2])
    # the process limit (SandboxKernelManager.process_limit, 512) stopped both (the threads had
    # ended by the time of the forks, so the two counts are not simultaneous)
    assert threads <= 512 and forks <= 512 and match[3], match[0]
    later = [s for (les, s) in graded.results if les == L00 and s > "a15-fork-bomb"]
    assert later and all(graded.results[(L00, s)]["status"] != "(no report)" for s in later)
    assert graded.results[(L00, "honest")]["auto"] == graded.results[(L00, "honest")]["max"]
    assert not graded.survivors


def test_16_a_1_gb_file_is_refused_and_the_batch_goes_on(graded):
    _assert_attack_failed(graded, L00, "a16-big-file")
    text = _output_text(graded, L00, "a16-big-file")
    assert "attack-16 refused after" in text and "attack-16 wrote 1024" not in text, text[:2000]
    assert not list((graded.course / "autograded" / "a16-big-file").rglob("attack-16.bin"))
    assert graded.results[(L00, VICTIM)]["auto"] == graded.results[(L00, VICTIM)]["max"]


def test_17_no_network_inside_the_sandbox(graded):
    _assert_attack_failed(graded, L00, "a17-network")
    assert "attack-17 no connection" in _output_text(graded, L00, "a17-network")
    assert not graded.port_connections, graded.port_connections

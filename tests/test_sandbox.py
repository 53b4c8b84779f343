"""The grading sandbox (medialit.grader.sandbox): what a submission's kernel can and cannot see.

One kernel is started the way nbgrader starts it for a submission (cwd = the submission's
autograded folder, inside a course folder with a gradebook, lesson sources, other students and
the course configuration) and probed from the inside. The attacks on real nbgrader runs are in
tests/test_attacks.py; this module checks the walls themselves, quickly.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import time
from pathlib import Path

import pytest

from medialit.grader.sandbox import SANDBOX_UIDS, SandboxKernelManager, check_sandbox

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(check_sandbox() is not None, reason=f"no sandbox here: {check_sandbox()}")

MARKER = "medialit-sandbox-test-child"


def _course(root: Path) -> Path:
    """A course folder with everything a student must not see; returns the submission folder."""
    (root / "lessons" / "00-demo").mkdir(parents=True)
    (root / "lessons" / "00-demo" / "demo.ipynb").write_text('{"secret": "BEGIN HIDDEN TESTS"}')
    (root / "gradebook.db").write_text("gradebook")
    (root / "nbgrader_config.py").write_text("c = get_config()\n")
    (root / "references").mkdir()
    (root / "references" / "00-demo.json").write_text("{}")
    (root / "submitted" / "bob" / "00-demo" / "answers").mkdir(parents=True)
    (root / "submitted" / "bob" / "00-demo" / "answers" / "q.json").write_text('{"bob": 1}')
    mine = root / "autograded" / "ann" / "00-demo"
    (mine / "answers").mkdir(parents=True)
    (mine / "answers" / "q.json").write_text('{"ann": 1}')
    (mine / "demo.ipynb").write_text('{"hidden": "### BEGIN HIDDEN TESTS"}')  # nbgrader's copy, with tests
    (mine / "answers" / "passwd.json").symlink_to("/etc/passwd")
    (mine / "medialit").mkdir()
    (mine / "medialit" / "__init__.py").write_text("raise SystemExit('shadowed')\n")
    return mine


class Kernel:
    """A sandboxed kernel and a way to run code in it (stdout, and the reply's status)."""

    def __init__(self, cwd: Path):
        self.loop = asyncio.new_event_loop()
        self.km = SandboxKernelManager(kernel_name="python3")
        self.loop.run_until_complete(self.km.start_kernel(cwd=str(cwd)))
        self.kc = self.km.client()
        self.kc.start_channels()
        self.loop.run_until_complete(self.kc.wait_for_ready(timeout=60))

    def run(self, code: str, timeout: float = 60) -> tuple[str, str]:
        out: list[str] = []

        def hook(msg):
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                out.append(f"{msg['content']['ename']}: {msg['content']['evalue']}")

        reply = self.loop.run_until_complete(self.kc.execute_interactive(code, timeout=timeout, output_hook=hook))
        return "".join(out), reply["content"]["status"]

    def value(self, expression: str):
        out, status = self.run(f"import json as _j; print(_j.dumps({expression}))")
        assert status == "ok", out
        return json.loads(out.strip().splitlines()[-1])

    def close(self):
        self.kc.stop_channels()
        self.loop.run_until_complete(self.km.shutdown_kernel(now=True))
        self.loop.close()


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    root = tmp_path_factory.mktemp("sandbox-course")
    submission = _course(root)
    kernel = Kernel(submission)
    yield kernel, root, submission
    kernel.close()


def test_the_kernel_runs_unprivileged_in_a_private_copy_of_the_submission(sandbox):
    kernel, root, _ = sandbox
    if os.geteuid() == 0:
        assert kernel.value("__import__('os').getuid()") in SANDBOX_UIDS
    assert kernel.value("__import__('os').getcwd()") == "/home/student/00-demo"
    assert kernel.value("open('answers/q.json').read()") == '{"ann": 1}'
    # no notebook (nbgrader's copy holds the hidden tests), no linked file
    assert kernel.value("sorted(__import__('os').listdir('.'))") == ["answers", "medialit"]
    assert kernel.value("sorted(__import__('os').listdir('answers'))") == ["q.json"]


@pytest.mark.parametrize("relative", ["gradebook.db", "nbgrader_config.py", "lessons/00-demo/demo.ipynb",
                                      "references/00-demo.json", "submitted/bob/00-demo/answers/q.json"])
def test_nothing_of_the_course_is_visible(sandbox, relative):
    kernel, root, _ = sandbox
    path = root / relative
    assert path.exists()  # it is there outside
    assert kernel.value(f"__import__('os').path.exists({str(path)!r})") is False
    assert kernel.value(f"__import__('os').path.exists('../../../{relative}')") is False


def test_the_repository_and_the_graders_home_are_not_visible(sandbox):
    kernel, _, _ = sandbox
    assert kernel.value(f"__import__('os').path.exists({str(REPO / 'lessons')!r})") is False
    assert kernel.value(f"__import__('os').path.exists({str(REPO / 'nbgrader_config.py')!r})") is False
    # /tmp is the sandbox's own: empty but for the kernel's connection folder, matplotlib's cache
    # and the (empty) folders above Python or medialit when they are installed under /tmp
    from medialit.grader.sandbox import _python_paths

    above = {Path(p).relative_to("/tmp").parts[0] for p in _python_paths() if p.startswith("/tmp/")}
    assert all(name.startswith("medialit-sandbox-") or name == "matplotlib" or name in above
               for name in kernel.value("__import__('os').listdir('/tmp')"))
    assert kernel.value("__import__('os').path.exists('/root/.bash_history')") is False


def test_the_toolkit_is_the_real_one_and_read_only(sandbox):
    kernel, _, _ = sandbox
    import medialit

    assert kernel.value("__import__('medialit').__file__") == medialit.__file__
    out, status = kernel.run(f"open({str(Path(medialit.__file__).parent / 'grading.py')!r}, 'a').write('x')")
    assert status == "error" and ("Read-only" in out or "Permission" in out), out


def test_there_is_no_network(sandbox):
    kernel, _, _ = sandbox
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        out, status = kernel.run(f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=3)")
    assert status == "error" and ("refused" in out or "unreachable" in out.lower()), out


def test_a_file_over_the_size_limit_cannot_be_written(sandbox):
    kernel, _, _ = sandbox
    out, status = kernel.run("with open('big.bin', 'wb') as f:\n    f.write(b'0' * (300 * 2**20))")
    assert status == "error", out


def test_children_die_with_the_kernel(tmp_path):
    submission = _course(tmp_path)
    kernel = Kernel(submission)
    try:
        out, status = kernel.run(
            "import subprocess\n"
            "import sys\n"
            f"p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)', '{MARKER}'], "
            "start_new_session=True)\nprint('started')")
        assert status == "ok" and "started" in out, out
        assert MARKER in subprocess.run(["ps", "-eww", "-o", "args"], capture_output=True, text=True).stdout
    finally:
        kernel.close()
    deadline = time.monotonic() + 10
    while MARKER in subprocess.run(["ps", "-eww", "-o", "args"], capture_output=True, text=True).stdout:
        assert time.monotonic() < deadline, "a detached child outlived the kernel"
        time.sleep(0.2)


def test_the_private_copy_is_removed_after_the_kernel(tmp_path):
    submission = _course(tmp_path)
    kernel = Kernel(submission)
    folder = Path(kernel.km._sandbox_dir)
    assert folder.is_dir()
    kernel.close()
    assert not folder.exists()


def test_without_bubblewrap_the_message_says_what_to_do(monkeypatch):
    import shutil as _shutil

    from medialit.grader import sandbox

    sandbox.check_sandbox.cache_clear()
    monkeypatch.setattr(_shutil, "which", lambda name: None)
    try:
        reason = sandbox.check_sandbox()
    finally:
        monkeypatch.undo()
        sandbox.check_sandbox.cache_clear()
    assert "apt-get install bubblewrap" in reason


def test_system_configuration_is_readable_by_the_kernel(sandbox):
    """Fontconfig, time zones and the user database work for the unprivileged user (a
    folder bwrap creates on its own is private, and fc-list would print an error on stderr)."""
    import shutil

    kernel, _, _ = sandbox
    assert kernel.value("__import__('os').path.isfile('/etc/fonts/fonts.conf')") is True
    if shutil.which("fc-list") is None:
        pytest.skip("fontconfig's fc-list is not installed")
    out, status = kernel.run("import subprocess\nr = subprocess.run(['fc-list'], capture_output=True, text=True)\n"
                             "print(repr(r.stderr))")
    assert status == "ok" and out.strip() == "''", out


def test_what_the_kernel_writes_stays_in_memory_of_a_bounded_size(sandbox):
    kernel, _, submission = sandbox
    out, status = kernel.run("open('answers/q.json', 'w').write('changed')\nopen('note.txt', 'w').write('x')")
    assert status == "ok", out
    copy = Path(kernel.km._sandbox_dir) / "submission"
    assert (copy / "answers" / "q.json").read_text() == '{"ann": 1}' and not (copy / "note.txt").exists()
    assert (submission / "answers" / "q.json").read_text() == '{"ann": 1}'
    # three files of 200 MiB do not fit in the 512 MiB home
    out, status = kernel.run("for k in range(3):\n    with open(f'fill{k}.bin', 'wb') as f:\n"
                             "        f.write(b'0' * (200 * 2**20))")
    assert status == "error" and "No space left" in out, out
    kernel.run("import os\nfor k in range(3):\n    os.path.exists(f'fill{k}.bin') and os.remove(f'fill{k}.bin')")


def test_each_running_sandbox_has_its_own_user_so_one_fork_bomb_starves_no_other(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("user ids are assigned only when the grader is root")
    first = Kernel(_course(tmp_path / "one"))
    second = Kernel(_course(tmp_path / "two"))
    try:
        uids = {first.value("__import__('os').getuid()"), second.value("__import__('os').getuid()")}
        assert len(uids) == 2 and uids <= set(SANDBOX_UIDS)
        # the first uses up its process allowance; the second can still start threads
        first.run("import threading, time\nthreads = []\ntry:\n    while True:\n"
                  "        t = threading.Thread(target=time.sleep, args=(30,), daemon=True); t.start(); threads.append(t)\n"
                  "except RuntimeError:\n    pass\nprint(len(threads))")
        out, status = second.run("import threading\nts = [threading.Thread(target=lambda: None) for _ in range(50)]\n"
                                 "[t.start() for t in ts]; [t.join() for t in ts]; print('ok')")
        assert status == "ok" and "ok" in out, out
    finally:
        first.close()
        second.close()


def test_no_process_of_a_sandbox_outlives_it_into_the_next(tmp_path):
    """A sandbox's user id is handed on only when none of its processes is left, so a fork bomb
    cannot eat the process limit of the next submission graded under the same id."""
    from medialit._processes import processes_of as _processes_of

    if os.geteuid() != 0:
        pytest.skip("user ids are assigned only when the grader is root")
    kernel = Kernel(_course(tmp_path))
    uid = kernel.value("__import__('os').getuid()")
    kernel.run("import subprocess, sys\nfor _ in range(20):\n"
               "    subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)'], start_new_session=True)")
    assert len(_processes_of(uid)) > 20
    kernel.close()
    assert _processes_of(uid) == []

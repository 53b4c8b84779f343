"""A sandbox for each submission's kernel: bubblewrap, an unprivileged user, no network.

Autograding runs a student's code. Without a sandbox that code runs with the grader's rights,
beside the course: it can read the lesson sources and hidden tests, open the gradebook, change
other students' files and leave processes behind. :class:`SandboxKernelManager` is a
``jupyter_client`` kernel manager that nbgrader's ``Execute`` (and medialit's
:class:`~medialit.grader.guarded_execute.GuardedExecute`) uses to start the kernel of one
submission inside `bubblewrap <https://github.com/containers/bubblewrap>`_ (``bwrap``, the
sandbox Flatpak uses; Debian package ``bubblewrap``):

* the kernel runs as an unprivileged user id of its own (from :data:`SANDBOX_UIDS`) when the
  grader is root, in its own mount, PID, IPC, UTS and network namespaces (no network at all, not
  even loopback to the grader);
* it sees the operating system, Python and the medialit package **read-only**, and a private
  copy of that one submission's files (regular files only; no notebook: nbgrader sends cells
  to the kernel, the kernel needs no notebook file, and the one in the autograded folder holds
  the hidden tests) as its working folder ``/home/student/<lesson>``;
* it does not see the course folder, ``lessons/``, ``gradebook.db``, ``submitted/``,
  ``autograded/``, ``.instructor-answers/``, ``references/``, ``nbgrader_config.py``, other
  students, the grader's home or ``/tmp``;
* the whole process tree dies with the kernel (a PID namespace; ``--die-with-parent``), so a
  detached child cannot outlive the grading;
* resource limits (``prlimit``): address space, processes, file size, open files; ``/tmp`` and
  the home folder are in-memory file systems of a bounded size, so nothing the kernel writes
  reaches the grader's disk;
* the folder of the submission is not on ``sys.path`` (``PYTHONSAFEPATH`` and IPython's
  ``ignore_cwd``), so a ``medialit/`` folder in a submission cannot replace the toolkit.

The kernel talks to the grader over ZeroMQ's ``ipc`` transport (Unix sockets in a private
folder that both sides see), since the kernel has no network.

>>> SandboxKernelManager.limits_help()[:37]
'address space 4096 MiB, processes 512'
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from jupyter_client import AsyncKernelManager
from traitlets import Integer, Unicode

from .._processes import end_processes_of

__all__ = ["SandboxKernelManager", "SandboxUnavailable", "check_sandbox", "NOBODY", "SANDBOX_UIDS"]

#: The unprivileged user the availability check runs as when the grader is root.
NOBODY = 65534

#: User (and group) ids for kernels when the grader is root: one per running sandbox, so the
#: process limit (counted per user) of one submission never starves another graded beside it.
#: They need no account; they own nothing outside the sandboxes.
SANDBOX_UIDS = range(61000, 61064)

#: Where the sandbox sees the (read-only) copy of the submission that its home is filled from.
_SUBMISSION = "/run/medialit-submission"

#: Files and folders of /etc that Python, matplotlib and NLTK need (everything else in /etc,
#: such as a hub's configuration, stays hidden).
_ETC = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "passwd", "group", "nsswitch.conf",
        "fonts", "ssl", "mime.types", "os-release", "alternatives", "hosts")

#: Environment variables passed from the grader to the kernel; everything else is dropped
#: (``NBGRADER_EXECUTION`` too: student code has no business behaving differently when graded).
_KEEP_ENV = ("LANG", "LC_ALL", "PYDEVD_DISABLE_FILE_VALIDATION", "OPENBLAS_CORETYPE",
             "OPENBLAS_L2_SIZE", "TZ")


class SandboxUnavailable(RuntimeError):
    """The sandbox cannot run on this machine; the message says why and what to do."""


@functools.lru_cache(maxsize=1)
def check_sandbox() -> str | None:
    """None when the sandbox works here, else the reason it does not (with what to do).

    It starts ``bwrap`` with the same namespaces as a grading kernel and runs ``true`` in it.
    """
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return ("bubblewrap (bwrap) is not installed. Install it (Debian/Ubuntu: apt-get install bubblewrap) "
                "so that each submission is graded in its own sandbox.")
    command = [bwrap, *_namespaces(), "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--"]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            return "setpriv (Debian package util-linux) is missing; it drops the kernel to an unprivileged user."
        command += _drop_privileges(setpriv, NOBODY)
    command.append(shutil.which("true") or "/bin/true")
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bubblewrap could not start ({error})."
    if result.returncode != 0:
        return (f"bubblewrap cannot create namespaces here ({result.stderr.strip() or result.returncode}). "
                "Unprivileged user namespaces must be enabled (sysctl kernel.unprivileged_userns_clone=1; "
                "in a container, allow them).")
    return None


def _mebibytes(value: int) -> str:
    return f"{value // 2**20} MiB"


class SandboxKernelManager(AsyncKernelManager):
    """Start the kernel of one submission inside bubblewrap (see the module's description).

    The kernel's working folder (``cwd``, which nbgrader sets to the autograded folder of the
    submission) is copied, regular files only and without notebooks, into a private folder
    that the sandbox copies into its in-memory home, ``/home/student/<lesson>``; both are deleted
    with the kernel.
    """

    memory_limit = Integer(4 * 2**30, help="Largest address space of the kernel, in bytes (RLIMIT_AS).").tag(
        config=True)
    process_limit = Integer(512, help="Most processes and threads of one sandbox (RLIMIT_NPROC; each sandbox has "
                                      "its own user id when the grader is root).").tag(
        config=True)
    file_size_limit = Integer(256 * 2**20, help="Largest file the kernel may write, in bytes (RLIMIT_FSIZE).").tag(
        config=True)
    open_files_limit = Integer(1024, help="Most open files (RLIMIT_NOFILE).").tag(config=True)
    tmpfs_size = Integer(512 * 2**20, help="Size of the in-memory /tmp, in bytes.").tag(config=True)
    home_size = Integer(512 * 2**20, help="Size of the in-memory home folder that holds the kernel's copy of "
                                          "the submission and everything it writes, in bytes.").tag(config=True)
    copy_limit = Integer(200 * 2**20, help="Largest total size of the submission's files copied into the sandbox, "
                                           "in bytes; larger files are left out.").tag(config=True)
    home = Unicode("/home/student", help="The kernel's home folder inside the sandbox.").tag(config=True)

    _sandbox_dir: str | None = None
    _uid_lock = None
    _uid = NOBODY

    @classmethod
    def limits_help(cls) -> str:
        """The default limits in words.

        >>> "no network" in SandboxKernelManager.limits_help()
        True
        """
        traits = cls.class_traits()
        return (f"address space {_mebibytes(traits['memory_limit'].default_value)}, "
                f"processes {traits['process_limit'].default_value}, "
                f"file size {_mebibytes(traits['file_size_limit'].default_value)}, no network")

    # ---------------------------------------------------------------------------------------
    async def _async_pre_start_kernel(self, **kw):
        reason = check_sandbox()
        if reason is not None:
            raise SandboxUnavailable(
                f"Cannot grade in a sandbox: {reason} (To grade without one, which lets student code reach the "
                "course, the gradebook and other students, run `medialit grade --unsafe-no-sandbox`.)")
        workdir = Path(kw.pop("cwd", None) or os.getcwd())
        base = Path(tempfile.mkdtemp(prefix="medialit-sandbox-"))
        self._sandbox_dir = str(base)
        runtime, submission = base / "runtime", base / "submission"
        runtime.mkdir()
        submission.mkdir()
        _copy_submission(workdir, submission, self.copy_limit)
        # The kernel has no network: ZeroMQ talks over Unix sockets in a folder both sides see.
        self.transport = "ipc"
        self.ip = str(runtime / "kernel")
        self.connection_file = str(runtime / "kernel.json")
        if self.kernel_spec is not None:
            self.kernel_spec.interrupt_mode = "message"  # a signal would stop at bwrap
        kernel_cmd, kw = await super()._async_pre_start_kernel(**kw)
        if os.geteuid() == 0:
            self._uid_lock, self._uid = _claim_uid()
            for path in (runtime, self.connection_file):
                os.chown(path, self._uid, self._uid)
            runtime.chmod(0o700)
        kw["cwd"] = str(runtime)
        kw["env"] = self._environment(kw.get("env") or os.environ)
        # ipykernel's banner ("Ctrl-C will not work ...") is noise in the grader's log; crashes
        # still reach stderr
        kw.setdefault("stdout", subprocess.DEVNULL)
        return self._wrap(kernel_cmd, runtime, submission, f"{self.home}/{workdir.name or 'work'}"), kw

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart and self._sandbox_dir:
            shutil.rmtree(self._sandbox_dir, ignore_errors=True)
            self._sandbox_dir = None
        if not restart and self._uid_lock is not None:
            _end_processes_of(self._uid)  # nothing of this sandbox may live on into the next one
            self._uid_lock.close()  # the user id is free for the next sandbox
            self._uid_lock = None

    # ---------------------------------------------------------------------------------------
    def _environment(self, given) -> dict[str, str]:
        python_bin = str(Path(sys.executable).parent)
        env = {key: given[key] for key in _KEEP_ENV if key in given}
        env.update({
            "PATH": os.pathsep.join([python_bin, "/usr/local/bin", "/usr/bin", "/bin"]),
            "HOME": self.home,
            "USER": "student",  # the sandbox's user ids have no account; getpass.getuser() reads these
            "LOGNAME": "student",
            "TMPDIR": "/tmp",
            "PYTHONSAFEPATH": "1",  # the working folder is never on sys.path
            "PYTHONDONTWRITEBYTECODE": "1",
            "MPLCONFIGDIR": "/tmp/matplotlib",
            "LANG": given.get("LANG", "C.UTF-8"),
        })
        return env

    def _wrap(self, kernel_cmd: list[str], runtime: Path, submission: Path, inside: str) -> list[str]:
        command: list[str] = []
        prlimit = shutil.which("prlimit")
        if prlimit:
            command += [prlimit, f"--as={self.memory_limit}", f"--nproc={self.process_limit}",
                        f"--fsize={self.file_size_limit}", f"--nofile={self.open_files_limit}", "--core=0", "--"]
        binds: list[tuple[str, str, str]] = [("--ro-bind", p, p) for p in _python_paths()]
        binds += [("--bind", str(runtime), str(runtime)), ("--ro-bind", str(submission), _SUBMISSION)]
        command += [shutil.which("bwrap") or "bwrap", *_namespaces(), "--die-with-parent", "--new-session",
                    "--dev", "/dev", "--proc", "/proc", *_system_binds(),
                    "--perms", "1777", "--size", str(self.tmpfs_size), "--tmpfs", "/tmp",
                    # everything the kernel writes goes to memory of a bounded size, not the disk
                    "--perms", "1777", "--size", str(self.home_size), "--tmpfs", self.home,
                    # the kernel needs no parent watcher: --die-with-parent does that job, and
                    # inside the PID namespace its parent is bwrap's pid 1
                    "--unsetenv", "JPY_PARENT_PID"]
        # bwrap makes missing parent folders private (0700); the unprivileged user must pass through
        command += _parent_dirs(destination for _, _, destination in binds)
        for option, source, destination in binds:
            command += [option, source, destination]
        command += ["--chdir", self.home, "--"]
        if os.geteuid() == 0:
            command += _drop_privileges(shutil.which("setpriv") or "setpriv", self._uid)
        # as the unprivileged user: copy the submission into the in-memory home, then start
        command += ["/bin/sh", "-c", f'mkdir -p "$0" && cp -R {_SUBMISSION}/. "$0"/ && cd "$0" && exec "$@"', inside]
        argv = list(kernel_cmd)
        if "ipykernel_launcher" in argv:
            argv.append("--InteractiveShellApp.ignore_cwd=True")
        return command + argv


def _namespaces() -> list[str]:
    """bwrap's namespace options. As root, bwrap sets up the mounts itself and the command
    inside drops to a user id of its own (so the kernel is unprivileged outside the sandbox too); as
    another user, bwrap needs a user namespace."""
    common = ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
    return common if os.geteuid() == 0 else ["--unshare-user", *common]


def _claim_uid():
    """A user id from :data:`SANDBOX_UIDS` that no other sandbox on this machine holds, and the
    open lock file that holds it (closing it frees the id)."""
    import fcntl

    folder = Path(tempfile.gettempdir()) / "medialit-sandbox-uids"
    folder.mkdir(mode=0o700, exist_ok=True)
    for uid in SANDBOX_UIDS:
        handle = open(folder / f"{uid}.lock", "w")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            continue
        _end_processes_of(uid)  # left over from a grader that was killed: they would eat the process limit
        return handle, uid
    raise SandboxUnavailable(f"All {len(SANDBOX_UIDS)} sandbox user ids are in use: grade with fewer workers.")


def _end_processes_of(uid: int, seconds: float = 10.0) -> None:
    """Kill every process of a sandbox user id and wait until they are gone (a PID namespace
    ends its processes when the kernel dies, but not instantly: a fork bomb takes a moment)."""
    if uid == NOBODY or os.geteuid() != 0:
        return
    end_processes_of(uid, seconds)


def _drop_privileges(setpriv: str, uid: int) -> list[str]:
    return [setpriv, f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--inh-caps=-all",
            "--bounding-set=-all", "--no-new-privs", "--"]


def _parent_dirs(destinations) -> list[str]:
    """``--perms 0755 --dir`` for every folder above the bind destinations.

    >>> _parent_dirs(["/a/b/c"])
    ['--perms', '0755', '--dir', '/a', '--perms', '0755', '--dir', '/a/b']
    """
    seen: list[str] = []
    for destination in destinations:
        for parent in reversed(Path(destination).parents):
            text = str(parent)
            if text not in ("/", "/usr", "/tmp", "/dev", "/proc") and not text.startswith("/usr/") \
                    and text not in seen:
                seen.append(text)
    out: list[str] = []
    for folder in seen:
        out += ["--perms", "0755", "--dir", folder]
    return out


def _system_binds() -> list[str]:
    """Read-only views of the operating system: /usr, its links (/bin, /lib, ...) and part of /etc."""
    binds = ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = Path("/") / name
        if path.is_symlink():
            binds += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            binds += ["--ro-bind", str(path), str(path)]
    binds += ["--perms", "0755", "--dir", "/etc"]  # bwrap would make it private (0700)
    for name in _ETC:
        binds += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    return binds


@functools.lru_cache(maxsize=1)
def _python_paths() -> tuple[str, ...]:
    """The folders Python and the installed packages live in, and medialit's own package and
    data folders (an editable install's repository itself is *not* shown: it holds the lessons)."""
    from .. import _data

    wanted = {sys.base_prefix, sys.prefix, sys.exec_prefix, str(Path(__file__).resolve().parents[1])}
    try:
        wanted.add(str(_data.data_dir().resolve()))
    except _data.DataNotFoundError:
        pass
    import site

    wanted.update(site.getsitepackages())
    resolved = sorted({str(Path(p).resolve()) for p in wanted if p and Path(p).is_dir()})
    # keep only outermost folders, and never /usr (already bound) or a folder above another's
    kept: list[str] = []
    for path in resolved:
        if path == "/usr" or path.startswith("/usr/"):
            continue
        if any(path == k or path.startswith(k + "/") for k in kept):
            continue
        kept.append(path)
    return tuple(kept)


def _copy_submission(source: Path, dest: Path, limit: int) -> None:
    """Copy the submission's regular files (no links, no notebooks, nothing above ``limit`` in
    total) from ``source`` to ``dest``."""
    total = 0
    for folder, dirnames, filenames in os.walk(source):
        here = Path(folder)
        dirnames[:] = sorted(d for d in dirnames if not (here / d).is_symlink() and d != ".ipynb_checkpoints")
        target = dest / here.relative_to(source)
        target.mkdir(parents=True, exist_ok=True)
        for name in sorted(filenames):
            path = here / name
            if path.is_symlink() or not path.is_file() or name.endswith(".ipynb"):
                continue
            try:
                size = path.stat().st_size
                if total + size > limit:
                    continue
                shutil.copyfile(path, target / name, follow_symlinks=False)
            except OSError:
                continue  # an unreadable file is simply not there for the kernel
            total += size

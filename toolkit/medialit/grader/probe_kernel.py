"""Kernel-side code of the integrity probes (runs in the student's kernel, never imported there).

The grader reads this file's source and sends it as the code of a cell, with a call at the end:
the functions are defined afresh in each probe, so student code cannot replace them between
the probes. Kept as a real module so that it is linted, tested and readable.

* :func:`_medialit_probe_start` runs before any student code: it records the kernel's state,
  watches reads of ``NBGRADER_*`` from cell code and installs an audit hook that refuses to
  open the gradebook (a second guard; in the sandbox the gradebook is not even visible).
* :func:`_medialit_receipt` is prepended to every test cell: it prints the cell's nonce and a
  digest of the kernel state, so the grader knows the test ran as written, in an unchanged kernel.
* :func:`_medialit_probe_end` runs last and prints the state again.

>>> import json
>>> state = _medialit_state(["medialit.grading"])
>>> sorted(state)[:3]
['ast_transformers', 'builtins', 'custom_exceptions']
>>> len(_medialit_digest(state))
16
"""

# Everything here must work when sent as cell code: no relative imports, no module globals
# other than the functions themselves.


def _medialit_state(modules=("medialit.grading", "medialit.exercises", "medialit.answers")):
    """The parts of the kernel that decide how cells run, and the grading helpers' identities
    (the function objects *and* their code objects, so that ``f.__code__ = ...`` shows)."""
    import builtins
    import importlib
    import sys

    try:
        ip = get_ipython()  # noqa: F821 - IPython's global in a kernel
    except NameError:  # outside a kernel (the doctest)
        ip = None
    # hooks that the lessons' own set-up installs (``%matplotlib inline``, ipywidgets) are expected
    trusted = ("matplotlib_inline.", "matplotlib.", "ipykernel.", "IPython.", "ipywidgets.")

    def ident(items, skip_trusted=False):
        names = (f"{getattr(f, '__module__', None) or '?'}.{getattr(f, '__qualname__', type(f).__name__)}@{id(f)}"
                 f"/{id(getattr(f, '__code__', None))}" for f in items)
        return sorted(n for n in names if not (skip_trusted and n.startswith(trusted)))

    result = {
        "input_transformers_cleanup": ident(getattr(ip, "input_transformers_cleanup", [])),
        "input_transformers_post": ident(getattr(ip, "input_transformers_post", [])),
        "line_transforms": ident(getattr(getattr(ip, "input_transformer_manager", None), "line_transforms", [])),
        "ast_transformers": ident(getattr(ip, "ast_transformers", [])),
        "events": {name: ident(cbs, skip_trusted=True)
                   for name, cbs in sorted(getattr(getattr(ip, "events", None), "callbacks", {}).items())},
        "custom_exceptions": repr(getattr(ip, "custom_exceptions", ())),
        "trace": repr(sys.gettrace()),
        "profile": repr(sys.getprofile()),
        "shell_methods": sorted(name for name in ("run_cell", "run_ast_nodes", "run_code", "showtraceback",
                                                  "transform_cell", "should_run_async")
                                if ip is not None and name in vars(ip)),
        "builtins": {name: id(getattr(builtins, name, None)) for name in (
            "isinstance", "len", "float", "int", "str", "list", "dict", "set", "tuple", "sorted", "round", "abs",
            "print", "AssertionError", "Exception", "type", "repr", "sum", "min", "max", "any", "all", "zip",
            "range", "bool", "getattr", "hasattr", "__import__", "exec", "compile", "open")},
    }
    for module_name in modules:
        try:
            module = importlib.import_module(module_name)
        except Exception as error:
            result[module_name] = {"error": type(error).__name__}
            continue
        entry = {"module": id(sys.modules.get(module_name))}
        for name in getattr(module, "__all__", []):
            value = getattr(module, name, None)
            entry[name] = f"{id(value)}/{id(getattr(value, '__code__', None))}"
        result[module_name] = entry
    return result


def _medialit_digest(state):
    """A short digest of a state, to compare receipts with the first probe."""
    import hashlib
    import json

    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()[:16]


def _medialit_probe_start(nonce, gradebook=None):
    """Record the state before any student code and start watching."""
    import json
    import os
    import sys

    base = type(os.environ)
    cell_files = ("ipykernel_", "<ipython-input")

    class _WatchedEnviron(base):
        reads = []
        gradebook_attempts = []

        def __getitem__(self, key):
            if isinstance(key, str) and key.startswith("NBGRADER"):
                frame = sys._getframe(1)
                for _ in range(6):
                    if frame is None:
                        break
                    if any(mark in frame.f_code.co_filename for mark in cell_files):
                        type(self).reads.append(key)
                        break
                    frame = frame.f_back
            return base.__getitem__(self, key)

    if gradebook:
        attempts = _WatchedEnviron.gradebook_attempts

        def _guard(event, args, _path=os.path, _getcwd=os.getcwd, _attempts=attempts, _gradebook=gradebook):
            if event in ("open", "sqlite3.connect") and args and isinstance(args[0], (str, bytes, os.PathLike)):
                try:
                    target = _path.realpath(_path.join(_getcwd(), os.fsdecode(args[0])))
                except Exception:
                    return
                if target.startswith(_gradebook):
                    _attempts.append(event)
                    raise PermissionError("The gradebook cannot be opened while notebooks are graded.")

        sys.addaudithook(_guard)
    env = os.environ
    os.environ = _WatchedEnviron(env._data, env.encodekey, env.decodekey, env.encodevalue, env.decodevalue)
    sys.modules["_medialit_probe_environ"] = os.environ
    state = _medialit_state()
    sys.stdout.write(nonce + " " + json.dumps({"state": state, "digest": _medialit_digest(state)}) + "\n")


def _medialit_receipt(nonce):
    """First line of every test cell: the cell's nonce and the state's digest."""
    import sys

    sys.stdout.write(nonce + " " + _medialit_digest(_medialit_state()) + "\n")


def _medialit_probe_end(nonce, helpers=()):
    """The state again, the NBGRADER reads seen and the helpers redefined in the notebook."""
    import json
    import sys

    env = sys.modules.get("_medialit_probe_environ")
    reads = sorted(set(getattr(type(env), "reads", []))) if env is not None else ["(watcher removed)"]
    user_ns, replaced = get_ipython().user_ns, []  # noqa: F821 - IPython's global in a kernel
    grading = sys.modules.get("medialit.grading")
    for name in helpers:
        if name in user_ns and user_ns[name] is not getattr(grading, name, None):
            replaced.append(name)
    gradebook = sorted(set(getattr(type(env), "gradebook_attempts", [])))
    state = _medialit_state()
    sys.stdout.write(nonce + " " + json.dumps({"state": state, "digest": _medialit_digest(state), "reads": reads,
                                               "replaced": replaced, "gradebook": gradebook}) + "\n")


def cell_code(call: str) -> str:
    """The code of a probe cell: this module's functions, the call, and their names removed
    again from the student's namespace.

    >>> "_medialit_probe_end('abc')" in cell_code("_medialit_probe_end('abc')")
    True
    """
    import inspect
    import sys

    source = inspect.getsource(sys.modules[__name__])
    source = source.split("\ndef cell_code(")[0]
    names = ("_medialit_state", "_medialit_digest", "_medialit_probe_start", "_medialit_receipt",
             "_medialit_probe_end")
    return f"{source}\n{call}\ndel {', '.join(names)}\n"


def receipt_line(nonce: str) -> str:
    """One line of code that prints a test cell's receipt, self-contained (nothing in the
    student's namespace is used, so nothing there can fake it).

    >>> receipt_line("n1").startswith("exec(")
    True
    """
    import inspect
    import sys

    module = sys.modules[__name__]
    parts = [inspect.getsource(getattr(module, name)) for name in ("_medialit_state", "_medialit_digest",
                                                                    "_medialit_receipt")]
    code = "\n".join(parts) + f"\n_medialit_receipt({nonce!r})\n"
    return f"exec({code!r}, {{'get_ipython': __import__('IPython').get_ipython}})"

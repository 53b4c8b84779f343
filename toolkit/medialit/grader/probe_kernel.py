"""Kernel-side code of the integrity probes (runs in the student's kernel, never imported there).

The grader reads this file's source and sends it as the code of a cell, with a call at the end:
the functions are defined afresh in each probe, so student code cannot replace them between
the probes. Kept as a real module so that it is linted, tested and readable.

* :func:`_medialit_probe_start` runs just before the first cell a student can edit (after the
  lesson's own set-up, so the hooks that set-up installs are part of the baseline; no hook is
  trusted for the name of the module it claims to come from): it records the kernel's state,
  watches reads of ``NBGRADER_*`` from cell code and installs an audit hook that refuses to
  open the gradebook (a second guard; in the sandbox the gradebook is not even visible).
* :func:`_medialit_receipt` is prepended to every test cell: it prints the cell's nonce and a
  digest of the kernel state, so the grader knows the test ran as written, in an unchanged kernel.
* :func:`_medialit_probe_end` runs last and prints the state again.

>>> import json
>>> import medialit.grading
>>> state = _medialit_state(["medialit.grading"], [])
>>> state["modules"]["medialit.grading"]["expect"].startswith("medialit.grading.expect@")
True
>>> len(_medialit_digest(state))
16
"""

# Everything here must work when sent as cell code: no relative imports, no module globals
# other than the functions themselves.


def _medialit_state(modules=None, names=None, pinned=None):
    """How cells run, and the identity of everything the tests rely on.

    * IPython: every method an instance overrides and the code of every method of the classes
      of the shell, its input transformer manager, its compiler and its event manager (so
      ``ip.transform_cell = ...``, ``type(ip).run_cell = ...`` and ``f.__code__ = ...`` show);
      the transformer and hook lists (whatever module a hook claims to come from);
    * ``sys``: trace and profile functions, standard streams, display and exception hooks,
      import hooks; every built-in function and class;
    * ``modules`` (default: the medialit modules loaded now): every function and class in them,
      with their code and methods, so private helpers count too;
    * ``names`` (default: the notebook's names now that are functions, classes, modules or
      ALL_CAPS constants): their identity, and for constants their value.
    """
    import builtins
    import hashlib
    import sys
    import types

    try:
        ip = get_ipython()  # noqa: F821 - IPython's global in a kernel
    except NameError:  # outside a kernel (the doctest)
        ip = None

    def ident(f):
        return f"{getattr(f, '__module__', None) or '?'}.{getattr(f, '__qualname__', type(f).__name__)}@{id(f)}" \
               f"/{id(getattr(f, '__code__', None))}"

    def idents(items):
        return sorted(ident(f) for f in items)

    def overrides(obj):
        """Instance attributes that shadow a method of the class, and the class's methods."""
        if obj is None:
            return {}
        cls = type(obj)
        own = {n: ident(v) for n, v in sorted(getattr(obj, "__dict__", {}).items())
               if callable(getattr(cls, n, None)) and not isinstance(v, type)}
        methods = {}
        for klass in cls.__mro__[:-1]:
            for n, v in vars(klass).items():
                function = getattr(v, "__func__", v)
                if isinstance(function, types.FunctionType):
                    methods.setdefault(n, ident(function))
        return {"instance": own, "class": methods}

    def methods_of(cls):
        return sorted(f"{k}={ident(getattr(m, '__func__', m))}" for k, m in vars(cls).items()
                      if isinstance(getattr(m, "__func__", m), types.FunctionType))

    def module_entry(module):
        """Every callable a module holds (a function swapped for a lambda, an ``lru_cache`` wrapper
        replaced), its own classes with their methods, and the methods an instance of a medialit
        class overrides (``corpus.info = ...``)."""
        entry = {"module": id(module)}
        for n, v in sorted(vars(module).items()):
            if isinstance(v, types.FunctionType):
                entry[n] = ident(v)
            elif isinstance(v, type):
                if getattr(v, "__module__", None) == module.__name__:
                    entry[n] = {"class": id(v), "methods": methods_of(v)}
            elif isinstance(v, types.ModuleType):
                continue
            elif (getattr(type(v), "__module__", None) or "").startswith("medialit"):
                entry[n] = {"object": id(v), "overrides": overrides(v)["instance"]}
            elif callable(v):
                entry[n] = f"{type(v).__name__}@{id(v)}"
        return entry

    trusted = ("matplotlib_inline.", "matplotlib.", "ipykernel.", "IPython.", "ipywidgets.", "traitlets.")

    def resolves(obj):
        """``obj`` is what its module and qualified name say (a claimed origin must be real)."""
        module = sys.modules.get(getattr(obj, "__module__", None) or "")
        if module is None:
            return False
        found = module
        for part in getattr(obj, "__qualname__", "").split("."):
            found = getattr(found, part, None)
        return found is obj

    def origin(f):
        """``module:qualname`` of a hook's function if its claimed origin holds, else None."""
        func = getattr(f, "__func__", f)
        owner = getattr(f, "__self__", None)
        if owner is not None:
            cls = type(owner)
            if resolves(cls) and getattr(cls, getattr(func, "__name__", ""), None) is func:
                return f"{cls.__module__}:{cls.__qualname__}.{func.__name__}"
            return None
        return f"{func.__module__}:{func.__qualname__}" if resolves(func) else None

    hooks = [f for cbs in getattr(getattr(ip, "events", None), "callbacks", {}).values() for f in cbs]
    if modules is None:  # the first probe
        modules = sorted(m for m in sys.modules if m == "medialit" or m.startswith("medialit."))
    if pinned is None:  # the first probe: the hooks there now, and those the lessons' set-up adds
        pinned = {}
        expected = [getattr(sys.modules.get(m), n, None) for m, n in (
            ("matplotlib.pyplot", "_draw_all_if_interactive"), ("matplotlib_inline.backend_inline", "flush_figures"))]
        for f in hooks + [e for e in expected if e is not None]:
            key = origin(f)
            if key and key.startswith(trusted):
                pinned[key] = ident(getattr(f, "__func__", f))

    def genuine(f):
        """A library's hook that the first probe pinned, still the same function."""
        key = origin(f)
        return key in pinned and pinned[key] == ident(getattr(f, "__func__", f))

    manager = getattr(ip, "input_transformer_manager", None)
    result = {
        "input_transformers_cleanup": idents(getattr(ip, "input_transformers_cleanup", [])),
        "input_transformers_post": idents(getattr(ip, "input_transformers_post", [])),
        "line_transforms": idents(getattr(manager, "line_transforms", [])),
        "manager_cleanup": idents(getattr(manager, "cleanup_transforms", [])),
        "manager_token": idents(getattr(manager, "token_transformers", [])),
        "ast_transformers": idents(getattr(ip, "ast_transformers", [])),
        "events": {name: idents(f for f in cbs if not genuine(f))
                   for name, cbs in sorted(getattr(getattr(ip, "events", None), "callbacks", {}).items())},
        "custom_exceptions": repr(getattr(ip, "custom_exceptions", ())),
        "shell": overrides(ip),
        "manager": overrides(manager),
        "compiler": overrides(getattr(ip, "compile", None)),
        "event_manager": overrides(getattr(ip, "events", None)),
        "sys": {"trace": repr(sys.gettrace()), "profile": repr(sys.getprofile()),
                # (ipykernel sets sys.excepthook and builtins.input anew for every cell)
                "streams": [id(sys.stdout), id(sys.stderr), id(sys.displayhook)],
                "meta_path": idents(sys.meta_path), "path_hooks": idents(sys.path_hooks)},
        "builtins": {name: id(value) for name, value in sorted(vars(builtins).items())
                     if not name.startswith("_") and callable(value) and name not in ("input", "raw_input")},
    }
    result["modules"] = {name: module_entry(sys.modules[name]) if name in sys.modules else "missing"
                         for name in modules}
    user_ns = getattr(ip, "user_ns", {}) if ip is not None else {}
    if names is None:
        names = sorted(n for n, v in user_ns.items() if not n.startswith("_") and (
            isinstance(v, (types.FunctionType, type, types.ModuleType)) or (n.isupper() and len(n) > 1)))
    values = _medialit_values(names)
    result["names"] = values
    result["pinned"] = pinned
    return result


def _medialit_values(names):
    """The identity of each notebook name the tests rely on: functions, classes and modules by
    object (and code), ALL_CAPS constants by object and value; other values are not watched."""
    import hashlib
    import types

    try:
        user_ns = get_ipython().user_ns  # noqa: F821 - IPython's global in a kernel
    except NameError:
        user_ns = {}
    values = {}
    for name in names:
        if name not in user_ns:
            values[name] = "missing"
            continue
        value = user_ns[name]
        if isinstance(value, (types.FunctionType, type)):
            values[name] = f"{id(value)}/{id(getattr(value, '__code__', None))}"
        elif isinstance(value, types.ModuleType):
            values[name] = str(id(value))
        elif name.isupper():
            try:
                shown = repr(sorted(value) if isinstance(value, (set, frozenset)) else value)
            except Exception:
                shown = repr(type(value))
            values[name] = f"{id(value)}:{hashlib.sha256(shown.encode()).hexdigest()[:12]}"
    return values


def _medialit_record(nonce, names):
    """After a read-only cell: the identity of the names it bound, which later tests rely on."""
    import json
    import sys

    sys.stdout.write(nonce + " " + json.dumps(_medialit_values(names)) + "\n")


def _medialit_digest(state):
    """A short digest of a state, to compare receipts with the first probe."""
    import hashlib
    import json

    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()[:16]


def _medialit_import_watched():
    """Import what hidden tests rely on (medialit's public names, its grading and analyzers), so
    that the first probe records them and what student code rebinds in them (``medialit.load =
    ...``) shows in every later receipt."""
    import importlib

    try:
        medialit = importlib.import_module("medialit")
        for name in getattr(medialit, "__all__", ()):
            getattr(medialit, name)
        importlib.import_module("medialit.grading")
        importlib.import_module("medialit.analyzers")
    except Exception:  # the kernel has no medialit: the lesson's own set-up cell will say so
        pass


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

    try:  # the lessons' plotting libraries: loaded now, so their hooks can be checked later
        import matplotlib.pyplot  # noqa: F401
        import matplotlib_inline.backend_inline  # noqa: F401
    except Exception:
        pass
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
    _medialit_import_watched()
    env = os.environ
    os.environ = _WatchedEnviron(env._data, env.encodekey, env.decodekey, env.encodevalue, env.decodevalue)
    sys.modules["_medialit_probe_environ"] = os.environ
    state = _medialit_state()
    scope = {"modules": sorted(state["modules"]), "names": sorted(state["names"]), "pinned": state["pinned"]}
    sys.stdout.write(nonce + " " + json.dumps({"state": state, "digest": _medialit_digest(state), "scope": scope})
                     + "\n")


def _medialit_receipt(nonce, modules, names, pinned, watched=()):
    """First line of every test cell: the cell's nonce, the digest of the state (over the
    modules and names the first probe saw) and the identity of the names read-only cells bound."""
    import json
    import sys

    sys.stdout.write(nonce + " " + json.dumps({"digest": _medialit_digest(_medialit_state(modules, names, pinned)),
                                               "watched": _medialit_values(watched)}) + "\n")


def _medialit_probe_end(nonce, helpers=(), modules=None, names=None, pinned=None):
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
    state = _medialit_state(modules, names, pinned)
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
    names = ("_medialit_state", "_medialit_values", "_medialit_record", "_medialit_digest", "_medialit_import_watched",
             "_medialit_probe_start",
             "_medialit_receipt", "_medialit_probe_end")
    return f"{source}\n{call}\ndel {', '.join(names)}\n"


def receipt_line(nonce: str, modules=(), names=(), pinned=None, watched=()) -> str:
    """One line of code that prints a test cell's receipt, self-contained (nothing in the
    student's namespace is used, so nothing there can fake it).

    >>> receipt_line("n1", ["medialit"], ["expect"]).startswith("exec(")
    True
    """
    import inspect
    import sys

    module = sys.modules[__name__]
    parts = [inspect.getsource(getattr(module, name)) for name in ("_medialit_state", "_medialit_values",
                                                                    "_medialit_digest", "_medialit_receipt")]
    code = "\n".join(parts) + (f"\n_medialit_receipt({nonce!r}, {list(modules)!r}, {list(names)!r}, "
                                f"{dict(pinned or {})!r}, {list(watched)!r})\n")
    return f"exec({code!r}, {{'get_ipython': __import__('IPython').get_ipython}})"


def bound_names(source: str) -> list[str]:
    """The names a cell binds at its top level (imports, definitions, assignments), for
    :func:`_medialit_record`. IPython magics and shell lines are skipped.

    >>> bound_names("%matplotlib inline\\nimport medialit\\nfrom x import a as b\\nC, d = 1, 2\\ndef f(): pass")
    ['C', 'b', 'd', 'f', 'medialit']
    """
    import ast

    code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found |= {(a.asname or a.name).split(".")[0] for a in node.names if a.name != "*"}
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                found |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
    return sorted(n for n in found if not n.startswith("_"))


def record_code(nonce: str, names) -> str:
    """The code of a record cell: prints the identity of ``names`` after a read-only cell."""
    import inspect
    import sys

    module = sys.modules[__name__]
    parts = [inspect.getsource(getattr(module, name)) for name in ("_medialit_values", "_medialit_record")]
    code = "\n".join(parts) + f"\n_medialit_record({nonce!r}, {list(names)!r})\n"
    return f"exec({code!r}, {{'get_ipython': __import__('IPython').get_ipython}})"

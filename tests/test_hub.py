"""A real classroom: the hub's set-up (fast unit tests), then JupyterHub on 127.0.0.1, one instructor and three students, over HTTP only.

`medialit hub init` makes the accounts, the exchange and the course folder; the hub runs from
the shared environment (`make hub-env`). Passwords through NativeAuthenticator's sign-up, log-in
and authorize pages; tokens made with each log-in; the students' servers through the hub's REST
API; lesson 00 released and collected through formgrader's API (a hub service); fetched,
answered and submitted through each student's server (contents and kernels APIs, nbgrader's
Assignments handlers, and a real browser for Alice's log-in and one widget click); graded in the
sandbox by `medialit hub grade` (root); feedback released and fetched; scores asserted; and what
a student cannot read, tried through the contents API and a kernel.

Needs root, configurable-http-proxy, Debian's chromium and the shared environment. Without
them it is skipped with the reason, unless MEDIALIT_REQUIRE_HUB is set (CI sets it): then it fails.
Every account it makes is deleted at the end, and no process of it is left behind.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
HUB_ENV = Path(os.environ.get("MEDIALIT_HUB_ENV", "/opt/medialit-hub"))
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
LESSON, NOTEBOOK = "00-orientation", "orientation.ipynb"
PASSWORD = "correct horse battery {}"


def _missing() -> str | None:
    if os.geteuid() != 0:
        return "the hub test creates Unix accounts: run it as root"
    if shutil.which("configurable-http-proxy") is None:
        return "configurable-http-proxy is not installed (npm install -g configurable-http-proxy; .ci/run does)"
    if not (HUB_ENV / "bin" / "jupyterhub-singleuser").is_file():
        return f"the shared hub environment {HUB_ENV} is missing: `make hub-env` (root) builds it"
    if not Path(CHROMIUM).exists():
        return "Debian's chromium is not installed (apt-get install chromium)"
    from medialit.grader.sandbox import check_sandbox

    if check_sandbox() is not None:
        return f"grading on the hub needs the sandbox: {check_sandbox()}"
    for tool in ("useradd", "userdel", "runuser"):
        if shutil.which(tool) is None:
            return f"{tool} is missing (Debian packages passwd, util-linux)"
    return None


@pytest.fixture(scope="module")
def requirements():
    reason = _missing()
    if reason is not None:
        if os.environ.get("MEDIALIT_REQUIRE_HUB"):
            pytest.fail(f"MEDIALIT_REQUIRE_HUB is set but the hub cannot run here: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def classroom(requirements):
    from medialit.hub.trial import refresh_env, trial_class

    refresh_env(HUB_ENV, REPO)  # the hub runs this checkout's medialit
    with trial_class(["alice", "bob", "carol"], HUB_ENV, REPO) as trial:
        yield {"hub": trial.hub, "names": trial.names, "base": trial.base, "config": trial.config,
               "course_id": trial.course_id, "course_account": trial.course_account,
               "course_dir": trial.course_dir, "log": trial.log}
    # leaving trial_class stopped the hub, deleted the accounts and failed if any of their
    # processes outlived it


def _solutions() -> dict[str, str]:
    source = nbformat.read(REPO / "lessons" / LESSON / NOTEBOOK, as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")}


def _answer(nb: dict, solutions: dict[str, str], keep) -> dict:
    for cell in nb["cells"]:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid in keep:
            cell["source"] = solutions[gid]
    return nb


def _run_cells(user, folder: str, nb: dict) -> None:
    """Run the notebook's code cells in the student's kernel, as Run All does (errors allowed)."""
    kernel = user.start_kernel(f"{folder}/{NOTEBOOK}")
    try:
        for cell in nb["cells"]:
            if cell["cell_type"] == "code" and cell["source"].strip():
                user.execute(kernel, cell["source"], seconds=120)
    finally:
        user.stop_kernel(kernel)


def _browser_click(hub, user, password: str, artifacts: Path) -> None:
    """Alice logs in with the browser, runs her notebook, answers the first quiz by clicking, runs
    the notebook again (the quiz's test failed the first time; the quiz keeps her answer) and ticks
    the answers of the last quiz."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="Python Playwright is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})

        def run_all():
            page.locator(".jp-Notebook .jp-Cell").first.click()
            page.get_by_text("Run", exact=True).first.click()
            page.get_by_text("Run All Cells", exact=True).first.click()

        try:
            page.goto(hub.url("hub/login"), wait_until="domcontentloaded", timeout=60_000)
            page.fill("input[name=username]", user.name)
            page.fill("input[name=password]", password)
            page.click("input[type=submit], button[type=submit]")
            page.wait_for_url("**/user/**", timeout=90_000)
            page.goto(hub.url(f"user/{user.name}/lab/tree/{LESSON}/{NOTEBOOK}"), wait_until="domcontentloaded",
                      timeout=90_000)
            page.wait_for_selector(".jp-Notebook", timeout=90_000)
            page.get_by_text("| Idle").first.wait_for(timeout=90_000)
            run_all()
            option = page.get_by_role("radio", name="It treats every period as the end of a sentence", exact=False)
            option.first.wait_for(timeout=120_000)
            option.first.check()
            _wait_file(user, f"{LESSON}/answers/why-naive.json", 60)
            page.get_by_text("| Idle").first.wait_for(timeout=90_000)
            run_all()  # past the quiz's test, which passes now, to the last question
            for start in ("Run the cells from the top", "Some tests are hidden", "Widget answers are saved"):
                box = page.get_by_role("checkbox", name=start, exact=False)
                box.first.wait_for(timeout=120_000)
                box.first.check()
            _wait_answer(user, f"{LESSON}/answers/how-notebooks.json", lambda a: len(a["answer"]["selected"]) == 3)
            page.screenshot(path=str(artifacts / "hub-widget.png"), full_page=False)
        except Exception:
            page.screenshot(path=str(artifacts / "hub-widget-failure.png"), full_page=True)
            (artifacts / "hub-widget-failure.html").write_text(page.content())
            raise
        finally:
            browser.close()


def _wait_answer(user, path: str, check, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        reply = user.read(path, check=False)
        if reply.status_code == 200:
            last = json.loads(reply.json()["content"])
            if check(last):
                return
        time.sleep(0.5)
    raise AssertionError(f"{path} in {user.name}'s home never held the expected answer; last seen: {last}")


def _wait_file(user, path: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while user.read(path, check=False).status_code != 200:
        assert time.monotonic() < deadline, f"{path} did not appear in {user.name}'s home within {seconds:.0f} s"
        time.sleep(0.5)


@pytest.mark.slow
@pytest.mark.hub
def test_a_class_on_the_hub(classroom):
    hub, names, course_id = classroom["hub"], classroom["names"], classroom["course_id"]
    students = ("alice", "bob", "carol")
    passwords = {who: PASSWORD.format(who) for who in names}
    artifacts = REPO / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    started = time.monotonic()
    steps: list[str] = []

    def step(what: str) -> None:
        steps.append(f"{time.monotonic() - started:6.1f} s  {what}")

    try:
        # ---- sign-up with passwords; the instructor (an admin) authorizes the students ------------
        for who, name in names.items():
            hub.signup(name, passwords[who])
        with pytest.raises(PermissionError):
            hub.login(names["alice"], passwords["alice"])  # not authorized yet
        teacher = hub.login(names["instructor"], passwords["instructor"])
        for who in students:
            teacher.authorize(names[who])
        teacher.make_token()
        with pytest.raises(PermissionError):
            hub.login(names["bob"], "not bob's password")
        users = {who: hub.login(names[who], passwords[who]) for who in students}
        for user in users.values():
            user.make_token()

        step("signed up, authorized, logged in")
        # ---- the students' servers start while the instructor releases lesson 00 -------------------
        for user in users.values():
            user.start_server()
        generated = teacher.formgrader("POST", course_id, f"assignment/{LESSON}/assign", "generate").json()
        assert generated["success"], generated
        released = teacher.formgrader("POST", course_id, f"assignment/{LESSON}/release", "release").json()
        assert released["success"], released
        with ThreadPoolExecutor(3) as pool:
            list(pool.map(lambda u: u.wait_ready(180), users.values()))

        step("servers ready, lesson released")
        # ---- students fetch, answer (code and widgets) and submit ------------------------------------
        solutions = _solutions()
        half = set(list(solutions)[: len(solutions) // 2])
        path = f"{LESSON}/{NOTEBOOK}"
        for who, user in users.items():
            listed = user.assignments("fetch", course_id, LESSON)
            assert listed["success"] and any(a["assignment_id"] == LESSON for a in listed["value"]), listed
            nb = user.read(path).json()["content"]
            if who == "alice":
                nb = _answer(nb, solutions, set(solutions) - {"q-why"})  # the quiz she answers by clicking
                user.write_notebook(path, nb)
            elif who == "carol":
                nb = _answer(nb, solutions, half)
                user.write_notebook(path, nb)
                _run_cells(user, LESSON, nb)
        step("fetched; Carol ran her cells")
        _browser_click(hub, users["alice"], passwords["alice"], artifacts)
        saved = json.loads(users["alice"].read(f"{LESSON}/answers/why-naive.json").json()["content"])
        assert saved["answer"]["selected"] == ["a"], saved
        step("browser: Alice logged in and clicked")
        for user in users.values():
            reply = user.assignments("submit", course_id, LESSON)
            assert not (isinstance(reply, dict) and reply.get("success") is False), reply

        step("submitted")
        # ---- isolation: what a student's server cannot reach ----------------------------------------
        bob, alice = users["bob"], users["alice"]
        alice_home = pwd.getpwnam(names["alice"]).pw_dir
        course_dir = classroom["course_dir"]
        inbound = classroom["base"] / "exchange" / course_id / "inbound"
        submission = next(inbound.iterdir())  # root can list it; Bob cannot
        for attempt in ("../" + names["alice"], f"../{names['alice']}/{LESSON}/{NOTEBOOK}", "/etc"):
            assert bob.read(attempt, check=False).status_code in (403, 404), attempt
        kernel = bob.start_kernel("")
        try:
            for target in (alice_home, f"{alice_home}/{path}", str(course_dir), f"{course_dir}/lessons/{LESSON}/{NOTEBOOK}",
                           f"{course_dir}/gradebook.db", str(inbound)):
                probe = ("import os\ntarget = %r\n"
                         "try:\n    (os.listdir(target) if os.path.isdir(target) else open(target).read(1))\n"
                         "    print('READ', target)\nexcept PermissionError:\n    print('DENIED')\n") % target
                out = bob.execute(kernel, probe, seconds=60)
                assert out.output.strip() == "DENIED", (target, out)
            # what Bob cannot list he cannot name either: each submission ends in a random suffix
            assert len(submission.name.split("+")) == 4, submission.name
        finally:
            bob.stop_kernel(kernel)
        # formgrader is not on a student's server, and its service refuses students
        assert bob.server("GET", "formgrader", check=False).status_code == 404
        lab = bob.server("GET", "lab").text  # JupyterLab's page config lists the plugins switched off
        disabled = lab.split('"disabledExtensions"', 1)[1][:400]
        assert "@jupyter/nbgrader:create-assignment" in disabled and "@jupyter/nbgrader:formgrader" in disabled
        assert bob.formgrader("GET", course_id, "status", check=False).status_code in (403, 404)
        assert alice.api("GET", f"user/{names['bob']}/api/contents", check=False).status_code in (403, 404)

        step("isolation checked")
        # ---- the instructor collects, grades in the sandbox (root), releases feedback --------------
        collected = teacher.formgrader("POST", course_id, f"assignment/{LESSON}/collect", "collect").json()
        assert collected["success"], collected
        graded = subprocess.run([str(HUB_ENV / "bin" / "python"), "-m", "medialit", "hub", "grade",
                                 str(classroom["config"]), LESSON, "--quiet", "--workers", "2"],
                                capture_output=True, text=True, timeout=600)
        assert graded.returncode == 0, f"medialit hub grade failed:\n{graded.stdout}\n{graded.stderr[-3000:]}"
        owner = classroom["course_account"]
        assert all(p.owner() == owner for p in course_dir.rglob("*")), "root left files in the course folder"
        reports = sorted((course_dir / "reports" / LESSON).glob("*/*.integrity.json"))
        assert len(reports) == 3, reports
        step("collected and graded")
        feedback = teacher.formgrader("POST", course_id, f"assignment/{LESSON}/generate_feedback", "feedback").json()
        assert feedback["success"], feedback
        out = teacher.formgrader("POST", course_id, f"assignment/{LESSON}/release_feedback", "release feedback").json()
        assert out["success"], out
        scores = {row["student"]: row["score"] for row in
                  teacher.formgrader("GET", course_id, f"submissions/{LESSON}").json()}
        s = {who: scores[names[who]] for who in students}
        detail = [p.read_text() for p in reports]
        assert s["alice"] == 10 and s["bob"] == 0 and 0 < s["carol"] < 10, (s, detail)

        step("feedback released")
        # ---- each student fetches their own feedback ------------------------------------------------
        for who, user in users.items():
            user.assignments("fetch_feedback", course_id, LESSON)
            folders = user.read(f"{LESSON}/feedback").json()["content"]
            assert folders, f"no feedback for {who}"
            page = user.read(f"{folders[0]['path']}/orientation.html").json()["content"]
            assert "orientation" in page and "BEGIN HIDDEN TESTS" not in page, f"{who}'s feedback page"

        step("feedback fetched")
        # ---- grades out ----------------------------------------------------------------------------------
        exported = subprocess.run([sys.executable, "-m", "medialit", "export", LESSON, "--course", str(course_dir),
                                   "--out", str(classroom["base"] / "exports")], capture_output=True, text=True)
        assert exported.returncode == 0, exported.stderr
        canvas = (classroom["base"] / "exports" / f"{LESSON}-canvas.csv").read_text()
        assert f"{names['alice']},{names['alice']},,10" in canvas, canvas
        step("exported")
    except Exception:
        log = classroom["log"].read_text(errors="replace")[-6000:]
        print(f"---- hub log (end) ----\n{log}")
        raise
    finally:
        print("\n".join(steps))


# ---- the set-up, without root: config, roster, rendered files, the plan, the Kubernetes files ----

def _config(**extra):
    from medialit.hub.config import HubConfig

    return HubConfig.from_dict({"instructors": ["ada"], "teaching_assistants": ["tim"], **extra})


def test_config_errors_name_the_setting():
    from medialit.hub.config import HubConfig

    with pytest.raises(ValueError, match="'instructors' is missing"):
        HubConfig.from_dict({})
    with pytest.raises(ValueError, match="unknown setting 'hub_ip'; valid settings: authenticator, bind_url"):
        HubConfig.from_dict({"instructors": ["ada"], "hub_ip": "0.0.0.0"})
    with pytest.raises(ValueError, match="authenticator 'dummy' is not known; valid: native, lti13"):
        HubConfig.from_dict({"instructors": ["ada"], "authenticator": "dummy"})
    with pytest.raises(ValueError, match=r"\[lti13\] needs issuer, client_id"):
        HubConfig.from_dict({"instructors": ["ada"], "authenticator": "lti13"})
    with pytest.raises(ValueError, match="give both ssl_cert and ssl_key"):
        HubConfig.from_dict({"instructors": ["ada"], "ssl_cert": "/x.pem"})
    with pytest.raises(ValueError, match="'Ada' cannot be an account name"):
        HubConfig.from_dict({"instructors": ["Ada"]})
    with pytest.raises(ValueError, match="'ada' is both instructor and teaching assistant"):
        HubConfig.from_dict({"instructors": ["ada"], "teaching_assistants": ["ada"]})


def test_config_file(tmp_path):
    from medialit.hub.config import load_config

    path = tmp_path / "class.toml"
    path.write_text('course_id = "media101"\ninstructors = ["ada"]\n')
    config = load_config(path)
    assert (config.course_account, config.course_dir) == ("grader-media101", "/home/grader-media101/course")
    path.write_text('instructors = ["ada"\n')
    with pytest.raises(ValueError, match="class.toml: not valid TOML"):
        load_config(path)
    with pytest.raises(FileNotFoundError, match="start from medialit/hub/templates/class.toml"):
        load_config(tmp_path / "missing.toml")
    # the shipped template is a valid config
    from importlib import resources

    template = resources.files("medialit.hub").joinpath("templates", "class.toml").read_text()
    (tmp_path / "template.toml").write_text(template)
    assert load_config(tmp_path / "template.toml").instructors == ("instructor",)


def test_roster_errors_name_the_line(tmp_path):
    from medialit.hub.roster import parse_roster, read_roster

    with pytest.raises(ValueError, match="roster line 3: 'Bob Smith' cannot be an account name"):
        parse_roster("id\ns-001\nBob Smith\n")
    with pytest.raises(ValueError, match="with 'id' \\(or 'student_id'\\) among them; found \\['name'\\]"):
        parse_roster("name\nann\n")
    with pytest.raises(ValueError, match="no students"):
        parse_roster("id\n\n")
    assert [s.id for s in parse_roster("\ufeffstudent_id,email\ns-1,a@b.c\n")] == ["s-1"]  # Excel's BOM
    with pytest.raises(FileNotFoundError, match="an 'id' column"):
        read_roster(tmp_path / "none.csv")


def test_rendered_hub_config_is_python_with_the_class_in_it():
    from medialit.hub.render import render_files
    from medialit.hub.roster import Student

    config = _config(course_id="media101", idle_timeout=1800)
    files = render_files(config, [Student("s-001"), Student("s-002")])
    text = files[Path("/srv/medialit-hub/jupyterhub_config.py")].text
    assert files[Path("/srv/medialit-hub/jupyterhub_config.py")].mode == 0o600  # root only
    compile(text, "jupyterhub_config.py", "exec")
    for needle in ('"medialit.hub.auth.ClassAuthenticator"', "set(['s-001', 's-002']) | set(['ada', 'tim'])",
                   "c.Authenticator.admin_users = set(['ada'])", '"access:services!service=media101"',
                   '"user": \'grader-media101\'', "jupyterhub_idle_culler", "--timeout=1800",
                   "JUPYTER_CONFIG_PATH", "c.NativeAuthenticator.open_signup = False"):
        assert needle in text, needle
    assert "Dummy" not in text and "dummy" not in text
    lti = render_files(_config(authenticator="lti13", lti13={"issuer": "https://lms", "client_id": "42",
                                                            "authorize_url": "https://lms/a", "jwks_endpoint": "https://lms/j"}),
                       [Student("s-001")])[Path("/srv/medialit-hub/jupyterhub_config.py")].text
    compile(lti, "jupyterhub_config.py", "exec")
    assert "LTI13Authenticator" in lti and "c.LTI13Authenticator.client_id = ['42']" in lti
    assert "c.Authenticator.allowed_users = set(['s-001']) | set(['ada', 'tim'])" in lti


def test_values_are_written_as_literals_never_as_code():
    from medialit.hub.render import render_files

    evil = _config(state_dir='/srv/x"; import os; os.system("id"); "')
    text = render_files(evil, [])[Path(evil.state_dir) / "jupyterhub_config.py"].text
    tree = compile(text, "c.py", "exec", flags=0x400)  # ast.PyCF_ONLY_AST
    import ast

    assert not any(isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "system" for n in ast.walk(tree))


def test_students_see_the_assignments_tab_only():
    from medialit.hub.render import student_files

    files = student_files(_config(exchange="/srv/ex"), Path("/etc/jupyter"))
    server = json.loads(files[Path("/etc/jupyter/jupyter_server_config.json")].text)["ServerApp"]["jpserver_extensions"]
    assert server["nbgrader.server_extensions.formgrader"] is False
    assert server["nbgrader.server_extensions.course_list"] is False
    assert server["nbgrader.server_extensions.assignment_list"] is True
    lab = json.loads(files[Path("/etc/jupyter/labconfig/page_config.json")].text)["disabledExtensions"]
    assert {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment", "@jupyter/nbgrader:course-list"} <= set(lab)
    assert "@jupyter/nbgrader:assignment-list" not in lab  # the self-study lab hides it; a hub needs it
    assert "c.Exchange.root = '/srv/ex'" in files[Path("/etc/jupyter/nbgrader_config.py")].text
    assert all(f.mode == 0o644 for f in files.values())


def test_the_plan_keeps_people_apart(tmp_path):
    from medialit.hub.provision import DryRun, HubSetupError, provision
    from medialit.hub.roster import Student

    dry = DryRun(existing={"ada"})
    provision(_config(), [Student("s-001")], REPO, runner=dry)
    commands = [" ".join(c) for c in dry.commands]
    assert not any(c.startswith("useradd") and c.endswith(" ada") for c in commands)  # exists: kept
    assert "useradd --create-home --user-group --shell /bin/bash s-001" in commands
    assert "chmod 0700 /home/s-001" in commands and "chmod 0700 /home/grader-medialit" in commands
    assert "mkdir /srv/nbgrader/exchange 0o1777 root" in commands
    assert "mkdir /srv/nbgrader/exchange/medialit/inbound 0o2733 grader-medialit" in commands
    assert "mkdir /srv/nbgrader/exchange/medialit/feedback 0o711 grader-medialit" in commands
    assert "mkdir /home/grader-medialit/course 0o700 grader-medialit" in commands
    assert "write /srv/medialit-hub/jupyterhub_config.py 0o600 root" in commands
    with pytest.raises(HubSetupError, match="'ada' is on the roster and among the staff"):
        provision(_config(), [Student("ada")], None, runner=DryRun())


def test_command_line_dry_run(tmp_path):
    (tmp_path / "class.toml").write_text('instructors = ["ada"]\n')
    (tmp_path / "roster.csv").write_text("id\ns-001\ns-002\n")
    run = subprocess.run([sys.executable, "-m", "medialit", "hub", "init", str(tmp_path / "class.toml"), "--roster",
                          str(tmp_path / "roster.csv"), "--dry-run"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "(dry run: nothing was changed" in run.stdout and "useradd" in run.stdout
    (tmp_path / "roster.csv").write_text("id\nAda Lovelace\n")
    bad = subprocess.run([sys.executable, "-m", "medialit", "hub", "init", str(tmp_path / "class.toml"), "--roster",
                          str(tmp_path / "roster.csv"), "--dry-run"], capture_output=True, text=True)
    assert bad.returncode == 2 and "roster line 2: 'Ada Lovelace' cannot be an account name" in bad.stderr


def test_z2jh_values():
    yaml = pytest.importorskip("yaml")
    values = yaml.safe_load((REPO / "deploy" / "z2jh" / "values.yaml").read_text())
    assert set(values) <= {"custom", "hub", "singleuser", "cull", "prePuller", "scheduling", "proxy", "ingress",
                           "imagePullSecret", "rbac", "debug", "global"}, "a top-level key the chart does not know"
    hub = values["hub"]
    assert hub["config"]["JupyterHub"]["authenticator_class"] == "nativeauthenticator.NativeAuthenticator"
    assert hub["config"]["NativeAuthenticator"]["open_signup"] is False
    assert hub["services"]["medialit"]["url"].startswith("http://medialit-formgrader:")
    assert "access:services!service=medialit" in hub["loadRoles"]["formgrade-medialit"]["scopes"]
    assert "c.KubeSpawner.uid = _uid" in hub["extraConfig"]["medialit-uids"]
    single = values["singleuser"]
    assert single["image"]["name"].endswith("medialit-singleuser")
    assert single["memory"]["limit"] and single["cpu"]["limit"] and single["memory"]["guarantee"]
    mounts = {m["name"]: m["mountPath"] for m in single["storage"]["extraVolumeMounts"]}
    assert mounts["nbgrader-exchange"] == "/srv/nbgrader/exchange"
    assert values["cull"]["enabled"] is True and values["cull"]["timeout"] > 0
    docs = list(yaml.safe_load_all((REPO / "deploy" / "z2jh" / "storage.yaml").read_text()))
    exchange = next(d for d in docs if d["metadata"]["name"] == "medialit-exchange")
    assert exchange["spec"]["accessModes"] == ["ReadWriteMany"]
    claims = {v["persistentVolumeClaim"]["claimName"] for v in single["storage"]["extraVolumes"]}
    assert claims == {"medialit-exchange"}
    formgrader = list(yaml.safe_load_all((REPO / "deploy" / "z2jh" / "formgrader.yaml").read_text()))
    deployment = next(d for d in formgrader if d["kind"] == "Deployment")
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["resources"]["limits"]["memory"]
    dockerfile = (REPO / "deploy" / "z2jh" / "Dockerfile").read_text()
    assert "medialit hub student-config" in dockerfile and "lessons" not in dockerfile.split("COPY", 1)[1].split("RUN")[0]


def test_hub_up_says_what_is_missing(tmp_path):
    from medialit.hub.service import check_ready, hub_command

    config = _config(hub_env=str(tmp_path / "no-env"), state_dir=str(tmp_path / "state"))
    problems = " | ".join(check_ready(config))
    assert "make hub-env HUB_ENV=" in problems and "run `medialit hub init` first" in problems
    assert hub_command(config) == [str(tmp_path / "no-env" / "bin" / "jupyterhub"), "-f",
                                   str(tmp_path / "state" / "jupyterhub_config.py")]

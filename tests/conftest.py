from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


#: The founding text as supplied (vendored: the test never reads outside the repository).
SEED_SHA256 = "e0caffc07670264d9741b1ac455d72b65941a2fd7f20f59bd5c7a89be5a79c44"


@pytest.fixture(scope="session")
def seed_file() -> Path:
    import hashlib

    path = REPO / "tests" / "fixtures" / "seed-000_f16c15d4db3aa90d.txt"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == SEED_SHA256, f"{path} is not the supplied seed any more"
    return path


@pytest.fixture(scope="session")
def python() -> str:
    return sys.executable


#: Test modules that autograde with nbgrader, whose kernels run in the grading sandbox
#: (bubblewrap). Without a working sandbox they are skipped with the reason, unless
#: MEDIALIT_REQUIRE_SANDBOX is set (CI sets it, so a missing sandbox fails there).
NEEDS_SANDBOX = ("test_lessons", "test_integrity", "test_tamper", "test_lifecycle", "test_grade", "test_attacks",
                 "test_nbgrader_guards", "test_sandbox", "test_score_answers")


def pytest_collection_modifyitems(config, items):
    import os

    from medialit.grader.sandbox import check_sandbox

    reason = check_sandbox()
    if reason is None:
        return
    if os.environ.get("MEDIALIT_REQUIRE_SANDBOX"):
        raise pytest.UsageError(f"The grading sandbox does not work here: {reason}")
    skip = pytest.mark.skip(reason=f"needs the grading sandbox: {reason}")
    for item in items:
        module = getattr(item, "module", None)
        if module is not None and module.__name__.startswith(NEEDS_SANDBOX):
            item.add_marker(skip)

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def seed_file() -> Path:
    path = REPO.parent / "shared" / "seeds" / "000_f16c15d4db3aa90d.txt"
    if not path.is_file():
        pytest.skip(f"the project brief's seed file is not beside the repository ({path})")
    return path


@pytest.fixture(scope="session")
def python() -> str:
    return sys.executable

"""The data is found from an editable install and from a wheel installed outside the repository."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import medialit
from medialit._data import data_dir


def test_editable_install_finds_the_repository_data(repo):
    assert data_dir() == repo / "datasets"
    assert Path(medialit.__file__).parent == repo / "toolkit" / "medialit"
    assert (repo / "toolkit" / "medialit" / "py.typed").is_file()


def test_wheel_ships_the_data_and_works_outside_the_repo(repo, tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(dist), str(repo)],
        check=True, capture_output=True, text=True,
    )
    (wheel,) = dist.glob("medialit-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"medialit/py.typed", "medialit/_datasets/catalog.csv", "medialit/_datasets/texts/ukr-beijing.txt",
            "medialit/_datasets/CODEBOOK.md", "medialit/_datasets/lexicons/abbreviations.txt",
            "medialit/schemas/answer.schema.json", "medialit/schemas/references.schema.json",
            "medialit/templates/analysis.html", "medialit/templates/class_report.html", "medialit/templates/medialit.css",
            "medialit/templates/answer.html", "medialit/static/access.js",
            # the real texts travel with their licence notices, licence evidence and gold
            "medialit/_datasets/LICENSE.md", "medialit/_datasets/SOURCES.md",
            "medialit/_datasets/texts/real-a01-kremlin-2021-12-21.txt",
            "medialit/_datasets/annotations/real-a04-whitehouse-2021-12-30.jsonl",
            "medialit/_datasets/annotations/balance_exceptions.json"} <= names
    assert not any(n.startswith(("tests/", "lessons/", "references/")) for n in names)
    withheld = sorted(p.stem for p in (repo / "references" / "gold").glob("*.jsonl"))
    assert withheld and not any(n.endswith(f"/annotations/{i}.jsonl") for i in withheld for n in names)

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    env_python = env_dir / "bin" / "python"
    target = subprocess.run([str(env_python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                            capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", target, str(wheel)],
                   check=True, capture_output=True, text=True)
    # The wheel's own dependencies (nltk, ...) come from the test environment, after the wheel.
    Path(target, "zz_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    code = (
        "import medialit, medialit._data as d; from medialit import corpus; "
        "doc = corpus.document('ukr-beijing'); "
        "print(medialit.__file__); print(d.data_dir()); print(len(doc.sentences)); print(doc.removed); "
        "print(corpus.attribution('real-c02-eu-2022-03-25')); print(corpus.has_gold('ukr-beijing'))"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    out = subprocess.run([str(env_python), "-c", code], cwd=outside, capture_output=True, text=True, env=env, check=True)
    module_file, data, sentences, removed, notice, beijing_gold = out.stdout.splitlines()
    assert beijing_gold == "False"  # graded in lesson 06: its gold stays with the instructor
    assert notice.startswith("© European Union, 2022") and "CC BY 4.0" in notice
    assert module_file.startswith(str(env_dir)) and data.startswith(str(env_dir))
    assert data.endswith("_datasets") and not data.startswith(str(repo))
    assert sentences == "18" and removed == "('Loading...',)"

"""The core install needs neither torch nor Stanza; Stanza is an extra that resolves anywhere.
(The built wheel is installed into a fresh venv and run by `.ci/check_wheel` in CI.)"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib", reason="Python 3.11+ reads pyproject.toml")

ROOT = Path(__file__).resolve().parents[1]


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[\[<>=!~ ;]", r, maxsplit=1)[0].lower() for r in requirements}


def test_core_dependencies_have_no_torch_or_stanza():
    project = _project()
    assert not _names(project["dependencies"]) & {"torch", "stanza"}
    assert not _names(project["optional-dependencies"]["dev"]) & {"torch", "stanza"}
    assert "build" in _names(project["optional-dependencies"]["dev"])


def test_stanza_extra_pins_no_local_torch_build():
    extra = _project()["optional-dependencies"]["stanza"]
    assert "stanza" in _names(extra)
    assert not any("+cpu" in r or r.replace(" ", "").startswith("torch==") for r in extra)


def test_make_run_installs_the_core_only():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "torch==" not in makefile and "stanza]\"" not in makefile
    run_deps = re.search(r"^run: (.*)$", makefile, re.M).group(1)
    assert run_deps.strip() == "$(CORE)"


HIDE_TORCH_AND_STANZA = """
import importlib.abc, sys

class Absent(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("torch", "stanza"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, Absent())
"""


def test_extraction_works_without_torch_or_stanza():
    code = HIDE_TORCH_AND_STANZA + (
        "import mchnlp\n"
        "facts = mchnlp.extract('AKI Provinsi Banten mencapai 127 kasus pada 2022.')\n"
        "print([(f.indicator, f.value) for f in facts])\n"
        "print(sorted(m for m in ('torch', 'stanza') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.splitlines() == ["[('maternal_mortality', 127.0)]", "[]"]


def test_a_pipeline_of_another_patch_release_loads():
    from mchnlp.pipeline import _spacy_compatible

    assert _spacy_compatible(">=3.8.99,<3.9.0") == spacy_minor_is("3.8")
    assert not _spacy_compatible(">=2.0.0,<2.1.0")
    assert not _spacy_compatible("not a range")


def spacy_minor_is(minor: str) -> bool:
    import spacy

    return spacy.util.get_minor_version(spacy.__version__) == minor

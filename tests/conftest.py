from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "corpus" / "raw"


def pytest_addoption(parser):
    parser.addoption("--slow", action="store_true", default=False, help="run slow tests")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def nlp():
    import mchnlp

    return mchnlp.load()


@pytest.fixture(scope="session")
def syntax_nlp():
    """The shipped pipeline with the UD-trained syntax layer added (`syntax="spacy"`)."""
    import mchnlp

    return mchnlp.load(syntax="spacy")


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(RAW.glob("00[0-4]_*.txt"))}


@pytest.fixture
def corpus_main(monkeypatch, nlp):
    """`mchnlp corpus …` as a function of its arguments returning the exit code, with the
    session's pipeline instead of a fresh load."""
    import argparse

    from mchnlp.cli import corpus as corpus_cli

    monkeypatch.setattr(corpus_cli, "_load_nlp", lambda model: nlp)

    def run(argv: list[str]) -> int:
        parser = argparse.ArgumentParser(prog="mchnlp")
        corpus_cli.add_corpus_parser(parser.add_subparsers(dest="command", required=True))
        args = parser.parse_args(["corpus", *argv])
        return args.func(args)

    return run


@pytest.fixture
def nlp_failing_on_boom(nlp):
    """The session's pipeline with a last component that raises on any Doc containing
    "BOOM": a fault injected into one text of a batch."""
    from spacy.language import Language

    name = "test_raise_on_boom"
    if name not in Language.factories:

        @Language.component(name)
        def raise_on_boom(doc):
            if "BOOM" in doc.text:
                raise ValueError("cannot")
            return doc

    nlp.add_pipe(name, last=True)
    try:
        yield nlp
    finally:
        nlp.remove_pipe(name)

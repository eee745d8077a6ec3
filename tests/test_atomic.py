"""One atomic writer for every output: normal permissions (the umask is respected, not
tempfile's 0600/0700), nothing half-written, the old file kept on failure."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from mchnlp.atomic import AtomicFile, atomic_directory, current_umask, write_atomic


@pytest.fixture(params=[0o022, 0o027])
def umask(request):
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_current_umask_reads_without_changing(umask):
    assert current_umask() == umask
    assert current_umask() == umask


def test_write_atomic_gives_files_the_umask_mode(tmp_path, umask):
    target = tmp_path / "sub" / "out.txt"
    write_atomic(target, "halo\n")
    assert target.read_text(encoding="utf-8") == "halo\n"
    assert _mode(target) == 0o666 & ~umask
    write_atomic(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    assert [p.name for p in target.parent.iterdir()] == ["out.txt"]


def test_atomic_file_failure_keeps_the_old_file(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("lama", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with AtomicFile(target) as out:
            out.handle.write("baru, setengah")
            raise RuntimeError("boom")
    assert target.read_text(encoding="utf-8") == "lama"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_atomic_directory_mode_and_replacement(tmp_path, umask):
    target = tmp_path / "model"
    with atomic_directory(target) as tmp:
        (tmp / "a.txt").write_text("1", encoding="utf-8")
    assert _mode(target) == 0o777 & ~umask
    with atomic_directory(target) as tmp:
        (tmp / "b.txt").write_text("2", encoding="utf-8")
    assert sorted(p.name for p in target.iterdir()) == ["b.txt"]
    with pytest.raises(RuntimeError):
        with atomic_directory(target) as tmp:
            (tmp / "c.txt").write_text("3", encoding="utf-8")
            raise RuntimeError("boom")
    assert sorted(p.name for p in target.iterdir()) == ["b.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet", "table"])
def test_fact_writers_respect_the_umask(tmp_path, umask, fmt):
    from mchnlp.io.writers import open_writer

    target = tmp_path / f"facts.{fmt}"
    with open_writer(fmt, str(target)) as writer:
        writer.write("doc1", [])
    assert _mode(target) == 0o666 & ~umask


def test_corpus_and_report_writers_respect_the_umask(tmp_path, umask):
    from mchnlp.corpus.schema import new_record, write_jsonl
    from mchnlp.evaluation.report import write_atomic as report_write

    corpus = tmp_path / "corpus.jsonl"
    write_jsonl(corpus, [new_record("d1", "Teks.")])
    report = tmp_path / "report.html"
    report_write(report, "<html></html>")
    assert _mode(corpus) == _mode(report) == 0o666 & ~umask


def test_saved_pipeline_directory_has_normal_permissions(tmp_path, umask):
    import spacy

    from mchnlp.pipeline import save_pipeline

    target = tmp_path / "pipeline"
    save_pipeline(spacy.blank("id"), target)
    assert _mode(target) == 0o777 & ~umask
    assert _mode(target / "config.cfg") == 0o666 & ~umask
    assert spacy.load(target).lang == "id"

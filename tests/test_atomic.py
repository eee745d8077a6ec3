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


# -- concurrent writers, interrupted writes --------------------------------------------------
def _dead_pid() -> int:
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _save_many(target: str, writer: int, times: int) -> None:
    for n in range(times):
        with atomic_directory(target) as tmp:
            (tmp / "who.txt").write_text(f"{writer}:{n}", encoding="utf-8")


def test_concurrent_saves_never_fail_nor_leave_the_target_missing(tmp_path):
    import multiprocessing

    target = tmp_path / "model"
    _save_many(str(target), 0, 1)
    context = multiprocessing.get_context("fork")
    writers = [context.Process(target=_save_many, args=(str(target), w, 40)) for w in (1, 2)]
    for writer in writers:
        writer.start()
    missing = 0
    while any(w.is_alive() for w in writers):
        missing += not target.exists()
    for writer in writers:
        writer.join()
    assert [w.exitcode for w in writers] == [0, 0]
    assert missing == 0
    assert (target / "who.txt").read_text(encoding="utf-8").split(":")[1] == "39"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]


def test_the_swap_without_an_atomic_exchange_still_replaces(tmp_path, monkeypatch):
    import mchnlp.atomic

    monkeypatch.setattr(mchnlp.atomic, "_exchange", lambda a, b: False)
    target = tmp_path / "model"
    for text in ("1", "2"):
        with atomic_directory(target) as tmp:
            (tmp / "a.txt").write_text(text, encoding="utf-8")
    assert (target / "a.txt").read_text(encoding="utf-8") == "2"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]


def test_leftovers_of_killed_writes_are_cleaned_and_the_output_kept(tmp_path):
    dead = _dead_pid()
    out = tmp_path / "out.jsonl"
    out.write_text("lama\n", encoding="utf-8")
    (tmp_path / f".out.jsonl.tmp-{dead}-abc").write_text("setengah", encoding="utf-8")
    (tmp_path / ".out.jsonl.tmp-1-live").write_text("pid 1 is alive", encoding="utf-8")
    (tmp_path / f".model.tmp-{dead}-xyz").mkdir()
    (tmp_path / f".model.tmp-{dead}-xyz" / "half.bin").write_bytes(b"\0")
    (tmp_path / ".model.notours").mkdir()
    assert out.read_text(encoding="utf-8") == "lama\n"
    write_atomic(out, "baru\n")
    with atomic_directory(tmp_path / "model") as tmp:
        (tmp / "a.txt").write_text("1", encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".model.notours", ".out.jsonl.tmp-1-live", "model", "out.jsonl"]
    assert out.read_text(encoding="utf-8") == "baru\n"


def test_a_save_killed_between_its_renames_gets_the_previous_output_back(tmp_path):
    from mchnlp.atomic import clean_leftovers

    backup = tmp_path / f".model.tmp-{_dead_pid()}-abc.old"
    backup.mkdir()
    (backup / "weights.json").write_text("{}", encoding="utf-8")
    clean_leftovers(tmp_path / "model")
    assert (tmp_path / "model" / "weights.json").read_text(encoding="utf-8") == "{}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]


_SAVE_SCRIPT = """
import hashlib, json, sys
from pathlib import Path
import spacy
from mchnlp.knowledge.patterns import indicator_patterns
from mchnlp.pipeline import save_pipeline
nlp = spacy.blank("id")
nlp.add_pipe("sentencizer")
nlp.meta["extra"] = {k: 1 for k in {"b", "a", "c", "d", "e"}}
save_pipeline(nlp, Path(sys.argv[1]))
files = [Path(sys.argv[1]) / name for name in ("sentencizer.json", "meta.json")]
print(hashlib.sha256(json.dumps(indicator_patterns()).encode()).hexdigest(),
      *(hashlib.sha256(f.read_bytes()).hexdigest() for f in files))
"""


def test_saved_files_do_not_depend_on_the_hash_seed(tmp_path):
    import subprocess
    import sys

    digests = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-c", _SAVE_SCRIPT, str(tmp_path / seed)],
                             env=env, capture_output=True, text=True, check=True)
        digests.append(run.stdout.split())
    assert digests[0] == digests[1] and len(digests[0]) == 3

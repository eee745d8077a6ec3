import json
import subprocess
import sys

import pytest

from mchnlp.cli.app import main

SENTENCE = "Pada tahun 2022 kematian ibu di Kabupaten Kupang sebanyak 14 kasus.\n"


def test_extract_jsonl_file(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text(SENTENCE, encoding="utf-8")
    assert main(["extract", str(f), "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["indicator"], r["value"], r["year"], r["doc"]) for r in rows] == [
        ("maternal_mortality", 14.0, 2022, str(f))
    ]


def test_extract_folder_csv_and_output_file(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(SENTENCE, encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text(SENTENCE.replace("14", "15"), encoding="utf-8")
    out = tmp_path / "out" / "facts.csv"
    assert main(["extract", str(tmp_path / "in"), "--format", "csv", "-o", str(out)]) == 0
    lines = out.read_text().splitlines()
    assert lines[0].startswith("doc,published,indicator,value")
    assert len(lines) == 3


def test_bad_paths_reported_others_processed(tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text(SENTENCE, encoding="utf-8")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    latin = tmp_path / "latin.txt"
    latin.write_bytes((SENTENCE + "Caf\xe9 ramai.\n").encode("cp1252"))
    empty_dir = tmp_path / "empty"
    empty_dir.mkdir()
    code = main(["extract", str(tmp_path / "missing.txt"), str(good), str(binary), str(latin),
                 str(empty_dir), "--format", "jsonl"])
    captured = capsys.readouterr()
    assert code == 1
    assert "missing.txt: no such file" in captured.err
    assert "bin.txt: looks like a binary file" in captured.err
    assert "latin.txt: not valid UTF-8, decoded as cp1252" in captured.err
    assert "empty: folder holds no text files" in captured.err
    docs = [json.loads(line)["doc"] for line in captured.out.splitlines()]
    assert str(good) in docs and str(latin) in docs


def test_stdin_and_table():
    out = subprocess.run([sys.executable, "-m", "mchnlp.cli", "extract", "-"], input=SENTENCE,
                         capture_output=True, text=True, check=True)
    assert "maternal_mortality" in out.stdout and "1 facts" in out.stdout


def test_version_and_help(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert "mchnlp" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["extract", "--help"])
    assert "--published" in capsys.readouterr().out


def test_bad_published_is_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["extract", "-", "--published", "kemarin"])
    assert exc.value.code == 2
    assert "published" in capsys.readouterr().err


def test_missing_model(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text(SENTENCE)
    assert main(["extract", str(f), "--model", str(tmp_path / "nomodel")]) == 2
    assert "does not exist" in capsys.readouterr().err

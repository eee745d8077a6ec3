"""Finding, loading and (re)building the shipped pipeline."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

from . import factories  # noqa: F401  (registers the factories when imported directly)
from . import tokenizer  # noqa: F401
from .extensions import register_extensions

PIPELINE_NAME = "mchnlp_id"
ENV_VAR = "MCHNLP_MODEL"
_PACKAGE_DIR = Path(__file__).resolve().parent


class ModelNotFoundError(FileNotFoundError):
    """The pipeline directory could not be found or is incomplete."""


def find_pipeline(name: str = PIPELINE_NAME) -> Path:
    """Locate a pipeline directory.

    Lookup order: the `MCHNLP_MODEL` environment variable, the copy installed inside the
    package (`mchnlp/_models/<name>`, put there by the wheel build), then a source checkout's
    `models/<name>` (editable installs).
    """
    candidates = []
    if os.environ.get(ENV_VAR):
        candidates.append(Path(os.environ[ENV_VAR]))
    candidates.append(_PACKAGE_DIR / "_models" / name)
    candidates.append(_PACKAGE_DIR.parent / "models" / name)
    for path in candidates:
        if (path / "config.cfg").exists():
            return path
    searched = ", ".join(str(p) for p in candidates)
    raise ModelNotFoundError(
        f"mchnlp pipeline {name!r} not found (looked in: {searched}). Reinstall mchnlp, or "
        f"set {ENV_VAR} to a pipeline directory."
    )


def validate_pipeline_dir(path: Path) -> None:
    """Raise ModelNotFoundError with the missing piece when `path` is not a usable pipeline."""
    if not path.is_dir():
        raise ModelNotFoundError(f"model directory does not exist: {path}")
    for required in ("config.cfg", "meta.json"):
        if not (path / required).exists():
            raise ModelNotFoundError(f"model directory {path} is incomplete: {required} missing")
    try:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as err:
        raise ModelNotFoundError(f"{path / 'meta.json'} is corrupted: {err}") from err
    wanted = meta.get("spacy_version")
    if wanted and not spacy.util.is_compatible_version(spacy.__version__, wanted):
        raise ModelNotFoundError(
            f"model {path} was built for spaCy {wanted}, but spaCy {spacy.__version__} is "
            "installed; retrain it or install a matching spaCy")


def load(path: str | os.PathLike | None = None, **kwargs) -> Language:
    """Load the mchnlp pipeline (the shipped one unless `path` is given). Never downloads."""
    register_extensions()
    target = Path(path) if path is not None else find_pipeline()
    validate_pipeline_dir(target)
    try:
        return spacy.load(target, **kwargs)
    except (OSError, ValueError, KeyError) as err:
        raise ModelNotFoundError(f"could not load the pipeline at {target}: {err}") from err


@lru_cache(maxsize=4)
def load_cached(path: str | None = None) -> Language:
    return load(path)


def build_rule_pipeline() -> Language:
    """Assemble the rule-based pipeline from the packaged data files (no training)."""
    from .resources import value_rules
    from .rules import indicator_patterns, place_date_patterns

    register_extensions()
    nlp = spacy.blank("id", config={"nlp": {"tokenizer": {"@tokenizers": "mchnlp.Tokenizer.v1"}}})
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("mch_paragraph_breaks")
    nlp.add_pipe("entity_ruler", name="indicator_ruler",
                 config={"phrase_matcher_attr": "LOWER", "validate": True})
    nlp.add_pipe("entity_ruler", name="place_date_ruler", config={"validate": True})
    nlp.add_pipe("mch_values")
    nlp.add_pipe("mch_rule_linker")
    nlp.initialize()
    nlp.get_pipe("indicator_ruler").add_patterns(indicator_patterns())
    nlp.get_pipe("place_date_ruler").add_patterns(place_date_patterns())
    nlp.get_pipe("mch_values").initialize(lexicon=value_rules())
    nlp.meta["name"] = PIPELINE_NAME.replace("mchnlp_", "")
    nlp.meta["description"] = "mchnlp: maternal & child health facts from Indonesian text"
    nlp.meta["requirements"] = ["mchnlp"]
    return nlp


def save_pipeline(nlp: Language, output: Path) -> None:
    """Write a pipeline directory atomically: to a temporary sibling, then renamed."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=output.parent))
    try:
        nlp.to_disk(tmp)
        if output.exists():
            backup = output.with_name(f".{output.name}.old")
            if backup.exists():
                shutil.rmtree(backup)
            output.rename(backup)
            tmp.rename(output)
            shutil.rmtree(backup)
        else:
            tmp.rename(output)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise

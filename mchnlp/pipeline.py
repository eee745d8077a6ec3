"""Finding, loading and (re)building the shipped pipeline."""

from __future__ import annotations

import json
import os
import shutil
from functools import lru_cache
from pathlib import Path

import spacy
import srsly
from spacy.language import Language

from .atomic import atomic_directory
from .components import (
    factories,  # noqa: F401  (registers the factories when imported directly)
    tokenizer,  # noqa: F401
)
from .components.local_aliases import apply_aliases
from .components.rulers import INDICATOR_RULER, PLACE_DATE_RULER
from .facts.extensions import register_extensions
from .knowledge.local_aliases import LocalAliases, as_aliases

PIPELINE_NAME = "mchnlp_id"
# the UD-trained syntax layer (training/syntax); sentence boundaries stay with the rule
# sentencizer and line breaks, which the parser respects
SYNTAX_PIPES = ("tok2vec", "morphologizer", "trainable_lemmatizer", "parser")
# the layer ships as its own directory: the facts do not need it (the shipped linker reads no
# dependency path), so the default pipeline runs without it, three times faster
SYNTAX_PIPELINE_NAME = "mchnlp_id_syntax"
SYNTAX_CHOICES = ("auto", "spacy", "none", "stanza")
# load() builds these spaCy components of a pipeline directory with same-config subclasses
# that use less memory: entity_ruler keeps each phrase pattern as a Doc (~100 MB for the
# shipped rulers), tok2vec holds ~15 KB of activations per token of a document at once
LEAN_FACTORIES = {"entity_ruler": "mch_entity_ruler", "tok2vec": "mch_tok2vec"}
# a thinc model holds all the activations of a batch at once, ~15 KB per token for the
# tok2vec (embeddings and four window layers): 64 articles took 280 MB. Eight news articles
# are ~2,500 tokens (~35 MB), at the same speed per word.
MODEL_BATCH_DOCS = 8
ENV_VAR = "MCHNLP_MODEL"
_PACKAGE_DIR = Path(__file__).resolve().parent


class ModelNotFoundError(FileNotFoundError):
    """The pipeline directory could not be found or is incomplete."""


def find_pipeline(name: str = PIPELINE_NAME) -> Path:
    """Locate a pipeline directory.

    Lookup order: the `MCHNLP_MODEL` environment variable (for the main pipeline), the copy
    installed inside the package (`mchnlp/_models/<name>`, put there by the wheel build), then
    a source checkout's `models/<name>` (editable installs).
    """
    candidates = []
    if name == PIPELINE_NAME and os.environ.get(ENV_VAR):
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
    if not isinstance(meta, dict):
        raise ModelNotFoundError(f"{path / 'meta.json'} is corrupted: a JSON object expected, "
                                 f"found {type(meta).__name__}")
    wanted = meta.get("spacy_version")
    if wanted is not None and not isinstance(wanted, str):
        raise ModelNotFoundError(f"{path / 'meta.json'} is corrupted: spacy_version must be a "
                                 f"string, found {wanted!r}")
    if wanted and not _spacy_compatible(wanted):
        raise ModelNotFoundError(
            f"model {path} was built for spaCy {wanted}, but spaCy {spacy.__version__} is "
            "installed; retrain it or install a matching spaCy")


def _spacy_compatible(wanted: str) -> bool:
    """Whether the installed spaCy loads a pipeline saved for `wanted` (a range such as
    ">=3.8.18,<3.9.0", which `nlp.to_disk` writes from the spaCy that saved it). spaCy keeps
    pipelines compatible within a minor version, so the patch level of the saving spaCy is
    not required."""
    if spacy.util.is_compatible_version(spacy.__version__, wanted):
        return True
    lower = spacy.util.get_model_lower_version(wanted)
    installed = spacy.util.get_minor_version(spacy.__version__)
    return lower is not None and spacy.util.get_minor_version(lower) == installed


def load(path: str | os.PathLike | None = None, *, syntax: str = "auto",
         stanza_dir: str | os.PathLike | None = None,
         aliases: str | os.PathLike | dict | LocalAliases | None = None,
         **kwargs) -> Language:
    """Load the mchnlp pipeline (the shipped one unless `path` is given). Never downloads.

    Args:
        path: a pipeline directory; default: `$MCHNLP_MODEL` or the shipped `models/mchnlp_id`.
        syntax: "auto" (the syntax layer the pipeline directory holds, if any: the shipped
            pipeline holds none), "spacy" (the UD-trained spaCy layer: the pipeline's own, else
            the shipped `models/mchnlp_id_syntax`), "none" (no POS, lemmas or dependencies;
            fastest) or "stanza" (Stanza's tokenize, mwt, pos,
            lemma and depparse from `stanza_dir`, aligned to the pipeline's tokens; needs the
            `mchnlp[stanza]` extra).
        stanza_dir: directory with Stanza's Indonesian models (for `syntax="stanza"`).
        aliases: extra place and indicator aliases: a JSON file (format in the README and
            `mchnlp.knowledge.local_aliases`), its parsed dict, or `LocalAliases`. They are
            added to the entity rulers and the gazetteer (process-wide), and saved with the
            pipeline (`save_pipeline`, `nlp.to_disk`).
        **kwargs: passed to `spacy.load` (e.g. `exclude`).
    Raises:
        ModelNotFoundError: no usable pipeline there. AliasFileError (a ValueError): an alias
        file or entry that cannot be used, named in the message.
    """
    if syntax not in SYNTAX_CHOICES:
        raise ValueError(f"syntax must be one of {', '.join(SYNTAX_CHOICES)}, not {syntax!r}")
    if syntax == "stanza" and stanza_dir is None:
        raise ValueError('syntax="stanza" needs stanza_dir: the directory with the Stanza models')
    register_extensions()
    target = Path(path) if path is not None else find_pipeline()
    validate_pipeline_dir(target)
    if syntax in ("none", "stanza"):
        kwargs["exclude"] = [*kwargs.get("exclude", ()), *SYNTAX_PIPES]
    kwargs["config"] = _lean_factory_overrides(target, kwargs.get("config", {}))
    try:
        nlp = spacy.load(target, **kwargs)
    except (OSError, ValueError, KeyError) as err:
        raise ModelNotFoundError(f"could not load the pipeline at {target}: {err}") from err
    if syntax == "spacy" and not all(name in nlp.pipe_names for name in SYNTAX_PIPES):
        add_syntax_layer(nlp, load_syntax_layer())
    if syntax == "stanza":
        from .components.stanza_syntax import add_stanza_syntax

        add_stanza_syntax(nlp, stanza_dir)
    if aliases is not None:
        apply_aliases(nlp, as_aliases(aliases))
    return nlp


def component_batch_sizes(nlp: Language, batch_size: int) -> dict[str, dict]:
    """`component_cfg` for `nlp.pipe`: components with a thinc model (`TrainablePipe`: the
    tok2vec, the syntax layer, a statistical NER) take at most `MODEL_BATCH_DOCS` Docs at a
    time; the others take `batch_size`."""
    from spacy.pipeline import TrainablePipe

    size = min(batch_size, MODEL_BATCH_DOCS)
    return {name: {"batch_size": size} for name, component in nlp.pipeline
            if isinstance(component, TrainablePipe)}


def _lean_factory_overrides(target: Path, config: dict) -> dict:
    """`config` plus the factory overrides that build the pipeline directory's spaCy
    components named in `LEAN_FACTORIES` with their leaner subclasses (same settings,
    weights and output)."""
    try:
        components = spacy.util.load_config(target / "config.cfg", interpolate=False).get(
            "components", {})
    except (OSError, ValueError) as err:
        raise ModelNotFoundError(f"could not read {target / 'config.cfg'}: {err}") from err
    overrides = {name: {"factory": LEAN_FACTORIES[section["factory"]]}
                 for name, section in components.items()
                 if isinstance(section, dict) and section.get("factory") in LEAN_FACTORIES}
    if not overrides:
        return dict(config)
    merged = dict(config)
    components = {name: dict(section) for name, section in config.get("components", {}).items()}
    for name, override in overrides.items():
        components[name] = {**override, **components.get(name, {})}
    merged["components"] = components
    return merged


@lru_cache(maxsize=4)
def load_cached(path: str | None = None) -> Language:
    return load(path)


def blank_pipeline() -> Language:
    """An empty Indonesian pipeline with mchnlp's tokenizer."""
    return spacy.blank("id", config={"nlp": {"tokenizer": {"@tokenizers": "mchnlp.Tokenizer.v1"}}})


def build_rule_pipeline(syntax: Language | None = None) -> Language:
    """Assemble the rule-based pipeline from the packaged data files (no training).

    Args:
        syntax: a trained pipeline whose `SYNTAX_PIPES` (tok2vec, morphologizer, lemmatizer,
            parser) are copied in front of the rules; None for a pipeline without syntax.
    """
    from .knowledge.patterns import indicator_patterns, place_date_patterns
    from .knowledge.resources import value_rules

    register_extensions()
    nlp = blank_pipeline()
    # the rulers need only tokens and come first: an EntityRuler runs the components before it
    # over each of its ~18,000 phrase patterns when it is loaded
    nlp.add_pipe("entity_ruler", name=INDICATOR_RULER,
                 config={"phrase_matcher_attr": "LOWER", "validate": True})
    nlp.add_pipe("entity_ruler", name=PLACE_DATE_RULER, config={"validate": True})
    nlp.add_pipe("mch_area_typos")
    nlp.add_pipe("mch_indicator_typos")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("mch_paragraph_breaks")
    if syntax is not None:
        add_syntax_layer(nlp, syntax)
    nlp.add_pipe("mch_values")
    nlp.add_pipe("mch_rule_linker")
    # initializing would reset the trained syntax weights, and the rulers would parse every
    # pattern phrase
    with nlp.select_pipes(disable=[name for name in SYNTAX_PIPES if name in nlp.pipe_names]):
        nlp.initialize()
        nlp.get_pipe(INDICATOR_RULER).add_patterns(indicator_patterns())
        nlp.get_pipe(PLACE_DATE_RULER).add_patterns(place_date_patterns())
    nlp.get_pipe("mch_values").initialize(lexicon=value_rules())
    nlp.meta["name"] = PIPELINE_NAME.replace("mchnlp_", "")
    nlp.meta["description"] = "mchnlp: maternal & child health facts from Indonesian text"
    nlp.meta["requirements"] = ["mchnlp"]
    return nlp


def load_syntax_layer() -> Language:
    """The shipped UD-trained syntax layer (`models/mchnlp_id_syntax`) as a pipeline."""
    target = find_pipeline(SYNTAX_PIPELINE_NAME)
    validate_pipeline_dir(target)
    try:
        return spacy.load(target, config=_lean_factory_overrides(target, {}))
    except (OSError, ValueError, KeyError) as err:
        raise ModelNotFoundError(f"could not load the syntax layer at {target}: {err}") from err


def add_syntax_layer(nlp: Language, syntax: Language) -> None:
    """Copy the `SYNTAX_PIPES` of `syntax` into `nlp`: tagger and lemmatizer before the
    sentencizer, the parser after the paragraph breaks (it respects the sentence starts)."""
    missing = [name for name in SYNTAX_PIPES if name not in syntax.pipe_names]
    if missing:
        raise ValueError(f"the syntax pipeline lacks {', '.join(missing)}")
    first = "sentencizer" if "sentencizer" in nlp.pipe_names else None
    for name in SYNTAX_PIPES[:-1]:
        nlp.add_pipe(name, source=syntax, before=first)
    after = "mch_paragraph_breaks" if "mch_paragraph_breaks" in nlp.pipe_names else None
    nlp.add_pipe(SYNTAX_PIPES[-1], source=syntax, after=after)


def save_pipeline(nlp: Language, output: Path) -> None:
    """Write a pipeline directory atomically: to a temporary sibling, then renamed."""
    # spaCy would record the saving patch release as the minimum ">=3.8.18,<3.9.0"; its
    # pipelines load across a minor version, so the range says so (no W095 on 3.8.16)
    minor = spacy.util.get_minor_version(spacy.__version__)
    nlp.meta["spacy_version"] = spacy.util.get_minor_version_range(f"{minor}.0")
    with atomic_directory(output) as tmp:
        nlp.to_disk(tmp)
        _sort_unordered_files(nlp, tmp)


def _sort_unordered_files(nlp: Language, directory: Path) -> None:
    """Rewrite the files spaCy writes from sets or unordered dicts in a sorted order, so that
    the same pipeline saves to the same bytes whatever the hash seed: a sentencizer's
    punctuation (a set) and meta.json (its keys)."""
    from spacy.pipeline import Sentencizer

    for name, component in nlp.pipeline:
        path = directory / f"{name}.json"
        if isinstance(component, Sentencizer) and path.is_file():
            cfg = srsly.read_json(path)
            cfg["punct_chars"] = sorted(cfg.get("punct_chars") or [])
            srsly.write_json(path, cfg)
    meta = directory / "meta.json"
    if meta.is_file():
        meta.write_text(json.dumps(srsly.read_json(meta), indent=2, sort_keys=True,
                                   ensure_ascii=False) + "\n", encoding="utf-8")


def install_pipeline(source: Path, target: Path) -> Path:
    """Copy the pipeline directory `source` onto `target` atomically (the shipped model is
    never half-replaced); returns `target`."""
    with atomic_directory(target) as tmp:
        shutil.copytree(source, tmp, dirs_exist_ok=True)
    return Path(target)

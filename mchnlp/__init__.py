"""mchnlp: maternal & child health statistics from Indonesian text, as structured facts.

    import mchnlp
    nlp = mchnlp.load()
    facts = mchnlp.extract("Hingga tahun 2022 AKI Provinsi Banten mencapai 127 kasus ...")
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from . import _moved
from .api import extract, extract_many
from .facts.extensions import register_extensions
from .facts.fact import Fact
from .io.frames import to_dataframe
from .io.render import render
from .pipeline import ModelNotFoundError, find_pipeline, load

try:
    __version__ = version("mchnlp")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

register_extensions()
_moved.install()

__all__ = ["Fact", "ModelNotFoundError", "__version__", "extract", "extract_many",
           "find_pipeline", "load", "render", "to_dataframe"]

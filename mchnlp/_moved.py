"""Import paths of public modules that moved in 0.2, kept working with a DeprecationWarning.

`import mchnlp.dask` still gives `mchnlp.io.dask` (the same module object), so code and
notebooks written against 0.1 run unchanged while they migrate.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import warnings

MOVED = {
    "mchnlp.aggregate": "mchnlp.facts.aggregate",
    "mchnlp.dask": "mchnlp.io.dask",
    "mchnlp.frames": "mchnlp.io.frames",
}


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path=None, target=None):
        if fullname not in MOVED:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        new = MOVED[spec.name]
        warnings.warn(f"{spec.name} moved to {new}", DeprecationWarning, stacklevel=3)
        return importlib.import_module(new)

    def exec_module(self, module) -> None:
        pass  # the target module is already executed


def install() -> None:
    if not any(isinstance(finder, _Alias) for finder in sys.meta_path):
        sys.meta_path.append(_Alias())

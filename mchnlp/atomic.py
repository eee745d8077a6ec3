"""Atomic outputs with normal permissions: every file and pipeline directory mchnlp writes.

A file is written to a temporary sibling and renamed onto its target when complete; a
directory is filled as a temporary sibling and swapped in. `tempfile` creates those with
0600/0700; they are given the permissions `open()` and `mkdir` would give (0666/0777 less
the umask) before they appear under their real name. This module imports nothing from
mchnlp, so that every layer can use it.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


def current_umask() -> int:
    """The process's umask, read without changing it where the platform allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # elsewhere the only way to read it is to set it
    os.umask(mask)
    return mask


def file_mode() -> int:
    """The mode a new file gets from `open()`: 0666 less the umask."""
    return 0o666 & ~current_umask()


def dir_mode() -> int:
    """The mode a new directory gets from `mkdir`: 0777 less the umask."""
    return 0o777 & ~current_umask()


class AtomicFile:
    """A file opened for writing under a temporary name, renamed onto `path` on `commit()`.

    `path` None or "-" writes to stdout instead. Use as a context manager (commits when the
    block completes, discards the temporary file on an exception) or call `commit()` /
    `abort()` yourself.
    """

    def __init__(self, path: str | os.PathLike | None, *, binary: bool = False,
                 newline: str | None = "", fsync: bool = False):
        self.path = None if path is None or str(path) == "-" else Path(path)
        self.tmp: Path | None = None
        self.fsync = fsync
        if self.path is None:
            self.handle: IO = sys.stdout.buffer if binary else sys.stdout
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp",
                                   dir=self.path.parent)
        self.tmp = Path(tmp)
        try:
            os.chmod(fd, file_mode())
        except (OSError, NotImplementedError):  # a file system without modes keeps its own
            pass
        self.handle = (os.fdopen(fd, "wb") if binary
                       else os.fdopen(fd, "w", encoding="utf-8", newline=newline))

    def commit(self) -> None:
        """Close the temporary file and rename it onto the target (flush stdout)."""
        if self.tmp is None:
            self.handle.flush()
            return
        try:
            self.handle.flush()
            if self.fsync:
                os.fsync(self.handle.fileno())
            self.handle.close()
            os.replace(self.tmp, self.path)  # type: ignore[arg-type]
        except BaseException:
            self.abort()
            raise
        self.tmp = None

    def abort(self) -> None:
        """Close and delete the temporary file; the target is left as it was."""
        if self.tmp is not None:
            self.handle.close()
            self.tmp.unlink(missing_ok=True)
            self.tmp = None

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()


def write_atomic(path: str | os.PathLike, data: str | bytes, *, newline: str | None = "",
                 fsync: bool = False) -> None:
    """Write `data` (text as UTF-8, or bytes) to `path` through a temporary sibling and a
    rename; `newline` as in `open()` for text."""
    with AtomicFile(path, binary=isinstance(data, bytes), newline=newline,
                    fsync=fsync) as out:
        out.handle.write(data)


@contextmanager
def atomic_directory(path: str | os.PathLike) -> Iterator[Path]:
    """Yield an empty temporary sibling of `path` to fill; when the block completes it
    replaces `path` (an existing directory is moved aside, then deleted). On an exception
    the temporary directory is deleted and `path` is left as it was."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        os.chmod(tmp, dir_mode())
        yield tmp
        if target.exists():
            backup = target.with_name(f".{target.name}.old")
            if backup.exists():
                shutil.rmtree(backup)
            target.rename(backup)
            try:
                tmp.rename(target)
            except BaseException:
                backup.rename(target)
                raise
            shutil.rmtree(backup)
        else:
            tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise

"""Atomic outputs with normal permissions: every file and pipeline directory mchnlp writes.

A file is written to a temporary sibling and renamed onto its target when complete; a
directory is filled as a temporary sibling and swapped in (one atomic exchange where the
system has it, so the target never goes missing). `tempfile` creates those with 0600/0700;
they are given the permissions `open()` and `mkdir` would give (0666/0777 less the umask)
before they appear under their real name. This module imports nothing from mchnlp, so that
every layer can use it.

Temporary names are unique per write and carry the writer's process id
(`.<name>.tmp-<pid>-<random>`), so that concurrent writers never share one, and a write
interrupted by a kill leaves something the next write to the same target recognizes: the
leftovers of dead processes are removed then. The target itself is never touched by that
clean-up; if a kill fell between the two renames of the fallback swap, the previous output
(the `.old` leftover) is put back first.
"""

from __future__ import annotations

import ctypes
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


def _temp_prefix(target: Path) -> str:
    return f".{target.name}.tmp-{os.getpid()}-"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):  # someone else's process: alive
        return True
    return True


def _leftover_pid(target: Path, sibling: Path) -> int | None:
    """The process id in the name of a temporary sibling of `target`, or None when
    `sibling` is not one."""
    prefix = f".{target.name}.tmp-"
    if not sibling.name.startswith(prefix):
        return None
    pid = sibling.name[len(prefix):].split("-", 1)[0]
    return int(pid) if pid.isdigit() else None


def clean_leftovers(target: str | os.PathLike) -> list[Path]:
    """Remove the temporary siblings of `target` left by writers that were killed (their
    process is gone); return what was removed. If `target` is missing and a dead writer's
    backup (`….old`) holds the previous output, it is put back instead of removed."""
    target = Path(target)
    removed: list[Path] = []
    try:
        siblings = sorted(target.parent.iterdir())
    except OSError:
        return removed
    for sibling in siblings:
        pid = _leftover_pid(target, sibling)
        if pid is None or pid == os.getpid() or _pid_alive(pid):
            continue
        if sibling.name.endswith(".old") and not target.exists() and sibling.is_dir():
            try:
                sibling.rename(target)
                continue
            except OSError:
                pass
        if sibling.is_dir() and not sibling.is_symlink():
            shutil.rmtree(sibling, ignore_errors=True)
        else:
            sibling.unlink(missing_ok=True)
        removed.append(sibling)
    return removed


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where the system
    or the file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b),
                     _RENAME_EXCHANGE) == 0


def _swap_in(tmp: Path, target: Path) -> None:
    """Put the directory `tmp` at `target`, the old `target` (if any) deleted: one atomic
    exchange where possible, else two renames through a backup named after `tmp` (unique)."""
    if not target.exists():
        try:
            tmp.rename(target)
            return
        except OSError:
            if not target.exists():
                raise  # otherwise another writer created it meanwhile: replace theirs
    if _exchange(tmp, target):
        shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the old output
        return
    backup = tmp.with_name(tmp.name + ".old")
    target.rename(backup)
    try:
        tmp.rename(target)
    except BaseException:
        backup.rename(target)
        raise
    shutil.rmtree(backup, ignore_errors=True)


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
        clean_leftovers(self.path)
        fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(self.path), dir=self.path.parent)
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
    replaces `path` (`_swap_in`: `path` never missing where the system can exchange two
    paths). On an exception the temporary directory is deleted and `path` is left as it
    was. Leftovers of killed earlier writes to `path` are removed first."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(target)
    tmp = Path(tempfile.mkdtemp(prefix=_temp_prefix(target), dir=target.parent))
    try:
        os.chmod(tmp, dir_mode())
        yield tmp
        _swap_in(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise

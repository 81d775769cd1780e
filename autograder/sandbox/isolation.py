"""Confinement of a freshly forked child before it touches student code.

Runs in the child, as root when the grader is root. Every step that needs privileges comes
before the drop to the sandbox uid; afterwards the process cannot undo any of them.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
from dataclasses import dataclass, field
from pathlib import Path

_CLONE_NEWNS = 0x00020000
_CLONE_NEWNET = 0x40000000
_MS_RDONLY = 1
_MS_REMOUNT = 32
_MS_BIND = 4096
_MS_REC = 16384
_MS_PRIVATE = 1 << 18
_PR_SET_NO_NEW_PRIVS = 38


@dataclass
class Limits:
    """Resource limits of one child process (and whatever it starts)."""

    # Address space: numpy and scipy take about 230 MB of it, matplotlib 80 MB more; the
    # rest is far more than any of the assignments needs. Kept well under Gradescope's
    # 2 GB, so that a memory bomb hits this limit before the container's.
    memory_bytes: int = 1024 * 1024 * 1024
    cpu_seconds: int = 120  # a backstop: wall-clock deadlines are enforced by the parent
    file_bytes: int = 16 * 1024 * 1024
    processes: int = 32  # threads count too; per sandbox uid
    open_files: int = 64
    workdir_bytes: int = 64 * 1024 * 1024


@dataclass
class Confinement:
    """What the child should do to itself; built by the parent, applied by :func:`confine`."""

    workdir: str
    uid: int | None = None  # None: not root, no privilege drop possible
    cloak: list[str] = field(default_factory=list)  # directories hidden behind an empty tmpfs
    limits: Limits = field(default_factory=Limits)
    # Data directories of preloaded packages (matplotlib's fonts) that the child must still be
    # able to read after the cloaking and the drop: bound back read-only at the same path.
    readable: list[str] = field(default_factory=list)


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _mount_tmpfs(libc, target: str, options: str) -> bool:
    return libc.mount(b"tmpfs", target.encode(), b"tmpfs", 0, options.encode()) == 0


def confine(spec: Confinement) -> list[str]:
    """Confine the calling process; returns notes on protections the platform refused."""
    notes: list[str] = []
    os.setsid()  # own process group, so the parent can kill the child with all it started
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE, signal.SIGCHLD):
        signal.signal(sig, signal.SIG_DFL)

    libc = _libc()
    if spec.uid is not None:
        if libc.unshare(_CLONE_NEWNS | _CLONE_NEWNET) == 0:
            _private_mounts(libc, spec, notes)
        else:
            notes.append("no network or mount namespace (unshare refused)")
            os.chown(spec.workdir, spec.uid, spec.uid)
    os.chdir(spec.workdir)

    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    env = _environment(spec.workdir)
    os.environ.clear()
    os.environ.update(env)
    return notes


#: Directories every user may write to: each gets a private, empty tmpfs in the child's mount
#: namespace, so nothing a child writes outlives it or reaches another process.
SHARED_WRITABLE = ("/tmp", "/var/tmp", "/dev/shm", "/run/lock")


def _private_mounts(libc, spec: Confinement, notes: list[str]) -> None:
    """In a fresh mount namespace: empty the shared writable directories, hide the cloaked
    ones, bring back the readable ones, and give the child a size-limited working directory of
    its own."""
    libc.mount(b"none", b"/", None, _MS_REC | _MS_PRIVATE, None)
    # Opened in this namespace (a bind mount's source must be), before anything is hidden.
    sources = _open_paths(spec.readable)
    for path in SHARED_WRITABLE:
        if os.path.isdir(path) and not _mount_tmpfs(libc, path, "size=1m,mode=1777"):
            notes.append(f"could not make {path} private")
    for path in spec.cloak:
        if os.path.isdir(path) and not _is_ancestor(path, spec.workdir):
            if not _mount_tmpfs(libc, path, "size=4k,mode=0755"):
                notes.append(f"could not hide {path}")
    for path, fd in sources.items():
        if not _bind_readable(libc, path, fd):
            notes.append(f"could not make {path} readable")
        os.close(fd)
    os.makedirs(spec.workdir, mode=0o700, exist_ok=True)
    if not _mount_tmpfs(libc, spec.workdir, f"size={spec.limits.workdir_bytes},mode=0700,"
                                            f"uid={spec.uid},gid={spec.uid}"):
        notes.append("no private tmpfs for the working directory")
        os.chown(spec.workdir, spec.uid, spec.uid)


def _open_paths(paths: list[str]) -> dict[str, int]:
    opened = {}
    for path in paths:
        try:
            opened[os.path.realpath(path)] = os.open(path, os.O_PATH | os.O_DIRECTORY)
        except OSError:
            pass
    return opened


def _bind_readable(libc, path: str, fd: int) -> bool:
    """Make the directory ``path`` (open as ``fd``) readable to the sandbox uid at its own
    path: walking down from /, an ancestor that other users cannot enter (/root) gets an empty
    tmpfs of its own, missing directories (inside a private or cloaked tmpfs) are made, and the
    directory is bound there read-only. Nothing else of those ancestors becomes visible."""
    current, changed = "/", False
    for part in Path(path).parts[1:]:
        current = os.path.join(current, part)
        try:
            mode = os.stat(current).st_mode
            if not mode & 0o001:  # others may not enter: hide it behind a tmpfs they may
                if not _mount_tmpfs(libc, current, "size=4k,mode=0755"):
                    return False
                changed = True
        except FileNotFoundError:
            try:
                os.mkdir(current, 0o755)
            except OSError:
                return False
            changed = True
        except OSError:
            return False
    if not changed:
        return True  # already in reach
    source = f"/proc/self/fd/{fd}".encode()
    if libc.mount(source, path.encode(), None, _MS_BIND, None) != 0:
        return False
    return libc.mount(None, path.encode(), None, _MS_BIND | _MS_REMOUNT | _MS_RDONLY, None) == 0


def drop_privileges(spec: Confinement) -> None:
    """Set the rlimits and become the sandbox uid; irreversible. Called after the submission
    file has been written into the working directory."""
    lim = spec.limits
    for which, value in (
        (resource.RLIMIT_AS, lim.memory_bytes),
        (resource.RLIMIT_CPU, lim.cpu_seconds),
        (resource.RLIMIT_FSIZE, lim.file_bytes),
        (resource.RLIMIT_NOFILE, lim.open_files),
        (resource.RLIMIT_CORE, 0),
    ):
        resource.setrlimit(which, (value, value))
    if spec.uid is not None:
        os.chown(".", spec.uid, spec.uid)
        for entry in os.scandir("."):
            os.chown(entry.path, spec.uid, spec.uid)
        resource.setrlimit(resource.RLIMIT_NPROC, (lim.processes, lim.processes))
        os.setgroups([])
        os.setresgid(spec.uid, spec.uid, spec.uid)
        os.setresuid(spec.uid, spec.uid, spec.uid)
    else:
        # Without root RLIMIT_NPROC counts all of the user's processes: allow what is running.
        running = sum(1 for p in Path("/proc").iterdir() if p.name.isdigit())
        resource.setrlimit(resource.RLIMIT_NPROC, (running + lim.processes,) * 2)
    libc = _libc()
    libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)


def _is_ancestor(path: str, other: str) -> bool:
    path, other = os.path.realpath(path), os.path.realpath(other)
    return other == path or other.startswith(path.rstrip("/") + "/")


#: Variables passed through from the grader's environment: CPU-kernel selection that numpy's
#: OpenBLAS needs on some processors to compute correctly.
PASSED_THROUGH = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def _environment(workdir: str) -> dict[str, str]:
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": workdir,
        "TMPDIR": workdir,
        "LANG": "C.UTF-8",
        "MPLBACKEND": "Agg",
        "PYTHONHASHSEED": "0",
    }
    env.update(thread_pinning())
    return env


def thread_pinning() -> dict[str, str]:
    """One BLAS/OpenMP thread: deterministic sums, and OpenBLAS fits in the memory limit."""
    env = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                                  "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")}
    env.update({k: os.environ[k] for k in PASSED_THROUGH if k in os.environ})
    return env

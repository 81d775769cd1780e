"""The fork server: imports what submissions use once, then forks one child per request.

Started by the parent as ``python -I -m autograder.sandbox.zygote FD`` with a whitelisted
environment; FD is its control socket. It never runs student code itself and never imports the
hidden suites or the reference solutions, so a forked child inherits nothing worth stealing.

Control messages (one byte, with an fd for spawn):
  S + fd   fork a child that serves on fd; answers the child's pid
  W + pid  wait for that child; answers its wait status
  K + uid  kill every process of the sandbox uid (or, without root, every orphan it adopted)
  P        import the plotting modules too (once); answers how many could not be imported
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import struct
import sys
import time

_PACK = struct.Struct("!q")
_PR_SET_CHILD_SUBREAPER = 36

#: What students' code and notebooks import: paid once here instead of in every child. After
#: the privilege drop the child may be unable to read the interpreter's files (on Gradescope,
#: as here, Python lives under /root), so anything not imported now may be unavailable.
PRELOAD = (
    "numpy", "numpy.linalg", "numpy.random", "numpy.polynomial", "scipy", "scipy.optimize",
    "scipy.linalg", "scipy.special", "math", "cmath", "functools", "itertools", "collections",
    "dataclasses", "typing", "warnings", "random", "statistics", "decimal", "fractions",
    "ast", "json", "time", "copy", "operator", "numbers", "abc", "heapq", "bisect", "re",
    "string", "textwrap", "enum", "contextlib", "inspect", "pprint", "numpy.testing",
    "autograder.problems",
)
#: Plotting costs more to import than everything else together (and makes every fork
#: dearer); preloaded only on request, when the first submission that imports it arrives. A
#: notebook whose plot cells cannot import it loses nothing but those cells: statements are
#: executed one by one.
PLOTTING = ("matplotlib", "matplotlib.pyplot", "matplotlib.backends.backend_agg")


def preload(names) -> list[str]:
    missing = []
    for name in names:
        try:
            __import__(name)
        except Exception:  # noqa: BLE001 - an optional module (matplotlib) may be absent
            missing.append(name)
    if "matplotlib.pyplot" in names and "matplotlib.pyplot" not in missing:
        _draw_once()
    return missing


def _draw_once() -> None:
    """Plots are not graded, but a notebook's plotting cells run, in a child that may not
    import anything new. Drawing once here imports the lazily loaded parts (contour, log
    scales, legends, mathtext, the Agg renderer). Fonts are read again in every child (matplotlib
    empties its font cache at fork), from matplotlib's data directory, which the child's
    confinement keeps readable (isolation.Confinement.readable)."""
    import io

    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2)
    ax1.contour([[0.0, 1.0], [1.0, 0.0]], levels=3)
    ax1.scatter([0.0], [1.0], label="$x^*$")
    ax1.legend()
    ax2.semilogy([1.0, 10.0], "o-")
    ax2.bar([0], [1.0])
    ax2.set_xlabel(r"$\|\nabla f(x_k)\|_2$ $\alpha \beta \eta_t$")
    ax2.set_title("$x_0$, $w^T \\mu$")
    fig.tight_layout()
    fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)


class Zygote:
    def __init__(self, control: socket.socket):
        self.control = control
        self.children: set[int] = set()
        self.statuses: dict[int, int] = {}

    def run(self) -> None:
        while True:
            try:
                data, fds, _, _ = socket.recv_fds(self.control, 9, 1)
            except OSError:
                break
            if not data:
                break
            op, arg = data[:1], (_PACK.unpack(data[1:9])[0] if len(data) >= 9 else 0)
            if op == b"S" and fds:
                self.control.sendall(_PACK.pack(self.spawn(fds[0])))
            elif op == b"W":
                self.control.sendall(_PACK.pack(self.wait(arg)))
            elif op == b"K":
                self.sweep(arg if arg >= 0 else None)
                self.control.sendall(_PACK.pack(0))
            elif op == b"P":
                self.control.sendall(_PACK.pack(len(preload(PLOTTING))))
            for fd in fds[1:] if op == b"S" else fds:
                os.close(fd)
        self.sweep(None)

    def spawn(self, fd: int) -> int:
        pid = os.fork()
        if pid == 0:
            try:
                self.control.close()
                from autograder.sandbox import child, wire

                channel = socket.socket(fileno=fd)
                child.serve(channel, wire.recv_message(channel))
            finally:
                os._exit(70)
        os.close(fd)
        self.children.add(pid)
        return pid

    def wait(self, pid: int) -> int:
        if pid in self.statuses:
            return self.statuses.pop(pid)
        if pid not in self.children:
            return -1
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            status = -1
        self.children.discard(pid)
        return status

    def sweep(self, uid: int | None) -> None:
        """Kill what a child left behind: as root, every process of its uid (setsid'd
        grandchildren included); otherwise every orphan this subreaper adopted."""
        self.reap()
        if not (self.processes_of(uid) if uid is not None else self.adopted()):
            return  # the usual case: nothing outlived the child, no killer to fork
        for _ in range(50):
            if uid is not None:
                killer = os.fork()
                if killer == 0:
                    try:
                        os.setresuid(uid, uid, uid)
                        os.kill(-1, signal.SIGKILL)
                    finally:
                        os._exit(0)
                os.waitpid(killer, 0)
            else:
                for pid in self.adopted():
                    _kill(pid)
            self.reap()
            if not (self.processes_of(uid) if uid is not None else self.adopted()):
                return
            time.sleep(0.01)

    def reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            if pid in self.children:
                self.children.discard(pid)
                self.statuses[pid] = status

    def adopted(self) -> list[int]:
        me = os.getpid()
        return [pid for pid in _pids() if _ppid(pid) == me and pid not in self.children]

    @staticmethod
    def processes_of(uid: int) -> list[int]:
        found = []
        for pid in _pids():
            try:
                with open(f"/proc/{pid}/status") as fh:
                    uids = next(line for line in fh if line.startswith("Uid:")).split()[1:]
            except (OSError, StopIteration):
                continue
            if str(uid) in uids:
                found.append(pid)
        return found


def _pids() -> list[int]:
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


def _ppid(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return int(fh.read().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1


def _kill(pid: int) -> None:
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def main() -> None:
    control = socket.socket(fileno=int(sys.argv[1]))
    ctypes.CDLL(None).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which stops us
    missing = preload(PRELOAD + (PLOTTING if "--plots" in sys.argv else ()))
    from autograder.sandbox import child, wire  # noqa: F401 - imported once for every child

    control.sendall(b"R" + ",".join(missing).encode()[:4000].ljust(4000))
    Zygote(control).run()


if __name__ == "__main__":
    main()

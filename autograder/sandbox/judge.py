"""The trusted side of the sandbox: starts children, sends calls, enforces deadlines.

Nothing here imports or executes student code. A :class:`Sandbox` serves one submission: it
asks the :class:`ForkServer` for a child, sends the submission, and forwards calls with a
wall-clock deadline. When a call times out or the child dies, the child's whole process group
(and, as root, every process of its uid) is killed, the call fails, and the next call gets a fresh
child that loads the submission again. A function that ran out of time (or memory) is not called
again with no more time than it had: its later calls fail at once, naming the first failure.
"""

from __future__ import annotations

import base64
import fcntl
import math
import os
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field

from . import wire
from .cgroups import cpu_cap
from .isolation import Limits, thread_pinning
from .source import read_submission

_PACK = struct.Struct("!q")
#: First uid of the sandbox users (one per parallel worker); they need no passwd entry.
UID_BASE = int(os.environ.get("AUTOGRADER_SANDBOX_UID_BASE", "61000"))
MAX_SUBMISSION_BYTES = 16 * 1024 * 1024


# -- what can go wrong, in words a student can act on ------------------------------------------

class SubmissionError(Exception):
    """A call into the submission did not produce a value."""


class NotLoaded(SubmissionError):
    pass


class MissingFunction(SubmissionError):
    pass


class CallTimeout(SubmissionError):
    pass


class ChildCrashed(SubmissionError):
    pass


class BudgetExhausted(SubmissionError):
    pass


class NotRunAgain(SubmissionError):
    """The function ran out of time or memory in an earlier call."""


class StudentRaised(SubmissionError):
    def __init__(self, function: str, reply: dict):
        self.function = function
        self.type = str(reply.get("type", "Exception"))
        self.bases = [str(b) for b in reply.get("bases", [])]
        self.where = reply.get("where")
        self.detail = str(reply.get("message", self.type))
        at = f" (at {self.where})" if self.where else ""
        if self.not_implemented:
            text = f"{function} is not implemented yet: it raised NotImplementedError{at}."
        else:
            text = f"{function} raised {self.detail}{at}"
            if "read-only" in self.detail:
                text += (". The grader passes read-only arrays, and the contract says never to "
                         "modify an input in place: work on a copy (x = np.array(x, dtype=float))")
        super().__init__(text)

    @property
    def not_implemented(self) -> bool:
        return "NotImplementedError" in self.bases

    def is_a(self, name: str) -> bool:
        """Whether the raised exception is an instance of the built-in exception ``name``."""
        return name in self.bases


# -- the fork server ----------------------------------------------------------------------------

#: Where fork servers lock the sandbox uid they use (root only), so that graders running at the
#: same time on one machine never share a uid, and never kill each other's children.
LOCK_DIR = "/run/optim-autograder" if os.path.isdir("/run") else "/var/lock/optim-autograder"


def claim_sandbox_uid() -> tuple[int | None, int | None]:
    """(uid, lock fd) of a sandbox uid no other grader on this machine is using; (None, None)
    when not root, since only root can switch users."""
    if os.geteuid() != 0:
        return None, None
    os.makedirs(LOCK_DIR, mode=0o700, exist_ok=True)
    for uid in range(UID_BASE, UID_BASE + 1000):
        fd = os.open(os.path.join(LOCK_DIR, f"{uid}.lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return uid, fd
        except BlockingIOError:
            os.close(fd)
    raise RuntimeError("no free sandbox uid: more than 1000 graders are running")


class ForkServer:
    """A warm process with numpy and scipy imported, forking one child per request. It owns
    one sandbox uid for its lifetime (when root): its children run as that user."""

    def __init__(self, *, plots: bool = False, start_timeout: float = 60.0):
        self.uid, self._uid_lock = claim_sandbox_uid()
        ours, theirs = socket.socketpair()
        self._home = tempfile.mkdtemp(prefix="autograder-zygote-")
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "MPLBACKEND": "Agg",
               "PYTHONHASHSEED": "0", "HOME": self._home, "MPLCONFIGDIR": _matplotlib_cache()}
        env.update(thread_pinning())
        command = [sys.executable, "-I", "-m", "autograder.sandbox.zygote", str(theirs.fileno())]
        self.process = subprocess.Popen(
            command + (["--plots"] if plots else []),
            pass_fds=[theirs.fileno()], env=env, cwd=self._home, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        theirs.close()
        # Its children inherit the group: together they get at most one core.
        self._cpu = cpu_cap(cpu_group_name(self.uid)) if self.uid is not None else None
        if self._cpu is not None and not self._cpu.add(self.process.pid):
            self._cpu.remove(wait=0)
            self._cpu = None
        self._control = ours
        self._start_timeout = start_timeout
        self._ready = False
        self._plots = plots
        self.missing_modules: list[str] = []

    def _wait_ready(self) -> None:
        if self._ready:
            return
        self._control.settimeout(self._start_timeout)
        data = _recv_exact(self._control, 4001)
        if data[:1] != b"R":
            raise RuntimeError("the sandbox's fork server failed to start")
        self.missing_modules = [m for m in data[1:].decode().strip().split(",") if m]
        self._ready = True
        if self.uid is not None:  # leftovers of a grader that died holding this uid
            self.sweep(self.uid)

    @property
    def cpu_capped(self) -> bool:
        """Whether this server and its children share a one-core CPU cap (cgroups.cpu_cap)."""
        return self._cpu is not None

    def preload_plotting(self) -> None:
        """Make matplotlib importable in the children forked from now on (imported once)."""
        if not self._plots:
            self._ask(b"P", 0, timeout=self._start_timeout)
            self._plots = True

    def _ask(self, op: bytes, arg: int, fds: list[int] | None = None,
             timeout: float = 30.0) -> int:
        self._wait_ready()
        self._control.settimeout(timeout)
        message = op + _PACK.pack(arg)
        if fds:
            socket.send_fds(self._control, [message], fds)
        else:
            self._control.sendall(message)
        return _PACK.unpack(_recv_exact(self._control, _PACK.size))[0]

    def spawn(self) -> tuple[int, socket.socket]:
        ours, theirs = socket.socketpair()
        try:
            pid = self._ask(b"S", 0, [theirs.fileno()])
        finally:
            theirs.close()
        return pid, ours

    def wait(self, pid: int) -> int:
        return self._ask(b"W", pid)

    def sweep(self, uid: int | None) -> None:
        self._ask(b"K", -1 if uid is None else uid)

    def close(self) -> None:
        try:
            self._control.close()
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        shutil.rmtree(self._home, ignore_errors=True)
        if self._cpu is not None:
            self._cpu.remove()
            self._cpu = None
        if self._uid_lock is not None:
            os.close(self._uid_lock)
            self._uid_lock = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def cpu_group_name(uid: int) -> str:
    """The cgroup of the fork server that owns the sandbox uid (see cgroups.cpu_cap)."""
    return f"optim-autograder-{uid}"


def _matplotlib_cache() -> str:
    """A persistent cache, so that matplotlib builds its font list once, not per process."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = os.path.join(base, "optim-autograder", "matplotlib")
    os.makedirs(path, exist_ok=True)
    return path


_IMPORTS_MATPLOTLIB = re.compile(rb"^[ \t]*(?:import|from)[ \t]+(?:matplotlib|pylab)\b",
                                 re.MULTILINE)


def wants_plots(submission: bytes) -> bool:
    """Whether to preload matplotlib for this submission: when its code imports it (a
    notebook's JSON keeps each line quoted, so look inside its strings too), or when it is a
    zip, whose content is compressed."""
    if submission[:4] == b"PK\x03\x04":
        return True
    return bool(_IMPORTS_MATPLOTLIB.search(submission.replace(b'"', b"\n")))


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise RuntimeError("the sandbox's fork server stopped")
        data += chunk
    return data


# -- one submission ------------------------------------------------------------------------------

@dataclass
class Deadlines:
    """Wall-clock limits, enforced from outside with SIGKILL."""

    load: float = 10.0  # running the submission's top-level code (a notebook's demos included)
    call: float = 10.0  # one call into the submission (tests may set their own)
    budget: float = 120.0  # all loads and calls of one submission together
    max_restarts: int = 25


@dataclass
class SandboxOptions:
    limits: Limits = field(default_factory=Limits)
    deadlines: Deadlines = field(default_factory=Deadlines)
    cloak: list[str] = field(default_factory=list)


class Sandbox:
    """Calls into one submission, each in a confined child, values only."""

    def __init__(self, server: ForkServer, submission: bytes, filename: str,
                 options: SandboxOptions | None = None):
        self.server = server
        self.submission = submission
        self.filename = filename
        self.kind, self.chunks, self.read_problems = read_submission(submission, filename)
        self.load_failure: str | None = None
        if len(submission) > MAX_SUBMISSION_BYTES:
            self.load_failure = (f"the submission is {len(submission) / 2**20:.1f} MB, more "
                                 f"than the {MAX_SUBMISSION_BYTES // 2**20} MB a submission may be"
                                 "; clear the notebook's outputs and submit again.")
        self.options = options or SandboxOptions()
        self.plots = wants_plots(submission)
        self.uid = server.uid
        self.load_report: dict | None = None
        self.time_used = 0.0
        self.restarts = 0
        # function -> (the error of the call that ran it out of time or memory, the deadline it
        # had). Such a function is not called again with no more time than that: a loop or a
        # runaway allocation would almost surely recur, and each rerun would cost the class's
        # grading another deadline or another memory fill.
        self.exhausted: dict[str, tuple[SubmissionError, float]] = {}
        self._pid: int | None = None
        self._channel: socket.socket | None = None
        self._workdir: str | None = None

    # -- lifecycle --

    def _start(self) -> None:
        if self.load_failure:
            raise NotLoaded(self.load_failure)
        if self.restarts > self.options.deadlines.max_restarts:
            raise BudgetExhausted("the grader restarted your code too many times after crashes "
                                  "or timeouts; the remaining checks were not run.")
        self.restarts += 1
        if self.plots:
            self.server.preload_plotting()
        self._workdir = tempfile.mkdtemp(prefix="autograder-run-")
        self._pid, self._channel = self.server.spawn()
        request = {
            "workdir": self._workdir, "uid": self.uid, "cloak": self.options.cloak,
            "limits": asdict(self.options.limits), "filename": self.filename,
            "submission": base64.b64encode(self.submission).decode(),
            "kind": self.kind, "chunks": self.chunks, "problems": self.read_problems,
        }
        wire.send_message(self._channel, request)
        try:
            reply = self._receive(self.options.deadlines.load, lambda: "loading your submission")
        except CallTimeout:
            self.load_failure = (f"loading your submission took more than "
                                 f"{self.options.deadlines.load:g} s, so no function could be "
                                 "checked. Keep long computations out of the top level.")
            raise NotLoaded(self.load_failure) from None
        except ChildCrashed as exc:
            self.load_failure = f"loading your submission crashed the grader's child: {exc}"
            raise NotLoaded(self.load_failure) from None
        if reply.get("status") != "loaded":
            self._stop()
            self.load_failure = f"the sandbox could not start: {reply.get('message', reply)}"
            raise NotLoaded(self.load_failure)
        if self.load_report is None:
            self.load_report = reply

    def _stop(self) -> int | None:
        """Kill the child and everything it started; returns its wait status."""
        status = None
        if self._pid is not None:
            for kill in (os.killpg, os.kill):
                try:
                    kill(self._pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            status = self.server.wait(self._pid)
            self.server.sweep(self.uid)
        if self._channel is not None:
            self._channel.close()
        if self._workdir:
            shutil.rmtree(self._workdir, ignore_errors=True)
        self._pid = self._channel = self._workdir = None
        return status

    def close(self) -> None:
        self._stop()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- calls --

    def report(self) -> dict:
        """What loading found: the kind of file, the problems met, the functions defined."""
        if self.load_report is None and self.load_failure is None:
            try:
                self._start()
            except SubmissionError:
                pass
        return self.load_report or {"kind": "unloaded", "problems": [
            {"where": "submission", "error": self.load_failure}], "functions": []}

    def call(self, function: str, *args, timeout: float | None = None, **kwargs):
        limit = timeout or self.options.deadlines.call
        exhausted, allowed = self.exhausted.get(function, (None, 0.0))
        if exhausted is not None and limit <= allowed:
            raise NotRunAgain(f"{function} was not run again for this check, because an earlier "
                              f"check ran it out of {_resource(exhausted)}: {exhausted}")
        try:
            return self._call(function, args, kwargs, limit)
        except CallTimeout as exc:
            self.exhausted[function] = (exc, limit)
            raise
        except StudentRaised as exc:
            if exc.is_a("MemoryError"):
                self.exhausted[function] = (exc, math.inf)
            raise

    def _call(self, function: str, args, kwargs, limit: float):
        if self._channel is None:
            self._start()
        message = {"op": "call", "fn": function, "args": wire.encode(list(args)),
                   "kwargs": wire.encode(kwargs)}
        wire.send_message(self._channel, message)
        reply = self._receive(limit, lambda: f"{function}{_signature(args, kwargs)}")
        status = reply.get("status")
        if status == "ok":
            return wire.decode(reply.get("value"))
        if status == "raised":
            raise StudentRaised(function, reply)
        if status == "missing":
            what = "is not a function" if reply.get("defined") else "is not defined"
            extra = self._load_problems_hint()
            raise MissingFunction(f"{function} {what} in your submission.{extra}")
        raise ChildCrashed(f"unexpected reply from the sandbox while running {function}")

    def _receive(self, limit: float, doing) -> dict:
        """The child's next reply within ``limit`` seconds; ``doing()`` describes the call for
        messages (formatted only when one is needed)."""
        remaining = self.options.deadlines.budget - self.time_used
        if remaining <= 0:
            self._stop()
            raise BudgetExhausted(f"the grading time budget of {self.options.deadlines.budget:g} s "
                                  "for your submission is used up; the remaining checks were "
                                  "not run.")
        limit = min(limit, remaining)
        started = time.monotonic()
        try:
            ready, _, _ = select.select([self._channel], [], [], limit)
            if not ready:
                self._stop()
                raise CallTimeout(f"{doing()} did not finish within {limit:g} s (is there an "
                                  "infinite loop, or a loop that never meets its stopping test?)")
            self._channel.settimeout(max(1.0, limit - (time.monotonic() - started)))
            return wire.recv_message(self._channel)
        except (EOFError, OSError, wire.ProtocolError):
            status = self._stop()
            raise ChildCrashed(f"{doing()} ended the Python process that ran your code "
                               f"({_describe_status(status)})") from None
        finally:
            self.time_used += time.monotonic() - started

    def _load_problems_hint(self) -> str:
        problems = (self.load_report or {}).get("problems", [])
        if not problems:
            return ""
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        return f" Loading your submission met an error at {first['where']}: {first['error']}{more}."


def _resource(error: SubmissionError) -> str:
    return "time" if isinstance(error, CallTimeout) else "memory"


def _signature(args, kwargs) -> str:
    shown = [_brief(a) for a in args] + [f"{k}={_brief(v)}" for k, v in kwargs.items()]
    return "(" + ", ".join(shown) + ")"


def _brief(value) -> str:
    import numpy as np

    if isinstance(value, np.ndarray):
        if value.size <= 6:
            return np.array2string(value, precision=6, separator=", ")
        return f"<array of shape {value.shape}>"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _describe_status(status: int | None) -> str:
    if status is None or status < 0:
        return "it stopped"
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
        extra = {"SIGSEGV": ": a segmentation fault", "SIGXCPU": ": CPU time limit reached",
                 "SIGXFSZ": ": file size limit reached"}.get(name, "")
        return f"killed by {name}{extra}"
    return f"it exited with status {os.WEXITSTATUS(status)}"

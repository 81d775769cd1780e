"""Grading workers for bulk grading: one process per job, each with its own warm fork server.

A worker imports numpy, scipy, the suite and the reference once, starts one
:class:`~autograder.sandbox.judge.ForkServer` (which claims its own sandbox uid when root) and
grades the submissions it is sent, one at a time, with :func:`autograder.grading.grade`. The
pool in the parent process hands out submissions, and watches every worker: a worker that dies,
or takes longer than the per-submission limit, costs only the submission it was grading (the
caller gets an error for it); it is killed together with its fork server and whatever runs as
its sandbox uid, and replaced.

Workers run in sessions of their own (Ctrl-C reaches only the parent, which stops them in
order) and ask the kernel for SIGTERM when the parent dies, so that a killed run leaves no
grader behind.

Protocol (length-prefixed JSON, autograder.sandbox.wire's framing, over a socketpair):
parent -> worker: the configuration, then ``{"op": "grade", "id", "source", "member",
"filename"}`` per submission and ``{"op": "stop"}``; worker -> parent: ``{"ready": {...}}`` once
warm, then ``{"id", "report"}`` or ``{"id", "error"}`` per submission.
"""

from __future__ import annotations

import base64
import collections
import contextlib
import ctypes
import fcntl
import hashlib
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from autograder.sandbox import wire
from autograder.sandbox.judge import Deadlines

#: Test hook: "crash:TEXT" or "hang:TEXT" (";"-separated) make a worker die or hang when it
#: is given a submission whose file name contains TEXT. Used by tests/test_batch.py only.
FAULTS_ENV = "AUTOGRADER_WORKER_FAULTS"
#: Submissions sent to each worker at once (the next waits in its socket), and the largest
#: submission sent ahead (a socket's buffer holds a few hundred KB).
PIPELINE = 2
PIPELINE_MAX_BYTES = 64 * 1024
_PR_SET_PDEATHSIG = 1


@dataclass
class Task:
    id: str
    source: str  # the file, or the zip holding it
    member: str | None  # the file inside that zip
    filename: str
    sha256: str = ""  # what the file held when the task was made ("" : not checked)


@dataclass
class PoolConfig:
    assignment: str
    seed: int
    deadlines: Deadlines = field(default_factory=Deadlines)
    cloak: list[str] = field(default_factory=list)

    def to_message(self) -> dict:
        return {"assignment": self.assignment, "seed": self.seed,
                "deadlines": asdict(self.deadlines), "cloak": list(self.cloak)}


def submission_limit(deadlines: Deadlines) -> float:
    """The generous wall-clock limit on one submission in a worker: the sandbox's own budget
    bounds the time spent waiting for the student's code; this covers everything else (the
    checks, starting and stopping children) with a wide margin."""
    return 2 * (deadlines.budget + deadlines.load) + 60


class WorkerFailure(RuntimeError):
    """Workers cannot start at all (not a problem of any one submission)."""


class _Worker:
    def __init__(self, config: PoolConfig):
        ours, theirs = socket.socketpair()
        self.log = tempfile.TemporaryFile()
        env = dict(os.environ)
        package_parent = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH"))
                                            if p)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "autograder.workers", str(theirs.fileno())],
            pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=self.log, start_new_session=True)
        theirs.close()
        self.sock = ours
        self.sock.settimeout(60)
        wire.send_message(self.sock, config.to_message())
        self.spawned = time.monotonic()
        self.ready = False
        self.info: dict = {}
        self.tasks: collections.deque[Task] = collections.deque()  # sent, in order
        self.started = 0.0  # when the worker started on the first of them

    @property
    def task(self) -> Task | None:
        """The submission the worker is grading now."""
        return self.tasks[0] if self.tasks else None

    def assign(self, task: Task, raw: bytes) -> None:
        if not self.tasks:
            self.started = time.monotonic()
        self.tasks.append(task)
        wire.send_message(self.sock, {"op": "grade", "id": task.id, "filename": task.filename,
                                      "data": base64.b64encode(raw).decode()})

    def finished(self) -> Task:
        task = self.tasks.popleft()
        self.started = time.monotonic()  # the next one, already sent, starts now
        return task

    def why_stopped(self) -> str:
        try:
            code = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return "it stopped answering"
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            text = f"it was killed by {name}"
            if -code == signal.SIGKILL:
                text += " (out of memory?)"
        else:
            text = f"it exited with status {code}"
        tail = self.log_tail()
        return f"{text}: {tail}" if tail else text

    def log_tail(self) -> str:
        try:
            self.log.seek(0)
            lines = [l for l in self.log.read().decode("utf-8", "replace").splitlines() if l.strip()]
        except OSError:
            return ""
        return lines[-1][:300] if lines else ""

    def request_stop(self) -> None:
        """Ask the worker to finish (it closes its fork server), without waiting for it."""
        if self.proc.poll() is None:
            try:
                wire.send_message(self.sock, {"op": "stop"})
            except OSError:
                pass

    def join(self) -> None:
        """Wait for a worker asked to stop; kill it if it does not."""
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()
            return
        self._close()

    def stop(self) -> None:
        self.request_stop()
        self.join()

    def kill(self) -> None:
        """Kill the worker, its fork server and every process of its sandbox uid. A live
        worker is stopped first and holds its uid's lock meanwhile, so no other grader can
        have claimed the uid; after a worker died, the uid is swept only if its lock is free
        (a grader that claims it later sweeps it itself when it starts)."""
        zygote, uid = self.info.get("zygote"), self.info.get("uid")
        alive = self.proc.poll() is None
        if alive:
            os.kill(self.proc.pid, signal.SIGSTOP)  # it may not start anything new meanwhile
        if zygote and (alive or _is_zygote(int(zygote))):
            for kill in (os.killpg, os.kill):
                try:
                    kill(int(zygote), signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        if uid is not None and os.geteuid() == 0:
            if alive:
                _clear_uid(int(uid))
            else:
                with _free_uid(int(uid)) as free:
                    if free:
                        _clear_uid(int(uid))
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.kill()
        self.proc.wait()
        self._close()

    def _close(self) -> None:
        self.sock.close()
        self.log.close()


def _is_zygote(pid: int) -> bool:
    """Whether pid is (still) a fork server, not a recycled pid."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return b"autograder.sandbox.zygote" in fh.read()
    except OSError:
        return False


@contextlib.contextmanager
def _free_uid(uid: int):
    """Holds the sandbox uid's lock if no grader holds it (yields whether it does)."""
    from autograder.sandbox.judge import LOCK_DIR

    try:
        fd = os.open(os.path.join(LOCK_DIR, f"{uid}.lock"), os.O_RDWR)
    except OSError:
        yield False
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        yield False
        return
    try:
        yield True
    finally:
        os.close(fd)


def _clear_uid(uid: int) -> None:
    """Kill what runs as the sandbox uid and remove its fork server's CPU group."""
    from autograder.sandbox.cgroups import remove_cpu_cap
    from autograder.sandbox.judge import cpu_group_name

    kill_uid(uid)
    remove_cpu_cap(cpu_group_name(uid))


def kill_uid(uid: int) -> None:
    from autograder.sandbox.zygote import Zygote

    for _ in range(20):
        pids = Zygote.processes_of(uid)
        if not pids:
            return
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(0.05)


class WorkerPool:
    """Grades tasks on ``jobs`` worker processes; ``done(task, report_dict, error)`` is called
    in this process for every task, in completion order."""

    def __init__(self, config: PoolConfig, jobs: int, *, limit: float | None = None,
                 start_timeout: float = 300.0):
        self.config = config
        self.jobs = max(1, jobs)
        self.limit = limit if limit is not None else submission_limit(config.deadlines)
        self.start_timeout = start_timeout
        self.workers: list[_Worker] = []
        self.stopping: list[_Worker] = []  # asked to stop, not yet waited for
        self.replaced = 0

    def run(self, tasks: list[Task], done: Callable[[Task, dict | None, str], None]) -> None:
        pending = collections.deque(tasks)
        start_failures = 0
        last_failure = ""

        def feed(worker: _Worker) -> None:
            # Up to PIPELINE submissions per worker: the next one waits in its socket, so the
            # worker never idles while this process records a result.
            while worker.ready and len(worker.tasks) < PIPELINE and pending:
                task = pending.popleft()
                # The bytes go to the worker, so that what is graded is what was hashed.
                try:
                    raw = read_submission(task.source, task.member)
                except (OSError, KeyError, zipfile.BadZipFile) as exc:
                    done(task, None, f"the file cannot be read: {exc}")
                    continue
                if task.sha256 and hashlib.sha256(raw).hexdigest() != task.sha256:
                    done(task, None, "the file changed while the batch was running; run the "
                                     "command again")
                    continue
                if worker.tasks and len(raw) > PIPELINE_MAX_BYTES:
                    # A busy worker reads nothing: a large message would block this process
                    # until the worker is done. Send it when the worker is idle.
                    pending.appendleft(task)
                    return
                try:
                    worker.assign(task, raw)
                except OSError:
                    worker.tasks.pop()
                    pending.appendleft(task)  # it died: noticed when reading from it
                    return

        def lost(worker: _Worker, reason: str) -> None:
            """The worker is gone: its current submission fails, the others wait again."""
            current = worker.task
            for task in reversed(list(worker.tasks)[1:]):
                pending.appendleft(task)
            if current is not None:
                done(current, None, reason)

        while pending or any(w.tasks for w in self.workers):
            busy = sum(1 for w in self.workers if w.tasks)
            wanted = min(self.jobs, busy + len(pending))
            while len(self.workers) < wanted:
                self.workers.append(_Worker(self.config))
            for worker in self.workers:
                feed(worker)
            by_fd = {w.sock.fileno(): w for w in self.workers}
            readable, _, _ = select.select(list(by_fd), [], [], 0.2)
            for fd in readable:
                worker = by_fd[fd]
                try:
                    message = wire.recv_message(worker.sock)
                except (EOFError, OSError, wire.ProtocolError):
                    reason = worker.why_stopped()
                    self._retire(worker, kill=True)
                    if worker.tasks:
                        lost(worker, f"the grading worker stopped while grading this "
                                     f"submission ({reason})")
                    elif not worker.ready:
                        start_failures += 1
                        last_failure = reason
                    continue
                if "ready" in message:
                    worker.ready, worker.info = True, dict(message["ready"])
                    start_failures = 0
                elif worker.task is not None and message.get("id") == worker.task.id:
                    task = worker.finished()
                    feed(worker)
                    done(task, message.get("report"), str(message.get("error") or ""))
            now = time.monotonic()
            for worker in list(self.workers):
                if worker.tasks and now - worker.started > self.limit:
                    self._retire(worker, kill=True)
                    lost(worker, f"grading this submission took longer than {self.limit:g} s; "
                                 "its worker was stopped and replaced")
                elif not worker.ready and now - worker.spawned > self.start_timeout:
                    self._retire(worker, kill=True)
                    start_failures += 1
                    last_failure = f"not ready after {self.start_timeout:g} s"
            if start_failures >= 3:
                raise WorkerFailure(f"grading workers fail to start ({last_failure})")
            if not pending:
                self._release_idle()

    def _release_idle(self) -> None:
        """Nothing is left to hand out: idle workers may exit now, while the others finish
        their last submissions, instead of one after another at the end."""
        for worker in list(self.workers):
            if worker.ready and not worker.tasks:
                self.workers.remove(worker)
                worker.request_stop()
                self.stopping.append(worker)

    def _retire(self, worker: _Worker, *, kill: bool) -> None:
        self.workers.remove(worker)
        if worker.ready:
            self.replaced += 1
        if kill:
            worker.kill()
        else:
            worker.stop()

    def release(self) -> None:
        """Let every idle worker exit (after :meth:`run`); :meth:`close` waits for them."""
        self._release_idle()

    def close(self) -> None:
        self._release_idle()
        for worker in list(self.workers):  # busy or starting: interrupted
            self.workers.remove(worker)
            worker.kill()
        while self.stopping:
            self.stopping.pop().join()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# -- the worker process --------------------------------------------------------------------------

def _faults() -> list[tuple[str, str]]:
    found = []
    for item in os.environ.get(FAULTS_ENV, "").split(";"):
        kind, _, text = item.partition(":")
        if kind in ("crash", "hang") and text:
            found.append((kind, text))
    return found


def read_submission(source: str, member: str | None) -> bytes:
    if member is None:
        return Path(source).read_bytes()
    with zipfile.ZipFile(source) as archive:
        return archive.read(member)


def _terminate(signum, frame):
    raise SystemExit(128 + signum)


def worker_main(fd: int) -> None:
    parent = os.getppid()
    try:
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        return
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _terminate)
    channel = socket.socket(fileno=fd)
    config = wire.recv_message(channel)

    from autograder.sandbox.judge import ForkServer, SandboxOptions

    def start_server(wait: bool = True) -> ForkServer:
        server = ForkServer()  # matplotlib comes with the first submission that imports it
        if wait:
            server.sweep(server.uid)  # returns once the fork server is warm (numpy, scipy...)
        return server

    server = start_server(wait=False)  # it boots while this process imports the rest
    try:
        from autograder import assignments
        from autograder.grading import grade
        from autograder.suite import collect_plain

        assignment = config["assignment"]
        deadlines = Deadlines(**config["deadlines"])
        faults = _faults()
        collect_plain(assignments.suite_path(assignment))  # pay for the suite once
        assignments.reference(assignment)
        server.sweep(server.uid)
        wire.send_message(channel, {"ready": {"pid": os.getpid(), "zygote": server.process.pid,
                                              "uid": server.uid}})
        while True:
            message = wire.recv_message(channel)
            if message.get("op") != "grade":
                break
            filename = str(message.get("filename") or "submission.py")
            for kind, text in faults:
                if text in filename:
                    if kind == "crash":
                        os.kill(os.getpid(), signal.SIGKILL)
                    time.sleep(3600)
            reply: dict = {"id": message["id"]}
            try:
                raw = base64.b64decode(message["data"])
                options = SandboxOptions(deadlines=Deadlines(**asdict(deadlines)),
                                         cloak=list(config.get("cloak") or []))
                report = grade(assignment, raw, filename=filename, server=server,
                               seed=int(config["seed"]), options=options)
                reply["report"] = report.to_dict()
            except Exception as exc:  # noqa: BLE001 - reported as this submission's error
                reply["error"] = f"{type(exc).__name__}: {exc}"[:1000]
                if server.process.poll() is not None:  # the fork server died: start another
                    server.close()
                    server = start_server()
            wire.send_message(channel, reply)
    except (EOFError, OSError, wire.ProtocolError):
        pass  # the parent went away
    finally:
        server.close()


if __name__ == "__main__":
    worker_main(int(sys.argv[1]))

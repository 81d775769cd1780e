"""Wall time and peak memory of a command and of everything it starts, for the benchmarks.

The peak comes from a memory cgroup made for the command where the machine allows it (root,
with cgroup v1's memory controller or cgroup v2's memory.peak): the kernel's own high-water
mark of the whole process tree, pages shared between forked processes counted once, at no cost
to the run. Elsewhere the tree is sampled: the sum of its processes' PSS every 0.25 s. Reading
PSS walks page tables (about 4 ms per process here), so sampling every few milliseconds, as an
earlier version did, took a third of a core from the run it measured.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from autograder.sandbox.cgroups import Cgroup

SAMPLE_INTERVAL = 0.25


class _PeakGroup:
    """A fresh memory cgroup; the command joins it between fork and exec."""

    def __init__(self, group: Cgroup, peak_file: str):
        self.group, self.peak_file = group, peak_file

    @classmethod
    def make(cls) -> _PeakGroup | None:
        if os.geteuid() != 0:
            return None
        group = Cgroup.create("memory", f"bench-{os.getpid()}-{time.monotonic_ns()}")
        if group is None:
            return None
        peak_file = "memory.max_usage_in_bytes" if group.version == 1 else "memory.peak"
        if not (group.path / peak_file).exists():
            group.remove(wait=0)
            return None
        return cls(group, peak_file)

    def join(self) -> None:
        self.group.add(os.getpid())

    def peak_mb(self) -> float:
        return int((self.group.path / self.peak_file).read_text()) / 2**20


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class _Sampler:
    """The largest total PSS of a process and its descendants, sampled in a thread."""

    def __init__(self, pid: int):
        self.pid, self.peak_kb = pid, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            tree, pids, stack = _children(), [], [self.pid]
            while stack:
                pid = stack.pop()
                pids.append(pid)
                stack.extend(tree.get(pid, []))
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(p) for p in pids))
            self._stop.wait(SAMPLE_INTERVAL)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak_kb / 1024


def run_measured(command: list[str], **popen) -> tuple[float, float, str,
                                                        subprocess.CompletedProcess]:
    """Run ``command`` to its end; returns (wall seconds, peak MB, how the peak was measured,
    the completed process with its text output)."""
    cgroup = _PeakGroup.make()
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, preexec_fn=cgroup.join if cgroup else None, **popen)
    sampler = None if cgroup else _Sampler(process.pid)
    try:
        stdout, stderr = process.communicate()
        wall = time.monotonic() - started
        if cgroup:
            peak, how = cgroup.peak_mb(), "memory cgroup"
        else:
            peak, how = sampler.stop(), f"PSS sampled every {SAMPLE_INTERVAL:g} s"
    finally:
        if cgroup:
            cgroup.group.remove()
        elif sampler:
            sampler.stop()
    return wall, peak, how, subprocess.CompletedProcess(command, process.returncode, stdout,
                                                        stderr)

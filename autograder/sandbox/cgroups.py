"""Control groups: a CPU cap for each fork server and its children, below the grader's own
group, and the CPU quota the grader itself runs under (how many workers it should start).

Bulk grading runs one worker per core. A submission that keeps many processes busy (a fork
bomb: RLIMIT_NPROC stops it at 32 processes, every one of them spinning) would take CPU time
from the other workers' submissions and could push their calls past their deadlines. As root,
where the machine has a writable cgroup hierarchy with the cpu controller (v1, or v2 with cpu
enabled below the grader's group), each fork server gets a group limited to one core, and the
children it forks inherit it. Elsewhere (unprivileged, or a container with read-only cgroups)
nothing is capped, and :func:`cpu_cap` returns None.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

PERIOD_US = 100_000


class Cgroup:
    def __init__(self, path: Path, version: int):
        self.path, self.version = path, version

    @classmethod
    def create(cls, controller: str, name: str) -> Cgroup | None:
        """A group ``name`` (made, or reused) below this process's own group in the
        hierarchy of ``controller``; None where there is none or it cannot be written."""
        for parent, version in _own_groups(controller):
            path = parent / name
            try:
                path.mkdir(exist_ok=True)
            except OSError:
                continue
            return cls(path, version)
        return None

    def write(self, name: str, value: str) -> bool:
        try:
            (self.path / name).write_text(value)
            return True
        except OSError:
            return False

    def add(self, pid: int) -> bool:
        return self.write("cgroup.procs", str(pid))

    def remove(self, wait: float = 5.0) -> None:
        """Remove the group once its processes are gone (they may take a moment to exit)."""
        deadline = time.monotonic() + wait
        while True:
            try:
                self.path.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError:
                if time.monotonic() > deadline:
                    return
                time.sleep(0.02)


def cpu_cap(name: str, cores: float = 1.0) -> Cgroup | None:
    """A group whose processes together get at most ``cores`` CPUs."""
    if os.geteuid() != 0:
        return None
    group = Cgroup.create("cpu", name)
    if group is None:
        return None
    quota = int(cores * PERIOD_US)
    done = (group.write("cpu.max", f"{quota} {PERIOD_US}") if group.version == 2 else
            group.write("cpu.cfs_period_us", str(PERIOD_US))
            and group.write("cpu.cfs_quota_us", str(quota)))
    if not done:
        group.remove(wait=0)
        return None
    return group


def remove_cpu_cap(name: str) -> None:
    """Remove a group left by a fork server that was killed before it could remove it."""
    for parent, version in _own_groups("cpu"):
        Cgroup(parent / name, version).remove(wait=1.0)


def usable_cores() -> int:
    """The CPUs this process can use: its affinity mask, capped by a CPU quota on its group or
    one above it (a container's ``--cpus``, a CI runner's limit), where os.cpu_count() would
    count the host's cores and a worker per host core would overcommit the quota and memory."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    quota = cpu_quota()
    if quota is not None:
        cores = min(cores, int(quota))
    return max(1, cores)


def cpu_quota() -> float | None:
    """The smallest CPU quota (in cores) on this process's group and the groups above it up
    to the hierarchy's mount, in any hierarchy with the cpu controller; None where none is
    set."""
    quotas = []
    for directory, top, version in _memberships("cpu"):
        quotas += [q for q in _quotas_up_to(directory, top, version) if q is not None]
    return min(quotas) if quotas else None


def _quotas_up_to(directory: Path, top: Path, version: int) -> list[float | None]:
    found = []
    while True:
        found.append(_quota(directory, version))
        if directory == top or directory.parent == directory or not directory.is_relative_to(top):
            return found
        directory = directory.parent


def _quota(directory: Path, version: int) -> float | None:
    """The quota of one group, in cores, or None where it has none ("max", or -1 in v1)."""
    if version == 2:
        words = _words(directory / "cpu.max") + ["", ""]  # "max 100000", "150000 100000"
        quota, period = words[0], words[1]
    else:
        quota = " ".join(_words(directory / "cpu.cfs_quota_us")) or "-1"
        period = " ".join(_words(directory / "cpu.cfs_period_us"))
    try:
        quota_us, period_us = int(quota), int(period)
    except ValueError:
        return None
    return quota_us / period_us if quota_us > 0 and period_us > 0 else None


def _own_groups(controller: str) -> list[tuple[Path, int]]:
    """Directories of this process's own group in each hierarchy that has ``controller`` and
    lets groups below it use the controller."""
    return [(directory, version) for directory, _, version in _memberships(controller)
            # v2 lets a child group use only what its parent hands down
            if version == 1 or controller in _words(directory / "cgroup.subtree_control")]


def _memberships(controller: str) -> list[tuple[Path, Path, int]]:
    """This process's own group in each hierarchy that has ``controller``: its directory, the
    hierarchy's mount point and the cgroup version."""
    try:
        memberships = Path("/proc/self/cgroup").read_text().splitlines()
        mounts = Path("/proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return []
    found = []
    for line in memberships:
        _, controllers, own = line.split(":", 2)
        v1 = controller in controllers.split(",")
        if not v1 and controllers != "":
            continue
        for mount in mounts:
            fields = mount.split()
            dash = fields.index("-")
            fstype, options = fields[dash + 1], fields[dash + 3].split(",")
            root, point = fields[3], fields[4]
            if v1 and fstype == "cgroup" and controller in options:
                version = 1
            elif not v1 and fstype == "cgroup2":
                version = 2
            else:
                continue
            relative = own[len(root):] if root != "/" and own.startswith(root) else own
            found.append((Path(point) / relative.lstrip("/"), Path(point), version))
    return found


def _words(path: Path) -> list[str]:
    try:
        return path.read_text().split()
    except OSError:
        return []

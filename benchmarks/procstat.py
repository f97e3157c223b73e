"""Memory figures of the running process, for the benchmark children."""

from __future__ import annotations


def proc_status_mb(field: str) -> float | None:
    """A memory figure of this process from /proc/self/status (Linux), in MB, e.g. VmHWM or VmRSS.

    VmHWM is the peak RSS of this process's own address space. ru_maxrss can be larger: Linux
    carries the parent's RSS at fork into the child's ru_maxrss across exec.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None

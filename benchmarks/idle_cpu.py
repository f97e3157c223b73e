"""Idle CPU: carnk-tui beside a bare Textual app in real pseudo-terminals, and idle `carnk-tui serve` sessions.

    python benchmarks/idle_cpu.py                # carnk-tui and a bare app (Header, Tree, Footer), side by side
    python benchmarks/idle_cpu.py --serve 20     # the same, then 20 idle browser sessions of `carnk-tui serve`
    python benchmarks/idle_cpu.py --json         # one JSON object on the last line (benchmarks/run.py reads it)

Terminal: both programs start at the same time, each in a pseudo-terminal of its own (100x30) whose
output this script reads and throws away, as a terminal would draw it. Once each has drawn its first
frame (a word it shows appears) and its output has gone quiet for a moment (or after --settle s at
most), the CPU time of each process (utime + stime of all its threads, from /proc/PID/stat) is read,
then again --seconds later. The bare app is the floor: what Textual itself costs while nothing happens.

Serve: `carnk-tui serve` runs on a free local port; this script opens N websocket sessions on it as a
browser page would (textual-serve's /ws endpoint, no browser needed: the app processes cannot tell),
waits for each session's first frame, then measures the CPU time of the N app processes the server
started (the server itself is reported apart). Sessions answer nothing, type nothing: idle users.

Targets (issue 14): carnk-tui idle < 1% of a core over 10 s; N=20 idle serve sessions < 10% together.
Linux only (/proc). Runs from the repository (the package is imported from here).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import json
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Iterator
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable
TICK = os.sysconf("SC_CLK_TCK")
SIZE = (100, 30)
TARGET_APP_PCT = 1.0
TARGET_SERVE_PCT = 10.0

#: the reference: what a Textual app with a header, a tree and a footer costs while idle
BARE_APP = """
from textual.app import App
from textual.widgets import Footer, Header, Tree


class Bare(App):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self):
        yield Header()
        tree = Tree("bare-tree-root")
        for n in range(3):
            branch = tree.root.add(f"branch {n}", expand=n == 0)
            for m in range(5):
                branch.add_leaf(f"leaf {n}.{m}")
        tree.root.expand()
        yield tree
        yield Footer()


Bare().run()
"""
ANSI = re.compile(rb"\x1b(?:\[[0-9;?<>=!$]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|P[^\x1b]*\x1b\\"
                  rb"|[()][0-9A-Za-z]|[=>78])")


def cpu_seconds(pid: int) -> float:
    """utime + stime of the process (all its threads), in seconds, from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat", "rb") as handle:
        fields = handle.read().rsplit(b")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # fields 14 and 15 of proc(5), counted after the name


def cpu_or_none(pid: int) -> float | None:
    """`cpu_seconds`, or None when the process has ended."""
    try:
        return cpu_seconds(pid)
    except OSError:
        return None


def child_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["CARNK_TUI_CONFIG_DIR"] = str(home / "config")  # no remembered preference of the user's is read or written
    env["CARNK_TUI_CACHE_DIR"] = str(home / "cache")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    env["TERM"] = "xterm-256color"
    env["COLORTERM"] = "truecolor"
    env.pop("TEXTUAL", None)  # no devtools
    return env


# ------------------------------------------------------------------ terminal
@dataclass
class PtyProcess:
    """A program in a pseudo-terminal of its own; a thread reads (and keeps only the text of) what it draws."""

    name: str
    argv: list[str]
    marker: bytes
    env: dict[str, str]
    process: subprocess.Popen[bytes] = field(init=False)
    master: int = field(init=False)
    text: bytearray = field(default_factory=bytearray)
    written: int = 0
    last_output: float = field(default_factory=time.monotonic)

    def start(self) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
        self.process = subprocess.Popen(self.argv, stdin=slave, stdout=slave, stderr=slave, env=self.env, cwd=REPO,
                                        start_new_session=True, close_fds=True)
        os.close(slave)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            self.written += len(data)
            self.last_output = time.monotonic()
            if len(self.text) < 1_000_000:
                self.text += ANSI.sub(b"", data)

    def drawn(self) -> bool:
        return self.marker in self.text

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=5)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(self.process.pid, signal.SIGKILL)
        os.close(self.master)


def wait_until_idle_candidates(procs: list[PtyProcess], deadline: float, settle: float) -> None:
    """Wait for each first frame, then until each has drawn nothing for a second and is not busy (at most
    `settle` s)."""
    while not all(p.drawn() for p in procs):
        for p in procs:
            if p.process.poll() is not None:
                raise SystemExit(f"{p.name} exited ({p.process.returncode}) before its first frame: "
                                 f"{p.text[-400:].decode('utf-8', 'replace')}")
        if time.monotonic() > deadline:
            missing = [p.name for p in procs if not p.drawn()]
            raise SystemExit(f"no first frame within the deadline: {', '.join(missing)}")
        time.sleep(0.05)
    end = time.monotonic() + settle
    cpu = {p.name: cpu_seconds(p.process.pid) for p in procs}
    while time.monotonic() < end:
        time.sleep(0.5)
        now = {p.name: cpu_seconds(p.process.pid) for p in procs}
        busy = any(now[name] - cpu[name] > 0.02 for name in now)  # more than 4% of a core over the last half second
        cpu = now
        if not busy and all(time.monotonic() - p.last_output >= 1.0 for p in procs):
            return


def terminal_run(seconds: float, settle: float, extra_args: list[str], keys: str = "") -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="idle-cpu-") as home:
        env = child_env(Path(home))
        procs = [
            PtyProcess("carnk-tui", [PY, "-m", "carnk_tui", "--lang", "en", *extra_args], b"Timeline", env),
            PtyProcess("bare", [PY, "-c", BARE_APP], b"bare-tree-root", env),
        ]
        try:
            for p in procs:
                p.start()
            wait_until_idle_candidates(procs, time.monotonic() + 120, settle)
            if keys:  # typed into carnk-tui only, to measure it idle in another state (a modal, another tab...)
                os.write(procs[0].master, keys.encode("utf-8").decode("unicode_escape").encode("utf-8"))
                time.sleep(0.2)
                wait_until_idle_candidates(procs, time.monotonic() + 60, settle)
            before = {p.name: (cpu_seconds(p.process.pid), p.written) for p in procs}
            start = time.monotonic()
            time.sleep(seconds)
            elapsed = time.monotonic() - start
            after = {p.name: (cpu_seconds(p.process.pid), p.written) for p in procs}
        finally:
            for p in procs:
                p.stop()
    out: dict[str, Any] = {"seconds": round(elapsed, 2)}
    for name in before:
        cpu = after[name][0] - before[name][0]
        out[name] = {"cpu_s": round(cpu, 3), "pct_core": round(100 * cpu / elapsed, 2),
                     "bytes_drawn": after[name][1] - before[name][1]}
    bare = out["bare"]["cpu_s"]
    out["ratio"] = round(out["carnk-tui"]["cpu_s"] / bare, 2) if bare else None
    return out


# ------------------------------------------------------------------ serve
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serving(env: dict[str, str], *args: str) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """`carnk-tui serve` on a free port (with `args`), once it accepts connections; stopped afterwards."""
    port = free_port()
    server = subprocess.Popen([PY, "-m", "carnk_tui", "serve", "--port", str(port), *args], env=env, cwd=REPO,
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("carnk-tui serve did not start") from None
                time.sleep(0.2)
        yield server, port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def descendants(root: int) -> list[int]:
    """Every process below `root` (from the parent ids in /proc/*/stat)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    ppid = int(handle.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def app_processes(server: int) -> list[int]:
    """The session apps the server started: `python -m carnk_tui ...` below it, not `serve` itself."""
    apps = []
    for pid in descendants(server):
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"carnk_tui" in argv and b"serve" not in argv and b"-c" not in argv:
            apps.append(pid)
    return apps


async def idle_session(url: str, drawn: asyncio.Event, stop: asyncio.Event) -> None:
    """One browser page, as textual-serve's script is to the server: open /ws, receive, send nothing."""
    import aiohttp

    async with aiohttp.ClientSession() as client, client.ws_connect(url, heartbeat=None, max_msg_size=0) as ws:
        received = 0
        while not stop.is_set():
            try:
                message = await asyncio.wait_for(ws.receive(), timeout=0.5)
            except TimeoutError:
                if received:
                    drawn.set()  # something was drawn, then half a second of quiet
                continue
            if message.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                return
            if message.type == aiohttp.WSMsgType.BINARY:
                received += len(message.data)


async def serve_sessions(port: int, n: int, seconds: float, server: int, settle: float) -> dict[str, Any]:
    url = f"ws://127.0.0.1:{port}/ws?width={SIZE[0]}&height={SIZE[1]}"
    stop = asyncio.Event()
    drawn = [asyncio.Event() for _ in range(n)]
    tasks = [asyncio.create_task(idle_session(url, event, stop)) for event in drawn]
    await asyncio.wait_for(asyncio.gather(*(event.wait() for event in drawn)), timeout=60 + 6 * n)
    apps = app_processes(server)
    # 20 apps starting at once on a small machine take a while: wait until together they are quiet for a second
    # (under 10% of a core), `settle` s at most
    settle_end = time.monotonic() + settle
    last = sum(cpu or 0.0 for cpu in map(cpu_or_none, apps))
    while time.monotonic() < settle_end:
        await asyncio.sleep(1.0)
        now = sum(cpu or 0.0 for cpu in map(cpu_or_none, apps))
        quiet, last = now - last < 0.1, now
        if quiet:
            break
    before = {pid: cpu_seconds(pid) for pid in apps}
    server_before = cpu_seconds(server)
    start = time.monotonic()
    await asyncio.sleep(seconds)
    elapsed = time.monotonic() - start
    after = {pid: cpu for pid in apps if (cpu := cpu_or_none(pid)) is not None}
    server_cpu = cpu_seconds(server) - server_before
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    per_app = [after[pid] - before[pid] for pid in after]
    total = sum(per_app)
    return {"sessions": n, "app_processes": len(apps), "seconds": round(elapsed, 2), "apps_cpu_s": round(total, 3),
            "apps_pct_core": round(100 * total / elapsed, 2),
            "per_app_max_pct": round(100 * max(per_app, default=0) / elapsed, 2),
            "server_pct_core": round(100 * server_cpu / elapsed, 2)}


def serve_run(n: int, seconds: float, settle: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="idle-serve-") as home, \
            serving(child_env(Path(home)), "--lang", "en") as (server, port):
        return asyncio.run(serve_sessions(port, n, seconds, server.pid, settle))


# ------------------------------------------------------------------ main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0, help="how long each measure lasts (default 10)")
    parser.add_argument("--settle", type=float, default=15.0,
                        help="most seconds to wait for quiet after the first frame")
    parser.add_argument("--serve", type=int, default=0, metavar="N", help="also measure N idle serve sessions")
    parser.add_argument("--keys", default="", help="text typed into carnk-tui before measuring, with \\ escapes "
                        "(e.g. '/' for the search screen, '3' for a tab)")
    parser.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    parser.add_argument("app_args", nargs="*", help="more arguments for carnk-tui (e.g. --data DIR)")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {"terminal": terminal_run(args.seconds, args.settle, args.app_args, args.keys)}
    term = results["terminal"]
    app, bare = term["carnk-tui"], term["bare"]
    ok = app["pct_core"] < TARGET_APP_PCT
    print(f"idle over {term['seconds']:.1f} s in a {SIZE[0]}x{SIZE[1]} pty:", file=sys.stderr)
    print(f"  carnk-tui  {app['cpu_s']:.2f} s CPU = {app['pct_core']:.2f}% of a core, {app['bytes_drawn']} bytes drawn"
          f"  (target < {TARGET_APP_PCT}%: {'met' if ok else 'MISSED'})", file=sys.stderr)
    print(f"  bare app   {bare['cpu_s']:.2f} s CPU = {bare['pct_core']:.2f}% of a core, "
          f"{bare['bytes_drawn']} bytes drawn", file=sys.stderr)
    print(f"  ratio      {term['ratio'] if term['ratio'] is not None else 'n/a (bare app used no measurable CPU)'}",
          file=sys.stderr)
    if args.serve:
        results["serve"] = served = serve_run(args.serve, args.seconds, max(args.settle, 120.0))
        ok_serve = served["apps_pct_core"] < TARGET_SERVE_PCT
        print(f"{served['sessions']} idle serve sessions ({served['app_processes']} app processes) over "
              f"{served['seconds']:.1f} s: {served['apps_cpu_s']:.2f} s CPU = {served['apps_pct_core']:.2f}% of a core "
              f"together, at most {served['per_app_max_pct']:.2f}% for one; server {served['server_pct_core']:.2f}%"
              f"  (target < {TARGET_SERVE_PCT}%: {'met' if ok_serve else 'MISSED'})", file=sys.stderr)
    if args.json:
        print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Child program: N real browser sessions (Chromium through Playwright) on one `carnk-tui serve`.

    python benchmarks/serve_sessions.py --sessions 20 [--keys 5] [--data DIR]

Starts `carnk-tui serve` on a free local port, opens N pages of one headless Chromium on it (the
browser shares the machine's cores with the server and its N app processes, as on a classroom
laptop), waits until every page's terminal has drawn the app and focused its keyboard, then:

* key -> screen update: for each page in turn (the others connected and idle), presses a key
  (`down`, `up` alternately: the tree's cursor moves and the detail pane is redrawn) and times
  from the press to the first websocket frame the page receives after it, plus two animation
  frames of the page (xterm.js has painted it). `--keys` presses per page; p50/p95/max over all.
* the same with one session connected, first (the reference the issue gives: 31 ms).
* memory per session: resident set (RSS) and proportional set (PSS, shared pages divided among
  the processes that share them) of the N app processes the server started, after the keys.

Prints one JSON object. Needs Debian's /usr/bin/chromium and `playwright` (the tests use both).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from idle_cpu import app_processes, child_env, serving  # benchmarks/ is on the path: this file runs as a script

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
                 "--disable-backgrounding-occluded-windows"]
VIEWPORT = {"width": 1000, "height": 640}


def summary(samples: list[float]) -> dict[str, Any]:
    ms = sorted(s * 1000 for s in samples)
    if not ms:
        return {"n": 0}
    p95 = ms[min(len(ms) - 1, max(0, round(0.95 * len(ms)) - 1))]
    return {"n": len(ms), "p50_ms": statistics.median(ms), "p95_ms": p95, "max_ms": ms[-1]}


def memory_mb(pid: int) -> tuple[float, float] | None:
    """(RSS, PSS) of a process in MB, from /proc/PID/smaps_rollup."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text(encoding="ascii")
    except OSError:
        return None
    values = {line.split(":")[0]: int(line.split()[1]) / 1024 for line in text.splitlines()[1:] if ":" in line}
    return values.get("Rss", 0.0), values.get("Pss", 0.0)


class Session:
    """One browser page on the server: its terminal's websocket and the frames it received."""

    def __init__(self, browser: Any, url: str) -> None:
        self.page = browser.new_page(viewport=VIEWPORT)
        self.frames = 0
        with self.page.expect_websocket(timeout=120_000) as opened:
            self.page.goto(url)
        self.socket = opened.value
        self.socket.on("framereceived", self._count)

    def _count(self, _payload: object) -> None:
        self.frames += 1

    def settle(self, quiet_s: float = 0.5, deadline_s: float = 180.0) -> None:
        """Wait until the app has drawn and then sent nothing for `quiet_s`."""
        end = time.monotonic() + deadline_s
        while time.monotonic() < end:
            before = self.frames
            self.page.wait_for_timeout(quiet_s * 1000)
            if self.frames and self.frames == before:
                return
        raise SystemExit("a session never settled")

    def key(self, key: str) -> float:
        """Seconds from pressing `key` to the first frame after it, painted."""
        before = self.frames
        start = time.perf_counter()
        self.page.keyboard.press(key)
        while self.frames == before:
            self.socket.wait_for_event("framereceived", timeout=30_000)
        self.page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        return time.perf_counter() - start


def open_sessions(browser: Any, url: str, n: int) -> list[Session]:
    sessions = [Session(browser, url) for _ in range(n)]
    for session in sessions:
        session.settle()
        session.page.focus(".xterm-helper-textarea")
    for session in sessions:
        session.settle()
    return sessions


def keys(sessions: list[Session], presses: int) -> list[float]:
    out = []
    for i in range(presses):
        for session in sessions:
            out.append(session.key("ArrowDown" if i % 2 == 0 else "ArrowUp"))
            session.settle(0.2)  # the update is complete before the next page's key
    return out


def run(n: int, presses: int, data: list[str]) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    args = ["--lang", "en", *(arg for d in data for arg in ("--data", d))]
    with tempfile.TemporaryDirectory(prefix="serve-bench-") as home, \
            serving(child_env(Path(home)), *args) as (server, port):
        url = f"http://127.0.0.1:{port}/"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                start = time.perf_counter()
                one = open_sessions(browser, url, 1)
                single = keys(one, presses)
                more = open_sessions(browser, url, n - 1) if n > 1 else []
                opened_s = time.perf_counter() - start
                many = keys([*one, *more], presses)
                apps = app_processes(server.pid)
                memory = [m for m in map(memory_mb, apps) if m is not None]
            finally:
                browser.close()
    rss = [m[0] for m in memory]
    pss = [m[1] for m in memory]
    return {"sessions": n, "app_processes": len(apps), "presses_per_session": presses,
            "open_all_s": round(opened_s, 1),
            "one_session": summary(single), "all_sessions": summary(many),
            "rss_mb_mean": statistics.mean(rss) if rss else None, "rss_mb_max": max(rss, default=None),
            "pss_mb_mean": statistics.mean(pss) if pss else None}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--keys", type=int, default=4, help="key presses per session (default 4)")
    parser.add_argument("--data", action="append", default=[], help="knowledge base (default: the bundled one)")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        raise SystemExit("no /usr/bin/chromium")
    print(json.dumps(run(args.sessions, args.keys, args.data)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

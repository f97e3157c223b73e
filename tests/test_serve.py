"""`carnk-tui serve`: an offline page, the right interpreter, a real server, and a real browser."""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from carnk_tui import serve
from carnk_tui.cli import main
from carnk_tui.ui.keys import KEY_TEXT
from carnk_tui.kb.model import text

ROOT = Path(__file__).resolve().parent.parent
SCREENS = ROOT / "screens"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
OUTSIDE = ("fonts.googleapis", "fonts.gstatic", "cdn", "unpkg", "jsdelivr", "cloudflare")


# ------------------------------------------------------------------ helpers
def references(html: str) -> list[str]:
    """Every address a page may load: src=, href=, url(...), @import, and any absolute URL in it."""
    found = re.findall(r"""\b(?:src|href)\s*=\s*["']([^"']*)["']""", html, re.IGNORECASE)
    found += re.findall(r"""(?<![\w.])url\(\s*["']?([^"')]+)["']?\s*\)""", html)  # CSS url(), not JS's new URL()
    found += re.findall(r"""@import\s+(?:url\()?\s*["']?([^"');\s]+)""", html, re.IGNORECASE)
    found += re.findall(r"""(?:https?|wss?)://[^\s"'<>)]*""", html, re.IGNORECASE)
    return found


def outside_references(html: str, own: str | None = None) -> list[str]:
    """The references that leave this page's own server."""
    bad = []
    for ref in references(html):
        absolute = re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", ref, re.IGNORECASE)
        ours = own and (ref.startswith(own) or ref.startswith("ws" + own[4:]))
        if (absolute and not ours) or any(host in ref.lower() for host in OUTSIDE):
            bad.append(ref)
    return bad


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode("utf-8")


class Served:
    """`carnk-tui serve` in a subprocess of its own process group, stopped by the test that started it."""

    def __init__(self, *options: str, deadline: float = 60.0) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        argv = [sys.executable, "-m", "carnk_tui", "serve", "--port", str(self.port), *options]
        self.process = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        stdin=subprocess.DEVNULL, start_new_session=True)
        self.page = self._wait_for_page(time.monotonic() + deadline)

    def _wait_for_page(self, deadline: float) -> str:
        last: Exception | None = None
        while time.monotonic() < deadline:
            try:
                status, body = fetch(self.url)
                assert status == 200
                return body
            except (urllib.error.URLError, ConnectionError, OSError) as error:
                last = error
            try:  # wait on the process: returns at once if it died, else after a short while
                self.process.wait(timeout=0.25)
            except subprocess.TimeoutExpired:
                continue
            self.stop()
            pytest.fail(f"carnk-tui serve exited with {self.process.returncode}: {self.stderr}")
        self.stop()
        pytest.fail(f"no answer from {self.url} in time: {last}; {self.stderr}")

    @property
    def stderr(self) -> str:
        return getattr(self, "_stderr", "")

    def stop(self) -> None:
        if hasattr(self, "_stderr"):
            return
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # the server and any app it started for a browser
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)
        _, err = self.process.communicate(timeout=15)
        self._stderr = err.decode("utf-8", "replace")


# ------------------------------------------------------------------ (a) the page names no other host
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_names_no_other_host(lang):
    html = serve.render_page(title="T", lang=lang, public_url=None)
    assert references(html), "the reference finder found nothing: it is broken"
    assert outside_references(html) == []
    assert not re.search(r"https?://", html)
    assert serve.FONT_STACK in html  # the page's own text uses the CJK-aware stack too
    assert "&#34;" not in html and "&quot;" not in html  # the stack is CSS, not escaped HTML
    assert 'lang="zh-CN"' in html if lang == "zh" else 'lang="en"' in html


def test_the_checker_catches_an_outside_request():
    """The check above would see textual-serve's own page asking Google Fonts."""
    original = (serve._textual_serve_dir() / "templates" / "app_index.html").read_text(encoding="utf-8")
    assert any("fonts.googleapis" in ref for ref in outside_references(original))
    assert outside_references('<img src="//cdn.example.org/x.png">') and outside_references("a{b:url(unpkg/x)}")
    assert outside_references('<style>@import "https://example.org/x.css";</style>')


def test_page_with_a_public_url_only_names_that_url():
    own = "https://talks.example.test/carnk"
    html = serve.render_page(title="T", lang="en", public_url=own)
    absolute = [ref for ref in references(html) if "//" in ref]
    assert absolute and all(ref.startswith((own, "wss://talks.example.test/carnk")) for ref in absolute)
    assert outside_references(html, own) == []
    assert 'data-session-websocket-url="wss://talks.example.test/carnk/ws"' in html


def test_terminal_script_uses_the_cjk_font_stack_and_no_web_font():
    script = serve.terminal_script()
    assert serve.XTERM_FONT_OPTION not in script  # textual-serve's Roboto Mono setting was replaced...
    assert "fontFamily:" + __import__("json").dumps(serve.FONT_STACK) in script  # ...by ours
    assert "Noto Sans Mono CJK SC" in serve.FONT_STACK and serve.FONT_STACK.endswith("monospace")
    for host in ("fonts.googleapis", "unpkg.com", "jsdelivr"):
        assert host not in script
    css = (serve._textual_serve_dir() / "static" / "css" / "xterm.css").read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)  # its licence header names where xterm.js came from
    assert "url(" not in css and outside_references(css) == []


async def test_server_answers_every_asset_the_page_names(kb):
    """In-process: the page and everything it refers to come from this server."""
    from aiohttp.test_utils import TestClient, TestServer

    server = serve.make_server("true", title=text(kb.meta.title, "zh"), lang="zh")
    client = TestClient(TestServer(await server._make_app()))
    await client.start_server()
    try:
        response = await client.get("/")
        assert response.status == 200
        html = await response.text()
        assert f"<title>{text(kb.meta.title, 'zh')}</title>" in html
        assets = [ref for ref in references(html) if "//" not in ref]
        assert {"static/css/xterm.css", "carnk/terminal.js", "static/images/background.png"} <= set(assets)
        for asset in assets:
            got = await client.get("/" + asset)
            assert got.status == 200, asset
        script = await (await client.get("/carnk/terminal.js")).text()
        assert serve.FONT_STACK.split(",")[0].strip('"') in script
    finally:
        await client.close()


# ------------------------------------------------------------------ (b) the command it runs
def test_command_is_this_interpreter_running_the_package(tmp_path):
    command = serve.app_command(lang="en", data=tmp_path / "kb dir", extra=[tmp_path / "x"], present=True)
    assert shlex.split(command) == [sys.executable, "-m", "carnk_tui", "--data", str((tmp_path / "kb dir").resolve()),
                                    "--extra", str((tmp_path / "x").resolve()), "--lang", "en", "present"]
    assert shlex.split(serve.app_command()) == [sys.executable, "-m", "carnk_tui"]
    spaced = serve.app_command(python="/opt/my python/bin/python3")
    assert shlex.split(spaced)[0] == "/opt/my python/bin/python3"


def test_cli_serves_with_sys_executable_on_loopback_by_default(monkeypatch, capsys):
    from textual_serve.server import Server

    started: list[Server] = []
    monkeypatch.setattr(Server, "serve", lambda self, debug=False: started.append(self))
    assert main(["--lang", "en", "serve", "--port", "8123"]) == 0
    (server,) = started
    assert shlex.split(server.command) == [sys.executable, "-m", "carnk_tui", "--lang", "en"]
    assert (server.host, server.port) == ("127.0.0.1", 8123)
    assert "warning" not in capsys.readouterr().err.lower()

    assert server.font_size == 16
    assert main(["serve", "--host", "0.0.0.0", "--port", "8124", "--present", "--lang", "zh", "--font-size", "30"]) == 0
    server = started[-1]
    assert server.host == "0.0.0.0" and shlex.split(server.command)[-3:] == ["--lang", "zh", "present"]
    assert server.font_size == 30
    err = capsys.readouterr().err
    assert "warning" in err and "reachable from the network" in err


async def test_font_size_from_the_command_line_or_the_address():
    from aiohttp.test_utils import TestClient, TestServer

    client = TestClient(TestServer(await serve.make_server("true", font_size=28)._make_app()))
    await client.start_server()
    try:
        assert 'data-font-size="28"' in await (await client.get("/")).text()
        assert 'data-font-size="20"' in await (await client.get("/?fontsize=20")).text()
        assert 'data-font-size="96"' in await (await client.get("/?fontsize=5000")).text()
    finally:
        await client.close()


def test_loopback_addresses():
    for host in ("127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"):
        assert serve.is_loopback(host), host
    for host in ("0.0.0.0", "::", "192.168.1.10", "example.org"):
        assert not serve.is_loopback(host), host


# ------------------------------------------------------------------ (c) a real server
def test_serve_answers_on_loopback_with_the_offline_page(kb):
    served = Served("--lang", "en")
    try:
        html = served.page
        assert f"<title>{text(kb.meta.title, 'en')}</title>" in html
        assert outside_references(html) == []
        assert serve.FONT_STACK in html
        status, script = fetch(served.url + serve.SCRIPT_PATH)
        assert status == 200 and serve.FONT_STACK.split(",")[0].strip('"') in script
    finally:
        served.stop()
    assert served.process.returncode is not None


# ------------------------------------------------------------------ (d) a real browser
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]")


def test_browser_draws_the_app_in_both_languages(kb, tmp_path):
    """Screenshots go to a temporary folder; with CARNK_TUI_UPDATE_SCREENS=1 to screens/ for the README."""
    shots = SCREENS if os.environ.get("CARNK_TUI_UPDATE_SCREENS") else tmp_path
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium: install Debian's chromium (and fonts-noto-cjk) to run the browser test")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed: pip install playwright (the browser is Debian's chromium)")

    served = Served("--lang", "zh")
    requests: list[str] = []
    received = bytearray()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                page.on("request", lambda request: requests.append(request.url))
                # listen to the terminal's frames from the moment its websocket opens, so none is missed
                page.on("websocket", lambda ws: ws.on(
                    "framereceived", lambda payload: received.extend(payload if isinstance(payload, bytes) else b"")))
                with page.expect_websocket(timeout=30_000) as opened:
                    page.goto(served.url)
                socket_ = opened.value

                def wait_for(*texts: str, since: int = 0) -> None:
                    """Wait, frame by frame, until the terminal has been sent every one of `texts`."""
                    deadline = time.monotonic() + 30
                    while True:
                        screen = ANSI.sub("", received[since:].decode("utf-8", "ignore"))
                        if all(t in screen for t in texts):
                            break
                        left = deadline - time.monotonic()
                        assert left > 0, f"the app never drew {texts!r}"
                        socket_.wait_for_event("framereceived", timeout=left * 1000)
                    # and let the terminal paint what it received
                    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")

                wait_for(text(kb.meta.title, "zh"), kb.meta.as_of)
                # the keyboard goes to the terminal; focused, the app draws its footer of keys too
                before = len(received)
                page.focus(".xterm-helper-textarea")
                wait_for(KEY_TEXT["app.quit"][0], since=before)
                shots.mkdir(exist_ok=True)
                page.screenshot(path=str(shots / "browser-zh.png"))
                before = len(received)
                page.keyboard.press("l")
                wait_for(text(kb.meta.title, "en"), KEY_TEXT["app.quit"][1], since=before)
                page.screenshot(path=str(shots / "browser-en.png"))
            finally:
                browser.close()
    finally:
        served.stop()
    for name in ("browser-zh.png", "browser-en.png"):
        assert (shots / name).stat().st_size > 10_000
    origin = served.url.rstrip("/")
    assert requests and all(url.startswith((origin, "ws://127.0.0.1")) for url in requests), requests

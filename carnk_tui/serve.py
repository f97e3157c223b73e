"""`carnk-tui serve`: the app in a web browser, through textual-serve, with no request to any other host.

textual-serve's own page asks Google Fonts for its typeface, and its terminal script names that
typeface for xterm.js. A meeting room may have no internet, and Chinese needs CJK fonts, so the page
here is our own template (carnk_tui/serve_templates/) and the terminal script is textual-serve's with
xterm.js's `fontFamily` option set to a monospace stack that falls back to common CJK fonts.

Each browser session runs ``python -m carnk_tui ...`` with this very interpreter (`sys.executable`).
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import logging
import shlex
import sys
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from carnk_tui.kb.locations import PACKAGE_DIR

if TYPE_CHECKING:
    from carnk_tui.kb.knowledge_base import KnowledgeBase

log = logging.getLogger("carnk-tui.serve")

TEMPLATES_DIR = PACKAGE_DIR / "serve_templates"

#: the terminal's font: CJK monospace fonts first, so that a Chinese character is exactly two cells
FONT_STACK = (
    '"Noto Sans Mono CJK SC", "Sarasa Mono SC", "Microsoft YaHei Mono", "Microsoft YaHei", "PingFang SC", '
    '"Hiragino Sans GB", "Noto Sans CJK SC", "WenQuanYi Micro Hei Mono", "Source Han Sans SC", monospace'
)
#: how textual-serve's terminal script sets xterm.js's font (textual-serve 1.1)
XTERM_FONT_OPTION = "fontFamily:\"'Roboto Mono', Monaco, 'Courier New', monospace\""
SCRIPT_PATH = "carnk/terminal.js"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

_PAGE_WORDS = {"zh": ("会话已结束。", "重新开始"), "en": ("Session ended.", "Restart")}


def app_command(*, lang: str | None = None, data: Path | None = None, extra: Sequence[Path] = (),
                present: bool = False, python: str | None = None) -> str:
    """The shell command each browser session runs: this interpreter, `-m carnk_tui`, the passed-through options."""
    argv = [python or sys.executable, "-m", "carnk_tui"]
    if data is not None:
        argv += ["--data", str(Path(data).resolve())]
    for directory in extra:
        argv += ["--extra", str(Path(directory).resolve())]
    if lang:
        argv += ["--lang", lang]
    if present:
        argv.append("present")
    return shlex.join(argv)


def is_loopback(host: str) -> bool:
    """Whether `host` only answers this machine (localhost, 127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def default_public_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}"


def _textual_serve_dir() -> Path:
    import textual_serve

    return Path(textual_serve.__file__).resolve().parent


@lru_cache(maxsize=1)
def terminal_script() -> str:
    """textual-serve's terminal script, with xterm.js told to use `FONT_STACK`."""
    script = (_textual_serve_dir() / "static" / "js" / "textual.js").read_text(encoding="utf-8")
    if XTERM_FONT_OPTION not in script:
        log.warning("textual-serve's terminal script has changed: its font could not be set; "
                    "Chinese text may not line up")
        return script
    return script.replace(XTERM_FONT_OPTION, "fontFamily:" + json.dumps(FONT_STACK), 1)


def page_context(*, title: str, lang: str, public_url: str | None, font_size: int = 16) -> dict[str, Any]:
    """What the page template is filled with. Without a public URL every address is relative to the page."""
    base = public_url.rstrip("/") + "/" if public_url else ""
    websocket_url = ""
    if public_url:
        scheme, rest = base.split(":", 1)
        websocket_url = ("wss:" if scheme == "https" else "ws:") + rest + "ws"
    ended, restart = _PAGE_WORDS["zh" if lang == "zh" else "en"]
    return {
        "page_title": title,
        "html_lang": "zh-CN" if lang == "zh" else "en",
        "static_url": base + "static/",
        "script_url": base + SCRIPT_PATH,
        "websocket_url": websocket_url,
        "font_size": font_size,
        "font_stack": FONT_STACK,
        "ended": ended,
        "restart": restart,
    }


def render_page(**context_args: Any) -> str:
    """The page as `carnk-tui serve` sends it (for tests and for checking it offline)."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR), autoescape=True)
    return env.get_template("app_index.html").render(**page_context(**context_args))


def make_server(command: str, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, title: str = "carnk-tui",
                lang: str = "zh", public_url: str | None = None, font_size: int = 16) -> Any:
    """A textual-serve `Server` that sends our offline page and font-patched terminal script."""
    import aiohttp_jinja2
    from aiohttp import web
    from textual_serve.server import Server, to_int

    class OfflineServer(Server):
        def __init__(self) -> None:
            super().__init__(command, host=host, port=port, title=title,
                             public_url=public_url or default_public_url(host, port),
                             templates_path=TEMPLATES_DIR)
            self.explicit_public_url = public_url
            self.lang = lang
            self.font_size = font_size

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.router.add_get("/" + SCRIPT_PATH, self.handle_script)
            return app

        async def handle_script(self, request: web.Request) -> web.Response:
            return web.Response(text=terminal_script(), content_type="application/javascript", charset="utf-8")

        @aiohttp_jinja2.template("app_index.html")
        async def handle_index(self, request: web.Request) -> dict[str, Any]:
            # ?fontsize=28 in the address, or --font-size, makes the text bigger (for a projector)
            size = to_int(request.query.get("fontsize", str(self.font_size)), self.font_size)
            return page_context(title=self.title, lang=self.lang, public_url=self.explicit_public_url,
                                font_size=max(6, min(size, 96)))

        async def on_startup(self, app: web.Application) -> None:
            where = self.public_url
            if public_url is None and host.strip("[]") in ("0.0.0.0", "::"):
                where = f"every address of this machine, port {port}"
            self.console.print(f"carnk-tui: serving on [bold]{where}[/] (Ctrl+C stops)", highlight=False)
            self.console.print(f"each browser session runs: {self.command}", highlight=False, style="dim")

    return OfflineServer()


def run(args: argparse.Namespace, kb: KnowledgeBase) -> int:
    """`carnk-tui serve` with the knowledge base already checked: warn when reachable from the network, serve."""
    from carnk_tui.views.i18n import default_lang

    try:
        import textual_serve  # noqa: F401
    except ImportError:
        print("carnk-tui: serving needs textual-serve: pip install textual-serve", file=sys.stderr)
        return 1
    lang = args.lang or default_lang()
    host, port = args.host, args.port
    if not is_loopback(host):
        print(f"carnk-tui: warning: serving on {host}:{port}: the app is then reachable from the network, "
              "by anyone who can reach this machine. Use --host 127.0.0.1 to keep it on this machine.",
              file=sys.stderr)
    command = app_command(lang=args.lang, data=args.data, extra=args.extra, present=args.present)
    server = make_server(command, host=host, port=port, title=kb.meta.title.get(lang), lang=lang,
                         public_url=args.public_url, font_size=args.font_size)
    server.serve()
    return 0

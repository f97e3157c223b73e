"""What the user sees, read through Textual's public API only (no compositor, no private attribute)."""

from __future__ import annotations

import html
import re
from typing import Any

from rich.cells import cell_len
from textual.app import App

#: Rich's SVG export: a character cell is 0.61 of the 20 px font size wide
CHAR_WIDTH = 20 * 0.61
_TEXT = re.compile(r'<text [^>]*?\bx="([0-9.]+)"[^>]*?clip-path="url\(#[^)]*?-line-(\d+)\)"[^>]*>(.*?)</text>', re.S)


def screen_lines(app: App[Any]) -> list[str]:
    """The characters on the terminal, row by row, as the user sees them (from `App.export_screenshot`).

    The SVG places each run of text at its cell; blank runs are left out, so the gaps are filled with spaces.
    """
    width, height = app.size
    rows: list[list[tuple[int, str]]] = [[] for _ in range(height)]
    for x, line, content in _TEXT.findall(app.export_screenshot()):
        if int(line) < height:
            run = html.unescape(content).replace("\xa0", " ").replace("\n", "")
            rows[int(line)].append((round(float(x) / CHAR_WIDTH), run))
    lines = []
    for runs in rows:
        text = ""
        for column, run in sorted(runs):
            text += " " * max(0, column - cell_len(text)) + run
        lines.append(text + " " * max(0, width - cell_len(text)))
    return lines


def record_notifications(app: App[Any]) -> list[str]:
    """Every message `app` notifies from now on, in order (`App.notify` is wrapped: the toasts still show).

    Call it before `run_test()` to catch what the app says while it starts.
    """
    messages: list[str] = []
    notify = app.notify

    def recording(message: Any, *args: Any, **kwargs: Any) -> None:
        messages.append(str(message))
        notify(message, *args, **kwargs)

    app.notify = recording  # type: ignore[method-assign]
    return messages

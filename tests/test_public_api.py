"""The package and the tests use Textual's public API only: a Textual upgrade must not break them unannounced.

The rule, checked on the syntax tree of every Python file of carnk_tui/, tests/ and benchmarks/:
* no import from a Textual module whose path has a private part (`textual._compositor`,
  `textual.widgets._footer`), and no private name imported from any Textual module;
* no attribute `x._name` where `_name` is a private attribute (one underscore, not a dunder) of a Textual
  class: App, Screen, ModalScreen, Widget, Pilot, Timer, Worker, WorkerManager, Message, every event class
  and every widget `textual.widgets` exports (with their Textual bases; instance attributes included);
* on `self` / `cls`, only the names private to App, Screen, Widget and the other core classes count: our
  screens and widgets extend those, and reusing such a name would silently override Textual's. A name only
  some other widget has privately (Tree's `_build`) is free for our own classes.
"""

from __future__ import annotations

import ast
import inspect
import re
from functools import cache
from pathlib import Path

import textual.widgets
from textual import events
from textual.app import App
from textual.message import Message
from textual.pilot import Pilot
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.worker import Worker
from textual.worker_manager import WorkerManager

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ("carnk_tui", "tests", "benchmarks")


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


CORE = (App, Screen, ModalScreen, Widget, Pilot, Timer, Worker, WorkerManager, Message)


def private_names(classes: list[type]) -> frozenset[str]:
    """Private names of `classes` and their Textual bases: class attributes, and what their methods set on
    instances (`self._exit = ...`)."""
    names = {name for cls in classes for name in dir(cls) if is_private(name)}
    sources = {klass for cls in classes for klass in cls.__mro__ if klass.__module__.split(".")[0] == "textual"}
    for klass in sources:
        names.update(re.findall(r"\bself\.(_[A-Za-z]\w*)\s*(?::[^=\n]*)?=", inspect.getsource(klass)))
    return frozenset(name for name in names if is_private(name))


@cache
def textual_private_names() -> tuple[frozenset[str], frozenset[str]]:
    """(the core classes' private names, those of every event and exported widget as well)."""
    others: list[type] = [c for _, c in inspect.getmembers(events, inspect.isclass) if issubclass(c, Message)]
    others += [c for c in (getattr(textual.widgets, n) for n in textual.widgets.__all__) if inspect.isclass(c)]
    core = private_names(list(CORE))
    return core, core | private_names(others)


def violations(source: str, where: str) -> list[str]:
    core, everything = textual_private_names()
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "textual":
            if any(is_private(part) for part in node.module.split(".")):
                found.append(f"{where}:{node.lineno}: import from {node.module}")
            found += [f"{where}:{node.lineno}: import {a.name} from {node.module}" for a in node.names
                      if is_private(a.name)]
        elif isinstance(node, ast.Import):
            found += [f"{where}:{node.lineno}: import {a.name}" for a in node.names
                      if a.name.split(".")[0] == "textual" and any(is_private(p) for p in a.name.split("."))]
        elif isinstance(node, ast.Attribute) and is_private(node.attr):
            own = isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")
            if node.attr in (core if own else everything):
                found.append(f"{where}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_private_textual_name_in_the_package_tests_or_benchmarks():
    found = []
    for folder in CHECKED:
        for file in sorted((ROOT / folder).rglob("*.py")):
            found += violations(file.read_text(encoding="utf-8"), str(file.relative_to(ROOT)))
    assert found == []


def test_the_rule_catches_what_it_should():
    """What the rule is for (so a change that blinds it fails): the uses this project once had."""
    bad = """
from textual.widgets._footer import FooterKey
from textual._wait import wait_for_idle
from textual.keys import _character_to_key
import textual._compositor
messages = [n.message for n in app._notifications]
assert app._exit
lines = app.screen._compositor.render_strips()
"""
    assert len(violations(bad, "x")) == 7
    fine = """
from textual.widgets import Footer
from carnk_tui.kb import _private_of_ours
self._build = build
history._entries.append(1)
self._stamp = ()
app.notify("hi")
"""
    assert violations(fine, "x") == []

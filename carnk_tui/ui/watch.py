"""Watching the data directories for edits: the operating system reports them, nothing polls.

A thread blocks on the OS's file events (inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW
on Windows, through watchfiles) and posts `DataFilesChanged` to the app when a YAML file under a data
directory is added, edited or removed. While nothing changes, the thread sleeps: it only looks up every
`STEP_MS` whether the app has stopped it (watchfiles' stop check; measured at about 0.02% of a core).
The thread ends when the app stops running, or when `stop()` is called.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from textual.app import App

log = logging.getLogger("carnk-tui.watch")

#: the suffixes of the files the loader reads (carnk_tui.kb.loader.YAML_SUFFIXES)
YAML_SUFFIXES = (".yaml", ".yml")
#: how often the waiting thread checks that it should stop, in milliseconds (the most an exit waits for it)
STEP_MS = 200


@dataclass
class DataFilesChanged(Message):
    """A YAML file under a data directory was added, edited or removed."""

    paths: tuple[str, ...]


def is_data_file(path: str) -> bool:
    """Whether `path` is one of the files the loader reads."""
    return path.lower().endswith(YAML_SUFFIXES)


def concerns_data(path: str) -> bool:
    """Whether an event on `path` may change the knowledge base: a YAML file, or a folder (the loader reads
    sub-folders: files copied into a new folder may come before the OS watches it; a folder moved away takes
    its files without an event for each)."""
    if is_data_file(path):
        return True
    where = Path(path)
    return where.is_dir() or (not where.exists() and not where.suffix)


class DataWatcher:
    """Watches `dirs` for the app in a thread of its own; `start()` once the data is loaded.

    A plain daemon thread rather than a Textual worker: it lives as long as the app, and a worker that never
    finishes would make every `app.workers.wait_for_complete()` wait forever. It stops within STEP_MS of the
    app stopping (or of `stop()`), and being a daemon it never holds up the interpreter's exit.
    """

    def __init__(self, app: App[Any], dirs: Sequence[Path], accept: Callable[[str], bool] = concerns_data,
                 message: Callable[[tuple[str, ...]], Message] = DataFilesChanged) -> None:
        """`accept` says which paths matter (default: the loader's files); `message` is what is posted."""
        self.app = app
        self.dirs = [Path(d) for d in dirs]
        self.accept = accept
        self.message = message
        self.stopped = threading.Event()
        #: set once the operating system watches the directories (watchfiles asks `is_set` from then on):
        #: a change made before may have been missed, one made after is reported
        self.watching = threading.Event()
        self.thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    def start(self) -> None:
        if self.thread is None:
            self.thread = threading.Thread(target=self._watch, name="carnk-tui watch data", daemon=True)
            self.thread.start()

    def stop(self) -> None:
        """Stop watching (the thread ends within STEP_MS)."""
        self.stopped.set()

    def is_set(self) -> bool:
        """What watchfiles asks between waits: stop? (asked, stopped, or the app no longer runs)."""
        self.watching.set()
        return self.stopped.is_set() or not self.app.is_running

    def _watch(self) -> None:
        dirs = [d for d in self.dirs if d.is_dir()]
        if not dirs or self.stopped.is_set() or not self.app.is_running:
            return
        try:
            from watchfiles import watch

            for changes in watch(*dirs, watch_filter=lambda _change, path: self.accept(path), step=STEP_MS,
                                 stop_event=self, rust_timeout=0, raise_interrupt=False):
                self.app.post_message(self.message(tuple(sorted(path for _change, path in changes))))
        except (ImportError, OSError, RuntimeError) as error:  # no watcher for these directories: `r` still reloads
            log.warning("the data directories are not watched for edits: %s", error)

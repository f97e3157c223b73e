"""Watching the data directories for edits: the operating system reports them, nothing polls.

A thread worker blocks on the OS's file events (inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW
on Windows, through watchfiles) and posts `DataFilesChanged` to the app when a YAML file under a data
directory is added, edited or removed. While nothing changes, the thread sleeps: it only looks up every
`STEP_MS` whether the app has stopped it (watchfiles' stop check; measured at about 0.02% of a core).
The worker ends when the app cancels its workers on exit, or when `stop()` is called.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.message import Message
from textual.worker import Worker, get_current_worker

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


class _StopWhen:
    """What watchfiles asks between waits: has the worker been cancelled (the app is exiting) or stopped?"""

    def __init__(self, worker: Worker[None]) -> None:
        self.worker = worker
        self.stopped = threading.Event()

    def is_set(self) -> bool:
        return self.stopped.is_set() or self.worker.is_cancelled


class DataWatcher:
    """Watches `dirs` for the app in a thread worker; `start()` once the data is loaded."""

    def __init__(self, app: App[Any], dirs: Sequence[Path]) -> None:
        self.app = app
        self.dirs = [Path(d) for d in dirs]
        self._stop: _StopWhen | None = None
        self.worker: Worker[None] | None = None

    def start(self) -> Worker[None]:
        self.worker = self.app.run_worker(self._watch, name="watch data directories", group="watch-data",
                                          thread=True, exclusive=True, exit_on_error=False)
        return self.worker

    def stop(self) -> None:
        """Stop watching (the thread ends within STEP_MS)."""
        if self._stop is not None:
            self._stop.stopped.set()
        if self.worker is not None:
            self.worker.cancel()

    def _watch(self) -> None:
        stop = self._stop = _StopWhen(get_current_worker())  # type: ignore[arg-type]
        dirs = [d for d in self.dirs if d.is_dir()]
        if not dirs or stop.is_set():
            return
        try:
            from watchfiles import watch

            for changes in watch(*dirs, watch_filter=lambda _change, path: concerns_data(path), step=STEP_MS,
                                 stop_event=stop, rust_timeout=0, raise_interrupt=False):
                self.app.post_message(DataFilesChanged(tuple(sorted(path for _change, path in changes))))
        except (ImportError, OSError, RuntimeError) as error:  # no watcher for these directories: `r` still reloads
            log.warning("the data directories are not watched for edits: %s", error)

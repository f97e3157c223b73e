"""The base of the modal screens: shown in the interface language, following a change made while open."""

from __future__ import annotations

from typing import TypeVar

from textual.reactive import reactive
from textual.screen import ModalScreen

from carnk_tui.kb.model import Lang

ResultT = TypeVar("ResultT")


class BilingualModal(ModalScreen[ResultT]):
    """A modal screen whose `lang` the app binds to its own (`CarnkApp.show_modal`)."""

    #: the interface language, bound to the app's: the screen follows a change made while it is open
    lang: reactive[Lang] = reactive("zh", init=False)

    def __init__(self, lang: Lang) -> None:
        super().__init__()
        self.set_reactive(BilingualModal.lang, lang)

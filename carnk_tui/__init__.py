"""carnk-tui: a terminal explorer of the CAR-NK cell-therapy landscape."""

__version__ = "0.1.0"

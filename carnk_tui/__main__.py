"""``python -m carnk_tui`` is the ``carnk-tui`` command."""

import sys

from carnk_tui.cli import main

sys.exit(main())

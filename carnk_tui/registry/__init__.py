"""Registry studies: reading ClinicalTrials.gov downloads, writing them as knowledge-base records, what changed.

Nothing here imports Textual: `carnk_tui.cli` and the app call into it.
"""

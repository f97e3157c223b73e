"""The app's widgets: one per module, no data logic."""

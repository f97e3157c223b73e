"""The Textual application: app, screens, widgets, styles, commands, keys, messages."""

"""Render: the model into pages with the theme; nothing here reads or writes a file of the site."""

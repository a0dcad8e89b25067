"""Widgets of the reader, each named for what it shows."""

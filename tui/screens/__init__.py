"""Screens of the reader: the panes, the conflicts table, help and the export dialog."""

"""Corpora and app set-ups shared by the reader's tests (tests/test_tui*.py)."""

"""Errors the user can act on; the CLI prints them as one line and exits non-zero."""


class InputError(Exception):
    """An input that cannot be read or used; the message names it."""


class OutputError(Exception):
    """An output that cannot be written (exists without --force, unwritable, ...)."""


class InstallError(Exception):
    """A data file the package ships (the scorer's weights, the vectors) is missing or unreadable."""

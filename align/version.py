"""The engine's version: read from the installed package's metadata, so pyproject.toml holds the one string."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("deal-reader")
except PackageNotFoundError:  # a source tree on sys.path that was never installed
    __version__ = "0+unknown"

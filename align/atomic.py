"""Replace a file's content atomically: a reader of the file sees the old content or the new, never half."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path


def replace_atomically(path: Path, content: str, newline: str = "") -> None:
    """Write ``content`` to a new file beside ``path``, then rename it over ``path``; OSError on failure.

    The new file is created with the user's usual permissions (mode 0666 less the umask, which
    the kernel applies at creation): asking the umask with ``os.umask`` would change it for every
    thread for a moment.
    """
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as f:
            f.write(content)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise

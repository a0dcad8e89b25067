"""Fetch articles named by URL: a timeout on the whole request, one clear error per failing URL.

The standard library's urllib is enough: one GET per URL, redirects followed, no cookies or
JavaScript. Several URLs are fetched in parallel threads so that slow ones do not add up.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import InputError
from .version import __version__

DEFAULT_TIMEOUT = 15.0  # seconds for the whole request, connection to last byte
USER_AGENT = f"deal-reader/{__version__} (+https://pypi.org/project/deal-reader/) Python-urllib"
MAX_WORKERS = 8
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
CHUNK = 64 * 1024


def is_url(text: str) -> bool:
    """Whether a command-line argument names a URL rather than a file."""
    return bool(_URL.match(text))


@dataclass
class Response:
    url: str  # as given
    final_url: str  # after redirects
    data: bytes
    content_type: str  # "text/html", ...
    charset: str  # from the Content-Type header, or ""


def _describe(reason: object) -> str:
    import socket
    import ssl

    if isinstance(reason, (socket.timeout, TimeoutError)):
        return "timed out"
    if isinstance(reason, ssl.SSLError):
        return f"TLS error ({getattr(reason, 'reason', None) or reason})"
    if isinstance(reason, socket.gaierror):
        return "unknown host"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror[0].lower() + reason.strerror[1:]
    return str(reason) or type(reason).__name__


def fetch(url: str, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = 25 * 1024 * 1024) -> Response:
    """GET ``url``; InputError naming it when it cannot be had within ``timeout`` seconds."""
    if not url.lower().startswith(("http://", "https://")):
        raise InputError(f"{url}: only http:// and https:// addresses can be fetched")
    # Here, not at the top: a run given files only (a warm export) never loads the network stack (50 ms).
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    request = urllib.request.Request(
        url, headers={"User-Agent": USER_AGENT, "Accept": "text/html, text/plain;q=0.9, */*;q=0.5"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            chunks, size = [], 0
            while True:
                if time.monotonic() > deadline:
                    raise TimeoutError()
                chunk = resp.read1(CHUNK)  # what has arrived: a slow drip cannot outlast the deadline
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if size > max_bytes:
                    raise InputError(f"{url}: too large (over {max_bytes // 1024 // 1024} MB)")
            content_type = resp.headers.get_content_type() or ""
            charset = resp.headers.get_content_charset() or ""
            final = resp.geturl() or url
    except urllib.error.HTTPError as e:
        raise InputError(f"{url}: HTTP error {e.code} {e.reason}".rstrip()) from None
    except urllib.error.URLError as e:
        why = _describe(e.reason)
        if why == "timed out":
            why = f"timed out after {timeout:g} s"
        raise InputError(f"{url}: cannot fetch ({why})") from None
    except TimeoutError:
        raise InputError(f"{url}: cannot fetch (timed out after {timeout:g} s)") from None
    except InputError:
        raise
    except (OSError, ValueError) as e:  # reset connections, malformed URLs, bad status lines
        raise InputError(f"{url}: cannot fetch ({_describe(e)})") from None
    except Exception as e:  # http.client's odd ones (IncompleteRead, BadStatusLine, ...)
        raise InputError(f"{url}: cannot fetch ({type(e).__name__})") from None
    return Response(url, final, b"".join(chunks), content_type, charset)


def fetch_all(urls: Sequence[str], timeout: float = DEFAULT_TIMEOUT) -> list[Response | InputError]:
    """Each URL's response or the error that names it, in the order given, fetched in parallel."""
    if not urls:
        return []

    def one(u: str) -> Response | InputError:
        try:
            return fetch(u, timeout)
        except InputError as e:
            return e

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(MAX_WORKERS, len(urls))) as pool:
        return list(pool.map(one, urls))

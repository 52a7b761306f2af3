"""Reports on the web: fetch a URL politely, bounded in time and size, cached on disk.

A :class:`Fetcher` gets a URL's bytes with httpx: a User-Agent that names govreport, timeouts, retries with
exponential backoff on timeouts, dropped connections, 429 and 5xx answers, redirects up to a limit, a
size limit checked while the body arrives, and at most ``per_host`` requests to one host at a time across
every fetcher of the process (:class:`~govreport.settings.WebSettings`). With a cache folder, a URL fetched
once is never fetched again. Every failure is a :class:`FetchError` naming the URL.

>>> from govreport.settings import WebSettings
>>> with Fetcher(settings=WebSettings(retries=0)) as fetcher:
...     fetcher.settings.retries
0
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import attrs

from .atomic import atomic_output
from .errors import GovReportError
from .fieldrepr import FieldRepr
from .settings import WebSettings, options, size_words

if TYPE_CHECKING:
    import httpx


class FetchError(GovReportError):
    """A URL could not be fetched: an HTTP error status, a timeout, a redirect loop, a body too large.

    ``status`` is the HTTP status when the server answered with an error, else None.
    """

    def __init__(self, message: str, url: str, status: int | None = None) -> None:
        super().__init__(message, url)
        self.status = status


@attrs.frozen(repr=False)
class Fetched(FieldRepr):
    """A URL's body and what the server said about it."""

    url: str
    final_url: str
    content: bytes
    media_type: str | None = None
    charset: str | None = None

    def text_as_utf8(self) -> bytes:
        """The body, re-encoded as UTF-8 with a BOM when the server declared another charset for text that is
        not UTF-8 already (the readers then need not guess)."""
        text_like = (self.media_type or "").startswith("text/") or self.media_type == "application/xhtml+xml"
        if not text_like or not self.charset or self.content.startswith(b"\xef\xbb\xbf"):
            return self.content
        try:
            self.content.decode("utf-8")
            return self.content
        except UnicodeDecodeError:
            pass
        try:
            return b"\xef\xbb\xbf" + self.content.decode(self.charset).encode("utf-8")
        except (LookupError, UnicodeDecodeError):
            return self.content  # the declaration is wrong: leave the bytes to the reader's detection


class _Retry(Exception):
    def __init__(self, message: str, wait: float | None = None) -> None:
        super().__init__(message)
        self.wait = wait


_HOST_SLOTS: dict[tuple[str, int], threading.BoundedSemaphore] = {}
_HOST_LOCK = threading.Lock()


@contextmanager
def _host_slot(url: str, per_host: int) -> Iterator[None]:
    """Hold one of the host's ``per_host`` request slots, shared by every fetcher of the process."""
    host = (urlsplit(url).hostname or "").lower()
    with _HOST_LOCK:
        slot = _HOST_SLOTS.setdefault((host, per_host), threading.BoundedSemaphore(per_host))
    with slot:
        yield


class Fetcher:
    """Fetches URLs with one connection pool; use as a context manager or call :meth:`close`::

        with Fetcher(cache="web-cache") as fetcher:
            page = fetcher.fetch("https://example.gov.cn/2023/report.html")
    """

    def __init__(self, cache: str | os.PathLike[str] | None = None, settings: WebSettings | None = None) -> None:
        import httpx  # imported here: a process that reads only files never pays for it

        from ._version import __version__

        self.cache = Path(cache) if cache is not None else None
        self.settings = settings = settings or options().web
        self.requests = 0  # requests sent (not answered from the cache), for callers that report them
        self._client = httpx.Client(
            follow_redirects=True, max_redirects=settings.max_redirects,
            timeout=httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout),
            headers={"User-Agent": f"govreport/{__version__} (+https://pypi.org/project/govreport/)"})

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(self, url: str) -> Fetched:
        """The URL's body; raises :class:`FetchError` when it cannot be had."""
        cached = self._from_cache(url)
        if cached is not None:
            return cached
        last = "no attempt made"
        for attempt in range(self.settings.retries + 1):
            try:
                with _host_slot(url, self.settings.per_host):
                    fetched = self._get(url)
                self._to_cache(fetched)
                return fetched
            except _Retry as retry:
                last = str(retry)
                if attempt < self.settings.retries:
                    time.sleep(min(self.settings.max_backoff,
                                   retry.wait if retry.wait is not None else self.settings.backoff * 2 ** attempt))
        raise FetchError(f"{last} (after {self.settings.retries + 1} attempts)", url)

    def _get(self, url: str) -> Fetched:
        import httpx

        self.requests += 1
        try:
            with self._client.stream("GET", url) as response:
                self._check_status(response, url)
                content = self._body(response, url)
                media_type, _, _ = response.headers.get("content-type", "").partition(";")
                return Fetched(url, str(response.url), content, media_type.strip().lower() or None,
                               response.charset_encoding)
        except httpx.TooManyRedirects as exc:
            raise FetchError(f"more than {self.settings.max_redirects} redirects (a redirect loop?)", url) from exc
        except httpx.TimeoutException as exc:
            raise _Retry("timed out") from exc
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise FetchError(f"not a URL that can be fetched ({exc})", url) from exc
        except httpx.TransportError as exc:
            raise _Retry(f"connection failed ({type(exc).__name__}: {exc})") from exc

    @staticmethod
    def _check_status(response: httpx.Response, url: str) -> None:
        status = response.status_code
        if status == 429 or status >= 500:
            raise _Retry(f"HTTP {status} {response.reason_phrase}", _retry_after(response))
        if status >= 400:
            raise FetchError(f"HTTP {status} {response.reason_phrase}", url, status)

    def _body(self, response: httpx.Response, url: str) -> bytes:
        limit = self.settings.max_bytes
        too_big = FetchError(f"the body is larger than the limit of {size_words(limit)}", url)
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise too_big
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise too_big
            chunks.append(chunk)
        return b"".join(chunks)

    def _paths(self, url: str) -> tuple[Path, Path] | None:
        if self.cache is None:
            return None
        digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:40]
        return self.cache / f"{digest}.body", self.cache / f"{digest}.json"

    def _from_cache(self, url: str) -> Fetched | None:
        paths = self._paths(url)
        if paths is None or not paths[1].exists():
            return None
        try:
            info = json.loads(paths[1].read_text(encoding="utf-8"))
            return Fetched(url, info["final_url"], paths[0].read_bytes(), info.get("media_type"), info.get("charset"))
        except (OSError, ValueError, KeyError):
            return None  # a damaged entry is fetched again

    def _to_cache(self, fetched: Fetched) -> None:
        paths = self._paths(fetched.url)
        if paths is None:
            return
        # The body first, the index last: an interrupted write leaves no entry that points at half a body.
        with atomic_output(paths[0]) as stream:
            stream.write(fetched.content)
        info = {"url": fetched.url, "final_url": fetched.final_url, "media_type": fetched.media_type,
                "charset": fetched.charset}
        with atomic_output(paths[1]) as stream:
            stream.write(json.dumps(info, ensure_ascii=False).encode("utf-8"))


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    return float(value) if value.isdigit() else None

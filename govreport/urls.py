"""Telling URLs from paths: every input may be either, and most runs never touch the web (so this is apart
from :mod:`govreport.web`, which brings hashing, JSON and, when it fetches, httpx)."""

from __future__ import annotations


def is_url(name: str) -> bool:
    """Whether ``name`` is an http(s) URL rather than a path.

    >>> is_url("https://www.gov.cn/a.html"), is_url("reports/a.html")
    (True, False)
    """
    return name[:8].lower().startswith(("http://", "https://"))

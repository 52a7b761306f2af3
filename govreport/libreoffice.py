"""Converting documents with a LibreOffice installed on the machine (headless, one file at a time).

Used to read legacy Word files and by the tests to make Word and PDF editions of reports.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from . import progress
from .errors import MissingDependencyError, UnreadableFileError

INSTALL_HINT = (
    "install LibreOffice and make sure `soffice` is on PATH "
    "(Debian/Ubuntu: apt-get install libreoffice-writer-nogui; macOS: brew install --cask libreoffice)"
)
DEFAULT_TIMEOUT = 120.0

_lock = threading.Lock()
_profile: Path | None = None


def find_soffice() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _profile_dir() -> Path:
    # A profile of our own, so that a LibreOffice the user has open does not block the conversion.
    global _profile
    if _profile is None:
        user = os.getuid() if hasattr(os, "getuid") else 0
        _profile = Path(tempfile.gettempdir()) / f"govreport-libreoffice-{user}-{os.getpid()}"
        atexit.register(shutil.rmtree, _profile, True)
    return _profile


def convert(data: bytes, source_suffix: str, target: str, *, path: str | None = None,
            timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """Convert a document's bytes with LibreOffice; ``target`` is a filter such as ``"docx"`` or ``"pdf"``.

    Raises :class:`MissingDependencyError` without LibreOffice and :class:`UnreadableFileError` when the
    conversion fails or takes longer than ``timeout`` seconds.
    """
    soffice = find_soffice()
    if soffice is None:
        raise MissingDependencyError(f"converting this file needs LibreOffice: {INSTALL_HINT}", path)
    extension = target.split(":", 1)[0]
    with tempfile.TemporaryDirectory(prefix="govreport-") as tmp:
        source = Path(tmp) / f"input.{source_suffix.lstrip('.')}"
        source.write_bytes(data)
        out_dir = Path(tmp) / "out"
        command = [soffice, "--headless", "--norestore", "--nolockcheck", "--nodefault",
                   f"-env:UserInstallation={_profile_dir().as_uri()}",
                   "--convert-to", target, "--outdir", str(out_dir), str(source)]
        with _lock:
            progress.advance("LibreOffice", 0, 1)
            try:
                done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
            except subprocess.TimeoutExpired as exc:
                raise UnreadableFileError(
                    f"LibreOffice did not finish converting within {timeout:.0f} s", path) from exc
        progress.advance("LibreOffice", 1, 1)
        produced = out_dir / f"input.{extension}"
        if done.returncode != 0 or not produced.exists():
            detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            raise UnreadableFileError(f"LibreOffice could not convert the file ({detail[0]})", path)
        return produced.read_bytes()

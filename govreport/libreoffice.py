"""Converting documents with a LibreOffice installed on the machine (headless).

Used to read legacy Word files and by the tests to make Word and PDF editions of reports. Starting
LibreOffice takes about a second and each further file in the same run some tens of milliseconds, so a batch
converts its legacy files ahead, many in one run (:func:`converted_ahead`, :func:`convert_ahead`), into a
folder its worker processes look in (by the files' content) before starting a LibreOffice of their own.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Sequence
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
    # A profile of our own, so that a LibreOffice the user has open does not block the conversion. Its
    # name is not guessable (another user cannot plant a link there first); profiles that killed runs left
    # behind are removed.
    global _profile
    if _profile is None:
        _remove_stale_profiles()
        _profile = Path(tempfile.mkdtemp(prefix=f"{_PROFILE_PREFIX}{os.getpid()}-"))
        atexit.register(shutil.rmtree, _profile, True)
    return _profile


_PROFILE_PREFIX = "govreport-libreoffice-"


def _remove_stale_profiles() -> None:
    """Remove the profiles of our earlier runs whose process is gone (killed before it could clean up)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{_PROFILE_PREFIX}*-*"):
        owner = folder.name[len(_PROFILE_PREFIX):].split("-", 1)[0]
        try:
            if not owner.isdigit() or folder.stat().st_uid != os.getuid() or _running(int(owner)):
                continue
        except (OSError, AttributeError):
            continue
        shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def convert(data: bytes, source_suffix: str, target: str, *, path: str | None = None,
            timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """Convert a document's bytes with LibreOffice; ``target`` is a filter such as ``"docx"`` or ``"pdf"``.

    Raises :class:`MissingDependencyError` without LibreOffice and :class:`UnreadableFileError` when the
    conversion fails or takes longer than ``timeout`` seconds.
    """
    extension = target.split(":", 1)[0]
    ahead = _converted(data, extension)
    if ahead is not None:
        return ahead
    soffice = find_soffice()
    if soffice is None:
        raise MissingDependencyError(f"converting this file needs LibreOffice: {INSTALL_HINT}", path)
    with tempfile.TemporaryDirectory(prefix="govreport-") as tmp:
        source = Path(tmp) / f"input.{source_suffix.lstrip('.')}"
        source.write_bytes(data)
        out_dir = Path(tmp) / "out"
        command = _command(soffice, target, out_dir, [source])
        with _lock:
            progress.advance("LibreOffice", 0, 1)
            done = _run(command, timeout, path)
        progress.advance("LibreOffice", 1, 1)
        produced = out_dir / f"input.{extension}"
        if done.returncode != 0 or not produced.exists():
            detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            raise UnreadableFileError(f"LibreOffice could not convert the file ({detail[0]})", path)
        return produced.read_bytes()


#: The environment variable naming the folder of conversions made ahead (inherited by worker processes).
AHEAD_VARIABLE = "GOVREPORT_CONVERTED_AHEAD"
#: Seconds a run converting files ahead may take, beyond ``DEFAULT_TIMEOUT``, for each file.
SECONDS_PER_FILE_AHEAD = 10.0


@contextlib.contextmanager
def converted_ahead() -> Iterator[Path]:
    """A folder for conversions made ahead, looked in by :func:`convert` in this process and in the
    processes it starts while the block runs; removed after it."""
    folder = Path(tempfile.mkdtemp(prefix="govreport-converted-"))
    before = os.environ.get(AHEAD_VARIABLE)
    os.environ[AHEAD_VARIABLE] = str(folder)
    try:
        yield folder
    finally:
        if before is None:
            os.environ.pop(AHEAD_VARIABLE, None)
        else:
            os.environ[AHEAD_VARIABLE] = before
        shutil.rmtree(folder, ignore_errors=True)


def convert_ahead(sources: Sequence[tuple[bytes, str]], target: str) -> int:
    """Convert documents (their bytes and suffix) in one LibreOffice run into the folder of
    :func:`converted_ahead`; returns how many were converted. A run that fails or takes too long converts
    none: each file is then converted on its own when read, and fails alone if it must."""
    folder = os.environ.get(AHEAD_VARIABLE)
    soffice = find_soffice()
    if folder is None or soffice is None or not sources:
        return 0
    extension = target.split(":", 1)[0]
    with tempfile.TemporaryDirectory(prefix="govreport-") as tmp:
        inputs = []
        for n, (data, suffix) in enumerate(sources):
            source = Path(tmp) / f"input{n}.{suffix.lstrip('.')}"
            source.write_bytes(data)
            inputs.append(source)
        out_dir = Path(tmp) / "out"
        command = _command(soffice, target, out_dir, inputs)
        with _lock:
            try:
                _run(command, DEFAULT_TIMEOUT + SECONDS_PER_FILE_AHEAD * len(sources), None)
            except UnreadableFileError:
                return 0
        converted = 0
        for (data, _), source in zip(sources, inputs, strict=True):
            produced = out_dir / f"{source.stem}.{extension}"
            if produced.exists():
                shutil.move(produced, Path(folder) / _ahead_name(data, extension))
                converted += 1
        return converted


def _command(soffice: str, target: str, out_dir: Path, inputs: Sequence[Path]) -> list[str]:
    """The command converting ``inputs`` to ``target`` into ``out_dir``, with a profile of our own."""
    return [soffice, "--headless", "--norestore", "--nolockcheck", "--nodefault",
            f"-env:UserInstallation={_profile_dir().as_uri()}",
            "--convert-to", target, "--outdir", str(out_dir), *map(str, inputs)]


def _converted(data: bytes, extension: str) -> bytes | None:
    """The conversion of these bytes made ahead, if any."""
    folder = os.environ.get(AHEAD_VARIABLE)
    if folder is None:
        return None
    with contextlib.suppress(OSError):
        return (Path(folder) / _ahead_name(data, extension)).read_bytes()
    return None


def _ahead_name(data: bytes, extension: str) -> str:
    return f"{hashlib.sha256(data).hexdigest()}.{extension}"


def _run(command: list[str], timeout: float, path: str | None) -> subprocess.CompletedProcess[bytes]:
    """Run LibreOffice in a session of its own, so that a timeout ends the whole of it: ``soffice`` is a
    launcher, and killing the launcher alone leaves ``soffice.bin`` running with the profile locked."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=hasattr(os, "killpg"))
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        _kill_session(process)
        raise UnreadableFileError(f"LibreOffice did not finish converting within {timeout:.0f} s", path) from exc
    except BaseException:
        _kill_session(process)
        raise
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def _kill_session(process: subprocess.Popen[bytes]) -> None:
    if hasattr(os, "killpg"):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
    else:
        process.kill()
    process.communicate()

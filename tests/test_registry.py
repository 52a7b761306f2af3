"""The reader registry: choice by content, and third-party readers through entry points."""

from __future__ import annotations

import sys
import textwrap

import pytest
from conftest import DATA

import govreport
import govreport.readers as registry
from govreport import plugins


def test_builtin_readers():
    names = [r.name for r in plugins.available_readers()]
    assert names[:6] == ["txt", "html", "docx", "doc", "xlsx", "pdf"]


def test_text_named_docx_is_read_as_text(tmp_path):
    path = tmp_path / "report.docx"
    path.write_bytes((DATA / "seed-001-xiangxiang-xinfang-2023.txt").read_bytes())
    assert govreport.read(path).source.format == "txt"


def test_every_builtin_format_has_a_reader():
    names = {r.name for r in plugins.available_readers()}
    assert {"txt", "html", "docx", "doc", "xlsx", "pdf"} <= names


PLUGIN = '''
from govreport.document import Document
from govreport.readers.text import parse_text

MAGIC = b"GOVREPORT-LINES\\n"


class LinesReader:
    name = "lines"
    extensions = ("lines",)

    def sniff(self, head):
        return 95 if head.startswith(MAGIC) else 0

    def read(self, data, path=None):
        return Document.of(parse_text(data[len(MAGIC):].decode("utf-8")), self.name, path)
'''


@pytest.fixture
def plugin_on_path(tmp_path, monkeypatch):
    """A third-party package installed the way pip installs one: a module and its dist-info."""
    (tmp_path / "govreport_lines_plugin.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    info = tmp_path / "govreport_lines_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: govreport-lines-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[govreport.readers]\nlines = govreport_lines_plugin:LinesReader\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(registry.REGISTRY, "entry_points_loaded", False)
    yield
    registry.unregister_reader("lines")
    sys.modules.pop("govreport_lines_plugin", None)


def test_entry_point_reader_is_found_and_used(plugin_on_path, tmp_path):
    assert "lines" in [r.name for r in plugins.available_readers()]
    source = DATA / "seed-001-xiangxiang-xinfang-2023.txt"
    path = tmp_path / "report.lines"
    path.write_bytes(b"GOVREPORT-LINES\n" + source.read_bytes())
    report = govreport.read(path)
    assert report.source.format == "lines"
    assert govreport.flatten(report) == govreport.flatten(govreport.read(source))


def test_register_reader_rejects_non_readers_and_duplicates():
    with pytest.raises(TypeError):
        plugins.register_reader(object())  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        plugins.register_reader(plugins.available_readers()[0])


class _NotesReader:
    """A plug-in reader of a made-up format: a ``NOTES`` line, then the report's text."""

    name = "notes"
    extensions = ("notes",)

    def sniff(self, head: bytes) -> int:
        return 95 if head.startswith(b"NOTES\n") else 0

    def read(self, data: bytes, path: str | None = None):
        from govreport.plugins import Document, Paragraph

        lines = data.decode("utf-8").splitlines()[1:]
        return Document(tuple(Paragraph(t, n) for n, t in enumerate(lines, 2) if t.strip()), "notes", path)


def test_a_reader_registered_through_the_plugins_module_reads_and_is_removed(tmp_path):
    from govreport import plugins

    text = (DATA / "seed-001-xiangxiang-xinfang-2023.txt").read_text(encoding="utf-8")
    path = tmp_path / "report.notes"
    path.write_text("NOTES\n" + text, encoding="utf-8")
    plugins.register_reader(_NotesReader())
    try:
        report = govreport.read(path)
        assert report.source.format == "notes"
        plain = govreport.read(DATA / "seed-001-xiangxiang-xinfang-2023.txt")
        assert govreport.flatten(report) == govreport.flatten(plain)
    finally:
        plugins.unregister_reader("notes")
    assert "notes" not in {r.name for r in plugins.available_readers()}


def test_a_writer_can_be_removed_and_put_back(tmp_path):
    from govreport import plugins

    xlsx = next(w for w in plugins.available_writers() if w.name == "xlsx")
    report = govreport.read(DATA / "seed-001-xiangxiang-xinfang-2023.txt")
    plugins.unregister_writer("xlsx")
    try:
        with pytest.raises(govreport.WriterError, match="no writer"):
            govreport.write(report, tmp_path / "r.xlsx")
    finally:
        plugins.register_writer(xlsx)
    assert govreport.read(govreport.write(report, tmp_path / "r.xlsx")).table3 == report.table3


def test_names_for_plugin_authors_moved_with_a_warning():
    with pytest.warns(DeprecationWarning, match="govreport.plugins.register_reader"):
        assert govreport.register_reader is plugins.register_reader
    assert "register_reader" not in govreport.__all__
    with pytest.raises(AttributeError):
        govreport.no_such_name  # noqa: B018

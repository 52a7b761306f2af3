"""Reports on the web, served by a real HTTP server on 127.0.0.1 inside the test process.

The server hands out copies of corpus files (tests/data), a notice page that only links to its report as a
DOCX attachment, and the failures a crawler meets: 404, a server too slow to answer, a redirect loop, a body
over the size limit, bytes that are no page at all. It counts the requests it answers, so that a cached
rerun can be shown to fetch nothing.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

import pytest
from conftest import DATA, needs_ocr

import govreport
from govreport.errors import NotAReportError
from govreport.settings import ReadOptions, WebSettings
from govreport.web import Fetcher, FetchError

REPORT_HTML = DATA / "fj_pingtan_2024.html"
REPORT_DOCX = DATA / "fj_pingtan_2024.lo.docx"
NOTICE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>平潭综合实验区2024年政府信息公开工作年度报告</title></head>
<body><h1>平潭综合实验区2024年政府信息公开工作年度报告</h1><p>发布日期：2025-01-20</p>
<p>详见附件。</p><p><a href="/banner.jpg">图片</a></p>
<p>附件：<a href="files/%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A.docx">2024年政府信息公开工作年度报告.docx</a></p>
</body></html>"""
QUIET = WebSettings(read_timeout=0.5, connect_timeout=2, retries=1, backoff=0.01, max_bytes=2_000_000)


class _Site(BaseHTTPRequestHandler):
    hits: ClassVar[Counter[str]] = Counter()
    #: Pages and files a test serves besides the fixed routes: path → (body, media type).
    served: ClassVar[dict[str, tuple[bytes, str]]] = {}
    lock: ClassVar[threading.Lock] = threading.Lock()
    busy: ClassVar[int] = 0
    most_busy: ClassVar[int] = 0

    def log_message(self, *args: object) -> None:  # keep pytest's output clean
        pass

    def do_GET(self) -> None:
        _Site.hits[self.path] += 1
        route = {
            "/report.html": lambda: self._send(REPORT_HTML.read_bytes(), "text/html; charset=utf-8"),
            "/report-declared-gbk.html": lambda: self._send(REPORT_HTML.read_bytes(), "text/html; charset=gb2312"),
            "/notice/page.html": lambda: self._send(NOTICE.encode("utf-8"), "text/html; charset=utf-8"),
            "/notice/files/%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A.docx": lambda: self._send(
                REPORT_DOCX.read_bytes(),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            "/slow.html": self._slow,
            "/pause.html": self._pause,
            "/loop": lambda: self._redirect("/loop"),
            "/moved": lambda: self._redirect("/report.html"),
            "/big.pdf": lambda: self._send(b"%PDF-1.4\n" + b"0" * 3_000_000, "application/pdf"),
            "/noise.html": lambda: self._send(bytes(range(256)) * 64, "text/html; charset=utf-8"),
        }.get(urlsplit(self.path).path)
        if route is None and urlsplit(self.path).path in _Site.served:
            body, media_type = _Site.served[urlsplit(self.path).path]
            route = lambda: self._send(body, media_type)  # noqa: E731
        if route is None:
            self._send(b"not here", "text/plain", status=404)
        else:
            route()

    def _send(self, body: bytes, media_type: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, to: str) -> None:
        self.send_response(302)
        self.send_header("Location", to)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _pause(self) -> None:
        with _Site.lock:
            _Site.busy += 1
            _Site.most_busy = max(_Site.most_busy, _Site.busy)
        time.sleep(0.2)
        with _Site.lock:
            _Site.busy -= 1
        self._send(REPORT_HTML.read_bytes(), "text/html; charset=utf-8")

    def _slow(self) -> None:
        time.sleep(1.5)
        self._send(b"<html><body>late</body></html>", "text/html")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up on the slow page leaves a broken pipe here, as it should


@pytest.fixture(scope="module")
def site():
    server = _Server(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _cells(report: govreport.Report) -> dict[str, object]:
    return {k: v for k, v in govreport.flatten(report).items() if k.startswith(("t2.", "t3.", "t4."))}


def test_a_page_read_by_url_equals_the_file(site):
    by_url = govreport.read(f"{site}/report.html")
    by_file = govreport.read(REPORT_HTML)
    assert _cells(by_url) == _cells(by_file) and by_url.meta == by_file.meta
    assert by_url.sections == by_file.sections
    assert by_url.source.path == f"{site}/report.html"


def test_redirects_are_followed_and_a_wrong_declared_charset_loses_to_utf8(site):
    assert _cells(govreport.read(f"{site}/moved")) == _cells(govreport.read(REPORT_HTML))
    assert govreport.read(f"{site}/report-declared-gbk.html").meta.agency == govreport.read(REPORT_HTML).meta.agency


def test_a_page_with_only_an_attachment_link_gives_the_attachment_report(site):
    report = govreport.read(f"{site}/notice/page.html")
    assert _cells(report) == _cells(govreport.read(REPORT_DOCX))
    assert report.source.page == f"{site}/notice/page.html"
    assert report.source.path.endswith(".docx") and report.source.format == "docx"
    assert report.meta.year == 2024 and report.meta.agency


def test_a_saved_page_reads_the_report_in_its_files_folder(tmp_path):
    page = tmp_path / "报告.html"
    page.write_text(NOTICE.replace("files/%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A.docx", "elsewhere.docx"),
                    encoding="utf-8")
    (tmp_path / "报告_files").mkdir()
    (tmp_path / "报告_files" / "report.docx").write_bytes(REPORT_DOCX.read_bytes())
    report = govreport.read(page)
    assert _cells(report) == _cells(govreport.read(REPORT_DOCX))
    assert report.source.page == str(page)


@pytest.mark.parametrize(("path", "words"), [
    ("/missing.html", "HTTP 404"),
    ("/slow.html", "timed out"),
    ("/loop", "redirects"),
    ("/big.pdf", "larger than the limit"),
])
def test_fetch_failures_name_the_url_and_the_cause(site, path, words):
    with Fetcher(settings=QUIET) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.fetch(site + path)
    assert words in str(caught.value) and site + path in str(caught.value)


def test_a_batch_of_urls_gives_one_failure_row_per_bad_url(site, tmp_path):
    good = [f"{site}/report.html", f"{site}/notice/page.html"]
    bad = [f"{site}/missing.html", f"{site}/slow.html", f"{site}/loop", f"{site}/big.pdf", f"{site}/noise.html"]
    output = tmp_path / "out.jsonl"
    summary = govreport.convert([*good, *bad], output, options=ReadOptions(web=QUIET))
    assert (summary.read, summary.failed) == (2, 5)
    records = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert {r["file"] for r in records if r["ok"]} == set(good)
    failures = {r["file"]: r["error_type"] for r in records if not r["ok"]}
    assert failures == {**dict.fromkeys(bad[:4], "FetchError"), bad[4]: "UnsupportedFormatError"}


def test_a_host_never_gets_more_requests_at_once_than_the_limit(site):
    urls = [f"{site}/pause.html?copy={n}" for n in range(6)]
    _Site.most_busy = 0
    results = list(govreport.read_many(urls, options=ReadOptions(web=WebSettings(per_host=2, threads=6))))
    assert all(r.ok for r in results) and len(results) == 6
    assert _Site.most_busy == 2


def test_convert_reads_a_url_list_and_a_cached_rerun_fetches_nothing(site, tmp_path):
    from govreport.cli import main

    listing = tmp_path / "urls.txt"
    listing.write_text(f"# two reports\n{site}/report.html\n\n{site}/notice/page.html\n", encoding="utf-8")
    cache, output = tmp_path / "cache", tmp_path / "out.csv"
    args = ["convert", "--urls", str(listing), "--cache", str(cache), "-o", str(output), "--no-progress"]
    assert main(args) == 0
    first = output.read_bytes()
    before = sum(_Site.hits.values())
    assert main(args) == 0
    assert sum(_Site.hits.values()) == before
    assert output.read_bytes() == first


def test_a_page_that_is_no_report_and_links_to_none_is_refused(site, tmp_path):
    page = tmp_path / "notice.html"
    page.write_text("<html><body><p>本单位2024年度报告见附件。</p><a href='a.docx'>附件.docx</a></body></html>",
                    encoding="utf-8")
    with pytest.raises(NotAReportError) as caught:
        govreport.read(page)
    assert "a.docx" in str(caught.value) and str(page) in str(caught.value)


def test_a_url_list_with_something_else_is_an_error(tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text("reports/a.pdf\n", encoding="utf-8")
    from govreport.cli import main
    assert main(["convert", "--urls", str(listing), "-o", str(tmp_path / "o.csv")]) == 2
    assert not Path(tmp_path / "o.csv").exists()


@needs_ocr
def test_a_page_showing_a_table_as_a_picture_is_read_with_the_picture_fetched(site):
    # The page's table 4 is a screenshot (cut from the report's PDF), fetched from the page's own host.
    from test_html_reader import _table_pictures

    page = REPORT_HTML.read_text(encoding="utf-8")
    start = page.rindex("<table", 0, page.index("结果维持"))
    end = page.index("</table>", start) + len("</table>")
    _Site.served["/pictures/page.html"] = ((page[:start] + '<img src="t4.png" width="500">' + page[end:]).encode(),
                                           "text/html; charset=utf-8")
    _Site.served["/pictures/t4.png"] = (_table_pictures(DATA / "fj_pingtan_2024.lo.pdf", 110)[-1], "image/png")
    report = govreport.read(f"{site}/pictures/page.html")
    expected = govreport.read(REPORT_HTML)
    assert report.table4 is not None
    assert {k: report.value(f"t4.{k}") for k in expected.table4.cells} == \
        {k: expected.value(f"t4.{k}") for k in expected.table4.cells}

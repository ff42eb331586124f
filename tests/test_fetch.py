"""kb fetch against a local FIXTURE site: first fetch, 304, changes, removals, failures, no network."""
from __future__ import annotations

import hashlib
import json
import socket
import threading
from collections import Counter
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ingest.fetch import MANIFEST
from tests.fixtures import pdf_bytes

PREFIX = "/services/calnet-policies/"


def page(title: str, main: str) -> bytes:
    """A FIXTURE page shaped like the department sites: header menu, breadcrumb, main, footer."""
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title} | FIXTURE Dept</title>
<script>var menu = 'should never be indexed';</script></head><body>
<header><nav aria-label="Main"><ul><li><a href="/">Home</a></li><li><a href="/about/">About us</a></li>
<li><a href="/services/">Services</a></li></ul></nav></header>
<ol class="breadcrumb"><li><a href="/">Home</a></li><li><a href="{PREFIX}">CALNET policies</a></li></ol>
<main id="main-content">{main}</main>
<footer><ul><li><a href="/privacy/">Privacy policy</a></li><li><a href="/accessibility/">Accessibility</a></li>
</ul><p>FIXTURE footer: copyright the fixture department.</p></footer></body></html>""".encode()


def index_page(port: int, chapters: list[str]) -> bytes:
    items = "".join(f'<li><a href="{PREFIX}{c}">STMM Chapter {c[13:].replace("-", ".", 2)}</a></li>'
                    for c in chapters)
    anchor = ('<li><a href="stmm-chapter-9-102-0#policy">STMM Chapter 9-102.0 policy (anchor)</a></li>'
              if "stmm-chapter-9-102-0" in chapters else "")
    return page("FIXTURE CALNET policies", f"""<h1>FIXTURE State Telecommunications Management Manual</h1>
<p>The FIXTURE manual's chapters are listed below; each opens on its own page.</p>
<ul class="chapter-list">{items}{anchor}
<li><a href="http://localhost:{port}{PREFIX}stmm-chapter-9-999-0">Mirror elsewhere (another site)</a></li>
<li><a href="/about/contact">Contact (outside the policies)</a></li>
<li><a href="{PREFIX}chapter-list.zip">All chapters (zip)</a></li></ul>""")


def chapter(ref: str, title: str, parts: dict[str, str]) -> bytes:
    body = "".join(f"<h3>{h}:</h3><p>{t}</p>" for h, t in parts.items())
    return page(f"STMM Chapter {ref}", f"<article><h1>STMM Chapter {ref}</h1><h2>{title}</h2>{body}</article>")


PURPOSE = "This FIXTURE chapter explains how agencies order pager service through the fixture program."
POLICY = "Agencies shall order FIXTURE pager service from the statewide fixture contract."
BACKGROUND = "The FIXTURE pager program began as a pilot and later became statewide for all agencies."
CONTRACT = pdf_bytes(["FIXTURE CALNET contract\n1.1 Scope\nThe contractor shall supply FIXTURE pagers.\n"
                      "1.2 Term\nThe FIXTURE contract term is three years."], title="FIXTURE CALNET contract")


class Site:
    """Routes of the FIXTURE site; a route is (content type, body), an HTTP status, or 'slow'."""

    def __init__(self):
        self.routes: dict[str, object] = {}
        self.hits: Counter = Counter()
        self.not_modified: Counter = Counter()
        self.user_agents: set[str] = set()
        self.release = threading.Event()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                site.hits[self.path] += 1
                site.user_agents.add(self.headers.get("User-Agent", ""))
                route = site.routes.get(self.path, 404)
                try:
                    if route == "slow":
                        site.release.wait(10)
                        route = ("text/html", page("FIXTURE late", "<p>FIXTURE late reply.</p>"))
                    if isinstance(route, int):
                        self.send_response(route)
                        self.send_header("Content-Type", "text/html")
                        self.end_headers()
                        self.wfile.write(f"<html><body>FIXTURE error {route}</body></html>".encode())
                        return
                    ctype, body, *opts = route
                    etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                    if self.headers.get("If-None-Match") == etag:
                        site.not_modified[self.path] += 1
                        self.send_response(304)
                        self.send_header("ETag", etag)
                        self.end_headers()
                        return
                    self.send_response(200)
                    self.send_header("Content-Type", ctype)
                    if "no-length" not in opts:
                        self.send_header("Content-Length", str(len(body)))
                    self.send_header("ETag", etag)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (too large, timed out): that is what is tested

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"

    def start(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site():
    s = Site()
    s.routes.update({
        PREFIX: ("text/html; charset=utf-8", index_page(s.port, ["stmm-chapter-9-101-0", "stmm-chapter-9-102-0"])),
        f"{PREFIX}stmm-chapter-9-101-0": ("text/html", chapter("9-101.0", "Pager Ordering", {
            "Purpose": PURPOSE, "Policy": POLICY, "Background": BACKGROUND})),
        f"{PREFIX}stmm-chapter-9-102-0": ("text/html", chapter("9-102.0", "Pager Returns", {
            "Policy": "Agencies shall return unused FIXTURE pagers within thirty days."})),
        f"{PREFIX}stmm-chapter-9-999-0": ("text/html", chapter("9-999.0", "Off Site", {"Policy": "FIXTURE."})),
        "/about/contact": ("text/html", page("FIXTURE contact", "<p>FIXTURE contact page.</p>")),
        "/docs/fixture-contract.pdf": ("application/pdf", CONTRACT),
    })
    s.start()
    yield s
    s.stop()


def sources_toml(site: Site, extra: str = "", contract: bool = True) -> str:
    text = f"""# FIXTURE sources file
[[source]]
id = "stmm-index"
title = "FIXTURE STMM chapters"
url = "{site.base}{PREFIX}"
kind = "stmm"
follow = true
"""
    if contract:
        text += f"""
[[source]]
id = "fixture-contract"
title = "FIXTURE CALNET contract"
url = "{site.base}/docs/fixture-contract.pdf"
kind = "contract"
"""
    return text + extra


@pytest.fixture
def kb(tmp_path, monkeypatch, capsys):
    """Run `kb ...` in this process with a private KB_HOME and KB_DOCS; returns (code, out, err)."""
    from kb.config import get_settings

    env = {"KB_HOME": tmp_path / "home", "KB_DOCS": tmp_path / "docs", "KB_FETCH_RATE_S": 0,
           "KB_FETCH_TIMEOUT_S": 0.5, "KB_FETCH_RETRIES": 1, "KB_FETCH_BACKOFF_S": 0.01,
           "KB_SOURCES": tmp_path / "sources.toml", "KB_FETCH_MAX_MB": 1}
    for k, v in env.items():
        monkeypatch.setenv(k, str(v))

    def run(*args: str, **more) -> tuple[int, str, str]:
        from kb.cli import main

        for k, v in more.items():
            monkeypatch.setenv(k, str(v))
        get_settings.cache_clear()
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        get_settings.cache_clear()
        return code, out, err

    yield run
    get_settings.cache_clear()


def lines(out: str) -> dict[str, str]:
    """Per-source lines `id: status ...` of the output, by id."""
    return dict(ln.split(": ", 1) for ln in out.splitlines() if ": " in ln and not ln.startswith("ingest:"))


def index_records(tmp_path):
    from kb import index as index_mod
    from kb.config import Settings
    from kb.store import Store

    s = Settings(home=tmp_path / "home", docs=tmp_path / "docs")
    return index_mod.load(Store(s), s).records


def test_first_fetch_follows_the_chapter_list_and_never_leaves_the_site(site, kb, tmp_path):
    (tmp_path / "sources.toml").write_text(sources_toml(site))
    code, out, err = kb("fetch")
    assert code == 0, err
    assert lines(out) == {"stmm-index": "new", "stmm-chapter-9-101-0": "new",
                          "stmm-chapter-9-102-0": "new", "fixture-contract": "new"}
    assert "ingest: added 4, updated 0, unchanged 0, removed 0, failed 0" in out
    docs = tmp_path / "docs"
    assert sorted(p.name for p in docs.iterdir()) == [
        MANIFEST, "fixture-contract.pdf", "stmm-chapter-9-101-0.html", "stmm-chapter-9-102-0.html",
        "stmm-index.html"]
    # Off-site, outside the prefix, the menu and footer, a zip: none of them requested.
    assert site.hits[f"{PREFIX}stmm-chapter-9-999-0"] == 0
    assert not {"/", "/about/", "/about/contact", "/privacy/", f"{PREFIX}chapter-list.zip"} & set(site.hits)
    assert site.hits[f"{PREFIX}stmm-chapter-9-102-0"] == 1  # the #anchor link is the same page
    assert all(ua.startswith("calnet-kb/") for ua in site.user_agents)

    import kb as kb_pkg
    from kb.config import Settings

    summary = kb_pkg.index_summary(Settings(home=tmp_path / "home", docs=docs))
    by_doc = {d["doc"]: d for d in summary["docs"]}
    assert by_doc["fixture-contract.pdf"]["source_url"] == f"{site.base}/docs/fixture-contract.pdf"
    assert by_doc["stmm-chapter-9-101-0.html"]["source_url"] == f"{site.base}{PREFIX}stmm-chapter-9-101-0"
    assert all(d["fetched_at"] for d in summary["docs"])
    assert {"STMM 9-101.0", "STMM 9-102.0"} <= set(summary["sections"])
    # A fetched PDF has no address of its own: its passages cite the address it came from.
    pdf = [r for r in index_records(tmp_path) if r.doc == "fixture-contract.pdf"]
    assert pdf and all(r.url == f"{site.base}/docs/fixture-contract.pdf" for r in pdf)


def test_refetch_sends_validators_and_reports_unchanged(site, kb, tmp_path):
    (tmp_path / "sources.toml").write_text(sources_toml(site))
    kb("fetch")
    code, out, err = kb("fetch")
    assert code == 0, err
    assert set(lines(out).values()) == {"unchanged"} and len(lines(out)) == 4
    assert sum(site.not_modified.values()) == 4  # every page answered 304 Not Modified
    assert "ingest: added 0, updated 0, unchanged 4, removed 0, failed 0" in out

    # New markup around the same text (a script changed) is not reported as a change of policy.
    path = f"{PREFIX}stmm-chapter-9-102-0"
    ctype, body = site.routes[path]
    site.routes[path] = (ctype, body.replace(b"should never be indexed", b"menu v2"))
    code, out, _ = kb("fetch")
    assert lines(out)["stmm-chapter-9-102-0"] == "unchanged (page markup changed, text the same)"


def test_changed_page_reports_sections_added_removed_edited(site, kb, tmp_path):
    (tmp_path / "sources.toml").write_text(sources_toml(site))
    kb("fetch")
    site.routes[f"{PREFIX}stmm-chapter-9-101-0"] = ("text/html", chapter("9-101.0", "Pager Ordering", {
        "Purpose": PURPOSE, "Policy": POLICY.replace("shall order", "shall lease"),
        "Exceptions": "An agency with an approved FIXTURE exemption may order pagers elsewhere."}))
    code, out, err = kb("fetch", "--json")
    assert code == 0, err
    report = json.loads(out)
    changed = {r["id"]: r for r in report["sources"]}["stmm-chapter-9-101-0"]
    assert changed["status"] == "changed"
    assert changed["changes"] == {"added": ["STMM 9-101.0 Exceptions"], "removed": ["STMM 9-101.0 Background"],
                                  "edited": ["STMM 9-101.0 Policy"]}
    assert report["ingest"]["updated"] == 1 and report["ingest"]["unchanged"] == 3

    site.routes[f"{PREFIX}stmm-chapter-9-101-0"] = ("text/html", chapter("9-101.0", "Pager Ordering", {
        "Purpose": PURPOSE, "Policy": POLICY}))
    code, out, _ = kb("fetch")
    assert lines(out)["stmm-chapter-9-101-0"] == ("changed (sections removed: STMM 9-101.0 Exceptions; "
                                                  "edited: STMM 9-101.0 Policy)")
    text = " ".join(r.text for r in index_records(tmp_path))
    assert "shall order FIXTURE pager" in text and "shall lease" not in text and "exemption" not in text


def test_removed_pages_leave_the_folder_and_the_index(site, kb, tmp_path):
    (tmp_path / "sources.toml").write_text(sources_toml(site))
    kb("fetch")
    site.routes[f"{PREFIX}stmm-chapter-9-102-0"] = 404  # still listed, but the server says gone
    (tmp_path / "sources.toml").write_text(sources_toml(site, contract=False))
    code, out, err = kb("fetch")
    assert code == 0, err
    got = lines(out)
    assert got["stmm-chapter-9-102-0"] == "removed (HTTP 404 Not Found: local copy deleted)"
    assert got["fixture-contract"] == "removed (no longer in the sources file)"
    assert "removed 2" in out
    docs = tmp_path / "docs"
    assert not (docs / "stmm-chapter-9-102-0.html").exists() and not (docs / "fixture-contract.pdf").exists()
    assert {r.doc for r in index_records(tmp_path)} == {"stmm-index.html", "stmm-chapter-9-101-0.html"}

    # The index page stops listing a chapter: its copy goes too.
    site.routes[PREFIX] = ("text/html", index_page(site.port, []))
    code, out, err = kb("fetch")
    assert code == 0, err
    assert lines(out)["stmm-chapter-9-101-0"] == "removed (no longer linked from stmm-index)"
    assert {r.doc for r in index_records(tmp_path)} == {"stmm-index.html"}


def test_failed_downloads_keep_the_previous_copy_and_index(site, kb, tmp_path):
    extra = "".join(f'\n[[source]]\nid = "{i}"\nurl = "{site.base}/{i}"\n' for i in ("archive", "picture", "big"))
    (tmp_path / "sources.toml").write_text(sources_toml(site, extra))
    site.routes.update({"/archive": ("application/zip", b"PK\x03\x04 FIXTURE zip"),
                        "/picture": ("image/png", b"\x89PNG FIXTURE"),
                        "/big": ("text/html", page("FIXTURE big", "<p>FIXTURE</p>" * 100_000), "no-length")})
    code, out, _ = kb("fetch")
    assert code == 1
    got = lines(out)
    assert got["archive"] == "failed: not HTML or PDF (Content-Type application/zip)"
    assert got["picture"] == "failed: not HTML or PDF (Content-Type image/png)"
    assert got["big"] == "failed: response is over the 1 MB size limit (stopped reading)"
    docs = tmp_path / "docs"
    before = {p.name: p.read_bytes() for p in docs.iterdir() if p.name != MANIFEST}
    assert set(before) == {"stmm-index.html", "stmm-chapter-9-101-0.html", "stmm-chapter-9-102-0.html",
                           "fixture-contract.pdf"}

    site.routes[f"{PREFIX}stmm-chapter-9-101-0"] = "slow"
    site.routes[f"{PREFIX}stmm-chapter-9-102-0"] = 500
    site.routes["/docs/fixture-contract.pdf"] = ("application/pdf", CONTRACT + b"%" * 2_000_000)
    code, out, err = kb("fetch")
    assert code == 1
    got = lines(out)
    assert got["stmm-chapter-9-101-0"] == "failed: timed out (no reply within 0.5 s) after 2 tries"
    assert got["stmm-chapter-9-102-0"] == "failed: HTTP 500 Internal Server Error after 2 tries"
    assert got["fixture-contract"].startswith("failed: response is 1.") and "over the 1 MB size limit" in got[
        "fixture-contract"]
    assert site.hits[f"{PREFIX}stmm-chapter-9-102-0"] == 1 + 2  # first fetch, then two tries
    assert {p.name: p.read_bytes() for p in docs.iterdir() if p.name in before} == before
    assert "removed 0" in out
    text = " ".join(r.text for r in index_records(tmp_path))
    assert POLICY in text and "return unused FIXTURE pagers" in text


def test_no_network_fails_fast_with_one_message(kb, tmp_path):
    ports = []
    for _ in range(2):  # addresses where nothing listens
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            ports.append(s.getsockname()[1])
    (tmp_path / "sources.toml").write_text("".join(
        f'[[source]]\nid = "s{i}"\nurl = "http://127.0.0.1:{p}/page"\n' for i, p in enumerate(ports * 2)))
    code, out, err = kb("fetch")
    assert code == 3 and out == ""
    assert err.count("\n") == 1 and err.startswith("kb fetch: cannot reach 127.0.0.1:")
    assert "connection failed" in err and "no network?): run `kb fetch` later, or put documents in" in err
    assert not (tmp_path / "docs").exists() or not [p for p in (tmp_path / "docs").iterdir()
                                                    if p.name != MANIFEST]


def test_sources_file_option_and_only(site, kb, tmp_path):
    other = tmp_path / "elsewhere.toml"
    other.write_text(sources_toml(site) + f'\n[[source]]\nid = "gc-1"\nurl = "{site.base}/gc"\nkind = "statute"\n')
    site.routes["/gc"] = ("text/html", page("FIXTURE Government Code Section 99001",
                                            "<h1>Government Code Section 99001</h1><p>FIXTURE statute text.</p>"))
    code, out, err = kb("fetch", "--sources", str(other), "--only", "gc-1", "nope")
    assert code == 1
    assert lines(out) == {"gc-1": "new", "nope": "failed: no source with this id in the sources file"}
    assert [p.name for p in (tmp_path / "docs").glob("*.html")] == ["gc-1.html"]
    assert site.hits[PREFIX] == 0


def test_stats_lists_documents_not_checked_for_a_long_time(site, kb, tmp_path):
    (tmp_path / "sources.toml").write_text(sources_toml(site, contract=False))
    kb("fetch")
    code, out, _ = kb("stats")
    assert "Fetched:    3 documents, all checked within 365 days" in out
    manifest_path = tmp_path / "docs" / MANIFEST
    manifest = json.loads(manifest_path.read_text())
    old = (datetime.now(timezone.utc) - timedelta(days=400)).isoformat(timespec="seconds")
    manifest["sources"]["stmm-chapter-9-102-0"]["fetched_at"] = old
    manifest_path.write_text(json.dumps(manifest))
    kb("ingest")
    code, out, _ = kb("stats")
    assert "Stale:      1 of 3 fetched documents last checked more than 365 days ago" in out
    assert f"stmm-chapter-9-102-0.html  fetched {old[:10]} (400 days)  {site.base}{PREFIX}stmm-chapter-9-102-0" in out
    code, out, _ = kb("stats", KB_STALE_DAYS=500)
    assert "all checked within 500 days" in out


@pytest.mark.parametrize("body, ctype, expected", [
    (b"%PDF-1.7 FIXTURE", "application/octet-stream", "pdf"),
    (b"<!DOCTYPE html><html><body>FIXTURE</body></html>", "", "html"),
    (b"<html><body>FIXTURE</body></html>", "text/html", "html"),
    (b"FIXTURE plain words", "application/octet-stream", "not HTML or PDF (Content-Type application/octet-stream)"),
    (b"<html>FIXTURE error page</html>", "application/pdf", "declared as PDF (Content-Type application/pdf)"),
])
def test_only_html_or_pdf_bodies_are_kept(body, ctype, expected):
    from ingest.download import FetchFailed, sniff

    try:
        got = sniff(body, ctype)
    except FetchFailed as e:
        got = str(e)
    assert got.startswith(expected)

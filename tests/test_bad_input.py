"""Bad files are reported with path and reason, skipped, and never cost the previous index."""
from __future__ import annotations

import subprocess
import sys

import pytest

from kb import index as index_mod
from kb.config import Settings
from kb.indexer import Ingester, IngestBusy, ingest_lock
from kb.store import Store
from tests.fixtures import encrypted_pdf_bytes, image_only_pdf_bytes, pdf_bytes, write

GOOD = "---\ntitle: FIXTURE SAM Section 9998 - GOOD\n---\nGOOD - 9998\n\nAgencies shall keep this fixture rule.\n"

BAD = {
    "corrupt.pdf": (b"%PDF-1.4\n1 0 obj <<\ngarbage that is not a pdf at all\n", "corrupt or damaged PDF"),
    "locked.pdf": (encrypted_pdf_bytes(), "encrypted PDF"),
    "scan.pdf": (image_only_pdf_bytes(), "needs OCR"),
    "empty.md": (b"", "empty file"),
    "blank.txt": (b"   \n\n  ", "empty file"),
    "binary.txt": (bytes(range(256)) * 8, "binary file"),
    "sheet.xlsx": (b"PK\x03\x04 not really", "unsupported file type '.xlsx'"),
    "mystery.txt": (bytes([0x81, 0x8d, 0x8f, 0x90, 0x9d]) * 40 + b"\x98\x99\x9a" * 20, "encoding"),
}


def test_each_bad_file_reported_and_the_rest_lands(settings, tmp_path):
    docs = tmp_path / "docs"
    for name, (data, _) in BAD.items():
        write(docs, name, data)
    write(docs, "good.md", GOOD)
    write(docs, "huge.txt", "Agencies shall keep big files small. " * 40000)
    settings = Settings(home=settings.home, max_file_mb=1)
    report = Ingester(settings).run([docs])
    reasons = {p.rsplit("/", 1)[-1]: r for p, r in report.failed}
    for name, (_, why) in BAD.items():
        assert why in reasons[name], (name, reasons.get(name))
    assert "over the 1 MB limit" in reasons["huge.txt"]
    assert report.added == ["good.md"]
    idx = index_mod.load(Store(settings), settings)
    assert [r.doc for r in idx.records] == ["good.md"]


def test_cli_exit_status_and_message_name_the_file(tmp_path):
    docs = tmp_path / "docs"
    write(docs, "good.md", GOOD)
    write(docs, "broken.pdf", b"%PDF-1.7 broken")
    env = {"KB_HOME": str(tmp_path / "home"), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-m", "kb.cli", "ingest", str(docs)], env=env,
                         capture_output=True, text=True)
    assert out.returncode == 1
    assert f"FAILED {docs / 'broken.pdf'}: corrupt or damaged PDF" in out.stderr
    assert "added 1," in out.stdout and "failed 1;" in out.stdout


def test_a_file_that_turns_bad_keeps_its_previous_version(settings, tmp_path):
    docs = tmp_path / "docs"
    write(docs, "manual.pdf", pdf_bytes(["SAM Section 9997\nAgencies shall keep the fixture manual current."]))
    Ingester(settings).run([docs])
    write(docs, "manual.pdf", b"%PDF-1.4 truncated by a bad download")
    report = Ingester(settings).run([docs])
    assert report.failed and not report.removed
    idx = index_mod.load(Store(settings), settings)
    assert any("fixture manual current" in r.text for r in idx.records)


def test_non_utf8_text_is_decoded_when_the_encoding_is_clear(settings, tmp_path):
    docs = tmp_path / "docs"
    write(docs, "memo.txt", "Agencies shall route the \u201cfixture\u201d memo \u2013 caf\u00e9 rules.\n".encode("cp1252"))
    report = Ingester(settings).run([docs])
    assert report.added == ["memo.txt"]
    idx = index_mod.load(Store(settings), settings)
    assert "\u201cfixture\u201d memo \u2013 caf\u00e9" in idx.records[0].text


def test_second_ingest_on_the_same_home_is_refused(settings):
    with ingest_lock(settings):
        with pytest.raises(IngestBusy, match="already running"):
            with ingest_lock(settings):
                pass


def test_missing_path_is_a_failure(settings, tmp_path):
    report = Ingester(settings).run([tmp_path / "nowhere"])
    assert report.failed == [(str(tmp_path / "nowhere"), "no such file or folder")]

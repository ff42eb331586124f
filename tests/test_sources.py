"""The sources file: the shipped list of official addresses, clear errors, and which links are followed."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.sources import Source, SourcesError, followed, load

SHIPPED = Path(__file__).resolve().parents[1] / "data" / "stmm" / "sources.toml"


def test_shipped_sources_cover_the_official_texts():
    srcs = {s.id: s for s in load(SHIPPED)}
    urls = {s.url for s in srcs.values()}
    assert "https://cdt.ca.gov/services/calnet-policies/stmm-chapter-3-501-0" in urls
    assert "https://www.dgs.ca.gov/en/Resources/SAM/TOC/4600/4605" in urls
    for num in ("11531", "11534", "11541", "11546"):
        assert ("https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?lawCode=GOV&sectionNum="
                f"{num}") in urls
    assert srcs["pcc-12120"].url.endswith("lawCode=PCC&sectionNum=12120")
    index = [s for s in srcs.values() if s.follow and s.kind == "stmm"]
    assert index and index[0].prefix == "/services/calnet-policies/"
    assert {s.kind for s in srcs.values()} >= {"stmm", "sam", "statute", "contract"}
    assert any(not s.verified for s in srcs.values())  # unconfirmed addresses are marked


@pytest.mark.parametrize("body, message", [
    ('[[source]]\nid = "a"\n', "`url` is missing"),
    ('[[source]]\nid = "a"\nurl = "ftp://example.invalid/x"\n', "not an http(s) address"),
    ('[[source]]\nid = "a"\nurl = "https://example.invalid/x"\nkind = "memo"\n', "not one of stmm, sam"),
    ('[[source]]\nid = "A b"\nurl = "https://example.invalid/x"\n', "`id` may hold only"),
    ('[[source]]\nid = "a"\nurl = "https://example.invalid/x"\n[[source]]\nid = "a"\n'
     'url = "https://example.invalid/y"\n', "'a' is used by more than one source"),
    ('[[source]\nid = "a"\n', "not valid TOML"),
    ('title = "FIXTURE"\n', "lists no [[source]] tables"),
])
def test_a_bad_sources_file_is_refused_with_the_reason(tmp_path, body, message):
    path = tmp_path / "sources.toml"
    path.write_text(body)
    with pytest.raises(SourcesError) as e:
        load(path)
    assert message in str(e.value) and str(path) in str(e.value)


def test_kb_fetch_with_a_bad_sources_file_exits_2(tmp_path, capsys):
    from kb.cli import main

    path = tmp_path / "sources.toml"
    path.write_text('[[source]]\nid = "a"\n')
    assert main(["fetch", "--sources", str(path)]) == 2
    assert capsys.readouterr().err.startswith(f"kb fetch: {path}: [[source]] #1 (id 'a'): `url` is missing")
    assert main(["fetch", "--sources", str(tmp_path / "none.toml")]) == 2
    assert "no such sources file" in capsys.readouterr().err


INDEX = Source(id="idx", url="https://www.example.gov/policies/", kind="stmm", follow=True, max_pages=3)
LINKS = """<html><head><base href="https://www.example.gov/policies/"></head><body><nav><a href="/">Home</a>
<a href="/about/">About</a></nav><ul>
<li><a href="chapter-1">FIXTURE chapter 1</a></li>
<li><a href="/policies/chapter-1#part-b">FIXTURE chapter 1, part B</a></li>
<li><a href="https://www.example.gov/policies/chapter-2/">FIXTURE chapter 2</a></li>
<li><a href="https://other.example.gov/policies/chapter-3">FIXTURE elsewhere</a></li>
<li><a href="http://www.example.gov.evil.invalid/policies/chapter-4">FIXTURE look-alike</a></li>
<li><a href="mailto:desk@example.gov">FIXTURE mail</a></li>
<li><a href="logo.png">FIXTURE logo</a></li>
<li><a href="chapter-5.pdf">FIXTURE chapter 5 (PDF)</a></li>
<li><a href="chapter-6">FIXTURE chapter 6</a></li>
<li><a href="chapter-7">FIXTURE chapter 7</a></li></ul></body></html>"""


def test_followed_links_stay_on_the_site_under_the_prefix_up_to_max_pages():
    got = followed(INDEX, LINKS, INDEX.url, skip=set(), previous={}, taken={"idx"})
    assert [s.url for s in got] == ["https://www.example.gov/policies/chapter-1",
                                    "https://www.example.gov/policies/chapter-2/",
                                    "https://www.example.gov/policies/chapter-5.pdf"]
    assert [s.id for s in got] == ["chapter-1", "chapter-2", "chapter-5"]  # .pdf is added on saving
    assert all(s.parent == "idx" and s.kind == "stmm" for s in got)


def test_followed_links_skip_explicit_sources_and_keep_earlier_ids():
    got = followed(INDEX, LINKS, INDEX.url, skip={"https://www.example.gov/policies/chapter-1"},
                   previous={"https://www.example.gov/policies/chapter-2": "stmm-two"},
                   taken={"idx", "chapter-5"})
    assert [s.url.rsplit("/", 2)[-2:] for s in got] == [["chapter-2", ""], ["policies", "chapter-5.pdf"],
                                                        ["policies", "chapter-6"]]
    assert got[0].id == "stmm-two"  # the id it had on an earlier run
    assert got[1].id.startswith("chapter-5-") and got[2].id == "chapter-6"  # a clash gets a suffix

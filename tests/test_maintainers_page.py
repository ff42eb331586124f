"""The maintainers' page through AppTest: the figures of the log, date filter, CSV exports (audited), adding
misses to the evaluation set, the index and fetching now without network."""
from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pandas as pd
import pytest

from kb import audit, evalset, questionlog
from tests import apphome
from tests.servers import free_port

MISSES = ["What is the capital of France?", "Which city is the capital of France?"]


@pytest.fixture
def home(corpus_settings, tmp_path, monkeypatch):
    yield from apphome.private_home(corpus_settings, tmp_path, monkeypatch, maintainers="*")


@pytest.fixture
def page(home):
    """Three questions asked (two ways of asking one the documents do not answer), the answer marked
    down with a comment, then the maintainers' page opened."""
    at = apphome.ask(apphome.app().run(), apphome.SIGN)
    at.feedback[0].set_value(0).run()
    next(t for t in at.text_input if t.key.startswith("fbc_")).set_value("FIXTURE: missed the deputy director").run()
    for q in MISSES:
        apphome.ask(at, q)
    at.switch_page("app_pages/maintainers.py").run()
    assert not at.exception
    return at


def settings():
    from kb.config import get_settings

    return get_settings()


def table(at, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_the_page_shows_rate_misses_grouped_marked_down_sections_and_slowest(page):
    metrics = {m.label: m.value for m in page.metric}
    assert (metrics["Questions"], metrics["Answer rate"], metrics["Not answered"], metrics["Marked down"]) == \
           ("3", "33%", "2", "1")
    assert [s.value for s in page.subheader][:2] == ["Answer rate over time", "Questions not answered"]
    group = [m.value for m in page.markdown if m.value.startswith("**2 ×**")]
    assert group == ["**2 ×** What is the capital of France?"]  # the two ways of asking, one group
    assert any(m.value == "- Which city is the capital of France?" for m in page.markdown)
    near = next(e for e in page.expander if e.label == "Nearest passages")
    assert len(near.markdown) == 3  # the three passages closest to the question
    down = table(page, "comment")
    assert down["comment"].tolist() == ["FIXTURE: missed the deputy director"]
    assert "Agency Information Officer" in down["answer"][0]
    assert "STMM 3-501.0" in table(page, "section")["section"].tolist()
    assert table(page, "latency_ms")["question"].iloc[0] in [apphome.SIGN, *MISSES]


def test_dates_filter_the_figures(page):
    page.date_input(key="m_dates").set_value((date.today() - timedelta(days=60), date.today() - timedelta(days=31)))
    page.run()
    assert {m.label: m.value for m in page.metric}["Questions"] == "0"
    assert not any(m.value.startswith("**2 ×**") for m in page.markdown)


def test_each_table_exports_as_csv_and_the_export_is_audited(page, monkeypatch):
    got = {}
    from streamlit.runtime.media_file_manager import MediaFileManager

    original = MediaFileManager.add

    def add(self, data, mimetype, coordinates, file_name=None, is_for_static_download=False):
        got[file_name] = data
        return original(self, data, mimetype, coordinates, file_name, is_for_static_download)

    monkeypatch.setattr(MediaFileManager, "add", add)
    page.run()
    exported = pd.read_csv(io.BytesIO(next(v for k, v in got.items() if k.startswith("kb-questions-"))))
    assert exported["question"].tolist() == list(reversed([apphome.SIGN, *MISSES]))
    names = {b.key for b in page.download_button}
    assert {"csv_unanswered", "csv_marked_down", "csv_top_sections", "csv_slowest", "csv_questions"} <= names
    page.download_button(key="csv_marked_down").click().run()
    [entry] = [e for e in audit.rows(settings()) if e["action"] == "export"]
    assert entry["user"].startswith("anon-") and entry["detail"].startswith("marked_down as CSV, 1 rows")


def test_chosen_misses_are_added_to_the_evaluation_set(page):
    page.checkbox[0].check().run()
    add = next(b for b in page.button if b.label.startswith("Add 1 chosen"))
    add.click().run()
    [item] = [json.loads(x) for x in evalset.path(settings()).read_text().splitlines()]
    assert item["question"] in MISSES and item["expect"] == ""
    assert "Added 1 question(s)" in page.success[0].value
    assert [e["action"] for e in audit.rows(settings())] == ["add to evaluation set"]


def test_the_index_panel_and_fetch_now_without_network_shows_why(page, home, tmp_path, monkeypatch):
    assert {m.label: m.value for m in page.metric}["Documents"] == "29"
    closed = free_port()  # nothing listens here: the fetch cannot connect, as with no network
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[source]]\nid = "fixture"\ntitle = "FIXTURE"\nurl = "http://127.0.0.1:{closed}/x"\n'
                       'kind = "other"\n')
    apphome.use(monkeypatch, home, maintainers="*", sources=str(sources), docs=str(tmp_path / "docs"))
    page.button(key="run_fetch").click().run()
    assert f"kb fetch: cannot reach 127.0.0.1:{closed}" in page.error[0].value.replace("\\", "")
    [entry] = audit.rows(settings())
    assert (entry["action"], entry["detail"][:6]) == ("fetch", "exit 3")
    assert questionlog.rows(settings())  # the log is untouched

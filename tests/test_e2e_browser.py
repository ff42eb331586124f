"""End to end in a real headless browser: Debian's chromium, driven by Playwright, against the served app.

Needs /usr/bin/chromium (`make test` installs it). Set KB_SKIP_BROWSER=1 to skip these tests on purpose;
without it a missing browser fails the run. KB_SCREENSHOT_DIR=docs writes the README's screenshots."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.servers import free_port, served

pytestmark = pytest.mark.skipif(os.environ.get("KB_SKIP_BROWSER") == "1", reason="KB_SKIP_BROWSER=1")

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags chromium keeps dialling out, and a closed network refuses it.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ASK = "Ask about CALNET"


@pytest.fixture(scope="module")
def server(corpus_settings, tmp_path_factory):
    """The app served as `make run` serves it (streamlit run server.py, the rest of its settings from
    .streamlit/config.toml) on 127.0.0.1, over the corpus."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "KB_HOME": str(corpus_settings.home), "HF_HUB_OFFLINE": "1"}
    no_secrets = tmp_path_factory.mktemp("secrets") / "secrets.toml"  # not the project's: no sign-in here
    no_secrets.write_text("")
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "server.py"), "--server.port", str(port),
           "--secrets.files", str(no_secrets)]
    with served("the app", cmd, tmp_path_factory.mktemp("streamlit") / "server.log", f"{url}/_stcore/health",
                cwd=ROOT, env=env):
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no browser at {CHROMIUM}: install Debian's chromium (apt-get install -y chromium, "
                    "as `make test` does), or set KB_SKIP_BROWSER=1 to skip the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM, headless=True,
            args=ARGS, viewport={"width": 1400, "height": 1100})
        ctx.set_default_timeout(120_000)
        yield ctx
        ctx.close()


@pytest.fixture
def shots(tmp_path) -> Path:
    d = Path(os.environ.get("KB_SCREENSHOT_DIR") or tmp_path)
    d.mkdir(parents=True, exist_ok=True)
    return d


def _idle(page) -> None:
    """Wait until the app has finished its run (its 'running' indicator is gone)."""
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden")


def _ask(page, question: str, n: int) -> None:
    page.get_by_placeholder(ASK).fill(question)
    page.get_by_placeholder(ASK).press("Enter")
    page.get_by_text("Answered in").nth(n - 1).wait_for()  # every finished answer carries this line
    _idle(page)


def _open(expander, label: str) -> None:
    """Open an expander (clicking again if a rerun redrew it closed); a closed one's body is inert."""
    body = expander.locator('[data-testid="stExpanderDetails"]').first
    for _ in range(5):
        if body.get_attribute("inert") is None:
            return
        expander.get_by_text(label).first.click()
        try:
            expander.locator('[data-testid="stExpanderDetails"]:not([inert])').first.wait_for(timeout=5_000)
        except Exception:
            continue
    assert body.get_attribute("inert") is None, f"{label!r} did not open"


def test_the_page_is_set_up_for_staff(server, browser):
    """No developer toolbar or Deploy button, nothing sent anywhere but the app's own server, and
    the notice right under the chat input."""
    page = browser.new_page()
    elsewhere = []
    page.on("request", lambda r: None if r.url.startswith((server, "data:", "blob:")) else elsewhere.append(r.url))
    page.goto(server)
    box = page.get_by_placeholder(ASK)
    box.wait_for()
    notice = page.get_by_text("Automated assistant: it quotes the documents and can be wrong.")
    assert "The official State Telecommunications Management Manual governs." in notice.inner_text()
    below = notice.bounding_box()["y"] - (box.bounding_box()["y"] + box.bounding_box()["height"])
    assert 0 <= below < 80  # under the input box, not somewhere else on the page
    _ask(page, "Who must sign a CALNET exemption request?", 1)
    assert page.get_by_role("button", name="Deploy").count() == 0
    assert page.locator('[data-testid="stAppDeployButton"]').count() == 0
    menu = page.locator('[data-testid="stMainMenu"]')
    if menu.count():  # the viewer menu (print, settings) may stay; developer items may not
        menu.click()
        assert page.get_by_text("Clear cache").count() == 0 and page.get_by_text("Rerun").count() == 0
    assert elsewhere == []  # usage statistics are off: no request leaves for another host
    page.close()


def test_ask_see_a_cited_answer_open_its_source_and_save_a_screenshot(server, browser, shots):
    page = browser.new_page()
    page.goto(server)
    _ask(page, "Who must sign a CALNET exemption request?", 1)
    answer = page.locator('[data-testid="stChatMessage"]').nth(1)
    assert "Agency Information Officer (AIO), or equivalent [1]" in answer.inner_text()
    source = answer.locator('[data-testid="stExpander"]').filter(has_text="Read [1] in its section")
    _open(source, "Read [1] in its section")
    details = source.locator('[data-testid="stExpanderDetails"]')
    details.get_by_text("Non-exempt state agencies", exact=False).first.wait_for()
    highlighted = details.locator("span", has_text="All written requests must be signed").last
    assert highlighted.evaluate("e => getComputedStyle(e).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
    link = answer.get_by_role("link", name="State Telecommunications Management Manual (STMM) - STMM Chapter 3-501.0").first
    assert link.get_attribute("href") == "https://cdt.ca.gov/services/calnet-policies/stmm-chapter-3-501-0"
    # the answer downloads as a PDF that holds the question and the quote
    with page.expect_download() as got:
        answer.get_by_role("button", name="PDF").click()
    from pypdf import PdfReader

    pdf = PdfReader(got.value.path())
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert got.value.suggested_filename.endswith(".pdf")
    assert "Who must sign a CALNET exemption request?" in text and "Agency Information Officer" in text
    page.set_viewport_size({"width": 1400, "height": 1900})
    page.locator('[data-testid="stTabs"]').first.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(shots / "chat.png"))
    assert (shots / "chat.png").stat().st_size > 10_000
    # the exemption guidance, with its draft request opened
    _ask(page, "Do I need an exemption to buy phone service from another carrier?", 2)
    panel = page.locator(".st-key-guide_2")
    _open(panel.locator('[data-testid="stExpander"]'), "Draft an exemption request")
    panel.get_by_label("Requesting agency").fill("Department of Examples")
    assert panel.get_by_role("button", name="Download draft · DOCX").is_visible()
    page.locator('[data-testid="stChatMessage"]').nth(2).evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(1_000)  # let the expander finish opening before the picture
    page.screenshot(path=str(shots / "guidance.png"))
    page.close()


def test_buying_elsewhere_in_plain_words_and_its_follow_up(server, browser):
    page = browser.new_page()
    page.goto(server)
    _ask(page, "We found a cheaper wireless carrier than CALNET. Can our department just use them?", 1)
    answer = page.locator('[data-testid="stChatMessage"]').nth(1)
    text = answer.inner_text()
    assert "Request a CALNET exemption" in text and ("STMM 3-501.0" in text or "SAM 4605" in text)
    assert answer.get_by_text("Draft an exemption request").count() == 1
    _ask(page, "Who has to sign that?", 2)
    follow = page.locator('[data-testid="stChatMessage"]').nth(3)
    assert "Agency Information Officer (AIO), or equivalent [1]" in follow.inner_text()
    page.close()


def test_look_up_a_section_by_number_in_the_browser(server, browser, shots):
    page = browser.new_page()
    page.goto(server)
    page.get_by_role("tab", name="Look up a section").click()
    page.get_by_placeholder("GC 11541").fill("toll-free")
    first = page.locator(".st-key-hit_1").filter(has_text="1. STMM 0507.0")
    first.wait_for()
    assert first.locator("strong", has_text="toll").count() >= 1  # the words searched for, in bold
    first.locator("code", has_text="STMM 0507.0, ").wait_for()  # its citation, ready to copy
    page.screenshot(path=str(shots / "lookup.png"))
    page.get_by_placeholder("GC 11541").fill("GC 11541")
    page.get_by_text("Cite as", exact=False).or_(page.locator("code", has_text="GC 11541, ")).first.wait_for()
    assert page.locator("code", has_text="GC 11541, ").count() >= 1
    page.close()

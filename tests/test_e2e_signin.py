"""Sign-in end to end in a real headless browser: the served app with [auth] configured, a local OpenID Connect
provider (oidc-provider-mock) on 127.0.0.1, a staff member and a maintainer signing in through it.

Needs /usr/bin/chromium, like tests/test_e2e_browser.py; KB_SKIP_BROWSER=1 skips it."""
from __future__ import annotations

import json
import os
import re
import secrets
import sys
from pathlib import Path

import pytest

from tests import apphome
from tests.servers import free_port, served
from tests.test_e2e_browser import ARGS, ASK, CHROMIUM, ROOT

pytestmark = pytest.mark.skipif(os.environ.get("KB_SKIP_BROWSER") == "1", reason="KB_SKIP_BROWSER=1")

# FIXTURE people known to the local identity provider.
STAFF = {"sub": "staff-1", "email": "pat.staff@agency.example", "name": "Pat Staff"}
LEAD = {"sub": "lead-1", "email": "lee.lead@maintainers.example", "name": "Lee Lead"}
MISS = "What is the capital of France?"


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    """oidc-provider-mock on a free loopback port, with the two people as its predefined users."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port),
           "--user-claims", json.dumps(STAFF), "--user-claims", json.dumps(LEAD)]
    with served("the identity provider", cmd, tmp_path_factory.mktemp("oidc") / "oidc.log",
                f"{url}/.well-known/openid-configuration"):
        yield url


@pytest.fixture(scope="module")
def app(corpus_settings, provider, tmp_path_factory):
    """The app served as `make run` serves it, sign-in configured against the provider, over a copy of the
    ingested corpus with an empty question log; maintainers are the @maintainers.example addresses."""
    work = tmp_path_factory.mktemp("signin-app")
    home = apphome.copy_home(corpus_settings.home, work / "home")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    secrets_file = work / "secrets.toml"
    secrets_file.write_text(
        f'[auth]\nredirect_uri = "{url}/oauth2callback"\ncookie_secret = "{secrets.token_hex(32)}"\n'
        f'client_id = "kb-fixture-client"\nclient_secret = "{secrets.token_hex(16)}"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n')
    env = {**os.environ, "KB_HOME": str(home), "HF_HUB_OFFLINE": "1", "KB_MAINTAINERS": "@maintainers.example"}
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "server.py"), "--server.address", "127.0.0.1",
           "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none", "--secrets.files", str(secrets_file)]
    with served("the app", cmd, work / "server.log", f"{url}/_stcore/health", cwd=ROOT, env=env):
        yield url


@pytest.fixture(scope="module")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no browser at {CHROMIUM}: install Debian's chromium (apt-get install -y chromium, "
                    "as .ci/run does), or set KB_SKIP_BROWSER=1 to skip the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


def signed_in(chromium, app: str, person: dict):
    """A new browser (its own cookies) signed in as `person` through the provider's form."""
    ctx = chromium.new_context(viewport={"width": 1400, "height": 1100})
    ctx.set_default_timeout(120_000)
    page = ctx.new_page()
    page.goto(app)
    page.get_by_role("button", name="Sign in with your agency account").click()
    page.get_by_role("button", name=person["sub"], exact=True).click()  # the provider's predefined user
    page.get_by_text(f"Signed in as {person['name']}").wait_for()
    return page


def ask(page, question: str, n: int) -> None:
    page.get_by_placeholder(ASK).fill(question)
    page.get_by_placeholder(ASK).press("Enter")
    page.get_by_text(re.compile(r"^(?:Answered|Searched) in ")).nth(n - 1).wait_for()  # every finished turn's footer
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden")


def test_staff_sign_in_and_chat_but_the_maintainers_page_is_absent_and_refused(app, chromium):
    ctx = chromium.new_context()
    page = ctx.new_page()
    page.goto(app)
    page.get_by_role("button", name="Sign in with your agency account").wait_for()
    assert page.get_by_placeholder(ASK).count() == 0  # nothing but the sign-in page
    ctx.close()
    page = signed_in(chromium, app, STAFF)
    ask(page, apphome.SIGN, 1)
    answer = page.locator('[data-testid="stChatMessage"]').nth(1).inner_text()
    assert "Agency Information Officer (AIO), or equivalent [1]" in answer
    ask(page, MISS, 2)
    assert page.get_by_role("link", name="Maintainers").count() == 0
    page.goto(f"{app}/maintainers")
    page.get_by_text("This page is only for the knowledge base's maintainers").wait_for()
    assert page.get_by_text(MISS).count() == 0
    page.context.close()


def test_a_maintainer_sees_the_questions_just_asked(app, chromium):
    page = signed_in(chromium, app, LEAD)
    page.get_by_role("link", name="Maintainers").click()
    page.get_by_role("heading", name="Questions not answered").wait_for()
    group = page.locator('[class*="st-key-miss_"]').filter(has_text=MISS)
    group.wait_for()
    assert "1 ×" in group.inner_text()  # the staff member's miss, asked once
    metrics = page.locator('[data-testid="stMetric"]')
    assert "2" in metrics.filter(has_text="Questions").first.inner_text()
    assert "50%" in metrics.filter(has_text="Answer rate").inner_text()  # one of the two answered
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="End session").click()  # the provider ends its session, then sends us back
    page.get_by_role("button", name="Sign in with your agency account").wait_for()
    assert page.get_by_placeholder(ASK).count() == 0
    page.context.close()

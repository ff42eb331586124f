"""Sign-in through AppTest: with [auth] configured nobody gets past the sign-in page unsigned; signed-in users
are named, logged and audited; KB_MAINTAINERS decides who gets the maintainers' page."""
from __future__ import annotations

import pytest

from kb import access, audit, questionlog
from tests import apphome

# FIXTURE identity-provider settings: nothing here is contacted by these tests.
AUTH = {"auth": {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "FIXTURE-cookie-secret",
                 "client_id": "FIXTURE-client", "client_secret": "FIXTURE-secret",
                 "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}}
STAFF = {"is_logged_in": True, "email": "Pat.Staff@Agency.example", "name": "Pat <b>Staff</b>",
         "sub": "staff-1", "iss": "http://127.0.0.1:9", "iat": 1700000000}
LEAD = {"is_logged_in": True, "email": "lee@maintainers.example", "name": "Lee Lead", "sub": "lead-1",
        "iss": "http://127.0.0.1:9", "iat": 1700000100}


@pytest.fixture
def home(corpus_settings, tmp_path, monkeypatch):
    yield from apphome.private_home(corpus_settings, tmp_path, monkeypatch,
                                    maintainers="@maintainers.example, boss@agency.example")


def settings():
    from kb.config import get_settings

    return get_settings()


def test_with_auth_configured_and_nobody_signed_in_there_is_only_a_sign_in_page(home):
    at = apphome.app(user={"is_logged_in": False}, secrets=AUTH).run()
    assert not at.exception
    assert len(at.chat_input) == 0 and len(at.tabs) == 0 and len(at.sidebar.markdown) == 0
    assert [b.label for b in at.button] == ["Sign in with your agency account"]


def test_each_named_identity_provider_gets_its_own_sign_in_button(home):
    named = {"auth": {k: v for k, v in AUTH["auth"].items() if k in ("redirect_uri", "cookie_secret")}}
    named["auth"]["microsoft"] = {**{k: AUTH["auth"][k] for k in ("client_id", "client_secret")},
                                  "server_metadata_url": "https://login.microsoftonline.com/FIXTURE/v2.0/"
                                                         ".well-known/openid-configuration"}
    named["auth"]["okta"] = {**named["auth"]["microsoft"], "label": "the agency's Okta"}
    at = apphome.app(user={"is_logged_in": False}, secrets=named).run()
    assert [b.label for b in at.button] == ["Sign in with Microsoft", "Sign in with the agency's Okta"]
    assert len(at.chat_input) == 0


def test_a_signed_in_user_is_named_can_sign_out_and_their_questions_carry_their_address(home):
    at = apphome.ask(apphome.app(user=STAFF, secrets=AUTH).run(), apphome.SIGN)
    side = "\n".join(m.value for m in at.sidebar.markdown)
    assert "Signed in as **Pat \\<b\\>Staff\\</b\\>**" in side  # the name, shown as text
    assert at.button(key="logout").label == "Sign out"
    [row] = questionlog.rows(settings())
    assert row["user"] == "pat.staff@agency.example" and row["status"] == "answered"


def open_address(at, url_path: str):
    """Open the page registered at this address, as a browser opening /url_path would (AppTest's
    switch_page takes only page files)."""
    at._page_hash = next(h for h, info in at._registered_pages.items() if info.get("url_pathname") == url_path)
    return at.run()


def test_a_staff_member_has_no_maintainers_page_and_its_address_refuses_them(home):
    at = apphome.app(user=STAFF, secrets=AUTH).run()
    assert len(at.chat_input) == 1
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # its file is not among their pages
        at.switch_page("app_pages/maintainers.py")
    apphome.ask(at, apphome.OFF_TOPIC)
    open_address(at, "maintainers")
    assert not at.exception and "only for the knowledge base's maintainers" in at.error[0].value
    assert len(at.dataframe) == 0 and len(at.metric) == 0
    assert not any(apphome.OFF_TOPIC in m.value for m in at.markdown)  # no question from the log


def test_a_maintainer_opens_the_maintainers_page_and_sees_the_questions_asked(home):
    apphome.ask(apphome.app(user=STAFF, secrets=AUTH).run(), apphome.OFF_TOPIC)
    at = apphome.app(user=LEAD, secrets=AUTH).run()
    at.switch_page("app_pages/maintainers.py").run()
    assert not at.exception and at.title[0].value == "Maintainers"
    log = next(d.value for d in at.dataframe if "history_len" in d.value.columns)
    assert log["question"].tolist() == [apphome.OFF_TOPIC] and log["user"].tolist() == ["pat.staff@agency.example"]


def test_a_sign_in_is_audited_once_not_for_every_tab(home):
    apphome.app(user=STAFF, secrets=AUTH).run()
    apphome.app(user=STAFF, secrets=AUTH).run()  # another tab: the same identity token
    apphome.app(user={**STAFF, "iat": STAFF["iat"] + 3600}, secrets=AUTH).run()  # signed in again later
    entries = audit.rows(settings())
    assert [(e["user"], e["action"]) for e in entries] == [("pat.staff@agency.example", "sign-in")] * 2


def test_without_sign_in_everyone_is_anonymous_and_only_a_star_makes_them_maintainers(home, monkeypatch):
    at = apphome.ask(apphome.app().run(), apphome.SIGN)
    assert questionlog.rows(settings())[0]["user"].startswith("anon-")
    with pytest.raises(ValueError):
        at.switch_page("app_pages/maintainers.py")
    apphome.use(monkeypatch, home, maintainers="*")
    at = apphome.app().run()
    at.switch_page("app_pages/maintainers.py").run()
    assert at.title[0].value == "Maintainers"


@pytest.mark.parametrize("who, patterns, allowed", [
    ("lee@maintainers.example", ["@maintainers.example"], True),
    ("Lee@Maintainers.Example", ["@MAINTAINERS.example"], True),
    ("lee@sub.maintainers.example", ["@maintainers.example"], False),  # a domain, not its subdomains
    ("lee@notmaintainers.example", ["@maintainers.example"], False),
    ("boss@agency.example", ["boss@agency.example"], True),
    ("pat@agency.example", ["boss@agency.example"], False),
    (None, ["@maintainers.example"], False),
    (None, ["*"], True),
    ("pat@agency.example", [], False),
])
def test_kb_maintainers_patterns(who, patterns, allowed):
    assert access.is_maintainer(who, patterns) is allowed


def test_entra_id_accounts_without_email_are_known_by_preferred_username():
    claims = {"is_logged_in": True, "preferred_username": "Pat@Agency.onmicrosoft.com", "name": "Pat", "sub": "x"}
    assert access.identity(claims) == "pat@agency.onmicrosoft.com"
    assert access.identity({"is_logged_in": True, "sub": "opaque"}) == "sub:opaque"
    assert access.identity({"is_logged_in": False, "email": "a@b.example"}) is None

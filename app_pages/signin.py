"""Sign-in for the app: Streamlit's OpenID Connect (st.login) when [auth] is in secrets.toml, and who sees what."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import streamlit as st

from kb import access, audit, view
from kb.config import Settings

MAINTAINERS_PAGE = Path(__file__).with_name("maintainers.py")


def configured() -> bool:
    """Whether sign-in is on: an [auth] section in .streamlit/secrets.toml."""
    return st.secrets.load_if_toml_exists() and "auth" in st.secrets


def providers() -> list[tuple[str | None, str]]:
    """(provider, label) for each identity provider in [auth]: the unnamed one, and [auth.NAME] tables."""
    auth = st.secrets["auth"]
    found = [(None, "your agency account")] if "client_id" in auth else []
    return found + [(name, str(cfg.get("label") or name.replace("_", " ").title()))
                    for name, cfg in auth.items() if isinstance(cfg, Mapping) and "client_id" in cfg]


def _sign_in_page() -> None:
    st.title("California telecom policy assistant")
    st.markdown("Sign in to ask questions about CALNET, the STMM, SAM and the Government Code.")
    for provider, label in providers():
        st.button(f"Sign in with {label}", key=f"login_{provider or 'default'}", type="primary",
                  on_click=st.login, args=(provider,) if provider else ())


def gate(settings: Settings) -> tuple[str, str | None]:
    """Who is using the app: (name for the question log, signed-in address or None). With sign-in
    configured and nobody signed in, draws only the sign-in page and stops the run."""
    state = st.session_state
    if not configured():
        return f"anon-{state.session_id}", None
    claims = st.user.to_dict()
    if not claims.get("is_logged_in"):
        _sign_in_page()
        st.stop()
    who = access.identity(claims)
    if not state.get("sign_in_recorded"):
        audit.sign_in(settings, who, claims)
        state.sign_in_recorded = True
    with st.sidebar:
        st.markdown(f"Signed in as **{view.escape_md(access.display_name(claims))}**")
        st.button("Sign out", key="logout", on_click=st.logout)
    return who, who


def _refused() -> None:
    st.title("Maintainers")
    st.error("This page is only for the knowledge base's maintainers (KB_MAINTAINERS). Ask one of them for "
             "access if you need it.", icon="🔒")


def maintainers_page(settings: Settings, address: str | None) -> st.Page:
    """The maintainers' page for a maintainer; for anyone else a hidden page at the same address that
    refuses (the page's own code never runs for them)."""
    if access.is_maintainer(address, settings.maintainers):
        return st.Page(MAINTAINERS_PAGE, title="Maintainers", icon=":material/build:",
                       url_path="maintainers")
    return st.Page(_refused, title="Maintainers", url_path="maintainers", visibility="hidden")

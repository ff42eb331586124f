"""Shared test set-up: an isolated KB_HOME per test and one ingested copy of the real excerpts."""
from __future__ import annotations

import os
import shutil

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from streamlit import config as streamlit_config  # noqa: E402

from tests.fixtures import CORPUS  # noqa: E402

# The app under test never reads a secrets.toml of this machine or of the project folder (one with
# [auth] would put every app test behind the sign-in page); sign-in tests give their own secrets.
streamlit_config.set_option("secrets.files", [])


@pytest.fixture
def settings(tmp_path, monkeypatch):
    from kb.config import Settings

    monkeypatch.setenv("KB_HOME", str(tmp_path / "home"))
    return Settings(home=tmp_path / "home", docs=tmp_path / "docs")


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory):
    """A private copy of the real excerpts (read-only in the shared folder)."""
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    dst = tmp_path_factory.mktemp("corpus") / "corpus"
    shutil.copytree(CORPUS, dst)
    for p in dst.iterdir():
        p.chmod(0o644)
    return dst


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory, corpus_dir):
    """Settings for an index holding the whole corpus, ingested once per test session."""
    from kb.config import Settings
    from kb.indexer import Ingester

    s = Settings(home=tmp_path_factory.mktemp("corpus-home"), docs=corpus_dir)
    report = Ingester(s).run([corpus_dir])
    assert not report.failed, report.failed
    return s


@pytest.fixture
def corpus_env(corpus_settings, monkeypatch):
    """The corpus index as KB_HOME, for code that reads its settings from the environment (the CLI,
    `python -m kb.fit`); the settings cache cleared before and after."""
    from kb.config import get_settings
    from tests.apphome import use

    use(monkeypatch, corpus_settings.home)
    yield corpus_settings.home
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def corpus_kb(corpus_settings):
    """A loaded knowledge base over the real excerpts, shared by the answer tests."""
    from kb.answer import KnowledgeBase

    kb = KnowledgeBase(corpus_settings)
    kb.warm()
    return kb


@pytest.fixture(scope="session")
def api(corpus_settings, tmp_path_factory):
    """`kb api` serving the corpus on 127.0.0.1 with two bearer tokens and a 64 KB body limit:
    (base URL, one of the tokens)."""
    import sys

    from tests.servers import free_port, served

    url = f"http://127.0.0.1:{free_port()}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    env.update(KB_HOME=str(corpus_settings.home), KB_API_TOKENS="fixture-token-a, fixture-token-b",
               KB_API_MAX_BODY_KB="64", HF_HUB_OFFLINE="1")
    cmd = [sys.executable, "-m", "kb.cli", "api", "--host", "127.0.0.1", "--port", url.rsplit(":", 1)[1]]
    with served("kb api", cmd, tmp_path_factory.mktemp("api") / "server.log", f"{url}/healthz", env=env):
        yield url, "fixture-token-b"

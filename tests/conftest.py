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


@pytest.fixture(scope="session")
def corpus_kb(corpus_settings):
    """A loaded knowledge base over the real excerpts, shared by the answer tests."""
    from kb.answer import KnowledgeBase

    kb = KnowledgeBase(corpus_settings)
    kb.warm()
    return kb

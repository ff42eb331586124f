"""For the sign-in, question-log and maintainers' tests: a private copy of the ingested corpus (so each test
starts with an empty question log), and the app on it through AppTest."""
from __future__ import annotations

import shutil
from pathlib import Path

APP = str(Path(__file__).resolve().parents[1] / "app.py")
SIGN = "Who must sign a CALNET exemption request?"
OFF_TOPIC = "What is the capital of France?"
# Databases the app writes: never copied, so a copy starts with no questions, feedback or audit entries.
WRITTEN = ("questions.sqlite", "feedback.sqlite", "eval-from-log.jsonl", "ingest.lock")


def copy_home(src: Path, dst: Path) -> Path:
    """The ingested index of `src` (a KB_HOME) copied into `dst`, without anything the app recorded."""
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(*WRITTEN))
    return dst


def use(monkeypatch, home: Path, **env: str) -> None:
    """Point the settings at `home`, with these KB_* variables (e.g. maintainers="*")."""
    from kb.config import get_settings

    monkeypatch.setenv("KB_HOME", str(home))
    for key, value in env.items():
        monkeypatch.setenv(f"KB_{key.upper()}", value)
    get_settings.cache_clear()


def private_home(corpus_settings, tmp_path: Path, monkeypatch, **env: str):
    """For a fixture to `yield from`: a copy of the ingested corpus as KB_HOME with these KB_*
    settings, the settings cache cleared again afterwards."""
    from kb.config import get_settings

    home = copy_home(corpus_settings.home, tmp_path / "home")
    use(monkeypatch, home, **env)
    yield home
    get_settings.cache_clear()


def app(user: dict | None = None, secrets: dict | None = None):
    """A fresh session of the app (not yet run), signed in as `user` claims when given."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=180)
    if secrets:
        at.secrets = secrets
    if user is not None:
        at.user = user
    return at


def ask(at, question: str):
    at.chat_input[0].set_value(question).run()
    assert not at.exception, at.exception
    return at

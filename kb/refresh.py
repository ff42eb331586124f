"""Fetch and ingest on request from the app: the `kb fetch` / `kb ingest` commands run as they run in a terminal."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass

from .config import Settings

TIMEOUT_S = 3600


@dataclass
class Outcome:
    """How a command ended: its exit status, its JSON summary (if it printed one) and its messages."""

    code: int
    summary: dict | None
    messages: list[str]

    @property
    def ok(self) -> bool:
        return self.code == 0


def run(settings: Settings, command: str, *args: str) -> Outcome:
    """Run `kb COMMAND --json ARGS` for these settings in a child process (one ingest at a time is
    enforced by the ingest lock; the app's knowledge base picks up the new index by itself)."""
    env = {**os.environ, "KB_HOME": str(settings.home), "KB_DOCS": str(settings.docs)}
    if settings.sources:
        env["KB_SOURCES"] = str(settings.sources)
    try:
        done = subprocess.run([sys.executable, "-m", "kb.cli", command, "--json", *args], env=env,
                              capture_output=True, text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return Outcome(124, None, [f"kb {command} took longer than {TIMEOUT_S} s and was stopped"])
    summary = None
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("{"):
            try:
                summary = json.loads(line)
            except ValueError:
                continue
            break
    err = done.stderr.splitlines()
    messages = [line for line in err if line.startswith((f"kb {command}:", "FAILED "))]
    if done.returncode and not messages:  # an unexpected failure: its last line says what it was
        messages = err[-1:] or [f"kb {command} ended with status {done.returncode}"]
    return Outcome(done.returncode, summary, messages)

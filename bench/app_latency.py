"""How fast the served app answers: page load to first answer, and later answers, in headless chromium.
ask_s is the time kb spent on each question (the answer's own "Answered in"); the rest is the page.

Usage: KB_HOME=... .venv/bin/python bench/app_latency.py [URL]   (default http://127.0.0.1:8501; start the
app first, e.g. `KB_DOCS=../shared/corpus make run`, and restart it to measure a cold process)."""
from __future__ import annotations

import json
import sys
import tempfile
import time

from playwright.sync_api import sync_playwright

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
QUESTIONS = ["Who must sign a CALNET exemption request?", "How does a county order CALNET services?",
             "What is STMM 0507.0 about?", "Who may use CALNET contracts?"]


def main(url: str) -> dict:
    out: dict = {"url": url, "later_s": [], "ask_s": []}
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(tempfile.mkdtemp(), executable_path="/usr/bin/chromium",
                                                   headless=True, args=ARGS)
        ctx.set_default_timeout(300_000)
        page = ctx.new_page()
        t0 = time.perf_counter()
        page.goto(url)
        box = page.get_by_placeholder("Ask about CALNET")
        box.wait_for()
        out["page_ready_s"] = round(time.perf_counter() - t0, 2)
        for n, q in enumerate(QUESTIONS, 1):
            box.fill(q)
            t1 = time.perf_counter()
            box.press("Enter")
            line = page.get_by_text("Answered in").nth(n - 1)
            line.wait_for()
            took = round(time.perf_counter() - t1, 2)
            out["ask_s"].append(float(line.inner_text().split("Answered in ")[1].split(" s")[0]))
            if n == 1:
                out["first_answer_after_page_load_s"] = round(time.perf_counter() - t0, 2)
                out["first_answer_after_enter_s"] = took
            else:
                out["later_s"].append(took)
        ctx.close()
    return out


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8501")))

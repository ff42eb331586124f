"""Streamlit app (UI only): sign-in, chat with checkable citations, guidance, look-up, export, feedback, logging."""
from __future__ import annotations

import itertools
import time
import uuid

import streamlit as st

import kb
from app_pages import signin
from kb import draft, export, lookup, questionlog, serve, view
from kb.feedback import Feedback

st.set_page_config(page_title="CALNET policy assistant", page_icon="📞", layout="wide")
EXAMPLES = ["Who must sign a CALNET exemption request?", "How does a county order CALNET services?",
            "Do I need an exemption to buy phone service from another carrier?"]
NOTICE = ("Automated assistant: it quotes the documents and can be wrong. The official State "
          "Telecommunications Management Manual governs.")
RECORDED = "who asked, the question, the answer given, its sources, time taken and your feedback"
SUGGEST = ("Try the policy's own words, name a section (for example `GC 11541`, `SAM 4605` or "
           "`STMM 3-501.0`), or search the **Look up a section** tab. The official manual governs.")


@st.cache_data(ttl=15, show_spinner=False)
def summary(home: str) -> dict:
    return kb.index_summary()


@st.cache_data(ttl=600, max_entries=256, show_spinner=False)
def look_up(home: str, generation: str, query: str) -> dict:
    return lookup.search(KB, KB.index(), query, limit=10)  # KB: defined below, before any look-up


SETTINGS = kb.get_settings()
HOME = str(SETTINGS.home)
# One knowledge base per process and settings (kb.serve keeps it, like st.cache_resource would);
# the model and index load in the background while the page draws.
KB = serve.knowledge_base(SETTINGS)
state = st.session_state
state.setdefault("turns", [])
state.setdefault("ids", itertools.count(1))
state.setdefault("session_id", uuid.uuid4().hex[:12])


def history() -> list[dict]:
    return [{"question": t["question"], "answer": t["result"]["answer"]} for t in state.turns]


def export_buttons(turns: list[dict], key: str, what: str) -> None:
    """Markdown, DOCX and PDF downloads, generated only when clicked."""
    snap = export.snapshot(KB.index())
    st.caption(what)
    for col, fmt in zip(st.columns(3), export.FORMATS):
        col.download_button(fmt.upper(), data=lambda f=fmt: export.render(turns, snap, f),
                            file_name=export.file_name(turns, fmt), mime=export.FORMATS[fmt][0],
                            key=f"{key}_{fmt}", on_click="ignore", width="stretch")


def save_rating(t: dict) -> None:
    value = state.get(f"fb_{t['id']}")
    if value is None:
        return
    rating = 1 if value == 1 else -1
    fb = Feedback(SETTINGS)
    if t.get("fb_row"):
        fb.update(t["fb_row"], rating=rating)
    else:
        t["fb_row"] = fb.add(t["result"], rating)
    questionlog.set_feedback(SETTINGS, t.get("log_row"), rating=rating)


def save_comment(t: dict) -> None:
    if t.get("fb_row"):
        comment = state.get(f"fbc_{t['id']}", "")
        Feedback(SETTINGS).update(t["fb_row"], comment=comment)
        questionlog.set_feedback(SETTINGS, t.get("log_row"), comment=comment)


def show_sources(t: dict) -> None:
    idx = KB.index()
    st.markdown("**Sources**")
    for c in t["result"]["citations"]:
        with st.container(border=True):
            st.markdown(f"**\\[{c['n']}\\]** {view.link(c['title'], c.get('url'))}  \n"
                        f"{view.escape_md(view.where(c) or c['doc'])}")
            st.markdown("> " + view.escape_md(c["quote"]).replace("\n", "\n> "))
            with st.expander(f"Read \\[{c['n']}\\] in its section"):
                ctx = view.source_context(idx, c)
                st.markdown(ctx["markdown"] if ctx else view.escape_md(c["quote"]))
                st.caption("Cite as (copy with the icon on the right):")
                st.code(view.citation_line(c), language=None, wrap_lines=True)


def show_draft(t: dict) -> None:
    r, tid = t["result"], t["id"]
    with st.expander("Draft an exemption request", expanded=False):
        st.caption("Fill in what you know; headings and requirements come from the cited sources. "
                   "Blank fields appear as “[to be completed]”.")
        with st.form(f"draft_{tid}"):
            for key, label in draft.FIELDS:
                (st.text_area if key in ("why", "consequences", "services") else st.text_input)(
                    label, key=f"draft_{tid}_{key}")
            st.form_submit_button("Update the draft")
        values = {key: state.get(f"draft_{tid}_{key}", "") for key, _ in draft.FIELDS}
        md = draft.to_markdown(r["guidance"], r["citations"], values)
        a, b = st.columns(2)
        a.download_button("Download draft · DOCX", key=f"draft_{tid}_docx", on_click="ignore",
                          data=lambda: draft.to_docx(r["guidance"], r["citations"], values),
                          file_name="calnet-exemption-request-draft.docx", mime=export.FORMATS["docx"][0])
        b.download_button("Download draft · Markdown", data=lambda: md.encode("utf-8"), key=f"draft_{tid}_md",
                          file_name="calnet-exemption-request-draft.md", mime="text/markdown", on_click="ignore")
        st.code(md, language="markdown", wrap_lines=True, height=260)


def show_guidance(t: dict) -> None:
    g = t["result"].get("guidance")
    if not g:
        return
    with st.container(border=True, key=f"guide_{t['id']}"):
        st.markdown(f"#### {view.escape_md(g['title'])}")
        lines = []
        for k, step in enumerate(g["steps"], 1):
            text = step["text"].removeprefix(f"{step.get('label')}: ") if step.get("label") else step["text"]
            marks = " ".join(f"**\\[{n}\\]**" for n in step["cite"])
            lines.append(f"{k}. **{view.escape_md(step.get('label') or '')}** — {view.escape_md(text)} {marks}")
        st.markdown("\n".join(lines))
        if g["path"] == "exemption":
            show_draft(t)


def show_turn(t: dict) -> None:
    r, tid = t["result"], t["id"]
    with st.chat_message("user"):
        st.markdown(view.escape_md(t["question"]))
    with st.chat_message("assistant"):
        if r["status"] == "answered":
            st.markdown(view.answer_md(r["answer"]))
        else:
            st.warning(view.escape_md(r["answer"]), icon="🔎")
            st.markdown(SUGGEST)
        show_guidance(t)
        if r["citations"]:
            show_sources(t)
        st.caption(view.footer(r))
        left, right = st.columns([1, 3])
        with left:
            st.feedback("thumbs", key=f"fb_{tid}", on_change=save_rating, args=(t,))
        with right:
            if t.get("fb_row"):
                st.text_input("Comment (optional, saved on Enter)", key=f"fbc_{tid}",
                              on_change=save_comment, args=(t,))
        export_buttons([t], f"exp_{tid}", "Export this answer (questions, answer, sources, quotes, links):")


@st.fragment
def lookup_panel() -> None:
    query = st.text_input("Section reference or keywords", key="lookup_q", type="search", live=True,
                          placeholder="GC 11541, Gov. Code § 11541(b), SAM 4605, STMM 3-501.0, or words")
    if not query.strip():
        st.caption("Type a section number or a few words; results appear as you type.")
        return
    idx = KB.index()
    res = look_up(HOME, idx.generation, query.strip())
    if res["kind"] == "section":
        for s in res["sections"]:
            with st.container(border=True):
                st.markdown(f"**{view.escape_md(s['ref'] + (s['subdivision'] or ''))}** · "
                            f"{view.link(s['title'], s['url'])}"
                            + (f" · *{view.escape_md(s['version'])}*" if s.get("version") else ""))
                st.caption(f"Source: {s['doc']}" + (f" · pages {', '.join(map(str, s['pages']))}" if s["pages"] else ""))
                st.markdown(view.escape_md(s["text"]).replace("\n", "  \n"))
                st.code(s["citation"], language=None, wrap_lines=True)
        return
    if not res["results"]:
        st.info("No section matches. Try a reference such as GC 11541, SAM 4605 or STMM 3-501.0.")
        return
    for n, r in enumerate(res["results"], 1):
        with st.container(border=True, key=f"hit_{n}"):
            st.markdown(f"**{n}. {view.escape_md(view.where(r) or r['title'])}** — {view.escape_md(r['title'])}  \n"
                        f"{view.snippet_md(query, r['snippet'])}")
            with st.expander("Read the whole section"):
                st.markdown(view.link(r["title"], r["url"]) + f"  \n{view.escape_md(r['doc'])}")
                st.markdown(view.escape_md(view.result_context(idx, r)).replace("\n", "  \n"))
            st.code(r["citation"], language=None, wrap_lines=True)


def sidebar(s: dict) -> None:
    with st.sidebar:
        st.header("What the index holds")
        st.markdown(f"**{s['documents']}** documents ({s['fragments']} marked as fragments), "
                    f"{s['chunks']} passages, {len(s['sections'])} sections.  \n"
                    f"Last ingest: {view.escape_md(view.when(s['ingested_at']))}")
        with st.expander("Documents"):
            for d in s["docs"]:
                dated = d.get("fetched_at") or d.get("date")
                st.markdown("- " + view.link(d.get("title") or d["doc"], d.get("url"))
                            + (" · *fragment*" if d.get("fragment") else "")
                            + (f" · {view.escape_md(str(dated))}" if dated else ""))
        with st.expander("How to add documents"):
            st.markdown("Put PDF, HTML, Markdown, text or Word files in `data/stmm/` (or the folder in "
                        "`KB_DOCS`) and run `kb ingest`. Unchanged files are skipped; the app picks up the "
                        "new index on the next question. `kb stats` lists what is indexed.")
        if state.turns:
            st.header("This conversation")
            export_buttons(list(state.turns), "exp_all", "Export the whole conversation:")
            if st.button("New conversation", width="stretch"):
                state.turns = []
                st.rerun()


def ask_page() -> None:
    """The chat and the look-up tabs."""
    s = summary(HOME)
    st.title("California telecom policy assistant")
    st.caption("Answers quote the State Telecommunications Management Manual, CALNET contracts, SAM and the "
               "Government Code, with a source for every sentence.")
    if SETTINGS.question_log:
        st.caption(f"Questions asked here are recorded ({view.escape_md(RECORDED)}) and kept for "
                   f"{SETTINGS.log_retention_days} days, so the maintainers can see what the documents do not "
                   "answer.")
    if not s["documents"]:
        st.info("The index is empty. Add policy documents (PDF, HTML, Markdown, text or DOCX) to `data/stmm/` "
                "and run `kb ingest`, or start with `KB_DOCS=/path/to/folder make run`.")
    chat, look = st.tabs(["Ask", "Look up a section"])
    with chat:
        conversation = st.container()
        with conversation:
            if not state.turns:
                st.markdown("Ask a policy question, for example:\n" + "\n".join(f"- {q}" for q in EXAMPLES))
            for turn in state.turns:
                show_turn(turn)
            pending = st.empty()  # the new question's turn is drawn here, above the input box
        question = st.chat_input("Ask about CALNET, the STMM, SAM or the Government Code")
        st.caption(NOTICE)
        if question:
            with pending.container():
                with st.chat_message("user"):
                    st.markdown(view.escape_md(question))
                with st.chat_message("assistant"):
                    # Text appears as the reader gives it (LLM mode: sentence by sentence, each verified);
                    # the cited turn replaces it below.
                    with st.spinner("Finding the answer in the documents..."):
                        earlier, t0 = history(), time.perf_counter()
                        reply = KB.ask(question, history=earlier, stream=True)
                        st.write_stream(view.escape_md(piece) for piece in reply)
                    result = reply.result
            turn = {"id": next(state.ids), "question": question, "result": result,
                    "log_row": questionlog.record(SETTINGS, question, len(earlier), result, state.kb_user,
                                                  (time.perf_counter() - t0) * 1000, session=state.session_id)}
            state.turns.append(turn)
            with pending.container():
                show_turn(turn)
    with look:
        lookup_panel()
    sidebar(s)  # drawn last, so its conversation export includes a question just answered


# Sign-in (when configured) comes before anything else; then the pages this user may open.
state.kb_user, address = signin.gate(SETTINGS)
st.navigation([st.Page(ask_page, title="Ask", icon=":material/forum:", default=True),
               signin.maintainers_page(SETTINGS, address)]).run()

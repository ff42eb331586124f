"""The maintainers' page: what staff asked, what the documents did not answer, answers marked down, and the index."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

import streamlit as st

import kb
from app_pages import tables
from kb import audit, evalset, questionlog, refresh, report, serve, stats, view

SETTINGS = kb.get_settings()
KB = serve.knowledge_base(SETTINGS)
state = st.session_state
WHO = state.get("kb_user") or "unknown"
SHOWN = 400  # characters of a question shown in a group's heading (the tables hold the whole text)


@st.cache_data(max_entries=8, show_spinner="Grouping the questions not answered...")
def figures(rows: list[dict]) -> dict:
    return report.build(SETTINGS, rows)


@st.cache_data(max_entries=256, show_spinner=False)
def nearest(generation: str, question: str) -> list[dict]:
    from kb.retrieve import retrieve

    hits = retrieve(KB.index(), KB.store, question[: report.EMBED_CHARS], k=3).hits
    return [{"where": view.where(h.record.__dict__) or h.record.doc, "title": h.record.title,
             "text": h.record.text, "similarity": round(h.dense, 2)} for h in hits]


def _short(text: str) -> str:
    return text if len(text) <= SHOWN else text[:SHOWN] + " …"


def unanswered(rep: dict, by_id: dict[int, dict]) -> None:
    st.subheader("Questions not answered")
    st.caption("Grouped when they mean the same thing (embedding similarity). Tick the ones the knowledge base "
               "should handle and add them to the evaluation set: each becomes a `kb eval` question whose "
               "expectation you fill in.")
    idx = KB.index()
    for g in rep["unanswered"]:
        gid = g["ids"][-1]
        with st.container(border=True, key=f"miss_{gid}"):
            st.markdown(f"**{g['count']} ×** {view.escape_md(_short(g['question']))}")
            for other in g["examples"][1:]:
                st.markdown(f"- {view.escape_md(_short(other))}")
            st.checkbox("Add to the evaluation set", key=f"pick_{gid}")
            with st.expander("Nearest passages"):
                for p in nearest(idx.generation, g["question"]):
                    st.markdown(f"**{view.escape_md(p['where'])}** · {view.escape_md(p['title'])} · "
                                f"similarity {p['similarity']}  \n{view.escape_md(p['text'][:600])}")
    tables.csv_button("unanswered", [{**g, "examples": " | ".join(g["examples"])} for g in rep["unanswered"]],
                      ["count", "question", "examples", "last_asked"])
    chosen = [next(by_id[i] for i in reversed(g["ids"]) if by_id[i]["question"] == g["question"])
              for g in rep["unanswered"] if state.get(f"pick_{g['ids'][-1]}")]
    if st.button(f"Add {len(chosen)} chosen question(s) to the evaluation set", disabled=not chosen):
        added = evalset.add(SETTINGS, chosen)
        audit.record(SETTINGS, WHO, "add to evaluation set", f"{added} question(s) to {evalset.path(SETTINGS)}")
        st.success(f"Added {added} question(s) to {evalset.path(SETTINGS)} (already there: {len(chosen) - added}). "
                   "Fill in expect ('answer' or 'abstain'), sources and mentions, then run `kb eval` on it.")


def index_panel() -> None:
    st.subheader("The index")
    s = stats.summary(KB.store.read_manifest(), SETTINGS)
    fetched = max((d["fetched_at"] for d in s["docs"] if d.get("fetched_at")), default=None)
    a, b, c = st.columns(3)
    a.metric("Documents", s["documents"], help=f"{s['fragments']} marked as fragments; {s['chunks']} passages")
    b.metric("Stale", len(s["stale"]), help=f"fetched documents last checked over {s['stale_days']} days ago")
    c.metric("Last fetch", view.when(fetched)[:10] if fetched else "never")
    st.caption(f"Last ingest: {view.escape_md(view.when(s['ingested_at']))}")
    tables.show("documents", s["docs"], ["doc", "title", "chunks", "kind", "fetched_at", "ingested_at", "url"])
    if s["stale"]:
        tables.show("stale", s["stale"], ["doc", "fetched_at", "age_days", "source_url"])
    left, right = st.columns(2)
    for col, command, label in ((left, "fetch", "Fetch now"), (right, "ingest", "Ingest now")):
        if col.button(label, key=f"run_{command}", help=f"runs `kb {command}` on this server"):
            with st.spinner(f"kb {command} is running..."):
                out = refresh.run(SETTINGS, command)
            audit.record(SETTINGS, WHO, command, f"exit {out.code}" + "".join(f"; {m}" for m in out.messages[:3]))
            state[f"ran_{command}"] = out
        out = state.get(f"ran_{command}")
        if out is not None:
            for m in out.messages:
                (col.error if not out.ok else col.warning)(view.escape_md(m))
            if out.ok:
                col.success(f"kb {command} finished: {view.escape_md(tables.summary_line(out.summary))}")


st.title("Maintainers")
today = datetime.now(timezone.utc).date()
picked = st.date_input("Questions asked between (UTC dates)", value=(today - timedelta(days=29), today),
                       max_value=today, key="m_dates")
first, last = (picked[0], picked[-1]) if isinstance(picked, (tuple, list)) and picked else (today, today)
state.m_span = f"{first}..{last}"
start = datetime.combine(first, time(), timezone.utc)
end = datetime.combine(last + timedelta(days=1), time(), timezone.utc)
rows = questionlog.rows(SETTINGS, start=start, end=end)
rep = figures(rows)
if not SETTINGS.question_log:
    st.warning("The question log is off (KB_QUESTION_LOG=off): no new questions are recorded.")
m = st.columns(4)
m[0].metric("Questions", rep["questions"])
m[1].metric("Answer rate", "-" if rep["answer_rate"] is None else f"{rep['answer_rate']:.0%}")
m[2].metric("Not answered", rep["questions"] - rep["answered"])
m[3].metric("Marked down", len(rep["marked_down"]))
if rep["by_day"]:
    st.subheader("Answer rate over time")
    st.altair_chart(tables.rate_chart(rep["by_day"]))
unanswered(rep, {r["id"]: r for r in rows})
st.subheader("Answers marked down")
tables.show("marked_down", rep["marked_down"], ["asked_at", "user", "question", "answer", "comment", "status"])
st.subheader("Most-cited sections")
tables.show("top_sections", rep["top_sections"], ["section", "count"])
st.subheader("Slowest answers")
tables.show("slowest", rep["slowest"], ["latency_ms", "question", "status", "asked_at"])
st.subheader("All questions")
tables.show("questions", [{**r, "sections": ", ".join(r["sections"])} for r in reversed(rows)],
            [c for c in questionlog.COLUMNS if c != "session"])
index_panel()
st.subheader("Audit trail")
tables.show("audit", audit.rows(SETTINGS, start=start, end=end), list(audit.COLUMNS))

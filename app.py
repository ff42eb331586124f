"""Streamlit app: the chat and lookup screens over the knowledge base (UI only, logic lives in kb)."""
from __future__ import annotations

import streamlit as st

import kb

st.set_page_config(page_title="CALNET policy assistant", page_icon="📞", layout="wide")


@st.cache_data(ttl=30)
def summary() -> dict:
    return kb.index_summary()


s = summary()
st.title("California telecom policy assistant")
with st.sidebar:
    st.header("What the index holds")
    st.write(f"{s['documents']} documents, {s['chunks']} passages, {len(s['sections'])} sections")
    for d in s["docs"]:
        st.text(f"{d['doc']}" + (" (fragment)" if d.get("fragment") else ""))
if not s["documents"]:
    st.info("The index is empty. Add policy documents (PDF, HTML, Markdown, text or DOCX) to "
            "`data/stmm/` and run `kb ingest`, or start with `KB_DOCS=/path/to/folder make run`.")
else:
    st.write("Sections recognised: " + ", ".join(s["sections"]))

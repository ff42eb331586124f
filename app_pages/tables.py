"""Tables for the maintainers' page: shown as text, each with a CSV export that the audit trail records."""
from __future__ import annotations

from collections import Counter

import pandas as pd
import streamlit as st

import kb
from kb import audit


def _exported(name: str, rows: int) -> None:
    state = st.session_state
    audit.record(kb.get_settings(), state.get("kb_user") or "unknown", "export",
                 f"{name} as CSV, {rows} rows, questions asked {state.get('m_span', '?')}")


def csv_button(name: str, records: list[dict], columns: list[str]) -> None:
    """A download of these records as CSV (the columns given, in that order)."""
    data = pd.DataFrame(records, columns=columns).to_csv(index=False)
    label = f"Export as CSV · {len(records)} row{'s' * (len(records) != 1)}"
    st.download_button(label, data=data, mime="text/csv", key=f"csv_{name}",
                       file_name=f"kb-{name}-{st.session_state.get('m_span', 'all')}.csv",
                       on_click=_exported, args=(name, len(records)))


def show(name: str, records: list[dict], columns: list[str]) -> None:
    """The records as a table (cells are text: nothing in them is rendered) and their CSV export."""
    if not records:
        st.caption("None in these dates.")
        return
    st.dataframe(pd.DataFrame(records, columns=columns), hide_index=True)
    csv_button(name, records, columns)


def rate_chart(by_day: list[dict]):
    """The answer rate by day as a line with a point per day (a single day still shows), 0 to 100%."""
    import altair as alt

    data = pd.DataFrame(by_day).assign(day=lambda d: pd.to_datetime(d["day"]))
    return alt.Chart(data, height=220).mark_line(point=True).encode(
        x=alt.X("day:T", title="day (UTC)", axis=alt.Axis(format="%Y-%m-%d")),
        y=alt.Y("answer_rate:Q", title="answer rate", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        tooltip=[alt.Tooltip("day:T", format="%Y-%m-%d"), "questions:Q",
                 alt.Tooltip("answer_rate:Q", format=".0%", title="answer rate")])


def summary_line(summary: dict | None) -> str:
    """One line from the JSON that `kb fetch --json` or `kb ingest --json` printed."""
    if not summary:
        return "no summary"
    done = summary.get("ingest", summary)
    line = (f"added {done.get('added', 0)}, updated {done.get('updated', 0)}, unchanged {done.get('unchanged', 0)}, "
            f"removed {done.get('removed', 0)}, failed {done.get('failed', 0)}; "
            f"{done.get('total_chunks', '?')} chunks in the index")
    if "sources" in summary:
        counts = Counter(r["status"] for r in summary["sources"])
        line = "sources " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) + "; " + line
    return line

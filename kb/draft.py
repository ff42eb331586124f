"""A draft CALNET exemption request: the user's facts under headings taken from the cited exemption steps."""
from __future__ import annotations

import io
from datetime import date

BLANK = "[to be completed]"
TITLE = "CALNET exemption request (draft)"
NOTE = ("Draft prepared with the CALNET policy knowledge base. Each heading quotes the requirement it "
        "answers, with its source; the official manual and the cited sources govern. Check them before "
        "sending.")

# What the person fills in, in the order the form asks for it.
FIELDS = [
    ("agency", "Requesting agency"),
    ("project", "Project or acquisition"),
    ("services", "Services wanted"),
    ("why", "Why CALNET cannot meet the need"),
    ("consequences", "Consequences if the need is not met"),
    ("signer", "Signer (name and title)"),
]
# Which guidance step each field answers, found by words in the step's label.
STEP_OF = {"agency": "who may ask", "project": "must contain", "services": "must contain",
           "why": "must contain", "consequences": "must contain", "signer": "who signs"}


def _step_for(field: str, steps: list[dict]) -> int | None:
    want = STEP_OF[field]
    return next((k for k, s in enumerate(steps) if want in s.get("label", "").lower()), None)


def sections(guidance: dict | None, citations: list[dict], values: dict[str, str]) -> list[dict]:
    """The draft as sections: heading, the cited requirement (exact quote and source) and the fields."""
    steps = (guidance or {}).get("steps", []) if (guidance or {}).get("path") == "exemption" else []
    by_n = {c["n"]: c for c in citations}
    out: list[dict] = []
    placed: set[str] = set()
    for k, step in enumerate(steps):
        cites = [by_n[n] for n in step.get("cite", []) if n in by_n]
        fields = [(key, label) for key, label in FIELDS if _step_for(key, steps) == k]
        placed.update(key for key, _ in fields)
        out.append({"heading": step.get("label") or f"Requirement {k + 1}",
                    "requirements": [{"quote": c["quote"], "source": _source(c), "url": c.get("url"), "n": c["n"]}
                                     for c in cites],
                    "fields": [(label, (values.get(key) or "").strip() or BLANK) for key, label in fields]})
    rest = [(label, (values.get(key) or "").strip() or BLANK) for key, label in FIELDS if key not in placed]
    if rest:
        out.append({"heading": "Request details", "requirements": [], "fields": rest})
    return out


def _source(c: dict) -> str:
    where = ", ".join(str(x) for x in (c.get("section"), c.get("heading")) if x)
    return f"{c['title']}" + (f" ({where})" if where else "")


def to_markdown(guidance: dict | None, citations: list[dict], values: dict[str, str],
                today: str | None = None) -> str:
    lines = [f"# {TITLE}", "", f"Date: {today or date.today().isoformat()}",
             f"From: {(values.get('agency') or '').strip() or BLANK}", "", f"_{NOTE}_", ""]
    for sec in sections(guidance, citations, values):
        marks = "".join(f" [{r['n']}]" for r in sec["requirements"])
        lines += [f"## {sec['heading']}{marks}", ""]
        for r in sec["requirements"]:
            lines += [f"> \u201c{r['quote']}\u201d [{r['n']}]", ""]
        for label, value in sec["fields"]:
            lines += [f"**{label}:** {value}", ""]
    sources = [r for sec in sections(guidance, citations, values) for r in sec["requirements"]]
    if sources:
        lines += ["## Sources", ""]
        for r in {r["n"]: r for r in sources}.values():
            lines.append(f"[{r['n']}] {r['source']}" + (f" <{r['url']}>" if r.get("url") else ""))
    return "\n".join(lines).rstrip() + "\n"


def to_docx(guidance: dict | None, citations: list[dict], values: dict[str, str],
            today: str | None = None) -> bytes:
    import docx

    d = docx.Document()
    d.core_properties.title = TITLE
    d.add_heading(TITLE, level=0)
    d.add_paragraph(f"Date: {today or date.today().isoformat()}")
    d.add_paragraph(f"From: {(values.get('agency') or '').strip() or BLANK}")
    d.add_paragraph().add_run(NOTE).italic = True
    secs = sections(guidance, citations, values)
    for sec in secs:
        marks = "".join(f" [{r['n']}]" for r in sec["requirements"])
        d.add_heading(f"{sec['heading']}{marks}", level=1)
        for r in sec["requirements"]:
            d.add_paragraph(f"\u201c{r['quote']}\u201d [{r['n']}]", style="Quote")
        for label, value in sec["fields"]:
            p = d.add_paragraph()
            p.add_run(f"{label}: ").bold = True
            p.add_run(value)
    sources = {r["n"]: r for sec in secs for r in sec["requirements"]}
    if sources:
        d.add_heading("Sources", level=1)
        for r in sources.values():
            d.add_paragraph(f"[{r['n']}] {r['source']}" + (f" {r['url']}" if r.get("url") else ""))
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()

"""A citation record: where a quoted sentence comes from, in the shape of the JSON contract."""
from __future__ import annotations


def citation(rec, quote: str, n: int | None, version: str | None = None) -> dict:
    """Citation n for an exact quote from an index record; `version` labels an older text of a
    section ('text as of 2007'), and is left out for the current one."""
    out = {"n": n, "doc": rec.doc, "title": rec.title, "section": rec.section, "heading": rec.heading,
           "page": rec.page, "url": rec.url, "quote": quote}
    if version:
        out["version"] = version
    return out

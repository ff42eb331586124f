"""A citation record: where a quoted sentence comes from, in the shape of the JSON contract."""
from __future__ import annotations


def citation(rec, quote: str, n: int) -> dict:
    """Citation n for an exact quote from an index record."""
    return {"n": n, "doc": rec.doc, "title": rec.title, "section": rec.section, "heading": rec.heading,
            "page": rec.page, "url": rec.url, "quote": quote}

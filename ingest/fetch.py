"""Fetch the official sources into a documents folder, record them in a manifest, say what changed."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from .changes import FetchReport, Result, diff, section_prints
from .download import Downloader, FetchConfig, FetchFailed, Reply, Unreachable
from .loaders import decode_text
from .models import LoadError
from .sources import Source, followed, normalise_url

MANIFEST = ".fetch-manifest.json"  # hidden, so `kb ingest` never reads it as a document
OFFLINE_AFTER = 2  # hosts that cannot be reached, with none answering, before the run stops

__all__ = ["MANIFEST", "FetchConfig", "FetchReport", "Result", "fetch_all", "provenance",
           "read_manifest", "section_prints"]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# The manifest: one JSON file beside the documents, replaced in one step.
def read_manifest(folder: Path) -> dict:
    try:
        data = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"version": 1, "sources": {}}
    return data if isinstance(data.get("sources"), dict) else {"version": 1, "sources": {}}


def _replace(path: Path, data: bytes) -> None:
    """Write a file whole or not at all: a hidden temporary file renamed over the old one."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".fetch-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_manifest(folder: Path, manifest: dict) -> None:
    _replace(folder / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())


_PROVENANCE: dict[str, tuple[float, dict]] = {}


def provenance(root: Path, rel: str) -> dict:
    """Fetch date and source address of a fetched file (empty for files put there by hand)."""
    folder, name = (Path(root) / rel).parent, Path(rel).name  # the manifest sits beside the file
    path = folder / MANIFEST
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return {}
    cached = _PROVENANCE.get(str(path))
    if not cached or cached[0] != mtime:
        by_file = {e["file"]: e for e in read_manifest(folder)["sources"].values() if e.get("file")}
        cached = _PROVENANCE[str(path)] = (mtime, by_file)
    e = cached[1].get(name)
    if not e:
        return {}
    return {"fetched_at": e.get("fetched_at"), "source_url": e.get("url"), "source_id": e.get("id"),
            "last_modified": e.get("last_modified")}


class _Run:
    """One fetch run over a folder: downloads, writes, and keeps the manifest in step."""

    def __init__(self, folder: Path, config: FetchConfig, transport, progress):
        self.folder = folder
        self.manifest = read_manifest(folder)
        self.entries: dict[str, dict] = self.manifest["sources"]
        self.dl = Downloader(config, transport)
        self.progress = progress or (lambda result: None)
        self.report = FetchReport()
        self.unreachable: set[str] = set()
        self.hosts: set[str] = set()  # hosts this run means to contact
        self.held: list[Result] = []  # results kept back until some host answers

    def done(self, result: Result) -> Result:
        """Record a result; progress hears of it once some host has answered (else it may be offline)."""
        self.report.results.append(result)
        self.held.append(result)
        if self.dl.answered:
            self.flush()
        return result

    def flush(self) -> None:
        for r in self.held:
            self.progress(r)
        self.held.clear()

    @property
    def offline(self) -> bool:
        """No host answered and the ones tried could not be reached: stop instead of trying on."""
        u = self.unreachable
        return bool(u) and not self.dl.answered and (len(u) >= OFFLINE_AFTER or u >= self.hosts)

    def drop(self, sid: str) -> None:
        entry = self.entries.pop(sid, None)
        if entry and entry.get("file"):
            (self.folder / entry["file"]).unlink(missing_ok=True)
        _write_manifest(self.folder, self.manifest)

    def one(self, src: Source) -> tuple[str | None, str]:
        """Fetch one source; for an HTML page return its text and final address (for its links)."""
        prev = self.entries.get(src.id)
        local = self.folder / prev["file"] if prev and prev.get("file") else None
        have = bool(local and local.is_file())

        def fail(why: str) -> tuple[None, str]:
            self.done(Result(src.id, src.url, "failed", why, parent=src.parent))
            return None, src.url

        try:
            reply = self.dl.get(src.url, prev.get("etag") if have else None,
                                prev.get("last_modified") if have else None)
            if reply.outcome == "ok":
                return self.store(src, prev, local if have else None, reply)
        except Unreachable as e:
            self.unreachable.add(urlsplit(src.url).netloc.lower())
            return fail(str(e))
        except FetchFailed as e:
            return fail(str(e))
        if reply.outcome == "not_modified" and have:
            prev.update(fetched_at=_now(), url=src.url, title=src.title or prev.get("title"),
                        kind=src.kind, section=src.section, parent=src.parent)
            _write_manifest(self.folder, self.manifest)
            self.done(Result(src.id, src.url, "unchanged", file=prev["file"], parent=src.parent))
            html = _text(local.read_bytes(), prev["file"]) if prev["file"].endswith(".html") else None
            return html, prev.get("final_url") or src.url
        if reply.outcome == "not_modified":
            return fail("HTTP 304 with no local copy to keep")
        # 404 or 410: the server says the page is gone, so the local copy goes too.
        why = f"HTTP {reply.status} {reply.phrase}".strip()
        if not prev:
            return fail(why)
        self.drop(src.id)
        self.done(Result(src.id, src.url, "removed", f"{why}: local copy deleted", parent=src.parent))
        return None, src.url

    def store(self, src: Source, prev: dict | None, local: Path | None, reply: Reply) -> tuple[str | None, str]:
        """Check a downloaded body converts to text, then put it in place and say what changed."""
        from . import parse

        name = f"{src.id}.{reply.ext}"
        try:
            doc, chunks = parse(reply.body, name)
        except LoadError as e:
            raise FetchFailed(f"cannot be converted to text ({e})") from None
        digest = hashlib.sha256(reply.body).hexdigest()
        prints = section_prints(chunks)
        old_prints = (prev or {}).get("sections", {})
        same_text = local is not None and old_prints == prints
        if local is None or digest != prev.get("sha256"):
            _replace(self.folder / name, reply.body)
            if local is not None and local.name != name:
                local.unlink(missing_ok=True)  # the page turned from HTML into PDF or back
        now = _now()
        self.entries[src.id] = {
            "id": src.id, "url": src.url, "final_url": reply.url, "title": src.title or doc.title,
            "kind": src.kind, "section": src.section, "parent": src.parent, "file": name,
            "content_type": reply.content_type, "etag": reply.etag, "last_modified": reply.last_modified,
            "sha256": digest, "size": len(reply.body), "fetched_at": now,
            "changed_at": (prev or {}).get("changed_at", now) if same_text else now, "sections": prints}
        _write_manifest(self.folder, self.manifest)
        if local is None:
            self.done(Result(src.id, src.url, "new", file=name, parent=src.parent))
        elif same_text:
            why = "" if digest == prev.get("sha256") else "page markup changed, text the same"
            self.done(Result(src.id, src.url, "unchanged", why, file=name, parent=src.parent))
        else:
            self.done(Result(src.id, src.url, "changed", changes=diff(old_prints, prints), file=name,
                             parent=src.parent))
        return (_text(reply.body, name) if reply.ext == "html" else None), reply.url

    def follow(self, index: Source, html: str, page_url: str, before: list[Source], skip: set[str],
               previous: dict[str, str], taken: set[str]) -> list[Source]:
        """The pages an index page lists now; pages it no longer lists lose their copy."""
        found = followed(index, html, page_url, skip, previous, taken)
        ids = {f.id for f in found}
        for gone in [d for d in before if d.id not in ids]:
            self.drop(gone.id)
            self.done(Result(gone.id, gone.url, "removed", f"no longer linked from {index.id}",
                             parent=index.id))
        skip |= {normalise_url(f.url) for f in found}
        return found


def _text(data: bytes, name: str) -> str | None:
    try:
        return decode_text(data, name)
    except LoadError:
        return None


def fetch_all(sources: list[Source], folder: Path, config: FetchConfig | None = None,
              only: list[str] | None = None, progress=None, transport=None) -> FetchReport:
    """Fetch every source (or only the given ids) into folder and keep its manifest in step.

    An index page (`follow = true`) also brings the pages it links to on the same site under its
    path prefix. A page the server says is gone (404/410), a page no longer linked from its index
    and a source taken out of the sources file lose their local copy, so the next ingest drops
    them; any other failure keeps the previous copy. With `only`, nothing else is touched.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    run = _Run(folder, config or FetchConfig(), transport, progress)
    entries = run.entries
    wanted = set(only or [])
    skip = {normalise_url(s.url) for s in sources}  # explicit sources are never fetched as links
    taken = {s.id for s in sources}
    previous = {normalise_url(e["url"]): sid for sid, e in entries.items() if e.get("parent")}
    derived = [Source(id=sid, url=e["url"], kind=e.get("kind", "other"), parent=e["parent"])
               for sid, e in entries.items() if e.get("parent")]
    for sid in sorted(wanted - taken - set(entries)):
        run.done(Result(sid, "", "failed", "no source with this id in the sources file"))
    run.hosts = {urlsplit(s.url).netloc.lower() for s in sources + derived if not wanted or s.id in wanted}
    kept: set[str] = set()
    try:
        for src in sources:
            if run.offline:
                break
            children = [d for d in derived if d.parent == src.id] if src.follow else []
            if not wanted or src.id in wanted:
                kept.add(src.id)
                html, page_url = run.one(src)
                if src.follow and html is not None:
                    children = run.follow(src, html, page_url, children, skip, previous, taken)
            else:
                children = [d for d in children if d.id in wanted]
            for child in children:
                kept.add(child.id)
                if not run.offline:
                    run.one(child)
        if run.offline:
            host = sorted(run.unreachable)[0]
            run.report.offline = (f"cannot reach {host} ({run.dl.down.get(host, 'no answer')}; no network?): "
                                  f"run `kb fetch` later, or put documents in {folder}/")
            return run.report
        if not wanted:
            # A source taken out of the sources file: its copy goes, so the ingest drops it.
            for sid in [s for s in entries if s not in kept]:
                url = entries[sid].get("url", "")
                run.drop(sid)
                run.done(Result(sid, url, "removed", "no longer in the sources file"))
        run.flush()
    finally:
        run.dl.close()
    return run.report

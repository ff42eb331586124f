"""Incremental ingest: hash each file, parse only what changed, embed in batches, commit atomically."""
from __future__ import annotations

import fcntl
import fnmatch
import hashlib
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import ingest
from ingest import LoadError
from ingest.fetch import provenance

from . import embed, pipeline
from .config import Settings
from .store import Store, chunk_id

IGNORE_FILE = ".kbignore"


class IngestBusy(RuntimeError):
    """Another ingest holds the lock on this KB_HOME."""


@dataclass
class Report:
    """What one ingest run did, file by file."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    chunks: int = 0  # chunks written in this run
    total_chunks: int = 0  # chunks live after this run
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {"added": len(self.added), "updated": len(self.updated), "unchanged": len(self.unchanged),
                "removed": len(self.removed), "failed": len(self.failed), "chunks": self.chunks,
                "total_chunks": self.total_chunks, "seconds": round(self.seconds, 2),
                "failures": [{"path": p, "reason": r} for p, r in self.failed]}


@contextmanager
def ingest_lock(settings: Settings):
    """Refuse a second concurrent ingest on the same KB_HOME instead of interleaving them."""
    settings.home.mkdir(parents=True, exist_ok=True)
    path = settings.home / "ingest.lock"
    with open(path, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IngestBusy(f"another `kb ingest` is already running on KB_HOME={settings.home} "
                             f"(lock {path}); wait for it to finish") from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _ignored(root: Path, rel: Path, patterns: list[str]) -> bool:
    if any(part.startswith(".") for part in rel.parts):
        return True
    return any(fnmatch.fnmatch(rel.as_posix(), p) or fnmatch.fnmatch(rel.name, p) for p in patterns)


def discover(paths: list[Path]) -> tuple[list[tuple[Path, Path]], list[Path], list[tuple[str, str]]]:
    """(root, file) pairs to ingest, the folders walked, and paths that do not exist."""
    files, roots, missing = [], [], []
    for p in paths:
        if p.is_dir():
            root = p.resolve()
            roots.append(root)
            ign = root / IGNORE_FILE
            patterns = [ln.strip() for ln in ign.read_text().splitlines()
                        if ln.strip() and not ln.startswith("#")] if ign.exists() else []
            for f in sorted(root.rglob("*")):
                if f.is_file() and not _ignored(root, f.relative_to(root), patterns):
                    files.append((root, f))
        elif p.is_file():
            files.append((p.resolve().parent, p.resolve()))
        else:
            missing.append((str(p), "no such file or folder"))
    return files, roots, missing


def _fid(key: str, digest: str) -> str:
    return hashlib.sha1(f"{key}\0{digest}".encode()).hexdigest()[:16]


def _chunk_meta(c: ingest.Chunk, fid: str) -> dict:
    return {"fid": fid, "doc": c.doc, "title": c.title, "section": c.section, "heading": c.heading,
            "page": c.page, "url": c.url, "kind": c.kind, "subdivision": c.subdivision,
            "label": c.label, "position": c.position, "lead": c.lead}


class Ingester:
    """Runs one ingest: discover, hash, parse, embed in batches, write, commit the manifest."""

    def __init__(self, settings: Settings, store: Store | None = None, progress=None):
        self.settings = settings
        self.store = store or Store(settings)
        self.progress = progress or (lambda msg: None)
        self.pending: list[tuple[str, list[ingest.Chunk]]] = []

    def _flush(self, report: Report, writer: pipeline.Writer) -> None:
        """Embed the pending chunks in one batch and hand them to the writer thread."""
        chunks = [(fid, i, c) for fid, cs in self.pending for i, c in enumerate(cs)]
        self.pending.clear()
        if not chunks:
            return
        vectors = embed.embed_array([c.context() for _, _, c in chunks])
        writer.put([chunk_id(fid, i) for fid, i, _ in chunks], vectors,
                   [c.text for _, _, c in chunks], [_chunk_meta(c, fid) for fid, _, c in chunks])
        report.chunks += len(chunks)

    def run(self, paths: list[Path], reset: bool = False) -> Report:
        t0 = time.perf_counter()
        report = Report()
        with ingest_lock(self.settings):
            old = self.store.read_manifest()
            model = embed.model_id()
            if old.get("files") and old.get("model") not in (None, model) and not reset:
                raise RuntimeError(f"the index was built with {old.get('model')}, not {model}: "
                                   "run `kb ingest --reset` to rebuild it")
            files, roots, missing = discover(paths)
            report.failed.extend(missing)
            old_files = {} if reset else dict(old.get("files", {}))
            new_files = {} if reset else dict(old_files)
            seen = {f"{root}::{path.relative_to(root).as_posix()}" for root, path in files}
            # Parsing runs a file or two ahead of embedding, and Chroma writes run behind it:
            # the three overlap, and nothing is visible to readers until the manifest below.
            with pipeline.Writer(self.store.add) as writer:  # all written before the manifest
                for key, entry, chunks in self._parsed(files, old_files, report):
                    new_files[key] = entry
                    if chunks:
                        self.pending.append((entry["fid"], chunks))
                    if sum(len(cs) for _, cs in self.pending) >= self.settings.ingest_batch:
                        self._flush(report, writer)
                self._flush(report, writer)
            for key, entry in old_files.items():
                if key not in seen and Path(entry["root"]) in roots:
                    report.removed.append(entry["doc"])
                    new_files.pop(key, None)
            changed = report.added or report.updated or report.removed or reset or new_files != old_files
            live = sorted({e["fid"] for e in new_files.values()})
            if changed:
                previous = sorted({e["fid"] for e in old.get("files", {}).values()})
                self.store.write_manifest({
                    "generation": uuid.uuid4().hex, "files": new_files, "model": model,
                    "previous_fids": previous, "ingested_at": datetime.now(timezone.utc).isoformat(),
                })
                # Readers holding the previous manifest keep working until the next ingest.
                self.store.delete_except(sorted(set(live) | set(previous)))
            report.total_chunks = sum(e["chunks"] for e in new_files.values())
        report.seconds = time.perf_counter() - t0
        return report

    def _parsed(self, files: list[tuple[Path, Path]], old_files: dict, report: Report):
        """(key, manifest entry, new chunks or None if unchanged) per readable file, parsed ahead
        in a background thread so that the CPU parses while the model embeds."""
        limit = int(self.settings.max_file_mb * 1024 * 1024)

        def one(item: tuple[Path, Path]):
            root, path = item
            rel = path.relative_to(root).as_posix()
            key = f"{root}::{rel}"
            got = self._one(root, path, rel, key, old_files.get(key), limit, report)
            return (key, *got) if got else None

        for got in pipeline.ahead(files, one):
            if got:
                yield got

    def _one(self, root: Path, path: Path, rel: str, key: str, prev: dict | None, limit: int,
             report: Report) -> tuple[dict, list | None] | None:
        shown = str(path)
        try:
            size = path.stat().st_size
            if size > limit:
                raise LoadError(f"file is {size / 1048576:.1f} MB, over the {self.settings.max_file_mb:g} MB "
                                "limit (KB_MAX_FILE_MB)")
            if path.suffix.lower() not in ingest.SUPPORTED:
                ingest.load_bytes(b"", rel)  # raises the unsupported-type message
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            origin = provenance(root, rel)  # fetch date and source address, for fetched files
            if prev and prev["hash"] == digest and prev.get("parser") == ingest.PARSER_VERSION:
                report.unchanged.append(rel)
                return {**prev, **origin}, None
            self.progress(f"parsing {rel}")
            doc, chunks = ingest.parse(data, rel)
            for c in chunks:
                c.url = c.url or origin.get("source_url")
        except LoadError as e:
            report.failed.append((shown, str(e)))
            return None
        except OSError as e:
            report.failed.append((shown, f"cannot read the file ({e.strerror or e})"))
            return None
        except Exception as e:  # a loader bug must not sink the whole ingest
            report.failed.append((shown, f"could not be parsed ({type(e).__name__}: {str(e)[:160]})"))
            return None
        fid = _fid(key, f"{digest}:{ingest.PARSER_VERSION}")
        (report.updated if prev else report.added).append(rel)
        return {"root": str(root), "doc": rel, "hash": digest, "parser": ingest.PARSER_VERSION,
                "fid": fid, "chunks": len(chunks),
                "title": doc.title, "url": doc.url or origin.get("source_url"), "publisher": doc.publisher,
                "date": doc.date,
                "completeness": doc.completeness, "fragment": doc.fragment, "kind": doc.kind,
                "format": doc.fmt, "size": size, "pages": len(doc.pages),
                "sections": sorted({c.section for c in chunks if c.section}),
                "ingested_at": datetime.now(timezone.utc).isoformat(), **origin}, chunks

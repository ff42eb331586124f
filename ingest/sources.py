"""The official sources list (sources.toml): one [[source]] table per page or PDF to fetch."""
from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import urldefrag, urljoin, urlsplit

KINDS = ("stmm", "sam", "statute", "contract", "other")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
DEFAULT_MAX_PAGES = 50
PAGE_EXTS = {"", ".html", ".htm", ".xhtml", ".aspx", ".asp", ".php", ".jsp", ".pdf"}  # links followed


class SourcesError(ValueError):
    """A sources file that cannot be used; the message says which file, which table and why."""


@dataclass(frozen=True)
class Source:
    """One official page or PDF: where it is, what it is, and whether to follow its links."""

    id: str
    url: str
    title: str = ""
    kind: str = "other"
    section: str | None = None
    verified: bool = True  # false: the address follows the site's pattern but was not checked
    follow: bool = False  # an index page: also fetch the pages it links to (same site and prefix)
    follow_prefix: str | None = None  # path prefix a followed link must stay under
    max_pages: int = DEFAULT_MAX_PAGES
    parent: str | None = None  # set on pages found by following an index page

    @property
    def prefix(self) -> str:
        """Path prefix for followed links: follow_prefix, or the index page's own folder."""
        if self.follow_prefix:
            return self.follow_prefix
        path = urlsplit(self.url).path or "/"
        return path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"


def normalise_url(url: str) -> str:
    """The address without its #fragment and trailing slash, for telling pages apart."""
    url = urldefrag(url.strip())[0]
    parts = urlsplit(url)
    path = parts.path.rstrip("/") or "/"
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}{query}"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "-", text.lower()).strip("-.")[:80]


def derived_id(url: str, index: Source, taken: set[str]) -> str:
    """An id for a page found on an index page, from its address (unique among `taken`)."""
    parts = urlsplit(url)
    rest = parts.path[len(index.prefix):] if parts.path.startswith(index.prefix) else parts.path
    rest = rest[:-len(ext)] if (ext := PurePosixPath(rest).suffix) and ext.lower() in PAGE_EXTS else rest
    base = slug(f"{rest} {parts.query}") or slug(f"{parts.netloc} {parts.path}") or "page"
    if base in taken:
        base = f"{base}-{hashlib.sha1(url.encode()).hexdigest()[:6]}"
    return base


def _bad(path: Path, where: str, why: str) -> SourcesError:
    return SourcesError(f"{path}: {where}: {why}")


def _source(path: Path, n: int, t: dict) -> Source:
    where = f"[[source]] #{n}" + (f" (id {t['id']!r})" if isinstance(t.get("id"), str) else "")
    for key in ("id", "url"):
        if not isinstance(t.get(key), str) or not t[key].strip():
            raise _bad(path, where, f"`{key}` is missing (every source needs an id and a url)")
    sid, url = t["id"].strip(), t["url"].strip()
    if not ID_RE.match(sid):
        raise _bad(path, where, "`id` may hold only lower-case letters, digits, '.', '-' and '_'")
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise _bad(path, where, f"`url` is not an http(s) address: {url!r}")
    kind = t.get("kind", "other")
    if kind not in KINDS:
        raise _bad(path, where, f"`kind` is {kind!r}, not one of {', '.join(KINDS)}")
    max_pages = t.get("max_pages", DEFAULT_MAX_PAGES)
    if not isinstance(max_pages, int) or max_pages < 0:
        raise _bad(path, where, "`max_pages` must be a whole number, 0 or more")
    prefix = t.get("follow_prefix")
    if prefix is not None and (not isinstance(prefix, str) or not prefix.startswith("/")):
        raise _bad(path, where, "`follow_prefix` must be a path starting with '/'")
    return Source(id=sid, url=url, title=str(t.get("title", "")), kind=kind,
                  section=t.get("section") or None, verified=bool(t.get("verified", True)),
                  follow=bool(t.get("follow", False)), follow_prefix=prefix, max_pages=max_pages)


def load(path: Path) -> list[Source]:
    """Read and check a sources file; raise SourcesError with a plain reason."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesError(f"{path}: no such sources file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise SourcesError(f"{path}: cannot be read ({e})") from None
    except tomllib.TOMLDecodeError as e:
        raise SourcesError(f"{path}: not valid TOML ({e})") from None
    tables = data.get("source", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise SourcesError(f"{path}: sources must be [[source]] tables")
    if not tables:
        raise SourcesError(f"{path}: lists no [[source]] tables")
    out = [_source(path, n, t) for n, t in enumerate(tables, 1)]
    seen: set[str] = set()
    for s in out:
        if s.id in seen:
            raise SourcesError(f"{path}: id {s.id!r} is used by more than one source")
        seen.add(s.id)
    return out


# Following an index page: links on the same site, under the same path prefix, pages or PDFs only.


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.base: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        elif tag == "base" and a.get("href") and self.base is None:
            self.base = a["href"]


def followed(index: Source, html: str, page_url: str, skip: set[str], previous: dict[str, str],
             taken: set[str]) -> list[Source]:
    """Pages an index page links to that stay on its site and under its prefix (max_pages of them).

    `skip`: normalised addresses not to list (explicit sources, pages already listed); `previous`:
    address -> id of pages found on an earlier run, so a page keeps its id; `taken`: ids in use.
    """
    parser = _Links()
    parser.feed(html)
    base = urljoin(page_url, parser.base) if parser.base else page_url
    site = {urlsplit(index.url).netloc.lower(), urlsplit(page_url).netloc.lower()}  # and where it redirected
    out: list[Source] = []
    seen = set(skip) | {normalise_url(index.url), normalise_url(page_url)}
    for href in parser.hrefs:
        url = urldefrag(urljoin(base, href.strip()))[0]
        parts = urlsplit(url)
        key = normalise_url(url)
        if (parts.scheme not in ("http", "https") or parts.netloc.lower() not in site
                or not parts.path.startswith(index.prefix) or key in seen
                or PurePosixPath(parts.path).suffix.lower() not in PAGE_EXTS):
            continue
        seen.add(key)
        sid = previous.get(key)
        if not sid or sid in taken:
            sid = derived_id(url, index, taken)
        taken.add(sid)
        out.append(Source(id=sid, url=url, kind=index.kind, verified=index.verified, parent=index.id))
        if len(out) >= index.max_pages:
            break
    return out

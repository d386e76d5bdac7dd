"""A polite, resumable fetcher for URL-list imports.

Politeness follows the Robots Exclusion Protocol (Koster et al., RFC 9309,
2022) as parsed by protego: a robots.txt that is missing (4xx) allows
everything, one that cannot be reached (5xx, network error) disallows the
host. Requests to one host are spaced by ``delay`` seconds (or the site's
``Crawl-delay`` when longer); failures that may pass (network errors, 429,
5xx) are retried with exponential backoff. The user agent names the
workbench and the ``contact`` setting. Only ``http`` and ``https`` are
fetched; redirects are followed by hand so that a redirect to another scheme
(``file://``, ``ftp://``) is refused. Each response is limited in size and in
total time.

Every outcome is appended to ``fetch_state.jsonl`` in the state folder (the
page itself saved beside it first), so a killed import continues where it
stopped and never fetches a URL twice.

Example
-------
>>> f = Fetcher(FetchSettings(contact="me@example.org", delay=0), state_dir=Path("out/.fetch"))  # doctest: +SKIP
>>> f.fetch("https://example.org/story").status                                                # doctest: +SKIP
'ok'
"""

from __future__ import annotations

import http.client
import json
import os
import ssl
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from protego import Protego

from analysis.io import atomic_write_bytes, sha256_text

AGENT_NAME = "MeTooDiscourseWorkbench"
AGENT_VERSION = "0.1"
STATE_FILE = "fetch_state.jsonl"
_REDIRECTS = (301, 302, 303, 307, 308)
_TRANSIENT = (429, 500, 502, 503, 504)
_CHUNK = 65536


@dataclass(frozen=True)
class FetchSettings:
    """How politely and how far to fetch.

    Parameters
    ----------
    contact : str
        E-mail or web address put in the user agent, so site owners can reach you.
    delay : float
        Seconds between two requests to the same host.
    timeout : float
        Longest time for one response (connect, headers and body), in seconds.
    max_mb : float
        Largest response body, in MB.
    retries : int
        Extra attempts after a network error, 429 or 5xx.
    backoff : float
        Wait before the first retry, in seconds; doubled for each further one.
    max_redirects : int
        Redirects followed per URL.
    robots : bool
        Respect robots.txt (switch off only for sites you own).
    """

    contact: str = ""
    delay: float = 2.0
    timeout: float = 20.0
    max_mb: float = 10.0
    retries: int = 2
    backoff: float = 1.0
    max_redirects: int = 5
    robots: bool = True

    @property
    def user_agent(self) -> str:
        """``MeTooDiscourseWorkbench/0.1 (+contact; research use)``."""
        contact = self.contact or "no contact given"
        return f"{AGENT_NAME}/{AGENT_VERSION} (+{contact}; research corpus import)"


@dataclass(frozen=True)
class FetchOutcome:
    """What happened to one URL: ``ok`` (with the saved body) or ``refused`` / ``dropped``."""

    url: str
    status: str
    reason: str = ""
    final_url: str = ""
    http_status: int = 0
    content_type: str = ""
    body_file: str = ""


class _Refused(Exception):
    """The fetch must not go on (robots, scheme, size, time)."""


class _Dropped(Exception):
    """The server answered, but with no page to use (404, not HTML)."""


class _Transient(Exception):
    """A failure that may pass on retry."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


def check_scheme(url: str) -> None:
    """Raise ``_Refused`` unless ``url`` is an absolute http(s) address.

    Examples
    --------
    >>> check_scheme("https://example.org/a")
    >>> check_scheme("file:///etc/passwd")
    Traceback (most recent call last):
    ...
    analysis.importers.fetch._Refused: scheme 'file' refused (only http and https are fetched)
    """
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise _Refused(f"scheme {parts.scheme or 'none'!r} refused (only http and https are fetched)")
    if not parts.hostname:
        raise _Refused("no host in the address")


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def http_get(url: str, *, user_agent: str, timeout: float, max_bytes: int) -> tuple[int, dict[str, str], bytes]:
    """One GET without following redirects; returns (status, lower-cased headers, body).

    Raises ``_Refused`` when the body is larger than ``max_bytes`` or the
    response takes longer than ``timeout`` seconds in total, ``_Transient``
    for network errors.
    """
    check_scheme(url)
    parts = urlsplit(url)
    deadline = time.monotonic() + timeout
    conn_cls = http.client.HTTPSConnection if parts.scheme.lower() == "https" else http.client.HTTPConnection
    kwargs = {"context": ssl.create_default_context()} if conn_cls is http.client.HTTPSConnection else {}
    conn = conn_cls(parts.hostname, parts.port, timeout=timeout, **kwargs)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        conn.request("GET", path, headers={"User-Agent": user_agent, "Accept": "text/html,*/*;q=0.5",
                                           "Accept-Encoding": "identity"})
        resp = conn.getresponse()
        headers = {k.lower(): v for k, v in resp.getheaders()}
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise _Refused(f"response of {int(length) / 1e6:.1f} MB is over the size limit of {max_bytes / 1e6:g} MB")
        body = bytearray()
        while chunk := resp.read(_CHUNK):
            body += chunk
            if len(body) > max_bytes:
                raise _Refused(f"response is over the size limit of {max_bytes / 1e6:g} MB")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _Refused(f"response took longer than the time limit of {timeout:g} s")
            if conn.sock is not None:
                conn.sock.settimeout(remaining)
        return resp.status, headers, bytes(body)
    except TimeoutError:
        raise _Refused(f"response took longer than the time limit of {timeout:g} s") from None
    except (OSError, http.client.HTTPException) as exc:
        raise _Transient(f"network error: {exc or type(exc).__name__}") from None
    finally:
        conn.close()


class Fetcher:
    """Fetch URLs politely, remembering every outcome in ``state_dir``.

    Parameters
    ----------
    settings : FetchSettings
        Politeness and limits.
    state_dir : Path
        Folder for ``fetch_state.jsonl`` and the saved pages (``pages/``).
    get : callable, optional
        Transport with the signature of :func:`http_get` (tests replace it).
    sleep : callable, optional
        ``time.sleep`` or a stand-in.
    """

    def __init__(self, settings: FetchSettings, state_dir: Path, *,
                 get: Callable[..., tuple[int, dict[str, str], bytes]] = http_get,
                 sleep: Callable[[float], None] = time.sleep):
        self.settings = settings
        self.state_dir = Path(state_dir)
        self._get = get
        self._sleep = sleep
        self._robots: dict[str, Protego | None] = {}
        self._last: dict[str, float] = {}
        self.done: dict[str, FetchOutcome] = load_state(self.state_dir)
        self.requests = 0

    # -- politeness -----------------------------------------------------------------
    def _wait(self, host: str, delay: float) -> None:
        last = self._last.get(host)
        if last is not None and delay > 0:
            pause = last + delay - time.monotonic()
            if pause > 0:
                self._sleep(pause)
        self._last[host] = time.monotonic()

    def _request(self, url: str) -> tuple[int, dict[str, str], bytes]:
        s = self.settings
        host = urlsplit(url).netloc.lower()
        for attempt in range(s.retries + 1):
            robots = self._robots.get(host)
            crawl_delay = (robots.crawl_delay(AGENT_NAME) or 0) if robots else 0
            self._wait(host, max(s.delay, float(crawl_delay)))
            self.requests += 1
            try:
                status, headers, body = self._get(url, user_agent=s.user_agent, timeout=s.timeout,
                                                  max_bytes=int(s.max_mb * 1_000_000))
            except _Transient:
                if attempt == s.retries:
                    raise
                self._sleep(s.backoff * 2 ** attempt)
                continue
            if status in _TRANSIENT and attempt < s.retries:
                after = _retry_after(headers.get("retry-after"))
                self._sleep(min(60.0, after) if after is not None else s.backoff * 2 ** attempt)
                continue
            return status, headers, body
        raise AssertionError("unreachable")  # pragma: no cover

    def _allowed(self, url: str) -> bool:
        if not self.settings.robots:
            return True
        parts = urlsplit(url)
        host = parts.netloc.lower()
        if host not in self._robots:
            status, body = self._robots_txt(f"{parts.scheme}://{parts.netloc}/robots.txt")
            if 400 <= status < 500:
                self._robots[host] = Protego.parse("")
            elif status >= 300:  # unreachable (RFC 9309, 2.3.1.4): assume complete disallow
                self._robots[host] = None
            else:
                self._robots[host] = Protego.parse(body.decode("utf-8", errors="replace"))
        robots = self._robots[host]
        return robots is not None and robots.can_fetch(url, AGENT_NAME)

    def _robots_txt(self, url: str) -> tuple[int, bytes]:
        """Status and body of robots.txt, following up to five redirects (RFC 9309, 2.3.1.2)."""
        for _ in range(5):
            try:
                status, headers, body = self._request(url)
            except (_Transient, _Refused):
                return 503, b""
            if status not in _REDIRECTS:
                return status, body
            url = urljoin(url, headers.get("location", ""))
            try:
                check_scheme(url)
            except _Refused:
                return 404, b""  # a robots.txt we may not follow counts as missing
        return 404, b""

    # -- one URL --------------------------------------------------------------------
    def _follow(self, url: str) -> FetchOutcome:
        current = url
        for _ in range(self.settings.max_redirects + 1):
            check_scheme(current)
            if not self._allowed(current):
                raise _Refused(f"disallowed by {urlsplit(current).netloc}/robots.txt")
            status, headers, body = self._request(current)
            if status in _REDIRECTS:
                target = urljoin(current, headers.get("location", ""))
                try:
                    check_scheme(target)
                except _Refused as exc:
                    raise _Refused(f"redirect to {target!r} refused: {exc}") from None
                current = target
                continue
            ctype = headers.get("content-type", "")
            if status != 200:
                raise _Dropped(f"HTTP {status} from the server")
            if ctype and "html" not in ctype.lower():
                raise _Dropped(f"not an HTML page (Content-Type {ctype.split(';')[0]!r})")
            name = sha256_text(url)[:32] + ".html"
            atomic_write_bytes(self.state_dir / "pages" / name, body)
            return FetchOutcome(url, "ok", "", current, status, ctype, name)
        raise _Refused(f"more than {self.settings.max_redirects} redirects")

    def fetch(self, url: str) -> FetchOutcome:
        """Fetch one URL (or return its remembered outcome without any request)."""
        if url in self.done:
            return self.done[url]
        try:
            outcome = self._follow(url)
        except _Refused as exc:
            outcome = FetchOutcome(url, "refused", str(exc))
        except _Dropped as exc:
            outcome = FetchOutcome(url, "dropped", str(exc))
        except _Transient as exc:
            outcome = FetchOutcome(url, "dropped", f"{exc} (after {self.settings.retries} retries)")
        record(self.state_dir, outcome)
        self.done[url] = outcome
        return outcome

    def body(self, outcome: FetchOutcome) -> bytes:
        """The saved page of an ``ok`` outcome."""
        return (self.state_dir / "pages" / outcome.body_file).read_bytes()


def record(state_dir: Path, outcome: FetchOutcome) -> None:
    """Append one outcome to the state file and flush it to disk."""
    state_dir.mkdir(parents=True, exist_ok=True)
    with open(state_dir / STATE_FILE, "a", encoding="utf-8") as f:
        f.write(json.dumps(asdict(outcome), ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())


def load_state(state_dir: Path) -> dict[str, FetchOutcome]:
    """Outcomes remembered in ``state_dir`` (a line cut short by a kill is ignored).

    Outcomes whose saved page has gone are forgotten, so they are fetched again.
    """
    path = Path(state_dir) / STATE_FILE
    done: dict[str, FetchOutcome] = {}
    if not path.is_file():
        return done
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            outcome = FetchOutcome(**json.loads(line))
        except (json.JSONDecodeError, TypeError):
            continue
        if outcome.status == "ok" and not (Path(state_dir) / "pages" / outcome.body_file).is_file():
            continue
        done[outcome.url] = outcome
    return done


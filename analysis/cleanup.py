"""Remove page furniture from plain article text, line by line, by documented rules.

Text saved from web pages (or extracted from them) carries lines that are not
part of the article: menus, share bars, advertisements, comment forms, photo
credits, cookie and newsletter prompts, lists of other headlines. Each rule
below removes whole lines (never part of a sentence, except a byline glued to
the front of the first sentence); every removal is counted per rule, and any
rule can be turned off with ``disable``. The approach follows boilerplate
detection by shallow line features (Kohlschütter, Fankhauser & Nejdl 2010),
written here as explicit, conservative patterns so that an article sentence
is never removed: a line of more than :data:`MAX_FURNITURE_WORDS` words is
never touched, and the looser patterns (navigation, share, related, photo
credit, newsletter) leave a line that reads as a sentence (six or more words
ending in sentence punctuation) unless it starts with a label and a
separator ("Photo: ...").

Rules (name: what it removes):

- ``escapes``: decodes literal ``\\uXXXX`` escapes (surrogate pairs joined)
  and literal ``\\n``, ``\\r``, ``\\t`` escapes; counts escapes, not lines.
- ``navigation``: menu and footer lines (``Home | News | Sport``, breadcrumbs,
  "Skip to content", "Privacy Policy", copyright lines) and a run of three or
  more one-to-three-word lines before the first sentence.
- ``share``: share and subscribe prompts ("Share this article", "Tweet",
  "Follow us on Instagram", a line of social network names).
- ``advertisement``: "Advertisement", "Sponsored", "Story continues below
  advertisement" and the like.
- ``related``: "Related:", "Also read", "Read more", "You may also like",
  "Tags:" lines, and the short headline lines directly under such a header.
- ``comments``: comment forms ("Leave a Reply", "Your email address will not
  be published", "Required fields are marked *", "Name *", "Post Comment").
- ``photo_credit``: "Photo: ...", "(Image: ...)", "Getty Images" lines,
  "Photo by X", agency credits such as "AFP/File".
- ``cookie``: cookie banners and their buttons ("We use cookies ...",
  "Accept all").
- ``newsletter``: newsletter prompts ("Sign up for our newsletter", "Enter
  your email", "delivered to your inbox").
- ``dateline``: date lines ("Updated 29 Oct, 2019", "Published: 3 March
  2018 10:15 IST", a bare "October 29, 2019"), moved into metadata
  (``updated`` or ``dateline``).
- ``byline``: "By X" / "Written by X" / "Author: X" lines, and a byline glued
  to the first sentence, moved into metadata (``byline``).
- ``author_bio``: up to two short lines right after a "Written by X" or
  "About the author" line in the last half of the page, when they are the
  last lines before the end (or a headline list) and the first names the
  author's trade ("writer", "journalist", "editor", ...).
- ``headline_list``: a run of two or more short title-case lines without
  sentence punctuation at the end of the page (other articles' headlines).

Example
-------
>>> r = clean_text("By Jo Khan\\nAdvertisement\\nShe spoke on Monday.\\nLeave a Reply")
>>> r.text
'She spoke on Monday.'
>>> r.removed["advertisement"], r.removed["comments"], r.metadata["byline"]
(1, 1, 'Jo Khan')
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from analysis.errors import UsageError

RULES: tuple[str, ...] = (
    "escapes", "navigation", "share", "advertisement", "related", "comments", "photo_credit",
    "cookie", "newsletter", "dateline", "byline", "author_bio", "headline_list",
)
#: A line longer than this is article text whatever it says.
MAX_FURNITURE_WORDS = 60
#: Lines no longer than this can be menu items, headlines or buttons.
SHORT_WORDS = 16
_MAX_PASSES = 10


@dataclass(frozen=True)
class CleanResult:
    """Cleaned text, lines removed per rule, and metadata moved out of the text."""

    text: str
    removed: dict[str, int] = field(default_factory=dict)
    metadata: dict[str, str] = field(default_factory=dict)


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_SOCIAL = r"facebook|twitter|x|whatsapp|linkedin|e-?mail|reddit|telegram|pinterest|instagram|messenger|print|copy link"
_MONTH = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_DATE = (rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTH})\.?,?\s+\d{{4}}"
         rf"|(?:{_MONTH})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
         r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4})")
_TIME = r"\d{1,2}[:.]\d{2}\s*(?:am|pm|a\.m\.|p\.m\.)?(?:\s*[A-Z]{2,4})?"
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"

_PATTERNS: dict[str, re.Pattern[str]] = {
    "navigation": _rx(
        r"home|menu|main menu|search|skip to (?:main )?content|toggle navigation|back to top|close|"
        r"(?:next|previous|prev) (?:article|story|post)|log ?in|sign in|register|my account|e-?paper|"
        r"about us|contact(?: us)?|privacy(?: policy)?|terms (?:of (?:use|service)|and conditions)|"
        r"careers|advertise(?: with us)?|sitemap|latest news|top stories|most read|most popular",
        r"(?:©|\(c\)|copyright\s*(?:©|\d{4})).{0,80}",
        r".{0,80}all rights reserved\.?",
    ),
    "share": _rx(
        rf"share(?: this)?(?: article| story| post| page)?(?: (?:on|via) (?:{_SOCIAL}))?",
        rf"(?:share(?: this| on| via)?\s*:?\s*)?(?:(?:{_SOCIAL})[\s|•·,/]*){{2,}}",
        r"tweet|pin it|share via|shares?|\d+\s+shares?",
        r"follow us(?: on)?\b.{0,80}",
        r"(?:click here to |please )?(?:subscribe|follow|join)\s+(?:to |on )?(?:our|us on) "
        r"(?:youtube|whatsapp|telegram|instagram|facebook|twitter|google news)(?: channel| page)?.{0,40}",
    ),
    "advertisement": _rx(
        r"advertisements?|advertisment|ads?|sponsored(?: content)?|promoted(?: content)?|paid content",
        r"(?:story|article) continues below(?: this)? advertisement",
        r"advertisement\s*[-–—:]?\s*(?:continue|scroll) (?:reading|down)(?: below)?",
        r"scroll (?:down )?to continue(?: with content| reading)?|continue reading below",
    ),
    "related": _rx(
        r"(?:related(?: articles| stories| posts| news| content)?|also read|read also|read more|"
        r"see also|recommended(?: for you| stories)?|must read|don'?t miss|more from\b.{0,40}|"
        r"you (?:may|might) also like|trending(?: now)?|more stories|tags|topics|filed under)"
        r"\s*(?:[:|–—-].{0,200})?",
    ),
    "comments": _rx(
        r"leave a (?:reply|comment)(?: cancel reply)?|cancel reply|post (?:a )?comment|add (?:a )?comment|"
        r"submit(?: comment)?|comments?|\d+ comments?|(?:view|show|load) (?:all )?comments|"
        r"join the (?:conversation|discussion)|comments are closed\.?",
        r"(?:name|e-?mail|website|comment)\s*\*?",
        r"your email address will not be published\..{0,80}",
        r"required fields are marked \*?",
        r"save my name, email,? and website in this browser.{0,60}",
        r"notify me of (?:follow-up comments|new posts|new comments).{0,40}",
        r"this site uses akismet to reduce spam\..{0,80}",
        r"you must be logged in to post a comment\.?",
    ),
    "photo_credit": _rx(
        r"[(\[]\s*(?:photos?|images?|pictures?|pics?|credit|file|representational)(?: image| photo)?"
        r"\s*(?:credits?)?\s*[:|-].{0,200}[)\]]",
        r"(?:photos?|photographs?|images?|pictures?|pics?|credits?|photo credits?|image credits?|"
        r"image source|courtesy|caption|file photo)\s*[:|–—].{0,200}",
        r"(?:photos?|images?) (?:by|courtesy(?: of)?|via)\s+.{0,100}",
        r".{0,200}\bgetty images\b.{0,100}",
        r".{0,200}(?:[|–—-]|^)\s*(?:photos?|images?|pics?)\s*(?:credits?)?\s*:\s*.{0,100}",
        r".{0,200}\b(?:afp|ap|reuters|pti|ani|epa|shutterstock|istock)\s*(?:/|via\b|photo\b|file\b).{0,60}",
    ),
    "cookie": _rx(
        r"(?:we use cookies|this (?:web)?site uses cookies|by (?:continuing|using|clicking).{0,80}cookies|"
        r"cookies? (?:policy|settings|preferences|notice|consent)|we and our partners use cookies).{0,400}",
        r"(?:accept|allow)(?: all)?(?: cookies)?|reject(?: all)?|decline|i accept|i agree|got it!?|ok(?:ay)?|"
        r"manage (?:cookies|preferences|settings|options)",
    ),
    "newsletter": _rx(
        r"(?:sign up|subscribe|register)(?: now)? (?:for|to) (?:our|the)\b.{0,60}newsletters?.{0,120}",
        r"(?:get|receive|have)\b.{0,80}(?:delivered|straight|direct(?:ly)?|sent) to your inbox.{0,80}",
        r"enter your e-?mail(?: address)?.{0,40}|e-?mail address|sign up|subscribe(?: now)?|join now|newsletters?",
        r"by (?:signing up|subscribing).{0,160}(?:privacy|terms).{0,80}",
        r"thank you for (?:signing up|subscribing).{0,80}|you have successfully subscribed.{0,40}",
    ),
}
_UPDATED = _rx(rf"(?:last )?(?:updated|modified)\s*(?:on|at)?\s*:?\s*(?P<u>(?:{_WEEKDAY},?\s+)?"
               rf"(?:{_DATE}|{_TIME}).{{0,40}})")
_PUBLISHED = _rx(rf"(?:(?:first )?published|posted|date)\s*(?:on|at)?\s*:?\s*(?P<p>(?:{_WEEKDAY},?\s+)?"
                 rf"(?:{_DATE}|{_TIME}).{{0,40}})",
                 rf"(?P<d>(?:{_WEEKDAY},?\s+)?{_DATE}(?:,?\s*(?:at\s+)?{_TIME})?(?:\s*[|,]\s*{_TIME})?)")
_NAME = r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|al|bin|ul|and|&))*"
_BYLINE = re.compile(rf"(?:by|written by|reported by|author|words by)\s*:?\s+(?P<b>{_NAME}"
                     rf"(?:\s*[,|]\s*{_NAME})*)\.?", re.IGNORECASE)
_BYLINE_CASED = re.compile(rf"(?:By|BY|Written by|Reported by|Author:?)\s+(?P<b>{_NAME}(?:\s*[,|]\s*{_NAME})*)\.?")
_GLUED = re.compile(
    r"(?P<all>(?:By|BY|Written by)\s+(?P<b>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3}?)"
    r"(?:(?<=[a-z])(?=[A-Z][a-z])|\s*[|•·—–]\s*|\s+(?=[A-Z]{3,}[A-Z ]*\s*(?:[:,(—–-]))))"
)
_AUTHOR_HEAD = re.compile(r"(?:written by\s+.{1,80}|about the author:?)", re.IGNORECASE)
_BIO_WORDS = re.compile(r"\b(?:writer|journalist|reporter|editor|correspondent|columnist|author|contributor|"
                        r"freelancer?|blogger|writes (?:about|on)|covers)\b", re.IGNORECASE)
_ESCAPE = re.compile(r"\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})|\\([nrt])")
#: Rules whose patterns are loose enough to match prose: a line that reads as a sentence is kept unless
#: it starts with a short label and a separator ("Photo: ...", "Also read | ...").
_NOT_PROSE = frozenset({"navigation", "share", "photo_credit", "newsletter", "related"})
_LABEL = re.compile(r"©|\(c\)|[(\[]?\s*[\w' ]{1,25}?\s*[:|–—]")
_SPECIFIC = re.compile(r"by (?:signing up|subscribing|registering)\b|thank you for (?:signing up|subscribing)|"
                       r"you have successfully subscribed", re.IGNORECASE)
_SMALL = frozenset("a an and as at but by for from in into of on or the to with vs via over after is".split())
_CONTEXT_RULES = ("navigation", "related", "headline_list", "author_bio")


def decode_escapes(text: str) -> tuple[str, int]:
    """Decode literal ``\\uXXXX`` (with surrogate pairs) and ``\\n``/``\\r``/``\\t`` escapes.

    Returns the decoded text and the number of escapes decoded. Decoding
    repeats until nothing changes (so a doubly escaped text is decoded
    fully and the function is idempotent). Lone surrogate escapes (not
    encodable as UTF-8) are left as they are.

    Examples
    --------
    >>> decode_escapes(r"\\u201cNo\\u201d\\nYes")
    ('“No”\\nYes', 3)
    """
    count = 0

    def one(m: re.Match[str]) -> str:
        nonlocal count
        if m.group(1):
            count += 1
            high, low = int(m.group(1), 16), int(m.group(2), 16)
            return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
        if m.group(3):
            code = int(m.group(3), 16)
            if 0xD800 <= code <= 0xDFFF:
                return m.group(0)
            count += 1
            return chr(code)
        count += 1
        return {"n": "\n", "r": "\r", "t": "\t"}[m.group(4)]

    while True:  # doubly escaped text (``\\u005cu201c``) is decoded to the end; each round shortens it
        decoded = _ESCAPE.sub(one, text)
        if decoded == text:
            return text, count
        text = decoded


def _words(line: str) -> int:
    return len(line.split())


def _is_sentence(line: str) -> bool:
    """A line that reads like article prose: several words and sentence punctuation at the end."""
    s = line.strip().rstrip("\"'”’)]*")
    return _words(line) >= 6 and s[-1:] in ".!?…:;"


def _is_title(line: str) -> bool:
    """A short line in title case without sentence punctuation at the end (a headline or name)."""
    s = line.strip()
    if not s or _words(s) > SHORT_WORDS or s[-1] in ".,;:\"”'’" or _is_sentence(s):
        return False
    words = [w for w in re.findall(r"[^\s]+", s) if w.lower().strip("([\"'“‘") not in _SMALL]
    if not words:
        return False
    capital = sum(1 for w in words if re.match(r"[\W_]*[A-Z0-9#@\[(]", w))
    return capital / len(words) >= 0.8


def _line_rule(line: str, active: frozenset[str]) -> str | None:
    """The first active context-free rule whose pattern matches the whole line."""
    s = line.strip().strip("•·»›|*-–— ").strip()
    if not s or _words(s) > MAX_FURNITURE_WORDS:
        return None
    prose = _is_sentence(s) and not _LABEL.match(s) and not _SPECIFIC.match(s)
    for rule, pattern in _PATTERNS.items():
        if rule in active and pattern.fullmatch(s) and not (prose and rule in _NOT_PROSE):
            return rule
    if "navigation" in active and _is_menu(s):
        return "navigation"
    return None


def _is_menu(s: str) -> bool:
    parts = [p.strip() for p in re.split(r"\s*[|•·»›>/]\s*", s) if p.strip()]
    return len(parts) >= 3 and all(_words(p) <= 3 and p[-1] not in ".!?" for p in parts)


def _meta_rule(line: str, active: frozenset[str], meta: dict[str, str]) -> str | None:
    """Dateline and byline lines; their value is stored in ``meta`` (first one kept)."""
    s = line.strip()
    if not s or _words(s) > 14:
        return None
    if "dateline" in active:
        m = _UPDATED.fullmatch(s)
        if m:
            meta.setdefault("updated", m.group("u").strip())
            return "dateline"
        m = _PUBLISHED.fullmatch(s)
        if m:
            meta.setdefault("dateline", (m.group("p") or m.group("d")).strip())
            return "dateline"
    if "byline" in active and _words(s) <= 10:
        m = _BYLINE_CASED.fullmatch(s)
        if m and not _is_sentence(s):
            meta.setdefault("byline", m.group("b").strip())
            return "byline"
    return None


def _strip_glued_byline(line: str, meta: dict[str, str]) -> str | None:
    """Remove a byline glued to the front of a sentence; ``None`` if there is none.

    Only clear cases: the name runs into the next word without a space
    (``By Jo KhanActress ...``), or is followed by a separator (``|``, ``—``)
    or an upper-case place dateline (``By Jo Khan LAHORE: ...``).
    """
    m = _GLUED.match(line.lstrip())
    if not m:
        return None
    rest = line.lstrip()[m.end():].lstrip()
    if not _is_sentence(rest):
        return None
    meta.setdefault("byline", m.group("b").strip())
    return rest


def _first_sentence(lines: list[str], keep: list[bool]) -> int:
    for i, (line, k) in enumerate(zip(lines, keep, strict=True)):
        if k and _is_sentence(line):
            return i
    return len(lines)


def _context_rules(lines: list[str], keep: list[bool], rules: list[str | None], active: frozenset[str]) -> None:
    """Rules that need neighbouring lines; they mark lines in ``keep``/``rules`` in place."""
    nonblank = [i for i, (line, k) in enumerate(zip(lines, keep, strict=True)) if k and line.strip()]
    first = _first_sentence(lines, keep)

    def drop(i: int, rule: str) -> None:
        keep[i], rules[i] = False, rule

    if "navigation" in active:
        head = [i for i in nonblank if i < first]
        run: list[int] = []
        for i in [*head, None]:
            if i is not None and _words(lines[i]) <= 3 and _is_title(lines[i]) and not _BYLINE_CASED.fullmatch(
                    lines[i].strip()):
                run.append(i)
                continue
            if len(run) >= 3:
                for j in run:
                    drop(j, "navigation")
            run = []
    if "author_bio" in active:
        _author_bio(lines, keep, rules)
    if "headline_list" in active:
        live = [i for i in nonblank if keep[i]]
        run = []
        for i in reversed(live):
            if not _is_title(lines[i]):
                break
            run.append(i)
        if len(run) >= 2:
            for i in run:
                drop(i, "headline_list")


def _related_blocks(lines: list[str], keep: list[bool], rules: list[str | None]) -> None:
    """Short title-case lines directly under a "Related"/"Also read" header are removed too."""
    in_block = False
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if rules[i] == "related":
            # only a bare header ("Related Stories", "You may also like") has a list under it
            in_block = not re.search(r"[:|–—-]\s*\S", line)
            continue
        if in_block and keep[i] and _is_title(line):
            keep[i], rules[i] = False, "related"
            continue
        in_block = False


def _author_bio(lines: list[str], keep: list[bool], rules: list[str | None]) -> None:
    """Up to two short lines after a "Written by X" / "About the author" line in the last half."""
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    for pos, i in enumerate(nonblank):
        if pos < len(nonblank) // 2 or not _AUTHOR_HEAD.fullmatch(lines[i].strip()):
            continue
        tail = [j for j in nonblank[pos + 1:] if keep[j]]
        titles = _trailing_titles(lines, tail)
        bio = tail[:len(tail) - titles][:2]
        if bio and len(tail) - titles <= 2 and all(_words(lines[j]) <= 40 for j in bio) \
                and _BIO_WORDS.search(lines[bio[0]]):
            for j in bio:
                keep[j], rules[j] = False, "author_bio"


def _trailing_titles(lines: list[str], idx: list[int]) -> int:
    n = 0
    for j in reversed(idx):
        if not _is_title(lines[j]):
            break
        n += 1
    return n


def _one_pass(text: str, active: frozenset[str], removed: dict[str, int], meta: dict[str, str]) -> str:
    lines = text.split("\n")
    keep = [True] * len(lines)
    rules: list[str | None] = [None] * len(lines)
    for i, line in enumerate(lines):
        rule = _line_rule(line, active) or _meta_rule(line, active, meta)
        if rule:
            keep[i], rules[i] = False, rule
    if "related" in active:
        _related_blocks(lines, keep, rules)
    _context_rules(lines, keep, rules, active)
    if "byline" in active:
        first = _first_sentence(lines, keep)
        if first < len(lines):
            stripped = _strip_glued_byline(lines[first], meta)
            if stripped is not None:
                lines[first] = stripped
                removed["byline"] += 1
    for rule in rules:
        if rule:
            removed[rule] += 1
    return _join_kept(lines, keep)


def _join_kept(lines: list[str], keep: list[bool]) -> str:
    """Join the kept lines; blank lines left next to a removed block are collapsed."""
    if all(keep):
        return "\n".join(lines)
    out: list[str] = []
    gap = False
    for line, k in zip(lines, keep, strict=True):
        if not k:
            gap = True
            continue
        if not line.strip() and gap and (not out or not out[-1].strip()):
            continue
        if line.strip():
            gap = False
        out.append(line)
    while out and not out[-1].strip() and gap:
        out.pop()
    while out and not out[0].strip() and not keep[0]:
        out.pop(0)
    return "\n".join(out)


def _active(disable: Iterable[str]) -> frozenset[str]:
    disable = set(disable)
    unknown = sorted(disable - set(RULES))
    if unknown:
        raise UsageError(f"clean_text: unknown rule(s) {', '.join(map(repr, unknown))} in 'disable'; "
                         f"choose from {', '.join(RULES)}")
    return frozenset(r for r in RULES if r not in disable)


def clean_text(text: str, *, disable: Iterable[str] = ()) -> CleanResult:
    """Remove furniture lines from ``text`` by the rules in :data:`RULES` (see the module docstring).

    Rules are applied until nothing changes, so ``clean_text`` is idempotent.

    Parameters
    ----------
    text : str
        Plain text, lines separated by ``\\n``.
    disable : iterable of str
        Rule names to turn off (an unknown name raises :class:`UsageError`).

    Returns
    -------
    CleanResult
        ``text``; ``removed`` (rule -> lines removed; for ``escapes`` the
        number of escapes decoded; for ``byline`` a glued byline counts as
        one); ``metadata`` (``byline``, ``dateline``, ``updated`` when found).

    Examples
    --------
    >>> clean_text("Updated 29 Oct, 2019\\nShe said it was wrong.").metadata
    {'updated': '29 Oct, 2019'}
    >>> clean_text("Share\\nShe said it was wrong.", disable=["share"]).text
    'Share\\nShe said it was wrong.'
    """
    active = _active(disable)
    removed = dict.fromkeys(RULES, 0)
    meta: dict[str, str] = {}
    for _ in range(_MAX_PASSES):
        before = text
        if "escapes" in active:
            text, n = decode_escapes(text)
            removed["escapes"] += n
        text = _one_pass(text, active, removed, meta)
        if text == before:
            break
    return CleanResult(text=text, removed=removed, metadata=meta)


def clean_corpus_texts(docs: pd.DataFrame, *, disable: Iterable[str] = ()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Clean the ``text`` column of a documents table; return (cleaned docs, removal report).

    The cleaned table gets ``byline``, ``dateline`` and ``updated`` columns
    (empty string where nothing was found; an existing non-empty value is
    kept). The report has one row per document and rule that removed
    something: ``doc_id, rule, removed``. The input frame is not changed.

    Examples
    --------
    >>> d = pd.DataFrame({"doc_id": ["a"], "text": ["By Jo Khan\\nShe spoke on Monday."]})
    >>> out, report = clean_corpus_texts(d)
    >>> out.loc[0, "byline"], report.to_dict("records")
    ('Jo Khan', [{'doc_id': 'a', 'rule': 'byline', 'removed': 1}])
    """
    if "text" not in docs.columns or "doc_id" not in docs.columns:
        raise UsageError("clean_corpus_texts: the documents table needs 'doc_id' and 'text' columns")
    _active(disable)
    texts, metas, rows = [], {k: [] for k in ("byline", "dateline", "updated")}, []
    for doc_id, text in zip(docs["doc_id"], docs["text"], strict=True):
        result = clean_text(text if isinstance(text, str) else "", disable=disable)
        texts.append(result.text)
        for key, values in metas.items():
            values.append(result.metadata.get(key, ""))
        rows.extend({"doc_id": doc_id, "rule": r, "removed": n} for r, n in result.removed.items() if n)
    out = docs.copy()
    out["text"] = texts
    for key, values in metas.items():
        if key in out.columns:
            old = out[key].fillna("").astype(str)
            out[key] = [o if o else v for o, v in zip(old, values, strict=True)]
        else:
            out[key] = values
    report = pd.DataFrame(rows, columns=["doc_id", "rule", "removed"])
    return out, report

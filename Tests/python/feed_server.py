#!/usr/bin/env python3
"""A misbehaving HTTP/1.1 news site for newsflow's feed source: RSS and Atom feeds with validators, feeds that
redirect, loop, fail, rate-limit, stall, never end or are not XML, and realistic article pages in awkward
character encodings. Everything it serves is deterministic, so a driver (feed_e2e.py) can import this module
and know what each page says.

Usage: feed_server.py --log FILE

Binds 127.0.0.1 on a free port and prints `PORT <n>` as its first (and only) line on standard output. Every
request is appended to FILE as one JSON line, flushed at once:

    {"rid": 7, "t": 1717400000.123, "t_end": 1717400000.125, "method": "GET", "path": "/feeds/rss.xml",
     "if_none_match": "\"rss-v1\"", "if_modified_since": null, "user_agent": "newsflow/...",
     "status": 304, "bytes": 0}

t         when the request reached the server (epoch seconds). Read from the kernel (TCP_INFO's time since the
          last data segment arrived, millisecond-resolution) rather than from when a Python thread got round to
          it, so the spacing between arrivals can be checked to ~10 ms even on a busy machine.
t_end     when the answer was written, or when the client was seen to have gone.
status    the status sent (null: none was: the client left first); bytes: body bytes written to the socket.
rid       one number per request. /feeds/slow.xml and /feeds/huge.xml log a line on arrival too ("phase":
          "arrived", status null) and a second line with the same rid once done; "client_gone": true says the
          client hung up first (both stop as soon as it does). huge.xml also logs "t_last_write", when the last
          64 KB went out, and "client_stalled": true if the client neither read nor hung up for 5 s (it then
          gives up on it).
path      the request target as sent, query included.

Routes (per-path request counters live in memory, so a client restarted against the same server sees the
feeds move on):
  /feeds/rss.xml      RSS 2.0, 3 items; ETag "rss-v1" and Last-Modified; 304 when If-None-Match matches
  /feeds/atom.xml     Atom 1.0, 2 entries; Last-Modified only; 304 when If-Modified-Since is not older
  /feeds/repeat.xml   no validators; k-th request: the newest 4 of repeat-1..repeat-(k+1), newest first
  /feeds/content.xml  2 items with the whole story in <content:encoded>; links to /articles/never.html?...
  /feeds/redirect.xml 301 to /feeds/moved.xml (1 item, moved-1)
  /feeds/loop.xml     302 to /feeds/loop2.xml?hop=1, which 302s to /feeds/loop.xml?hop=2, ... forever; the hop
                      number in the query lets a driver count how many redirects one poll followed
  /feeds/500.xml      always 500
  /feeds/429.xml      first request 429 with Retry-After: 3, then RSS with 1 item (late-1)
  /feeds/503.xml      always 503 with Retry-After: 2
  /feeds/slow.xml     waits 8 s (watching for the client hanging up), then a valid feed (slow-1)
  /feeds/huge.xml     50 MB of item-shaped XML, chunked, in 64 KB writes, stopping when the client leaves
  /feeds/invalid.xml  200 with broken XML
  /feeds/charset.xml  RSS linking to the three pages below
  /articles/cp1252.html        Content-Type charset=windows-1252, cp1252 bytes (smart quotes, café)
  /articles/meta-charset.html  Content-Type text/html without charset, <meta charset="windows-1252">,
                               cp1252 bytes (naïve, €)
  /articles/bom.html           Content-Type says charset=iso-8859-1, body is UTF-8 with a BOM (Zürich, —)
  /articles/NAME.html          a news page: head metadata, JSON-LD, nav, cookie banner, the story in <article>
                               (4 paragraphs naming NAME, the token marker-NAME in one), related links, footer
  anything else       404
"""

from __future__ import annotations

import argparse
import html
import json
import re
import select
import socket
import struct
import sys
import threading
import time
import zlib
from datetime import datetime
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

SITE = "Example News"
ETAG_RSS = '"rss-v1"'
LAST_MODIFIED = "Mon, 02 Jun 2025 08:00:00 GMT"
SLOW_SECONDS = 8.0
HUGE_BYTES = 50 * 1024 * 1024
HUGE_WRITE = 64 * 1024
STALL_SECONDS = 5.0
REPEAT_WINDOW = 4

# Text that sits on every page outside the story. A record's body must contain none of it.
NAV_LINKS = ["Home", "World", "Business", "Climate", "Sport", "Culture", "Subscribe to Example News Plus"]
COOKIE_TEXT = ("We use cookies and similar technologies to personalise content and advertising, "
               "and to analyse our traffic. You can change your choices at any time.")
RELATED_HEADING = "Related stories"
RELATED_TITLES = ["Harbour dredging contract awarded to Dutch consortium",
                  "Regional airline adds winter routes to the islands",
                  "Inflation eases for a third straight month"]
FOOTER_TEXT = "© 2025 Example News Ltd. All rights reserved. Registered in England and Wales."
BOILERPLATE = [COOKIE_TEXT, RELATED_HEADING, FOOTER_TEXT, "Subscribe to Example News Plus", "Accept all cookies",
               "Manage preferences", "Most read"] + RELATED_TITLES

# Stories behind the feeds: name -> (feed that links to it, day of June 2025 it was published).
STORIES = {
    "rss-1": 2, "rss-2": 3, "rss-3": 4, "atom-1": 5, "atom-2": 6, "moved-1": 7, "late-1": 8, "slow-1": 9,
    "cp1252": 10, "meta-charset": 11, "bom": 12, "content-1": 13, "content-2": 14,
}

# Sentences that only the charset pages carry, with the characters a wrong decoding would mangle.
CHARSET_SENTENCES = {
    "cp1252": "A woman drinking coffee outside a café near the harbour called the plan “a long-overdue change” "
              "and said she would follow it closely.",
    "meta-charset": "One councillor dismissed as naïve the hope that the scheme would cost less than €40 million "
                    "in the end.",
    "bom": "Engineers from Zürich will review the design — the first outside review of its kind in the region.",
}
CHARSET_PAGES = {  # name -> (Content-Type header, encoding of the body bytes, prefix bytes)
    "cp1252": ("text/html; charset=windows-1252", "cp1252", b""),
    "meta-charset": ("text/html", "cp1252", b""),
    "bom": ("text/html; charset=iso-8859-1", "utf-8", b"\xef\xbb\xbf"),
}

CITIES = ["Lisbon", "Tallinn", "Valparaiso", "Kisumu", "Bergen", "Cork", "Gdansk", "Porto Alegre", "Hobart",
          "Ljubljana", "Oaxaca", "Tartu", "Aarhus"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
BODIES = ["city council", "regional assembly", "port authority", "transport board", "water utility"]
TOPICS = [("flood defence", "raise the river walls along the old quarter"),
          ("tram extension", "carry trams to the northern suburbs"),
          ("school building", "replace twelve ageing primary schools"),
          ("harbour cleanup", "remove contaminated silt from the inner basin"),
          ("housing", "build 2,400 rent-controlled homes on former rail land")]
PEOPLE = [("Marta Sousa", "Sousa"), ("Jaan Tamm", "Tamm"), ("Ana Rojas", "Rojas"), ("Grace Achieng", "Achieng"),
          ("Ingrid Berg", "Berg"), ("Niamh Walsh", "Walsh"), ("Piotr Nowak", "Nowak")]
COMMITTEES = ["finance committee", "planning committee", "infrastructure committee"]


def pick(options: list, name: str, salt: str):
    return options[zlib.crc32(f"{salt}:{name}".encode()) % len(options)]


def story_title(name: str) -> str:
    """The headline of story NAME: also og:title, the JSON-LD headline, the <h1> and the feed item's title."""
    return f"Story {name}"


def story_date(name: str) -> str:
    """Publication time of story NAME, ISO 8601 UTC (repeat-N: day N of July 2025, hour by N)."""
    match = re.fullmatch(r"repeat-(\d+)", name)
    if match:
        number = int(match.group(1))
        return f"2025-07-{(number - 1) % 28 + 1:02d}T{number % 24:02d}:15:00Z"
    return f"2025-06-{STORIES.get(name, 20):02d}T09:30:00Z"


def rfc822(iso: str) -> str:
    moment = datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ")
    return moment.strftime("%a, %d %b %Y %H:%M:%S GMT")


def article_paragraphs(name: str) -> list[str]:
    """The four paragraphs of story NAME, as plain text: unique to NAME, naming it, the second carrying the
    token marker-NAME; the charset pages add a fifth with their special characters."""
    city = pick(CITIES, name, "city")
    weekday = pick(WEEKDAYS, name, "day")
    body = pick(BODIES, name, "body")
    topic, action = pick(TOPICS, name, "topic")
    person, surname = pick(PEOPLE, name, "person")
    committee = pick(COMMITTEES, name, "committee")
    amount = 40 + zlib.crc32(name.encode()) % 460
    paragraphs = [
        f"Officials in {city} said on {weekday} that story {name} had moved a step closer after the {body} "
        f"approved a {topic} plan worth {amount} million euros.",
        f"The proposal, filed under the reference marker-{name}, would {action} by 2029, according to "
        f"documents seen by {SITE}.",
        f"{person}, who chairs the {committee}, told reporters that the work described in story {name} would "
        f"start in the spring. \"We have waited long enough,\" {surname} said.",
        f"Critics in {city} argued that the timetable for story {name} was too ambitious, and a final vote is "
        f"expected before the end of the year.",
    ]
    if name in CHARSET_SENTENCES:
        paragraphs.append(CHARSET_SENTENCES[name])
    return paragraphs


def article_page(name: str, base: str, meta_charset: str | None = None) -> str:
    """A whole news page for story NAME, as text (the caller encodes it)."""
    title = story_title(name)
    published = story_date(name)
    url = f"{base}/articles/{name}.html"
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
          "datePublished": published, "dateModified": published, "mainEntityOfPage": url,
          "author": [{"@type": "Person", "name": pick(PEOPLE, name, "author")[0]}],
          "publisher": {"@type": "Organization", "name": SITE}}
    esc = html.escape
    nav = "\n".join(f'        <li><a href="/section/{link.lower().replace(" ", "-")}">{esc(link)}</a></li>'
                    for link in NAV_LINKS)
    related = "\n".join(f'        <li><a href="/articles/related-{index}.html">{esc(text)}</a></li>'
                        for index, text in enumerate(RELATED_TITLES, 1))
    paragraphs = "\n".join(f"      <p>{esc(text, quote=False)}</p>" for text in article_paragraphs(name))
    charset = f'  <meta charset="{meta_charset}">\n' if meta_charset else ""
    author = ld["author"][0]["name"]
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
{charset}  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{esc(title)} | {SITE}</title>
  <meta name="description" content="What officials said about {esc(name)}.">
  <meta property="og:type" content="article">
  <meta property="og:title" content="{esc(title)}">
  <meta property="og:site_name" content="{SITE}">
  <meta property="article:published_time" content="{published}">
  <link rel="canonical" href="{esc(url)}">
  <link rel="stylesheet" href="/static/site.css">
  <script type="application/ld+json">{json.dumps(ld)}</script>
  <script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"page": "article"}});</script>
</head>
<body>
  <header class="site-header">
    <a class="logo" href="/">{SITE}</a>
    <nav aria-label="Sections">
      <ul>
{nav}
      </ul>
    </nav>
  </header>
  <div id="cookie-consent" class="cookie-banner" role="dialog" aria-label="Cookie consent">
    <p>{esc(COOKIE_TEXT)}</p>
    <button type="button">Accept all cookies</button>
    <a href="/privacy#cookies">Manage preferences</a>
  </div>
  <main>
    <article class="story">
      <h1>{esc(title)}</h1>
      <p class="byline">By <a href="/authors/{zlib.crc32(author.encode())}">{esc(author)}</a> ·
        <time datetime="{published}">{published[:10]}</time></p>
{paragraphs}
    </article>
    <aside class="related" aria-labelledby="related-heading">
      <h2 id="related-heading">{RELATED_HEADING}</h2>
      <ul>
{related}
      </ul>
    </aside>
    <aside class="most-read">
      <h2>Most read</h2>
      <ol><li><a href="/articles/related-1.html">{esc(RELATED_TITLES[0])}</a></li></ol>
    </aside>
  </main>
  <footer class="site-footer">
    <p>{esc(FOOTER_TEXT)}</p>
    <p><a href="/privacy">Privacy</a> · <a href="/terms">Terms</a> · <a href="/contact">Contact</a></p>
  </footer>
</body>
</html>
"""


def content_html(name: str) -> str:
    """The <content:encoded> HTML of item NAME of content.xml: the story's paragraphs as <p>s."""
    return "".join(f"<p>{html.escape(text, quote=False)}</p>\n" for text in article_paragraphs(name))


def rss_item(name: str, base: str, link: str | None = None, description: str | None = None,
             content: str | None = None) -> str:
    esc = html.escape
    link = link or f"{base}/articles/{name}.html"
    description = description or f"What officials said about {name}."
    extra = f"\n      <content:encoded><![CDATA[{content}]]></content:encoded>" if content else ""
    return f"""    <item>
      <title>{esc(story_title(name))}</title>
      <link>{esc(link)}</link>
      <guid isPermaLink="false">{esc(name)}</guid>
      <pubDate>{rfc822(story_date(name))}</pubDate>
      <description>{esc(description)}</description>{extra}
    </item>
"""


def rss(title: str, base: str, path: str, items: list[str]) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>{html.escape(title)}</title>
    <link>{base}/</link>
    <atom:link href="{base}{path}" rel="self" type="application/rss+xml"/>
    <description>{html.escape(title)} from {SITE}</description>
    <language>en</language>
    <lastBuildDate>{LAST_MODIFIED}</lastBuildDate>
{"".join(items)}  </channel>
</rss>
""".encode("utf-8")


def atom(base: str) -> bytes:
    entries = []
    for name in ["atom-1", "atom-2"]:
        date = story_date(name)
        entries.append(f"""  <entry>
    <title>{story_title(name)}</title>
    <id>tag:example.news,2025:{name}</id>
    <link rel="alternate" type="text/html" href="{base}/articles/{name}.html"/>
    <published>{date}</published>
    <updated>{date}</updated>
    <author><name>{pick(PEOPLE, name, "author")[0]}</name></author>
    <summary>What officials said about {name}.</summary>
  </entry>
""")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>{SITE}: Atom</title>
  <id>tag:example.news,2025:atom</id>
  <link rel="self" type="application/atom+xml" href="{base}/feeds/atom.xml"/>
  <link rel="alternate" type="text/html" href="{base}/"/>
  <updated>2025-06-06T09:30:00Z</updated>
{"".join(entries)}</feed>
""".encode("utf-8")


def repeat_names(request_number: int) -> list[str]:
    """Items of the repeat feed on its k-th request: the newest 4 of repeat-1..repeat-(k+1), newest first."""
    newest = request_number + 1
    return [f"repeat-{n}" for n in range(newest, max(0, newest - REPEAT_WINDOW), -1)]


INVALID_XML = (b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Broken & bad</title>\n'
               b'<description>unclosed <b>tags <i>everywhere</description>\n<item><title>No end'
               b'<pubDate>yesterday-ish</pubDate>\n\x00\x01\xff\xfe garbage <<<>>> &notanentity; </channel>'
               b'</rss></rss>\n<![CDATA[ never closed\n')


def not_older(if_modified_since: str | None, last_modified: str) -> bool:
    """If-Modified-Since holds a date at or after Last-Modified (the exact string, or as a date)."""
    if not if_modified_since:
        return False
    if if_modified_since.strip() == last_modified:
        return True
    try:
        return parsedate_to_datetime(if_modified_since) >= parsedate_to_datetime(last_modified)
    except (TypeError, ValueError, IndexError):
        return False


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = [tag.strip() for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags or f"W/{etag}" in tags


def kernel_arrival(connection: socket.socket) -> float:
    """When the last data segment reached this socket, from TCP_INFO (tcpi_last_data_recv, offset 52, in ms),
    so the time does not depend on thread scheduling; now if that cannot be read."""
    now = time.time()
    try:
        info = connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
        since_ms = struct.unpack_from("I", info, 52)[0]
    except (OSError, struct.error, AttributeError):
        return now
    return now - since_ms / 1000.0 if since_ms < 60000 else now


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, log_path: str) -> None:
        super().__init__(("127.0.0.1", 0), FeedHandler)
        self.log_file = open(log_path, "a", encoding="utf-8")
        self.lock = threading.Lock()
        self.counters: dict[str, int] = {}
        self.next_rid = 0

    def handle_error(self, request, client_address) -> None:
        """A client that resets or stalls its connection is not the server's error; anything else is printed."""
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def count(self, path: str) -> tuple[int, int]:
        """This request's number for PATH (1 for the first) and a request id."""
        with self.lock:
            self.counters[path] = self.counters.get(path, 0) + 1
            self.next_rid += 1
            return self.counters[path], self.next_rid

    def log(self, entry: dict) -> None:
        with self.lock:
            self.log_file.write(json.dumps(entry) + "\n")
            self.log_file.flush()


class FeedHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ExampleNews/1.0"
    sys_version = ""
    rbufsize = 0       # unbuffered: a peek at the socket sees exactly the next request
    timeout = 60       # an idle keep-alive connection is closed after this long
    server: FeedServer

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass

    def handle_one_request(self) -> None:
        try:
            if not self.connection.recv(1, socket.MSG_PEEK):
                self.close_connection = True
                return
        except OSError:
            self.close_connection = True
            return
        self.arrival = kernel_arrival(self.connection)
        super().handle_one_request()

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        number, self.rid = self.server.count(path)
        self.entry = {"rid": self.rid, "t": round(self.arrival, 6), "t_end": None, "method": self.command,
                      "path": self.path, "if_none_match": self.headers.get("If-None-Match"),
                      "if_modified_since": self.headers.get("If-Modified-Since"),
                      "user_agent": self.headers.get("User-Agent"), "status": None, "bytes": 0}
        try:
            self.route(path, number)
        except socket.timeout:
            self.close_connection = True
            self.finish_entry(self.entry["status"], self.entry["bytes"], client_stalled=True)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
            self.finish_entry(self.entry["status"], self.entry["bytes"], client_gone=True)

    def finish_entry(self, status: int | None, sent: int, **extra) -> None:
        self.entry.update(status=status, bytes=sent, t_end=round(time.time(), 6), **extra)
        self.server.log(self.entry)

    def reply(self, status: int, body: bytes = b"", content_type: str | None = "application/rss+xml; charset=utf-8",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if content_type and body:
            self.send_header("Content-Type", content_type)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.entry["status"] = status
        if self.command != "HEAD" and body:
            self.wfile.write(body)
            self.entry["bytes"] = len(body)
        self.wfile.flush()
        self.finish_entry(status, self.entry["bytes"])

    def route(self, path: str, number: int) -> None:
        base = self.server.base
        if path == "/feeds/rss.xml":
            validators = {"ETag": ETAG_RSS, "Last-Modified": LAST_MODIFIED, "Cache-Control": "max-age=0"}
            inm = self.headers.get("If-None-Match")
            if etag_matches(inm, ETAG_RSS) or (inm is None and not_older(self.headers.get("If-Modified-Since"),
                                                                         LAST_MODIFIED)):
                return self.reply(304, headers=validators)
            items = [rss_item(f"rss-{n}", base) for n in (3, 2, 1)]
            return self.reply(200, rss(f"{SITE}: World", base, path, items), headers=validators)
        if path == "/feeds/mirror.xml":
            # Another feed of the same site listing the rss feed's stories under guids of its own (a top-stories
            # feed beside a section feed): their pages must be fetched, and the stories published, once.
            items = [rss_item(f"mirror-{n}", base, link=f"{base}/articles/rss-{n}.html#top") for n in (3, 2, 1)]
            return self.reply(200, rss(f"{SITE}: Top stories", base, path, items))
        if path == "/feeds/atom.xml":
            validators = {"Last-Modified": LAST_MODIFIED}
            if not_older(self.headers.get("If-Modified-Since"), LAST_MODIFIED):
                return self.reply(304, headers=validators)
            return self.reply(200, atom(base), "application/atom+xml; charset=utf-8", validators)
        if path == "/feeds/repeat.xml":
            items = [rss_item(name, base) for name in repeat_names(number)]
            return self.reply(200, rss(f"{SITE}: Live", base, path, items))
        if path == "/feeds/content.xml":
            items = [rss_item(name, base, link=f"{base}/articles/never.html?story={name}",
                              description=f"A short teaser about {name}.", content=content_html(name))
                     for name in ("content-2", "content-1")]
            return self.reply(200, rss(f"{SITE}: Full text", base, path, items))
        if path == "/feeds/redirect.xml":
            return self.reply(301, b"Moved\n", "text/plain", {"Location": f"{base}/feeds/moved.xml"})
        if path == "/feeds/moved.xml":
            return self.reply(200, rss(f"{SITE}: Moved", base, path, [rss_item("moved-1", base)]))
        if path in ("/feeds/loop.xml", "/feeds/loop2.xml"):
            match = re.search(r"(?:^|&)hop=(\d+)", urlsplit(self.path).query)
            hop = int(match.group(1)) + 1 if match else 1
            target = "/feeds/loop2.xml" if path == "/feeds/loop.xml" else "/feeds/loop.xml"
            return self.reply(302, b"Found\n", "text/plain", {"Location": f"{base}{target}?hop={hop}"})
        if path == "/feeds/500.xml":
            return self.reply(500, b"Internal Server Error\n", "text/plain")
        if path == "/feeds/429.xml":
            if number == 1:
                return self.reply(429, b"Too Many Requests\n", "text/plain", {"Retry-After": "3"})
            return self.reply(200, rss(f"{SITE}: Late", base, path, [rss_item("late-1", base)]))
        if path == "/feeds/503.xml":
            return self.reply(503, b"Service Unavailable\n", "text/plain", {"Retry-After": "2"})
        if path == "/feeds/slow.xml":
            return self.slow(base, path)
        if path == "/feeds/huge.xml":
            return self.huge()
        if path == "/feeds/invalid.xml":
            return self.reply(200, INVALID_XML)
        if path == "/feeds/charset.xml":
            items = [rss_item(name, base) for name in CHARSET_PAGES]
            return self.reply(200, rss(f"{SITE}: Europe", base, path, items))
        match = re.fullmatch(r"/articles/([a-z0-9][a-z0-9-]{0,60})\.html", path)
        if match and match.group(1) != "never":
            name = match.group(1)
            if name in CHARSET_PAGES:
                content_type, encoding, prefix = CHARSET_PAGES[name]
                meta = "windows-1252" if name == "meta-charset" else None
                body = prefix + article_page(name, base, meta).encode(encoding)
                return self.reply(200, body, content_type)
            return self.reply(200, article_page(name, base).encode("utf-8"), "text/html; charset=utf-8")
        return self.reply(404, b"Not Found\n", "text/plain")

    def slow(self, base: str, path: str) -> None:
        """Log the arrival, wait SLOW_SECONDS unless the client hangs up first, then answer."""
        self.server.log(dict(self.entry, phase="arrived"))
        deadline = time.monotonic() + SLOW_SECONDS
        while (left := deadline - time.monotonic()) > 0:
            readable, _, _ = select.select([self.connection], [], [], left)
            if readable:
                try:
                    gone = not self.connection.recv(1, socket.MSG_PEEK)
                except OSError:
                    gone = True
                if gone:
                    self.close_connection = True
                    return self.finish_entry(None, 0, client_gone=True)
                time.sleep(0.05)  # it sent something more: keep waiting all the same
        self.reply(200, rss(f"{SITE}: Slow", base, path, [rss_item("slow-1", base)]))

    def huge(self) -> None:
        """50 MB of item-shaped XML without Content-Length (chunked), in 64 KB writes, until the client leaves."""
        self.server.log(dict(self.entry, phase="arrived"))
        try:  # a small send buffer, so "bytes sent" stays close to what the client read
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, HUGE_WRITE)
        except OSError:
            pass
        self.connection.settimeout(STALL_SECONDS)
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.flush()
        self.entry["status"] = 200
        base = self.server.base
        head = (f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>{SITE}: Archive'
                f'</title><link>{base}/</link><description>Everything, ever</description>\n').encode()
        tail = b"</channel></rss>\n"
        sent, index, pending = 0, 0, bytearray(head)
        while sent < HUGE_BYTES:
            while len(pending) < HUGE_WRITE:
                index += 1
                pending += (f'<item><title>Archive item {index}</title><link>{base}/articles/huge-{index}.html'
                            f'</link><guid isPermaLink="false">huge-{index}</guid><description>Padding text for '
                            f'archive item {index}, kept only to make this feed very long.</description>'
                            f'</item>\n').encode()
            size = min(HUGE_WRITE, HUGE_BYTES - sent - len(tail))
            if size <= 0:
                chunk = tail
            else:
                chunk, pending = bytes(pending[:size]), pending[size:]
            self.wfile.write(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
            sent += len(chunk)
            self.entry.update(bytes=sent, t_last_write=round(time.time(), 6))
            if chunk is tail:
                break
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()
        self.finish_entry(200, sent)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log", required=True, help="append one JSON line per request here")
    arguments = parser.parse_args()
    server = FeedServer(arguments.log)
    print(f"PORT {server.server_address[1]}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

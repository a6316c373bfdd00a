"""Markdown to safe HTML: markdown-it-py with raw HTML off, then nh3 keeps only harmless tags and URLs.

Two layers on purpose: markdown-it never passes raw HTML through, and nh3 removes whatever a link or
image could still smuggle (javascript:, data:, event attributes) even if a future option turned HTML on.
"""

import re

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

# `@[Full Name](user:ID)`: the one mention syntax; the id decides who is mentioned, the name is shown.
MENTION = re.compile(r"@\[([^\[\]\n]{1,120})\]\(user:(\d{1,12})\)")

ALLOWED_TAGS = {
    "a", "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "span": {"class"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
_md.enable("strikethrough")
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def _mention_text(match: re.Match) -> str:
    """A mention token shows as the bold name; the name's Markdown characters are escaped."""
    return f"**@{_MARKDOWN_SPECIALS.sub(r'\\\1', match.group(1).strip())}**"


def plain(text: str) -> str:
    """The text with mention tokens shown as `@Name`, for places that show no Markdown (notifications)."""
    return MENTION.sub(lambda m: f"@{m.group(1).strip()}", text or "")


def render(text: str) -> SafeString:
    html = _md.render(MENTION.sub(_mention_text, text or ""))
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener nofollow ugc",
        strip_comments=True,
    )
    return mark_safe(clean)  # sanitised by nh3 just above


def mentioned_ids(text: str) -> set[int]:
    return {int(m.group(2)) for m in MENTION.finditer(text or "")}

"""A notification's body as plain text: bodies quote comments written in Markdown, and the inbox shows
text, not "**today**" or "[the plan](https://…)". The Markdown is rendered, then every tag is dropped."""

import html
import re

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)
_BLANK_LINES = re.compile(r"\n{3,}")
_BLOCK_END = re.compile(r"</(?:p|h[1-6]|blockquote|pre|ul|ol|table)>\n?")
_ITEM_END = re.compile(r"</(?:li|tr)>\n?")
_SPACES = re.compile(r"[ \t]+")


def plain_text(markdown: str) -> str:
    """The text a reader sees once the Markdown is rendered: no markup, paragraphs on their own lines."""
    if not markdown:
        return ""
    rendered = _md.render(markdown).replace("<br />", "\n")
    rendered = _ITEM_END.sub("\n", _BLOCK_END.sub("\n\n", rendered))
    text = html.unescape(nh3.clean(rendered, tags=set(), strip_comments=True))
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()

"""Notice text is HTML from a worker's editor: kept to simple formatting, never a script.

nh3 (the Rust `ammonia` sanitiser) keeps an allow-list of tags and attributes and drops
everything else with its content where it could run (script, style), so a pasted page or a
crafted body cannot put script, event handlers or `javascript:` links in front of residents.
"""

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "blockquote",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def clean_html(text: str) -> str:
    return nh3.clean(
        text or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def plain_text(html: str) -> str:
    """The words of a sanitised body (for an inbox message or an Excel cell)."""
    return nh3.clean(html or "", tags=set()).strip()

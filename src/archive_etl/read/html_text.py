"""HTML saved as a text file: recognise it, and keep only the text a reader would see, in lines.

Scrapers sometimes saved the whole page instead of its text. Its paragraphs are the HTML block
elements, not the source's line breaks, so the markup is read with the standard library's
html.parser: block elements end lines, scripts, styles and the page head (except its title) are
dropped, entities are unescaped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Elements whose start and end break the line.
BLOCK = _words(
    """
    p div br h1 h2 h3 h4 h5 h6 li tr title ul ol dl dt dd table thead tbody tfoot caption
    blockquote pre hr section article header footer nav aside main figure figcaption address
    form fieldset legend details summary
    """
)
# Elements whose content is never text a reader sees.
HIDDEN = _words("script style noscript template head iframe object svg math select option")
_CELL = frozenset({"td", "th"})
_KNOWN_TAG = re.compile(
    r"</?(?:html|head|body|title|meta|link|script|style|p|div|span|br|h[1-6]|a|b|i|em|strong|"
    r"ul|ol|li|table|tr|td|th|img)\b[^<>]{0,2000}>",
    re.IGNORECASE,
)
_DOCUMENT_START = ("<!doctype html", "<html", "<head", "<body", "<?xml")
_SPACE = re.compile(r"[ \t\r\n\f\v]+")


def looks_like_html(text: str) -> bool:
    """A saved web page: starts like one, or carries several HTML tags (a stray '<' does not count)."""
    if "<" not in text:
        return False
    if text[:1024].lstrip().lower().startswith(_DOCUMENT_START):
        return True
    # Stop at the fifth tag: a long page need not be scanned to the end.
    return sum(1 for _, _ in zip(range(5), _KNOWN_TAG.finditer(text), strict=False)) >= 5


class _TextOf(HTMLParser):
    """Collects the visible text, one line per block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.line: list[str] = []
        self.hidden: list[str] = []  # open hidden elements, innermost last
        self.in_title = False
        self.pre = 0

    def _break(self) -> None:
        text = "".join(self.line)
        if not self.pre:
            text = _SPACE.sub(" ", text)
        for line in text.split("\n"):
            if line.strip():
                self.lines.append(line.strip())
        self.line = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._break()
            self.in_title = True
        elif tag == "body" and "head" in self.hidden:
            # The body closes a head whose end tag was left out.
            del self.hidden[self.hidden.index("head") :]
        elif tag in HIDDEN:
            self.hidden.append(tag)
        elif tag in BLOCK:
            self._break()
            if tag == "pre":
                self.pre += 1
        elif tag in _CELL:
            self.line.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._break()
            self.in_title = False
        elif tag in HIDDEN:
            # Close up to the matching start; a missing end tag (e.g. <head> left open) is forgiven.
            if tag in self.hidden:
                while self.hidden and self.hidden.pop() != tag:
                    pass
        elif tag in BLOCK:
            self._break()
            if tag == "pre" and self.pre:
                self.pre -= 1

    def handle_data(self, data: str) -> None:
        if self.in_title or not self.hidden:
            self.line.append(data)

    def text(self) -> str:
        self.close()
        self._break()
        return "\n".join(self.lines) + ("\n" if self.lines else "")


def html_to_text(html: str) -> str:
    """The visible text of an HTML page, one block element per line (empty if there is none)."""
    parser = _TextOf()
    parser.feed(html)
    return parser.text()

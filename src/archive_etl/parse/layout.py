"""Page layout: which header an article has, and the `kind` of each paragraph.

Pure Polars: per-paragraph regex flags, then per-article positions found with window
expressions (`.over("article_id")`), then one `when/then` chain. No Python per line.

The formats, tried in this order (`header_format`):
- 'A': category, title, "Ngày đăng DD/MM/YYYY | HH:MM | Lượt xem: N" (the seeds);
- 'B': rubric, title ending "(HH:MM DD/MM/YYYY)", source-tagged lead (the seeds);
- 'legal': issuer, national motto, "Luật số: ...", "Hà Nội, ngày .. tháng .. năm ..", the
  document's name in capitals, then "Chương", "Mục", "Điều N." headings and numbered clauses;
- 'key_value': `# key = value` metadata lines, then a title-first page (Dantri);
- 'title_first': a headline line, a lead, the body (baomoi);
- 'none': nothing recognised; read as title-first all the same.
`# key = value` lines at the top are metadata (`header`) whatever format follows them.
"""

from __future__ import annotations

import polars as pl

from archive_etl.parse.lexicon import LEGAL_TITLES

# Headers appear at the top; looking further only invites false matches in the body.
HEADER_WINDOW = 6
# A legal document's name comes after its issuer, motto, number, date and session lines.
LEGAL_WINDOW = 25
# A legal document's name runs over at most this many lines ("LUẬT" / "ĐIỆN LỰC").
LEGAL_TITLE_LINES = 4
# A line this long is prose whatever its punctuation: never a caption, byline or boilerplate.
SHORT_LINE = 200
# Right after the header, an unpunctuated line longer than this is the lead (some sites drop
# the lead's final stop); a shorter one is a photo caption above it.
LEAD_OVER_CAPTION = 120
# A closing "Theo ..." / "Nguồn ..." line names a source in a few words, not a sentence.
SOURCE_LINE_MAX = 80
# How far from the end of the content a closing source line or signature may stand.
CLOSING_LINES = 3

# `# key = value` metadata ("# url = https://...", "# date = 20201001").
KEY_VALUE = r"^#\s*(?P<key>[\p{L}_][\p{L}\p{N}_.\-]*)\s*=\s*(?P<value>.*)$"
# Format A: "Ngày đăng 14/12/2021 | 16:30  | Lượt xem: 1580". Any digits after the label make
# the dateline, valid or not ("Ngày đăng 31/02/2021"): reading them is articles.py's job, which
# warns about what it cannot read instead of letting the line fall into the body.
DATELINE_A_PREFIX = r"^Ngày\s+đăng\s*:?\s*"
# Digits of any script count here (`\p{Nd}`); they are read as [0-9] only, or warned about.
DATELINE_A = DATELINE_A_PREFIX + r"\p{Nd}"
# Format B: the title ends in "(12:48 29/11/2020)"; the digits are checked when read, not here.
TITLE_STAMP_B = r"\s*\(\s*(?P<time>[0-9]+:[0-9]+)\s+(?P<date>[0-9]+/[0-9]+/[0-9]+)\s*\)$"
# Format B's lead opens with an agency tag: "HNP - ..."
SOURCE_TAG = r"^(\p{Lu}{2,10})\s+[-–—]\s+"

# Legal documents. The motto block: "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do -
# Hạnh phúc" (a Party document has "ĐẢNG CỘNG SẢN VIỆT NAM"), and rules of '*' or '-'.
LEGAL_MOTTO = (
    r"(?i)^(?:cộng\s+h(?:oà|òa|oa)\s+xã\s+hội\s+chủ\s+nghĩa\s+việt\s+nam|độc\s+lập\s*[-–—]\s*tự\s+do\s*[-–—]"
    r"\s*hạnh\s+phúc|đảng\s+cộng\s+sản\s+việt\s+nam)\W*$"
)
RULE = r"^[\s*\-–—_=~.•]+$"
# "Luật số: 28/2004/QH 11", "Số: 14/2003/QH11", "Số 15-NQ/TU".
LEGAL_NUMBER = r"^(?:\p{L}+(?:\s+\p{L}+)?\s+)?[Ss]ố\s*:?\s*[0-9]"
# "Hà Nội, ngày03 tháng 12 năm 2004" (spacing as found); the place may be missing.
LEGAL_DATE = (
    r"(?i)^(?:[\p{L} .]+,\s*)?ngày\s*(?P<d>[0-9]{1,2})\s*tháng\s*(?P<m>[0-9]{1,2})\s*năm\s*(?P<y>[0-9]{4})"
)
# The date phrase alone, as written, to quote when it cannot be read.
LEGAL_DATE_PHRASE = r"(?i)ngày\s*[0-9]{1,2}\s*tháng\s*[0-9]{1,2}\s*năm\s*[0-9]{4}"
# The session that passed it: "KHÓA XI, KỲ HỌP THỨ 9", "(Từ ngày 16 tháng 5 đến ngày 29 ...)".
LEGAL_SESSION = r"(?i)^(?:khoá|khóa)\s+[IVXLC0-9]+\b|^\(\s*từ\s+ngày\b"
# The document's name opens with its type, in capitals: "LUẬT", "BỘ LUẬT", "NGHỊ ĐỊNH", ...
LEGAL_TITLE = r"^(?:" + "|".join(LEGAL_TITLES) + r")\b"
# Section headings: "Phần thứ nhất", "Chương I", "Chương 1:", "Mục 2", "Điều 5. Quyền ...".
HEADING = (
    r"(?i)^(?:phần\s+(?:thứ\s+\p{L}+|[IVXLC]+|[0-9]+)|chương\s+(?:[IVXLC]+|[0-9]+)|mục\s+(?:[IVXLC]+|[0-9]+))"
    r"\s*(?:[.:\-–]|$)|^Điều\s+[0-9]+[a-zđ]?\s*(?:[.:]|$)"
)
# A line in capitals only (two words at least): a section's name, or a news sub-heading.
CAPITALS = r"^[^\p{Ll}]*\p{Lu}[^\p{Ll}]*\s[^\p{Ll}]*\p{Lu}[^\p{Ll}]*$"
# The signature under a legal document: "CHỦ TỊCH QUỐC HỘI", "KT. BỘ TRƯỞNG", "(Đã ký)".
SIGNATURE = r"(?i)^\(?\s*đã\s+ký\s*\)?$|^(?:TM|KT|TL|TUQ|Q)\.\s"

LIST_ITEM = r"^(?:\(\d{1,3}\)|\(?[a-zđ]\)\s|\d{1,3}[.)](?:\s|$)|[-–—•+*]\s)"
SOURCE_LINE = r"^(?:Nguồn|Theo nguồn)\s*:"
# A closing source line of a title-first page: "Theo Trí Thức Trẻ", "Nguồn VFF Channel",
# "(Theo VnExpress)", "(tổng hợp)".
CLOSING_SOURCE = r"(?i)^\(?\s*(?:theo|nguồn)\s*:?\s+[^,;]+$|^\(\s*(?:tổng\s+hợp|th)\s*\)$"
# Where the article ends and the web page's furniture (related links, comment form) begins.
BOILERPLATE_START = (
    r"(?i)^(?:Các bài mới đăng|Các bài đã đăng|Bài viết liên quan|Tin liên quan|Tin cùng chuyên mục"
    r"|Tin khác|Viết bình luận|Gửi bình luận|Ý kiến bạn đọc|Tin bài liên quan|Bài liên quan"
    r"|Có thể bạn quan tâm|Tin cùng chủ đề|Đọc tiếp|Xem tiếp|Các tin khác|Tin mới nhất|Tin nổi bật"
    r"|Đọc nhiều nhất|Xem nhiều nhất)\b"
)
# A single link to another article inside the page: ">> Xem thêm: ...", "Xem thêm: ...".
LINK_LINE = r"(?i)^(?:>>|»|\+\+)|^(?:>>\s*)?(?:xem\s+thêm|đọc\s+thêm|xem\s+tiếp|tin\s+liên\s+quan)\s*[:>»]"
# Sentences end in punctuation; captions and headings do not.
TERMINAL = r"[.!?;…\"”»'’]$"
PHOTO_WORD = r"(?i)\b(?:ảnh|hình|video|clip)\b"
# A photo credit marks a caption whatever its punctuation: "Trường mầm non X (Ảnh: Văn Chuyên).",
# "(Ảnh: AFP)", "... - Ảnh: Wbj7".
PHOTO_CREDIT = (
    r"(?i)\(\s*(?:ảnh|nguồn ảnh|ảnh minh hoạ|ảnh minh họa|video|clip)\s*:[^)]*\)\W*$|[-–—]\s*ảnh\s*:\s*[^.]+$"
)
# A byline is a person's name: two to five capitalised syllables, nothing else.
NAME = r"^\p{Lu}\p{Ll}*(?:\s\p{Lu}\p{Ll}*){1,4}$"
NAME_MAX = 40
# Reporters of a title-first page, sometimes with the photographer: "Minh Anh - Bá Khải".
NAMES = r"^\p{Lu}\p{Ll}*(?:\s\p{Lu}\p{Ll}*){1,4}(?:\s*[-–,]\s*\p{Lu}\p{Ll}*(?:\s\p{Lu}\p{Ll}*){1,4})*$"

# Formats whose page is a title, maybe a lead, and the body: no header of their own.
PLAIN_FORMATS = ("key_value", "title_first", "none")


def _text_facts() -> dict[str, pl.Expr]:
    """What the layout rules ask of a paragraph's text alone: found once per distinct text (news
    pages repeat bylines, captions and furniture), then joined to every paragraph with it."""
    text = pl.col("text")
    return {
        "_f_kv": text.str.contains(KEY_VALUE),
        "_f_dateline_a": text.str.contains(DATELINE_A),
        "_f_stamp_b": text.str.contains(TITLE_STAMP_B),
        "_f_motto": text.str.contains(LEGAL_MOTTO),
        "_f_legal_title": text.str.contains(LEGAL_TITLE),
        "_f_lower": text.str.contains(r"\p{Ll}"),
        "_f_about": text.str.contains(r"^(?:về|V/v|v/v)\s"),
        "_f_len": text.str.len_chars(),
        "_f_heading": text.str.contains(HEADING),
        "_f_capitals": text.str.contains(CAPITALS),
        "_f_rule": text.str.contains(RULE),
        "_f_legal_number": text.str.contains(LEGAL_NUMBER),
        "_f_legal_date": text.str.contains(LEGAL_DATE),
        "_f_legal_session": text.str.contains(LEGAL_SESSION),
        "_f_list_item": text.str.contains(LIST_ITEM),
        "_f_signature": text.str.contains(SIGNATURE),
        "_f_name": text.str.contains(NAME),
        "_f_names": text.str.contains(NAMES),
        "_f_boilerplate_start": text.str.contains(BOILERPLATE_START),
        "_f_link": text.str.contains(LINK_LINE),
        "_f_source_line": text.str.contains(SOURCE_LINE),
        "_f_closing_source": text.str.contains(CLOSING_SOURCE),
        "_f_photo_credit": text.str.contains(PHOTO_CREDIT),
        "_f_terminal": text.str.contains(TERMINAL),
        "_f_photo_word": text.str.contains(PHOTO_WORD),
        "_f_colon": text.str.ends_with(":"),
        "_f_space": text.str.contains(r"\s"),
        "_f_source_tag": text.str.contains(SOURCE_TAG),
    }


def _fact(name: str) -> pl.Expr:
    return pl.col(f"_f_{name}")


# Paragraphs come grouped by article: windows run over the article's number in the batch (an
# integer) rather than its id (a string hashed for every row).
_ARTICLE = "_art"


def _first_position(condition: pl.Expr) -> pl.Expr:
    """Per article, the first paragraph_no where `condition` holds (null if never)."""
    return pl.when(condition).then(pl.col("paragraph_no")).min().over(_ARTICLE)


def _last_position(condition: pl.Expr) -> pl.Expr:
    """Per article, the last paragraph_no where `condition` holds (null if never)."""
    return pl.when(condition).then(pl.col("paragraph_no")).max().over(_ARTICLE)


def _positions(paragraphs: pl.LazyFrame) -> pl.LazyFrame:
    """Per article: where the metadata lines end and where each format's header stands."""
    p = pl.col("paragraph_no")
    last = p.max().over(_ARTICLE)
    frame = paragraphs.with_columns(
        # The `# key = value` lines that open the text (all of it, when nothing else follows).
        _kv_end=pl.coalesce(_first_position(~_fact("kv")) - 1, last),
    )
    r = p - pl.col("_kv_end")  # position after the metadata lines
    top = (r >= 1) & (r <= HEADER_WINDOW)
    frame = frame.with_columns(
        _a=_first_position(top & _fact("dateline_a")),
        _b=_first_position(top & _fact("stamp_b")),
        _motto=_first_position((r >= 1) & (r <= LEGAL_WINDOW) & _fact("motto")),
    )
    frame = frame.with_columns(
        _legal_title=_first_position(
            (p > pl.col("_motto")) & (r <= LEGAL_WINDOW) & _fact("legal_title") & ~_fact("lower")
        ),
    )
    # The name runs on over the following lines in capitals, or a line saying what it is about
    # ("NGHỊ QUYẾT" / "về tăng cường ..."): at most LEGAL_TITLE_LINES in all.
    in_name_run = (p > pl.col("_legal_title")) & (p < pl.col("_legal_title") + LEGAL_TITLE_LINES)
    name_line = ~_fact("lower") | _fact("about")
    return frame.with_columns(
        _legal_title_end=pl.coalesce(
            _first_position(in_name_run & ~name_line) - 1,
            pl.min_horizontal(pl.col("_legal_title") + LEGAL_TITLE_LINES - 1, last),
        ),
        _first_line_long=(
            pl.when(r == 1).then(_fact("len") > SHORT_LINE).max().over(_ARTICLE).fill_null(True)
        ),
        _lines_after_kv=last - pl.col("_kv_end"),
    )


def _header_format() -> pl.Expr:
    legal = pl.col("_legal_title").is_not_null()
    return (
        pl.when(pl.col("_a").is_not_null())
        .then(pl.lit("A"))
        .when(pl.col("_b").is_not_null())
        .then(pl.lit("B"))
        .when(legal)
        .then(pl.lit("legal"))
        .when(pl.col("_kv_end") > 0)
        .then(pl.lit("key_value"))
        .when(~pl.col("_first_line_long") & (pl.col("_lines_after_kv") >= 2))
        .then(pl.lit("title_first"))
        .otherwise(pl.lit("none"))
    )


def _legal_kind() -> pl.Expr:
    """The kind of a paragraph of a legal document (null for what the news rules decide)."""
    p = pl.col("paragraph_no")
    start, end = pl.col("_legal_title"), pl.col("_legal_title_end")
    capitals = _fact("capitals") & (_fact("len") <= SHORT_LINE)
    # The name of a part, chapter or section stands on the line after its number.
    after_heading = pl.col("_prev_heading").fill_null(False) & capitals
    signature = p > pl.col("_last_unsigned")
    return (
        pl.when(p < start)
        .then(
            pl.when(_fact("motto") | _fact("rule"))
            .then(pl.lit("boilerplate"))
            .when(_fact("legal_number") | _fact("legal_date") | _fact("legal_session"))
            .then(pl.lit("dateline"))
            .otherwise(pl.lit("category"))
        )
        .when(p <= end)
        .then(pl.lit("title"))
        .when(_fact("heading") | after_heading | (capitals & ~signature))
        .then(pl.lit("heading"))
        .when(signature)
        .then(pl.lit("byline"))
        .when(_fact("list_item"))
        .then(pl.lit("list_item"))
        .when(_fact("rule"))
        .then(pl.lit("boilerplate"))
        .otherwise(pl.lit("body"))
    )


def _news_kind() -> pl.Expr:
    """The kind of a paragraph of a news page (formats A, B, key_value, title_first, none)."""
    p = pl.col("paragraph_no")
    fmt = pl.col("header_format")
    header_end = pl.col("_header_end")
    length = _fact("len")
    is_short = length <= SHORT_LINE
    caption_like = is_short & ~_fact("terminal") & (~_fact("colon") | _fact("photo_word")) & _fact("space")
    plain = fmt.is_in(PLAIN_FORMATS)
    closing = plain & (p > pl.col("_last_content") - CLOSING_LINES) & (p > header_end + 1)
    return (
        pl.when((fmt == "A") & (p == header_end))
        .then(pl.lit("dateline"))
        .when((fmt == "A") & (p == header_end - 1))
        .then(pl.lit("title"))
        .when((fmt == "A") & (p < header_end - 1))
        .then(pl.lit("category"))
        .when((fmt == "B") & (p == header_end))
        .then(pl.lit("title"))
        .when((fmt == "B") & (p < header_end))
        .then(pl.lit("category"))
        .when(plain & (p == header_end))
        .then(pl.lit("title"))
        # Page furniture after the article
        .when((p >= pl.col("_tail")) & is_short)
        .then(pl.lit("boilerplate"))
        .when(plain & is_short & _fact("link"))
        .then(pl.lit("boilerplate"))
        .when(_fact("source_line"))
        .then(pl.lit("source"))
        .when(closing & (length <= SOURCE_LINE_MAX) & _fact("closing_source"))
        .then(pl.lit("source"))
        .when((p == pl.col("_last_content")) & _fact("name") & (length <= NAME_MAX))
        .then(pl.lit("byline"))
        .when(closing & (length <= NAME_MAX + 20) & _fact("names"))
        .then(pl.lit("byline"))
        # Body
        .when(_fact("list_item"))
        .then(pl.lit("list_item"))
        .when(is_short & _fact("photo_credit"))
        .then(pl.lit("caption"))
        .when((p == header_end + 1) & plain & (_fact("lower") | ~is_short))
        .then(pl.lit("lead"))
        .when((p == header_end + 1) & (_fact("source_tag") | ~caption_like | (length > LEAD_OVER_CAPTION)))
        .then(pl.lit("lead"))
        .when(plain & caption_like & _fact("capitals"))
        .then(pl.lit("heading"))
        .when(caption_like)
        .then(pl.lit("caption"))
        .otherwise(pl.lit("body"))
    )


def classify(paragraphs: pl.LazyFrame) -> pl.LazyFrame:
    """Add `header_format` and `kind` to paragraphs (`article_id`, `paragraph_no`, `text`),
    grouped by article in paragraph order."""
    p = pl.col("paragraph_no")
    facts = paragraphs.select(pl.col("text").unique()).with_columns(**_text_facts())
    article = pl.col("article_id")
    frame = paragraphs.with_columns(_art=(article != article.shift(1)).fill_null(True).cum_sum()).join(
        facts, on="text", how="left", maintain_order="left"
    )
    frame = _positions(frame).with_columns(header_format=_header_format())
    fmt = pl.col("header_format")
    frame = frame.with_columns(
        _header_end=pl.when(fmt == "A")
        .then(pl.col("_a"))
        .when(fmt == "B")
        .then(pl.col("_b"))
        .otherwise(pl.col("_kv_end") + 1),
        # Legal: was the line before a "Chương I" / "Mục 2" heading; where the signature starts.
        _prev_heading=_fact("heading").shift(1).over(_ARTICLE),
        _last_unsigned=_last_position(
            ~(
                _fact("signature")
                | (_fact("name") & (_fact("len") <= NAME_MAX))
                | (_fact("capitals") & (_fact("len") <= NAME_MAX + 20))
            )
        ),
    )
    frame = frame.with_columns(
        _tail=_first_position((p > pl.col("_header_end")) & _fact("boilerplate_start")),
    ).with_columns(
        _last_content=pl.coalesce(pl.col("_tail") - 1, p.max().over(_ARTICLE)),
    )
    kind = (
        pl.when(p <= pl.col("_kv_end"))
        .then(pl.lit("header"))
        .when(fmt == "legal")
        .then(_legal_kind())
        .otherwise(_news_kind())
    )
    helpers = [c for c in frame.collect_schema().names() if c.startswith("_")]
    return frame.with_columns(kind=kind).drop(helpers)

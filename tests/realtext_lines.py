"""A hypothesis strategy for lines shaped like real Vietnamese news and legal text.

Words, and numbers written every way real pages write them: digits with '.', ',', '/', ':', '-',
'–' and spaces between them, percentages, units, brackets, ranges ("38-40 độ", "20 - 50%"),
scores ("2-1 (7-6, 3-6)"), dates, times, codes ("15-NQ/TU"), other scripts' digits; and the
lines that open a header: `# key = value`, "Ngày đăng ...", the legal motto, "Điều 5.", ...
"""

from __future__ import annotations

import re

from hypothesis import strategies as st

# Words of news and legal text, as one string: easier to extend than a list.
_WORDS = (
    "người đồng chí Hội nghị Quận ủy Quận uỷ tăng giảm còn lên đạt khoảng gần hơn trên dưới "
    "từ đến năm tháng ngày số lượt hộ xã phường tỷ lệ giá thu nhập mức tuổi cao nặng dài rộng "
    "nhiệt độ trận tỷ số thắng hòa bàn thua hiệp vòng lớp khóa khoá Điều Chương Mục Luật Nghị "
    "quyết Quyết định Kế hoạch Thông tư Covid U23 SEA Games iPhone Porsche Theo Nguồn Ảnh "
    "Video và của với chỉ tiêu nhiệm vụ trường hợp học sinh bệnh nhân ha km m cm kg tấn lít "
    "độ C °C USD đồng/kg km/giờ %/năm triệu tỷ tỉ nghìn ngàn vạn inch ml GB MW Hà Nội TP.HCM "
    "Đ/c ông bà"
)
WORDS = tuple(_WORDS.split())
UNITS = ("%", " %", " người", " độ", " độ C", "°C", " cm", " kg", "m", " ha", " tỷ đồng", " triệu",
         " đồng/kg", " km/giờ", "%/năm", " USD", " inch", " ml", "", "", "")  # fmt: skip
SEPARATORS = (".", ",", "/", ":", "-", "–", " - ", " – ", " ", ", ", "/ ")
# The digits of other scripts, which a `\d` would take for numbers.
FOREIGN_DIGITS = ("١٢", "１２", "৩", "߂")

RANGE = re.compile(r"\d+(?:[.,]\d+)?\s*[-–]\s*\d+(?:[.,]\d+)?\s*(?:%|độ|cm|kg|m\b|ha|người|tỷ|triệu)")
SCORE = re.compile(r"(?:tỷ số|thắng|hòa|thua)\s+\d+\s*[-–]\s*\d+")

digits = st.integers(min_value=0, max_value=10**7).map(str) | st.sampled_from(
    ("0", "00", "05", "16", "2021", "1.773", "101,53", "98.2", "1,234,567", "9" * 30)
)


@st.composite
def number(draw: st.DrawFn) -> str:
    """A number as real text writes it, glued to its unit or not."""
    parts = [draw(digits) for _ in range(draw(st.integers(1, 4)))]
    seps = [draw(st.sampled_from(SEPARATORS)) for _ in parts[1:]]
    text = parts[0] + "".join(s + p for s, p in zip(seps, parts[1:], strict=True))
    return text + draw(st.sampled_from(UNITS))


shaped = st.sampled_from(
    (
        "38-40 độ C",
        "từ 20-50%",
        "26-35 cm",
        "60 - 70 kg",
        "3-4 ly",
        "tỷ số 2-1 (7-6, 3-6, 9-7)",
        "thắng 3-0",
        "hòa 1 - 1",
        "14/12/2021",
        "6.2",
        "16h30",
        "19:00",
        "1/10",
        "2015/16",
        "15-NQ/TU",
        "59/2020/QH14",
        "2200-QĐ/TU",
        "Covid-19",
        "1m63",
        "5.8 inch",
        "208,8 yên (tương đương 1,9 USD)/kg",
        "16/16 chỉ tiêu",
        "3370/3.432 đơn",
        "gấp 5 lần",
        "1,2 triệu người",
        "2,5 tỷ đồng",
        "(1)",
        "a)",
        "2.",
        "-",
        "(",
        ")",
        "“",
        "”",
        "…",
        *FOREIGN_DIGITS,
    )
)
token = st.sampled_from(WORDS) | number() | shaped
sentence = st.lists(token, min_size=1, max_size=14).map(" ".join)
header_line = st.sampled_from(
    (
        "# doc_id = news_{}",
        "# url = https://dantri.com.vn/{}.htm",
        "# date = {}",
        "# title = {}",
        "# key = {}",
        "Ngày đăng {} | 16:30  | Lượt xem: {}",
        "Tiêu đề ({} 29/11/2020)",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Luật số: {}",
        "Hà Nội, ngày{} tháng {} năm {}",
        "LUẬT",
        "NGHỊ QUYẾT {}",
        "Chương {}",
        "Điều {}. {}",
        "Mục {}",
        "(Ảnh: {})",
        "Theo {}",
        "Nguồn: {}",
        "Tin liên quan",
        ">> Xem thêm: {}",
        "CHỦ TỊCH QUỐC HỘI",
        "(Đã ký)",
    )
)


@st.composite
def line(draw: st.DrawFn) -> str:
    """A line of a page: a sentence, or a header-shaped line with sentences in its slots."""
    if draw(st.booleans()):
        return draw(sentence)
    template = draw(header_line)
    return template.format(*(draw(sentence | number()) for _ in range(template.count("{}"))))


# A page: a few lines, blank ones among them, with LF or CRLF.
page = st.lists(line() | st.just(""), min_size=1, max_size=10).map("\n".join)

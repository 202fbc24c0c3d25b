"""Vietnamese words the metric rules look for, lowercase NFC, both tone-mark styles where they differ.

Kept apart from the rules so that a reader can extend a list without reading regexes.
"""

from __future__ import annotations


def _both_tone_styles(words: set[str]) -> frozenset[str]:
    """Add the old-style spelling ("uỷ", "khoá", "hoà") of each word next to the new one, and back."""
    pairs = {
        "ủy": "uỷ",
        "úy": "uý",
        "ùy": "uỳ",
        "ũy": "uỹ",
        "ụy": "uỵ",
        "óa": "oá",
        "òa": "oà",
        "ỏa": "oả",
        "õa": "oã",
        "ọa": "oạ",
    }
    out = set(words)
    for word in words:
        for new, old in pairs.items():
            out.add(word.replace(new, old))
            out.add(word.replace(old, new))
    return frozenset(out)


# Units of two syllables, checked before the one-syllable classifiers ("trường hợp" before "trường").
TWO_SYLLABLE_UNITS = _both_tone_styles(
    {
        "chỉ tiêu",
        "trường hợp",
        "chương trình",
        "đảng viên",
        "đồng chí",
        "hội nghị",
        "ý kiến",
        "bài viết",
        "kế hoạch",
        "quy trình",
        "đơn vị",
        "nhiệm vụ",
        "vụ việc",
        "nội dung",
        "tuyến phố",
        "vấn đề",
        "biên chế",
        "đảng bộ",
        "chi bộ",
        "đảng ủy",
        "hướng dẫn",
        "cán bộ",
        "học viên",
        "công trình",
        "dự án",
        "doanh nghiệp",
        "hộ gia đình",
        "gia đình",
        "tổ chức",
        "cơ sở",
        "tập thể",
        "cá nhân",
        "công chức",
        "viên chức",
        "hội viên",
        "đoàn viên",
        "thành viên",
        "học sinh",
        "sinh viên",
        "giáo viên",
        "bệnh nhân",
        "trường học",
        "dân phố",
        "văn bản",
        "tỷ đồng",
        "triệu đồng",
        "nghìn đồng",
        "ngàn đồng",
        "tỉ đồng",
        "đô la",
        "mét vuông",
        "héc ta",
        "giải pháp",
        "mô hình",
        "đề án",
        "cuộc họp",
        "phong trào",
        "tiêu chí",
        "hồ sơ",
        "lao động",
        "việc làm",
        "điểm cầu",
        "hộ kinh doanh",
        "sản phẩm",
        "chuyên đề",
        "tác phẩm",
        "căn hộ",
    }
)
# Words that count things on their own: when one follows the number, it alone is the unit.
CLASSIFIERS = _both_tone_styles(
    {
        "lượt",
        "vụ",
        "lớp",
        "khâu",
        "người",
        "hộ",
        "đơn",
        "trường",
        "phường",
        "xã",
        "quận",
        "huyện",
        "tỉnh",
        "thôn",
        "tổ",
        "đoàn",
        "cuộc",
        "buổi",
        "lần",
        "bài",
        "cái",
        "chiếc",
        "con",
        "căn",
        "suất",
        "phần",
        "gói",
        "bộ",
        "tập",
        "cuốn",
        "cây",
        "điểm",
        "ca",
        "em",
        "cháu",
        "thư",
        "đợt",
        "ngành",
        "cấp",
        "nhóm",
        "khối",
        "nhà",
        "phòng",
        "ban",
        "xe",
        "tàu",
        "công",
        "lô",
        "tuyến",
    }
)
DURATION_UNITS = frozenset(
    {"năm", "tháng", "quý", "tuần", "ngày", "giờ", "phút", "giây", "thập kỷ", "thế kỷ"}
)
MONEY_UNITS = frozenset(
    {
        "đồng",
        "tỷ đồng",
        "tỉ đồng",
        "triệu đồng",
        "nghìn đồng",
        "ngàn đồng",
        "usd",
        "đô la",
        "euro",
        "vnd",
        "vnđ",
    }
)
MEASURE_UNITS = frozenset(
    {
        "ha",
        "héc ta",
        "km",
        "m",
        "m2",
        "m²",
        "m3",
        "m³",
        "mét",
        "mét vuông",
        "cm",
        "mm",
        "kg",
        "tấn",
        "tạ",
        "lít",
        "mw",
        "kw",
        "kwh",
        "mwh",
        "km2",
        "km²",
        "°c",
    }
)

# Words after which a number names a document: "Nghị quyết 15", "Chương trình 01".
DOCUMENT_NOUNS = _both_tone_styles(
    {
        "chương trình",
        "nghị quyết",
        "chỉ thị",
        "quyết định",
        "thông tư",
        "nghị định",
        "kế hoạch",
        "quy định",
        "hướng dẫn",
        "công văn",
        "thông tri",
        "đề án",
        "thông báo",
        "tờ trình",
        "kết luận",
        "văn bản",
        "dự án",
        "báo cáo",
        "công điện",
        "pháp lệnh",
        "phụ lục",
    }
)
DOCUMENT_WORDS = frozenset({"số", "luật", "điều", "khoản", "điểm", "mục", "chương"})
# Words after which a number is part of a name or address: "TDP 14", "ngõ 53", "Covid-19".
NAME_WORDS = _both_tone_styles(
    {
        "tdp",
        "ngõ",
        "ngách",
        "hẻm",
        "kiệt",
        "phòng",
        "tầng",
        "lô",
        "nhà",
        "đường",
        "phố",
        "tổ",
        "xóm",
        "thôn",
        "khu",
        "ấp",
        "đội",
        "cụm",
        "covid",
        "sars-cov",
        "quốc lộ",
        "tỉnh lộ",
        "tuyến",
        "phường",
        "quận",
        "khóa",
        "kho",
        "bến",
        "cổng",
        "hầm",
        "block",
        "tòa",
        "ô",
        "làn",
        "km",
    }
)
# Words after which a number is an ordinal or a level: "lần thứ 09", "mức độ 4", "mũi 3".
ORDINAL_WORDS = frozenset(
    {"thứ", "hạng", "đợt", "kỳ", "khóa", "khoá", "kì", "lần", "mũi", "mức độ", "cấp độ", "giai đoạn", "vòng"}
)
# Words after which a bare day number is a date: "từ ngày 15 đến ngày 16/8".
DAY_WORDS = frozenset({"ngày", "mùng", "hôm"})
VIEW_COUNTER_WORDS = frozenset({"lượt xem", "lượt truy cập", "lượt đọc"})
# Words before a bare "d/m" that make it a date: "ngày 6/11", "sáng 8/9".
DATE_WORDS = frozenset(
    {"ngày", "sáng", "chiều", "tối", "trưa", "đêm", "hôm", "mùng", "từ", "đến", "tới", "tháng", "vào", "hạn"}
)
# Years: words after which a four-digit number is a year even if a noun follows.
YEAR_WORDS = frozenset({"năm", "tháng", "từ", "đến", "tới", "giai đoạn", "kỳ", "niên khóa", "niên khoá"})
PHONE_WORDS = frozenset({"điện thoại", "đt", "sđt", "hotline", "fax", "di động", "tel", "đường dây nóng"})

QUALIFIERS: dict[str, str] = {
    "gần": "approx",
    "khoảng": "approx",
    "xấp xỉ": "approx",
    "chừng": "approx",
    "trên": "over",
    "hơn": "over",
    "ngoài": "over",
    "dưới": "under",
    "chưa đến": "under",
    "chưa tới": "under",
    "không đến": "under",
    "ít nhất": "at_least",
    "tối thiểu": "at_least",
    "tối đa": "at_most",
    "không quá": "at_most",
    "nhiều nhất": "at_most",
}
CHANGES: dict[str, str] = {"tăng": "increase", "giảm": "decrease"}

# Function words that never start a unit.
FUNCTION_WORDS = frozenset(
    {
        "và",
        "của",
        "với",
        "trong",
        "đã",
        "được",
        "là",
        "có",
        "theo",
        "tại",
        "cho",
        "thuộc",
        "đạt",
        "để",
        "về",
        "từ",
        "đến",
        "tới",
        "trên",
        "dưới",
        "các",
        "những",
        "này",
        "đó",
        "khi",
        "nhưng",
        "hoặc",
        "hay",
        "còn",
        "so",
        "nhằm",
        "do",
        "bị",
        "sẽ",
        "đang",
        "vào",
        "ra",
        "lên",
        "xuống",
        "mà",
        "thì",
        "nên",
        "vì",
        "nếu",
        "như",
        "cũng",
        "rất",
        "đều",
        "chỉ",
        "ở",
        "bằng",
        "chiếm",
        "gồm",
        "trong đó",
    }
)

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
        "bị can",
        "bị cáo",
        "bị hại",
        "trưởng phòng",
        "phó phòng",
        "giám đốc",
        "chủ tịch",
        "bí thư",
        "thương hiệu",
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
    {"năm", "tháng", "quý", "tuần", "ngày", "giờ", "tiếng", "phút", "giây", "đêm", "thập kỷ", "thế kỷ",
     "thập niên", "mùa"}
)  # fmt: skip
# Scale words: "2,5 tỷ đồng" is 2 500 000 000 đồng; "nghìn tỷ" is 10^12.
SCALES: dict[str, float] = {
    "nghìn": 1e3,
    "ngàn": 1e3,
    "vạn": 1e4,
    "triệu": 1e6,
    "tỷ": 1e9,
    "tỉ": 1e9,
    "nghìn tỷ": 1e12,
    "ngàn tỷ": 1e12,
    "nghìn tỉ": 1e12,
    "ngàn tỉ": 1e12,
    "triệu tỷ": 1e15,
}
# Currencies: a unit whose first word (or the part before '/': "đồng/kg") is one is money.
CURRENCIES = frozenset(
    {"đồng", "vnd", "vnđ", "usd", "đô", "đôla", "đô-la", "euro", "eur", "yên", "jpy", "bảng", "gbp",
     "tệ", "nhân", "cny", "won", "krw", "baht", "bạt", "ringgit", "rupee", "rúp", "ruble", "franc",
     "peso", "real", "sgd", "aud", "cent", "xu", "$", "€", "£", "¥"}
)  # fmt: skip
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
        "nhân dân tệ",
        "bảng anh",
        "đô la mỹ",
        "đô-la mỹ",
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
        "độ",
        "độ c",
        "độ f",
        "nm",
        "μm",
        "g",
        "gr",
        "gram",
        "gam",
        "mg",
        "yến",
        "ml",
        "l",
        "cm2",
        "cm3",
        "cc",
        "inch",
        "inches",
        "feet",
        "ft",
        "dặm",
        "hải lý",
        "cây số",
        "mã lực",
        "hp",
        "w",
        "watt",
        "gw",
        "gwh",
        "v",
        "kv",
        "mah",
        "gb",
        "mb",
        "tb",
        "kb",
        "ghz",
        "mhz",
        "megapixel",
        "mp",
        "km/h",
        "km/giờ",
        "m/s",
        "vòng/phút",
        "mpg",
        "tuổi",
        "năm tuổi",
        "tháng tuổi",
        "ounce",
        "oz",
        "pound",
        "lbs",
        "calo",
        "kcal",
        "mmhg",
        "ppm",
        "độ richter",
        "richter",
        "hecta",
        "sào",
        "cubic feet",
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
        "ngã",
        "trung ương",
        "bệnh viện",
        "công ty",
        "sư đoàn",
        "trung đoàn",
        "lữ đoàn",
        "quân đoàn",
        "binh đoàn",
        "hạm đội",
        "quân khu",
        "nhà máy",
        "xí nghiệp",
        "phương án",
    }
)
# Words after which a number is an ordinal or a level: "lần thứ 09", "mức độ 4", "mũi 3",
# school grades ("lớp 12"), match parts ("hiệp 1", "séc 3", "phút 90"), shifts and episodes.
ORDINAL_WORDS = frozenset(
    {"thứ", "hạng", "đợt", "kỳ", "khóa", "khoá", "kì", "lần", "mũi", "mức độ", "cấp độ", "giai đoạn", "vòng",
     "lớp", "khối", "hiệp", "séc", "set", "ván", "chặng", "tập", "phần", "ca", "quý", "phút", "tầng",
     "số thứ tự", "mùa", "game", "trang", "nhóm", "báo động", "mở thưởng", "quay số"}
)  # fmt: skip
# Words after which a bare day number is a date: "từ ngày 15 đến ngày 16/8", "mùng 1 Tết".
DAY_WORDS = frozenset({"ngày", "mùng", "hôm"})
VIEW_COUNTER_WORDS = frozenset({"lượt xem", "lượt truy cập", "lượt đọc"})
# Words before a bare "d/m" that make it a date whatever follows: "ngày 6/11", "sáng 8/9".
STRONG_DATE_WORDS = frozenset(
    {"ngày", "sáng", "chiều", "tối", "trưa", "đêm", "hôm", "mùng", "tháng", "rạng sáng", "khuya", "hạn"}
)
# Words before a bare "d/m" that make it a date unless a counted noun follows ("từ 5/6", but
# "có đến 10/11 người" is a ratio).
DATE_WORDS = STRONG_DATE_WORDS | {"từ", "đến", "tới", "vào", "và", "trước", "sau", "qua", "nay"}
# Years: words after which a four-digit number is a year even if a noun follows.
YEAR_WORDS = frozenset({"năm", "tháng", "từ", "đến", "tới", "giai đoạn", "kỳ", "niên khóa", "niên khoá"})
# "thập kỷ 90", "thập niên 80": a decade.
DECADE_WORDS = frozenset({"thập kỷ", "thập kỉ", "thập niên", "thế kỷ", "thế kỉ"})
PHONE_WORDS = frozenset(
    {"điện thoại", "đt", "sđt", "hotline", "fax", "di động", "tel", "đường dây nóng", "số điện thoại"}
)
# Words that end "trong số 12 cây", "tổng số 307 công dân": "số" is then "of the number", not a
# document number.
COUNT_BEFORE_SO = frozenset({"trong", "tổng", "con", "cả", "với", "đa", "phần"})
# Words before a pair "a-b" that make it a score (two counts), not a range.
SCORE_WORDS = _both_tone_styles(
    {"tỷ số", "tỉ số", "thắng", "hòa", "thua", "bại", "hạ", "chung cuộc", "kết quả", "thắng lợi",
     "cầm hòa", "gỡ hòa", "đánh bại", "vùi dập", "đè bẹp", "dẫn", "trận", "cách biệt", "tỷ số chung cuộc",
     "chiến thắng", "trận hòa", "trận thua", "ngược dòng", "thắng đậm", "thua đậm", "bình chọn"}
)  # fmt: skip
# Words after "gấp": "gấp 5 lần" is a ratio.
MULTIPLIER_WORDS = frozenset({"gấp", "gấp đôi", "tăng gấp", "cao gấp", "lớn gấp", "nhiều gấp"})
# "trong vòng 15 năm" is "within", not a round.
NOT_ORDINAL_PAIRS = frozenset({"trong vòng", "vòng trong"})
# Words before a bare "a/b" that make it a share, not a date: "chiếm 2/3", "đạt 3/5".
RATIO_LEADS = frozenset(
    {"chiếm", "hết", "đạt", "bằng", "khoảng", "gần", "hơn", "trên", "dưới", "còn", "được", "là", "có"}
)
# Words that, after "tỷ", "triệu", make a word of their own, not a scale: "tỷ phú", "tỷ lệ".
NOT_SCALE_AFTER = frozenset(
    {"phú", "lệ", "số", "giá", "trọng", "suất", "chứng", "tập", "đô", "phủ", "ông", "hồng"}
)
# Common words that open a sentence, capitalised there but not names: "Cả 2 sẽ ...".
COMMON_WORDS = frozenset(
    {"cả", "mỗi", "tổng", "thêm", "hàng", "mất", "riêng", "tính", "tầm", "chưa", "đủ", "nhiều", "vài", "top",
     "có", "còn", "chỉ", "trong", "tại", "theo", "sau", "trước", "từ", "đến", "những", "các", "khoảng",
     "gần", "hơn", "trên", "dưới", "hết", "lúc", "vào", "ngày", "năm", "tháng", "nay", "hôm", "đó", "này"}
)  # fmt: skip
# Verbs that open with a classifier's syllable: "5/10 công bố điểm" counts no "công".
NOT_UNIT_PAIRS = frozenset({"công bố", "công nhận", "công khai", "lần lượt", "lần đầu"})
# Words that open the next sentence of a page flattened to one line ("... 201,7 Nguồn: VITIC").
SENTENCE_OPENERS = frozenset({"nguồn", "theo", "ảnh", "video", "clip", "giá", "tin", "xem", "đọc", "bài"})
# Words that follow numbers in real text but are never what is counted: verbs, adverbs,
# time and place words ("92 thành thật", "11 giảm", "29 cuối", "01 vẫn tồn", "8 vừa lộ").
NOT_UNITS = frozenset(
    {"giảm", "tăng", "cuối", "đầu", "giữa", "vẫn", "vừa", "dựa", "tính", "sang", "khép", "xả", "hoàn",
     "thành", "thành thật", "mùng", "trước", "sau", "nay", "qua", "lại", "rồi", "mới", "đều", "luôn",
     "nữa", "ngay", "liền", "liên tiếp", "tiếp", "cùng", "chung", "riêng", "thôi", "gần", "hơn", "kém",
     "nhất", "tốt", "trở", "trở lên", "trở xuống", "tuổi trở lên", "đi", "đến", "vào", "ra", "bằng",
     "lần lượt", "diễn", "xuất", "hiện", "đang", "bắt", "bước", "gồm", "chạy", "đạt", "nâng", "hạ",
     "chiếm", "phát", "ghi", "giành", "có", "không", "chưa", "sẽ", "đã", "được", "bị", "thì", "mà",
     "là", "như", "nhưng", "nếu", "khi", "vì", "nên", "hay", "hoặc", "big", "plus", "pro", "max",
     "mini", "tết", "giêng", "chạp", "lễ", "tức", "khiến", "nghiêng", "x", "dùng"}
)  # fmt: skip

QUALIFIERS: dict[str, str] = {
    "gần": "approx",
    "khoảng chừng": "approx",
    "tầm": "approx",
    "ước tính": "approx",
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
# Qualifiers written after the number: "18 tuổi trở lên".
QUALIFIERS_AFTER: dict[str, str] = {"trở lên": "at_least", "trở xuống": "at_most", "trở lại": "at_most"}
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

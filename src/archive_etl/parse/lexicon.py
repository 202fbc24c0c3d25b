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
LINE_OPENERS = frozenset({"nguồn", "theo", "ảnh", "video", "clip", "giá", "tin", "xem", "đọc", "bài"})
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

# The nouns a cited document is named by, lower-case as written (both tone styles), to their
# normalised name (schema.DOC_TYPES): "Nghị quyết số 15-NQ/TU", "Luật số: 59/2020/QH14".
DOC_NOUNS: dict[str, str] = {
    spelling: name
    for name in (
        "Hiến pháp", "Bộ luật", "Luật", "Pháp lệnh", "Nghị quyết", "Nghị định", "Quyết định",
        "Chỉ thị", "Thông tư liên tịch", "Thông tư", "Kết luận", "Quy định", "Quy chế", "Kế hoạch",
        "Chương trình", "Đề án", "Hướng dẫn", "Thông báo", "Thông tri", "Công văn", "Văn bản",
        "Tờ trình", "Báo cáo", "Công điện", "Lệnh",
    )
    for spelling in _both_tone_styles({name.lower(), name.lower().replace("quy ", "qui ")})
}  # fmt: skip
# Words of LAW_NAME_STOP that may sit inside a law's name, though never first: "Luật Hôn nhân và
# gia đình", "Luật Hàng không dân dụng", "Luật Phòng, chống tác hại của rượu, bia".
LAW_NAME_WORDS = frozenset({"và", "không", "về"})
# Words that end a law's name ("Luật Đầu tư được ...", "Luật Đất đai của ..."), and first words
# that make "Luật ..." no law's name ("Luật này", "Luật sư", "luật pháp").
LAW_NAME_STOP = frozenset(
    {"của", "và", "được", "đã", "có", "là", "thì", "để", "sẽ", "theo", "trong", "với", "cho", "không",
     "các", "những", "đến", "tại", "này", "nhằm", "quy", "qui", "số", "hiện", "sửa", "đang", "vừa", "khi",
     "do", "ban", "thông", "trình", "nêu", "bị", "đó", "ở", "như", "hay", "hoặc", "cũng", "vẫn", "nói",
     "chỉ", "cần", "phải", "nay", "từ", "tới", "lần", "sư", "pháp", "lệ", "chơi", "trên", "dưới", "mới",
     "khác", "gì", "nào", "cơ", "mà", "vì", "nên", "nhưng", "rồi", "đều", "về", "năm", "thuộc", "liên",
     "gồm", "áp", "lại", "ra", "đi", "sau", "trước"}
)  # fmt: skip

# --- People (parse/people.py) ---
# Honorifics and ranks written right before a name, as written (case matters: "Anh" at a
# sentence's start is an honorific, "tiếng Anh" is a language and has no name after it).
HONORIFICS = frozenset(
    {"Đồng chí", "đồng chí", "Đ/c", "đ/c", "Đ/C", "ông", "Ông", "bà", "Bà", "anh", "Anh", "chị", "Chị",
     "em", "Em", "cô", "Cô", "chú", "Chú", "cụ", "Cụ", "thầy", "Thầy", "bé", "Bé",
     "GS.TS.", "GS.TS", "GS. TS.", "GS. TS", "GS.TSKH", "PGS.TS.", "PGS.TS", "PGS. TS.", "PGS. TS", "GS.",
     "GS", "PGS.", "PGS", "TS.", "TS", "ThS.", "ThS", "BS.", "BS", "TSKH", "Giáo sư", "giáo sư",
     "Phó Giáo sư", "Phó giáo sư", "Tiến sĩ", "Tiến sỹ", "tiến sĩ", "tiến sỹ", "Thạc sĩ", "thạc sĩ",
     "Bác sĩ", "Bác sỹ", "bác sĩ", "bác sỹ", "Đại tướng", "Thượng tướng", "Trung tướng", "Thiếu tướng",
     "Đại tá", "Thượng tá", "Trung tá", "Thiếu tá", "Đại úy", "Đại uý", "Thượng úy", "Thượng uý",
     "Trung úy", "Trung uý", "Thiếu úy", "Thiếu uý", "đại tướng", "thượng tướng", "trung tướng",
     "thiếu tướng", "đại tá", "thượng tá", "trung tá", "thiếu tá", "đại úy", "đại uý", "thượng úy",
     "trung úy", "thiếu úy", "Hòa thượng", "Hoà thượng", "Thượng tọa", "Thượng toạ", "Đại đức",
     "Ni sư", "Linh mục", "linh mục", "Mục sư", "mục sư"}
)  # fmt: skip
# Posts and professions that name a person's role, lower-case (matched in any case), before
# ("Bộ trưởng Tô Lâm", "HLV Park Hang-seo") or after the name ("Ngô Mạnh Điềm - Phó Bí thư").
ROLE_HEADS = _both_tone_styles(
    {"tổng bí thư", "bí thư", "chủ tịch", "thủ tướng", "bộ trưởng", "thứ trưởng", "trưởng ban",
     "giám đốc", "tổng giám đốc", "chánh án", "viện trưởng", "chánh văn phòng", "chánh thanh tra",
     "cục trưởng", "tổng cục trưởng", "vụ trưởng", "trưởng phòng", "trưởng công an", "trưởng khoa",
     "trưởng đoàn", "trưởng thôn", "trưởng ấp", "trưởng bản", "trưởng trạm", "trưởng đài", "tổ trưởng",
     "đội trưởng", "đại biểu", "đại sứ", "tổng thống", "ngoại trưởng", "thượng nghị sĩ", "hạ nghị sĩ",
     "nghị sĩ", "thống đốc", "thị trưởng", "hiệu trưởng", "chủ nhiệm", "tổng thư ký", "thư ký",
     "người phát ngôn", "phát ngôn viên", "ủy viên", "thành ủy viên", "tỉnh ủy viên", "huyện ủy viên",
     "quận ủy viên", "chỉ huy trưởng", "tư lệnh", "chính ủy", "huấn luyện viên", "hlv", "tiền đạo",
     "hậu vệ", "thủ môn", "tiền vệ", "trung vệ", "cầu thủ", "danh thủ", "ca sĩ", "nhạc sĩ", "diễn viên",
     "đạo diễn", "nhà văn", "nhà thơ", "nhà báo", "họa sĩ", "nghệ sĩ", "nsnd", "nsưt", "ngưt", "người mẫu",
     "hoa hậu", "á hậu", "mc", "võ sĩ", "vận động viên", "vđv", "luật sư", "kiến trúc sư", "kỹ sư",
     "nhà nghiên cứu", "chuyên gia", "ceo", "nhà sáng lập", "đồng sáng lập", "ứng viên", "ứng cử viên",
     "phóng viên", "thẩm phán", "kiểm sát viên", "điều tra viên", "thanh tra viên", "đb", "giảng viên",
     "giáo viên", "tổng biên tập", "biên tập viên", "trợ lý", "cố vấn", "chủ doanh nghiệp", "doanh nhân",
     "nhà sản xuất", "nhà thiết kế", "nhà khoa học", "tổng lãnh sự", "lãnh sự", "chủ tọa", "thủ lĩnh",
     "nữ hoàng", "hoàng tử", "công chúa", "vua", "tổng tư lệnh", "tham mưu trưởng", "chủ nhiệm ủy ban",
     "trưởng đại diện", "trưởng nhóm", "trưởng bộ môn", "trưởng trại", "giám thị", "chủ cửa hàng",
     "chủ quán", "chủ tiệm", "giáo sư", "nhà sử học", "nhà kinh tế", "nhà hoạt động", "nhà tài trợ",
     "giám đốc điều hành", "tiến sĩ", "bác sĩ", "thạc sĩ", "thường vụ",
     # acronyms of Party posts: Thành ủy viên, Tỉnh ủy viên, Ủy viên Ban Thường vụ
     "tuv", "tuv.", "uvbtv", "ubtv"}
)  # fmt: skip
# Written before a role head: "Phó Bí thư", "nguyên Chủ tịch", "tân Bộ trưởng", "nữ diễn viên".
ROLE_PREFIXES = frozenset({"phó", "nguyên", "tân", "cựu", "quyền", "nữ", "nam", "đương kim", "cố"})
# Words that end a role phrase after a name: the verb of the sentence, mostly.
ROLE_STOP_WORDS = frozenset(
    {"chủ trì", "phát biểu", "báo cáo", "cho biết", "cho rằng", "cho hay", "nói", "chia sẻ", "khẳng định",
     "nhấn mạnh", "đề nghị", "yêu cầu", "trao", "tặng", "dự", "tham dự", "kết luận", "điều hành",
     "trả lời", "thông tin", "giới thiệu", "đánh giá", "ký", "đã", "đang", "sẽ", "vừa", "cũng", "là",
     "thì", "được", "bị", "có", "nêu", "trình bày", "quán triệt", "phổ biến", "khai mạc", "bế mạc",
     "lưu ý", "tới", "đến", "cùng", "ra", "tiếp", "làm", "đọc", "nhận", "gửi", "khen", "chúc", "thăm",
     "gặp", "ghi", "không", "chưa", "vẫn", "mới", "lại", "còn", "đều", "luôn", "khi", "nhưng", "mà",
     "rằng", "thông báo", "đề xuất", "thừa nhận", "tuyên bố", "bày tỏ", "lên", "xuống", "đi", "về",
     "và", "với", "trong", "tại", "ở", "sau", "trước", "từ", "cho", "để", "theo", "nhằm", "tiết lộ",
     "phân tích", "giải thích", "kể", "nhớ", "hỏi", "ghi nhận", "kiểm tra", "chỉ đạo", "hướng dẫn",
     "trực tiếp", "đồng thời", "cảm ơn", "xin", "muốn", "đề cập", "lý giải", "công bố"}
)  # fmt: skip
# Words of ROLE_STOP_WORDS that may sit inside an office's name before a person's name:
# "Chủ nhiệm Ủy ban Quốc phòng và An ninh của Quốc hội Võ Trọng Việt".
FUNCTION_WORDS_IN_OFFICES = frozenset({"và", "với", "trong", "tại", "ở", "về", "cho", "từ", "theo"})
# Words that start a post, never a name, though capitalised alone: "các đồng chí Trưởng các đoàn
# thể", "đồng chí Thường vụ quận ủy".
POST_WORDS = frozenset({"Trưởng", "Phó", "Thường", "Chủ", "Tổ", "Ủy", "Uỷ", "Bí", "Chánh", "Tổng"})
# Vietnamese family names (the hundred most common and then some), for finding where a name
# starts after an office ("Giám đốc Sở Y tế Hà Nội Nguyễn Khắc Hiền").
SURNAMES = frozenset(
    {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
     "Ngô", "Dương", "Lý", "Lương", "Đinh", "Trịnh", "Đoàn", "Đào", "Trương", "Lâm", "Mai", "Tô", "Tạ",
     "Hà", "Cao", "Chu", "Lưu", "Vương", "Thái", "Tăng", "Phùng", "Quách", "Lại", "Kiều", "Triệu",
     "Khúc", "Nghiêm", "Thân", "Từ", "Đàm", "Diệp", "La", "Lạc", "Mạc", "Ninh", "Tôn", "Vi", "Âu",
     "Bạch", "Chung", "Đường", "Giang", "Hứa", "Khổng", "Kim", "Lục", "Mã", "Mẫn", "Nông", "Ông",
     "Phí", "Quan", "Sầm", "Tiêu", "Trình", "Ung", "Viên", "Hầu", "Cù", "Hàn", "Lò", "Lã", "Lữ", "Bế",
     "Cấn", "Phương", "Tống", "Nhữ", "Thạch", "Danh", "Kha", "Doãn", "Khuất", "Lều", "Mạnh", "Văn",
     "Châu", "Đậu", "Khương", "Liêu", "Lường", "Nhâm", "Ôn", "Thi", "Trang",
     "Tiết", "Vòng", "Yên", "Đống", "Giáp", "Hán", "Hoa", "Hồng", "Kiêm", "Lỗ", "Quang", "Sơn", "Tào"}
)  # fmt: skip
# Before these, a capitalised run is a place or an institution, not a person: "đường Bà Triệu",
# "tỉnh Thái Bình", "trường THPT Nguyễn Huệ".
PLACE_NOUNS = (
    "đường", "phố", "quận", "huyện", "tỉnh", "xã", "phường", "thị xã", "thị trấn", "thành phố", "TP\\.?",
    "núi", "đảo", "cầu", "chợ", "ấp", "thôn", "làng", "bản", "sông", "hồ", "trường", "THPT", "THCS",
    "tiểu học", "bệnh viện", "công ty", "nhà hát", "sân vận động", "sân", "khu", "tòa nhà", "ngõ",
    "hẻm", "bến", "đền", "chùa", "nhà thờ", "giải", "cúp", "đội", "tuyển",
    "P\\.", "Q\\.", "H\\.", "X\\.", "TX", "TT", "KP",
)  # fmt: skip
# Countries written between a foreign office and its holder: "Tổng thống Mỹ Donald Trump".
COUNTRIES = frozenset(
    {"Mỹ", "Nga", "Pháp", "Anh", "Đức", "Ý", "Trung Quốc", "Nhật Bản", "Nhật", "Hàn Quốc", "Triều Tiên",
     "Ấn Độ", "Úc", "Australia", "Canada", "Ukraine", "Israel", "Iran", "Thái Lan", "Lào", "Campuchia",
     "Indonesia", "Malaysia", "Philippines", "Singapore", "Myanmar", "Brazil", "Argentina", "Tây Ban Nha",
     "Bồ Đào Nha", "Hà Lan", "Bỉ", "Thụy Điển", "Thụy Sĩ", "Ba Lan", "Thổ Nhĩ Kỳ", "Ai Cập", "Cuba",
     "Venezuela", "Mexico", "Saudi Arabia", "Qatar", "Đài Loan", "Hong Kong", "EU", "Liên Hợp Quốc",
     "Việt Nam", "Belarus", "Syria", "Iraq", "Afghanistan", "Pakistan", "Nam Phi", "New Zealand",
     "Chile", "Colombia", "Peru", "Uruguay", "Bờ Biển Ngà", "Nigeria", "Ghana", "Senegal", "Croatia",
     "Serbia", "Áo", "Na Uy", "Đan Mạch", "Phần Lan", "Hy Lạp", "Scotland", "Xứ Wales", "Ireland",
     "Việt", "Hàn", "Triều", "Mông Cổ", "Brunei", "Đông Timor", "Cộng hòa Séc", "Séc",
     "Hungary", "Romania", "Bulgaria", "Slovakia", "Slovenia", "Kenya", "Ethiopia", "Libya", "Yemen",
     "Jordan", "Liban", "Kuwait", "UAE", "Bahrain", "Oman", "Bangladesh", "Sri Lanka", "Nepal", "Bhutan",
     "Azerbaijan", "Kazakhstan", "Uzbekistan", "Armenia", "Gruzia", "Moldova", "Lithuania", "Latvia",
     "Estonia", "Palestine", "Ả Rập Xê Út", "Iceland", "Luxembourg", "Monaco", "Maroc", "Algeria",
     "Tunisia", "Sudan", "Angola", "Mozambique", "Cameroon", "Ecuador", "Bolivia", "Paraguay", "Panama"}
)  # fmt: skip
# Capitalised words that start an institution's name, never a person's: a run starting with one
# is an office ("Sở Y tế", "Bộ Tư pháp", "UBND"), not a name.
ORGANISATION_WORDS = frozenset(
    {"Sở", "Bộ", "Ban", "Cục", "Vụ", "Viện", "Hội", "Đoàn", "Công ty", "Tập đoàn", "Trường", "Tỉnh",
     "Thành phố", "Quận", "Huyện", "Xã", "Phường", "Đảng", "Nhà nước", "Chính phủ", "Quốc hội",
     "Ủy ban", "Uỷ ban", "Tòa", "Toà", "Văn phòng", "Phòng", "Trung tâm", "Học viện", "Đại học",
     "Bệnh viện", "Ngân hàng", "Tổng cục", "Liên đoàn", "Hiệp hội", "Mặt trận", "Công an", "Quân khu",
     "Quân đội", "Thanh tra", "Kiểm toán", "Thành ủy", "Thành uỷ", "Tỉnh ủy", "Tỉnh uỷ", "Huyện ủy",
     "Huyện uỷ", "Quận ủy", "Quận uỷ", "Đảng ủy", "Đảng uỷ", "Câu lạc bộ", "Nhà", "Khu", "Cảng"}
)  # fmt: skip
# Vietnamese provinces, cities and regions, and football clubs: a run that is one of these is
# a place or a team, not a person ("Đại sứ Việt Nam", "HLV Man Utd"), and one that starts with
# one holds an office before a name ("Chủ tịch UBND TP Hà Nội Nguyễn Đức Chung").
PLACES = frozenset(
    {"Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế", "An Giang", "Bà Rịa", "Vũng Tàu", "Bắc Giang",
     "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre", "Bình Định", "Bình Dương", "Bình Phước", "Bình Thuận",
     "Cà Mau", "Cao Bằng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai",
     "Hà Giang", "Hà Nam", "Hà Tĩnh", "Hải Dương", "Hậu Giang", "Hòa Bình", "Hoà Bình", "Hưng Yên",
     "Khánh Hòa", "Khánh Hoà", "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai",
     "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình",
     "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh",
     "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thanh Hoá", "Thừa Thiên", "Tiền Giang", "Trà Vinh",
     "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái", "Sài Gòn", "Hà Thành", "Thủ Đức", "Đông Nam Á",
     "Châu Á", "Châu Âu", "Châu Phi", "Tây Nguyên", "Nam Bộ", "Bắc Bộ", "Trung Bộ", "Miền Bắc",
     "Miền Nam", "Miền Trung", "Đồng bằng sông Cửu Long", "Long Biên", "Cầu Giấy", "Hoàn Kiếm",
     "Ba Đình", "Đống Đa", "Hai Bà Trưng", "Hoàng Mai", "Thanh Xuân", "Tây Hồ", "Hà Đông", "Bắc Từ Liêm",
     "Nam Từ Liêm", "Sơn Trà", "Hải Châu", "Phước Sơn", "Thái Bình Dương", "Đại Tây Dương",
     "Ấn Độ Dương", "Biển Đông", "Tân Bình", "Bình Thạnh", "Gò Vấp", "Phú Nhuận",
     "Man Utd", "Man United", "Man City", "Manchester United", "Manchester City", "Chelsea", "Arsenal",
     "Liverpool", "Tottenham", "Real Madrid", "Barcelona", "Bayern Munich", "Juventus", "Inter Milan",
     "AC Milan", "PSG", "Lyon", "Dortmund", "Atletico Madrid", "West Ham", "Leicester", "Everton",
     "The Blues", "Quỷ đỏ", "Pháo thủ", "Hoàng Anh Gia Lai", "HAGL", "Hà Nội FC", "Viettel", "SLNA"}
)  # fmt: skip
# Words capitalised at a sentence's start that join the capitalised run after them but are no
# part of a name: "Tại Hàn Quốc", "Theo Bộ trưởng", "Khi Nguyễn Văn A".
NAME_OPENERS = frozenset(
    {"Tại", "Theo", "Với", "Trong", "Sau", "Khi", "Về", "Từ", "Ở", "Nhưng", "Và", "Còn", "Cùng", "Đến",
     "Để", "Do", "Vì", "Nếu", "Trước", "Ngoài", "Hiện", "Chiều", "Sáng", "Tối", "Trưa", "Hôm", "Tuy",
     "Dù", "Bởi", "Nhờ", "Qua", "Như", "Các", "Những", "Mọi", "Mỗi", "Riêng", "Đối", "Thay", "Giữa"}
)  # fmt: skip

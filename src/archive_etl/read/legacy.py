"""Legacy Vietnamese encodings: code tables, and the test of whether a decoding reads as Vietnamese.

Before Unicode, Vietnamese text was saved in Windows-1258, VISCII, TCVN3 (the "ABC" fonts) or VNI
(the VNI fonts). All of them put letters on the same high bytes, so any of them "decodes" any
file; only the result tells which one is right. A decoding is accepted when its accented words
are mostly common Vietnamese syllables, one candidate clearly beats the others, and it leaves
(almost) no letters that Vietnamese does not use. Otherwise the file is rejected, never guessed.

The VISCII and TCVN3 tables are those of GNU libc's iconv (VISCII, TCVN5712-1), checked byte for
byte against GNU libiconv; the VNI table agrees with two independent keyboard drivers' tables
(tests/test_decode.py compares with iconv where it is installed).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

_TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")  # none, sắc, huyền, hỏi, ngã, nặng
_LOWER_LETTERS = frozenset(
    unicodedata.normalize("NFC", base + tone) for base in "aăâeêioôơuưy" for tone in _TONES
) | frozenset("abcdefghijklmnopqrstuvwxyzđ")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Every letter written in Vietnamese (and in the foreign words it borrows), both cases.
VIETNAMESE_LETTERS = _LOWER_LETTERS | frozenset(c.upper() for c in _LOWER_LETTERS)

# Frequent syllables of Vietnamese news and administrative prose, each with a diacritic: a right
# decoding turns most accented words into these, a wrong one almost none.
COMMON_SYLLABLES = _words(
    """
    của và các được trong người năm những với cho này đã không thực hiện một có là để đến về
    từ đó khi nhiều phải như cũng nhà nước việt hà nội thành phố quận huyện xã phường tỉnh
    trung ương đảng bộ ủy uỷ nhân dân hội đồng nghị quyết chỉ đạo lãnh cán công tác kết quả
    phát triển tế chính trị văn hóa hoá giáo dục quốc phòng chí bí thư chủ tịch phó tổ chức
    hoạt động kế hoạch nhiệm vụ tiêu đề tình hình thời ngày tháng đầu sau trước mới lớn tốt
    hơn đạt tăng giảm số lượng đơn vị cơ sở ngành cấp địa cộng đoàn thể mặt trận tổng kiểm
    giám sát xây dựng quản lý lí đất đai môi trường điều kiện thông báo cáo tuyên truyền học
    tập làm việc sự phần vào lại còn đang sẽ vẫn rất bằng hoặc nhưng nếu vì nên mà thì trên
    dưới giữa tiếp tục hiệu nâng chất toàn tất cả mỗi chúng tôi đây ấy gì nào đều luôn cùng
    bảo đảm tạo cải cách hành pháp luật quy định đối vùng khu tư tưởng đức phong tấm gương
    đánh giá chương trình dự án ngân sách tài nguyên lực vững mạnh vệ đổi thủ trưởng đại
    biểu biên bản hướng dẫn khai tích cực khó khăn hạn chế giải trọng tâm dung yêu cầu tiến
    độ tuổi gia đình sức khỏe khoẻ doanh nghiệp sản xuất kinh viên thường trực
    """
)
_WORD = re.compile(r"[^\W\d_]+")
MIN_DISTINCT = 5  # fewer common syllables than this, and the text is too short to be sure
SAMPLE = 200_000  # characters read to judge a text: thousands of words, at a bounded cost


@dataclass(frozen=True)
class Reading:
    """How a candidate decoding reads as Vietnamese: its accented words and stray letters."""

    accented: int  # words with at least one non-ASCII letter
    common: int  # of those, common Vietnamese syllables
    distinct: int  # distinct common syllables among them
    foreign: int  # letters Vietnamese does not use (a wrong table leaves these)
    letters: int

    @property
    def share(self) -> float:
        return self.common / self.accented if self.accented else 0.0

    @property
    def sure(self) -> bool:
        """Clearly Vietnamese: enough distinct common syllables, most accented words, no stray letters."""
        stray = self.foreign <= max(2, 0.005 * self.letters)
        return self.distinct >= MIN_DISTINCT and self.share >= 0.3 and stray

    def describe(self) -> str:
        text = f"{self.common} of {self.accented} accented words are common Vietnamese syllables"
        if self.foreign:
            text += f", {self.foreign} letter{'s' * (self.foreign != 1)} Vietnamese does not use"
        return text


def read_as_vietnamese(text: str) -> Reading:
    """Score NFC `text` by its accented words (the only ones a wrong code table changes)."""
    text = text[:SAMPLE]
    accented = common = 0
    distinct: set[str] = set()
    for word in _WORD.findall(text.lower()):
        if word.isascii():
            continue
        accented += 1
        if word in COMMON_SYLLABLES:
            common += 1
            distinct.add(word)
    letters = sum(c.isalpha() for c in text)
    foreign = sum(1 for c in text if c.isalpha() and c not in VIETNAMESE_LETTERS)
    return Reading(accented, common, len(distinct), foreign, letters)


def _charmap(high: str, c0: dict[int, str]) -> str:
    """A 256-character decoding table: ASCII, `c0` replacing some control codes, `high` for 0x80-0xFF."""
    low = [chr(i) for i in range(128)]
    for byte, char in c0.items():
        low[byte] = char
    table = "".join(low) + high
    assert len(table) == 256
    return table


# VISCII (RFC 1456): all 134 precomposed letters; six capitals replace rarely used control codes.
VISCII = _charmap(
    "ẠẮẰẶẤẦẨẬẼẸẾỀỂỄỆỐ"  # 0x80
    "ỒỔỖỘỢỚỜỞỊỎỌỈỦŨỤỲ"  # 0x90
    "Õắằặấầẩậẽẹếềểễệố"  # 0xa0
    "ồổỗỠƠộờởịỰỨỪỬơớƯ"  # 0xb0
    "ÀÁÂÃẢĂẳẵÈÉÊẺÌÍĨỳ"  # 0xc0
    "ĐứÒÓÔạỷừửÙÚỹỵÝỡư"  # 0xd0
    "àáâãảăữẫèéêẻìíĩỉ"  # 0xe0
    "đựòóôõỏọụùúũủýợỮ",  # 0xf0
    {0x02: "Ẳ", 0x05: "Ẵ", 0x06: "Ẫ", 0x14: "Ỷ", 0x19: "Ỹ", 0x1E: "Ỵ"},
)

# TCVN 5712:1993 (VN1, a superset of the VN3 "ABC" fonts' TCVN3): 0xb0-0xb4 are combining tone
# marks, composed by NFC afterwards. VN3 files write toned capitals with the small letters' codes
# (the capital font draws them), so those come out in small letters: the bytes cannot tell.
TCVN3 = _charmap(
    "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨ"  # 0x80
    "ÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ"  # 0x90
    "\u00a0ĂÂÊÔƠƯĐăâêôơưđẰ"  # 0xa0
    "\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴ"  # 0xb0
    "ẮẦẨẪẤỀặầẩẫấậèỂẻẽ"  # 0xc0
    "éẹềểễếệìỉỄẾỒĩíịò"  # 0xd0
    "Ổỏõóọồổỗốộờởỡớợù"  # 0xe0
    "ỖủũúụừửữứựỳỷỹýỵỐ",  # 0xf0
    {
        0x01: "Ú", 0x02: "Ụ", 0x04: "Ừ", 0x05: "Ử", 0x06: "Ữ", 0x11: "Ứ",
        0x12: "Ự", 0x13: "Ỳ", 0x14: "Ỷ", 0x15: "Ỹ", 0x16: "Ý", 0x17: "Ỵ",
    },
)  # fmt: skip

# VNI fonts spell a letter as its base byte followed by a mark byte, both shown here as the
# Windows-1252 characters of those bytes: "aù" is á, "aâ" is â, "aá" is ấ. Per base letter, its
# spelling with no tone, sắc, huyền, hỏi, ngã, nặng; capitals are the same spellings in capitals.
_VNI_SPELLINGS: dict[str, tuple[str, str, str, str, str, str]] = {
    "a": ("a", "aù", "aø", "aû", "aõ", "aï"),
    "â": ("aâ", "aá", "aà", "aå", "aã", "aä"),
    "ă": ("aê", "aé", "aè", "aú", "aü", "aë"),
    "e": ("e", "eù", "eø", "eû", "eõ", "eï"),
    "ê": ("eâ", "eá", "eà", "eå", "eã", "eä"),
    "o": ("o", "où", "oø", "oû", "oõ", "oï"),
    "ô": ("oâ", "oá", "oà", "oå", "oã", "oä"),
    "ơ": ("ô", "ôù", "ôø", "ôû", "ôõ", "ôï"),
    "u": ("u", "uù", "uø", "uû", "uõ", "uï"),
    "ư": ("ö", "öù", "öø", "öû", "öõ", "öï"),
    "i": ("i", "í", "ì", "æ", "ó", "ò"),
    "y": ("y", "yù", "yø", "yû", "yõ", "î"),
}


def _vni_table() -> dict[str, str]:
    table = {"ñ": "đ", "Ñ": "Đ"}
    for base, spellings in _VNI_SPELLINGS.items():
        for tone, spelling in zip(_TONES, spellings, strict=True):
            letter = unicodedata.normalize("NFC", base + tone)
            table[spelling] = letter
            table[spelling.upper()] = letter.upper()
    return {spelling: letter for spelling, letter in table.items() if spelling != letter}


VNI = _vni_table()


@cache
def _vni_spelling() -> re.Pattern[str]:
    """Compiled on first use (it costs milliseconds, and most builds never see a VNI file)."""
    # Two-byte spellings first, so "oâ" is read as ô before "o" could be read alone.
    return re.compile("|".join(sorted(map(re.escape, VNI), key=len, reverse=True)))


# Windows-1252 as VNI files were written with it; its five unassigned bytes pass through.
_SLOPPY_1252 = "".join(
    bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256)
)  # fmt: skip


def decode_vni(data: bytes) -> str:
    """Bytes of a VNI-font file to Unicode text."""
    text, _ = codecs.charmap_decode(data, "strict", _SLOPPY_1252)
    return _vni_spelling().sub(lambda m: VNI[m.group()], text)


def _decode_table(table: str) -> Callable[[bytes], str]:
    def decode(data: bytes) -> str:
        return codecs.charmap_decode(data, "strict", table)[0]

    return decode


def _decode_cp1258(data: bytes) -> str:
    return data.decode("cp1258")


# Name as recorded in source_file.encoding, and the decoder (which may raise UnicodeDecodeError).
ENCODINGS: dict[str, Callable[[bytes], str]] = {
    "Windows-1258": _decode_cp1258,
    "VISCII": _decode_table(VISCII),
    "TCVN3": _decode_table(TCVN3),
    "VNI": decode_vni,
}


@dataclass(frozen=True)
class Guess:
    """The outcome of trying the legacy encodings: the text and its encoding, or why not."""

    text: str | None
    encoding: str | None
    reason: str | None = None


def guess_legacy(data: bytes) -> Guess:
    """Decode `data` in the one legacy encoding that clearly reads as Vietnamese, or say why not."""
    readings: list[tuple[str, str, Reading]] = []
    unassigned: list[str] = []
    for name, decoder in ENCODINGS.items():
        try:
            text = unicodedata.normalize("NFC", decoder(data))
        except UnicodeDecodeError as e:
            unassigned.append(f"{name} has no character for byte {data[e.start]:#04x} (at {e.start})")
            continue
        readings.append((name, text, read_as_vietnamese(text)))
    readings.sort(key=lambda r: (r[2].sure, r[2].share, r[2].distinct), reverse=True)
    why = _why_not(readings)
    if why is None:
        name, text, _ = readings[0]
        return Guess(text, name)
    return Guess(None, None, f"tried {', '.join(ENCODINGS)}: " + "; ".join([why, *unassigned]))


def _why_not(readings: list[tuple[str, str, Reading]]) -> str | None:
    """None when the best reading is sure and clearly ahead of the next; otherwise the reason."""
    if not readings:
        return "no candidate left"
    name, _, best = readings[0]
    if best.accented == 0:
        return "none gives accented Vietnamese words"
    if not best.sure:
        if best.share >= 0.3 and best.distinct < MIN_DISTINCT:
            return (
                f"too little text to be sure (best: {name}, only {best.distinct} distinct common "
                f"Vietnamese syllables, {MIN_DISTINCT} needed)"
            )
        return f"none reads clearly as Vietnamese (best: {name}, {best.describe()})"
    if len(readings) > 1:
        other, _, second = readings[1]
        # A close second means the bytes do not tell the two tables apart.
        if second.sure or second.share >= 0.6 * best.share:
            return f"{name} ({best.describe()}) and {other} ({second.describe()}) both read as Vietnamese"
    return None

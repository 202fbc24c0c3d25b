"""People named with their roles and documents cited: real sentences with their expected rows,
what is not a person or a document, and the scores on hand-labelled gold (seeds, 42 real files
of realdev, and a held-out set of 16 more first scored before any tuning on it)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from archive_etl.devtools.who_eval import score_who
from archive_etl.parse.documents import extract_documents
from archive_etl.parse.people import extract_people
from archive_etl.parse.texts import parse_texts, tokens_of

FIXTURES = Path(__file__).parent / "fixtures"


def paragraphs(*texts: str) -> pl.LazyFrame:
    return pl.DataFrame(
        {"article_id": ["a" * 16] * len(texts), "paragraph_no": list(range(1, len(texts) + 1)), "text": texts}
    ).lazy()


def people(text: str) -> list[tuple]:
    rows = extract_people(tokens_of(paragraphs(text).collect())).sort("char_start")
    for row in rows.iter_rows(named=True):
        assert text[row["char_start"] : row["char_end"]] == row["name"]
    return [(r["name"], r["honorific"], r["roles"]) for r in rows.iter_rows(named=True)]


def documents(text: str) -> list[tuple]:
    rows = extract_documents(tokens_of(paragraphs(text).collect())).sort("char_start")
    for row in rows.iter_rows(named=True):
        assert text[row["char_start"] : row["char_end"]] == row["raw"]
    columns = ("raw", "doc_type", "number", "year", "issuer_code", "issued_on")
    return [tuple(r[c] for c in columns) for r in rows.iter_rows(named=True)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Đồng chí Đường Hoài Nam - Thành ủy viên, Bí thư Quận uỷ, Chủ tịch HĐND Quận chủ trì hội nghị.",
            [("Đường Hoài Nam", "Đồng chí", "Thành ủy viên; Bí thư Quận uỷ; Chủ tịch HĐND Quận")],
        ),
        (
            "Đ/c Ngô Mạnh Điềm - Phó Bí thư Thường trực Quận ủy báo cáo kết quả.",
            [("Ngô Mạnh Điềm", "Đ/c", "Phó Bí thư Thường trực Quận ủy")],
        ),
        (
            "đồng chí Nguyễn Lan Hương - Ủy viên Ban Thường vụ Thành ủy, Chủ tịch UBMTTQ Việt Nam thành phố "
            "Hà Nội phát biểu",
            [
                (
                    "Nguyễn Lan Hương",
                    "đồng chí",
                    "Ủy viên Ban Thường vụ Thành ủy; Chủ tịch UBMTTQ Việt Nam thành phố Hà Nội",
                )
            ],
        ),
        (
            "ông Trần Hữu Lợi, thanh tra viên cao cấp, Phó Cục trưởng Cục I - Thanh tra Chính phủ cho biết",
            [("Trần Hữu Lợi", "ông", "thanh tra viên cao cấp; Phó Cục trưởng Cục I - Thanh tra Chính phủ")],
        ),
        # An office between the role and the name: the name starts at the surname.
        ("Thứ trưởng Bộ Tư pháp Đặng Hoàng Oanh phát biểu.", [
            ("Đặng Hoàng Oanh", None, "Thứ trưởng Bộ Tư pháp")]),
        (
            "Chủ tịch UBND TP Hà Nội Nguyễn Đức Chung yêu cầu Sở GD&ĐT rút kinh nghiệm.",
            [("Nguyễn Đức Chung", None, "Chủ tịch UBND TP Hà Nội")],
        ),
        # Foreign names, a country between the role and the name, a role shared by "và".
        ("HLV Park Hang-seo và Tổng thống Mỹ Donald Trump.", [
            ("Park Hang-seo", None, "HLV"), ("Donald Trump", None, "Tổng thống Mỹ")]),
        ("ông Trump và Biden gặp nhau", [("Trump", "ông", None), ("Biden", "ông", None)]),
        # Initials stand for a name when an honorific says so.
        ("anh C.V và bà Nguyễn Thị Thanh T. đã khai", [
            ("C.V", "anh", None), ("Nguyễn Thị Thanh T.", "bà", None)]),
    ],
)  # fmt: skip
def test_people_named_with_their_roles(text: str, expected: list[tuple]) -> None:
    assert people(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Xe đỗ trên đường Bà Triệu, gần phố Lê Lợi.",  # streets named after people
        "Chủ tịch UBND tỉnh Thái Bình phát biểu.",  # a province after an office, no name
        "Công Phượng ghi bàn ở phút 90.",  # a bare name: no role, no honorific
        "Đại sứ Việt Nam tại Nhật Bản dự lễ.",  # countries
        "các đồng chí Trưởng các đoàn thể và đồng chí Thường vụ quận ủy",  # posts, not names
    ],
)
def test_what_is_not_a_person(text: str) -> None:
    assert people(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thực hiện Nghị quyết số 15-NQ/TU, ngày 04/7/2017 của Ban Thường vụ Thành ủy.", [
            ("Nghị quyết số 15-NQ/TU", "Nghị quyết", "15", None, "NQ/TU", dt.date(2017, 7, 4))]),
        ("Chỉ thị số 15-CT/TU ngày 16/12/2016 và Đề án 21-ĐA/TU", [
            ("Chỉ thị số 15-CT/TU", "Chỉ thị", "15", None, "CT/TU", dt.date(2016, 12, 16)),
            ("Đề án 21-ĐA/TU", "Đề án", "21", None, "ĐA/TU", None)]),
        ("theo Thông tư 14/TT-BVN và Hướng dẫn số 14-HD/BTCTU", [
            ("Thông tư 14/TT-BVN", "Thông tư", "14", None, "TT-BVN", None),
            ("Hướng dẫn số 14-HD/BTCTU", "Hướng dẫn", "14", None, "HD/BTCTU", None)]),
        ("Luật số: 59/2020/QH14 và Quyết định 2200-QĐ/TU", [
            ("Luật số: 59/2020/QH14", "Luật", "59", 2020, "QH14", None),
            ("Quyết định 2200-QĐ/TU", "Quyết định", "2200", None, "QĐ/TU", None)]),
        ("Chỉ thị 35 của Bộ Chính trị; Nghị quyết 19 năm 2017", [
            ("Chỉ thị 35", "Chỉ thị", "35", None, None, None),
            ("Nghị quyết 19", "Nghị quyết", "19", 2017, None, None)]),
        # Numbers sharing one noun are one row each, and share the date after them.
        ("Kế hoạch số 03, 04 ngày 10/10/2020 của Đảng ủy", [
            ("Kế hoạch số 03", "Kế hoạch", "03", None, None, dt.date(2020, 10, 10)),
            ("04", "Kế hoạch", "04", None, None, dt.date(2020, 10, 10))]),
        # Laws cited by name; the constitution with its year.
        ("theo Luật Ngân sách nhà nước được Quốc hội thông qua và Hiến pháp năm 2013", [
            ("Luật Ngân sách nhà nước", "Luật", None, None, None, None),
            ("Hiến pháp năm 2013", "Hiến pháp", None, 2013, None, None)]),
        ("Luật Đất đai 2013 và Bộ luật Hình sự", [
            ("Luật Đất đai 2013", "Luật", None, 2013, None, None),
            ("Bộ luật Hình sự", "Bộ luật", None, None, None, None)]),
        # A date that does not exist is not guessed at.
        ("Quyết định số 12/QĐ-UBND ngày 31/02/2020", [
            ("Quyết định số 12/QĐ-UBND", "Quyết định", "12", None, "QĐ-UBND", None)]),
    ],
)  # fmt: skip
def test_documents_cited(text: str, expected: list[tuple]) -> None:
    assert documents(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Sở đã ban hành 06 Kế hoạch và 02 Hướng dẫn.",  # counts of documents
        "Bộ Y tế thông báo 5 ca mắc mới; kế hoạch 5 năm.",  # a verb and a count, a plan's span
        "Luật sư Nguyễn Văn A cho rằng Luật này quy định rõ.",  # a lawyer, a self-reference
        "Giám đốc Công ty Luật TNHH Vietthink",  # a law firm
    ],
)
def test_what_is_not_a_document(text: str) -> None:
    assert documents(text) == []


@pytest.fixture(scope="module")
def gold():
    return score_who(FIXTURES / "whogold")


def test_the_seeds_people_and_documents_match_the_gold(gold) -> None:
    persons, docs = gold.persons["seeds"], gold.documents["seeds"]
    assert persons.precision >= 0.95 and persons.recall >= 0.95, (persons.extra, persons.missed)
    assert docs.precision >= 0.95 and docs.recall >= 0.95, (docs.extra, docs.missed)
    # every person with the roles written next to the name
    assert persons.accuracy("roles") >= 0.95 and persons.accuracy("honorific") == 1.0


def test_real_text_people_and_documents_match_the_gold(gold) -> None:
    persons, docs = gold.persons["realdev"], gold.documents["realdev"]
    assert persons.precision >= 0.90 and persons.recall >= 0.90, (persons.extra, persons.missed)
    assert docs.precision >= 0.90 and docs.recall >= 0.90, (docs.extra, docs.missed)


def test_held_out_real_text_stays_where_it_was_first_measured() -> None:
    """First scored before any tuning on it: people P 0.955 R 0.915, documents P 0.885 R 0.767
    (30 citations). A floor, not a target: a rule that helps the tuning gold at this set's
    expense shows here."""
    score = score_who(FIXTURES / "whoholdout")
    persons, docs = score.persons["realdev"], score.documents["realdev"]
    assert persons.precision >= 0.90 and persons.recall >= 0.88, (persons.extra, persons.missed)
    assert docs.precision >= 0.85 and docs.recall >= 0.75, (docs.extra, docs.missed)


def test_a_paragraph_of_megabytes_gives_what_its_sentences_give() -> None:
    """A page flattened to one huge line gives the same people and documents, offsets into the
    whole paragraph, as its sentences would one by one."""
    sentence = "Ông Nguyễn Văn An, Chủ tịch UBND tỉnh, công bố Quyết định số 12/QĐ-UBND ngày 3/4/2021. "
    text = sentence * 3_000
    assert len(text) > 250_000
    rows = parse_texts(pl.DataFrame({"article_id": ["b" * 16], "text": [text]}))
    found = rows.person
    starts = [i * len(sentence) + len("Ông ") for i in range(3_000)]
    assert found["char_start"].to_list() == starts
    assert set(found["name"]) == {"Nguyễn Văn An"} and set(found["roles"]) == {"Chủ tịch UBND tỉnh"}
    assert found["person_id"].to_list() == [f"{'b' * 16}:1:{s}" for s in starts]
    cited = rows.document_ref
    assert cited.height == 3_000 and set(cited["raw"]) == {"Quyết định số 12/QĐ-UBND"}
    assert cited["char_start"].to_list() == [
        i * len(sentence) + sentence.index("Quyết") for i in range(3_000)
    ]
    assert set(cited["issued_on"]) == {dt.date(2021, 4, 3)}

-- Helpers used by the views below. Layer 0: functions only, no data.

-- Publication times are stored with their time zone; analysts read them as Hanoi wall time.
CREATE OR REPLACE MACRO hanoi_time(ts) AS ts AT TIME ZONE 'Asia/Ho_Chi_Minh';

-- Search folding: case, Unicode form (NFC/NFD), tone-mark style ("uỷ"/"ủy") and diacritics
-- all erased, 'đ' read as 'd', so that "giai phong mat bang" finds "giải phóng mặt bằng".
CREATE OR REPLACE MACRO vn_fold(s) AS
    lower(replace(replace(strip_accents(nfc_normalize(s)), 'đ', 'd'), 'Đ', 'D'));

-- The sentence of `text` around the span [char_start, char_end) (0-based code points):
-- back to the previous and on to the next '.', '!', '?' or ';' that ends a sentence, i.e. is
-- followed by a space or the end (the '.' of "5.189" or "98.2%" does not).
CREATE OR REPLACE MACRO sentence_around(text, char_start, char_end) AS
    trim(
        regexp_extract(substring(text, 1, char_start), '(?:[^.!?;]|[.!?;]\S)*$')
        || substring(text, char_start + 1, char_end - char_start)
        || regexp_extract(substring(text, char_end + 1), '^(?:[^.!?;]|[.!?;]\S)*[.!?;]?')
    );

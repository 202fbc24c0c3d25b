"""People named with a role or an honorific: "Đồng chí Đường Hoài Nam - Thành ủy viên, Bí thư
Quận uỷ, Chủ tịch HĐND Quận chủ trì", "Đ/c Ngô Mạnh Điềm", "Thứ trưởng Bộ Tư pháp Đặng Hoàng
Oanh", "ông Trần Hữu Lợi, thanh tra viên cao cấp", "HLV Park Hang-seo" — as Polars expressions.

1. `spans` finds every run of capitalised words ("Đặng Hoàng Oanh", "Hà Nội Nguyễn Khắc Hiền",
   "Park Hang-seo", initials "C.V").
2. The text on either side of each run says whether it names a person: an honorific right
   before it ("ông", "Đ/c", "TS", "Đại tá"; "ông Trump và Biden" shares it), a role before it
   ("Bộ trưởng", "HLV", "Chủ tịch UBND tỉnh Thái Bình,") or role phrases after a dash or comma.
3. Where a role names its office before the name ("Giám đốc Sở Y tế Hà Nội Nguyễn Khắc Hiền"),
   the name is where a Vietnamese surname starts the run's last two to four words.
A run after a place noun ("đường Bà Triệu", "tỉnh Thái Bình") is not a person.
"""

from __future__ import annotations

import polars as pl

from archive_etl.parse.lexicon import (
    COUNTRIES,
    FUNCTION_WORDS_IN_OFFICES,
    HONORIFICS,
    ORGANISATION_WORDS,
    PLACE_NOUNS,
    PLACES,
    POST_WORDS,
    ROLE_HEADS,
    ROLE_PREFIXES,
    ROLE_STOP_WORDS,
    SENTENCE_OPENERS,
    SURNAMES,
)
from archive_etl.parse.spans import KEYS, span_id, spans

# A capitalised word ("Nguyễn", "Hang-seo") or initials ("C.V", "T.", "P.T.T.H").
_NAME_WORD = r"(?:\p{Lu}(?:\.\p{Lu})+\.?|\p{Lu}\.|\p{Lu}[\p{Ll}\p{M}]*(?:-\p{L}[\p{Ll}\p{M}]*)*)"
# No "\b" around it: Unicode word boundaries make the regex engine five times slower. A run
# glued to a letter on either side ("UBND", "McDonald") is dropped after the search instead.
RUN = _NAME_WORD + r"(?:[ \u00a0]" + _NAME_WORD + r")*"
# How far around a run its honorific and roles are looked for (characters).
LEFT, RIGHT = 90, 220


def _alternatives(words: frozenset[str] | tuple[str, ...], *, fold_first: bool) -> str:
    """A regex alternation of phrases, longest first; with `fold_first`, any case ("(?i:...)")."""
    ordered = sorted(words, key=len, reverse=True)
    escaped = [w.replace(".", r"\.").replace(" ", r"\s+") for w in ordered]
    return "|".join(f"(?i:{w})" if fold_first else w for w in escaped)


_HON = _alternatives(HONORIFICS, fold_first=False)
_ROLE = (
    r"(?:(?:" + _alternatives(ROLE_PREFIXES, fold_first=True) + r")\s+)*(?:"
    + _alternatives(ROLE_HEADS, fold_first=True) + r")\b"
)  # fmt: skip
# The same in lower case, for text lower-cased first: far quicker than "(?i:...)".
_PREFIX_LOWER = _alternatives(ROLE_PREFIXES, fold_first=False)
_ROLE_LOWER = (
    r"(?:(?:" + _alternatives(ROLE_PREFIXES, fold_first=False) + r")\s+)*(?:"
    + _alternatives(ROLE_HEADS, fold_first=False) + r")"
)  # fmt: skip
_STOP = _alternatives(ROLE_STOP_WORDS, fold_first=False)
# The verbs among them: a role before a name may hold "và" and "của" ("Chủ nhiệm Ủy ban Quốc
# phòng và An ninh của Quốc hội"), not a verb.
_VERB = _alternatives(ROLE_STOP_WORDS - FUNCTION_WORDS_IN_OFFICES, fold_first=False)
_FUNCTION = _alternatives(FUNCTION_WORDS_IN_OFFICES, fold_first=False)
_SURNAME = "|".join(sorted(SURNAMES, key=len, reverse=True))
_COUNTRY = _alternatives(COUNTRIES, fold_first=False)
_ORG = _alternatives(ORGANISATION_WORDS, fold_first=False)
_PLACE = _alternatives(PLACES | COUNTRIES, fold_first=False)
_POST = _alternatives(POST_WORDS, fold_first=False)
_ROLE_WORDS = sorted(ROLE_HEADS)
# Whole words: " ông " is a cue, "không" is not.
_CUE_WORDS = sorted(f" {w} " for w in ROLE_HEADS | {h.lower() for h in HONORIFICS})
_OPENER = _alternatives(SENTENCE_OPENERS, fold_first=False)
_LONG_PLACE = _alternatives(frozenset(p for p in PLACES | COUNTRIES if " " in p), fold_first=False)


def _lowered(text: pl.Expr) -> pl.Expr:
    """`text` lower-cased letter for letter, so that its offsets are those of `text` ("İ", the one
    capital whose lower case is two letters, is lowered to "i"). Lowering a paragraph once costs
    less than lowering every context cut from it, and Aho-Corasick then reads the slices."""
    return text.str.replace_all("İ", "I", literal=True).str.to_lowercase()


def _left_honorific(left: pl.Expr) -> pl.Expr:
    return left.str.extract(rf"(?:^|[^\p{{L}}/])({_HON})\s+$", 1)


def _head_length(role: pl.Expr) -> pl.Expr:
    """The length of the role head (with its prefixes) a phrase starts with, 0 if none."""
    head = role.str.to_lowercase().str.extract(rf"^({_ROLE_LOWER})(?:[^\p{{L}}]|$)", 1)
    return head.str.len_chars().fill_null(0)


def _with_role_before(candidates: pl.LazyFrame) -> pl.LazyFrame:
    """Add `role_before`: the role written before a run (and before its honorific), from its
    head to the run, within the clause: "Thứ trưởng Bộ Tư pháp ", "chủ tịch UBND tỉnh Thái
    Bình, ", "Chủ tịch UBND Q.1 ".

    A role before a comma and an honorific may be the previous person's ("đồng chí A, Phó Chủ
    tịch UBND quận, đồng chí B"): only one right before the name is taken. Heads are looked for
    in the lower-cased clause with a case-sensitive regex: the same regex in any case
    ("(?i:...)") over the whole context was eighty times slower. Each step is a column of its
    own, computed once: as one expression, its parts were evaluated again at every use."""
    adjacent = pl.col("honorific").is_null() | ~pl.col("before_hon").str.contains(r",\s*$")
    left = pl.col("before_hon").str.replace(r",?\s*$", " ")
    clause, before, role = pl.col("_clause"), pl.col("_before"), pl.col("_role")
    return (
        candidates.with_columns(
            _clause=pl.when(adjacent).then(left.str.extract(r"((?:[^.;:!?()“”\"\n]|\.[\p{L}\p{N}])*)$", 1))
        )
        # The head nearest the run (greedy ".*" leaves the last one), then its prefixes ("Phó").
        .with_columns(
            _before=clause.str.to_lowercase().str.extract(
                rf"^(.*(?:^|[^\p{{L}}])){_ROLE_LOWER}(?:[^\p{{L}}]|$)", 1
            )
        )
        .with_columns(
            _at=before.str.len_chars()
            - before.str.extract(rf"((?:(?:{_PREFIX_LOWER})\s+)*)$", 1).str.len_chars().fill_null(0)
        )
        .with_columns(_role=clause.str.slice(pl.col("_at")).str.replace(r"\s*,?\s*$", ""))
        # A verb in between ("Giám đốc Sở cho biết, ...") or a dangling "của" means the role is
        # not this person's.
        .with_columns(
            role_before=pl.when(
                ~role.str.slice(_head_length(role)).str.contains(rf"\s(?:{_VERB})(?:[\s,.;:!?]|$)")
                & ~role.str.contains(rf"\s(?:của|{_FUNCTION})\s*,?\s*$")
                & (role.str.len_chars() > 0)
            ).then(role)
        )
        .drop("_clause", "_before", "_at", "_role")
    )


def _with_roles_after(candidates: pl.LazyFrame) -> pl.LazyFrame:
    """Add `roles_after`: role phrases after a dash or comma, up to the verb or the end of the
    clause, or up to the next person (", đồng chí Nguyễn Mạnh Hà - ...")."""
    right, lead = pl.col("right"), pl.col("_lead")
    next_person = rf"\s*,?\s*(?:{_HON})\s+\p{{Lu}}"
    roles = pl.col("_body").str.extract(
        rf"^(.*?)(?:\s*[.;:!?()“”\"\n]|\s+(?:{_STOP})(?:[\s,.;:!?]|$)|{next_person}|\s*$)", 1
    )
    return (
        candidates.with_columns(
            _lead=pl.col("right_lower").str.extract(
                rf"^(\s*(?:,|-|–|—|\()\s*){_ROLE_LOWER}(?:[^\p{{L}}]|$)", 1
            )
        )
        # Only where a role follows (the regex after is the costly part): the others are null.
        .with_columns(_body=pl.when(lead.is_not_null()).then(right.str.slice(lead.str.len_chars())))
        .with_columns(_roles=roles)
        .with_columns(roles_after=pl.when(pl.col("_roles").str.len_chars() > 0).then(pl.col("_roles")))
        .drop("_lead", "_body", "_roles")
    )


def _split_roles(roles: pl.Expr) -> pl.Expr:
    """ "Thành ủy viên, Bí thư Quận uỷ, Chủ tịch HĐND Quận" -> three phrases; a piece that starts
    no role ("Bộ Công Thương", "Thanh tra Chính phủ") stays with the one before it."""
    marked = roles.str.replace_all(rf"(\s*(?:,|;|\s-|\s–)\s*)({_ROLE})", "\x1f$2")
    return marked.str.split("\x1f").list.eval(pl.element().str.strip_chars(" ,-–"))


def _name_in_run(run: pl.Expr, by_office: pl.Expr) -> pl.Expr:
    """The name within a run: all of it, unless an office written before it may end in the run
    ("Hà Nội Nguyễn Khắc Hiền"): then from the first surname that leaves two to four words, or
    what follows a country ("Mỹ Donald Trump")."""
    # A one-syllable country is also a given name ("Mỹ Linh", "Anh Tuấn"): stripped only before
    # two words and more ("Mỹ Donald Trump").
    after_place = pl.coalesce(
        run.str.extract(rf"^(?:{_LONG_PLACE})\s+({_NAME_WORD}(?:\s{_NAME_WORD}){{0,3}})$", 1),
        run.str.extract(rf"^(?:{_PLACE})\s+({_NAME_WORD}(?:\s{_NAME_WORD}){{1,3}})$", 1),
    )
    rest = pl.coalesce(after_place, run)
    from_surname = rest.str.extract(rf"(?:^|\s)((?:{_SURNAME})(?:\s{_NAME_WORD}){{1,3}})$", 1)
    return pl.when(by_office).then(pl.coalesce(from_surname, after_place)).otherwise(rest)


def _is_office(name: pl.Expr) -> pl.Expr:
    """The words taken for a name start an institution's name ("Bộ Công Thương", "Sở Y"), unless
    they read as a surname and a given name ("Đoàn Ngọc Hải")."""
    surname_first = name.str.contains(rf"^(?:{_SURNAME})(?:\s{_NAME_WORD}){{1,3}}$")
    return name.str.contains(rf"^(?:{_ORG})\b") & ~surname_first


def _sharing(candidates: pl.LazyFrame) -> pl.LazyFrame:
    """A name joined to the person before it by "và" or "hoặc" shares the honorific and roles
    written once: "ông Trump và Biden", "hai ứng viên Donald Trump và Joe Biden". Runs are in
    text order, so the person before is the previous row of the same paragraph."""
    joined = pl.col("left").str.extract(r"(\s+(?:và|hoặc)\s+)$", 1).str.len_chars()
    same_paragraph = (pl.col("article_id") == pl.col("article_id").shift(1)) & (
        pl.col("paragraph_no") == pl.col("paragraph_no").shift(1)
    )
    previous_end = (pl.col("name_start") + pl.col("name").str.len_chars()).shift(1)
    shares = (
        pl.col("named")
        & ~pl.col("is_person")
        & pl.col("honorific").is_null()
        & pl.col("role_before").is_null()
        & same_paragraph
        & pl.col("is_person").shift(1)
        & (previous_end == pl.col("run_start") - joined)
    ).fill_null(False)
    inherited = ["honorific", "role_before", "roles_after", "office_words"]
    return (
        candidates.sort(*KEYS, "run_start")
        .with_columns(_shares=shares)
        .with_columns(
            *(pl.when("_shares").then(pl.col(c).shift(1)).otherwise(pl.col(c)).alias(c) for c in inherited),
            is_person=pl.col("is_person") | pl.col("_shares"),
        )
    )


def extract_people(paragraphs: pl.LazyFrame) -> pl.LazyFrame:
    """One row per person named with a role or an honorific (`PERSON`'s columns)."""
    # Only paragraphs holding a cue are read at all (one in five of real news): an honorific or
    # a role word, as a whole word once punctuation counts as a space ("(ông", "“Bà").
    words = pl.concat_str(pl.lit(" "), pl.col("lower"), pl.lit(" ")).str.replace_all(
        r"[^\p{L}\p{N}/. ]",
        " ",  # a space is left as it is: far fewer replacements
    )
    paragraphs = paragraphs.select(*KEYS, "text", lower=_lowered(pl.col("text"))).filter(
        words.str.contains_any(_CUE_WORDS) | words.str.contains_any(_ROLE_WORDS)
    )
    runs = spans(paragraphs, RUN).join(paragraphs, on=list(KEYS))
    start, end = pl.col("char_start"), pl.col("char_end")
    # A word glued to a letter is part of a longer word ("H" of "HĐND", "T" of "TNHH"): the
    # run loses it, as a "\b" would have made the engine backtrack.
    head_glued = (start > 0) & pl.col("text").str.slice(start - 1, 1).str.contains(r"^[\p{L}\p{N}]")
    tail_glued = pl.col("text").str.slice(end, 1).str.contains(r"^[\p{L}\p{N}]")
    first = pl.col("match").str.extract(r"^(\S+[ \u00a0])", 1).str.len_chars()
    last = pl.col("match").str.extract(r"([ \u00a0]\S+)$", 1).str.len_chars()
    runs = (
        runs.with_columns(cut_head=pl.when(head_glued).then(first).otherwise(0))
        .with_columns(cut_tail=pl.when(tail_glued).then(last).otherwise(0))
        # a single glued word has nothing left: null, dropped
        .filter(~(head_glued & first.is_null()) & ~(tail_glued & last.is_null()))
        .with_columns(
            match=pl.col("match").str.slice(
                pl.col("cut_head"), pl.col("match").str.len_chars() - pl.col("cut_head") - pl.col("cut_tail")
            ),
            char_start=start + pl.col("cut_head"),
            char_end=end - pl.col("cut_tail"),
        )
        .filter(pl.col("match").str.len_chars() > 0)
    )
    left_from = pl.max_horizontal(start - LEFT, pl.lit(0))
    left = pl.col("text").str.slice(left_from, start - left_from)
    right = pl.col("text").str.slice(end, RIGHT)
    left_lower = pl.col("lower").str.slice(left_from, start - left_from)
    # A word that opens a sentence is no part of the name after it: "Tại Hàn Quốc".
    opener = pl.col("match").str.extract(rf"^((?:{_OPENER})\s+)\S", 1).fill_null("")
    runs = runs.with_columns(
        match=pl.col("match").str.slice(opener.str.len_chars()),
        char_start=pl.col("char_start") + opener.str.len_chars(),
    )
    # A capitalised honorific starts the run itself at a sentence's start: "Ông Nguyễn Văn A".
    inner = pl.col("match").str.extract(rf"^({_HON})\s+\S", 1)
    candidates = (
        runs.with_columns(
            inner_hon=inner,
            run=pl.when(inner.is_not_null())
            .then(pl.col("match").str.slice(inner.str.len_chars() + 1))
            .otherwise(pl.col("match")),
            run_start=start + pl.when(inner.is_not_null()).then(inner.str.len_chars() + 1).otherwise(0),
            left=left,
            right=right,
            left_lower=left_lower,
            right_lower=pl.col("lower").str.slice(end, RIGHT),
        )
        .filter(pl.col("run").str.len_chars() > 0)
        # Most runs are a sentence's first word or a place: only those with an honorific or a
        # role word around them, or joined by "và" to one that may, are read further (found
        # with Aho-Corasick, which costs little next to the regexes after it).
        .filter(
            pl.col("inner_hon").is_not_null()
            | pl.concat_str(pl.lit(" "), pl.col("left_lower")).str.contains_any(_CUE_WORDS)
            | (
                pl.col("right").str.contains(r"^\s*[,\-–—(]")
                & pl.col("right_lower").str.head(60).str.contains_any(_ROLE_WORDS)
            )
            | pl.col("left").str.contains(r"\s(?:và|hoặc)\s+$")
        )
        .with_columns(honorific=pl.coalesce(pl.col("inner_hon"), _left_honorific(pl.col("left"))))
        .with_columns(
            # The role before the honorific, if any: "Chủ tịch UBND tỉnh, ông Nguyễn Văn A".
            before_hon=pl.when(pl.col("inner_hon").is_null() & pl.col("honorific").is_not_null())
            .then(pl.col("left").str.replace(rf"(?:{_HON})\s+$", ""))
            .otherwise(pl.col("left")),
        )
    )
    # The role regex is the costly part: it reads only the contexts where a role's head word
    # occurs (one run in seven), found first with Aho-Corasick; the others are left empty.
    # before_hon is `left` or a head of it, so its lower case is a head of left_lower.
    has_role = (
        pl.col("left_lower").str.head(pl.col("before_hon").str.len_chars()).str.contains_any(_ROLE_WORDS)
    )
    candidates = candidates.with_columns(
        before_hon=pl.when(has_role).then(pl.col("before_hon")).otherwise(pl.lit(""))
    )
    candidates = _with_roles_after(_with_role_before(candidates))
    candidates = (
        candidates.with_columns(
            # An office written between the role and the run ("Thứ trưởng Bộ Tư pháp", "chủ
            # tịch UBND tỉnh Thái Bình") may run into the name. Not so after a bare role ("HLV",
            # "hậu vệ phải"), a comma, or an acronym, which no name joins ("chủ tịch CLB").
            by_office=pl.col("honorific").is_null()
            & pl.col("role_before").is_not_null()
            & ~pl.col("role_before").str.contains(r",\s*$")
            & (
                (
                    pl.col("role_before")
                    .str.slice(_head_length(pl.col("role_before")))
                    .str.contains(r"\s\p{Lu}\p{Ll}")
                    & ~pl.col("role_before").str.contains(r"\b\p{Lu}[\p{Lu}\p{N}&.]+\s*$")
                )
                | pl.col("run").str.contains(rf"^(?:{_ORG}|{_PLACE})\b")
            ),
        )
        .with_columns(name=_name_in_run(pl.col("run"), pl.col("by_office")))
        .with_columns(
            name_start=pl.col("run_start") + pl.col("run").str.len_chars() - pl.col("name").str.len_chars()
        )
        # The office's words in the run belong to the role: "Chủ tịch UBND" + "Quận" (Nguyễn Mạnh Hà).
        .with_columns(
            office_words=pl.col("run").str.head(pl.col("name_start") - pl.col("run_start")).str.strip_chars()
        )
        .with_columns(
            # A name right after a place noun is the place's: "đường Bà Triệu", "tỉnh Thái Bình".
            place=(pl.col("name_start") == pl.col("run_start"))
            & pl.col("left").str.contains(rf"(?i)(?:^|\s)(?:{'|'.join(PLACE_NOUNS)})\s+$"),
            # The words start a role or an office themselves: "Phó Bí thư", "Ủy viên", "Bộ Công Thương".
            not_a_name=(pl.col("name") + pl.col("right"))
            .str.to_lowercase()
            .str.contains(rf"^{_ROLE_LOWER}(?:[^\p{{L}}]|$)")
            | _is_office(pl.col("name"))
            | pl.col("name").str.contains(rf"^(?:{_POST})$")
            # "Đại sứ Việt Nam", "HLV Man Utd"; but "chị Anh" is a person called Anh
            | (pl.col("honorific").is_null() & pl.col("run").str.contains(rf"^(?:{_PLACE})$")),
        )
    )
    named = pl.col("name").is_not_null() & ~pl.col("place") & ~pl.col("not_a_name")
    is_person = (
        named
        & (
            pl.col("honorific").is_not_null()
            | pl.col("role_before").is_not_null()
            | (pl.col("roles_after").is_not_null() & pl.col("name").str.contains(r"\s"))
        )
        # five words and more are an organisation's or a place's name, not a person's
        & (pl.col("name").str.count_matches(r"\s") < 5)
        # one word after a role alone must end the phrase ("Tổng thống Trump nói"), or it
        # starts a noun phrase ("Phó Bí thư Thường trực")
        & (
            pl.col("honorific").is_not_null()
            | pl.col("name").str.contains(r"\s")
            | pl.col("right").str.contains(rf"^(?:\s*[,.;:!?()“”\"\-–]|\s*$|\s+(?:{_STOP})(?:[\s,.;:!?]|$))")
        )
    )
    found = _sharing(candidates.with_columns(is_person=is_person, named=named)).filter("is_person")
    none = pl.lit([], dtype=pl.List(pl.String))
    role_before = pl.concat_str(
        pl.col("role_before").str.strip_chars(" ,"), pl.col("office_words"), separator=" "
    ).str.strip_chars()
    roles = pl.concat_list(
        pl.concat_list(role_before).list.drop_nulls(),
        _split_roles(pl.col("roles_after")).fill_null(none),
    )
    char_start = pl.col("name_start")
    return found.select(
        *KEYS,
        char_start=char_start.cast(pl.Int64),
        char_end=(char_start + pl.col("name").str.len_chars()).cast(pl.Int64),
        name="name",
        honorific="honorific",
        roles=pl.when(roles.list.len() > 0).then(roles.list.join("; ")),
    ).with_columns(person_id=span_id())

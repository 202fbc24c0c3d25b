"""People named with a role or an honorific: "Đồng chí Đường Hoài Nam - Thành ủy viên, Bí thư
Quận uỷ, Chủ tịch HĐND Quận chủ trì", "Đ/c Ngô Mạnh Điềm", "Thứ trưởng Bộ Tư pháp Đặng Hoàng
Oanh", "ông Trần Hữu Lợi, thanh tra viên cao cấp", "HLV Park Hang-seo" — read from the token pass.

1. Runs of capitalised words ("Đặng Hoàng Oanh", "Park Hang-seo", initials "C.V"): the name
   words inside each distinct word holding a capital (`_fragments`), chained across the words
   that follow one another (`_runs`), less a word glued to a letter and an opening "Tại".
2. The words on either side of a run say whether it names a person: an honorific right before
   it ("ông", "Đ/c", "TS", "Đại tá"; "ông Trump và Biden" shares it), a role before it ("Bộ
   trưởng", "HLV", "Chủ tịch UBND tỉnh Thái Bình,") or role phrases after a dash or comma.
   What a rule asks of a word it asks of the vocabulary, once (`_word_facts`); the words next
   to a run are read by row (`wordrows.Words`); the role heads, cues and clause breaks of the
   batch are tables of places, found once (`_Context`), in which a run finds the nearest
   before or after it by a binary search.
3. Where a role names its office before the name ("Giám đốc Sở Y tế Hà Nội Nguyễn Khắc Hiền"),
   the name is where a Vietnamese surname starts the run's last two to four words.
A run after a place noun ("đường Bà Triệu", "tỉnh Thái Bình") is not a person.

The rules read what the regexes over the text before them read, the same rows, down to their
quirks: the role before a name is the head nearest it ("Tổng Bí thư Tô Lâm" has "Bí thư"), and
an honorific ending a longer word ends the roles before a capital ("Thanh Hóa" holds "anh
Hóa"). Every look is bounded (90 characters before a run, 220 after) and every search is a
binary search, so a paragraph of megabytes costs what its words cost: no paragraph is cut into
sentences, and none is sliced per run.

Where a regex still reads text: the distinct words (the name words a word holds, the honorific,
prefix or break it holds: a few characters each, once per batch); the distinct runs and names
(whether a place or an institution starts them, `_run_facts`, `_name_facts`: alternations of
hundreds of names, once per distinct run); and the distinct role phrases after a name, split
where each role starts (`_split_roles`, on the text written out).
"""

from __future__ import annotations

import polars as pl

from archive_etl.parse.lexicon import (
    COUNTRIES,
    FUNCTION_WORDS_IN_OFFICES,
    HONORIFICS,
    NAME_OPENERS,
    ORGANISATION_WORDS,
    PLACE_NOUNS,
    PLACES,
    POST_WORDS,
    ROLE_HEADS,
    ROLE_PREFIXES,
    ROLE_STOP_WORDS,
    SURNAMES,
)
from archive_etl.parse.spans import between, span_id
from archive_etl.parse.tokens import KEYS, Tokens, gather
from archive_etl.parse.wordrows import (
    LEADING,
    TRAILING,
    Lexemes,
    Phrases,
    Words,
    grown,
    joined_in,
    last_word,
    on_distinct,
    pick,
    place,
    rows_bearing,
    spelled,
)
from archive_etl.schema.model import LIST_DELIMITER

# A capitalised word ("Nguyễn", "Hang-seo") or initials ("C.V", "T.", "P.T.T.H").
_NAME_WORD = r"(?:\p{Lu}(?:\.\p{Lu})+\.?|\p{Lu}\.|\p{Lu}[\p{Ll}\p{M}]*(?:-\p{L}[\p{Ll}\p{M}]*)*)"
# How far around a run its honorific and roles are looked for (characters), and how far after
# it a role word makes a run worth reading.
LEFT, RIGHT, ROLE_CUE = 90, 220, 60
# Before a role phrase after a name; after the name, what ends a one-word name's phrase.
_LEADS = (",", "-", "–", "—", "(")
_PHRASE_ENDS = tuple(',.;:!?()“”"-–')
# Ends a clause before a name ("." only when no letter or digit follows it: "TP.HCM" holds
# none), and ends the role phrases after one.
_CLAUSE_BREAK = r"[;:!?()“”\"]|\.(?:[^\p{L}\p{N}]|$)"
# What ends a phrase: each is literal inside a regex class.
_BREAK_CHARS = '.;:!?()“”"'
_PHRASE_BREAK = f"[{_BREAK_CHARS}]"


def _break_at(text: pl.Expr) -> pl.Expr:
    """Characters of `text` before its first phrase break (null when there is none)."""
    return text.str.extract(rf"^([^{_BREAK_CHARS}]*){_PHRASE_BREAK}", 1).str.len_chars().cast(pl.Int64)


def _alternatives(words: frozenset[str] | tuple[str, ...], *, fold_first: bool) -> str:
    """A regex alternation of phrases, longest first; with `fold_first`, any case ("(?i:...)")."""
    ordered = sorted(words, key=len, reverse=True)
    escaped = [w.replace(".", r"\.").replace(" ", r"\s+") for w in ordered]
    return "|".join(f"(?i:{w})" if fold_first else w for w in escaped)


# --- The word lists, as phrases of whole words -------------------------------------------------
_HON = Phrases(HONORIFICS)  # as written
_HEADS = Phrases(ROLE_HEADS)  # lower case
# The first words of the role heads ("bí" of "bí thư"): a word that may open one.
_HEAD_FIRSTS = sorted({p.split(" ")[0] for p in _HEADS.phrases})
_CUES = Phrases(ROLE_HEADS | {h.lower() for h in HONORIFICS})  # either, as whole words
# The cues not found as role heads of whole words of letters: honorifics, "tuv.".
_OTHER_CUES = Phrases(c for c in _CUES.phrases if c not in ROLE_HEADS or not c.replace(" ", "").isalpha())
_STOPS = Phrases(ROLE_STOP_WORDS)  # as written
# The verbs among them: a role before a name may hold "và" and "của" ("Chủ nhiệm Ủy ban Quốc
# phòng và An ninh của Quốc hội"), not a verb.
_VERBS = Phrases(ROLE_STOP_WORDS - FUNCTION_WORDS_IN_OFFICES)
_PREFIXES = sorted(p for p in ROLE_PREFIXES if " " not in p)
# "đương kim", the one prefix of two words.
_PREFIX_PAIRS = sorted(p for p in ROLE_PREFIXES if " " in p)
_PAIR_FIRST = sorted({p.split(" ")[0] for p in _PREFIX_PAIRS})
_PLACE_NOUNS = Phrases(PLACE_NOUNS)
_ROLE_WORDS = sorted(ROLE_HEADS)
# The role phrase a list of roles is split at (as written, any case).
_ROLE = (
    r"(?:(?:" + _alternatives(ROLE_PREFIXES, fold_first=True) + r")\s+)*(?:"
    + _alternatives(ROLE_HEADS, fold_first=True) + r")\b"
)  # fmt: skip
_SURNAMES = sorted(SURNAMES)
_ORG = _alternatives(ORGANISATION_WORDS, fold_first=False)
_PLACE = _alternatives(PLACES | COUNTRIES, fold_first=False)
_POST = _alternatives(POST_WORDS, fold_first=False)
_LONG_PLACE = _alternatives(frozenset(p for p in PLACES | COUNTRIES if " " in p), fold_first=False)


def _ends_with(words: list[str], *, bounded: bool) -> pl.Expr:
    """The longest of `words` the word (as written) ends with; with `bounded`, only where no
    letter or '/' stands before it in the word ("(ông", not "Bông" or "x/ông")."""
    either = _alternatives(frozenset(words), fold_first=False)
    before = r"(?:^|[^\p{L}/])" if bounded else ""
    return pl.col("word").str.extract(rf"{before}({either})$", 1)


# The words the people rules read: those with a capital (the name words), those that start a
# role head or end a cue, and those that end a clause.
MARKS: dict[str, pl.Expr] = {
    "p_cap": pl.col("word").str.contains(r"\p{Lu}"),
    "p_head": pl.col("lower")
    .str.extract_all(r"\p{L}+")
    .list.eval(pl.element().is_in(_HEADS.of_length(1)))
    .list.any()
    | pl.col("lower").str.extract(TRAILING, 1).is_in(_HEAD_FIRSTS),
    "p_cue": pl.col("lower").is_in(sorted({p.split(" ")[-1] for p in _OTHER_CUES.phrases})),
    "p_break": pl.col("word").str.contains(_CLAUSE_BREAK),
    "p_role_word": pl.col("lower").str.contains_any(_ROLE_WORDS),
}


# How many prefixes ("nguyên", "phó", "đương kim") a role head may have before it.
_MAX_PREFIXES = 4
_ACRONYM_END = r"\b\p{Lu}[\p{Lu}\p{N}&.]+$"
_FUNCTION_ENDS = sorted(FUNCTION_WORDS_IN_OFFICES | {"của"})


def _rest_facts(rest: pl.Expr, prefix: str) -> dict[str, pl.Expr]:
    """What a role phrase starting inside a word ("Phó" of "(Phó") asks of the rest of it."""
    lower = rest.str.to_lowercase()
    return {
        f"{prefix}prefix": lower.is_in(_PREFIXES),
        f"{prefix}pair_first": lower.is_in(_PAIR_FIRST),
        f"{prefix}break": _break_at(rest),
    }


def _written(word: pl.Expr) -> pl.Expr:
    """The letters a word starts with, where a space or ",.;:!?" would end them in a phrase
    ("nói" of "nói:", not of "nói-")."""
    return word.str.extract(r"^(\p{L}+)(?:[,.;:!?]|$)", 1)


def _honorific_facts(word: pl.Expr, chars: pl.Expr) -> dict[str, pl.Expr]:
    """The first words of honorifics of k words a word ends with, the longest: where no letter
    or '/' stands before it (`hon{k}`, "(ông"), or anywhere (`cut{k}`, "Thanh" ends with
    "anh"), and where that one starts (`cut{k}_at`)."""
    facts: dict[str, pl.Expr] = {}
    for k in _HON.lengths:
        facts[f"hon{k}"] = _ends_with(_HON.words_at(k, 0), bounded=True)
        facts[f"cut{k}"] = _ends_with(_HON.words_at(k, 0), bounded=False)
        facts[f"cut{k}_at"] = chars - facts[f"cut{k}"].str.len_chars().cast(pl.Int64)
    return facts


def _where(facts: pl.DataFrame, condition: pl.Expr, columns: dict[str, pl.Expr]) -> pl.DataFrame:
    """`facts` with `columns`, found only for the words where `condition` holds (the others null):
    what few words can have is not looked for in the others."""
    found = facts.filter(condition).select("wid", **columns)
    return facts.join(found, on="wid", how="left", maintain_order="left")


def _word_facts(vocab: pl.DataFrame) -> tuple[pl.DataFrame, Lexemes]:
    """What the rules ask of each distinct word, by wid, and the ids of its lower case and of
    the letters it starts and ends with (for the phrase tables)."""
    facts = _rare_facts(_common_facts(vocab))
    lexemes = Lexemes.of(
        [facts["lower"], facts["lead_lower"], facts["trail_lower"]], [_HEADS.phrases, _OTHER_CUES.phrases]
    )
    ids = {"lx": "lower", "lwx": "lead_lower", "tx": "trail_lower"}
    return facts.with_columns(**{k: lexemes.ids(pl.col(v)) for k, v in ids.items()}), lexemes


def _common_facts(vocab: pl.DataFrame) -> pl.DataFrame:
    """The facts every word is asked for: its letters, its first character, whether it is a
    word of the lists (a prefix, a stop word, the first of a head...)."""
    word, lower, chars = pl.col("word"), pl.col("lower"), pl.col("chars")
    lead, trail, trimmed, written = pl.col("lead"), pl.col("trail"), pl.col("trimmed"), pl.col("written")
    facts = vocab.select("wid", "word", "lower", "chars", "p_cap").with_columns(
        lead=word.str.extract(LEADING, 1),
        trail=word.str.extract(TRAILING, 1),
        trimmed=word.str.strip_chars_end(","),
        written=_written(word),
        first=word.str.slice(0, 1),
    )
    return facts.with_columns(
        lead_lower=lead.str.to_lowercase(),
        trail_lower=trail.str.to_lowercase(),
        letters=lead.str.len_chars().cast(pl.Int64),
        trailing=trail.str.len_chars().cast(pl.Int64),
        leads=pl.col("first").is_in(_LEADS),
        ends=pl.col("first").is_in(_PHRASE_ENDS),
        upper_first=word.str.contains(r"^\p{Lu}"),
        upper_lower=word.str.contains(r"^\p{Lu}\p{Ll}"),
        commas=chars - trimmed.str.len_chars().cast(pl.Int64),
        function_end=trimmed.is_in(_FUNCTION_ENDS),
        prefix=lower.is_in(_PREFIXES),
        pair_first=lower.is_in(_PAIR_FIRST),
        pair_second=lower.is_in([p.split(" ")[1] for p in _PREFIX_PAIRS]),
        va=word.is_in(["và", "hoặc"]),
        stop1=written.is_in(_STOPS.of_length(1)),
        verb1=written.is_in(_VERBS.of_length(1)),
        stop_first=word.is_in(_STOPS.words_at(2, 0)),
        verb_first=word.is_in(_VERBS.words_at(2, 0)),
        multi_head_first=trail.str.to_lowercase().is_in(_HEAD_FIRSTS),
        cue1=lower.is_in(_OTHER_CUES.of_length(1)),
        place_noun_last=lower.is_in(sorted({p.split(" ")[-1] for p in _PLACE_NOUNS.phrases})),
        **{f"hon{k}_{i}": word.is_in(_HON.words_at(k, i)) for k in _HON.lengths for i in range(1, k)},
    )


def _rare_facts(facts: pl.DataFrame) -> pl.DataFrame:
    """The facts only a few words can have, looked for in those: what follows a lead ("(Phó"),
    an honorific ending the word, the breaks in it, an acronym ending it, a prefix ending it."""
    word, lower, chars, trimmed = pl.col("word"), pl.col("lower"), pl.col("chars"), pl.col("trimmed")
    honorific = sorted({w for k in _HON.lengths for w in _HON.words_at(k, 0)})
    breaks = {
        "clause_from": _clause_from(word),
        "phrase_break": _break_at(word),
    }
    prefixes = {
        "prefix_from": chars
        - lower.str.extract(rf"({'|'.join(_PREFIXES)})$", 1).str.len_chars().cast(pl.Int64),
        "pair_first_from": chars
        - lower.str.extract(rf"({'|'.join(_PAIR_FIRST)})$", 1).str.len_chars().cast(pl.Int64),
    }
    facts = _where(facts, pl.col("first").is_in(_LEADS), _rest_facts(word.str.slice(1), "rest_"))
    facts = _where(facts, word.str.contains_any(honorific), _honorific_facts(word, chars))
    facts = _where(facts, word.str.contains_any(list(_BREAK_CHARS)), breaks)
    facts = _where(facts, pl.col("p_cap"), {"acronym_end": trimmed.str.contains(_ACRONYM_END)})
    facts = _where(facts, lower.str.contains_any(_PREFIXES + _PAIR_FIRST), prefixes)
    # The last word of an honorific, found as the regex found one before a next person.
    last_of_longer = pl.any_horizontal(word.is_in(_HON.words_at(k, k - 1)) for k in _HON.lengths if k > 1)
    comma_before = {
        f"cut{k}_comma": word.str.slice((pl.col(f"cut{k}_at") - 1).clip(0), 1).eq(",")
        & (pl.col(f"cut{k}_at") > 0)
        for k in _HON.lengths
    }
    return facts.with_columns(
        hon_last=pl.col("cut1").is_not_null() | last_of_longer,
        acronym_end=pl.col("acronym_end").fill_null(False),
        **comma_before,
    )


def _clause_from(text: pl.Expr) -> pl.Expr:
    """Where the clause after the last break of `text` starts; a '.' with a letter or digit
    after it is no break."""
    neutral = text.str.replace_all(r"\.([\p{L}\p{N}])", "_$1")
    return neutral.str.extract(r"^(.*[.;:!?()“”\"])", 1).str.len_chars().cast(pl.Int64)


def _fragments(vocab: pl.DataFrame) -> pl.DataFrame:
    """One row per name word inside each distinct word holding a capital, in order (`fid`): its
    word (`wid`), place `k`, text `frag`, offset `off` and length `flen` in the word, whether it
    starts or ends the word and whether a letter or digit is glued to it either side; and what
    the rules ask of the word's text after it (`tail`) and from it on (`from_`)."""
    word, frag = pl.col("word"), pl.col("frag")
    found = (
        vocab.filter("p_cap")
        .select("wid", "word", "chars")
        .with_columns(
            frag=word.str.extract_all(_NAME_WORD),
            gap=between(word, _NAME_WORD),
        )
    )
    rows = found.with_columns(
        gap=pl.col("gap").list.head(frag.list.len()), k=pl.int_ranges(frag.list.len())
    ).explode("frag", "gap", "k")
    flen = frag.str.len_chars().cast(pl.Int64)
    rows = rows.with_columns(k=pl.col("k").cast(pl.Int64), flen=flen).with_columns(
        off=(pl.col("gap").str.len_chars().cast(pl.Int64) + pl.col("flen")).cum_sum().over("wid")
        - pl.col("flen")
    )
    off, end = pl.col("off"), pl.col("off") + pl.col("flen")
    tail = word.str.slice(end)
    glued = r"^[\p{L}\p{N}]"
    return (
        rows.with_columns(
            at_start=off == 0,
            at_end=end == pl.col("chars"),
            glued_before=(off > 0) & word.str.slice((off - 1).clip(0), 1).str.contains(glued),
            glued_after=tail.str.contains(glued),
            opener=frag.is_in(sorted(NAME_OPENERS)),
            honorific=frag.is_in(_HON.of_length(1)),
            tail_lead=tail.str.slice(0, 1).is_in(_LEADS),
            tail_one=tail.str.len_chars() == 1,
            tail_empty=tail == "",
            tail_ends=tail.str.slice(0, 1).is_in(_PHRASE_ENDS),
            tail_role_word=tail.str.to_lowercase().str.contains_any(_ROLE_WORDS),
            **_rest_facts(tail.str.slice(1), "tail_"),
            **_rest_facts(word.str.slice(off), "from_"),
        )
        .with_row_index("fid")
        .with_columns(pl.col("fid").cast(pl.Int64))
    )


def _single_heads(words: Words) -> pl.DataFrame:
    """The runs of letters inside distinct words that are role heads of one word ("hlv", "mc"
    of "hlv/mc"): `wid`, `off` and `_len`."""
    letters = r"\p{L}+"
    return (
        words.facts.filter(pl.col("lower").str.contains_any(_HEADS.of_length(1)))
        .select(
            "wid",
            seg=pl.col("word").str.extract_all(letters),
            gap=between(pl.col("word"), letters),
        )
        .with_columns(gap=pl.col("gap").list.head(pl.col("seg").list.len()))
        .explode("seg", "gap")
        .with_columns(_len=pl.col("seg").str.len_chars().cast(pl.Int64))
        .with_columns(
            off=(pl.col("gap").str.len_chars().cast(pl.Int64) + pl.col("_len")).cum_sum().over("wid")
            - pl.col("_len")
        )
        .filter(pl.col("seg").str.to_lowercase().is_in(_HEADS.of_length(1)))
        .select("wid", "off", "_len")
    )


def _heads(words: Words, lexemes: Lexemes) -> pl.DataFrame:
    """Every role head of the batch: the row of its first word, where it starts (`at`) and
    ends (`end`), its number of words `k`, and whether it is whole words (`whole`). A head
    starts a word or follows a non-letter in it ("UBND-chủ tịch"), and its last word ends where
    the letters of a word do ("trưởng,")."""
    rows = rows_bearing(words.tokens, "p_head")
    row, para = pl.col("row"), pl.col("para")
    at = pl.col("start") + pl.col("off")
    single = rows.join(_single_heads(words), on="wid").select(
        "row", "para", k=pl.lit(1, pl.Int64), at=at, end=at + pl.col("_len")
    )
    # Longer heads start with the letters a word ends with, then whole words.
    starting = rows.filter(words.of("multi_head_first", "wid"))
    ids = (words.facts["tx"], words.facts["lx"], words.facts["lwx"])
    found = grown(starting, _HEADS, lexemes, ids, lambda i: (words.wid(row + i), words.within(row, i)))
    last = row + pl.col("k") - 1
    multi = (
        starting.with_row_index("_r")
        .join(found, on="_r")
        .select(
            "row",
            "para",
            "k",
            at=pl.col("start") + words.of("chars", "wid") - words.of("trailing", "wid"),
            end=words.start(last) + words.fact("letters", last),
        )
    )
    heads = pl.concat([single, multi])
    whole = (pl.col("at") == words.start(row)) & (pl.col("end") == words.end(row + pl.col("k") - 1))
    return heads.select("row", "k", "at", "end", para=para, whole=whole)


def _head_table(heads: pl.DataFrame) -> pl.DataFrame:
    """Every place of the batch where a role head starts (`at`, a place, sorted), the row of
    its word, and where the heads of 1 to 4 words starting there end (`end1`..`end4`, null for
    none; `shortest`)."""
    para = pl.col("para")
    ends = {f"end{k}": place(para, pl.col("end")).filter(pl.col("k") == k).max() for k in range(1, 5)}
    table = heads.group_by(at=place(para, pl.col("at"))).agg(pl.col("row").first(), **ends)
    return table.sort("at").with_columns(shortest=pl.min_horizontal(*ends))


def _cue_table(words: Words, lexemes: Lexemes, heads: pl.DataFrame) -> pl.DataFrame:
    """Every place where a cue — an honorific or a role head, as whole words — ends (`end`,
    sorted), and where the shortest cue ending there starts (`begin`). The role heads are those
    of `heads` of whole words; the others are found by their last word."""
    rows = rows_bearing(words.tokens, "p_cue")
    row = pl.col("row")
    backwards = Phrases(" ".join(reversed(p.split(" "))) for p in _OTHER_CUES.phrases)
    ids = (words.facts["lx"],) * 3
    longer = grown(rows, backwards, lexemes, ids, lambda i: (words.wid(row - i), words.within(row, -i)))
    single = rows.with_row_index("_r").filter(words.of("cue1", "wid")).select("_r", k=pl.lit(1, pl.Int64))
    shortest = pl.concat([single, longer]).group_by("_r").agg(pl.col("k").min())
    others = (
        rows.with_row_index("_r")
        .join(shortest, on="_r")
        .select(
            end=place(pl.col("para"), pl.col("start") + words.of("chars", "wid")),
            begin=place(pl.col("para"), words.start(row - (pl.col("k") - 1))),
        )
    )
    para = pl.col("para")
    whole = heads.filter("whole").select(end=place(para, pl.col("end")), begin=place(para, pl.col("at")))
    return pl.concat([others, whole]).group_by("end").agg(pl.col("begin").max()).sort("end")


class _Context:
    """The batch's words and the tables of places the rules search: role heads, cues, clause
    breaks and words holding a role word."""

    def __init__(self, tokens: Tokens) -> None:
        facts, self.lexemes = _word_facts(tokens.vocab)
        self.words = Words(tokens, facts)
        heads = _heads(self.words, self.lexemes)
        self.heads = _head_table(heads)
        self.cues = _cue_table(self.words, self.lexemes, heads)
        self.breaks = rows_bearing(tokens, "p_break")["row"]
        role_words = rows_bearing(tokens, "p_role_word")
        self.role_words = role_words.select(place(pl.col("para"), pl.col("start"))).to_series()

    def head_at(self, at: pl.Expr) -> pl.Expr:
        """Whether a role head starts at place `at`."""
        heads = self.heads["at"]
        return (pick(heads, pl.lit(heads).search_sorted(at).cast(pl.Int64)) == at).fill_null(False)

    def head(self, name: str, i: pl.Expr) -> pl.Expr:
        """Column `name` of the head table at index `i` (null out of it)."""
        return pick(self.heads[name], i)


def _occurrences(tokens: Tokens, fragments: pl.DataFrame) -> pl.DataFrame:
    """Every name word of the batch in reading order: its word's `row`, `para` and `start`,
    its fragment `fid` and what the runs ask of it."""
    wanted = [
        "wid",
        "fid",
        "k",
        "off",
        "flen",
        "at_start",
        "at_end",
        "glued_before",
        "glued_after",
        "opener",
        "honorific",
    ]
    rows = rows_bearing(tokens, "p_cap")
    return rows.join(fragments.select(wanted), on="wid", maintain_order="left_right").drop("wid")


def _runs(occurrences: pl.DataFrame) -> pl.DataFrame:
    """One row per run of name words (`a`..`z`, rows of the occurrences): words that follow one
    another, the first ending its word and the next starting its own."""
    row, para = pl.col("row"), pl.col("para")
    chained = (
        (pl.col("k") == 0)
        & pl.col("at_start")
        & (row == row.shift(1) + 1)
        & pl.col("at_end").shift(1)
        & (para == para.shift(1))
    ).fill_null(False)
    firsts = occurrences.select(a=pl.int_range(pl.len(), dtype=pl.Int64), new=~chained).filter("new")["a"]
    return pl.DataFrame(
        {"a": firsts, "z": pl.concat([firsts.slice(1) - 1, pl.Series([occurrences.height - 1])])}
    )


def _candidates(occurrences: pl.DataFrame, fragments: pl.DataFrame) -> pl.DataFrame:
    """The runs that may name someone, as the rules read them: the match (`m`..`z`, after a word
    glued to a letter at either end and an opening word like "Tại" are dropped), its inner
    honorific ("Ông Nguyễn Văn A"), the run (`r`..`z`) and the places of its text: `s` where the
    match starts (word `s_row`, offset `s_off` in it), `rs` where the run does, and `e` where the
    text after it starts (word `e_row`, the name word `e_fid` before it)."""
    runs = _runs(occurrences) if occurrences.height else pl.DataFrame(schema={"a": pl.Int64, "z": pl.Int64})

    def at(name: str, i: str | pl.Expr) -> pl.Expr:
        return gather(occurrences[name], i)

    a, z = pl.col("a"), pl.col("z")
    glued_head, glued_tail = at("glued_before", a), at("glued_after", z)
    runs = runs.filter(~((a == z) & (glued_head | glued_tail))).with_columns(
        _from=a + glued_head.cast(pl.Int64), ze=z - glued_tail.cast(pl.Int64)
    )
    # Both ends of a two-word run glued ("S. T" of "GS. TS."): the last word is left, and the
    # text after it is read from the end of the first, as the regex's cut did.
    both = pl.col("_from") > pl.col("ze")
    runs = runs.with_columns(
        _from=pl.when(both).then(z).otherwise("_from"), z=pl.when(both).then(z).otherwise("ze")
    )
    opener = at("opener", pl.col("_from")) & (z > pl.col("_from"))
    runs = runs.with_columns(m=pl.col("_from") + opener.cast(pl.Int64))
    m = pl.col("m")
    inner = at("honorific", m) & (z > m)
    runs = runs.with_columns(r=m + inner.cast(pl.Int64), inner=inner)
    r, ze = pl.col("r"), pl.col("ze")
    return runs.select(
        "m",
        "r",
        "z",
        para=at("para", m),
        s_row=at("row", m),
        s_off=at("off", m),
        s=at("start", m) + at("off", m),
        rs=at("start", r) + at("off", r),
        e_row=at("row", ze),
        e=at("start", ze) + at("off", ze) + at("flen", ze),
        e_fid=at("fid", ze),
        inner=pl.when("inner").then(pl.lit(fragments["frag"]).gather(at("fid", m))),
    ).with_columns(w0=pl.max_horizontal(pl.col("s") - LEFT, pl.lit(0)))


def _tail(fragments: pl.DataFrame, name: str) -> pl.Expr:
    """Fact `name` of the text after the run, in the word it ends (`e_fid`)."""
    return gather(fragments[name], "e_fid")


def _lead_after(ctx: _Context, fragments: pl.DataFrame) -> pl.Expr:
    """Whether a lead (a dash, comma or bracket) follows the run: in the text after it in the
    word it ends, or, when that is empty, starting the next word of the paragraph."""
    e_row = pl.col("e_row")
    return (
        pl.when(_tail(fragments, "tail_empty"))
        .then(ctx.words.within(e_row, 1) & ctx.words.fact("leads", e_row + 1))
        .otherwise(_tail(fragments, "tail_lead"))
    )


def _cued(frame: pl.DataFrame, ctx: _Context, fragments: pl.DataFrame) -> pl.DataFrame:
    """The runs worth reading: with an inner honorific, a cue word (an honorific or a role head)
    in the 90 characters before, a role word within 60 characters after a dash or comma, or
    "và" right before (it may share the person's before)."""
    w, para = ctx.words, pl.col("para")
    s, e, s_row = pl.col("s"), pl.col("e"), pl.col("s_row")
    # The last cue ending before the run (a space after it), and the one before that.
    last = pl.lit(ctx.cues["end"]).search_sorted(place(para, s) - 1, side="right").cast(pl.Int64) - 1
    window = place(para, pl.col("w0"))
    ahead = place(para, e + ROLE_CUE)
    soon = pl.lit(ctx.heads["at"]).search_sorted(place(para, e)).cast(pl.Int64)
    word = pl.lit(ctx.role_words).search_sorted(place(para, e), side="right").cast(pl.Int64)
    frame = frame.with_columns(
        _last_cue=last,
        _soon=soon,
        _word_soon=(pick(ctx.role_words, word) < ahead).fill_null(False),
        va_before=(pl.col("s_off") == 0) & w.within(s_row, -2) & w.fact("va", s_row - 1),
        _tail_role_word=_tail(fragments, "tail_role_word"),
        _lead=_lead_after(ctx, fragments),
    )
    cue_before = pl.any_horizontal(
        (pick(ctx.cues["begin"], pl.col("_last_cue") - i) >= window).fill_null(False) for i in (0, 1)
    )
    soon = pl.col("_soon")
    head_soon = ((ctx.head("at", soon) < ahead) & (ctx.head("shortest", soon) <= ahead)).fill_null(False)
    role_after = pl.col("_lead") & (pl.col("_tail_role_word") | head_soon | pl.col("_word_soon"))
    keep = pl.col("inner").is_not_null() | cue_before | role_after | pl.col("va_before")
    return frame.filter(keep).drop("_last_cue", "_soon", "_word_soon", "_tail_role_word", "_lead")


def _honorific_before(frame: pl.DataFrame, ctx: _Context) -> pl.DataFrame:
    """Add `honorific` (the inner one, or the one right before the run: "ông", "GS. TS.", "(bà")
    and `b_row`, `b_off`: where the text before the run and its honorific ends. The honorific
    before is the longest right before the run with no letter or '/' before it; the text before
    it ends where the longest honorific ending there starts, whatever stands before that."""
    w, s_row = ctx.words, pl.col("s_row")
    # Only a run starting a word, after a word that may end an honorific, is read.
    maybe = (
        pl.col("inner").is_null()
        & (pl.col("s_off") == 0)
        & w.within(s_row, -1)
        & w.fact("hon_last", s_row - 1)
    )
    frame = frame.with_row_index("_h")
    found = _read_honorific(frame.filter(maybe).select("_h", "s_row"), ctx)
    frame = frame.join(found, on="_h", how="left", maintain_order="left").drop("_h")
    cut = pl.col("_before").is_not_null()
    return frame.with_columns(
        honorific=pl.coalesce("inner", "_before"),
        b_row=pl.when(cut).then(s_row - pl.col("_cut_k")).otherwise(s_row),
        b_off=pl.when(cut).then("_cut_at").otherwise("s_off"),
    ).drop("_before", "_cut_k", "_cut_at")


def _read_honorific(frame: pl.DataFrame, ctx: _Context) -> pl.DataFrame:
    """`_honorific_before` for the runs that may have one: `_before`, the honorific, and
    `_cut_k`, `_cut_at`: how many words back, and where in that word, the text before ends."""
    w, s_row = ctx.words, pl.col("s_row")
    names = ["word", "chars"]
    for k in _HON.lengths:
        names += [f"hon{k}", f"cut{k}", f"cut{k}_at", *(f"hon{k}_{i}" for i in range(1, k))]
    back = {f"_p{k}_": s_row - k for k in _HON.lengths}
    frame = w.gathered(frame, back, dict.fromkeys(back, names))

    def phrase(kind: str, k: int) -> pl.Expr:
        """The k-word honorific ending right before the run, its first word as `kind` found it."""
        parts = [pl.col(f"_p{k}_{kind}{k}"), *(pl.col(f"_p{k - i}_word") for i in range(1, k))]
        rest = (
            pl.all_horizontal(pl.col(f"_p{k - i}_hon{k}_{i}") for i in range(1, k)) if k > 1 else pl.lit(True)
        )
        text = pl.concat_str(parts, separator=" ")
        return pl.when(w.within(s_row, -k) & rest & text.is_in(_HON.of_length(k))).then(text)

    frame = frame.with_columns(
        _before=pl.coalesce(*(phrase("hon", k) for k in _HON.lengths)),
        _cut_k=pl.coalesce(*(pl.when(phrase("cut", k).is_not_null()).then(k) for k in _HON.lengths)),
    )
    k = pl.col("_cut_k")
    cut_at = pl.coalesce(*(pl.when(k == n).then(pl.col(f"_p{n}_cut{n}_at")) for n in _HON.lengths))
    return frame.select("_h", "_before", "_cut_k", _cut_at=cut_at)


def _before_end(frame: pl.DataFrame, ctx: _Context) -> pl.DataFrame:
    """Add where the text before a run (and its honorific) ends, as the role before reads it:
    `b`; `b_strip`, less a comma; the role's last word (`last_row`, or `last_part`: the part of
    the word before the run) and where the role ends (`role_end`, less two commas at most), and
    what the rules ask of that word. `_has`: whether there is text before at all."""
    w, b_row, b_off = ctx.words, pl.col("b_row"), pl.col("b_off")
    part = pl.col("_part")
    trimmed = part.str.strip_chars_end(",")
    frame = w.gathered(frame, {"_b1_": b_row - 1}, {"_b1_": ["commas", "chars"]}).with_columns(
        _part=pl.when(b_off > 0).then(w.fact("word", b_row).str.slice(0, b_off)),
        b=w.start(b_row) + b_off,
        _b1_end=w.end(b_row - 1),
        _b1_in=w.within(b_row, -1),
        _b2_in=w.within(b_row, -2),
    )
    frame = frame.with_columns(
        _p_commas=part.str.len_chars().cast(pl.Int64) - trimmed.str.len_chars().cast(pl.Int64),
        _p_clause=_clause_from(part.str.replace(r",$", "")),
        _p_acronym=trimmed.str.contains(_ACRONYM_END),
        _p_function=trimmed.is_in(_FUNCTION_ENDS),
        _p_all=trimmed == "",
    )
    # The piece before the run: the part of its word, or the word before; a piece of commas
    # only (" , ") leaves the role to end at the word before it.
    in_part = b_off > 0
    commas = pl.when(in_part).then("_p_commas").otherwise("_b1_commas")
    every = pl.when(in_part).then("_p_all").otherwise(pl.col("_b1_commas") == pl.col("_b1_chars"))
    frame = frame.with_columns(
        b_strip=pl.when(in_part).then("b").otherwise("_b1_end") - commas.clip(0, 1),
        _budget=pl.when(every).then(2 - commas).otherwise(2).clip(0),
        last_part=in_part & ~every,
        last_row=pl.when(in_part).then(b_row).otherwise(b_row - 1) - every.cast(pl.Int64),
        _has=pl.when(in_part)
        .then(~every | pl.col("_b1_in"))
        .otherwise(pl.col("_b1_in") & (~every | pl.col("_b2_in"))),
    )
    last = pl.col("last_row")
    frame = w.gathered(frame, {"_l_": last}, {"_l_": ["commas", "acronym_end", "function_end"]})
    commas = pl.when("last_part").then("_p_commas").otherwise("_l_commas")
    return frame.with_columns(
        role_end=pl.when("last_part").then("b").otherwise(w.end(last)) - commas.clip(0, pl.col("_budget")),
        rb_comma=commas > pl.col("_budget"),
        rb_acronym=pl.when("last_part").then("_p_acronym").otherwise("_l_acronym_end"),
        _function=pl.when("last_part").then("_p_function").otherwise("_l_function_end"),
    )


def _clause_start(frame: pl.DataFrame, ctx: _Context) -> pl.DataFrame:
    """Add `cs`: where the clause before the run starts — after the last break before it
    ("." with no letter or digit after, ";", ":", brackets, quotes), within 90 characters."""
    w, b_row = ctx.words, pl.col("b_row")
    i = pl.lit(ctx.breaks).search_sorted(b_row - 1, side="right").cast(pl.Int64) - 1
    frame = frame.with_columns(_break=pick(ctx.breaks, i))
    row = pl.col("_break")
    same = (w.para(row) == pl.col("para")).fill_null(False)
    before = pl.when(same).then(w.start(row) + w.fact("clause_from", row)).otherwise(0)
    in_part = (pl.col("b_off") > 0) & pl.col("_p_clause").is_not_null()
    start = pl.when(in_part).then(w.start(b_row) + pl.col("_p_clause")).otherwise(before)
    return frame.with_columns(cs=pl.max_horizontal(start, pl.col("w0"))).drop("_break")


def _latest_head(frame: pl.DataFrame, ctx: _Context) -> pl.DataFrame:
    """Add `h` (index in the head table): the role head nearest the run in its clause, that
    ends before it; null if none."""
    para = pl.col("para")
    limit, floor = place(para, pl.col("b_strip")), place(para, pl.col("cs"))
    i = pl.lit(ctx.heads["at"]).search_sorted(limit).cast(pl.Int64) - 1
    frame = frame.with_columns(h=i, _look=pl.col("_has"), _found=pl.lit(False))
    for _ in range(3):  # a head may run past the run's start: the one before it, then
        h = pl.col("h")
        frame = frame.with_columns(
            _in=(ctx.head("at", h) >= floor).fill_null(False),
            _fits=(ctx.head("shortest", h) <= limit).fill_null(False),
        ).with_columns(
            h=pl.when(pl.col("_look") & pl.col("_in") & ~pl.col("_fits")).then(h - 1).otherwise(h),
            _found=pl.col("_found") | (pl.col("_look") & pl.col("_in") & pl.col("_fits")),
            _look=pl.col("_look") & pl.col("_in") & ~pl.col("_fits"),
        )
    return frame.with_columns(h=pl.when("_found").then("h")).drop("_look", "_found", "_in", "_fits")


def _prefixed(frame: pl.DataFrame, ctx: _Context) -> pl.DataFrame:
    """Add `rb_from`, `rb_row`: where the role starts — its head, after the prefixes right
    before it ("Phó", "nguyên", "đương kim"), the first of which may end a longer word, as the
    regex read it. Only the rows still taking prefixes are read again."""
    w, para = ctx.words, pl.col("para")
    at = ctx.head("at", pl.col("h")) - place(para, pl.lit(0))
    frame = frame.with_columns(rb_from=at, rb_row=ctx.head("row", pl.col("h"))).with_columns(
        _i=pl.int_range(pl.len(), dtype=pl.Int64)
    )
    # A head inside a word ("UBND-chủ tịch") takes no prefix: no space stands before it.
    going = frame.filter((pl.col("rb_from") == w.start(pl.col("rb_row"))).fill_null(False))
    going = going.select("_i", "cs", "rb_from", "rb_row")
    found = []
    for _ in range(_MAX_PREFIXES):
        if going.is_empty():
            break
        going = _prefix_before(going, ctx)
        found.append(going.select("_i", "rb_from", "rb_row"))
        going = going.filter("_going").drop("_going")
    if found:
        updates = pl.concat(found).unique("_i", keep="last", maintain_order=True)
        frame = frame.join(updates, on="_i", how="left", suffix="_new", maintain_order="left").with_columns(
            rb_from=pl.coalesce("rb_from_new", "rb_from"), rb_row=pl.coalesce("rb_row_new", "rb_row")
        )
        frame = frame.drop("rb_from_new", "rb_row_new")
    return frame.drop("_i")


def _prefix_before(going: pl.DataFrame, ctx: _Context) -> pl.DataFrame:
    """The role of each row taken back over the prefix before it (`rb_from`, `rb_row`): a
    whole prefix word or "đương kim" (then `_going`: another may stand before), or a prefix
    ending a longer word (the role starts inside it), within the clause (`cs`)."""
    w, r = ctx.words, pl.col("rb_row")
    names = {"_p_": ["prefix", "pair_second", "prefix_from"], "_q_": ["pair_first", "pair_first_from"]}
    now = w.gathered(going, {"_p_": r - 1, "_q_": r - 2}, names).with_columns(
        _in1=w.within(r, -1), _in2=w.within(r, -2), _s1=w.start(r - 1), _s2=w.start(r - 2)
    )
    cs, s1, s2 = pl.col("cs"), pl.col("_s1"), pl.col("_s2")
    part = s1 + pl.col("_p_prefix_from")
    pair_part = s2 + pl.col("_q_pair_first_from")
    now = now.with_columns(
        _full=pl.col("_in1") & pl.col("_p_prefix") & (s1 >= cs),
        _pair_ok=pl.col("_in1") & pl.col("_p_pair_second") & pl.col("_in2"),
    ).with_columns(
        _pair=pl.col("_pair_ok") & pl.col("_q_pair_first") & (s2 >= cs),
        _pair_part=pl.col("_pair_ok")
        & ~(pl.col("_q_pair_first") & (s2 >= cs))
        & (pair_part >= cs).fill_null(False),
    )
    full, pair, pair_in = pl.col("_full"), pl.col("_pair"), pl.col("_pair_part")
    part_in = pl.col("_in1") & ~full & ~pair & ~pair_in & (part >= cs).fill_null(False)
    return now.select(
        "_i",
        "cs",
        rb_from=pl.when(full)
        .then(s1)
        .when(pair)
        .then(s2)
        .when(pair_in)
        .then(pair_part)
        .when(part_in)
        .then(part)
        .otherwise("rb_from"),
        rb_row=pl.when(full | part_in).then(r - 1).when(pair | pair_in).then(r - 2).otherwise(r),
        _going=full | pair,
    )


def _after_head(frame: pl.DataFrame, ctx: _Context) -> pl.DataFrame:
    """For each row of `frame`: whether a verb, and whether a capitalised word ("Bộ", "Sở"),
    stands in its role after the head."""
    w = ctx.words
    rows = frame.select(
        _i=pl.int_range(pl.len(), dtype=pl.Int64),
        _j=pl.when(pl.col("h").is_not_null()).then(
            pl.int_ranges(pl.col("_head_last") + 1, pl.col("last_row") + 1)
        ),
        _last=pl.col("last_row"),
    ).explode("_j")
    j = pl.col("_j")
    rows = w.gathered(
        rows, {"_j_": j, "_k_": j + 1}, {"_j_": ["verb1", "verb_first", "upper_lower"], "_k_": []}
    )
    pair = joined_in(
        rows,
        pl.col("_j_verb_first") & (j + 1 <= pl.col("_last")),
        [w.of("word", "_j_wid"), w.of("written", "_k_wid")],
        _VERBS.of_length(2),
    )
    rows = rows.with_columns(_verb=pl.col("_j_verb1") | pl.lit(pair))
    found = rows.group_by("_i").agg(verb=pl.col("_verb").any(), capital=pl.col("_j_upper_lower").any())
    return frame.with_row_index("_i").join(
        found.with_columns(pl.col("_i").cast(pl.UInt32)), on="_i", how="left", maintain_order="left"
    )


def _role_before(frame: pl.DataFrame, ctx: _Context) -> pl.DataFrame:
    """Add `role_before` (whether there is one) and its span `rb_from`..`role_end`: the role
    written before a run and its honorific, from its head to the run, within the clause:
    "Thứ trưởng Bộ Tư pháp ", "chủ tịch UBND tỉnh Thái Bình, ", "Chủ tịch UBND Q.1 ".

    A role before a comma and an honorific may be the previous person's ("đồng chí A, Phó Chủ
    tịch UBND quận, đồng chí B"): only one right before the name is taken. A verb after its
    head ("Giám đốc Sở cho biết, ...") or a dangling "của" means the role is not this
    person's."""
    # Only a run with a head starting in the 90 characters before it can have one: the others
    # are not read.
    para = pl.col("para")
    i = pl.lit(ctx.heads["at"]).search_sorted(place(para, pl.col("s"))).cast(pl.Int64) - 1
    near = (ctx.head("at", i) >= place(para, pl.col("w0"))).fill_null(False)
    frame = frame.with_row_index("_rb")
    found = _read_role_before(frame.filter(near), ctx).select("_rb", *_ROLE_BEFORE)
    flags = ["role_before", "rb_comma", "rb_acronym", "rb_capital"]
    return (
        frame.join(found, on="_rb", how="left", maintain_order="left")
        .with_columns(pl.col(flags).fill_null(False))
        .drop("_rb")
    )


# What the rules after read of the role before.
_ROLE_BEFORE = [
    "role_before",
    "rb_from",
    "rb_row",
    "role_end",
    "last_row",
    "rb_comma",
    "rb_acronym",
    "rb_capital",
]


def _read_role_before(frame: pl.DataFrame, ctx: _Context) -> pl.DataFrame:
    """`_role_before` for runs with a head before them."""
    frame = _prefixed(_latest_head(_clause_start(_before_end(frame, ctx), ctx), ctx), ctx)
    para, h = pl.col("para"), pl.col("h")
    end = place(para, pl.col("role_end"))
    head_words = pl.coalesce(*(pl.when(ctx.head(f"end{k}", h) <= end).then(k) for k in (4, 3, 2, 1)))
    frame = _after_head(frame.with_columns(_head_last=ctx.head("row", h) + head_words - 1), ctx)
    comma_before = (
        pl.when(pl.col("b_off") > 0)
        .then(pl.col("_part").str.ends_with(","))
        .otherwise(pl.col("_b1_in") & (pl.col("_b1_commas") > 0))
    )
    adjacent = pl.col("honorific").is_null() | ~comma_before
    dangling = pl.col("_function") & (pl.col("last_row") > pl.col("rb_row"))
    verb = pl.col("verb").fill_null(False)
    role = h.is_not_null() & adjacent & (pl.col("role_end") > pl.col("rb_from")) & ~verb & ~dangling
    return frame.with_columns(
        role_before=role.fill_null(False), rb_capital=pl.col("capital").fill_null(False)
    ).drop("_i", "verb", "capital")


def _role_at(
    frame: pl.DataFrame, ctx: _Context, row: str, at: str, prefix: str, pair_first: str
) -> pl.Series:
    """Whether a role — prefixes, then a head — starts at offset `at` of each row's paragraph,
    in the word at `row`; `prefix` and `pair_first` say whether the text from `at` to the end
    of that word is a prefix, or the first word of "đương kim"."""
    w, para = ctx.words, pl.col("para")
    found = frame.select(ctx.head_at(place(para, pl.col(at)))).to_series()
    # After prefixes, the head starts a word j rows on; only the rows with a prefix are read.
    sub = frame.with_row_index("_i").filter(pl.col(prefix) | pl.col(pair_first))
    if sub.is_empty():
        return found
    r = pl.col(row)
    names = ["prefix", "pair_first", "pair_second"]
    on = {f"_{j}_": r + j for j in range(1, _MAX_PREFIXES + 1)}
    sub = w.gathered(sub, on, dict.fromkeys(on, names)).with_columns(
        **{f"_{j}_in": w.within(r, j) for j in range(1, _MAX_PREFIXES + 1)},
        **{f"_{j}_head": ctx.head_at(place(para, w.start(r + j))) for j in range(1, _MAX_PREFIXES + 1)},
        _0_prefix=pl.col(prefix),
        _0_pair_first=pl.col(pair_first),
    )
    reach = {0: pl.lit(True), 1: pl.col(prefix) & pl.col("_1_in")}
    hit = reach[1] & pl.col("_1_head")
    for j in range(2, _MAX_PREFIXES + 1):
        single = reach[j - 1] & pl.col(f"_{j - 1}_prefix")
        pair = reach[j - 2] & pl.col(f"_{j - 2}_pair_first") & pl.col(f"_{j - 1}_pair_second")
        sub = sub.with_columns(**{f"_{j}_reach": (single | pair) & pl.col(f"_{j}_in")})
        reach[j] = pl.col(f"_{j}_reach")
        hit = hit | (reach[j] & pl.col(f"_{j}_head"))
    rows = sub.filter(hit)["_i"]
    return found.scatter(rows, True)


def _role_lead(frame: pl.DataFrame, ctx: _Context, fragments: pl.DataFrame) -> pl.DataFrame:
    """Add `ra_row`, `ra_from`: where a role phrase after the run starts, past a dash, comma or
    bracket ("Ngô Mạnh Điềm - Phó Bí thư", "Trần Hữu Lợi, thanh tra viên", "(Phó ..."); null if
    none. `_first_break`: where the first break stands in the text from there."""
    # Only runs with a lead after them are read.
    frame = frame.with_row_index("_rl")
    found = _read_lead(
        frame.filter(_lead_after(ctx, fragments)).select("_rl", "para", "e", "e_row", "e_fid"), ctx, fragments
    )
    return frame.join(found, on="_rl", how="left", maintain_order="left").drop("_rl")


def _read_lead(frame: pl.DataFrame, ctx: _Context, fragments: pl.DataFrame) -> pl.DataFrame:
    """`_role_lead` for the runs with a lead after them: `_rl`, `ra_row`, `ra_from`,
    `_first_break`."""
    e_row = pl.col("e_row")
    frame = _lead_case(frame, ctx, fragments)
    case = pl.col("_case")

    def by_case(
        tail: str | pl.Expr, nxt: str | pl.Expr, rest: str | pl.Expr, after: str | pl.Expr
    ) -> pl.Expr:
        return (
            pl.when(case == "tail")
            .then(tail)
            .when(case == "next")
            .then(nxt)
            .when(case == "rest")
            .then(rest)
            .when(case == "after")
            .then(after)
        )

    frame = frame.with_columns(
        ra_row=by_case(e_row, e_row + 1, e_row + 1, e_row + 2),
        ra_from=by_case(pl.col("e") + 1, pl.col("_n_start"), pl.col("_n_start") + 1, pl.col("_m_start")),
        _first_prefix=by_case("_t_prefix", "_n_prefix", "_n_rest_prefix", "_m_prefix").fill_null(False),
        _first_pair=by_case(
            "_t_pair_first", "_n_pair_first", "_n_rest_pair_first", "_m_pair_first"
        ).fill_null(False),
        _first_break=by_case("_t_break", "_n_phrase_break", "_n_rest_break", "_m_phrase_break"),
    )
    found = frame.select(pl.col("ra_row").is_not_null()).to_series() & _role_at(
        frame, ctx, "ra_row", "ra_from", "_first_prefix", "_first_pair"
    )
    return frame.select(
        "_rl",
        ra_row=pl.when(found).then("ra_row"),
        ra_from=pl.when(found).then("ra_from"),
        _first_break="_first_break",
    )


def _lead_case(frame: pl.DataFrame, ctx: _Context, fragments: pl.DataFrame) -> pl.DataFrame:
    """Add `_case`, where the role after the lead starts: right after it in the word the run
    ends ("A,Phó": "tail"), at the next word (after ",": "next"), after the lead starting the
    next word ("(Phó": "rest"), or at the word after that ("- Phó": "after"); and the facts of
    those words (`_t_`, `_n_`, `_m_`)."""
    w, e_row = ctx.words, pl.col("e_row")
    names = ["leads", "chars", "prefix", "pair_first", "rest_prefix", "rest_pair_first", "rest_break"]
    names.append("phrase_break")
    frame = w.gathered(
        frame, {"_n_": e_row + 1, "_m_": e_row + 2}, {"_n_": names, "_m_": names}
    ).with_columns(
        **{
            f"_t_{n}": _tail(fragments, f"tail_{n}")
            for n in ("empty", "lead", "one", "prefix", "pair_first", "break")
        },
        _n_in=w.within(e_row, 1),
        _m_in=w.within(e_row, 2),
        _n_start=w.start(e_row + 1),
        _m_start=w.start(e_row + 2),
    )
    empty, lead, one = pl.col("_t_empty"), pl.col("_t_lead"), pl.col("_t_one")
    next_lead = pl.col("_n_in") & pl.col("_n_leads")
    next_one = pl.col("_n_chars") == 1
    case = (
        pl.when(~empty & lead & ~one)
        .then(pl.lit("tail"))
        .when(~empty & lead & one & pl.col("_n_in"))
        .then(pl.lit("next"))
        .when(empty & next_lead & ~next_one)
        .then(pl.lit("rest"))
        .when(empty & next_lead & next_one & pl.col("_m_in"))
        .then(pl.lit("after"))
    )
    return frame.with_columns(_case=case)


def _next_person(rows: pl.DataFrame, ctx: _Context) -> pl.Series:
    """For each row of `rows` (word `_j`), where a next person's honorific starts if one ends
    there with a capitalised word after it (", đồng chí Nguyễn Mạnh Hà - ..."), back over the
    comma and spaces "\\s*,?\\s*" takes before it; the honorific may end a longer word, as the
    regex read it ("Thanh Hóa" holds "anh Hóa")."""
    w, j = ctx.words, pl.col("_j")
    ends = pl.col("_n_upper_first") & pl.col("_n_in") & (pl.col("_n_start") < pl.col("_window"))
    sub = rows.with_row_index("_r").filter(ends & w.of("hon_last", "_j_wid")).select("_r", "_j")
    found = pl.repeat(None, rows.height, dtype=pl.Int64, eager=True)
    starts = []
    for k in _HON.lengths:  # longest first: it starts first
        first = j - (k - 1)
        words = {f"_h{i}_": first + i for i in range(k)}
        names = {
            "_h0_": [f"cut{k}", f"cut{k}_at", f"cut{k}_comma"],
            **{f"_h{i}_": ["word", f"hon{k}_{i}"] for i in range(1, k)},
        }
        here = w.gathered(sub, words, names)
        rest = pl.all_horizontal(pl.col(f"_h{i}_hon{k}_{i}") for i in range(1, k)) if k > 1 else pl.lit(True)
        where = w.within(j, -(k - 1)) & rest & pl.col(f"_h0_cut{k}").is_not_null()
        parts = [pl.col(f"_h0_cut{k}"), *(pl.col(f"_h{i}_word") for i in range(1, k))]
        hit = joined_in(here, where, parts, _HON.of_length(k))
        offset = pl.col(f"_h0_cut{k}_at")
        at = w.start(first) + offset
        comma = pl.col(f"_h0_cut{k}_comma")
        glued = at - comma.cast(pl.Int64) - (comma & (offset == 1)).cast(pl.Int64)
        # At a word's start: the space before it, a comma ending the word before, and the
        # space before a comma standing alone.
        comma_before = w.within(first, -1) & (w.fact("commas", first - 1) > 0)
        alone = comma_before & (w.fact("chars", first - 1) == 1)
        spaced = at - 1 - comma_before.cast(pl.Int64) - alone.cast(pl.Int64)
        starts.append(
            here.select(
                pl.when(pl.lit(hit)).then(pl.when(offset == 0).then(spaced).otherwise(glued))
            ).to_series()
        )
    if sub.height:
        earliest = pl.DataFrame({str(k): start for k, start in enumerate(starts)}).select(
            pl.min_horizontal(pl.all())
        )
        found.scatter(sub["_r"], earliest.to_series())
    return found


def _ends_at(rows: pl.DataFrame, ctx: _Context) -> pl.Series:
    """For each word (`_j`) of the text after a role lead (`ra_row`, `ra_from`, `_window`),
    where the role phrases would end at it, if there: at a break (and the space before it), a
    verb or other stop word (and the space before it), or a next person's honorific."""
    w, j = ctx.words, pl.col("_j")
    rows = w.gathered(
        rows,
        {"_j_": j, "_n_": j + 1},
        {"_j_": ["phrase_break", "stop1", "stop_first", "word"], "_n_": ["upper_first", "written"]},
    ).with_columns(_start=w.start(j), _n_start=w.start(j + 1), _n_in=w.within(j, 1))
    first = j == pl.col("ra_row")
    own = pl.col("_j_phrase_break")
    broken = (
        pl.when(first)
        .then(pl.col("ra_from") + pl.col("_first_break"))
        .otherwise(pl.col("_start") + own - (own == 0).cast(pl.Int64))
    )
    pair = joined_in(
        rows,
        ~first & pl.col("_j_stop_first") & pl.col("_n_in"),
        [pl.col("_j_word"), pl.col("_n_written")],
        _STOPS.of_length(2),
    )
    stop = ~first & (pl.col("_j_stop1") | pl.lit(pair))
    person = pl.lit(_next_person(rows, ctx))
    return rows.select(
        pl.min_horizontal(
            broken,
            pl.when(stop).then(pl.col("_start") - 1),
            pl.when(person >= pl.col("ra_from")).then(person),
        )
    ).to_series()


# Words of the text after a lead read at a time: the phrase mostly ends within them.
_STRIDE = 8


def _roles_after(frame: pl.DataFrame, ctx: _Context, fragments: pl.DataFrame) -> pl.DataFrame:
    """Add `ra_from`..`ra_to` (`ra_row`..`ra_last`), the role phrases after a dash or comma
    (null if none), up to the verb or the end of the clause, or up to the next person (",
    đồng chí Nguyễn Mạnh Hà - ..."), within 220 characters of the run.

    The text is read a few words at a time, until the window ends or what was found ends
    before anything later could (an end found at a word lies at most three characters before
    the word two back)."""
    w, j = ctx.words, pl.col("_j")
    frame = _role_lead(frame, ctx, fragments).with_row_index("_i")
    todo = frame.filter(pl.col("ra_row").is_not_null()).select(
        "_i",
        "para",
        "ra_row",
        "ra_from",
        "_first_break",
        _window=pl.col("e") + RIGHT,
        _end=pl.lit(w.end_rows).gather(pl.col("para")),
        _from="ra_row",
        _best=pl.lit(None, pl.Int64),
    )
    done = []
    while todo.height:
        rows = todo.with_columns(
            _j=pl.int_ranges("_from", pl.min_horizontal(pl.col("_from") + _STRIDE, "_end"))
        )
        rows = rows.explode("_j").filter(w.start(j) < pl.col("_window"))
        rows = rows.with_columns(_at=_ends_at(rows, ctx), _last_end=w.end(j))
        read = rows.group_by("_i", maintain_order=True).agg(
            pl.col("_at").min(),
            pl.col("_last_end").last(),
            *(pl.col(c).first() for c in todo.columns if c != "_i"),
        )
        nxt = pl.col("_from") + _STRIDE
        more = (nxt < pl.col("_end")) & (w.start(nxt) < pl.col("_window"))
        best = pl.min_horizontal("_best", "_at")
        read = read.with_columns(_best=best, _more=more, _settled=best < w.start(nxt - 2) - 3)
        finished = ~pl.col("_more") | pl.col("_settled").fill_null(False)
        # Else the phrase ends with the window (less a space before its end).
        end = pl.min_horizontal(
            "_best", pl.when(~pl.col("_more")).then(pl.min_horizontal("_last_end", "_window"))
        )
        done.append(read.filter(finished).select("_i", ra_to=end))
        todo = read.filter(~finished).select(*todo.columns).with_columns(_from=nxt)
    to = pl.concat(done) if done else pl.DataFrame(schema={"_i": pl.UInt32, "ra_to": pl.Int64})
    frame = frame.join(to, on="_i", how="left", maintain_order="left")
    found = pl.col("ra_row").is_not_null() & (pl.col("ra_to") > pl.col("ra_from"))
    return frame.with_columns(
        ra_row=pl.when(found).then("ra_row"),
        ra_from=pl.when(found).then("ra_from"),
        ra_to=pl.when(found).then("ra_to"),
    ).drop("_first_break", "_i")


def _run_facts() -> dict[str, pl.Expr]:
    """What the rules ask of a run (`run`): the name in it, read plainly or after an office
    written before it ("Hà Nội Nguyễn Khắc Hiền": from the first surname that leaves two to four
    words, or what follows a country: "Mỹ Donald Trump"); whether it starts an office or a
    place; whether it is a place."""
    run = pl.col("run")
    # A one-syllable country is also a given name ("Mỹ Linh", "Anh Tuấn"): stripped only before
    # two words and more ("Mỹ Donald Trump").
    after_place = pl.coalesce(
        run.str.extract(rf"^(?:{_LONG_PLACE})\s+({_NAME_WORD}(?:\s{_NAME_WORD}){{0,3}})$", 1),
        run.str.extract(rf"^(?:{_PLACE})\s+({_NAME_WORD}(?:\s{_NAME_WORD}){{1,3}})$", 1),
    )
    rest = pl.coalesce(after_place, run)
    # Every word of a run is a name word: the name starts at the first of its last four to two
    # words that is a surname.
    words = rest.str.split(" ")
    from_surname = pl.coalesce(
        *(
            pl.when(words.list.get(-n, null_on_oob=True).is_in(_SURNAMES)).then(
                words.list.tail(n).list.join(" ")
            )
            for n in (4, 3, 2)
        )
    )
    return {
        "name_plain": rest,
        "name_office": pl.coalesce(from_surname, after_place),
        "starts_office": run.str.contains(rf"^(?:{_ORG}|{_PLACE})\b"),
        "is_place": run.str.contains(rf"^(?:{_PLACE})$"),
    }


def _name_facts() -> dict[str, pl.Expr]:
    """What the rules ask of a name (`name`): whether it starts an institution's name ("Bộ Công
    Thương", "Sở Y") and does not read as a surname and a given name ("Đoàn Ngọc Hải"), whether
    it is a post ("Phó", "Trưởng"), how many spaces it has."""
    name = pl.col("name")
    words = name.str.split(" ")
    surname_first = words.list.first().is_in(_SURNAMES) & words.list.len().is_between(2, 4)
    return {
        "office": name.str.contains(rf"^(?:{_ORG})\b") & ~surname_first,
        "post": name.str.contains(rf"^(?:{_POST})$"),
        "spaces": name.str.count_matches(" ").cast(pl.Int64),
    }


def _run_text(frame: pl.DataFrame, occurrences: pl.DataFrame, words: Tokens) -> pl.Series:
    """The run of each row (its name words `r`..`z`, one space between them): the text from the
    first to the end of the last."""
    ends = occurrences["start"] + occurrences["off"] + occurrences["flen"]
    spans = frame.select(
        _first=gather(occurrences["row"], "r"),
        _last=gather(occurrences["row"], "z"),
        _start="rs",
        _end=gather(ends, "z"),
    )
    return spelled(words, spans, "_first", "_last", "_start", "_end")


def _after_place_noun(frame: pl.DataFrame, ctx: _Context) -> pl.Series:
    """Whether each run follows a place noun, as whole words in any case: "đường", "tỉnh",
    "thành phố", "TP."."""
    w, s_row = ctx.words, pl.col("s_row")
    ends = (pl.col("s_off") == 0) & w.within(s_row, -1) & w.fact("place_noun_last", s_row - 1)
    found = pl.repeat(False, frame.height, dtype=pl.Boolean, eager=True)
    for k in _PLACE_NOUNS.lengths:
        text = [w.fact("lower", s_row - k + i) for i in range(k)]
        found = found | joined_in(frame, ends & w.within(s_row, -k), text, _PLACE_NOUNS.of_length(k))
    return found


def _named(
    frame: pl.DataFrame, ctx: _Context, occurrences: pl.DataFrame, fragments: pl.DataFrame
) -> pl.DataFrame:
    """Add `name`, where it starts (`name_start`) and ends, whether it names someone (`named`)
    and the office words of the run before it."""
    frame = on_distinct(
        frame.with_columns(run=_run_text(frame, occurrences, ctx.words.tokens)),
        "run",
        _run_facts(),
    )
    # An office written between the role and the run ("Thứ trưởng Bộ Tư pháp", "chủ tịch UBND
    # tỉnh Thái Bình") may run into the name. Not so after a bare role ("HLV", "hậu vệ phải"),
    # a comma, or an acronym, which no name joins ("chủ tịch CLB").
    by_office = (
        pl.col("honorific").is_null()
        & pl.col("role_before")
        & ~pl.col("rb_comma")
        & ((pl.col("rb_capital") & ~pl.col("rb_acronym")) | pl.col("starts_office"))
    )
    frame = frame.with_columns(name=pl.when(by_office).then("name_office").otherwise("name_plain"))
    frame = on_distinct(frame, "name", _name_facts())
    run_chars = pl.col("run").str.len_chars().cast(pl.Int64)
    name_chars = pl.col("name").str.len_chars().cast(pl.Int64)
    name_fid = pl.lit(occurrences["fid"]).gather((pl.col("z") - pl.col("spaces")).clip(0))
    frame = frame.with_columns(
        name_start=pl.col("rs") + run_chars - name_chars,
        name_end=pl.col("rs") + run_chars,
        office_words=pl.col("run").str.head(run_chars - name_chars).str.strip_chars(),
        _name_row=pl.lit(occurrences["row"]).gather((pl.col("z") - pl.col("spaces")).clip(0)),
        _name_prefix=pl.lit(fragments["from_prefix"]).gather(name_fid),
        _name_pair=pl.lit(fragments["from_pair_first"]).gather(name_fid),
    )
    # A name right after a place noun is the place's: "đường Bà Triệu", "tỉnh Thái Bình".
    place_name = (pl.col("name_start") == pl.col("rs")) & pl.lit(_after_place_noun(frame, ctx))
    # The words start a role or an office themselves: "Phó Bí thư", "Ủy viên", "Bộ Công Thương";
    # "Đại sứ Việt Nam", "HLV Man Utd"; but "chị Anh" is a person called Anh.
    role = _role_at(frame, ctx, "_name_row", "name_start", "_name_prefix", "_name_pair")
    not_a_name = (
        pl.lit(role)
        | pl.col("office")
        | pl.col("post")
        | (pl.col("honorific").is_null() & pl.col("is_place"))
    )
    named = pl.col("name").is_not_null() & ~place_name.fill_null(False) & ~not_a_name.fill_null(False)
    return frame.with_columns(named=named).drop("_name_row", "_name_prefix", "_name_pair")


def _phrase_ends(frame: pl.DataFrame, ctx: _Context, fragments: pl.DataFrame) -> pl.Series:
    """Whether the run ends its phrase: punctuation after it, the paragraph's end, or a verb."""
    w, e_row = ctx.words, pl.col("e_row")
    frame = w.gathered(
        frame,
        {"_n_": e_row + 1, "_m_": e_row + 2},
        {"_n_": ["ends", "stop1", "stop_first", "word"], "_m_": ["written"]},
    ).with_columns(
        _t_empty=_tail(fragments, "tail_empty"),
        _t_ends=_tail(fragments, "tail_ends"),
        _n_in=w.within(e_row, 1),
        _m_in=w.within(e_row, 2),
    )
    empty, nxt = pl.col("_t_empty"), pl.col("_n_in")
    pair = joined_in(
        frame,
        empty & nxt & pl.col("_n_stop_first") & pl.col("_m_in"),
        [pl.col("_n_word"), pl.col("_m_written")],
        _STOPS.of_length(2),
    )
    ends = (
        pl.when(empty).then(~nxt | pl.col("_n_ends") | pl.col("_n_stop1") | pl.lit(pair)).otherwise("_t_ends")
    )
    return frame.select(ends).to_series()


def _people(frame: pl.DataFrame, ctx: _Context, fragments: pl.DataFrame) -> pl.DataFrame:
    """Add `is_person`, and the honorific and roles of a name joined by "và" or "hoặc" to the
    person before it, which share them: "ông Trump và Biden", "hai ứng viên Donald Trump và Joe
    Biden"."""
    w = ctx.words
    multi = pl.col("spaces") > 0
    is_person = (
        pl.col("named")
        & (
            pl.col("honorific").is_not_null()
            | pl.col("role_before")
            | (pl.col("ra_row").is_not_null() & multi)
        )
        # five words and more are an organisation's or a place's name, not a person's
        & (pl.col("spaces") < 5)
        # one word after a role alone must end the phrase ("Tổng thống Trump nói"), or it
        # starts a noun phrase ("Phó Bí thư Thường trực")
        & (pl.col("honorific").is_not_null() | multi | pl.lit(_phrase_ends(frame, ctx, fragments)))
    )
    frame = frame.with_columns(is_person=is_person.fill_null(False))
    # Runs are in reading order: the person before is the previous row, if of the paragraph.
    shares = (
        pl.col("named")
        & ~pl.col("is_person")
        & pl.col("honorific").is_null()
        & ~pl.col("role_before")
        & (pl.col("para") == pl.col("para").shift(1))
        & pl.col("is_person").shift(1)
        & pl.col("va_before")
        & (pl.col("name_end").shift(1) == w.start(pl.col("s_row") - 1) - 1)
    ).fill_null(False)
    inherited = [
        "honorific", "role_before", "rb_from", "rb_row", "role_end", "last_row",
        "ra_row", "ra_from", "ra_to", "office_words",
    ]  # fmt: skip
    frame = frame.with_columns(_shares=shares)
    return frame.with_columns(
        *(pl.when("_shares").then(pl.col(c).shift(1)).otherwise(pl.col(c)).alias(c) for c in inherited),
        is_person=pl.col("is_person") | pl.col("_shares"),
    )


def _split_roles(roles: pl.Expr) -> pl.Expr:
    """ "Thành ủy viên, Bí thư Quận uỷ, Chủ tịch HĐND Quận" -> three phrases; a piece that starts
    no role ("Bộ Công Thương", "Thanh tra Chính phủ") stays with the one before it."""
    marked = roles.str.replace_all(rf"(\s*(?:,|;|\s-|\s–)\s*)({_ROLE})", "\x1f$2")
    return marked.str.split("\x1f").list.eval(pl.element().str.strip_chars(" ,-–"))


_SCHEMA = {
    "article_id": pl.String, "paragraph_no": pl.Int64, "char_start": pl.Int64, "char_end": pl.Int64,
    "name": pl.String, "honorific": pl.String, "roles": pl.String, "person_id": pl.String,
}  # fmt: skip


def extract_people(words: Tokens) -> pl.DataFrame:
    """One row per person named with a role or an honorific (`PERSON`'s columns)."""
    fragments = _fragments(words.vocab)
    occurrences = _occurrences(words, fragments)
    if occurrences.is_empty():
        return pl.DataFrame(schema=_SCHEMA)
    ctx = _Context(words)
    frame = _cued(_candidates(occurrences, fragments), ctx, fragments)
    frame = _roles_after(_role_before(_honorific_before(frame, ctx), ctx), ctx, fragments)
    worth = (
        pl.col("honorific").is_not_null()
        | pl.col("role_before")
        | pl.col("ra_row").is_not_null()
        | pl.col("va_before")
    )
    frame = _people(_named(frame.filter(worth), ctx, occurrences, fragments), ctx, fragments).filter(
        "is_person"
    )
    return _spelled_people(frame, ctx)


def _spelled_people(frame: pl.DataFrame, ctx: _Context) -> pl.DataFrame:
    """The person rows, with their roles spelled from the words."""
    words = ctx.words.tokens
    frame = frame.with_columns(ra_last=last_word(frame, ctx.words, "ra_row", "ra_to"))
    role_before = spelled(words, frame, "rb_row", "last_row", "rb_from", "role_end")
    roles_after = spelled(words, frame, "ra_row", "ra_last", "ra_from", "ra_to")
    frame = frame.with_columns(_rb=pl.when("role_before").then(role_before), _ra=roles_after)
    none = pl.lit([], dtype=pl.List(pl.String))
    before = pl.concat_str(
        pl.col("_rb").str.strip_chars(" ,"), pl.col("office_words"), separator=" "
    ).str.strip_chars()
    frame = on_distinct(frame, "_ra", {"_after": _split_roles(pl.col("_ra"))})
    roles = pl.concat_list(pl.concat_list(before).list.drop_nulls(), pl.col("_after").fill_null(none))
    keys = {key: pl.lit(words.paragraphs[key]).gather(pl.col("para")) for key in KEYS}
    return frame.select(
        **keys,
        char_start=pl.col("name_start"),
        char_end=pl.col("name_end"),
        name="name",
        honorific="honorific",
        roles=pl.when(roles.list.len() > 0).then(roles.list.join(LIST_DELIMITER)),
    ).with_columns(person_id=span_id())

"""The coding engine of theme dictionaries: which tokens mention which theme, and which are negated.

Private to the text wing. :class:`Matcher` classifies tokens and scans one comment at a time
(for :meth:`~surveykit.text.themes.ThemeDictionary.explain`); :class:`BatchCoder` codes many
normalized comments at once into theme flags, as array operations; :func:`code_distinct`
drives it over the distinct comments of :func:`~surveykit.text.counts.theme_counts`, in chunks
and, for large inputs, in worker processes. The matcher and the coder of a dictionary are built
once (:func:`matcher`, :func:`batch_coder`) and kept in the dictionary's cache, which pickling
empties.

Each distinct comment is normalized and tokenized once and coded on the fly into one row of
bit flags per theme (1 a plain mention, 2 a negated one). From 20,000 distinct comments two
worker processes share the chunks and send back flags, status bytes and word counts, never
token lists; no token list outlives its chunk, so the memory is that of the flags (distinct
comments x themes bytes) plus the codes.
"""

from __future__ import annotations

import os
import re
import sys
import warnings
from collections import Counter
from typing import TYPE_CHECKING

import numpy as np

from ..errors import SurveykitWarning
from ._backends import MEMO_SIZE, SEP
from .normalize import _JOIN, _kind_of_normalized, _normalize_many, _plain, normalize_text, to_halfwidth

if TYPE_CHECKING:  # pragma: no cover
    from .themes import ThemeDictionary

# Degree adverbs jieba glues to a one-character keyword (太贵, 好贵, 超贵).
_DEGREE = ("太", "很", "好", "挺", "超", "真", "巨", "贼", "较", "更", "偏", "最", "特", "蛮", "忒", "老")
# Contrastive conjunctions end the reach of a negator like punctuation does.
_CONTRAST = frozenset(("但", "但是", "不过", "可是", "然而", "只是", "却", "but", "however"))
# Clause ends, as tokens after normalization (full-width forms are half-width by then; "…"
# is "..."); the enumeration comma 、 is not one.
_BREAK_CHARS = frozenset(",。;!?~.\n")
_BREAK_STRING = "".join(sorted(_BREAK_CHARS))
# White space next to a non-ASCII character ends a clause too (价格不贵 质量好; "not good" stays
# whole); the tokenizer drops white space, so it is marked with 。 before tokenizing.
# The matches of (?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f]), written to begin with \s: the engine then skips to the
# next white space in C instead of trying the look-arounds at every character (~2x faster, ~4x on a batch)
_SPACE_BREAK = re.compile(r"\s(?:(?<=[^\x00-\x7f]\s)\s*|\s*(?=[^\x00-\x7f]))")
_WHITE = re.compile(r"\s")
_CHUNK = 5000  # distinct comments tokenized per call
_CHUNK_MIN = 1000  # ... at least, when worker processes share the work
_PARALLEL_MIN = 20_000  # distinct comments from which worker processes pay (about 0.1 s to start two)
_PARALLEL_CHARS = 500_000  # ... or characters of distinct comments (about 0.3 s of coding in one process)
NOT_TEXT, NON_ANSWER, SUBSTANTIVE = 0, 1, 2  # the status of a comment (ThemeCounts.status)
_ALWAYS_CHECK = 24  # a comment this short is checked for a non-answer even when it names a theme (没有意见)
_WORD_RE = re.compile(r"[^\W\d_]", re.UNICODE)  # a token that holds a letter (CJK, Latin ...)


# ---------------------------------------------------------------------------------------------
# matching


def mark_breaks(text: str) -> str:
    """``text`` with white space next to a non-ASCII character replaced by 。 (a clause end the tokenizer keeps)."""
    if text.isascii() or _WHITE.search(text) is None:  # the usual case: a search is ~10x cheaper than the sub
        return text
    return _SPACE_BREAK.sub("。", text)


def mark_breaks_many(texts: list[str]) -> list[str]:
    """``[mark_breaks(t) for t in texts]``, in one substitution over the texts joined by NUL.

    NUL is an ASCII character and not white space, so at the joins the pattern sees what it sees
    at the ends of a text. A text the marking leaves as it was is the same object.
    """
    joined = _JOIN.join(texts)
    if joined.count(_JOIN) != len(texts) - 1:  # a text holds NUL itself: one at a time
        return [mark_breaks(t) for t in texts]
    marked = _SPACE_BREAK.sub("。", joined).split(_JOIN)
    return [t if m == t else m for t, m in zip(texts, marked)]


def comment_tokens(texts: list[str], analyzer) -> list[list[str]]:
    """Tokens of each text, stop words and punctuation kept, clause-ending white space marked with 。."""
    return analyzer.tokenize([mark_breaks(t) for t in texts], drop_stop_words=False)


_OTHER, _MENTION, _NEG_MENTION, _NEGATOR, _BREAK = range(5)
_NONE = (_OTHER, (), "")


class TokenCache(dict):
    """token -> (kind, themes, keyword); a token is classified once, on first sight."""

    def __init__(self, matcher: Matcher):
        super().__init__()
        self.matcher = matcher

    def __missing__(self, token: str) -> tuple:
        out = self.matcher.classify(token)
        if out[0] in (_MENTION, _NEG_MENTION):
            self.matcher.mention_tokens.add(token)
        if len(self) < 2_000_000:  # bounded: a corpus of random strings must not fill the memory
            self[token] = out
        return out


class Matcher:
    """Classifies tokens (cached per distinct token) and scans a comment's tokens for mentions."""

    def __init__(self, d: ThemeDictionary, normalize=str.lower):
        index = {t.id: i for i, t in enumerate(d.themes)}
        self.n_themes = len(d.themes)
        # a mention codes its theme and the parent theme
        self.closure = [tuple(dict.fromkeys([i] + ([index[t.parent]] if t.parent else [])))
                        for i, t in enumerate(d.themes)]
        lookup: dict[str, list[int]] = {}
        canonical: dict[str, str] = {}
        for i, t in enumerate(d.themes):
            for w, k in [(w, w) for w in t.keywords] + list(t.synonyms):
                lookup.setdefault(normalize(w), []).append(i)
                canonical.setdefault(normalize(w), k)
        self.lookup = {w: tuple(sorted(set(v))) for w, v in lookup.items()}
        self.canonical = canonical
        self.lengths = sorted({len(w) for w in self.lookup if len(w) >= 2}, reverse=True)
        self.negators = frozenset(normalize(n) for n in d.negators)
        self.negator_prefixes = sorted(self.negators, key=len, reverse=True)
        self.negator_starts = frozenset(n[:1] for n in self.negators)
        self.negated_forms = frozenset(normalize(n) for n in d.negated_forms)
        self.window = d.negation_window
        self.mention_tokens: set[str] = set()
        self.cache = TokenCache(self)

    def _word(self, w: str):
        """(themes, keyword) of a keyword or synonym, or of a degree adverb + one-character keyword."""
        hit = self.lookup.get(w)
        if hit is not None:
            return hit, self.canonical[w]
        if len(w) == 2 and w[0] in _DEGREE and w[1] in self.lookup:
            return self.lookup[w[1]], self.canonical[w[1]]
        return None

    def classify(self, token: str) -> tuple:
        """(kind, themes, keyword) of a token (uncached; use ``cache[token]``)."""
        t = token.lower()
        hit = self._word(t)
        if hit is not None:
            return (_MENTION, *hit)
        if t in _CONTRAST or (t and not t.strip(_BREAK_STRING)):  # t made of clause-end characters only
            return (_BREAK, (), "")
        for n in self.negator_prefixes if t[:1] in self.negator_starts else ():  # 不划算, 无破损, 不贵
            if len(t) > len(n) and t.startswith(n):
                hit = self._word(t[len(n):])
                if hit is not None:
                    return (_NEG_MENTION, *hit)
        if t in self.negators or t in self.negated_forms:
            return (_NEGATOR, (), "")
        themes: set[int] = set()  # a compound beginning or ending with a keyword of 2+ characters
        kws = []
        for k in self.lengths:
            if k < len(t):
                for part in (t[:k], t[-k:]):
                    if part in self.lookup:
                        themes.update(self.lookup[part])
                        kws.append(self.canonical[part])
        if themes:
            return (_MENTION, tuple(sorted(themes)), "/".join(dict.fromkeys(kws)))
        return _NONE

    def scan(self, tokens: list[str]) -> list[tuple]:
        """Mentions in one comment: (clause, token, keyword, themes with parents, negated, negator)."""
        kinds = list(map(self.cache.__getitem__, tokens))
        if self.mention_tokens.isdisjoint(tokens):
            return []
        events = [(i, k) for i, k in enumerate(kinds) if k is not _NONE]  # mentions, negators, clause ends
        w = self.window
        reach: dict[int, int] = {}  # mention position -> position of the negator that reaches it
        last = None
        for i, (kind, _, _) in events:  # negators before a mention
            if kind == _BREAK:
                last = None
            elif kind == _NEGATOR:
                last = i
            else:
                if last is not None and i - last <= w:
                    reach[i] = last
                last = i if kind == _NEG_MENTION else None
        nxt = None
        for i, (kind, _, _) in reversed(events):  # negators after a mention
            if kind == _BREAK:
                nxt = None
            elif kind == _NEGATOR:
                nxt = i
            else:
                if nxt is not None and nxt - i <= w and i not in reach:
                    reach[i] = nxt
                nxt = i if kind == _NEG_MENTION else None
        out = []
        clause = 0
        for i, (kind, themes, kw) in events:
            if kind == _BREAK:
                clause += 1
                continue
            if kind == _NEGATOR:
                continue
            if kind == _NEG_MENTION:  # the negator part of a token such as 不划算
                low = tokens[i].lower()
                negated, negator = True, next(p for p in self.negator_prefixes if low.startswith(p))
            elif i in reach:
                negated, negator = True, tokens[reach[i]]
            else:
                negated, negator = False, ""
            closure = themes if len(themes) == 1 and self.closure[themes[0]] == themes else \
                tuple(dict.fromkeys(j for th in themes for j in self.closure[th]))
            out.append((clause, tokens[i], kw, closure, negated, negator))
        return out

    def code(self, tokens: list[str]) -> dict[int, int] | None:
        """Bit flags by theme index for one comment (1 a plain mention, 2 a negated one); None: no theme."""
        mentions = self.scan(tokens)
        if not mentions:
            return None
        bits: dict[int, int] = {}
        for _, _, _, themes, negated, _ in mentions:
            for j in themes:
                bits[j] = bits.get(j, 0) | (2 if negated else 1)
        return bits


# The batch coder's view of a raw token: an int, its kind in the low 3 bits and, for a mention, the number
# of its theme combination (the themes it codes, parents included) above them (bits 3-31); from bit 32, its
# row in the polarity scorer (text/polarity.py), so that one look-up per token serves both
_K_OTHER, _K_CLAUSE, _K_END, _K_NEGATOR, _K_MENTION, _K_NEG_MENTION, _K_SKIP = range(7)  # skip: white space
ROW_SHIFT = 32
COMBO_MASK = (1 << (ROW_SHIFT - 3)) - 1  # (value >> 3) & COMBO_MASK: the theme combination


class Events(dict):
    """raw token -> kind | combination << 3 | polarity row << ROW_SHIFT: one look-up per token, filled on first sight.

    The raw token goes through the analyzer's own synonym map (its memo) and the matcher's
    classification (its cache), so the coding equals :meth:`Matcher.scan` token for token; its
    polarity row is the scorer's (``rows[raw]``, :class:`surveykit.text.polarity.Scorer`).
    """

    def __init__(self, matcher: Matcher, canonical: dict, rows: dict):
        super().__init__()
        self.matcher, self.canonical, self.rows = matcher, canonical, rows
        self.combos: dict[tuple[int, ...], int] = {}  # theme combination -> its number (kept on reset)
        self.reset()

    def reset(self) -> None:
        self.clear()
        self[SEP] = _K_END | self.rows[SEP] << ROW_SHIFT

    def __missing__(self, raw: str) -> int:
        value = self._value(raw) | self.rows[raw] << ROW_SHIFT
        self[raw] = value
        return value

    def _value(self, raw: str) -> int:
        token = self.canonical[raw]
        if not token:
            value = _K_SKIP  # white space: the tokenizer drops it, so it takes no place in the negation window
        else:
            kind, themes, _ = self.matcher.cache[token]
            if kind == _OTHER:
                value = _K_OTHER
            elif kind == _BREAK:
                value = _K_CLAUSE
            elif kind == _NEGATOR:
                value = _K_NEGATOR
            else:
                combo = tuple(sorted({j for th in themes for j in self.matcher.closure[th]}))
                number = self.combos.setdefault(combo, len(self.combos))
                value = (_K_NEG_MENTION if kind == _NEG_MENTION else _K_MENTION) | number << 3
        return value


class BatchCoder:
    """Codes many normalized comments at once: one tokenizer call, one dict look-up per token, numpy for the rest.

    :meth:`Matcher.scan` finds the mentions of one comment and who negates them (for
    :meth:`ThemeDictionary.explain`); this gives only what theme counts need, the flags. The
    rule of `scan` looks only at the events next to a mention (events: mentions, negators,
    clause ends, the end of a comment): a mention is negated when it is a negated mention itself
    (不划算), or when the event just before it, or just after it, is a negator or a negated mention
    within the window. So it holds for all the events of a batch at once, as array operations.
    tests/test_text_themes.py checks the two codings agree on a large varied corpus.
    """

    def __init__(self, d: ThemeDictionary):
        self.analyzer = d.analyzer
        self.themes = d  # for the polarity of mentions (text/polarity.py)
        m = matcher(d)
        self.n_themes, self.window = m.n_themes, m.window
        from .polarity import scorer  # (imports this module)

        self.events = Events(m, self.analyzer._memo[False], scorer(d))
        self._members: np.ndarray | None = None

    def _combo_themes(self) -> np.ndarray:
        """Each combination as bools over the themes (rows), rebuilt when combinations were added."""
        combos = self.events.combos
        if self._members is None or len(self._members) != len(combos):
            members = np.zeros((max(len(combos), 1), self.n_themes), dtype=bool)
            for combo, number in combos.items():
                members[number, list(combo)] = True
            self._members = members
        return self._members

    def code(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, list[str], list[int], np.ndarray]:
        """``(flags, matched, tokens, ends, polarity)`` of normalized, non-empty texts with their clause breaks marked.

        ``flags`` is texts x themes (1 a plain mention, 2 a negated one, 3 both), ``matched`` one
        bool per text (some theme mentioned), ``tokens`` the raw tokens of all texts, each text's
        ended by ``tokenize._SEP``, and ``ends`` the position of each of those; ``polarity`` is
        texts x themes int8, -1 / 0 / +1 (:func:`surveykit.text.polarity.mention_polarity`).
        """
        flat = self.analyzer._cut_many(texts)
        events = self.events
        if len(events) > MEMO_SIZE:  # HMM debris of a huge corpus: start again (the analyzer's memo too)
            events.reset()
            events.canonical.clear()
        value = np.fromiter(map(events.__getitem__, flat), dtype=np.int64, count=len(flat))
        kind = value & 7
        ends = np.flatnonzero(kind == _K_END)
        flags = np.zeros((len(texts), self.n_themes), dtype=np.uint8)
        matched = np.zeros(len(texts), dtype=bool)
        skip = kind == _K_SKIP
        at = np.flatnonzero((kind != _K_OTHER) & ~skip)  # the events
        k = kind[at]
        mention = np.flatnonzero(k >= _K_MENTION)
        if not len(mention):
            return flags, matched, flat, ends.tolist(), np.zeros(flags.shape, dtype=np.int8)
        pos = at - np.cumsum(skip)[at] if skip.any() else at  # white space takes no place in the window
        negates = (k == _K_NEGATOR) | (k == _K_NEG_MENTION)
        near = np.diff(pos) <= self.window
        before = np.zeros(len(at) + 1, dtype=bool)  # before[i + 1]: event i is a negator near the event after it
        before[1:-1] = negates[:-1] & near
        after = np.zeros(len(at) + 1, dtype=bool)  # after[i]: event i + 1 is a negator near event i
        after[:-2] = negates[1:] & near
        negated = (k[mention] == _K_NEG_MENTION) | before[mention] | after[mention]
        text = np.cumsum(k == _K_END)[mention]  # each mention's text: the number of ends before it
        members = self._combo_themes()[(value[at[mention]] >> 3) & COMBO_MASK]
        matched[text] = True
        rows, cols = np.nonzero(members)
        plain = np.zeros(flags.shape, dtype=bool)
        plain[text[rows[~negated[rows]]], cols[~negated[rows]]] = True
        neg = np.zeros(flags.shape, dtype=bool)
        neg[text[rows[negated[rows]]], cols[negated[rows]]] = True
        flags += plain
        flags += neg.view(np.uint8) << 1
        from .polarity import mention_polarity  # (imports this module)

        polarity = mention_polarity(self.themes, value, self._combo_themes(), len(texts), self.window)
        return flags, matched, flat, ends.tolist(), polarity



def matcher(d: ThemeDictionary) -> Matcher:
    """The matcher of a dictionary, built once (on its analyzer's normalization)."""
    if "matcher" not in d._cache:
        normalize = getattr(d.analyzer, "normalize", None)
        d._cache["matcher"] = Matcher(d, (lambda w: normalize(w).lower()) if normalize else str.lower)
    return d._cache["matcher"]


def batch_coder(d: ThemeDictionary) -> BatchCoder:
    """The batch coder of a dictionary, built once (with its analyzer and matcher)."""
    if "coder" not in d._cache:
        d._cache["coder"] = BatchCoder(d)
    return d._cache["coder"]


# ---------------------------------------------------------------------------------------------
# coding many comments


class UnmatchedWords(dict):
    """raw token -> the word it counts as in an unmatched comment, or None (stop word, negator, punctuation ...)."""

    def __init__(self, themes: ThemeDictionary):
        super().__init__()
        analyzer = themes.analyzer
        self.canonical, self.kept = analyzer._memo[False], analyzer._memo[True]  # synonyms; stop words dropped
        self.stop = {w.lower() for w in (*themes.negators, *themes.negated_forms, *themes.stop_words)}

    def __missing__(self, raw: str):
        if len(self) > 1_000_000:  # a vocabulary this large is HMM debris: start again (the analyzer's memo too)
            self.clear()
            self.kept.clear()
        token = self.canonical[raw]
        word = self.kept[token].lower() if token else ""
        value = word if word and _WORD_RE.search(word) and word not in self.stop \
            and not (len(word) == 1 and word.isascii()) else None
        self[raw] = value
        return value


def code_chunk(themes: ThemeDictionary, texts: list,
                mult: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, Counter, np.ndarray]:
    """Theme flags (texts x themes), status, length (0 if not text), unmatched-word counts and polarity of cells.

    Each text is normalized once (clause-ending white space marked first, as
    :meth:`ThemeDictionary.explain` does) and the whole chunk is cut and coded in one pass
    (:class:`BatchCoder`). A non-answer (:func:`~surveykit.text.normalize.
    is_non_answer`: 无, 没有, nothing, 。) is looked for in every comment that matches no theme and in
    every short one, on the same normalized text where the marking changed nothing; a longer
    comment that names a theme is substantive. Words of substantive comments that match no theme
    are counted once per comment, times its respondents (``mult``).
    """
    coder = batch_coder(themes)
    unmatched = themes._cache.get("unmatched_words")
    if unmatched is None:
        unmatched = themes._cache["unmatched_words"] = UnmatchedWords(themes)
    simplify = coder.analyzer.simplify  # as TextAnalyzer.normalize; is_non_answer always simplifies
    k, n_themes = len(texts), coder.n_themes
    rows = [r for r, t in enumerate(texts) if isinstance(t, str)]  # the rest is not text: missing
    strings = texts if len(rows) == k else [texts[r] for r in rows]
    marked = mark_breaks_many(strings)
    norms = _normalize_many(marked, simplify=simplify)
    cut = [i for i, t in enumerate(norms) if t]  # empty once normalized: no tokens, no theme
    flags, matched, tokens, ends, pol = coder.code(norms if len(cut) == len(norms) else [norms[i] for i in cut])
    hit = np.zeros(len(strings), dtype=bool)
    hit[cut] = matched
    status = np.zeros(k, dtype=np.int8)  # NOT_TEXT
    status[rows] = SUBSTANTIVE
    out = np.zeros((k, n_themes), dtype=np.uint8)
    out[np.asarray(rows, dtype=np.intp)[cut]] = flags
    polarity = np.zeros((k, n_themes), dtype=np.int8)
    polarity[np.asarray(rows, dtype=np.intp)[cut]] = pol
    length = np.zeros(k, dtype=np.int64)
    length[rows] = np.fromiter(map(len, strings), dtype=np.int64, count=len(strings))
    short = length[rows] <= _ALWAYS_CHECK
    where = np.full(len(strings), -1, dtype=np.intp)  # position among the texts cut
    where[cut] = np.arange(len(cut))
    counter: Counter = Counter()
    for i in np.flatnonzero(~hit | short).tolist():  # the comments that may be non-answers
        text, norm = strings[i], norms[i]
        # the text as it was tokenized serves, when marking its clause ends changed nothing, or changed white
        # space only in a text no rare normalization step touches (then only " " and "。" differ, and neither
        # is a letter or digit); else is_non_answer's own normalization
        same = simplify and (marked[i] is text or _plain(to_halfwidth(text)))
        if _kind_of_normalized(norm if same else normalize_text(text)) == 1:
            status[rows[i]] = NON_ANSWER
            out[rows[i]] = 0
            polarity[rows[i]] = 0
        elif not hit[i] and norm:
            c = where[i]
            words = set(map(unmatched.__getitem__, tokens[ends[c - 1] + 1 if c else 0:ends[c]]))
            words.discard(None)
            m = int(mult[rows[i]])
            for word in words:
                counter[word] += m
    return out, status, length, counter, polarity


# Work for forked processes: the parent puts it here before the fork, so the children inherit it (texts,
# theme dictionary, its analyzer and caches) without pickling; each task names it by a key.
_WORK: dict[int, tuple] = {}


def _work_forked(task: tuple[int, int, int]) -> tuple:
    key, a, b = task
    themes, texts, mult = _WORK[key]
    return (a, b, *code_chunk(themes, texts[a:b], mult[a:b]))


def _init_spawned(themes: ThemeDictionary) -> None:
    _WORK[0] = (themes, None, None)
    _ = batch_coder(themes)  # the analyzer and matcher, built once per process


def _work_spawned(task: tuple[int, int, list, np.ndarray]) -> tuple:
    a, b, texts, mult = task
    return (a, b, *code_chunk(_WORK[0][0], texts, mult))


def processes(n_jobs, n_texts: int, n_chars: int = 0) -> int:
    """Processes to use: 1 below _PARALLEL_MIN distinct texts of fewer than _PARALLEL_CHARS characters in all
    (35,000 reviews of 50-150 characters, half distinct, are worth two); auto (None) is min(2, CPUs) where
    fork is there."""
    few = n_texts < _PARALLEL_MIN and n_chars < _PARALLEL_CHARS
    if n_jobs is None:
        if few or not sys.platform.startswith("linux"):
            return 1
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        return max(1, min(2, cpus))
    return 1 if few else int(n_jobs)


def code_distinct(texts: list, themes: ThemeDictionary, mult: np.ndarray, progress,
                   n_jobs: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray, Counter, np.ndarray]:
    """Theme flags, status, length, unmatched-word counts and polarity (texts x themes, -1/0/+1) of the distinct cells.

    A map over chunks of ``_CHUNK`` distinct comments (:func:`code_chunk`), in this process or
    in ``n_jobs`` worker processes; only compact results come back (flag bytes, status bytes,
    word counts), never token lists. The result does not depend on the chunks nor on which
    process coded them. The last comments coded with a dictionary are remembered with their
    codes: coding the same comments again (the same column analysed twice) costs a comparison.
    """
    last = themes._cache.get("last_coded")  # the same comments again (a second analysis of one column)
    if last is not None and last[0] == texts and np.array_equal(last[1], mult):
        if progress is not None:
            progress.update(len(texts))
        flags, status, length, counter, polarity = last[2]
        return flags.copy(), status.copy(), length.copy(), Counter(counter), polarity.copy()
    k, n_themes = len(texts), len(themes.themes)
    flags = np.zeros((k, n_themes), dtype=np.uint8)
    polarity = np.zeros((k, n_themes), dtype=np.int8)
    status = np.zeros(k, dtype=np.int8)
    length = np.zeros(k, dtype=np.int64)
    counter: Counter = Counter()
    # chunks of _CHUNK; smaller when processes share the work, so that each gets a dozen or more to balance
    size = _CHUNK if n_jobs <= 1 else max(_CHUNK_MIN, min(_CHUNK, -(-k // (12 * n_jobs))))
    spans = [(a, min(a + size, k)) for a in range(0, k, size)]
    _ = batch_coder(themes)  # the analyzer and matcher, built once here, before any fork
    pool, key, fork = None, id(texts), sys.platform.startswith("linux")
    if n_jobs > 1 and len(spans) > 1:
        import multiprocessing

        try:
            if fork:
                _WORK[key] = (themes, texts, mult)
                pool = multiprocessing.get_context("fork").Pool(n_jobs)
            else:  # no fork (macOS, Windows): each process builds its own analyzer (seconds)
                pool = multiprocessing.get_context("spawn").Pool(n_jobs, _init_spawned, (themes,))
        except OSError as exc:  # a sandbox without processes or semaphores: code here
            _WORK.pop(key, None)
            warnings.warn(f"theme_counts could not start {n_jobs} worker processes ({exc}); coding in this process "
                          "instead (pass n_jobs=1 to skip trying).", SurveykitWarning, stacklevel=3)
    if pool is None:
        results = ((a, b, *code_chunk(themes, texts[a:b], mult[a:b])) for a, b in spans)
    elif fork:
        results = pool.imap_unordered(_work_forked, [(key, a, b) for a, b in spans])
    else:
        results = pool.imap_unordered(_work_spawned, [(a, b, texts[a:b], mult[a:b]) for a, b in spans])
    try:
        for a, b, f, st, n, words, pol in results:
            flags[a:b] = f
            polarity[a:b] = pol
            length[a:b] = n
            status[a:b] = st
            counter.update(words)
            if progress is not None:
                progress.update(b - a)
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
            _WORK.pop(key, None)
    themes._cache["last_coded"] = (list(texts), mult.copy(), (flags.copy(), status.copy(), length.copy(),
                                                               Counter(counter), polarity.copy()))
    return flags, status, length, counter, polarity

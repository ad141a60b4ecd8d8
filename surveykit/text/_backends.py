"""The two tokenizer backends of TextAnalyzer, jieba and rjieba, and what makes them cut alike.

Private to the text wing. jieba's semantics are the reference: its dictionary, its
``add_word`` frequencies for user words and its HMM for unknown words.

* :class:`JiebaBackend`: a private ``jieba.Tokenizer`` (never jieba's module-level one, whose
  user dictionary would leak from one study into the next), on its own copy of the default
  dictionary.
* :class:`RjiebaBackend`: a private ``rjieba.Jieba`` (jieba-rs, the Rust port with the same
  dictionary and algorithm), about 20 times faster. Each user word is given the frequency
  jieba's ``add_word`` would give it, computed by jieba itself, and the dictionary total is kept
  equal to jieba's, so both backends weigh every segmentation the same. jieba-rs counts the rare
  CJK blocks (extension A and B..., U+9FD6-U+9FFF, compatibility ideographs) as Chinese where
  jieba does not; text is split at those characters before it reaches rjieba, so both see the
  same runs; and ASCII runs with symbols are re-cut as jieba's HMM step cuts them.

A backend is built once per process for given words (:func:`new_backend`) and shared by every
analyzer of those words; the dictionary constants it needs (jieba's totals, the frequencies of the
user words) are kept on disk across sessions (:func:`stored`), so a session's first
``theme_counts`` does not load jieba's whole dictionary.

Both have ``cut(text)`` and ``cut_many(texts)`` (the texts cut in one call, each text's tokens
followed by :data:`SEP`). tests/test_text_tokenize.py proves the two give identical tokens on a
generated corpus of tens of thousands of varied comments, and batches equal to one text at a time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import warnings
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from .._checks import first_names
from ..errors import SurveykitWarning

# The characters jieba cuts as one block ("re_han_default" of jieba 0.42): a user word made of
# anything else can never come out whole.
JIEBA_BLOCK = re.compile(r"[\u4e00-\u9fd5a-zA-Z0-9+#&._%\-]+")
# Chinese to jieba-rs but not to jieba: cut apart before rjieba sees them (jieba emits each alone)
_RS_ONLY = re.compile("([\u3400-\u4dbf\u9fd6-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f])")
# A word nobody can type (control characters never reach a tokenizer): it carries the part of the
# dictionary total that jieba counts and jieba-rs does not (see RjiebaBackend)
_FILLER = "\x00\x01surveykit"
# a letter or digit next to a symbol of jieba's block class: a run jieba-rs may keep whole where jieba
# splits it (a run of symbols alone, "......", is one token in both)
_ASCII_SYMBOL = re.compile(r"[a-z0-9][+#&._%\-]|[+#&._%\-][a-z0-9]", re.IGNORECASE)
_JIEBA_HMM_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")  # jieba.finalseg.re_skip
_ALNUM_SYMBOL = re.compile(r"[a-zA-Z0-9][+#&._%\-]")
_ALNUM_PUNCT = re.compile(r"[a-zA-Z0-9][!-/:-@\[-`{-~]")  # a letter or digit, then ASCII punctuation
_PUNCT_ALNUM = re.compile(r"[!-/:-@\[-`{-~][a-zA-Z0-9]")
_ASCII_RUN = re.compile(r"[a-z0-9+#&._%\-]+", re.IGNORECASE)  # ASCII characters of jieba's block class only
MEMO_SIZE = 1_000_000  # distinct raw tokens remembered per analyzer (about 100 MB at most)
# Ends each comment in a batch cut at once. A normalized text holds no white space but single spaces,
# and jieba and jieba-rs both cut text into blocks at white space, each block on its own (no state
# crosses a block): the tokens of "a\nb" are those of "a", then "\n", then those of "b".
SEP = "\n"


@contextmanager
def _quiet_jieba():
    """jieba logs 'Building prefix dict ...' on stderr at every initialize; hush it for the duration only."""
    logger = logging.getLogger("jieba")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def cache_dir() -> Path | None:
    """Where the tokenizer constants are kept between sessions (None: not kept).

    ``$SURVEYKIT_CACHE_DIR`` if set (empty: keep nothing), else ``$XDG_CACHE_HOME/surveykit`` or
    ``~/.cache/surveykit``. jieba keeps its prefix dictionary in the temporary directory the same way.
    """
    env = os.environ.get("SURVEYKIT_CACHE_DIR")
    if env is not None:
        return Path(env) if env else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "surveykit"


@lru_cache(maxsize=1)
def _versions() -> str:
    """jieba's and rjieba's versions and jieba's dict.txt (size, time): what the stored constants depend on."""
    from importlib.metadata import PackageNotFoundError, version
    from importlib.util import find_spec

    def installed(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "-"

    spec = find_spec("jieba")  # not imported: a fifth of a second
    st = (Path(spec.origin).parent / "dict.txt").stat()
    return f"jieba {installed('jieba')} rjieba {installed('rjieba')} dict {st.st_size} {st.st_mtime_ns}"


def stored(kind: str, key, compute):
    """``compute()``, kept on disk under ``kind`` and ``key`` (with the tokenizers' versions) across sessions.

    The dictionary constants below cost seconds to compute (jieba's dictionary loaded, rjieba's
    measured) and never change for given versions and words: computed once per machine, they are
    read back in milliseconds, so a session's first ``theme_counts`` does not pay them. A value
    that cannot be read or written is simply computed (read-only home, a corrupt file).
    """
    where = cache_dir()
    digest = hashlib.sha256(json.dumps([_versions(), kind, key], ensure_ascii=False).encode()).hexdigest()[:32]
    path = where / f"tokenizer-{kind}-{digest}.json" if where is not None else None
    if path is not None:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
    value = compute()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(value), encoding="utf-8")
            os.replace(tmp, path)  # atomic: a concurrent reader sees the old file or the whole new one
        except OSError:
            pass
    return value


@lru_cache(maxsize=1)
def _jieba_dictionary() -> tuple[dict, int]:
    """jieba's default dictionary (prefix dict and total), loaded once per process and never modified."""
    import jieba

    tok = jieba.Tokenizer()
    with _quiet_jieba():
        tok.initialize()
    return tok.FREQ, tok.total


def new_jieba():
    """A private ``jieba.Tokenizer`` on its own copy of the default dictionary.

    Loading the dictionary takes about a second; copying the loaded one takes a few
    hundredths, so a study with several open questions (or a test suite) pays the load once.
    The copy is the tokenizer's own: words added to it reach no other tokenizer.
    """
    import jieba

    freq, total = _jieba_dictionary()
    tok = jieba.Tokenizer()
    tok.FREQ, tok.total, tok.initialized = dict(freq), total, True
    return tok


def add_word(tok, word: str, freq: int | None) -> None:
    """``tok.add_word(word, freq)``, except that frequency 0 stays with ``tok``.

    jieba's ``add_word(word, 0)`` also puts the word in ``jieba.finalseg``'s module-level
    force-split set, which every tokenizer of the process reads: one study's "always split"
    would split another's HMM words. Here the word gets frequency 0 in this tokenizer only and
    `TextAnalyzer` splits it after cutting, as finalseg would have.
    """
    if freq == 0:
        tok.check_initialized()
        tok.FREQ[word] = 0
        for end in range(1, len(word)):
            tok.FREQ.setdefault(word[:end], 0)
    else:
        tok.add_word(word, freq)


@lru_cache(maxsize=8)
def jieba_frequencies(entries: tuple[tuple[str, int | None], ...]) -> tuple[tuple[int, ...], int]:
    """The frequency jieba's ``add_word`` gives each word, added in order, and the total jieba adds twice.

    jieba's ``add_word(word)`` without a frequency uses ``suggest_freq(word)``: the product of the
    frequencies of the pieces ``cut(word, HMM=False)`` gives, over the running dictionary total,
    plus one (or the word's own frequency if larger); jieba-rs computes the same in logarithms and
    can land one lower. jieba also adds a re-added word's frequency to the total without taking the
    old one off, where jieba-rs replaces it. A throwaway jieba tokenizer does the adds, so the
    numbers are jieba's own; the second value is the sum of the replaced frequencies.
    """
    def compute():
        tok = new_jieba()
        freqs, replaced = [], 0
        for word, freq in entries:
            replaced += tok.FREQ.get(word, 0)
            add_word(tok, word, freq)
            freqs.append(tok.FREQ[word])
        return [freqs, replaced]

    freqs, replaced = stored("frequencies", [list(e) for e in entries], compute) if entries else ([], 0)
    return tuple(int(f) for f in freqs), int(replaced)


@lru_cache(maxsize=1)
def _jieba_dict_total() -> int:
    """The dictionary total jieba starts from: the sum of the frequencies on every line of its dict.txt.

    jieba counts a word listed twice twice (``B超 3`` is on two lines of jieba 0.42's dict.txt).
    """
    import jieba

    def compute():
        total = 0
        with open(Path(jieba.__file__).parent / "dict.txt", "rb") as f:
            for line in f:
                parts = line.split(b" ")
                if len(parts) > 1:
                    total += int(parts[1])
        return total

    return int(stored("jieba-total", None, compute))


@lru_cache(maxsize=1)
def _rjieba_dict_total() -> int | None:
    """The dictionary total a fresh ``rjieba.Jieba`` starts from, measured (None if it cannot be pinned down).

    rjieba does not expose it, and it need not equal jieba's: jieba-rs 0.11 counts a word listed
    twice once, so it starts 3 below jieba. A route through a comment adds one ``-ln(total)`` per
    word, so two segmentations of equal probability but different rounding (``算|算算`` against
    ``算算|算``) are decided by the last bit of ``ln(total)``: the totals must be equal, not close.
    ``suggest_freq`` of a string made of two throwaway words of frequency ``a`` is
    ``floor(a^2 / (total + 2a)) + 1``; a dozen values of ``a`` leave one total consistent with all.
    """
    value = stored("rjieba-total", None, lambda: [_measure_rjieba_total()])[0]
    return None if value is None else int(value)


def _measure_rjieba_total() -> int | None:
    """See `_rjieba_dict_total`: measured on a fresh ``rjieba.Jieba`` (a second or so)."""
    import rjieba

    rj = rjieba.Jieba()
    first, second = "甲乙丙丁戊己", "庚辛壬癸子丑"  # new words of this throwaway instance only
    guess = _jieba_dict_total()
    candidates = set(range(guess - 5000, guess + 5001))
    for i in range(16):
        a = 10**12 + 123_456_791 * i  # moves T^2 / 8a, so each a cuts the candidates at another place
        rj.add_word(first, a, None)
        rj.add_word(second, a, None)
        got = rj.suggest_freq(first + second)
        kept = set()
        for t in candidates:
            exact, rest = divmod(a * a, t + 2 * a)
            # kept if consistent, or if a^2 / (t + 2a) is too close to an integer for floating point to tell
            if abs(rest / (t + 2 * a) - 0.5) > 0.499 or exact + 1 == got:
                kept.add(t)
        candidates = kept
        if len(candidates) == 1:
            return candidates.pop()
    return None


def _hmm_cuts(joined: str) -> list[int]:
    """Where tokens joined by newlines hold one jieba's HMM would cut: ASCII block characters only, with
    two runs of letters or digits and a symbol ('2008-6-1', 'usb-c', not '3.5' nor '......').

    Such a token has a letter or digit followed by a symbol (with no such pair, its symbols all
    come before its one run of letters and digits): that pair is searched for, then its token
    (line) checked. One pair pattern scans ~5x faster than an alternation or a whole-line pattern.
    """
    hits, end = [], -1
    for m in _ALNUM_SYMBOL.finditer(joined):
        at = m.start()
        if at < end:  # in the token just checked
            continue
        start = joined.rfind("\n", 0, at) + 1
        end = joined.find("\n", at)
        if end < 0:
            end = len(joined)
        token = joined[start:end]
        if _ASCII_RUN.fullmatch(token) and len(_JIEBA_HMM_SKIP.split(token)) > 3:
            hits.append(start)
    return hits


def resolve_backend(backend: str, force_split: list[str]) -> str:
    """'jieba' or 'rjieba' for ``backend`` ('auto': rjieba when installed and no word must always be split)."""
    if backend == "jieba":
        return "jieba"
    try:
        import rjieba  # noqa: F401
    except ImportError:
        if backend == "rjieba":
            raise ImportError("backend='rjieba' needs the rjieba package: pip install rjieba (or use "
                              "backend='jieba', same tokens, about 20x slower).") from None
        return "jieba"
    if force_split:
        if backend == "rjieba":
            raise ValueError(f"The user dictionary gives frequency 0 to {first_names(force_split)} (jieba: always "
                             "split), which only the jieba backend can do. Use backend='jieba' or 'auto', or "
                             "drop those lines.")
        return "jieba"
    return "rjieba"


def build_rjieba(entries: tuple) -> object:
    """A private ``rjieba.Jieba`` with ``entries`` added at jieba's frequencies and jieba's dictionary total."""
    import rjieba

    rj = rjieba.Jieba()
    replaced = 0
    if entries:
        freqs, replaced = jieba_frequencies(tuple((w, f) for w, f in entries))
        for (word, _), freq in zip(entries, freqs):
            rj.add_word(word, freq, None)
    # jieba's total counts re-added words, and words its dict.txt lists twice, twice: so must this one
    base = _rjieba_dict_total()
    missing = replaced + (_jieba_dict_total() - base if base is not None else 0)
    if base is None or missing < 0:
        warnings.warn("TextAnalyzer: the dictionary total of rjieba could not be made equal to jieba's; in rare "
                      "ties between two equally likely segmentations the backends may cut differently. Use "
                      "backend='jieba' for jieba's tokens exactly.", SurveykitWarning, stacklevel=5)
    elif missing:
        rj.add_word(_FILLER, missing, None)
    return rj


class JiebaBackend:
    """Cuts normalized text with a private ``jieba.Tokenizer`` holding the analyzer's words."""

    def __init__(self, entries: tuple, hmm: bool):
        self.hmm = hmm
        self.tokenizer = jieba_with(entries)
        self.force_split = frozenset(w for w, f in entries if f == 0)

    def cut(self, text: str) -> list[str]:
        tokens = self.tokenizer.lcut(text, HMM=self.hmm)
        if self.force_split:  # words of frequency 0 the HMM put together: split, as jieba.finalseg does
            split = self.force_split
            tokens = [c for t in tokens for c in (t if t in split else (t,))]
        return tokens

    def cut_many(self, texts: list[str]) -> list[str]:
        """The tokens of several normalized, non-empty texts in one list, each text's followed by ``SEP``."""
        out: list[str] = []
        for text in texts:
            out += self.cut(text)
            out.append(SEP)
        return out


class RjiebaBackend:
    """Cuts normalized text with a private ``rjieba.Jieba`` into jieba's tokens."""

    def __init__(self, entries: tuple, hmm: bool):
        self.hmm = hmm
        self.rjieba = build_rjieba(entries)

    def cut(self, text: str) -> list[str]:
        tokens = self._runs(text)
        if self.hmm and _ASCII_SYMBOL.search(text):
            tokens = self._split_ascii(tokens)
        return tokens

    def _runs(self, text: str) -> list[str]:
        """rjieba's tokens, the characters only jieba-rs counts as Chinese standing alone (see `_RS_ONLY`)."""
        if text.isascii() or _RS_ONLY.search(text) is None:
            return self.rjieba.cut(text, self.hmm)
        tokens = []
        for i, piece in enumerate(_RS_ONLY.split(text)):
            if i % 2:
                tokens.append(piece)
            elif piece:
                tokens += self.rjieba.cut(piece, self.hmm)
        return tokens

    def cut_many(self, texts: list[str]) -> list[str]:
        """The tokens of several normalized, non-empty texts in one list, each text's followed by ``SEP``.

        rjieba cuts them joined by ``SEP`` in one call (the per-call cost is a third of the cut of
        a short comment). The tokens equal those of `cut` text by text: the ASCII runs of a text are re-cut as jieba's HMM step does (`_split_ascii`) only
        when that text has a letter or digit next to a symbol, as it is on its own.
        """
        if not texts:
            return []
        tokens = self._runs(SEP.join(texts) + SEP)
        if not self.hmm:
            return tokens
        joined = "\n".join(tokens)  # a SEP token shows as "\n\n\n": tokens are never empty nor hold "\n"
        hits = _hmm_cuts(joined)
        if not hits:
            return tokens
        # each text that holds such a token is re-cut as a whole (as `cut` does): its tokens are
        # found from where it lies in `joined` (texts are separated by "\n\n\n", the SEP token between two
        # joining newlines), the tokens between copied in one slice
        out: list[str] = []
        done = n_sep = n_newline = pos = 0
        end = -1
        count, find = joined.count, joined.find
        for at in hits:
            if at < end:  # in the text just re-cut
                continue
            n_sep += count("\n\n\n", pos, at)  # the texts before this one
            start = joined.rfind("\n\n\n", 0, at) + 3 if n_sep else 0
            end = find("\n\n\n", at)
            if end < 0:  # the last text: its SEP token is the last
                end = len(joined) - 2
            n_newline += count("\n", pos, start)
            pos = start
            first = n_newline - n_sep  # tokens before this text: newlines before it, less the SEP tokens' own
            last = first + count("\n", start, end) + 1
            out += tokens[done:first]
            out += self._split_tokens(tokens[first:last])
            done = last
        out += tokens[done:]
        return out

    def _split_ascii(self, tokens: list[str]) -> list[str]:
        """Cut ASCII runs with symbols ('2008-6-1', '1.5l', 'usb-c') as jieba's HMM step does.

        jieba hands a run of characters the dictionary leaves single to its HMM, which splits
        anything not Chinese with ``[a-zA-Z0-9]+(?:\\.\\d+)?%?`` ('2008', '-', '6', '-', '1');
        jieba-rs keeps such a run whole. A run that is a dictionary word stays whole in both.
        """
        if not _hmm_cuts("\n".join(tokens)):  # white space never reaches here inside a token: a safe separator
            return tokens  # no token jieba's HMM would cut (the usual case: '3.5', '50%', '......')
        return self._split_tokens(tokens)

    def _split_tokens(self, tokens: list[str]) -> list[str]:
        """Each ASCII token that is no word of the dictionary, cut as jieba's HMM step cuts it.

        Only a token with a letter or digit next to punctuation can come out different, so those
        are found in the tokens joined by newlines (two pair patterns scan at C speed); the rest
        is copied in slices.
        """
        joined = "\n".join(tokens)
        found = sorted({m.start() for pattern in (_ALNUM_PUNCT, _PUNCT_ALNUM) for m in pattern.finditer(joined)})
        out: list[str] = []
        done = line = pos = 0
        last = -1
        for at in found:
            line += joined.count("\n", pos, at)  # the token the pair is in
            pos = at
            if line == last:
                continue
            last = line
            t = tokens[line]
            if t.isascii() and len(t) > 1 and not t.isalnum() and not self.rjieba.has_word(t):
                out += tokens[done:line]
                out += [p for p in _JIEBA_HMM_SKIP.split(t) if p]
                done = line + 1
        out += tokens[done:]
        return out


@lru_cache(maxsize=16)
def jieba_with(entries: tuple):
    """A private ``jieba.Tokenizer`` with ``entries`` ((word, frequency or None), in order) added.

    Built once per process for given entries and shared by the analyzers that have them (nothing
    adds words to it afterwards): a study's analyses, and keyword extraction, reuse one tokenizer.
    """
    tok = new_jieba()
    for word, freq in entries:
        add_word(tok, word, freq)
    return tok


@lru_cache(maxsize=16)
def new_backend(name: str, entries: tuple, hmm: bool) -> JiebaBackend | RjiebaBackend:
    """The backend ``name`` ('jieba' or 'rjieba', as :func:`resolve_backend` chose) with the analyzer's words.

    Built once per process for given (name, words, hmm) and shared: a backend holds no state but
    its dictionary, so every analyzer of the same words (each ``load_themes`` of a file, each
    call of an analysis) cuts with the one built first.
    """
    return JiebaBackend(entries, hmm) if name == "jieba" else RjiebaBackend(entries, hmm)

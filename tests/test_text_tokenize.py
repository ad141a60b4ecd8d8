"""The text tokenization layer: TextAnalyzer (jieba and rjieba backends), normalization, non-answers.

No statistics here, so no R reference: the proof is the equivalence test, in which the fast
rjieba backend must give exactly jieba's tokens on a large generated corpus of varied comments.
"""

from __future__ import annotations

import math
import pickle
import re
import time

import numpy as np
import pandas as pd
import pytest

from surveykit.errors import DataError
from _corpus import THEME_WORDS, make_corpus
from surveykit.text.normalize import (
    NON_ANSWERS,
    _kind_of_normalized,
    _normalize_many,
    answer_kinds,
    is_non_answer,
    non_answer_mask,
    normalize_text,
    to_halfwidth,
    to_simplified,
)
from surveykit.text._backends import jieba_frequencies
from surveykit.text.tokenize import (
    TextAnalyzer,
    UserWordWarning,
    default_stop_words,
)

NEGATORS = ["不", "没", "没有", "无", "未", "别", "毫无", "并不", "非", "不太", "不是", "不够", "不会", "不能", "不要",
            "从不", "从未", "绝不", "没什么", "不怎么", "无法", "未必", "不必", "不用", "不再", "没法", "not", "no", "never",
            "nothing"]
USER_WORDS = [w for ws in THEME_WORDS.values() for w in ws] + ["华为mate60", "小米14pro", "USB-C", "没有问题", "不满意"]
SYNONYMS = {"物流": ["快递", "发货", "配送"], "价格": ["价钱"]}
N_EQUIVALENCE = 30_000  # distinct comments the two backends must cut identically (about 10 s for jieba)
HAN = re.compile("[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def jieba_analyzer():
    return TextAnalyzer(user_words=USER_WORDS, synonyms=SYNONYMS, backend="jieba")


@pytest.fixture(scope="module")
def rjieba_analyzer():
    return TextAnalyzer(user_words=USER_WORDS, synonyms=SYNONYMS, backend="rjieba")


@pytest.fixture(scope="module")
def corpus():
    return make_corpus(N_EQUIVALENCE, seed=2024)


# ---------------------------------------------------------------------------------------------
# the proof: rjieba gives jieba's tokens


def test_corpus_is_varied(corpus):
    """The equivalence test means something only if the corpus holds every kind of input."""
    assert len(set(corpus)) == len(corpus) == N_EQUIVALENCE
    has = lambda pattern: sum(bool(re.search(pattern, t)) for t in corpus)
    assert has(r"[a-zA-Z]{3}") > 3000  # mixed English
    assert has(r"\d+-\d+-\d+") > 300  # dates like 2008-6-1
    assert has("[\U0001F300-\U0001FAFF]") > 1500  # emoji
    assert has("[\uff01-\uff5e]") > 1000  # full-width forms
    assert has("[質價態發運貨東這說裡顏]") > 3000  # traditional characters
    assert has("[\u3400-\u4dbf\U00020000-\U0002a6df\uf900-\ufaff\u9fd6-\u9fff]") > 200  # rare CJK blocks
    assert has("<[a-z/]") > 100 and has("^=") > 0  # HTML and formulas
    assert max(map(len, corpus)) == 10_000 and sum(len(t) > 1000 for t in corpus) > 20  # very long comments
    assert has("(快递|价格|质量)") > 5000  # the example study's theme words


def test_rjieba_gives_jiebas_tokens_on_a_large_varied_corpus(corpus, jieba_analyzer, rjieba_analyzer):
    """Every token of every comment, in order: punctuation, English, digits and Chinese alike.

    User words (theme keywords, many of them already in jieba's dictionary, so the re-added
    frequency path is exercised), synonyms and jieba's HMM are on. Each distinct comment is
    tokenized once per backend.
    """
    assert jieba_analyzer.backend == "jieba" and rjieba_analyzer.backend == "rjieba"
    _, replaced = jieba_frequencies(rjieba_analyzer._entries)
    assert replaced > 0  # words jieba already had: the dictionary total needed the filler
    want = jieba_analyzer.tokenize(corpus, drop_stop_words=False)
    got = rjieba_analyzer.tokenize(corpus, drop_stop_words=False)
    n_tokens = sum(map(len, want))
    n_chinese = sum(1 for ts in want for t in ts if HAN.search(t))
    assert n_tokens > 500_000 and n_chinese > 300_000
    differ = [(text, w, g) for text, w, g in zip(corpus, want, got) if w != g]
    assert not differ, f"{len(differ)} of {len(corpus)} comments differ, first: {differ[:3]}"
    # the theme coder's view too (stop words and punctuation dropped): identical
    assert jieba_analyzer.tokenize(corpus[:3000]) == rjieba_analyzer.tokenize(corpus[:3000])


def test_rjieba_gives_jiebas_tokens_without_hmm(corpus):
    a = TextAnalyzer(user_words=USER_WORDS, synonyms=SYNONYMS, backend="jieba", hmm=False)
    b = TextAnalyzer(user_words=USER_WORDS, synonyms=SYNONYMS, backend="rjieba", hmm=False)
    sample = corpus[::10]
    assert a.tokenize(sample, drop_stop_words=False) == b.tokenize(sample, drop_stop_words=False)


@pytest.mark.parametrize("backend", ["jieba", "rjieba"])
def test_batches_are_cut_as_one_comment_at_a_time(backend, corpus, jieba_analyzer, rjieba_analyzer):
    """tokenize and theme_counts cut hundreds of comments per call (rjieba: joined by a newline, ASCII runs
    re-cut only in the comments that need it); cut() takes one comment. Every token the same."""
    ta = jieba_analyzer if backend == "jieba" else rjieba_analyzer
    sample = corpus[:3000] if backend == "rjieba" else corpus[:1000]
    assert ta.tokenize(sample, drop_stop_words=False) == [ta.cut(t) for t in sample]
    norms = [t for t in (ta.normalize(t) for t in sample) if t]
    want = [tok for t in norms for tok in (*ta._cut_normalized(t), "\n")]
    for size in (1, 7, 500, len(norms)):
        assert [tok for i in range(0, len(norms), size) for tok in ta._cut_many(norms[i:i + size])] == want, size
    runs = [t for t in norms if re.search(r"[a-z0-9][-.+#&_%][a-z0-9]", t)]
    assert len(runs) > len(sample) // 10  # comments whose ASCII runs jieba's HMM cuts ('2008-6-1', '1.5l')


def test_user_words_get_jiebas_frequency_in_rjieba(jieba_analyzer, rjieba_analyzer):
    freqs, _ = jieba_frequencies(rjieba_analyzer._entries)
    for (word, _), freq in zip(rjieba_analyzer._entries, freqs):
        assert jieba_analyzer._jieba.FREQ[word] == freq, word


@pytest.mark.parametrize("backend", ["jieba", "rjieba"])
def test_runs_with_symbols_are_cut_as_jieba_cuts_them(backend, jieba_analyzer, rjieba_analyzer):
    ta = jieba_analyzer if backend == "jieba" else rjieba_analyzer
    assert ta.cut("2008-6-1下单，3.5kg重") == ["2008", "-", "6", "-", "1", "下单", ",", "3.5", "kg", "重"]
    assert ta.cut("买了USB-C线") == ["买", "了", "usb-c", "线"]  # a user word stays whole
    assert ta.cut("屏幕𠮷好") == ["屏幕", "𠮷", "好"]  # a character outside jieba's range stands alone


# ---------------------------------------------------------------------------------------------
# what a user sees


@pytest.mark.parametrize("backend", ["jieba", "rjieba"])
def test_user_words_stay_whole_and_synonyms_are_mapped(backend, jieba_analyzer, rjieba_analyzer):
    ta = jieba_analyzer if backend == "jieba" else rjieba_analyzer
    plain = TextAnalyzer(backend=backend)
    assert "客服态度" not in plain.tokenize(["客服态度很好"])[0]  # jieba alone splits it
    assert ta.tokenize(["客服态度很好，性价比高", "华为Mate60发货很快", "价钱不贵"]) == [
        ["客服态度", "好", "性价比", "高"], ["华为mate60", "物流", "很快"], ["价格", "不", "贵"]]


@pytest.mark.parametrize("backend", ["jieba", "rjieba"])
def test_analyzers_never_share_a_dictionary_nor_touch_jiebas_global_one(backend):
    import jieba

    before = jieba.lcut("客服态度很差，小米14pro")
    a = TextAnalyzer(user_words=["客服态度", "小米14pro"], backend=backend)
    b = TextAnalyzer(user_words=["很差"], backend=backend)
    assert a.cut("客服态度很差") == ["客服态度", "很差"]
    assert b.cut("客服态度很差") == ["客服", "态度", "很差"]
    assert "小米14pro" in a.cut("小米14pro") and "小米14pro" not in b.cut("小米14pro")
    assert jieba.lcut("客服态度很差，小米14pro") == before
    assert "客服态度" not in jieba.dt.FREQ and "小米14pro" not in jieba.dt.FREQ


def test_user_dict_file(tmp_path):
    path = tmp_path / "dict.txt"
    path.write_bytes("\ufeff客服态度 20 n\n\n华为Mate60\n快递小哥 5\n".encode())
    for backend in ["jieba", "rjieba"]:
        ta = TextAnalyzer(user_dict=path, backend=backend)
        assert ta.cut("客服态度好，华为mate60，快递小哥快") == ["客服态度", "好", ",", "华为mate60", ",", "快递小哥", "快"]
    assert TextAnalyzer(user_dict=path, backend="jieba")._jieba.FREQ["客服态度"] == 20
    # frequency 0 means "always split": only jieba can; auto falls back to it, rjieba refuses
    import jieba
    import jieba.finalseg

    split = tmp_path / "split.txt"
    split.write_text("很快 0\n", encoding="utf-8")
    ta = TextAnalyzer(user_dict=split)
    assert ta.backend == "jieba" and ta.cut("物流很快") == ["物流", "很", "快"]
    assert TextAnalyzer(backend="jieba").cut("物流很快") == ["物流", "很快"]  # jieba's global force-split set
    assert "很快" not in jieba.finalseg.Force_Split_Words  # is left alone: no leak into other analyzers
    with pytest.raises(ValueError, match="frequency 0 to '很快'"):
        TextAnalyzer(user_dict=split, backend="rjieba")
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("客服态度 20\n".encode("gbk"))
    with pytest.raises(DataError, match="not UTF-8 .*line 1"):
        TextAnalyzer(user_dict=gbk)
    with pytest.raises(FileNotFoundError, match="nope.txt"):
        TextAnalyzer(user_dict=tmp_path / "nope.txt")


def test_stop_words_bundled_extra_and_replaced(rjieba_analyzer):
    bundled = default_stop_words()
    assert {"的", "了", "吗", "我们", "和", "。", "the"} <= bundled
    assert not bundled & set(NEGATORS), "negators must never be stop words (negation is coded from them)"
    assert not bundled & {"好", "差", "一般", "贵", "便宜", "快", "慢", "满意"}  # opinions are content
    text = ["我觉得质量还是不太好的，没有问题吗？"]
    assert rjieba_analyzer.tokenize(text) == [["质量", "不太好", "没有问题"]]
    assert rjieba_analyzer.tokenize(text, drop_stop_words=False)[0][:3] == ["我", "觉得", "质量"]
    extra = TextAnalyzer(extra_stop_words=["质量"])
    assert "质量" not in extra.tokenize(text)[0] and "不太好" in extra.tokenize(text)[0]
    own = TextAnalyzer(stop_words=["质量"])
    assert own.tokenize(text)[0][:2] == ["我", "觉得"]  # the bundled list replaced
    assert own.stop_words == frozenset({"质量"})


def test_stop_word_file_is_clean():
    from importlib import resources

    lines = resources.files("surveykit.text").joinpath("data/stopwords_zh.txt").read_text("utf-8").splitlines()
    words = [w.strip() for w in lines if w.strip() and not w.startswith("#")]
    assert len(words) == len(set(words)) > 300
    assert all(w == w.strip() and normalize_text(w, strip_markup=False) == w for w in words)


def test_normalization_what_the_user_types_is_what_matches(rjieba_analyzer):
    assert to_halfwidth("ＡＢＣ１２３") == "ABC123"
    assert normalize_text("ｇｏｏｄ！ＡＢＣ１２３，Ｎｉｃｅ") == "good!abc123,nice"
    assert normalize_text("質量很好，客服態度不錯，頭髮乾了") == "质量很好,客服态度不错,头发干了"
    assert normalize_text("乾隆一目瞭然") == "乾隆一目了然"  # phrase-aware
    assert normalize_text("  物流\t很快\n\n包装\u3000好\u200b ") == "物流 很快 包装 好"
    assert normalize_text('<p>客服<br/>很好</p><script>alert(1)</script>&amp;') == "客服 很好 &"
    assert normalize_text('=HYPERLINK("http://x.cn/a?b=1","价格太贵")') == "价格太贵"
    assert normalize_text("详见 https://shop.example.com/item?id=3 价格贵") == "详见 价格贵"
    assert normalize_text("质量很好", simplify=False) == "质量很好"
    assert normalize_text("質量", simplify=False) == "質量"
    assert rjieba_analyzer.tokenize(["ｇｏｏｄ", "GOOD", "質量很好"]) == [["good"], ["good"], ["质量", "好"]]


def test_traditional_conversion_equals_opencc(corpus):
    import opencc

    cc = opencc.OpenCC("t2s")
    from surveykit.text.normalize import _t2s

    texts = [to_halfwidth(t) for t in corpus[:8000] if re.search("[質價態發運貨東這說裡顏瞭覆乾]", t)]
    assert len(texts) > 1000
    # every phrase of the dictionary in context, overlapping runs of phrases, one long run without separators
    phrases = sorted(_t2s().phrases)
    rng = np.random.default_rng(5)
    texts += [f"的{p}了乾{p}著" for p in phrases]
    texts += ["".join(phrases[i][int(rng.integers(2)):] for i in rng.integers(len(phrases), size=8))
              for _ in range(300)]
    texts.append("一目瞭然著乾" * 300)
    assert [to_simplified(t) for t in texts] == [cc.convert(t) for t in texts]


def test_many_texts_are_normalized_as_one(corpus):
    """_normalize_many takes each step on the batch joined by NUL: the same texts as one at a time, whatever sits
    next to what (a formula or white space first, combining marks, final sigma, astral characters, NUL itself)."""
    odd = ["  ＧＯＯＤ！客服態度\u3000很好<br/> ", "=HYPERLINK(\"x\",\"價格太貴\")", " +86 物流", "\x1f無\u200b",
           "&amp;一目瞭然", "", "   ", "@x(1)", "\t好", "ΑΣ", "Σα", "\u0301a", "e\u0301", "İ", "𡃁好", "𠀀質", "ﬁ①",
           "&#0;x", "www.x.cn 質量", "好\n\n坏", "一目瞭", "然"]
    rng = np.random.default_rng(11)
    texts = corpus[:6000] + odd
    for simplify in (True, False):
        assert _normalize_many(texts, simplify=simplify) == [normalize_text(t, simplify=simplify) for t in texts]
    for _ in range(30):  # the odd texts first, last and next to one another
        batch = [texts[i] for i in rng.permutation(len(texts))[:40]] + odd
        batch = [batch[i] for i in rng.permutation(len(batch))]
        assert _normalize_many(batch) == [normalize_text(t) for t in batch]
    assert _normalize_many(["好\x00質", "乾淨"]) == ["好 质", "干净"]  # a text holding NUL: one at a time


def test_full_width_shortcut_equals_nfkc(corpus):
    """to_halfwidth replaces the common full-width punctuation itself, then checks the rest is NFKC already."""
    import unicodedata

    texts = corpus[:8000] + ["，\u0301", "Ａ\u0301，", "e\u0301，", "…\u0301", "㎏，", "\u3000\u0301x", "豈，", "①，②",
                             "ｇｏｏｄ！", "（ｏｋ）～", "ﾊﾟ，", "가\u3000각", "\u1100\u1161，"]
    assert [to_halfwidth(t) for t in texts] == [unicodedata.normalize("NFKC", t) for t in texts]


def _kind_as_written(text: str) -> int:
    """The non-answer test without its shortcuts (the first letter or digit; repeats of at most the longest word)."""
    core = re.sub(r"[\W_]+", "", text)
    if not core or core.isdigit() or core in NON_ANSWERS:
        return 1
    stem = re.sub(r"(?:了|啦|呢|哦|哈|吧|呀|啊|的|谢谢|谢谢你们|谢谢啦|thanks|thank you|thankyou)+$", "", core)
    if stem in NON_ANSWERS:
        return 1
    n = len(stem)
    return int(any(n % k == 0 and stem[:k] in NON_ANSWERS and stem == stem[:k] * (n // k) for k in range(1, n // 2 + 1)))


def test_non_answer_shortcuts_are_exact(corpus):
    words = sorted(NON_ANSWERS)
    texts = [normalize_text(t) for t in corpus[:5000]]
    texts += [w + tail for w in words for tail in ("", "了", "。", "，谢谢！", "的呢", "啊啊")]
    texts += [w * k for w in words for k in (2, 3, 7)] + [a + b for a in words[:40] for b in words[-40:]]
    texts += ["123", "①②", "12a", "无1", "没有问题", "", "!!!", "不知道啊", "no comment", "_无_", "x" * 30]
    got = [_kind_of_normalized(t) for t in texts]
    assert got == [_kind_as_written(t) for t in texts]
    assert 500 < sum(got) < len(got) - 4000


def test_unique_keeps_pandas_strings_and_objects():
    cells = ["好", "差", None, "好", "", 5, 5.0, float("nan"), "差"]
    codes, distinct = TextAnalyzer.unique(cells)
    assert codes.tolist() == [0, 1, -1, 0, 2, 3, 3, -1, 1] and distinct == ["好", "差", "", 5]
    text = pd.Series(["好", "差", None, "好", "", float("nan"), "差"], dtype="str")  # pandas 3's text column
    codes, distinct = TextAnalyzer.unique(text)
    assert codes.tolist() == [0, 1, -1, 0, 2, -1, 1] and distinct == ["好", "差", ""]
    assert all(type(t) is str for t in distinct)
    assert TextAnalyzer.unique(text.astype(object))[0].tolist() == codes.tolist()


def test_each_distinct_comment_is_normalized_and_cut_once(monkeypatch):
    ta = TextAnalyzer()
    calls = []
    original = ta.normalize
    monkeypatch.setattr(ta, "normalize", lambda text: calls.append(text) or original(text))
    texts = ["物流很快", "质量不好", float("nan"), "物流很快", None, "质量不好"] * 500
    out = ta.tokenize(texts)
    assert sorted(calls) == ["物流很快", "质量不好"]
    assert out[0] is out[3] and out[0] == ["物流", "很快"]  # repeats share one list
    assert out[2] == [] and out[4] == []


def test_lazy_iteration_with_progress(capsys):
    ta = TextAnalyzer()
    codes, tokens = ta.iter_unique_tokens(pd.Series(["好评", "差评", "好评", None]), progress=True)
    assert codes.tolist() == [0, 1, 0, -1]
    assert next(tokens) == ["好评"]  # a generator: one comment at a time
    assert list(tokens) == [["差评"]]
    assert list(ta.iter_tokens(["质量好", 3, ""])) == [["质量", "好"], [], []]


# ---------------------------------------------------------------------------------------------
# non-answers


def test_non_answers_are_recognised_and_missing_is_apart():
    non = ["无", "没有", "暂无", "无意见", "没有了", "没有了，谢谢！", "無", "nothing", "N/A", "none", "NONE", "。", "...",
           "", "   ", "\n", "👍👍", "？？？", "—", "无无无", "没有。", "ｎｏｎｅ", "123", "No comment.", "nothing to say"]
    subst = ["没有问题", "挺好的", "无线信号差", "还行", "no problem", "价格太贵", '=HYPERLINK("http://x","价格太贵")',
             "comment", "idea"]
    missing = [float("nan"), None, pd.NA, np.nan, 5, 3.2]
    assert all(is_non_answer(t) for t in non), [t for t in non if not is_non_answer(t)]
    assert not any(is_non_answer(t) for t in subst + missing)
    kinds = answer_kinds(non + subst + missing)
    assert kinds.tolist() == ["non_answer"] * len(non) + ["substantive"] * len(subst) + ["missing"] * len(missing)
    assert kinds.value_counts().sum() == len(non) + len(subst) + len(missing)  # every cell accounted for
    s = pd.Series(["无", "质量好", None], index=["r1", "r2", "r3"])
    assert answer_kinds(s).index.tolist() == ["r1", "r2", "r3"]
    assert non_answer_mask(s).tolist() == [True, False, False]


# ---------------------------------------------------------------------------------------------
# bad input


@pytest.mark.parametrize("backend", ["jieba", "rjieba"])
def test_bad_cells_give_empty_or_sensible_tokens(backend, jieba_analyzer, rjieba_analyzer):
    ta = jieba_analyzer if backend == "jieba" else rjieba_analyzer
    long = "物流太慢了，客服态度也不好。" * 715  # 10,010 characters
    cells = [float("nan"), None, 3, 4.5, True, "", "   ", "\t\n", "👍👍😡", long, "<p>客服很好</p>",
             '=HYPERLINK("http://x","价格太贵")', "=SUM(A1:A3)", "+86 物流很快", "@客服 回复太慢"]
    out = ta.tokenize(cells)
    assert len(out) == len(cells)
    assert out[:9] == [[]] * 9
    assert out[9] == ["物流", "太慢", "客服态度", "不好"] * 715  # 了 and 也 are stop words
    assert out[10:] == [["客服", "好"], ["价格", "太贵"], [], ["86", "物流", "很快"], ["客服", "回复", "太慢"]]
    assert ta.tokenize(pd.Series(cells, index=range(100, 115))) == out
    assert ta.tokenize(np.array(cells, dtype=object)) == out
    assert ta.tokenize([]) == []


def test_bad_arguments_say_what_to_do(rjieba_analyzer):
    with pytest.raises(ValueError, match="'backend' parameter of TextAnalyzer must be one of 'auto', 'rjieba', "
                                         "'jieba'. Got 'rust' instead"):
        TextAnalyzer(backend="rust")
    with pytest.raises(TypeError, match=r"single string '性价比'. Wrap it: user_words=\['性价比'\]"):
        TextAnalyzer(user_words="性价比")
    with pytest.raises(TypeError, match="'hmm' parameter"):
        TextAnalyzer(hmm="yes")
    with pytest.raises(TypeError, match="must hold strings; got int 3"):
        TextAnalyzer(stop_words=["的", 3])
    with pytest.raises(ValueError, match="'快递' is mapped to both '物流' and '服务'"):
        TextAnalyzer(synonyms={"快递": "物流", "物流": ["快递"], "服务": ["快递"]})
    with pytest.raises(ValueError, match="cycle"):
        TextAnalyzer(synonyms={"快递": "物流", "物流": "快递"})
    with pytest.raises(TypeError, match="not one string"):
        rjieba_analyzer.tokenize("客服态度很好")
    with pytest.raises(ValueError, match="one column of answers; got a DataFrame with 2 columns"):
        rjieba_analyzer.tokenize(pd.DataFrame({"a": ["好"], "b": ["差"]}))
    with pytest.raises(TypeError, match="needs one string; got float nan"):
        rjieba_analyzer.cut(float("nan"))
    with pytest.warns(UserWordWarning, match=r"'\.\.\.'\) hold no letter or digit"):
        TextAnalyzer(user_words=["..."])
    # a phrase with spaces is found before cutting (issue 16): one token, written with or without them
    assert TextAnalyzer(user_words=["iPhone 15 Pro"]).tokenize(["iphone15pro很好用", "iPhone 15 Pro 很好用"]) == \
        [["iphone 15 pro", "好"]] * 2


def test_synonym_chains_resolve_and_auto_backend():
    ta = TextAnalyzer(synonyms={"快递": "物流", "发货": "快递"})
    assert ta.synonyms == {"快递": "物流", "发货": "物流"}
    assert ta.backend == "rjieba"  # installed: auto takes it
    n_stop = len(default_stop_words())
    assert repr(ta) == f"<TextAnalyzer backend='rjieba' user_words=3 stop_words={n_stop} synonyms=2 hmm=True>"


def test_analyzer_pickles(rjieba_analyzer):
    clone = pickle.loads(pickle.dumps(rjieba_analyzer))
    texts = ["客服态度很好，发货快", "質量一般"]
    assert clone.tokenize(texts) == rjieba_analyzer.tokenize(texts)
    assert clone.backend == "rjieba" and clone.synonyms == rjieba_analyzer.synonyms


def test_rjieba_is_much_faster(corpus, rjieba_analyzer, jieba_analyzer):
    """A smoke check of the reason for the second backend (the benchmark measures it properly)."""
    sample = corpus[-3000:]
    t0 = time.perf_counter()
    rjieba_analyzer.tokenize(sample)
    fast = time.perf_counter() - t0
    t0 = time.perf_counter()
    jieba_analyzer.tokenize(sample)
    slow = time.perf_counter() - t0
    assert slow > 2 * fast  # about 4-6x on this machine (normalization is shared); 2x leaves room for noise
    assert math.isfinite(slow)

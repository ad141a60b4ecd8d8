"""Synthetic Chinese customer comments for the tokenizer equivalence test and the text benchmarks.

Test and benchmark data, not part of the package: tests/conftest.py puts benchmarks/ on the path.

``make_corpus(n, seed=...)`` recombines review fragments at random: aspects, degree adverbs,
negators, opinions, the example study's phrases (surveykit/example/comments.py), mixed
English, product names with digits, dates (``2008-6-1``), prices and percentages, emoji,
Chinese and ASCII punctuation, full-width forms, traditional characters, rare CJK
characters (extension blocks, compatibility ideographs), kana, Hangul, HTML, formulas,
URLs, strings of random characters (which only the HMM can cut) and a few very long
comments. Nothing here is real data; it exists to give the backends every kind of input a
survey export holds, in realistic proportions.
"""

from __future__ import annotations

import random

import numpy as np

from surveykit.example.comments import ADVERSARIAL, MIXED, NON_ANSWERS, PHRASES

__all__ = ["THEME_WORDS", "make_corpus"]

# theme -> words a theme dictionary would list (the example study's plus the general
# customer-service themes); user words of the equivalence test
THEME_WORDS = {
    "price": ["价格", "贵", "便宜", "性价比", "划算", "优惠", "涨价", "价钱", "实惠"],
    "quality": ["质量", "耐用", "做工", "故障", "坏了", "稳定", "材质", "品质"],
    "service": ["服务", "客服", "客服态度", "态度", "回复", "售后", "热情", "耐心", "专业"],
    "logistics": ["物流", "快递", "发货", "送货", "到货", "配送", "快递小哥"],
    "packaging": ["包装", "破损", "盒子", "包装盒", "泡沫"],
    "appearance": ["外观", "颜色", "颜值", "设计", "好看", "漂亮"],
    "function": ["功能", "续航", "电池", "屏幕", "信号", "声音", "操作"],
    "experience": ["体验", "使用体验", "手感", "舒服", "方便", "好用"],
}

_ASPECTS = [w for ws in THEME_WORDS.values() for w in ws if len(w) > 1] + [
    "东西", "宝贝", "商品", "产品", "卖家", "店家", "尺码", "大小", "味道", "口感", "安装", "师傅",
    "做工细节", "说明书", "赠品", "发票", "退换货", "APP", "app", "系统", "充电器", "耳机", "键盘"]
_ADVERBS = ["很", "非常", "特别", "挺", "太", "有点", "比较", "超级", "相当", "十分", "真的", "还", "也", "都",
            "蛮", "超", "巨", "贼", "略", "稍微", "极其", ""]
_POSITIVE = ["好", "不错", "满意", "快", "便宜", "实惠", "划算", "精致", "结实", "耐用", "稳定", "热情", "及时",
             "周到", "耐心", "专业", "漂亮", "好看", "舒服", "清晰", "流畅", "值", "给力", "靠谱", "完美", "棒"]
_NEGATIVE = ["差", "慢", "贵", "一般", "粗糙", "敷衍", "失望", "糟糕", "难用", "麻烦", "卡", "烫", "简陋",
             "坑", "垃圾", "离谱", "拉胯", "不行", "无语"]
_NEGATORS = ["不", "没", "没有", "无", "未", "别", "毫无", "并不", "不太", "不是很", "一点也不", "从来没有",
             "并没有", "不怎么", "不算"]
_VERBS = ["坏了", "破损了", "漏液", "掉色", "退货", "换货", "投诉", "推荐", "回购", "收到了", "发错了",
          "少发了", "退款", "维修", "返厂", "联系客服", "打差评", "给好评", "下单", "拆开", "试用", "充电"]
_CONNECTORS = ["但是", "不过", "而且", "就是", "然后", "总之", "总体来说", "另外", "可惜", "希望", "建议",
               "所以", "因为", "虽然", "如果", "还有", ""]
_OPENERS = ["第一次买", "买给老公的", "买给孩子用", "618活动买的", "双十一下单", "回购很多次了", "用了一周",
            "用了三个月", "朋友推荐的", "看了直播买的", "收到货了", "等了好久", "老顾客了", "公司采购",
            "给爸妈买的", "开箱视频已发", "凑单买的", "追评", "第二次购买"]
_TIMES = ["2008-6-1", "2023-11-11", "2024/5/20", "6月1日", "下午3点", "3-5天", "第二天", "一周", "24小时",
          "12:30", "周五", "三天两夜", "半个月", "1号", "7x24小时"]
_NUMBERS = ["99元", "1299元", "50%", "3.5kg", "5G", "128GB", "4K", "A4纸", "2米", "100%好评", "1,000", "0.5",
            "￥199", "$20", "30块", "第3次", "No.1", "3+2", "C++", "#1", "A&B", "USB-C", "Type-C", "1.5L",
            "95后", "20cm", "300ml", "v2.0", "3、", "1)"]
_PRODUCTS = ["华为Mate60", "小米14Pro", "戴森V15", "iPhone15ProMax", "AirPods", "美的空调", "格力", "海尔冰箱",
             "三星Galaxy S24", "Switch", "iPad", "MacBook", "ThinkPad", "荣耀X50", "OPPO", "vivo", "大疆"]
_ENGLISH = ["iPhone", "OK", "ok", "nice", "good", "bad", "very good", "so so", "delivery", "service", "quality",
            "price", "wifi", "bug", "APP", "GOOD", "Nice!!!", "thanks", "perfect", "not bad", "5 stars",
            "refund please", "customer service is slow", "fast shipping", "A+", "LOL", "emmm", "hhh", "orz"]
_EMOJI = ["👍", "😡", "😊", "❤️", "🙏", "🤔", "👌🏻", "😂😂😂", "✨", "🎉", "⭐⭐⭐⭐⭐", "💯", "😭", "[微笑]",
          "[哭]", "(^_^)", "^_^", ":)", "T_T", "QAQ", "🇨🇳", "👨‍👩‍👧"]
_PUNCT = ["，", "。", "！", "？", "；", "、", "…", "~", "!!!", "???", "......", "——", " ", ",", ".", "!", "，，",
          "。。。", "\n", "\t", "  ", "～"]
_WRAP = [("「", "」"), ("【", "】"), ("（", "）"), ("(", ")"), ("“", "”"), ('"', '"'), ("《", "》"), ("[", "]")]
_FULLWIDTH = ["ｇｏｏｄ", "ＯＫ", "１２３", "ＡＰＰ", "！", "？", "，", "ｉＰｈｏｎｅ", "５０％", "ＶＩＰ", "　", "２０２３－６－１"]
_TRADITIONAL = ["質量很好", "客服態度不錯", "物流發貨很快", "價格實惠", "包裝精緻", "售後服務熱情", "東西收到了",
                "這個產品還可以", "顏色跟圖片一樣", "運費太貴了", "說明書看不懂", "電池續航很給力",
                "快遞員態度差", "沒有問題", "裡面的零件壞了", "頭髮乾了", "一目瞭然", "反覆退貨", "著實不錯"]
_RARE = ["𠮷", "㐀", "豈", "鿰", "鿏", "〇", "ㄅㄆㄇ", "あいう", "カタカナ", "한국어", "Ελληνικά", "привет", "é",
         "ß", "Ⅳ", "①②③", "㎏", "™", "½", "°C", "\u200b", "\ufeff", "\u00a0"]
_MARKUP = ["<p>", "</p>", "<br/>", "&nbsp;", "&amp;", "&lt;好评&gt;", '<a href="http://x.cn">链接</a>',
           "http://example.com/a?b=1", "www.taobao.com", "@客服", "#好物推荐#", "+86 138-0013-8000", "=SUM(A1:A3)",
           '=HYPERLINK("http://x","价格太贵")', "<script>alert(1)</script>", "\\n", "NULL", "N/A", "-", "/"]
_N_CLAUSES, _P_CLAUSES = [1, 2, 3, 4, 5, 6, 8], [0.18, 0.26, 0.24, 0.15, 0.09, 0.05, 0.03]
_SHORT = ["好", "很好", "不错", "满意", "好评", "还行", "一般", "差评", "非常满意", "挺好的", "无", "没有", "推荐",
          "👍", "ok", "good", "满意！", "很满意。", "还可以", "不满意"]


def _pick(rng: random.Random, pool: list[str]) -> str:
    return pool[rng.randrange(len(pool))]


def _random_chars(rng: random.Random, pool: str) -> str:
    """A run of 2-8 characters drawn from real phrases: unknown words the HMM has to cut."""
    return "".join(rng.choices(pool, k=rng.randrange(2, 9)))


def _clause(rng: random.Random, chars: str) -> str:
    k = rng.randrange(14)
    if k == 0:
        return _pick(rng, _ASPECTS) + _pick(rng, _ADVERBS) + _pick(rng, _POSITIVE)
    if k == 1:
        return _pick(rng, _ASPECTS) + _pick(rng, _ADVERBS) + _pick(rng, _NEGATIVE)
    if k == 2:
        return _pick(rng, _ASPECTS) + _pick(rng, _NEGATORS) + _pick(rng, _ADVERBS) + _pick(rng, _POSITIVE)
    if k == 3:
        theme = _pick(rng, list(PHRASES))
        return _pick(rng, PHRASES[theme][rng.randrange(2)])
    if k == 4:
        theme = _pick(rng, list(MIXED))
        return _pick(rng, MIXED[theme][rng.randrange(2)])
    if k == 5:
        return _pick(rng, _OPENERS)
    if k == 6:
        return _pick(rng, _TIMES) + _pick(rng, _VERBS)
    if k == 7:
        return _pick(rng, _PRODUCTS) + _pick(rng, _ASPECTS) + _pick(rng, _ADVERBS) + _pick(rng, _POSITIVE + _NEGATIVE)
    if k == 8:
        return _pick(rng, _NUMBERS) + _pick(rng, _ASPECTS) + _pick(rng, _NEGATORS) + _pick(rng, _NEGATIVE)
    if k == 9:
        return _pick(rng, _ENGLISH) + (_pick(rng, _ASPECTS) if rng.random() < 0.5 else "")
    if k == 10:
        return _pick(rng, _TRADITIONAL)
    if k == 11:
        return _random_chars(rng, chars)
    if k == 12:
        return _pick(rng, _CONNECTORS) + _pick(rng, _ASPECTS) + _pick(rng, _VERBS)
    return _pick(rng, _NEGATORS) + _pick(rng, _ASPECTS)


def _comment(rng: random.Random, chars: str) -> str:
    u = rng.random()
    if u < 0.04:
        return _pick(rng, _SHORT)
    if u < 0.05:
        return _pick(rng, NON_ANSWERS + ADVERSARIAL)
    n_clauses = rng.choices(_N_CLAUSES, _P_CLAUSES)[0]
    parts = []
    for _ in range(n_clauses):
        c = _clause(rng, chars)
        r = rng.random()
        if r < 0.03:
            c = _pick(rng, _FULLWIDTH) + c
        elif r < 0.05:
            c += _pick(rng, _RARE)
        elif r < 0.065:
            c = _pick(rng, _MARKUP) + c
        elif r < 0.085:
            left, right = _pick(rng, _WRAP)
            c = left + c + right
        elif r < 0.10:
            c = c.upper()
        elif r < 0.11:  # no separator at all: clauses run together
            parts.append(c)
            continue
        parts.append(c + _pick(rng, _PUNCT))
    text = "".join(parts)
    if rng.random() < 0.12:
        text += _pick(rng, _EMOJI) * rng.randrange(1, 4)
    if rng.random() < 0.05:
        text = " " * rng.randrange(1, 3) + text + _pick(rng, ["  ", "\n", "\r\n", "　"])
    return text


def make_corpus(n: int, *, seed: int = 0, distinct: bool = True, long_share: float = 0.002,
                max_long: int = 10_000) -> list[str]:
    """``n`` synthetic Chinese customer comments (strings).

    Parameters
    ----------
    n : int
        Number of comments.
    seed : int
        Seed of the generator (``random.Random``, faster per draw than numpy's for this); the
        same seed gives the same corpus.
    distinct : bool
        True: every comment differs from every other (the worst case for a tokenizer that
        tokenizes each distinct comment once). False: realistic repeats, as in a real
        export: about a quarter of the comments are short stock answers ("很好", "好评",
        "无") and the rest are drawn, with a heavy-tailed frequency, from ``n // 3``
        distinct generated comments.
    long_share : float
        Share of comments made very long (a clause repeated up to ``max_long`` characters).
    max_long : int
        Length in characters of the longest comment.

    Returns
    -------
    list of str

    Examples
    --------
    >>> from surveykit.text._corpus import make_corpus
    >>> texts = make_corpus(1000, seed=1)
    >>> len(texts), len(set(texts))
    (1000, 1000)
    """
    rng = random.Random(seed)
    chars = "".join(sorted({ch for ws in PHRASES.values() for pool in ws for p in pool for ch in p
                            if "\u4e00" <= ch <= "\u9fd5"}))
    target = n if distinct else max(1, n // 3)
    out: list[str] = []
    seen: set[str] = set()
    n_long = 0
    while len(out) < target:
        text = _comment(rng, chars)
        if rng.random() < long_share:  # the first long comment has max_long characters, the others fewer
            size = rng.randrange(max_long // 4, max_long) if n_long else max_long
            text = (text * (size // max(1, len(text)) + 1))[:size]
            n_long += 1
        if text in seen:
            continue
        seen.add(text)
        out.append(text)
    if distinct:
        return out
    # realistic repeats: stock answers and a heavy-tailed reuse of the distinct pool
    draw = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, len(out) + 1) ** 0.6
    idx = draw.choice(len(out), size=n, p=weights / weights.sum())
    stock = draw.random(n) < 0.25
    short = draw.integers(len(_SHORT), size=n)
    return [_SHORT[s] if st else out[i] for i, st, s in zip(idx, stock, short)]

"""Chinese open comments for the example study, built from templates that carry the themes."""

from __future__ import annotations

import numpy as np

# theme -> (positive phrases, negative phrases); the keywords match questionnaires/themes/customer_value.yaml
PHRASES = {
    "price": (["价格实惠", "性价比很高", "价格便宜，很划算", "有优惠活动，挺划算"],
              ["价格太贵了", "性价比不高", "涨价太多，不划算", "价格不便宜"]),
    "quality": (["质量很好", "做工扎实，很耐用", "质量稳定，没有问题", "产品质量没得说"],
                ["质量不太好", "用了一个月就坏了", "质量一般，不满意", "做工粗糙，经常故障"]),
    "service": (["客服态度很好", "客服回复及时", "售后服务热情", "服务很周到"],
                ["客服态度不好", "客服回复太慢", "售后没有人管", "服务不满意"]),
    "logistics": (["物流很快", "快递第二天就到了", "发货速度快", "送货上门很方便"],
                  ["物流太慢", "快递很慢，等了一周", "发货不及时", "到货时间一拖再拖"]),
    "packaging": (["包装很精致", "包装完好", "盒子很结实"],
                  ["包装破损", "包装太简陋", "盒子压坏了"]),
}
# answers that say nothing (surveykit.text.normalize.is_non_answer), and short opinions that name no theme: a
# respondent who writes 挺好的 ("it's fine") has answered, and is counted among the comments matching no theme
NON_ANSWERS = ["无", "没有", "。", "nothing", "", "   ", "暂无", "无意见", "没有了"]
NO_THEME = ["挺好的", "还行吧"]
MIXED = {"service": (["客服very nice", "service很好"], ["客服态度so bad", "售后response太慢"]),
         "logistics": (["物流super快", "快递fast"], ["物流太slow了", "delivery太慢"]),
         "quality": (["quality不错", "质量good"], ["quality很差", "质量not good"]),
         "price": (["price很合理", "性价比high"], ["price有点high", "太expensive了"])}
ADVERSARIAL = [
    "<script>alert(1)</script>客服态度差",
    '=HYPERLINK("http://x","价格太贵")',
    "+86 物流很快",
    "@客服 回复太慢",
]


def make_comments(satisfaction: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One comment per respondent (object array; NaN where left blank).

    About 60% write something substantive: 1-3 themes whose polarity follows the
    respondent's (standardised) satisfaction; the rest give non-answers or nothing.
    """
    n = len(satisfaction)
    themes = list(PHRASES)
    out = np.empty(n, dtype=object)
    kind = rng.random(n)
    for i in range(n):
        if kind[i] < 0.25:
            out[i] = np.nan
            continue
        if kind[i] < 0.40:
            short = NON_ANSWERS + NO_THEME
            out[i] = short[rng.integers(len(short))]
            continue
        k = rng.choice([1, 2, 3], p=[0.5, 0.35, 0.15])
        chosen = rng.choice(themes, size=k, replace=False)
        parts = []
        for t in chosen:
            s = satisfaction[i] + rng.normal(0, 0.6)
            positive = s > 0
            pool = MIXED.get(t) if rng.random() < 0.06 and t in MIXED else PHRASES[t]
            phrases = pool[0] if positive else pool[1]
            parts.append(phrases[rng.integers(len(phrases))])
        text = rng.choice(["，", "。", "；", " "]).join(parts)
        if rng.random() < 0.12:
            text += " 👍" if satisfaction[i] > 0 else " 😡"
        if rng.random() < 0.01:
            text = "。".join([text] * 40)  # a long complaint
        out[i] = text
    for j, text in enumerate(ADVERSARIAL):
        out[min(n - 1, 17 + 97 * j)] = text
    return out

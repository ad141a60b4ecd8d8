"""Languages of the package's labels, and the zh/en names of the indices.

Private to the package: the index names are used by the indices, text and customer-value
survey layers and by their figures, so they live under all of them.
"""

from __future__ import annotations

#: Languages of labels, figures and reports (error messages list them in this order).
LANGUAGES = ("zh", "en")

# index -> (zh, en) label
LABELS = {
    "satisfaction_index": ("顾客满意度指数（0-100）", "Satisfaction index (0-100)"),
    "loyalty_index": ("顾客忠诚度指数（0-100）", "Loyalty index (0-100)"),
    "value_index": ("感知价值指数（0-100）", "Perceived value index (0-100)"),
    "nps": ("净推荐值 NPS（-100~100）", "Net Promoter Score (-100 to 100)"),
    "top2_box": ("{item} 前两箱比例", "{item}: top-2-box share"),
    "value_difference": ("感知价值：利得 − 利失（量表分）", "Perceived value: benefits − sacrifices (scale points)"),
    "value_ratio": ("感知价值：利得 / 利失", "Perceived value: benefits / sacrifices"),
    "delivered_value": ("客户让渡价值：总价值 − 总成本（Kotler）", "Customer delivered value: value − cost (Kotler)"),
    "delivered_value_ratio": ("客户让渡价值：总价值 / 总成本（Kotler）", "Customer delivered value: value / cost (Kotler)"),
    "relationship_value": ("关系价值比（Grönroos）", "Relationship value ratio (Grönroos)"),
}


def index_label(key: str, language: str, item=None) -> str:
    """The label of an index; ``item`` is the questionnaire Text of the item it is about."""
    zh, en = (t.format(item="" if item is None else item.get(lang)) for t, lang in zip(LABELS[key], LANGUAGES))
    return {"zh": zh, "en": en}.get(language, f"{zh} / {en}")

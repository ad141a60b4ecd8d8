"""Interpreters of the satisfaction methods: KANO, SERVQUAL gaps, penalty-reward and item discrimination."""

from __future__ import annotations

import math

from ..satisfaction.discrimination import DiscriminationResult
from ..satisfaction.kano import CATEGORY_NAMES, KanoResult
from ..satisfaction.penalty_reward import PenaltyRewardResult
from ..satisfaction.servqual import ServqualResult
from ..satisfaction.survey import SurveyDiscrimination
from .interpretation import Interpretation, Sentence, build, in_language, interpreter, label_of
from .phrases import cite, fmt, fmt_p, fmt_pair, fmt_threshold, interval, lang, significance
from .psychometrics import each
from .rules import RuleSet


def _name(category: str, language: str) -> str:
    """'魅力属性（A）' / 'Attractive (A)'; tied categories joined."""
    k = 0 if language == "zh" else 1
    names = [f"{CATEGORY_NAMES[c][k]}（{c}）" if k == 0 else f"{CATEGORY_NAMES[c][k]} ({c})" for c in category.split("/")]
    return lang(language, "与".join(names), " / ".join(names))


@interpreter(KanoResult)
def interpret_kano(r: KanoResult, language: str, rules: RuleSet) -> Interpretation:
    d = rules.decimals
    guidance = [lang(language, "每个属性按 Berger et al.（1993）评价表把功能/非功能问题的回答对归为 A 魅力、O 期望、M 必备、I 无差异、"
                               "R 反向、Q 可疑，取比例最高者为其类别（最大值法）；Better =（A+O）/（A+O+M+I）越大，提供该属性越能提升满意，"
                               "Worse = −（O+M）/（A+O+M+I）绝对值越大，缺少该属性越引起不满。",
                     "Each answer pair maps to A attractive, O one-dimensional, M must-be, I indifferent, R reverse or Q "
                     "questionable by Berger et al.'s (1993) table; an attribute's category is the most frequent (maximum "
                     "rule). A larger Better = (A+O)/(A+O+M+I) means offering it raises satisfaction more; a larger |Worse| "
                     "= (O+M)/(A+O+M+I) means lacking it causes more dissatisfaction."),
                lang(language, "Fong（1996）检验最高两类的差异：差值不小于临界值时类别明确，否则应视为两类之间、结论不确定。",
                     "Fong's (1996) test compares the two most frequent categories: when the difference is below the "
                     "critical value the category is not clear-cut.")]
    sentences = []
    for attr, row in r.table.iterrows():
        if not row["category"] or not math.isfinite(row["better"]):
            sentences.append(Sentence(text=lang(language, f"“{attr}”没有 A/O/M/I 回答，无法归类（Berger et al., 1993）。",
                                                f"{attr!r} has no A/O/M/I answer and cannot be classified "
                                                "(Berger et al., 1993)."),
                                      verdict="not_available", criterion="maximum rule", citation="Berger et al., 1993",
                                      subject=str(attr)))
            continue
        share = row[f"share_{row['category'].split('/')[0].lower()}"]
        tie = lang(language, "（并列最高）", " (tied)") if row["tied"] else ""
        sentences.append(Sentence(
            text=lang(language, f"“{attr}”归为{_name(row['category'], language)}{tie}，占 {share:.1%}；Better = "
                                f"{fmt(row['better'], d)}，Worse = {fmt(row['worse'], d)}（Berger et al., 1993）。",
                      f"{attr!r} is {_name(row['category'], language)}{tie}, {share:.1%} of answers; Better = "
                      f"{fmt(row['better'], d)}, Worse = {fmt(row['worse'], d)} (Berger et al., 1993)."),
            verdict="info", criterion="maximum rule", citation="Berger et al., 1993", value=float(share),
            subject=str(attr)))
        diff, crit = float(row["fong_difference"]), float(row["fong_critical"])
        if math.isfinite(diff) and math.isfinite(crit):
            ok = diff >= crit
            a, b = fmt_pair(diff, crit, 2)
            op = "≥" if ok else "<"
            text = (lang(language, f"Fong 检验：{row['first']} 与 {row['second']} 之差 {a} {op} 临界值 {b}，类别"
                                   f"{'明确' if ok else '不明确，介于两类之间'}（Fong, 1996）。",
                         f"Fong's test: the difference between {row['first']} and {row['second']}, {a}, is "
                         f"{'at or above' if ok else 'below'} the critical value {b}: the category is "
                         f"{'clear' if ok else 'not clear-cut'} (Fong, 1996)."))
            sentences.append(Sentence(text=text, verdict="pass" if ok else "fail", criterion="|a − b| ≥ critical",
                                      citation="Fong, 1996", value=diff, subject=str(attr)))
    return build(r, language, ("KANO 分析", "KANO analysis"), guidance, sentences)


# ---------------------------------------------------------------------------------------------
# SERVQUAL, penalty-reward and item discrimination

SERVQUAL_SOURCE = "Parasuraman et al., 1988"


def _gap(row, what: str, level: float, language: str, d: int, subject: str) -> Sentence:
    """A gap P - E with its interval: below 0 perceptions fall short of expectations."""
    claim = (("感知显著低于期望", "perceptions fall short of expectations") if row["estimate"] < 0 else
             ("感知显著高于期望", "perceptions exceed expectations"))
    return interval(row["estimate"], row["ci_low"], row["ci_high"], level, language, what, "P − E", SERVQUAL_SOURCE,
                    d, subject=subject, claim=claim)


@interpreter(ServqualResult)
def interpret_servqual(r: ServqualResult, language: str, rules: RuleSet) -> Interpretation:
    d = rules.decimals
    guidance = [lang(language, f"SERVQUAL 差距 = 感知（P）− 期望（E）（{SERVQUAL_SOURCE}）：负值表示服务未达到顾客期望，{r.ci_level:.0%} 置信区间"
                               "不包含 0 时差距显著；先看总体与各维度的差距，再看差距最大的题项。",
                     f"The SERVQUAL gap is perception (P) − expectation (E) ({SERVQUAL_SOURCE}): below 0 the service "
                     f"falls short of what customers expect; a {r.ci_level:.0%} interval that excludes 0 marks a "
                     "significant gap. Read the overall and dimension gaps first, then the items with the largest gaps.")]
    sentences = []
    for key, row in r.overall.iterrows():
        what = {"unweighted": ("总体差距（各维度等权）", "The overall gap (dimensions equally weighted)"),
                "weighted": ("加权总体差距（按维度重要性）", "The weighted overall gap (by dimension importance)")}.get(
                    key, (str(key), str(key)))
        sentences.append(_gap(row, lang(language, *what), r.ci_level, language, d, str(key)))
    for dim, row in r.dimensions.sort_values("estimate").iterrows():
        sentences.append(_gap(row, lang(language, f"维度“{dim}”的差距", f"The gap of {dim!r}"), r.ci_level, language,
                              d, str(dim)))
    worst = r.items.sort_values("estimate").head(3)
    worst = worst[worst["estimate"] < 0]
    if len(worst):
        sep = "、" if language == "zh" else ", "
        listed = sep.join(f"{i}（{fmt(v, d)}）" if language == "zh" else f"{i} ({fmt(v, d)})"
                          for i, v in worst["estimate"].items())
        sentences.append(Sentence(text=lang(language, f"差距最大的题项：{listed}。", f"The items with the largest gaps: {listed}."),
                                  verdict="info", citation=SERVQUAL_SOURCE))
    return build(r, language, ("SERVQUAL 服务质量差距", "SERVQUAL service quality gaps"), guidance, sentences)


PR_CLASSES = {"basic": ("基本因素（惩罚显著大于奖励：做不好引起不满，做好了也难以加分）",
                        "a basic factor (penalty significantly larger than reward: poor performance hurts, good "
                        "performance adds little)"),
              "excitement": ("兴奋因素（奖励显著大于惩罚：做好了明显加分）",
                             "an excitement factor (reward significantly larger than penalty: good performance delights)"),
              "performance": ("绩效因素（惩罚与奖励无显著差异，至少一项显著）",
                              "a performance factor (penalty and reward do not differ significantly; at least one is "
                              "significant)"),
              "none": ("对满意度无显著影响（惩罚与奖励均不显著）", "without a significant effect (neither penalty nor reward is "
                                                           "significant)")}


def penalty_reward_class(row, alpha: float) -> str:
    """The class of an attribute by Mittal et al. (1998), decided at ``alpha``: '' when a p-value is missing."""
    ps = (row["penalty_p"], row["reward_p"], row["difference_p"])
    if not all(math.isfinite(float(p)) for p in ps):
        return ""
    if row["difference_p"] < alpha:
        return "basic" if row["difference"] > 0 else "excitement"
    return "performance" if min(row["penalty_p"], row["reward_p"]) < alpha else "none"


@interpreter(PenaltyRewardResult)
def interpret_penalty_reward(r: PenaltyRewardResult, language: str, rules: RuleSet) -> Interpretation:
    d = rules.decimals
    alpha = rules.alpha(r.ci_level)
    a = fmt_threshold(alpha)
    src = "Mittal et al., 1998"
    guidance = [lang(language, f"惩罚-奖励分析（{src}）：把各属性的表现分为低（{r.low}）、中、高（{r.high}）三组，以虚拟变量回归总体满意度；"
                               f"惩罚 = 低表现使满意度下降的幅度，奖励 = 高表现使满意度上升的幅度。二者之差在 p < {a} 时显著：惩罚大为基本因素，"
                               "奖励大为兴奋因素，无显著差异为绩效因素。",
                     f"Penalty-reward analysis ({src}): each attribute's performance is split into low ({r.low}), middle "
                     f"and high ({r.high}) and the dummies are regressed on overall satisfaction; the penalty is the drop "
                     "of satisfaction at low performance, the reward its rise at high performance. When their difference "
                     f"is significant (p < {a}), a larger penalty makes a basic factor, a larger reward an excitement "
                     "factor; otherwise a performance factor.")]
    sentences = [Sentence(text=lang(language, f"模型 R² = {fmt(r.r_squared, d)}，n = {r.n_obs}。",
                                    f"The model's R² = {fmt(r.r_squared, d)}, n = {r.n_obs}."), value=float(r.r_squared))]
    for attr, row in r.table.iterrows():
        kind = penalty_reward_class(row, alpha)
        pen, rew = fmt(row["penalty"], d, 0), fmt(row["reward"], d, 0)
        p_pen, p_rew, p_diff = (fmt_p(row[c], alpha) for c in ("penalty_p", "reward_p", "difference_p"))
        if not kind:
            sentences.append(Sentence(text=lang(language, f"“{attr}”的惩罚或奖励无法估计（低或高表现组为空），未能归类（{src}）。",
                                                f"The penalty or reward of {attr!r} cannot be estimated (an empty low or "
                                                f"high group): it is not classified ({src})."),
                                      verdict="not_available", citation=src, subject=str(attr)))
            continue
        zh, en = PR_CLASSES[kind]
        sentences.append(Sentence(
            text=lang(language, f"“{attr}”：惩罚 = {pen}（{p_pen}），奖励 = {rew}（{p_rew}），差值检验 {p_diff}（α = {a}），"
                                f"为{zh}（{src}）。",
                      f"{attr!r}: penalty = {pen} ({p_pen}), reward = {rew} ({p_rew}), their difference {p_diff} "
                      f"(α = {a}): {en} ({src})."),
            verdict="info", criterion=f"p < {a}", citation=src, value=float(row["difference"]), subject=str(attr)))
    return build(r, language, ("惩罚-奖励分析", "Penalty-reward analysis"), guidance, sentences)


def _discrimination_sentences(r: DiscriminationResult, language: str, rules: RuleSet, labels: dict) -> list:
    alpha = rules.alpha(r.ci_level)
    cr = r.table["cr"].astype(float).rename(index=lambda i: label_of(labels, i, language))
    out = each(rules, "critical_ratio_min", cr, language, ("题项“{subject}”的决断值 CR(t)",
                                                           "The critical ratio of item {subject!r}, CR(t)"), "CR(t)")
    for item, row in r.table.iterrows():
        if not (math.isfinite(row["p_value"]) and row["p_value"] < alpha):
            name = label_of(labels, item, language)
            out.append(significance(row["p_value"], alpha, language, "", "Student t test", subject=str(item),
                                    lead=lang(language, f"题项“{name}”高低分组的差异",
                                                   f"The difference between the groups on item {name!r}")))
    return out


def _discrimination_guidance(rules: RuleSet, language: str, groups: float) -> list:
    t = fmt_threshold(rules.critical_ratio_min)
    src = cite(rules.cite("critical_ratio_min"), language)
    return [lang(language, f"项目分析（极端组法）：按总分取前后 {groups:.0%} 为高、低分组，逐题做独立样本 t 检验；t 值即决断值 CR，"
                           f"CR ≥ {t} 且差异显著的题项鉴别度良好（{src}），否则可考虑删除。",
                 f"Item analysis by extreme groups: the top and bottom {groups:.0%} on the total score are compared item "
                 f"by item with an independent t test; the t value is the critical ratio (CR). An item with CR ≥ {t} "
                 f"and a significant difference discriminates well ({src}); otherwise it is a candidate for removal.")]


def _groups_sentence(r: DiscriminationResult, language: str, scale: str | None = None) -> Sentence:
    """'低分组 446 人（总分 ≤ 10）…', led by the scale's name when given."""
    zh = f"“{scale}”：" if scale else ""
    en = f"{scale}: the" if scale else "The"
    return Sentence(text=lang(language, f"{zh}低分组 {r.n_low} 人（总分 ≤ {r.low_cut:g}），高分组 {r.n_high} 人（总分 ≥ {r.high_cut:g}）。",
                              f"{en} low group has {r.n_low} respondents (total ≤ {r.low_cut:g}), the high group "
                              f"{r.n_high} (total ≥ {r.high_cut:g})."), subject=scale)


TITLE_DISCRIMINATION = ("项目分析（决断值）", "Item discrimination (critical ratio)")


@interpreter(DiscriminationResult)
def interpret_discrimination(r: DiscriminationResult, language: str, rules: RuleSet, labels=None) -> Interpretation:
    """The groups, each item's CR against the rule set's minimum, the items whose difference is not
    significant; items named by ``labels`` (id -> text)."""
    return build(r, language, TITLE_DISCRIMINATION, _discrimination_guidance(rules, language, r.groups),
                 [_groups_sentence(r, language), *_discrimination_sentences(r, language, rules, labels or {})])


@interpreter(SurveyDiscrimination)
def interpret_survey_discrimination(r: SurveyDiscrimination, language: str, rules: RuleSet,
                                    labels=None) -> Interpretation:
    """Every construct's groups and items, each construct named by its label and each item by its text."""
    if not r.results:
        raise ValueError("item_discrimination: no construct could be analysed (see the notes); nothing to interpret.")
    names = in_language({**r.labels, **(labels or {})}, r.language)
    sentences = []
    for construct, result in r.results.items():
        scale = label_of(names, construct, language) if construct != "total" else lang(language, "全部题项", "All items")
        sentences += [_groups_sentence(result, language, scale),
                      *_discrimination_sentences(result, language, rules, names)]
    return build(r, language, TITLE_DISCRIMINATION, _discrimination_guidance(rules, language, r.groups), sentences)

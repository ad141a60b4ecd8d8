"""The bundled example study: a seeded customer-value survey with a known structural model.

Perceived benefits (product, service, personnel, image) and perceived sacrifices (monetary,
time, energy, physical cost) drive perceived value (benefits weighed against sacrifices),
which drives satisfaction, which drives loyalty: the chain of the satisfaction-index models.
Answers are skewed as real ratings are, with item nonresponse, 98/99 codes, reverse-worded
items, speeders, straight-liners and Chinese comments; a transactions table links customers
to what they bought.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..io.coding import TEXT_DTYPE
from ..questionnaire import load_questionnaire
from ..questionnaire.model import Questionnaire
from .comments import make_comments

__all__ = ["ExampleStudy", "generate_example", "AS_OF"]

AS_OF = pd.Timestamp("2026-10-31")
BENEFITS = ("product_value", "service_value", "personnel_value", "image_value")
SACRIFICES = ("monetary_cost", "time_cost", "energy_cost", "physical_cost")
# category probabilities of the 1-5 answers at the latent mean: ratings of what customers
# get are negatively skewed (most say 4-5); costs are more symmetric
SKEWED = np.array([0.04, 0.08, 0.20, 0.40, 0.28])
SYMMETRIC = np.array([0.10, 0.24, 0.32, 0.24, 0.10])


@dataclass(frozen=True)
class ExampleStudy:
    """The example study as generated (see :func:`generate_example`).

    ``answers`` holds what respondents answered, declared missing codes (97/98/99)
    included; ``truth`` is the coded frame a correct loader produces from any export of
    it (missing codes as NaN). ``flags`` says who was made a speeder or a straight-liner.
    """

    questionnaire: Questionnaire
    answers: pd.DataFrame
    truth: pd.DataFrame
    meta: pd.DataFrame
    flags: pd.DataFrame
    transactions: pd.DataFrame
    as_of: pd.Timestamp = AS_OF

    def __repr__(self) -> str:
        return (f"<ExampleStudy n_respondents={len(self.answers)} "
                f"n_transactions={len(self.transactions)} as_of={self.as_of.date()}>")


def _cut(z: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """Cut a standard-normal-ish latent into 1..k with the given marginal probabilities."""
    from scipy.stats import norm

    edges = norm.ppf(np.cumsum(probs)[:-1])
    return (np.searchsorted(edges, z) + 1).astype(float)


def _std(x: np.ndarray) -> np.ndarray:
    return (x - x.mean()) / x.std()


def generate_example(n_respondents: int = 1500, n_customers: int = 12000, seed: int = 20261123) -> ExampleStudy:
    """Generate the example study (deterministic for a seed).

    Parameters
    ----------
    n_respondents : int, default 1500
    n_customers : int, default 12000
        Customers in the transactions table (about 10 orders each).
    seed : int

    Returns
    -------
    ExampleStudy

    Examples
    --------
    >>> from surveykit.example import generate_example
    >>> study = generate_example(n_respondents=200, n_customers=1000)
    >>> study.truth.shape[0]
    200
    """
    rng = np.random.default_rng(seed)  # every helper below draws from it, in this order
    q = load_questionnaire("customer_value")
    n = n_respondents
    latent = _latent(rng, n)
    answers = _answers(rng, q, latent, n)
    agree = _nonresponse(rng, q, answers, n)
    speeder, straight, duration = _careless(rng, answers, agree, n)
    channel = _profile(rng, answers, n)
    transactions, customer_id = _customers(rng, answers, latent, n, n_customers, seed)
    index = pd.Index(np.arange(1, n + 1, dtype=np.int64), name="respondent_id")
    frame, truth = _frames(rng, q, answers, channel, customer_id, latent["satisfaction"], index)
    start = pd.Timestamp("2026-09-15")
    submitted = start + pd.to_timedelta(np.sort(rng.integers(0, 45 * 86400, n)), unit="s")
    meta = pd.DataFrame({
        "duration_sec": duration,
        "submitted_at": submitted,
        "ip": [f"{a}.{b}.{c}.{d}" for a, b, c, d in rng.integers(1, 255, (n, 4))],
    }, index=index)
    flags = pd.DataFrame({"speeder": speeder, "straightliner": straight}, index=index)
    return ExampleStudy(questionnaire=q, answers=frame, truth=truth, meta=meta, flags=flags,
                        transactions=transactions)


def _latent(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """The latent scores: eight correlated value and cost factors, then value, satisfaction and loyalty."""
    corr = np.full((8, 8), 0.0)
    corr[:4, :4], corr[4:, 4:] = 0.5, 0.4
    corr[:4, 4:] = corr[4:, :4] = -0.2
    np.fill_diagonal(corr, 1.0)
    factors = rng.multivariate_normal(np.zeros(8), corr, size=n)
    benefit, sacrifice = factors[:, :4].mean(axis=1), factors[:, 4:].mean(axis=1)
    value = _std(0.6 * benefit - 0.45 * sacrifice + rng.normal(0, 0.55, n))
    satisfaction = _std(0.65 * value + 0.25 * benefit + rng.normal(0, 0.6, n))
    loyalty = _std(0.75 * satisfaction + rng.normal(0, 0.65, n))
    latent = {name: factors[:, j] for j, name in enumerate(BENEFITS + SACRIFICES)}
    latent.update(perceived_value=value, satisfaction=satisfaction, loyalty=loyalty)
    return latent


def _answers(rng: np.random.Generator, q: Questionnaire, latent: dict, n: int) -> dict[str, np.ndarray]:
    """Every construct item cut from its latent score (reverse-worded items reversed), the NPS and complaints."""
    answers: dict[str, np.ndarray] = {}
    for cname, c in q.constructs.items():
        probs = SYMMETRIC if cname in SACRIFICES else SKEWED
        for item_id in c.items:
            z = 0.8 * latent[cname] + rng.normal(0, 0.6, n)
            answers[item_id] = _cut(-z if q.item(item_id).reverse else z, probs)
    satisfaction, loyalty = latent["satisfaction"], latent["loyalty"]
    answers["loy_recommend"] = np.clip(np.round(7.6 + 2.0 * loyalty + rng.normal(0, 1.1, n)), 0, 10)
    complained = rng.random(n) < 1 / (1 + np.exp(1.9 + 1.1 * satisfaction))
    answers["complained"] = np.where(complained, 1.0, 2.0)
    handling = _cut(0.7 * satisfaction + rng.normal(0, 0.7, n), SYMMETRIC)
    answers["complaint_handling"] = np.where(complained, handling, 97.0)
    return answers


def _nonresponse(rng: np.random.Generator, q: Questionnaire, answers: dict, n: int) -> list[str]:
    """Blanks and "don't know" (98/99) on the rating grids, blanks on the NPS; the agree-scale items."""
    agree = [i for i in q.item_ids if q.item(i).scale == "agree5"]
    for item_id in agree + ["sat_overall", "sat_expect", "sat_ideal"]:
        u = rng.random(n)
        answers[item_id] = np.where(u < 0.02, np.nan, answers[item_id])
        answers[item_id] = np.where((u >= 0.02) & (u < 0.035), rng.choice([98.0, 99.0], n), answers[item_id])
    answers["loy_recommend"] = np.where(rng.random(n) < 0.01, np.nan, answers["loy_recommend"])
    return agree


def _careless(rng: np.random.Generator, answers: dict, agree: list, n: int):
    """About 2% speeders (short durations) and 2% straight-liners (one answer on every agree item)."""
    order = rng.permutation(n)
    speeder = np.zeros(n, bool)
    speeder[order[: max(1, int(0.02 * n))]] = True
    straight = np.zeros(n, bool)
    straight[order[max(1, int(0.02 * n)): max(2, int(0.04 * n))]] = True
    same = rng.integers(1, 6, n).astype(float)
    for item_id in agree:
        answers[item_id] = np.where(straight, same, answers[item_id])
    duration = np.round(np.exp(rng.normal(np.log(360), 0.4, n)))
    duration = np.where(speeder, rng.integers(35, 90, n), duration).astype(float)
    return speeder, straight, duration


def _profile(rng: np.random.Generator, answers: dict, n: int) -> np.ndarray:
    """Gender, age band, region and tenure into ``answers``; the purchase channels (multiple choice)."""
    answers["gender"] = rng.choice([1.0, 2.0], n, p=[0.47, 0.53])
    answers["age_band"] = rng.choice([1.0, 2.0, 3.0, 4.0, 5.0], n, p=[0.14, 0.34, 0.27, 0.15, 0.10])
    answers["region"] = rng.choice(np.arange(1.0, 7.0), n, p=[0.32, 0.2, 0.18, 0.12, 0.1, 0.08])
    answers["tenure"] = rng.choice([1.0, 2.0, 3.0, 4.0], n, p=[0.2, 0.35, 0.25, 0.2])
    chosen = rng.random((n, 4)) < np.array([0.35, 0.6, 0.3, 0.25])
    chosen[~chosen.any(axis=1), 1] = True
    channel = chosen.astype(float)
    channel[rng.random(n) < 0.02] = np.nan
    return channel


def _customers(rng: np.random.Generator, answers: dict, latent: dict, n: int, n_customers: int, seed: int):
    """The transactions table and each respondent's customer id (3% without purchases); the stated tier."""
    transactions, totals = _transactions(rng, n_customers)
    customers = totals.index.to_numpy()
    has_tx = rng.random(n) >= 0.03
    picked = _pair_by_value(rng.choice(customers, size=n, replace=False), transactions, totals,
                            latent["satisfaction"] + latent["loyalty"], np.random.default_rng([seed, 1]))
    no_tx_ids = np.array([f"C{9_000_000 + i:07d}" for i in range(n)], dtype=object)
    customer_id = np.where(has_tx, picked, no_tx_ids).astype(object)
    spend_rank = totals.rank(ascending=False, pct=True)
    true_tier = np.where(spend_rank <= 0.2, 1.0, np.where(spend_rank <= 0.5, 2.0, 3.0))
    tier_of = dict(zip(customers, true_tier))
    tier = np.array([tier_of.get(c, 3.0) for c in customer_id])
    noisy = rng.random(n) < 0.1
    answers["tier"] = np.where(noisy, rng.choice([1.0, 2.0, 3.0], n), tier)
    return transactions, customer_id


def _frames(rng: np.random.Generator, q: Questionnaire, answers: dict, channel, customer_id, satisfaction,
            index: pd.Index) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The answers as exported (codes 98/99 kept, comments drawn) and the truth (missing codes as NaN)."""
    cols: dict[str, np.ndarray] = {}
    for it in q.items:
        if it.id == "channel":
            for j in range(4):
                cols[f"channel_{j + 1}"] = channel[:, j]
        elif it.id == "comment":
            cols["comment"] = make_comments(satisfaction, rng)
        elif it.id == "customer_id":
            cols["customer_id"] = customer_id
        else:
            cols[it.id] = answers[it.id].astype(float)
    frame = pd.DataFrame(cols, index=index)
    truth = frame.copy()
    for it in q.items:
        codes = list(q.missing_codes_for(it.id))
        if codes and it.id in truth and q.scales[it.scale].type not in ("open_text", "multiple_choice"):
            truth[it.id] = truth[it.id].where(~truth[it.id].isin(codes))
    truth["comment"] = truth["comment"].map(lambda s: s if isinstance(s, str) and s.strip() else np.nan)
    for col in ("comment", "customer_id"):
        frame[col] = frame[col].astype(object)
        truth[col] = truth[col].astype(TEXT_DTYPE)
    return frame, truth


def _pair_by_value(picked: np.ndarray, transactions: pd.DataFrame, totals: pd.Series, keenness: np.ndarray,
                   rng: np.random.Generator) -> np.ndarray:
    """The sampled customers given to respondents so that keener ones tend to be the more valuable customers.

    A customer's worth is its standardized log net spend less its standardized days since the
    last order; respondent i gets the customer whose worth has the rank of ``keenness + noise``
    (noise sd 2.5 against a standardized keenness: a rank correlation of about 0.35, as
    satisfaction and spend correlate in published studies), so the example's satisfaction,
    loyalty and NPS differ by RFM layer and ABC class as real data's do. A generator of its own
    keeps every other draw of the study as it was.
    """
    last = transactions.groupby("customer_id")["date"].max().reindex(picked)
    days = (AS_OF - last).dt.days.to_numpy(float)
    worth = _std(np.log1p(totals.reindex(picked).clip(lower=0).to_numpy())) - _std(days)
    noisy = _std(keenness) + rng.normal(0, 2.5, len(picked))
    by_worth = picked[np.argsort(worth, kind="stable")]
    return by_worth[np.argsort(np.argsort(noisy, kind="stable"), kind="stable")]


def _transactions(rng: np.random.Generator, n_customers: int) -> tuple[pd.DataFrame, pd.Series]:
    """Orders of ``n_customers`` customers over two years; returns (table, net spend per customer)."""
    ids = np.array([f"C{i:07d}" for i in range(1, n_customers + 1)], dtype=object)
    # how recently each customer last bought: active, lapsing, dormant, lost
    recency = np.concatenate([
        rng.integers(0, 45, n_customers), rng.integers(45, 90, n_customers), rng.integers(90, 180, n_customers),
        rng.integers(180, 360, n_customers), rng.integers(360, 700, n_customers)]).reshape(5, -1)
    group = rng.choice(5, n_customers, p=[0.42, 0.18, 0.18, 0.13, 0.09])
    last = recency[group, np.arange(n_customers)]
    n_orders = 1 + rng.negative_binomial(1.2, 0.12, n_customers)
    new = rng.random(n_customers) < 0.06  # one purchase, recently
    n_orders[new], last[new] = 1, rng.integers(0, 45, new.sum())
    span = np.where(n_orders > 1, rng.integers(30, 700, n_customers), 0)
    scale = np.exp(rng.normal(5.0, 1.0, n_customers))  # heavy-tailed customer value

    cust = np.repeat(np.arange(n_customers), n_orders)
    first_row = np.r_[0, np.cumsum(n_orders)[:-1]]
    offset = rng.random(len(cust)) * span[cust]
    offset[first_row] = 0.0  # each customer's last order is exactly `last` days ago
    days_ago = np.minimum(last[cust] + offset, 729)
    amount = np.round(scale[cust] * np.exp(rng.normal(0, 0.5, len(cust))), 2)
    returns = rng.random(len(cust)) < 0.02
    amount[returns] = -amount[returns]
    cost = np.round(np.abs(amount) * rng.uniform(0.55, 0.8, len(cust)) * np.sign(amount), 2)
    table = pd.DataFrame({
        "order_id": [f"O{i:08d}" for i in range(1, len(cust) + 1)],
        "customer_id": ids[cust],
        "date": (AS_OF - pd.to_timedelta(np.floor(days_ago), unit="D")).normalize(),
        "amount": amount,
        "cost": cost,
    })
    dup = table.sample(frac=0.002, random_state=int(rng.integers(2**31)))
    table = pd.concat([table, dup]).sort_values(["date", "order_id"], kind="stable").reset_index(drop=True)
    totals = pd.Series(np.bincount(cust, weights=amount, minlength=n_customers), index=ids)
    return table, totals

"""Generate the input of value_link.R: a customer base's orders and a survey of some of its customers.

value_link_transactions.csv: order_id, customer_id ('K0001' ... 'K0400'), date (text, YYYY-MM-DD),
amount, cost, for 400 customers over 1000 days (three annual periods, the last two complete) to as_of = 2025-12-31, in behaviour groups that
fill every RFM layer (new, active, developing, lapsing, high and low recovery, lost). It holds
returns (2%, netted), zero amounts, exact duplicate rows and orders dated after as_of; customer
K0950's only order is after as_of and K0951's only order has amount 0 (their rows are all
excluded).

value_link_survey.csv: id, cust (the customer id as answered), s1 s2 s3 (satisfaction, 1-5),
r1 (repurchase, 1-5), rec (recommend, 0-10), r2 (price tolerance, 1-5), v1 v2 (perceived value,
1-5), w (survey weight), comment. 300 respondents: 262 distinct customers of the base (some ids
with surrounding spaces), 4 respondents repeating another's id, 3 ids of the two customers whose
rows are all excluded, 16 ids not in the base (3 of them lower-case versions of real ids: not
the same id), 15 blank. Satisfaction and loyalty are lower in the dormant groups and for
higher-spending customers, so that the layers and classes differ; ~3% of answers missing.

Run from the repository root: .venv/bin/python tests/reference/make_value_link_input.py
"""

from pathlib import Path

import numpy as np
import pandas as pd

OUT = Path(__file__).parent / "data"
AS_OF = pd.Timestamp("2025-12-31")
rng = np.random.default_rng(20251231)
n = 400
ids = np.array([f"K{i:04d}" for i in range(1, n + 1)], dtype=object)

# behaviour groups: 0 new, 1 active, 2 developing, 3 lapsing, 4 high recovery, 5 low recovery, 6 lost
group = rng.choice(7, n, p=[0.08, 0.30, 0.06, 0.15, 0.16, 0.14, 0.11])
windows = {0: (0, 45), 1: (0, 45), 2: (0, 45), 3: (45, 90), 4: (90, 180), 5: (180, 360), 6: (360, 900)}
last = np.array([rng.integers(*windows[g]) for g in group])
n_orders = np.where(group == 0, 1, 2 + rng.negative_binomial(1.3, 0.18, n))
scale = np.exp(rng.normal(5.0, 0.9, n))
rows = []
for i in range(n):
    if group[i] == 2:  # developing: two or three purchases, all within the last 45 days
        ago = sorted(rng.integers(0, 45, rng.integers(2, 4)))
        ago[0] = last[i] = min(ago[0], last[i])
    elif group[i] == 1:  # active: at least two purchases 45+ days ago and the last within 45 days
        ago = [last[i]] + list(rng.integers(45, 1000, max(2, n_orders[i] - 1)))
    else:
        ago = [last[i]] + list(np.minimum(last[i] + rng.integers(1, 500, n_orders[i] - 1), 1000))
    for a in ago:
        amount = round(float(scale[i] * np.exp(rng.normal(0, 0.45))), 2)
        rows.append([ids[i], int(a), amount, round(amount * float(rng.uniform(0.55, 0.85)), 2)])
tx = pd.DataFrame(rows, columns=["customer_id", "ago", "amount", "cost"])
ret = rng.random(len(tx)) < 0.02
tx.loc[ret, ["amount", "cost"]] *= -1
tx.loc[rng.choice(len(tx), 4, replace=False), "amount"] = 0.0
future = tx.sample(3, random_state=1).assign(ago=lambda d: -d["ago"] % 20 - 5)  # 1 to 15 days after as_of
special = pd.DataFrame([["K0950", -3, 120.0, 80.0], ["K0951", 30, 0.0, 0.0]], columns=tx.columns)
tx = pd.concat([tx, future, special], ignore_index=True)
tx.insert(0, "order_id", [f"O{i:05d}" for i in range(len(tx))])
tx = pd.concat([tx, tx.sample(5, random_state=2)], ignore_index=True)  # exact duplicates of 5 rows
tx = tx.sample(frac=1, random_state=3).reset_index(drop=True)
tx["date"] = (AS_OF - pd.to_timedelta(tx["ago"], unit="D")).dt.strftime("%Y-%m-%d")
tx[["order_id", "customer_id", "date", "amount", "cost"]].to_csv(OUT / "value_link_transactions.csv", index=False,
                                                                  float_format="%.2f")

# ---- the survey ------------------------------------------------------------------------------
picked = rng.choice(n, 262, replace=False)
cust = list(ids[picked])
cust = [f"  {c} " if rng.random() < 0.05 else c for c in cust]
cust += [cust[j].strip() for j in rng.choice(len(cust), 4, replace=False)]  # the same customer twice
cust += ["K0950", "K0951", "K0950"]
cust += [f"K{9000 + j}" for j in range(13)] + [c.lower() for c in ids[picked[:3]]]
cust += [""] * 15
m = len(cust)
order = rng.permutation(m)
cust = np.array(cust, dtype=object)[order]
key = np.array([c.strip() for c in cust], dtype=object)
gi = {c: g for c, g in zip(ids, group)}
sc = {c: s for c, s in zip(ids, scale)}
effect = np.array([{0: 0.1, 1: 0.45, 2: 0.2, 3: 0.0, 4: -0.3, 5: -0.6, 6: -0.9}.get(gi.get(k, -1), 0.0) for k in key])
spend = np.array([np.log(sc[k]) - 5.0 if k in sc else 0.0 for k in key])
latent = effect - 0.35 * spend + rng.normal(0, 1, m)


def item(z, lo, hi):
    cut = np.clip(np.round((lo + hi) / 2 + 0.9 * (hi - lo) / 4 * z + rng.normal(0, 0.6, m)), lo, hi)
    return np.where(rng.random(m) < 0.03, np.nan, cut)


frame = pd.DataFrame({"id": np.arange(1, m + 1), "cust": cust})
for name in ("s1", "s2", "s3"):
    frame[name] = item(latent + 0.5, 1, 5)
frame["r1"] = item(0.8 * latent + 0.4, 1, 5)
frame["rec"] = item(latent + 0.8, 0, 10)
frame["r2"] = item(0.6 * latent, 1, 5)
frame["v1"] = item(0.7 * latent + 0.3, 1, 5)
frame["v2"] = item(0.7 * latent + 0.3, 1, 5)
frame["w"] = np.round(np.exp(rng.normal(0, 0.4, m)), 6)
comments = np.array(["价格太贵了", "物流很快", "客服态度不好", "质量不错", "=HYPERLINK(\"http://x\",\"退款\")",
                     "包装破损", "<b>发货慢</b>", ""], dtype=object)
frame["comment"] = rng.choice(comments, m, p=[0.1, 0.1, 0.1, 0.1, 0.02, 0.08, 0.02, 0.48])
frame.to_csv(OUT / "value_link_survey.csv", index=False, float_format="%.17g")

"""Generate the input of value_crm.R: a small transactions table with every kind of problem, and a customer list.

value_crm_input.csv: order_id, customer_id ('K0001' ...), date (text, YYYY-MM-DD), amount, cost
(text where a value is unreadable) for 300 customers over three years to as_of = 2025-06-30,
the first order on 2022-07-01 (so the three annual periods ending at as_of are complete).
It holds returns (3% negative amounts, cost negative too), exact duplicate rows (1.5%),
zero amounts, orders dated after as_of, missing customers, missing and unreadable dates,
missing and non-numeric amounts, a missing cost; ties (orders on the same day, round amounts
shared by many customers, so equal monetary values and repeated quantile boundaries);
customers placed on every layer boundary (recency 44/45, 89/90, 179/180, 359/360 days); a
customer with returns only and one whose only order is after as_of.

value_crm_prospects.csv: customer_id, segment: the customer list (290 of the buyers and 40
prospects who never bought), with a region as segment.

Run from the repository root: .venv/bin/python tests/reference/make_value_crm_input.py
"""

from pathlib import Path

import numpy as np
import pandas as pd

OUT = Path(__file__).parent / "data"
AS_OF = pd.Timestamp("2025-06-30")
START = pd.Timestamp("2022-07-01")
rng = np.random.default_rng(20250630)
n = 300
ids = np.array([f"K{i:04d}" for i in range(1, n + 1)], dtype=object)

# days before as_of of each customer's last order, by behaviour group
group = rng.choice(6, n, p=[0.35, 0.15, 0.15, 0.12, 0.13, 0.10])
windows = [(0, 45), (45, 90), (90, 180), (180, 360), (360, 900), (0, 45)]
last = np.array([rng.integers(*windows[g]) for g in group])
# 45% buy once: the 20% and 40% quantiles of frequency coincide (empty score classes)
n_orders = np.where(rng.random(n) < 0.45, 1, 2 + rng.negative_binomial(1.5, 0.2, n))
n_orders[group == 5] = 1  # new customers
span = np.where(n_orders > 1, rng.integers(20, 1000, n), 0)
round_amounts = rng.random(n) < 0.25  # these customers pay round prices: ties in monetary
scale = np.exp(rng.normal(4.5, 0.8, n))

rows = []
for i in range(n):
    ago = [last[i]] + list(np.minimum(last[i] + rng.random(n_orders[i] - 1) * span[i], 1094).astype(int))
    for a in ago:
        amt = float(rng.choice([50, 100, 150, 200])) if round_amounts[i] else round(scale[i] * np.exp(rng.normal(0, .4)), 2)
        rows.append((ids[i], int(a), amt))

# customers on the boundaries of the layer windows, and other special histories
special = {
    "K0901": [44], "K0902": [45], "K0903": [89], "K0904": [90], "K0905": [179], "K0906": [180],
    "K0907": [359], "K0908": [360],
    "K0911": [10, 50, 60],         # active: two purchases 45+ days ago, one within 45
    "K0912": [10, 50],             # developing: one earlier purchase only
    "K0913": [10, 20],             # developing: two purchases, both recent
    "K0914": [5, 5, 5],            # three orders on one day (frequency 3 orders, 1 day)
    "K0915": [44, 46, 47],         # active at the edge
    "K0916": [0],                  # new, bought on as_of
    "K0917": [30, 30, 100, 100],   # active by orders; by days only 1 earlier day -> developing
}
for cid, agos in special.items():
    for a in agos:
        rows.append((cid, a, 100.0))
rows.append(("K0001", 1095, 75.0))  # the first order of the data, 2022-07-01

tx = pd.DataFrame(rows, columns=["customer_id", "ago", "amount"])
tx["date"] = (AS_OF - pd.to_timedelta(tx["ago"], unit="D")).dt.strftime("%Y-%m-%d")
m = len(tx)
ret = rng.random(m) < 0.03
tx.loc[ret, "amount"] = -tx.loc[ret, "amount"]
tx["cost"] = np.round(tx["amount"] * rng.uniform(0.5, 0.8, m), 2)
tx = tx.drop(columns="ago")
extra = pd.DataFrame([
    ("K0921", "2025-03-01", -80.0, -50.0),       # returns only
    ("K0922", "2025-07-05", 60.0, 40.0),         # only order after as_of: not a customer
    ("K0002", "2025-07-10", 70.0, 45.0),         # future
    ("K0003", "2025-07-20", 90.0, 60.0),         # future
    ("K0004", "2025-05-01", 0.0, 0.0),           # zero amounts
    ("K0005", "2024-12-24", 0.0, 0.0),
    ("", "2025-01-10", 50.0, 30.0),              # missing customer
    ("  ", "2025-01-11", 50.0, 30.0),            # blank customer
    ("K0006", "", 40.0, 25.0),                   # missing date
    ("K0007", "31/12/2024", 40.0, 25.0),         # unreadable date
    ("K0008", "not a date", 40.0, 25.0),
    ("K0009", "2025-02-02", np.nan, 10.0),       # missing amount
    ("K0010", "2025-02-03", "12,50", 8.0),       # non-numeric amounts
    ("K0011", "2025-02-04", "30 RMB", 20.0),
    ("K0012", "2025-02-05", 45.0, np.nan),       # missing cost
], columns=["customer_id", "date", "amount", "cost"])
tx = pd.concat([tx, extra], ignore_index=True)
tx["order_id"] = [f"R{i:06d}" for i in range(1, len(tx) + 1)]
dup = tx.iloc[rng.choice(len(tx) - len(extra), int(0.015 * len(tx)), replace=False)]
tx = pd.concat([tx, dup])
# keep the first row a readable date (pandas infers the format from it), then shuffle by date
tx = tx.assign(_k=pd.to_datetime(tx["date"], errors="coerce", format="%Y-%m-%d").fillna(pd.Timestamp("2024-01-01")))
tx = tx.sort_values(["_k", "order_id"], kind="stable").drop(columns="_k").reset_index(drop=True)
tx = tx[["order_id", "customer_id", "date", "amount", "cost"]]
tx.to_csv(OUT / "value_crm_input.csv", index=False, float_format="%.17g")

buyers = sorted(set(tx["customer_id"]) - {"", "  ", "K0922"})
listed = [c for c in buyers if c not in set(rng.choice(buyers, 10, replace=False))]
listed += [f"P{i:03d}" for i in range(1, 41)]
seg = rng.choice(["north", "south", "west"], len(listed), p=[0.45, 0.35, 0.2])
pd.DataFrame({"customer_id": listed, "segment": seg}).to_csv(OUT / "value_crm_prospects.csv", index=False)
print(f"{len(tx)} rows, {len(buyers)} customer ids, {len(listed)} listed")

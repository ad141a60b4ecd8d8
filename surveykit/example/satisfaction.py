"""Seeded example data for the shipped satisfaction questionnaires: ``kano.yaml`` and ``servqual.yaml``.

* ``kano.yaml``: a hotel chain asks guests about eight features on the five-option Kano scale
  (functional and dysfunctional question each) and rates the room, the service and breakfast
  and its overall satisfaction. Each feature has a known mix of Kano categories (Wi-Fi
  must-be, soundproofing and breakfast one-dimensional, late check-out and the kiosk
  attractive, the gym indifferent, robot delivery partly reverse, the voice-controlled room a
  near tie of attractive and indifferent); a poor room costs satisfaction more than a good one
  adds (basic), a good breakfast adds more than a poor one costs (excitement). Written as a
  问卷星 按文本 CSV export: ``序号``, ``提交答卷时间``, ``所用时间``, ``{n}.{question}`` headers,
  answers as option text, blanks as ``(空)``, plus a ``权重`` column weighting travel purposes to
  the chain's guest mix.
* ``servqual.yaml``: the 22 SERVQUAL items asked as expectations and perceptions on 1-7, with
  perceptions below expectations (most in reliability, least in tangibles). Written as a CSV
  with the item ids as headers.

``surveykit report kano.csv -q kano.yaml`` runs on either (see the README).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..questionnaire import load_questionnaire
from ..questionnaire.load import bundled_questionnaire

__all__ = ["KANO_MIX", "kano_answers", "kano_data", "servqual_answers", "servqual_data", "write_kano_export",
           "write_servqual_export"]

#: the true share of A, O, M, I, R, Q answers of each KANO attribute of kano.yaml
KANO_MIX = {
    "wifi": (0.06, 0.18, 0.60, 0.12, 0.01, 0.03),
    "quiet": (0.08, 0.52, 0.24, 0.12, 0.01, 0.03),
    "breakfast": (0.20, 0.46, 0.10, 0.20, 0.02, 0.02),
    "selfcheckin": (0.48, 0.12, 0.05, 0.31, 0.02, 0.02),
    "latecheckout": (0.56, 0.18, 0.04, 0.19, 0.01, 0.02),
    "smartroom": (0.38, 0.06, 0.02, 0.40, 0.12, 0.02),
    "gym": (0.14, 0.06, 0.04, 0.70, 0.04, 0.02),
    "robot": (0.16, 0.03, 0.02, 0.39, 0.37, 0.03),
}
_PURPOSE_MIX, _PURPOSE_TARGET = np.array([0.25, 0.55, 0.20]), np.array([0.45, 0.40, 0.15])


def _pairs(rng, categories: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A (functional, dysfunctional) answer pair 1..5 for each category code 0..5 (A O M I R Q), by Berger's table."""
    n = len(categories)
    mid = rng.integers(2, 5, size=(n, 2)).astype(float)  # 理所当然 / 无所谓 / 能忍受
    flip = rng.random(n) < 0.5
    f = np.select([categories <= 1, categories == 4, categories == 5],
                  [1.0, np.where(flip, 5.0, mid[:, 0]), np.where(flip, 1.0, 5.0)], mid[:, 0])
    d = np.select([categories == 0, (categories == 1) | (categories == 2), categories == 4, categories == 5],
                  [mid[:, 1], 5.0, np.where(flip, mid[:, 1], 1.0), f], mid[:, 1])
    return f, d  # R: dislike it present, or dislike it absent; Q: like (or dislike) it both ways


def _likert(rng, latent: np.ndarray, n_items: int, noise: float = 0.6) -> np.ndarray:
    raw = latent[:, None] + rng.normal(0, noise, (len(latent), n_items))
    return np.clip(np.rint(3.2 + raw), 1, 5)


def kano_answers(n: int = 420, seed: int = 2020) -> pd.DataFrame:
    """The coded answers of the KANO study (item ids as columns, codes 1..5, NaN blank) with ``weight``.

    Parameters
    ----------
    n : int, default 420
    seed : int, default 2020

    Returns
    -------
    DataFrame
        One row per guest, indexed 1..n (the 问卷星 序号).
    """
    rng = np.random.default_rng(seed)
    cols = {}
    for attr, mix in KANO_MIX.items():
        categories = rng.choice(6, size=n, p=np.asarray(mix) / np.sum(mix))
        cols[f"kf_{attr}"], cols[f"kd_{attr}"] = _pairs(rng, categories)
    room, svc, food = (rng.normal(m, 0.85, n) for m in (0.4, 0.5, 0.1))
    room_items, svc_items, food_items = _likert(rng, room, 3), _likert(rng, svc, 3), _likert(rng, food, 3)
    room_m, svc_m, food_m = room_items.mean(1), svc_items.mean(1), food_items.mean(1)
    # asymmetric impact: a poor room costs more than a good one adds; a good breakfast adds more than a poor one costs
    sat = (-1.1 * (room_m <= 2) + 0.15 * (room_m >= 4) - 0.35 * (svc_m <= 2) + 0.35 * (svc_m >= 4)
           - 0.1 * (food_m <= 2) + 0.7 * (food_m >= 4) + rng.normal(0, 0.45, n))
    for prefix, block in (("room", room_items), ("svc", svc_items), ("food", food_items),
                          ("sat", _likert(rng, sat, 3, noise=0.45))):
        for j in range(3):
            cols[f"{prefix}_{j + 1}"] = block[:, j]
    purpose = rng.choice([1, 2, 3], size=n, p=_PURPOSE_MIX)
    cols["purpose"] = purpose.astype(float)
    cols["gender"] = rng.choice([1.0, 2.0], size=n)
    answers = pd.DataFrame(cols, index=pd.RangeIndex(1, n + 1, name="序号"))
    answers = answers.mask(rng.random(answers.shape) < 0.015)  # a few blanks
    answers["weight"] = (_PURPOSE_TARGET / _PURPOSE_MIX)[purpose - 1]
    return answers


def write_kano_export(path, n: int = 420, seed: int = 2020) -> Path:
    """Write the KANO study as a 问卷星 按文本 CSV (UTF-8 with BOM) that ``kano.yaml`` reads.

    Examples
    --------
    >>> import tempfile, pathlib, surveykit as sk
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = write_kano_export(pathlib.Path(tmp) / "kano.csv")
    ...     data = sk.read_responses(path, "kano")
    >>> data.n_respondents
    420
    """
    q = load_questionnaire(bundled_questionnaire("kano"))
    answers = kano_answers(n, seed)
    rng = np.random.default_rng(seed + 1)
    start = pd.Timestamp("2026-09-01 08:00:00") + pd.to_timedelta(np.sort(rng.uniform(0, 30 * 86400, n)).round(),
                                                                   unit="s")
    out = {"序号": answers.index.to_numpy(),
           "提交答卷时间": [f"{t.year}/{t.month}/{t.day} {t:%H:%M:%S}" for t in start],
           "所用时间": [f"{int(s)}秒" for s in rng.integers(160, 720, n)], "来源": "微信"}
    for k, item in enumerate(q.items, start=1):
        labels = {float(c): t.get("zh") for c, t in q.scales[item.scale].labels.items()}
        out[f"{k}.{item.text.get('zh')}"] = answers[item.id].map(lambda v: "(空)" if pd.isna(v) else labels[v])
    out["权重"] = answers["weight"].round(6)
    path = Path(path)
    pd.DataFrame(out).to_csv(path, index=False, encoding="utf-8-sig")
    return path


def servqual_answers(n: int = 300, seed: int = 1988) -> pd.DataFrame:
    """Coded SERVQUAL answers (1..7, item ids as columns), perceptions below expectations.

    Returns
    -------
    DataFrame
        ``resp_id``, ``duration_sec`` and the 44 items, one row per respondent.
    """
    q = load_questionnaire(bundled_questionnaire("servqual"))
    rng = np.random.default_rng(seed)
    pairs, dims, _ = q.servqual_design()
    gap_of = {"tangibles": -0.3, "reliability": -1.2, "responsiveness": -0.9, "assurance": -0.6, "empathy": -0.7}
    general = rng.normal(0, 0.5, n)
    cols = {"resp_id": np.arange(1, n + 1), "duration_sec": rng.integers(240, 900, n)}
    for dim, members in dims.items():
        expect = rng.normal(0, 0.5, n)
        perceive = rng.normal(0, 0.7, n) + general
        for e in members:
            cols[e] = np.clip(np.rint(6.1 + expect + rng.normal(0, 0.5, n)), 1, 7)
            cols[pairs[e]] = np.clip(np.rint(6.1 + gap_of.get(dim, -0.5) + perceive + rng.normal(0, 0.6, n)), 1, 7)
    frame = pd.DataFrame(cols)
    items = [c for c in frame.columns if c not in ("resp_id", "duration_sec")]
    blank = rng.random((n, len(items))) < 0.01
    frame[items] = frame[items].mask(blank)
    frame.loc[rng.choice(n, 6, replace=False), items[3]] = 99  # "don't know", a declared missing code
    return frame


def write_servqual_export(path, n: int = 300, seed: int = 1988) -> Path:
    """Write the SERVQUAL study as a CSV (item ids as headers) that ``servqual.yaml`` reads."""
    path = Path(path)
    servqual_answers(n, seed).to_csv(path, index=False, encoding="utf-8")
    return path


def _read(write, name: str):
    import tempfile

    from ..io.responses import read_responses

    with tempfile.TemporaryDirectory(prefix="surveykit-satisfaction-") as tmp:
        return read_responses(write(Path(tmp) / f"{name}.csv"), load_questionnaire(bundled_questionnaire(name)))


def kano_data():
    """The KANO example study read back from its 问卷星 export (a SurveyData).

    Examples
    --------
    >>> kano_data().questionnaire.id
    'hotel_kano'
    """
    return _read(write_kano_export, "kano")


def servqual_data():
    """The SERVQUAL example study read back from its CSV export (a SurveyData).

    Examples
    --------
    >>> servqual_data().n_respondents
    300
    """
    return _read(write_servqual_export, "servqual")

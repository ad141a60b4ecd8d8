"""Generate the input of frequencies.R: the coded choice questions of the two question-type studies
(tests/studies: the 问卷星 hotel study, unweighted, and the weighted Qualtrics panel).

Each study's choice questions as coded by surveykit.read_responses: single choice as codes, multiple
choice as one 0/1 column per option (``{item}_{code}``, a row of NA = not answered), ranking as one
rank column per option; plus the panel weight. R then computes the frequencies from these codes.

Run from the repository root: .venv/bin/python tests/reference/make_frequencies_input.py
"""

import warnings
from pathlib import Path

import surveykit as sk

ROOT = Path(__file__).resolve().parents[2]
STUDIES = ROOT / "tests" / "studies"
OUT = Path(__file__).parent / "data"


def coded(export: str, questionnaire: str):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.DataQualityWarning)
        data = sk.read_responses(STUDIES / export, STUDIES / questionnaire)
    q = data.questionnaire
    cols = [c for i in q.item_ids if q.scale_of(i).type in ("single_choice", "multiple_choice", "ranking")
            for c in ([i] if q.scale_of(i).type == "single_choice" else [f"{i}_{k:g}" for k in q.scale_of(i).labels])]
    frame = data.responses[cols].reset_index(drop=True)
    if "weight" in data.meta:
        frame["weight"] = data.meta["weight"].to_numpy()
    return frame


coded("hotel_types_wjx_numbers.csv", "hotel_types.yaml").to_csv(OUT / "frequencies_hotel.csv", index=False, na_rep="NA")
coded("panel_types_qualtrics.csv", "panel_types.yaml").to_csv(OUT / "frequencies_panel.csv", index=False, na_rep="NA")

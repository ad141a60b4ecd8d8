"""Generate the inputs of value_model.R: the example study's structural model of value.

Writes the reverse-coded items of the model (the example study as ``surveykit.example_data()``
reads it, blanks kept: lavaan drops them listwise as surveykit does) and the lavaan syntax that
``SurveyData.value_model()`` builds from the questionnaire's roles.
Run from the repository root: .venv/bin/python tests/reference/make_value_model_input.py
"""

import warnings
from pathlib import Path

import surveykit as sk

OUT = Path(__file__).parent / "data"


def main() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = sk.example_data()
    vm = data.value_model()
    observed = [c for c in vm.sem.sample_cov.columns]
    data.scored_items()[observed].to_csv(OUT / "value_model_example.csv", index=False)
    (OUT / "value_model_example.lav").write_text(vm.sem.model + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

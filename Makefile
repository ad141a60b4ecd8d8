# Two commands do all the set-up on a fresh machine (see README.md):
#   make report   create .venv, install, write the example study's report to ./report
#   make test     create .venv, install with test extras, run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: report test bench clean-venv

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

report: $(STAMP)
	$(BIN)/surveykit report --out report

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_read_responses.py
	$(BIN)/python benchmarks/bench_report.py
	$(BIN)/python benchmarks/bench_psychometrics.py
	$(BIN)/python benchmarks/bench_reliability.py
	$(BIN)/python benchmarks/bench_indices.py
	$(BIN)/python benchmarks/bench_value.py
	$(BIN)/python benchmarks/bench_text.py

clean-venv:
	rm -rf $(VENV)

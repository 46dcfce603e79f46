# Entry points. Stages re-run from the one before: raw -> interim -> clean.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
RAW    := data/raw
INTERIM := data/interim
CLEAN  := data/clean

.PHONY: setup run extract normalize test fuzz bench bench-peers fixtures clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml scripts/bootstrap.sh
	sh scripts/bootstrap.sh
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

run: setup            ## both stages on the sample: data/raw -> data/clean
	$(VENV)/bin/lampiran run $(RAW) --interim $(INTERIM) --out $(CLEAN)

extract: setup        ## stage 1 only: data/raw -> data/interim
	$(VENV)/bin/lampiran extract $(RAW) --out $(INTERIM)

normalize: setup      ## stage 2 only: data/interim -> data/clean
	$(VENV)/bin/lampiran normalize $(INTERIM) --out $(CLEAN)

test: setup
	$(PY) -m pytest -q

fuzz: setup           ## 600 damaged copies of four producers' SKs through one run: none silently wrong
	$(PY) -m tests.fuzz --cases 600

bench: setup bench-peers   ## whole processes against the peers (ratios, stages, scans, corpus, memory), then in process
	$(PY) bench/processes.py
	$(PY) bench/bench.py --corpus 0

# The peer tools the benchmark runs beside lampiran in one process. img2table asks
# for the GUI OpenCV build (needs libGL); the headless contrib build of the same
# version gives it cv2.ximgproc without that, and stays a superset of ours.
bench-peers: setup
	$(PY) -m pip install -q --no-deps img2table beautifulsoup4 soupsieve xlsxwriter
	$(PY) -m pip install -q --no-deps "opencv-contrib-python-headless==$$($(PY) -m pip show opencv-python-headless | sed -n 's/^Version: //p')"

fixtures: setup       ## regenerate the committed test PDFs and their truth (needs LibreOffice)
	$(PY) -m tests.fixtures.generate
	$(PY) -m tests.fixtures.tables_render
	$(PY) -m tests.fixtures.plan_xlsx
	$(PY) -m tests.fixtures.variants

clean:
	rm -f $(INTERIM)/*.json $(CLEAN)/*.csv $(CLEAN)/*.parquet

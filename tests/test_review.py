"""The review page in a real browser: the distribution's headless Chromium,
driven through its chromedriver. The page loads without script errors, draws
one mark per schedule row, links records and cells both ways, and its edit
mode downloads a corrections CSV that the next run applies and --force keeps."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

from lampiran.cli import main
from lampiran.model.interim import doc_id_for
from lampiran.model.io import sha256_file

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "raw" / "sk-kpu-lumajang-2022-rencana-aksi-rb.pdf"
GENERIC = ROOT / "tests" / "fixtures" / "tables" / "tables_xlsx_target.pdf"
CHROMEDRIVER = Path("/usr/bin/chromedriver")

pytestmark = pytest.mark.skipif(not CHROMEDRIVER.exists(), reason="needs Debian's chromium-driver (scripts/bootstrap.sh)")


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    # As the machine's notes advise: no background network (the network is closed).
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--window-size=1600,1000"):
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    yield driver
    driver.quit()


def _open(browser, page: Path):
    browser.get(page.as_uri())
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == [], errors


def _click(browser, element) -> None:
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


@pytest.fixture(scope="module")
def sample_page(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("review")
    assert main(["review", str(SAMPLE), "--out", str(out), "-q"]) == 0
    return out / f"{doc_id_for(sha256_file(SAMPLE))}.html"


def test_the_page_draws_one_mark_per_planned_month_and_links_records_and_cells(browser, sample_page, tmp_path):
    from selenium.webdriver.common.by import By

    from lampiran.pipeline import process

    plan = process(SAMPLE)
    _open(browser, sample_page)
    assert sample_page.stat().st_size < 5_000_000  # a 10-page SK: a few MB at most
    assert len(browser.find_elements(By.CSS_SELECTOR, ".mark")) == len(plan.schedule) == 405
    assert len(browser.find_elements(By.CSS_SELECTOR, "tr.gantt-row")) == len(plan.activities)
    # A record, clicked, lights its cells and months on the page image.
    _click(browser, browser.find_element(By.CSS_SELECTOR, 'tr.activity[data-activity="5"] td[data-field="sub_kegiatan"]'))
    lit = browser.find_elements(By.CSS_SELECTOR, ".sheet .hi")
    months = [e.get_attribute("data-bulan") for e in lit if "mark" in e.get_attribute("class")]
    assert sorted(months, key=int) == [str(m) for m in plan.months[5]]
    assert any("5" in (e.get_attribute("data-activities") or "").split() for e in lit if "cell" in e.get_attribute("class"))
    assert browser.find_element(By.ID, "info").text.startswith("activity 5 · sub_kegiatan:")
    # A cell, clicked, lights its record.
    cell = browser.find_element(By.CSS_SELECTOR, '.cell[data-activities="9"]')
    _click(browser, cell)
    assert [e.get_attribute("data-activity") for e in browser.find_elements(By.CSS_SELECTOR, "tr.activity.hi")] == ["9"]
    shot = tmp_path / "review.png"
    browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 50_000
    print(f"\nscreenshot: {shot}")


def test_a_generic_table_links_its_cells_to_table_cells(browser, tmp_path):
    from selenium.webdriver.common.by import By

    assert main(["review", str(GENERIC), "--out", str(tmp_path), "-q"]) == 0
    _open(browser, tmp_path / f"{doc_id_for(sha256_file(GENERIC))}.html")
    assert browser.find_elements(By.CSS_SELECTOR, ".mark") == []
    row = browser.find_element(By.CSS_SELECTOR, 'td[data-key="1:2:2"]')
    _click(browser, row)
    lit = browser.find_elements(By.CSS_SELECTOR, ".cell.hi")
    assert [e.get_attribute("data-key") for e in lit] == ["1:2:2"]


def _wait_for(folder: Path, pattern: str, timeout: float = 10.0) -> Path:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = [p for p in folder.glob(pattern) if not p.name.endswith(".crdownload")]
        if found:
            return found[0]
        time.sleep(0.1)
    raise AssertionError(f"no {pattern} downloaded")


def test_a_correction_made_on_the_page_changes_the_next_run_and_survives_force(browser, sample_page, downloads,
                                                                              tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _open(browser, sample_page)
    _click(browser, browser.find_element(By.ID, "edit"))
    td = browser.find_element(By.CSS_SELECTOR, 'tr.activity[data-activity="3"] td[data-field="penanggung_jawab"]')
    _click(browser, td)
    td.send_keys(Keys.CONTROL, "a")
    td.send_keys("Sekretaris KPU")
    _click(browser, browser.find_element(By.CSS_SELECTOR, 'tr.gantt-row[data-activity="2"] td[data-bulan="8"]'))
    _click(browser, browser.find_element(By.ID, "download"))
    doc_id = doc_id_for(sha256_file(SAMPLE))
    csv = _wait_for(downloads, f"{doc_id}-corrections*.csv")
    project = tmp_path / "project"
    (project / "corrections").mkdir(parents=True)
    shutil.copy(csv, project / "corrections" / csv.name)
    out = project / "clean"
    assert main(["run", str(SAMPLE), "--out", str(out), "-q"]) == 0
    first = (out / "activities.csv").read_bytes(), (out / "schedule.csv").read_bytes()
    acts = pd.read_csv(out / "activities.csv", dtype=str, keep_default_na=False)
    assert acts.loc[2, "penanggung_jawab"] == "Sekretaris KPU"
    sched = pd.read_csv(out / "schedule.csv", dtype=str, keep_default_na=False)
    assert sched.loc[sched.activity_no == "2", "bulan"].tolist() == ["1", "8"]
    assert main(["run", str(SAMPLE), "--out", str(out), "-q", "--force"]) == 0
    assert ((out / "activities.csv").read_bytes(), (out / "schedule.csv").read_bytes()) == first


# One of each producer and table kind (every fixture: 27 pages, 100 s here).
PRODUCERS = ["pdf/rl_wingdings.pdf", "pdf/rl_fill.pdf", "pdf/docx_kominfo.pdf", "pdf/xlsx_jember.pdf",
             "tables/tables_rl_kelas_jabatan.pdf", "tables/tables_docx_target.pdf"]


@pytest.mark.slow
def test_a_fixture_of_every_producer_gets_a_page_that_loads_cleanly(browser, tmp_path):
    from selenium.webdriver.common.by import By

    from lampiran.pipeline import process

    pdfs = [ROOT / "tests" / "fixtures" / name for name in PRODUCERS]
    assert main(["review", *map(str, pdfs), "--out", str(tmp_path), "-q"]) == 0
    for pdf in pdfs:
        _open(browser, tmp_path / f"{doc_id_for(sha256_file(pdf))}.html")
        assert len(browser.find_elements(By.CSS_SELECTOR, ".mark")) == len(process(pdf).schedule), pdf.name


@pytest.mark.ocr
@pytest.mark.slow
def test_a_scanned_sk_gets_its_page_too(browser, tmp_path):
    from selenium.webdriver.common.by import By

    from lampiran.pipeline import process
    from tests.fixtures.scan import scan_document

    scan = tmp_path / "scan.pdf"
    scan_document(ROOT / "tests" / "fixtures" / "pdf" / "rl_check_v.pdf", scan, 200)
    plan = process(scan)
    assert main(["review", str(scan), "--out", str(tmp_path), "-q"]) == 0
    _open(browser, tmp_path / f"{plan.doc_id}.html")
    assert len(browser.find_elements(By.CSS_SELECTOR, ".mark")) == len(plan.schedule) > 0
    assert browser.find_elements(By.CSS_SELECTOR, ".cell")


def test_diff_reports_link_each_change_to_the_review_pages_of_both_versions():
    from lampiran.diff.stage import compute
    from tests.diff_plans import make_plan

    rows = [("1", "Manajemen Perubahan", "1", "Penyusunan Tim", f"Kegiatan {k}", "SK", "Sekretaris", "", [k])
            for k in range(1, 7)]
    changed = [*rows[:5], (*rows[5][:8], [6, 7])]
    d = compute(make_plan("old", rows), make_plan("new", changed))
    assert "([old p.2](../review/old.html#page-2), [new p.2](../review/new.html#page-2))" in d.markdown()
    html = d.html()
    assert 'href="../review/old.html#page-2"' in html and 'href="../review/new.html#page-2"' in html

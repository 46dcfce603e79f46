#!/bin/sh
# System packages lampiran needs on Debian/Ubuntu: make, a Python venv, Tesseract
# with Indonesian data (scanned SKs), poppler-utils, and the fonts the test
# fixtures are rendered with. Installs only what is missing.
set -eu
need=""
command -v make >/dev/null 2>&1 || need="$need make"
command -v python3 >/dev/null 2>&1 || need="$need python3"
python3 -c "import venv, ensurepip" >/dev/null 2>&1 || need="$need python3-venv"
command -v tesseract >/dev/null 2>&1 || need="$need tesseract-ocr"
# Its dictionary tools (combine_tessdata, dawg2wordlist) read the word list that scans' words are checked against.
command -v dawg2wordlist >/dev/null 2>&1 || need="$need tesseract-ocr"
if ! tesseract --list-langs 2>/dev/null | grep -qx ind; then need="$need tesseract-ocr-ind"; fi
if ! tesseract --list-langs 2>/dev/null | grep -qx eng; then need="$need tesseract-ocr-eng"; fi
command -v pdftoppm >/dev/null 2>&1 || need="$need poppler-utils"
# Fonts the test-fixture generator renders with.
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need="$need fonts-dejavu-core"
[ -f /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf ] || need="$need fonts-liberation"
# The review page's tests drive the distribution's headless Chromium.
command -v chromium >/dev/null 2>&1 || need="$need chromium"
command -v chromedriver >/dev/null 2>&1 || need="$need chromium-driver"
[ -z "$need" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: please install:$need (no apt-get on this machine)" >&2
    exit 1
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "bootstrap: installing:$need" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null

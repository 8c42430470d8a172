#!/bin/sh
# Installs what the test suite needs beyond the .NET SDK (the list tests/test.sh checks): PostgreSQL's binaries for
# the suite's throwaway cluster, a headless browser for the report's browser test
# and poppler-utils (pdftoppm, pdftotext) to look at report PDFs, and fonts-droid-fallback so the tests of CJK
# names drawn in a fallback font run instead of skipping. Debian/Ubuntu; run as root (CI) or with sudo.
set -eu
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends postgresql chromium poppler-utils fonts-dejavu-core fonts-droid-fallback

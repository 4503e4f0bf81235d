#!/usr/bin/env bash
# Install the Debian packages the test suite needs, when some are missing.
#
# Only with apt and only as root; otherwise list what is missing and carry on (the tests
# that need a missing tool skip or fail with their own message). `apt-get update` runs
# once, and only when something has to be installed.
set -euo pipefail

packages=(
    chromium        # the browser Playwright drives in tests/e2e
    postgresql      # the throw-away server of the second test run
    poppler-utils   # pdftotext/pdfinfo, to read generated PDFs in tests
    fonts-noto-cjk  # Chinese glyphs for Chromium and PDF rendering
    zbar-tools      # zbarimg, to decode generated QR codes in tests
    gettext         # msgfmt, to compile translation catalogues
)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "System packages present: ${packages[*]}"
    exit 0
fi

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "WARNING: missing system packages: ${missing[*]}" >&2
    echo "WARNING: install them as root (apt-get install ${missing[*]}); tests that need them will not run." >&2
    exit 0
fi

echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"

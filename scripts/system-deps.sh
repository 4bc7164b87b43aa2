#!/usr/bin/env bash
# Install what the tests need from Debian's packages: Chromium for the browser tests,
# fonts covering the Persian, Arabic and Urdu scripts for pages, PDFs and screenshots
# (fonts-noto-core: Noto Naskh Arabic and Noto Nastaliq Urdu; fonts-vazirmatn where the
# release packages it, Debian 13 on; Vazirmatn also comes from npm, see accord/fonts.py),
# poppler-utils (pdftoppm: PDF pages as PNG in the RTL export tests), PostgreSQL for the
# second leg, GNU gettext for makemessages (accord/tests/test_translations.py).
# Only as root; otherwise say what is missing and carry on (the tests say what they skip).
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || missing+=(postgresql)
dpkg -s fonts-noto-core >/dev/null 2>&1 || missing+=(fonts-noto-core)
command -v xgettext >/dev/null 2>&1 || missing+=(gettext)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
if ! dpkg -s fonts-vazirmatn >/dev/null 2>&1 && apt-cache show fonts-vazirmatn >/dev/null 2>&1; then
  missing+=(fonts-vazirmatn)
fi

[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "system-deps: not root; missing: ${missing[*]} (install them with apt-get)" >&2
  exit 0
fi
echo "system-deps: apt-get install ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null

#!/usr/bin/env bash
# Install what the tests need from Debian's packages: Chromium for the browser tests,
# Noto fonts covering Persian/Arabic script for screenshots, PostgreSQL for the second leg,
# GNU gettext for makemessages (accord/tests/test_translations.py).
# Only as root; otherwise say what is missing and carry on (the tests say what they skip).
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || missing+=(postgresql)
dpkg -s fonts-noto-core >/dev/null 2>&1 || missing+=(fonts-noto-core)
command -v xgettext >/dev/null 2>&1 || missing+=(gettext)

[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "system-deps: not root; missing: ${missing[*]} (install them with apt-get)" >&2
  exit 0
fi
echo "system-deps: apt-get install ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null

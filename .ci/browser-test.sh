#!/usr/bin/env bash
# Browser test of the web app (issue #17): headless Chromium driven by Selenium through the pages
# of Schemas/web-pages.md, against the real `drugcheck serve` on a loopback port over a fresh
# database (.ci/browser-test.py). Installs what is missing: Debian's chromium and chromium-driver
# (apt-get, when run as root as in CI) and a venv at .build/browser-venv with Selenium from PyPI.
# Screenshots of every page go to .build/browser-screenshots (or $DRUGCHECK_BROWSER_SCREENSHOTS).
# Usage: .ci/browser-test.sh [browser-test.py options]   (from the package root, after `swift build`)
set -euo pipefail
cd "$(dirname "$0")/.."

selenium_version="4.51.0"

need=(chromium chromium-driver python3-venv)
missing=()
for p in "${need[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "browser-test: missing packages ${missing[*]}; install them (apt-get install ${missing[*]}) or run as root" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

venv=.build/browser-venv
if ! "$venv/bin/python" -c "import selenium, sys; sys.exit(selenium.__version__ != '$selenium_version')" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "selenium==$selenium_version"
fi

bin="${DRUGCHECK_BIN:-$(swift build --show-bin-path)/drugcheck}"
[ -x "$bin" ] || swift build --product drugcheck
exec "$venv/bin/python" .ci/browser-test.py --binary "$bin" \
  --out "${DRUGCHECK_BROWSER_SCREENSHOTS:-.build/browser-screenshots}" "$@"

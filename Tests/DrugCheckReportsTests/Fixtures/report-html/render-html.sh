#!/bin/sh
# Renders a weekly report HTML page with headless Chromium (Debian package `chromium`) to a PNG
# screenshot and a PDF (print layout), to check the page and its SVG chart by eye.
#
#   drugcheck report weekly --week 2026-W47 --format html --output report.html
#   Tests/DrugCheckReportsTests/Fixtures/report-html/render-html.sh report.html report.png
set -eu
html=$(realpath "$1")
png=$2
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="${3:-1200},${4:-1800}" \
    --screenshot="$png" "file://$html"
chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf="${png%.png}.pdf" "file://$html"
echo "wrote $png and ${png%.png}.pdf"

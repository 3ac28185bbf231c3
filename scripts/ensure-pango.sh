#!/usr/bin/env bash
# WeasyPrint (PDF minutes and reports) needs Pango and a font from the system. Install them
# from Debian's packages when they are missing and we may; otherwise say what to install.
set -euo pipefail
if ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' && \
   ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so' && \
   { fc-list 2>/dev/null | grep -qi . || ls /usr/share/fonts/truetype/dejavu >/dev/null 2>&1; }; then
  exit 0
fi
if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  echo "Installing Pango and fonts for PDF exports (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null
else
  echo "PDF exports need Pango and a font: install libpango-1.0-0, libpangoft2-1.0-0 and fonts-dejavu-core" >&2
fi

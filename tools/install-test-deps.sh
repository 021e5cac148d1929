#!/usr/bin/env bash
# What the browser tests need beside Python, installed by `make test` itself:
# Debian's chromium and a font (apt, when run as root), and axe-core for the
# accessibility checks (npm, into tools/node_modules). Without root, it stops
# and names the one command to run.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || need+=(fonts-dejavu-core)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "make test: installing ${need[*]} (apt)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "make test needs ${need[*]}. Run this once, then 'make test' again:" >&2
    echo "  sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
fi

if [ ! -f tools/node_modules/axe-core/axe.min.js ]; then
  echo "make test: installing axe-core (npm) into tools/"
  npm install --prefix tools --no-save --no-audit --no-fund --silent axe-core@4 >/dev/null
fi

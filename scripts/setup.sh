#!/usr/bin/env bash
# Set up everything tryon needs on a fresh Debian machine: the system
# packages (when run as root), a virtual environment in .venv with tryon
# and its development tools. Safe to run again; it only adds what is
# missing.
#
# Without root, install these Debian packages first:
#   libegl1 libegl-mesa0 libgl1-mesa-dri libgles2 libglib2.0-0
#   chromium postgresql ffmpeg
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM_PACKAGES=(libegl1 libegl-mesa0 libgl1-mesa-dri libgles2 libglib2.0-0
                 chromium postgresql ffmpeg)

missing=()
for pkg in "${SYSTEM_PACKAGES[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]})); then
    if [[ $(id -u) -eq 0 ]]; then
        echo "setup: installing system packages: ${missing[*]}"
        apt-get update -q
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
    else
        echo "setup: missing system packages (install as root): ${missing[*]}" >&2
    fi
fi

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3
if [[ ! -x .venv/bin/python ]]; then
    "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)
if [[ ! -f $stamp ]]; then
    .venv/bin/pip install -q --upgrade pip
    .venv/bin/pip install -q -e '.[dev]'
    rm -f .venv/.installed-*
    touch "$stamp"
fi

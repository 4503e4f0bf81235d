#!/usr/bin/env bash
# Create .venv if needed (Python >= 3.11) and install a requirements file into it.
#
#   scripts/venv.sh REQUIREMENTS_FILE STAMP_FILE
#
# The Makefile calls this only when the requirements file is newer than the stamp, so an
# unchanged checkout does not touch pip at all.
set -euo pipefail
cd "$(dirname "$0")/.."

requirements=${1:?usage: scripts/venv.sh REQUIREMENTS_FILE STAMP_FILE}
stamp=${2:?usage: scripts/venv.sh REQUIREMENTS_FILE STAMP_FILE}
venv=.venv

python_ok() {
    "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null
}

if [ -x "$venv/bin/python" ] && ! python_ok "$venv/bin/python"; then
    echo "$venv uses Python older than 3.11; recreating it." >&2
    rm -rf "$venv"
fi

if [ ! -x "$venv/bin/python" ]; then
    base=$(command -v python3.11 || command -v python3 || true)
    if [ -z "$base" ] || ! python_ok "$base"; then
        echo "Shuangliang needs Python 3.11 or newer (python3.11 or python3 on PATH)." >&2
        exit 1
    fi
    # Debian ships the venv module separately (python3-venv); install it if we may.
    if ! "$base" -c 'import ensurepip, venv' 2>/dev/null; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            pyver=$("$base" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
            apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
                "python${pyver}-venv" || \
                DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
                    python3-venv
        else
            echo "$base has no venv module; install python3-venv (Debian/Ubuntu) first." >&2
            exit 1
        fi
    fi
    echo "Creating $venv with $base ($("$base" --version 2>&1))"
    rm -rf "$venv"
    "$base" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
fi

echo "Installing $requirements into $venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
touch "$stamp"

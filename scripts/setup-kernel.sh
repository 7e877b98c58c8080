#!/usr/bin/env bash
# Registers this project's tslab (TypeScript) kernel with Jupyter, so that
# JupyterLab / Jupyter Notebook can run the notebooks in notebooks/.
#
#   npm run setup:kernel                      # for the current user
#   npm run setup:kernel -- --prefix DIR      # into DIR/share/jupyter (then JUPYTER_PATH=DIR/share/jupyter)
#   PYTHON=/path/to/python npm run setup:kernel   # the Python that has Jupyter
#
# The kernelspec starts node_modules/.bin/tslab of this checkout by absolute
# path, so no global install of tslab is needed.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x node_modules/.bin/tslab ]; then
  echo "setup-kernel: node_modules/.bin/tslab not found; run 'npm install' first" >&2
  exit 1
fi

# Pick the Python that has Jupyter: $PYTHON, else python3 on PATH, else Debian's /usr/bin/python3.
if [ -z "${PYTHON:-}" ]; then
  for candidate in python3 /usr/bin/python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import jupyter_client' >/dev/null 2>&1; then
      PYTHON=$(command -v "$candidate")
      break
    fi
  done
fi
if [ -z "${PYTHON:-}" ]; then
  echo "setup-kernel: no Python with Jupyter found. Install JupyterLab first: 'python3 -m pip install jupyterlab'" >&2
  echo "  (or on Debian/Ubuntu: 'sudo apt-get install jupyter-notebook'), or set PYTHON=/path/to/python" >&2
  exit 1
fi

where=(--user)
if [ "${1:-}" = "--prefix" ]; then
  [ -n "${2:-}" ] || { echo "setup-kernel: --prefix needs a folder" >&2; exit 1; }
  mkdir -p "$2"
  where=(--prefix "$(cd "$2" && pwd)")
fi

node_modules/.bin/tslab install --python="$PYTHON" --binary="$PWD/node_modules/.bin/tslab" "${where[@]}"
echo "setup-kernel: registered the 'tslab' (TypeScript) kernel with $PYTHON ${where[*]}"

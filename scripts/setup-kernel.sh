#!/usr/bin/env bash
# Registers this project's tslab kernels with Jupyter, so that JupyterLab /
# Jupyter Notebook can run the notebooks in notebooks/. tslab installs two
# kernels: "tslab" (TypeScript, the one the notebooks use) and "jslab"
# (JavaScript). This prints both, with their kernelspec folders.
#
#   npm run setup:kernel                      # for the current user (~/.local/share/jupyter/kernels on Linux)
#   npm run setup:kernel -- --prefix DIR      # into DIR/share/jupyter (then JUPYTER_PATH=DIR/share/jupyter)
#   PYTHON=/path/to/python npm run setup:kernel   # the Python that has Jupyter
#
# Without $PYTHON it uses the first of .venv/bin/python (the virtual
# environment the README creates), python3, /usr/bin/python3, python that has
# Jupyter. The kernelspec starts node_modules/.bin/tslab of this checkout by
# absolute path, so no global install of tslab is needed.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x node_modules/.bin/tslab ]; then
  echo "setup-kernel: node_modules/.bin/tslab not found; run 'npm install' first" >&2
  exit 1
fi

has_jupyter() { "$1" -c 'import jupyter_client, jupyter_core, IPython' >/dev/null 2>&1; }

if [ -n "${PYTHON:-}" ]; then
  if ! has_jupyter "$PYTHON"; then
    echo "setup-kernel: PYTHON=$PYTHON has no Jupyter (jupyter_client, IPython); install JupyterLab into it first" >&2
    exit 1
  fi
else
  for candidate in .venv/bin/python python3 /usr/bin/python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 && has_jupyter "$candidate"; then
      PYTHON=$(command -v "$candidate")
      break
    fi
  done
fi
if [ -z "${PYTHON:-}" ]; then
  echo "setup-kernel: no Python with Jupyter found (tried .venv/bin/python, python3, /usr/bin/python3, python)." >&2
  echo "  Install JupyterLab into a virtual environment first (see README, 'Notebooks in JupyterLab'):" >&2
  echo "    python3 -m venv .venv && .venv/bin/pip install 'jupyterlab==4.*' plotly" >&2
  echo "  or set PYTHON=/path/to/python" >&2
  exit 1
fi
case "$PYTHON" in /*) ;; *) PYTHON="$PWD/$PYTHON" ;; esac

where=(--user)
if [ "${1:-}" = "--prefix" ]; then
  [ -n "${2:-}" ] || { echo "setup-kernel: --prefix needs a folder" >&2; exit 1; }
  mkdir -p "$2"
  where=(--prefix "$(cd "$2" && pwd)")
  kernels="${where[1]}/share/jupyter/kernels"
else
  # Where Jupyter's KernelSpecManager puts --user kernels: jupyter_data_dir()/kernels.
  kernels="$("$PYTHON" -c 'import os; from jupyter_core.paths import jupyter_data_dir; print(os.path.join(jupyter_data_dir(), "kernels"))')"
fi

node_modules/.bin/tslab install --python="$PYTHON" --binary="$PWD/node_modules/.bin/tslab" "${where[@]}"

echo "setup-kernel: registered with $PYTHON (${where[*]}):"
status=0
for k in tslab:TypeScript jslab:JavaScript; do
  name=${k%%:*}
  if [ -f "$kernels/$name/kernel.json" ]; then
    echo "  $name (${k#*:}): $kernels/$name"
  else
    echo "  $name (${k#*:}): MISSING, no $kernels/$name/kernel.json" >&2
    status=1
  fi
done
if [ "${where[0]}" = "--prefix" ] && [ "$status" = 0 ]; then
  echo "  Jupyter finds these only with JUPYTER_PATH=$(dirname "$kernels")"
fi
exit "$status"

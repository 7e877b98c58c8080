#!/usr/bin/env python3
"""Execute notebooks in a real Jupyter kernel (tslab) and fail loudly.

    /usr/bin/python3 scripts/run_notebook.py notebooks/05-cifar10-cnn.ipynb [--out DIR] [--timeout S]

tslab replies to a failing cell with no error name, message or traceback; it
writes the error to the cell's stderr stream. So on an error this prints the
cell's number, its source and everything it wrote to stderr/stdout, always
saves the executed notebook (to --out), and exits 1.
"""
import argparse
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def cell_text(cell):
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(f"[{out.get('name')}] {out.get('text', '')}")
        elif out.get("output_type") == "error":
            parts.append(f"[error] {out.get('ename')}: {out.get('evalue')}\n" + "\n".join(out.get("traceback", [])))
    return "".join(parts)


def run(path, out_dir, timeout, kernel):
    nb = nbformat.read(path, as_version=4)
    failed = {}

    def on_cell_error(cell, cell_index, execute_reply):
        failed["index"] = cell_index
        failed["cell"] = cell

    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=kernel,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
        on_cell_error=on_cell_error,
    )
    start = time.time()
    ok = True
    try:
        client.execute()
    except CellExecutionError:
        ok = False
    except Exception as e:  # kernel died, timeout, ...
        ok = False
        failed.setdefault("other", f"{type(e).__name__}: {e}")
    finally:
        if out_dir:
            os.makedirs(out_dir, exist_ok=True)
            nbformat.write(nb, os.path.join(out_dir, os.path.basename(path)))
    seconds = time.time() - start
    if ok:
        print(f"run_notebook: {path}: all {sum(c.cell_type == 'code' for c in nb.cells)} code cells ran in {seconds:.1f} s")
        return True
    print(f"run_notebook: {path}: FAILED after {seconds:.1f} s", file=sys.stderr)
    if "cell" in failed:
        code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
        n = code_cells.index(failed["index"]) + 1 if failed["index"] in code_cells else "?"
        print(f"--- failing cell: code cell {n} (cell {failed['index'] + 1} of {len(nb.cells)}) ---", file=sys.stderr)
        print(failed["cell"].source, file=sys.stderr)
        print("--- its output (tslab sends the error text on stderr) ---", file=sys.stderr)
        print(cell_text(failed["cell"]) or "(no output)", file=sys.stderr)
    if "other" in failed:
        print(failed["other"], file=sys.stderr)
    return False


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("notebooks", nargs="+")
    ap.add_argument("--out", default=None, help="folder for the executed notebooks")
    ap.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    ap.add_argument("--kernel", default="tslab")
    args = ap.parse_args()
    results = [run(p, args.out, args.timeout, args.kernel) for p in args.notebooks]
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()

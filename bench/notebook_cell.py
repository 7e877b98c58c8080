"""Times a trivial notebook cell in the course's tslab (TypeScript) Jupyter kernel, run by bench/bench.ts.

Starts the kernel named by --kernel through jupyter_client (kernelspecs are found on JUPYTER_PATH,
e.g. .jupyter/share/jupyter after `npm run setup:kernel -- --prefix .jupyter`), waits until it
answers, then executes the cell `1 + 1` --repeats times and reports the wall time from sending
each execute request to its reply (the first includes tslab's first TypeScript compile).

Prints human-readable lines, then ONE JSON object as the last stdout line:
  {"available": true, "kernel": "tslab", "start_s": ..., "first_cell_s": ..., "cell_s": [...], "median_cell_s": ...}
or {"available": false, "why": "..."} when jupyter_client or the kernelspec is missing (exit status 0).
"""
import argparse
import json
import statistics
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kernel", default="tslab", help="kernelspec name")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for the kernel or a reply")
    args = parser.parse_args()
    try:
        from jupyter_client.manager import start_new_kernel
    except Exception as err:
        why = f"{type(err).__name__}: {err}"
        print(f"Jupyter not available: {why}")
        print(json.dumps({"available": False, "why": why}))
        return 0
    t0 = time.perf_counter()
    try:
        km, kc = start_new_kernel(kernel_name=args.kernel, startup_timeout=args.timeout)
    except Exception as err:
        why = f"could not start kernel '{args.kernel}': {type(err).__name__}: {err}"
        print(why)
        print(json.dumps({"available": False, "why": why}))
        return 0
    start_s = time.perf_counter() - t0
    try:
        times = []
        for _ in range(args.repeats + 1):
            t = time.perf_counter()
            reply = kc.execute_interactive("1 + 1", timeout=args.timeout, output_hook=lambda msg: None)
            times.append(time.perf_counter() - t)
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"cell failed: {reply['content']}")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    result = {
        "available": True,
        "kernel": args.kernel,
        "start_s": start_s,
        "first_cell_s": times[0],
        "cell_s": times[1:],
        "median_cell_s": statistics.median(times[1:]),
    }
    print(f"tslab: kernel start {start_s:.2f} s, first cell {times[0] * 1000:.0f} ms, then median {result['median_cell_s'] * 1000:.0f} ms")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Interrupts training in a real tslab kernel, as Jupyter's interrupt button does.

    /usr/bin/python3 test/notebooks/interrupt_kernel.py   (JUPYTER_PATH with the tslab kernel; cwd: the repository)

Runs a cell that trains the chapter-05 CNN for many epochs on random images,
waits for the first epoch line, sends Jupyter's interrupt (SIGINT to the
kernel, the kernelspec's interrupt mode), and prints one JSON line: how long
the cell took to end after the interrupt, its reply status, its output, and
what a next cell sees of the kernel's state (the model and the history).
"""
import json
import os
import queue
import sys
import time

from jupyter_client.manager import start_new_kernel

TRAIN = r"""
import * as dl from 'dl-course';
await dl.initBackend({ backend: 'wasm' });
const n = 512;
const images = { n, pixels: Uint8Array.from({ length: n * 32 * 32 * 3 }, (_, i) => (i * 2654435761) % 251), labels: Int32Array.from({ length: n }, (_, i) => i % 10), imageShape: [32, 32, 3] as [number, number, number] };
const model = dl.compileClassifier(dl.buildCifar10Cnn({ seed: 0 }));
const result = await dl.trainClassifier(model, images, { epochs: 100, batchSize: 16, progress: 'lines' });
console.log('cell finished:', result.stopped);
"""
AFTER = "console.log(JSON.stringify({ epochs: result.history.length, params: model.countParams(), stopped: typeof result.stopped }));"


def collect(kc, msg_id, until, sink, on_text=None):
    """Reads iopub messages of msg_id into sink until the kernel is idle or `until` passes."""
    while time.time() < until:
        try:
            msg = kc.get_iopub_msg(timeout=0.2)
        except queue.Empty:
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "stream":
            sink.append(msg["content"]["text"])
            if on_text:
                on_text("".join(sink))
        elif kind == "status" and msg["content"]["execution_state"] == "idle":
            return True
    return False


def main():
    km, kc = start_new_kernel(kernel_name="tslab", cwd=os.path.join(os.getcwd(), "notebooks"))
    result = {}
    try:
        msg_id = kc.execute(TRAIN)
        out = []
        state = {"sent": None}

        def interrupt_after_first_epoch(text):
            if state["sent"] is None and "epoch 1/100 |" in text:
                state["sent"] = time.time()
                km.interrupt_kernel()

        idle = collect(kc, msg_id, time.time() + 240, out, interrupt_after_first_epoch)
        reply = kc.get_shell_msg(timeout=30)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = kc.get_shell_msg(timeout=30)
        result["interrupted"] = state["sent"] is not None
        result["seconds_to_end"] = (time.time() - state["sent"]) if state["sent"] else None
        result["idle"] = idle
        result["status"] = reply["content"]["status"]
        result["output"] = "".join(out)
        msg_id = kc.execute(AFTER)
        out2 = []
        collect(kc, msg_id, time.time() + 60, out2)
        result["after"] = "".join(out2)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())

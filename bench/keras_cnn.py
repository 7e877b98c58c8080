"""Keras 3 reference timing for the CIFAR-10 tutorial CNN (lib/models/cnn.ts), run by bench/bench.ts.

The same model as the TensorFlow tutorial the course follows (Conv2D 32 3x3 relu, MaxPool 2,
Conv2D 64 3x3 relu, MaxPool 2, Flatten, Dense 64 relu, Dense 10 softmax), Adam 1e-3, sparse
categorical cross-entropy, random float32 inputs [n, 32, 32, 3] and integer labels, model.fit
with one warm-up epoch then timed epochs, model.predict for inference.

Prints human-readable lines, then ONE JSON object as the last stdout line:
  {"available": true, "keras": "3.x", "tensorflow": "2.x", "results": [{"batch": 64, "train_img_s": ..., "infer_img_s": ...}, ...]}
or, when `import tensorflow` fails (as on the course machines, where no TensorFlow wheel is installed):
  Keras not available: <why>
  {"available": false, "why": "<why>"}
Exit status 0 in both cases, so the caller can continue.
"""
import argparse
import json
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batch-sizes", default="64,32", help="comma-separated minibatch sizes")
    parser.add_argument("--n", type=int, default=2048, help="images per epoch")
    parser.add_argument("--epochs", type=int, default=2, help="timed epochs after one warm-up epoch")
    args = parser.parse_args()

    try:
        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
    except Exception as err:  # ImportError, or a broken install raising anything else
        why = f"{type(err).__name__}: {err}"
        print(f"Keras not available: {why}")
        print(json.dumps({"available": False, "why": why}))
        return 0

    rng = np.random.default_rng(0)
    n = args.n
    X = rng.random((n, 32, 32, 3), dtype=np.float32)  # [n, height, width, channels] in [0, 1)
    y = rng.integers(0, 10, n)  # [n] class indices

    results = []
    for batch in [int(b) for b in args.batch_sizes.split(",")]:
        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            keras.layers.Conv2D(32, 3, activation="relu"), keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(64, 3, activation="relu"), keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(), keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(X, y, batch_size=batch, epochs=1, verbose=0)  # warm-up: tracing, kernels
        seconds = []
        for _ in range(args.epochs):
            start = time.perf_counter()
            model.fit(X, y, batch_size=batch, epochs=1, verbose=0)
            seconds.append(time.perf_counter() - start)
        train = n * len(seconds) / sum(seconds)
        model.predict(X, batch_size=batch, verbose=0)  # warm-up
        start = time.perf_counter()
        model.predict(X, batch_size=batch, verbose=0)
        infer = n / (time.perf_counter() - start)
        print(f"Keras batch {batch}: train {train:,.0f} img/s, inference {infer:,.0f} img/s")
        results.append({"batch": batch, "train_img_s": train, "infer_img_s": infer, "epoch_seconds": seconds})

    print(json.dumps({"available": True, "keras": keras.__version__, "tensorflow": tf.__version__, "n": n, "results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

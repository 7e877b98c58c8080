"""Keras 3 reference timing for the course's benchmark models, run by bench/bench.ts.

--model cnn (default): the CIFAR-10 tutorial CNN (lib/models/cnn.ts), the same model as the
TensorFlow tutorial the course follows (Conv2D 32 3x3 relu, MaxPool 2, Conv2D 64 3x3 relu,
MaxPool 2, Flatten, Dense 64 relu, Dense 10 softmax).
--model resnet --resnet N:W1/W2/W3: the case study's ResNet (lib/models/resnet.ts, He et al. 2016
section 4.2), built as buildResNet builds it: 3x3 conv (no bias, same padding) -> BN -> ReLU, three
stages of N blocks (conv-BN-ReLU-conv-BN plus the shortcut: identity, or 1x1 conv with the block's
stride + BN where the shape changes, then ReLU; stages 2 and 3 start with stride 2), global average
pooling, Dense 10 softmax.
Adam 1e-3, sparse categorical cross-entropy, random float32 inputs [n, 32, 32, 3] and integer
labels, model.fit with one warm-up epoch then timed epochs, model.predict for inference.
"parameters" is model.count_params() (batch-norm moving statistics included, as TF.js counts).

Prints human-readable lines, then ONE JSON object as the last stdout line:
  {"available": true, "keras": "3.x", "tensorflow": "2.x", "model": "cnn", "parameters": 167562, "results": [{"batch": 64, "train_img_s": ..., "infer_img_s": ...}, ...]}
or, when `import tensorflow` fails (as on the course machines, where no TensorFlow wheel is installed):
  Keras not available: <why>
  {"available": false, "why": "<why>"}
Exit status 0 in both cases, so the caller can continue.
"""
import argparse
import json
import sys
import time


def build_cnn(keras):
    return keras.Sequential([
        keras.Input((32, 32, 3)),
        keras.layers.Conv2D(32, 3, activation="relu"), keras.layers.MaxPooling2D(2),
        keras.layers.Conv2D(64, 3, activation="relu"), keras.layers.MaxPooling2D(2),
        keras.layers.Flatten(), keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])


def build_resnet(keras, spec: str):
    """lib/models/resnet.ts buildResNet for 32x32x3 images and 10 classes; spec 'N:W1/W2/W3'."""
    L = keras.layers
    blocks, widths = spec.split(":")
    blocks, widths = int(blocks), [int(w) for w in widths.split("/")]

    def conv(x, filters, kernel, stride):
        return L.Conv2D(filters, kernel, strides=stride, padding="same", use_bias=False, kernel_initializer="he_normal")(x)

    def bn(x):
        return L.BatchNormalization(axis=-1)(x)

    inputs = keras.Input((32, 32, 3))
    x = L.ReLU()(bn(conv(inputs, widths[0], 3, 1)))
    cin = widths[0]
    for stage, cout in enumerate(widths):
        for block in range(blocks):
            stride = 2 if stage > 0 and block == 0 else 1
            y = L.ReLU()(bn(conv(x, cout, 3, stride)))
            y = bn(conv(y, cout, 3, 1))
            shortcut = x if stride == 1 and cin == cout else bn(conv(x, cout, 1, stride))
            x = L.ReLU()(L.Add()([y, shortcut]))
            cin = cout
    x = L.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, L.Dense(10, activation="softmax")(x))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batch-sizes", default="64,32", help="comma-separated minibatch sizes")
    parser.add_argument("--n", type=int, default=2048, help="images per epoch")
    parser.add_argument("--epochs", type=int, default=2, help="timed epochs after one warm-up epoch")
    parser.add_argument("--model", choices=["cnn", "resnet"], default="cnn")
    parser.add_argument("--resnet", default="1:8/16/32", help="ResNet blocks per stage : stage widths")
    parser.add_argument("--count-only", action="store_true", help="print the parameter count (JSON) and stop")
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

    if args.count_only:
        model = build_cnn(keras) if args.model == "cnn" else build_resnet(keras, args.resnet)
        print(json.dumps({"available": True, "keras": keras.__version__, "model": args.model, "parameters": model.count_params(), "results": []}))
        return 0

    rng = np.random.default_rng(0)
    n = args.n
    X = rng.random((n, 32, 32, 3), dtype=np.float32)  # [n, height, width, channels] in [0, 1)
    y = rng.integers(0, 10, n)  # [n] class indices

    results = []
    for batch in [int(b) for b in args.batch_sizes.split(",")]:
        model = build_cnn(keras) if args.model == "cnn" else build_resnet(keras, args.resnet)
        parameters = model.count_params()
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
        print(f"Keras {args.model} ({parameters:,} parameters) batch {batch}: train {train:,.0f} img/s, inference {infer:,.0f} img/s")
        results.append({"batch": batch, "train_img_s": train, "infer_img_s": infer, "epoch_seconds": seconds})

    print(json.dumps({"available": True, "keras": keras.__version__, "tensorflow": tf.__version__, "model": args.model, "resnet": args.resnet if args.model == "resnet" else None,
                      "parameters": parameters, "n": n, "results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

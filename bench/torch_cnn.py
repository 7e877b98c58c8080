"""PyTorch reference timing for the CIFAR-10 tutorial CNN (lib/models/cnn.ts), run by bench/bench.ts.

Same model (Conv2d 3->32 3x3, ReLU, MaxPool 2, Conv2d 32->64 3x3, ReLU, MaxPool 2,
Flatten, Linear 2304->64, ReLU, Linear 64->10), CrossEntropyLoss, Adam 1e-3, random
float32 inputs and int64 labels, a warm-up epoch then timed epochs. PyTorch is NCHW,
so inputs are [n, 3, 32, 32]; the arithmetic is the same as NHWC.

Prints human-readable lines, then ONE JSON object as the last stdout line:
  {"available": true, "torch": "1.13.0", "threads": 2, "results": [{"batch": 64, "train_img_s": ..., "infer_img_s": ...}, ...]}
or, when `import torch` fails:
  PyTorch not available: <why>
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
    parser.add_argument("--threads", type=int, default=2, help="torch.set_num_threads")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    try:
        import torch
        from torch import nn
    except Exception as err:  # ImportError, or a broken install raising anything else
        why = f"{type(err).__name__}: {err}"
        print(f"PyTorch not available: {why}")
        print(json.dumps({"available": False, "why": why}))
        return 0

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    batch_sizes = [int(b) for b in args.batch_sizes.split(",")]
    n = args.n

    X = torch.rand(n, 3, 32, 32)  # [n, channels, height, width] float32 in [0, 1)
    y = torch.randint(0, 10, (n,))  # [n] int64 class indices

    def build() -> nn.Module:
        return nn.Sequential(
            nn.Conv2d(3, 32, 3), nn.ReLU(), nn.MaxPool2d(2),  # [b, 32, 15, 15]
            nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),  # [b, 64, 6, 6]
            nn.Flatten(),  # [b, 2304]
            nn.Linear(2304, 64), nn.ReLU(),
            nn.Linear(64, 10),  # [b, 10] logits; CrossEntropyLoss applies log-softmax
        )

    results = []
    for batch in batch_sizes:
        model = build()
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()

        def epoch() -> float:
            model.train()
            start = time.perf_counter()
            for i in range(0, n, batch):
                xb, yb = X[i:i + batch], y[i:i + batch]
                opt.zero_grad()
                loss = loss_fn(model(xb), yb)
                loss.backward()
                opt.step()
            return time.perf_counter() - start

        epoch()  # warm-up
        seconds = [epoch() for _ in range(args.epochs)]
        train = n * len(seconds) / sum(seconds)

        model.eval()
        with torch.no_grad():
            for i in range(0, n, batch):  # warm-up
                model(X[i:i + batch])
            start = time.perf_counter()
            for i in range(0, n, batch):
                model(X[i:i + batch])
            infer = n / (time.perf_counter() - start)
        print(f"PyTorch batch {batch}: train {train:,.0f} img/s, inference {infer:,.0f} img/s")
        results.append({"batch": batch, "train_img_s": train, "infer_img_s": infer, "epoch_seconds": seconds})

    print(json.dumps({"available": True, "torch": torch.__version__, "threads": torch.get_num_threads(), "n": n, "results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

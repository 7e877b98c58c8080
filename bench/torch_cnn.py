"""PyTorch reference timing for the course's benchmark models, run by bench/bench.ts.

--model cnn (default): the CIFAR-10 tutorial CNN (lib/models/cnn.ts): Conv2d 3->32 3x3, ReLU,
MaxPool 2, Conv2d 32->64 3x3, ReLU, MaxPool 2, Flatten, Linear 2304->64, ReLU, Linear 64->10.
--model resnet --resnet N:W1/W2/W3: the case study's ResNet (lib/models/resnet.ts, He et al. 2016
section 4.2): 3x3 conv (no bias) -> BN -> ReLU, three stages of N blocks (conv-BN-ReLU-conv-BN plus
the shortcut: identity, or 1x1 conv with the block's stride + BN where the shape changes, then
ReLU; stages 2 and 3 start with stride 2), global average pooling, Linear to 10 classes.
CrossEntropyLoss, Adam 1e-3, random float32 inputs and int64 labels, a warm-up epoch then timed
epochs. PyTorch is NCHW, so inputs are [n, 3, 32, 32]; the arithmetic is the same as NHWC.
"parameters" counts the weights plus batch-norm running means and variances (as Keras and
TF.js's countParams do); "trainable" the weights only.

Prints human-readable lines, then ONE JSON object as the last stdout line:
  {"available": true, "torch": "2.x", "threads": 2, "model": "resnet", "parameters": 20290, "results": [{"batch": 64, "train_img_s": ..., "infer_img_s": ...}, ...]}
or, when `import torch` fails:
  PyTorch not available: <why>
  {"available": false, "why": "<why>"}
Exit status 0 in both cases, so the caller can continue.
"""
import argparse
import json
import sys
import time


def parse_resnet(text: str) -> tuple:
    """'N:W1/W2/W3' -> (N, [W1, W2, W3])."""
    blocks, widths = text.split(":")
    return int(blocks), [int(w) for w in widths.split("/")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batch-sizes", default="64,32", help="comma-separated minibatch sizes")
    parser.add_argument("--n", type=int, default=2048, help="images per epoch")
    parser.add_argument("--epochs", type=int, default=2, help="timed epochs after one warm-up epoch")
    parser.add_argument("--threads", type=int, default=2, help="torch.set_num_threads")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--model", choices=["cnn", "resnet"], default="cnn")
    parser.add_argument("--resnet", default="1:8/16/32", help="ResNet blocks per stage : stage widths")
    parser.add_argument("--count-only", action="store_true", help="print the parameter count (JSON) and stop")
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

    def build_cnn() -> nn.Module:
        return nn.Sequential(
            nn.Conv2d(3, 32, 3), nn.ReLU(), nn.MaxPool2d(2),  # [b, 32, 15, 15]
            nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),  # [b, 64, 6, 6]
            nn.Flatten(),  # [b, 2304]
            nn.Linear(2304, 64), nn.ReLU(),
            nn.Linear(64, 10),  # [b, 10] logits; CrossEntropyLoss applies log-softmax
        )

    class Block(nn.Module):
        """conv3x3(stride) -> BN -> ReLU -> conv3x3 -> BN, plus the shortcut, then ReLU."""

        def __init__(self, cin: int, cout: int, stride: int):
            super().__init__()
            self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(cout)
            self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
            self.bn2 = nn.BatchNorm2d(cout)
            self.proj = None
            if stride != 1 or cin != cout:  # projection shortcut: 1x1 conv + BN
                self.proj = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, 0, bias=False), nn.BatchNorm2d(cout))

        def forward(self, x):
            y = torch.relu(self.bn1(self.conv1(x)))
            y = self.bn2(self.conv2(y))
            return torch.relu(y + (x if self.proj is None else self.proj(x)))

    def build_resnet() -> nn.Module:
        blocks, widths = parse_resnet(args.resnet)
        layers = [nn.Conv2d(3, widths[0], 3, 1, 1, bias=False), nn.BatchNorm2d(widths[0]), nn.ReLU()]
        cin = widths[0]
        for stage, cout in enumerate(widths):
            for block in range(blocks):
                layers.append(Block(cin, cout, 2 if stage > 0 and block == 0 else 1))
                cin = cout
        layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(cin, 10)]  # [b, 10] logits
        return nn.Sequential(*layers)

    build = build_cnn if args.model == "cnn" else build_resnet
    probe = build()
    trainable = sum(p.numel() for p in probe.parameters())
    running = sum(b.numel() for name, b in probe.named_buffers() if name.endswith(("running_mean", "running_var")))
    parameters = trainable + running
    print(f"PyTorch {args.model}: {parameters:,} parameters ({trainable:,} trainable)")
    if args.count_only:
        print(json.dumps({"available": True, "torch": torch.__version__, "model": args.model, "parameters": parameters, "trainable": trainable, "results": []}))
        return 0

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
        print(f"PyTorch {args.model} batch {batch}: train {train:,.0f} img/s, inference {infer:,.0f} img/s")
        results.append({"batch": batch, "train_img_s": train, "infer_img_s": infer, "epoch_seconds": seconds})

    print(json.dumps({"available": True, "torch": torch.__version__, "threads": torch.get_num_threads(), "model": args.model, "resnet": args.resnet if args.model == "resnet" else None,
                      "parameters": parameters, "trainable": trainable, "n": n, "results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

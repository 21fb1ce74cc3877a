#!/usr/bin/python3
"""numpy reference for `DaseCV.Benchmarks two-layer` and `features`: CS231n's numpy code, timed in a fresh process.

  two-layer DATA_DIR [--iters 1000] [--threads N]
      loads CIFAR-10 (binary batches) as two_layer_net.ipynb's get_CIFAR10_data does (float64, minus the mean
      image, 49000 / 1000 / 1000), then times TwoLayerNet.train (hidden 50, batch 200, lr 1e-4, decay 0.95,
      reg 0.25, as the notebook's first CIFAR-10 run) and reports the validation accuracy.
  features DATA_DIR [--images N] [--threads N] [--zip PATH]
      loads all 60,000 images (49000 train, 1000 val, 10000 test) as float64 (N, 32, 32, 3), then times
      extract_features with hog_feature and color_histogram_hsv(nbin=10) over them, as features.ipynb does.
      features.py is imported from Stanford's starter zip (../shared/reference), not copied.

--threads sets OPENBLAS_NUM_THREADS before numpy loads (0: OpenBLAS's default). The last line is `JSON {...}`.
The TwoLayerNet below is the standard vectorized solution of CS231n's neural_net.py (2019 edition, as daseCV uses).
"""
import argparse, json, os, resource, sys, time

ap = argparse.ArgumentParser()
ap.add_argument("mode", choices=["two-layer", "features"])
ap.add_argument("data_dir")
ap.add_argument("--iters", type=int, default=1000)
ap.add_argument("--images", type=int, default=60000)
ap.add_argument("--threads", type=int, default=0)
ap.add_argument("--zip", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "shared", "reference",
                                              "cs231n-2024-assignment1-starter.zip"))
args = ap.parse_args()
if args.threads > 0:
    os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)
import numpy as np  # noqa: E402


def blas_info():
    info = {"numpy": np.__version__, "threads_requested": args.threads or "default"}
    try:
        import threadpoolctl
        for p in threadpoolctl.threadpool_info():
            info.update({"blas": p.get("filepath"), "blas_version": p.get("version"), "blas_arch": p.get("architecture"),
                         "blas_threads": p.get("num_threads")})
    except Exception as e:  # threadpoolctl is optional
        info["threadpoolctl"] = repr(e)
    return info


def load_batch(path):
    raw = np.fromfile(path, dtype=np.uint8).reshape(-1, 3073)
    # binary layout: label, then 1024 R, 1024 G, 1024 B; the Python loader's (N, 32, 32, 3) float order
    X = raw[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1).astype("float")
    return X, raw[:, 0].astype(np.int64)


def load_cifar10(root):
    folder = os.path.join(root, "cifar-10-batches-bin")
    xs, ys = zip(*[load_batch(os.path.join(folder, f"data_batch_{b}.bin")) for b in range(1, 6)])
    Xte, yte = load_batch(os.path.join(folder, "test_batch.bin"))
    return np.concatenate(xs), np.concatenate(ys), Xte, yte


class TwoLayerNet(object):
    def __init__(self, input_size, hidden_size, output_size, std=1e-4):
        self.params = {}
        self.params['W1'] = std * np.random.randn(input_size, hidden_size)
        self.params['b1'] = np.zeros(hidden_size)
        self.params['W2'] = std * np.random.randn(hidden_size, output_size)
        self.params['b2'] = np.zeros(output_size)

    def loss(self, X, y=None, reg=0.0):
        W1, b1 = self.params['W1'], self.params['b1']
        W2, b2 = self.params['W2'], self.params['b2']
        N, D = X.shape
        hidden = np.maximum(0, X.dot(W1) + b1)
        scores = hidden.dot(W2) + b2
        if y is None:
            return scores
        shifted = scores - np.max(scores, axis=1, keepdims=True)
        exp_scores = np.exp(shifted)
        probs = exp_scores / np.sum(exp_scores, axis=1, keepdims=True)
        loss = -np.sum(np.log(probs[np.arange(N), y])) / N
        loss += reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
        grads = {}
        dscores = probs
        dscores[np.arange(N), y] -= 1
        dscores /= N
        grads['W2'] = hidden.T.dot(dscores) + 2 * reg * W2
        grads['b2'] = np.sum(dscores, axis=0)
        dhidden = dscores.dot(W2.T)
        dhidden[hidden <= 0] = 0
        grads['W1'] = X.T.dot(dhidden) + 2 * reg * W1
        grads['b1'] = np.sum(dhidden, axis=0)
        return loss, grads

    def train(self, X, y, X_val, y_val, learning_rate=1e-3, learning_rate_decay=0.95, reg=5e-6, num_iters=100,
              batch_size=200, verbose=False):
        num_train = X.shape[0]
        iterations_per_epoch = max(num_train / batch_size, 1)
        loss_history, train_acc_history, val_acc_history = [], [], []
        for it in range(num_iters):
            idx = np.random.choice(num_train, batch_size, replace=True)
            X_batch, y_batch = X[idx], y[idx]
            loss, grads = self.loss(X_batch, y=y_batch, reg=reg)
            loss_history.append(loss)
            for name in self.params:
                self.params[name] -= learning_rate * grads[name]
            if verbose and it % 100 == 0:
                print('iteration %d / %d: loss %f' % (it, num_iters, loss))
            if it % iterations_per_epoch == 0:
                train_acc_history.append((self.predict(X_batch) == y_batch).mean())
                val_acc_history.append((self.predict(X_val) == y_val).mean())
                learning_rate *= learning_rate_decay
        return {'loss_history': loss_history, 'train_acc_history': train_acc_history, 'val_acc_history': val_acc_history}

    def predict(self, X):
        return np.argmax(self.loss(X), axis=1)


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


result = {"info": blas_info()}
X_train, y_train, X_test, y_test = load_cifar10(args.data_dir)
if args.mode == "two-layer":
    X_val, y_val = X_train[49000:50000], y_train[49000:50000]
    X_train, y_train = X_train[:49000], y_train[:49000]
    X_test, y_test = X_test[:1000], y_test[:1000]
    mean_image = np.mean(X_train, axis=0)
    X_train -= mean_image
    X_val -= mean_image
    X_train = X_train.reshape(49000, -1)
    X_val = X_val.reshape(1000, -1)
    np.random.seed(0)
    net = TwoLayerNet(32 * 32 * 3, 50, 10)
    t0 = time.perf_counter()
    net.train(X_train, y_train, X_val, y_val, num_iters=args.iters, batch_size=200, learning_rate=1e-4,
              learning_rate_decay=0.95, reg=0.25)
    result["train_s"] = time.perf_counter() - t0
    result["val_acc"] = float((net.predict(X_val) == y_val).mean())
else:
    import tempfile, types, zipfile
    past = types.ModuleType("past")  # features.py imports xrange from python-future; it does not use it
    past.builtins = types.ModuleType("past.builtins")
    past.builtins.xrange = range
    sys.modules["past"], sys.modules["past.builtins"] = past, past.builtins
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(args.zip) as z, open(os.path.join(tmp, "features.py"), "wb") as out:
            out.write(z.read("assignment1/cs231n/features.py"))
        sys.path.insert(0, tmp)
        from features import extract_features, hog_feature, color_histogram_hsv
    sets = [X_train[:49000], X_train[49000:50000], X_test[:10000]]
    budget, parts = args.images, []
    for s in sets:
        parts.append(s[:max(0, min(len(s), budget))])
        budget -= len(parts[-1])
    feature_fns = [hog_feature, lambda img: color_histogram_hsv(img, nbin=10)]
    t0 = time.perf_counter()
    feats = [extract_features(p, feature_fns) for p in parts if len(p)]
    result["extract_s"] = time.perf_counter() - t0
    result["images"] = sum(len(p) for p in parts)
    result["checksum"] = float(sum(f.sum() for f in feats))
result["peak_rss_mib"] = peak_rss_mib()
print("JSON " + json.dumps(result))

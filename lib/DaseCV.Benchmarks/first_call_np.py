#!/usr/bin/python3
"""numpy side of `first-call`: one timed operation of CS231n assignment 1, in a fresh process, as a notebook times it.

  first_call_np.py OP DATA_ROOT [--warmup N] [--repeats N] [--iters 1500]

Imports numpy, loads CIFAR-10 from DATA_ROOT/cifar-10-batches-bin the way the notebook does (raw pixels for kNN;
get_CIFAR10_data's split, mean subtraction and bias column for SVM and softmax), then times OP once (the first call),
then --warmup times untimed and --repeats times timed (the steady state: their median), and prints one line `JSON {...}` with both and the BLAS that ran
(threadpoolctl). The code is CS231n's: k_nearest_neighbor.py, linear_svm.py, softmax.py, linear_classifier.py.
OP: knn-two-loops, knn-one-loop, knn-no-loops, svm-naive, svm-vectorized, softmax-naive, softmax-vectorized,
svm-train, softmax-train (student-* ops are timed against the softmax ones).
"""
import argparse
import json
import os
import time

import numpy as np

D = 3073


# --------------------------------------------------------------------------- data_utils.py
def load_batch(path):
    raw = np.fromfile(path, dtype=np.uint8).reshape(-1, 3073)
    y = raw[:, 0].astype(np.int64)
    # CS231n's load_CIFAR_batch: (N, 3, 32, 32) -> (N, 32, 32, 3), float
    X = raw[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1).astype("float")
    return X, y


def load_cifar10(root):
    folder = os.path.join(root, "cifar-10-batches-bin")
    xs, ys = zip(*(load_batch(os.path.join(folder, f"data_batch_{b}.bin")) for b in range(1, 6)))
    Xte, yte = load_batch(os.path.join(folder, "test_batch.bin"))
    return np.concatenate(xs), np.concatenate(ys), Xte, yte


def get_cifar10_data(root, num_training=49000, num_validation=1000, num_test=1000, num_dev=500):
    X_train, y_train, X_test, y_test = load_cifar10(root)
    mask = list(range(num_training, num_training + num_validation))
    X_val, y_val = X_train[mask], y_train[mask]
    mask = list(range(num_training))
    X_train, y_train = X_train[mask], y_train[mask]
    mask = list(range(num_test))
    X_test, y_test = X_test[mask], y_test[mask]
    mask = np.random.choice(num_training, num_dev, replace=False)
    X_dev, y_dev = X_train[mask], y_train[mask]
    X_train = np.reshape(X_train, (X_train.shape[0], -1))
    X_val = np.reshape(X_val, (X_val.shape[0], -1))
    X_test = np.reshape(X_test, (X_test.shape[0], -1))
    X_dev = np.reshape(X_dev, (X_dev.shape[0], -1))
    mean_image = np.mean(X_train, axis=0)
    X_train -= mean_image
    X_val -= mean_image
    X_test -= mean_image
    X_dev -= mean_image
    X_train = np.hstack([X_train, np.ones((X_train.shape[0], 1))])
    X_dev = np.hstack([X_dev, np.ones((X_dev.shape[0], 1))])
    return X_train, y_train, X_dev, y_dev


# --------------------------------------------------------------------------- k_nearest_neighbor.py
def compute_distances_two_loops(X_train, X):
    num_test, num_train = X.shape[0], X_train.shape[0]
    dists = np.zeros((num_test, num_train))
    for i in range(num_test):
        for j in range(num_train):
            dists[i, j] = np.sqrt(np.sum(np.square(X[i] - X_train[j])))
    return dists


def compute_distances_one_loop(X_train, X):
    num_test, num_train = X.shape[0], X_train.shape[0]
    dists = np.zeros((num_test, num_train))
    for i in range(num_test):
        dists[i, :] = np.sqrt(np.sum(np.square(X_train - X[i]), axis=1))
    return dists


def compute_distances_no_loops(X_train, X):
    return np.sqrt(np.sum(X ** 2, axis=1, keepdims=True) - 2 * X.dot(X_train.T) + np.sum(X_train ** 2, axis=1))


# --------------------------------------------------------------------------- linear_svm.py
def svm_loss_naive(W, X, y, reg):
    dW = np.zeros(W.shape)
    num_classes, num_train = W.shape[1], X.shape[0]
    loss = 0.0
    for i in range(num_train):
        scores = X[i].dot(W)
        correct_class_score = scores[y[i]]
        for j in range(num_classes):
            if j == y[i]:
                continue
            margin = scores[j] - correct_class_score + 1
            if margin > 0:
                loss += margin
                dW[:, j] += X[i]
                dW[:, y[i]] -= X[i]
    loss /= num_train
    dW /= num_train
    loss += reg * np.sum(W * W)
    dW += 2 * reg * W
    return loss, dW


def svm_loss_vectorized(W, X, y, reg):
    num_train = X.shape[0]
    scores = X.dot(W)
    correct = scores[np.arange(num_train), y][:, None]
    margins = np.maximum(0, scores - correct + 1)
    margins[np.arange(num_train), y] = 0
    loss = np.sum(margins) / num_train + reg * np.sum(W * W)
    binary = (margins > 0).astype(float)
    binary[np.arange(num_train), y] = -np.sum(binary, axis=1)
    dW = X.T.dot(binary) / num_train + 2 * reg * W
    return loss, dW


# --------------------------------------------------------------------------- softmax.py
def softmax_loss_naive(W, X, y, reg):
    loss = 0.0
    dW = np.zeros_like(W)
    num_train, num_classes = X.shape[0], W.shape[1]
    for i in range(num_train):
        scores = X[i].dot(W)
        scores -= np.max(scores)
        p = np.exp(scores) / np.sum(np.exp(scores))
        loss += -np.log(p[y[i]])
        for j in range(num_classes):
            dW[:, j] += (p[j] - (j == y[i])) * X[i]
    loss /= num_train
    dW /= num_train
    loss += reg * np.sum(W * W)
    dW += 2 * reg * W
    return loss, dW


def softmax_loss_vectorized(W, X, y, reg):
    num_train = X.shape[0]
    scores = X.dot(W)
    scores -= np.max(scores, axis=1, keepdims=True)
    exp_scores = np.exp(scores)
    probs = exp_scores / np.sum(exp_scores, axis=1, keepdims=True)
    loss = -np.sum(np.log(probs[np.arange(num_train), y])) / num_train + reg * np.sum(W * W)
    dscores = probs
    dscores[np.arange(num_train), y] -= 1
    dW = X.T.dot(dscores) / num_train + 2 * reg * W
    return loss, dW


# --------------------------------------------------------------------------- linear_classifier.py
def train(loss_fn, X, y, learning_rate=1e-7, reg=2.5e4, num_iters=1500, batch_size=200):
    num_train, dim = X.shape
    W = 0.001 * np.random.randn(dim, np.max(y) + 1)
    loss_history = []
    for it in range(num_iters):
        batch = np.random.choice(num_train, batch_size, replace=True)
        loss, grad = loss_fn(W, X[batch], y[batch], reg)
        loss_history.append(loss)
        W -= learning_rate * grad
    return loss_history


# --------------------------------------------------------------------------- driver
def blas_info():
    info = {"numpy": np.__version__, "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "<unset>")}
    try:
        import threadpoolctl
        for p in threadpoolctl.threadpool_info():
            if p.get("user_api") == "blas":
                info.update({"blas": p.get("internal_api"), "blas_version": p.get("version"),
                             "blas_arch": p.get("architecture"), "blas_threads": p.get("num_threads")})
    except ImportError as e:
        info["threadpoolctl"] = repr(e)
    return info


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("op")
    p.add_argument("root")
    p.add_argument("--warmup", type=int, default=0)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--iters", type=int, default=1500)
    a = p.parse_args()
    np.random.seed(0)
    if a.op.startswith("knn-"):
        X_train, _, X_test, _ = load_cifar10(a.root)
        X_train = np.reshape(X_train[:5000], (5000, -1))
        X_test = np.reshape(X_test[:500], (500, -1))
        f = {"knn-two-loops": compute_distances_two_loops, "knn-one-loop": compute_distances_one_loop,
             "knn-no-loops": compute_distances_no_loops}[a.op]
        run = lambda: f(X_train, X_test)
    else:
        X_train, y_train, X_dev, y_dev = get_cifar10_data(a.root)
        W = np.random.randn(D, 10) * 0.0001
        loss = {"svm": (svm_loss_naive, svm_loss_vectorized), "softmax": (softmax_loss_naive, softmax_loss_vectorized)}
        kind, what = a.op.split("-", 1)
        if what == "train":
            run = lambda: train(loss[kind][1], X_train, y_train, num_iters=a.iters)
        else:
            f = loss[kind][0 if what == "naive" else 1]
            run = lambda: f(W, X_dev, y_dev, 0.000005)
    t0 = time.perf_counter()
    run()
    first = time.perf_counter() - t0
    for _ in range(a.warmup):
        run()
    steady = []
    for _ in range(a.repeats):
        t0 = time.perf_counter()
        run()
        steady.append(time.perf_counter() - t0)
    print("JSON " + json.dumps({"op": a.op, "first": first, "steady": float(np.median(steady)) if steady else None,
                                "info": blas_info()}))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Trains the plate recognizer of package ocr: a small CNN read column by column with CTC.

The model sees a grey plate crop of 48x96 pixels (the whole plate, about 2:1, as the
reader's localiser cuts it from the scene), standardised to zero mean and unit variance,
and emits 24 columns of 37 logits (blank, 0-9, A-Z). It is exported to ONNX opset 11
because OpenCV 4.6's dnn (what gocv v0.32 wraps) reads that opset reliably.

Data: directories holding PNG/JPEG crops and a labels.csv with at least the columns
`file` and `plate` (alpr-bench/crops and synth.PlateDataset both write that shape).
Every sample is degraded on the fly the way a roadside camera degrades a plate: small
(40-160 px wide), blurred, skewed, badly exposed, JPEG-compressed, sometimes inverted.

Rebuild exactly with the commands in ocr/train/Makefile (the seed is fixed there).
"""
import argparse
import csv
import math
import os
import random
import time

import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # class 0 is the CTC blank
H, W = 48, 96
WIDE = True  # --jitter wide (default) or small; see augment
# --degrade blurry: half the plates as small as the hard photos' (characters 15-20 px high in
# a 1280-wide frame, plates 36-100 px wide in the crop) and a third smeared by motion blur of
# 3-9 px at any angle, as a passing car at night is; the default draws neither so often.
BLURRY = False


def load_dir(d, limit=0):
    """Loads crops with their plate outline: the quad columns x0..y3 when the
    set has them (synth.PlateDataset), else the whole image (alpr-bench crops)."""
    rows = []
    with open(os.path.join(d, "labels.csv"), newline="") as f:
        for r in csv.DictReader(f):
            plate = "".join(c for c in r["plate"].upper() if c in ALPHABET)
            if not 1 <= len(plate) <= 10:
                continue
            img = cv2.imread(os.path.join(d, r["file"]), cv2.IMREAD_GRAYSCALE)
            if img is None:
                continue
            if "x3" in r:
                quad = np.float32([[float(r["x%d" % i]), float(r["y%d" % i])] for i in range(4)])
            else:
                h, w = img.shape
                quad = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
            rows.append((r["file"], img, plate, quad))
            if limit and len(rows) >= limit:
                break
    return rows


def split_holdout(rows, frac, seed):
    """Keeps a fixed fraction of a real set out of training to measure on."""
    rnd = random.Random(seed)
    idx = list(range(len(rows)))
    rnd.shuffle(idx)
    n = int(len(rows) * frac)
    hold = set(idx[:n])
    return [r for i, r in enumerate(rows) if i not in hold], [r for i, r in enumerate(rows) if i in hold]


def standardise(g):
    g = g.astype(np.float32)
    return (g - g.mean()) / (g.std() + 1.0)


def augment(img, quad, rnd, hard):
    """Degrades one plate (its outline quad in img) into what the localiser hands the recognizer."""
    # Where the reader's quad falls relative to the true plate: scale, shift, rotation, perspective.
    c = quad.mean(0)
    u = ((quad[1] - quad[0]) + (quad[2] - quad[3])) / 2  # across the plate
    v = ((quad[3] - quad[0]) + (quad[2] - quad[1])) / 2  # down the plate
    w = float(np.hypot(*u))
    # With WIDE jitter the plate may also sit off-centre and small in the
    # crop, as when the localiser missed a character at an end of the row.
    if WIDE:
        s = rnd.uniform(0.9, 1.25) if hard else rnd.uniform(0.96, 1.04)
        c = c + u * rnd.uniform(-0.10, 0.10) * hard + v * rnd.uniform(-0.10, 0.10) * hard
    else:
        s = rnd.uniform(0.9, 1.12) if hard else rnd.uniform(0.96, 1.04)
        c = c + u * rnd.uniform(-0.06, 0.06) * hard + v * rnd.uniform(-0.08, 0.08) * hard
    ang = math.radians(rnd.uniform(-8, 8) * hard)
    rot = np.float32([[math.cos(ang), -math.sin(ang)], [math.sin(ang), math.cos(ang)]])
    if WIDE:
        su, sv = s * rnd.uniform(0.92, 1.15), s * rnd.uniform(0.92, 1.08)
    else:
        su, sv = s * rnd.uniform(0.95, 1.05), s * rnd.uniform(0.92, 1.08)
    pts = []
    for ou, ov in ((-0.5, -0.5), (0.5, -0.5), (0.5, 0.5), (-0.5, 0.5)):
        off = rot @ (u * ou * su + v * ov * sv)
        jit = u * rnd.uniform(-0.04, 0.04) * hard + v * rnd.uniform(-0.05, 0.05) * hard
        pts.append(c + off + jit)
    # Resolution the camera gave the plate: warp straight to the small size, then back up.
    tw = int(round(math.exp(rnd.uniform(math.log(44), math.log(170))))) if hard else rnd.choice([64, 96, 128])
    if BLURRY and hard and rnd.random() < 0.5:
        tw = int(round(math.exp(rnd.uniform(math.log(36), math.log(100)))))
    th = max(12, int(tw / 2))
    src = np.float32(pts)
    dst = np.float32([[0, 0], [tw, 0], [tw, th], [0, th]])
    M = cv2.getPerspectiveTransform(src, dst)
    border = cv2.BORDER_REPLICATE if rnd.random() < 0.6 else cv2.BORDER_CONSTANT
    small = cv2.warpPerspective(img, M, (tw, th), flags=cv2.INTER_LINEAR,
                                borderMode=border, borderValue=rnd.randint(0, 255))
    if hard and rnd.random() < 0.35:
        k = rnd.choice([3, 5])
        small = cv2.GaussianBlur(small, (k, k), rnd.uniform(0.3, 1.0))
    elif hard and rnd.random() < 0.15:  # horizontal motion blur
        k = rnd.choice([3, 5])
        ker = np.zeros((k, k), np.float32)
        ker[k // 2, :] = 1.0 / k
        small = cv2.filter2D(small, -1, ker)
    if BLURRY and hard and rnd.random() < 0.33:
        small = motion_blur(small, rnd.randint(3, 9) * tw / 170, rnd.uniform(0, 180))
    f = small.astype(np.float32)
    if hard:
        f = f * rnd.uniform(0.35, 1.3) + rnd.uniform(-50, 60)  # exposure
        if rnd.random() < 0.3:  # glare: a bright gradient across part of the plate
            gx = np.linspace(rnd.uniform(-1, 1), rnd.uniform(-1, 1), small.shape[1])[None, :]
            f = f + np.clip(gx, 0, 1) * rnd.uniform(30, 120)
        f = f + np.random.normal(0, rnd.uniform(0, 10), f.shape)
    small = np.clip(f, 0, 255).astype(np.uint8)
    if hard and rnd.random() < 0.6:
        q = rnd.randint(25, 90)
        ok, enc = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, q])
        small = cv2.imdecode(enc, cv2.IMREAD_GRAYSCALE)
    if rnd.random() < 0.12:  # light-on-dark plates and infrared night images
        small = 255 - small
    return cv2.resize(small, (W, H), interpolation=cv2.INTER_LINEAR)


def motion_blur(img, length, angle_deg):
    """img smeared along a line length pixels long (at least 2) at angle_deg."""
    k = max(3, int(math.ceil(length)) | 1)
    ker = np.zeros((k, k), np.float32)
    c, a = k // 2, math.radians(angle_deg)
    for t in np.linspace(-max(length, 2) / 2, max(length, 2) / 2, 4 * k):
        x, y = int(round(c + t * math.cos(a))), int(round(c + t * math.sin(a)))
        if 0 <= x < k and 0 <= y < k:
            ker[y, x] = 1
    return cv2.filter2D(img, -1, ker / ker.sum())


class Recognizer(nn.Module):
    """About 210 k parameters; ~32 M multiply-adds for one 48x96 crop."""

    def __init__(self, classes=len(ALPHABET) + 1):
        super().__init__()
        self.frozen_bn = False  # set by load_onnx

        def block(i, o, k=3, p=1):
            return [nn.Conv2d(i, o, k, padding=p, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True)]

        self.body = nn.Sequential(
            *block(1, 16), nn.MaxPool2d(2),            # 24x48
            *block(16, 32), nn.MaxPool2d(2),           # 12x24
            *block(32, 64), *block(64, 64), nn.MaxPool2d((2, 1)),  # 6x24
            *block(64, 96), nn.MaxPool2d((2, 1)),      # 3x24
            *block(96, 128, (3, 1), 0),                # 1x24
            *block(128, 128, (1, 3), (0, 1)),
            nn.Dropout(0.1),
            nn.Conv2d(128, classes, 1),
        )

    def forward(self, x):
        return self.body(x)  # N x classes x 1 x 24

    def train(self, mode=True):
        """Batch norm stays frozen (inference statistics) in a model loaded from ONNX."""
        super().train(mode)
        if self.frozen_bn:
            for m in self.modules():
                if isinstance(m, nn.BatchNorm2d):
                    m.eval()
        return self

    def load_onnx(self, path):
        """Takes the weights of an exported model, whose batch norms ONNX export
        folded into the convolutions: each norm becomes the identity plus the
        folded bias, and stays frozen so the network computes what the file does."""
        import onnx
        from onnx import numpy_helper
        m = onnx.load(path)
        inits = {i.name: numpy_helper.to_array(i) for i in m.graph.initializer}
        nodes = [n for n in m.graph.node if n.op_type == "Conv"]
        convs = [c for c in self.body if isinstance(c, nn.Conv2d)]
        norms = [b for b in self.body if isinstance(b, nn.BatchNorm2d)]
        if len(nodes) != len(convs):
            raise ValueError(f"{path}: {len(nodes)} convolutions, want {len(convs)}")
        with torch.no_grad():
            for i, (n, c) in enumerate(zip(nodes, convs)):
                w, b = (torch.from_numpy(inits[k].copy()) for k in n.input[1:3])
                if w.shape != c.weight.shape:
                    raise ValueError(f"{path}: convolution {i} is {tuple(w.shape)}, want {tuple(c.weight.shape)}")
                c.weight.copy_(w)
                if c.bias is not None:
                    c.bias.copy_(b)
                    continue
                bn = norms[i]
                bn.weight.fill_(1)
                bn.bias.copy_(b)
                bn.running_mean.zero_()
                bn.running_var.fill_(1 - bn.eps)
        self.frozen_bn = True
        self.train(self.training)


def greedy(logits):
    """Best path decoding: collapse repeats, drop blanks."""
    out = []
    for seq in logits.argmax(1)[:, 0, :].tolist():
        s, prev = [], 0
        for c in seq:
            if c != prev and c != 0:
                s.append(ALPHABET[c - 1])
            prev = c
        out.append("".join(s))
    return out


def batch(rows, weights, n, rnd, hard):
    xs, ys, lens, texts = [], [], [], []
    for _ in range(n):
        src = rnd.choices(rows, weights)[0]
        _, img, plate, quad = src[rnd.randrange(len(src))]
        xs.append(standardise(augment(img, quad, rnd, hard)))
        ys.extend(ALPHABET.index(c) + 1 for c in plate)
        lens.append(len(plate))
        texts.append(plate)
    return (torch.from_numpy(np.stack(xs)[:, None]), torch.tensor(ys, dtype=torch.long),
            torch.tensor(lens, dtype=torch.long), texts)


def evaluate(model, rows, rnd, hard):
    model.eval()
    ok = 0
    with torch.no_grad():
        for i in range(0, len(rows), 128):
            part = rows[i:i + 128]
            x = np.stack([standardise(augment(img, q, rnd, hard)) for _, img, _, q in part])[:, None]
            pred = greedy(model(torch.from_numpy(x)))
            ok += sum(p == t for p, (_, _, t, _) in zip(pred, part))
    model.train()
    return ok / max(1, len(rows))


def inline_identities(path):
    """Replaces Identity nodes over constants (the exporter emits them when two
    folded weights are equal) by copies of the constant: OpenCV 4.6 cannot
    import an Identity whose input is an initializer."""
    import onnx
    m = onnx.load(path)
    inits = {i.name: i for i in m.graph.initializer}
    keep = []
    for n in m.graph.node:
        if n.op_type == "Identity" and n.input[0] in inits:
            t = onnx.TensorProto()
            t.CopyFrom(inits[n.input[0]])
            t.name = n.output[0]
            m.graph.initializer.append(t)
        else:
            keep.append(n)
    del m.graph.node[:]
    m.graph.node.extend(keep)
    onnx.checker.check_model(m)
    onnx.save(m, path)


def export(model, path):
    model.eval()
    tmp = path + ".tmp"
    torch.onnx.export(model, torch.zeros(1, 1, H, W), tmp, opset_version=11,
                      input_names=["plate"], output_names=["logits"])
    inline_identities(tmp)
    os.replace(tmp, path)
    model.train()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", action="append", required=True, help="dir[:weight]; repeatable")
    ap.add_argument("--holdout", default="", help="real set to split a validation part from")
    ap.add_argument("--holdout-frac", type=float, default=0.1)
    ap.add_argument("--steps", type=int, default=30000)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--init", default="", help="continue from this .pt state")
    ap.add_argument("--init-onnx", default="", help="fine-tune this exported model (batch norm frozen)")
    ap.add_argument("--easy-steps", type=int, default=1500, help="curriculum: light degradation first")
    ap.add_argument("--out", required=True, help="output .onnx (a .pt beside it)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--jitter", choices=["small", "wide"], default="wide",
                    help="how far the crop outline strays from the plate")
    ap.add_argument("--degrade", choices=["default", "blurry"], default="default",
                    help="blurry: more small plates and motion blur at any angle (see BLURRY)")
    a = ap.parse_args()
    global WIDE, BLURRY
    WIDE = a.jitter == "wide"
    BLURRY = a.degrade == "blurry"

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    np.random.seed(a.seed)
    rnd = random.Random(a.seed)

    sets, weights, val, dirs = [], [], [], []
    for spec in a.data:
        d, _, wt = spec.partition(":")
        rows = load_dir(d) if os.path.exists(os.path.join(d, "labels.csv")) else []
        if os.path.abspath(d) == os.path.abspath(a.holdout or "-"):
            rows, val = split_holdout(rows, a.holdout_frac, a.seed)
        sets.append(rows)
        dirs.append(d)
        weights.append(float(wt or 1))
        print(f"data {d}: {len(rows)} samples, weight {weights[-1]}", flush=True)

    model = Recognizer()
    if a.init:
        model.load_state_dict(torch.load(a.init))
    if a.init_onnx:
        model.load_onnx(a.init_onnx)
    print("parameters", sum(p.numel() for p in model.parameters()), flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=a.lr, total_steps=a.steps, pct_start=0.05)
    ctc = nn.CTCLoss(blank=0, zero_infinity=True)
    best, t0, run = -1.0, time.time(), 0.0
    for step in range(1, a.steps + 1):
        hard = 0.0 if step < a.easy_steps else min(1.0, (step - a.easy_steps) / (a.easy_steps + 1) + 0.3)
        if step % 50 == 0:  # a set still being generated joins when its labels.csv appears
            for i, d in enumerate(dirs):
                if not sets[i] and os.path.exists(os.path.join(d, "labels.csv")):
                    sets[i] = load_dir(d)
                    print(f"data {d}: {len(sets[i])} samples joined at step {step}", flush=True)
        live = [w if s else 0 for s, w in zip(sets, weights)]
        x, y, lens, _ = batch(sets, live, a.batch, rnd, hard > 0)
        logits = model(x)[:, :, 0, :]  # N C T
        lp = F.log_softmax(logits, 1).permute(2, 0, 1)  # T N C
        loss = ctc(lp, y, torch.full((x.shape[0],), lp.shape[0], dtype=torch.long), lens)
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        sched.step()
        run = 0.98 * run + 0.02 * loss.item()
        if step % 100 == 0:
            print(f"step {step} loss {run:.3f} lr {sched.get_last_lr()[0]:.5f} {time.time() - t0:.0f}s", flush=True)
        if step % 250 == 0 or step == a.steps:
            vr = random.Random(7)
            clean = evaluate(model, val, vr, False) if val else 0
            hardv = evaluate(model, val, vr, True) if val else 0
            print(f"val step {step}: clean {clean:.3f} degraded {hardv:.3f}", flush=True)
            torch.save(model.state_dict(), a.out.replace(".onnx", ".pt"))
            export(model, a.out)
            if hardv >= best:
                best = hardv
                torch.save(model.state_dict(), a.out.replace(".onnx", ".best.pt"))
    print("done; best degraded holdout", best, flush=True)


if __name__ == "__main__":
    main()

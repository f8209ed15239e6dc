#!/usr/bin/python3
"""Trains the plate verifier of package ocr (ocr/verify.go): is this read's crop a registration
plate, or other lettering the reader took for one (a shop sign, a dealer frame's lettering, the
state name printed on a plate)?

The model sees the colour crop the reader cuts round a read (PlateRead.Crop), shrunk to 32x64
BGR scaled to [0,1] as the state classifier's is, and gives the chance that it is a plate. It is
exported to ONNX opset 11 with the input "plate" and the output "verify" (a sigmoid).

Data, never the dev photos' held half and never the held half of alpr-bench/crops (ocr.HalfOf):
plates
- the reader's own crops of the tune half's plates pasted into canvases (ocr/cmd/readercrops;
  rows that overlap the plate, IoU >= 0.5);
- the tune half of alpr-bench/crops cut as the reader would (state.augment);
- synthetic plates (synthplates, a quad column) cut the same way;
- the reads of plates the reader keeps in labelled photos (ocr/cmd/verifycrops, class "plate"):
  synthetic hard photos of a seed other than the eval set's, and the dev photos' tune half;
other lettering
- the reads that overlap no labelled plate in those photos (verifycrops, class "other"), and the
  readercrops rows that read the plate's state name instead of it (IoU < 0.3);
- the state-name band and the bottom band (caption, dealer frame) of the tune crops and of the
  synthetic plates, cut as the reader cuts a line of lettering;
- rendered signs: made-up words and numbers in OpenCV's fonts on coloured boards over patches of
  synthetic streets (a different alphabet of words from synth's shop signs).

Rebuild with `make -C ocr/train verify` (seeds fixed there).
"""
import argparse
import csv
import math
import os
import random
import sys
import time

import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import state
from train import inline_identities

H, W = 32, 64


def load_cut(d, tune_only=False):
    """Rows (name, image, class, read) of a folder of the reader's crops: verifycrops (a class
    column) or readercrops (an iou column: a plate from 0.5, other lettering under 0.3)."""
    rows = []
    with open(os.path.join(d, "labels.csv"), newline="") as f:
        for r in csv.DictReader(f):
            src = r.get("source") or r["file"]
            if tune_only and state.half_of(src) != "tune":
                continue
            cls = r.get("class")
            if cls is None:
                v = float(r["iou"])
                cls = "plate" if v >= 0.5 else "other" if v < 0.3 else "part"
            if cls not in ("plate", "other"):
                continue
            img = cv2.imread(os.path.join(d, r["file"]), cv2.IMREAD_COLOR)
            if img is not None:
                rows.append((src, img, cls == "plate", r.get("read", "")))
    return rows


def load_plates(d, tune_only):
    """Rows (name, image, plate quad) of plate crops (alpr-bench/crops) or synthetic plates."""
    rows = []
    with open(os.path.join(d, "labels.csv"), newline="") as f:
        for r in csv.DictReader(f):
            if tune_only and state.half_of(r["file"]) != "tune":
                continue
            img = cv2.imread(os.path.join(d, r["file"]), cv2.IMREAD_COLOR)
            if img is None:
                continue
            if "x3" in r:
                quad = np.float32([[float(r["x%d" % i]), float(r["y%d" % i])] for i in range(4)])
            else:
                h, w = img.shape[:2]
                quad = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
            rows.append((r["file"], img, quad))
    return rows


def sub_quad(q, u0, u1, v0, v1):
    """The part of quad q between u0..u1 across and v0..v1 down (bilinear)."""
    def at(u, v):
        top = q[0] + (q[1] - q[0]) * u
        bot = q[3] + (q[2] - q[3]) * u
        return top + (bot - top) * v
    return np.float32([at(u0, v0), at(u1, v0), at(u1, v1), at(u0, v1)])


def bands(rows, rnd):
    """The state-name band and the bottom band of each plate, as the quad of a line of lettering."""
    out = []
    for name, img, q in rows:
        out.append((name, img, sub_quad(q, rnd.uniform(0.08, 0.25), rnd.uniform(0.75, 0.92), 0.0, rnd.uniform(0.22, 0.3))))
        out.append((name, img, sub_quad(q, rnd.uniform(0.08, 0.25), rnd.uniform(0.75, 0.92), rnd.uniform(0.72, 0.8), 1.0)))
    return out


SYLLABLES = ["BA", "KE", "RO", "MI", "TU", "SA", "LE", "NO", "VI", "DA", "PE", "GO", "HU", "ZE", "WA", "FI", "CO",
             "ST", "OR", "EN", "AR", "IN", "ER", "ON", "AL", "QU", "OX", "YE", "JA", "RT", "SH", "TH", "CK", "MP"]
FONTS = [cv2.FONT_HERSHEY_SIMPLEX, cv2.FONT_HERSHEY_DUPLEX, cv2.FONT_HERSHEY_COMPLEX, cv2.FONT_HERSHEY_TRIPLEX,
         cv2.FONT_HERSHEY_PLAIN, cv2.FONT_HERSHEY_COMPLEX_SMALL]


def made_up_text(rnd):
    """A made-up word, a number (a street number, a phone's digits) or a word with a number."""
    k = rnd.random()
    if k < 0.55:
        return "".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(2, 4)))[:rnd.randint(4, 9)]
    if k < 0.8:
        return "".join(rnd.choice("0123456789") for _ in range(rnd.randint(4, 8)))
    return "".join(rnd.choice(SYLLABLES) for _ in range(2)) + " " + "".join(rnd.choice("0123456789") for _ in range(rnd.randint(1, 3)))


def rendered_signs(n, backgrounds, rnd):
    """n rows (name, image, quad of the lettering) of made-up signs over street patches: a
    board (often light with dark ink, as a plate is) or none (a house number on a wall), and
    now and then a second line above or below, as on "PRIVATE / PROPERTY"."""
    out = []
    for i in range(n):
        text = made_up_text(rnd)
        font, scale, thick = rnd.choice(FONTS), rnd.uniform(0.8, 2.0), rnd.randint(1, 4)
        (tw, th), base = cv2.getTextSize(text, font, scale, thick)
        pad = int(th * rnd.uniform(0.3, 1.2))
        cw, ch = tw + 2 * pad + 4 * th, th + base + 2 * pad + 4 * th
        bg = rnd.choice(backgrounds)
        y0, x0 = rnd.randint(0, max(0, bg.shape[0] - ch - 1)), rnd.randint(0, max(0, bg.shape[1] - cw - 1))
        canvas = bg[y0:y0 + ch, x0:x0 + cw].copy() if bg.shape[0] > ch and bg.shape[1] > cw else \
            np.full((ch, cw, 3), rnd.randint(40, 200), np.uint8)
        if rnd.random() < 0.5:
            v = rnd.randint(170, 255)
            board = tuple(int(np.clip(v + rnd.randint(-15, 15), 0, 255)) for _ in range(3))
            ink = tuple(rnd.randint(0, 110) for _ in range(3))
        else:
            board = tuple(rnd.randint(0, 255) for _ in range(3))
            ink = tuple(255 - c if rnd.random() < 0.8 else rnd.randint(0, 255) for c in board)
        bx0, by0 = 2 * th - pad // 2, 2 * th - pad // 2
        if rnd.random() < 0.8:
            cv2.rectangle(canvas, (bx0, by0), (cw - bx0, ch - by0), board, -1)
            if rnd.random() < 0.3:
                cv2.rectangle(canvas, (bx0, by0), (cw - bx0, ch - by0), ink, max(1, thick - 1))
        else:
            ink = tuple(rnd.randint(0, 255) for _ in range(3))
        org_y = 2 * th + pad + th
        cv2.putText(canvas, text, (2 * th + pad, org_y), font, scale, ink, thick, cv2.LINE_AA)
        if rnd.random() < 0.35:  # a neighbouring line, partly in the crop
            other = made_up_text(rnd)
            dy = int((th + base + pad) * rnd.uniform(0.9, 1.4)) * rnd.choice((-1, 1))
            cv2.putText(canvas, other, (2 * th + pad + rnd.randint(-th, th), org_y + dy), font, scale, ink, thick, cv2.LINE_AA)
        qx0, qy0, qx1, qy1 = 2 * th + pad, 2 * th + pad - 1, 2 * th + pad + tw, 2 * th + pad + th + base // 2
        # The reader's outline of a line of lettering is plate-shaped round it (ocr/quad.go).
        cx, cy, hw = (qx0 + qx1) / 2, (qy0 + qy1) / 2, (qx1 - qx0) / 2
        hh = max((qy1 - qy0) / 2 * rnd.uniform(1.0, 1.5), hw / 2.2)
        quad = np.float32([[cx - hw, cy - hh], [cx + hw, cy - hh], [cx + hw, cy + hh], [cx - hw, cy + hh]])
        out.append(("sign%d" % i, canvas, quad))
    return out


def degrade_cut(img, rnd):
    """A crop the reader cut, as another camera and a slightly different outline would give
    it: shifted and scaled a little, then the state classifier's exposure and compression."""
    h, w = img.shape[:2]
    s = rnd.uniform(0.93, 1.08)
    M = cv2.getRotationMatrix2D((w / 2 + rnd.uniform(-0.04, 0.04) * w, h / 2 + rnd.uniform(-0.05, 0.05) * h), rnd.uniform(-3, 3), s)
    img = cv2.warpAffine(img, M, (w, h), borderMode=cv2.BORDER_REPLICATE)
    q = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    # The crop already holds the reader's margin: take it whole (no outline growth).
    qq = sub_quad(q, (1 - state.OUTLINE_W) / 2, 1 - (1 - state.OUTLINE_W) / 2, (1 - state.OUTLINE_H) / 2, 1 - (1 - state.OUTLINE_H) / 2)
    return state.augment(img, qq, rnd, hard=True, jitter=False)


def bank_cut(rows, variants, seed):
    rnd = random.Random(seed)
    np.random.seed(seed)
    return np.stack([degrade_cut(img, rnd) for _, img, _, _ in rows for _ in range(variants)])


def bank_quads(rows, variants, seed):
    rnd = random.Random(seed)
    np.random.seed(seed)
    return np.stack([state.augment(img, q, rnd, hard=True, jitter=True) for _, img, q in rows for _ in range(variants)])


class VerifyNet(nn.Module):
    """Four conv/BN/ReLU/pool blocks from 32x64 down to a 2x4 map, one linear layer and a
    sigmoid: about 35 k parameters, 3 M multiply-adds."""

    def __init__(self):
        super().__init__()
        widths = [3, 12, 24, 32, 48]
        layers = []
        for i, o in zip(widths, widths[1:]):
            layers += [nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True), nn.MaxPool2d(2)]
        self.body = nn.Sequential(*layers)
        self.drop = nn.Dropout(0.3)
        self.head = nn.Linear(widths[-1] * 2 * 4, 1)

    def logit(self, x):
        return self.head(self.drop(self.body(x).flatten(1))).squeeze(1)

    def forward(self, x):
        return torch.sigmoid(self.head(self.body(x).flatten(1)))


def train(groups, steps, seed, batch=64, lr=2e-3):
    """groups: (uint8 bank, is_plate, share of each batch)."""
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed)
    model = VerifyNet()
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps, pct_start=0.15)
    model.train()
    t0 = time.time()
    counts = [max(1, int(round(batch * s))) for _, _, s in groups]
    for step in range(steps):
        xs, ys = [], []
        for (x, pos, _), k in zip(groups, counts):
            xs.append(x[torch.randint(len(x), (k,), generator=g)])
            ys.append(torch.full((k,), 1.0 if pos else 0.0))
        x, y = torch.cat(xs).float() / 255, torch.cat(ys)
        loss = F.binary_cross_entropy_with_logits(model.logit(x), y * 0.97 + 0.015)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 250 == 0 or step == steps - 1:
            print(f"  step {step} loss {loss.item():.3f} {time.time() - t0:.0f}s", file=sys.stderr, flush=True)
    model.eval()
    return model


def scores(model, rows):
    """The verifier's score of each row's crop as the reader cut it (no degrading)."""
    out = []
    with torch.no_grad():
        for i in range(0, len(rows), 128):
            x = np.stack([cv2.resize(img, (W, H), interpolation=cv2.INTER_AREA).transpose(2, 0, 1) for _, img, _, _ in rows[i:i + 128]])
            out += model(torch.from_numpy(x).float() / 255).tolist()
    return out


def onnx_scores(path, rows):
    """The scores of the exported model as OpenCV's dnn gives them (what the reader runs)."""
    net = cv2.dnn.readNetFromONNX(path)
    out = []
    for _, img, _, _ in rows:
        small = cv2.resize(img, (W, H), interpolation=cv2.INTER_AREA)
        net.setInput(cv2.dnn.blobFromImage(small, 1 / 255, (W, H)))
        out.append(float(net.forward().ravel()[0]))
    return out


def report(d, rows, s):
    pos = sorted((v, r[3]) for v, r in zip(s, rows) if r[2])
    neg = sorted((v, r[3]) for v, r in zip(s, rows) if not r[2])
    print(f"{d}: {len(pos)} plates, lowest {' '.join(f'{t}:{v:.3f}' for v, t in pos[:6])}")
    print(f"  {len(neg)} other, under 0.1/0.3/0.5: {sum(v < 0.1 for v, _ in neg)}/{sum(v < 0.3 for v, _ in neg)}/{sum(v < 0.5 for v, _ in neg)}; "
          f"highest {' '.join(f'{t}:{v:.2f}' for v, t in neg[-8:])}", flush=True)


def export(model, path):
    tmp = path + ".tmp"
    torch.onnx.export(model, torch.zeros(1, 3, H, W), tmp, opset_version=11, input_names=["plate"], output_names=["verify"])
    inline_identities(tmp)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--crops", default="", help="alpr-bench/crops: only its tune half is read")
    ap.add_argument("--reader-crops", default="", help="readercrops of the tune half's plates")
    ap.add_argument("--reads", action="append", default=[], help="verifycrops folders (the reader's reads in labelled photos)")
    ap.add_argument("--real-reads", action="append", default=[], help="verifycrops folders of real photos (weighed apart)")
    ap.add_argument("--real-plate-reads", action="append", default=[],
                    help="verifycrops folders of real photos whose plates alone are trained on (dev's tune photos degraded: "
                         "plates as dark, blurred and compressed as a camera gives them; their other lettering is left out, "
                         "so dev's real signs stay a check)")
    ap.add_argument("--real-plate-weight", type=float, default=0.1, help="share of a batch from --real-plate-reads")
    ap.add_argument("--synth", default="", help="synthetic plates (synthplates, with quads)")
    ap.add_argument("--backgrounds", default="", help="a folder of synthetic street photos for the rendered signs")
    ap.add_argument("--signs", type=int, default=3000)
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--check", default="", help="print the scores of these verifycrops folders' reads (comma-separated)")
    ap.add_argument("--score", action="store_true", help="only score --check's reads with the model at --out (OpenCV)")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    if a.score:
        for d in [d for d in a.check.split(",") if d]:
            rows = load_cut(d)
            report(d, rows, onnx_scores(a.out, rows))
        return
    if not (a.crops and a.reader_crops and a.synth and a.backgrounds):
        ap.error("training needs --crops, --reader-crops, --synth and --backgrounds")
    torch.set_num_threads(a.threads)
    rnd = random.Random(a.seed)

    rc = load_cut(a.reader_crops, tune_only=True)
    reads = [r for d in a.reads for r in load_cut(d)]
    real = [r for d in a.real_reads for r in load_cut(d, tune_only=True)]
    real += [r for d in a.real_plate_reads for r in load_cut(d, tune_only=True) if r[2]]
    crops = load_plates(a.crops, tune_only=True)
    synth = load_plates(a.synth, tune_only=False)
    bgs = [cv2.imread(os.path.join(a.backgrounds, f)) for f in sorted(os.listdir(a.backgrounds))[:60] if f.endswith(".png")]
    signs = rendered_signs(a.signs, bgs, rnd)
    band_rows = bands(crops, rnd) + bands(synth[:1500], rnd)

    pos_rc = [r for r in rc if r[2]]
    neg_rc = [r for r in rc if not r[2]]
    pos_reads = [r for r in reads if r[2]]
    neg_reads = [r for r in reads if not r[2]]
    pos_real = [r for r in real if r[2]]
    neg_real = [r for r in real if not r[2]]
    print(f"plates: {len(pos_rc)} reader crops, {len(crops)} tune crops, {len(synth)} synthetic, {len(pos_reads)} synthetic-photo reads, "
          f"{len(pos_real)} real-photo reads; other: {len(neg_rc)} state names read, {len(neg_reads)} synthetic-photo reads, "
          f"{len(neg_real)} real-photo reads, {len(band_rows)} bands, {len(signs)} rendered signs", file=sys.stderr, flush=True)
    T = lambda a_: torch.from_numpy(a_)
    groups = [
        (T(bank_cut(pos_rc, 6, a.seed + 1)), True, 0.2),
        (T(bank_quads(crops, 8, a.seed + 2)), True, 0.1),
        (T(bank_quads(synth, 1, a.seed + 3)), True, 0.08),
        (T(bank_cut(pos_reads, 3, a.seed + 4)), True, 0.12),
        (T(bank_cut(neg_reads, 4, a.seed + 6)), False, 0.18),
        (T(bank_quads(band_rows, 2, a.seed + 7)), False, 0.14),
        (T(bank_quads(signs, 1, a.seed + 8)), False, 0.1),
    ]
    if neg_rc:
        groups.append((T(bank_cut(neg_rc, 6, a.seed + 9)), False, 0.03))
    if pos_real:
        groups.append((T(bank_cut(pos_real, 8, a.seed + 5)), True, a.real_plate_weight if a.real_plate_reads else 0.03))
    if neg_real:
        groups.append((T(bank_cut(neg_real, 8, a.seed + 10)), False, 0.04))

    print("banks ready", file=sys.stderr, flush=True)
    model = train(groups, a.steps, a.seed)
    export(model, a.out)
    for d in [d for d in a.check.split(",") if d]:
        rows = load_cut(d)
        report(d, rows, onnx_scores(a.out, rows))


if __name__ == "__main__":
    main()

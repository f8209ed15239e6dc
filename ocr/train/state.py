#!/usr/bin/python3
"""Trains the plate state classifier of package ocr (ocr/state.go) and calibrates when it abstains.

The model sees the colour crop the reader cuts round a plate (the plate with a margin, as the
localiser's crop quad holds it), shrunk to 32x64 BGR scaled to [0,1], and scores each issuing
state. It is exported to ONNX opset 11 with the input "plate" and the output "state".

Data, never the dev photos and never the "held" half of alpr-bench/crops (the half of
ocr.HalfOf: the first byte of the SHA-1 of the file name odd):
- the "tune" half of alpr-bench/crops (file,state,plate; each image is the plate);
- synthetic plates from package synth (labels.csv with a state column and the plate's quad).

Abstention: with --cv K the tune half is split K ways by a second fixed rule (the second byte
of the name's SHA-1 modulo K); K models each trained without one part score that part, and
the threshold is the lowest confidence at which those out-of-fold names are right at least
--precision of the time. The figures of each fold at that threshold are printed (the spread),
then the final model is trained on the whole tune half and the threshold written beside it.
Rebuild with `make -C ocr/train state` (seeds fixed there).
"""
import argparse
import csv
import hashlib
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

from train import inline_identities

H, W = 32, 64
# The localiser's crop quad holds the plate at this share of its width and height (ocr/quad.go).
OUTLINE_W, OUTLINE_H = 0.88, 0.91


def sha1(name):
    return hashlib.sha1(name.encode()).digest()


def half_of(name):
    return "tune" if sha1(name)[0] % 2 == 0 else "held"


def load(d, only_tune, schemes=None, reads=None):
    """Rows (name, image, state, plate quad). A folder of the reader's own crops (readercrops:
    a "source" column) holds crop quads, the plate inside them as the reader's outline puts it;
    its rows are named by their source crop, so folds and halves follow the plate. With a list
    as reads, the text the reader read over each row (its "read" column, else the label's plate)
    is appended to it in the rows' order."""
    rows = []
    with open(os.path.join(d, "labels.csv"), newline="") as f:
        for r in csv.DictReader(f):
            st = (r.get("state") or "").strip().upper()
            if len(st) != 2:
                continue
            name = r.get("source") or r["file"]
            if only_tune and half_of(name) != "tune":
                continue
            if schemes and r.get("scheme") not in schemes:
                continue
            img = cv2.imread(os.path.join(d, r["file"]), cv2.IMREAD_COLOR)
            if img is None:
                continue
            if "x3" in r:
                quad = np.float32([[float(r["x%d" % i]), float(r["y%d" % i])] for i in range(4)])
            elif "source" in r:
                h, w = img.shape[:2]
                mx, my = w * (1 - OUTLINE_W) / 2, h * (1 - OUTLINE_H) / 2
                quad = np.float32([[mx, my], [w - mx, my], [w - mx, h - my], [mx, h - my]])
            else:
                h, w = img.shape[:2]
                quad = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
            rows.append((name, img, st, quad))
            if reads is not None:
                reads.append((r.get("read") or r.get("plate") or "").strip().upper())
    return rows


# The layout prior (ocr/state.go, stateLayouts): how each state lays out its plates (letters L,
# digits D), counted from the labels of the tune half of the crops, is evidence beside the
# picture: 1ABC234 is California's standard layout and rare elsewhere. A state's share of a
# layout is shrunk towards the share among all plates (weight alpha in plates); the classifier's
# probabilities are multiplied by each state's share over the share among all and renormalised.
POSSIBLE_LAYOUTS = 480  # layouts of five to eight characters (ocr/layout.go)


def layout_of(text):
    return "".join("L" if ch.isalpha() else "D" for ch in text)


def layout_counts(path, keep):
    """{state: {layout: plates}} from a crops labels.csv, rows whose file keep(file) accepts."""
    counts = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            st, plate = (r.get("state") or "").strip().upper(), (r.get("plate") or "").strip().upper()
            if len(st) != 2 or not plate or not keep(r["file"]):
                continue
            lay = layout_of(plate)
            counts.setdefault(st, {})[lay] = counts.setdefault(st, {}).get(lay, 0) + 1
    return counts


def layout_factors(read, counts, classes, alpha):
    """Each class's share of read's layout over the share among all plates (1 for every class
    when read is no plate's length or alpha is 0)."""
    lay = layout_of(read)
    if alpha <= 0 or not 5 <= len(lay) <= 8:
        return np.ones(len(classes))
    n_all = sum(sum(c.values()) for c in counts.values())
    g = (sum(c.get(lay, 0) for c in counts.values()) + 0.5) / (n_all + 0.5 * POSSIBLE_LAYOUTS)
    out = np.ones(len(classes))
    for i, st in enumerate(classes):
        c = counts.get(st, {})
        out[i] = (c.get(lay, 0) + alpha * g) / (sum(c.values()) + alpha) / g
    return out


def fuse(probs, reads, counts, classes, alpha):
    """Named (confidence, state, p_CA) per row from probabilities times layout factors."""
    out = []
    for p, rd in zip(probs, reads):
        q = p * layout_factors(rd, counts, classes, alpha)
        q = q / q.sum()
        a = int(q.argmax())
        out.append((float(q[a]), classes[a], float(q[classes.index("CA")])))
    return out


WIDE = False  # --jitter wide: the outline strays as far as the reader's views and second looks


def augment(img, quad, rnd, hard=True, jitter=True):
    """What the reader's crop of this plate may look like: the crop quad round the plate,
    jittered as the localiser misses it (not with jitter=False: a crop the reader cut has its
    own outline error), at a camera's resolution and exposure. BGR uint8, channels first."""
    jitter = jitter and hard
    c = quad.mean(0)
    u = ((quad[1] - quad[0]) + (quad[2] - quad[3])) / 2
    v = ((quad[3] - quad[0]) + (quad[2] - quad[1])) / 2
    lo, hi, du, dv, rot_deg = (0.85, 1.3, 0.10, 0.12, 8) if WIDE else (0.92, 1.15, 0.06, 0.08, 6)
    su = rnd.uniform(lo, hi) / OUTLINE_W if jitter else 1 / OUTLINE_W
    sv = rnd.uniform(lo, hi) / OUTLINE_H if jitter else 1 / OUTLINE_H
    if jitter:
        c = c + u * rnd.uniform(-du, du) + v * rnd.uniform(-dv, dv)
    ang = math.radians(rnd.uniform(-rot_deg, rot_deg) if jitter else 0)
    rot = np.float32([[math.cos(ang), -math.sin(ang)], [math.sin(ang), math.cos(ang)]])
    pts = []
    for ou, ov in ((-0.5, -0.5), (0.5, -0.5), (0.5, 0.5), (-0.5, 0.5)):
        jit = (u * rnd.uniform(-0.03, 0.03) + v * rnd.uniform(-0.04, 0.04)) if jitter else 0
        pts.append(c + rot @ (u * ou * su + v * ov * sv) + jit)
    tw = int(round(math.exp(rnd.uniform(math.log(56), math.log(200))))) if hard else 128
    th = max(12, tw // 2)
    M = cv2.getPerspectiveTransform(np.float32(pts), np.float32([[0, 0], [tw, 0], [tw, th], [0, th]]))
    small = cv2.warpPerspective(img, M, (tw, th), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    if hard:
        if rnd.random() < 0.3:
            small = cv2.GaussianBlur(small, (3, 3), rnd.uniform(0.3, 1.0))
        f = small.astype(np.float32)
        gain = rnd.uniform(0.45, 1.3)
        tint = np.float32([rnd.uniform(0.85, 1.15) for _ in range(3)])
        f = f * gain * tint + rnd.uniform(-40, 40)
        f = f + np.random.normal(0, rnd.uniform(0, 8), f.shape)
        small = np.clip(f, 0, 255).astype(np.uint8)
        if rnd.random() < 0.5:
            ok, enc = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, rnd.randint(30, 90)])
            small = cv2.imdecode(enc, cv2.IMREAD_COLOR)
        if rnd.random() < 0.1:  # an infrared camera: grey
            g = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
            small = cv2.cvtColor(g, cv2.COLOR_GRAY2BGR)
    # The reader warps to 192x96 and shrinks with INTER_AREA (ocr/state.go).
    big = cv2.resize(small, (192, 96), interpolation=cv2.INTER_LINEAR)
    out = cv2.resize(big, (W, H), interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(out.transpose(2, 0, 1))


class StateNet(nn.Module):
    """Four conv/BN/ReLU/pool blocks from 32x64 down to a 2x4 map, then one linear layer (about
    60 k parameters, ~6 M multiply-adds). A 64x128 input first goes through a stride-2
    convolution to 32x64x16 (about 11 M multiply-adds in all): it learns what of the finer
    picture (the state name) to keep, where shrinking the crop to 32x64 loses it."""

    def __init__(self, classes):
        super().__init__()

        def block(i, o):
            return [nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True), nn.MaxPool2d(2)]

        assert (H, W) in ((32, 64), (64, 128)), "input 32x64 or 64x128"
        stem = []
        if H == 64:
            stem = [nn.Conv2d(3, 16, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(inplace=True)]
        widths = [16 if stem else 3, 16, 32, 48, 64]
        self.body = nn.Sequential(*stem, *[m for i, o in zip(widths, widths[1:]) for m in block(i, o)])
        self.drop = nn.Dropout(0.3)
        self.head = nn.Linear(widths[-1] * 2 * 4, classes)

    def forward(self, x):
        return self.head(self.drop(self.body(x).flatten(1)))


# California's plates print "California" in red script across the top; at 32x64 the script is a
# smudge a few pixels high that many white plates share. BAND_ROWS of a 64x128 crop hold the
# plate's top band (the crop quad puts the plate's top edge at row 3; the script lies in rows
# 6-19 of a centred plate, the rest is room for the localiser's misses).
BAND_ROWS = 28


class BandStateNet(nn.Module):
    """StateNet on the 64x128 crop averaged down to 32x64, beside a small branch that sees the
    crop's top band at full 64x128 resolution and scores "California's design" (one logit,
    max-pooled over the band so the script may sit anywhere along it). That logit is added to
    California's: the branch is trained on its own loss as well (BCE, California against every
    other state), so it learns the design from every plate, not only from the 51-way softmax.
    About 75 k parameters, 9 M multiply-adds."""

    def __init__(self, classes, ca):
        super().__init__()
        widths = [3, 16, 32, 48, 64]

        def block(i, o, pool=True):
            return [nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True)] + ([nn.MaxPool2d(2)] if pool else [])

        self.body = nn.Sequential(*[m for i, o in zip(widths, widths[1:]) for m in block(i, o)])
        self.drop = nn.Dropout(0.3)
        self.head = nn.Linear(widths[-1] * 2 * 4, classes)
        self.band = nn.Sequential(*block(3, 16), *block(16, 24), *block(24, 32), *block(32, 32, pool=False))
        self.band_head = nn.Linear(32, 1)
        self.ca = ca

    def parts(self, x):
        """The state logits with the band's added to California's, and the band's logit."""
        logits = self.head(self.drop(self.body(F.avg_pool2d(x, 2)).flatten(1)))
        bl = self.band_only(x)
        ca = self.ca
        parts = [logits[:, :ca]] if ca > 0 else []  # OpenCV cannot import an empty slice
        parts.append(logits[:, ca:ca + 1] + bl)
        if ca + 1 < logits.shape[1]:
            parts.append(logits[:, ca + 1:])
        return torch.cat(parts, 1), bl

    def band_only(self, x):
        b = self.band(x[:, :, :BAND_ROWS, :])
        return self.band_head(F.adaptive_max_pool2d(b, 1).flatten(1))

    def forward(self, x):
        return self.parts(x)[0]


def bank(rows, variants, seed, jitter=True):
    """Each row degraded variants times (augmentation done once: the CPU is shared, and the
    folds of the cross-validation reuse the same pictures), as uint8."""
    rnd = random.Random(seed)
    np.random.seed(seed)
    xs = np.stack([augment(img, q, rnd, jitter=jitter) for _, img, _, q in rows for _ in range(variants)])
    return torch.from_numpy(xs)


BAND = False  # --band: BandStateNet at 64x128
# --band-synth: synthetic plates of every colour scheme (uint8 crops, 1 where the state is
# California): the band branch alone also learns from them, each step, that "California" in
# script names California whatever the plate's colours (special designs such as Lake Tahoe's),
# and that other states' names in script do not. The 51-way softmax never sees them: their
# random colour schemes would teach it designs no state has.
BAND_SYNTH = None


def train(real_x, real_y, synth_x, synth_y, classes, steps, seed, threads, batch=32, lr=2e-3, synth_share=0.5):
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed)
    ca = classes.index("CA")
    model = BandStateNet(len(classes), ca) if BAND else StateNet(len(classes))
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps, pct_start=0.15)
    model.train()
    t0 = time.time()
    ns = int(batch * synth_share) if len(synth_x) else 0
    for step in range(steps):
        ri = torch.randint(len(real_x), (batch - ns,), generator=g)
        si = torch.randint(max(1, len(synth_x)), (ns,), generator=g)
        x = (torch.cat([real_x[ri], synth_x[si]]) if ns else real_x[ri]).float() / 255
        y = torch.cat([real_y[ri], synth_y[si]]) if ns else real_y[ri]
        if BAND:
            out, bl = model.parts(x)
            is_ca = (y == ca).float().unsqueeze(1)
            # California is about a fifth of each batch (its synthetic plates are 15 %): weigh
            # its positives up so the branch does not learn "never".
            band_loss = F.binary_cross_entropy_with_logits(bl, is_ca, pos_weight=torch.tensor(3.0))
            loss = F.cross_entropy(out, y, label_smoothing=0.05) + band_loss
            if BAND_SYNTH is not None:
                bx, by = BAND_SYNTH
                bi = torch.randint(len(bx), (batch // 2,), generator=g)
                loss = loss + F.binary_cross_entropy_with_logits(
                    model.band_only(bx[bi].float() / 255), by[bi].unsqueeze(1), pos_weight=torch.tensor(3.0))
        else:
            loss = F.cross_entropy(model(x), y, label_smoothing=0.05)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 250 == 0 or step == steps - 1:
            print(f"  step {step} loss {loss.item():.3f} {time.time() - t0:.0f}s", file=sys.stderr, flush=True)
    model.eval()
    return model


def predict(model, rows, classes, draws=0, jitter=True):
    """Confidence and state named for each row, from the crop as the reader would cut it
    (no random jitter), or with draws > 0 for each of that many degraded crops of it (rows
    repeated), as the reader's localiser and camera vary it."""
    probs = predict_probs(model, rows, draws, jitter)
    return [(float(p.max()), classes[int(p.argmax())], float(p[classes.index("CA")])) for p in probs]


def predict_probs(model, rows, draws=0, jitter=True):
    """The softmax over the classes for each row (as predict), a numpy array per row."""
    rnd = random.Random(0)
    np.random.seed(0)
    if draws:
        rows = [r for r in rows for _ in range(draws)]
    out = []
    with torch.no_grad():
        for i in range(0, len(rows), 64):
            part = rows[i:i + 64]
            x = torch.from_numpy(np.stack([augment(img, q, rnd, hard=draws > 0, jitter=jitter) for _, img, _, q in part])).float() / 255
            out += list(F.softmax(model(x), 1).numpy().astype(np.float64))
    return out


def figures(named, truth, threshold):
    """precision, coverage, California recall, counts, at threshold."""
    n = right = ca = ca_right = named_n = 0
    for (conf, st, _), t in zip(named, truth):
        n += 1
        ca += t == "CA"
        if conf >= threshold:
            named_n += 1
            right += st == t
            ca_right += st == t == "CA"
    return (right / max(1, named_n), named_n / max(1, n), ca_right / max(1, ca), right, named_n, n, ca_right, ca)


def calibrate(named, truth, want):
    """The lowest threshold from which the names at or above it are right at least want of
    the time (cumulative from the surest down)."""
    order = sorted(zip(named, truth), key=lambda z: -z[0][0])
    right, best = 0, 1.0
    for k, ((conf, st, _), t) in enumerate(order, 1):
        right += st == t
        if right / k >= want:
            best = conf
    return best


def calibrate_states(named, truth, want, min_names):
    """Thresholds for the states named at least min_names times out of fold, each on its own
    names (a state the classifier over-names needs a higher one), then one for the rest."""
    counts = {}
    for conf, st, _ in named:
        counts[st] = counts.get(st, 0) + 1
    own = {}
    for st, n in sorted(counts.items()):
        if n >= min_names:
            own[st] = calibrate([x for x in named if x[1] == st], [t for x, t in zip(named, truth) if x[1] == st], want)
    rest = [(x, t) for x, t in zip(named, truth) if x[1] not in own]
    return calibrate([x for x, _ in rest], [t for _, t in rest], want), own


def figures_own(named, truth, threshold, own):
    """figures() with per-state thresholds."""
    n = right = ca = ca_right = named_n = 0
    for (conf, st, _), t in zip(named, truth):
        n += 1
        ca += t == "CA"
        if conf >= own.get(st, threshold):
            named_n += 1
            right += st == t
            ca_right += st == t == "CA"
    return (right / max(1, named_n), named_n / max(1, n), ca_right / max(1, ca), right, named_n, n, ca_right, ca)


def export(model, path):
    tmp = path + ".tmp"
    torch.onnx.export(model, torch.zeros(1, 3, H, W), tmp, opset_version=11,
                      input_names=["plate"], output_names=["state"])
    inline_identities(tmp)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--crops", required=True, help="alpr-bench/crops: only its tune half is read")
    ap.add_argument("--synth", action="append", default=[], help="synthetic plate sets (synthplates)")
    ap.add_argument("--reader-crops", default="",
                    help="the reader's own crops of the tune half's plates (ocr/cmd/readercrops): trained on beside the crops, "
                         "and the out-of-fold ones calibrate the threshold")
    ap.add_argument("--reader-variants", type=int, default=4, help="degraded copies of each reader crop (no outline jitter)")
    ap.add_argument("--size", default="32x64", help="network input, HxW (the reader reads it from the ONNX graph)")
    ap.add_argument("--band-synth", default="", help="with --band: synthetic plates of every scheme for the band branch alone")
    ap.add_argument("--band", action="store_true",
                    help="BandStateNet: 64x128 input, a branch on the top band scoring California's design")
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--cv", type=int, default=4)
    ap.add_argument("--precision", type=float, default=0.97, help="out-of-fold precision the threshold must reach")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--variants", type=int, default=16, help="degraded copies of each real crop")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--synth-schemes", default="", help="only synthetic plates of these colour schemes (comma-separated)")
    ap.add_argument("--synth-share", type=float, default=0.5, help="share of each batch from synthetic plates")
    ap.add_argument("--jitter", choices=["small", "wide"], default="small", help="how far the crop outline strays")
    ap.add_argument("--calibrate-draws", type=int, default=0,
                    help="calibrate on this many degraded crops of each out-of-fold crop (0: the crop as cut)")
    ap.add_argument("--own-threshold-names", type=int, default=0,
                    help="a state named this often out of fold gets a threshold of its own (0: one for all)")
    ap.add_argument("--oof", default="", help="write the out-of-fold names here (CSV)")
    ap.add_argument("--oof-npz", default="", help="write the out-of-fold probabilities, truths, reads and folds here")
    ap.add_argument("--layout-prior", type=float, default=0,
                    help="weigh the classifier's probabilities by each state's share of the read's layout, shrunk "
                         "towards all plates' with this weight in plates (0: no prior); needs --reader-crops")
    ap.add_argument("--text-prior", type=float, default=0,
                    help="write a text-prior line: the reader weighs the texts it reads by a mixture of the "
                         "states' layouts (ocr/statemix.go) smoothed with this weight in plates (0: none)")
    ap.add_argument("--layout-alphas", default="", help="also print the cross-validation with these weights (comma-separated)")
    ap.add_argument("--layouts", default="", help="write the tune half's layout counts per state here (CSV)")
    ap.add_argument("--skip-final", action="store_true", help="cross-validate and write the classes file only (no final model)")
    ap.add_argument("--out", required=True, help="output .onnx; the classes file is written beside it")
    ap.add_argument("--classes", required=True, help="output classes file (plate-states.txt)")
    a = ap.parse_args()
    global WIDE, H, W, BAND, BAND_SYNTH
    WIDE = a.jitter == "wide"
    H, W = (int(v) for v in a.size.split("x"))
    BAND = a.band
    if BAND and (H, W) != (64, 128):
        ap.error("--band needs --size 64x128")
    torch.set_num_threads(a.threads)

    real_reads = []
    real = load(a.crops, only_tune=True, reads=real_reads)
    reads = []
    reader = load(a.reader_crops, only_tune=True, reads=reads) if a.reader_crops else []
    synth = [r for d in a.synth for r in load(d, only_tune=False, schemes=a.synth_schemes.split(",") if a.synth_schemes else None)]
    classes = sorted({st for _, _, st, _ in real} | {st for _, _, st, _ in synth})
    reads = [rd for r, rd in zip(reader, reads) if r[2] in classes]
    reader = [r for r in reader if r[2] in classes]
    print(f"{len(real)} tune crops, {len(reader)} reader crops of them, {len(synth)} synthetic plates, {len(classes)} states, input {H}x{W}",
          file=sys.stderr)

    idx = {c: i for i, c in enumerate(classes)}
    V, RV = a.variants, a.reader_variants
    real_x = bank(real, V, a.seed)
    real_y = torch.tensor([idx[st] for _, _, st, _ in real for _ in range(V)])
    real_name = [name for name, _, _, _ in real for _ in range(V)]
    if reader:
        real_x = torch.cat([real_x, bank(reader, RV, a.seed + 2, jitter=False)])
        real_y = torch.cat([real_y, torch.tensor([idx[st] for _, _, st, _ in reader for _ in range(RV)])])
        real_name += [name for name, _, _, _ in reader for _ in range(RV)]
    synth_x = bank(synth, 1, a.seed + 1) if synth else torch.zeros(0, 3, H, W, dtype=torch.uint8)
    synth_y = torch.tensor([idx[st] for _, _, st, _ in synth], dtype=torch.long)
    if a.band_synth:
        bs = load(a.band_synth, only_tune=False)
        BAND_SYNTH = (bank(bs, 1, a.seed + 3), torch.tensor([float(st == "CA") for _, _, st, _ in bs]))
        print(f"{len(bs)} synthetic plates for the band, {int(BAND_SYNTH[1].sum())} of California", file=sys.stderr)
    print(f"augmented bank ready", file=sys.stderr, flush=True)

    threshold, own = 0.5, {}
    if a.cv > 1:
        def fold_of(name):
            return sha1(name)[1] % a.cv
        # Calibrated on what the reader cuts when its crops are given, else on the crops degraded.
        calib, calib_jitter = (reader, False) if reader else (real, True)
        # The layout prior reads the reader's read of a reader crop; without reader crops, the
        # labelled plate of a crop (a reader that never misreads: kinder than the car).
        read_of = {id(r[1]): rd for r, rd in list(zip(real, real_reads)) + list(zip(reader, reads))}
        probs, truth, oof_reads, folds = [], [], [], []
        for k in range(a.cv):
            keep = torch.tensor([fold_of(n) != k for n in real_name])
            te = [r for r in calib if fold_of(r[0]) == k]
            m = train(real_x[keep], real_y[keep], synth_x, synth_y, classes, a.steps, a.seed + 100 * (k + 1), a.threads, synth_share=a.synth_share)
            draws = max(1, a.calibrate_draws)
            probs += predict_probs(m, te, a.calibrate_draws, jitter=calib_jitter)
            truth += [r[2] for r in te for _ in range(draws)]
            oof_reads += [read_of.get(id(r[1]), "") for r in te for _ in range(draws)]
            folds += [k] * (len(te) * draws)
        if a.oof_npz:
            np.savez(a.oof_npz, probs=np.array(probs), truth=np.array(truth), reads=np.array(oof_reads),
                     folds=np.array(folds), classes=np.array(classes))

        def cross_validate(alpha, label):
            """Names out of fold, each fold's layout counts from the other folds' crops."""
            oof = [None] * len(probs)
            for k in range(a.cv):
                counts = layout_counts(os.path.join(a.crops, "labels.csv"),
                                       lambda f: half_of(f) == "tune" and fold_of(f) != k)
                at = [i for i, f in enumerate(folds) if f == k]
                for i, named in zip(at, fuse([probs[i] for i in at], [oof_reads[i] for i in at], counts, classes, alpha)):
                    oof[i] = named
            th, own = calibrate(oof, truth, a.precision), {}
            if a.own_threshold_names:
                th, own = calibrate_states(oof, truth, a.precision, a.own_threshold_names)
            print(f"{label}: threshold {th:.4f} {' '.join(f'{k} {v:.4f}' for k, v in own.items())} (out-of-fold precision >= {a.precision})")
            for k in range(a.cv):
                at = [i for i, f in enumerate(folds) if f == k]
                pr, cov, car, right, nn_, n, cr, ca = figures_own([oof[i] for i in at], [truth[i] for i in at], th, own)
                print(f"  fold {k}: precision {100*pr:.1f} % ({right}/{nn_}), coverage {100*cov:.1f} % ({nn_}/{n}), California {cr}/{ca}")
            pr, cov, car, right, nn_, n, cr, ca = figures_own(oof, truth, th, own)
            print(f"  all folds: precision {100*pr:.1f} % ({right}/{nn_}), coverage {100*cov:.1f} % ({nn_}/{n}), California {cr}/{ca}")
            for t in (0.3, 0.5, 0.7, 0.8, 0.9, 0.95):
                pr, cov, car, right, nn_, n, cr, ca = figures(oof, truth, t)
                print(f"    at {t}: precision {100*pr:.1f} % ({right}/{nn_}), coverage {100*cov:.1f} %, California {cr}/{ca}")
            return oof, th, own

        for alpha in sorted({float(v) for v in a.layout_alphas.split(",") if v} - {a.layout_prior}):
            cross_validate(alpha, f"layout prior {alpha:g}")
        oof, threshold, own = cross_validate(a.layout_prior, f"layout prior {a.layout_prior:g} (written)")
        if a.oof:
            with open(a.oof, "w") as f:
                f.write("truth,named,confidence,p_ca\n")
                for (conf, st, pca), t in zip(oof, truth):
                    f.write(f"{t},{st},{conf:.5f},{pca:.5f}\n")
        sys.stdout.flush()
    if a.layouts:
        counts = layout_counts(os.path.join(a.crops, "labels.csv"), lambda f: half_of(f) == "tune")
        with open(a.layouts, "w") as f:
            f.write("state,layout,plates\n")
            for st in sorted(counts):
                for lay, n in sorted(counts[st].items()):
                    f.write(f"{st},{lay},{n}\n")
    if not a.skip_final:
        model = train(real_x, real_y, synth_x, synth_y, classes, a.steps, a.seed, a.threads, synth_share=a.synth_share)
        export(model, a.out)
    with open(a.classes, "w") as f:
        f.write("# The state classifier's outputs in order (ocr/train/state.py); it names none under the threshold.\n")
        f.write(f"threshold {threshold:.4f}\n")
        if a.layout_prior:
            f.write(f"layout-prior {a.layout_prior:g}\n")
        if a.text_prior:
            f.write(f"text-prior {a.text_prior:g}\n")
        for st, v in own.items():
            f.write(f"threshold {st} {v:.4f}\n")
        for c in classes:
            f.write(c + "\n")


if __name__ == "__main__":
    main()

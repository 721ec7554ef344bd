"""Reproduce the published Krippendorff's alpha of BABE and MBIC with `annotator agreement`.

    .venv/bin/python benchmarks/babe_mbic.py [--data ../shared/babe_mbic]

Runs the real CLI on the raw per-annotator CSVs (read in place from ../shared; they are
published data and are not copied into the project) and prints each figure next to the
value the dataset's README gives, with the time each command took. The mapping of the
opinion labels to numbers follows that README (SG1 misspells two of them).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OPINION_MAP = [
    "--map",
    "Entirely factual=0",
    "--map",
    "Somewhat factual but also opinionated=1",
    "--map",
    "Expresses writer’s opinion=2",
    "--map",
    "Somewhat factional but also opinionated=1",  # SG1 spelling
    "--map",
    "Expresses wleter´s opinion=2",
]  # SG1 spelling
CASES = [
    ("SG1 bias", "babe_sg1_raw_labels.csv", "annotator_id", "Label_bias_0-1", [], 0.388102),
    ("SG2 bias", "babe_sg2_raw_labels.csv", "df_id", "Label_bias_0-1", [], 0.398866),
    ("MBIC bias", "mbic_raw_labels.csv", "survey_record_id", "label_bias", [], 0.205867),
    (
        "SG1 opinion",
        "babe_sg1_raw_labels.csv",
        "annotator_id",
        "label_opinion",
        ["--level", "interval", *OPINION_MAP],
        0.455187,
    ),
    (
        "SG2 opinion",
        "babe_sg2_raw_labels.csv",
        "df_id",
        "label_opinion",
        ["--level", "interval", *OPINION_MAP],
        0.601625,
    ),
    (
        "MBIC opinion",
        "mbic_raw_labels.csv",
        "survey_record_id",
        "label_opinion",
        ["--level", "interval", *OPINION_MAP],
        0.264993,
    ),
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "babe_mbic")
    args = ap.parse_args()
    if not args.data.is_dir():
        print(f"{args.data}: not found (the BABE/MBIC raw labels)", file=sys.stderr)
        return 1
    ok = True
    print(f"{'dataset':14s} {'alpha':>9s} {'published':>9s} {'95% CI':>20s} {'seconds':>8s}")
    for name, file, rater, value, extra, expected in CASES:
        cmd = [
            sys.executable,
            "-m",
            "annotator",
            "agreement",
            "--from-csv",
            str(args.data / file),
            "--unit",
            "text",
            "--annotator",
            rater,
            "--value",
            value,
            "--format",
            "json",
            *extra,
        ]
        t = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=True)
        dt = time.perf_counter() - t
        data = json.loads(out.stdout)
        alpha = data["metrics"]["krippendorff_alpha"]
        ci = data["ci95"]["krippendorff_alpha"]
        match = alpha == expected
        ok &= match
        print(
            f"{name:14s} {alpha:9.6f} {expected:9.6f} {ci!s:>20s} {dt:8.2f}"
            f"{'' if match else '  MISMATCH'}"
        )
        print("  " + " ".join(c if " " not in c else repr(c) for c in cmd[2:]))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Whole-process `vigia score --lang auto` against Python vaderSentiment 3.3.2, same file, same run.

Builds a file of real-length posts (default 200,000 lines) from the reference data: the 4,200
tweets of vader-reference and the 261 posts of mentions-dev (200 Spanish, 61 English), repeated
in order. The file is written to a temporary directory and deleted afterwards; nothing of it is
committed. Then it runs, on that file, one after the other:

  vigia score --lang auto [--threads N]            (stdin -> one JSON object per line)
  python vader_score.py                            (vaderSentiment 3.3.2, one JSON object per line)

and prints, for each, wall time, CPU time (user + system of the process) and posts per second,
and the ratios. Each output is checked to have one line per post.

Usage (from the project root, after `cargo build --release`):

  python3 -m venv /tmp/vader-venv && /tmp/vader-venv/bin/pip install vaderSentiment==3.3.2
  python3 tools/score_bench/score_vs_vader.py --python /tmp/vader-venv/bin/python

Options: --vigia PATH (default target/release/vigia), --lines N, --threads N (passed to vigia;
default 0 = every core), --data DIR (default $VIGIA_SHARED_DATA or ../shared/data).
"""
import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def posts(data):
    ref = os.path.join(data, "vader-reference", "vader-3.3.2-reference.tsv")
    dev = os.path.join(data, "mentions-dev", "mentions-dev.tsv")
    with open(ref, encoding="utf-8") as f:
        tweets = [l.rstrip("\n").split("\t")[-1] for l in f if l.startswith("tweets\t")]
    with open(dev, encoding="utf-8") as f:
        mentions = [l.rstrip("\n").split("\t")[-1] for l in list(f)[1:] if l.strip()]
    return tweets + mentions


def write_file(path, items, lines):
    with open(path, "w", encoding="utf-8") as f:
        for i in range(lines):
            f.write(items[i % len(items)] + "\n")


def run(cmd, src):
    """Runs cmd with src on stdin; returns (wall seconds, cpu seconds, output lines)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(src, "rb") as stdin, tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        subprocess.run(cmd, stdin=stdin, stdout=out, check=True)
        wall = time.perf_counter() - start
        out.seek(0)
        count = sum(1 for _ in out)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, count


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--vigia", default="target/release/vigia")
    p.add_argument("--python", default=sys.executable, help="a Python with vaderSentiment==3.3.2")
    p.add_argument("--lines", type=int, default=200_000)
    p.add_argument("--threads", type=int, default=0)
    default_data = os.environ.get("VIGIA_SHARED_DATA", os.path.join("..", "shared", "data"))
    p.add_argument("--data", default=default_data)
    a = p.parse_args()
    version = subprocess.run(
        [a.python, "-c", "import importlib.metadata as m; print(m.version('vaderSentiment'))"],
        capture_output=True, text=True, check=True).stdout.strip()
    if version != "3.3.2":
        sys.exit(f"need vaderSentiment 3.3.2 in {a.python}, found {version!r}")
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "posts.txt")
        write_file(src, posts(a.data), a.lines)
        vigia = [a.vigia, "score", "--lang", "auto", "--threads", str(a.threads)]
        python = [a.python, os.path.join(HERE, "vader_score.py")]
        results = {}
        for name, cmd in (("vigia score --lang auto", vigia), ("python vaderSentiment 3.3.2", python)):
            wall, cpu, count = run(cmd, src)
            if count != a.lines:
                sys.exit(f"{name}: {count} output lines for {a.lines} posts")
            results[name] = (wall, cpu)
            print(f"{name:<30} wall {wall:7.2f} s {a.lines / wall:>11,.0f} posts/s   "
                  f"cpu {cpu:7.2f} s {a.lines / cpu:>11,.0f} posts/s per cpu-second")
        (vw, vc), (pw, pc) = results.values()
        print(f"{a.lines:,} posts; ratio vigia/python: wall {pw / vw:.1f}x, "
              f"per cpu-second {pc / vc:.1f}x")


if __name__ == "__main__":
    main()

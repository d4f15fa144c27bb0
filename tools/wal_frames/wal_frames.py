#!/usr/bin/env python3
"""Which tables and indexes a SQLite database's recent commits wrote: its WAL, frame by frame.

In WAL mode every commit appends one frame (a page image) per page it changed, and the
commit's cost is mostly writing those frames (and, later, the checkpoint copying them back).
This reads the frames of the current WAL generation (those whose salts match the WAL header;
older frames left behind a checkpoint are skipped), groups them into commits, and attributes
each frame's page to the table or index that owns it (SQLite's `dbstat`). A page added by the
WAL and freed again may show as "(free or new)".

After `vigia bench ingest --mentions N --db /tmp/b.db`, the WAL of `/tmp/b.db` holds the run's
last commits (up to 64 MB of frames: the checkpoint threshold), so the figures describe the
pipeline when the database is at its largest:

  python3 tools/wal_frames/wal_frames.py /tmp/b.db

The database and its WAL are copied to a temporary directory first and the copy is opened
read-only, so the original is never checkpointed or changed. Needs Python's sqlite3 built with
the dbstat virtual table (Debian's and python.org's are).
"""
import argparse
import collections
import os
import shutil
import sqlite3
import statistics
import struct
import sys
import tempfile

WAL_MAGIC = (0x377F0682, 0x377F0683)


def commits(wal_path):
    """The page size, and the committed frames of the WAL's current generation (a list of
    page-number lists, one per commit)."""
    with open(wal_path, "rb") as f:
        header = f.read(32)
        if len(header) < 32:
            return 0, []
        magic, _version, page_size, _seq, salt1, salt2 = struct.unpack(">6I", header[:24])
        if magic not in WAL_MAGIC:
            sys.exit(f"{wal_path}: not a SQLite WAL file")
        done, current = [], []
        while True:
            frame = f.read(24)
            if len(frame) < 24:
                break
            page, size_after_commit, s1, s2 = struct.unpack(">4I", frame[:16])
            if (s1, s2) != (salt1, salt2):
                break
            f.seek(page_size, os.SEEK_CUR)
            current.append(page)
            if size_after_commit:
                done.append(current)
                current = []
        return page_size, done


def owners(db_path):
    """Page number -> name of the table or index it belongs to."""
    uri = "file:" + db_path + "?mode=ro"
    with sqlite3.connect(uri, uri=True) as con:
        return {page: name for name, page in con.execute("SELECT name, pageno FROM dbstat")}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("db", help="the SQLite database file (its -wal next to it)")
    parser.add_argument("--top", type=int, default=25, help="rows to print (default 25)")
    args = parser.parse_args()
    wal = args.db + "-wal"
    if not os.path.exists(wal):
        sys.exit(f"{wal}: no WAL file (the database was checkpointed and closed)")
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, "copy.db")
        shutil.copyfile(args.db, copy)
        shutil.copyfile(wal, copy + "-wal")
        page_size, found = commits(copy + "-wal")
        if not found:
            sys.exit(f"{wal}: no committed frame in its current generation")
        names = owners(copy)
    frames = collections.Counter()
    pages = collections.defaultdict(set)
    for commit in found:
        for page in commit:
            name = names.get(page, "(free or new)")
            frames[name] += 1
            pages[name].add(page)
    total = sum(frames.values())
    sizes = [len(c) for c in found]
    largest = ", ".join(str(n) for n in sorted(sizes, reverse=True)[:5])
    print(
        f"{len(found)} commits, {total} frames ({total * page_size // 1024} kB): median "
        f"{statistics.median(sizes):.0f} frames a commit; largest {largest}"
    )
    print(f"{'table or index':40} {'frames':>8} {'share':>6} {'distinct pages':>15}")
    for name, n in frames.most_common(args.top):
        print(f"{name:40} {n:8d} {100 * n / total:5.1f}% {len(pages[name]):15d}")


if __name__ == "__main__":
    main()

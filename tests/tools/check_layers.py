#!/usr/bin/env python3
"""Checks every #include of src/ against src/layers.txt.

Usage: check_layers.py SRC_DIR        checks the tree, exit 1 on a violation
       check_layers.py --self-test SRC_DIR
                                      also proves the check can fail: plants
                                      an upward include in a copy of the tree
                                      and a loop in a copy of the layers
"""
import pathlib
import re
import shutil
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/[^"]+"')


def read_layers(path):
    """{folder: (public set, private set)} in file order; errors for a
    folder that names one not declared before it."""
    layers, errors = {}, []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([a-z_]+):([^|]*)(?:\|(.*))?", line)
        if not match:
            errors.append(f"{path}:{number}: not 'folder: PUBLIC... | PRIVATE...'")
            continue
        folder = match.group(1)
        public = set(match.group(2).split())
        private = set((match.group(3) or "").split())
        for used in sorted(public | private):
            if used not in layers:
                errors.append(f"{path}:{number}: {folder} uses {used}, which is not declared above it")
        layers[folder] = (public, private)
    return layers, errors


def check(src):
    layers, errors = read_layers(src / "layers.txt")
    for folder in sorted(p.name for p in src.iterdir() if p.is_dir()):
        if folder not in layers:
            errors.append(f"{src / folder}: a folder that src/layers.txt does not declare")
    for path in sorted(src.rglob("*")):
        if path.suffix not in (".h", ".cpp") or not path.is_file():
            continue
        relative = path.relative_to(src)
        folder = relative.parts[0] if len(relative.parts) > 1 else None  # None: src/main.cpp
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            match = INCLUDE.match(line)
            if not match or match.group(1) not in layers:
                continue  # a system or generated header
            used = match.group(1)
            if folder is None:
                if used not in ("cli", "util"):
                    errors.append(f"{path}:{number}: main.cpp includes {used}/; it may include cli/ and util/")
                continue
            if used == folder or folder not in layers:
                continue
            public, private = layers[folder]
            allowed = public if path.suffix == ".h" else public | private
            if used not in allowed:
                kind = "a header of" if path.suffix == ".h" else ""
                where = "PUBLIC" if path.suffix == ".h" and used in private else "any"
                errors.append(
                    f"{path}:{number}: {kind + ' ' if kind else ''}{folder}/ includes {used}/, "
                    f"which src/layers.txt does not allow it ({where} use): {line.strip()}")
    return errors


def self_test(src):
    with tempfile.TemporaryDirectory() as scratch:
        copy = pathlib.Path(scratch) / "src"
        shutil.copytree(src, copy)
        if check(copy):
            return ["the unchanged copy should pass"]
        planted = copy / "util" / "text.h"
        planted.write_text('#include "feeds/feed.h"\n' + planted.read_text())
        found = check(copy)
        if not any("util/text.h:1:" in error and "includes feeds/" in error for error in found):
            return [f"a planted upward include in util/text.h was not reported: {found}"]
        planted.write_text(planted.read_text().split("\n", 1)[1])
        layers = copy / "layers.txt"
        layers.write_text(layers.read_text().replace("util:\n", "util: cli\n", 1))
        if not any("util uses cli" in error for error in check(copy)):
            return ["a loop in layers.txt was not reported"]
    return []


def main():
    args = sys.argv[1:]
    run_self_test = args[:1] == ["--self-test"]
    if run_self_test:
        args = args[1:]
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    src = pathlib.Path(args[0])
    errors = check(src) + (self_test(src) if run_self_test else [])
    for error in errors:
        print(error, file=sys.stderr)
    if errors:
        print(f"{len(errors)} include(s) against src/layers.txt", file=sys.stderr)
        return 1
    print(f"every #include of {src} follows src/layers.txt")
    return 0


if __name__ == "__main__":
    sys.exit(main())

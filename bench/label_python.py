"""Call sites of a Python package labelled by the Python runtime itself, independently of Ghost's index.

Each module of the package is imported; a call whose callee is a name bound by an import (``from .io import load``,
``from pkg.mod import f as g``) or an attribute of an imported module (``util.normalize(``) is looked up on the
live module object, unwrapped, and located with ``inspect``: the file and line Python would run. Only callees
defined in another file of the same repository are kept. Prints one JSON object per site.

usage: python3 label_python.py REPOSITORY_ROOT PACKAGE PER_FILE LIMIT
"""
import ast
import importlib
import inspect
import json
import os
import sys
import warnings


def module_name(root, path):
    parts = os.path.relpath(path, root)[: -len(".py")].split(os.sep)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(tree):
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names if alias.name != "*")
    return names


def callee_object(module, call, bound):
    func = call.func
    if isinstance(func, ast.Name) and func.id in bound:
        return func.id, getattr(module, func.id, None), func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in bound:
        owner = getattr(module, func.value.id, None)
        if inspect.ismodule(owner):
            return func.attr, getattr(owner, func.attr, None), func
    return None, None, None


def location(obj):
    obj = inspect.unwrap(obj)
    # A function a factory made (its qualified name says <locals>) has no definition of the name it is called by.
    if not (inspect.isfunction(obj) or inspect.isclass(obj)) or "<locals>" in obj.__qualname__:
        return None
    try:
        return inspect.getsourcefile(obj), inspect.getsourcelines(obj)[1]
    except (OSError, TypeError):  # built-in or generated: no source to point at
        return None


def main(root, package, per_file, limit):
    root = os.path.realpath(root)
    sys.path.insert(0, root)
    # Importing a module may print; only the labels go to stdout.
    out, sys.stdout = sys.stdout, sys.stderr
    warnings.simplefilter("ignore")
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(root, package)) for f in fs if f.endswith(".py"))
    found = 0
    for path in files:
        try:
            module = importlib.import_module(module_name(root, path))
        except Exception:  # a module that cannot be imported here (optional dependency): no labels from it
            continue
        text = open(path, encoding="utf-8").read()
        tree = ast.parse(text)
        bound = imported_names(tree)
        lines = text.split("\n")
        taken = 0
        for call in sorted((n for n in ast.walk(tree) if isinstance(n, ast.Call)), key=lambda n: (n.lineno, n.col_offset)):
            if taken >= per_file or found >= limit:
                break
            name, obj, func = callee_object(module, call, bound)
            where = location(obj) if obj is not None else None
            if where is None or where[0] is None:
                continue
            definition = os.path.realpath(where[0])
            if not definition.startswith(root + os.sep) or definition == os.path.realpath(path):
                continue
            line = lines[func.end_lineno - 1]
            # ast columns count UTF-8 bytes; the offset the bench wants counts characters.
            paren = line.find("(", len(line.encode("utf-8")[: func.end_col_offset].decode("utf-8", "ignore")))
            if func.end_lineno != call.lineno and paren < 0:
                continue
            offset = sum(len(l) + 1 for l in lines[: func.end_lineno - 1]) + paren + 1
            print(json.dumps({"path": os.path.relpath(path, root), "offset": offset, "callee": name, "definitionPath": os.path.relpath(definition, root), "definitionLine": where[1] - 1}), file=out)
            taken += 1
            found += 1


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))

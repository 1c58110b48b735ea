"""Counts a Python repository's habits with Python's own ast and tokenize modules, independently of Ghost's
extractors, for the conventions benchmark to decide which conventions a repository clearly holds before it seeds
violations of them. Reads file paths (one a line) on stdin, prints one JSON object of totals on stdout."""
import ast
import io
import json
import re
import sys
import tokenize
from collections import Counter

counts = Counter()
modules = Counter()
module_files = Counter()
calls = Counter()
call_files = Counter()


def style(name):
    bare = name.strip("_")
    if not bare:
        return None
    if re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)+", bare):
        return "snake_case"
    if re.fullmatch(r"[a-z][a-z0-9]*([A-Z][a-z0-9]*)+", bare):
        return "camelCase"
    if re.fullmatch(r"([A-Z][a-z0-9]+)+[A-Z]?[a-z0-9]*", bare) and not bare.isupper():
        return "PascalCase"
    return None  # one lower-case word fits every style


def dotted(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


# A call that only reports: print, logging.warning, logger.error, warnings.warn.
LOGGING = re.compile(r"^(print|logging|logger|log|warnings)\b|\.(log|warn|warning|error|info|debug|exception|critical)$")


def only_logs_or_passes(body):
    for statement in body:
        if isinstance(statement, (ast.Pass, ast.Continue)):
            continue
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call) and LOGGING.search(dotted(statement.value.func) or ""):
            continue
        return False
    return True


for path in sys.stdin.read().split("\n"):
    if not path:
        continue
    text = open(path, encoding="utf-8", errors="replace").read()
    try:
        tree = ast.parse(text)
    except SyntaxError:
        continue
    counts["files"] += 1
    file_modules, file_calls = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("__"):
            kind = style(node.name)
            if kind:
                counts[f"function:{kind}"] += 1
        elif isinstance(node, ast.ClassDef):
            kind = style(node.name)
            if kind:
                counts[f"class:{kind}"] += 1
        elif isinstance(node, ast.ExceptHandler):
            broad = node.type is None or (isinstance(node.type, ast.Name) and node.type.id in ("Exception", "BaseException"))
            counts["except:broad" if broad else "except:specific"] += 1
            if broad and only_logs_or_passes(node.body):
                counts["except:swallows"] += 1
        elif isinstance(node, ast.Try) and node.handlers:
            counts["try"] += 1
        elif isinstance(node, ast.Import):
            file_modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            file_modules.add(node.module)
            file_modules.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call):
            name = dotted(node.func)
            if name:
                file_calls.add(name)
                calls[name] += 1
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            counts["functions"] += 1
    for module in file_modules:
        modules[module] += 1
    module_files.update(file_modules)
    call_files.update(file_calls)
    # Plain string tokens only: f-, r-, b- strings and docstrings' triple quotes have habits of their own.
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.STRING and token.string[:1] in "'\"" and not token.string.startswith(("'''", '"""')):
            body = token.string[1:-1]
            if "'" in body or '"' in body:
                continue  # the other quote inside decides the choice
            counts["quote:single" if token.string[0] == "'" else "quote:double"] += 1

print(json.dumps({"counts": counts, "moduleFiles": module_files, "calls": calls, "callFiles": call_files}))

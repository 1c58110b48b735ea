// The definition a member call reaches through its receiver's type (`client.request(`, `this.#handler.onError(`,
// `webidl.is.Blob(`, `z.date().min(`, Python's `self.client.get(`): a light, local inference over the facts the
// index holds (type-facts.ts). The receiver's first name is a typed parameter or local, `this`/`self`, a
// module-level definition or an import; each member after it is looked up inside the class, interface, namespace or
// object its type names (then in what that extends), and a call stands for its declared return type. Types written
// `import('./x').Foo`, `ns.Foo`, `A | B` or through a type alias or `@typedef` are followed through the file's
// imports. Nothing is inferred from function bodies: an undeclared type ends the walk (null), and the caller falls
// back to the imports and the index. Runs on every keystroke: results are cached until the index changes.
import type { LocatedDefinition, TagIndex } from "./tag-index";
import type { Binding, TypeSource } from "./type-facts";
import { exported, follow, modules } from "./imported-definitions";

/** One step of a receiver chain: `name`, `#name`, `[key]`; `call` when it is called (`name(...)`). */
export interface Segment {
  name: string;
  call: boolean;
}

/** What a value's type leads to: a module's exports (a namespace import), or definitions whose members it has
 *  (a class, interface, namespace, object; several when declarations merge, as a class and its namespace do). */
type Target = { module: string[] } | { definitions: LocatedDefinition[] };

/** A member found: its definitions, or a `this.x = ...` binding (path kept). */
type Member = { definitions: LocatedDefinition[] } | { binding: Binding; path: string };

/** Type hops before giving up: aliases of aliases, long chains, cycles. */
const maxDepth = 12;
const containerKinds = new Set(["class", "interface", "module", "type", "enum"]);

/** The definitions of `name` as a member of the value `receiver` in `path` at `line`, or null when the
 *  receiver's type is not known from declarations. */
export function memberDefinitions(index: TagIndex, path: string, line: number, receiver: readonly Segment[], name: string): LocatedDefinition[] | null {
  const key = `member\0${path}\0${line}\0${receiver.map((segment) => `${segment.name}${segment.call ? "()" : ""}`).join(".")}\0${name}`;
  return index.cachedDerived(key, () => {
    const target = chainTarget(index, path, line, receiver, 0);
    const member = target ? memberOf(index, target, name, 0) : null;
    return member && "definitions" in member && member.definitions.length > 0 ? member.definitions : null;
  });
}

function chainTarget(index: TagIndex, path: string, line: number, chain: readonly Segment[], depth: number): Target | null {
  const [first, ...rest] = chain;
  if (!first || depth > maxDepth) return null;
  let target: Target | null;
  // `this`, and Python's `self` (unless it is a name of its own there); `super` and `super()`.
  const self = first.name === "this" || (first.name === "self" && !first.call && bindingInScope(index, path, "self", line) === undefined);
  if (self || first.name === "super") {
    const own = enclosingClass(index, path, line);
    const base = own?.bases?.[0];
    target = self ? (own ? { definitions: [own] } : null) : base ? typeTarget(index, path, base, own!.line, depth + 1) : null;
  } else target = valueTarget(index, path, line, first.name, first.call, depth + 1);
  for (const segment of rest) {
    if (!target) return null;
    const member = memberOf(index, target, segment.name, depth + 1);
    target = member ? memberTarget(index, member, segment.call, depth + 1) : null;
  }
  return target;
}

/** The innermost class around `line` in `path`. */
function enclosingClass(index: TagIndex, path: string, line: number): LocatedDefinition | undefined {
  const classes = index.cachedDerived(`classes\0${path}`, () => (index.tagsOf(path)?.definitions ?? []).filter((definition) => definition.kind === "class").map((definition) => ({ ...definition, path })));
  return classes.filter((definition) => definition.line <= line && line <= definition.endLine).sort((a, b) => b.line - a.line)[0];
}

/** A file's module-level definitions of `name`. */
function moduleLevel(index: TagIndex, path: string, name: string): LocatedDefinition[] {
  return index.definitionsIn(path, name).filter((definition) => definition.container === undefined).map((definition) => ({ ...definition, path }));
}

/** A file's typed names called `name` (grouped once per index revision: a keystroke asks for many). */
function bindingsNamed(index: TagIndex, path: string, name: string): readonly Binding[] {
  const byName = index.cachedDerived(`bindings\0${path}`, () => {
    const grouped = new Map<string, Binding[]>();
    for (const binding of index.tagsOf(path)?.bindings ?? []) {
      if (!grouped.has(binding.name)) grouped.set(binding.name, []);
      grouped.get(binding.name)!.push(binding);
    }
    return grouped;
  });
  return byName.get(name) ?? [];
}

/** The innermost (latest declared) binding of `name` whose scope holds `line`. */
function bindingInScope(index: TagIndex, path: string, name: string, line: number): Binding | undefined {
  return bindingsNamed(index, path, name).filter((candidate) => candidate.line <= line && line <= candidate.endLine).sort((a, b) => b.line - a.line)[0];
}

/** A name's value in `path` at `line`: a typed binding in scope, else a module-level definition, else an import. */
function valueTarget(index: TagIndex, path: string, line: number, name: string, called: boolean, depth: number): Target | null {
  const tags = index.tagsOf(path);
  if (!tags) return null;
  const binding = bindingInScope(index, path, name, line);
  if (binding) return sourceTarget(index, path, binding.source, binding.line, called, depth + 1);
  // An import is what the name is, also where `const x = require(...)` declares it.
  const link = tags.links.find((candidate) => candidate.local === name && candidate.from !== "");
  if (!link) {
    const own = moduleLevel(index, path, name);
    return own.length > 0 ? definitionsTarget(index, own, called, depth + 1) : null;
  }
  if (link.imported === "*") {
    const files = modules(index, path, link.from);
    if (files.length === 0) return null;
    // Called, the module is its CommonJS `module.exports = fn`.
    return called ? definitionsTarget(index, exported(index, files, "default"), true, depth + 1) : { module: files };
  }
  const found = follow(index, path, link, 0);
  return found.length > 0 ? definitionsTarget(index, found, called, depth + 1) : null;
}

/** The value a definition names: a class, interface or namespace is its own members (static access, or the
 *  instance `new` builds); a variable has its declared type; a call has the return type. */
function definitionsTarget(index: TagIndex, definitions: LocatedDefinition[], called: boolean, depth: number): Target | null {
  if (depth > maxDepth) return null;
  const [first] = definitions;
  if (!first) return null;
  if (called) {
    // Python builds an instance by calling its class.
    if (first.kind === "class") return { definitions };
    if (first.returns) return typeTarget(index, first.path, first.returns, first.line, depth + 1);
    return first.type ? sourceTarget(index, first.path, first.type, first.line, true, depth + 1) : null;
  }
  if (first.type && !containerKinds.has(first.kind)) {
    const typed = sourceTarget(index, first.path, first.type, first.line, false, depth + 1);
    // An object with a declared type has its declared members first, then its own (`webidl.x = ...`).
    return typed && "definitions" in typed ? { definitions: [...typed.definitions, ...definitions] } : typed ?? { definitions };
  }
  // A function as a value (`typeof f`): calling it gives what it returns.
  return containerKinds.has(first.kind) || first.kind === "constant" || first.kind === "function" ? { definitions } : null;
}

function sourceTarget(index: TagIndex, path: string, source: TypeSource, line: number, called: boolean, depth: number): Target | null {
  if (depth > maxDepth) return null;
  if (source.kind === "element") {
    const chain = chainOf(source.text, source.text.length);
    const declared = chain ? declaredType(index, path, line, chain, depth + 1) : null;
    const element = declared ? elementType(declared.text) : null;
    return element && declared && !called ? typeTarget(index, declared.path, element, declared.line, depth + 1) : null;
  }
  if (source.kind === "value") {
    const chain = chainOf(source.text, source.text.length);
    if (!chain) return null;
    const last = chain.at(-1)!;
    return chainTarget(index, path, line, called ? [...chain.slice(0, -1), { name: last.name, call: true }] : chain, depth + 1);
  }
  const target = typeTarget(index, path, source.text, line, depth + 1);
  if (!called || !target || !("definitions" in target)) return called ? null : target;
  // `typeof f` called: what f returns.
  return definitionsTarget(index, target.definitions, true, depth + 1);
}

/** The type written for a value (`@type {Item[]}`, `items: Item[]`), where it is written: for what a loop over
 *  the value yields. */
function declaredType(index: TagIndex, path: string, line: number, chain: readonly Segment[], depth: number): { path: string; text: string; line: number } | null {
  if (depth > maxDepth || chain.length === 0 || chain.at(-1)!.call) return null;
  let source: { path: string; source: TypeSource; line: number } | null = null;
  if (chain.length === 1) {
    const binding = bindingInScope(index, path, chain[0]!.name, line);
    const own = moduleLevel(index, path, chain[0]!.name).find((definition) => definition.type);
    source = binding ? { path, source: binding.source, line: binding.line } : own ? { path, source: own.type!, line: own.line } : null;
  } else {
    const holder = chainTarget(index, path, line, chain.slice(0, -1), depth + 1);
    const member = holder ? memberOf(index, holder, chain.at(-1)!.name, depth + 1) : null;
    if (member && "binding" in member) source = { path: member.path, source: member.binding.source, line: member.binding.line };
    const typed = member && "definitions" in member ? member.definitions.find((definition) => definition.type) : undefined;
    if (typed) source = { path: typed.path, source: typed.type!, line: typed.line };
  }
  if (!source) return null;
  if (source.source.kind === "type") return { path: source.path, text: source.source.text, line: source.line };
  const inner = source.source.kind === "value" ? chainOf(source.source.text, source.source.text.length) : null;
  return inner ? declaredType(index, source.path, source.line, inner, depth + 1) : null;
}

/** What iterating a value of this type yields: `T[]`, and the standard library's sequences of one type argument. */
function elementType(text: string): string | null {
  const type = text.trim();
  if (type.endsWith("[]")) return type.slice(0, -2).replace(/^\((.*)\)$/s, "$1");
  const generic = /^(?:Array|ReadonlyArray|Set|ReadonlySet|Iterable|IterableIterator|AsyncIterable|AsyncIterableIterator|Generator|AsyncGenerator)\s*<([\s\S]*)>$/.exec(type);
  // Python's typing: `List[T]`, `list[T]`, `Sequence[T]`, ...
  const subscripted = /^(?:typing\.)?(?:List|list|Sequence|Iterable|Iterator|Set|set|FrozenSet|frozenset|Collection|Deque|deque)\[([\s\S]*)\]$/.exec(type);
  const inner = generic?.[1] ?? subscripted?.[1];
  return inner ? topLevelSplit(inner, ",")[0] ?? null : null;
}

/** A type as written in `path`: each alternative of a union in turn, generics and array-free. The same type text
 *  in the same file means the same wherever it is written (bar `typeof value`): cached until the index changes. */
function typeTarget(index: TagIndex, path: string, text: string, line: number, depth: number): Target | null {
  if (depth > maxDepth) return null;
  if (text.includes("typeof")) return findTypeTarget(index, path, text, line, depth);
  return index.cachedDerived(`type\0${path}\0${text}`, () => findTypeTarget(index, path, text, line, depth));
}

/** A union's or intersection's named parts together: a member of any of them is a member of the value. */
function findTypeTarget(index: TagIndex, path: string, text: string, line: number, depth: number): Target | null {
  const definitions: LocatedDefinition[] = [];
  let module: Target | null = null;
  for (const alternative of topLevelSplit(text.trim(), "|&")) {
    const type = bareType(alternative);
    if (!type || type.endsWith("]") || /^["'`\d{[]/.test(type)) continue;
    const found = namedType(index, path, type, line, depth + 1);
    if (found && "definitions" in found) definitions.push(...found.definitions);
    else module ??= found;
  }
  return definitions.length > 0 ? { definitions } : module;
}

/** A type without what does not change its members: parentheses, `readonly`, Python's quotes (a forward
 *  reference) and `Optional[...]`. */
function bareType(written: string): string {
  let type = written.trim();
  for (let previous = ""; previous !== type; ) {
    previous = type;
    if (type.startsWith("(") && type.endsWith(")")) type = type.slice(1, -1).trim();
    if (/^(["']).*\1$/s.test(type)) type = type.slice(1, -1).trim();
    type = type.replace(/^readonly\s+/, "").replace(/^(?:typing\.)?Optional\[([\s\S]*)\]$/, "$1").trim();
  }
  return type;
}

function namedType(index: TagIndex, path: string, type: string, line: number, depth: number): Target | null {
  const typeOf = /^typeof\s+(.+)$/.exec(type);
  if (typeOf) {
    const chain = chainOf(typeOf[1]!, typeOf[1]!.length);
    return chain ? chainTarget(index, path, line, chain, depth + 1) : null;
  }
  const imported = /^import\s*\(\s*["']([^"']+)["']\s*\)\s*(?:\.\s*(.*))?$/s.exec(type);
  let target: Target | null;
  let names: string[];
  if (imported) {
    const files = modules(index, path, imported[1]!);
    if (files.length === 0) return null;
    target = { module: files };
    names = qualifiedName(imported[2] ?? "");
  } else {
    names = qualifiedName(type);
    const first = names.shift();
    if (!first) return null;
    target = typeNamed(index, path, first, depth + 1);
  }
  for (const name of names) {
    const member = target ? memberOf(index, target, name, depth + 1) : null;
    target = member ? memberTarget(index, member, false, depth + 1) : null;
  }
  return target && "definitions" in target ? aliasTarget(index, target, depth + 1) : target;
}

/** `A.B.C<T>` → [A, B, C]; anything that is not a plain qualified name → []. */
function qualifiedName(text: string): string[] {
  const bare = text.replace(/<[\s\S]*$/, "").trim();
  return /^[\w$]+(\s*\.\s*[\w$]+)*$/.test(bare) ? bare.split(".").map((part) => part.trim()) : [];
}

/** A type name in a file: its own module-level declaration (a `@typedef` too), else what its imports bring. */
function typeNamed(index: TagIndex, path: string, name: string, depth: number): Target | null {
  const tags = index.tagsOf(path);
  const link = tags?.links.find((candidate) => candidate.local === name && candidate.from !== "");
  if (!link) {
    const own = moduleLevel(index, path, name);
    return own.length > 0 ? { definitions: own } : null;
  }
  if (link.imported === "*") {
    const files = modules(index, path, link.from);
    const whole = exported(index, files, "default");
    return whole.length > 0 ? { definitions: whole } : files.length > 0 ? { module: files } : null;
  }
  const found = follow(index, path, link, 0);
  return found.length > 0 ? { definitions: found } : null;
}

/** A type alias (`type X = Y`, `@typedef {Y} X`) stands for the type it names, when that is a named type. */
function aliasTarget(index: TagIndex, target: { definitions: LocatedDefinition[] }, depth: number): Target {
  const [first] = target.definitions;
  if (depth > maxDepth || first?.kind !== "type" || !first.type) return target;
  return typeTarget(index, first.path, first.type.text, first.line, depth + 1) ?? target;
}

/** `name` as a member of the target: a module's export; a definition declared inside the target (directly), or a
 *  `this.name = ...` in its body; else a member of what it extends or of its declared type. */
function memberOf(index: TagIndex, target: Target, name: string, depth: number): Member | null {
  if (depth > maxDepth) return null;
  if ("module" in target) {
    const found = index.cachedDerived(`exported\0${target.module.join("\0")}\0${name}`, () => exported(index, target.module, name));
    if (found.length > 0) return { definitions: found };
    // A CommonJS module whose `module.exports = Class` stands for that class.
    const whole = exported(index, target.module, "default").filter((definition) => containerKinds.has(definition.kind));
    return whole.length > 0 ? memberOf(index, { definitions: whole }, name, depth + 1) : null;
  }
  for (const holder of target.definitions) {
    const inside = (line: number) => holder.line <= line && line <= holder.endLine;
    const own = index.definitionsIn(holder.path, name).filter((definition) => definition.container === holder.name && inside(definition.line)).map((definition) => ({ ...definition, path: holder.path }));
    if (own.length > 0) return { definitions: own };
    const key = name.startsWith("[") ? `this${name}` : `this.${name}`;
    const assigned = bindingsNamed(index, holder.path, key).find((binding) => inside(binding.line));
    if (assigned) return { binding: assigned, path: holder.path };
  }
  for (const holder of target.definitions) {
    const inherited = [...(holder.bases ?? []), ...(holder.kind === "type" && holder.type?.kind === "type" ? [holder.type.text] : [])];
    for (const base of inherited) {
      const baseTarget = typeTarget(index, holder.path, base, holder.line, depth + 1);
      const found = baseTarget ? memberOf(index, baseTarget, name, depth + 1) : null;
      if (found) return found;
    }
  }
  return null;
}

function memberTarget(index: TagIndex, member: Member, called: boolean, depth: number): Target | null {
  if ("binding" in member) return sourceTarget(index, member.path, member.binding.source, member.binding.line, called, depth + 1);
  return definitionsTarget(index, member.definitions, called, depth + 1);
}

/** Splits at the top level (outside brackets) on any of `separators`. */
function topLevelSplit(text: string, separators: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let at = 0; at < text.length; at++) {
    const char = text[at]!;
    if ("(<[{".includes(char)) depth++;
    else if (")>]}".includes(char) && !(char === ">" && text[at - 1] === "=")) depth--;
    else if (depth === 0 && separators.includes(char)) {
      parts.push(text.slice(start, at));
      start = at + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((part) => part.trim()).filter(Boolean);
}

const identifierChar = /[\w$#]/;
/** How far back a receiver is read: a chain longer than this is not a receiver worth resolving. */
const maxReceiverChars = 400;

/** The member chain that ends at `end` in `text` (`a.b(...)?.[k].c`), read backwards: names, `[key]`s and calls
 *  (their arguments skipped), across lines (`z\n  .object(`). Null when what ends there is not such a chain. */
export function chainOf(text: string, end: number): Segment[] | null {
  const segments: Segment[] = [];
  const limit = Math.max(0, end - maxReceiverChars);
  let at = end;
  for (;;) {
    at = skipSpace(text, at, limit);
    if (text[at - 1] === "!") at--;
    let call = false;
    if (text[at - 1] === ")") {
      const open = opening(text, at - 1, "(", ")", limit);
      if (open < 0) return null;
      at = skipSpace(text, open, limit);
      if (text[at - 1] === "." && text[at - 2] === "?") at = skipSpace(text, at - 2, limit);
      call = true;
    }
    let name: string;
    if (text[at - 1] === "]") {
      const open = opening(text, at - 1, "[", "]", limit);
      if (open < 0) return null;
      name = text.slice(open, at);
      at = open;
    } else {
      let start = at;
      while (start > limit && identifierChar.test(text[start - 1]!)) start--;
      if (start === at || /^\d/.test(text.slice(start, at))) return null;
      name = text.slice(start, at);
      at = start;
    }
    segments.unshift({ name, call });
    if (name.startsWith("[")) {
      // `object[key]` or `object?.[key]`: the object comes right before
      if (text[at - 1] === "." && text[at - 2] === "?") at -= 2;
      continue;
    }
    const before = skipSpace(text, at, limit);
    if (text[before - 1] !== ".") break;
    at = text[before - 2] === "?" ? before - 2 : before - 1;
    if (text[at - 1] === ".") return null; // a spread `...x`
  }
  return segments;
}

/** The receiver of a member written at `nameStart` (`recv.name`, `recv?.name`, `recv\n  .name`), or null. */
export function receiverOf(text: string, nameStart: number): Segment[] | null {
  const before = skipSpace(text, nameStart, Math.max(0, nameStart - maxReceiverChars));
  if (text[before - 1] !== "." || text[before - 2] === ".") return null;
  return chainOf(text, text[before - 2] === "?" ? before - 2 : before - 1);
}

function skipSpace(text: string, at: number, limit: number): number {
  while (at > limit && /\s/.test(text[at - 1]!)) at--;
  return at;
}

/** The index of the bracket that opens the one closing at `close`, or -1. */
function opening(text: string, close: number, open: string, shut: string, limit: number): number {
  let depth = 0;
  for (let at = close; at >= limit; at--) {
    if (text[at] === shut) depth++;
    else if (text[at] === open && --depth === 0) return at;
  }
  return -1;
}

// The names a file takes from modules, and the APIs its calls reach through them: with `import torch.distributed
// as dist`, the call `dist.all_reduce(g)` uses the API `torch.distributed.all_reduce`. Knows names, not syntax.

export class Bindings {
  private readonly names = new Map<string, string>();

  /** `separator` joins a module and a name ("." or "::"); `isGlobal` tells names every file can use (fetch, print). */
  constructor(
    private readonly separator: string,
    private readonly isGlobal: (root: string) => boolean,
  ) {}

  bind(local: string, target: string): void {
    this.names.set(local, target);
  }

  has(local: string): boolean {
    return this.names.has(local);
  }

  /** The API a chain of names reaches, at most three names past its module; null when its first name comes from
   *  neither an import nor the globals (a local variable's method is not an API). */
  qualify(chain: readonly string[]): string | null {
    const [root, ...rest] = chain;
    if (root === undefined) return null;
    const target = this.names.get(root) ?? (this.isGlobal(root) ? root : null);
    return target === null ? null : [target, ...rest.slice(0, 3)].join(this.separator);
  }
}

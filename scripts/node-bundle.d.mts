import type { BuildOptions } from "esbuild";

export declare const nodeBundle: BuildOptions;
export declare const activationBanner: { js: string };
export declare const activationFooter: { js: string };

// Where the program and pack processes keep their compile cache (compile-cache.js says what it
// records and why a cached compile gives the verdict a fresh one would), and how they are told.
import * as path from "path";

/** Inside this repository, beside other tools' caches; node_modules/ is ignored by git. */
export const DEFAULT_COMPILE_CACHE_DIR = path.resolve(__dirname, "..", "..", "node_modules", ".cache", "continuity-check", "compile");

const PRELOAD = path.join(__dirname, "compile-cache.js");
/** Preloaded first, whatever the cache setting: it changes nothing a program or pack can observe (lean-sdk.js). */
const LEAN_SDK = path.join(__dirname, "lean-sdk.js");

/** The cache directory, or undefined when CONTINUITY_CHECK_CACHE=off. */
export function compileCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
    if (env.CONTINUITY_CHECK_CACHE === "off") return undefined;
    return env.CONTINUITY_CHECK_CACHE_DIR ? path.resolve(env.CONTINUITY_CHECK_CACHE_DIR) : DEFAULT_COMPILE_CACHE_DIR;
}

/**
 * The check's own sources, transpiled once: under `ts-node --transpile-only` every file of
 * tools/check is otherwise transpiled again at every start. Call before importing the rest.
 */
export function cacheOwnSources(env: NodeJS.ProcessEnv = process.env): void {
    const dir = compileCacheDir(env);
    if (dir) (require(PRELOAD) as { cacheRegisteredService(dir: string): void }).cacheRegisteredService(dir);
}

/**
 * The node arguments and environment of a program or pack process: lean-sdk.js, and the compile
 * cache. CONTINUITY_CHECK_CACHE_DIR moves the cache; CONTINUITY_CHECK_CACHE=off turns it off (every
 * process then type-checks from scratch, as the CLI does).
 */
export function childLaunch(env: NodeJS.ProcessEnv = process.env): { nodeArgs: string[]; env: Record<string, string> } {
    // For profiling: V8 CPU profiles of every program and pack process.
    const profile = env.CONTINUITY_CHECK_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(env.CONTINUITY_CHECK_CPU_PROF)}`] : [];
    const lean = ["-r", LEAN_SDK];
    const dir = compileCacheDir(env);
    if (!dir) return { nodeArgs: [...profile, ...lean], env: {} };
    // lean-sdk.js first: compile-cache.js puts back the module loader it found once ts-node is in.
    return { nodeArgs: [...profile, ...lean, "-r", PRELOAD], env: { CONTINUITY_COMPILE_CACHE: dir } };
}

// The real `pulumi preview` of a program, for the conformance suite: the CLI built from its Go
// modules, a local file backend and passphrase secrets in a temporary directory, stand-in provider
// plugins (and the stand-in language host where the real one cannot be built).
//
//   npm run -s conformance:preview -- <program dir> --stack <stack> [pulumi preview flags…]
//
// The program is copied to the temporary directory (stack init must not touch the repository's
// stack files), with node_modules linked to this repository's when it has none of its own.
// Relative --policy-pack / --policy-pack-config paths resolve from the program directory, as the
// CLI resolves them from its --cwd. Prints the CLI's stdout and exits with its exit code.
//
// Secrets. The temporary stack uses the passphrase provider (PULUMI_CONFIG_PASSPHRASE, default
// "conformance"). A stack file whose `secure:` values the check cannot decrypt either (another
// secrets provider: Pulumi Cloud, a KMS) cannot be decrypted by this CLI; its secure keys are set
// again in the copy with `pulumi config set --secret <key> <value>`, the value being exactly what the
// check gives the program in their place (SECRET_PLACEHOLDER in each secure leaf). A case may also
// set secrets of its own (`secrets`): the CLI encrypts them into the copy's stack file, where the
// check, given the same passphrase, decrypts them.
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { isMap, isScalar, parseDocument } from "yaml";
import { readStackConfig } from "../check/stackConfig";
import { buildConformanceTools, ConformanceBuildError } from "./build";

const ROOT = path.resolve(__dirname, "..", "..");

/** Never copied: installed packages (linked instead), VCS data, caches, reports and mutation-testing sandboxes. */
const notCopied = (name: string) => ["node_modules", ".git", ".cache", "reports"].includes(name) || name.startsWith(".stryker-tmp");

export const DEFAULT_PASSPHRASE = "conformance";

export interface PreviewRun {
    status: number | null;
    stdout: string;
    stderr: string;
    /** The run was stopped after `timeoutSeconds`. */
    timedOut?: boolean;
    seconds: number;
}

export interface PreviewOptions {
    /** Extra environment for the CLI (and everything it starts); a key set to undefined is removed. */
    env?: NodeJS.ProcessEnv;
    /** The environment of `pulumi stack init` and `config set` instead of `env` (e.g. the right passphrase). */
    prepareEnv?: NodeJS.ProcessEnv;
    /** Secret config to set into the stack with `pulumi config set --secret` before the preview. */
    secrets?: Record<string, string>;
    /** Stop the CLI after this many seconds (SIGINT, as Ctrl-C; SIGKILL 15 s later). */
    timeoutSeconds?: number;
}

/** A program copied into a temporary directory with its stack initialised, ready for `pulumi preview`. */
export interface PreparedProgram {
    /** The copy of the program directory. */
    dir: string;
    /** The directory of the built CLI and the stand-ins. */
    bin: string;
    env: NodeJS.ProcessEnv;
    pulumi(args: string[]): { status: number | null; stdout: string; stderr: string };
    cleanup(): void;
}

export class PrepareError extends Error {}

export function prepareProgram(programDir: string, stack: string, opts: PreviewOptions = {}): PreparedProgram {
    const bin = buildConformanceTools(() => undefined, { standInLanguageHost: true });
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "continuity-conformance-"));
    const dir = copyProgram(programDir, path.join(tmp, "repo"));
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        PATH: `${bin}${path.delimiter}${process.env.PATH}`,
        PULUMI_BACKEND_URL: `file://${path.join(tmp, "state")}`,
        PULUMI_HOME: path.join(tmp, "home"),
        PULUMI_CONFIG_PASSPHRASE: DEFAULT_PASSPHRASE,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        // The stand-in provider reads the stack's answers file (Pulumi.<stack>.invokes.yaml) as the check does.
        PULUMI_STACK_FOR_CONFORMANCE: stack,
    };
    fs.mkdirSync(path.join(tmp, "state"));
    const prepareEnv = withEnv(env, opts.prepareEnv ?? opts.env);
    const pulumi = (args: string[]) =>
        spawnSync(path.join(bin, "pulumi"), args, { cwd: dir, env: prepareEnv, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    const cleanup = () => fs.rmSync(tmp, { recursive: true, force: true });
    try {
        const replaced = replaceUndecryptableSecrets(programDir, dir, stack, prepareEnv);
        const init = pulumi(["stack", "init", stack, "--non-interactive"]);
        if (init.status !== 0) throw new PrepareError(`pulumi stack init ${stack} failed:\n${(init.stdout + init.stderr).trim()}`);
        for (const [key, value] of Object.entries({ ...replaced, ...opts.secrets })) {
            const set = pulumi(["config", "set", "--secret", "--stack", stack, "--", key, value]);
            if (set.status !== 0) throw new PrepareError(`pulumi config set --secret ${key} failed:\n${(set.stdout + set.stderr).trim()}`);
        }
    } catch (e) {
        cleanup();
        throw e;
    }
    return { dir, bin, env: withEnv(env, opts.env), pulumi, cleanup };
}

/** `base` with `extra` over it; a key whose value is undefined is removed. */
function withEnv(base: NodeJS.ProcessEnv, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const env = { ...base, ...extra };
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
    return env;
}

/**
 * Copies the program to `shadow`. A program inside this repository keeps its place: it is copied to
 * the same relative path, and every other entry along that path is a link to the original, so that
 * paths leading out of the program (`main: ../../infra/index.ts`, a sibling file) and the search for
 * node_modules find what they find in the repository. Returns the copy's directory.
 */
function copyProgram(programDir: string, shadow: string): string {
    const rel = path.relative(ROOT, programDir);
    const inside = !rel.startsWith("..") && !path.isAbsolute(rel);
    const dir = inside ? path.join(shadow, rel) : path.join(shadow, path.basename(programDir));
    fs.cpSync(programDir, dir, { recursive: true, filter: (src) => !notCopied(path.basename(src)) });
    const own = path.join(programDir, "node_modules");
    if (fs.existsSync(own)) fs.symlinkSync(own, path.join(dir, "node_modules"));
    if (!inside) {
        if (!fs.existsSync(own)) fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
        return dir;
    }
    let from = ROOT;
    let to = shadow;
    for (const segment of [...rel.split(path.sep).filter(Boolean), ""]) {
        for (const entry of fs.readdirSync(from)) {
            const skipped = from === ROOT && entry !== "node_modules" && notCopied(entry);
            if (entry !== segment && !skipped && !fs.existsSync(path.join(to, entry)))
                fs.symlinkSync(path.join(from, entry), path.join(to, entry));
        }
        if (segment === "") break;
        from = path.join(from, segment);
        to = path.join(to, segment);
    }
    return dir;
}

/**
 * For a stack whose secrets provider is not the passphrase (the check passes placeholders there):
 * removes its secure keys and the provider's settings from the copy's stack file and returns the
 * keys with the values the check gives the program, to be set again as passphrase secrets.
 */
function replaceUndecryptableSecrets(programDir: string, copyDir: string, stack: string, env: NodeJS.ProcessEnv): Record<string, string> {
    const ours = readStackConfig(programDir, stack, env);
    if (ours.secretsProvider === "passphrase" || ours.placeholderKeys.length === 0) return {};
    const file = path.join(copyDir, `Pulumi.${stack}.yaml`);
    const doc = parseDocument(fs.readFileSync(file, "utf8"));
    for (const key of ["secretsprovider", "encryptedkey", "encryptionsalt"]) doc.delete(key);
    const config = doc.get("config");
    const keys = isMap(config) ? config.items.map((item) => String(isScalar(item.key) ? item.key.value : item.key)) : [];
    const placeholders = new Set(ours.placeholderKeys);
    for (const key of keys) {
        if (placeholders.has(key.includes(":") ? key : `${ours.project}:${key}`)) doc.deleteIn(["config", key]);
    }
    fs.writeFileSync(file, doc.toString());
    return Object.fromEntries(ours.placeholderKeys.map((k) => [k, ours.config[k]]));
}

/** `pulumi preview` in a prepared program; resolves when the CLI ends or is stopped after the timeout. */
export function runPreview(
    prepared: PreparedProgram,
    stack: string,
    flags: string[],
    opts: { timeoutSeconds?: number } = {},
): Promise<PreviewRun> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
        const child = spawn(path.join(prepared.bin, "pulumi"), ["preview", "--non-interactive", "--stack", stack, ...flags], {
            cwd: prepared.dir,
            env: prepared.env,
            stdio: ["ignore", "pipe", "pipe"],
        });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout.on("data", (d: Buffer) => out.push(d));
        child.stderr.on("data", (d: Buffer) => err.push(d));
        let timedOut = false;
        const timers: NodeJS.Timeout[] = [];
        if (opts.timeoutSeconds) {
            timers.push(
                setTimeout(() => {
                    timedOut = true;
                    // As Ctrl-C. The CLI may exit without stopping a plugin busy in a call; the stand-ins follow it (standins/lifeline.ts).
                    child.kill("SIGINT");
                    timers.push(setTimeout(() => child.kill("SIGKILL"), 15_000));
                }, opts.timeoutSeconds * 1000),
            );
        }
        child.on("error", reject);
        child.on("close", (status) => {
            timers.forEach(clearTimeout);
            resolve({
                status,
                stdout: Buffer.concat(out).toString("utf8"),
                stderr: Buffer.concat(err).toString("utf8"),
                timedOut,
                seconds: (Date.now() - started) / 1000,
            });
        });
    });
}

/** Copies the program, initialises the stack, runs `pulumi preview` with `flags` and removes the copy. */
export async function realPreview(programDir: string, stack: string, flags: string[], opts: PreviewOptions = {}): Promise<PreviewRun> {
    const prepared = prepareProgram(programDir, stack, opts);
    try {
        return await runPreview(prepared, stack, absoluteFlags(programDir, flags), opts);
    } finally {
        prepared.cleanup();
    }
}

/** --policy-pack and --policy-pack-config paths made absolute against `from` (the CLI's --cwd). */
export function absoluteFlags(from: string, flags: string[]): string[] {
    return flags.map((f, i) => (["--policy-pack", "--policy-pack-config"].includes(flags[i - 1]) ? path.resolve(from, f) : f));
}

if (require.main === module) {
    const [dir, ...rest] = process.argv.slice(2);
    const i = rest.indexOf("--stack");
    if (!dir || i < 0 || !rest[i + 1]) {
        console.error("usage: npm run -s conformance:preview -- <program dir> --stack <stack> [pulumi preview flags…]");
        process.exit(2);
    }
    const stack = rest[i + 1];
    const env =
        process.env.PULUMI_CONFIG_PASSPHRASE !== undefined ? { PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE } : {};
    realPreview(path.resolve(dir), stack, [...rest.slice(0, i), ...rest.slice(i + 2)], { env }).then(
        (r) => {
            process.stdout.write(r.stdout);
            process.stderr.write(r.stderr);
            process.exit(r.status ?? 2);
        },
        (e) => {
            if (!(e instanceof ConformanceBuildError) && !(e instanceof PrepareError)) throw e;
            console.error(e.message);
            process.exit(2);
        },
    );
}

// The policy pack's process, started the way the Pulumi CLI starts a `runtime: nodejs` pack:
//   node <@pulumi/pulumi/cmd/run-policy-pack> <engine-address> . [-opt=value...]
// with cwd = the pack directory. run-policy-pack registers ts-node (typeCheck on, the pack's own
// tsconfig.json) and loads the pack; `new PolicyPack(...)` in @pulumi/policy serves the Analyzer
// service on 127.0.0.1 and prints the port as the first line of stdout. The compile cache is
// preloaded (compileCache.ts). Here: spawning, the port, the stderr tail, the start deadline and
// killing; the conversation itself is the Analyzer client's (analyzer.ts).
import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { AnalyzerConnection, ENGINE_ADDRESS_PLACEHOLDER } from "./analyzer";
import { childLaunch } from "./compileCache";
import { describeExit, ExitInfo, PolicyPackClient, PolicyPackError, StartOptions } from "./packTypes";
import { loadYaml, runPolicyPackScript } from "./pulumiInternals";
import { isRecord } from "./wire";

// Generous: the pack type-checks its sources first, which takes minutes on a loaded 2-core machine.
export const DEFAULT_PACK_START_TIMEOUT_MS = 300_000;

/**
 * The pack's CPU priority (nice value): below the program's. The program is the check's critical path,
 * and the pack mostly waits for its registrations; where cores are fewer than busy processes, it yields
 * to the program (production check on 2 cores, warm: 3.55 s -> 3.34 s, 3 runs each). The verdict does
 * not depend on it: every Analyze is still answered before AnalyzeStack.
 */
export const PACK_PRIORITY = 10;
const STDERR_TAIL_LINES = 20;
const MAX_BUFFERED_OUTPUT = 64 * 1024;
const KILL_GRACE_MS = 3_000;

const live = new Set<childProcess.ChildProcess>();
let exitHookInstalled = false;

function trackChild(child: childProcess.ChildProcess): void {
    live.add(child);
    if (!exitHookInstalled) {
        exitHookInstalled = true;
        // Never leave a pack orphaned if the host process exits without calling close().
        process.on("exit", () => {
            for (const c of live) {
                c.kill("SIGKILL");
            }
        });
    }
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

/** A running pack: its exit, its stderr tail, and killing it. */
export class PackProcess {
    readonly child: childProcess.ChildProcess;
    readonly closed: Promise<ExitInfo>;
    exit: ExitInfo | undefined;
    private stderr = "";

    constructor(child: childProcess.ChildProcess) {
        this.child = child;
        trackChild(child);
        child.stderr?.setEncoding("utf8");
        child.stderr?.on("data", (chunk: string) => {
            this.stderr += chunk;
            if (this.stderr.length > MAX_BUFFERED_OUTPUT) {
                this.stderr = this.stderr.slice(-MAX_BUFFERED_OUTPUT);
            }
        });
        // 'close' fires after the stdio streams are drained, so the stderr tail is complete.
        this.closed = new Promise<ExitInfo>((resolve) => {
            child.on("close", (code: number | null, signal: NodeJS.Signals | null) => {
                this.exit = { code, signal };
                live.delete(child);
                resolve(this.exit);
            });
            child.on("error", () => {
                // A spawn failure emits 'error' and may never emit 'close'.
                if (child.pid === undefined) {
                    this.exit = { code: null, signal: null };
                    live.delete(child);
                    resolve(this.exit);
                }
            });
        });
    }

    stderrTail(lines = STDERR_TAIL_LINES): string {
        const all = this.stderr.replace(ANSI, "").split(/\r?\n/);
        while (all.length > 0 && all[all.length - 1].trim() === "") {
            all.pop();
        }
        return all.slice(-lines).join("\n");
    }

    /** Waits up to `ms` for the process to end; true if it has. */
    async waitForExit(ms: number): Promise<boolean> {
        if (this.exit) {
            return true;
        }
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<false>((resolve) => {
            timer = setTimeout(() => resolve(false), ms);
        });
        const ended = await Promise.race([this.closed.then(() => true as const), timedOut]);
        clearTimeout(timer);
        return ended;
    }

    async kill(): Promise<void> {
        if (this.exit) {
            return;
        }
        this.child.kill("SIGTERM");
        if (!(await this.waitForExit(KILL_GRACE_MS))) {
            this.child.kill("SIGKILL");
            await this.waitForExit(KILL_GRACE_MS);
        }
    }
}

interface PolicyProject {
    runtime: string;
    runtimeOptions: Record<string, unknown>;
    version?: string;
}

function loadPolicyProject(packDir: string): PolicyProject {
    const file = path.join(packDir, "PulumiPolicy.yaml");
    if (!fs.existsSync(file)) {
        throw new Error(`${file} does not exist`);
    }
    const doc = loadYaml(fs.readFileSync(file, "utf8"));
    if (!isRecord(doc)) {
        throw new Error(`${file} is not a YAML mapping`);
    }
    let runtime = "";
    let runtimeOptions: Record<string, unknown> = {};
    if (typeof doc.runtime === "string") {
        runtime = doc.runtime;
    } else if (isRecord(doc.runtime) && typeof doc.runtime.name === "string") {
        runtime = doc.runtime.name;
        runtimeOptions = isRecord(doc.runtime.options) ? doc.runtime.options : {};
    }
    if (!runtime) {
        throw new Error(`${file} has no runtime`);
    }
    const version = typeof doc.version === "string" || typeof doc.version === "number" ? String(doc.version) : undefined;
    return { runtime, runtimeOptions, version: version || undefined };
}

function packEnv(opts: StartOptions): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    // Never let the pack dial an engine or monitor inherited from our own environment.
    for (const k of ["PULUMI_NODEJS_ENGINE", "PULUMI_NODEJS_MONITOR"]) {
        delete env[k];
    }
    const s = opts.stack;
    if (s) {
        // As the CLI does: both the PULUMI_NODEJS_* and the PULUMI_* variants.
        const set = (k: string, v: string | undefined) => {
            if (v) {
                env[`PULUMI_NODEJS_${k}`] = v;
                env[`PULUMI_${k}`] = v;
            }
        };
        set("ORGANIZATION", s.organization);
        set("PROJECT", s.project);
        set("STACK", s.stack);
        set("DRY_RUN", String(s.dryRun ?? true));
        if (s.config && Object.keys(s.config).length > 0) {
            env.PULUMI_CONFIG = JSON.stringify(s.config);
        }
    }
    return { ...env, ...opts.env };
}

/** Reads the first stdout line (the port), then keeps draining stdout so the pack never blocks. */
function firstStdoutLine(child: childProcess.ChildProcess): Promise<string> {
    return new Promise<string>((resolve) => {
        let buf = "";
        let done = false;
        child.stdout?.setEncoding("utf8");
        child.stdout?.on("data", (chunk: string) => {
            if (done) {
                return;
            }
            buf += chunk;
            const nl = buf.indexOf("\n");
            if (nl >= 0) {
                done = true;
                resolve(buf.slice(0, nl).trim());
            } else if (buf.length > MAX_BUFFERED_OUTPUT) {
                done = true;
                resolve(buf.slice(0, 200));
            }
        });
    });
}

/**
 * Starts the policy pack in `packDir` exactly as the Pulumi CLI starts a Node.js policy pack, and
 * connects to its Analyzer service. Throws PolicyPackError if it does not come up.
 */
export async function startPolicyPack(packDir: string, opts: StartOptions = {}): Promise<PolicyPackClient> {
    const dir = path.resolve(packDir);
    const timeoutMs = opts.timeoutMs ?? DEFAULT_PACK_START_TIMEOUT_MS;
    const startFailure = (why: string, tail = "") => new PolicyPackError(`policy pack ${dir} failed to start: ${why}`, dir, tail, "start");

    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
        throw startFailure("no such directory");
    }
    let project: PolicyProject;
    try {
        project = loadPolicyProject(dir);
    } catch (e) {
        throw startFailure(`could not load PulumiPolicy.yaml: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (project.runtime !== "nodejs") {
        throw startFailure(`runtime "${project.runtime}" is not supported (only nodejs packs can be started)`);
    }
    let runScript: string;
    try {
        runScript = runPolicyPackScript(dir);
    } catch {
        throw startFailure("@pulumi/pulumi/cmd/run-policy-pack cannot be resolved; are the pack's dependencies installed?");
    }

    // As the CLI does: runtime options from PulumiPolicy.yaml become -key=value arguments.
    const runtimeArgs = Object.entries(project.runtimeOptions)
        .map(([k, v]) => [k, v === undefined || v === null ? "" : String(v)])
        .filter(([, v]) => v !== "")
        .map(([k, v]) => `-${k}=${v}`);

    // lean-sdk.js and the compile cache are preloaded; run-policy-pack still registers ts-node and type-checks.
    const env = packEnv(opts);
    const cache = childLaunch(env);
    const child = childProcess.spawn(process.execPath, [...cache.nodeArgs, runScript, ENGINE_ADDRESS_PLACEHOLDER, ".", ...runtimeArgs], {
        cwd: dir,
        env: { ...env, ...cache.env },
        stdio: ["ignore", "pipe", "pipe"],
    });
    if (child.pid !== undefined) {
        try {
            os.setPriority(child.pid, PACK_PRIORITY);
        } catch {
            // not allowed here: the pack runs at the check's priority
        }
    }
    const proc = new PackProcess(child);

    let timer: NodeJS.Timeout | undefined;
    let client: AnalyzerConnection | undefined;
    const deadline = Date.now() + timeoutMs;
    try {
        const spawnError = new Promise<never>((_, reject) => {
            child.once("error", (e) => reject(startFailure(`could not spawn node: ${e.message}`)));
        });
        const exitedEarly = proc.closed.then((e): never => {
            throw startFailure(`it ${describeExit(e)} before printing its gRPC port`, proc.stderrTail());
        });
        const timedOut = new Promise<never>((_, reject) => {
            timer = setTimeout(
                () => reject(startFailure(`timed out after ${timeoutMs} ms waiting for its gRPC port`, proc.stderrTail())),
                timeoutMs,
            );
        });
        const cancelled = new Promise<never>((_, reject) => {
            const cancel = () => reject(startFailure("the check stopped it before it was ready"));
            if (opts.signal?.aborted) cancel();
            opts.signal?.addEventListener("abort", cancel, { once: true });
        });
        const line = await Promise.race([firstStdoutLine(child), spawnError, exitedEarly, timedOut, cancelled]);
        if (!/^\d+$/.test(line)) {
            throw startFailure(`it wrote an invalid port to stdout: ${JSON.stringify(line)}`, proc.stderrTail());
        }
        const exitedWhileConnecting = proc.closed.then((e): never => {
            throw startFailure(`it ${describeExit(e)} while the client was connecting to port ${line}`, proc.stderrTail());
        });
        client = new AnalyzerConnection(dir, proc, project.version, `127.0.0.1:${line}`);
        await Promise.race([client.connect(deadline, opts.stack), exitedWhileConnecting, timedOut, cancelled]);
        return client;
    } catch (e) {
        await (client ? client.close() : proc.kill());
        if (e instanceof PolicyPackError && e.reason === "start") {
            throw e;
        }
        const why = e instanceof PolicyPackError ? e.summary : e instanceof Error ? e.message : String(e);
        throw startFailure(why, proc.stderrTail());
    } finally {
        clearTimeout(timer);
    }
}

// A client that starts a Node.js Pulumi policy pack the way the Pulumi CLI does and talks to it
// over the real pulumirpc.Analyzer gRPC protocol, so a pack can be exercised without the CLI.
//
// Start-up, as the CLI does for a `runtime: nodejs` pack: spawn
//   node <@pulumi/pulumi/cmd/run-policy-pack> <engine-address> . [-opt=value...]
// with cwd = the pack directory. run-policy-pack registers ts-node (typeCheck on, the pack's own
// tsconfig.json) and loads the pack; `new PolicyPack(...)` in @pulumi/policy serves the Analyzer
// service on 127.0.0.1 and prints the port as the first line of stdout.
//
// Conversation, in the CLI's order: Handshake (UNIMPLEMENTED is fine) -> ConfigureStack (only when
// stack options are given) -> GetAnalyzerInfo -> Configure (with the reconciled policy config) ->
// Analyze per resource / AnalyzeStack once for the whole stack.

import * as childProcess from "child_process";
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";

import Ajv, { ErrorObject, ValidateFunction } from "ajv";

import { compileCacheLaunch } from "./compileCache";

import type * as grpcTypes from "@grpc/grpc-js";
import type * as analyzerGrpcTypes from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type * as analyzerPbTypes from "@pulumi/pulumi/proto/analyzer_pb";
import type * as emptyPbTypes from "google-protobuf/google/protobuf/empty_pb";
import type * as structPbTypes from "google-protobuf/google/protobuf/struct_pb";

// ------------------------------------------------------------------------------------------------
// Public types
// ------------------------------------------------------------------------------------------------

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
export type PolicySeverity = "low" | "medium" | "high" | "critical";

/** The engine's wire sentinel for a value that is unknown during preview. */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Signature key / value the engine uses to mark a secret: `{ [SECRET_SIG_KEY]: SECRET_SIG, value }`. */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Wraps a wire value as a secret, the way the engine marshals it for analyzers. */
export function secretValue(value: unknown): Record<string, unknown> {
    return { [SECRET_SIG_KEY]: SECRET_SIG, value };
}

/** A wire value that is a secret: `{ [SECRET_SIG_KEY]: SECRET_SIG, value }`. */
export function isSecretValue(v: unknown): v is { value: unknown } {
    return typeof v === "object" && v !== null && !Array.isArray(v) && (v as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

/** A wire value with secrets unwrapped and undefined members dropped: what a provider sees of an invoke's arguments. */
export function unwrapSecrets(v: unknown): unknown {
    if (isSecretValue(v)) return unwrapSecrets(v.value);
    if (Array.isArray(v)) return v.map(unwrapSecrets);
    if (v !== null && typeof v === "object") {
        return Object.fromEntries(
            Object.entries(v)
                .filter(([, x]) => x !== undefined)
                .map(([k, x]) => [k, unwrapSecrets(x)]),
        );
    }
    return v;
}

/** What the engine sends for one resource. */
export interface CheckedResource {
    type: string;
    name: string;
    urn: string;
    parent?: string;
    /**
     * Wire form: unknowns as the sentinel string {@link UNKNOWN_VALUE}, secrets as
     * {@link secretValue}. Keys starting with "__" are dropped, as the CLI does.
     */
    properties: Record<string, unknown>;
    /**
     * The planned state AnalyzeStack sends (the inputs plus what the provider computes, unknown in a
     * preview: `id`, `arn` …); absent: {@link properties}.
     */
    stackProperties?: Record<string, unknown>;
    /** Read with `Resource.get`: only AnalyzeStack sees it, as with the engine. */
    external?: boolean;
    /** Sent with AnalyzeStack only (the Analyze request has no such field). */
    dependencies: string[];
    /** Sent with AnalyzeStack only; properties with no dependencies are dropped, as the CLI does. */
    propertyDependencies: Record<string, string[]>;
    provider?: { type: string; name: string; urn: string; properties: Record<string, unknown> };
    options: {
        protect?: boolean;
        ignoreChanges?: string[];
        deleteBeforeReplace?: boolean;
        aliases?: string[];
        additionalSecretOutputs?: string[];
        /** Seconds, as on the wire. */
        customTimeouts?: { create?: number; update?: number; delete?: number };
        /** Defaults to the resource's `parent`. */
        parent?: string;
        /**
         * AnalyzerResourceOptions has no dependsOn field; the engine folds dependsOn into the
         * resource's dependencies, so these URNs are merged into `dependencies` for AnalyzeStack.
         */
        dependsOn?: string[];
    };
}

export interface PolicyDiagnostic {
    policyPackName: string;
    policyPackVersion: string;
    policyName: string;
    description: string;
    message: string;
    enforcementLevel: EnforcementLevel;
    urn?: string;
    severity?: PolicySeverity;
}

/** A JSON schema (draft-07 subset) as a policy's configSchema carries it for one property. */
export type JsonSchema = Record<string, unknown>;

export interface PolicyConfigSchemaInfo {
    properties: Record<string, JsonSchema>;
    required?: string[];
}

export interface PolicyInfo {
    name: string;
    displayName?: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    configSchema?: PolicyConfigSchemaInfo;
    policyType?: "resource" | "stack";
    severity?: PolicySeverity;
}

/** One policy's effective config, as sent in Configure. */
export interface PolicyConfigEntry {
    enforcementLevel: EnforcementLevel;
    properties?: Record<string, unknown>;
}

export interface AnalyzerInfo {
    name: string;
    displayName?: string;
    /** PulumiPolicy.yaml's `version` when set, else the pack's package.json version (as the CLI does). */
    version: string;
    /** Sorted by name, as the CLI sorts them. */
    policies: PolicyInfo[];
    /** The PolicyPack constructor's initialConfig, normalised per policy. */
    initialConfig?: Record<string, PolicyConfigEntry>;
    /** False when the pack declares it takes no config; absent is treated as true. */
    supportsConfig?: boolean;
}

/**
 * The --policy-pack-config JSON file format: "all": level, or per policy either a level string or
 * an object `{ enforcementLevel?, ...properties }`.
 */
export interface PackConfig {
    [policyName: string]: unknown;
}

export type PolicyPackErrorReason = "start" | "crash" | "policy";

/** The pack failed to start, crashed, or returned an error from an RPC. */
export class PolicyPackError extends Error {
    readonly packDir: string;
    /** Last lines of the pack's stderr (ANSI colours stripped); "" when there was none. */
    readonly stderrTail: string;
    readonly reason: PolicyPackErrorReason;
    /** The message without the stderr tail. */
    readonly summary: string;
    constructor(message: string, packDir: string, stderrTail: string, reason: PolicyPackErrorReason) {
        super(stderrTail ? `${message}\n--- last lines of the policy pack's stderr ---\n${stderrTail}` : message);
        this.name = "PolicyPackError";
        this.summary = message;
        this.packDir = packDir;
        this.stderrTail = stderrTail;
        this.reason = reason;
    }
}

/** The policy config file is malformed, names unknown policies, or fails the policies' configSchema. */
export class PolicyConfigError extends Error {
    readonly problems: string[];
    constructor(message: string, problems: string[]) {
        super(problems.length > 0 ? `${message}\n${problems.map((p) => `  - ${p}`).join("\n")}` : message);
        this.name = "PolicyConfigError";
        this.problems = problems;
    }
}

/** Stack context, sent as the CLI does (ConfigureStack + PULUMI_* environment variables). */
export interface StackContext {
    organization?: string;
    project: string;
    stack: string;
    dryRun?: boolean;
    tags?: Record<string, string>;
    config?: Record<string, string>;
}

export interface StartOptions {
    /** How long to wait for the pack to print its port and accept connections. Default 300 s. */
    timeoutMs?: number;
    /** Extra environment for the pack process (merged over this process's environment). */
    env?: NodeJS.ProcessEnv;
    /** When given, ConfigureStack is called and PULUMI_{ORGANIZATION,PROJECT,STACK,DRY_RUN,CONFIG} are set. */
    stack?: StackContext;
    /** Aborting stops a pack that is still starting (the caller no longer needs it). */
    signal?: AbortSignal;
}

export interface PolicyPackClient {
    readonly packDir: string;
    getAnalyzerInfo(): Promise<AnalyzerInfo>;
    /**
     * Reconciles `config` with the pack's policies as the CLI does (see {@link reconcilePolicyConfig})
     * and sends the result with Configure. Throws PolicyConfigError for a bad config.
     */
    configure(config: PackConfig | undefined, info: AnalyzerInfo): Promise<Record<string, PolicyConfigEntry>>;
    /** One Analyze call per resource; each diagnostic's urn defaults to the resource's. */
    analyze(resources: CheckedResource[]): Promise<PolicyDiagnostic[]>;
    /** One AnalyzeStack call with every resource. */
    analyzeStack(resources: CheckedResource[]): Promise<PolicyDiagnostic[]>;
    /** Kills the pack process. Safe to call more than once. */
    close(): Promise<void>;
}

// ------------------------------------------------------------------------------------------------
// Generated stubs and gRPC, loaded from @pulumi/pulumi's own dependency tree so that the message
// classes, google-protobuf and grpc-js instances all match the stubs (they use instanceof checks).
// ------------------------------------------------------------------------------------------------

interface Proto {
    grpc: typeof grpcTypes;
    rpc: typeof analyzerGrpcTypes;
    pb: typeof analyzerPbTypes;
    struct: typeof structPbTypes;
    empty: typeof emptyPbTypes;
}

let protoCache: Proto | undefined;

function proto(): Proto {
    if (!protoCache) {
        const stubPath = require.resolve("@pulumi/pulumi/proto/analyzer_grpc_pb");
        const fromStubs = createRequire(stubPath);
        protoCache = {
            grpc: fromStubs("@grpc/grpc-js") as typeof grpcTypes,
            rpc: fromStubs("./analyzer_grpc_pb") as typeof analyzerGrpcTypes,
            pb: fromStubs("./analyzer_pb") as typeof analyzerPbTypes,
            struct: fromStubs("google-protobuf/google/protobuf/struct_pb") as typeof structPbTypes,
            empty: fromStubs("google-protobuf/google/protobuf/empty_pb") as typeof emptyPbTypes,
        };
    }
    return protoCache;
}

// ------------------------------------------------------------------------------------------------
// Process management
// ------------------------------------------------------------------------------------------------

/**
 * run-policy-pack shifts this argument off and never dials it; the SDK only connects to an engine
 * named by PULUMI_NODEJS_ENGINE, which we keep out of the pack's environment.
 */
const ENGINE_ADDRESS_PLACEHOLDER = "127.0.0.1:0";
// Generous: the pack type-checks its sources first, which takes minutes on a loaded 2-core machine.
export const DEFAULT_PACK_START_TIMEOUT_MS = 300_000;
const STDERR_TAIL_LINES = 20;
const MAX_BUFFERED_OUTPUT = 64 * 1024;
const KILL_GRACE_MS = 3_000;
/** The CLI and the SDK's server both raise gRPC's message limit to 400 MB. */
const MAX_RPC_MESSAGE_SIZE = 400 * 1024 * 1024;

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

interface ExitInfo {
    code: number | null;
    signal: NodeJS.Signals | null;
}

function describeExit(e: ExitInfo): string {
    return e.signal ? `was killed by ${e.signal}` : `exited with code ${e.code}`;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

class PackProcess {
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

interface YamlModule {
    load(text: string): unknown;
}

function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function loadPolicyProject(packDir: string): PolicyProject {
    const file = path.join(packDir, "PulumiPolicy.yaml");
    if (!fs.existsSync(file)) {
        throw new Error(`${file} does not exist`);
    }
    // js-yaml is a dependency of @pulumi/pulumi; load it from there.
    const yaml = createRequire(require.resolve("@pulumi/pulumi"))("js-yaml") as YamlModule;
    const doc = yaml.load(fs.readFileSync(file, "utf8"));
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

function resolveRunPolicyPack(packDir: string): string {
    try {
        return require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
    } catch {
        return require.resolve("@pulumi/pulumi/cmd/run-policy-pack");
    }
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
    const startFailure = (why: string, tail = "") =>
        new PolicyPackError(`policy pack ${dir} failed to start: ${why}`, dir, tail, "start");

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
        runScript = resolveRunPolicyPack(dir);
    } catch {
        throw startFailure("@pulumi/pulumi/cmd/run-policy-pack cannot be resolved; are the pack's dependencies installed?");
    }

    // As the CLI does: runtime options from PulumiPolicy.yaml become -key=value arguments.
    const runtimeArgs = Object.entries(project.runtimeOptions)
        .map(([k, v]) => [k, v === undefined || v === null ? "" : String(v)])
        .filter(([, v]) => v !== "")
        .map(([k, v]) => `-${k}=${v}`);

    // The compile cache is preloaded; run-policy-pack still registers ts-node and type-checks (compile-cache.js).
    const env = packEnv(opts);
    const cache = compileCacheLaunch(env);
    const child = childProcess.spawn(process.execPath, [...cache.nodeArgs, runScript, ENGINE_ADDRESS_PLACEHOLDER, ".", ...runtimeArgs], {
        cwd: dir,
        env: { ...env, ...cache.env },
        stdio: ["ignore", "pipe", "pipe"],
    });
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

// ------------------------------------------------------------------------------------------------
// The client
// ------------------------------------------------------------------------------------------------

type Callback<T> = (err: grpcTypes.ServiceError | null, res: T) => void;

const LEVEL_TO_WIRE: Record<EnforcementLevel, number> = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 };
const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

function levelFromWire(n: number): EnforcementLevel {
    const found = (Object.keys(LEVEL_TO_WIRE) as EnforcementLevel[]).find((k) => LEVEL_TO_WIRE[k] === n);
    if (!found) {
        throw new Error(`invalid enforcement level ${n}`);
    }
    return found;
}

function severityFromWire(n: number): PolicySeverity | undefined {
    return (["low", "medium", "high", "critical"] as const)[n - 1];
}

function isLevel(v: unknown): v is EnforcementLevel {
    return typeof v === "string" && (LEVELS as readonly string[]).includes(v);
}

const ANALYZE_CONCURRENCY = 16;

/** The fields AnalyzeRequest and AnalyzerResource share. */
interface ResourceMessage {
    setType(v: string): unknown;
    setName(v: string): unknown;
    setUrn(v: string): unknown;
    setProperties(v: ReturnType<typeof wireStruct>): unknown;
    setOptions(v: ReturnType<typeof wireOptions>): unknown;
    setProvider(v: NonNullable<ReturnType<typeof wireProvider>>): unknown;
}

function describeResource<M extends ResourceMessage>(message: M, r: CheckedResource): M {
    message.setType(r.type);
    message.setName(r.name);
    message.setUrn(r.urn);
    message.setProperties(wireStruct(r.properties, r.urn));
    message.setOptions(wireOptions(r));
    const provider = wireProvider(r);
    if (provider) {
        message.setProvider(provider);
    }
    return message;
}

class AnalyzerConnection implements PolicyPackClient {
    readonly packDir: string;
    private readonly proc: PackProcess;
    private readonly yamlVersion: string | undefined;
    private readonly client: analyzerGrpcTypes.AnalyzerClient;
    private info: AnalyzerInfo | undefined;
    private configured = false;
    private closing: Promise<void> | undefined;

    constructor(packDir: string, proc: PackProcess, yamlVersion: string | undefined, address: string) {
        this.packDir = packDir;
        this.proc = proc;
        this.yamlVersion = yamlVersion;
        const { grpc, rpc } = proto();
        this.client = new rpc.AnalyzerClient(address, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": MAX_RPC_MESSAGE_SIZE,
            "grpc.max_send_message_length": MAX_RPC_MESSAGE_SIZE,
        });
    }

    async connect(deadline: number, stack: StackContext | undefined): Promise<void> {
        const { grpc, pb } = proto();
        await new Promise<void>((resolve, reject) =>
            this.client.waitForReady(deadline, (err) => (err ? reject(err) : resolve())),
        );
        const hs = new pb.AnalyzerHandshakeRequest();
        hs.setEngineAddress(ENGINE_ADDRESS_PLACEHOLDER);
        hs.setRootDirectory(this.packDir);
        hs.setProgramDirectory(this.packDir);
        await this.call<analyzerPbTypes.AnalyzerHandshakeResponse>("Handshake", (cb) => this.client.handshake(hs, cb), [
            grpc.status.UNIMPLEMENTED,
        ]);
        if (stack) {
            const req = new pb.AnalyzerStackConfigureRequest();
            req.setStack(stack.stack);
            req.setProject(stack.project);
            req.setOrganization(stack.organization ?? "");
            req.setDryRun(stack.dryRun ?? true);
            for (const [k, v] of Object.entries(stack.tags ?? {})) {
                req.getTagsMap().set(k, v);
            }
            for (const [k, v] of Object.entries(stack.config ?? {})) {
                req.getConfigMap().set(k, v);
            }
            await this.call<analyzerPbTypes.AnalyzerStackConfigureResponse>(
                "ConfigureStack",
                (cb) => this.client.configureStack(req, cb),
                [grpc.status.UNIMPLEMENTED],
            );
        }
    }

    async getAnalyzerInfo(): Promise<AnalyzerInfo> {
        const { empty } = proto();
        const resp = await this.call<analyzerPbTypes.AnalyzerInfo>("GetAnalyzerInfo", (cb) =>
            this.client.getAnalyzerInfo(new empty.Empty(), cb),
        );
        const supportsConfig = resp.getSupportsconfig();
        const policies: PolicyInfo[] = resp.getPoliciesList().map((p) => {
            const info: PolicyInfo = {
                name: p.getName(),
                description: p.getDescription(),
                enforcementLevel: levelFromWire(p.getEnforcementlevel()),
            };
            if (p.getDisplayname()) {
                info.displayName = p.getDisplayname();
            }
            const schema = p.getConfigschema();
            if (supportsConfig && schema) {
                const props = schema.getProperties()?.toJavaScript() ?? {};
                const properties: Record<string, JsonSchema> = {};
                for (const [k, v] of Object.entries(props)) {
                    properties[k] = isRecord(v) ? v : {};
                }
                info.configSchema = { properties };
                if (schema.getRequiredList().length > 0) {
                    info.configSchema.required = schema.getRequiredList();
                }
            }
            const type = p.getPolicyType();
            if (type === 1) {
                info.policyType = "resource";
            } else if (type === 2) {
                info.policyType = "stack";
            }
            const severity = severityFromWire(p.getSeverity());
            if (severity) {
                info.severity = severity;
            }
            return info;
        });
        policies.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

        let initialConfig: Record<string, PolicyConfigEntry> | undefined;
        resp.getInitialconfigMap().forEach((v, k) => {
            initialConfig = initialConfig ?? {};
            // A missing level decodes as 0 = advisory, exactly as the CLI reads it.
            const entry: PolicyConfigEntry = { enforcementLevel: levelFromWire(v.getEnforcementlevel()) };
            const props = v.getProperties();
            if (props) {
                entry.properties = props.toJavaScript();
            }
            initialConfig[k] = entry;
        });

        const info: AnalyzerInfo = {
            name: resp.getName(),
            version: this.yamlVersion ?? resp.getVersion(),
            policies,
            supportsConfig,
        };
        if (resp.getDisplayname()) {
            info.displayName = resp.getDisplayname();
        }
        if (initialConfig) {
            info.initialConfig = initialConfig;
        }
        this.info = info;
        return info;
    }

    async configure(config: PackConfig | undefined, info: AnalyzerInfo): Promise<Record<string, PolicyConfigEntry>> {
        if (info.supportsConfig === false) {
            if (config && Object.keys(config).length > 0) {
                throw new PolicyConfigError(`policy pack "${info.name}" at ${this.packDir} does not support config`, []);
            }
            this.configured = true;
            return Object.fromEntries(info.policies.map((p) => [p.name, { enforcementLevel: p.enforcementLevel }]));
        }
        const reconciled = reconcilePolicyConfig(info, config);
        const names = Object.keys(reconciled);
        if (names.length === 0) {
            this.configured = true;
            return reconciled;
        }
        const { pb, struct } = proto();
        const req = new pb.ConfigureAnalyzerRequest();
        for (const name of names) {
            const entry = reconciled[name];
            const pc = new pb.PolicyConfig();
            pc.setEnforcementlevel(LEVEL_TO_WIRE[entry.enforcementLevel]);
            // Always send a Struct: the SDK's Configure handler reads it unconditionally.
            pc.setProperties(struct.Struct.fromJavaScript(toWireObject(entry.properties ?? {}, `${name}.`)));
            req.getPolicyconfigMap().set(name, pc);
        }
        await this.call<emptyPbTypes.Empty>("Configure", (cb) => this.client.configure(req, cb));
        this.configured = true;
        return reconciled;
    }

    async analyze(resources: CheckedResource[]): Promise<PolicyDiagnostic[]> {
        await this.ensureConfigured();
        const { pb } = proto();
        // Several calls in flight hide the round trips; results keep the resources' order.
        // The engine calls Analyze for the resources the program registers, not for those it reads.
        resources = resources.filter((r) => !r.external);
        const results: PolicyDiagnostic[][] = new Array(resources.length);
        let next = 0;
        const worker = async () => {
            while (next < resources.length) {
                const i = next++;
                const r = resources[i];
                const req = describeResource(new pb.AnalyzeRequest(), r);
                const resp = await this.call<analyzerPbTypes.AnalyzeResponse>(`Analyze(${r.urn})`, (cb) =>
                    this.client.analyze(req, cb),
                );
                results[i] = this.diagnostics(resp, r.urn);
            }
        };
        await Promise.all(Array.from({ length: Math.min(ANALYZE_CONCURRENCY, resources.length) }, worker));
        return results.flat();
    }

    async analyzeStack(resources: CheckedResource[]): Promise<PolicyDiagnostic[]> {
        await this.ensureConfigured();
        const { pb } = proto();
        // Only the resources the program registers: the engine keeps those it reads (Resource.get) apart (step_executor.go: reads, not news).
        resources = resources.filter((r) => !r.external);
        const req = new pb.AnalyzeStackRequest();
        req.setResourcesList(
            resources.map((r) => {
                const ar = describeResource(new pb.AnalyzerResource(), { ...r, properties: r.stackProperties ?? r.properties });
                ar.setParent(r.parent ?? "");
                ar.setDependenciesList([...new Set([...r.dependencies, ...(r.options.dependsOn ?? [])])]);
                for (const [k, urns] of Object.entries(r.propertyDependencies)) {
                    if (urns.length === 0) {
                        continue;
                    }
                    const deps = new pb.AnalyzerPropertyDependencies();
                    deps.setUrnsList(urns);
                    ar.getPropertydependenciesMap().set(k, deps);
                }
                return ar;
            }),
        );
        const resp = await this.call<analyzerPbTypes.AnalyzeResponse>("AnalyzeStack", (cb) =>
            this.client.analyzeStack(req, cb),
        );
        return this.diagnostics(resp, undefined);
    }

    close(): Promise<void> {
        if (!this.closing) {
            this.closing = (async () => {
                this.client.close();
                await this.proc.kill();
            })();
        }
        return this.closing;
    }

    private async ensureConfigured(): Promise<void> {
        // The CLI always configures a pack (schema defaults included) before analysing anything.
        if (!this.configured) {
            await this.configure(undefined, this.info ?? (await this.getAnalyzerInfo()));
        }
    }

    private diagnostics(resp: analyzerPbTypes.AnalyzeResponse, defaultUrn: string | undefined): PolicyDiagnostic[] {
        return resp.getDiagnosticsList().map((d) => {
            const diag: PolicyDiagnostic = {
                policyPackName: d.getPolicypackname(),
                // As the CLI does: PulumiPolicy.yaml's version, when set, wins.
                policyPackVersion: this.yamlVersion ?? d.getPolicypackversion(),
                policyName: d.getPolicyname(),
                description: d.getDescription(),
                message: d.getMessage(),
                enforcementLevel: levelFromWire(d.getEnforcementlevel()),
            };
            const urn = d.getUrn() || defaultUrn;
            if (urn) {
                diag.urn = urn;
            }
            const severity = severityFromWire(d.getSeverity());
            if (severity) {
                diag.severity = severity;
            }
            return diag;
        });
    }

    /** One unary RPC, mapping failures to PolicyPackError. `tolerated` codes resolve to undefined. */
    private call<T>(op: string, invoke: (cb: Callback<T>) => void): Promise<T>;
    private call<T>(op: string, invoke: (cb: Callback<T>) => void, tolerated: number[]): Promise<T | undefined>;
    private async call<T>(op: string, invoke: (cb: Callback<T>) => void, tolerated: number[] = []): Promise<T | undefined> {
        if (this.closing) {
            throw new PolicyPackError(`policy pack ${this.packDir}: ${op} called after close()`, this.packDir, "", "crash");
        }
        if (this.proc.exit) {
            throw this.crashError(op, this.proc.exit);
        }
        const { grpc } = proto();
        const rpc = new Promise<T>((resolve, reject) => invoke((err, res) => (err ? reject(err) : resolve(res))));
        const died = this.proc.closed.then((e): never => {
            throw this.crashError(op, e);
        });
        try {
            return await Promise.race([rpc, died]);
        } catch (e) {
            if (e instanceof PolicyPackError) {
                throw e;
            }
            const err = e as grpcTypes.ServiceError;
            if (tolerated.includes(err.code)) {
                return undefined;
            }
            if (err.code === grpc.status.UNAVAILABLE || err.code === grpc.status.CANCELLED || this.proc.exit) {
                // Give the process a moment to finish dying so the stderr tail is complete.
                const exit = (await this.proc.waitForExit(2_000)) ? this.proc.exit : undefined;
                if (exit || err.code === grpc.status.UNAVAILABLE) {
                    throw this.crashError(op, exit, err.details);
                }
            }
            throw new PolicyPackError(
                `policy pack ${this.packDir} returned an error from ${op}: ${err.details || err.message}`,
                this.packDir,
                this.proc.stderrTail(),
                "policy",
            );
        }
    }

    private crashError(op: string, exit: ExitInfo | undefined, details?: string): PolicyPackError {
        const how = exit ? `it ${describeExit(exit)}` : `it became unavailable${details ? ` (${details})` : ""}`;
        return new PolicyPackError(
            `policy pack ${this.packDir} crashed during ${op}: ${how}`,
            this.packDir,
            this.proc.stderrTail(),
            "crash",
        );
    }
}

// ------------------------------------------------------------------------------------------------
// Wire encoding
// ------------------------------------------------------------------------------------------------

function toWireValue(v: unknown, where: string): unknown {
    if (v === null || typeof v === "string" || typeof v === "boolean") {
        return v;
    }
    if (typeof v === "number") {
        if (!Number.isFinite(v)) {
            throw new TypeError(`${where}: ${v} cannot be sent to a policy pack`);
        }
        return v;
    }
    if (Array.isArray(v)) {
        return v.map((e, i) => (e === undefined ? null : toWireValue(e, `${where}[${i}]`)));
    }
    if (isRecord(v)) {
        const proto = Object.getPrototypeOf(v) as unknown;
        if (proto === Object.prototype || proto === null) {
            return toWireObject(v, `${where}.`);
        }
    }
    const kind = v === undefined ? "undefined" : typeof v === "object" ? (v.constructor?.name ?? "object") : typeof v;
    throw new TypeError(`${where}: a value of type ${kind} cannot be sent to a policy pack (use plain JSON data)`);
}

/** Plain JSON object; undefined members dropped, "__"-prefixed keys skipped as the CLI does. */
function toWireObject(obj: Record<string, unknown>, prefix: string): Record<string, structPbTypes.JavaScriptValue> {
    const out: Record<string, structPbTypes.JavaScriptValue> = {};
    for (const [k, v] of Object.entries(obj)) {
        if (v === undefined || k.startsWith("__")) {
            continue;
        }
        out[k] = toWireValue(v, `${prefix}${k}`) as structPbTypes.JavaScriptValue;
    }
    return out;
}

function wireStruct(props: Record<string, unknown>, urn: string): structPbTypes.Struct {
    return proto().struct.Struct.fromJavaScript(toWireObject(props, `${urn} properties.`));
}

function wireOptions(r: CheckedResource): analyzerPbTypes.AnalyzerResourceOptions {
    const { pb } = proto();
    const o = r.options;
    const out = new pb.AnalyzerResourceOptions();
    out.setProtect(o.protect ?? false);
    out.setIgnorechangesList(o.ignoreChanges ?? []);
    if (o.deleteBeforeReplace !== undefined) {
        out.setDeletebeforereplace(o.deleteBeforeReplace);
        out.setDeletebeforereplacedefined(true);
    }
    out.setAdditionalsecretoutputsList(o.additionalSecretOutputs ?? []);
    out.setAliasesList(o.aliases ?? []);
    // The CLI always sends custom timeouts, zero when unset.
    const t = new pb.AnalyzerResourceOptions.CustomTimeouts();
    t.setCreate(o.customTimeouts?.create ?? 0);
    t.setUpdate(o.customTimeouts?.update ?? 0);
    t.setDelete(o.customTimeouts?.delete ?? 0);
    out.setCustomtimeouts(t);
    out.setParent(o.parent ?? r.parent ?? "");
    return out;
}

function wireProvider(r: CheckedResource): analyzerPbTypes.AnalyzerProviderResource | undefined {
    if (!r.provider) {
        return undefined;
    }
    const p = new (proto().pb.AnalyzerProviderResource)();
    p.setType(r.provider.type);
    p.setName(r.provider.name);
    p.setUrn(r.provider.urn);
    p.setProperties(wireStruct(r.provider.properties, r.provider.urn));
    return p;
}

// ------------------------------------------------------------------------------------------------
// Policy config reconciliation, as the CLI does it for --policy-pack-config
// ------------------------------------------------------------------------------------------------

interface ParsedEntry {
    enforcementLevel?: EnforcementLevel;
    properties?: Record<string, unknown>;
}

function describeJson(v: unknown): string {
    return v === undefined ? "undefined" : JSON.stringify(v);
}

/** Parses the config file format; empty entries are dropped, as the CLI does. */
function parsePackConfig(config: PackConfig): Record<string, ParsedEntry> {
    const out: Record<string, ParsedEntry> = {};
    const problems: string[] = [];
    for (const [name, value] of Object.entries(config)) {
        if (typeof value === "string") {
            if (!isLevel(value)) {
                problems.push(`parsing enforcement level for "${name}": "${value}" is not a valid enforcement level`);
                continue;
            }
            out[name] = { enforcementLevel: value };
        } else if (isRecord(value)) {
            const { enforcementLevel, ...properties } = value;
            const entry: ParsedEntry = {};
            if ("enforcementLevel" in value) {
                if (typeof enforcementLevel !== "string") {
                    problems.push(
                        `parsing enforcement level for "${name}": ${describeJson(enforcementLevel)} is not a valid enforcement level; must be a string`,
                    );
                    continue;
                }
                if (!isLevel(enforcementLevel)) {
                    problems.push(`parsing enforcement level for "${name}": "${enforcementLevel}" is not a valid enforcement level`);
                    continue;
                }
                entry.enforcementLevel = enforcementLevel;
            }
            if (Object.keys(properties).length > 0) {
                entry.properties = properties;
            }
            if (entry.enforcementLevel || entry.properties) {
                out[name] = entry;
            }
        } else {
            problems.push(`parsing "${name}": ${describeJson(value)} is not a valid value; must be a string or object`);
        }
    }
    if (problems.length > 0) {
        throw new PolicyConfigError("invalid policy pack config", problems);
    }
    return out;
}

function applyConfig(result: Record<string, ParsedEntry>, toApply: Record<string, ParsedEntry>): void {
    // "all" sets the level of every policy known so far, keeping their properties.
    const all = toApply.all?.enforcementLevel;
    if (all) {
        for (const name of Object.keys(result)) {
            result[name] = { ...result[name], enforcementLevel: all };
        }
    }
    // Then per-policy entries ("all" included, as the CLI does) override the level and merge properties.
    for (const [name, given] of Object.entries(toApply)) {
        const current = result[name] ?? {};
        const next: ParsedEntry = { enforcementLevel: given.enforcementLevel ?? current.enforcementLevel };
        if (current.properties || given.properties) {
            next.properties = { ...current.properties, ...given.properties };
        }
        result[name] = next;
    }
}

/**
 * Reconciles a --policy-pack-config file with a pack's policies, as the CLI does: every policy
 * starts at its own enforcement level with its configSchema `default`s; the pack's initialConfig is
 * applied, then the file ("all" first, then per-policy levels and merged properties); finally each
 * policy's properties are validated against its configSchema. Unlike the CLI (which passes them
 * through), entries naming policies the pack does not have are rejected.
 */
export function reconcilePolicyConfig(info: AnalyzerInfo, config: PackConfig | undefined): Record<string, PolicyConfigEntry> {
    if (config !== undefined && config !== null && !isRecord(config)) {
        throw new PolicyConfigError("invalid policy pack config: it must be a JSON object", []);
    }
    const fromFile = config ? parsePackConfig(config) : undefined;
    const known = new Set(info.policies.map((p) => p.name));
    const unknown = Object.keys(fromFile ?? {}).filter((k) => k !== "all" && !known.has(k));
    if (unknown.length > 0) {
        throw new PolicyConfigError(
            `policy pack config names ${unknown.length === 1 ? "a policy" : "policies"} that policy pack "${info.name}" does not have: ${unknown.join(", ")}`,
            [`known policies: ${[...known].join(", ") || "(none)"}`],
        );
    }

    const result: Record<string, ParsedEntry> = {};
    for (const p of info.policies) {
        const entry: ParsedEntry = { enforcementLevel: p.enforcementLevel };
        for (const [k, schema] of Object.entries(p.configSchema?.properties ?? {})) {
            if ("default" in schema) {
                entry.properties = entry.properties ?? {};
                entry.properties[k] = schema.default;
            }
        }
        result[p.name] = entry;
    }
    if (info.initialConfig) {
        applyConfig(result, info.initialConfig);
    }
    if (fromFile) {
        applyConfig(result, fromFile);
    }

    const problems: string[] = [];
    for (const p of info.policies) {
        if (!p.configSchema) {
            continue;
        }
        for (const problem of validatePolicySettings(p.configSchema, result[p.name]?.properties ?? {})) {
            problems.push(`${p.name}: ${problem}`);
        }
    }
    if (problems.length > 0) {
        problems.sort();
        throw new PolicyConfigError(`invalid policy config for policy pack "${info.name}"`, problems);
    }

    const out: Record<string, PolicyConfigEntry> = {};
    for (const [name, entry] of Object.entries(result)) {
        if (!entry.enforcementLevel) {
            // Only reachable through initialConfig; the CLI's Configure rejects it the same way.
            throw new PolicyConfigError(`invalid enforcement level "" for "${name}"`, []);
        }
        out[name] = entry.properties
            ? { enforcementLevel: entry.enforcementLevel, properties: entry.properties }
            : { enforcementLevel: entry.enforcementLevel };
    }
    return out;
}

// Policy settings are validated by ajv, a full JSON Schema (draft-07) implementation, against what
// the CLI validates: `{type: "object", properties, required}` (pulumi pkg/resource/analyzer/config.go,
// convertSchema). Problems are worded as the CLI's validator, gojsonschema v1.2.0, words them
// (locales.go), "<field>: <description>" with "(root): " trimmed. Where gojsonschema reports the
// closest branch of a failed oneOf/anyOf (or item of a failed contains), the closest is the first
// branch whose type matches, then the one that meets most of the properties it names, then the one
// with the fewest problems. `format` is not checked (gojsonschema checks its own list of formats;
// no policy of ours declares one).

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true, validateFormats: false });
const compiledSchemas = new Map<string, ValidateFunction>();

/** A policy's settings against its configSchema, as the CLI validates them; problems in its wording. */
function validatePolicySettings(configSchema: PolicyConfigSchemaInfo, settings: Record<string, unknown>): string[] {
    const schema: JsonSchema = { type: "object", properties: configSchema.properties };
    if (configSchema.required && configSchema.required.length > 0) {
        schema.required = configSchema.required;
    }
    let validate: ValidateFunction;
    try {
        // Compiled once per schema: a pack's ~50 schemas cost ajv 0.2–0.4 s, and the check validates twice (run and production config).
        const key = JSON.stringify(schema);
        validate = compiledSchemas.get(key) ?? compiledSchemas.set(key, ajv.compile(schema)).get(key)!;
    } catch (e) {
        return [`invalid configSchema: ${e instanceof Error ? e.message : String(e)}`];
    }
    return validate(settings) ? [] : cliProblems(validate.errors ?? [], settings);
}

function jsonType(v: unknown): string {
    if (v === null) {
        return "null";
    }
    if (Array.isArray(v)) {
        return "array";
    }
    if (typeof v === "number") {
        return Number.isInteger(v) ? "integer" : "number";
    }
    return typeof v;
}

/** A number as gojsonschema prints a limit: Go's shortest %g (an exponent from 1e+06 and below 1e-04). */
export function goNumber(n: number): string {
    const [mantissa, exponent] = n.toExponential().split("e");
    const exp = Number(exponent);
    if (exp < -4 || exp >= 6) {
        return `${mantissa}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
    }
    return String(n);
}

/** JSON with object keys sorted, as Go marshals a map: equal values, equal text. */
function canonical(v: unknown): string {
    if (Array.isArray(v)) {
        return `[${v.map(canonical).join(",")}]`;
    }
    if (isRecord(v)) {
        return `{${Object.keys(v)
            .sort()
            .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
            .join(",")}}`;
    }
    return JSON.stringify(v);
}

/** The field gojsonschema names: the instance path, dot-separated; "(root)" for the settings object. */
function fieldOf(instancePath: string): string {
    if (instancePath === "") {
        return "(root)";
    }
    return instancePath
        .slice(1)
        .split("/")
        .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
        .join(".");
}

function valueAt(root: unknown, instancePath: string): unknown {
    let v = root;
    for (const s of instancePath === "" ? [] : instancePath.slice(1).split("/")) {
        const key = s.replace(/~1/g, "/").replace(/~0/g, "~");
        v = isRecord(v) || Array.isArray(v) ? (v as Record<string, unknown>)[key] : undefined;
    }
    return v;
}

/** How many instance levels a schema path below a keyword goes down (properties/x, items, ...). */
function instanceDepth(schemaPathBelow: string[]): number {
    let depth = 0;
    for (let i = 0; i < schemaPathBelow.length; i++) {
        const k = schemaPathBelow[i];
        if (k === "properties" || k === "patternProperties") {
            depth++;
            i++;
        } else if (k === "items") {
            depth++;
            if (/^\d+$/.test(schemaPathBelow[i + 1] ?? "")) i++;
        } else if (k === "additionalProperties" || k === "additionalItems" || k === "contains") {
            depth++;
        } else if (k === "dependencies" || k === "allOf" || k === "anyOf" || k === "oneOf" || k === "definitions") {
            i++;
        }
    }
    return depth;
}

function cliProblems(errors: ErrorObject[], settings: unknown): string[] {
    // Branches of a failed oneOf/anyOf and items of a failed contains: gojsonschema keeps the closest.
    const dropped = new Set<ErrorObject>();
    for (const e of errors) {
        if (e.keyword !== "oneOf" && e.keyword !== "anyOf" && e.keyword !== "contains") {
            continue;
        }
        const below = errors.filter((x) => x !== e && x.schemaPath.startsWith(`${e.schemaPath}/`));
        below.forEach((x) => dropped.add(x));
        if (e.keyword === "oneOf" && Array.isArray((e.params as { passingSchemas?: unknown }).passingSchemas)) {
            continue; // more than one branch matched: only the oneOf problem
        }
        const groupOf = (x: ErrorObject) =>
            e.keyword === "contains" ? x.instancePath.slice(e.instancePath.length + 1).split("/")[0] : x.schemaPath.slice(e.schemaPath.length + 1).split("/")[0];
        const groups = new Map<string, ErrorObject[]>();
        for (const x of below) groups.set(groupOf(x), [...(groups.get(groupOf(x)) ?? []), x]);
        const rank = ([key, xs]: [string, ErrorObject[]]) => {
            const own = `${e.schemaPath}/${key}/`;
            const typeMiss = xs.some((x) => x.keyword === "type" && x.instancePath === e.instancePath && x.schemaPath === `${own}type`) ? 1 : 0;
            const branch = e.keyword === "contains" ? undefined : (e.schema as JsonSchema[] | undefined)?.[Number(key)];
            const value = valueAt(settings, e.instancePath);
            const named = isRecord(branch) && isRecord(branch.properties) && isRecord(value) ? Object.keys(branch.properties).filter((k) => k in value).length : 0;
            return [typeMiss, -named, xs.length];
        };
        const closest = [...groups.entries()].sort((a, b) => {
            const [ra, rb] = [rank(a), rank(b)];
            return ra[0] - rb[0] || ra[1] - rb[1] || ra[2] - rb[2] || Number(a[0]) - Number(b[0]);
        })[0];
        closest?.[1].forEach((x) => dropped.delete(x));
    }

    // gojsonschema checks nothing else of a schema whose type the value does not have.
    for (const e of errors) {
        if (e.keyword === "type" && !dropped.has(e)) {
            const own = e.schemaPath.slice(0, -"type".length);
            errors.filter((x) => x !== e && x.instancePath.startsWith(e.instancePath) && x.schemaPath.startsWith(own)).forEach((x) => dropped.add(x));
        }
    }

    const problems: string[] = [];
    const allOf = new Set<string>();
    for (const e of errors) {
        if (dropped.has(e)) {
            continue;
        }
        // An allOf has no problem of its own in ajv; gojsonschema adds one where a branch failed.
        const parts = e.schemaPath.replace(/^#\//, "").split("/");
        parts.forEach((k, i) => {
            if (k === "allOf" && /^\d+$/.test(parts[i + 1] ?? "")) {
                const up = instanceDepth(parts.slice(i + 2, -1)); // the failing keyword itself stays on its instance
                const at = e.instancePath.split("/").slice(0, e.instancePath.split("/").length - up).join("/");
                const key = `${parts.slice(0, i + 1).join("/")}@${at}`;
                if (!allOf.has(key)) {
                    allOf.add(key);
                    problems.push(`${fieldOf(at)}: Must validate all the schemas (allOf)`);
                }
            }
        });
        const field = fieldOf(e.instancePath);
        const p = e.params as Record<string, unknown>;
        const value: unknown = e.data;
        const say = (description: string) => problems.push(`${field}: ${description}`);
        switch (e.keyword) {
            case "type": {
                const t = (e.schema ?? p.type) as string | string[];
                say(`Invalid type. Expected: ${Array.isArray(t) ? (t.length > 1 ? `[${t.join(",")}]` : t[0]) : t}, given: ${jsonType(value)}`);
                break;
            }
            case "required":
                say(`${String(p.missingProperty)} is required`);
                break;
            case "enum":
                say(`${field} must be one of the following: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`);
                break;
            case "const":
                say(`${field} does not match: ${JSON.stringify(p.allowedValue)}`);
                break;
            case "multipleOf":
                say(`Must be a multiple of ${goNumber(p.multipleOf as number)}`);
                break;
            case "maximum":
                say(`Must be less than or equal to ${goNumber(p.limit as number)}`);
                break;
            case "exclusiveMaximum":
                say(`Must be less than ${goNumber(p.limit as number)}`);
                break;
            case "minimum":
                say(`Must be greater than or equal to ${goNumber(p.limit as number)}`);
                break;
            case "exclusiveMinimum":
                say(`Must be greater than ${goNumber(p.limit as number)}`);
                break;
            case "maxLength":
                say(`String length must be less than or equal to ${String(p.limit)}`);
                break;
            case "minLength":
                say(`String length must be greater than or equal to ${String(p.limit)}`);
                break;
            case "pattern":
                say(`Does not match pattern '${String(p.pattern)}'`);
                break;
            case "format":
                say(`Does not match format '${String(p.format)}'`);
                break;
            case "maxItems":
                say(`Array must have at most ${String(p.limit)} items`);
                break;
            case "minItems":
                say(`Array must have at least ${String(p.limit)} items`);
                break;
            case "uniqueItems": {
                // Every repeat, paired with the last item before it that has its value, as gojsonschema pairs them.
                const seen = new Map<string, number>();
                (value as unknown[]).forEach((item, j) => {
                    const text = canonical(item);
                    const i = seen.get(text);
                    if (i !== undefined) say(`array items[${i},${j}] must be unique`);
                    seen.set(text, j);
                });
                break;
            }
            case "additionalItems":
                say("No additional items allowed on array");
                break;
            case "contains":
                say("At least one of the items must match");
                break;
            case "maxProperties":
                say(`Must have at most ${String(p.limit)} properties`);
                break;
            case "minProperties":
                say(`Must have at least ${String(p.limit)} properties`);
                break;
            case "additionalProperties":
                say(`Additional property ${String(p.additionalProperty)} is not allowed`);
                break;
            case "propertyNames":
                say(`Property name of "${String(p.propertyName)}" does not match`);
                break;
            case "dependencies":
                say(`Has a dependency on ${String(p.missingProperty)}`);
                break;
            case "anyOf":
                say("Must validate at least one schema (anyOf)");
                break;
            case "oneOf":
                say("Must validate one and only one schema (oneOf)");
                break;
            case "not":
                say("Must not validate the schema (not)");
                break;
            case "if":
                say(p.failingKeyword === "then" ? 'Must validate "then" as "if" was valid' : 'Must validate "else" as "if" was not valid');
                break;
            default:
                say(e.message ?? e.keyword);
        }
    }
    return problems.map((p) => p.replace(/^\(root\): /, ""));
}

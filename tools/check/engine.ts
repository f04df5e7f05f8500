// The engine side of the offline check: runs a Pulumi program against Pulumi's own mock monitor and
// records every registration the way the engine would hand it to an analyzer: type, name, URN,
// parent, inputs in wire form (unknowns and secrets as the engine encodes them), dependencies,
// property dependencies, provider reference and resource options.
import * as pulumi from "@pulumi/pulumi";
import { CHECK_ACCOUNT_ID, invokeResult } from "./invokes";
import { MockMonitorBase, mockRuntime, STORE_FEATURES } from "./pulumiInternals";

export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

export interface RecordedOptions {
    protect?: boolean;
    ignoreChanges?: string[];
    deleteBeforeReplace?: boolean;
    aliases?: string[];
    customTimeouts?: { create?: number; update?: number; delete?: number };
    retainOnDelete?: boolean;
}

export interface RecordedResource {
    type: string;
    name: string;
    urn: string;
    custom: boolean;
    parent?: string;
    /** Inputs in wire form: what the engine sends the analyzer. */
    properties: Record<string, unknown>;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    /** Provider reference `urn::id`, empty for the default provider. */
    provider?: string;
    options: RecordedOptions;
    /**
     * The planned state after a preview step, as the engine hands it to AnalyzeStack: the inputs plus
     * the values the provider computes, unknown for a resource being created. Absent: the inputs.
     */
    state?: Record<string, unknown>;
    /** Read with `Resource.get`, not managed by the stack (AnalyzeStack only, as the engine does). */
    external?: boolean;
}

export interface RunOptions {
    project: string;
    stack: string;
    /** Flat config as the CLI passes it: `ns:key` → string (JSON for structured values). */
    config: Record<string, string>;
    secretKeys?: string[];
    /** true: a first preview, where the outputs the provider computes are unknown. */
    preview: boolean;
    /** The program: a function returning the stack outputs (what the entry module exports). */
    program: () => unknown;
}

export interface RunResult {
    resources: RecordedResource[];
    /** The stack outputs in wire form: unknown values appear as UNKNOWN_VALUE (wire.ts). */
    outputs: Record<string, unknown>;
    /** Invokes the program made, with the canned answers it got. */
    invokes: { token: string; inputs: Record<string, unknown> }[];
}

const runtime = mockRuntime();
// MockMonitor's URN builder is private in its typings; we replace it (pulumiInternals.ts).
const MonitorBase: new (mocks: pulumi.runtime.Mocks) => MockMonitorBase = runtime.MockMonitor;

/** The mock monitor, with URNs built as the engine builds them (full parent type chain, no stack type). */
class RecordingMonitor extends MonitorBase {
    readonly recorded: RecordedResource[] = [];
    /** registerOutputs of each resource, in wire form (unknowns stay visible). */
    readonly outputs = new Map<string, Record<string, unknown>>();

    newUrn(parent: string, type: string, name: string): string {
        return newUrn(runtime.getStack(), runtime.getProject(), parent, type, name);
    }

    async registerResource(req: any, callback: (err: any, resp: any) => void): Promise<void> {
        this.recorded.push(recordRegistration(req, this.newUrn(req.getParent(), req.getType(), req.getName())));
        return super.registerResource(req, callback);
    }

    registerResourceOutputs(req: any, callback: (err: any, resp: any) => void): void {
        this.outputs.set(req.getUrn(), req.getOutputs()?.toJavaScript() ?? {});
        super.registerResourceOutputs(req, callback);
    }
}

/** A URN as the engine builds it: the parent's full type chain (without the stack's type), then the type. */
export function newUrn(stack: string, project: string, parent: string, type: string, name: string): string {
    let qualified = type;
    if (parent) {
        const parentType = parent.split("::")[2];
        if (parentType !== ROOT_STACK_TYPE) {
            qualified = `${parentType}$${type}`;
        }
    }
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** One RegisterResourceRequest as the engine hands it on: type, name, inputs in wire form, dependencies, options. */
export function recordRegistration(req: any, urn: string): RecordedResource {
    return {
        type: req.getType(),
        name: req.getName(),
        urn,
        custom: req.getCustom(),
        parent: req.getParent() || undefined,
        properties: req.getObject()?.toJavaScript() ?? {},
        dependencies: req.getDependenciesList(),
        propertyDependencies: Object.fromEntries(
            req
                .getPropertydependenciesMap()
                .getEntryList()
                .map(([key, deps]: [string, string[][]]) => [key, deps[0] ?? []]),
        ),
        provider: req.getProvider() || undefined,
        options: options(req),
    };
}

function options(req: any): RecordedOptions {
    const o: RecordedOptions = {};
    if (req.getProtect()) o.protect = true;
    if (req.getIgnorechangesList().length > 0) o.ignoreChanges = req.getIgnorechangesList();
    if (req.getDeletebeforereplace()) o.deleteBeforeReplace = true;
    if (req.getRetainondelete()) o.retainOnDelete = true;
    const aliases: string[] = req.getAliasesList().map((a: any) => a.getUrn() || JSON.stringify(a.getSpec()?.toObject()));
    if (aliases.length > 0) o.aliases = aliases;
    const t = req.getCustomtimeouts();
    if (t && (t.getCreate() || t.getUpdate() || t.getDelete())) {
        o.customTimeouts = {
            create: parseDuration(t.getCreate()),
            update: parseDuration(t.getUpdate()),
            delete: parseDuration(t.getDelete()),
        };
    }
    return o;
}

/** "1h30m" → 5400 (seconds), as the engine passes custom timeouts to analyzers. */
export function parseDuration(d: string): number | undefined {
    if (!d) return undefined;
    const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
    let total = 0;
    for (const [, n, u] of d.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) total += Number(n) * units[u];
    return total;
}

/**
 * The Pulumi SDK captures a stack trace for every output promise and every resource; under ts-node
 * each capture is source-mapped, which made a 1,000-resource program take 27 s instead of 4 s. The
 * check prints messages, not stacks, so its entry points turn capture off (CONTINUITY_CHECK_STACKS=1
 * keeps them for debugging the check itself).
 */
export function cheapStackTraces(): void {
    if (process.env.CONTINUITY_CHECK_STACKS === "1") return;
    Error.stackTraceLimit = 0;
    (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
}

/** What a provider reports after creating a resource, where a test needs it: an AWS resource's ARN, a domain's endpoint. */
function computedAfterUpdate(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    if (!type.startsWith("aws:")) return {};
    const service = type.slice("aws:".length).split(/[/:]/)[0];
    const region = (inputs.region as string | undefined) ?? "us-east-1";
    const computed: Record<string, unknown> = { arn: `arn:aws:${service}:${region}:${CHECK_ACCOUNT_ID}:${name}` };
    if (type === "aws:opensearch/domain:Domain") {
        // As AWS names it; the suffix is a stand-in for the id AWS generates.
        const prefix = inputs.vpcOptions ? "vpc" : "search";
        computed.endpoint = `${prefix}-${inputs.domainName as string}-0123456789abcdefghijklmnop.${region}.es.amazonaws.com`;
    }
    if (type === "aws:lb/loadBalancer:LoadBalancer") {
        computed.arnSuffix = `app/${name}/0123456789abcdef`;
        computed.dnsName = `${name}-1234567890.${region}.elb.amazonaws.com`;
    }
    if (type === "aws:lb/targetGroup:TargetGroup") computed.arnSuffix = `targetgroup/${name}/0123456789abcdef`;
    // An autonamed rule gets its name from the provider; targets refer to it by that name.
    if (type === "aws:cloudwatch/eventRule:EventRule" && inputs.name === undefined) computed.name = `${name}-0123abc`;
    return computed;
}

// A program that throws leaves the error rejected in several of the runtime's promises, some of them
// wrapped anew; the run reports it once, and its echoes must not crash the process afterwards.
let activeRun: { errors: unknown[] } | undefined;
/** After a run failed, what its dead program still rejects is noise until the next run starts. */
let lastRunFailed = false;
let guardInstalled = false;
function installRejectionGuard(): void {
    if (guardInstalled) return;
    guardInstalled = true;
    process.on("unhandledRejection", (e) => {
        if (activeRun) {
            activeRun.errors.push(e);
            return;
        }
        if (lastRunFailed) return;
        throw e;
    });
}

/**
 * Runs `program` once under the mock monitor. Only one program runs at a time in a process: the
 * Pulumi runtime keeps its state in module globals.
 */
export async function runProgram(opts: RunOptions): Promise<RunResult> {
    installRejectionGuard();
    // Cheap stack captures for the run only: a caller (a test) keeps its own stacks before and after.
    const saved = { limit: Error.stackTraceLimit, prepare: (Error as { prepareStackTrace?: unknown }).prepareStackTrace };
    cheapStackTraces();
    try {
        return await runGuarded(opts);
    } finally {
        Error.stackTraceLimit = saved.limit;
        (Error as { prepareStackTrace?: unknown }).prepareStackTrace = saved.prepare;
    }
}

async function runGuarded(opts: RunOptions): Promise<RunResult> {
    const run = { errors: [] as unknown[] };
    activeRun = run;
    lastRunFailed = false;
    const invokeErrors: Error[] = [];
    try {
        const result = await runOnce(opts, invokeErrors).catch((e) => {
            // The SDK reports a failed invoke without its message; ours names what is missing.
            throw invokeErrors[0] ?? e;
        });
        // Errors thrown inside applies surface only as unhandled rejections.
        await new Promise((resolve) => setImmediate(resolve));
        if (run.errors.length > 0) throw invokeErrors[0] ?? run.errors[0];
        return result;
    } catch (e) {
        lastRunFailed = true;
        throw e;
    } finally {
        activeRun = undefined;
    }
}

async function runOnce(opts: RunOptions, invokeErrors: Error[]): Promise<RunResult> {
    const invokes: RunResult["invokes"] = [];
    const monitor = new RecordingMonitor({
        newResource(args) {
            // In a preview only the inputs are known; after an update the provider fills in ids (and ARNs).
            if (opts.preview) return { id: undefined, state: args.inputs };
            return { id: `${args.name}-id`, state: { ...computedAfterUpdate(args.type, args.name, args.inputs), ...args.inputs } };
        },
        call(args) {
            invokes.push({ token: args.token, inputs: args.inputs });
            try {
                return invokeResult(args.token, args.inputs, {
                    providerRegion: opts.config["aws:region"],
                    answersFile: "(no answers file in an in-process run)",
                });
            } catch (e) {
                invokeErrors.push(e as Error);
                throw e;
            }
        },
    });
    runtime.setMockOptions(monitor, opts.project, opts.stack, opts.preview);
    const store = runtime.getStore();
    Object.assign(store, {
        supportsSecrets: true,
        supportsResourceReferences: true,
        supportsOutputValues: false,
        supportsDeletedWith: true,
        supportsAliasSpecs: true,
    } satisfies Record<(typeof STORE_FEATURES)[number], boolean>);
    pulumi.runtime.setAllConfig(opts.config, opts.secretKeys ?? []);

    await runtime.runInPulumiStack(async () => await opts.program());
    // Registrations still in flight (those waiting on other resources' outputs) finish before we read.
    await runtime.waitForRPCs();
    const root = monitor.recorded.find((r) => r.type === ROOT_STACK_TYPE);
    const outputs = (root && monitor.outputs.get(root.urn)) ?? {};
    return { resources: [...monitor.recorded], outputs, invokes };
}

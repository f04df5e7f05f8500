// The language host and engine side of the offline check, as `pulumi preview` runs a Node.js program:
// the program runs in its own process, started exactly as pulumi-language-nodejs starts it
// (`node [nodeargs] <the program's @pulumi/pulumi/cmd/run> --monitor … --engine … --pwd <program dir>
// --dry-run <entry point>`, with PULUMI_CONFIG, PULUMI_CONFIG_SECRET_KEYS and PULUMI_NODEJS_TYPESCRIPT
// in its environment), and talks to a ResourceMonitor and an Engine served here over gRPC. Pulumi's
// own `cmd/run` therefore does everything a user's program relies on: `main:` and package.json entry
// points, the working directory, ts-node with the project's tsconfig (type-checked unless
// PULUMI_NODEJS_TRANSPILE_ONLY=true or `noCheck`), ES modules, and the unhandled-error handlers that
// log the program's own error and end the process.
import * as childProcess from "child_process";
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";
import type * as grpcTypes from "@grpc/grpc-js";
import { parse } from "yaml";
import { UNKNOWN_VALUE, unwrapSecrets } from "./analyzer";
import { newUrn, RecordedResource, recordRegistration, RunResult } from "./engine";
import { compileCacheLaunch } from "./compileCache";
import { invokeAnswersPath, InvokeAnswers, invokeResult, readInvokeAnswers } from "./invokes";
import { plannedState } from "./planned";
import { providerUrn } from "./providers";
import { SECRET_PLACEHOLDER } from "./stackConfig";

/** The program failed: its own message is what the user needs. */
export class ProgramError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ProgramError";
    }
}

export interface ProjectInfo {
    name: string;
    /** The directory of Pulumi.yaml. */
    root: string;
    runtime: string;
    options: Record<string, unknown>;
    main?: string;
    /** Where the stack files are (`stackConfigDir:`, else the project directory). */
    stackConfigDir: string;
}

export interface HostRunOptions {
    project: ProjectInfo;
    stack: string;
    /** Flat config as the CLI passes it: `ns:key` → string (JSON for structured values). */
    config: Record<string, string>;
    secretKeys: string[];
    /** Keys whose value is a placeholder because the secret could not be decrypted (named when the program fails). */
    placeholderKeys?: string[];
    /** Aborting kills the program (the deadline of the whole check). */
    signal?: AbortSignal;
    /** Extra environment for the program process (tests). */
    env?: NodeJS.ProcessEnv;
    /** Filled in as the program runs: what a deadline message reports. */
    progress?: RunProgress;
    /** Called with each resource as the program registers (or reads) it, in order: the check analyses it then, as the engine does. */
    onResource?: (record: RecordedResource) => void;
}

/** What the run leaves for a deadline message: how far the program got. */
export interface RunProgress {
    registrations: number;
    lastRegistration?: string;
    invokes: number;
    lastInvoke?: string;
    stackOutputsRegistered: boolean;
    exited: boolean;
}

export const ORGANIZATION = "organization";

export function newProgress(): RunProgress {
    return { registrations: 0, invokes: 0, stackOutputsRegistered: false, exited: false };
}

/** Where a program that did not finish had got to, for the deadline's message. */
export function describeProgress(p: RunProgress): string {
    const done = `${p.registrations} resource${p.registrations === 1 ? "" : "s"} registered${p.lastRegistration ? ` (the last: ${p.lastRegistration})` : ""}, ${p.invokes} invoke${p.invokes === 1 ? "" : "s"} answered${p.lastInvoke ? ` (the last: ${p.lastInvoke})` : ""}`;
    if (p.exited) return `the program had finished (${done}); the policy packs were still analysing`;
    if (p.stackOutputsRegistered) {
        return `the program's code had finished and registered the stack outputs (${done}), but its process kept running: something keeps Node's event loop alive (a timer, a server, an open socket)`;
    }
    if (p.registrations === 0) return `the program had registered nothing yet: it was still loading (compiling TypeScript, importing modules) or waiting before its first resource`;
    return `the program had not finished: its stack outputs were never registered, so a promise or Output it awaits never settled (${done})`;
}

/** Pulumi.yaml as the CLI reads it for running a program. */
export function readProject(root: string): ProjectInfo {
    const file = path.join(root, "Pulumi.yaml");
    let doc: Record<string, unknown>;
    try {
        doc = (parse(fs.readFileSync(file, "utf8")) ?? {}) as Record<string, unknown>;
    } catch (e) {
        throw new ProgramError(`${file} cannot be read: ${(e as Error).message}`);
    }
    const runtime = doc.runtime as unknown;
    const name = typeof runtime === "string" ? runtime : (runtime as { name?: unknown } | undefined)?.name;
    const options = (typeof runtime === "object" && runtime && (runtime as { options?: unknown }).options) || {};
    return {
        name: String(doc.name),
        root,
        runtime: typeof name === "string" ? name : "",
        options: options as Record<string, unknown>,
        main: typeof doc.main === "string" ? doc.main : undefined,
        stackConfigDir: typeof doc.stackConfigDir === "string" ? path.join(root, doc.stackConfigDir) : root,
    };
}

/**
 * The program directory and entry point, as the CLI computes them from `main:` (pkg/workspace
 * getPwdMain): no main → the project directory and "."; a directory → that directory and "."; a file
 * → the project directory and the file's path relative to it. main must be relative and inside the project.
 */
export function programLocation(project: ProjectInfo): { pwd: string; entry: string } {
    if (project.runtime !== "nodejs") {
        throw new ProgramError(
            `${path.join(project.root, "Pulumi.yaml")}: runtime '${project.runtime || "(none)"}' — the offline check runs Node.js programs only (runtime: nodejs, TypeScript or JavaScript).`,
        );
    }
    if (!project.main) return { pwd: project.root, entry: "." };
    if (path.isAbsolute(project.main)) throw new ProgramError(`Pulumi.yaml: project 'main' must be a relative path, found '${project.main}'.`);
    const root = path.resolve(project.root);
    const main = path.resolve(root, project.main);
    if (main !== root && !main.startsWith(root + path.sep)) {
        throw new ProgramError(`Pulumi.yaml: project 'main' must be a subfolder of the project, found '${project.main}'.`);
    }
    let stat: fs.Stats;
    try {
        stat = fs.statSync(main);
    } catch {
        throw new ProgramError(`Pulumi.yaml: project 'main' is '${project.main}', but ${main} does not exist.`);
    }
    return stat.isDirectory() ? { pwd: main, entry: "." } : { pwd: root, entry: path.relative(root, main) };
}

/** `@pulumi/pulumi/cmd/run` as the language host finds it: from the program's own node_modules. */
function locateRunScript(pwd: string): string {
    try {
        return require.resolve("@pulumi/pulumi/cmd/run", { paths: [pwd] });
    } catch {
        throw new ProgramError(
            `It looks like the Pulumi SDK has not been installed for the program in ${pwd}: @pulumi/pulumi/cmd/run cannot be resolved from there. Have you run npm install or yarn install?`,
        );
    }
}

interface Proto {
    grpc: typeof grpcTypes;
    resrpc: any;
    respb: any;
    engrpc: any;
    engpb: any;
    provpb: any;
    callbackpb: any;
    callbackrpc: any;
    struct: any;
    empty: any;
}
let protoCache: Proto | undefined;
function proto(): Proto {
    if (!protoCache) {
        const r = createRequire(require.resolve("@pulumi/pulumi/proto/resource_grpc_pb"));
        protoCache = {
            grpc: r("@grpc/grpc-js"),
            resrpc: r("./resource_grpc_pb"),
            respb: r("./resource_pb"),
            engrpc: r("./engine_grpc_pb"),
            engpb: r("./engine_pb"),
            provpb: r("./provider_pb"),
            callbackpb: r("./callback_pb"),
            callbackrpc: r("./callback_grpc_pb"),
            struct: r("google-protobuf/google/protobuf/struct_pb"),
            empty: r("google-protobuf/google/protobuf/empty_pb"),
        };
    }
    return protoCache;
}

/**
 * Features this monitor answers yes to, as the CLI's monitor does, except resource hooks and invoke
 * transforms (callbacks at other moments of a deployment) and outputValues (remote components), which
 * the program's SDK then does without, or refuses with its own message.
 */
const FEATURES = new Set(["secrets", "resourceReferences", "deletedWith", "aliasSpecs", "parameterization", "transforms"]);

const MAX_RPC_MESSAGE_SIZE = 400 * 1024 * 1024;
const LOG_ERROR = 3;

/** Runs the program of `opts.project` once, in preview mode, and records what it registers. */
export async function runProgramProcess(opts: HostRunOptions): Promise<RunResult & { progress: RunProgress }> {
    const { grpc, resrpc, respb, engrpc, engpb, provpb, struct, empty } = proto();
    const { pwd, entry } = programLocation(opts.project);
    const runScript = locateRunScript(pwd);
    const stackName = opts.stack;
    const projectName = opts.project.name;
    const answersFile = invokeAnswersPath(opts.project.stackConfigDir, stackName);
    const answers: InvokeAnswers | undefined = readInvokeAnswers(answersFile);

    const recorded: RecordedResource[] = [];
    const byUrn = new Map<string, RecordedResource>();
    const outputs = new Map<string, Record<string, unknown>>();
    const invokes: RunResult["invokes"] = [];
    const invokeErrors: Error[] = [];
    const logged: { severity: number; message: string; urn?: string }[] = [];
    const progress: RunProgress = opts.progress ?? newProgress();
    let rootUrn = "";
    // Transforms, as the engine keeps them (pkg/resource/deploy/source_eval.go): a resource's own
    // `transforms` option applies to it and its descendants, stack transforms to every later resource.
    const stackTransforms: any[] = [];
    const resourceTransforms = new Map<string, any[]>();
    const callbackClients = new Map<string, any>();
    const transform = async (req: any, urn: string): Promise<void> => {
        const own: any[] = req.getTransformsList();
        resourceTransforms.set(urn, own);
        const chain = [...own];
        for (let parent: string | undefined = req.getParent(); parent; parent = byUrn.get(parent)?.parent) {
            chain.push(...(resourceTransforms.get(parent) ?? []));
        }
        chain.push(...stackTransforms);
        for (const callback of chain) await applyTransform(req, callback);
    };
    const applyTransform = async (req: any, callback: any): Promise<void> => {
        const { callbackpb, callbackrpc } = proto();
        const target: string = callback.getTarget();
        if (!callbackClients.has(target)) callbackClients.set(target, new callbackrpc.CallbacksClient(target, grpc.credentials.createInsecure()));
        const treq = new respb.TransformRequest();
        treq.setType(req.getType());
        treq.setName(req.getName());
        treq.setCustom(req.getCustom());
        treq.setParent(req.getParent());
        treq.setProperties(req.getObject() ?? new struct.Struct());
        treq.setOptions(transformOptions(req, respb));
        const invoke = new callbackpb.CallbackInvokeRequest();
        invoke.setToken(callback.getToken());
        invoke.setRequest(treq.serializeBinary());
        const resp = await new Promise<any>((resolve, reject) =>
            callbackClients.get(target).invoke(invoke, (err: any, r: any) => (err ? reject(new ProgramError(`A transform of ${req.getType()} '${req.getName()}' failed: ${err.details || err.message}`)) : resolve(r))),
        );
        const tresp = respb.TransformResponse.deserializeBinary(resp.getResponse_asU8());
        if (tresp.getProperties()) req.setObject(tresp.getProperties());
        if (tresp.getOptions()) applyTransformOptions(req, tresp.getOptions());
    };

    const providerOf = (ref: string | undefined) => (ref ? byUrn.get(providerUrn(ref)) : undefined);
    const regionOfProvider = (ref: string): string | undefined => {
        const provider = providerOf(ref);
        const region = provider ? unwrapSecrets(provider.properties.region) : undefined;
        if (typeof region === "string" && region !== UNKNOWN_VALUE) return region;
        return opts.config["aws:region"];
    };
    const answer = (token: string, args: Record<string, unknown>, providerRef: string) =>
        invokeResult(token, args, { providerRegion: regionOfProvider(providerRef), answers, answersFile });

    const fail = (callback: (err: any, resp?: any) => void, e: unknown) => {
        const message = e instanceof Error ? e.message : String(e);
        callback({ code: grpc.status.UNKNOWN, details: message, message });
    };

    const monitor = {
        supportsFeature(call: any, callback: any) {
            const resp = new respb.SupportsFeatureResponse();
            resp.setHassupport(FEATURES.has(call.request.getId()));
            callback(null, resp);
        },
        async registerResource(call: any, callback: any) {
            try {
                const req = call.request;
                const urn = newUrn(stackName, projectName, req.getParent(), req.getType(), req.getName());
                await transform(req, urn);
                const record = recordRegistration(req, urn);
                record.state = plannedState(record, pwd, providerOf, opts.config);
                recorded.push(record);
                byUrn.set(urn, record);
                opts.onResource?.(record);
                progress.registrations++;
                progress.lastRegistration = `${record.type} '${record.name}'`;
                const resp = new respb.RegisterResourceResponse();
                resp.setUrn(urn);
                // A resource being created has no id yet: the SDK treats "" as unknown in a preview.
                resp.setId("");
                resp.setObject(struct.Struct.fromJavaScript(record.properties));
                callback(null, resp);
            } catch (e) {
                fail(callback, e);
            }
        },
        readResource(call: any, callback: any) {
            // `Resource.get(name, id)`: the engine asks the provider to read the resource from the cloud.
            const req = call.request;
            const type: string = req.getType();
            try {
                const args = { id: req.getId(), ...((req.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>) };
                invokes.push({ token: type, inputs: unwrapSecrets(args) as Record<string, unknown> });
                progress.invokes++;
                progress.lastInvoke = `read of ${type} '${req.getName()}'`;
                const state = answer(type, args, req.getProvider());
                const urn = newUrn(stackName, projectName, req.getParent(), type, req.getName());
                const record: RecordedResource = {
                    type,
                    name: req.getName(),
                    urn,
                    custom: true,
                    parent: req.getParent() || undefined,
                    properties: state,
                    state: { ...state, id: req.getId() },
                    dependencies: req.getDependenciesList(),
                    propertyDependencies: {},
                    provider: req.getProvider() || undefined,
                    options: {},
                    external: true,
                };
                recorded.push(record);
                byUrn.set(urn, record);
                opts.onResource?.(record);
                const resp = new respb.ReadResourceResponse();
                resp.setUrn(urn);
                resp.setProperties(struct.Struct.fromJavaScript(state));
                callback(null, resp);
            } catch (e) {
                invokeErrors.push(e as Error);
                fail(callback, e);
            }
        },
        registerResourceOutputs(call: any, callback: any) {
            const urn: string = call.request.getUrn();
            outputs.set(urn, call.request.getOutputs()?.toJavaScript() ?? {});
            if (urn === rootUrn || urn.split("::")[2] === "pulumi:pulumi:Stack") progress.stackOutputsRegistered = true;
            callback(null, new empty.Empty());
        },
        invoke(call: any, callback: any) {
            const req = call.request;
            const token: string = req.getTok();
            const args = (req.getArgs()?.toJavaScript() ?? {}) as Record<string, unknown>;
            progress.invokes++;
            progress.lastInvoke = `invoke of ${token}`;
            try {
                let result: Record<string, unknown>;
                if (token === "pulumi:pulumi:getResource") {
                    const r = byUrn.get(String(args.urn));
                    if (!r) throw new Error(`unknown resource ${String(args.urn)}`);
                    result = { urn: r.urn, id: r.custom ? UNKNOWN_VALUE : "", state: r.properties };
                } else {
                    invokes.push({ token, inputs: unwrapSecrets(args) as Record<string, unknown> });
                    // Secrets stay wrapped: invokeResult unwraps them to match, and masks them in its messages.
                    result = answer(token, args, req.getProvider());
                }
                const resp = new provpb.InvokeResponse();
                resp.setReturn(struct.Struct.fromJavaScript(result));
                callback(null, resp);
            } catch (e) {
                invokeErrors.push(e as Error);
                fail(callback, e);
            }
        },
        call(call: any, callback: any) {
            const message = `the offline check cannot call the method '${call.request.getTok()}': methods of provider resources run in the provider, which the check does not have.`;
            invokeErrors.push(new Error(message));
            callback({ code: grpc.status.UNIMPLEMENTED, details: message });
        },
        registerStackTransform(call: any, callback: any) {
            stackTransforms.push(call.request);
            callback(null, new empty.Empty());
        },
        registerPackage(_call: any, callback: any) {
            const resp = new respb.RegisterPackageResponse();
            resp.setRef(`package-${recorded.length}`);
            callback(null, resp);
        },
        signalAndWaitForShutdown(_call: any, callback: any) {
            callback(null, new empty.Empty());
        },
    };
    const engine = {
        log(call: any, callback: any) {
            const req = call.request;
            logged.push({ severity: req.getSeverity(), message: req.getMessage(), urn: req.getUrn() || undefined });
            callback(null, new empty.Empty());
        },
        getRootResource(_call: any, callback: any) {
            const resp = new engpb.GetRootResourceResponse();
            resp.setUrn(rootUrn);
            callback(null, resp);
        },
        setRootResource(call: any, callback: any) {
            rootUrn = call.request.getUrn();
            callback(null, new engpb.SetRootResourceResponse());
        },
    };

    const server = new grpc.Server({
        "grpc.max_receive_message_length": MAX_RPC_MESSAGE_SIZE,
        "grpc.max_send_message_length": MAX_RPC_MESSAGE_SIZE,
    });
    server.addService(resrpc.ResourceMonitorService, monitor as any);
    server.addService(engrpc.EngineService, engine as any);
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    const address = `127.0.0.1:${port}`;

    const nodeargs = typeof opts.project.options.nodeargs === "string" ? opts.project.options.nodeargs.split(/\s+/).filter(Boolean) : [];
    // The compile cache is preloaded: the run itself is cmd/run's, type-check included (compile-cache.js).
    const cache = compileCacheLaunch(opts.env ? { ...process.env, ...opts.env } : process.env);
    const args = [
        ...nodeargs,
        ...cache.nodeArgs,
        runScript,
        "--monitor",
        address,
        "--engine",
        address,
        "--organization",
        ORGANIZATION,
        "--project",
        projectName,
        "--root-directory",
        opts.project.root,
        "--stack",
        stackName,
        "--pwd",
        pwd,
        "--dry-run",
        entry,
    ];
    const child = childProcess.spawn(process.execPath, args, { cwd: pwd, env: { ...programEnv(opts), ...cache.env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const keep = (chunk: Buffer) => {
        output += chunk.toString("utf8");
        if (output.length > 256 * 1024) output = output.slice(-256 * 1024);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const kill = () => child.kill("SIGKILL");
    process.on("exit", kill);
    const onAbort = () => kill();
    opts.signal?.addEventListener("abort", onAbort, { once: true });

    try {
        const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
            child.once("error", reject);
            child.once("close", (code, signal) => resolve({ code, signal }));
        });
        progress.exited = true;
        if (opts.signal?.aborted) throw new ProgramError("The program was stopped: the check's deadline passed.");
        const errors = logged.filter((l) => l.severity >= LOG_ERROR);
        if (exit.code !== 0 || errors.length > 0) {
            const message = failureMessage(exit, errors, invokeErrors, output, opts.placeholderKeys ?? []);
            throw new ProgramError(redact(message, secretStrings(opts.config, opts.secretKeys)));
        }
        const root = recorded.find((r) => r.type === "pulumi:pulumi:Stack");
        return {
            resources: recorded,
            outputs: (root && outputs.get(root.urn)) ?? {},
            invokes,
            progress,
        };
    } finally {
        opts.signal?.removeEventListener("abort", onAbort);
        process.removeListener("exit", kill);
        kill();
        for (const c of callbackClients.values()) c.close();
        server.forceShutdown();
    }
}

/** A registration's options as a transform sees them (the engine's TransformResourceOptions). */
function transformOptions(req: any, respb: any): any {
    const o = new respb.TransformResourceOptions();
    o.setDependsOnList(req.getDependenciesList());
    o.setProtect(req.getProtect());
    o.setIgnoreChangesList(req.getIgnorechangesList());
    o.setReplaceOnChangesList(req.getReplaceonchangesList());
    o.setVersion(req.getVersion());
    o.setAliasesList(req.getAliasesList());
    o.setProvider(req.getProvider());
    if (req.getCustomtimeouts()) o.setCustomTimeouts(req.getCustomtimeouts());
    o.setPluginDownloadUrl(req.getPlugindownloadurl());
    o.setRetainOnDelete(req.getRetainondelete());
    o.setDeletedWith(req.getDeletedwith());
    if (req.getDeletebeforereplacedefined()) o.setDeleteBeforeReplace(req.getDeletebeforereplace());
    o.setAdditionalSecretOutputsList(req.getAdditionalsecretoutputsList());
    for (const [k, v] of req.getProvidersMap().entries()) o.getProvidersMap().set(k, v);
    o.setImport(req.getImportid());
    return o;
}

/** The options a transform returned, written back into the registration as the engine does. */
function applyTransformOptions(req: any, o: any): void {
    req.setDependenciesList(o.getDependsOnList());
    req.setProtect(o.getProtect());
    req.setIgnorechangesList(o.getIgnoreChangesList());
    req.setReplaceonchangesList(o.getReplaceOnChangesList());
    req.setAliasesList(o.getAliasesList());
    req.setProvider(o.getProvider());
    req.setCustomtimeouts(o.getCustomTimeouts());
    req.setRetainondelete(o.getRetainOnDelete());
    req.setDeletedwith(o.getDeletedWith());
    req.setDeletebeforereplacedefined(o.hasDeleteBeforeReplace());
    req.setDeletebeforereplace(o.getDeleteBeforeReplace() ?? false);
    req.setAdditionalsecretoutputsList(o.getAdditionalSecretOutputsList());
    req.setImportid(o.getImport());
}

/** The environment pulumi-language-nodejs gives the program. */
function programEnv(opts: HostRunOptions): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of Object.keys(env)) {
        // The check's own ts-node settings and any engine addresses of ours never reach the program.
        if (k.startsWith("TS_NODE_") || k === "PULUMI_NODEJS_MONITOR" || k === "PULUMI_NODEJS_ENGINE") delete env[k];
    }
    env.PULUMI_CONFIG = JSON.stringify(opts.config);
    env.PULUMI_CONFIG_SECRET_KEYS = JSON.stringify(opts.secretKeys);
    const o = opts.project.options;
    // The language host's default: TypeScript on unless `typescript: false`.
    if (o.typescript !== false && o.typescript !== "false") env.PULUMI_NODEJS_TYPESCRIPT = "true";
    if (typeof o.tsconfig === "string") env.PULUMI_NODEJS_TSCONFIG_PATH = o.tsconfig;
    return { ...env, ...opts.env };
}

/** The plaintexts of the stack's secrets (whole values and the string leaves of structured ones). */
export function secretStrings(config: Record<string, string>, secretKeys: string[]): string[] {
    const out = new Set<string>();
    const leaves = (v: unknown): void => {
        if (typeof v === "string") out.add(v);
        else if (typeof v === "number") out.add(String(v));
        else if (Array.isArray(v)) v.forEach(leaves);
        else if (v && typeof v === "object") Object.values(v).forEach(leaves);
    };
    for (const k of secretKeys) {
        const raw = config[k];
        if (raw === undefined) continue;
        out.add(raw);
        try {
            leaves(JSON.parse(raw));
        } catch {
            // a plain string
        }
    }
    // Very short values would blank out ordinary words of the message; the placeholder is no secret.
    return [...out].filter((s) => s.length >= 4 && s !== SECRET_PLACEHOLDER).sort((a, b) => b.length - a.length);
}

/** A message with every secret plaintext replaced by "[secret]": a secret never reaches the output. */
export function redact(message: string, secrets: string[]): string {
    return secrets.reduce((m, s) => m.split(s).join("[secret]"), message);
}

function failureMessage(
    exit: { code: number | null; signal: NodeJS.Signals | null },
    errors: { message: string; urn?: string }[],
    invokeErrors: Error[],
    output: string,
    placeholderKeys: string[],
): string {
    const parts: string[] = [];
    // An invoke the check could not answer: its message says how to add an answer, which the SDK's
    // own wrapping ("Invoke of … failed: …") would bury.
    if (invokeErrors.length > 0) parts.push(invokeErrors[0].message);
    else if (errors.length > 0) parts.push(...[...new Set(errors.map((e) => e.message.trim()))]);
    else {
        const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
        const tail = output.trim().split("\n").slice(-30).join("\n");
        parts.push(`The program ${how}${tail ? `:\n${tail}` : " without a message."}`);
    }
    if (placeholderKeys.length > 0) {
        parts.push(
            `Note: these secret config keys received a placeholder, not their value, because the stack's secrets could not be decrypted here (set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE for a passphrase stack): ${placeholderKeys.join(", ")}.`,
        );
    }
    return parts.join("\n");
}

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
import { childLaunch } from "./compileCache";
import { newUrn, RecordedResource, recordRegistration, RunResult } from "./engine";
import { invokeAnswersPath, InvokeAnswers, readInvokeAnswers } from "./invokeAnswers";
import { invokeResult } from "./invokes";
import { plannedState } from "./planned";
import { failureMessage, newProgress, redact, RunProgress, secretStrings } from "./programFailure";
import { locateRunScript, ProgramError, programLocation, ProjectInfo } from "./project";
import { providerUrn } from "./providers";
import { monitorProto } from "./pulumiInternals";
import { Transforms } from "./transforms";
import { UNKNOWN_VALUE, unwrapSecrets } from "./wire";

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

export const ORGANIZATION = "organization";

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
    const { grpc, resrpc, respb, engrpc, engpb, provpb, struct, empty } = monitorProto();
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
    const transforms = new Transforms((urn) => byUrn.get(urn)?.parent);

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
                await transforms.apply(req, urn);
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
            transforms.addStackTransform(call.request);
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
    // lean-sdk.js and the compile cache are preloaded: the run itself is cmd/run's, type-check included.
    const cache = childLaunch(opts.env ? { ...process.env, ...opts.env } : process.env);
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
    const child = childProcess.spawn(process.execPath, args, {
        cwd: pwd,
        env: { ...programEnv(opts), ...cache.env },
        stdio: ["ignore", "pipe", "pipe"],
    });
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
        transforms.close();
        server.forceShutdown();
    }
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

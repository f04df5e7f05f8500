// The Analyzer client: talks to a started policy pack (packProcess.ts) over the real
// pulumirpc.Analyzer gRPC protocol, so a pack can be exercised without the CLI.
//
// Conversation, in the CLI's order: Handshake (UNIMPLEMENTED is fine) -> ConfigureStack (only when
// stack options are given) -> GetAnalyzerInfo -> Configure (with the reconciled policy config) ->
// Analyze per resource / AnalyzeStack once for the whole stack. An RPC that fails because the pack
// died is a PolicyPackError "crash" with the pack's stderr tail; one the pack answers with an error
// is a "policy" error.
import type * as grpcTypes from "@grpc/grpc-js";
import type * as analyzerGrpcTypes from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type * as analyzerPbTypes from "@pulumi/pulumi/proto/analyzer_pb";
import type * as emptyPbTypes from "google-protobuf/google/protobuf/empty_pb";

import { analyzeRequest, analyzeStackRequest, analyzerInfoFrom, configureRequest, diagnosticsFrom } from "./analyzerMessages";
import { reconcilePolicyConfig } from "./packConfig";
import type { PackProcess } from "./packProcess";
import {
    AnalyzerInfo,
    CheckedResource,
    describeExit,
    ExitInfo,
    PackConfig,
    PolicyConfigEntry,
    PolicyConfigError,
    PolicyDiagnostic,
    PolicyPackClient,
    PolicyPackError,
    StackContext,
} from "./packTypes";
import { analyzerProto } from "./pulumiInternals";

/**
 * run-policy-pack shifts this argument off and never dials it; the SDK only connects to an engine
 * named by PULUMI_NODEJS_ENGINE, which we keep out of the pack's environment.
 */
export const ENGINE_ADDRESS_PLACEHOLDER = "127.0.0.1:0";
/** The CLI and the SDK's server both raise gRPC's message limit to 400 MB. */
const MAX_RPC_MESSAGE_SIZE = 400 * 1024 * 1024;
const ANALYZE_CONCURRENCY = 16;

type Callback<T> = (err: grpcTypes.ServiceError | null, res: T) => void;

/** A started pack's Analyzer service, called in the CLI's order. */
export class AnalyzerConnection implements PolicyPackClient {
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
        const { grpc, rpc } = analyzerProto();
        this.client = new rpc.AnalyzerClient(address, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": MAX_RPC_MESSAGE_SIZE,
            "grpc.max_send_message_length": MAX_RPC_MESSAGE_SIZE,
        });
    }

    async connect(deadline: number, stack: StackContext | undefined): Promise<void> {
        const { grpc, pb } = analyzerProto();
        await new Promise<void>((resolve, reject) => this.client.waitForReady(deadline, (err) => (err ? reject(err) : resolve())));
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
            await this.call<analyzerPbTypes.AnalyzerStackConfigureResponse>("ConfigureStack", (cb) => this.client.configureStack(req, cb), [
                grpc.status.UNIMPLEMENTED,
            ]);
        }
    }

    async getAnalyzerInfo(): Promise<AnalyzerInfo> {
        const { empty } = analyzerProto();
        const resp = await this.call<analyzerPbTypes.AnalyzerInfo>("GetAnalyzerInfo", (cb) =>
            this.client.getAnalyzerInfo(new empty.Empty(), cb),
        );
        this.info = analyzerInfoFrom(resp, this.yamlVersion);
        return this.info;
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
        const req = configureRequest(reconciled);
        await this.call<emptyPbTypes.Empty>("Configure", (cb) => this.client.configure(req, cb));
        this.configured = true;
        return reconciled;
    }

    async analyze(resources: CheckedResource[]): Promise<PolicyDiagnostic[]> {
        await this.ensureConfigured();
        // Several calls in flight hide the round trips; results keep the resources' order.
        // The engine calls Analyze for the resources the program registers, not for those it reads.
        resources = resources.filter((r) => !r.external);
        const results: PolicyDiagnostic[][] = new Array(resources.length);
        let next = 0;
        const worker = async () => {
            while (next < resources.length) {
                const i = next++;
                const r = resources[i];
                const req = analyzeRequest(r);
                const resp = await this.call<analyzerPbTypes.AnalyzeResponse>(`Analyze(${r.urn})`, (cb) => this.client.analyze(req, cb));
                results[i] = diagnosticsFrom(resp, r.urn, this.yamlVersion);
            }
        };
        await Promise.all(Array.from({ length: Math.min(ANALYZE_CONCURRENCY, resources.length) }, worker));
        return results.flat();
    }

    async analyzeStack(resources: CheckedResource[]): Promise<PolicyDiagnostic[]> {
        await this.ensureConfigured();
        // Only the resources the program registers: the engine keeps those it reads (Resource.get) apart
        // (step_executor.go: reads, not news).
        resources = resources.filter((r) => !r.external);
        const req = analyzeStackRequest(resources);
        const resp = await this.call<analyzerPbTypes.AnalyzeResponse>("AnalyzeStack", (cb) => this.client.analyzeStack(req, cb));
        return diagnosticsFrom(resp, undefined, this.yamlVersion);
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
        const { grpc } = analyzerProto();
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

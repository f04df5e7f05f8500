// What the check and a policy pack exchange over the Analyzer protocol, as the check holds it: a
// resource as the engine sends it, a pack's description and config, its diagnostics, and the
// errors of a pack that fails to start, crashes or is given a bad config.

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
export type PolicySeverity = "low" | "medium" | "high" | "critical";

/** What the engine sends for one resource. */
export interface CheckedResource {
    type: string;
    name: string;
    urn: string;
    parent?: string;
    /**
     * Wire form: unknowns as the sentinel string UNKNOWN_VALUE, secrets as
     * secretValue (wire.ts). Keys starting with "__" are dropped, as the CLI does.
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

/** How a pack's process ended. */
export interface ExitInfo {
    code: number | null;
    signal: NodeJS.Signals | null;
}

/** "exited with code 1" / "was killed by SIGKILL", for the messages of a pack that ended. */
export function describeExit(e: ExitInfo): string {
    return e.signal ? `was killed by ${e.signal}` : `exited with code ${e.code}`;
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
     * Reconciles `config` with the pack's policies as the CLI does (reconcilePolicyConfig, packConfig.ts)
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

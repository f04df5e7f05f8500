// The private parts of the Pulumi SDKs the check stands on, in one place: the generated gRPC stubs
// (@pulumi/pulumi/proto), the runtime's mock monitor and module state, the scripts the CLI starts
// (cmd/run, cmd/run-policy-pack), @pulumi/policy's own deserialisation, and the marker the Node.js
// code generator writes for output-only properties. None of it is public API: an upgrade may move
// any of it. Everything here was written against WRITTEN_AGAINST; `@pulumi/policy` is pinned to it
// in package.json, and tests/check/pulumiInternals.spec.ts checks every member the check uses
// (INTERNALS) so that an upgrade that moves one fails there, naming it, not somewhere deep in a run.

import { createRequire } from "module";

import type * as grpcTypes from "@grpc/grpc-js";
import type * as analyzerGrpcTypes from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type * as analyzerPbTypes from "@pulumi/pulumi/proto/analyzer_pb";
import type * as emptyPbTypes from "google-protobuf/google/protobuf/empty_pb";
import type * as structPbTypes from "google-protobuf/google/protobuf/struct_pb";
import type * as pulumi from "@pulumi/pulumi";

/** The versions this module was written against (and `@pulumi/policy`'s exact pin in package.json). */
export const WRITTEN_AGAINST = { "@pulumi/pulumi": "3.248.0", "@pulumi/policy": "1.21.0" } as const;

// ------------------------------------------------------------------------------------------------
// Generated stubs and gRPC, loaded from @pulumi/pulumi's own dependency tree so that the message
// classes, google-protobuf and grpc-js instances all match the stubs (they use instanceof checks).
// ------------------------------------------------------------------------------------------------

export interface AnalyzerProto {
    grpc: typeof grpcTypes;
    rpc: typeof analyzerGrpcTypes;
    pb: typeof analyzerPbTypes;
    struct: typeof structPbTypes;
    empty: typeof emptyPbTypes;
}

let analyzerCache: AnalyzerProto | undefined;

/** The Analyzer service's stubs, for the client that talks to a pack. */
export function analyzerProto(): AnalyzerProto {
    if (!analyzerCache) {
        const fromStubs = createRequire(require.resolve("@pulumi/pulumi/proto/analyzer_grpc_pb"));
        analyzerCache = {
            grpc: fromStubs("@grpc/grpc-js") as typeof grpcTypes,
            rpc: fromStubs("./analyzer_grpc_pb") as typeof analyzerGrpcTypes,
            pb: fromStubs("./analyzer_pb") as typeof analyzerPbTypes,
            struct: fromStubs("google-protobuf/google/protobuf/struct_pb") as typeof structPbTypes,
            empty: fromStubs("google-protobuf/google/protobuf/empty_pb") as typeof emptyPbTypes,
        };
    }
    return analyzerCache;
}

export interface MonitorProto {
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

let monitorCache: MonitorProto | undefined;

/** The ResourceMonitor, Engine and Callbacks services' stubs, for the monitor a program talks to. */
export function monitorProto(): MonitorProto {
    if (!monitorCache) {
        const r = createRequire(require.resolve("@pulumi/pulumi/proto/resource_grpc_pb"));
        monitorCache = {
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
    return monitorCache;
}

// ------------------------------------------------------------------------------------------------
// The scripts the CLI starts, and what it reads PulumiPolicy.yaml with
// ------------------------------------------------------------------------------------------------

/** `@pulumi/pulumi/cmd/run-policy-pack` as the CLI finds it: from the pack, else from the check. Throws when neither has it. */
export function runPolicyPackScript(packDir: string): string {
    try {
        return require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
    } catch {
        return require.resolve("@pulumi/pulumi/cmd/run-policy-pack");
    }
}

/** `@pulumi/pulumi/cmd/run` as the language host finds it: from the program's own node_modules. Throws when absent. */
export function runProgramScript(pwd: string): string {
    return require.resolve("@pulumi/pulumi/cmd/run", { paths: [pwd] });
}

/** YAML parsed with js-yaml, a dependency of @pulumi/pulumi (loaded from there). */
export function loadYaml(text: string): unknown {
    return (createRequire(require.resolve("@pulumi/pulumi"))("js-yaml") as { load(text: string): unknown }).load(text);
}

// ------------------------------------------------------------------------------------------------
// The runtime's mock engine and module state (the in-process run of engine.ts)
// ------------------------------------------------------------------------------------------------

/** MockMonitor as the check extends it: `newUrn` is private in its typings, and overridden. */
export interface MockMonitorBase {
    newUrn(parent: string, type: string, name: string): string;
    registerResource(req: any, callback: (err: any, resp: any) => void): Promise<void>;
    registerResourceOutputs(req: any, callback: (err: any, resp: any) => void): void;
}

export interface MockRuntime {
    MockMonitor: new (mocks: pulumi.runtime.Mocks) => MockMonitorBase;
    setMockOptions(monitor: unknown, project: string, stack: string, preview: boolean): void;
    getStack(): string;
    getProject(): string;
    /** The runtime's module state; the check sets the feature flags a real monitor would answer. */
    getStore(): Record<string, unknown>;
    runInPulumiStack(init: () => unknown): Promise<Record<string, unknown> | undefined>;
    waitForRPCs(): Promise<void>;
}

/** The feature flags of the runtime's store the in-process run sets (as the CLI's monitor answers them). */
export const STORE_FEATURES = [
    "supportsSecrets",
    "supportsResourceReferences",
    "supportsOutputValues",
    "supportsDeletedWith",
    "supportsAliasSpecs",
] as const;

export function mockRuntime(): MockRuntime {
    const { MockMonitor } = require("@pulumi/pulumi/runtime/mocks");
    const { setMockOptions, getStack, getProject, waitForRPCs } = require("@pulumi/pulumi/runtime/settings");
    const { getStore } = require("@pulumi/pulumi/runtime/state");
    const { runInPulumiStack } = require("@pulumi/pulumi/runtime/stack");
    return { MockMonitor, setMockOptions, getStack, getProject, getStore, runInPulumiStack, waitForRPCs };
}

// ------------------------------------------------------------------------------------------------
// @pulumi/policy: how a pack's stack policy sees the resources (coverage.ts reads them the same way)
// ------------------------------------------------------------------------------------------------

export interface PolicyInternals {
    deserializeProperties(struct: { toJavaScript(): unknown }, proxySecrets: boolean): Record<string, unknown>;
    unknownCheckingProxy<T>(v: T): T;
    getPulumiType(v: unknown): string | undefined;
}

export function policyInternals(): PolicyInternals {
    const { deserializeProperties } = require("@pulumi/policy/deserialize");
    const { unknownCheckingProxy } = require("@pulumi/policy/proxy");
    const { getPulumiType } = require("@pulumi/policy/policy");
    return { deserializeProperties, unknownCheckingProxy, getPulumiType };
}

// ------------------------------------------------------------------------------------------------
// The generated SDKs (@pulumi/aws ...): what planned.ts reads from a resource class's source
// ------------------------------------------------------------------------------------------------

/** The Node.js code generator's initialiser of each output-only property: `resourceInputs["arn"] = undefined /*out*\/;`. */
export const OUTPUT_ONLY_PROPERTY = /resourceInputs\["([A-Za-z0-9_$]+)"\] = undefined \/\*out\*\//g;
/** How an AWS v7 regional resource class takes its `region` input. */
export const REGION_INPUT = `resourceInputs["region"] = args?.region`;

// ------------------------------------------------------------------------------------------------
// What the check uses of each, checked by tests/check/pulumiInternals.spec.ts
// ------------------------------------------------------------------------------------------------

export interface Internal {
    /** The module, as required (stub modules: resolved beside the stubs, as the check loads them). */
    module: string;
    /** What the check does with it, for the message when it moves. */
    usedFor: string;
    /** Dotted paths that must not be undefined, e.g. "AnalyzerClient.prototype.analyze". */
    members: string[];
}

/** Classes and the methods the check calls on their instances: `{ Cls: "methodA methodB" }`. */
/** Classes and the methods the check calls on their instances: `{ Cls: "methodA methodB" }`. */
const messages = (names: Record<string, string>) =>
    Object.entries(names).flatMap(([cls, methods]) => [cls, ...words(methods).map((m) => `${cls}.prototype.${m}`)]);
const words = (text: string) => text.split(/\s+/).filter(Boolean);

export const INTERNALS: Internal[] = [
    {
        module: "@pulumi/pulumi/proto/analyzer_grpc_pb",
        usedFor: "the Analyzer client (analyzer.ts)",
        members: messages({ AnalyzerClient: "handshake configureStack getAnalyzerInfo configure analyze analyzeStack waitForReady close" }),
    },
    {
        module: "@pulumi/pulumi/proto/analyzer_pb",
        usedFor: "the Analyzer messages (analyzerMessages.ts, analyzer.ts)",
        members: messages({
            AnalyzerHandshakeRequest: "setEngineAddress setRootDirectory setProgramDirectory",
            AnalyzerStackConfigureRequest: "setStack setProject setOrganization setDryRun getTagsMap getConfigMap",
            ConfigureAnalyzerRequest: "getPolicyconfigMap",
            PolicyConfig: "setEnforcementlevel setProperties getEnforcementlevel getProperties",
            AnalyzeRequest: "setType setName setUrn setProperties setOptions setProvider",
            AnalyzeStackRequest: "setResourcesList",
            AnalyzerResource: `setType setName setUrn setProperties setOptions setProvider setParent setDependenciesList
                getPropertydependenciesMap`,
            AnalyzerPropertyDependencies: "setUrnsList",
            AnalyzerResourceOptions: `setProtect setIgnorechangesList setDeletebeforereplace setDeletebeforereplacedefined
                setAdditionalsecretoutputsList setAliasesList setCustomtimeouts setParent`,
            "AnalyzerResourceOptions.CustomTimeouts": "setCreate setUpdate setDelete",
            AnalyzerProviderResource: "setType setName setUrn setProperties",
            AnalyzerInfo: "getName getDisplayname getVersion getSupportsconfig getPoliciesList getInitialconfigMap",
            PolicyInfo: "getName getDisplayname getDescription getEnforcementlevel getConfigschema getPolicyType getSeverity",
            PolicyConfigSchema: "getProperties getRequiredList",
            AnalyzeResponse: "getDiagnosticsList",
            AnalyzeDiagnostic: `getPolicyname getPolicypackname getPolicypackversion getDescription getMessage getEnforcementlevel getUrn
                getSeverity`,
        }),
    },
    {
        module: "@pulumi/pulumi/proto/resource_grpc_pb",
        usedFor: "the monitor a program registers with (host.ts)",
        members: words(`supportsFeature registerResource readResource registerResourceOutputs invoke call
            registerStackTransform registerPackage signalAndWaitForShutdown`).map((m) => `ResourceMonitorService.${m}`),
    },
    {
        module: "@pulumi/pulumi/proto/resource_pb",
        usedFor: "the monitor's messages and the registrations it records (host.ts, engine.ts, transforms.ts)",
        members: messages({
            SupportsFeatureResponse: "setHassupport",
            RegisterResourceResponse: "setUrn setId setObject",
            ReadResourceResponse: "setUrn setProperties",
            RegisterPackageResponse: "setRef",
            RegisterResourceRequest: `getType getName getParent getCustom getObject setObject getDependenciesList getPropertydependenciesMap
                getProvider getProtect getIgnorechangesList getDeletebeforereplace getRetainondelete getAliasesList
                getCustomtimeouts getTransformsList getReplaceonchangesList getVersion getPlugindownloadurl getDeletedwith
                getDeletebeforereplacedefined getAdditionalsecretoutputsList getProvidersMap getImportid
                setDependenciesList setProtect setIgnorechangesList setReplaceonchangesList setAliasesList setProvider
                setCustomtimeouts setRetainondelete setDeletedwith setDeletebeforereplacedefined setDeletebeforereplace
                setAdditionalsecretoutputsList setImportid`,
            TransformRequest: "setType setName setCustom setParent setProperties setOptions serializeBinary",
            TransformResponse: "getProperties getOptions",
            TransformResourceOptions: `setDependsOnList setProtect setIgnoreChangesList setReplaceOnChangesList setVersion
                setAliasesList setProvider setCustomTimeouts setPluginDownloadUrl setRetainOnDelete setDeletedWith
                setDeleteBeforeReplace setAdditionalSecretOutputsList getProvidersMap setImport getDependsOnList getProtect
                getIgnoreChangesList getReplaceOnChangesList getAliasesList getProvider getCustomTimeouts getRetainOnDelete
                getDeletedWith hasDeleteBeforeReplace getDeleteBeforeReplace getAdditionalSecretOutputsList getImport`,
            "RegisterResourceRequest.CustomTimeouts": "getCreate getUpdate getDelete",
            ReadResourceRequest: "getId getType getName getParent getProperties getDependenciesList getProvider",
            RegisterResourceOutputsRequest: "getUrn getOutputs",
            ResourceInvokeRequest: "getTok getArgs getProvider",
            ResourceCallRequest: "getTok",
            SupportsFeatureRequest: "getId",
        }).concat(["TransformResponse.deserializeBinary"]),
    },
    {
        module: "@pulumi/pulumi/proto/engine_grpc_pb",
        usedFor: "the engine a program logs to (host.ts)",
        members: ["log", "getRootResource", "setRootResource"].map((m) => `EngineService.${m}`),
    },
    {
        module: "@pulumi/pulumi/proto/engine_pb",
        usedFor: "the engine's messages (host.ts)",
        members: [
            "GetRootResourceResponse",
            "SetRootResourceResponse",
            ...messages({ LogRequest: "getSeverity getMessage getUrn", SetRootResourceRequest: "getUrn" }),
        ],
    },
    {
        module: "@pulumi/pulumi/proto/alias_pb",
        usedFor: "a registration's aliases (engine.ts)",
        members: messages({ Alias: "getUrn getSpec" }),
    },
    { module: "@pulumi/pulumi/proto/provider_pb", usedFor: "invoke answers (host.ts)", members: messages({ InvokeResponse: "setReturn" }) },
    {
        module: "@pulumi/pulumi/proto/callback_pb",
        usedFor: "transforms (transforms.ts)",
        members: messages({ CallbackInvokeRequest: "setToken setRequest" }),
    },
    {
        module: "@pulumi/pulumi/proto/callback_grpc_pb",
        usedFor: "transforms (transforms.ts)",
        members: messages({ CallbacksClient: "invoke close" }),
    },
    {
        module: "@pulumi/pulumi/runtime/mocks",
        usedFor: "the in-process run's monitor, whose private newUrn the check overrides (engine.ts)",
        members: messages({ MockMonitor: "newUrn registerResource registerResourceOutputs" }),
    },
    {
        module: "@pulumi/pulumi/runtime/settings",
        usedFor: "the in-process run (engine.ts)",
        members: ["setMockOptions", "getStack", "getProject", "waitForRPCs"],
    },
    {
        module: "@pulumi/pulumi/runtime/state",
        usedFor: "the in-process run's feature flags (engine.ts)",
        members: ["getStore", "LocalStore"],
    },
    { module: "@pulumi/pulumi/runtime/stack", usedFor: "the in-process run (engine.ts)", members: ["runInPulumiStack"] },
    {
        module: "@pulumi/pulumi/runtime/debuggable",
        usedFor: "promise stacks captured without frames in program and pack processes (lean-sdk.js)",
        members: ["debuggablePromise", "promiseDebugString", "debugPromiseLeaks"],
    },
    {
        module: "@pulumi/pulumi/cmd/run/error",
        usedFor: "a failing program's error shown without Node's looping colored inspect (lean-sdk.js)",
        members: ["defaultErrorMessage"],
    },
    {
        module: "@pulumi/policy/deserialize",
        usedFor: "the census reads resources as a stack policy does (coverage.ts)",
        members: ["deserializeProperties"],
    },
    {
        module: "@pulumi/policy/proxy",
        usedFor: "unknown values throw when read (coverage.ts; policies/util.ts catches UnknownValueError)",
        members: ["unknownCheckingProxy", "UnknownValueError"],
    },
    { module: "@pulumi/policy/policy", usedFor: "PolicyResource.isType in the census (coverage.ts)", members: ["getPulumiType"] },
];

/** The members of `internal` that `loaded` (the module's exports) lacks, each named with the module and its use. */
export function missingMembers(internal: Internal, loaded: unknown): string[] {
    return internal.members
        .filter((member) => {
            let v: unknown = loaded;
            for (const key of member.split(".")) v = v === undefined || v === null ? undefined : (v as Record<string, unknown>)[key];
            return v === undefined;
        })
        .map((member) => `${internal.module} has no ${member} any more (the check uses it for ${internal.usedFor})`);
}

/** Every member of INTERNALS that the installed SDKs lack (or a module that cannot be loaded), as messages; [] when all are there. */
export function checkInternals(): string[] {
    return INTERNALS.flatMap((internal) => {
        let loaded: unknown;
        try {
            loaded = require(internal.module);
        } catch (e) {
            return [
                `${internal.module} cannot be loaded any more (the check uses it for ${internal.usedFor}): ${(e as Error).message.split("\n")[0]}`,
            ];
        }
        return missingMembers(internal, loaded);
    });
}

// The Analyzer protocol's messages, as the CLI builds and reads them: a resource for Analyze and
// AnalyzeStack, the reconciled config for Configure, a pack's description (GetAnalyzerInfo) and its
// diagnostics. Pure translation between the check's types (packTypes.ts) and the generated classes.
import type * as analyzerPbTypes from "@pulumi/pulumi/proto/analyzer_pb";
import type * as structPbTypes from "google-protobuf/google/protobuf/struct_pb";

import {
    AnalyzerInfo,
    CheckedResource,
    EnforcementLevel,
    JsonSchema,
    PolicyConfigEntry,
    PolicyDiagnostic,
    PolicyInfo,
    PolicySeverity,
} from "./packTypes";
import { analyzerProto } from "./pulumiInternals";
import { isRecord, toWireObject } from "./wire";

const LEVEL_TO_WIRE: Record<EnforcementLevel, number> = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 };

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

// ------------------------------------------------------------------------------------------------
// Resources
// ------------------------------------------------------------------------------------------------

/** The fields AnalyzeRequest and AnalyzerResource share. */
interface ResourceMessage {
    setType(v: string): unknown;
    setName(v: string): unknown;
    setUrn(v: string): unknown;
    setProperties(v: structPbTypes.Struct): unknown;
    setOptions(v: analyzerPbTypes.AnalyzerResourceOptions): unknown;
    setProvider(v: analyzerPbTypes.AnalyzerProviderResource): unknown;
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

/** One resource's AnalyzeRequest. */
export function analyzeRequest(r: CheckedResource): analyzerPbTypes.AnalyzeRequest {
    return describeResource(new (analyzerProto().pb.AnalyzeRequest)(), r);
}

/** AnalyzeStack's request: every resource with its planned state, parent and dependencies. */
export function analyzeStackRequest(resources: CheckedResource[]): analyzerPbTypes.AnalyzeStackRequest {
    const { pb } = analyzerProto();
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
    return req;
}

function wireStruct(props: Record<string, unknown>, urn: string): structPbTypes.Struct {
    return analyzerProto().struct.Struct.fromJavaScript(toWireObject(props, `${urn} properties.`));
}

function wireOptions(r: CheckedResource): analyzerPbTypes.AnalyzerResourceOptions {
    const { pb } = analyzerProto();
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
    const p = new (analyzerProto().pb.AnalyzerProviderResource)();
    p.setType(r.provider.type);
    p.setName(r.provider.name);
    p.setUrn(r.provider.urn);
    p.setProperties(wireStruct(r.provider.properties, r.provider.urn));
    return p;
}

// ------------------------------------------------------------------------------------------------
// Configure
// ------------------------------------------------------------------------------------------------

/** Configure's request for the reconciled config of every policy. */
export function configureRequest(reconciled: Record<string, PolicyConfigEntry>): analyzerPbTypes.ConfigureAnalyzerRequest {
    const { pb, struct } = analyzerProto();
    const req = new pb.ConfigureAnalyzerRequest();
    for (const [name, entry] of Object.entries(reconciled)) {
        const pc = new pb.PolicyConfig();
        pc.setEnforcementlevel(LEVEL_TO_WIRE[entry.enforcementLevel]);
        // Always send a Struct: the SDK's Configure handler reads it unconditionally.
        pc.setProperties(struct.Struct.fromJavaScript(toWireObject(entry.properties ?? {}, `${name}.`)));
        req.getPolicyconfigMap().set(name, pc);
    }
    return req;
}

// ------------------------------------------------------------------------------------------------
// What a pack answers
// ------------------------------------------------------------------------------------------------

/** GetAnalyzerInfo's answer; `yamlVersion`: PulumiPolicy.yaml's version, which wins when set (as the CLI does). */
export function analyzerInfoFrom(resp: analyzerPbTypes.AnalyzerInfo, yamlVersion: string | undefined): AnalyzerInfo {
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
        version: yamlVersion ?? resp.getVersion(),
        policies,
        supportsConfig,
    };
    if (resp.getDisplayname()) {
        info.displayName = resp.getDisplayname();
    }
    if (initialConfig) {
        info.initialConfig = initialConfig;
    }
    return info;
}

/** The diagnostics of an Analyze or AnalyzeStack answer; each without a URN gets `defaultUrn`. */
export function diagnosticsFrom(
    resp: analyzerPbTypes.AnalyzeResponse,
    defaultUrn: string | undefined,
    yamlVersion: string | undefined,
): PolicyDiagnostic[] {
    return resp.getDiagnosticsList().map((d) => {
        const diag: PolicyDiagnostic = {
            policyPackName: d.getPolicypackname(),
            // As the CLI does: PulumiPolicy.yaml's version, when set, wins.
            policyPackVersion: yamlVersion ?? d.getPolicypackversion(),
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

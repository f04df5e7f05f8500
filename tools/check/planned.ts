// The planned state of a resource in a preview, as the engine hands it to AnalyzeStack. The engine
// sends each resource's state after its step (pkg/resource/deploy/step_generator.go, AnalyzeStack:
// `Properties: v.Outputs`); in a preview of a create, the provider's Create(preview=true) answers
// the inputs plus every value it computes, unknown: `id`, `arn`, a certificate's `notAfter` … A
// published pack may read them (awsguard's ACM check reads `id` and skips a certificate whose id is
// not known yet), so they must arrive as unknowns, not be absent.
//
// Which values a provider computes comes from its generated SDK: every output-only property is
// initialised as `resourceInputs["x"] = undefined /*out*/;` in the resource class (the Pulumi
// Node.js code generator writes that marker for each property that is an output and not an input).
import * as fs from "fs";
import * as path from "path";
import type { RecordedResource } from "./engine";
import { OUTPUT_ONLY_PROPERTY, REGION_INPUT } from "./pulumiInternals";
import { isUnknownValue, UNKNOWN_VALUE } from "./wire";

interface TypeInfo {
    computed: string[];
    /** An AWS v7 regional resource: it takes a `region` input. */
    regional: boolean;
}
const typeCache = new Map<string, TypeInfo>();

/** The SDK module file of a type token, e.g. aws:acm/certificate:Certificate → @pulumi/aws/acm/certificate.js. */
function moduleFile(type: string, searchFrom: string): string | undefined {
    const [pkg, mod] = type.split(":");
    if (!pkg || !mod) return undefined;
    let root: string;
    try {
        root = path.dirname(require.resolve(`@pulumi/${pkg}/package.json`, { paths: [searchFrom, __dirname] }));
    } catch {
        return undefined;
    }
    const parts = mod.split("/");
    const rel = parts[0] === "index" ? parts.slice(1) : parts;
    const file = path.join(root, ...rel) + ".js";
    return fs.existsSync(file) ? file : undefined;
}

function typeInfo(type: string, searchFrom: string): TypeInfo {
    const key = `${searchFrom}\0${type}`;
    const cached = typeCache.get(key);
    if (cached) return cached;
    const info: TypeInfo = { computed: [], regional: false };
    const file = moduleFile(type, searchFrom);
    if (file) {
        const text = fs.readFileSync(file, "utf8");
        // The file must declare this very type (a module path that happens to exist proves nothing).
        if (text.includes(`'${type}'`) || text.includes(`"${type}"`)) {
            info.computed = [...text.matchAll(OUTPUT_ONLY_PROPERTY)].map((m) => m[1]);
            info.regional = text.includes(REGION_INPUT);
        }
    }
    typeCache.set(key, info);
    return info;
}

/** The output-only properties of a resource type, from its generated SDK; [] when the SDK cannot be read. */
export function computedOutputs(type: string, searchFrom: string): string[] {
    return typeInfo(type, searchFrom).computed;
}

/**
 * The planned state of `r` for AnalyzeStack; undefined where it equals the inputs (components,
 * providers). Two values AWS's provider computes at plan time are known there, and so here:
 * `region` (v7: the provider's region when unset) and `tagsAll` (the tags merged over the
 * provider's default tags).
 */
export function plannedState(
    r: RecordedResource,
    searchFrom: string,
    providerOf: (ref: string | undefined) => RecordedResource | undefined,
    config: Record<string, string>,
): Record<string, unknown> | undefined {
    if (!r.custom || r.type.startsWith("pulumi:providers:")) return undefined;
    const state: Record<string, unknown> = { ...r.properties, id: UNKNOWN_VALUE };
    const computed = computedOutputs(r.type, searchFrom);
    for (const k of computed) {
        if (!(k in state)) state[k] = UNKNOWN_VALUE;
    }
    if (r.type.startsWith("aws:")) {
        const provider = providerOf(r.provider);
        const providerInputs = provider?.properties ?? { region: config["aws:region"], defaultTags: parseJson(config["aws:defaultTags"]) };
        if (state.region === undefined && typeInfo(r.type, searchFrom).regional) {
            state.region = providerInputs.region ?? UNKNOWN_VALUE;
        }
        // A provider's object inputs reach the engine as JSON text (the SDK's Provider class stringifies them).
        const defaultTags =
            typeof providerInputs.defaultTags === "string" ? parseJson(providerInputs.defaultTags) : providerInputs.defaultTags;
        if (computed.includes("tagsAll")) state.tagsAll = tagsAll(state.tags, defaultTags);
    }
    return state;
}

function parseJson(v: string | undefined): unknown {
    if (v === undefined) return undefined;
    try {
        return JSON.parse(v);
    } catch {
        return undefined;
    }
}

function tagsAll(tags: unknown, defaultTags: unknown): unknown {
    if (isUnknownValue(tags) || isUnknownValue(defaultTags)) return UNKNOWN_VALUE;
    const defaults = defaultTags && typeof defaultTags === "object" ? (defaultTags as { tags?: unknown }).tags : undefined;
    if (isUnknownValue(defaults)) return UNKNOWN_VALUE;
    return { ...(defaults && typeof defaults === "object" ? defaults : {}), ...(tags && typeof tags === "object" ? tags : {}) };
}

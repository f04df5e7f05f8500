// The drill stack's `drill` output (what the drill component exports, see docs/drills/README.md) and the
// source stack's primary region, read from Pulumi.<source>.yaml beside the project.
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";

export class DrillInputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "DrillInputError";
    }
}

export interface AtlasStore {
    readonly store: string;
    readonly kind: "atlas";
    readonly projectId: string;
    readonly sourceCluster: string;
    readonly drillCluster: string;
    readonly snapshotId: string;
    readonly restoreJobId: string;
    readonly copyRegion: string;
    /** Optional addition: when the snapshot was taken, if the restore job does not say. */
    readonly snapshotCreatedAt?: string;
}
export interface S3Store {
    readonly store: string;
    readonly kind: "s3";
    readonly sourceBucket: string;
    readonly copyBucket: string;
    readonly drillBucket: string;
    readonly keys: readonly string[];
    readonly tier: "Bulk" | "Standard";
    /** Optional addition: when the drill asked S3 to restore the keys (ISO time); gives the retrieval's duration. */
    readonly requestedAt?: string;
}
export interface OpenSearchStore {
    readonly store: string;
    readonly kind: "opensearch";
    readonly sourceEndpoint: string;
    readonly drillEndpoint: string;
    readonly repository: string;
    readonly snapshot: string;
    readonly indices: readonly string[];
    readonly restoreStartedAt?: string;
    readonly restoreFinishedAt?: string;
}
export type DrillStore = AtlasStore | S3Store | OpenSearchStore;

export interface DrillOutput {
    readonly environment: string;
    readonly source: string;
    readonly stack: string;
    readonly region: string;
    readonly stores: readonly DrillStore[];
}

const REQUIRED: Record<DrillStore["kind"], readonly string[]> = {
    atlas: ["projectId", "sourceCluster", "drillCluster", "snapshotId", "restoreJobId", "copyRegion"],
    s3: ["sourceBucket", "copyBucket", "drillBucket", "keys", "tier"],
    opensearch: ["sourceEndpoint", "drillEndpoint", "repository", "snapshot", "indices"],
};
const OPTIONAL_TIMES = ["restoreStartedAt", "restoreFinishedAt", "requestedAt", "snapshotCreatedAt"];

const shown = (v: unknown) => (typeof v === "string" ? `'${v}'` : v === undefined ? "nothing" : JSON.stringify(v));
const isText = (v: unknown): v is string => typeof v === "string" && v.trim() !== "";

/** Checks the output's shape; `where` names it in errors ("output 'drill' of stack staging-drill"). */
export function parseDrillOutput(raw: unknown, where: string): DrillOutput {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
        throw new DrillInputError(`${where} must be an object with environment, source, stack, region and stores; found ${shown(raw)}.`);
    }
    const o = raw as Record<string, unknown>;
    for (const key of ["environment", "source", "stack", "region"]) {
        if (!isText(o[key])) throw new DrillInputError(`${where}: field '${key}' must be a non-empty string; found ${shown(o[key])}.`);
    }
    if (!Array.isArray(o.stores) || o.stores.length === 0) {
        throw new DrillInputError(`${where}: field 'stores' must be a non-empty list of the restored stores; found ${shown(o.stores)}.`);
    }
    const names = new Set<string>();
    o.stores.forEach((s: unknown, i: number) => {
        const at = `${where}: stores[${i}]`;
        if (typeof s !== "object" || s === null) throw new DrillInputError(`${at} must be an object; found ${shown(s)}.`);
        const st = s as Record<string, unknown>;
        if (!isText(st.store)) throw new DrillInputError(`${at}: field 'store' must be a non-empty string; found ${shown(st.store)}.`);
        if (names.has(st.store)) throw new DrillInputError(`${at}: store '${st.store}' is listed twice.`);
        names.add(st.store);
        const kind = st.kind;
        if (kind !== "atlas" && kind !== "s3" && kind !== "opensearch") {
            throw new DrillInputError(`${at} (${st.store}): field 'kind' must be atlas, s3 or opensearch; found ${shown(kind)}.`);
        }
        for (const key of REQUIRED[kind]) {
            const v = st[key];
            const ok =
                key === "keys" || key === "indices"
                    ? Array.isArray(v) && v.length > 0 && v.every(isText)
                    : key === "tier"
                      ? v === "Bulk" || v === "Standard"
                      : isText(v);
            if (ok) continue;
            const want =
                key === "keys" || key === "indices"
                    ? "a non-empty list of strings"
                    : key === "tier"
                      ? "Bulk or Standard"
                      : "a non-empty string";
            throw new DrillInputError(
                v === undefined
                    ? `${at} (${st.store}, ${kind}): field '${key}' is missing: it must be ${want}.`
                    : `${at} (${st.store}, ${kind}): field '${key}' must be ${want}; found ${shown(v)}.`,
            );
        }
        for (const key of OPTIONAL_TIMES) {
            const v = st[key];
            if (v !== undefined && !(isText(v) && !Number.isNaN(Date.parse(v)))) {
                throw new DrillInputError(`${at} (${st.store}, ${kind}): field '${key}' must be an ISO date and time; found ${shown(v)}.`);
            }
        }
    });
    return o as unknown as DrillOutput;
}

/** The source stack's primary region: continuity:regions.primary, else aws:region, of Pulumi.<source>.yaml. */
export function sourcePrimaryRegion(projectDir: string, source: string): string {
    const file = path.join(projectDir, `Pulumi.${source}.yaml`);
    if (!fs.existsSync(file)) {
        throw new DrillInputError(
            `output 'drill': source stack '${source}' has no Pulumi.${source}.yaml beside the project, so its primary region is unknown.`,
        );
    }
    const config = ((YAML.parse(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> }).config ?? {};
    const regions = config["continuity:regions"] as { primary?: unknown } | undefined;
    const primary = regions?.primary ?? config["aws:region"];
    if (!isText(primary)) {
        throw new DrillInputError(
            `Pulumi.${source}.yaml sets neither continuity:regions.primary nor aws:region: the source's primary region is unknown.`,
        );
    }
    return primary;
}

/** A drill restores into the DR region: never into the region it would replace. */
export function checkRegion(output: DrillOutput, primary: string, where: string): void {
    if (output.region === primary) {
        throw new DrillInputError(
            `${where}: field 'region' is '${output.region}', the primary region of source stack '${output.source}' ` +
                `(Pulumi.${output.source}.yaml): a drill restores into the DR region, never into the primary.`,
        );
    }
}

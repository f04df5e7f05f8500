// The drill stack's configuration (`continuity:drill`). A drill stack runs the same program, which then
// builds only the drill (infra/components/drill.ts): it restores the source stack's DR copies into the
// DR region. The names of the source's clusters, buckets and domains are read from the source's own
// stack file, Pulumi.<source>.yaml beside Pulumi.yaml, through the same parser the source stack uses,
// so they come from one place. Only the source's non-secret `continuity:*` keys are read.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { z } from "zod";
import { ConfigError, ContinuityConfig, parseConfig } from "../config";
import { AWS_REGIONS, AwsRegion, atlasRegionName } from "../regions";
import { Environment } from "../tags";

export const DRILL_KEY = "continuity:drill";

/** Deep Archive retrieval tiers RestoreObject takes (Expedited is not offered for Deep Archive). */
export const RETRIEVAL_TIERS = ["Bulk", "Standard"] as const;
export type RetrievalTier = (typeof RETRIEVAL_TIERS)[number];

/**
 * What a Deep Archive retrieval costs and takes, for the default's description and the README.
 * Times: Amazon S3 User Guide, "Understanding archive retrieval options": from S3 Glacier Deep Archive,
 * Standard retrievals typically finish within 12 hours, Bulk within 48 hours. Prices: Amazon S3 pricing,
 * "Requests & data retrievals", US East (N. Virginia), S3 Glacier Deep Archive (other regions differ):
 * Standard $0.02 per GB + $0.10 per 1,000 requests, Bulk $0.0025 per GB + $0.025 per 1,000 requests;
 * the restored temporary copy is billed as S3 Standard storage for the days it is kept.
 */
export const RETRIEVAL_COST: Record<RetrievalTier, string> = {
    Bulk: "Bulk: typically within 48 hours; $0.0025 per GB retrieved + $0.025 per 1,000 requests (us-east-1)",
    Standard: "Standard: typically within 12 hours; $0.02 per GB retrieved + $0.10 per 1,000 requests (us-east-1)",
};

const list = (values: readonly (string | number)[]) => values.join(", ");
const int = (min: number, max: number) =>
    z
        .int({ error: `must be a whole number from ${min} to ${max}` })
        .min(min, { error: `must be a whole number from ${min} to ${max}` })
        .max(max, {
            error: `must be a whole number from ${min} to ${max}`,
        });
const settings = <T extends z.core.$ZodLooseShape>(shape: T, what: string) =>
    z.strictObject(shape, {
        error: (issue) =>
            issue.code === "unrecognized_keys"
                ? `the settings here are ${list(Object.keys(shape))}`
                : `must be an object of settings (${what})`,
    });
const STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;
const INSTANCE_SIZE = /^M(\d+)$/;

const sampleSchema = settings(
    {
        keys: z
            .array(z.string({ error: "must be an object key" }).min(1, { error: "must be an object key" }), {
                error: "must be a list of object keys",
            })
            .min(1, { error: "must list at least one object key" })
            .max(1000, { error: "must list at most 1000 object keys" })
            .optional(),
        prefix: z.string({ error: "must be a key prefix (may be empty)" }).optional(),
        count: int(1, 1000).optional(),
    },
    "keys, or prefix and count",
);

export const drillSchema = settings(
    {
        source: z.string({ error: "must be the name of the stack whose copies are restored, such as staging" }).regex(STACK_NAME, {
            error: "must be the name of the stack whose copies are restored, such as staging",
        }),
        region: z.enum(AWS_REGIONS, { error: `must be an AWS region code (one of ${list(AWS_REGIONS)})` }).optional(),
        stores: z
            .array(z.string({ error: "must be a store name" }), { error: "must be a list of store names" })
            .min(1, { error: "must name at least one store" })
            .optional(),
        atlas: settings(
            {
                instanceSize: z
                    .string({ error: "must be a dedicated Atlas tier such as M10 or M30" })
                    .refine((v) => INSTANCE_SIZE.test(v) && Number(INSTANCE_SIZE.exec(v)![1]) >= 10, {
                        error: "must be a dedicated Atlas tier such as M10 or M30 (a restore job needs M10 or larger)",
                    })
                    .default("M10"),
            },
            "instanceSize",
        ).prefault({}),
        search: settings(
            {
                instanceType: z
                    .string({ error: "must be an OpenSearch instance type such as t3.medium.search" })
                    .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+\.search$/, {
                        error: "must be an OpenSearch instance type such as t3.medium.search",
                    })
                    .refine((v) => !v.startsWith("t2."), { error: "must not be a t2 type: t2 instances cannot encrypt data at rest" })
                    .default("t3.medium.search"),
                instanceCount: int(1, 10).default(1),
                volumeGiB: int(10, 16384).default(20),
                indices: z
                    .array(
                        z.string({ error: "must be an index name or pattern" }).regex(/^[a-z0-9*][a-z0-9_.*-]*$/, {
                            error: 'must be an index name or pattern such as "app-*" (not a system index starting with ".")',
                        }),
                        { error: "must be a list of index names or patterns" },
                    )
                    .min(1, { error: "must name at least one index or pattern" })
                    .optional(),
                timeoutMinutes: int(5, 1440).default(120),
            },
            "instanceType, instanceCount, volumeGiB, indices and timeoutMinutes",
        ).prefault({}),
        objects: settings(
            {
                tier: z
                    .enum(RETRIEVAL_TIERS, {
                        error: `must be one of ${list(RETRIEVAL_TIERS)} (${RETRIEVAL_COST.Bulk}; ${RETRIEVAL_COST.Standard})`,
                    })
                    .default("Bulk")
                    // The default's description, with what each tier costs and takes (for the config reference).
                    .meta({
                        allowed: "Bulk or Standard",
                        description: `Deep Archive retrieval tier. ${RETRIEVAL_COST.Bulk}. ${RETRIEVAL_COST.Standard}`,
                    }),
                restoreDays: int(1, 30).default(7),
                sample: sampleSchema.default({ prefix: "", count: 10 }),
                buckets: z
                    .record(z.string(), sampleSchema, { error: "must map a bucket's dataset to its sample (keys, or prefix and count)" })
                    .default({}),
            },
            "tier, restoreDays, sample and buckets",
        ).prefault({}),
    },
    "source, region, stores, atlas, search and objects",
);

export type DrillInput = z.output<typeof drillSchema>;

export type ObjectSample = { readonly keys: readonly string[] } | { readonly prefix: string; readonly count: number };

export interface DrillAtlasStore {
    readonly store: "atlas";
    /** The source's project: an id when the source gives one, else the name it was created with. */
    readonly projectId?: string;
    readonly projectName: string;
    readonly sourceCluster: string;
    readonly drillCluster: string;
    /** Where the source's snapshots are copied: the drill cluster's region. */
    readonly copyRegion: AwsRegion;
    readonly instanceSize: string;
    readonly mongoDbMajorVersion: string;
}

export interface DrillBucketStore {
    /** The bucket's dataset name in the source. */
    readonly store: string;
    readonly sourceBucket: string;
    readonly copyBucket: string;
    readonly drillBucket: string;
    readonly sample: ObjectSample;
    readonly tier: RetrievalTier;
    readonly restoreDays: number;
}

export interface DrillSearchStore {
    readonly store: "search";
    readonly sourceDomain: string;
    readonly engineVersion: string;
    readonly repository: string;
    /** The replicated snapshot repository in the DR region. */
    readonly copyBucket: string;
    readonly drillDomain: string;
    readonly instanceType: string;
    readonly instanceCount: number;
    readonly volumeGiB: number;
    readonly indices: readonly string[];
    readonly timeoutMinutes: number;
}

export interface DrillConfig {
    readonly project: string;
    /** The drill stack. */
    readonly stack: string;
    readonly source: string;
    readonly environment: Environment;
    /** Where the drill restores: the source's DR region. */
    readonly region: AwsRegion;
    readonly sourceRegion: AwsRegion;
    readonly atlas?: DrillAtlasStore;
    readonly buckets: readonly DrillBucketStore[];
    readonly search?: DrillSearchStore;
}

export class DrillConfigError extends ConfigError {
    constructor(problems: readonly string[]) {
        super(problems, "drill configuration");
        this.name = "DrillConfigError";
    }
}

const shown = (v: unknown) => (v === undefined ? "nothing" : JSON.stringify(v));

/** A secure leaf anywhere in a value: the whole key is secret, and the drill never reads it. */
function holdsSecret(v: unknown): boolean {
    if (v === null || typeof v !== "object") return false;
    if (!Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as { secure?: unknown }).secure === "string") return true;
    return Object.values(v).some(holdsSecret);
}

/** The stacks with a stack file in `dir` (not the offline check's answers files). */
function stacksIn(dir: string): string[] {
    return fs
        .readdirSync(dir)
        .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined && !s.endsWith(".invokes"))
        .sort();
}

/**
 * The source stack's non-secret `continuity:*` keys, as the CLI hands them to a program: keys qualified
 * by namespace (a bare key is the project's), scalars as strings, structured values as JSON.
 */
export function readSourceStackConfig(projectDir: string, project: string, source: string): Record<string, string> {
    const file = path.join(projectDir, `Pulumi.${source}.yaml`);
    if (!fs.existsSync(file)) {
        const found = stacksIn(projectDir);
        throw new DrillConfigError([
            `${DRILL_KEY}.source names the stack ${shown(source)}, but there is no Pulumi.${source}.yaml beside Pulumi.yaml; ` +
                `the stack files there are ${found.length > 0 ? list(found.map((s) => `Pulumi.${s}.yaml`)) : "none"} (got ` +
                `${shown(source)})`,
        ]);
    }
    let doc: { config?: Record<string, unknown> };
    try {
        doc = (parse(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    } catch (e) {
        throw new DrillConfigError([
            `${DRILL_KEY}.source names the stack ${shown(source)}, whose Pulumi.${source}.yaml is not valid YAML: ${(e as Error).message}`,
        ]);
    }
    const values: Record<string, string> = {};
    for (const [key, value] of Object.entries(doc.config ?? {})) {
        const full = key.includes(":") ? key : `${project}:${key}`;
        if (!full.startsWith(`${project}:`) || holdsSecret(value)) continue;
        values[full] =
            typeof value === "string" ? value : value !== null && typeof value === "object" ? JSON.stringify(value) : String(value);
    }
    return values;
}

/** A bucket for restored objects: the source bucket's name, "-drill-" and the region, at most 63 characters. */
export function drillBucketName(sourceBucket: string, region: AwsRegion): string {
    return `${sourceBucket}-drill-${region}`;
}

/**
 * Validates `continuity:drill` against the source stack's configuration; every problem at once, each
 * naming the key, the value found and what is allowed. Nothing is declared before this returns.
 */
export function parseDrill(raw: unknown, ctx: { stack: string; project: string; projectDir: string }): DrillConfig {
    const problems: string[] = [];
    const result = drillSchema.safeParse(raw);
    if (!result.success) {
        for (const issue of result.error.issues) {
            let at: unknown = raw;
            for (const p of issue.path) at = at !== null && typeof at === "object" ? (at as Record<PropertyKey, unknown>)[p] : undefined;
            const key = [DRILL_KEY, ...issue.path]
                .map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
                .join("");
            if (issue.code === "unrecognized_keys") {
                for (const k of issue.keys)
                    problems.push(
                        `${key}.${k} is not a known setting; ${issue.message} (got ${shown((at as Record<string, unknown>)[k])})`,
                    );
            } else {
                problems.push(`${key} ${issue.message} (got ${shown(at)})`);
            }
        }
        throw new DrillConfigError(problems);
    }
    const drill = result.data;
    if (drill.source === ctx.stack) {
        throw new DrillConfigError([
            `${DRILL_KEY}.source must name another stack than the drill stack itself (got ${shown(drill.source)})`,
        ]);
    }
    const values = readSourceStackConfig(ctx.projectDir, ctx.project, drill.source);
    let source: ContinuityConfig;
    try {
        source = parseConfig({ stack: drill.source, values, secretKeys: new Set() });
    } catch (e) {
        const inner = (e as { problems?: readonly string[] }).problems ?? [(e as Error).message];
        throw new DrillConfigError(inner.map((p) => `${DRILL_KEY}.source: Pulumi.${drill.source}.yaml: ${p}`));
    }
    const sourceFile = `Pulumi.${drill.source}.yaml`;
    const primary = source.regions.primary;
    const region = drill.region ?? source.regions.dr;
    if (region === primary) {
        problems.push(
            `${DRILL_KEY}.region must differ from the source's primary region (continuity:regions.primary in ${sourceFile}: ${primary}): ` +
                `a drill restores from the DR copies as after the loss of that region, and never beside the primary (got ${shown(region)})`,
        );
    }

    const datasets = source.storage.buckets.map((b) => b.dataset);
    const known = ["atlas", "search", ...datasets];
    const stores = drill.stores ?? known;
    stores.forEach((s, i) => {
        if (!known.includes(s))
            problems.push(
                `${DRILL_KEY}.stores[${i}] is not a store of the stack ${drill.source}; its stores are ${list(known)} (got ${shown(s)})`,
            );
        if (stores.indexOf(s) !== i) problems.push(`${DRILL_KEY}.stores[${i}] names a store twice (got ${shown(s)})`);
    });
    for (const dataset of Object.keys(drill.objects.buckets)) {
        if (!datasets.includes(dataset)) {
            problems.push(
                `${DRILL_KEY}.objects.buckets.${dataset} is not a bucket dataset of the stack ${drill.source}; its datasets are ` +
                    `${list(datasets) || "none"} (got ${shown(dataset)})`,
            );
        } else if (!stores.includes(dataset)) {
            problems.push(
                `${DRILL_KEY}.objects.buckets.${dataset} gives a sample for a store ${DRILL_KEY}.stores leaves out (got ${shown(dataset)})`,
            );
        }
    }
    const samples = {
        "objects.sample": drill.objects.sample,
        ...Object.fromEntries(Object.entries(drill.objects.buckets).map(([d, s]) => [`objects.buckets.${d}`, s])),
    };
    for (const [key, s] of Object.entries(samples)) {
        const byKeys = s.keys !== undefined;
        const byPrefix = s.prefix !== undefined || s.count !== undefined;
        if (byKeys === byPrefix) {
            problems.push(`${DRILL_KEY}.${key} must give either keys (a list of object keys) or prefix and count (got ${shown(s)})`);
        }
    }
    // Every copy the drill restores from must be in the drill's region: otherwise there is nothing there to restore.
    const noCopy = (store: string, where: string, copyRegion: string) =>
        problems.push(
            `${DRILL_KEY}.stores names ${store}, but the source has no copy of it in the drill region ${region}: ${where} in ` +
                `${sourceFile} puts its copy in ${copyRegion} (got ${shown(store)})`,
        );
    const atlasCopy = source.atlas.backup.copyRegion;
    if (stores.includes("atlas") && atlasCopy !== region) noCopy("atlas", "continuity:atlas.backup.copyRegion", atlasCopy);
    for (const s of stores.filter((s) => s !== "atlas")) {
        if (known.includes(s) && source.regions.dr !== region) noCopy(s, "continuity:regions.dr", source.regions.dr);
    }
    const buckets = source.storage.buckets
        .filter((b) => stores.includes(b.dataset))
        .map((b): DrillBucketStore => {
            const s = drill.objects.buckets[b.dataset] ?? drill.objects.sample;
            const sample: ObjectSample = s.keys !== undefined ? { keys: s.keys } : { prefix: s.prefix ?? "", count: s.count ?? 10 };
            return {
                store: b.dataset,
                sourceBucket: b.name,
                copyBucket: b.drName,
                drillBucket: drillBucketName(b.name, region),
                sample,
                tier: drill.objects.tier,
                restoreDays: drill.objects.restoreDays,
            };
        });
    for (const b of buckets) {
        if (b.drillBucket.length > 63) {
            problems.push(
                `${DRILL_KEY}.stores names ${b.store}, whose drill bucket name ${b.drillBucket} would be longer than S3's 63 characters ` +
                    `(source bucket ${b.sourceBucket}; got ${shown(b.store)})`,
            );
        }
    }
    // Atlas cluster names have at most 64 characters; the drill's never equals the source's (see Drill).
    const drillCluster = `${source.atlas.clusterName.slice(0, 58)}-drill`;
    const drillDomain = `${source.search.domainName.slice(0, 22)}-drill`;
    if (problems.length > 0) throw new DrillConfigError(problems);

    return {
        project: ctx.project,
        stack: ctx.stack,
        source: drill.source,
        environment: source.environment,
        region,
        sourceRegion: primary,
        atlas: stores.includes("atlas")
            ? {
                  store: "atlas",
                  ...(source.atlas.projectId !== undefined ? { projectId: source.atlas.projectId } : {}),
                  projectName: source.atlas.projectName,
                  sourceCluster: source.atlas.clusterName,
                  drillCluster,
                  copyRegion: atlasCopy,
                  instanceSize: drill.atlas.instanceSize,
                  mongoDbMajorVersion: source.atlas.mongoDbMajorVersion,
              }
            : undefined,
        buckets,
        search: stores.includes("search")
            ? {
                  store: "search",
                  sourceDomain: source.search.domainName,
                  engineVersion: source.search.engineVersion,
                  repository: source.search.snapshots.repository,
                  copyBucket: source.search.snapshots.drBucket,
                  drillDomain,
                  instanceType: drill.search.instanceType,
                  instanceCount: drill.search.instanceCount,
                  volumeGiB: drill.search.volumeGiB,
                  indices: drill.search.indices ?? source.search.indexTemplates.flatMap((t) => t.patterns),
                  timeoutMinutes: drill.search.timeoutMinutes,
              }
            : undefined,
    };
}

/** The Atlas name of the drill's region (US_EAST_1), as the drill record shows it. */
export const atlasCopyRegion = (d: DrillAtlasStore) => atlasRegionName(d.copyRegion);

/**
 * Provider settings that are credentials: as in any stack, they must be set with --secret (the drill
 * stack holds the Atlas API keys its restore job is created with).
 */
const CREDENTIALS = [
    "aws:accessKey",
    "aws:secretKey",
    "aws:token",
    "mongodbatlas:publicKey",
    "mongodbatlas:privateKey",
    "mongodbatlas:clientSecret",
    "mongodbatlas:accessToken",
    "mongodbatlas:awsSecretAccessKey",
    "mongodbatlas:awsSessionToken",
];

/**
 * The drill configuration of this stack, or undefined when it is no drill stack (`continuity:drill` unset).
 * In a drill stack every other `continuity:*` key is refused: it would be read by nothing.
 */
export function loadDrillConfig(): DrillConfig | undefined {
    const all = pulumi.runtime.allConfig();
    const raw = all[DRILL_KEY];
    if (raw === undefined) return undefined;
    // The SDK knows which keys the engine marked secret but exposes it only internally (as readRawConfig does).
    const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };
    const problems: string[] = [];
    if (isConfigSecret(DRILL_KEY)) {
        problems.push(`${DRILL_KEY} must not be a secret: it holds names and sizes, which the drill's resources show in plain text`);
    }
    for (const k of Object.keys(all).filter((k) => k.startsWith("continuity:") && k !== DRILL_KEY)) {
        problems.push(
            `${k} is read by nothing in a drill stack: ` +
                `the drill reads the source's settings from its own stack file (continuity:drill.source)`,
        );
    }
    for (const k of CREDENTIALS.filter((k) => all[k] !== undefined && !isConfigSecret(k))) {
        problems.push(`${k} must be set as a secret (pulumi config set --secret ${k} ...); it is stored in plain text now`);
    }
    if (problems.length > 0) throw new DrillConfigError(problems);
    let value: unknown;
    try {
        value = JSON.parse(raw);
    } catch {
        value = raw;
    }
    return parseDrill(value, { stack: pulumi.getStack(), project: pulumi.getProject(), projectDir: process.cwd() });
}

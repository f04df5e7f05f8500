// continuity:search — the Amazon OpenSearch Service domain, its daily snapshots and their copy in the
// DR region.
import { z } from "zod";
import {
    TierContext,
    NAMESPACE,
    bucketName,
    drBucketName,
    drRoomProblem,
    int,
    list,
    report,
    settings,
    subnetId,
    tier,
    whenValid,
} from "./rules";
import { StorageSettings } from "./storage";

export const SEARCH_ZONE_COUNTS = [2, 3] as const;
export const MASTER_COUNTS = [0, 3, 5] as const;
/** Storage classes OpenSearch can restore from without a retrieval step: the copy must be usable as it is. */
export const SNAPSHOT_COPY_CLASSES = ["STANDARD", "STANDARD_IA", "GLACIER_IR"] as const;
export type SnapshotCopyClass = (typeof SNAPSHOT_COPY_CLASSES)[number];

/** At least three data nodes, spread evenly over the zones (two zones: four). */
export const defaultDataNodes = (zones: number) => zones * Math.ceil(3 / zones);

const searchInstanceType = () =>
    z
        .string({ error: "must be an OpenSearch instance type such as r6g.large.search" })
        .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+\.search$/, { error: "must be an OpenSearch instance type such as r6g.large.search" })
        .refine((v) => !v.startsWith("t2."), { error: "must not be a t2 type: t2 instances cannot encrypt data at rest" })
        .meta({ allowed: "an OpenSearch type (`*.search`, no t2: no encryption at rest)" });

const INDEX_NAME = /^[a-z0-9][a-z0-9_.-]*$/;
export const restName = (what: string) =>
    z
        .string({ error: `must be ${what}: lowercase letters, digits, "_", "-" and "."` })
        .regex(INDEX_NAME, { error: `must be ${what}: lowercase letters, digits, "_", "-" and "." (not starting with "_", "-" or ".")` })
        .max(255, { error: `must be ${what} of at most 255 characters` })
        .meta({ allowed: `${what}: lowercase letters, digits, "_", "-", "."` });

const ENGINE_VERSION = 'must be an OpenSearch engine version such as "OpenSearch_2.19" (2.5 or later: snapshot management)';
const DOMAIN_NAME = "must be an OpenSearch domain name: 3 to 28 lowercase letters, digits and hyphens, starting with a letter";

const searchSettings = settings(
    {
        domainName: z
            .string({ error: DOMAIN_NAME })
            .regex(/^[a-z][a-z0-9-]{2,27}$/, { error: DOMAIN_NAME })
            .optional()
            .meta({ allowed: "3–28 lowercase letters, digits, hyphens", defaultIs: "`continuity-<environment>`" }),
        engineVersion: z
            .string({ error: ENGINE_VERSION })
            .refine(
                (v) => {
                    const m = /^OpenSearch_(\d+)\.(\d+)$/.exec(v);
                    return m !== null && (Number(m[1]) > 2 || (Number(m[1]) === 2 && Number(m[2]) >= 5));
                },
                { error: ENGINE_VERSION },
            )
            .default("OpenSearch_2.19")
            .meta({ allowed: "OpenSearch_X.Y, 2.5 or later (snapshot management)" }),
        zones: z.literal(SEARCH_ZONE_COUNTS, { error: `must be one of ${list(SEARCH_ZONE_COUNTS)} (availability zones)` }).default(3),
        dataNodes: settings(
            {
                instanceType: searchInstanceType()
                    .optional()
                    .meta({ defaultIs: "t3.medium.search (staging), r6g.large.search (production)" }),
                count: int(1, 80).optional().meta({ allowed: "1–80, ≥ zones, even over 2 zones", defaultIs: "3 (4 over 2 zones)" }),
            },
            "instanceType and count",
        ).prefault({}),
        dedicatedMasters: settings(
            {
                instanceType: searchInstanceType().optional().meta({ defaultIs: "m6g.large.search" }),
                count: z
                    .literal(MASTER_COUNTS, { error: `must be one of ${list(MASTER_COUNTS)}: a quorum needs an odd number, 3 at least` })
                    .optional()
                    .meta({ allowed: `${list(MASTER_COUNTS)} (3 or 5 in production)`, defaultIs: "0 (staging), 3 (production)" }),
            },
            "instanceType and count",
        ).prefault({}),
        volumeGiB: int(10, 16384).optional().meta({ description: "gp3, per node", defaultIs: "20 (staging), 100 (production)" }),
        accessRoleArns: z
            .array(
                z.string({ error: "must be an IAM role ARN" }).regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, {
                    error: "must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)",
                }),
                { error: "must be a list of IAM role ARNs" },
            )
            .optional()
            .meta({ allowed: "IAM role ARNs allowed to call the domain", defaultIs: "the whole account (IAM decides)" }),
        vpc: settings(
            {
                subnetIds: z.array(subnetId(), { error: "must be a list of subnet ids" }).meta({ allowed: "one subnet per zone" }),
                securityGroupIds: z
                    .array(
                        z
                            .string({ error: "must be a security group id" })
                            .regex(/^sg-[0-9a-f]+$/, { error: "must be a security group id (sg-...)" }),
                        {
                            error: "must be a list of security group ids",
                        },
                    )
                    .default([])
                    .meta({ allowed: "security group ids (sg-…)" }),
            },
            "subnetIds and securityGroupIds",
        )
            .optional()
            .meta({ defaultIs: "a public, IAM-signed endpoint" }),
        snapshots: settings(
            {
                repository: restName("a snapshot repository name").default("continuity-snapshots"),
                bucket: bucketName().optional().meta({
                    allowed: "an S3 bucket name, not a data bucket, leaving room for `<name>-dr-<dr region>`",
                    defaultIs: "`<domainName>-snapshots`",
                }),
                hourUtc: int(0, 23).default(2),
                retentionDays: int(1, 365).optional().meta({ defaultIs: "7 (staging), 14 (production)" }),
                copyStorageClass: z
                    .enum(SNAPSHOT_COPY_CLASSES, {
                        error: `must be one of ${list(SNAPSHOT_COPY_CLASSES)} (a class OpenSearch can restore from directly)`,
                    })
                    .default("STANDARD_IA")
                    .meta({ description: "readable without a retrieval" }),
            },
            "repository, bucket, hourUtc, retentionDays and copyStorageClass",
        ).prefault({}),
        indexTemplates: z
            .array(
                settings(
                    {
                        name: restName("an index template name"),
                        patterns: z
                            .array(z.string({ error: "must be an index pattern" }).min(1, { error: "must be an index pattern" }), {
                                error: "must be a list of index patterns",
                            })
                            .min(1, { error: "must list at least one index pattern" })
                            .meta({ allowed: "index patterns (≥ 1)" }),
                        shards: int(1, 1024).default(3),
                        replicas: int(0, 15).default(1).meta({ allowed: "0–15 (≥ 1 in production)" }),
                        priority: int(0, 1000).default(100),
                    },
                    "name, patterns, shards, replicas and priority",
                ),
                { error: "must be a list of index templates" },
            )
            .optional()
            .meta({ defaultIs: "`app` for `app-*`" }),
    },
    "the OpenSearch domain and its snapshots",
).prefault({});

/** The sizes each environment gets when the stack file says nothing. */
const defaultsOf = (production: boolean) =>
    production
        ? { dataType: "r6g.large.search", masterType: "m6g.large.search", masters: 3 as const, volumeGiB: 100, retentionDays: 14 }
        : { dataType: "t3.medium.search", masterType: "m6g.large.search", masters: 0 as const, volumeGiB: 20, retentionDays: 7 };

export const searchSchema = (ctx: TierContext) => {
    const production = ctx.production;
    const defaults = defaultsOf(production);
    const domainNameOf = (search: { domainName?: string }) =>
        search.domainName ?? `${NAMESPACE}-${ctx.environment ?? ctx.stack}`.slice(0, 28);
    const bucketOf = (search: { domainName?: string; snapshots: { bucket?: string } }) =>
        search.snapshots.bucket ?? `${domainNameOf(search)}-snapshots`;
    return searchSettings
        .superRefine((search, issues) => {
            const zones = search.zones;
            const count = search.dataNodes.count ?? defaultDataNodes(zones);
            // Zone awareness places a shard's replica in another zone; AWS refuses fewer nodes than zones.
            if (count < zones || (zones === 2 && count % 2 !== 0)) {
                report(
                    issues,
                    ["dataNodes", "count"],
                    zones === 2
                        ? "must be an even number of at least 2 over two availability zones (continuity:search.zones is 2)"
                        : `must be at least continuity:search.zones (${zones}): every zone holds a data node`,
                    count,
                );
            }
            if (production && (search.dedicatedMasters.count ?? defaults.masters) === 0) {
                report(
                    issues,
                    ["dedicatedMasters", "count"],
                    "must be 3 or 5 in production: without dedicated masters a busy data node can stall the cluster",
                    0,
                );
            }
            if (search.vpc && search.vpc.subnetIds.length < zones) {
                report(
                    issues,
                    ["vpc", "subnetIds"],
                    `must list one subnet per availability zone (continuity:search.zones is ${zones})`,
                    search.vpc.subnetIds,
                );
            }
            const names = new Set<string>();
            (search.indexTemplates ?? []).forEach((t, i) => {
                if (names.has(t.name)) report(issues, ["indexTemplates", i, "name"], "appears twice in the list", t.name);
                names.add(t.name);
                if (production && t.replicas === 0) {
                    report(
                        issues,
                        ["indexTemplates", i, "replicas"],
                        "must be at least 1 in production: with no replica, the loss of one node loses data",
                        t.replicas,
                    );
                }
            });
            const bucket = bucketOf(search);
            const room = drRoomProblem(bucket, ctx);
            if (room) report(issues, ["snapshots", "bucket"], room, bucket);
            const storage = ctx.tiers.storage as StorageSettings | undefined;
            if (storage && storage.buckets.some((b) => b.name === bucket)) {
                report(
                    issues,
                    ["snapshots", "bucket"],
                    "is already a data bucket of continuity:storage.buckets; snapshots need their own",
                    bucket,
                );
            }
        }, whenValid)
        .transform((search) => {
            const bucket = bucketOf(search);
            return {
                domainName: domainNameOf(search),
                engineVersion: search.engineVersion,
                zones: search.zones,
                dataNodes: {
                    instanceType: search.dataNodes.instanceType ?? defaults.dataType,
                    count: search.dataNodes.count ?? defaultDataNodes(search.zones),
                },
                /** count 0: no dedicated masters. */
                dedicatedMasters: {
                    instanceType: search.dedicatedMasters.instanceType ?? defaults.masterType,
                    count: search.dedicatedMasters.count ?? defaults.masters,
                },
                volumeGiB: search.volumeGiB ?? defaults.volumeGiB,
                /** Who may call the domain's APIs; empty: any IAM principal of the account that IAM allows. */
                accessRoleArns: search.accessRoleArns ?? [],
                // Written even when absent (an optional key of the type): the domain is then public, IAM-signed.
                ...({ vpc: search.vpc } as { vpc?: typeof search.vpc }),
                snapshots: {
                    repository: search.snapshots.repository,
                    bucket,
                    /** The repository bucket's copy in the DR region. */
                    drBucket: drBucketName(bucket, ctx),
                    hourUtc: search.snapshots.hourUtc,
                    retentionDays: search.snapshots.retentionDays ?? defaults.retentionDays,
                    copyStorageClass: search.snapshots.copyStorageClass,
                },
                indexTemplates: search.indexTemplates ?? [{ name: "app", patterns: ["app-*"], shards: 3, replicas: 1, priority: 100 }],
            };
        });
};

export type SearchSettings = z.output<ReturnType<typeof searchSchema>>;
export type IndexTemplateSettings = SearchSettings["indexTemplates"][number];

export const searchTier = tier({ key: "search", schema: searchSchema });

// The stack configuration, read once and validated before any resource is declared. Every problem is
// reported at once, each naming the full key, the value found and what is allowed, so a bad
// Pulumi.<stack>.yaml never leaves a half-deployed stack behind.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { AWS_REGIONS, AwsRegion } from "./regions";
import { Environment, Environments } from "./tags";

export const NAMESPACE = "continuity";

export const SNAPSHOT_INTERVALS = [1, 2, 4, 6, 8, 12] as const;
export const ELECTABLE_NODE_COUNTS = [3, 5, 7] as const;
export const WEEK_DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;
export type WeekDay = (typeof WEEK_DAYS)[number];
/** The retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** Atlas numbers weekly snapshot days from Monday = 1 to Sunday = 7. */
export function atlasWeekDay(day: WeekDay): number {
    return WEEK_DAYS.indexOf(day) + 1;
}

const list = (values: readonly (string | number)[]) => values.join(", ");

// Every schema carries its own sentence; the formatter adds the key and the value found.
const int = (min: number, max?: number) => {
    const what = max === undefined ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`;
    const schema = z.int({ error: `must be ${what}` }).min(min, { error: `must be ${what}` });
    return max === undefined ? schema : schema.max(max, { error: `must be ${what}` });
};
const bool = () => z.boolean({ error: "must be true or false" });
/** A size in GiB, for the resilience model and the cost of the DR copies (1 PiB at most). */
const gib = (min: "positive" | "zero") => {
    const what = min === "positive" ? "a number of GiB above 0, at most 1048576 (1 PiB)" : "a number of GiB from 0 to 1048576 (1 PiB)";
    const schema = z.number({ error: `must be ${what}` }).max(1_048_576, { error: `must be ${what}` });
    return min === "positive" ? schema.positive({ error: `must be ${what}` }) : schema.min(0, { error: `must be ${what}` });
};
const text = (what: string) => z.string({ error: `must be ${what}` }).trim().min(1, { error: `must be ${what}` });
const region = () => z.enum(AWS_REGIONS, { error: `must be an AWS region code (one of ${list(AWS_REGIONS)})` });
const atlasId = (what: string) =>
    z.string({ error: `must be ${what}: 24 hexadecimal characters` }).regex(/^[0-9a-f]{24}$/, {
        error: `must be ${what}: 24 hexadecimal characters`,
    });
const email = () => z.email({ error: "must be an e-mail address" });

const INSTANCE_SIZE = /^[MR](\d+)(_NVME|_GEN_2)?$/;
const instanceSize = () =>
    z
        .string({ error: "must be a dedicated Atlas tier such as M10, M30 or R40 (M10 or larger)" })
        .refine((v) => INSTANCE_SIZE.test(v) && Number(INSTANCE_SIZE.exec(v)![1]) >= 10, {
            error: "must be a dedicated Atlas tier such as M10, M30 or R40 (M10 or larger: shared tiers have no cloud backup copies)",
        });

// An unknown key is reported with the keys allowed at that level, so a typo shows its fix.
const settings = <T extends z.core.$ZodLooseShape>(shape: T, what: string) =>
    z.strictObject(shape, {
        error: (issue) =>
            issue.code === "unrecognized_keys"
                ? `the settings here are ${list(Object.keys(shape))}`
                : `must be an object of settings (${what})`,
    });

const regionsSchema = settings({ primary: region(), dr: region() }, "primary and dr AWS regions");

const backupSchema = settings(
    {
        snapshotIntervalHours: z
            .literal(SNAPSHOT_INTERVALS, { error: `must be one of ${list(SNAPSHOT_INTERVALS)}` })
            .default(6),
        retentionDays: int(1, 365).default(7),
        referenceHourOfDay: int(0, 23).default(3),
        referenceMinuteOfHour: int(0, 59).default(0),
        daily: settings({ retentionDays: int(1, 365) }, "retentionDays").optional(),
        weekly: settings(
            {
                day: z.enum(WEEK_DAYS, { error: `must be one of ${list(WEEK_DAYS)}` }).default("saturday"),
                retentionWeeks: int(1, 52),
            },
            "day and retentionWeeks",
        ).optional(),
        monthly: settings(
            {
                dayOfMonth: z
                    .custom<number | "last">((v) => v === "last" || (Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 28), {
                        error: 'must be a day from 1 to 28 or "last"',
                    })
                    .default(1),
                retentionMonths: int(1, 36),
            },
            "dayOfMonth and retentionMonths",
        ).optional(),
        copyRegion: region().optional(),
    },
    "the snapshot schedule",
).prefault({});

const complianceSchema = settings(
    {
        enabled: bool().optional(),
        authorizedEmail: email().optional(),
        authorizedUserFirstName: text("a first name").optional(),
        authorizedUserLastName: text("a last name").optional(),
        copyProtection: bool().default(true),
    },
    "enabled and the authorized user",
).prefault({});

const atlasSchema = settings({
    projectId: atlasId("an Atlas project id").optional(),
    orgId: atlasId("an Atlas organization id").optional(),
    projectName: text("a project name").optional(),
    clusterName: z
        .string({ error: "must be an Atlas cluster name: letters, digits and hyphens, 1 to 64 characters" })
        .regex(/^[a-zA-Z0-9][a-zA-Z0-9-]{0,63}$/, {
            error: "must be an Atlas cluster name: letters, digits and hyphens, 1 to 64 characters",
        })
        .optional(),
    instanceSize: instanceSize().optional(),
    electableNodes: z
        .literal(ELECTABLE_NODE_COUNTS, {
            error: `must be one of ${list(ELECTABLE_NODE_COUNTS)}: a replica set needs an odd number of at least 3 electable nodes`,
        })
        .default(3),
    mongoDbMajorVersion: z
        .string({ error: 'must be a MongoDB major version such as "8.0"' })
        .regex(/^\d+\.\d+$/, { error: 'must be a MongoDB major version such as "8.0"' })
        .default("8.0"),
    terminationProtection: bool().optional(),
    pointInTimeRestore: bool().optional(),
    restoreWindowDays: int(1, 365).default(2),
    sizeGiB: gib("positive").optional(),
    dailyChangeGiB: gib("zero").optional(),
    backup: backupSchema,
    compliancePolicy: complianceSchema,
}, "the MongoDB Atlas tier");

const alertingSchema = settings({
    emails: z.array(email(), { error: "must be a list of e-mail addresses" }).min(1, {
        error: "must list at least one e-mail address: a backup that fails must reach someone",
    }),
}, "emails");

/** The DR drills the plan asks for twice a year: when the last one was, in which months they are due. */
const drillsSchema = settings(
    {
        last: z
            .string({ error: "must be a date written YYYY-MM-DD" })
            .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "must be a date written YYYY-MM-DD" })
            .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), {
                error: "must be a date written YYYY-MM-DD",
            })
            .optional(),
        months: z
            .array(int(1, 12), { error: "must be a list of months, 1 (January) to 12 (December)" })
            .min(1, { error: "must name at least one month: the plan tests the DR plan twice a year" })
            .refine((m) => new Set(m).size === m.length, { error: "must not name a month twice" })
            .default([4, 10]),
    },
    "last and months",
).prefault({});

/** S3's naming rules for a general-purpose bucket. */
export function bucketNameProblem(name: string): string | undefined {
    if (name.length < 3 || name.length > 63) return "must be 3 to 63 characters long";
    if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) {
        return "must use lowercase letters, digits, dots and hyphens, and begin and end with a letter or digit";
    }
    if (name.includes("..")) return "must not contain two dots in a row";
    if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return "must not look like an IP address";
    if (name.startsWith("xn--") || name.endsWith("-s3alias")) return "must not begin with xn-- or end with -s3alias";
    return undefined;
}

/**
 * How a data bucket is copied: S3 replication only. The weekly DataSync copy this setting once offered
 * wrote into the copy bucket, which has an Object Lock default retention; S3 accepts an upload there
 * only with a Content-MD5 or x-amz-checksum-* header (Amazon S3 User Guide, "Object Lock
 * considerations"; S3 API Reference, PutObject), and DataSync's documentation says neither that it
 * sends one nor that it supports such a destination. Replication into a locked bucket is documented.
 */
const COPY_STRATEGIES = ["replication"] as const;
export type CopyStrategy = (typeof COPY_STRATEGIES)[number];

const WHY_NO_DATASYNC =
    "DataSync is not documented to write into a bucket under an Object Lock default retention, which the DR copy has";
// Settings of the weekly copy are refused with the reason, not ignored: a stack file that still asks
// for a weekly copy would otherwise get something else without a word.
const WEEKLY_COPY_GONE =
    `can no longer be weekly (a weekly DataSync copy): ${WHY_NO_DATASYNC}. ` +
    "Use replication (the default): every new version copied into Deep Archive under Object Lock within minutes. " +
    'See README, "Why replication"';
const WEEKLY_SCHEDULE_GONE =
    `is no longer read: it scheduled the weekly DataSync copy, which is no longer offered (${WHY_NO_DATASYNC}). ` +
    'Every bucket is copied by replication within minutes, with no schedule: remove this setting. See README, "Why replication"';

const storageSchema = settings(
    {
        buckets: z
            .array(
                settings(
                    {
                        name: z
                            .string({ error: "must be an S3 bucket name" })
                            .superRefine((v, ctx) => {
                                const problem = bucketNameProblem(v);
                                if (problem) ctx.addIssue({ code: "custom", message: `${problem} (an S3 bucket name)` });
                            }),
                        adopt: bool().default(false),
                        dataset: text("a dataset name").optional(),
                        copy: z
                            .enum(COPY_STRATEGIES, {
                                error: (issue) =>
                                    issue.input === "weekly"
                                        ? WEEKLY_COPY_GONE
                                        : "must be replication (S3 replication of every new version into the DR copy, the only strategy)",
                            })
                            .default("replication"),
                        sizeGiB: gib("positive").optional(),
                        dailyChangeGiB: gib("zero").optional(),
                    },
                    "name, adopt, dataset, copy, sizeGiB and dailyChangeGiB",
                ),
                { error: "must be a list of data buckets" },
            )
            .default([]),
        lock: settings(
            {
                mode: z.enum(["governance", "compliance"], { error: "must be one of governance, compliance" }).optional(),
                days: int(1, 36500).default(30),
            },
            "mode and days",
        ).prefault({}),
        noncurrentVersionDays: int(1, 36500).default(90),
        replicationTimeControl: bool().default(false),
    },
    "the data buckets and their DR copies",
).prefault({});

export interface StorageBucketSettings {
    readonly name: string;
    readonly adopt: boolean;
    readonly dataset: string;
    readonly copy: CopyStrategy;
    /** What the bucket holds and how much of it changes a day, for the DR plan's RPO/RTO and cost (tags on the bucket). */
    readonly sizeGiB?: number;
    readonly dailyChangeGiB?: number;
    /** The DR copy's bucket: the source name, "-dr", and the DR region. */
    readonly drName: string;
}

export interface StorageSettings {
    readonly buckets: readonly StorageBucketSettings[];
    readonly lock: { readonly mode: "governance" | "compliance"; readonly days: number };
    readonly noncurrentVersionDays: number;
    /** S3 Replication Time Control on every bucket's replication. */
    readonly replicationTimeControl: boolean;
}

// --- search (Amazon OpenSearch Service) ------------------------------------------------------

export const SEARCH_ZONE_COUNTS = [2, 3] as const;
export const MASTER_COUNTS = [0, 3, 5] as const;
/** Storage classes OpenSearch can restore from without a retrieval step: the copy must be usable as it is. */
export const SNAPSHOT_COPY_CLASSES = ["STANDARD", "STANDARD_IA", "GLACIER_IR"] as const;
export type SnapshotCopyClass = (typeof SNAPSHOT_COPY_CLASSES)[number];

const searchInstanceType = () =>
    z
        .string({ error: "must be an OpenSearch instance type such as r6g.large.search" })
        .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+\.search$/, { error: "must be an OpenSearch instance type such as r6g.large.search" })
        .refine((v) => !v.startsWith("t2."), { error: "must not be a t2 type: t2 instances cannot encrypt data at rest" });

const INDEX_NAME = /^[a-z0-9][a-z0-9_.-]*$/;
const restName = (what: string) =>
    z
        .string({ error: `must be ${what}: lowercase letters, digits, "_", "-" and "."` })
        .regex(INDEX_NAME, { error: `must be ${what}: lowercase letters, digits, "_", "-" and "." (not starting with "_", "-" or ".")` })
        .max(255, { error: `must be ${what} of at most 255 characters` });

const searchSchema = settings(
    {
        domainName: z
            .string({ error: "must be an OpenSearch domain name: 3 to 28 lowercase letters, digits and hyphens, starting with a letter" })
            .regex(/^[a-z][a-z0-9-]{2,27}$/, {
                error: "must be an OpenSearch domain name: 3 to 28 lowercase letters, digits and hyphens, starting with a letter",
            })
            .optional(),
        engineVersion: z
            .string({ error: 'must be an OpenSearch engine version such as "OpenSearch_2.19" (2.5 or later: snapshot management)' })
            .refine(
                (v) => {
                    const m = /^OpenSearch_(\d+)\.(\d+)$/.exec(v);
                    return m !== null && (Number(m[1]) > 2 || (Number(m[1]) === 2 && Number(m[2]) >= 5));
                },
                { error: 'must be an OpenSearch engine version such as "OpenSearch_2.19" (2.5 or later: snapshot management)' },
            )
            .default("OpenSearch_2.19"),
        zones: z.literal(SEARCH_ZONE_COUNTS, { error: `must be one of ${list(SEARCH_ZONE_COUNTS)} (availability zones)` }).default(3),
        dataNodes: settings({ instanceType: searchInstanceType().optional(), count: int(1, 80).optional() }, "instanceType and count").prefault({}),
        dedicatedMasters: settings(
            {
                instanceType: searchInstanceType().optional(),
                count: z.literal(MASTER_COUNTS, { error: `must be one of ${list(MASTER_COUNTS)}: a quorum needs an odd number, 3 at least` }).optional(),
            },
            "instanceType and count",
        ).prefault({}),
        volumeGiB: int(10, 16384).optional(),
        accessRoleArns: z
            .array(
                z.string({ error: "must be an IAM role ARN" }).regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]+$/, {
                    error: "must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)",
                }),
                { error: "must be a list of IAM role ARNs" },
            )
            .optional(),
        vpc: settings(
            {
                subnetIds: z.array(z.string({ error: "must be a subnet id" }).regex(/^subnet-[0-9a-f]+$/, { error: "must be a subnet id (subnet-...)" }), {
                    error: "must be a list of subnet ids",
                }),
                securityGroupIds: z
                    .array(z.string({ error: "must be a security group id" }).regex(/^sg-[0-9a-f]+$/, { error: "must be a security group id (sg-...)" }), {
                        error: "must be a list of security group ids",
                    })
                    .default([]),
            },
            "subnetIds and securityGroupIds",
        ).optional(),
        snapshots: settings(
            {
                repository: restName("a snapshot repository name").default("continuity-snapshots"),
                bucket: z
                    .string({ error: "must be an S3 bucket name" })
                    .superRefine((v, ctx) => {
                        const problem = bucketNameProblem(v);
                        if (problem) ctx.addIssue({ code: "custom", message: `${problem} (an S3 bucket name)` });
                    })
                    .optional(),
                hourUtc: int(0, 23).default(2),
                retentionDays: int(1, 365).optional(),
                copyStorageClass: z
                    .enum(SNAPSHOT_COPY_CLASSES, { error: `must be one of ${list(SNAPSHOT_COPY_CLASSES)} (a class OpenSearch can restore from directly)` })
                    .default("STANDARD_IA"),
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
                            .min(1, { error: "must list at least one index pattern" }),
                        shards: int(1, 1024).default(3),
                        replicas: int(0, 15).default(1),
                        priority: int(0, 1000).default(100),
                    },
                    "name, patterns, shards, replicas and priority",
                ),
                { error: "must be a list of index templates" },
            )
            .optional(),
    },
    "the OpenSearch domain and its snapshots",
).prefault({});

/** At least three data nodes, spread evenly over the zones (two zones: four). */
export const defaultDataNodes = (zones: number) => zones * Math.ceil(3 / zones);

export interface IndexTemplateSettings {
    readonly name: string;
    readonly patterns: readonly string[];
    readonly shards: number;
    readonly replicas: number;
    readonly priority: number;
}

export interface SearchSettings {
    readonly domainName: string;
    readonly engineVersion: string;
    readonly zones: (typeof SEARCH_ZONE_COUNTS)[number];
    readonly dataNodes: { readonly instanceType: string; readonly count: number };
    /** count 0: no dedicated masters. */
    readonly dedicatedMasters: { readonly instanceType: string; readonly count: (typeof MASTER_COUNTS)[number] };
    readonly volumeGiB: number;
    /** Who may call the domain's APIs; empty: any IAM principal of the account that IAM allows. */
    readonly accessRoleArns: readonly string[];
    readonly vpc?: { readonly subnetIds: readonly string[]; readonly securityGroupIds: readonly string[] };
    readonly snapshots: {
        readonly repository: string;
        readonly bucket: string;
        /** The repository bucket's copy in the DR region. */
        readonly drBucket: string;
        readonly hourUtc: number;
        readonly retentionDays: number;
        readonly copyStorageClass: SnapshotCopyClass;
    };
    readonly indexTemplates: readonly IndexTemplateSettings[];
}

// --- service (ECS Fargate behind an Application Load Balancer) --------------------------------

export const NAT_MODES = ["single", "per-zone"] as const;
export type NatMode = (typeof NAT_MODES)[number];

/** Fargate's task sizes: memory (MiB) allowed for each cpu (units). */
export const FARGATE_SIZES: Record<number, { min: number; max: number; step: number }> = {
    256: { min: 512, max: 2048, step: 512 },
    512: { min: 1024, max: 4096, step: 1024 },
    1024: { min: 2048, max: 8192, step: 1024 },
    2048: { min: 4096, max: 16384, step: 1024 },
    4096: { min: 8192, max: 30720, step: 1024 },
    8192: { min: 16384, max: 61440, step: 4096 },
    16384: { min: 32768, max: 122880, step: 8192 },
};

function fargateMemoryProblem(cpu: number, memory: number): string | undefined {
    const size = FARGATE_SIZES[cpu];
    if (!size) return undefined; // reported on cpu
    if (memory < size.min || memory > size.max || (memory - size.min) % size.step !== 0) {
        return `must be a Fargate memory size for ${cpu} cpu units: ${size.min} to ${size.max} MiB in steps of ${size.step}`;
    }
    return undefined;
}

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** `count` equal subnets of a CIDR block, each `extraBits` longer; the block's own problems as a string. */
export function splitCidr(cidr: string, extraBits: number): string[] {
    const m = IPV4_CIDR.exec(cidr)!;
    const base = m.slice(1, 5).reduce((n, octet) => n * 256 + Number(octet), 0);
    const prefix = Number(m[5]) + extraBits;
    const size = 2 ** (32 - prefix);
    return Array.from({ length: 2 ** extraBits }, (_, i) => {
        const n = base + i * size;
        return `${[24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".")}/${prefix}`;
    });
}

function cidrProblem(cidr: string): string | undefined {
    const m = IPV4_CIDR.exec(cidr);
    if (!m || m.slice(1, 5).some((o) => Number(o) > 255)) return "must be an IPv4 CIDR block such as 10.20.0.0/16";
    const prefix = Number(m[5]);
    if (prefix < 16 || prefix > 24) return "must be a block from /16 to /24 (AWS allows /16 to /28; each of its 8 subnets needs room for tasks)";
    const base = m.slice(1, 5).reduce((n, octet) => n * 256 + Number(octet), 0);
    if (base % 2 ** (32 - prefix) !== 0) return `must start on a /${prefix} boundary`;
    return undefined;
}

const subnetIds = (what: string) =>
    z
        .array(z.string({ error: "must be a subnet id" }).regex(/^subnet-[0-9a-f]+$/, { error: "must be a subnet id (subnet-...)" }), {
            error: `must be a list of ${what} subnet ids`,
        })
        .min(2, { error: `must list at least 2 ${what} subnets, in two availability zones: one zone's loss must not stop the service` });

// ECS takes a container secret as the full ARN of a Secrets Manager secret (a JSON key, version stage
// and version id may follow) or of an SSM parameter, and reads it when a task starts
// (docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html and
// secrets-envvar-ssm-paramstore.html; the Secret "valueFrom" field of the ECS API reference). Secret
// names: letters, digits and /_+=.@- (Secrets Manager CreateSecret); parameter names: letters, digits
// and _.-/ (SSM PutParameter).
export const SECRETS_MANAGER_ARN = /^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+)(:[^:]*:[^:]*:[^:]*)?$/;
export const SSM_PARAMETER_ARN = /^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter\/[A-Za-z0-9_.\/-]+$/;
const TASK_SECRET_ARN_PROBLEM =
    "must be the ARN of a Secrets Manager secret (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>, optionally :<json key>:<version stage>:<version id>) " +
    "or of an SSM parameter (arn:aws:ssm:<region>:<account>:parameter/<name>)";
const taskSecretArn = () =>
    z
        .string({ error: TASK_SECRET_ARN_PROBLEM })
        .refine((v) => SECRETS_MANAGER_ARN.test(v) || SSM_PARAMETER_ARN.test(v), { error: TASK_SECRET_ARN_PROBLEM });
/** A value under service.task.secrets that is not an ARN may be the secret itself: never printed. */
const TASK_SECRETS_PATH = ["service", "task", "secrets"] as const;

const serviceSchema = settings(
    {
        name: restName("a service name").max(32, { error: "must be a service name of at most 32 characters" }).default("web"),
        network: settings(
            {
                vpcId: z.string({ error: "must be a VPC id" }).regex(/^vpc-[0-9a-f]+$/, { error: "must be a VPC id (vpc-...)" }).optional(),
                publicSubnetIds: subnetIds("public").optional(),
                privateSubnetIds: subnetIds("private").optional(),
                cidr: z
                    .string({ error: "must be an IPv4 CIDR block such as 10.20.0.0/16" })
                    .superRefine((v, ctx) => {
                        const problem = cidrProblem(v);
                        if (problem) ctx.addIssue({ code: "custom", message: problem });
                    })
                    .default("10.20.0.0/16"),
                zones: int(2, 4).default(3),
                natGateways: z.enum(NAT_MODES, { error: `must be one of ${list(NAT_MODES)}` }).optional(),
            },
            "vpcId, publicSubnetIds, privateSubnetIds (an existing VPC) or cidr, zones, natGateways (a new one)",
        ).prefault({}),
        certificateArn: z
            .string({ error: "must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)" })
            .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/, {
                error: "must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)",
            }),
        domainName: z
            .string({ error: "must be a host name such as app.example.com" })
            .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/, { error: "must be a host name such as app.example.com" })
            .optional(),
        desiredCount: int(1, 1000).optional(),
        healthCheckGracePeriodSeconds: int(0, 2147483647).default(300),
        healthCheck: settings(
            {
                path: z.string({ error: 'must be a path such as "/health"' }).regex(/^\/\S*$/, { error: 'must be a path such as "/health"' }).default("/health"),
                intervalSeconds: int(5, 300).default(30),
                timeoutSeconds: int(2, 120).default(5),
                healthyThreshold: int(2, 10).default(3),
                unhealthyThreshold: int(2, 10).default(3),
                matcher: z
                    .string({ error: 'must be HTTP codes such as "200" or "200-399"' })
                    .regex(/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/, { error: 'must be HTTP codes such as "200" or "200-399"' })
                    .default("200-399"),
            },
            "path, intervalSeconds, timeoutSeconds, healthyThreshold, unhealthyThreshold and matcher",
        ).prefault({}),
        autoscaling: settings(
            { minCount: int(1, 1000).optional(), maxCount: int(1, 1000).optional(), cpuTargetPercent: int(10, 90).default(60) },
            "minCount, maxCount and cpuTargetPercent",
        ).prefault({}),
        task: settings(
            {
                image: text("a container image reference"),
                cpu: z
                    .literal(Object.keys(FARGATE_SIZES).map(Number) as [number, ...number[]], {
                        error: `must be one of ${list(Object.keys(FARGATE_SIZES))} (Fargate cpu units)`,
                    })
                    .default(512),
                memory: int(512, 122880).default(1024),
                port: int(1, 65535).default(8080),
                environment: z.record(z.string(), z.string({ error: "must be a string" }), { error: "must be a map of names to strings" }).default({}),
                secrets: z.record(z.string(), taskSecretArn(), { error: "must be a map of variable names to secret ARNs" }).default({}),
                logRetentionDays: z
                    .literal(LOG_RETENTION_DAYS, { error: `must be one of CloudWatch's retention periods (${list(LOG_RETENTION_DAYS)})` })
                    .default(30),
            },
            "image, cpu, memory, port, environment, secrets and logRetentionDays",
        ),
        accessLogsBucket: z
            .string({ error: "must be an S3 bucket name" })
            .superRefine((v, ctx) => {
                const problem = bucketNameProblem(v);
                if (problem) ctx.addIssue({ code: "custom", message: `${problem} (an S3 bucket name)` });
            })
            .optional(),
        alarms: settings(
            { elb5xxPercent: int(1, 100).default(5), responseTimeSeconds: z.number({ error: "must be a number of seconds" }).positive({ error: "must be a positive number of seconds" }).default(1) },
            "elb5xxPercent and responseTimeSeconds",
        ).prefault({}),
    },
    "the web service, its load balancer and network",
);

export type ServiceNetwork =
    | { readonly mode: "existing"; readonly vpcId: string; readonly publicSubnetIds: readonly string[]; readonly privateSubnetIds: readonly string[] }
    | { readonly mode: "create"; readonly cidr: string; readonly zones: number; readonly natGateways: NatMode };

export interface ServiceSettings {
    readonly name: string;
    readonly network: ServiceNetwork;
    readonly certificateArn: string;
    /** The public host name the uptime check calls; the load balancer's DNS name when absent. */
    readonly domainName?: string;
    readonly desiredCount: number;
    readonly healthCheckGracePeriodSeconds: number;
    readonly healthCheck: {
        readonly path: string;
        readonly intervalSeconds: number;
        readonly timeoutSeconds: number;
        readonly healthyThreshold: number;
        readonly unhealthyThreshold: number;
        readonly matcher: string;
    };
    readonly autoscaling: { readonly minCount: number; readonly maxCount: number; readonly cpuTargetPercent: number };
    readonly task: {
        readonly image: string;
        readonly cpu: number;
        readonly memory: number;
        readonly port: number;
        readonly environment: Readonly<Record<string, string>>;
        /** Variable name → ARN of a Secrets Manager secret or SSM parameter that ECS reads at task start. */
        readonly secrets: Readonly<Record<string, string>>;
        readonly logRetentionDays: number;
    };
    readonly accessLogsBucket: string;
    readonly alarms: { readonly elb5xxPercent: number; readonly responseTimeSeconds: number };
}

/** The top-level keys of the namespace and how each is written in Pulumi.<stack>.yaml. */
const TOP_LEVEL = {
    environment: "plain",
    regions: "object",
    atlas: "object",
    alerting: "object",
    drills: "object",
    storage: "object",
    search: "object",
    service: "object",
    alertWebhookUrl: "secret",
} as const;
type TopLevelKey = keyof typeof TOP_LEVEL;

/**
 * The config namespaces something in this program reads. The engine hands the program every key of the
 * stack file, and a key in any other namespace is read by nothing: a misspelled `continuty:storage`
 * would drop the whole storage tier without a word. The program reads its own namespace here and
 * `mongodbatlas:` credentials below; the engine configures the default providers of the packages the
 * components use (@pulumi/aws, @pulumi/mongodbatlas) from `aws:` and `mongodbatlas:`; `pulumi:` is the
 * engine's own. The OpenSearch dynamic provider reads no config (it signs with the AWS credential chain).
 */
export const KNOWN_NAMESPACES = [NAMESPACE, "aws", "mongodbatlas", "pulumi"] as const;

/**
 * Provider settings that are credentials (node_modules/@pulumi/aws/config/vars.d.ts: accessKey, secretKey,
 * token; @pulumi/mongodbatlas/config/vars.d.ts: the API keys, service-account secret, access token and
 * AWS credentials): set in plain text they sit in the stack file, and in any repository that holds it.
 */
const CREDENTIAL_KEYS: Readonly<Record<string, string>> = {
    "aws:accessKey": ", or better left to the AWS credential chain (environment, profile, SSO, role)",
    "aws:secretKey": ", or better left to the AWS credential chain (environment, profile, SSO, role)",
    "aws:token": ", or better left to the AWS credential chain (environment, profile, SSO, role)",
    "mongodbatlas:privateKey": "",
    "mongodbatlas:publicKey": "",
    "mongodbatlas:clientSecret": "",
    "mongodbatlas:accessToken": "",
    "mongodbatlas:awsSecretAccessKey": "",
    "mongodbatlas:awsSessionToken": "",
};

/** Where a secret belongs instead of inside a structured key, when there is a place for it. */
const SECRET_HOME: Partial<Record<TopLevelKey, string>> = {
    service:
        "Give the container a secret by its ARN in continuity:service.task.secrets.<NAME> (a Secrets Manager secret or an SSM parameter): ECS reads it when a task starts and its value never enters the stack. ",
    atlas: "The Atlas API keys belong in mongodbatlas:publicKey and mongodbatlas:privateKey, set with --secret. ",
    alerting: "A chat or incident webhook belongs in continuity:alertWebhookUrl, set with --secret. ",
};

/**
 * Edit distance with adjacent transpositions counted as one edit (optimal string alignment): "asw" is
 * one edit from "aws". Ten lines for a handful of short names; not worth a dependency of the program.
 */
export function editDistance(a: string, b: string): number {
    const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.length][b.length];
}

/** The known name nearest to `word`, when it is near enough to be a typo of it (a third of its letters, one at least). */
export function closest(word: string, known: readonly string[]): string | undefined {
    let best: { name: string; distance: number } | undefined;
    for (const name of known) {
        const distance = editDistance(word.toLowerCase(), name.toLowerCase());
        if (distance <= Math.max(1, Math.floor(name.length / 3)) && (best === undefined || distance < best.distance)) best = { name, distance };
    }
    return best?.name;
}

export type BackupSettings = Omit<z.output<typeof backupSchema>, "copyRegion"> & { copyRegion: AwsRegion };

export type CompliancePolicySettings =
    | { enabled: false }
    | {
          enabled: true;
          authorizedEmail: string;
          authorizedUserFirstName: string;
          authorizedUserLastName: string;
          copyProtection: boolean;
      };

export interface AtlasSettings {
    readonly projectId?: string;
    readonly orgId?: string;
    readonly projectName: string;
    readonly clusterName: string;
    readonly region: AwsRegion;
    readonly instanceSize: string;
    readonly electableNodes: (typeof ELECTABLE_NODE_COUNTS)[number];
    readonly mongoDbMajorVersion: string;
    readonly terminationProtection: boolean;
    readonly pointInTimeRestore: boolean;
    readonly restoreWindowDays: number;
    /** What the cluster holds and how much changes a day, for the DR plan (tags on the cluster). */
    readonly sizeGiB?: number;
    readonly dailyChangeGiB?: number;
    readonly backup: BackupSettings;
    readonly compliancePolicy: CompliancePolicySettings;
}

export interface ContinuityConfig {
    readonly project: string;
    readonly stack: string;
    readonly environment: Environment;
    readonly regions: { readonly primary: AwsRegion; readonly dr: AwsRegion };
    readonly atlas: AtlasSettings;
    readonly alerting: { readonly emails: readonly string[]; readonly webhookUrl?: pulumi.Output<string> };
    /** The DR drills: the last one's date (YYYY-MM-DD) and the months they are due in. */
    readonly drills: { readonly last?: string; readonly months: readonly number[] };
    readonly storage: StorageSettings;
    readonly search: SearchSettings;
    readonly service: ServiceSettings;
}

/** The configuration as the engine hands it to the program: flat keys, JSON for structured values. */
export interface RawConfig {
    readonly stack: string;
    readonly values: Readonly<Record<string, string>>;
    readonly secretKeys: ReadonlySet<string>;
}

export class ConfigError extends pulumi.RunError {
    constructor(readonly problems: readonly string[]) {
        super(
            `The stack configuration has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n` +
                problems.map((p) => `  - ${p}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

/** Stands for the value of a secret key in a message: the value itself is never printed. */
const SECRET_VALUE = Symbol("secret value");

function describe(value: unknown): string {
    if (value === SECRET_VALUE) return "a secret value, not shown";
    return value === undefined ? "nothing" : JSON.stringify(value);
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
    let v: unknown = root;
    for (const p of path) {
        if (v === null || typeof v !== "object") {
            return undefined;
        }
        v = (v as Record<PropertyKey, unknown>)[p];
    }
    return v;
}

function keyName(path: readonly PropertyKey[]): string {
    let key = NAMESPACE + ":";
    path.forEach((p, i) => {
        key += typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`;
    });
    return key;
}

class Problems {
    readonly list: string[] = [];
    add(path: readonly PropertyKey[], message: string, value: unknown): void {
        this.list.push(`${keyName(path)} ${message} (got ${describe(value)})`);
    }
    addSecret(path: readonly PropertyKey[], message: string): void {
        this.list.push(`${keyName(path)} ${message}`);
    }
    fromZod(top: TopLevelKey, error: z.ZodError, input: unknown): void {
        for (const issue of error.issues) {
            const path = [top, ...issue.path];
            if (TASK_SECRETS_PATH.every((p, i) => path[i] === p)) {
                this.addSecret(path, `${issue.message} (got a value that is not; not shown, in case it is the secret itself)`);
                continue;
            }
            if (issue.code === "unrecognized_keys") {
                const where = valueAt(input, issue.path) as Record<string, unknown>;
                for (const k of issue.keys) {
                    this.add([...path, k], `is not a known setting; ${issue.message}`, where[k]);
                }
                continue;
            }
            this.add(path, issue.message, valueAt(input, issue.path));
        }
    }
}

/** Reads the program's configuration from the Pulumi runtime (the CLI, or mocks in tests). */
export function readRawConfig(): RawConfig {
    const values = pulumi.runtime.allConfig();
    // The SDK knows which keys the engine marked secret but exposes it only internally.
    const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as {
        isConfigSecret(key: string): boolean;
    };
    const secretKeys = new Set(Object.keys(values).filter((k) => isConfigSecret(k)));
    return { stack: pulumi.getStack(), values, secretKeys };
}

export function loadConfig(): ContinuityConfig {
    return parseConfig(readRawConfig());
}

const UNPARSABLE = Symbol("unparsable");

/** An own key: `in` would also find "toString" and the other names every object inherits. */
const has = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/**
 * A structured value arrives as JSON; undefined when the key is not set. The engine marks a key secret
 * as a whole when a `secure:` value sits anywhere inside it, and hands the program its plaintext: the
 * program cannot tell which leaf was secret, so a secret key is refused whole and not read further
 * (its values could otherwise reach a message or a resource in plain text).
 */
function parseObject(raw: string | undefined, key: TopLevelKey, problems: Problems, secret: boolean): unknown {
    if (raw === undefined) {
        return undefined;
    }
    if (secret) {
        const at = `${NAMESPACE}:${key}`;
        problems.addSecret(
            [key],
            "holds a secret (a `secure:` value inside it), and no setting there is secret: the program cannot tell which value is and would write it in plain text into the resources it declares. " +
                (SECRET_HOME[key] ?? "") +
                `The other settings of ${at} are checked once it holds no secret.`,
        );
        return UNPARSABLE;
    }
    try {
        const v: unknown = JSON.parse(raw);
        if (v !== null && typeof v === "object" && !Array.isArray(v)) {
            return v;
        }
    } catch {
        // reported below
    }
    problems.add([key], "must be an object of settings (nested YAML keys)", raw);
    return UNPARSABLE;
}

function check<S extends z.ZodType>(
    schema: S,
    key: TopLevelKey,
    input: unknown,
    problems: Problems,
): z.output<S> | undefined {
    if (input === UNPARSABLE) {
        return undefined;
    }
    const result = schema.safeParse(input);
    if (!result.success) {
        problems.fromZod(key, result.error, input);
        return undefined;
    }
    return result.data;
}

function retentionDaysOf(backup: z.output<typeof backupSchema>) {
    return [
        { label: "retentionDays", days: backup.retentionDays },
        ...(backup.daily ? [{ label: "daily.retentionDays", days: backup.daily.retentionDays }] : []),
        ...(backup.weekly ? [{ label: "weekly.retentionWeeks", days: backup.weekly.retentionWeeks * 7 }] : []),
        ...(backup.monthly ? [{ label: "monthly.retentionMonths", days: backup.monthly.retentionMonths * 31 }] : []),
    ];
}

/** Validates the raw configuration and applies defaults; throws one ConfigError listing every problem. */
export function parseConfig(raw: RawConfig): ContinuityConfig {
    const problems = new Problems();
    const prefix = NAMESPACE + ":";

    for (const key of Object.keys(raw.values)) {
        const colon = key.indexOf(":");
        const namespace = colon < 0 ? "" : key.slice(0, colon);
        if (!(KNOWN_NAMESPACES as readonly string[]).includes(namespace)) {
            const meant = closest(namespace, KNOWN_NAMESPACES);
            problems.list.push(
                `${key} is read by nothing: its namespace "${namespace}" is not one this program or its providers read (${list(KNOWN_NAMESPACES)})` +
                    (meant ? `; did you mean ${meant}:${key.slice(colon + 1)}?` : ""),
            );
        } else if (namespace === NAMESPACE && !has(TOP_LEVEL, key.slice(prefix.length))) {
            problems.add(
                [key.slice(prefix.length)],
                `is not a known setting; the settings are ${list(Object.keys(TOP_LEVEL).map((k) => prefix + k))}`,
                raw.secretKeys.has(key) ? SECRET_VALUE : raw.values[key],
            );
        }
    }
    const value = (key: TopLevelKey) => raw.values[prefix + key];
    const secret = (key: TopLevelKey) => raw.secretKeys.has(prefix + key);
    const object = (key: TopLevelKey) => parseObject(value(key), key, problems, secret(key));

    let environment: Environment | undefined;
    if (secret("environment")) {
        problems.addSecret(["environment"], "must not be a secret: it names and tags resources, which are stored in plain text (set it without --secret)");
    } else {
        const envRaw = value("environment") ?? ((Environments as readonly string[]).includes(raw.stack) ? raw.stack : undefined);
        environment = check(
            z.enum(Environments, {
                error: `must be one of ${list(Environments)} (it defaults to the stack name only when the stack is named after one)`,
            }),
            "environment",
            envRaw,
            problems,
        );
    }
    const production = environment === "production";

    const regions = check(regionsSchema, "regions", object("regions"), problems);
    if (regions && regions.dr === regions.primary) {
        problems.add(["regions", "dr"], `must differ from continuity:regions.primary (${regions.primary})`, regions.dr);
    }

    const atlasInput = object("atlas") ?? {};
    const atlas = check(atlasSchema, "atlas", atlasInput, problems);
    if (atlas) {
        if (atlas.projectId !== undefined && atlas.orgId !== undefined) {
            problems.add(
                ["atlas", "orgId"],
                "conflicts with continuity:atlas.projectId: give projectId to use an existing project, or orgId to create one, not both",
                atlas.orgId,
            );
        } else if (atlas.projectId === undefined && atlas.orgId === undefined) {
            problems.add(
                ["atlas", "projectId"],
                "is required unless continuity:atlas.orgId is given (an existing project id, or an organization id to create the project in)",
                undefined,
            );
        }
        if (atlas.projectName !== undefined && atlas.projectId !== undefined) {
            problems.add(
                ["atlas", "projectName"],
                "only names a project created with continuity:atlas.orgId; an existing project (continuity:atlas.projectId) keeps its name",
                atlas.projectName,
            );
        }
        const b = atlas.backup;
        // A copy region left to default follows regions.dr, whose own check covers it.
        const copyRegion = b.copyRegion;
        if (regions && copyRegion === regions.primary) {
            problems.add(
                ["atlas", "backup", "copyRegion"],
                `must differ from the cluster's region continuity:regions.primary (${regions.primary}): a copy in the same region does not survive its loss`,
                copyRegion,
            );
        }
        if (atlas.instanceSize?.endsWith("_NVME") && b.snapshotIntervalHours !== 12) {
            problems.add(
                ["atlas", "backup", "snapshotIntervalHours"],
                `must be 12 for an NVMe tier (continuity:atlas.instanceSize is ${atlas.instanceSize})`,
                b.snapshotIntervalHours,
            );
        }
        // Atlas refuses a less frequent item kept for less time than a more frequent one.
        const items = retentionDaysOf(b);
        for (let i = 1; i < items.length; i++) {
            const shorter = items.slice(0, i).find((prev) => prev.days > items[i].days);
            if (shorter) {
                problems.add(
                    ["atlas", "backup", ...items[i].label.split(".")],
                    `must keep snapshots at least as long as continuity:atlas.backup.${shorter.label} (${shorter.days} days); ` +
                        `this keeps them ${items[i].days} days`,
                    valueAt(b, items[i].label.split(".")),
                );
            }
        }
        const pit = atlas.pointInTimeRestore ?? production;
        if (pit && atlas.restoreWindowDays > b.retentionDays) {
            problems.add(
                ["atlas", "restoreWindowDays"],
                `must not exceed continuity:atlas.backup.retentionDays (${b.retentionDays}): the restore window cannot reach past the oldest hourly snapshot`,
                atlas.restoreWindowDays,
            );
        }
        const cp = atlas.compliancePolicy;
        if (cp.enabled ?? production) {
            for (const field of ["authorizedEmail", "authorizedUserFirstName", "authorizedUserLastName"] as const) {
                if (cp[field] === undefined) {
                    problems.add(
                        ["atlas", "compliancePolicy", field],
                        "is required when the Backup Compliance Policy is enabled (Atlas records who may change it)",
                        undefined,
                    );
                }
            }
        }
    }

    const alerting = check(alertingSchema, "alerting", object("alerting") ?? {}, problems);
    const drills = check(drillsSchema, "drills", object("drills") ?? {}, problems);

    let storageInput = object("storage") ?? {};
    if (storageInput !== UNPARSABLE && has(storageInput as object, "weekly")) {
        const { weekly, ...rest } = storageInput as Record<string, unknown>;
        problems.add(["storage", "weekly"], WEEKLY_SCHEDULE_GONE, weekly);
        storageInput = rest;
    }
    const storage = check(storageSchema, "storage", storageInput, problems);
    const drName = (name: string) => `${name}-dr-${regions?.dr ?? ""}`;
    if (storage) {
        const seen = new Set<string>();
        const datasets = new Set<string>();
        storage.buckets.forEach((b, i) => {
            if (seen.has(b.name)) problems.add(["storage", "buckets", i, "name"], "appears twice in the list", b.name);
            seen.add(b.name);
            const dataset = b.dataset ?? b.name;
            if (datasets.has(dataset)) {
                problems.add(["storage", "buckets", i, "dataset"], "names a dataset another bucket already names (it names the bucket's resources)", dataset);
            }
            datasets.add(dataset);
            if (regions && bucketNameProblem(drName(b.name))) {
                problems.add(
                    ["storage", "buckets", i, "name"],
                    `must leave room for its DR copy's name ${drName(b.name)} (at most 63 characters: keep this one within ${63 - drName("").length})`,
                    b.name,
                );
            }
        });
        // Object Lock forbids deleting a version before its retention ends; expiring it earlier fails.
        if (storage.noncurrentVersionDays < storage.lock.days) {
            problems.add(
                ["storage", "noncurrentVersionDays"],
                `must be at least continuity:storage.lock.days (${storage.lock.days}): a DR copy cannot expire while Object Lock still holds it`,
                storage.noncurrentVersionDays,
            );
        }
    }

    const search = check(searchSchema, "search", object("search") ?? {}, problems);
    const domainName = search?.domainName ?? `${NAMESPACE}-${environment ?? raw.stack}`.slice(0, 28);
    const snapshotBucket = search?.snapshots.bucket ?? `${domainName}-snapshots`;
    const searchDefaults = production
        ? { dataType: "r6g.large.search", masterType: "m6g.large.search", masters: 3 as const, volumeGiB: 100, retentionDays: 14 }
        : { dataType: "t3.medium.search", masterType: "m6g.large.search", masters: 0 as const, volumeGiB: 20, retentionDays: 7 };
    if (search) {
        const zones = search.zones;
        const count = search.dataNodes.count ?? defaultDataNodes(zones);
        // Zone awareness places a shard's replica in another zone; AWS refuses fewer nodes than zones.
        if (count < zones || (zones === 2 && count % 2 !== 0)) {
            problems.add(
                ["search", "dataNodes", "count"],
                zones === 2
                    ? "must be an even number of at least 2 over two availability zones (continuity:search.zones is 2)"
                    : `must be at least continuity:search.zones (${zones}): every zone holds a data node`,
                count,
            );
        }
        if (production && (search.dedicatedMasters.count ?? searchDefaults.masters) === 0) {
            problems.add(
                ["search", "dedicatedMasters", "count"],
                "must be 3 or 5 in production: without dedicated masters a busy data node can stall the cluster",
                0,
            );
        }
        if (search.vpc && search.vpc.subnetIds.length < zones) {
            problems.add(
                ["search", "vpc", "subnetIds"],
                `must list one subnet per availability zone (continuity:search.zones is ${zones})`,
                search.vpc.subnetIds,
            );
        }
        const templates = search.indexTemplates ?? [];
        const names = new Set<string>();
        templates.forEach((t, i) => {
            if (names.has(t.name)) problems.add(["search", "indexTemplates", i, "name"], "appears twice in the list", t.name);
            names.add(t.name);
            if (production && t.replicas === 0) {
                problems.add(
                    ["search", "indexTemplates", i, "replicas"],
                    "must be at least 1 in production: with no replica, the loss of one node loses data",
                    t.replicas,
                );
            }
        });
        if (regions && bucketNameProblem(drName(snapshotBucket))) {
            problems.add(
                ["search", "snapshots", "bucket"],
                `must leave room for its DR copy's name ${drName(snapshotBucket)} (at most 63 characters: keep this one within ${63 - drName("").length})`,
                snapshotBucket,
            );
        }
        if (storage && storage.buckets.some((b) => b.name === snapshotBucket)) {
            problems.add(["search", "snapshots", "bucket"], "is already a data bucket of continuity:storage.buckets; snapshots need their own", snapshotBucket);
        }
    }

    const serviceInput = object("service");
    if (serviceInput === undefined) {
        problems.add(["service"], "is required: the web service's certificate and container image at least (service.certificateArn, service.task.image)", undefined);
    }
    const service = serviceInput === undefined ? undefined : check(serviceSchema, "service", serviceInput, problems);
    const serviceDefaults = { desiredCount: production ? 3 : 2, natGateways: (production ? "per-zone" : "single") as NatMode };
    if (service) {
        const net = service.network;
        const existing = [net.vpcId, net.publicSubnetIds, net.privateSubnetIds];
        if (existing.some((v) => v !== undefined) && existing.some((v) => v === undefined)) {
            for (const [key, v] of [["vpcId", net.vpcId], ["publicSubnetIds", net.publicSubnetIds], ["privateSubnetIds", net.privateSubnetIds]] as const) {
                if (v === undefined) {
                    problems.add(["service", "network", key], "is required with an existing VPC: give vpcId, publicSubnetIds and privateSubnetIds together, or none to create a VPC", undefined);
                }
            }
        }
        if (regions) {
            const certRegion = service.certificateArn.split(":")[3];
            if (certRegion !== regions.primary) {
                problems.add(
                    ["service", "certificateArn"],
                    `must be a certificate of continuity:regions.primary (${regions.primary}): a load balancer uses certificates of its own region`,
                    service.certificateArn,
                );
            }
        }
        const desired = service.desiredCount ?? serviceDefaults.desiredCount;
        if (desired < 2) {
            problems.add(["service", "desiredCount"], `must be at least 2${production ? " in production" : ""}: with one task, its failure or a deployment takes the site down`, desired);
        }
        const hc = service.healthCheck;
        if (hc.timeoutSeconds >= hc.intervalSeconds) {
            problems.add(["service", "healthCheck", "timeoutSeconds"], `must be less than continuity:service.healthCheck.intervalSeconds (${hc.intervalSeconds})`, hc.timeoutSeconds);
        }
        // A new task is healthy for the load balancer after `healthyThreshold` good checks at best.
        const firstHealthy = hc.intervalSeconds * hc.healthyThreshold;
        if (service.healthCheckGracePeriodSeconds < firstHealthy) {
            problems.add(
                ["service", "healthCheckGracePeriodSeconds"],
                `must be at least the health check's time to a first healthy result, intervalSeconds × healthyThreshold = ${firstHealthy} s: ECS would stop new tasks before the load balancer can find them healthy`,
                service.healthCheckGracePeriodSeconds,
            );
        }
        for (const [name, arn] of Object.entries(service.task.secrets)) {
            if (has(service.task.environment, name)) {
                problems.add(
                    ["service", "task", "secrets", name],
                    "names a variable that continuity:service.task.environment already sets: a container variable comes from one or the other",
                    arn,
                );
            }
        }
        const memoryProblem = fargateMemoryProblem(service.task.cpu, service.task.memory);
        if (memoryProblem) problems.add(["service", "task", "memory"], memoryProblem, service.task.memory);
        const min = service.autoscaling.minCount ?? desired;
        const max = service.autoscaling.maxCount ?? Math.max(min, desired) * 2;
        if (min < 2) {
            problems.add(["service", "autoscaling", "minCount"], "must be at least 2: scaling in must never leave a single task", min);
        }
        if (max < min) {
            problems.add(["service", "autoscaling", "maxCount"], `must be at least continuity:service.autoscaling.minCount (${min})`, max);
        } else if (desired < min || desired > max) {
            problems.add(["service", "desiredCount"], `must lie between continuity:service.autoscaling.minCount (${min}) and maxCount (${max})`, desired);
        }
    }

    let webhookUrl: pulumi.Output<string> | undefined;
    const webhookRaw = value("alertWebhookUrl");
    if (webhookRaw !== undefined) {
        if (!raw.secretKeys.has(prefix + "alertWebhookUrl")) {
            // The value itself is never echoed: it was meant to be secret.
            problems.addSecret(
                ["alertWebhookUrl"],
                "must be set as a secret (pulumi config set --secret alertWebhookUrl <url>); it is stored in plain text now",
            );
        } else if (!/^https:\/\/[^\s/]+/.test(webhookRaw)) {
            problems.addSecret(["alertWebhookUrl"], "must be an https:// URL (got a secret value that is not)");
        } else {
            webhookUrl = pulumi.secret(webhookRaw);
        }
    }
    for (const [key, otherwise] of Object.entries(CREDENTIAL_KEYS)) {
        if (raw.values[key] !== undefined && !raw.secretKeys.has(key)) {
            problems.list.push(`${key} must be set as a secret (pulumi config set --secret ${key} ...)${otherwise}; it is stored in plain text now`);
        }
    }

    if (problems.list.length > 0 || !environment || !regions || !atlas || !alerting || !drills || !storage || !search || !service) {
        throw new ConfigError(problems.list);
    }

    const b = atlas.backup;
    const cp = atlas.compliancePolicy;
    return {
        project: NAMESPACE,
        stack: raw.stack,
        environment,
        regions,
        atlas: {
            projectId: atlas.projectId,
            orgId: atlas.orgId,
            projectName: atlas.projectName ?? `${NAMESPACE}-${environment}`,
            clusterName: atlas.clusterName ?? `${NAMESPACE}-${environment}`,
            region: regions.primary,
            instanceSize: atlas.instanceSize ?? (production ? "M30" : "M10"),
            electableNodes: atlas.electableNodes,
            mongoDbMajorVersion: atlas.mongoDbMajorVersion,
            terminationProtection: atlas.terminationProtection ?? production,
            pointInTimeRestore: atlas.pointInTimeRestore ?? production,
            restoreWindowDays: atlas.restoreWindowDays,
            ...(atlas.sizeGiB !== undefined ? { sizeGiB: atlas.sizeGiB } : {}),
            ...(atlas.dailyChangeGiB !== undefined ? { dailyChangeGiB: atlas.dailyChangeGiB } : {}),
            backup: { ...b, copyRegion: b.copyRegion ?? regions.dr },
            compliancePolicy:
                (cp.enabled ?? production)
                    ? {
                          enabled: true,
                          authorizedEmail: cp.authorizedEmail!,
                          authorizedUserFirstName: cp.authorizedUserFirstName!,
                          authorizedUserLastName: cp.authorizedUserLastName!,
                          copyProtection: cp.copyProtection,
                      }
                    : { enabled: false },
        },
        alerting: { emails: alerting.emails, webhookUrl },
        drills: { ...(drills.last ? { last: drills.last } : {}), months: drills.months },
        storage: {
            buckets: storage.buckets.map((b) => ({ ...b, dataset: b.dataset ?? b.name, drName: drName(b.name) })),
            lock: { mode: storage.lock.mode ?? (production ? "compliance" : "governance"), days: storage.lock.days },
            noncurrentVersionDays: storage.noncurrentVersionDays,
            replicationTimeControl: storage.replicationTimeControl,
        },
        search: {
            domainName,
            engineVersion: search.engineVersion,
            zones: search.zones,
            dataNodes: {
                instanceType: search.dataNodes.instanceType ?? searchDefaults.dataType,
                count: search.dataNodes.count ?? defaultDataNodes(search.zones),
            },
            dedicatedMasters: {
                instanceType: search.dedicatedMasters.instanceType ?? searchDefaults.masterType,
                count: search.dedicatedMasters.count ?? searchDefaults.masters,
            },
            volumeGiB: search.volumeGiB ?? searchDefaults.volumeGiB,
            accessRoleArns: search.accessRoleArns ?? [],
            vpc: search.vpc,
            snapshots: {
                repository: search.snapshots.repository,
                bucket: snapshotBucket,
                drBucket: drName(snapshotBucket),
                hourUtc: search.snapshots.hourUtc,
                retentionDays: search.snapshots.retentionDays ?? searchDefaults.retentionDays,
                copyStorageClass: search.snapshots.copyStorageClass,
            },
            indexTemplates: search.indexTemplates ?? [{ name: "app", patterns: ["app-*"], shards: 3, replicas: 1, priority: 100 }],
        },
        service: (() => {
            const desired = service.desiredCount ?? serviceDefaults.desiredCount;
            const min = service.autoscaling.minCount ?? desired;
            const net = service.network;
            return {
                name: service.name,
                network:
                    net.vpcId !== undefined
                        ? { mode: "existing" as const, vpcId: net.vpcId, publicSubnetIds: net.publicSubnetIds!, privateSubnetIds: net.privateSubnetIds! }
                        : { mode: "create" as const, cidr: net.cidr, zones: net.zones, natGateways: net.natGateways ?? serviceDefaults.natGateways },
                certificateArn: service.certificateArn,
                domainName: service.domainName,
                desiredCount: desired,
                healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds,
                healthCheck: service.healthCheck,
                autoscaling: { minCount: min, maxCount: service.autoscaling.maxCount ?? Math.max(min, desired) * 2, cpuTargetPercent: service.autoscaling.cpuTargetPercent },
                task: service.task,
                accessLogsBucket: service.accessLogsBucket ?? `${NAMESPACE}-${environment}-${service.name}-alb-logs`,
                alarms: service.alarms,
            };
        })(),
    };
}

// continuity:storage — the data buckets, each copied by S3 replication into a bucket under Object Lock
// in the DR region.
import { z } from "zod";
import { Problems } from "./problems";
import { TierContext, bool, bucketName, drBucketName, drRoomProblem, gib, int, report, settings, text, tier, whenValid } from "./rules";

/**
 * How a data bucket is copied: S3 replication only. The weekly DataSync copy this setting once offered
 * wrote into the copy bucket, which has an Object Lock default retention; S3 accepts an upload there
 * only with a Content-MD5 or x-amz-checksum-* header (Amazon S3 User Guide, "Object Lock
 * considerations"; S3 API Reference, PutObject), and DataSync's documentation says neither that it
 * sends one nor that it supports such a destination. Replication into a locked bucket is documented.
 */
const COPY_STRATEGIES = ["replication"] as const;
export type CopyStrategy = (typeof COPY_STRATEGIES)[number];

const WHY_NO_DATASYNC = "DataSync is not documented to write into a bucket under an Object Lock default retention, which the DR copy has";
// Settings of the weekly copy are refused with the reason, not ignored: a stack file that still asks
// for a weekly copy would otherwise get something else without a word.
const WEEKLY_COPY_GONE =
    `can no longer be weekly (a weekly DataSync copy): ${WHY_NO_DATASYNC}. ` +
    "Use replication (the default): every new version copied into Deep Archive under Object Lock within minutes. " +
    'See README, "Why replication"';
const WEEKLY_SCHEDULE_GONE =
    `is no longer read: it scheduled the weekly DataSync copy, which is no longer offered (${WHY_NO_DATASYNC}). ` +
    'Every bucket is copied by replication within minutes, with no schedule: remove this setting. See README, "Why replication"';

/** An own key: `in` would also find "toString" and the other names every object inherits. */
const has = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/** storage.weekly, refused with the reason and taken out before the rest is checked. */
export function withoutWeekly(input: Record<string, unknown>, problems: Problems): Record<string, unknown> {
    if (!has(input, "weekly")) return input;
    const { weekly, ...rest } = input;
    problems.add(["storage", "weekly"], WEEKLY_SCHEDULE_GONE, weekly);
    return rest;
}

const bucketSchema = settings(
    {
        name: bucketName().meta({ allowed: "an S3 bucket name, leaving room for `<name>-dr-<dr region>`" }),
        adopt: bool().default(false).meta({ description: "manage an existing bucket's protections only" }),
        dataset: text("a dataset name").optional().meta({ defaultIs: "the bucket name" }),
        copy: z
            .enum(COPY_STRATEGIES, {
                error: (issue) =>
                    issue.input === "weekly"
                        ? WEEKLY_COPY_GONE
                        : "must be replication (S3 replication of every new version into the DR copy, the only strategy)",
            })
            .default("replication")
            .meta({ description: 'weekly is refused, see "Why replication"' }),
        sizeGiB: gib("positive").optional().meta({ description: "an estimate tagged on the bucket for the DR plan", defaultIs: "500 GiB" }),
        dailyChangeGiB: gib("zero")
            .optional()
            .meta({ description: "an estimate tagged on the bucket for the DR plan", defaultIs: "2 % a day" }),
    },
    "name, adopt, dataset, copy, sizeGiB and dailyChangeGiB",
);

const storageSettings = settings(
    {
        buckets: z.array(bucketSchema, { error: "must be a list of data buckets" }).default([]),
        lock: settings(
            {
                mode: z
                    .enum(["governance", "compliance"], { error: "must be one of governance, compliance" })
                    .optional()
                    .meta({ defaultIs: "governance (staging), compliance (production)" }),
                days: int(1, 36500).default(30),
            },
            "mode and days",
        ).prefault({}),
        noncurrentVersionDays: int(1, 36500).default(90).meta({ allowed: "1–36500, ≥ lock.days" }),
        replicationTimeControl: bool()
            .default(false)
            .meta({ description: "every bucket's replication: 99.99 % within 15 min, extra cost" }),
    },
    "the data buckets and their DR copies",
).prefault({});

export const storageSchema = (ctx: TierContext) =>
    storageSettings
        .superRefine((storage, issues) => {
            const seen = new Set<string>();
            const datasets = new Set<string>();
            storage.buckets.forEach((b, i) => {
                if (seen.has(b.name)) report(issues, ["buckets", i, "name"], "appears twice in the list", b.name);
                seen.add(b.name);
                const dataset = b.dataset ?? b.name;
                if (datasets.has(dataset)) {
                    report(
                        issues,
                        ["buckets", i, "dataset"],
                        "names a dataset another bucket already names (it names the bucket's resources)",
                        dataset,
                    );
                }
                datasets.add(dataset);
                const room = drRoomProblem(b.name, ctx);
                if (room) report(issues, ["buckets", i, "name"], room, b.name);
            });
            // Object Lock forbids deleting a version before its retention ends; expiring it earlier fails.
            if (storage.noncurrentVersionDays < storage.lock.days) {
                report(
                    issues,
                    ["noncurrentVersionDays"],
                    `must be at least continuity:storage.lock.days (${storage.lock.days}): ` +
                        "a DR copy cannot expire while Object Lock still holds it",
                    storage.noncurrentVersionDays,
                );
            }
        }, whenValid)
        .transform((storage) => ({
            buckets: storage.buckets.map((b) => ({
                ...b,
                dataset: b.dataset ?? b.name,
                /** The DR copy's bucket: the source name, "-dr", and the DR region. */
                drName: drBucketName(b.name, ctx),
            })),
            lock: {
                mode: storage.lock.mode ?? (ctx.production ? ("compliance" as const) : ("governance" as const)),
                days: storage.lock.days,
            },
            noncurrentVersionDays: storage.noncurrentVersionDays,
            /** S3 Replication Time Control on every bucket's replication. */
            replicationTimeControl: storage.replicationTimeControl,
        }));

export type StorageSettings = z.output<ReturnType<typeof storageSchema>>;
export type StorageBucketSettings = StorageSettings["buckets"][number];

export const storageTier = tier({
    key: "storage",
    schema: storageSchema,
    prepare: withoutWeekly,
    retired: { weekly: 'refused: it scheduled the weekly DataSync copy, no longer offered (README, "Why replication")' },
});

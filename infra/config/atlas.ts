// continuity:atlas — the MongoDB Atlas project, its replica set and the backup schedule with its copy
// in another region.
import { z } from "zod";
import { NAMESPACE, TierContext, bool, email, gib, int, list, region, report, settings, text, tier, whenValid } from "./rules";

export const SNAPSHOT_INTERVALS = [1, 2, 4, 6, 8, 12] as const;
export const ELECTABLE_NODE_COUNTS = [3, 5, 7] as const;
export const WEEK_DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;
export type WeekDay = (typeof WEEK_DAYS)[number];

/** Atlas numbers weekly snapshot days from Monday = 1 to Sunday = 7. */
export function atlasWeekDay(day: WeekDay): number {
    return WEEK_DAYS.indexOf(day) + 1;
}

const atlasId = (what: string) =>
    z
        .string({ error: `must be ${what}: 24 hexadecimal characters` })
        .regex(/^[0-9a-f]{24}$/, { error: `must be ${what}: 24 hexadecimal characters` })
        .meta({ allowed: "24 hexadecimal characters" });

const INSTANCE_SIZE = /^[MR](\d+)(_NVME|_GEN_2)?$/;
const instanceSize = () =>
    z
        .string({ error: "must be a dedicated Atlas tier such as M10, M30 or R40 (M10 or larger)" })
        .refine((v) => INSTANCE_SIZE.test(v) && Number(INSTANCE_SIZE.exec(v)![1]) >= 10, {
            error: "must be a dedicated Atlas tier such as M10, M30 or R40 (M10 or larger: shared tiers have no cloud backup copies)",
        })
        .meta({ allowed: "a dedicated tier ≥ M10 (M30, R40, M40_NVME…)" });

const backupSchema = settings(
    {
        snapshotIntervalHours: z
            .literal(SNAPSHOT_INTERVALS, { error: `must be one of ${list(SNAPSHOT_INTERVALS)}` })
            .default(6)
            .meta({ allowed: `${list(SNAPSHOT_INTERVALS)} (12 on NVMe)` }),
        retentionDays: int(1, 365).default(7),
        referenceHourOfDay: int(0, 23).default(3).meta({ description: "UTC" }),
        referenceMinuteOfHour: int(0, 59).default(0),
        daily: settings({ retentionDays: int(1, 365).meta({ allowed: "1–365, ≥ the hourly retention" }) }, "retentionDays")
            .optional()
            .meta({ defaultIs: "no daily item" }),
        weekly: settings(
            {
                day: z.enum(WEEK_DAYS, { error: `must be one of ${list(WEEK_DAYS)}` }).default("saturday"),
                retentionWeeks: int(1, 52),
            },
            "day and retentionWeeks",
        )
            .optional()
            .meta({ defaultIs: "no weekly item" }),
        monthly: settings(
            {
                dayOfMonth: z
                    .custom<number | "last">((v) => v === "last" || (Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 28), {
                        error: 'must be a day from 1 to 28 or "last"',
                    })
                    .default(1)
                    .meta({ allowed: '1–28 or "last"' }),
                retentionMonths: int(1, 36),
            },
            "dayOfMonth and retentionMonths",
        )
            .optional()
            .meta({ defaultIs: "no monthly item" }),
        copyRegion: region().optional().meta({ allowed: "an AWS region ≠ primary", defaultIs: "continuity:regions.dr" }),
    },
    "the snapshot schedule",
).prefault({});

const complianceSchema = settings(
    {
        enabled: bool().optional().meta({ defaultIs: "true in production" }),
        authorizedEmail: email().optional().meta({ allowed: "an e-mail address, required when enabled" }),
        authorizedUserFirstName: text("a first name").optional().meta({ allowed: "a first name, required when enabled" }),
        authorizedUserLastName: text("a last name").optional().meta({ allowed: "a last name, required when enabled" }),
        copyProtection: bool().default(true),
    },
    "enabled and the authorized user",
).prefault({});

const atlasSettings = settings(
    {
        projectId: atlasId("an Atlas project id").optional().meta({ allowed: "24 hexadecimal characters; conflicts with orgId" }),
        orgId: atlasId("an Atlas organization id").optional().meta({ allowed: "24 hexadecimal characters; creates the project" }),
        projectName: text("a project name").optional().meta({ allowed: "text (only with orgId)", defaultIs: "`continuity-<environment>`" }),
        clusterName: z
            .string({ error: "must be an Atlas cluster name: letters, digits and hyphens, 1 to 64 characters" })
            .regex(/^[a-zA-Z0-9][a-zA-Z0-9-]{0,63}$/, {
                error: "must be an Atlas cluster name: letters, digits and hyphens, 1 to 64 characters",
            })
            .optional()
            .meta({ allowed: "letters, digits, hyphens, ≤ 64", defaultIs: "`continuity-<environment>`" }),
        instanceSize: instanceSize().optional().meta({ defaultIs: "M10 (staging), M30 (production)" }),
        electableNodes: z
            .literal(ELECTABLE_NODE_COUNTS, {
                error: `must be one of ${list(ELECTABLE_NODE_COUNTS)}: a replica set needs an odd number of at least 3 electable nodes`,
            })
            .default(3),
        mongoDbMajorVersion: z
            .string({ error: 'must be a MongoDB major version such as "8.0"' })
            .regex(/^\d+\.\d+$/, { error: 'must be a MongoDB major version such as "8.0"' })
            .default("8.0")
            .meta({ allowed: 'a major version such as "8.0"' }),
        terminationProtection: bool().optional().meta({ defaultIs: "true in production" }),
        pointInTimeRestore: bool().optional().meta({ defaultIs: "true in production" }),
        restoreWindowDays: int(1, 365).default(2).meta({ allowed: "1–365, ≤ backup.retentionDays when point-in-time restore is on" }),
        sizeGiB: gib("positive").optional().meta({
            description: "an estimate of the data, tagged on the cluster for the DR plan's RTO and cost",
            defaultIs: "the cluster's disk size, else 100 GiB",
        }),
        dailyChangeGiB: gib("zero").optional().meta({
            description: "an estimate of what changes a day, tagged on the cluster for the DR plan",
            defaultIs: "2 % of the size a day",
        }),
        backup: backupSchema,
        compliancePolicy: complianceSchema,
    },
    "the MongoDB Atlas tier",
);

type Backup = z.output<typeof backupSchema>;

function retentionDaysOf(backup: Backup) {
    return [
        { label: "retentionDays", days: backup.retentionDays, value: backup.retentionDays },
        ...(backup.daily ? [{ label: "daily.retentionDays", days: backup.daily.retentionDays, value: backup.daily.retentionDays }] : []),
        ...(backup.weekly
            ? [{ label: "weekly.retentionWeeks", days: backup.weekly.retentionWeeks * 7, value: backup.weekly.retentionWeeks }]
            : []),
        ...(backup.monthly
            ? [{ label: "monthly.retentionMonths", days: backup.monthly.retentionMonths * 31, value: backup.monthly.retentionMonths }]
            : []),
    ];
}

export const atlasSchema = (ctx: TierContext) =>
    atlasSettings
        .superRefine((atlas, issues) => {
            if (atlas.projectId !== undefined && atlas.orgId !== undefined) {
                report(
                    issues,
                    ["orgId"],
                    "conflicts with continuity:atlas.projectId: " +
                        "give projectId to use an existing project, or orgId to create one, not both",
                    atlas.orgId,
                );
            } else if (atlas.projectId === undefined && atlas.orgId === undefined) {
                report(
                    issues,
                    ["projectId"],
                    "is required unless continuity:atlas.orgId is given " +
                        "(an existing project id, or an organization id to create the project in)",
                    undefined,
                );
            }
            if (atlas.projectName !== undefined && atlas.projectId !== undefined) {
                report(
                    issues,
                    ["projectName"],
                    "only names a project created with continuity:atlas.orgId; " +
                        "an existing project (continuity:atlas.projectId) keeps its name",
                    atlas.projectName,
                );
            }
            const b = atlas.backup;
            // A copy region left to default follows regions.dr, whose own check covers it.
            if (ctx.regions && b.copyRegion === ctx.regions.primary) {
                report(
                    issues,
                    ["backup", "copyRegion"],
                    `must differ from the cluster's region continuity:regions.primary (${ctx.regions.primary}): ` +
                        "a copy in the same region does not survive its loss",
                    b.copyRegion,
                );
            }
            if (atlas.instanceSize?.endsWith("_NVME") && b.snapshotIntervalHours !== 12) {
                report(
                    issues,
                    ["backup", "snapshotIntervalHours"],
                    `must be 12 for an NVMe tier (continuity:atlas.instanceSize is ${atlas.instanceSize})`,
                    b.snapshotIntervalHours,
                );
            }
            // Atlas refuses a less frequent item kept for less time than a more frequent one.
            const items = retentionDaysOf(b);
            for (let i = 1; i < items.length; i++) {
                const shorter = items.slice(0, i).find((prev) => prev.days > items[i].days);
                if (shorter) {
                    report(
                        issues,
                        ["backup", ...items[i].label.split(".")],
                        `must keep snapshots at least as long as continuity:atlas.backup.${shorter.label} (${shorter.days} days); ` +
                            `this keeps them ${items[i].days} days`,
                        items[i].value,
                    );
                }
            }
            const pit = atlas.pointInTimeRestore ?? ctx.production;
            if (pit && atlas.restoreWindowDays > b.retentionDays) {
                report(
                    issues,
                    ["restoreWindowDays"],
                    `must not exceed continuity:atlas.backup.retentionDays (${b.retentionDays}): ` +
                        "the restore window cannot reach past the oldest hourly snapshot",
                    atlas.restoreWindowDays,
                );
            }
            const cp = atlas.compliancePolicy;
            if (cp.enabled ?? ctx.production) {
                for (const field of ["authorizedEmail", "authorizedUserFirstName", "authorizedUserLastName"] as const) {
                    if (cp[field] === undefined) {
                        report(
                            issues,
                            ["compliancePolicy", field],
                            "is required when the Backup Compliance Policy is enabled (Atlas records who may change it)",
                            undefined,
                        );
                    }
                }
            }
        }, whenValid)
        .transform((atlas) => {
            const production = ctx.production;
            const environment = ctx.environment;
            const b = atlas.backup;
            const cp = atlas.compliancePolicy;
            const compliancePolicy: CompliancePolicySettings =
                (cp.enabled ?? production)
                    ? {
                          enabled: true,
                          authorizedEmail: cp.authorizedEmail!,
                          authorizedUserFirstName: cp.authorizedUserFirstName!,
                          authorizedUserLastName: cp.authorizedUserLastName!,
                          copyProtection: cp.copyProtection,
                      }
                    : { enabled: false };
            return {
                projectId: atlas.projectId,
                orgId: atlas.orgId,
                projectName: atlas.projectName ?? `${NAMESPACE}-${environment}`,
                clusterName: atlas.clusterName ?? `${NAMESPACE}-${environment}`,
                // The whole configuration is refused when the regions are not known.
                region: ctx.regions?.primary as NonNullable<TierContext["regions"]>["primary"],
                instanceSize: atlas.instanceSize ?? (production ? "M30" : "M10"),
                electableNodes: atlas.electableNodes,
                mongoDbMajorVersion: atlas.mongoDbMajorVersion,
                terminationProtection: atlas.terminationProtection ?? production,
                pointInTimeRestore: atlas.pointInTimeRestore ?? production,
                restoreWindowDays: atlas.restoreWindowDays,
                ...(atlas.sizeGiB !== undefined ? { sizeGiB: atlas.sizeGiB } : {}),
                ...(atlas.dailyChangeGiB !== undefined ? { dailyChangeGiB: atlas.dailyChangeGiB } : {}),
                backup: { ...b, copyRegion: b.copyRegion ?? ctx.regions?.dr } as BackupSettings,
                compliancePolicy,
            };
        });

/** The schedule with its copy region decided (continuity:regions.dr unless set). */
export type BackupSettings = Omit<Backup, "copyRegion"> & { copyRegion: NonNullable<Backup["copyRegion"]> };

/** Off, or on with the person Atlas records as allowed to change it. */
export type CompliancePolicySettings =
    | { enabled: false }
    | { enabled: true; authorizedEmail: string; authorizedUserFirstName: string; authorizedUserLastName: string; copyProtection: boolean };

export type AtlasSettings = z.output<ReturnType<typeof atlasSchema>>;

export const atlasTier = tier({
    key: "atlas",
    schema: atlasSchema,
    secretHome: "The Atlas API keys belong in mongodbatlas:publicKey and mongodbatlas:privateKey, set with --secret. ",
});

// The tag vocabulary shared by the program and the policy pack. Policies read these constants, so a
// renamed key is renamed on both sides at once. Atlas tags and AWS tags use the same keys.

export const TagKeys = {
    environment: "environment",
    tier: "tier",
    dataset: "dataset",
    role: "role",
    managedBy: "managed-by",
    /**
     * `continuity-dr = none` on a data store: it needs no DR copy, replicas or retention (a cache, a
     * scratch table…). Only with a reason in `continuity-dr-reason`; without one the store is judged
     * and the exemption itself is reported (policy `data-exemptions`). AWS tag values allow letters,
     * digits, spaces and `_ . : / = + - @` only: write the reason without commas.
     */
    dr: "continuity-dr",
    drReason: "continuity-dr-reason",
    /** What a store holds, in GiB, and how much of it changes a day: the DR plan's RPO/RTO and cost read them. */
    sizeGib: "continuity-size-gib",
    dailyChangeGib: "continuity-daily-change-gib",
} as const;

/** The size tags of a store, when its config gives a size. */
export function sizeTags(size: { sizeGiB?: number; dailyChangeGiB?: number }): Record<string, string> {
    return {
        ...(size.sizeGiB !== undefined ? { [TagKeys.sizeGib]: String(size.sizeGiB) } : {}),
        ...(size.dailyChangeGiB !== undefined ? { [TagKeys.dailyChangeGib]: String(size.dailyChangeGiB) } : {}),
    };
}

/** The values of `continuity-dr`: `none` exempts the store from the pack's data rules. */
export const DrValues = ["none"] as const;

export const Environments = ["staging", "production"] as const;
export type Environment = (typeof Environments)[number];

export const Tiers = ["database", "search", "storage", "service", "alerting"] as const;
export type Tier = (typeof Tiers)[number];

/** What a stateful resource is for in the DR topology. */
export const Roles = ["primary", "dr-copy", "snapshot-repository", "backup-schedule", "alert-channel", "access-logs"] as const;
export type Role = (typeof Roles)[number];

export const MANAGED_BY = "continuity";

export interface TagSpec {
    readonly environment: Environment;
    readonly tier: Tier;
    readonly role: Role;
    readonly dataset?: string;
}

export function continuityTags(spec: TagSpec): Record<string, string> {
    const tags: Record<string, string> = {
        [TagKeys.environment]: spec.environment,
        [TagKeys.tier]: spec.tier,
        [TagKeys.role]: spec.role,
        [TagKeys.managedBy]: MANAGED_BY,
    };
    if (spec.dataset !== undefined) {
        tags[TagKeys.dataset] = spec.dataset;
    }
    return tags;
}

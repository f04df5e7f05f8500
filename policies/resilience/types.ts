// The resilience model's vocabulary: what the graph tells about each data store (its facts), and what
// the model estimates from them (RPO and RTO per disruption, with the reasoning in words). One
// computation (./model.ts) serves the pack's targets policy (../resilience.ts), the DR report and the
// cost of the DR copies (tools/report), so the same stack gets the same numbers wherever it is read.
import type { StoreKindName } from "../scope";

/** What can happen to a store. */
export const DISRUPTIONS = ["node", "zone", "region", "corruption"] as const;
export type Disruption = (typeof DISRUPTIONS)[number];

export const DISRUPTION_LABELS: Record<Disruption, string> = {
    node: "a node or instance lost",
    zone: "an availability zone lost",
    region: "the primary region lost",
    corruption: "data corrupted or deleted by software or a person",
};

/** The classes targets are set for (per class, or per named store). */
export const STORE_CLASSES = ["database", "objects", "search", "files", "cache"] as const;
export type StoreClass = (typeof STORE_CLASSES)[number];

export const STORE_CLASS: Record<StoreKindName, StoreClass> = {
    s3Bucket: "objects",
    atlasCluster: "database",
    searchDomain: "search",
    rdsInstance: "database",
    rdsCluster: "database",
    dynamodbTable: "database",
    efsFileSystem: "files",
    elasticacheReplicationGroup: "cache",
    elasticacheCluster: "cache",
    memorydbCluster: "cache",
    redshiftCluster: "database",
    docdbCluster: "database",
    neptuneCluster: "database",
    ebsVolume: "files",
};

/** How much data a store holds, and where that figure comes from. */
export interface Size {
    readonly gib: number;
    /** GiB written or changed per day (what a copy transfers and keeps as new versions). */
    readonly dailyChangeGib: number;
    /** "tag continuity-size-gib", "setting sizes[0] (orders-*)", "the cluster's diskSizeGB", "default for object storage". */
    readonly source: string;
}

/** How long a restore from a protection takes: a fixed part, a retrieval wait, and the data at a rate. */
export interface RestorePath {
    /** Hours before data can flow: creating the target (a cluster, a domain), promoting a replica. */
    readonly fixedHours: number;
    /** "a new Atlas cluster in the copy region (≈ 0.5 h, assumption)". */
    readonly fixedWhy: string;
    /** Hours an archive takes to become readable (Deep Archive standard retrieval: 12 h); 0 when instant. */
    readonly retrievalHours: number;
    readonly retrievalWhy?: string;
    /** GiB restored per hour once data flows; undefined when nothing is copied (a replica promoted). */
    readonly gibPerHour?: number;
    readonly rateWhy?: string;
}

/** What a copy mechanism is, for the cost of the DR copies and the report. */
export type MechanismKind =
    | "s3-replication"
    | "datasync"
    | "s3-versioning"
    | "atlas-snapshots"
    | "atlas-snapshot-copy"
    | "atlas-multi-region"
    | "opensearch-snapshots"
    | "opensearch-snapshot-copy"
    | "opensearch-cross-cluster"
    | "aws-backup"
    | "aws-backup-copy"
    | "service-snapshots"
    | "service-snapshot-copy"
    | "point-in-time"
    | "cross-region-replica";

/**
 * One way the store's data survives: recovery points (older states, usable after corruption) or a
 * live replica (the data as of now, which copies corruption along with everything else).
 */
export interface Protection {
    readonly mechanism: MechanismKind;
    /** "S3 replication into DEEP_ARCHIVE in eu-central-1 (continuity-production-uploads-replication)". */
    readonly what: string;
    /** URNs of the resources that make it. */
    readonly via: readonly string[];
    readonly kind: "points" | "replica";
    /** Where the copy lives; undefined when unknown at preview. */
    readonly region: string | undefined;
    /** Whether it lives outside the store's region ("unknown": a region unknown at preview). */
    readonly elsewhere: boolean | "unknown";
    /** Hours between recovery points; 0: continuous (versioning, point-in-time restore, replication). */
    readonly everyHours: number;
    /** Hours a point takes to exist where it is kept, after it is taken (a copy's transfer lag). */
    readonly lagHours: number;
    readonly lagWhy?: string;
    /** How long points are kept; undefined: as long as the store (a replica), or unknown. */
    readonly retentionDays?: number;
    /** Whether no one in the account can delete the points early (Object Lock, a compliance policy, Vault Lock). */
    readonly immutable: boolean;
    /** S3 storage class of the copy, where there is one. */
    readonly storageClass?: string;
    readonly restore: RestorePath;
    /** Values unknown at preview that this protection's figures depend on (counted in the stack's favour). */
    readonly dependsOn?: readonly string[];
}

/** Redundancy inside the store's region: who takes over when a node or a zone is lost. */
export interface Redundancy {
    /** Copies on separate nodes that take over without a restore; "managed": the service stores redundantly. */
    readonly nodes: number | "managed";
    /** Availability zones those copies span; "managed" as above. */
    readonly zones: number | "managed";
    /** Seconds for the takeover. */
    readonly failoverSeconds: number;
    /** "3 electable nodes per shard over 3 zones". */
    readonly what: string;
    /** Where the takeover time comes from (a constant's source). */
    readonly source?: string;
    readonly dependsOn?: readonly string[];
}

/** What the graph tells about one data store. */
export interface StoreFacts {
    readonly urn: string;
    readonly name: string;
    readonly type: string;
    readonly kind: StoreKindName;
    /** "S3 bucket". */
    readonly label: string;
    readonly storeClass: StoreClass;
    readonly region: string | undefined;
    readonly size: Size;
    readonly redundancy: Redundancy;
    readonly protections: readonly Protection[];
    /** Facts worth a line in the report that no figure captures ("versioning suspended"). */
    readonly notes: readonly string[];
}

/** One estimate: RPO and RTO in hours for one store and one disruption. */
export interface Estimate {
    readonly disruption: Disruption;
    /** Hours of data lost at worst; null: everything is lost (no protection covers this disruption). */
    readonly rpoHours: number | null;
    /** Hours until the data serves again; null: never (nothing to restore from). */
    readonly rtoHours: number | null;
    /** The protection the estimate relies on; absent when none covers the disruption. */
    readonly via?: Protection | Redundancy;
    /** The arithmetic in words: "weekly copy → up to 168 h lost; Deep Archive retrieval 12 h + 200 GiB at 100 GiB/h → 14 h". */
    readonly reasoning: string;
    /** Values unknown at preview the estimate depends on (computed in the stack's favour). */
    readonly dependsOn: readonly string[];
}

export interface StoreResilience extends StoreFacts {
    readonly estimates: readonly Estimate[];
}

/** RPO and RTO targets in hours for one disruption. */
export interface Target {
    readonly rpoHours: number;
    readonly rtoHours: number;
}
export type Targets = Partial<Record<Disruption, Target>>;

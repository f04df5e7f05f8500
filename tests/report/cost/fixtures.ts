// A price table and stores with DR copies shared by the cost specs (tools/report/cost.ts).
import type { Protection, StoreResilience } from "../../../policies/resilience/types";
import { S3_CLASSES } from "../../../tools/report/prices/load";

// A small table with round prices: `default` complete, two regions giving a few prices of their own.
type Numbers = { [k: string]: number | Numbers };
const sourced = (n: Numbers): object =>
    Object.fromEntries(Object.entries(n).map(([k, v]) => [k, typeof v === "number" ? { price: v, source: `test ${k}` } : sourced(v)]));
const classes = (v: number[]) => Object.fromEntries(S3_CLASSES.map((c, i) => [c, v[i]]));
const DEFAULT: Numbers = {
    s3: {
        storage: classes([0.02, 0.01, 0.008, 0.004, 0.003, 0.001, 0.02]),
        put: classes([0.005, 0.01, 0.01, 0.02, 0.03, 0.05, 0.005]),
        transition: { STANDARD_IA: 0.01, ONEZONE_IA: 0.01, GLACIER_IR: 0.02, GLACIER: 0.03, DEEP_ARCHIVE: 0.05, INTELLIGENT_TIERING: 0.01 },
        rtc: 0.015,
    },
    transfer: { interRegion: 0.02 },
    datasync: { copied: 0.0125 },
    awsBackup: { warmStorage: 0.05, crossRegionTransfer: 0.02 },
    snapshots: { rds: 0.1, cluster: 0.02, ebs: 0.05, dynamodb: 0.1, elasticache: 0.08, memorydb: 0.02, redshift: 0.025 },
    atlas: { snapshotStorage: 0.15, copyTransfer: 0.03 },
};
export const TABLE = {
    asOf: "2026-01-15",
    currency: "USD",
    assumptions: { averageObjectMiB: 8 },
    regions: {
        default: sourced(DEFAULT),
        "eu-central-1": sourced({ s3: { storage: { DEEP_ARCHIVE: 0.002 }, put: { DEEP_ARCHIVE: 0.06 } }, atlas: { snapshotStorage: 0.2 } }),
        "eu-west-1": sourced({ transfer: { interRegion: 0.025 } }),
    },
};

/** Amounts to a billionth of a cent, so float noise does not hide a wrong figure. */
export const exact = (n: number | null) => (n === null ? null : Math.round(n * 1e11) / 1e11);

export const protection = (p: Partial<Protection> & Pick<Protection, "mechanism" | "what" | "kind">): Protection => ({
    via: [],
    region: "eu-central-1",
    elsewhere: true,
    everyHours: 0,
    lagHours: 2,
    immutable: false,
    restore: { fixedHours: 0, fixedWhy: "", retrievalHours: 0 },
    ...p,
});

export const store = (
    name: string,
    s: Partial<StoreResilience> & Pick<StoreResilience, "kind" | "label" | "protections">,
): StoreResilience => ({
    urn: `urn:pulumi:production::continuity::test:${name}::${name}`,
    name,
    type: "test",
    storeClass: "objects",
    region: "eu-west-1",
    size: { gib: 200, dailyChangeGib: 2, source: "test" },
    redundancy: { nodes: "managed", zones: "managed", failoverSeconds: 0, what: "managed" },
    notes: [],
    estimates: [],
    ...s,
});

export const REPLICATION = "S3 replication into DEEP_ARCHIVE in eu-central-1 (uploads-replication)";
export const bucket = (lagHours = 2) =>
    store("uploads", {
        kind: "s3Bucket",
        label: "S3 bucket",
        protections: [
            protection({ mechanism: "s3-versioning", what: "versioning", kind: "points", region: "eu-west-1", elsewhere: false }),
            protection({
                mechanism: "s3-replication",
                what: REPLICATION,
                kind: "replica",
                storageClass: "DEEP_ARCHIVE",
                retentionDays: 90,
                lagHours,
            }),
        ],
    });

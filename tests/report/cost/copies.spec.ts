import * as assert from "assert";
import { costOf, CostReport, pricesFrom, Prices } from "../../../tools/report/cost";
import { TABLE, exact, protection, store, REPLICATION, bucket } from "./fixtures";

const PRICES: Prices = pricesFrom(TABLE, undefined, { table: "test-table.json" });

const ATLAS_COPY = "Atlas snapshot copies in us-west-2";
const atlas = store("orders", {
    kind: "atlasCluster",
    label: "Atlas cluster",
    storeClass: "database",
    region: "US_EAST_1",
    size: { gib: 100, dailyChangeGib: 1, source: "test" },
    protections: [
        protection({
            mechanism: "atlas-snapshot-copy",
            what: ATLAS_COPY,
            kind: "points",
            region: "US_WEST_2",
            everyHours: 6,
            retentionDays: 7,
        }),
    ],
});

const DATASYNC = "weekly DataSync copy into GLACIER in eu-central-1";
const datasync = (retentionDays: number, storageClass = "GLACIER") =>
    store("archive", {
        kind: "s3Bucket",
        label: "S3 bucket",
        size: { gib: 500, dailyChangeGib: 5, source: "test" },
        protections: [
            protection({
                mechanism: "datasync",
                what: DATASYNC,
                kind: "points",
                storageClass,
                everyHours: 168,
                retentionDays,
                lagHours: 0,
            }),
        ],
    });

const BACKUP = "AWS Backup copy to the eu-central-1 vault";
const efs = store("shared", {
    kind: "efsFileSystem",
    label: "EFS file system",
    storeClass: "files",
    size: { gib: 100, dailyChangeGib: 1, source: "test" },
    protections: [protection({ mechanism: "aws-backup-copy", what: BACKUP, kind: "points", everyHours: 24, retentionDays: 35 })],
});

const lonely = store("scratch", {
    kind: "s3Bucket",
    label: "S3 bucket",
    protections: [protection({ mechanism: "s3-versioning", what: "versioning", kind: "points", region: "eu-west-1", elsewhere: false })],
});

const OWN = " (an override file can give the region's own).";
const TRANSFER_60 = "2 GiB/day × 30 days = 60 GiB × 0.025 $/GB (data transfer to another region, eu-west-1) = $1.50";
const lines = (r: CostReport, i = 0) => r.stores[i].lines.map((l) => [l.item, exact(l.amount), l.arithmetic]);

describe("cost of the DR copies", () => {
    it("prices a replication into DEEP_ARCHIVE: storage with its minimum duration, PUT requests, inter-region transfer", () => {
        const r = costOf([bucket()], PRICES);
        assert.deepStrictEqual(lines(r), [
            [
                "storage",
                1.12,
                "200 GiB + 2 GiB/day × 180 days (kept 90 days, billed 180: DEEP_ARCHIVE's minimum) = 560 GiB " +
                    "× 0.002 $/GB-month (DEEP_ARCHIVE, eu-central-1) = $1.12",
            ],
            [
                "requests",
                0.4608,
                "2 GiB/day × 30 days = 60 GiB ÷ 8 MiB per object = 7,680 PUT requests × 0.06 $/1,000 requests " +
                    "(DEEP_ARCHIVE, eu-central-1) = $0.46",
            ],
            ["inter-region transfer", 1.5, TRANSFER_60],
        ]);
        assert.deepStrictEqual(
            r.stores[0].lines.map((l) => l.protection),
            [REPLICATION, REPLICATION, REPLICATION],
        );
        assert.strictEqual(exact(r.stores[0].monthly), 3.0808);
        assert.strictEqual(exact(r.monthly), 3.0808);
    });

    it("adds Replication Time Control when the replication arrives within 15 minutes, at the default price the region lacks", () => {
        const r = costOf([bucket(0.25)], PRICES);
        assert.deepStrictEqual(lines(r)[3], [
            "Replication Time Control",
            0.9,
            "2 GiB/day × 30 days = 60 GiB × 0.015 $/GB (S3 RTC, eu-west-1, default price) = $0.90",
        ]);
        assert.strictEqual(exact(r.monthly), 3.9808);
        assert.deepStrictEqual(r.assumptions.slice(-2), [
            "S3 Replication Time Control is taken to be on when a replication arrives within 15 minutes " +
                "(the lag the resilience model gives it).",
            `Prices the table's eu-west-1 block does not give come from its default block${OWN}`,
        ]);
    });

    it("prices Atlas snapshot copies: snapshot storage in the copy region and Cloud Backup data transfer, Atlas region names read", () => {
        const r = costOf([atlas], PRICES);
        assert.deepStrictEqual(lines(r), [
            [
                "snapshot storage",
                16.05,
                "100 GiB + 1 GiB/day × 7 days (kept 7 days) = 107 GiB × 0.15 $/GB-month " +
                    "(Atlas snapshot storage, us-west-2, default price) = $16.05",
            ],
            [
                "snapshot copy transfer",
                0.9,
                "1 GiB/day × 30 days = 30 GiB × 0.03 $/GB " + "(Atlas Cloud Backup data transfer, us-east-1, default price) = $0.90",
            ],
        ]);
        assert.strictEqual(exact(r.stores[0].monthly), 16.95);
        assert.deepStrictEqual(r.assumptions.slice(-2), [
            `us-east-1 is not in the price table: its prices come from its default block${OWN}`,
            `us-west-2 is not in the price table: its prices come from its default block${OWN}`,
        ]);
    });

    it("prices a weekly DataSync copy: GLACIER's 90-day minimum, requests, transfer and DataSync per GB", () => {
        const r = costOf([datasync(30)], PRICES);
        assert.deepStrictEqual(lines(r), [
            [
                "storage",
                2.85,
                "500 GiB + 5 GiB/day × 90 days (kept 30 days, billed 90: GLACIER's minimum) = 950 GiB × 0.003 $/GB-month " +
                    "(GLACIER, eu-central-1, default price) = $2.85",
            ],
            [
                "requests",
                0.576,
                "5 GiB/day × 30 days = 150 GiB ÷ 8 MiB per object = 19,200 PUT requests × 0.03 $/1,000 requests " +
                    "(GLACIER, eu-central-1, default price) = $0.58",
            ],
            [
                "inter-region transfer",
                3.75,
                "5 GiB/day × 30 days = 150 GiB × 0.025 $/GB " + "(data transfer to another region, eu-west-1) = $3.75",
            ],
            ["DataSync", 1.875, "5 GiB/day × 30 days = 150 GiB × 0.0125 $/GB (copied by DataSync, eu-west-1, default price) = $1.88"],
        ]);
        assert.strictEqual(exact(r.monthly), 9.051);
    });

    it("counts DataSync for OpenSearch snapshots whose repository a DataSync task copies, and no RTC for it", () => {
        const search = store("search", {
            kind: "searchDomain",
            label: "OpenSearch domain",
            storeClass: "search",
            size: { gib: 50, dailyChangeGib: 1, source: "test" },
            protections: [
                protection({
                    mechanism: "opensearch-snapshot-copy",
                    what: "snapshots of 'nightly' copied by DataSync into STANDARD in eu-central-1",
                    via: ["urn:pulumi:production::continuity::aws:datasync/task:Task::search-copy"],
                    kind: "points",
                    storageClass: "STANDARD",
                    everyHours: 168,
                    retentionDays: 14,
                    lagHours: 0.25,
                }),
            ],
        });
        assert.deepStrictEqual(
            lines(costOf([search], PRICES)).map((l) => [l[0], l[1]]),
            [
                ["storage", 1.28],
                ["requests", 0.0192],
                ["inter-region transfer", 0.75],
                ["DataSync", 0.375],
            ],
        );
    });

    it("keeps at most one full copy per recovery point: a weekly copy kept 7 days holds one copy", () => {
        const r = costOf([datasync(7, "STANDARD")], PRICES);
        assert.deepStrictEqual(lines(r)[0], [
            "storage",
            10,
            "500 GiB + 5 GiB/day × 7 days (kept 7 days) = 535 GiB, at most 1 full copy (one per point kept) = 500 GiB " +
                "× 0.02 $/GB-month (STANDARD, eu-central-1, default price) = $10.00",
        ]);
    });

    it("prices an AWS Backup copy: warm storage of the recovery points and the cross-region copy transfer", () => {
        const r = costOf([efs], PRICES);
        assert.deepStrictEqual(lines(r), [
            [
                "snapshot storage",
                6.75,
                "100 GiB + 1 GiB/day × 35 days (kept 35 days) = 135 GiB × 0.05 $/GB-month " +
                    "(AWS Backup warm storage (EFS), eu-central-1, default price) = $6.75",
            ],
            [
                "inter-region transfer",
                0.6,
                "1 GiB/day × 30 days = 30 GiB × 0.02 $/GB " + "(AWS Backup cross-region copy, eu-west-1, default price) = $0.60",
            ],
        ]);
        assert.strictEqual(exact(r.monthly), 7.35);
    });

    it("prices an RDS snapshot copy at the RDS snapshot price", () => {
        const rds = store("billing", {
            kind: "rdsInstance",
            label: "RDS instance",
            storeClass: "database",
            size: { gib: 50, dailyChangeGib: 0.5, source: "test" },
            protections: [
                protection({
                    mechanism: "service-snapshot-copy",
                    what: "snapshot copies",
                    kind: "points",
                    everyHours: 24,
                    retentionDays: 7,
                }),
            ],
        });
        assert.deepStrictEqual(
            lines(costOf([rds], PRICES)).map((l) => l[1]),
            [5.35, 0.375],
        );
    });

    it("gives a store without a copy in another region no line and a zero total", () => {
        const r = costOf([lonely], PRICES);
        assert.deepStrictEqual(r.stores[0].lines, []);
        assert.strictEqual(r.stores[0].monthly, 0);
    });

    it("totals every store, with the metadata of each", () => {
        const r = costOf([bucket(), atlas, datasync(30), efs, lonely], PRICES);
        assert.deepStrictEqual(
            r.stores.map((s) => [s.name, s.label, exact(s.monthly)]),
            [
                ["uploads", "S3 bucket", 3.0808],
                ["orders", "Atlas cluster", 16.95],
                ["archive", "S3 bucket", 9.051],
                ["shared", "EFS file system", 7.35],
                ["scratch", "S3 bucket", 0],
            ],
        );
        assert.strictEqual(exact(r.monthly), 36.4318);
        assert.strictEqual(exact(r.priced), 36.4318);
        assert.strictEqual(r.stores[0].urn, "urn:pulumi:production::continuity::test:uploads::uploads");
        assert.deepStrictEqual([r.asOf, r.currency], ["2026-01-15", "USD"]);
        assert.strictEqual(
            r.assumptions[0],
            "Prices: test-table.json, as of 2026-01-15, in USD: list prices of the first pricing tier, " +
                "before free tiers, discounts and taxes.",
        );
        assert.strictEqual(
            r.assumptions[4],
            "Objects average 8 MiB (assumptions.averageObjectMiB in the price file): " + "S3 requests per month = changed GiB × 1,024 ÷ 8.",
        );
    });

    it("leaves what it cannot price without an amount, with the reason, and the totals unknown", () => {
        const replica = store("orders-global", {
            kind: "atlasCluster",
            label: "Atlas cluster",
            protections: [
                protection({ mechanism: "atlas-multi-region", what: "electable nodes in eu-central-1", kind: "replica", lagHours: 0 }),
            ],
        });
        const express = datasync(30, "EXPRESS_ONEZONE");
        const r = costOf([replica, express, bucket()], PRICES);
        assert.deepStrictEqual(lines(r, 0), [
            [
                "replica",
                null,
                "not priced: the cluster's nodes in the other region (Atlas cluster hours) are billed like " +
                    "the store's own, which the price table does not hold; add them from the provider's bill",
            ],
            [
                "inter-region transfer",
                1.5,
                "2 GiB/day × 30 days = 60 GiB × 0.025 $/GB " + "(replication traffic to another region, eu-west-1) = $1.50",
            ],
        ]);
        const why =
            "not priced: the table has no S3 price for the storage class EXPRESS_ONEZONE; it prices STANDARD, STANDARD_IA, " +
            "ONEZONE_IA, GLACIER_IR, GLACIER, DEEP_ARCHIVE, INTELLIGENT_TIERING";
        assert.deepStrictEqual(lines(r, 1).slice(0, 2), [
            ["storage", null, why],
            ["requests", null, why],
        ]);
        assert.deepStrictEqual(
            r.stores.map((s) => [s.monthly === null ? null : exact(s.monthly), exact(s.priced)]),
            [
                [null, 1.5],
                [null, 5.625],
                [3.0808, 3.0808],
            ],
        );
        assert.strictEqual(r.monthly, null);
        assert.strictEqual(exact(r.priced), 10.2058);
    });

    it("prices a copy whose region is unknown at preview with the default block, and says so", () => {
        const unknown = store("logs", {
            kind: "s3Bucket",
            label: "S3 bucket",
            protections: [
                protection({ mechanism: "s3-replication", what: "replication", kind: "replica", region: undefined, elsewhere: "unknown" }),
            ],
        });
        const r = costOf([unknown], PRICES);
        assert.deepStrictEqual(lines(r)[0], [
            "storage",
            4,
            "200 GiB (the current data) × 0.02 $/GB-month (STANDARD, region unknown at preview, default price) = $4.00",
        ]);
        assert.strictEqual(r.assumptions.slice(-1)[0], "A region unknown at preview is priced with the table's default block.");
    });
});

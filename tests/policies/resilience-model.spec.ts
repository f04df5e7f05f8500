// The resilience model's arithmetic (policies/resilience/model.ts, targets.ts), on hand-made facts:
// exact RPO and RTO for given schedules, lags, sizes and rates, and the reasoning that shows them.
import * as assert from "assert";
import { estimate, hours, restoreHours, sizeOf } from "../../policies/resilience/model";
import { DEFAULT_TARGETS, missesOf, targetsFor } from "../../policies/resilience/targets";
import { Protection, Redundancy, StoreResilience } from "../../policies/resilience/types";
import { C } from "../../policies/resilience/constants";
import { checkStack, TestResource } from "../helpers/policy";
import { StackValidationPolicy } from "@pulumi/policy";
import { weakenings } from "../../policies/census";

const single: Redundancy = { nodes: 1, zones: 1, failoverSeconds: 0, what: "a single instance" };
const replicaSet: Redundancy = { nodes: 3, zones: 3, failoverSeconds: 12, what: "3 electable nodes" };
const size = { gib: 200, dailyChangeGib: 4, source: "test" };

const weeklyDeepArchive: Protection = {
    mechanism: "datasync",
    what: "weekly DataSync copy into DEEP_ARCHIVE in eu-central-1",
    via: [],
    kind: "points",
    region: "eu-central-1",
    elsewhere: true,
    everyHours: 168,
    lagHours: 0,
    retentionDays: 90,
    immutable: true,
    storageClass: "DEEP_ARCHIVE",
    restore: {
        fixedHours: 0,
        fixedWhy: "",
        retrievalHours: 12,
        retrievalWhy: "DEEP_ARCHIVE standard retrieval",
        gibPerHour: 100,
        rateWhy: "test",
    },
};
const localSnapshots: Protection = {
    mechanism: "service-snapshots",
    what: "snapshots every 6 h",
    via: [],
    kind: "points",
    region: "eu-west-1",
    elsewhere: false,
    everyHours: 6,
    lagHours: 0,
    retentionDays: 7,
    immutable: false,
    restore: { fixedHours: 0.5, fixedWhy: "a new instance", retrievalHours: 0, gibPerHour: 400, rateWhy: "test" },
};
const globalReplica: Protection = {
    mechanism: "cross-region-replica",
    what: "a replica in us-east-1",
    via: [],
    kind: "replica",
    region: "us-east-1",
    elsewhere: true,
    everyHours: 0,
    lagHours: 0.001,
    immutable: false,
    restore: { fixedHours: 0.25, fixedWhy: "promoting the replica", retrievalHours: 0 },
};

describe("the resilience model (policies/resilience/model.ts)", () => {
    it("formats hours as the reasoning shows them", () => {
        assert.deepStrictEqual([0, 12 / 3600, 0.25, 1, 2.25, 12.5, 170, 168.4, null].map(hours), [
            "0",
            "12 s",
            "15 min",
            "1 h",
            "2.3 h",
            "12.5 h",
            "170 h",
            "168 h",
            "∞",
        ]);
    });

    it("adds a restore's fixed part, its retrieval and the size at the rate", () => {
        assert.deepStrictEqual(restoreHours(weeklyDeepArchive.restore, 200), {
            hours: 14,
            why: "DEEP_ARCHIVE standard retrieval 12 h + 200 GiB at 100 GiB/h 2 h",
        });
        assert.deepStrictEqual(restoreHours(localSnapshots.restore, 200), {
            hours: 1,
            why: "a new instance 30 min + 200 GiB at 400 GiB/h 30 min",
        });
        assert.deepStrictEqual(restoreHours(globalReplica.restore, 200), { hours: 0.25, why: "promoting the replica 15 min" });
    });

    it("loses a weekly copy's week and waits for Deep Archive when the region is lost", () => {
        const e = estimate({ region: "eu-west-1", size, redundancy: single, protections: [localSnapshots, weeklyDeepArchive] }, "region");
        assert.strictEqual(e.rpoHours, 168);
        assert.strictEqual(e.rtoHours, 14);
        assert.strictEqual(
            e.reasoning,
            "weekly DataSync copy into DEEP_ARCHIVE in eu-central-1: a point every 168 h → up to 168 h lost; DEEP_ARCHIVE standard retrieval 12 h + 200 GiB at 100 GiB/h 2 h → RTO ≈ 14 h",
        );
    });

    it("prefers the protection with the smaller RPO, then the smaller RTO", () => {
        const e = estimate({ region: "eu-west-1", size, redundancy: single, protections: [weeklyDeepArchive, globalReplica] }, "region");
        assert.strictEqual(e.rpoHours, 0.001);
        assert.strictEqual(e.rtoHours, 0.25);
        assert.strictEqual(e.via, globalReplica);
    });

    it("never restores corrupted data from a live replica: it holds the same damage", () => {
        const e = estimate(
            { region: "eu-west-1", size, redundancy: replicaSet, protections: [globalReplica, localSnapshots] },
            "corruption",
        );
        assert.strictEqual(e.rpoHours, 6);
        assert.strictEqual(e.rtoHours, 1);
        assert.strictEqual(
            e.reasoning,
            "snapshots every 6 h: a point every 6 h → up to 6 h lost; only if the damage is found within 7 days; a new instance 30 min + 200 GiB at 400 GiB/h 30 min → RTO ≈ 1 h",
        );
        const none = estimate({ region: "eu-west-1", size, redundancy: replicaSet, protections: [globalReplica] }, "corruption");
        assert.deepStrictEqual(
            [none.rpoHours, none.rtoHours, none.reasoning],
            [null, null, "no recovery points (snapshots, versions, point-in-time restore): a deletion or corruption is final"],
        );
    });

    it("takes over on another node or zone when there is one, else restores", () => {
        const takeover = estimate({ region: "eu-west-1", size, redundancy: replicaSet, protections: [] }, "zone");
        assert.deepStrictEqual(
            [takeover.rpoHours, takeover.rtoHours, takeover.reasoning],
            [0, 12 / 3600, "3 electable nodes → nothing lost; takeover in ≈ 12 s"],
        );
        const restore = estimate({ region: "eu-west-1", size, redundancy: single, protections: [localSnapshots] }, "node");
        assert.deepStrictEqual(
            [restore.rpoHours, restore.rtoHours, restore.reasoning],
            [
                6,
                1,
                "no second node takes over (a single instance); snapshots every 6 h: a point every 6 h → up to 6 h lost; a new instance 30 min + 200 GiB at 400 GiB/h 30 min → RTO ≈ 1 h",
            ],
        );
    });

    it("says what an estimate depends on when a value is unknown at preview", () => {
        const unknownRegion: Protection = {
            ...weeklyDeepArchive,
            elsewhere: "unknown",
            region: undefined,
            dependsOn: ["the copy's destination bucket"],
        };
        const e = estimate({ region: "eu-west-1", size, redundancy: single, protections: [unknownRegion] }, "region");
        assert.deepStrictEqual([e.rpoHours, e.dependsOn], [168, ["the copy's destination bucket"]]);
    });

    it("sizes a store from its tags, then the settings, then the resource, then the class default", async () => {
        let seen: unknown[] = [];
        const probe: StackValidationPolicy = {
            name: "probe",
            description: "reads sizes",
            validateStack: (args) => {
                seen = args.resources.map((r) =>
                    sizeOf(r, "database", r.name === "hinted" ? { gib: 40, source: "the cluster's disk size" } : undefined, {
                        sizes: [{ name: "set*", sizeGiB: 300, dailyChangeGiB: 10 }],
                    }),
                );
            },
        };
        const r = (name: string, tags: Record<string, string> = {}): TestResource => ({
            type: "aws:rds/instance:Instance",
            name,
            props: { identifier: name, tags },
        });
        await checkStack(probe, [
            r("tagged", { "continuity-size-gib": "750", "continuity-daily-change-gib": "5" }),
            r("settled"),
            r("hinted"),
            r("plain"),
            r("bad", { "continuity-size-gib": "lots" }),
        ]);
        assert.deepStrictEqual(seen, [
            { gib: 750, dailyChangeGib: 5, source: "tag continuity-size-gib" },
            { gib: 300, dailyChangeGib: 10, source: "setting sizes[0] (set*)" },
            { gib: 40, dailyChangeGib: 0.8, source: "the cluster's disk size" },
            { gib: 100, dailyChangeGib: 2, source: `default for database (100 GiB; ${C.defaultGib.database.source})` },
            { gib: 100, dailyChangeGib: 2, source: `default for database (100 GiB; ${C.defaultGib.database.source})` },
        ]);
    });
});

describe("RPO/RTO targets (policies/resilience/targets.ts)", () => {
    const store = {
        name: "orders",
        urn: "urn:pulumi:prod::shop::aws:rds/instance:Instance::orders",
        type: "aws:rds/instance:Instance",
        storeClass: "database" as const,
    };

    it("takes the class defaults, the setting's class targets, then the first matching store entry", () => {
        assert.deepStrictEqual(targetsFor(store, {}), DEFAULT_TARGETS.database);
        const t = targetsFor(store, {
            targets: { database: { region: { rpoHours: 4, rtoHours: 12 } } },
            stores: [
                { name: "other", targets: { region: { rpoHours: 1, rtoHours: 1 } } },
                { name: "ord*", type: "aws:rds/instance:Instance", targets: { corruption: { rpoHours: 1, rtoHours: 2 } } },
                { name: "orders", targets: { node: { rpoHours: 9, rtoHours: 9 } } },
            ],
        });
        assert.deepStrictEqual(t, {
            ...DEFAULT_TARGETS.database,
            region: { rpoHours: 4, rtoHours: 12 },
            corruption: { rpoHours: 1, rtoHours: 2 },
        });
    });

    it("reports each measure above its target, an unbounded one included", () => {
        const resilience = {
            ...store,
            estimates: [
                { disruption: "region", rpoHours: 168, rtoHours: 14, reasoning: "weekly", dependsOn: [] },
                { disruption: "corruption", rpoHours: null, rtoHours: null, reasoning: "none", dependsOn: [] },
                { disruption: "node", rpoHours: 0, rtoHours: 0.25, reasoning: "takeover", dependsOn: [] },
            ],
        } as unknown as StoreResilience;
        assert.deepStrictEqual(missesOf(resilience, DEFAULT_TARGETS.database), [
            { disruption: "region", measure: "RPO", estimate: 168, target: 8, reasoning: "weekly" },
            { disruption: "corruption", measure: "RPO", estimate: null, target: 6, reasoning: "none" },
            { disruption: "corruption", measure: "RTO", estimate: null, target: 24, reasoning: "none" },
        ]);
    });

    it("names each target a config loosens below production, for the check's warnings", () => {
        const entry = (region: object) => ({
            "dr-recovery-objectives": {
                enforcementLevel: "mandatory",
                properties: { targets: { database: { region }, objects: { region: { rpoHours: 168, rtoHours: 72 } } } },
            },
        });
        assert.deepStrictEqual(weakenings(entry({ rpoHours: 24, rtoHours: 12 }), entry({ rpoHours: 8, rtoHours: 24 })), [
            { policy: "dr-recovery-objectives", setting: "targets.database.region.rpoHours", found: 24, production: 8, via: "policy" },
        ]);
    });
});

// The drill stack's configuration (infra/config/drill.ts): `continuity:drill` read against the source
// stack's own file, and every bad input refused before anything is declared, with the key, the value
// and what is allowed.
import * as assert from "assert";
import { drillSettings, parseHere, projectWith } from "./helpers/drill-stack";

describe("Drill configuration (infra/config/drill.ts)", () => {
    it("staging-drill: the stores, names and copies come from Pulumi.staging.yaml", () => {
        assert.deepStrictEqual(parseHere(drillSettings()), {
            project: "continuity",
            stack: "staging-drill",
            source: "staging",
            environment: "staging",
            region: "us-east-1",
            sourceRegion: "us-west-2",
            atlas: {
                store: "atlas",
                projectName: "continuity-staging",
                sourceCluster: "continuity-staging",
                drillCluster: "continuity-staging-drill",
                copyRegion: "us-east-1",
                instanceSize: "M10",
                mongoDbMajorVersion: "8.0",
            },
            buckets: [
                {
                    store: "uploads",
                    sourceBucket: "continuity-staging-uploads",
                    copyBucket: "continuity-staging-uploads-dr-us-east-1",
                    drillBucket: "continuity-staging-uploads-drill-us-east-1",
                    sample: { prefix: "", count: 10 },
                    tier: "Bulk",
                    restoreDays: 7,
                },
            ],
            search: {
                store: "search",
                sourceDomain: "continuity-staging",
                engineVersion: "OpenSearch_2.19",
                repository: "continuity-snapshots",
                copyBucket: "continuity-staging-search-snapshots-dr-us-east-1",
                drillDomain: "continuity-staging-drill",
                instanceType: "t3.medium.search",
                instanceCount: 1,
                volumeGiB: 20,
                indices: ["app-*"],
                timeoutMinutes: 120,
            },
        });
    });

    it("defaults: every store of the source, its DR region, Bulk retrieval, the source's index patterns", () => {
        const d = parseHere({ source: "staging" });
        assert.deepStrictEqual(
            [d.region, d.atlas?.store, d.buckets.map((b) => b.store), d.search?.indices],
            ["us-east-1", "atlas", ["uploads"], ["app-*"]],
        );
        assert.deepStrictEqual([d.buckets[0].tier, d.buckets[0].restoreDays, d.buckets[0].sample], ["Bulk", 7, { prefix: "", count: 10 }]);
        const keyed = parseHere({
            source: "staging",
            stores: ["uploads"],
            objects: { tier: "Standard", buckets: { uploads: { keys: ["a/1.jpg"] } } },
        });
        assert.deepStrictEqual(
            [keyed.atlas, keyed.search, keyed.buckets[0].sample, keyed.buckets[0].tier],
            [undefined, undefined, { keys: ["a/1.jpg"] }, "Standard"],
        );
    });

    it("refuses a drill in the source's primary region: no copy of any store is there", () => {
        assert.throws(() => parseHere({ ...drillSettings(), region: "us-west-2" }), {
            name: "DrillConfigError",
            message: [
                "The drill configuration has 4 problems:",
                "  - continuity:drill.region must differ from the source's primary region (continuity:regions.primary in " +
                    "Pulumi.staging.yaml: us-west-2): " +
                    'a drill restores from the DR copies as after the loss of that region, and never beside the primary (got "us-west-2")',
                "  - continuity:drill.stores names atlas, but the source has no copy of it in the drill region us-west-2: " +
                    'continuity:atlas.backup.copyRegion in Pulumi.staging.yaml puts its copy in us-east-1 (got "atlas")',
                "  - continuity:drill.stores names uploads, but the source has no copy of it in the drill region us-west-2: " +
                    'continuity:regions.dr in Pulumi.staging.yaml puts its copy in us-east-1 (got "uploads")',
                "  - continuity:drill.stores names search, but the source has no copy of it in the drill region us-west-2: " +
                    'continuity:regions.dr in Pulumi.staging.yaml puts its copy in us-east-1 (got "search")',
            ].join("\n"),
        });
    });

    it("refuses a store whose copy is elsewhere: Atlas snapshots copied to another region than the drill's", () => {
        const dir = projectWith((c) => (c["continuity:atlas"].backup.copyRegion = "us-east-2"));
        assert.throws(() => parseHere({ source: "staging" }, dir), {
            message:
                "The drill configuration has 1 problem:\n  - continuity:drill.stores names atlas, but the source has no copy of it in " +
                "the drill region us-east-1: " +
                'continuity:atlas.backup.copyRegion in Pulumi.staging.yaml puts its copy in us-east-2 (got "atlas")',
        });
        // The drill follows the copy: in us-east-2 the Atlas copy is there, the S3 and search copies are not.
        assert.throws(() => parseHere({ source: "staging", region: "us-east-2", stores: ["atlas", "search"] }, dir), {
            message:
                "The drill configuration has 1 problem:\n  - continuity:drill.stores names search, but the source has no copy of it in " +
                "the drill region us-east-2: " +
                'continuity:regions.dr in Pulumi.staging.yaml puts its copy in us-east-1 (got "search")',
        });
        assert.strictEqual(parseHere({ source: "staging", region: "us-east-2", stores: ["atlas"] }, dir).atlas?.copyRegion, "us-east-2");
    });

    it("refuses an unknown source stack, naming the stack files there are", () => {
        const dir = projectWith(() => undefined);
        assert.throws(() => parseHere({ source: "stagin" }, dir), {
            message:
                'The drill configuration has 1 problem:\n  - continuity:drill.source names the stack "stagin", but there is no ' +
                "Pulumi.stagin.yaml beside Pulumi.yaml; " +
                'the stack files there are Pulumi.staging.yaml (got "stagin")',
        });
        assert.throws(() => parseHere({ source: "staging-drill" }), {
            message:
                "The drill configuration has 1 problem:\n  - continuity:drill.source must name another stack than the drill stack " +
                'itself (got "staging-drill")',
        });
    });

    it("refuses unknown stores and settings, and a sample given both ways, each with the key, the value and what is allowed", () => {
        assert.throws(() => parseHere({ source: "staging", stores: ["atlas", "photos"], objects: { sample: { keys: ["a"], count: 2 } } }), {
            message: [
                "The drill configuration has 2 problems:",
                '  - continuity:drill.stores[1] is not a store of the stack staging; its stores are atlas, search, uploads (got "photos")',
                "  - continuity:drill.objects.sample must give either keys (a list of object keys) or prefix and count (got " +
                    '{"keys":["a"],"count":2})',
            ].join("\n"),
        });
        assert.throws(() => parseHere({ source: "staging", objects: { tier: "Expedited" }, atlas: { size: "M10" } }), {
            message: [
                "The drill configuration has 2 problems:",
                '  - continuity:drill.atlas.size is not a known setting; the settings here are instanceSize (got "M10")',
                "  - continuity:drill.objects.tier must be one of Bulk, Standard (Bulk: typically within 48 hours; $0.0025 per GB " +
                    "retrieved + $0.025 per 1,000 requests " +
                    "(us-east-1); Standard: typically within 12 hours; $0.02 per GB retrieved + $0.10 per 1,000 requests (us-east-1)) " +
                    '(got "Expedited")',
            ].join("\n"),
        });
    });

    it("reports the source file's own problems as the drill's", () => {
        const dir = projectWith((c) => (c["continuity:regions"].dr = "us-west-2"));
        assert.throws(() => parseHere({ source: "staging" }, dir), {
            name: "DrillConfigError",
            message:
                "The drill configuration has 1 problem:\n  - continuity:drill.source: Pulumi.staging.yaml: " +
                'continuity:regions.dr must differ from continuity:regions.primary (us-west-2) (got "us-west-2")',
        });
    });
});

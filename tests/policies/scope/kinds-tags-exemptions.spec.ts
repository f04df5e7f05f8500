import * as assert from "assert";
import {
    ConfiguredExemption,
    DATA_STORE_TYPES,
    exemptionMatches,
    exemptionOf,
    StoreKinds,
    storeKindOf,
    storesInScope,
    tagsOf,
} from "../../../policies/scope";
import { UNKNOWN } from "../../helpers/policy";
import { inStack, res, db, table, fs, bucket } from "./fixtures";

describe("scope (policies/scope.ts)", () => {
    describe("storeKindOf", () => {
        it("names the kind of every data-holding type by its type token alone, and nothing else", () => {
            const cases: [string, string | undefined][] = [
                ["aws:s3/bucket:Bucket", "s3Bucket"],
                ["aws:s3/bucketV2:BucketV2", "s3Bucket"],
                ["mongodbatlas:index/advancedCluster:AdvancedCluster", "atlasCluster"],
                ["mongodbatlas:index/cluster:Cluster", "atlasCluster"],
                ["aws:opensearch/domain:Domain", "searchDomain"],
                ["aws:elasticsearch/domain:Domain", "searchDomain"],
                ["aws:rds/instance:Instance", "rdsInstance"],
                ["aws:rds/cluster:Cluster", "rdsCluster"],
                ["aws:dynamodb/table:Table", "dynamodbTable"],
                ["aws:efs/fileSystem:FileSystem", "efsFileSystem"],
                ["aws:elasticache/replicationGroup:ReplicationGroup", "elasticacheReplicationGroup"],
                ["aws:elasticache/cluster:Cluster", "elasticacheCluster"],
                ["aws:memorydb/cluster:Cluster", "memorydbCluster"],
                ["aws:redshift/cluster:Cluster", "redshiftCluster"],
                ["aws:docdb/cluster:Cluster", "docdbCluster"],
                ["aws:neptune/cluster:Cluster", "neptuneCluster"],
                ["aws:ebs/volume:Volume", "ebsVolume"],
                ["aws:rds/clusterInstance:ClusterInstance", undefined],
                ["aws:s3/bucketVersioning:BucketVersioning", undefined],
                ["aws:backup/vault:Vault", undefined],
                ["continuity:storage:Storage", undefined],
            ];
            for (const [type, kind] of cases) assert.strictEqual(storeKindOf({ type }), kind, type);
            assert.strictEqual(DATA_STORE_TYPES.length, 17);
            assert.strictEqual(StoreKinds.rdsInstance.label, "RDS instance");
        });
    });

    describe("tagsOf", () => {
        const seen = async (tags: unknown) => (await inStack([bucket("b", { tags })], (get) => tagsOf(get("b")))).result;
        it("reads AWS's map of tags, leaving out unknown and non-string values", async () => {
            assert.deepStrictEqual(await seen({ team: "orders", env: UNKNOWN, count: 3 }), { team: "orders" });
            assert.deepStrictEqual(await seen(UNKNOWN), {});
            assert.deepStrictEqual(await seen(undefined), {});
            assert.deepStrictEqual(await seen({}), {});
        });
        it("reads Atlas's list of {key, value}, leaving out unknown entries, keys and values", async () => {
            const list = [
                { key: "team", value: "orders" },
                { key: "env", value: UNKNOWN },
                { key: UNKNOWN, value: "x" },
                UNKNOWN,
                { key: "n", value: 1 },
            ];
            assert.deepStrictEqual(await seen(list), { team: "orders" });
            assert.deepStrictEqual(await seen([]), {});
        });
    });

    describe("exemptions", () => {
        const r = {
            type: "aws:rds/instance:Instance",
            name: "orders",
            urn: "urn:pulumi:production::shop::continuity:database:Database$aws:rds/instance:Instance::orders",
        };
        it("matches an entry by type, name glob and URN glob, all that it names", () => {
            const cases: [ConfiguredExemption, boolean][] = [
                [{}, false],
                [{ reason: "scratch" }, false],
                [{ type: "aws:rds/instance:Instance" }, true],
                [{ type: "aws:rds/cluster:Cluster" }, false],
                [{ name: "orders" }, true],
                [{ name: "ord*" }, true],
                [{ name: "*" }, true],
                [{ name: "order" }, false],
                [{ name: "Orders" }, false],
                [{ urn: "urn:pulumi:production::*::orders" }, true],
                // `*` crosses the `/` of type tokens and the `::` and `$` of URNs.
                [{ urn: "*$aws:rds/instance:Instance::*" }, true],
                [{ urn: "*::aws:rds/instance:Instance::*" }, false],
                [{ urn: "urn:pulumi:*/instance:Instance::orders" }, true],
                [{ urn: "urn:pulumi:staging::*" }, false],
                [{ type: "aws:rds/instance:Instance", name: "orders", urn: "urn:pulumi:production::*" }, true],
                [{ type: "aws:rds/instance:Instance", name: "users" }, false],
                [{ name: "orders", urn: "urn:pulumi:staging::*" }, false],
            ];
            for (const [e, expected] of cases) assert.strictEqual(exemptionMatches(e, r), expected, JSON.stringify(e));
        });
        it("exempts by tag with a reason first, then by a configured entry with a reason, never without one", async () => {
            const tagged = (tags: unknown) => db({ tags });
            const why = async (tags: unknown, configured: ConfiguredExemption[]) =>
                (await inStack([tagged(tags)], (get) => exemptionOf(get("orders"), configured))).result;
            const entry = { name: "orders", reason: " restored from the warehouse nightly " };
            assert.deepStrictEqual(await why({ "continuity-dr": "none", "continuity-dr-reason": " scratch copy " }, [entry]), {
                by: "tag",
                reason: "scratch copy",
            });
            assert.deepStrictEqual(await why({ "continuity-dr": " None ", "continuity-dr-reason": "scratch" }, []), {
                by: "tag",
                reason: "scratch",
            });
            assert.deepStrictEqual(await why({ "continuity-dr": "none" }, [entry]), {
                by: "config",
                reason: "restored from the warehouse nightly",
            });
            assert.deepStrictEqual(await why({ "continuity-dr": "none", "continuity-dr-reason": "  " }, []), undefined);
            assert.deepStrictEqual(await why({ "continuity-dr": "daily", "continuity-dr-reason": "x" }, []), undefined);
            assert.deepStrictEqual(await why({ "continuity-dr": UNKNOWN, "continuity-dr-reason": "x" }, []), undefined);
            assert.deepStrictEqual(await why(undefined, [{ name: "orders" }, { name: "orders", reason: "" }]), undefined);
            assert.deepStrictEqual(await why(undefined, [{ name: "users", reason: "x" }]), undefined);
        });
        it("gives a policy its stores of the kinds it judges, less the exempted, and reports reasonless entries", async () => {
            const rs = [
                db(),
                db({ identifier: "scratch", tags: { "continuity-dr": "none", "continuity-dr-reason": "rebuilt from orders" } }),
                table(),
                fs(),
                res("aws:rds/clusterInstance:ClusterInstance", "member", {}),
            ].map((r, i) => (i === 1 ? { ...r, name: "scratch" } : r));
            const configured: ConfiguredExemption[] = [
                { type: "aws:efs/fileSystem:FileSystem", reason: "cache" },
                { name: "orders-*" },
                { urn: "*::orders", reason: "  " },
                {},
            ];
            const { result, reported } = await inStack(rs, (_, __, report) =>
                storesInScope(
                    { resources: __ },
                    report,
                    "rds-backup-retention",
                    ["rdsInstance", "dynamodbTable", "efsFileSystem"],
                    configured,
                ).map((r) => r.name),
            );
            assert.deepStrictEqual(result, ["orders", "orders-2024"]);
            assert.deepStrictEqual(reported, [
                "The exemption from 'rds-backup-retention' for name orders-* gives no reason; an exemption needs one, so this one exempts nothing.",
                "The exemption from 'rds-backup-retention' for URN *::orders gives no reason; an exemption needs one, so this one exempts nothing.",
                "The exemption from 'rds-backup-retention' for nothing gives no reason; an exemption needs one, so this one exempts nothing.",
            ]);
        });
    });
});

import * as assert from "assert";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
    backupCopyToOtherRegion,
    backupPlansOf,
    backupRules,
    ConfiguredExemption,
    DATA_STORE_TYPES,
    exemptionMatches,
    exemptionOf,
    selectionCovers,
    StoreKinds,
    storeKindOf,
    storesInScope,
    tagsOf,
} from "../../policies/scope";
import { UNKNOWN as POLICY_UNKNOWN } from "../../policies/util";
import { checkStack, messages, TestResource, UNKNOWN, urnOf } from "../helpers/policy";

type Props = Record<string, unknown>;

/**
 * Runs `f` over the stack as a stack policy sees it (the SDK's unknown-checking props, links by URN)
 * and returns what it returned with what it reported. Fails when the SDK would have skipped the
 * policy because `f` read an unknown value unguarded.
 */
async function inStack<T>(rs: TestResource[], f: (get: (name: string) => PolicyResource, all: PolicyResource[], report: (m: string) => void) => T, providers: Record<string, string> = {}) {
    let result: T | undefined;
    const probe: StackValidationPolicy = {
        name: "probe",
        description: "test",
        validateStack: (args, report) => {
            for (const r of args.resources) {
                const p = args.resources.find((x) => x.name === providers[r.name]);
                if (p) (r as { provider?: PolicyResource }).provider = p;
            }
            const get = (name: string) => {
                const r = args.resources.find((x) => x.name === name);
                if (!r) throw new Error(`no resource ${name}`);
                return r;
            };
            result = f(get, args.resources, (m) => report(m));
        },
    };
    const outcome = await checkStack(probe, rs);
    assert.strictEqual(outcome.skipped, undefined, "the SDK skipped the policy: an unknown value was read unguarded");
    return { result: result as T, reported: messages(outcome) };
}

const res = (type: string, name: string, props: Props = {}, propertyDependencies?: Record<string, string[]>): TestResource => ({ type, name, props, propertyDependencies });
const ACCOUNT = "123456789012";

const db = (props: Props = {}) => res("aws:rds/instance:Instance", "orders", { identifier: "orders", region: "us-west-2", ...props });
const table = (name = "orders-2024", props: Props = {}) => res("aws:dynamodb/table:Table", name, { name, region: "us-west-2", ...props });
const fs = (props: Props = {}) => res("aws:efs/fileSystem:FileSystem", "shared", { region: "us-west-2", ...props });
const bucket = (name = "uploads", props: Props = {}) => res("aws:s3/bucket:Bucket", name, { bucket: name, region: "us-west-2", ...props });

const plan = (name = "plan", props: Props = {}, deps?: Record<string, string[]>) =>
    res("aws:backup/plan:Plan", name, { region: "us-west-2", rules: [{ ruleName: "daily", targetVaultName: "main", schedule: "cron(0 5 ? * * *)" }], ...props }, deps);
const selection = (props: Props = {}, deps: Record<string, string[]> = { planId: [urnOf(plan())] }, name = "selection") =>
    res("aws:backup/selection:Selection", name, { planId: UNKNOWN, iamRoleArn: "arn:aws:iam::123456789012:role/backup", region: "us-west-2", ...props }, deps);
const vault = (name: string, region: string) => res("aws:backup/vault:Vault", name, { name, region });
const vaultArn = (name: string, region: string) => `arn:aws:backup:${region}:${ACCOUNT}:backup-vault:${name}`;

/** selectionCovers for the store named `store` and the selection named "selection". */
const covers = async (rs: TestResource[], store = "orders") => (await inStack(rs, (get) => selectionCovers(get("selection"), get(store)))).result;

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
            const list = [{ key: "team", value: "orders" }, { key: "env", value: UNKNOWN }, { key: UNKNOWN, value: "x" }, UNKNOWN, { key: "n", value: 1 }];
            assert.deepStrictEqual(await seen(list), { team: "orders" });
            assert.deepStrictEqual(await seen([]), {});
        });
    });

    describe("exemptions", () => {
        const r = { type: "aws:rds/instance:Instance", name: "orders", urn: "urn:pulumi:production::shop::continuity:database:Database$aws:rds/instance:Instance::orders" };
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
            const why = async (tags: unknown, configured: ConfiguredExemption[]) => (await inStack([tagged(tags)], (get) => exemptionOf(get("orders"), configured))).result;
            const entry = { name: "orders", reason: " restored from the warehouse nightly " };
            assert.deepStrictEqual(await why({ "continuity-dr": "none", "continuity-dr-reason": " scratch copy " }, [entry]), { by: "tag", reason: "scratch copy" });
            assert.deepStrictEqual(await why({ "continuity-dr": " None " , "continuity-dr-reason": "scratch" }, []), { by: "tag", reason: "scratch" });
            assert.deepStrictEqual(await why({ "continuity-dr": "none" }, [entry]), { by: "config", reason: "restored from the warehouse nightly" });
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
            const configured: ConfiguredExemption[] = [{ type: "aws:efs/fileSystem:FileSystem", reason: "cache" }, { name: "orders-*" }, { urn: "*::orders", reason: "  " }, {}];
            const { result, reported } = await inStack(rs, (_, __, report) =>
                storesInScope({ resources: __ }, report, "rds-backup-retention", ["rdsInstance", "dynamodbTable", "efsFileSystem"], configured).map((r) => r.name),
            );
            assert.deepStrictEqual(result, ["orders", "orders-2024"]);
            assert.deepStrictEqual(reported, [
                "The exemption from 'rds-backup-retention' for name orders-* gives no reason; an exemption needs one, so this one exempts nothing.",
                "The exemption from 'rds-backup-retention' for URN *::orders gives no reason; an exemption needs one, so this one exempts nothing.",
                "The exemption from 'rds-backup-retention' for nothing gives no reason; an exemption needs one, so this one exempts nothing.",
            ]);
        });
    });

    describe("selectionCovers", () => {
        it("covers a store the selection's resources were built from", async () => {
            assert.strictEqual(await covers([db(), selection({ resources: [UNKNOWN] }, { planId: [urnOf(plan())], resources: [urnOf(db())] })]), true);
            assert.strictEqual(await covers([db(), table(), selection({ resources: [UNKNOWN] }, { resources: [urnOf(table())] })]), false);
        });
        it("reads ARN patterns per service, region and name, as AWS Backup does", async () => {
            const cases: [string, TestResource, boolean | typeof POLICY_UNKNOWN][] = [
                ["*", db(), true],
                [`arn:aws:rds:us-west-2:${ACCOUNT}:db:orders`, db(), true],
                [`arn:aws:rds:us-west-2:${ACCOUNT}:db:*`, db(), true],
                [`arn:aws:rds:*:*:db:*`, db(), true],
                [`arn:aws:rds:*:*:db:ord*`, db(), true],
                [`arn:aws:rds:us-west-2:${ACCOUNT}:db:users`, db(), false],
                [`arn:aws:rds:us-east-1:${ACCOUNT}:db:orders`, db(), false],
                [`arn:aws:rds:us-west-2:${ACCOUNT}:cluster:*`, db(), false],
                [`arn:aws:dynamodb:us-west-2:${ACCOUNT}:table/*`, db(), false],
                [`arn:aws:dynamodb:*:*:table/orders-*`, table(), true],
                [`arn:aws:dynamodb:*:*:table/users-*`, table(), false],
                [`arn:aws:s3:::upl*`, bucket(), true],
                [`arn:aws:s3:::exports`, bucket(), false],
                [`arn:aws:elasticfilesystem:us-west-2:${ACCOUNT}:file-system/*`, fs(), true],
                // An EFS id is the provider's: preview cannot tell whether this one is it.
                [`arn:aws:elasticfilesystem:us-west-2:${ACCOUNT}:file-system/fs-0123`, fs(), POLICY_UNKNOWN],
                [`arn:aws:elasticfilesystem:us-west-2:${ACCOUNT}:file-system/fs-0123`, fs({ arn: `arn:aws:elasticfilesystem:us-west-2:${ACCOUNT}:file-system/fs-0123` }), true],
                // After an update the store's ARN is known and decides.
                [`arn:aws:elasticfilesystem:us-west-2:${ACCOUNT}:file-system/fs-0123`, fs({ arn: `arn:aws:elasticfilesystem:us-west-2:${ACCOUNT}:file-system/fs-9999` }), false],
                // A name the provider has not generated yet may match any pattern of its service.
                [`arn:aws:rds:us-west-2:${ACCOUNT}:db:orders`, db({ identifier: UNKNOWN }), POLICY_UNKNOWN],
                [`arn:aws:rds:us-west-2:${ACCOUNT}:db:*`, db({ identifier: UNKNOWN }), true],
                ["not an arn", db(), false],
            ];
            for (const [pattern, store, expected] of cases) {
                assert.strictEqual(await covers([store, selection({ resources: [pattern] }, {})], store.name), expected, `${pattern} ${JSON.stringify(store.props)}`);
            }
        });
        it("covers by a listed tag (any of them), and not by a tag the store lacks; an unknown tag value may match", async () => {
            const tagged = db({ tags: { backup: "daily" } });
            const byTags = (selectionTags: unknown) => [tagged, selection({ selectionTags }, {})];
            assert.strictEqual(await covers(byTags([{ type: "STRINGEQUALS", key: "backup", value: "daily" }])), true);
            assert.strictEqual(await covers(byTags([{ type: "STRINGEQUALS", key: "backup", value: "weekly" }, { type: "STRINGEQUALS", key: "backup", value: "daily" }])), true);
            assert.strictEqual(await covers(byTags([{ type: "STRINGEQUALS", key: "backup", value: "weekly" }])), false);
            assert.strictEqual(await covers(byTags(UNKNOWN)), POLICY_UNKNOWN);
            assert.strictEqual(await covers(byTags([{ type: "STRINGEQUALS", key: "backup", value: UNKNOWN }])), POLICY_UNKNOWN);
            assert.strictEqual(await covers([db({ tags: { backup: UNKNOWN } }), selection({ selectionTags: [{ type: "STRINGEQUALS", key: "backup", value: "daily" }] }, {})]), POLICY_UNKNOWN);
            assert.strictEqual(await covers([db({ tags: UNKNOWN }), selection({ selectionTags: [{ type: "STRINGEQUALS", key: "backup", value: "daily" }] }, {})]), POLICY_UNKNOWN);
        });
        it("narrows by every StringEquals condition (AND), with or without the aws:ResourceTag/ prefix", async () => {
            const tagged = db({ tags: { backup: "daily", team: "orders" } });
            const all = { resources: [`arn:aws:rds:*:*:db:*`] };
            const cond = (stringEquals: unknown) => [{ stringEquals }];
            const judge = (conditions: unknown, store = tagged) => covers([store, selection({ ...all, conditions }, {})]);
            assert.strictEqual(await judge(cond([{ key: "aws:ResourceTag/backup", value: "daily" }, { key: "aws:ResourceTag/team", value: "orders" }])), true);
            assert.strictEqual(await judge(cond([{ key: "aws:ResourceTag/backup", value: "daily" }, { key: "aws:ResourceTag/team", value: "users" }])), false);
            assert.strictEqual(await judge(cond([{ key: "backup", value: "weekly" }])), false);
            assert.strictEqual(await judge(cond([{ key: "aws:ResourceTag/backup", value: UNKNOWN }])), true);
            assert.strictEqual(await judge(UNKNOWN), true);
            // A tag unknown at preview may hold the value: the condition does not exclude the store.
            assert.strictEqual(await judge(cond([{ key: "aws:ResourceTag/backup", value: "daily" }]), db({ tags: { backup: UNKNOWN } })), true);
        });
        it("selects every supported resource when it lists neither resources nor tags, narrowed by its conditions", async () => {
            assert.strictEqual(await covers([db(), selection({}, {})]), true);
            assert.strictEqual(await covers([db({ tags: { backup: "daily" } }), selection({ conditions: [{ stringEquals: [{ key: "aws:ResourceTag/backup", value: "daily" }] }] }, {})]), true);
            assert.strictEqual(await covers([db(), selection({ conditions: [{ stringEquals: [{ key: "aws:ResourceTag/backup", value: "daily" }] }] }, {})]), false);
        });
        it("excludes what notResources names, certainly, and not what it may name", async () => {
            const all = { resources: ["*"] };
            assert.strictEqual(await covers([db(), selection({ ...all, notResources: [`arn:aws:rds:us-west-2:${ACCOUNT}:db:orders`] }, {})]), false);
            assert.strictEqual(await covers([db(), selection({ ...all, notResources: [`arn:aws:rds:*:*:db:*`] }, {})]), false);
            assert.strictEqual(await covers([db({ identifier: UNKNOWN }), selection({ ...all, notResources: [`arn:aws:rds:*:*:db:*`] }, {})]), false);
            assert.strictEqual(await covers([db(), selection({ ...all, notResources: [`arn:aws:rds:*:*:db:users`] }, {})]), true);
            assert.strictEqual(await covers([db({ identifier: UNKNOWN }), selection({ ...all, notResources: [`arn:aws:rds:*:*:db:users`] }, {})]), true);
            assert.strictEqual(await covers([db(), selection({ ...all, notResources: [UNKNOWN] }, {})]), true);
            assert.strictEqual(await covers([db(), selection({ ...all, notResources: UNKNOWN }, {})]), true);
        });
        it("counts an unknown list of resources as unknown, and an unknown entry as decided by the dependencies", async () => {
            assert.strictEqual(await covers([db(), selection({ resources: UNKNOWN }, {})]), POLICY_UNKNOWN);
            assert.strictEqual(await covers([db(), table(), selection({ resources: [UNKNOWN] }, { resources: [urnOf(table())] })]), false);
            assert.strictEqual(await covers([db(), selection({ resources: [UNKNOWN, `arn:aws:rds:*:*:db:orders`] }, {})]), true);
        });
    });

    describe("backupPlansOf", () => {
        it("links a selection to its plan by the planId dependency, and only to that plan", async () => {
            const other = plan("other");
            const rs = [db(), plan(), other, selection({ resources: ["*"] })];
            const { result } = await inStack(rs, (get, all) => backupPlansOf(get("orders"), all).map((p) => [p.plan.name, p.certain]));
            assert.deepStrictEqual(result, [["plan", true]]);
        });
        it("links every plan when the plan id is unknown and unlinked, and a plan by its known id", async () => {
            const rs = [db(), plan(), plan("other", { id: "p-2" }), selection({ resources: ["*"] }, {})];
            assert.deepStrictEqual((await inStack(rs, (get, all) => backupPlansOf(get("orders"), all).map((p) => p.plan.name))).result, ["plan", "other"]);
            const byId = [db(), plan(), plan("other", { id: "p-2" }), selection({ resources: ["*"], planId: "p-2" }, {})];
            assert.deepStrictEqual((await inStack(byId, (get, all) => backupPlansOf(get("orders"), all).map((p) => p.plan.name))).result, ["other"]);
        });
        it("does not count a plan of another region, nor a selection that does not cover the store; a possible one is not certain", async () => {
            const east = plan("plan", { region: "us-east-1" });
            assert.deepStrictEqual((await inStack([db(), east, selection({ resources: ["*"] })], (get, all) => backupPlansOf(get("orders"), all))).result, []);
            assert.deepStrictEqual((await inStack([db(), plan(), selection({ resources: [`arn:aws:dynamodb:*:*:table/*`] })], (get, all) => backupPlansOf(get("orders"), all))).result, []);
            const maybe = [db(), plan(), selection({ resources: UNKNOWN })];
            assert.deepStrictEqual((await inStack(maybe, (get, all) => backupPlansOf(get("orders"), all).map((p) => [p.plan.name, p.certain]))).result, [["plan", false]]);
        });
        it("reads a region from the provider when the resources do not name one", async () => {
            const provider = res("pulumi:providers:aws", "east", { region: "us-east-1" });
            const rs = [db({ region: undefined }), provider, plan(), selection({ resources: ["*"] })];
            assert.deepStrictEqual((await inStack(rs, (get, all) => backupPlansOf(get("orders"), all), { orders: "east" })).result, []);
            assert.deepStrictEqual((await inStack(rs, (get, all) => backupPlansOf(get("orders"), all).length)).result, 1);
        });
    });

    describe("backupRules and backupCopyToOtherRegion", () => {
        const withCopy = (copyActions: unknown, deps?: Record<string, string[]>) =>
            plan("plan", { rules: [{ ruleName: "daily", targetVaultName: "main", schedule: "cron(0 5 ? * * *)", lifecycle: { deleteAfter: 35 }, copyActions }] }, deps);
        const copied = async (rs: TestResource[]) => (await inStack(rs, (get, all) => backupCopyToOtherRegion(get("orders"), all))).result;
        const covered = (p: TestResource) => [db(), p, selection({ resources: ["*"] })];
        it("resolves a rule's copy actions to regions and retention", async () => {
            const p = withCopy([{ destinationVaultArn: vaultArn("dr", "us-east-1"), lifecycle: { deleteAfter: 90 } }, { destinationVaultArn: UNKNOWN }]);
            const { result } = await inStack([p], (get, all) => {
                const rules = backupRules(get("plan"), all);
                return rules === POLICY_UNKNOWN ? rules : rules.map((r) => ({ ...r, plan: r.plan.name, copies: r.copies.map((c) => ({ ...c, vault: c.vault?.name })) }));
            });
            assert.deepStrictEqual(result, [
                {
                    plan: "plan",
                    name: "daily",
                    schedule: "cron(0 5 ? * * *)",
                    continuous: false,
                    retentionDays: 35,
                    copies: [
                        { region: "us-east-1", retentionDays: 90, vault: undefined },
                        { region: POLICY_UNKNOWN, retentionDays: undefined, vault: undefined },
                    ],
                },
            ]);
        });
        it("finds a copy by a known ARN in another region, and none within the store's region", async () => {
            assert.deepStrictEqual(await copied(covered(withCopy([{ destinationVaultArn: vaultArn("dr", "us-east-1") }]))), { copied: true });
            assert.deepStrictEqual(await copied(covered(withCopy([{ destinationVaultArn: vaultArn("dr", "us-west-2") }]))), {
                copied: false,
                found: "the AWS Backup plan 'plan' that selects it has no copy action to a vault in another region",
            });
            assert.deepStrictEqual(await copied(covered(withCopy(undefined))), {
                copied: false,
                found: "the AWS Backup plan 'plan' that selects it has no copy action to a vault in another region",
            });
        });
        it("finds the destination vault through the rules' dependency when its ARN is unknown, beside the rule's own vault", async () => {
            const main = vault("main", "us-west-2");
            const east = vault("dr", "us-east-1");
            const west = vault("dr", "us-west-2");
            // The program builds targetVaultName from the main vault and the copy's ARN from the DR vault.
            const p = (dr: TestResource) => withCopy([{ destinationVaultArn: UNKNOWN }], { rules: [urnOf(main), urnOf(dr)] });
            assert.deepStrictEqual(await copied([...covered(p(east)), main, east]), { copied: true });
            assert.deepStrictEqual(await copied([...covered(p({ ...west, name: "dr-west" })), main, { ...west, name: "dr-west" }]), {
                copied: false,
                found: "the AWS Backup plan 'plan' that selects it has no copy action to a vault in another region",
            });
            const onlyDr = withCopy([{ destinationVaultArn: UNKNOWN }], { rules: [urnOf(east)] });
            const { result } = await inStack([...covered(onlyDr), east], (get, all) => {
                const rules = backupRules(get("plan"), all);
                return rules === POLICY_UNKNOWN ? rules : rules[0].copies.map((c) => [c.region, c.vault?.name]);
            });
            assert.deepStrictEqual(result, [["us-east-1", "dr"]]);
        });
        it("links a known ARN to the stack's vault of that name in that region", async () => {
            const west = vault("dr", "us-west-2");
            const east = { ...vault("dr", "us-east-1"), name: "dr-east" };
            const { result } = await inStack([withCopy([{ destinationVaultArn: vaultArn("dr", "us-east-1") }]), west, east], (get, all) => {
                const rules = backupRules(get("plan"), all);
                return rules === POLICY_UNKNOWN ? rules : rules[0].copies.map((c) => [c.region, c.vault?.name]);
            });
            assert.deepStrictEqual(result, [["us-east-1", "dr-east"]]);
        });
        it("counts unknown rules, copy actions or destinations as a copy, and says when no plan selects the store", async () => {
            assert.deepStrictEqual(await copied(covered(plan("plan", { rules: UNKNOWN }))), { copied: true });
            assert.deepStrictEqual(await copied(covered(withCopy(UNKNOWN))), { copied: true });
            assert.deepStrictEqual(await copied(covered(withCopy([{ destinationVaultArn: UNKNOWN }]))), { copied: true });
            assert.deepStrictEqual(await copied([db(), withCopy([{ destinationVaultArn: vaultArn("dr", "us-east-1") }])]), { copied: false, found: "no AWS Backup plan of the stack selects it" });
        });
    });
});

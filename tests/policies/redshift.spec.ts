// The Redshift rules against programs written as another team writes them: a plain
// aws.redshift.Cluster, an aws.redshift.SnapshotCopy and AWS Backup resources, type tokens and
// properties as the engine sends them, no tags of ours except where a test is about an exemption.
import * as assert from "assert";
import { redshiftCrossRegionCopy, redshiftPolicies, redshiftReference, redshiftSnapshotRetention } from "../../policies/redshift";
import { checkStack, messages, TestResource, UNKNOWN, urnOf } from "../helpers/policy";

type Props = Record<string, unknown>;

const cluster = (name: string, props: Props = {}): TestResource => ({
    type: "aws:redshift/cluster:Cluster",
    name,
    props: {
        clusterIdentifier: name,
        nodeType: "ra3.xlplus",
        clusterType: "multi-node",
        numberOfNodes: 2,
        masterUsername: "admin",
        manageMasterPassword: true,
        region: "us-west-2",
        ...props,
    },
});
/** A cross-region copy built from the cluster's identifier output, as `cluster.clusterIdentifier` passes it. */
const snapshotCopy = (name: string, of: TestResource, props: Props = {}): TestResource => ({
    type: "aws:redshift/snapshotCopy:SnapshotCopy",
    name,
    props: { clusterIdentifier: UNKNOWN, destinationRegion: "us-east-1", retentionPeriod: 7, region: "us-west-2", ...props },
    propertyDependencies: { clusterIdentifier: [urnOf(of)] },
});
const plan = (name: string, rule: Props = {}): TestResource => ({
    type: "aws:backup/plan:Plan",
    name,
    props: {
        name,
        region: "us-west-2",
        rules: [{ ruleName: "daily", targetVaultName: "local", schedule: "cron(0 5 ? * * *)", lifecycle: { deleteAfter: 35 }, ...rule }],
    },
});
/** A selection of one cluster, built from its ARN and the plan's id (both unknown at preview). */
const selection = (p: TestResource, of: TestResource): TestResource => ({
    type: "aws:backup/selection:Selection",
    name: `${p.name}-selection`,
    props: {
        name: `${p.name}-selection`,
        planId: UNKNOWN,
        iamRoleArn: "arn:aws:iam::123456789012:role/backup",
        resources: [UNKNOWN],
        region: "us-west-2",
    },
    propertyDependencies: { planId: [urnOf(p)], resources: [urnOf(of)] },
});
const DR_VAULT = "arn:aws:backup:us-east-1:123456789012:backup-vault:dr";

const warehouse = cluster("warehouse", { automatedSnapshotRetentionPeriod: 7 });
const compliant = (): TestResource[] => [warehouse, snapshotCopy("warehouse-copy", warehouse)];

const withProps = (r: TestResource, props: Props): TestResource => ({ ...r, props: { ...r.props, ...props } });
const tagged = (r: TestResource, tags: Record<string, string>) => withProps(r, { tags });

const NO_COPY =
    "The Redshift cluster 'warehouse' has no copy of its snapshots in another region: no aws.redshift.SnapshotCopy names it, and no AWS Backup plan of the stack selects it; this environment requires one.";

describe("redshift policies (policies/redshift.ts)", () => {
    it("let a cluster with a week of snapshots copied to another region through, every one", async () => {
        for (const p of redshiftPolicies) {
            const o = await checkStack(p, compliant());
            assert.deepStrictEqual(messages(o), [], p.name);
            assert.strictEqual(o.skipped, undefined, p.name);
        }
    });

    it("document every policy in the reference, as data rules with anchors", () => {
        assert.deepStrictEqual(Object.keys(redshiftReference).sort(), redshiftPolicies.map((p) => p.name).sort());
        for (const p of redshiftPolicies) {
            assert.strictEqual(p.enforcementLevel, "mandatory", p.name);
            assert.strictEqual(redshiftReference[p.name].protectsData, true, p.name);
        }
        assert.match(redshiftReference["redshift-snapshot-retention"].anchors, /redshift-backup-enabled.*CKV_AWS_343/);
        assert.match(redshiftReference["redshift-cross-region-copy"].anchors, /^none: /);
    });

    describe("redshift-snapshot-retention", () => {
        it("rejects a cluster written with the provider's default of one day, against its URN, and one with snapshots off", async () => {
            const bare = cluster("warehouse");
            assert.deepStrictEqual((await checkStack(redshiftSnapshotRetention, [bare])).violations, [
                {
                    message:
                        "The Redshift cluster 'warehouse' keeps automated snapshots 1 day (automatedSnapshotRetentionPeriod unset, default 1), and no AWS Backup plan of the stack selects it; this environment requires snapshots kept at least 7 days.",
                    urn: urnOf(bare),
                },
            ]);
            assert.deepStrictEqual(
                messages(await checkStack(redshiftSnapshotRetention, [cluster("warehouse", { automatedSnapshotRetentionPeriod: 0 })])),
                [
                    "The Redshift cluster 'warehouse' has automated snapshots turned off (automatedSnapshotRetentionPeriod 0), and no AWS Backup plan of the stack selects it; this environment requires snapshots kept at least 7 days.",
                ],
            );
        });

        it("requires the configured minimum", async () => {
            const five = cluster("warehouse", { automatedSnapshotRetentionPeriod: 5 });
            assert.deepStrictEqual(messages(await checkStack(redshiftSnapshotRetention, [five], { minRetentionDays: 5 })), []);
            assert.deepStrictEqual(messages(await checkStack(redshiftSnapshotRetention, [five], { minRetentionDays: 6 })), [
                "The Redshift cluster 'warehouse' keeps automated snapshots 5 days (automatedSnapshotRetentionPeriod 5), and no AWS Backup plan of the stack selects it; this environment requires snapshots kept at least 6 days.",
            ]);
        });

        it("accepts an AWS Backup plan that selects the cluster and keeps its recovery points long enough (or until deleted), and names one that does not", async () => {
            const bare = cluster("warehouse");
            const long = plan("nightly");
            assert.deepStrictEqual(messages(await checkStack(redshiftSnapshotRetention, [bare, long, selection(long, bare)])), []);
            const forever = plan("nightly", { lifecycle: undefined });
            assert.deepStrictEqual(messages(await checkStack(redshiftSnapshotRetention, [bare, forever, selection(forever, bare)])), []);
            const short = plan("nightly", { lifecycle: { deleteAfter: 3 } });
            assert.deepStrictEqual(messages(await checkStack(redshiftSnapshotRetention, [bare, short, selection(short, bare)])), [
                "The Redshift cluster 'warehouse' keeps automated snapshots 1 day (automatedSnapshotRetentionPeriod unset, default 1), and the AWS Backup plan 'nightly' that selects it keeps recovery points at most 3 days; this environment requires snapshots kept at least 7 days.",
            ]);
            // A plan that selects another cluster does not count for this one.
            const other = cluster("other", { automatedSnapshotRetentionPeriod: 7 });
            assert.deepStrictEqual(messages(await checkStack(redshiftSnapshotRetention, [bare, other, long, selection(long, other)])), [
                "The Redshift cluster 'warehouse' keeps automated snapshots 1 day (automatedSnapshotRetentionPeriod unset, default 1), and no AWS Backup plan of the stack selects it; this environment requires snapshots kept at least 7 days.",
            ]);
        });

        it("counts an unknown retention period or unknown Backup rules in the stack's favour", async () => {
            let o = await checkStack(redshiftSnapshotRetention, [cluster("warehouse", { automatedSnapshotRetentionPeriod: UNKNOWN })]);
            assert.deepStrictEqual(messages(o), []);
            assert.strictEqual(o.skipped, undefined);
            const bare = cluster("warehouse");
            const unknownRules = withProps(plan("nightly"), { rules: UNKNOWN });
            o = await checkStack(redshiftSnapshotRetention, [bare, unknownRules, selection(unknownRules, bare)]);
            assert.deepStrictEqual(messages(o), []);
            const unknownDays = plan("nightly", { lifecycle: { deleteAfter: UNKNOWN } });
            assert.deepStrictEqual(
                messages(await checkStack(redshiftSnapshotRetention, [bare, unknownDays, selection(unknownDays, bare)])),
                [],
            );
        });

        it("leaves out a cluster exempted by tag or config with a reason; a reasonless entry is a violation and exempts nothing", async () => {
            const scratch = cluster("scratch");
            const exempt = tagged(scratch, { "continuity-dr": "none", "continuity-dr-reason": "reloaded nightly from the lake" });
            assert.deepStrictEqual(messages(await checkStack(redshiftSnapshotRetention, [exempt])), []);
            const reasonless = tagged(scratch, { "continuity-dr": "none" });
            assert.deepStrictEqual(messages(await checkStack(redshiftSnapshotRetention, [reasonless])), [
                "The Redshift cluster 'scratch' keeps automated snapshots 1 day (automatedSnapshotRetentionPeriod unset, default 1), and no AWS Backup plan of the stack selects it; this environment requires snapshots kept at least 7 days.",
            ]);
            const byConfig = {
                exemptions: [{ type: "aws:redshift/cluster:Cluster", name: "scr*", reason: "reloaded nightly from the lake" }],
            };
            assert.deepStrictEqual(messages(await checkStack(redshiftSnapshotRetention, [scratch], byConfig)), []);
            assert.deepStrictEqual(
                messages(
                    await checkStack(redshiftSnapshotRetention, [scratch], { exemptions: [{ type: "aws:redshift/cluster:Cluster" }] }),
                ),
                [
                    "The exemption from 'redshift-snapshot-retention' for type aws:redshift/cluster:Cluster gives no reason; an exemption needs one, so this one exempts nothing.",
                    "The Redshift cluster 'scratch' keeps automated snapshots 1 day (automatedSnapshotRetentionPeriod unset, default 1), and no AWS Backup plan of the stack selects it; this environment requires snapshots kept at least 7 days.",
                ],
            );
        });
    });

    describe("redshift-cross-region-copy", () => {
        it("rejects a cluster without a copy, against its URN", async () => {
            assert.deepStrictEqual((await checkStack(redshiftCrossRegionCopy, [warehouse])).violations, [
                { message: NO_COPY, urn: urnOf(warehouse) },
            ]);
        });

        it("links a SnapshotCopy by the identifier the program set, case-insensitively, and not one of another cluster", async () => {
            const byName: TestResource = {
                ...snapshotCopy("warehouse-copy", warehouse, { clusterIdentifier: "Warehouse" }),
                propertyDependencies: {},
            };
            assert.deepStrictEqual(messages(await checkStack(redshiftCrossRegionCopy, [warehouse, byName])), []);
            const other = cluster("other");
            const othersCopy = snapshotCopy("other-copy", other);
            assert.deepStrictEqual(messages(await checkStack(redshiftCrossRegionCopy, [warehouse, other, othersCopy])), [NO_COPY]);
            const othersByName: TestResource = {
                ...snapshotCopy("other-copy", other, { clusterIdentifier: "other" }),
                propertyDependencies: {},
            };
            assert.deepStrictEqual(messages(await checkStack(redshiftCrossRegionCopy, [warehouse, othersByName])), [NO_COPY]);
        });

        it("rejects a copy into the cluster's own region", async () => {
            const local = snapshotCopy("warehouse-copy", warehouse, { destinationRegion: "us-west-2" });
            assert.deepStrictEqual(messages(await checkStack(redshiftCrossRegionCopy, [warehouse, local])), [
                "The Redshift cluster 'warehouse' has no copy of its snapshots in another region: the aws.redshift.SnapshotCopy 'warehouse-copy' copies to us-west-2, the cluster's own region, and no AWS Backup plan of the stack selects it; this environment requires one.",
            ]);
        });

        it("rejects a copy kept too briefly, against the copy's URN, reading an unset retention as the API's 7 days", async () => {
            const brief = snapshotCopy("warehouse-copy", warehouse, { retentionPeriod: 3 });
            assert.deepStrictEqual((await checkStack(redshiftCrossRegionCopy, [warehouse, brief])).violations, [
                {
                    message:
                        "The aws.redshift.SnapshotCopy 'warehouse-copy' keeps the copies of Redshift cluster 'warehouse' in us-east-1 3 days (retentionPeriod 3), and no AWS Backup plan of the stack selects it; this environment requires copies kept at least 7 days.",
                    urn: urnOf(brief),
                },
            ]);
            const unset = snapshotCopy("warehouse-copy", warehouse, { retentionPeriod: undefined });
            assert.deepStrictEqual(messages(await checkStack(redshiftCrossRegionCopy, [warehouse, unset])), []);
            assert.deepStrictEqual(messages(await checkStack(redshiftCrossRegionCopy, [warehouse, unset], { minCopyRetentionDays: 14 })), [
                "The aws.redshift.SnapshotCopy 'warehouse-copy' keeps the copies of Redshift cluster 'warehouse' in us-east-1 7 days (retentionPeriod unset, default 7), and no AWS Backup plan of the stack selects it; this environment requires copies kept at least 14 days.",
            ]);
        });

        it("accepts an AWS Backup copy action to a vault in another region, and says what a plan without one lacks", async () => {
            const copying = plan("nightly", { copyActions: [{ destinationVaultArn: DR_VAULT, lifecycle: { deleteAfter: 35 } }] });
            assert.deepStrictEqual(
                messages(await checkStack(redshiftCrossRegionCopy, [warehouse, copying, selection(copying, warehouse)])),
                [],
            );
            const local = plan("nightly");
            assert.deepStrictEqual(messages(await checkStack(redshiftCrossRegionCopy, [warehouse, local, selection(local, warehouse)])), [
                "The Redshift cluster 'warehouse' has no copy of its snapshots in another region: no aws.redshift.SnapshotCopy names it, and the AWS Backup plan 'nightly' that selects it has no copy action to a vault in another region; this environment requires one.",
            ]);
            // A Backup copy stands in for a SnapshotCopy kept too briefly.
            const brief = snapshotCopy("warehouse-copy", warehouse, { retentionPeriod: 1 });
            assert.deepStrictEqual(
                messages(await checkStack(redshiftCrossRegionCopy, [warehouse, brief, copying, selection(copying, warehouse)])),
                [],
            );
        });

        it("counts an unknown destination, retention or cluster identifier in the stack's favour", async () => {
            const unknowns: TestResource[][] = [
                [warehouse, snapshotCopy("warehouse-copy", warehouse, { destinationRegion: UNKNOWN })],
                [warehouse, snapshotCopy("warehouse-copy", warehouse, { retentionPeriod: UNKNOWN })],
                // An identifier computed from something other than a cluster of the stack may name this one.
                [warehouse, { ...snapshotCopy("warehouse-copy", warehouse), propertyDependencies: {} }],
            ];
            for (const rs of unknowns) {
                const o = await checkStack(redshiftCrossRegionCopy, rs);
                assert.deepStrictEqual(messages(o), []);
                assert.strictEqual(o.skipped, undefined);
            }
            // A copy into the cluster's own region, whose cluster is unknown, is no copy of this cluster either way.
            const local: TestResource = {
                ...snapshotCopy("some-copy", warehouse, { destinationRegion: "us-west-2" }),
                propertyDependencies: {},
            };
            assert.deepStrictEqual(messages(await checkStack(redshiftCrossRegionCopy, [warehouse, local])), [
                "The Redshift cluster 'warehouse' has no copy of its snapshots in another region: the aws.redshift.SnapshotCopy 'some-copy' copies to us-west-2, the cluster's own region, and no AWS Backup plan of the stack selects it; this environment requires one.",
            ]);
        });

        it("leaves out a cluster exempted by tag or config with a reason; a reasonless entry is a violation and exempts nothing", async () => {
            const exempt = tagged(warehouse, { "continuity-dr": "none", "continuity-dr-reason": "reporting copy of the orders database" });
            assert.deepStrictEqual(messages(await checkStack(redshiftCrossRegionCopy, [exempt])), []);
            assert.deepStrictEqual(
                messages(
                    await checkStack(redshiftCrossRegionCopy, [tagged(warehouse, { "continuity-dr": "none", "continuity-dr-reason": "" })]),
                ),
                [NO_COPY],
            );
            const byUrn = { exemptions: [{ urn: "urn:pulumi:test::*::warehouse", reason: "reporting copy of the orders database" }] };
            assert.deepStrictEqual(messages(await checkStack(redshiftCrossRegionCopy, [warehouse], byUrn)), []);
            assert.deepStrictEqual(
                messages(await checkStack(redshiftCrossRegionCopy, [warehouse], { exemptions: [{ name: "warehouse", reason: "" }] })),
                [
                    "The exemption from 'redshift-cross-region-copy' for name warehouse gives no reason; an exemption needs one, so this one exempts nothing.",
                    NO_COPY,
                ],
            );
        });
    });
});

import * as assert from "assert";
import { longestGapHours } from "../../policies/util";
import * as path from "path";
import {
    backupPlanCopyToOtherRegion,
    backupPlanFrequency,
    backupPlanHasSelection,
    backupPlanRetention,
    backupPolicies,
    backupReference,
    backupVaultLock,
} from "../../policies/backup";
import { checkStack, fromRecorded, messages, runPolicies, TestResource, UNKNOWN, urnOf } from "../helpers/policy";
import { ROOT, runStack } from "../helpers/program";

type Props = Record<string, unknown>;

// Another team's program, as the engine sends it at preview: plain @pulumi/aws resources, no tags of
// ours, IDs and ARNs of new resources unknown, links through property dependencies.
const db: TestResource = { type: "aws:rds/instance:Instance", name: "orders", props: { identifier: "orders", region: "us-west-2" } };
const files: TestResource = { type: "aws:efs/fileSystem:FileSystem", name: "shared", props: { region: "us-west-2" } };
const main: TestResource = { type: "aws:backup/vault:Vault", name: "main", props: { name: "main", region: "us-west-2", arn: UNKNOWN } };
const dr: TestResource = { type: "aws:backup/vault:Vault", name: "dr", props: { name: "dr", region: "us-east-1", arn: UNKNOWN } };
const DR_ARN = "arn:aws:backup:us-east-1:123456789012:backup-vault:dr";

const rule = (props: Props = {}): Props => ({
    ruleName: "daily",
    targetVaultName: "main",
    schedule: "cron(0 5 ? * * *)",
    lifecycle: { deleteAfter: 35 },
    copyActions: [{ destinationVaultArn: UNKNOWN, lifecycle: { deleteAfter: 35 } }],
    ...props,
});
const plan = (
    rules: unknown = [rule()],
    props: Props = {},
    deps: Record<string, string[]> = { rules: [urnOf(main), urnOf(dr)] },
): TestResource => ({
    type: "aws:backup/plan:Plan",
    name: "plan",
    props: { name: "plan", region: "us-west-2", rules, ...props },
    propertyDependencies: deps,
});
const selection = (store: TestResource = db, props: Props = {}): TestResource => ({
    type: "aws:backup/selection:Selection",
    name: `${store.name}-selection`,
    props: {
        name: `${store.name}-selection`,
        planId: UNKNOWN,
        iamRoleArn: "arn:aws:iam::123456789012:role/backup",
        resources: [UNKNOWN],
        ...props,
    },
    propertyDependencies: { planId: [urnOf(plan())], resources: [urnOf(store)] },
});
const lock = (props: Props = {}): TestResource => ({
    type: "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
    name: "dr-lock",
    props: { backupVaultName: UNKNOWN, region: "us-east-1", minRetentionDays: 35, maxRetentionDays: 365, changeableForDays: 3, ...props },
    propertyDependencies: { backupVaultName: [urnOf(dr)] },
});

/** A daily plan kept 35 days, copied to a compliance-locked vault in another region, selecting the database. */
const compliant = (): TestResource[] => [db, main, dr, plan(), selection(), lock()];
const replace = (rs: TestResource[], ...by: TestResource[]) => rs.map((r) => by.find((b) => b.name === r.name) ?? r);
const without = (rs: TestResource[], ...names: string[]) => rs.filter((r) => !names.includes(r.name));
const judge = async (policy: (typeof backupPolicies)[number], rs: TestResource[], config: Props = {}) =>
    messages(await checkStack(policy as any, rs, config));

const EXEMPT_TAGS = { "continuity-dr": "none", "continuity-dr-reason": "replaced by the central backup account's plan" };
const exemptedPlan = () => replace(compliant(), plan(undefined, { tags: EXEMPT_TAGS }));

describe("backup policies (policies/backup.ts)", () => {
    it("let a daily plan kept 35 days and copied to a locked vault in another region through, every one", async () => {
        for (const p of backupPolicies) assert.deepStrictEqual(await judge(p, compliant()), [], p.name);
    });

    it("have a reference entry with anchors for every policy, and guard data in all but the selection hint", () => {
        assert.deepStrictEqual(
            Object.keys(backupReference),
            backupPolicies.map((p) => p.name),
        );
        assert.deepStrictEqual(
            backupPolicies.filter((p) => !backupReference[p.name].protectsData).map((p) => p.name),
            ["backup-plan-has-selection"],
        );
        assert.deepStrictEqual(
            backupPolicies.map((p) => p.enforcementLevel),
            ["mandatory", "mandatory", "mandatory", "mandatory", "mandatory"],
        );
    });

    describe("longestGapHours", () => {
        it("reads rates and AWS cron expressions to the longest time between two runs", () => {
            const cases: [string, number | undefined][] = [
                ["rate(1 hour)", 1],
                ["rate(30 minutes)", 0.5],
                ["rate(2 days)", 48],
                ["cron(0 5 ? * * *)", 24],
                ["cron(0 */6 * * ? *)", 6],
                ["cron(0 0/8 ? * * *)", 8],
                ["cron(15 * ? * * *)", 1],
                ["cron(0 1,13 ? * * *)", 12],
                ["cron(0 1,5 ? * * *)", 20],
                ["cron(0 5 ? * MON-FRI *)", 72],
                ["cron(0 5 ? * 2-6 *)", 72],
                ["cron(0 5 ? * SUN *)", 168],
                ["cron(0 5 ? * 1 *)", 168],
                ["cron(0 5 ? * FRI#2 *)", 35 * 24],
                ["cron(0 5 ? * 6L *)", 35 * 24],
                ["cron(0 5 1 * ? *)", 31 * 24],
                ["cron(0 5 L * ? *)", 31 * 24],
                ["cron(0 5 1 1 ? *)", 366 * 24],
                ["cron(0 5 1-31 * ? *)", 24],
                ["cron(0 5 * * MON *)", undefined],
                ["cron(0 5 ? * * 2030)", undefined],
                ["cron(0 5 ? * *)", undefined],
                ["cron(0 25 ? * * *)", undefined],
                ["at(2030-01-01T00:00:00)", undefined],
                ["daily", undefined],
            ];
            for (const [expression, hours] of cases) assert.strictEqual(longestGapHours(expression), hours, expression);
        });
    });

    describe("backup-plan-frequency", () => {
        const policy = backupPlanFrequency;
        it("rejects a weekly plan, with its URN, naming the schedule", async () => {
            const o = await checkStack(policy, replace(compliant(), plan([rule({ schedule: "cron(0 5 ? * SUN *)" })])));
            assert.deepStrictEqual(o.violations, [
                {
                    message:
                        "The AWS Backup plan 'plan' backs up at most every 168 hours (rule 'daily': cron(0 5 ? * SUN *)); this environment requires a backup at least every 24 hours.",
                    urn: urnOf(plan()),
                },
            ]);
        });
        it("takes the most frequent rule, reads a rule without a schedule as AWS's daily default, and follows the setting", async () => {
            const two = plan([
                rule({ ruleName: "weekly", schedule: "cron(0 5 ? * SUN *)" }),
                rule({ ruleName: "hourly", schedule: "cron(0 * ? * * *)" }),
            ]);
            assert.deepStrictEqual(await judge(policy, replace(compliant(), two), { maxIntervalHours: 1 }), []);
            const noSchedule = plan([rule({ schedule: undefined })]);
            assert.deepStrictEqual(await judge(policy, replace(compliant(), noSchedule)), []);
            assert.deepStrictEqual(await judge(policy, replace(compliant(), noSchedule), { maxIntervalHours: 12 }), [
                "The AWS Backup plan 'plan' backs up at most every 24 hours (rule 'daily': no schedule, which AWS Backup runs as cron(0 5 ? * * *)); this environment requires a backup at least every 12 hours.",
            ]);
        });
        it("rejects a plan without rules and a schedule it cannot read", async () => {
            assert.deepStrictEqual(await judge(policy, replace(compliant(), plan([]))), [
                "The AWS Backup plan 'plan' has no rule, so it backs nothing up; this environment requires a backup at least every 24 hours.",
            ]);
            assert.deepStrictEqual(await judge(policy, replace(compliant(), plan([rule({ schedule: "cron(0 5 * * MON *)" })]))), [
                "The AWS Backup plan 'plan' runs rule 'daily' on cron(0 5 * * MON *), a schedule this guard cannot read; this environment requires a backup at least every 24 hours.",
            ]);
        });
        it("counts continuous backup for the stores that support it, and not for an EFS file system the plan also selects", async () => {
            const continuous = plan([rule({ schedule: "cron(0 5 ? * SUN *)", enableContinuousBackup: true })]);
            assert.deepStrictEqual(await judge(policy, replace(compliant(), continuous)), []);
            assert.deepStrictEqual(await judge(policy, [...replace(compliant(), continuous), files, selection(files)]), [
                "The AWS Backup plan 'plan' backs up continuously only S3 buckets, RDS instances and Aurora clusters, and also selects the EFS file system 'shared', which backs up at most every 168 hours (rule 'daily': cron(0 5 ? * SUN *)); this environment requires a backup at least every 24 hours.",
            ]);
        });
        it("counts unknown rules, schedules or continuous flags in the stack's favour", async () => {
            assert.deepStrictEqual(await judge(policy, replace(compliant(), plan(UNKNOWN))), []);
            assert.deepStrictEqual(await judge(policy, replace(compliant(), plan([rule({ schedule: UNKNOWN })]))), []);
            assert.deepStrictEqual(
                await judge(
                    policy,
                    replace(compliant(), plan([rule({ schedule: "cron(0 5 ? * SUN *)", enableContinuousBackup: UNKNOWN })])),
                ),
                [],
            );
        });
        it("leaves a plan exempted by tag with a reason alone, and reports a configured exemption without one", async () => {
            const weekly = plan([rule({ schedule: "cron(0 5 ? * SUN *)" })]);
            assert.deepStrictEqual(
                await judge(policy, replace(compliant(), { ...weekly, props: { ...weekly.props, tags: EXEMPT_TAGS } })),
                [],
            );
            assert.deepStrictEqual(
                await judge(policy, replace(compliant(), weekly), {
                    exemptions: [{ type: "aws:backup/plan:Plan", name: "plan", reason: "weekly archive plan" }],
                }),
                [],
            );
            assert.deepStrictEqual(await judge(policy, replace(compliant(), weekly), { exemptions: [{ name: "plan" }] }), [
                "The exemption from 'backup-plan-frequency' for name plan gives no reason; an exemption needs one, so this one exempts nothing.",
                "The AWS Backup plan 'plan' backs up at most every 168 hours (rule 'daily': cron(0 5 ? * SUN *)); this environment requires a backup at least every 24 hours.",
            ]);
        });
    });

    describe("backup-plan-retention", () => {
        const policy = backupPlanRetention;
        it("rejects a plan whose rules keep recovery points too few days, naming the longest", async () => {
            const short = plan([
                rule({ ruleName: "hourly", lifecycle: { deleteAfter: 2 } }),
                rule({ ruleName: "daily", lifecycle: { deleteAfter: 14 } }),
            ]);
            const o = await checkStack(policy, replace(compliant(), short));
            assert.deepStrictEqual(o.violations, [
                {
                    message:
                        "The AWS Backup plan 'plan' keeps recovery points at most 14 days (rule 'daily'); this environment requires at least 35.",
                    urn: urnOf(plan()),
                },
            ]);
            assert.deepStrictEqual(await judge(policy, replace(compliant(), short), { minRetentionDays: 14 }), []);
        });
        it("accepts one rule kept long enough beside a short one, and a rule without expiry", async () => {
            assert.deepStrictEqual(
                await judge(policy, replace(compliant(), plan([rule({ ruleName: "hourly", lifecycle: { deleteAfter: 2 } }), rule()]))),
                [],
            );
            assert.deepStrictEqual(await judge(policy, replace(compliant(), plan([rule({ lifecycle: undefined })]))), []);
            assert.deepStrictEqual(await judge(policy, replace(compliant(), plan([rule({ lifecycle: { coldStorageAfter: 30 } })]))), []);
        });
        it("counts unknown rules or retention in the stack's favour", async () => {
            assert.deepStrictEqual(await judge(policy, replace(compliant(), plan(UNKNOWN))), []);
            assert.deepStrictEqual(
                await judge(
                    policy,
                    replace(compliant(), plan([rule({ lifecycle: { deleteAfter: 2 } }), rule({ lifecycle: { deleteAfter: UNKNOWN } })])),
                ),
                [],
            );
        });
        it("leaves an exempted plan alone, and reports a configured exemption without a reason", async () => {
            const short = plan([rule({ lifecycle: { deleteAfter: 2 } })], { tags: EXEMPT_TAGS });
            assert.deepStrictEqual(await judge(policy, replace(compliant(), short)), []);
            assert.deepStrictEqual(await judge(policy, compliant(), { exemptions: [{ urn: "*::plan", reason: " " }] }), [
                "The exemption from 'backup-plan-retention' for URN *::plan gives no reason; an exemption needs one, so this one exempts nothing.",
            ]);
        });
    });

    describe("backup-plan-copy-to-other-region", () => {
        const policy = backupPlanCopyToOtherRegion;
        it("rejects a plan without a copy action, with its URN", async () => {
            const o = await checkStack(
                policy,
                replace(compliant(), plan([rule({ copyActions: undefined })], {}, { rules: [urnOf(main)] })),
            );
            assert.deepStrictEqual(o.violations, [
                {
                    message:
                        "The AWS Backup plan 'plan' has no copy action; this environment requires a copy action to a vault in another region (destinationVaultArn), so that its recovery points outlive the region.",
                    urn: urnOf(plan()),
                },
            ]);
        });
        it("rejects a plan that copies only within its region, by ARN or by the vault it depends on", async () => {
            const sameRegion = [
                plan([rule({ copyActions: [{ destinationVaultArn: "arn:aws:backup:us-west-2:123456789012:backup-vault:copy" }] })], {}, {}),
                plan(undefined, {}, { rules: [urnOf(main), urnOf({ ...dr, name: "copy" })] }),
            ];
            for (const p of sameRegion) {
                const rs = [...replace(compliant(), p), { ...dr, name: "copy", props: { ...dr.props, name: "copy", region: "us-west-2" } }];
                assert.deepStrictEqual(await judge(policy, rs), [
                    "The AWS Backup plan 'plan' copies only within us-west-2; this environment requires a copy action to a vault in another region (destinationVaultArn), so that its recovery points outlive the region.",
                ]);
            }
        });
        it("accepts a copy by a known ARN in another region, and rejects copies kept too few days", async () => {
            const byArn = (deleteAfter: unknown) =>
                plan([rule({ copyActions: [{ destinationVaultArn: DR_ARN, lifecycle: { deleteAfter } }] })], {}, {});
            assert.deepStrictEqual(await judge(policy, replace(compliant(), byArn(35))), []);
            assert.deepStrictEqual(await judge(policy, replace(compliant(), byArn(undefined))), []);
            assert.deepStrictEqual(await judge(policy, replace(compliant(), byArn(7))), [
                "The AWS Backup plan 'plan' keeps its copies in vault 'dr' in us-east-1 7 days (rule 'daily'); this environment requires at least 35.",
            ]);
            assert.deepStrictEqual(await judge(policy, replace(compliant(), byArn(7)), { minRetentionDays: 7 }), []);
            assert.deepStrictEqual(await judge(policy, without(replace(compliant(), byArn(7)), "dr")), [
                "The AWS Backup plan 'plan' keeps its copies in a vault in us-east-1 7 days (rule 'daily'); this environment requires at least 35.",
            ]);
        });
        it("counts an unknown destination, rules or copy retention in the stack's favour", async () => {
            assert.deepStrictEqual(await judge(policy, replace(compliant(), plan(undefined, {}, {}))), []);
            assert.deepStrictEqual(await judge(policy, replace(compliant(), plan(UNKNOWN))), []);
            assert.deepStrictEqual(await judge(policy, replace(compliant(), plan([rule({ copyActions: UNKNOWN })]))), []);
            assert.deepStrictEqual(
                await judge(
                    policy,
                    replace(
                        compliant(),
                        plan([rule({ copyActions: [{ destinationVaultArn: UNKNOWN, lifecycle: { deleteAfter: UNKNOWN } }] })]),
                    ),
                ),
                [],
            );
        });
        it("leaves an exempted plan alone, and reports a configured exemption without a reason", async () => {
            const none = plan([rule({ copyActions: undefined })], { tags: EXEMPT_TAGS });
            assert.deepStrictEqual(await judge(policy, replace(compliant(), none)), []);
            assert.deepStrictEqual(
                await judge(policy, replace(compliant(), { ...none, props: { ...none.props, tags: undefined } }), {
                    exemptions: [{ type: "aws:backup/plan:Plan" }],
                }),
                [
                    "The exemption from 'backup-plan-copy-to-other-region' for type aws:backup/plan:Plan gives no reason; an exemption needs one, so this one exempts nothing.",
                    "The AWS Backup plan 'plan' has no copy action; this environment requires a copy action to a vault in another region (destinationVaultArn), so that its recovery points outlive the region.",
                ],
            );
        });
    });

    describe("backup-vault-lock", () => {
        const policy = backupVaultLock;
        it("rejects a destination vault without a lock, with the vault's URN", async () => {
            const o = await checkStack(policy, without(compliant(), "dr-lock"));
            assert.deepStrictEqual(o.violations, [
                {
                    message:
                        "The AWS Backup vault 'dr' that plan 'plan' copies to has no vault lock (an aws.backup.VaultLockConfiguration); this environment requires a vault lock that keeps recovery points at least 35 days.",
                    urn: urnOf(dr),
                },
            ]);
        });
        it("rejects a lock in governance mode, or keeping too few days, unless the environment allows it", async () => {
            const weak = lock({ changeableForDays: undefined, minRetentionDays: 7 });
            assert.deepStrictEqual(await judge(policy, replace(compliant(), weak)), [
                "The vault lock 'dr-lock' of AWS Backup vault 'dr' keeps recovery points at least 7 days; this environment requires a vault lock that keeps recovery points at least 35 days.",
                "The vault lock 'dr-lock' of AWS Backup vault 'dr' is in governance mode (no changeableForDays), which anyone with the IAM permission can remove; this environment requires compliance mode.",
            ]);
            assert.deepStrictEqual(
                await judge(policy, replace(compliant(), weak), { minRetentionDays: 7, requireComplianceMode: false }),
                [],
            );
            assert.deepStrictEqual(
                await judge(policy, replace(compliant(), lock({ minRetentionDays: undefined })), { minRetentionDays: 7 }),
                [
                    "The vault lock 'dr-lock' of AWS Backup vault 'dr' sets no minimum retention (minRetentionDays); this environment requires a vault lock that keeps recovery points at least 7 days.",
                ],
            );
        });
        it("rejects copies kept outside the lock's bounds, which AWS Backup would fail", async () => {
            const copyKept = (deleteAfter: unknown) =>
                plan([rule({ copyActions: [{ destinationVaultArn: UNKNOWN, lifecycle: { deleteAfter } }] })]);
            assert.deepStrictEqual(await judge(policy, replace(compliant(), copyKept(30))), [
                "The AWS Backup plan 'plan' keeps its copies in vault 'dr' 30 days (rule 'daily'), below its minimum of 35 days in the vault lock 'dr-lock', so AWS Backup would fail every copy job.",
            ]);
            assert.deepStrictEqual(await judge(policy, replace(compliant(), copyKept(400))), [
                "The AWS Backup plan 'plan' keeps its copies in vault 'dr' 400 days (rule 'daily'), above its maximum of 365 days in the vault lock 'dr-lock', so AWS Backup would fail every copy job.",
            ]);
            assert.deepStrictEqual(await judge(policy, replace(compliant(), copyKept(UNKNOWN))), []);
        });
        it("links a lock by the vault's name in its region, not a same-named vault's lock in another region", async () => {
            const byName = { ...lock(), propertyDependencies: {}, props: { ...lock().props, backupVaultName: "dr" } };
            assert.deepStrictEqual(await judge(policy, replace(compliant(), byName)), []);
            const elsewhere = { ...byName, props: { ...byName.props, region: "us-west-2" } };
            assert.deepStrictEqual(await judge(policy, replace(compliant(), elsewhere)), [
                "The AWS Backup vault 'dr' that plan 'plan' copies to has no vault lock (an aws.backup.VaultLockConfiguration); this environment requires a vault lock that keeps recovery points at least 35 days.",
            ]);
        });
        it("rejects a copy to a vault the stack does not declare, and judges a logically air-gapped vault by its own retention", async () => {
            const foreign = plan(
                [rule({ copyActions: [{ destinationVaultArn: "arn:aws:backup:us-east-1:999999999999:backup-vault:central" }] })],
                {},
                {},
            );
            assert.deepStrictEqual(await judge(policy, replace(compliant(), foreign)), [
                "The AWS Backup plan 'plan' copies to arn:aws:backup:us-east-1:999999999999:backup-vault:central, a vault this stack does not declare, so its vault lock cannot be verified; declare the vault and its aws.backup.VaultLockConfiguration in the stack, or exempt the plan with a reason.",
            ]);
            const AG_ARN = "arn:aws:backup:us-east-1:123456789012:backup-vault:airgapped";
            const airGapped = (minRetentionDays: number): TestResource => ({
                type: "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault",
                name: "airgapped",
                props: { name: "airgapped", region: "us-east-1", arn: AG_ARN, minRetentionDays, maxRetentionDays: 365 },
            });
            const toAirGapped = plan([rule({ copyActions: [{ destinationVaultArn: AG_ARN }] })], {}, {});
            assert.deepStrictEqual(await judge(policy, [...replace(compliant(), toAirGapped), airGapped(35)]), []);
            assert.deepStrictEqual(await judge(policy, [...replace(compliant(), toAirGapped), airGapped(7)]), [
                "The logically air-gapped vault 'airgapped' that AWS Backup plan 'plan' copies to keeps recovery points at least 7 days; this environment requires a vault lock that keeps recovery points at least 35 days.",
            ]);
        });
        it("counts an unknown destination, lock days or mode in the stack's favour", async () => {
            assert.deepStrictEqual(await judge(policy, without(replace(compliant(), plan(undefined, {}, {})), "dr-lock")), []);
            assert.deepStrictEqual(
                await judge(policy, replace(compliant(), lock({ minRetentionDays: UNKNOWN, changeableForDays: UNKNOWN }))),
                [],
            );
            assert.deepStrictEqual(await judge(policy, without(replace(compliant(), plan(UNKNOWN)), "dr-lock")), []);
        });
        it("leaves an exempted plan or destination vault alone, and reports a configured exemption without a reason", async () => {
            assert.deepStrictEqual(await judge(policy, without(exemptedPlan(), "dr-lock")), []);
            assert.deepStrictEqual(
                await judge(policy, without(compliant(), "dr-lock"), {
                    exemptions: [{ type: "aws:backup/vault:Vault", name: "dr", reason: "locked by the security team's stack" }],
                }),
                [],
            );
            assert.deepStrictEqual(
                await judge(policy, without(compliant(), "dr-lock"), { exemptions: [{ type: "aws:backup/vault:Vault", name: "dr" }] }),
                [
                    "The exemption from 'backup-vault-lock' for type aws:backup/vault:Vault, name dr gives no reason; an exemption needs one, so this one exempts nothing.",
                    "The AWS Backup vault 'dr' that plan 'plan' copies to has no vault lock (an aws.backup.VaultLockConfiguration); this environment requires a vault lock that keeps recovery points at least 35 days.",
                ],
            );
        });
    });

    describe("backup-plan-has-selection", () => {
        const policy = backupPlanHasSelection;
        it("reports a plan that no selection of the stack uses, with its URN", async () => {
            const o = await checkStack(policy, without(compliant(), "orders-selection"));
            assert.deepStrictEqual(o.violations, [
                {
                    message:
                        "The AWS Backup plan 'plan' has no selection in this stack (an aws.backup.Selection with its planId), so it backs nothing up; select the stores it is meant for, or exempt the plan with the reason where its selection lives in another stack.",
                    urn: urnOf(plan()),
                },
            ]);
            const otherPlans = { ...selection(), propertyDependencies: { planId: [urnOf({ ...plan(), name: "other" })] } };
            assert.deepStrictEqual((await judge(policy, [...replace(compliant(), otherPlans), { ...plan(), name: "other" }])).length, 1);
        });
        it("links a selection by a known plan id, and counts an unknown unlinked one for every plan", async () => {
            const byId = (planId: unknown) => ({ ...selection(), props: { ...selection().props, planId }, propertyDependencies: {} });
            const withId = plan(undefined, { id: "plan-1" });
            assert.deepStrictEqual(await judge(policy, replace(compliant(), withId, byId("plan-1"))), []);
            assert.deepStrictEqual((await judge(policy, replace(compliant(), withId, byId("plan-2")))).length, 1);
            assert.deepStrictEqual(await judge(policy, replace(compliant(), byId(UNKNOWN))), []);
        });
        it("leaves an exempted plan alone, and reports a configured exemption without a reason", async () => {
            assert.deepStrictEqual(await judge(policy, without(exemptedPlan(), "orders-selection")), []);
            assert.deepStrictEqual(await judge(policy, compliant(), { exemptions: [{ name: "plan", reason: "" }] }), [
                "The exemption from 'backup-plan-has-selection' for name plan gives no reason; an exemption needs one, so this one exempts nothing.",
            ]);
        });
    });

    for (const stack of ["staging", "production"]) {
        it(`pass the ${stack} stack, which declares no AWS Backup plan`, async () => {
            const rs = (await runStack(stack, { preview: true })).resources.map(fromRecorded);
            assert.deepStrictEqual(
                await runPolicies(backupPolicies as any, rs, path.join(ROOT, "policies", "config", `${stack}.json`)),
                [],
            );
        });
    }
});

import * as assert from "assert";
import { backupCopyToOtherRegion, backupPlansOf, backupRules } from "../../../policies/scope";
import { UNKNOWN as POLICY_UNKNOWN } from "../../../policies/util";
import { TestResource, UNKNOWN, urnOf } from "../../helpers/policy";
import { inStack, res, ACCOUNT, db, plan, selection } from "./fixtures";

const vault = (name: string, region: string) => res("aws:backup/vault:Vault", name, { name, region });
const vaultArn = (name: string, region: string) => `arn:aws:backup:${region}:${ACCOUNT}:backup-vault:${name}`;

describe("scope (policies/scope.ts)", () => {
    describe("backupPlansOf", () => {
        it("links a selection to its plan by the planId dependency, and only to that plan", async () => {
            const other = plan("other");
            const rs = [db(), plan(), other, selection({ resources: ["*"] })];
            const { result } = await inStack(rs, (get, all) => backupPlansOf(get("orders"), all).map((p) => [p.plan.name, p.certain]));
            assert.deepStrictEqual(result, [["plan", true]]);
        });
        it("links every plan when the plan id is unknown and unlinked, and a plan by its known id", async () => {
            const rs = [db(), plan(), plan("other", { id: "p-2" }), selection({ resources: ["*"] }, {})];
            assert.deepStrictEqual((await inStack(rs, (get, all) => backupPlansOf(get("orders"), all).map((p) => p.plan.name))).result, [
                "plan",
                "other",
            ]);
            const byId = [db(), plan(), plan("other", { id: "p-2" }), selection({ resources: ["*"], planId: "p-2" }, {})];
            assert.deepStrictEqual((await inStack(byId, (get, all) => backupPlansOf(get("orders"), all).map((p) => p.plan.name))).result, [
                "other",
            ]);
        });
        it("does not count a plan of another region, nor a selection that does not cover the store; a possible one is not certain", async () => {
            const east = plan("plan", { region: "us-east-1" });
            assert.deepStrictEqual(
                (await inStack([db(), east, selection({ resources: ["*"] })], (get, all) => backupPlansOf(get("orders"), all))).result,
                [],
            );
            assert.deepStrictEqual(
                (
                    await inStack([db(), plan(), selection({ resources: [`arn:aws:dynamodb:*:*:table/*`] })], (get, all) =>
                        backupPlansOf(get("orders"), all),
                    )
                ).result,
                [],
            );
            const maybe = [db(), plan(), selection({ resources: UNKNOWN })];
            assert.deepStrictEqual(
                (await inStack(maybe, (get, all) => backupPlansOf(get("orders"), all).map((p) => [p.plan.name, p.certain]))).result,
                [["plan", false]],
            );
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
            plan(
                "plan",
                {
                    rules: [
                        {
                            ruleName: "daily",
                            targetVaultName: "main",
                            schedule: "cron(0 5 ? * * *)",
                            lifecycle: { deleteAfter: 35 },
                            copyActions,
                        },
                    ],
                },
                deps,
            );
        const copied = async (rs: TestResource[]) => (await inStack(rs, (get, all) => backupCopyToOtherRegion(get("orders"), all))).result;
        const covered = (p: TestResource) => [db(), p, selection({ resources: ["*"] })];
        it("resolves a rule's copy actions to regions and retention", async () => {
            const p = withCopy([
                { destinationVaultArn: vaultArn("dr", "us-east-1"), lifecycle: { deleteAfter: 90 } },
                { destinationVaultArn: UNKNOWN },
            ]);
            const { result } = await inStack([p], (get, all) => {
                const rules = backupRules(get("plan"), all);
                return rules === POLICY_UNKNOWN
                    ? rules
                    : rules.map((r) => ({ ...r, plan: r.plan.name, copies: r.copies.map((c) => ({ ...c, vault: c.vault?.name })) }));
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
            assert.deepStrictEqual(await copied(covered(withCopy([{ destinationVaultArn: vaultArn("dr", "us-east-1") }]))), {
                copied: true,
            });
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
            assert.deepStrictEqual(await copied([db(), withCopy([{ destinationVaultArn: vaultArn("dr", "us-east-1") }])]), {
                copied: false,
                found: "no AWS Backup plan of the stack selects it",
            });
        });
    });
});

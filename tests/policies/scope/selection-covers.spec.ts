import * as assert from "assert";
import { selectionCovers } from "../../../policies/scope";
import { UNKNOWN as POLICY_UNKNOWN } from "../../../policies/util";
import { TestResource, UNKNOWN, urnOf } from "../../helpers/policy";
import { inStack, ACCOUNT, db, table, fs, bucket, plan, selection } from "./fixtures";

/** selectionCovers for the store named `store` and the selection named "selection". */
const covers = async (rs: TestResource[], store = "orders") =>
    (await inStack(rs, (get) => selectionCovers(get("selection"), get(store)))).result;

describe("scope (policies/scope.ts)", () => {
    describe("selectionCovers", () => {
        it("covers a store the selection's resources were built from", async () => {
            assert.strictEqual(
                await covers([db(), selection({ resources: [UNKNOWN] }, { planId: [urnOf(plan())], resources: [urnOf(db())] })]),
                true,
            );
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
                [
                    `arn:aws:elasticfilesystem:us-west-2:${ACCOUNT}:file-system/fs-0123`,
                    fs({ arn: `arn:aws:elasticfilesystem:us-west-2:${ACCOUNT}:file-system/fs-0123` }),
                    true,
                ],
                // After an update the store's ARN is known and decides.
                [
                    `arn:aws:elasticfilesystem:us-west-2:${ACCOUNT}:file-system/fs-0123`,
                    fs({ arn: `arn:aws:elasticfilesystem:us-west-2:${ACCOUNT}:file-system/fs-9999` }),
                    false,
                ],
                // A name the provider has not generated yet may match any pattern of its service.
                [`arn:aws:rds:us-west-2:${ACCOUNT}:db:orders`, db({ identifier: UNKNOWN }), POLICY_UNKNOWN],
                [`arn:aws:rds:us-west-2:${ACCOUNT}:db:*`, db({ identifier: UNKNOWN }), true],
                ["not an arn", db(), false],
            ];
            for (const [pattern, store, expected] of cases) {
                assert.strictEqual(
                    await covers([store, selection({ resources: [pattern] }, {})], store.name),
                    expected,
                    `${pattern} ${JSON.stringify(store.props)}`,
                );
            }
        });
        it("covers by a listed tag (any of them), and not by a tag the store lacks; an unknown tag value may match", async () => {
            const tagged = db({ tags: { backup: "daily" } });
            const byTags = (selectionTags: unknown) => [tagged, selection({ selectionTags }, {})];
            assert.strictEqual(await covers(byTags([{ type: "STRINGEQUALS", key: "backup", value: "daily" }])), true);
            assert.strictEqual(
                await covers(
                    byTags([
                        { type: "STRINGEQUALS", key: "backup", value: "weekly" },
                        { type: "STRINGEQUALS", key: "backup", value: "daily" },
                    ]),
                ),
                true,
            );
            assert.strictEqual(await covers(byTags([{ type: "STRINGEQUALS", key: "backup", value: "weekly" }])), false);
            assert.strictEqual(await covers(byTags(UNKNOWN)), POLICY_UNKNOWN);
            assert.strictEqual(await covers(byTags([{ type: "STRINGEQUALS", key: "backup", value: UNKNOWN }])), POLICY_UNKNOWN);
            assert.strictEqual(
                await covers([
                    db({ tags: { backup: UNKNOWN } }),
                    selection({ selectionTags: [{ type: "STRINGEQUALS", key: "backup", value: "daily" }] }, {}),
                ]),
                POLICY_UNKNOWN,
            );
            assert.strictEqual(
                await covers([
                    db({ tags: UNKNOWN }),
                    selection({ selectionTags: [{ type: "STRINGEQUALS", key: "backup", value: "daily" }] }, {}),
                ]),
                POLICY_UNKNOWN,
            );
        });
        it("narrows by every StringEquals condition (AND), with or without the aws:ResourceTag/ prefix", async () => {
            const tagged = db({ tags: { backup: "daily", team: "orders" } });
            const all = { resources: [`arn:aws:rds:*:*:db:*`] };
            const cond = (stringEquals: unknown) => [{ stringEquals }];
            const judge = (conditions: unknown, store = tagged) => covers([store, selection({ ...all, conditions }, {})]);
            assert.strictEqual(
                await judge(
                    cond([
                        { key: "aws:ResourceTag/backup", value: "daily" },
                        { key: "aws:ResourceTag/team", value: "orders" },
                    ]),
                ),
                true,
            );
            assert.strictEqual(
                await judge(
                    cond([
                        { key: "aws:ResourceTag/backup", value: "daily" },
                        { key: "aws:ResourceTag/team", value: "users" },
                    ]),
                ),
                false,
            );
            assert.strictEqual(await judge(cond([{ key: "backup", value: "weekly" }])), false);
            assert.strictEqual(await judge(cond([{ key: "aws:ResourceTag/backup", value: UNKNOWN }])), true);
            assert.strictEqual(await judge(UNKNOWN), true);
            // A tag unknown at preview may hold the value: the condition does not exclude the store.
            assert.strictEqual(
                await judge(cond([{ key: "aws:ResourceTag/backup", value: "daily" }]), db({ tags: { backup: UNKNOWN } })),
                true,
            );
        });
        it("selects every supported resource when it lists neither resources nor tags, narrowed by its conditions", async () => {
            assert.strictEqual(await covers([db(), selection({}, {})]), true);
            assert.strictEqual(
                await covers([
                    db({ tags: { backup: "daily" } }),
                    selection({ conditions: [{ stringEquals: [{ key: "aws:ResourceTag/backup", value: "daily" }] }] }, {}),
                ]),
                true,
            );
            assert.strictEqual(
                await covers([
                    db(),
                    selection({ conditions: [{ stringEquals: [{ key: "aws:ResourceTag/backup", value: "daily" }] }] }, {}),
                ]),
                false,
            );
        });
        it("excludes what notResources names, certainly, and not what it may name", async () => {
            const all = { resources: ["*"] };
            assert.strictEqual(
                await covers([db(), selection({ ...all, notResources: [`arn:aws:rds:us-west-2:${ACCOUNT}:db:orders`] }, {})]),
                false,
            );
            assert.strictEqual(await covers([db(), selection({ ...all, notResources: [`arn:aws:rds:*:*:db:*`] }, {})]), false);
            assert.strictEqual(
                await covers([db({ identifier: UNKNOWN }), selection({ ...all, notResources: [`arn:aws:rds:*:*:db:*`] }, {})]),
                false,
            );
            assert.strictEqual(await covers([db(), selection({ ...all, notResources: [`arn:aws:rds:*:*:db:users`] }, {})]), true);
            assert.strictEqual(
                await covers([db({ identifier: UNKNOWN }), selection({ ...all, notResources: [`arn:aws:rds:*:*:db:users`] }, {})]),
                true,
            );
            assert.strictEqual(await covers([db(), selection({ ...all, notResources: [UNKNOWN] }, {})]), true);
            assert.strictEqual(await covers([db(), selection({ ...all, notResources: UNKNOWN }, {})]), true);
        });
        it("counts an unknown list of resources as unknown, and an unknown entry as decided by the dependencies", async () => {
            assert.strictEqual(await covers([db(), selection({ resources: UNKNOWN }, {})]), POLICY_UNKNOWN);
            assert.strictEqual(await covers([db(), table(), selection({ resources: [UNKNOWN] }, { resources: [urnOf(table())] })]), false);
            assert.strictEqual(await covers([db(), selection({ resources: [UNKNOWN, `arn:aws:rds:*:*:db:orders`] }, {})]), true);
        });
    });
});

import * as assert from "assert";
import { dataExemptionReasons } from "../../policies/exemptions";
import { checkStack, messages, TestResource, UNKNOWN, urnOf } from "../helpers/policy";

// Another team's stack: a DynamoDB table for sessions and a scratch bucket, written with plain
// @pulumi/aws resources; only the exemption tags are ours.
const table = (tags?: unknown): TestResource => ({
    type: "aws:dynamodb/table:Table",
    name: "sessions",
    props: {
        name: "sessions",
        hashKey: "id",
        billingMode: "PAY_PER_REQUEST",
        attributes: [{ name: "id", type: "S" }],
        ...(tags === undefined ? {} : { tags }),
    },
});
const queue: TestResource = { type: "aws:sqs/queue:Queue", name: "jobs", props: { tags: { "continuity-dr": "none" } } };

describe("data-exemption-reasons (policies/exemptions.ts)", () => {
    it("reports a store tagged continuity-dr = none without a reason, naming the kind and the tag to add", async () => {
        const outcome = await checkStack(dataExemptionReasons, [table({ "continuity-dr": "none" })]);
        assert.deepStrictEqual(outcome.violations, [
            {
                message:
                    "The DynamoDB table 'sessions' is tagged continuity-dr = none without a reason in the tag continuity-dr-reason; an exemption needs one, so the store is judged as any other.",
                urn: urnOf(table()),
            },
        ]);
    });

    it("reports a blank reason as no reason, and reads the value whatever its case", async () => {
        const outcome = await checkStack(dataExemptionReasons, [table({ "continuity-dr": "None", "continuity-dr-reason": "   " })]);
        assert.strictEqual(messages(outcome).length, 1);
    });

    it("lets through an exemption with a reason, a store without the tag, and resources that hold no data", async () => {
        const outcome = await checkStack(dataExemptionReasons, [
            table({ "continuity-dr": "none", "continuity-dr-reason": "sessions expire after 1 hour: nothing to restore" }),
            { ...table(), name: "orders" },
            { ...table({ "continuity-dr": "copy-weekly" }), name: "carts" },
            queue,
        ]);
        assert.deepStrictEqual(messages(outcome), []);
    });

    it("reads Atlas's list of tags as AWS's map", async () => {
        const cluster: TestResource = {
            type: "mongodbatlas:index/advancedCluster:AdvancedCluster",
            name: "main",
            props: { name: "main", tags: [{ key: "continuity-dr", value: "none" }] },
        };
        assert.deepStrictEqual(messages(await checkStack(dataExemptionReasons, [cluster])), [
            "The Atlas cluster 'main' is tagged continuity-dr = none without a reason in the tag continuity-dr-reason; an exemption needs one, so the store is judged as any other.",
        ]);
    });

    it("at preview, an unknown tag is no exemption and nothing to report", async () => {
        const outcome = await checkStack(dataExemptionReasons, [table(UNKNOWN), { ...table({ "continuity-dr": UNKNOWN }), name: "carts" }]);
        assert.deepStrictEqual(outcome, { violations: [] });
    });
});

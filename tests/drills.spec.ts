import * as assert from "assert";
import { drillNotice, drillSchedule } from "../infra/components/drills";
import { runStack, under } from "./helpers/program";

const RULE = "aws:cloudwatch/eventRule:EventRule";
const TARGET = "aws:cloudwatch/eventTarget:EventTarget";
const TOPIC = "aws:sns/topic:Topic";

describe("DrillReminder (infra/components/drills.ts)", () => {
    it("staging: on the first of April and October at 09:00 UTC, a notice to the alert topic", async () => {
        const run = await runStack("staging");
        const drills = under(run, "continuity:drills:DrillReminder");
        const rule = drills.one(RULE);
        assert.strictEqual(rule.name, "continuity-staging-drills-rule");
        assert.strictEqual(rule.properties.scheduleExpression, "cron(0 9 1 4,10 ? *)");
        assert.strictEqual(rule.properties.region, "us-west-2");
        assert.strictEqual(rule.properties.description, "A DR drill of continuity staging is due (April, October)");
        const target = drills.one(TARGET);
        const topic = under(run, "continuity:alerting:Alerting")
            .all(TOPIC)
            .find((t) => t.name === "continuity-staging-alerts-topic")!;
        assert.deepStrictEqual(target.propertyDependencies.arn, [topic.urn]);
        assert.deepStrictEqual(target.propertyDependencies.rule, [rule.urn]);
        assert.deepStrictEqual(JSON.parse(target.properties.input as string), {
            notice: "A DR drill of continuity (stack staging) is due this month.",
            lastDrill: "none recorded",
            checklist: 'docs/dr-plan/staging.md, section "DR tests": what each drill must prove, and a checklist per store',
            plan: "npm run report -- --stack staging",
            record: "after the drill: pulumi config set --path continuity:drills.last <YYYY-MM-DD> --stack staging, then npm run docs:dr-plan",
        });
    });

    it("production: the months and the last drill from the stack file", async () => {
        const run = await runStack("production", {
            edit: (c) => {
                c.drills = { last: "2026-10-14", months: [11, 5] };
            },
        });
        const drills = under(run, "continuity:drills:DrillReminder");
        assert.strictEqual(drills.one(RULE).properties.scheduleExpression, "cron(0 9 1 5,11 ? *)");
        assert.strictEqual(JSON.parse(drills.one(TARGET).properties.input as string).lastDrill, "2026-10-14");
    });

    it("writes the schedule for any months, sorted and once each, and refuses a month out of range", () => {
        assert.strictEqual(drillSchedule([10, 4, 4]), "cron(0 9 1 4,10 ? *)");
        assert.strictEqual(drillSchedule([12]), "cron(0 9 1 12 ? *)");
        assert.throws(() => drillSchedule([0, 6]), {
            message: "DrillReminder: months must be whole numbers from 1 to 12, at least one (got [0,6]).",
        });
        assert.throws(() => drillSchedule([]), {
            message: "DrillReminder: months must be whole numbers from 1 to 12, at least one (got []).",
        });
        assert.strictEqual(drillNotice({ project: "shop", stack: "prod", months: [3], last: "2026-03-02" }).lastDrill, "2026-03-02");
    });
});

// The index the Atlas rules and the resilience model pair clusters and backup schedules through
// (ScheduleLinks in policies/atlas/readers.ts): for every cluster it proposes exactly the schedules
// scheduleOf does not rule out, in stack order, on stacks written as other teams write them — names
// and project ids literal or unknown at preview, clusterName taken from the cluster or typed in.
import * as assert from "assert";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { AtlasTypes } from "../../../policies/atlas";
import { isCluster, ScheduleLinks, scheduleOf } from "../../../policies/atlas/readers";
import { checkStack, TestResource, UNKNOWN, urnOf } from "../../helpers/policy";
import { cluster } from "./fixtures";

/** The resources as a stack policy receives them. */
async function asPolicyResources(resources: TestResource[]): Promise<PolicyResource[]> {
    let seen: PolicyResource[] = [];
    const capture: StackValidationPolicy = {
        name: "capture",
        description: "hands the resources over",
        enforcementLevel: "advisory",
        validateStack: (args) => {
            seen = args.resources;
        },
    };
    await checkStack(capture, resources);
    return seen;
}

describe("the Atlas cluster-schedule index (ScheduleLinks, policies/atlas/readers.ts)", () => {
    it("proposes for each cluster exactly the schedules scheduleOf does not rule out, in stack order", async () => {
        const names = ["orders", "billing", UNKNOWN];
        const projects = ["5f1a2b3c4d5e6f7a8b9c0d1e", "6a7b8c9d0e1f2a3b4c5d6e7f", UNKNOWN];
        const clusters = names.flatMap((name, i) => projects.map((projectId, j) => cluster({ name, projectId }, `cluster-${i}-${j}`)));
        const schedules: TestResource[] = [];
        names.forEach((clusterName, i) =>
            projects.forEach((projectId, j) =>
                // clusterName typed in, or taken from one of the clusters (then unknown at preview).
                [undefined, clusters[(i * 3 + j + 4) % clusters.length]].forEach((from, k) =>
                    schedules.push({
                        type: AtlasTypes.backupSchedule,
                        name: `schedule-${i}-${j}-${k}`,
                        props: { clusterName: from ? UNKNOWN : clusterName, projectId },
                        propertyDependencies: from ? { clusterName: [urnOf(from)] } : {},
                    }),
                ),
            ),
        );
        const resources = await asPolicyResources([...schedules.slice(9), ...clusters, ...schedules.slice(0, 9)]);
        const ofSchedules = resources.filter((r) => r.type === AtlasTypes.backupSchedule);
        const ofClusters = resources.filter(isCluster);
        const links = new ScheduleLinks(ofSchedules, ofClusters);
        let pairs = 0;
        for (const c of ofClusters) {
            const expected = ofSchedules.filter((s) => scheduleOf(s, c) !== false).map((s) => s.name);
            pairs += expected.length;
            assert.deepStrictEqual(
                links.schedulesOf(c).map((s) => s.name),
                expected,
                c.name,
            );
            assert.strictEqual(links.mayHaveSchedule(c), expected.length > 0, c.name);
        }
        // The stack exercises both answers: pairs proposed and pairs ruled out.
        assert.ok(pairs > 0 && pairs < ofClusters.length * ofSchedules.length, `${pairs} pairs`);
    });
});

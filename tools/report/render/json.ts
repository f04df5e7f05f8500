// The DR plan as JSON: the data structure itself (the sections as rendered, the topology, every
// store's figures against its targets, the cost and the drill record), for pipelines and dashboards.
import type { DrPlan } from "../plan";

export function renderJson(plan: DrPlan): string {
    return `${JSON.stringify(plan, null, 2)}\n`;
}

// Two sections of the DR plan that read the graph beyond the stores: fault tolerance (who takes over
// inside the region: replicas, zones; the services' tasks, grace periods and rollback) and monitoring
// (every alarm and alert, what it watches and where it goes).
import { StoreResilience } from "../../policies/resilience/types";
import { bullets, Cell, paragraph, Section, storeTitle, table } from "./doc";
import { alarmsOf, atlasAlertsOf, channelsOf, eventRulesOf, Graph, servicesOf, uptimeChecksOf } from "./graph";

const count = (n: number | "managed") => (n === "managed" ? "managed by the service" : String(n));

export function faultToleranceSection(g: Graph, stores: readonly StoreResilience[]): Section {
    const storeRows: Cell[][] = stores.map((s) => {
        const r = s.redundancy;
        const single = (r.nodes !== "managed" && r.nodes < 2) || (r.zones !== "managed" && r.zones < 2);
        const takeover = single
            ? "a restore (no second copy takes over)"
            : r.failoverSeconds === 0
              ? "none needed"
              : `≈ ${r.failoverSeconds} s`;
        return [storeTitle(s), s.region ?? "unknown at preview", count(r.nodes), count(r.zones), takeover, r.what];
    });
    const services = servicesOf(g);
    const serviceRows: Cell[][] = services.map((s) => [
        `\`${s.name}\``,
        s.region,
        s.tasks,
        s.subnets === "unknown" ? "unknown at preview" : String(s.subnets),
        s.scaling,
        s.grace,
        s.healthCheck,
        s.rollback,
    ]);
    return {
        id: "fault-tolerance",
        title: "Fault tolerance",
        blocks: [
            paragraph("Inside the primary region: what takes over when a node or an availability zone is lost, without a restore."),
            table(["Store", "Region", "Copies on separate nodes", "Zones", "Takeover", "How"], storeRows),
            ...(services.length > 0
                ? [
                      paragraph(
                          "Services: the load balancer sends traffic only to tasks that pass its health check; a new task's failures " +
                              "count only after the grace period; a failed deployment is rolled back by the circuit breaker.",
                      ),
                      table(
                          ["Service", "Region", "Tasks", "Subnets", "Scaling", "Health-check grace", "Health check", "Deployments"],
                          serviceRows,
                      ),
                  ]
                : [paragraph("No container services in this stack.")]),
        ],
    };
}

export function monitoringSection(g: Graph): Section {
    const alarms = alarmsOf(g);
    const rules = eventRulesOf(g);
    const atlas = atlasAlertsOf(g);
    const channels = channelsOf(g);
    const uptime = uptimeChecksOf(g);
    const blocks = [
        paragraph(
            "Every alarm and alert the stack declares, what it watches and where it goes. " +
                "The contacts behind each topic are in Incident response.",
        ),
        ...(alarms.length > 0
            ? [
                  table(
                      ["Alarm", "Region", "Watches", "Fires when", "Notifies"],
                      alarms.map((a) => [`\`${a.name}\``, a.region, a.watches, a.condition, a.notifies.join(", ")]),
                  ),
              ]
            : [paragraph("No CloudWatch alarms.")]),
        ...(rules.length > 0
            ? [
                  table(
                      ["EventBridge rule", "Matches", "Notifies"],
                      rules.map((r) => [`\`${r.name}\``, r.matches, r.notifies.join(", ")]),
                  ),
              ]
            : []),
        ...(atlas.length > 0
            ? [
                  table(
                      ["Atlas alert", "Event", "Enabled", "Notifies"],
                      atlas.map((a) => [
                          `\`${a.name}\``,
                          `\`${a.event}\``,
                          a.enabled === "unknown" ? "unknown at preview" : a.enabled ? "yes" : "no",
                          a.notifies.join(", "),
                      ]),
                  ),
              ]
            : []),
        ...(channels.length > 0
            ? [
                  table(
                      ["Channel", "Kind", "Notifies"],
                      channels.map((c) => [`\`${c.name}\``, c.kind, c.notifies.join(", ")]),
                  ),
              ]
            : []),
        ...(uptime.length > 0 ? [bullets(uptime.map((u) => `Uptime check \`${u.name}\`: ${u.checks}.`))] : []),
    ];
    return { id: "monitoring", title: "Monitoring", blocks };
}

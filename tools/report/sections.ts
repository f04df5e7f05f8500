// The sections of the DR plan the company's page left as TODO or only named: DR tests (twice a year,
// from the drill record), the risk register derived from the graph, and incident response (roles
// from the page, contacts from the alerting config, severities, the first 30 minutes), with the manual
// regional failover the incident may lead to.
import { hours } from "../../policies/resilience/model";
import { C, Constant } from "../../policies/resilience/constants";
import { Protection, StoreResilience } from "../../policies/resilience/types";
import {
    bullets,
    Cell,
    checklist,
    copiesOf,
    estimateOf,
    isProtection,
    measure,
    paragraph,
    Section,
    storeTitle,
    table,
    DISRUPTION_SHORT,
} from "./doc";
import { DrillRecord, hoursText, StoreRecord } from "../drill/record";
import { Drills, lastDrill, MONTHS, monthList, nextDrill } from "./drills";
import { contactsOf, Graph, publicNamesOf, servicesOf } from "./graph";
import type { GuardFindings, StorePlan } from "./plan";
import { drillChecklist } from "./procedures";

const drRegionsOf = (stores: readonly StoreResilience[]) =>
    [
        ...new Set(
            stores.flatMap((s) =>
                copiesOf(s)
                    .map((p) => p.region)
                    .filter((r): r is string => r !== undefined && r !== s.region),
            ),
        ),
    ].sort();

// --- DR tests -------------------------------------------------------------------------------------

const DRILL_KINDS: Record<StoreRecord["kind"], string> = { atlas: "atlasCluster", s3: "s3Bucket", opensearch: "searchDomain" };

/** The stack's store a drill record's store restored: the only one of its kind, else the one its name or copy names. */
function storeOfRecord(r: StoreRecord, stores: readonly StoreResilience[]): StoreResilience | undefined {
    const same = stores.filter((s) => s.kind === DRILL_KINDS[r.kind]);
    if (same.length === 1) return same[0];
    const named = same.filter((s) => s.name.includes(r.store) || r.copy.includes(s.name));
    return named.length === 1 ? named[0] : undefined;
}

/** What the newest drill record measured, beside the model's region-loss estimate of the same store. */
function measuredTable(record: DrillRecord, stores: readonly StoreResilience[]) {
    return table(
        ["Store", "Restored from", "Copy age", "Measured RTO", "Estimated RTO (region lost)", "Result"],
        record.stores.map((r): Cell[] => {
            const store = storeOfRecord(r, stores);
            const estimate = store ? estimateOf(store, "region") : undefined;
            return [
                store ? `${r.store}: ${storeTitle(store)}` : `${r.store} (${r.kind})`,
                r.copy,
                hoursText(r.copyAgeHours),
                hoursText(r.rtoHours),
                estimate ? `≈ ${measure(estimate.rtoHours)}` : "no estimate (no matching store)",
                r.result === "pass"
                    ? "pass"
                    : { text: r.problems.length > 0 ? `${r.result}: ${r.problems.join(" ")}` : r.result, miss: true },
            ];
        }),
    );
}

export function drillsSection(
    g: Graph,
    stores: readonly StoreResilience[],
    plans: readonly StorePlan[],
    drills: Drills,
    stack: string,
): Section {
    const next = nextDrill(drills);
    const last = lastDrill(drills);
    const record = drills.record && drills.record.record.date === last ? drills.record : undefined;
    const lastCell: Cell = !last
        ? { text: "no drill recorded", miss: true }
        : !record
          ? last
          : record.record.result === "pass"
            ? `${last}: pass (docs/drills/${record.file})`
            : { text: `${last}: ${record.record.result} (docs/drills/${record.file})`, miss: true };
    const held = `${monthList(drills.months)} (\`continuity:drills.months\`${drills.monthsFrom === "default" ? ", the default" : ""})`;
    const names = publicNamesOf(g);
    const dr = drRegionsOf(stores);
    const checklists: Section[] = stores.map((s, i) => {
        const region = estimateOf(s, "region");
        const target = plans[i].objectives.find((o) => o.disruption === "region")?.target;
        const via = region && isProtection(region.via) ? region.via : undefined;
        return {
            id: `drill-${i + 1}`,
            title: `${s.label} ${s.name}`,
            blocks: [
                checklist(
                    drillChecklist(g, s, via, target ? hours(target.rtoHours) : "not set", target ? hours(target.rpoHours) : "not set"),
                ),
            ],
        };
    });
    return {
        id: "dr-tests",
        title: "DR tests",
        blocks: [
            paragraph(
                `The company's plan tests DR twice a year, with simulated disasters and a real failover and failback. Drills are held in ` +
                    `${held}.`,
            ),
            table(
                ["Last drill", "Next drill"],
                [
                    [
                        lastCell,
                        next
                            ? `${MONTHS[next.month - 1]} ${next.year}`
                            : `the next ${monthList(drills.months, "or")} (none recorded yet: hold one)`,
                    ],
                ],
            ),
            ...(record
                ? [paragraph(`Measured by the last drill (\`docs/drills/${record.file}\`):`), measuredTable(record.record, stores)]
                : []),
            ...(drills.months.length < 2
                ? [paragraph(`Only ${drills.months.length} drill a year is planned: the company's plan asks for two.`)]
                : []),
            paragraph("What each drill must prove:"),
            bullets([
                "Each store comes back outside its region from its copy within its region-loss RTO target, with no more data lost than " +
                    "its RPO target (the checklists below).",
                `The manual regional failover works end to end: the services run in ${dr.join(", ") || "the DR region"}` +
                    `${names.length > 0 ? ` and ${names.map((n) => `\`${n}\``).join(", ")} serves from there` : ""}; then the failback.`,
                "A deleted record comes back from a recovery point taken before the deletion, within the corruption RTO target.",
                "Every failure alert reaches its contacts: set one alarm per SNS topic to ALARM (`aws cloudwatch set-alarm-state`) and " +
                    "confirm receipt.",
                "The measured restore times and rates replace the model's assumptions (see the risk register).",
            ]),
            paragraph(
                drills.record
                    ? `After a drill, \`npm run drill:verify -- --stack <drill stack>\` writes its record in \`docs/drills/\`; ` +
                          "then regenerate this plan."
                    : `After a drill, record it: set \`continuity:drills\` in \`Pulumi.${stack}.yaml\` to \`{"last": "YYYY-MM-DD"}\` ` +
                          "(with `months` if they change), then regenerate this plan.",
            ),
        ],
        sections: checklists,
    };
}

// --- risk register --------------------------------------------------------------------------------

type Level = "high" | "medium" | "low";

function immutability(p: Protection): string {
    if (p.mechanism.startsWith("atlas")) return "an Atlas Backup Compliance Policy";
    if (p.mechanism.startsWith("aws-backup")) return "AWS Backup Vault Lock";
    if (p.storageClass !== undefined || p.mechanism.startsWith("s3") || p.mechanism === "datasync" || p.mechanism.startsWith("opensearch"))
        return "S3 Object Lock on the copy bucket";
    return "a lock its service offers";
}

/** Every `assumption:` constant the stores' figures use, by what the facts cite or the mechanism implies. */
function assumptionsUsed(stores: readonly StoreResilience[]): [string, Constant][] {
    const all: [string, Constant][] = Object.entries(C).flatMap(([k, v]) =>
        "source" in v
            ? [[k, v as Constant] as [string, Constant]]
            : Object.entries(v as Record<string, Constant>).map(([c, x]) => [`${k}.${c}`, x] as [string, Constant]),
    );
    const texts = stores.flatMap((s) => [
        s.redundancy.what,
        ...s.protections.flatMap((p) => [
            p.what,
            p.lagWhy ?? "",
            p.restore.rateWhy ?? "",
            p.restore.retrievalWhy ?? "",
            p.restore.fixedWhy,
        ]),
    ]);
    const fixed = new Set<string>(
        stores.flatMap((s) =>
            s.protections
                .filter((p) => p.restore.fixedHours > 0)
                .map((p) =>
                    p.kind === "replica"
                        ? "promoteReplicaHours"
                        : p.mechanism.startsWith("atlas")
                          ? "atlasNewClusterHours"
                          : p.mechanism.startsWith("opensearch")
                            ? "openSearchNewDomainHours"
                            : "awsRestoreFixedHours",
                ),
        ),
    );
    const defaults = new Set(stores.filter((s) => s.size.source.startsWith("default for ")).map((s) => `defaultGib.${s.storeClass}`));
    const share = stores.some((s) => Math.abs(s.size.dailyChangeGib - s.size.gib * C.defaultDailyChangeShare.value) < 1e-9);
    return all.filter(
        ([k, c]) =>
            c.source.startsWith("assumption: ") &&
            (texts.some((t) => t.includes(c.source)) || fixed.has(k) || defaults.has(k) || (k === "defaultDailyChangeShare" && share)),
    );
}

/** A constant as the plan shows it: "30 min", "200 GiB/h", "2 % of the size a day". */
function valueOf(key: string, c: Constant): string {
    if (key === "defaultDailyChangeShare") return `${c.value * 100} % of the size a day`;
    if (c.unit === "hours") return hours(c.value);
    if (c.unit === "seconds") return `${c.value} s`;
    if (c.unit === "GiB/hour") return `${c.value} GiB/h`;
    return `${c.value} ${c.unit}`;
}

export function riskSection(
    g: Graph,
    stores: readonly StoreResilience[],
    plans: readonly StorePlan[],
    guard: GuardFindings | undefined,
): Section {
    const rows: Cell[][] = [];
    const add = (store: string, risk: string, level: Level, why: string, treatment: string) =>
        rows.push([store, level === "high" ? { text: risk, miss: true } : risk, level, why, treatment]);
    stores.forEach((s, i) => {
        const plan = plans[i];
        const who = storeTitle(s);
        for (const o of plan.objectives) {
            if (o.rpoHours === null) {
                const treatment =
                    o.disruption === "corruption"
                        ? "Keep recovery points (versions, snapshots, point-in-time restore)."
                        : o.disruption === "region"
                          ? "Keep a copy in another region."
                          : "Run a second node in another zone, or keep recovery points to restore from.";
                add(who, `${DISRUPTION_SHORT[o.disruption]}: the data is lost`, "high", o.reasoning, treatment);
            } else if (o.disruption === "region" && o.rpoHours > 0) {
                const missed = o.missed.includes("RPO");
                add(
                    who,
                    `Up to ${hours(o.rpoHours)} of data lost with the region`,
                    missed ? "high" : "medium",
                    o.reasoning,
                    missed ? "Copy more often, or continuously." : "Accepted by the target.",
                );
            }
            for (const m of o.missed) {
                if (o.rpoHours === null || (m === "RPO" && o.disruption === "region")) continue;
                const est = m === "RPO" ? o.rpoHours : o.rtoHours;
                add(
                    who,
                    `Misses its ${m} target for ${DISRUPTION_SHORT[o.disruption]}: ${measure(est)} > ` +
                        `${hours(m === "RPO" ? o.target!.rpoHours : o.target!.rtoHours)}`,
                    "high",
                    o.reasoning,
                    m === "RPO" ? "Copy or snapshot more often." : "Restore from a readable copy, or a smaller or faster restore path.",
                );
            }
        }
        for (const p of copiesOf(s)) {
            if (p.kind === "points" && !p.immutable) {
                add(
                    who,
                    `The copy (${p.what}) is not immutable`,
                    "medium",
                    "Anyone with delete rights in the account, or an attacker with its keys, can erase it with the store.",
                    `Lock it: ${immutability(p)}.`,
                );
            }
        }
        for (const p of s.protections) {
            for (const d of (guard?.silent ?? []).filter((x) => x.urn !== undefined && p.via.includes(x.urn))) {
                add(
                    who,
                    `${p.what} can fail silently`,
                    "high",
                    d.message,
                    "Add a failure alarm or alert that reaches a subscribed topic or an address.",
                );
            }
        }
        const region = estimateOf(s, "region");
        if (region && isProtection(region.via) && region.via.restore.retrievalHours > 0) {
            const r = region.via.restore;
            add(
                who,
                `The restore waits ${hours(r.retrievalHours)} for ${r.retrievalWhy ?? "archive retrieval"} before data flows`,
                "low",
                region.reasoning,
                "Accepted for an archive copy; use Expedited retrieval where the class allows it, or keep the copy readable.",
            );
        }
        const unknown = [...new Set(plan.objectives.flatMap((o) => o.dependsOn))];
        if (unknown.length > 0)
            add(
                who,
                "Figures depend on values unknown at preview",
                "low",
                unknown.join(", "),
                "Counted in the stack's favour; the guard judges them again at `pulumi up`.",
            );
        for (const n of s.notes) add(who, n, "medium", "Read from the stack.", "Review.");
        if (plan.exempt) add(who, "Exempt from the recovery targets", "low", plan.exempt, "Review the reason at each drill.");
    });
    add(
        "all",
        "Regional failover is manual",
        "medium",
        "The plan rules out automated regional failover: people decide and run every step.",
        "Rehearse it at every drill; keep credentials and the DR region's prerequisites ready.",
    );

    const spof: Cell[][] = [];
    for (const s of stores) {
        const r = s.redundancy;
        if ((r.nodes !== "managed" && r.nodes < 2) || (r.zones !== "managed" && r.zones < 2)) {
            spof.push([
                storeTitle(s),
                String(r.nodes),
                String(r.zones),
                r.nodes !== "managed" && r.nodes < 2 ? "a node lost" : "an availability zone lost",
                r.what,
            ]);
        }
    }
    for (const svc of servicesOf(g)) {
        const one = (svc.desired !== "unknown" && svc.desired < 2) || (svc.subnets !== "unknown" && svc.subnets < 2);
        if (one)
            spof.push([
                `service \`${svc.name}\``,
                String(svc.desired),
                String(svc.subnets),
                svc.desired !== "unknown" && svc.desired < 2 ? "its one task lost" : "its zone lost",
                svc.tasks,
            ]);
    }
    const assumptions: Cell[][] = [
        ...stores.map((s) => [`size of ${storeTitle(s)}`, `${s.size.gib} GiB, ${s.size.dailyChangeGib} GiB/day changed`, s.size.source]),
        ...assumptionsUsed(stores).map(([k, c]) => [`\`${k}\``, valueOf(k, c), c.source.replace(/^assumption: /, "")]),
    ];
    return {
        id: "risks",
        title: "Risk register",
        blocks: [
            paragraph("Residual risks derived from the stack: what would still go wrong, how badly, and what would reduce it."),
            table(["Store", "Risk", "Level", "Why", "Treatment"], rows),
            paragraph("Single points of failure (fewer than two copies or zones inside the region):"),
            spof.length > 0 ? table(["Store or service", "Copies", "Zones", "Fails with", "How"], spof) : paragraph("None."),
            paragraph("Assumptions the figures rest on (replace them with what the drills measure):"),
            table(["Figure", "Value", "Source"], assumptions),
        ],
    };
}

// --- incident response ----------------------------------------------------------------------------

export function incidentSection(g: Graph, stores: readonly StoreResilience[], stack = "<stack>"): { section: Section; failover: string[] } {
    const dr = drRegionsOf(stores);
    const primary = [...new Set(stores.map((s) => s.region).filter((r): r is string => r !== undefined))].sort();
    const names = publicNamesOf(g);
    const services = servicesOf(g);
    const slowest = stores
        .map((s) => ({ s, e: estimateOf(s, "region") }))
        .filter((x) => x.e && isProtection(x.e.via))
        .sort((a, b) => (b.e!.rtoHours ?? Infinity) - (a.e!.rtoHours ?? Infinity) || a.s.name.localeCompare(b.s.name))
        .map((x) => `${storeTitle(x.s)} (≈ ${measure(x.e!.rtoHours)})`);
    const failover = [
        "Decide: the CTO, with the IT manager and the CEO, activates the plan. Declare a SEV1 and freeze deployments to the primary stack.",
        `Confirm the region is lost (AWS Health ` +
            `Dashboard${stores.some((s) => s.kind === "atlasCluster") ? ", the Atlas status page" : ""}) ` +
            `and check that the copies in ${dr.join(", ") || "the DR region"} are current.`,
        `Create a stack for ${dr[0] ?? "the DR region"}: a copy of \`Pulumi.${stack}.yaml\` with that region as primary and a third ` +
            `region for new copies; preview it with the guard.`,
        `Restore the data (procedures above), the slowest first: ${slowest.join(", ") || "no store has a copy to restore from"}.`,
        services.length > 0
            ? `Deploy the services (${services.map((s) => `\`${s.name}\``).join(", ")}) in the DR region with the image and certificate ` +
              `prepared there; wait until the health checks pass.`
            : "Start the applications in the DR region against the restored stores.",
        names.length > 0
            ? `Move the traffic: point ${names.map((n) => `\`${n}\``).join(", ")} at the DR region's load balancer; the uptime check ` +
              `turns green.`
            : "Point the clients at the DR region.",
        "Customer service informs the customers; the IT manager records the times for the DR test record.",
        `Fail back the same way when ${primary.join(", ") || "the primary region"} is healthy, and re-protect the original stack.`,
    ];
    const contacts = contactsOf(g);
    const takeover = stores.filter((s) => estimateOf(s, "node")?.via && !isProtection(estimateOf(s, "node")!.via)).map(storeTitle);
    const single = stores.filter((s) => !(estimateOf(s, "node")?.via && !isProtection(estimateOf(s, "node")!.via))).map(storeTitle);
    const section: Section = {
        id: "incident-response",
        title: "Incident response",
        blocks: [
            paragraph("Roles, from the company's DR plan:"),
            table(
                ["Role", "Who", "Does"],
                [
                    [
                        "Decides to activate the DR plan",
                        "the CTO, with the IT manager and the CEO",
                        "declares the disaster; decides failover and failback",
                    ],
                    ["Executes the plan", "the IT manager, with the IT team", "runs the procedures; keeps the incident log"],
                    ["First response", "the DevOps team", "receives the alerts; diagnoses; runs in-region recovery"],
                    ["Informs the customers", "the customer service team", "status updates from the first 30 minutes until recovery"],
                ],
            ),
            paragraph("Contacts, as the alerting config declares them:"),
            contacts.length > 0
                ? table(
                      ["Channel", "Protocol", "Endpoint", "Receives"],
                      contacts.map((c) => [c.channel, c.protocol, c.endpoint, c.receives]),
                  )
                : paragraph("None: no alert of this stack reaches anyone."),
            paragraph("Severity levels:"),
            table(
                ["Level", "When", "In this stack", "Who acts"],
                [
                    [
                        "SEV1",
                        "the primary region lost; data corrupted or deleted",
                        `restore per the DR plan: ${stores.length} store${stores.length === 1 ? "" : "s"}`,
                        "the CTO decides activation; the IT manager executes; customer service informs",
                    ],
                    [
                        "SEV2",
                        "an availability zone lost; a node lost where no second node takes over; a backup or copy failing",
                        single.length > 0 ? `no takeover: ${single.join(", ")}` : "every store takes over inside its region",
                        "the DevOps team restores; the IT manager is informed",
                    ],
                    [
                        "SEV3",
                        "a node lost and taken over automatically; a warning alarm",
                        takeover.length > 0 ? `takes over: ${takeover.join(", ")}` : "—",
                        "the DevOps team checks and replaces",
                    ],
                ],
            ),
            paragraph("The first 30 minutes:"),
            checklist([
                "Acknowledge the alert; the first responder names themselves incident lead and opens the incident log (times, decisions).",
                "Find what fired (Monitoring) and which stores it touches; check the AWS Health Dashboard for the region.",
                "Set the severity (above). SEV1: call the IT manager, who calls the CTO.",
                "Freeze deployments. For corruption: stop the writer, note the time of the first bad write (the point to restore to), " +
                    "delete no recovery point.",
                "Check each affected store's newest copy or recovery point against its RPO (Recovery objectives).",
                "Customer service sends the first notice to customers.",
                "By minute 30: the CTO decides between waiting for the region and activating the DR plan (Manual regional failover).",
            ]),
        ],
    };
    return { section, failover };
}

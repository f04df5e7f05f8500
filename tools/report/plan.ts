// The DR plan as one data structure: built here from the resilience model's stores, the graph, the
// targets, the cost and the drill record; the renderers (./render) only format it. Sections follow the
// company's continuity page (backups, the DR plan, fault tolerance, monitoring, testing) and add what
// it lacked (RPO/RTO against targets, cost, a risk register, incident response, a topology diagram).
// Everything is sorted and free of timestamps, so the same stack gives the same document.
import type { PolicyResource } from "@pulumi/policy";
import type { RecoveryObjectivesSettings } from "../../policies/resilience";
import { hours } from "../../policies/resilience/model";
import { Miss, missesOf, targetsFor } from "../../policies/resilience/targets";
import { DISRUPTIONS, Disruption, Protection, Size, StoreResilience, Target, Targets } from "../../policies/resilience/types";
import { exemptionOf } from "../../policies/scope";
import { CostReport, money as costMoney } from "./cost";
import { Drills } from "./drills";
import { Graph } from "./graph";
import { drillsSection, incidentSection, riskSection } from "./sections";
import { faultToleranceSection, monitoringSection } from "./watch";
import { restoreSteps } from "./procedures";

import {
    Block,
    bullets,
    Cell,
    copiesOf,
    days,
    DISRUPTION_SHORT,
    estimateOf,
    isProtection,
    measure,
    paragraph,
    scheduleOf,
    Section,
    steps,
    storeTitle,
    table,
} from "./doc";

export type { Block, Cell, Diagram, List, Paragraph, Section, Table } from "./doc";

export interface TopologyRegion {
    readonly id: string;
    /** "us-west-2", or "region unknown at preview". */
    readonly name: string;
    readonly role: "primary" | "DR" | "primary and DR" | "unknown";
}
export interface TopologyNode {
    readonly id: string;
    readonly region: string;
    readonly kind: "store" | "copy";
    readonly title: string;
    readonly subtitle: string;
}
export interface TopologyEdge {
    readonly from: string;
    readonly to: string;
    /** The copy's schedule: "every 6 h", "continuous". */
    readonly label: string;
}
export interface Topology {
    readonly regions: readonly TopologyRegion[];
    readonly nodes: readonly TopologyNode[];
    readonly edges: readonly TopologyEdge[];
}

/** One store × disruption against its target. */
export interface Objective {
    readonly disruption: Disruption;
    readonly rpoHours: number | null;
    readonly rtoHours: number | null;
    readonly target?: Target;
    readonly missed: readonly ("RPO" | "RTO")[];
    readonly reasoning: string;
    readonly dependsOn: readonly string[];
}
/** A store as the plan's JSON gives it: the model's figures, the targets and the misses. */
export interface StorePlan {
    readonly urn: string;
    readonly name: string;
    readonly label: string;
    readonly storeClass: string;
    readonly region?: string;
    readonly size: Size;
    /** Why the targets policy does not judge it (tag or setting), if it does not. */
    readonly exempt?: string;
    readonly objectives: readonly Objective[];
}

export interface DrPlan {
    readonly title: string;
    readonly project: string;
    readonly stack: string;
    readonly topology: Topology;
    readonly sections: readonly Section[];
    readonly stores: readonly StorePlan[];
    readonly misses: number;
    readonly cost?: CostReport;
    readonly drills: Drills;
}

// --- the input ----------------------------------------------------------------------------------

/** What the guard said, for the plan's opening lines and the risk register. */
export interface GuardFindings {
    readonly pack: string;
    readonly version: string;
    /** The pack config file, relative to the project. */
    readonly configFile?: string;
    readonly mandatory: number;
    readonly advisory: number;
    /** Diagnostics of monitoring-backup-failure-alerts: a mechanism (by URN) whose failure reaches no one. */
    readonly silent: readonly { readonly urn?: string; readonly message: string }[];
}

export interface PlanInput {
    readonly project: string;
    readonly stack: string;
    readonly stores: readonly StoreResilience[];
    readonly resources: readonly PolicyResource[];
    /** `${urn}#${property path}` of every secret value in the graph. */
    readonly secretPaths?: ReadonlySet<string>;
    /** dr-recovery-objectives' settings as the pack config gives them. */
    readonly settings: Partial<RecoveryObjectivesSettings>;
    readonly cost?: CostReport;
    readonly drills: Drills;
    readonly guard?: GuardFindings;
}

/** A protection's place in the lists: those in the store's region first, then by what they are. */
const protectionOrder = (a: Protection, b: Protection) =>
    Number(a.elsewhere !== false) - Number(b.elsewhere !== false) || a.what.localeCompare(b.what) || a.mechanism.localeCompare(b.mechanism);

/**
 * Stores in a stable order (by label, then name) with their protections sorted, so the plan does not
 * depend on the order the program registered its resources in.
 */
const sortStores = (stores: readonly StoreResilience[]): StoreResilience[] =>
    [...stores]
        .sort((a, b) => a.label.localeCompare(b.label) || a.name.localeCompare(b.name) || a.urn.localeCompare(b.urn))
        .map((s) => ({ ...s, protections: [...s.protections].sort(protectionOrder) }));

// --- the store figures --------------------------------------------------------------------------

export function storePlan(
    store: StoreResilience,
    settings: Partial<RecoveryObjectivesSettings>,
    resource: PolicyResource | undefined,
): StorePlan {
    const exemption = resource ? exemptionOf(resource, settings.exemptions ?? []) : undefined;
    const targets: Targets = targetsFor(store, settings);
    const misses: Miss[] = exemption ? [] : missesOf(store, targets);
    return {
        urn: store.urn,
        name: store.name,
        label: store.label,
        storeClass: store.storeClass,
        ...(store.region ? { region: store.region } : {}),
        size: store.size,
        ...(exemption ? { exempt: `${exemption.reason} (by ${exemption.by === "tag" ? "tag" : "the targets policy's exemptions"})` } : {}),
        objectives: DISRUPTIONS.flatMap((d) => {
            const e = estimateOf(store, d);
            if (!e) return [];
            const target = targets[d];
            return [
                {
                    disruption: d,
                    rpoHours: e.rpoHours,
                    rtoHours: e.rtoHours,
                    ...(target ? { target } : {}),
                    missed: misses.filter((m) => m.disruption === d).map((m) => m.measure),
                    reasoning: e.reasoning,
                    dependsOn: e.dependsOn,
                },
            ];
        }),
    };
}

// --- sections built here ------------------------------------------------------------------------

function backupsSection(stores: readonly StoreResilience[]): Section {
    const rows: Cell[][] = [];
    for (const s of stores) {
        if (s.protections.length === 0) rows.push([storeTitle(s), { text: "none", miss: true }, "—", "—", "—", "—"]);
        for (const p of s.protections) {
            const relation = p.elsewhere === true ? "another region" : p.elsewhere === "unknown" ? "may be another region" : "same region";
            const where = `${p.region ?? "unknown at preview"} (${relation})`;
            const kept =
                p.retentionDays !== undefined ? days(p.retentionDays) : p.kind === "replica" ? "live replica" : "not limited in the stack";
            const what = p.storageClass ? `${p.what} (${p.storageClass})` : p.what;
            rows.push([storeTitle(s), what, where, scheduleOf(p), kept, p.immutable ? "yes" : "no"]);
        }
    }
    const notes = stores.flatMap((s) => s.notes.map((n) => `${storeTitle(s)}: ${n}.`));
    return {
        id: "backups",
        title: "Backups",
        blocks: [
            paragraph(
                "What keeps each store's data, where, how often and for how long. " +
                    "Immutable: no one in the account can delete the copies early.",
            ),
            table(["Store", "What", "Where", "How often", "Kept", "Immutable"], rows),
            ...(notes.length > 0 ? [bullets(notes)] : []),
        ],
    };
}

function recoverySection(g: Graph, stores: readonly StoreResilience[], failover: string[]): Section {
    const sections: Section[] = stores.map((s, i) => {
        const blocks: Block[] = [];
        const region = estimateOf(s, "region");
        const corruption = estimateOf(s, "corruption");
        const zone = estimateOf(s, "zone");
        if (zone && !isProtection(zone.via) && zone.via) {
            blocks.push(paragraph(`A lost node or zone: ${zone.via.what}; it takes over by itself.`));
        }
        if (region && isProtection(region.via)) {
            blocks.push(
                paragraph(
                    `The primary region lost (RPO ${measure(region.rpoHours)}, RTO ≈ ${measure(region.rtoHours)}): restore from ` +
                        `${region.via.what}.`,
                ),
            );
            blocks.push(steps(restoreSteps(g, s, region.via, "region")));
        } else {
            blocks.push(
                paragraph(
                    `The primary region lost: nothing outside ${s.region ?? "its region"} to restore from; ` +
                        "the data is lost with the region.",
                ),
            );
        }
        if (corruption && isProtection(corruption.via)) {
            const same = region && isProtection(region.via) && region.via === corruption.via;
            blocks.push(
                paragraph(
                    `Data corrupted or deleted (RPO ${measure(corruption.rpoHours)}, RTO ≈ ${measure(corruption.rtoHours)}): restore ` +
                        `from ${corruption.via.what}${same ? ", as above, choosing a point from before the damage." : "."}`,
                ),
            );
            if (!same) blocks.push(steps(restoreSteps(g, s, corruption.via, "corruption")));
        } else {
            blocks.push(paragraph("Data corrupted or deleted: no recovery points; a deletion is final."));
        }
        return { id: `restore-${i + 1}`, title: `${s.label} ${s.name}`, blocks };
    });
    return {
        id: "dr-plan",
        title: "DR plan",
        blocks: [
            paragraph(
                "How each store comes back, from the protection the estimates rely on, then the regional failover. " +
                    "Restores and the failover are manual: the plan rules out automated regional failover.",
            ),
        ],
        sections: [...sections, { id: "failover", title: "Manual regional failover", blocks: [steps(failover)] }],
    };
}

function objectivesSection(plans: readonly StorePlan[]): Section {
    const rows: Cell[][] = [];
    const mark = (text: string, miss: boolean): Cell => (miss ? { text, miss: true } : text);
    for (const s of plans) {
        for (const o of s.objectives) {
            const rpoMiss = o.missed.includes("RPO");
            const rtoMiss = o.missed.includes("RTO");
            const verdict = s.exempt
                ? `exempt: ${s.exempt}`
                : !o.target
                  ? "no target"
                  : o.missed.length > 0
                    ? `missed: ${o.missed.join(", ")}`
                    : "met";
            const why = o.dependsOn.length > 0 ? `${o.reasoning} (depends on ${o.dependsOn.join(", ")}, unknown at preview)` : o.reasoning;
            rows.push([
                storeTitle(s),
                DISRUPTION_SHORT[o.disruption],
                mark(measure(o.rpoHours), rpoMiss),
                o.target ? hours(o.target.rpoHours) : "—",
                mark(measure(o.rtoHours), rtoMiss),
                o.target ? hours(o.target.rtoHours) : "—",
                mark(verdict, o.missed.length > 0),
                why,
            ]);
        }
    }
    return {
        id: "objectives",
        title: "Recovery objectives (RPO / RTO)",
        blocks: [
            paragraph(
                "Estimated from the stack by the resilience model, the same computation the guard's `dr-recovery-objectives` " +
                    "policy runs, against this environment's targets. " +
                    "RPO: data lost at worst; RTO: time until the data serves again; ∞: lost for good.",
            ),
            table(["Store", "Disruption", "RPO", "RPO target", "RTO", "RTO target", "Verdict", "Why"], rows),
        ],
    };
}

function costSection(cost: CostReport | undefined): Section {
    if (!cost) return { id: "cost", title: "Cost of the DR copies", blocks: [paragraph("Not computed.")] };
    const money = (n: number | null) => (n === null ? "unknown" : costMoney(n, cost.currency));
    const rows: Cell[][] = [];
    for (const s of [...cost.stores].sort((a, b) => a.label.localeCompare(b.label) || a.name.localeCompare(b.name))) {
        for (const l of s.lines) rows.push([storeTitle(s), l.protection, l.item, money(l.amount), l.arithmetic]);
        rows.push([storeTitle(s), "", "total", money(s.monthly), ""]);
    }
    rows.push(["all stores", "", "total", money(cost.monthly), ""]);
    return {
        id: "cost",
        title: "Cost of the DR copies",
        blocks: [
            paragraph(`Monthly, in ${cost.currency}, from the price table of ${cost.asOf}. Assumptions:`),
            bullets([...cost.assumptions]),
            table(["Store", "Protection", "Item", "Monthly", "Arithmetic"], rows),
        ],
    };
}

// --- the topology -------------------------------------------------------------------------------

export function topologyOf(g: Graph, stores: readonly StoreResilience[]): Topology {
    const unknown = "region unknown at preview";
    const primary = stores.map((s) => s.region ?? unknown);
    const copyRegions = stores.flatMap((s) => copiesOf(s).map((p) => p.region ?? unknown));
    const order = [...new Set([...primary.filter((r) => r !== unknown), ...copyRegions.filter((r) => r !== unknown)])];
    if ([...primary, ...copyRegions].includes(unknown)) order.push(unknown);
    const regions: TopologyRegion[] = order.map((name, i) => ({
        id: `r${i}`,
        name,
        role:
            name === unknown
                ? "unknown"
                : primary.includes(name) && copyRegions.includes(name)
                  ? "primary and DR"
                  : primary.includes(name)
                    ? "primary"
                    : "DR",
    }));
    const regionId = (name: string) => regions.find((r) => r.name === name)!.id;
    const nodes: TopologyNode[] = [];
    const edges: TopologyEdge[] = [];
    stores.forEach((s, i) => {
        const id = `s${i}`;
        nodes.push({ id, region: regionId(s.region ?? unknown), kind: "store", title: s.label, subtitle: s.name });
        copiesOf(s).forEach((p, j) => {
            const copy = `${id}c${j}`;
            const last = p.via.length > 0 ? g.get(p.via[p.via.length - 1]) : undefined;
            const bucket = last && last.urn !== s.urn && /^aws:s3\/bucket(V2)?:Bucket(V2)?$/.test(last.type);
            const subtitle = bucket ? g.nameOf(last.urn) : (p.storageClass ?? "");
            nodes.push({ id: copy, region: regionId(p.region ?? unknown), kind: "copy", title: p.what, subtitle });
            edges.push({ from: id, to: copy, label: scheduleOf(p) });
        });
    });
    return { regions, nodes, edges };
}

// --- assembly -----------------------------------------------------------------------------------

export function buildPlan(input: PlanInput): DrPlan {
    const g = new Graph(input.resources, input.secretPaths);
    const stores = sortStores(input.stores);
    const plans = stores.map((s) => storePlan(s, input.settings, g.get(s.urn)));
    const misses = plans.reduce((n, p) => n + p.objectives.reduce((m, o) => m + o.missed.length, 0), 0);
    const topology = topologyOf(g, stores);
    const drRegions = topology.regions.filter((r) => r.role !== "primary").map((r) => r.name);
    const primaryRegions = topology.regions.filter((r) => r.role === "primary" || r.role === "primary and DR").map((r) => r.name);
    const incident = incidentSection(g, stores, input.stack);
    const risks = riskSection(g, stores, plans, input.guard);
    // Two figures (RPO and RTO) per judged store and disruption; a miss is one figure above its target.
    const figures = 2 * plans.reduce((n, p) => n + p.objectives.filter((o) => o.target && !p.exempt).length, 0);
    const guard = input.guard;
    const summary: Section = {
        id: "summary",
        title: "Summary",
        blocks: [
            paragraph(
                `Generated from the resource graph of project \`${input.project}\`, stack \`${input.stack}\` ` +
                    `(\`npm run report -- --stack ${input.stack}\`): ` +
                    "change the program or its config, then regenerate; do not edit by hand.",
            ),
            {
                kind: "list",
                style: "bullets",
                items: [
                    `${stores.length} data store${stores.length === 1 ? "" : "s"} in ${primaryRegions.join(", ") || "no known region"}; ` +
                        `copies in ${drRegions.join(", ") || "no other region"}.`,
                    misses === 0
                        ? `Recovery objectives: all ${figures} RPO and RTO estimates within their targets.`
                        : `Recovery objectives: ${misses} of ${figures} RPO and RTO estimates miss their targets (see the table).`,
                    ...(input.cost
                        ? [
                              input.cost.monthly === null
                                  ? `Cost of the DR copies: not known, a copy has no price in the table; ` +
                                    `${costMoney(input.cost.priced, input.cost.currency)} a month is priced (prices of ` +
                                    `${input.cost.asOf}).`
                                  : `Cost of the DR copies: ${costMoney(input.cost.monthly, input.cost.currency)} a month (prices of ` +
                                    `${input.cost.asOf}).`,
                          ]
                        : []),
                    ...(guard
                        ? [
                              `The guard, ${guard.pack} ` +
                                  `${guard.version}${guard.configFile ? ` with \`${guard.configFile}\`` : " with its defaults"}: ` +
                                  `${guard.mandatory} mandatory and ${guard.advisory} advisory ` +
                                  `violation${guard.advisory === 1 ? "" : "s"}.`,
                          ]
                        : []),
                ],
            },
        ],
    };
    return {
        title: `DR plan: ${input.project} (${input.stack})`,
        project: input.project,
        stack: input.stack,
        topology,
        stores: plans,
        misses,
        ...(input.cost ? { cost: input.cost } : {}),
        drills: input.drills,
        sections: [
            summary,
            {
                id: "topology",
                title: "Topology",
                blocks: [
                    paragraph("Each store in its region, and every copy in another region, labelled with how often it is made."),
                    { kind: "topology" },
                ],
            },
            backupsSection(stores),
            recoverySection(g, stores, incident.failover),
            faultToleranceSection(g, stores),
            monitoringSection(g),
            objectivesSection(plans),
            costSection(input.cost),
            drillsSection(g, stores, plans, input.drills, input.stack),
            risks,
            incident.section,
        ],
    };
}

// The document vocabulary of the DR plan (sections of blocks: paragraphs, lists, tables, the diagram)
// and the small helpers every section uses to word the model's figures the same way.
import { hours } from "../../policies/resilience/model";
import { Disruption, Estimate, Protection, Redundancy, StoreResilience } from "../../policies/resilience/types";

// --- the document -------------------------------------------------------------------------------

/** A table cell; `miss` marks an estimate above its target. Text may hold `code` spans, nothing else. */
export type Cell = string | { readonly text: string; readonly miss: true };
export interface Table {
    readonly kind: "table";
    readonly columns: readonly string[];
    readonly rows: readonly (readonly Cell[])[];
}
export interface Paragraph {
    readonly kind: "paragraph";
    readonly text: string;
}
export interface List {
    readonly kind: "list";
    readonly style: "bullets" | "steps" | "checklist";
    readonly items: readonly string[];
}
/** Where the topology diagram goes. */
export interface Diagram {
    readonly kind: "topology";
}
export type Block = Paragraph | Table | List | Diagram;
export interface Section {
    readonly id: string;
    readonly title: string;
    readonly blocks: readonly Block[];
    readonly sections?: readonly Section[];
}

// --- helpers shared by the sections -------------------------------------------------------------

export const DISRUPTION_SHORT: Record<Disruption, string> = {
    node: "node lost",
    zone: "zone lost",
    region: "region lost",
    corruption: "corruption or deletion",
};

export const isProtection = (v: Protection | Redundancy | undefined): v is Protection => v !== undefined && "mechanism" in v;
export const estimateOf = (s: StoreResilience, d: Disruption): Estimate | undefined => s.estimates.find((e) => e.disruption === d);
export const storeTitle = (s: { label: string; name: string }) => `${s.label} \`${s.name}\``;
export const days = (n: number) => `${n} day${n === 1 ? "" : "s"}`;
export const scheduleOf = (p: Protection) => (p.everyHours === 0 ? "continuous" : `every ${hours(p.everyHours)}`);
export const measure = (h: number | null) => (h === null ? "∞" : hours(h));
export const table = (columns: string[], rows: Cell[][]): Table => ({ kind: "table", columns, rows });
export const paragraph = (text: string): Paragraph => ({ kind: "paragraph", text });
export const steps = (items: string[]): List => ({ kind: "list", style: "steps", items });

/** The copies shown in the diagram: protections that live, or may live, outside the store's region. */
export const copiesOf = (s: StoreResilience) => s.protections.filter((p) => p.elsewhere !== false);

export const bullets = (items: string[]): List => ({ kind: "list", style: "bullets", items });
export const checklist = (items: string[]): List => ({ kind: "list", style: "checklist", items });

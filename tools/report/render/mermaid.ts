// The topology as a Mermaid flowchart for the Markdown plan (GitHub and most viewers draw it): one
// subgraph per region, a box per store and per copy, an arrow per copy labelled with its schedule.
import type { Topology } from "../plan";

/** Text inside a quoted Mermaid label: quotes and angle brackets as Mermaid's entity codes. */
export function mermaidText(s: string): string {
    return s.replace(/#/g, "#35;").replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;").replace(/`/g, "");
}

const ROLE: Record<string, string> = { primary: "primary", DR: "DR", "primary and DR": "primary and DR", unknown: "unknown" };

export function renderMermaid(t: Topology): string {
    const lines = ["flowchart LR"];
    for (const r of t.regions) {
        lines.push(`  subgraph ${r.id}["${mermaidText(r.role === "unknown" ? r.name : `${r.name} (${ROLE[r.role]})`)}"]`);
        for (const n of t.nodes.filter((x) => x.region === r.id)) {
            lines.push(`    ${n.id}["${[n.title, n.subtitle].filter(Boolean).map(mermaidText).join("<br/>")}"]`);
        }
        lines.push("  end");
    }
    for (const e of t.edges) lines.push(`  ${e.from} -->|"${mermaidText(e.label)}"| ${e.to}`);
    const copies = t.nodes.filter((n) => n.kind === "copy").map((n) => n.id);
    if (copies.length > 0) {
        lines.push("  classDef copy stroke-dasharray: 5 3");
        lines.push(`  class ${copies.join(",")} copy`);
    }
    return `${lines.join("\n")}\n`;
}

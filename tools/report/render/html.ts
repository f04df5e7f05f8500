// The DR plan as one self-contained HTML page: inline styles, the topology as inline SVG, no script
// and no URL of anything to fetch, so it opens offline and can be mailed or attached as it is.
import type { Block, Cell, DrPlan, Section } from "../plan";
import { renderSvg, xml } from "./svg";

/** Escaped text, `code` spans as <code>. */
export function htmlInline(text: string): string {
    return text
        .split(/(`[^`]*`)/)
        .map((part) =>
            part.startsWith("`") && part.endsWith("`") && part.length > 1 ? `<code>${xml(part.slice(1, -1))}</code>` : xml(part),
        )
        .join("");
}

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1200px; padding: 0 1em; color: #222; line-height: 1.45; }
table { border-collapse: collapse; margin: 0.5em 0 1.2em; font-size: 0.92em; }
th, td { border: 1px solid #ccd; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
th { background: #eef1f5; }
td.miss { background: #fde8e8; color: #900; font-weight: bold; }
code { background: #f2f2f2; padding: 0 0.2em; border-radius: 3px; }
ul.checklist { list-style: none; padding-left: 1em; }
ul.checklist li::before { content: "☐ "; }
.diagram { overflow-x: auto; }
svg.topology text { font-family: system-ui, sans-serif; font-size: 12px; }
`;

const cell = (c: Cell) => (typeof c === "string" ? `<td>${htmlInline(c)}</td>` : `<td class="miss">${htmlInline(c.text)} ✗</td>`);

function block(b: Block, plan: DrPlan): string {
    switch (b.kind) {
        case "paragraph":
            return `<p>${htmlInline(b.text)}</p>`;
        case "list": {
            const tag = b.style === "steps" ? "ol" : "ul";
            const cls = b.style === "checklist" ? ' class="checklist"' : "";
            return `<${tag}${cls}>\n${b.items.map((i) => `<li>${htmlInline(i)}</li>`).join("\n")}\n</${tag}>`;
        }
        case "table":
            return [
                "<table>",
                `<thead><tr>${b.columns.map((c) => `<th>${htmlInline(c)}</th>`).join("")}</tr></thead>`,
                "<tbody>",
                ...b.rows.map((r) => `<tr>${r.map(cell).join("")}</tr>`),
                "</tbody>",
                "</table>",
            ].join("\n");
        case "topology":
            return `<div class="diagram">\n${renderSvg(plan.topology)}\n</div>`;
    }
}

function section(s: Section, depth: number, plan: DrPlan): string[] {
    const h = `h${Math.min(depth, 6)}`;
    return [
        `<section id="${xml(s.id)}">`,
        `<${h}>${htmlInline(s.title)}</${h}>`,
        ...s.blocks.map((b) => block(b, plan)),
        ...(s.sections ?? []).flatMap((x) => section(x, depth + 1, plan)),
        "</section>",
    ];
}

export function renderHtml(plan: DrPlan): string {
    return [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        `<title>${xml(plan.title)}</title>`,
        `<style>${STYLE}</style>`,
        "</head>",
        "<body>",
        `<h1>${htmlInline(plan.title)}</h1>`,
        `<nav><ul>${plan.sections.map((s) => `<li><a href="#${xml(s.id)}">${htmlInline(s.title)}</a></li>`).join("")}</ul></nav>`,
        ...plan.sections.flatMap((s) => section(s, 2, plan)),
        "</body>",
        "</html>",
        "",
    ].join("\n");
}

// The DR plan as GitHub-flavoured Markdown: headings, tables, numbered steps, checklists, and the
// topology as a Mermaid block. Text outside `code` spans is escaped where Markdown would read it as
// markup (a backslash, an asterisk, a `<` that would open a tag); table cells also escape the pipe.
import type { Block, Cell, DrPlan, Section } from "../plan";
import { renderMermaid } from "./mermaid";

/** Text with `code` spans kept as written and markup characters escaped elsewhere. */
export function mdInline(text: string): string {
    return text
        .split(/(`[^`]*`)/)
        .map((part) =>
            part.startsWith("`") && part.endsWith("`") && part.length > 1
                ? part
                : part
                      .replace(/\\/g, "\\\\")
                      .replace(/\*/g, "\\*")
                      .replace(/<(?=[A-Za-z/!?])/g, "&lt;"),
        )
        .join("");
}

const cellText = (c: Cell) => {
    const text = mdInline(typeof c === "string" ? c : c.text)
        .replace(/\|/g, "\\|")
        .replace(/\n/g, " ");
    return typeof c === "string" ? text || " " : `**${text}** ✗`;
};

function block(b: Block, plan: DrPlan): string[] {
    switch (b.kind) {
        case "paragraph":
            return [mdInline(b.text), ""];
        case "list":
            return [
                ...b.items.map(
                    (item, i) => `${b.style === "steps" ? `${i + 1}.` : b.style === "checklist" ? "- [ ]" : "-"} ${mdInline(item)}`,
                ),
                "",
            ];
        case "table":
            return [
                `| ${b.columns.map((c) => mdInline(c)).join(" | ")} |`,
                `|${b.columns.map(() => "---").join("|")}|`,
                ...b.rows.map((r) => `| ${r.map(cellText).join(" | ")} |`),
                "",
            ];
        case "topology":
            return ["```mermaid", renderMermaid(plan.topology).trimEnd(), "```", ""];
    }
}

function section(s: Section, depth: number, plan: DrPlan): string[] {
    return [
        `${"#".repeat(depth)} ${mdInline(s.title)}`,
        "",
        ...s.blocks.flatMap((b) => block(b, plan)),
        ...(s.sections ?? []).flatMap((x) => section(x, depth + 1, plan)),
    ];
}

export function renderMarkdown(plan: DrPlan, preamble: string[] = []): string {
    const lines = [
        `# ${mdInline(plan.title)}`,
        "",
        ...preamble,
        ...(preamble.length > 0 ? [""] : []),
        ...plan.sections.flatMap((s) => section(s, 2, plan)),
    ];
    while (lines[lines.length - 1] === "") lines.pop();
    return `${lines.join("\n")}\n`;
}

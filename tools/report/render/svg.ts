// The topology as an inline SVG for the HTML plan: drawn here, without scripts, fonts or anything
// fetched, so it renders offline. Layout: one column per region (primary regions first), a row band
// per store holding its box and its copies' boxes in their regions' columns, an arrow per copy
// labelled with its schedule. Every text is escaped; long names wrap, and each box's full text is in
// its <title> (shown on hover).
import type { Topology, TopologyNode } from "../plan";

export const xml = (s: string) =>
    s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");

const COLUMN = 300;
const GAP = 150;
const MARGIN = 16;
const HEADER = 40;
const BOX_W = 260;
const BOX_H = 62;
const ROW = 84;
const CHARS = 38;

/** Up to `max` lines of at most CHARS characters, cut at spaces, hyphens or slashes where possible. */
export function wrap(text: string, max: number): string[] {
    const lines: string[] = [];
    let rest = text.trim();
    while (rest.length > 0 && lines.length < max) {
        if (rest.length <= CHARS) {
            lines.push(rest);
            rest = "";
            break;
        }
        const window = rest.slice(0, CHARS);
        const cut = Math.max(window.lastIndexOf(" "), window.lastIndexOf("-") + 1, window.lastIndexOf("/") + 1);
        const at = cut > CHARS / 2 ? cut : CHARS;
        lines.push(rest.slice(0, at).trimEnd());
        rest = rest.slice(at).trimStart();
    }
    if (rest.length > 0) lines[lines.length - 1] = `${lines[lines.length - 1].slice(0, CHARS - 1)}…`;
    return lines;
}

interface Placed {
    node: TopologyNode;
    x: number;
    y: number;
}

export function renderSvg(t: Topology): string {
    const column = new Map(t.regions.map((r, i) => [r.id, i]));
    const placed = new Map<string, Placed>();
    let row = 0;
    for (const store of t.nodes.filter((n) => n.kind === "store")) {
        const copies = t.edges.filter((e) => e.from === store.id).map((e) => t.nodes.find((n) => n.id === e.to)!);
        const used = new Map<number, number>();
        const place = (n: TopologyNode) => {
            const c = column.get(n.region)!;
            const slot = used.get(c) ?? 0;
            used.set(c, slot + 1);
            placed.set(n.id, { node: n, x: MARGIN + c * (COLUMN + GAP) + (COLUMN - BOX_W) / 2, y: HEADER + MARGIN + (row + slot) * ROW });
        };
        place(store);
        copies.forEach(place);
        row += Math.max(1, ...used.values());
    }
    const width = MARGIN * 2 + Math.max(1, t.regions.length) * COLUMN + Math.max(0, t.regions.length - 1) * GAP;
    const height = HEADER + MARGIN * 2 + Math.max(1, row) * ROW;
    const out: string[] = [
        `<svg xmlns="http://www.w3.org/2000/svg" class="topology" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
            `role="img" aria-label="DR topology">`,
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">' +
            '<path d="M 0 0 L 10 5 L 0 10 z" fill="#444"/></marker></defs>',
    ];
    t.regions.forEach((r, i) => {
        const x = MARGIN + i * (COLUMN + GAP);
        const title = r.role === "unknown" ? r.name : `${r.name} (${r.role})`;
        out.push(
            `<g class="region"><rect x="${x}" y="${MARGIN}" width="${COLUMN}" height="${height - MARGIN * 2}" rx="8" fill="#f4f6f8" ` +
                `stroke="#99a"/>`,
        );
        out.push(`<text x="${x + COLUMN / 2}" y="${MARGIN + 24}" text-anchor="middle" font-weight="bold">${xml(title)}</text></g>`);
    });
    for (const p of placed.values()) {
        const lines = [...wrap(p.node.title, p.node.subtitle ? 2 : 3), ...(p.node.subtitle ? wrap(p.node.subtitle, 1) : [])];
        const dash = p.node.kind === "copy" ? ' stroke-dasharray="5 3"' : "";
        out.push(`<g class="${p.node.kind}"><title>${xml([p.node.title, p.node.subtitle].filter(Boolean).join(" — "))}</title>`);
        out.push(`<rect x="${p.x}" y="${p.y}" width="${BOX_W}" height="${BOX_H}" rx="6" fill="#fff" stroke="#335"${dash}/>`);
        lines.forEach((l, i) => {
            const weight = i === 0 && p.node.kind === "store" ? ' font-weight="bold"' : "";
            out.push(`<text x="${p.x + 8}" y="${p.y + 18 + i * 16}"${weight}>${xml(l)}</text>`);
        });
        out.push("</g>");
    }
    for (const e of t.edges) {
        const a = placed.get(e.from)!;
        const b = placed.get(e.to)!;
        let x1: number, y1: number, x2: number, y2: number;
        if (b.x > a.x) [x1, y1, x2, y2] = [a.x + BOX_W, a.y + BOX_H / 2, b.x, b.y + BOX_H / 2];
        else if (b.x < a.x) [x1, y1, x2, y2] = [a.x, a.y + BOX_H / 2, b.x + BOX_W, b.y + BOX_H / 2];
        else [x1, y1, x2, y2] = [a.x + BOX_W / 2, a.y + BOX_H, b.x + BOX_W / 2, b.y];
        out.push(
            `<path class="copy-arrow" d="M ${x1} ${y1} L ${x2} ${y2}" stroke="#444" stroke-width="1.5" fill="none" ` +
                `marker-end="url(#arrow)"/>`,
        );
        const lx = (x1 + x2) / 2;
        const ly = (y1 + y2) / 2 - 6;
        out.push(
            `<text class="schedule" x="${lx}" y="${ly}" text-anchor="middle" font-size="12" stroke="#fff" stroke-width="3" ` +
                `paint-order="stroke">${xml(e.label)}</text>`,
        );
    }
    out.push("</svg>");
    return out.join("\n");
}

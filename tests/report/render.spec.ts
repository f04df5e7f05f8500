// The renderers of the DR plan (tools/report/render): Mermaid text, an SVG that is well-formed XML
// with one arrow per copy, HTML that fetches nothing, Markdown escaping, JSON as the data structure.
import * as assert from "assert";
import { buildPlan, DrPlan, PlanInput } from "../../tools/report/plan";
import { renderHtml } from "../../tools/report/render/html";
import { renderJson } from "../../tools/report/render/json";
import { mdInline, renderMarkdown } from "../../tools/report/render/markdown";
import { renderMermaid } from "../../tools/report/render/mermaid";
import { renderSvg, wrap } from "../../tools/report/render/svg";
import * as F from "./fixtures";
import { elements, parseXml } from "./xml";

const input = (over: Partial<PlanInput> = {}): PlanInput => ({
    project: "orders",
    stack: "prod",
    stores: [F.atlasStore, F.bucketStore],
    resources: F.RESOURCES,
    settings: {},
    drills: F.NO_DRILL,
    ...over,
});
const twoStores = buildPlan(input());

/** The bucket store under a name full of markup, with a reasoning that holds a pipe. */
const awkward: DrPlan = buildPlan(
    input({
        stores: [
            F.atlasStore,
            {
                ...F.bucketStore,
                name: `up<loads> & "more"`,
                estimates: F.bucketStore.estimates.map((e) => (e.disruption === "region" ? { ...e, reasoning: "a | b <i>c</i> *d*" } : e)),
            },
        ],
    }),
);

describe("the DR plan's renderers (tools/report/render)", () => {
    it("Mermaid: a subgraph per region, a box per store and copy, an arrow per copy with its schedule", () => {
        assert.strictEqual(
            renderMermaid(twoStores.topology),
            [
                "flowchart LR",
                '  subgraph r0["eu-west-1 (primary)"]',
                '    s0["Atlas cluster<br/>orders-db"]',
                '    s1["S3 bucket<br/>uploads"]',
                "  end",
                '  subgraph r1["eu-central-1 (DR)"]',
                '    s0c0["Atlas snapshot copies in eu-central-1"]',
                '    s1c0["S3 replication into DEEP_ARCHIVE in eu-central-1<br/>acme-uploads-dr"]',
                "  end",
                '  s0 -->|"every 6 h"| s0c0',
                '  s1 -->|"continuous"| s1c0',
                "  classDef copy stroke-dasharray: 5 3",
                "  class s0c0,s1c0 copy",
                "",
            ].join("\n"),
        );
    });

    it("Mermaid: quotes, angle brackets and # in names become Mermaid's entity codes", () => {
        assert.ok(renderMermaid(awkward.topology).includes('    s1["S3 bucket<br/>up#lt;loads#gt; & #quot;more#quot;"]\n'));
    });

    it("SVG: well-formed XML with a box per store and copy, one arrow per copy, every text escaped", () => {
        for (const plan of [twoStores, awkward]) {
            const svg = parseXml(renderSvg(plan.topology));
            assert.strictEqual(svg.name, "svg");
            const all = elements(svg);
            assert.strictEqual(
                all.filter((e) => e.name === "path" && e.attributes.class === "copy-arrow").length,
                plan.topology.edges.length,
            );
            assert.deepStrictEqual(
                all.filter((e) => e.name === "text" && e.attributes.class === "schedule").map((e) => e.text),
                ["every 6 h", "continuous"],
            );
            assert.deepStrictEqual(
                all
                    .filter((e) => e.name === "g" && (e.attributes.class === "store" || e.attributes.class === "copy"))
                    .map((e) => e.children[0].text),
                [
                    "Atlas cluster — orders-db",
                    "Atlas snapshot copies in eu-central-1",
                    `S3 bucket — ${plan === awkward ? `up<loads> & "more"` : "uploads"}`,
                    "S3 replication into DEEP_ARCHIVE in eu-central-1 — acme-uploads-dr",
                ],
            );
        }
        assert.strictEqual(parseXml(renderSvg(twoStores.topology)).attributes.width, "782");
    });

    it("SVG: an arrow goes from the store's box to its copy's, across the gap between the regions", () => {
        const arrows = elements(parseXml(renderSvg(twoStores.topology)))
            .filter((e) => e.attributes.class === "copy-arrow")
            .map((e) => e.attributes.d);
        assert.deepStrictEqual(arrows, ["M 296 87 L 486 87", "M 296 171 L 486 171"]);
    });

    it("SVG: long names wrap at spaces or hyphens, and what does not fit ends in an ellipsis", () => {
        assert.deepStrictEqual(wrap("continuity-production-search-snapshots-dr-eu-central-1", 2), [
            "continuity-production-search-",
            "snapshots-dr-eu-central-1",
        ]);
        assert.deepStrictEqual(wrap("snapshots of 'continuity-production-search-snapshot-policy' copied by S3 replication", 2), [
            "snapshots of 'continuity-production-",
            "search-snapshot-policy' copied by S3…",
        ]);
    });

    it("the XML reader the SVG test relies on refuses what is not well-formed", () => {
        for (const [doc, error] of [
            ["<a><b></a>", "</a> closes <b>"],
            ["<a>x & y</a>", "an undeclared entity or bare & near offset 3"],
            ["<a x=1/>", "attribute x of <a> is not quoted"],
            ["<a/><b/>", "a second root element <b>"],
            ["<a>", "<a> is never closed"],
            ["<a x='1' x='2'/>", "attribute x twice in <a>"],
        ]) {
            assert.throws(() => parseXml(doc), { message: error }, doc);
        }
    });

    it("HTML: one page that fetches nothing — no http in any src or href, no script, no stylesheet link — with the SVG inline", () => {
        const html = renderHtml(awkward);
        const refs = [...html.matchAll(/\b(src|href)\s*=\s*["']([^"']*)["']/gi)].map((m) => m[2]);
        assert.deepStrictEqual(
            refs.filter((r) => /http|\/\//i.test(r)),
            [],
        );
        assert.ok(refs.length > 0 && refs.every((r) => r.startsWith("#")), refs.join(", "));
        assert.doesNotMatch(html, /<script|<link|@import|url\((?!#)/i);
        assert.strictEqual((html.match(/<svg /g) ?? []).length, 1);
        assert.ok(html.includes('<td class="miss">'), "misses are marked");
        assert.ok(html.includes("S3 bucket <code>up&lt;loads&gt; &amp; &quot;more&quot;</code>"), "names are escaped");
        assert.ok(html.includes("<td>a | b &lt;i&gt;c&lt;/i&gt; *d*</td>"), "text is escaped");
    });

    it("Markdown: misses in bold with ✗, pipes and tags escaped in cells, code spans kept, the diagram as a mermaid block", () => {
        const plan = buildPlan(input({ stores: [F.ledgerStore] }));
        const md = renderMarkdown(plan);
        assert.ok(md.includes("| RDS instance `ledger` | region lost | **∞** ✗ | 8 h | **∞** ✗ | 24 h | **missed: RPO, RTO** ✗ |"), md);
        assert.ok(
            renderMarkdown(awkward).includes(
                '| S3 bucket `up<loads> & "more"` | region lost | 2 h | 168 h | 12.5 h | 72 h | met | a \\| b &lt;i>c&lt;/i> \\*d\\* |',
            ),
        );
        assert.strictEqual(mdInline("`a*b` and a*b < c <d>"), "`a*b` and a\\*b < c &lt;d>");
        assert.ok(md.includes("```mermaid\nflowchart LR\n"));
        assert.ok(md.startsWith("# DR plan: orders (prod)\n\n## Summary\n"));
        assert.ok(md.endsWith("(Manual regional failover).\n"));
    });

    it("JSON: the plan data structure itself", () => {
        assert.deepStrictEqual(JSON.parse(renderJson(twoStores)), JSON.parse(JSON.stringify(twoStores)));
        assert.deepStrictEqual(
            JSON.parse(renderJson(twoStores)).stores.map((s: { name: string }) => s.name),
            ["orders-db", "uploads"],
        );
    });
});

// How a check is shown: a preview-like tree, the policy diagnostics grouped by pack and policy, and
// a summary line; or one JSON document for pipelines.
import * as path from "path";
import { CheckedResource, PolicyDiagnostic } from "./packTypes";
import { CheckResult, mandatoryViolations } from "./check";
import { coverageLines } from "./coverage";
import { isSecretValue, UNKNOWN_VALUE } from "./wire";

/**
 * A provider the engine adds for resources registered without one (its name is "default" or
 * "default_<version>"): the CLI neither shows nor counts it. Explicit providers are shown and counted.
 */
export function isDefaultProvider(r: { type: string; name: string }): boolean {
    return r.type.startsWith("pulumi:providers:") && /^default(_|$)/.test(r.name);
}

function tree(resources: CheckedResource[]): string[] {
    const children = new Map<string | undefined, CheckedResource[]>();
    for (const r of resources) {
        const list = children.get(r.parent) ?? [];
        list.push(r);
        children.set(r.parent, list);
    }
    const urns = new Set(resources.map((r) => r.urn));
    const roots = resources.filter((r) => !r.parent || !urns.has(r.parent));
    const width = Math.max(...resources.map((r) => r.type.length)) + 12;
    const lines: string[] = [];
    const walk = (r: CheckedResource, prefix: string, last: boolean, depth: number) => {
        const branch = depth === 0 ? "" : `${prefix}${last ? "└─ " : "├─ "}`;
        // `>` marks a read (Resource.get), `+` a create, as the CLI marks its steps.
        lines.push(` ${r.external ? ">" : "+"}   ${(branch + r.type).padEnd(width)} ${r.name}`);
        const kids = children.get(r.urn) ?? [];
        const next = depth === 0 ? "" : `${prefix}${last ? "   " : "│  "}`;
        kids.forEach((k, i) => walk(k, next, i === kids.length - 1, depth + 1));
    };
    roots.forEach((r, i) => walk(r, "", i === roots.length - 1, 0));
    return [`     ${"Type".padEnd(width)} Name`, ...lines];
}

function group<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
    const m = new Map<string, T[]>();
    for (const i of items) m.set(key(i), [...(m.get(key(i)) ?? []), i]);
    return m;
}

export function renderHuman(result: CheckResult, cwd = process.cwd()): string {
    const out: string[] = [];
    out.push(
        `Previewing ${result.project} (${result.stack}) offline: the program as the Node.js language host runs it, the packs over the Analyzer protocol`,
    );
    out.push("");
    out.push(...tree(result.resources.filter((r) => !isDefaultProvider(r))));
    out.push("");
    out.push("Policies:");
    for (const pack of result.packs) {
        const mandatory = pack.diagnostics.filter((d) => d.enforcementLevel === "mandatory").length;
        const mark = mandatory > 0 ? "✗" : "✓";
        const where = path.relative(cwd, path.resolve(pack.dir)) || ".";
        const config = pack.configFile ? `, config ${path.relative(cwd, path.resolve(pack.configFile))}` : "";
        out.push(`    ${mark} ${pack.info.name}@v${pack.info.version} (local: ${where}${config})`);
        if (pack.coverage) out.push(...coverageLines(pack.coverage).map((l) => `        ${l}`));
        for (const [policy, ds] of group(pack.diagnostics, (d) => d.policyName)) {
            out.push(`        - [${ds[0].enforcementLevel}]  ${policy}  (${ds.length})`);
            for (const d of ds) {
                if (d.urn) out.push(`            ${d.urn}`);
                out.push(...messageOf(d).map((l) => `              ${l}`));
            }
        }
    }
    out.push("");
    out.push(summary(result));
    return out.join("\n");
}

/** The policy's own message: the SDK puts the policy description on the first line. */
function messageOf(d: PolicyDiagnostic): string[] {
    const lines = d.message.split("\n");
    return lines.length > 1 && lines[0] === d.description ? lines.slice(1) : lines;
}

export function summary(result: CheckResult): string {
    const all = result.packs.flatMap((p) => p.diagnostics);
    const mandatory = mandatoryViolations(result).length;
    const advisory = all.filter((d) => d.enforcementLevel === "advisory").length;
    const policies = result.packs.reduce((n, p) => n + p.info.policies.length, 0);
    const created = result.resources.filter((r) => !isDefaultProvider(r) && !r.external).length;
    const verdict = mandatory > 0 ? "FAILED" : "passed";
    return (
        `Check ${verdict}: ${created} resources to create; ${result.packs.length} pack${result.packs.length === 1 ? "" : "s"}, ` +
        `${policies} policies, ${mandatory} mandatory violation${mandatory === 1 ? "" : "s"}, ${advisory} advisory ` +
        `(${(result.timings.totalMs / 1000).toFixed(1)} s)`
    );
}

/** Secrets in a document for people and pipelines: "[secret]", as `pulumi preview --json` shows them. */
function maskSecrets(_key: string, value: unknown): unknown {
    if (isSecretValue(value)) return "[secret]";
    return value;
}

export function renderJson(result: CheckResult): string {
    const mandatory = mandatoryViolations(result).length;
    return JSON.stringify(
        {
            project: result.project,
            stack: result.stack,
            passed: mandatory === 0,
            unknownSentinel: UNKNOWN_VALUE,
            resources: result.resources,
            outputs: result.outputs,
            packs: result.packs.map((p) => ({
                name: p.info.name,
                version: p.info.version,
                dir: p.dir,
                configFile: p.configFile,
                // The levels in force: the pack's own, after the config file.
                policies: p.info.policies.map((x) => ({
                    name: x.name,
                    enforcementLevel: p.config[x.name]?.enforcementLevel ?? x.enforcementLevel,
                })),
                diagnostics: p.diagnostics.map((d) => ({ ...d, message: messageOf(d).join("\n") })),
                // continuity-guard only: what it judged, and the data rules the config weakens.
                ...(p.coverage ? { census: p.coverage.census, weakened: p.coverage.weakened } : {}),
            })),
            summary: summary(result),
            timings: result.timings,
        },
        maskSecrets,
        2,
    );
}

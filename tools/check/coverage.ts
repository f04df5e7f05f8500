// What continuity-guard judged in a run (policies/census.ts), and how the run's config weakens its data
// rules below the production config. The census reads the stack as the pack's stack policies read
// it: the resources AnalyzeStack sends (planned state, dependencies with dependsOn folded in, parents,
// providers), deserialized and wrapped by @pulumi/policy's own code, so a value unknown at preview
// throws the SDK's UnknownValueError when read, exactly as inside the pack.
import * as fs from "fs";
import * as path from "path";
import type { PolicyResource } from "@pulumi/policy";
import type { Census, Weakening } from "../../policies/census";
import { reconcilePolicyConfig } from "./packConfig";
import { AnalyzerInfo, CheckedResource, PackConfig, PolicyConfigEntry } from "./packTypes";
import { policyInternals } from "./pulumiInternals";
import { asReceived } from "./wire";

const { deserializeProperties, unknownCheckingProxy, getPulumiType } = policyInternals();

// Loaded when continuity-guard is among the packs: it loads the pack's policy modules, which a
// check of other packs neither needs nor should depend on.
const censusModule = (): typeof import("../../policies/census") => require("../../policies/census");

/**
 * Loads the census (the pack's modules, @pulumi/policy) ahead of use when a pack is continuity-guard
 * by its package.json: the check calls this while the program is still loading, so the second or
 * so of module loading is not added after the program.
 */
export function prepareCoverage(packDirs: string[]): void {
    const isGuard = (dir: string) => {
        try {
            return JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).name === CONTINUITY_GUARD_NAME;
        } catch {
            return false;
        }
    };
    if (packDirs.some(isGuard)) censusModule();
}

/** The pack whose census the check shows. */
export const CONTINUITY_GUARD_NAME = "continuity-guard";

export interface Coverage {
    census: Census;
    /** The data rules the config leaves weaker than policies/config/production.json. */
    weakened: Weakening[];
    /** The production config the run was compared with; absent: the pack has none. */
    productionConfig?: string;
}

const props = (properties: Record<string, unknown>) =>
    unknownCheckingProxy(deserializeProperties({ toJavaScript: () => asReceived(properties) }, false));

/** The stack as AnalyzeStack hands it to a stack policy (@pulumi/policy server.js, analyzeStack). */
export function policyResources(resources: CheckedResource[]): PolicyResource[] {
    const built = resources.map((r) => {
        const p = props(r.stackProperties ?? r.properties);
        const isType = (cls: unknown) => getPulumiType(cls) === r.type;
        const pr = {
            type: r.type,
            name: r.name,
            urn: r.urn,
            props: p,
            opts: {
                protect: r.options.protect ?? false,
                ignoreChanges: r.options.ignoreChanges ?? [],
                aliases: r.options.aliases ?? [],
                customTimeouts: {
                    createSeconds: r.options.customTimeouts?.create ?? 0,
                    updateSeconds: r.options.customTimeouts?.update ?? 0,
                    deleteSeconds: r.options.customTimeouts?.delete ?? 0,
                },
                additionalSecretOutputs: r.options.additionalSecretOutputs ?? [],
                ...(r.options.deleteBeforeReplace !== undefined ? { deleteBeforeReplace: r.options.deleteBeforeReplace } : {}),
                ...(r.parent ? { parent: r.parent } : {}),
            },
            dependencies: [] as PolicyResource[],
            propertyDependencies: {} as Record<string, PolicyResource[]>,
            isType,
            asType: (cls: unknown) => (isType(cls) ? p : undefined),
            ...(r.provider
                ? { provider: { type: r.provider.type, name: r.provider.name, urn: r.provider.urn, props: props(r.provider.properties) } }
                : {}),
        } as unknown as PolicyResource;
        return { r, pr };
    });
    const byUrn = new Map(built.map(({ pr }) => [pr.urn, pr]));
    const find = (urns: string[]) => urns.map((u) => byUrn.get(u)).filter((x): x is PolicyResource => x !== undefined);
    for (const { r, pr } of built) {
        const parent = r.parent ? byUrn.get(r.parent) : undefined;
        if (parent) pr.parent = parent;
        pr.dependencies = find([...new Set([...r.dependencies, ...(r.options.dependsOn ?? [])])]);
        for (const [k, urns] of Object.entries(r.propertyDependencies)) {
            if (urns.length > 0) pr.propertyDependencies[k] = find(urns);
        }
    }
    return built.map((b) => b.pr);
}

/** The policies whose level a config file sets by their own entry (not through "all"). */
function ownLevels(file: PackConfig | undefined): Set<string> {
    return new Set(
        Object.entries(file ?? {})
            .filter(
                ([name, v]) =>
                    name !== "all" && (typeof v === "string" || (v !== null && typeof v === "object" && "enforcementLevel" in v)),
            )
            .map(([name]) => name),
    );
}

/** The production config reconciled as the run's was; undefined when the pack has none or it is unreadable. */
function productionSettings(
    packDir: string,
    info: AnalyzerInfo,
): { file: string; settings: Record<string, PolicyConfigEntry> } | undefined {
    const file = path.join(packDir, "config", "production.json");
    if (!fs.existsSync(file)) return undefined;
    try {
        const raw = JSON.parse(fs.readFileSync(file, "utf8")) as PackConfig;
        // A policy the production file names but the pack no longer has says nothing about this run.
        const known = new Set(info.policies.map((p) => p.name));
        const mine = Object.fromEntries(Object.entries(raw).filter(([k]) => k === "all" || known.has(k)));
        return { file, settings: reconcilePolicyConfig(info, mine) };
    } catch {
        return undefined;
    }
}

/** The census of a continuity-guard run, and its config's weakened data rules. */
export function coverageOf(
    pack: { dir: string; info: AnalyzerInfo; config: Record<string, PolicyConfigEntry> },
    resources: CheckedResource[],
    file: PackConfig | undefined,
): Coverage | undefined {
    if (pack.info.name !== CONTINUITY_GUARD_NAME) return undefined;
    const production = productionSettings(pack.dir, pack.info);
    const { census, weakenings } = censusModule();
    return {
        census: census(policyResources(resources), pack.config),
        weakened: production ? weakenings(pack.config, production.settings, { ownLevels: ownLevels(file) }) : [],
        ...(production ? { productionConfig: production.file } : {}),
    };
}

/**
 * continuity-guard's census in one line, then a line per exemption used, per kind of data that no
 * enabled data rule judges, and per setting of the config that is weaker than production.
 */
export function coverageLines(c: Coverage): string[] {
    const { censusLine, exemptionLines, unjudgedLines, weakeningLines } = censusModule();
    return [censusLine(c.census), ...exemptionLines(c.census), ...unjudgedLines(c.census), ...weakeningLines(c.weakened)];
}

// Writes policies/README.md, the policy reference, from the pack's own metadata: each policy's name,
// description, level and config schema, the reference notes in policies/pack.ts, and the settings the
// environments' config files give. `npm run docs:policies` writes it; `-- --check` fails when the
// file differs from what the pack says (tests/policies/pack.spec.ts runs the same comparison).
import * as fs from "fs";
import * as path from "path";
import { policies, reference } from "../../policies/pack";

export const ROOT = path.join(__dirname, "..", "..");
export const REFERENCE_FILE = path.join(ROOT, "policies", "README.md");
const ENVIRONMENTS = ["staging", "production"] as const;

type ConfigFile = Record<string, { enforcementLevel?: string; [setting: string]: unknown }>;

const show = (v: unknown) => (v === undefined ? "—" : Array.isArray(v) ? v.join(", ") : String(v));
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function renderPolicyReference(): string {
    const files = Object.fromEntries(
        ENVIRONMENTS.map((env) => [env, JSON.parse(fs.readFileSync(path.join(ROOT, "policies", "config", `${env}.json`), "utf8")) as ConfigFile]),
    ) as Record<(typeof ENVIRONMENTS)[number], ConfigFile>;
    const lines = [
        "# continuity-guard: policy reference",
        "",
        "<!-- Written by `npm run docs:policies` from the pack's metadata (policies/pack.ts and each policy's",
        "     name, description, level and config schema) and policies/config/<stack>.json. Do not edit by hand:",
        "     a test fails when this file and the pack disagree. -->",
        "",
        `${policies.length} policies. Levels and settings per environment come from \`policies/config/staging.json\``,
        "and `policies/config/production.json` (pass one with `--policy-pack-config`); without a file the",
        "schema defaults apply, which are the strict (production) values. A level can be set per policy or",
        'for all of them with `"all": "advisory"`, as the Pulumi CLI reads the file. Policies marked **data**',
        "guard the data itself and are mandatory in every environment.",
        "",
        "| policy | what it checks | resource types | settings: default · staging · production | level: staging / production | a value unknown at preview |",
        "|---|---|---|---|---|---|",
    ];
    for (const p of [...policies].sort((a, b) => a.name.localeCompare(b.name))) {
        const ref = reference[p.name];
        if (!ref) throw new Error(`policies/pack.ts has no reference entry for the policy '${p.name}'`);
        const schema = (p.configSchema?.properties ?? {}) as Record<string, { default?: unknown }>;
        const settings = Object.entries(schema)
            .map(([key, s]) => `\`${key}\` ${show(s.default)} · ${show(files.staging[p.name]?.[key] ?? s.default)} · ${show(files.production[p.name]?.[key] ?? s.default)}`)
            .join("<br>");
        const level = (env: (typeof ENVIRONMENTS)[number]) =>
            files[env][p.name]?.enforcementLevel ?? (files[env].all as unknown as string | undefined) ?? p.enforcementLevel ?? "advisory";
        lines.push(
            `| \`${p.name}\`${ref.protectsData ? " **data**" : ""} | ${cell(p.description)} | ${ref.resources.map((t) => `\`${t}\``).join("<br>")} | ${settings || "—"} | ${level("staging")} / ${level("production")} | ${cell(ref.unknown)} |`,
        );
    }
    return lines.join("\n") + "\n";
}

if (require.main === module) {
    const text = renderPolicyReference();
    if (process.argv.includes("--check")) {
        const current = fs.existsSync(REFERENCE_FILE) ? fs.readFileSync(REFERENCE_FILE, "utf8") : "";
        if (current !== text) {
            console.error("policies/README.md is stale: run `npm run docs:policies` and commit the result.");
            process.exit(1);
        }
        console.log("policies/README.md matches the pack.");
    } else {
        fs.writeFileSync(REFERENCE_FILE, text);
        console.log(`wrote ${path.relative(process.cwd(), REFERENCE_FILE)}: ${policies.length} policies`);
    }
}

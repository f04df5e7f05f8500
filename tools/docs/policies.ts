// Writes policies/README.md, the policy reference, from the pack's own metadata: each policy's name,
// description, level and config schema, the reference notes in policies/pack.ts, and the settings the
// environments' config files give. `npm run docs:policies` writes it; `-- --check` fails when the
// file differs from what the pack says (tests/policies/pack.spec.ts runs the same comparison).
import { writeOrCheck } from "./generated";
import * as fs from "fs";
import * as path from "path";
import { DrValues, Roles, TagKeys } from "../../infra/tags";
import { policies, reference } from "../../policies/pack";
import { StoreKinds } from "../../policies/scope";

export const ROOT = path.join(__dirname, "..", "..");
export const REFERENCE_FILE = path.join(ROOT, "policies", "README.md");
const ENVIRONMENTS = ["staging", "production"] as const;

type ConfigFile = Record<string, { enforcementLevel?: string; [setting: string]: unknown }>;

const show = (v: unknown): string =>
    v === undefined
        ? "—"
        : Array.isArray(v)
          ? v.length === 0
              ? "none"
              : v.map((x) => (typeof x === "object" ? JSON.stringify(x) : String(x))).join(", ")
          : typeof v === "object" && v !== null
            ? JSON.stringify(v)
            : String(v);
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
        "## What is data",
        "",
        "Every resource of these types is a data store and is judged, whoever wrote the program and",
        "whatever its tags: tags can say more about a store, never take it out of scope without a reason.",
        "",
        "| data store | resource types |",
        "|---|---|",
        ...Object.values(StoreKinds).map((k) => `| ${k.label} | ${k.types.map((t) => `\`${t}\``).join("<br>")} |`),
        "",
        "An S3 bucket plays one of three roles. A **copy** is the destination of a copy (an S3 replication",
        `rule, a DataSync task) or a bucket tagged \`${TagKeys.role}=dr-copy\`: it is judged by the copy rules`,
        "(Object Lock, KMS, versioning) and not asked for a copy of its own. A **log bucket** only receives",
        "logs (S3 server access logs, a load balancer's access logs, CloudTrail, CloudFront, VPC flow logs,",
        `or tagged \`${TagKeys.role}=access-logs\`): see \`storage-log-bucket-retention\`. Every other bucket holds data.`,
        "A store whose own mechanism has no copy can be copied by **AWS Backup**: a plan whose selection",
        "covers it (by a reference to it, an ARN pattern, or its tags) and whose rule has a copy action to a",
        "vault in another region counts as its copy in every `*-cross-region-copy` rule.",
        "",
        "## Exemptions",
        "",
        `- **By tag** on the store: \`${TagKeys.dr}\` = \`${DrValues.join("|")}\` and \`${TagKeys.drReason}\` = why, in letters, digits,`,
        "  spaces and `_ . + - @` (what both AWS and Atlas tags accept: no commas). The store is left out of",
        "  every data rule. Without a reason the tag exempts nothing and `data-exemption-reasons` reports it.",
        "- **By config**, per policy: the `exemptions` setting of a data policy lists entries",
        '  `{ "type": "<type token>", "name": "<glob>", "urn": "<glob>", "reason": "…" }` (any of type, name',
        "  and urn; `*` matches anything, `/` and `::` included). An entry without a reason is a violation",
        "  of that policy and exempts nothing.",
        "- `npm run check` lists every exemption it used, and counts what was judged.",
        "",
        "## Tag vocabulary",
        "",
        "| key | values | meaning to the pack |",
        "|---|---|---|",
        `| \`${TagKeys.dr}\` | ${DrValues.map((v) => `\`${v}\``).join(", ")} | the store needs no DR copy, replicas or retention (with a reason) |`,
        `| \`${TagKeys.drReason}\` | free text | why; required with \`${TagKeys.dr}\` |`,
        `| \`${TagKeys.role}\` | ${Roles.map((v) => `\`${v}\``).join(", ")} | \`dr-copy\`: a bucket is a copy; \`access-logs\`: a log bucket; \`snapshot-repository\`: a search snapshot bucket; other values add nothing to the verdict |`,
        `| \`${TagKeys.tier}\`, \`${TagKeys.environment}\`, \`${TagKeys.dataset}\`, \`${TagKeys.managedBy}\` | as set by this project's program | shown in reports; never a condition for being judged |`,
        "",
        "## Policies",
        "",
        "| policy | what it checks | resource types | settings: default · staging · production | level: staging / production | a value unknown at preview | anchors (AWS Config · Checkov) |",
        "|---|---|---|---|---|---|---|",
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
            `| \`${p.name}\`${ref.protectsData ? " **data**" : ""} | ${cell(p.description)} | ${ref.resources.map((t) => `\`${t}\``).join("<br>")} | ${settings || "—"} | ${level("staging")} / ${level("production")} | ${cell(ref.unknown)} | ${cell(ref.anchors)} |`,
        );
    }
    return lines.join("\n") + "\n";
}

if (require.main === module) {
    writeOrCheck(REFERENCE_FILE, renderPolicyReference(), {
        stale: "policies/README.md is stale: run `npm run docs:policies` and commit the result.",
        current: "policies/README.md matches the pack.",
        wrote: `wrote ${path.relative(process.cwd(), REFERENCE_FILE)}: ${policies.length} policies`,
    });
}

import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { policies, reference } from "../../policies/pack";
import { searchDomainDataNodes, searchSnapshotSchedule } from "../../policies/search";
import { settingsOf } from "../../policies/util";
import { REFERENCE_FILE, renderPolicyReference } from "../../tools/docs/policies";
import { DATA_STORE_TYPES } from "../../policies/scope";
import { checkResource, checkStack } from "../helpers/policy";
import { ROOT } from "../helpers/program";

const configFile = (env: string) =>
    JSON.parse(fs.readFileSync(path.join(ROOT, "policies", "config", `${env}.json`), "utf8")) as Record<
        string,
        { enforcementLevel?: string }
    >;
const names = policies.map((p) => p.name).sort();

describe("the continuity-guard pack as a whole (policies/pack.ts)", () => {
    it("has a reference entry for every policy, and none for a policy it lacks", () => {
        assert.deepStrictEqual(Object.keys(reference).sort(), names);
        assert.strictEqual(new Set(names).size, names.length, "a policy name appears twice");
    });

    it("keeps policies/README.md as the pack describes itself (npm run docs:policies)", () => {
        assert.strictEqual(
            fs.readFileSync(REFERENCE_FILE, "utf8"),
            renderPolicyReference(),
            "policies/README.md is stale: run `npm run docs:policies`",
        );
    });

    for (const env of ["staging", "production"]) {
        it(`${env}.json sets a level for every policy of the pack and names no other`, () => {
            assert.deepStrictEqual(
                Object.keys(configFile(env))
                    .filter((k) => k !== "all")
                    .sort(),
                names,
            );
        });
    }

    it("declares every policy mandatory, so that a run without a config file is as strict as production", () => {
        assert.deepStrictEqual(
            policies.filter((p) => p.enforcementLevel !== "mandatory").map((p) => `${p.name}: ${p.enforcementLevel}`),
            [],
        );
        assert.strictEqual(policies.length, 56);
    });

    it("judges every data-holding type with at least two data rules, and lets every data rule of a store take exemptions", () => {
        const judgedBy = (type: string) =>
            names.filter((n) => reference[n].protectsData && reference[n].resources.includes(type) && n !== "data-exemption-reasons");
        assert.deepStrictEqual(
            DATA_STORE_TYPES.filter((t) => judgedBy(t).length < 2).map((t) => `${t}: ${judgedBy(t).join(", ")}`),
            [],
        );
        const storePolicies = policies.filter(
            (p) => reference[p.name].protectsData && reference[p.name].resources.some((t) => DATA_STORE_TYPES.includes(t)),
        );
        // Not DR rules: encryption holds whether or not a store needs a copy; the reasons rule judges exemptions themselves.
        const without = storePolicies.filter((p) => !(p.configSchema?.properties ?? {}).exemptions).map((p) => p.name);
        assert.deepStrictEqual(without, ["search-domain-encryption", "data-exemption-reasons"]);
    });

    it("gives every policy's settings additionalProperties: false; the policies without a schema read no settings", () => {
        assert.deepStrictEqual(
            policies
                .filter((p) => p.configSchema && (p.configSchema as { additionalProperties?: unknown }).additionalProperties !== false)
                .map((p) => p.name),
            [],
        );
        assert.deepStrictEqual(
            policies
                .filter((p) => !p.configSchema)
                .map((p) => p.name)
                .sort(),
            [
                "data-exemption-reasons",
                "monitoring-backup-failure-alerts",
                "search-domain-encryption",
                "service-circuit-breaker",
                "service-target-group-health-check",
                "service-uptime-check",
            ],
        );
    });

    it("refuses a misspelled setting when the policy runs, as the CLI words it, naming the settings it has", async () => {
        // The CLI validates `properties` and `required` only, so a misspelling reaches the pack.
        await assert.rejects(checkStack(searchSnapshotSchedule, [], { maxIntervalHour: 6 }), {
            message:
                "Additional property maxIntervalHour is not allowed (the settings of this policy: maxIntervalHours, minRetentionDays, exemptions)",
        });
        const domain = { type: "aws:opensearch/domain:Domain", name: "search", props: { clusterConfig: { instanceCount: 3 } } };
        await assert.rejects(checkResource(searchDomainDataNodes, domain, { minDataNode: 2, exemption: [] }), {
            message:
                "Additional property minDataNode is not allowed; Additional property exemption is not allowed (the settings of this policy: minDataNodes, exemptions)",
        });
        assert.deepStrictEqual((await checkResource(searchDomainDataNodes, domain, { minDataNodes: 2, exemptions: [] })).violations, []);
        // Every policy's configuration file entry names only settings its policy has.
        for (const env of ["staging", "production"]) {
            for (const p of policies) {
                const { enforcementLevel, ...settings } = configFile(env)[p.name] as Record<string, unknown>;
                if (p.configSchema)
                    assert.doesNotThrow(() => settingsOf(p.configSchema!, settings), `${env}: ${p.name} (${String(enforcementLevel)})`);
                else assert.deepStrictEqual(settings, {}, `${env}: ${p.name}`);
            }
        }
    });

    it("production.json keeps every policy mandatory", () => {
        const file = configFile("production");
        assert.deepStrictEqual(
            names.filter((n) => file[n].enforcementLevel !== "mandatory"),
            [],
        );
    });

    it("staging.json may downgrade availability rules, never one that guards data", () => {
        const file = configFile("staging");
        const guarded = names.filter((n) => reference[n].protectsData);
        assert.deepStrictEqual(
            guarded.filter((n) => file[n].enforcementLevel !== "mandatory"),
            [],
        );
        assert.ok(guarded.length >= 20, `${guarded.length} data rules`);
    });
});

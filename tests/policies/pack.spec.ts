import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { policies, reference } from "../../policies/pack";
import { REFERENCE_FILE, renderPolicyReference } from "../../tools/docs/policies";
import { DATA_STORE_TYPES } from "../../policies/scope";
import { ROOT } from "../helpers/program";

const configFile = (env: string) => JSON.parse(fs.readFileSync(path.join(ROOT, "policies", "config", `${env}.json`), "utf8")) as Record<string, { enforcementLevel?: string }>;
const names = policies.map((p) => p.name).sort();

describe("the continuity-guard pack as a whole (policies/pack.ts)", () => {
    it("has a reference entry for every policy, and none for a policy it lacks", () => {
        assert.deepStrictEqual(Object.keys(reference).sort(), names);
        assert.strictEqual(new Set(names).size, names.length, "a policy name appears twice");
    });

    it("keeps policies/README.md as the pack describes itself (npm run docs:policies)", () => {
        assert.strictEqual(fs.readFileSync(REFERENCE_FILE, "utf8"), renderPolicyReference(), "policies/README.md is stale: run `npm run docs:policies`");
    });

    for (const env of ["staging", "production"]) {
        it(`${env}.json sets a level for every policy of the pack and names no other`, () => {
            assert.deepStrictEqual(Object.keys(configFile(env)).filter((k) => k !== "all").sort(), names);
        });
    }

    it("declares every policy mandatory, so that a run without a config file is as strict as production", () => {
        assert.deepStrictEqual(
            policies.filter((p) => p.enforcementLevel !== "mandatory").map((p) => `${p.name}: ${p.enforcementLevel}`),
            [],
        );
        assert.strictEqual(policies.length, 54);
    });

    it("judges every data-holding type with at least two data rules, and lets every data rule of a store take exemptions", () => {
        const judgedBy = (type: string) => names.filter((n) => reference[n].protectsData && reference[n].resources.includes(type) && n !== "data-exemption-reasons");
        assert.deepStrictEqual(DATA_STORE_TYPES.filter((t) => judgedBy(t).length < 2).map((t) => `${t}: ${judgedBy(t).join(", ")}`), []);
        const storePolicies = policies.filter((p) => reference[p.name].protectsData && reference[p.name].resources.some((t) => DATA_STORE_TYPES.includes(t)));
        // Not DR rules: encryption holds whether or not a store needs a copy; the reasons rule judges exemptions themselves.
        const without = storePolicies.filter((p) => !(p.configSchema?.properties ?? {}).exemptions).map((p) => p.name);
        assert.deepStrictEqual(without, ["search-domain-encryption", "data-exemption-reasons"]);
    });

    it("production.json keeps every policy mandatory", () => {
        const file = configFile("production");
        assert.deepStrictEqual(names.filter((n) => file[n].enforcementLevel !== "mandatory"), []);
    });

    it("staging.json may downgrade availability rules, never one that guards data", () => {
        const file = configFile("staging");
        const guarded = names.filter((n) => reference[n].protectsData);
        assert.deepStrictEqual(guarded.filter((n) => file[n].enforcementLevel !== "mandatory"), []);
        assert.ok(guarded.length >= 20, `${guarded.length} data rules`);
    });
});

// The conformance suite as counted tests (npm run test:all; CI): every case of
// tools/conformance/compare.ts through the real Pulumi CLI, built from its Go modules on the first
// run (minutes), and through the offline check. A case passes when the two agree on the resources
// (URN, operation, type, parent, provider), the policy violations and the exit class, apart from
// the differences its allow-list explains (printed with their reasons). Not a *.spec.ts file: the
// developer's `npm test` stays without it; `npm run test:conformance [case …]` prints the same
// comparison as a table.
import * as assert from "assert";
import { buildConformanceTools } from "../../tools/conformance/build";
import { CASES, compareCase, describeResult } from "../../tools/conformance/compare";

describe("conformance: the check gives the same answer as the real Pulumi CLI (tools/conformance)", function () {
    before(function () {
        // The first build compiles the CLI (minutes on 2 cores; longer under load); later runs find it cached.
        this.timeout(60 * 60 * 1000);
        buildConformanceTools((line) => console.log(`      ${line}`), { standInLanguageHost: true });
    });

    for (const c of CASES) {
        it(`${c.name}: same resources, violations and exit class`, async function () {
            // One case is two previews of at most a few hundred resources; generous for a loaded 2-core machine.
            this.timeout(20 * 60 * 1000);
            const r = await compareCase(c);
            describeResult(r)
                .slice(1)
                .forEach((l) => console.log(`    ${l}`));
            assert.deepStrictEqual(r.differences, [], `${r.name}: differences between the CLI and the check`);
            // Never a vacuous agreement: a failing case fails in both, any other previews resources in both.
            if (c.cause) assert.deepStrictEqual([r.cli.exit, r.check.exit], ["error", "error"]);
            else assert.ok(r.cli.resources.size > 0 && r.check.resources.size > 0, "both previews list resources");
        });
    }
});

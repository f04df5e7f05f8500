// docs/dr-plan/<stack>.md are generated (npm run docs:dr-plan): a test fails when a committed plan
// and what the stack gives differ, as for policies/README.md. Both stacks run once, before the tests.
import * as assert from "assert";
import * as fs from "fs";
import { DOC_STACKS, docFile, renderStackPlan, ROOT } from "../../tools/report/docs";

describe("the committed DR plans (docs/dr-plan, npm run docs:dr-plan)", () => {
    const rendered = new Map<string, string>();
    before(async () => {
        // One after the other: each runs the program and the pack (two processes) on a 2-core machine.
        for (const stack of DOC_STACKS) rendered.set(stack, await renderStackPlan(stack));
    });

    for (const stack of DOC_STACKS) {
        it(`keeps docs/dr-plan/${stack}.md as the ${stack} stack gives it`, () => {
            const committed = fs.existsSync(docFile(stack)) ? fs.readFileSync(docFile(stack), "utf8") : "";
            assert.strictEqual(
                committed,
                rendered.get(stack),
                `docs/dr-plan/${stack}.md is stale: run \`npm run docs:dr-plan\` and commit the result`,
            );
        });
    }

    it("names no path of the machine it was made on, and is the same on a second run", async () => {
        for (const stack of DOC_STACKS) assert.ok(!rendered.get(stack)!.includes(ROOT), `${stack}: ${ROOT}`);
        assert.strictEqual(await renderStackPlan("staging"), rendered.get("staging"));
    });
});

// Policy packs under tests/fixtures/packs and helpers shared by the analyzer specs (tools/check/analyzer.ts).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { CheckedResource, PolicyPackError } from "../../../tools/check/packTypes";

export const PACKS = path.join(__dirname, "..", "..", "fixtures", "packs");
export const HEALTHY = path.join(PACKS, "healthy");
export const THROWS_AT_LOAD = path.join(PACKS, "throws-at-load");
export const POLICY_THROWS = path.join(PACKS, "policy-throws");

export const STACK = "urn:pulumi:ci::continuity-test";
export const THING_TYPE = "test:index:Thing";
export const thingUrn = (name: string) => `${STACK}::${THING_TYPE}::${name}`;

export function resource(name: string, properties: Record<string, unknown>, type = THING_TYPE): CheckedResource {
    return {
        type,
        name,
        urn: `${STACK}::${type}::${name}`,
        properties,
        dependencies: [],
        propertyDependencies: {},
        options: {},
    };
}

export function settle<T>(p: Promise<T>): Promise<T | Error> {
    return p.then(
        (v) => v,
        (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
    );
}

export function expectPackError(v: unknown): PolicyPackError {
    assert.ok(v instanceof PolicyPackError, `expected a PolicyPackError, got ${String(v)}`);
    return v;
}

export async function rejection(p: Promise<unknown>): Promise<unknown> {
    try {
        await p;
    } catch (e) {
        return e;
    }
    assert.fail("expected the promise to reject");
}

// A pack with a type error, written at test time into a dot-directory (which tsc's and mocha's
// globs skip) so it never breaks a repository-wide type-check.
export function writeCompileErrorPack(): string {
    const dir = fs.mkdtempSync(path.join(PACKS, ".tmp-compile-error-"));
    fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\ndescription: compile error fixture\n");
    fs.writeFileSync(
        path.join(dir, "package.json"),
        JSON.stringify({ name: "fixture-compile-error", version: "0.0.3", main: "index.ts" }, null, 2),
    );
    fs.copyFileSync(path.join(HEALTHY, "tsconfig.json"), path.join(dir, "tsconfig.json"));
    fs.writeFileSync(
        path.join(dir, "index.ts"),
        '// A type error on line 2 (no SDK import, so the type-check stays quick).\nconst limit: number = "ten";\nexport { limit };\n',
    );
    return dir;
}

// Resources and a stack runner shared by the scope specs (policies/scope.ts).
import * as assert from "assert";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { checkStack, messages, TestResource, UNKNOWN, urnOf } from "../../helpers/policy";

type Props = Record<string, unknown>;

/**
 * Runs `f` over the stack as a stack policy sees it (the SDK's unknown-checking props, links by URN)
 * and returns what it returned with what it reported. Fails when the SDK would have skipped the
 * policy because `f` read an unknown value unguarded.
 */
export async function inStack<T>(
    rs: TestResource[],
    f: (get: (name: string) => PolicyResource, all: PolicyResource[], report: (m: string) => void) => T,
    providers: Record<string, string> = {},
) {
    let result: T | undefined;
    const probe: StackValidationPolicy = {
        name: "probe",
        description: "test",
        validateStack: (args, report) => {
            for (const r of args.resources) {
                const p = args.resources.find((x) => x.name === providers[r.name]);
                if (p) (r as { provider?: PolicyResource }).provider = p;
            }
            const get = (name: string) => {
                const r = args.resources.find((x) => x.name === name);
                if (!r) throw new Error(`no resource ${name}`);
                return r;
            };
            result = f(get, args.resources, (m) => report(m));
        },
    };
    const outcome = await checkStack(probe, rs);
    assert.strictEqual(outcome.skipped, undefined, "the SDK skipped the policy: an unknown value was read unguarded");
    return { result: result as T, reported: messages(outcome) };
}

export const res = (type: string, name: string, props: Props = {}, propertyDependencies?: Record<string, string[]>): TestResource => ({
    type,
    name,
    props,
    propertyDependencies,
});
export const ACCOUNT = "123456789012";

export const db = (props: Props = {}) =>
    res("aws:rds/instance:Instance", "orders", { identifier: "orders", region: "us-west-2", ...props });
export const table = (name = "orders-2024", props: Props = {}) =>
    res("aws:dynamodb/table:Table", name, { name, region: "us-west-2", ...props });
export const fs = (props: Props = {}) => res("aws:efs/fileSystem:FileSystem", "shared", { region: "us-west-2", ...props });
export const bucket = (name = "uploads", props: Props = {}) =>
    res("aws:s3/bucket:Bucket", name, { bucket: name, region: "us-west-2", ...props });

export const plan = (name = "plan", props: Props = {}, deps?: Record<string, string[]>) =>
    res(
        "aws:backup/plan:Plan",
        name,
        { region: "us-west-2", rules: [{ ruleName: "daily", targetVaultName: "main", schedule: "cron(0 5 ? * * *)" }], ...props },
        deps,
    );
export const selection = (props: Props = {}, deps: Record<string, string[]> = { planId: [urnOf(plan())] }, name = "selection") =>
    res(
        "aws:backup/selection:Selection",
        name,
        { planId: UNKNOWN, iamRoleArn: "arn:aws:iam::123456789012:role/backup", region: "us-west-2", ...props },
        deps,
    );

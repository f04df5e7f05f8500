import * as assert from "assert";
import { InvokeContext, InvokeError } from "../../../tools/check/invokeCall";
import { invokeResult } from "../../../tools/check/invokes";

export const FILE = "/proj/Pulumi.dev.invokes.yaml";
export const ctx = (over: Partial<InvokeContext> = {}): InvokeContext => ({ providerRegion: "us-west-2", answersFile: FILE, ...over });
export const noRegion: InvokeContext = { answersFile: FILE };

export const POLICY = "aws:iam/getPolicyDocument:getPolicyDocument";
export const REGION = "aws:index/getRegion:getRegion";
export const PARTITION = "aws:index/getPartition:getPartition";
export const AZS = "aws:index/getAvailabilityZones:getAvailabilityZones";
export const CALLER = "aws:index/getCallerIdentity:getCallerIdentity";
export const ELB = "aws:elb/getServiceAccount:getServiceAccount";

export const policyJson = (args: Record<string, unknown>) => invokeResult(POLICY, args, ctx()).json as string;
export const lines = (...l: string[]) => l.join("\n");

/** Asserts the call fails with an InvokeError whose message is `message` (a string: exactly; a RegExp: matching). */
export function assertInvokeError(fn: () => unknown, message: string | RegExp): void {
    assert.throws(fn, (e: Error) => {
        assert.ok(e instanceof InvokeError, `expected an InvokeError, got ${e}`);
        if (typeof message === "string") assert.strictEqual(e.message, message);
        else assert.match(e.message, message);
        return true;
    });
}

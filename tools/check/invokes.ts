// The answers the offline check gives to the invokes a program makes. A real preview asks the cloud;
// here every answer is fixed, so two runs of the check see the same graph. Add a token here when a
// tier starts calling a new function; an unlisted token fails loudly rather than guess.

export const CHECK_ACCOUNT_ID = "123456789012";
export const CHECK_PARTITION = "aws";

type Answer = (inputs: Record<string, unknown>) => Record<string, unknown>;

export const INVOKE_RESULTS: Record<string, Answer> = {
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        accountId: CHECK_ACCOUNT_ID,
        arn: `arn:aws:iam::${CHECK_ACCOUNT_ID}:role/continuity-check`,
        userId: "AROACONTINUITYCHECK:offline",
        id: CHECK_ACCOUNT_ID,
    }),
    "aws:index/getPartition:getPartition": () => ({
        partition: CHECK_PARTITION,
        dnsSuffix: "amazonaws.com",
        reverseDnsPrefix: "com.amazonaws",
        id: CHECK_PARTITION,
    }),
    "aws:index/getRegion:getRegion": (inputs) => {
        const name = (inputs.region ?? inputs.name ?? "us-east-1") as string;
        return { name, region: name, id: name, endpoint: `ec2.${name}.amazonaws.com`, description: name };
    },
    // The ELB account that writes a region's load-balancer access logs (regions opened before August 2022).
    "aws:elb/getServiceAccount:getServiceAccount": (inputs) => {
        const region = (inputs.region ?? "us-east-1") as string;
        const accounts: Record<string, string> = {
            "us-east-1": "127311923021",
            "us-west-2": "797873946194",
            "eu-west-1": "156460612806",
            "eu-central-1": "054676820928",
        };
        const id = accounts[region] ?? "000000000000";
        return { id, arn: `arn:aws:iam::${id}:root`, region };
    },
    // Three zones in every region, named as AWS names them.
    "aws:index/getAvailabilityZones:getAvailabilityZones": (inputs) => {
        const region = (inputs.region ?? "us-east-1") as string;
        const names = ["a", "b", "c"].map((s) => `${region}${s}`);
        return { names, zoneIds: names.map((_, i) => `use1-az${i + 1}`), id: region, groupNames: [region] };
    },
};

export function invokeResult(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const answer = INVOKE_RESULTS[token];
    if (!answer) {
        throw new Error(
            `The offline check has no answer for the invoke '${token}'. Add one to tools/check/invokes.ts (known: ${Object.keys(INVOKE_RESULTS).join(", ")}).`,
        );
    }
    return answer(inputs);
}

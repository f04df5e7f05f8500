// Resource types the pack judges, by their Pulumi type token. The pack does not import provider SDKs:
// the engine sends a type token and plain properties, and the CLI type-checks the pack each time it
// starts it, which a provider SDK's typings would slow by seconds. Each interface lists only the
// properties the policies read, as the engine sends them.
import { Resource } from "@pulumi/pulumi";

export interface ResourceType<TProps> {
    new (name: string, props: TProps): Resource;
}

/** A stand-in for a provider SDK's resource class, usable with validateResourceOfType. */
export function resourceType<TProps>(token: string): ResourceType<TProps> & { readonly __pulumiType: string } {
    return { __pulumiType: token } as unknown as ResourceType<TProps> & { readonly __pulumiType: string };
}

/** What the policy reference (policies/README.md) says of a policy beyond its name, description, level and settings. */
export interface PolicyReference {
    /** The resource types the policy reads. */
    readonly resources: readonly string[];
    /** What the policy does with a value that is unknown at preview. */
    readonly unknown: string;
    /** A data-protection rule: never downgraded to advisory. */
    readonly protectsData: boolean;
    /**
     * The rules of the usual anchors this policy matches or goes beyond: AWS Config managed rules
     * (by identifier) and Checkov checks (CKV_…), or "none" with what the policy adds.
     */
    readonly anchors: string;
}

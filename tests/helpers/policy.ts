// Runs one policy the way @pulumi/policy's analyzer server runs it: properties deserialized from
// their wire form and wrapped in the SDK's unknown-checking proxy, an unknown value read turning into
// the SDK's "can't run policy during preview" note, and stack resources linked by URN.
import { PolicyResource, ResourceValidation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { RecordedResource } from "../../tools/check/engine";
import { UNKNOWN_VALUE as UNKNOWN } from "../../tools/check/wire";

const { deserializeProperties } = require("@pulumi/policy/deserialize");
const { getPulumiType } = require("@pulumi/policy/policy") as { getPulumiType(v: unknown): string | undefined };
const { unknownCheckingProxy, UnknownValueError } = require("@pulumi/policy/proxy");

export { UNKNOWN };

export interface TestResource {
    type: string;
    name: string;
    urn?: string;
    /** Wire form: UNKNOWN for a value the engine does not know yet. */
    props: Record<string, unknown>;
    parent?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    options?: { protect?: boolean };
    /** The resource's provider as the engine sends it to a pack: type, name, URN and inputs (wire form). */
    provider?: { type: string; name: string; urn?: string; props: Record<string, unknown> };
}

export interface Outcome {
    violations: { message: string; urn?: string }[];
    /** The SDK's advisory note when the policy read an unknown value and was skipped. */
    skipped?: string;
}

export function urnOf(r: TestResource): string {
    return r.urn ?? `urn:pulumi:test::continuity::${r.type}::${r.name}`;
}

export function fromRecorded(r: RecordedResource): TestResource {
    return {
        type: r.type,
        name: r.name,
        urn: r.urn,
        // A copy: stack runs are shared between tests, and a test may edit what it judges.
        props: structuredClone(r.properties),
        parent: r.parent,
        dependencies: r.dependencies,
        propertyDependencies: r.propertyDependencies,
        options: r.options,
    };
}

/** What `args.notApplicable()` throws; the server records the policy as not applicable. */
class NotApplicable extends Error {}
const notApplicable = (reason?: string): never => {
    throw new NotApplicable(reason);
};

/** As the server: a resource class matches when its Pulumi type token is the resource's type. */
function typeCheckers(type: string, p: unknown) {
    const isType = (cls: unknown) => getPulumiType(cls) === type;
    return { isType, asType: (cls: unknown) => (isType(cls) ? p : undefined) };
}

// Through JSON first, as through protobuf's Struct: undefined members do not travel.
const props = (wire: Record<string, unknown>) =>
    unknownCheckingProxy(deserializeProperties({ toJavaScript: () => JSON.parse(JSON.stringify(wire)) }, false));

function skippedNote(policy: { name: string }, e: Error) {
    return `can't run policy '${policy.name}' during preview: ${e.message}`;
}

export async function checkResource(
    policy: ResourceValidationPolicy,
    resource: TestResource,
    config: Record<string, unknown> = {},
): Promise<Outcome> {
    const outcome: Outcome = { violations: [] };
    const validations: ResourceValidation[] = ([] as ResourceValidation[]).concat(policy.validateResource ?? []);
    for (const validate of validations) {
        const type = getPulumiType(validate);
        if (type && type !== resource.type) continue;
        const p = props(resource.props);
        try {
            await validate(
                {
                    type: resource.type,
                    name: resource.name,
                    urn: urnOf(resource),
                    props: p,
                    opts: {
                        protect: resource.options?.protect ?? false,
                        ignoreChanges: [],
                        aliases: [],
                        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
                        deleteBeforeReplace: false,
                    },
                    stackTags: new Map(),
                    getConfig: <T>() => config as T,
                    ...typeCheckers(resource.type, p),
                    notApplicable,
                } as any,
                (message: string, urn?: string) => outcome.violations.push({ message, urn }),
            );
        } catch (e) {
            if (e instanceof UnknownValueError) {
                outcome.skipped = skippedNote(policy, e as Error);
            } else if (!(e instanceof NotApplicable)) {
                throw e;
            }
        }
    }
    return outcome;
}

export async function checkStack(
    policy: StackValidationPolicy,
    resources: TestResource[],
    config: Record<string, unknown> = {},
): Promise<Outcome> {
    const outcome: Outcome = { violations: [] };
    const byUrn = new Map<string, PolicyResource>();
    const built = resources.map((r) => {
        const p = props(r.props);
        const pr = {
            type: r.type,
            name: r.name,
            urn: urnOf(r),
            props: p,
            opts: {
                protect: r.options?.protect ?? false,
                ignoreChanges: [],
                aliases: [],
                customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
                deleteBeforeReplace: false,
            },
            dependencies: [] as PolicyResource[],
            propertyDependencies: {} as Record<string, PolicyResource[]>,
            provider: r.provider && {
                type: r.provider.type,
                name: r.provider.name,
                urn: r.provider.urn ?? `urn:pulumi:test::continuity::${r.provider.type}::${r.provider.name}`,
                props: props(r.provider.props),
            },
            ...typeCheckers(r.type, p),
        } as unknown as PolicyResource;
        byUrn.set(pr.urn, pr);
        return { r, pr };
    });
    for (const { r, pr } of built) {
        const find = (urns: string[] = []) => urns.map((u) => byUrn.get(u)).filter((x): x is PolicyResource => x !== undefined);
        if (r.parent) pr.parent = byUrn.get(r.parent);
        pr.dependencies = find(r.dependencies);
        for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) pr.propertyDependencies[k] = find(urns);
    }
    try {
        await policy.validateStack(
            {
                resources: built.map((b) => b.pr),
                getConfig: <T>() => config as T,
                stackTags: new Map(),
                notApplicable,
            } as any,
            (message: string, urn?: string) => outcome.violations.push({ message, urn }),
        );
    } catch (e) {
        if (e instanceof UnknownValueError) {
            outcome.skipped = skippedNote(policy, e as Error);
        } else if (!(e instanceof NotApplicable)) {
            throw e;
        }
    }
    return outcome;
}

/** Runs policies over a stack's resources with a --policy-pack-config file, as the engine would. */
export async function runPolicies(
    policies: (ResourceValidationPolicy | StackValidationPolicy)[],
    resources: TestResource[],
    configFile: string,
): Promise<{ policy: string; message: string }[]> {
    const file = JSON.parse(require("fs").readFileSync(configFile, "utf8"));
    const configOf = (name: string) => {
        const { enforcementLevel: _level, ...props } = file[name] ?? {};
        return props;
    };
    const found: { policy: string; message: string }[] = [];
    for (const p of policies) {
        const outcomes =
            "validateStack" in p
                ? [await checkStack(p, resources, configOf(p.name))]
                : await Promise.all(resources.map((r) => checkResource(p, r, configOf(p.name))));
        for (const o of outcomes) for (const m of messages(o)) found.push({ policy: p.name, message: m });
    }
    return found;
}

/** The messages alone, for exact comparisons. */
export const messages = (o: Outcome) => o.violations.map((v) => v.message);

/**
 * An AWS Backup plan as another team writes one: a daily rule kept `deleteAfter` days, in us-west-2,
 * with a selection of `store` by dependency (its ARN unknown at preview); with a copy action to a
 * vault in `copyTo` when given. Returns the vault, the plan and the selection.
 */
export function backupPlanFor(store: TestResource, copyTo?: string, deleteAfter = 35): TestResource[] {
    const vault: TestResource = {
        type: "aws:backup/vault:Vault",
        name: "dr-vault",
        props: { name: "dr-vault", region: copyTo ?? "us-west-2" },
    };
    const plan: TestResource = {
        type: "aws:backup/plan:Plan",
        name: "backup",
        props: {
            name: "backup",
            region: "us-west-2",
            rules: [
                {
                    ruleName: "daily",
                    targetVaultName: "Default",
                    schedule: "cron(0 5 ? * * *)",
                    lifecycle: { deleteAfter },
                    copyActions: copyTo ? [{ destinationVaultArn: UNKNOWN, lifecycle: { deleteAfter } }] : [],
                },
            ],
        },
        propertyDependencies: copyTo ? { rules: [urnOf(vault)] } : {},
    };
    const selection: TestResource = {
        type: "aws:backup/selection:Selection",
        name: "backup-selection",
        props: { name: "selection", planId: UNKNOWN, iamRoleArn: "arn:aws:iam::123456789012:role/backup", resources: [UNKNOWN] },
        propertyDependencies: { planId: [urnOf(plan)], resources: [urnOf(store)] },
    };
    return [vault, plan, selection];
}

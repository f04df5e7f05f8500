import * as path from "path";
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { atlasPolicies, AtlasTypes } from "../../../policies/atlas";
import { checkResource, checkStack, messages, runPolicies, TestResource } from "../../helpers/policy";
import { ROOT } from "../../helpers/program";

export type Props = Record<string, unknown>;

export const cluster = (props: Props = {}, name = "db"): TestResource => ({
    type: AtlasTypes.advancedCluster,
    name,
    props: {
        name: "db",
        projectId: "p1",
        clusterType: "REPLICASET",
        backupEnabled: true,
        pitEnabled: true,
        replicationSpecs: [
            {
                regionConfigs: [
                    { providerName: "AWS", regionName: "US_WEST_2", priority: 7, electableSpecs: { instanceSize: "M10", nodeCount: 3 } },
                ],
            },
        ],
        ...props,
    },
});

export const HOURLY = { frequencyInterval: 6, retentionUnit: "days", retentionValue: 7 };
export const WEEKLY = { frequencyInterval: 6, retentionUnit: "weeks", retentionValue: 4 };

export const copy = (props: Props = {}) => ({
    cloudProvider: "AWS",
    regionName: "US_EAST_1",
    shouldCopyOplogs: true,
    copyPolicyItems: [
        { frequencyType: "hourly", retentionUnit: "days", retentionValue: 7 },
        { frequencyType: "weekly", retentionUnit: "weeks", retentionValue: 4 },
    ],
    ...props,
});

export const schedule = (props: Props = {}, extra: Partial<TestResource> = {}): TestResource => ({
    type: AtlasTypes.backupSchedule,
    name: "db-backup",
    props: {
        projectId: "p1",
        clusterName: "db",
        policyItemHourly: HOURLY,
        policyItemWeeklies: [WEEKLY],
        copyPolicyItemsEnabled: true,
        copySettings: [copy()],
        ...props,
    },
    ...extra,
});

export const compliance = (props: Props = {}): TestResource => ({
    type: AtlasTypes.compliancePolicy,
    name: "db-compliance",
    props: {
        projectId: "p1",
        authorizedEmail: "security@example.com",
        authorizedUserFirstName: "Dana",
        authorizedUserLastName: "Example",
        copyProtectionEnabled: true,
        ...props,
    },
});

export const legacyCluster = (props: Props = {}): TestResource => ({
    type: AtlasTypes.cluster,
    name: "legacy",
    props: { name: "legacy", projectId: "p1", providerName: "AWS", providerRegionName: "US_WEST_2", cloudBackup: true, ...props },
});

export async function resource(policy: ResourceValidationPolicy, r: TestResource, config?: Record<string, unknown>) {
    return messages(await checkResource(policy, r, config));
}
export async function stack(policy: StackValidationPolicy, rs: TestResource[], config?: Record<string, unknown>) {
    return messages(await checkStack(policy, rs, config));
}

// ---- the pack against the program's own stacks ------------------------------------------

export const guard = (resources: TestResource[], stackName: string) =>
    runPolicies(atlasPolicies, resources, path.join(ROOT, "policies", "config", `${stackName}.json`));

// A program of BENCH_RESOURCES resources, in triples shaped like the real tier: a 3-node cluster, its
// backup schedule (linked through the cluster's name output, copied to another region) and an alert.
import * as mongodbatlas from "@pulumi/mongodbatlas";

const total = Number(process.env.BENCH_RESOURCES ?? "99");
const projectId = "0123456789abcdef01234567";
const item = { frequencyInterval: 6, retentionUnit: "days", retentionValue: 7 };

for (let i = 0; i < Math.floor(total / 3); i++) {
    const cluster = new mongodbatlas.AdvancedCluster(`db-${i}`, {
        projectId,
        name: `db-${i}`,
        clusterType: "REPLICASET",
        backupEnabled: true,
        pitEnabled: false,
        replicationSpecs: [
            {
                regionConfigs: [
                    { providerName: "AWS", regionName: "US_WEST_2", priority: 7, electableSpecs: { instanceSize: "M10", nodeCount: 3 } },
                ],
            },
        ],
    });
    new mongodbatlas.CloudBackupSchedule(`db-${i}-backup`, {
        projectId,
        clusterName: cluster.name,
        policyItemHourly: item,
        copyPolicyItemsEnabled: true,
        copySettings: [
            {
                cloudProvider: "AWS",
                regionName: "US_EAST_1",
                copyPolicyItems: [{ frequencyType: "hourly", retentionUnit: "days", retentionValue: 7 }],
            },
        ],
    });
    new mongodbatlas.AlertConfiguration(`db-${i}-alert`, {
        projectId,
        eventType: "CPS_SNAPSHOT_BEHIND",
        enabled: true,
        notifications: [{ typeName: "EMAIL", emailAddress: "devops@example.com" }],
    });
}

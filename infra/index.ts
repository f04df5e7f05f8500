// The program's entry point. It exports a function, which the Pulumi runtime calls and whose result
// becomes the stack outputs; tests and the offline check call the same function under mocks.
import { loadConfig } from "./config";
import { Continuity } from "./components/continuity";
import { loadDrillConfig } from "./config/drill";
import { Drill } from "./components/drill";

function program() {
    // A drill stack (continuity:drill set) builds the drill only: restores of another stack's DR copies.
    const drill = loadDrillConfig();
    if (drill) return { drill: new Drill(`${drill.project}-${drill.stack}`, drill).output };
    const config = loadConfig();
    const dr = new Continuity(`${config.project}-${config.environment}`, config);
    // An adopted bucket under live replication: the one-time command that copies what it already held.
    const copyExisting = dr.buckets.filter((b) => b.copyExistingCommand !== undefined);
    return {
        environment: config.environment,
        primaryRegion: config.regions.primary,
        drRegion: config.regions.dr,
        alertTopicArn: dr.alerting.topicArn,
        // Where the recovery-point watch reads the Atlas API keys (put them there when the stack created it).
        watchAtlasKeySecretArn: dr.watch.atlasKeySecretArn,
        atlasProjectId: dr.atlas.projectId,
        atlasClusterName: dr.atlas.clusterName,
        atlasBackupSchedule: dr.atlas.scheduleDescription,
        dataBuckets: dr.buckets.map((b) => b.bucketName),
        drBuckets: dr.buckets.map((b) => b.drBucket.bucket),
        searchEndpoint: dr.search.endpoint,
        searchSnapshotBucket: dr.search.snapshots.bucketName,
        searchSnapshotCopy: dr.search.snapshots.drBucket.bucket,
        serviceUrl: dr.service.url,
        loadBalancerDnsName: dr.service.loadBalancer.dnsName,
        ...(copyExisting.length > 0 ? { copyExistingObjects: copyExisting.map((b) => b.copyExistingCommand!) } : {}),
    };
}

export = program;

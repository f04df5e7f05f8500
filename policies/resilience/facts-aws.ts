// Facts of the AWS data stores other than S3 and OpenSearch, for the resilience model (./model.ts): who
// takes over inside the region when a node or a zone is lost, and every protection — automated backups
// and point-in-time restore, snapshots, their copies in other regions, live replicas (read replicas,
// global clusters and tables, EFS replication, global datastores) and AWS Backup — with its schedule,
// transfer lag, retention and restore path.
//
//   ./facts-aws-databases.ts  RDS instances, RDS/Aurora, DocumentDB and Neptune clusters, Redshift
//   ./facts-aws-storage.ts    DynamoDB tables, EFS file systems, EBS volumes
//   ./facts-aws-caches.ts     ElastiCache replication groups and clusters, MemoryDB clusters
//
// Links between resources are the guard's (../databases.ts, ../dynamodb.ts, ../volumes.ts, ../caches.ts,
// ../redshift.ts), so the policies and the model agree on what copies what. A value unknown at preview is
// taken in the stack's favour (Multi-AZ on, backups on, a replica that may be elsewhere) and named in the
// protection's or the redundancy's `dependsOn`; a region that cannot be told makes `elsewhere` "unknown".
// A copy of another store (a read replica, a secondary cluster, an EFS replica) is read as a store of its
// own, with a note saying whose copy it is.
import { PolicyResource } from "@pulumi/policy";
import { StoreKindName } from "../scope";
import type { FactsContext, KindFacts } from "./facts";
import { cacheClusterFacts, groupFacts, memorydbFacts } from "./facts-aws-caches";
import { clusterFacts, rdsInstanceFacts, redshiftFacts } from "./facts-aws-databases";
import { fileSystemFacts, tableFacts, volumeFacts } from "./facts-aws-storage";

/** The facts of one AWS data store of the kinds above. */
export function awsFacts(store: PolicyResource, kind: StoreKindName, ctx: FactsContext): KindFacts {
    switch (kind) {
        case "rdsInstance":
            return rdsInstanceFacts(store, ctx);
        case "rdsCluster":
        case "docdbCluster":
        case "neptuneCluster":
            return clusterFacts(store, ctx);
        case "redshiftCluster":
            return redshiftFacts(store, ctx);
        case "dynamodbTable":
            return tableFacts(store, ctx);
        case "efsFileSystem":
            return fileSystemFacts(store, ctx);
        case "ebsVolume":
            return volumeFacts(store, ctx);
        case "elasticacheReplicationGroup":
            return groupFacts(store, ctx);
        case "elasticacheCluster":
            return cacheClusterFacts(store, ctx);
        case "memorydbCluster":
            return memorydbFacts(store, ctx);
        default:
            throw new Error(`No reader of the resilience facts of a ${kind} (${store.type} '${store.name}')`);
    }
}

// The pack's policies in order, and what the policy reference (policies/README.md, written by
// `npm run docs:policies`) says of each beyond its own name, description, level and settings: the
// resource types it judges, what a value unknown at preview means to it, and whether it guards data
// (those stay mandatory in every environment's config file; tests/policies/pack.spec.ts checks it).
import { Policy } from "@pulumi/policy";
import { atlasPolicies, AtlasTypes } from "./atlas";
import { monitoringPolicies } from "./monitoring";
import { protectionPolicies } from "./protection";
import { searchPolicies, SearchTypes } from "./search";
import { servicePolicies, ServiceTypes } from "./service";
import { storagePolicies, StorageTypes } from "./storage";

export const policies: Policy[] = [...atlasPolicies, ...storagePolicies, ...searchPolicies, ...servicePolicies, ...protectionPolicies, ...monitoringPolicies];

export interface PolicyReference {
    /** The resource types the policy reads. */
    readonly resources: readonly string[];
    /** What the policy does with a value that is unknown at preview. */
    readonly unknown: string;
    /** A data-protection rule: never downgraded to advisory. */
    readonly protectsData: boolean;
}

const SKIPPED = "skipped by the SDK with an advisory note; judged at `pulumi up`";
const FAVOUR = "counts in the stack's favour; judged again at `pulumi up`";
const CLUSTERS = [AtlasTypes.advancedCluster, AtlasTypes.cluster];
const BUCKETS = [...StorageTypes.bucket];

export const reference: Record<string, PolicyReference> = {
    "atlas-cluster-min-electable-nodes": { resources: CLUSTERS, unknown: SKIPPED, protectsData: true },
    "atlas-cloud-backup-enabled": { resources: CLUSTERS, unknown: SKIPPED, protectsData: true },
    "atlas-point-in-time-restore": { resources: [AtlasTypes.advancedCluster], unknown: SKIPPED, protectsData: true },
    "atlas-snapshot-interval": { resources: [AtlasTypes.backupSchedule], unknown: SKIPPED, protectsData: true },
    "atlas-snapshot-retention": { resources: [AtlasTypes.backupSchedule], unknown: SKIPPED, protectsData: true },
    "atlas-weekly-snapshot": { resources: [AtlasTypes.backupSchedule], unknown: SKIPPED, protectsData: true },
    "atlas-cluster-has-backup-schedule": {
        resources: [...CLUSTERS, AtlasTypes.backupSchedule],
        unknown: `a schedule whose cluster name is unknown may be the cluster's: ${FAVOUR}`,
        protectsData: true,
    },
    "atlas-backup-copy-to-other-region": {
        resources: [...CLUSTERS, AtlasTypes.backupSchedule],
        unknown: `an unknown copy region may be another region: ${FAVOUR}`,
        protectsData: true,
    },
    "atlas-backup-compliance-policy": {
        resources: [...CLUSTERS, AtlasTypes.compliancePolicy],
        unknown: `a policy whose project id is unknown may be the cluster's project's: ${FAVOUR}`,
        protectsData: true,
    },
    "storage-bucket-versioning": { resources: [...BUCKETS, ...StorageTypes.versioning], unknown: `an unknown status or bucket link ${FAVOUR}`, protectsData: true },
    "storage-bucket-kms-encryption": { resources: [...BUCKETS, ...StorageTypes.encryption], unknown: `unknown rules or bucket link ${FAVOUR}`, protectsData: true },
    "storage-dr-copy": {
        resources: [...BUCKETS, ...StorageTypes.task, ...StorageTypes.location, ...StorageTypes.replication],
        unknown: `an unknown destination, region, class, schedule or source ${FAVOUR}`,
        protectsData: true,
    },
    "storage-dr-object-lock": { resources: [...BUCKETS, ...StorageTypes.objectLock], unknown: `an unknown lock mode or retention ${FAVOUR}`, protectsData: true },
    "storage-replication-no-delete-markers": { resources: [...StorageTypes.replication], unknown: SKIPPED, protectsData: true },
    "search-domain-data-nodes": { resources: SearchTypes.domain, unknown: SKIPPED, protectsData: true },
    "search-domain-zone-awareness": { resources: SearchTypes.domain, unknown: SKIPPED, protectsData: true },
    "search-domain-dedicated-masters": { resources: SearchTypes.domain, unknown: SKIPPED, protectsData: false },
    "search-domain-encryption": { resources: SearchTypes.domain, unknown: SKIPPED, protectsData: true },
    "search-domain-https": { resources: SearchTypes.domain, unknown: SKIPPED, protectsData: false },
    "search-index-replicas": { resources: SearchTypes.indexTemplate, unknown: SKIPPED, protectsData: true },
    "search-snapshot-schedule": {
        resources: [...SearchTypes.domain, ...SearchTypes.snapshotPolicy],
        unknown: `a policy whose endpoint, body or schedule is unknown ${FAVOUR}`,
        protectsData: true,
    },
    "search-snapshot-dr-copy": {
        resources: [...SearchTypes.domain, ...SearchTypes.snapshotPolicy, ...SearchTypes.repository, ...BUCKETS, ...StorageTypes.replication, ...StorageTypes.task],
        unknown: `an unknown repository name, bucket, copy source or region ${FAVOUR}`,
        protectsData: true,
    },
    "service-desired-count": { resources: [ServiceTypes.service], unknown: SKIPPED, protectsData: false },
    "service-subnet-zones": {
        resources: [ServiceTypes.service, ServiceTypes.subnet],
        unknown: `unknown subnets or zones ${FAVOUR}; subnets outside the stack count only by number`,
        protectsData: false,
    },
    "service-health-check-grace": { resources: [ServiceTypes.service], unknown: SKIPPED, protectsData: false },
    "service-circuit-breaker": { resources: [ServiceTypes.service], unknown: SKIPPED, protectsData: false },
    "service-target-group-health-check": { resources: ServiceTypes.targetGroup, unknown: SKIPPED, protectsData: false },
    "service-load-balancer-zones": {
        resources: [...ServiceTypes.loadBalancer, ServiceTypes.subnet],
        unknown: `unknown subnets or zones ${FAVOUR}; subnets outside the stack count only by number`,
        protectsData: false,
    },
    "service-uptime-check": {
        resources: [...ServiceTypes.loadBalancer, ServiceTypes.healthCheck, ServiceTypes.canary, ServiceTypes.alarm],
        unknown: `an unknown health-check id or alarm action ${FAVOUR}`,
        protectsData: false,
    },
    "protection-stateful-resources": {
        resources: [...CLUSTERS, ...SearchTypes.domain, ...BUCKETS, "aws:kms/key:Key", ...SearchTypes.repository, ...StorageTypes.encryption],
        unknown: `the protect option is always known; an unknown termination protection ${FAVOUR}`,
        protectsData: true,
    },
    "protection-kms-deletion-window": { resources: ["aws:kms/key:Key", ...StorageTypes.encryption, ...BUCKETS], unknown: `an unknown window ${FAVOUR}`, protectsData: true },
    "monitoring-backup-failure-alerts": {
        resources: [
            AtlasTypes.backupSchedule,
            "mongodbatlas:index/alertConfiguration:AlertConfiguration",
            ...SearchTypes.snapshotPolicy,
            "pulumi-nodejs:dynamic/opensearch:NotificationChannel",
            ...StorageTypes.task,
            ...StorageTypes.replication,
            "aws:backup/plan:Plan",
            "aws:backup/vaultNotifications:VaultNotifications",
            "aws:cloudwatch/eventRule:EventRule",
            "aws:cloudwatch/eventTarget:EventTarget",
            "aws:cloudwatch/metricAlarm:MetricAlarm",
            "aws:sns/topic:Topic",
            "aws:sns/topicSubscription:TopicSubscription",
        ],
        unknown: `an unknown link (project, pattern, rule, topic, subscription) ${FAVOUR}; a topic outside the stack is a violation (its subscribers cannot be seen)`,
        protectsData: true,
    },
};

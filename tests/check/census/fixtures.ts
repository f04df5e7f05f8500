// Resource types and helpers shared by the census specs (policies/census.ts).
import { CensusReference } from "../../../policies/census";

export const BUCKET = "aws:s3/bucket:Bucket";
export const RDS = "aws:rds/instance:Instance";
export const TABLE = "aws:dynamodb/table:Table";
export const EFS = "aws:efs/fileSystem:FileSystem";
export const VERSIONING = "aws:s3/bucketVersioning:BucketVersioning";

// A small pack: two bucket rules (one takes exemptions), an RDS rule, a TLS rule that is no data rule,
// and the rule that judges exemptions (it reads every data-holding type, and protects no data).
export const REF: CensusReference = {
    "bucket-copy": { resources: [BUCKET, "aws:s3/bucketReplicationConfig:BucketReplicationConfig"], protectsData: true },
    "bucket-versioning": { resources: [BUCKET, VERSIONING], protectsData: true },
    "rds-backups": { resources: [RDS], protectsData: true },
    "table-tls": { resources: [TABLE], protectsData: false },
    "data-exemption-reasons": { resources: [BUCKET, RDS, TABLE, EFS], protectsData: true },
};
export const mandatory = (properties: Record<string, unknown> = {}) => ({ enforcementLevel: "mandatory", properties });

// Builds pulumi-language-nodejs, for the conformance suite only.
//
// Blocked here (2026-12-04): the Go module proxy lists versions of this module (v3.252.0 is the
// nearest to the installed @pulumi/pulumi 3.248.0; v3.248.0 itself has no .info) but refuses the
// source of every version: `go mod tidy` in this directory fails with
//   reading …/pulumi-language-nodejs/v3/@v/v3.252.0.zip: 403 Forbidden
//   server response: This module version is not available.
// The language host only launches the program through the program's own @pulumi/pulumi/cmd/run,
// so on a machine where the proxy serves it, this module builds it as it stands.
module continuity.local/conformance/langhost

go 1.25.11

tool github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3

require github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 v3.252.0

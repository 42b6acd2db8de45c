import type { NextConfig } from "next";

// Pin the Turbopack/tracing root to this app: the repository root has its own package-lock.json,
// and Next would otherwise pick that one and warn about multiple lockfiles.
// EDGEGUARD_APP_ROOT lets a generated variant (see tests/support/app-build.mjs) point the root at
// this directory, whose node_modules it shares.
const root = process.env.EDGEGUARD_APP_ROOT || process.cwd();

const nextConfig: NextConfig = {
  turbopack: { root },
  outputFileTracingRoot: root,
  poweredByHeader: false,
};

export default nextConfig;

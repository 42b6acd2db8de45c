// `edgeguard audit [app-dir] [--policy file] [--json]`: every route of a Next.js app, whether the
// middleware runs for it (Next's own matcher semantics), which policy rule covers it, and what
// that rule requires. Exit 1 when a route escapes the middleware or relies on the policy default.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { createRouteMatcher } from "edgeguard";
import { collectRoutes, samplePaths } from "./audit/routes.js";
import { loadMiddlewareMatchers, middlewareCoverage } from "./audit/middleware.js";

const USAGE = "usage: edgeguard audit [app-dir] [--policy policy.json] [--json]";

export async function main(argv) {
  let args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    console.error(`edgeguard audit: ${error.message}\n${USAGE}`);
    return 2;
  }
  let report;
  try {
    report = await audit(args.appDir, args.policyFile);
  } catch (error) {
    console.error(`edgeguard audit: ${error.message}`);
    return 2;
  }
  if (args.json) console.log(JSON.stringify(report, null, 2));
  else printReport(report);
  return report.problems.length > 0 ? 1 : 0;
}

function parseArgs(argv) {
  const out = { appDir: null, policyFile: null, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--json") out.json = true;
    else if (arg === "--policy") {
      if (i + 1 >= argv.length) throw new Error("--policy needs a file");
      out.policyFile = argv[++i];
    } else if (arg.startsWith("--")) throw new Error(`unknown option ${arg}`);
    else if (out.appDir === null) out.appDir = arg;
    else throw new Error(`unexpected argument ${arg}`);
  }
  out.appDir ??= ".";
  return out;
}

/** The audit as data: { appDir, policy, middleware, routes, problems }. */
export async function audit(appDir, policyFile) {
  if (!existsSync(appDir)) throw new Error(`no such directory: ${appDir}`);
  const routes = collectRoutes(appDir);
  if (routes.length === 0) throw new Error(`${appDir}: no app/ or pages/ routes found`);
  const policyPath = policyFile ?? [path.join(appDir, "edgeguard.policy.json")].find(existsSync) ?? null;
  const policy = policyPath ? loadPolicy(policyPath) : null;
  const rules = policy ? compileRules(policy) : null;
  const middleware = await loadMiddlewareMatchers(appDir);

  const problems = [];
  if (!policy) problems.push({ route: null, problem: "no policy: pass --policy or add edgeguard.policy.json" });
  const rows = routes.map((route) => {
    const samples = samplePaths(route.route);
    const coverage = samples.map((s) => middlewareCoverage(middleware.matchers, s));
    const runsMiddleware = coverage.includes("no") ? "no" : coverage.includes("conditional") ? "conditional" : "yes";
    const covering = rules ? samples.map((s) => coveringRule(rules, s)) : [];
    const rule = covering[0] ?? null;
    const row = {
      route: route.route,
      kind: route.kind,
      file: route.file,
      runsMiddleware,
      rule: rule ? rule.name : null,
      requirement: rule ? rule.requirement : null,
    };
    if (covering.some((c) => c.name !== rule.name)) row.ruleVaries = [...new Set(covering.map((c) => c.name))];
    if (runsMiddleware !== "yes") {
      problems.push({ route: route.route, file: route.file, problem: runsMiddleware === "no" ? "escapes the middleware (config.matcher does not cover it)" : "middleware runs only under has/missing conditions" });
    }
    for (const c of covering) {
      if (c.isDefault) {
        problems.push({ route: route.route, file: route.file, problem: `no policy rule matches it: it relies on default (${c.requirement})` });
        break;
      }
    }
    return row;
  });
  return {
    appDir,
    policy: policyPath,
    middleware: { file: middleware.file && path.relative(appDir, middleware.file), source: middleware.source, matchers: (middleware.matchers ?? []).map((m) => m.originalSource ?? m.regexp) },
    routes: rows,
    problems,
  };
}

function loadPolicy(file) {
  let policy;
  try {
    policy = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`cannot read policy ${file}: ${error.message}`);
  }
  if (!policy || !Array.isArray(policy.routes)) throw new Error(`${file}: a policy needs a "routes" array`);
  return policy;
}

function compileRules(policy) {
  const rules = policy.routes.map((rule, index) => {
    const name = rule.name ?? `routes[${index}]`;
    let matcher;
    try {
      matcher = createRouteMatcher(rule.match ?? []);
    } catch (error) {
      if (error?.name !== "RoutePatternError") throw error;
      throw new Error(`policy rule "${name}": ${error.message}`);
    }
    return { name, matcher, requirement: describeRequirement(rule) };
  });
  const fallback = policy.default ?? "deny";
  return { rules, fallback: { name: "default", isDefault: true, requirement: fallback === "signed-in" ? "signed-in" : "deny" } };
}

/** First matching rule, as the guard decides; a path Clerk's matcher would throw on is not one. */
function coveringRule({ rules, fallback }, pathname) {
  for (const rule of rules) {
    let hit = false;
    try {
      hit = rule.matcher(pathname);
    } catch {
      hit = false;
    }
    if (hit) return rule;
  }
  return fallback;
}

function describeRequirement(rule) {
  if (rule.public) return rule.webhook ? `public (webhook: ${rule.webhook}, signature checked)` : "public";
  const require = rule.require ?? {};
  const parts = Object.entries(require).map(([key, value]) => {
    if (value === true) return key;
    if (Array.isArray(value)) return `${key}∈{${value.join(",")}}`;
    if (typeof value === "object" && value !== null) return `${key}=${JSON.stringify(value)}`;
    return `${key}=${value}`;
  });
  return ["signed-in", ...parts].join(" + ") + (rule.hide ? " (hidden: 404)" : "");
}

function printReport(report) {
  console.log(`app:        ${report.appDir}`);
  console.log(`policy:     ${report.policy ?? "(none)"}`);
  console.log(`middleware: ${report.middleware.file ?? "(none)"} — ${report.middleware.source}`);
  for (const m of report.middleware.matchers) console.log(`            matcher ${m}`);
  const header = ["route", "kind", "middleware", "rule", "requirement"];
  const rows = report.routes.map((r) => [r.route, r.kind, r.runsMiddleware, (r.rule ?? "-") + (r.ruleVaries ? ` (varies: ${r.ruleVaries.join("/")})` : ""), r.requirement ?? "-"]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  console.log("");
  console.log(line(header));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const row of rows) console.log(line(row));
  console.log("");
  if (report.problems.length === 0) {
    console.log(`OK: ${report.routes.length} routes, every one runs the middleware and is covered by a policy rule.`);
    return;
  }
  console.log(`${report.problems.length} problem(s):`);
  for (const p of report.problems) console.log(`  ${p.route ?? "-"}${p.file ? ` (${p.file})` : ""}: ${p.problem}`);
}

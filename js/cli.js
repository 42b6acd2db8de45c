#!/usr/bin/env node
// edgeguard CLI: check a policy, explain a decision, audit a Next.js app's route coverage.
import { readFileSync } from "node:fs";
import { createGuard, GuardError, validatePolicy } from "edgeguard";

const USAGE = `usage:
  edgeguard check <policy.json>
  edgeguard explain <policy.json> <url> [--token T | --claims claims.json] [--jwt-key key.pem]
                    [--method M] [--header "name: value"]... [--document] [--json]
  edgeguard audit [app-dir] [--policy policy.json] [--json]`;

async function main(argv) {
  const [command, ...rest] = argv;
  switch (command) {
    case "check":
      return check(rest);
    case "explain":
      return explain(rest);
    case "audit": {
      const { main: audit } = await import("./audit.js");
      return audit(rest);
    }
    case "-h":
    case "--help":
    case undefined:
      console.log(USAGE);
      return command ? 0 : 2;
    default:
      console.error(`edgeguard: unknown command "${command}"\n${USAGE}`);
      return 2;
  }
}

function readText(path, what) {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new CliError(`cannot read ${what} ${path}: ${error.code ?? error.message}`);
  }
}

class CliError extends Error {}

function check(args) {
  const json = args.includes("--json");
  const [file] = args.filter((a) => !a.startsWith("--"));
  if (!file) throw new CliError(`check needs a policy file\n${USAGE}`);
  const result = validatePolicy(readText(file, "policy"));
  if (json) {
    console.log(JSON.stringify(result, null, 2));
  } else {
    for (const e of result.errors) console.log(`error   ${e.path}: ${e.message}`);
    for (const w of result.warnings) console.log(`warning ${w.path}: ${w.message}`);
    console.log(result.ok ? `${file}: valid (${result.warnings.length} warning(s))` : `${file}: ${result.errors.length} error(s)`);
  }
  return result.ok ? 0 : 1;
}

function parseFlags(args) {
  const flags = { headers: [], positional: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => {
      if (i + 1 >= args.length) throw new CliError(`${arg} needs a value`);
      return args[++i];
    };
    if (arg === "--token") flags.token = value();
    else if (arg === "--claims") flags.claims = value();
    else if (arg === "--jwt-key") flags.jwtKey = value();
    else if (arg === "--method") flags.method = value().toUpperCase();
    else if (arg === "--header") flags.headers.push(value());
    else if (arg === "--document") flags.document = true;
    else if (arg === "--json") flags.json = true;
    else if (arg.startsWith("--")) throw new CliError(`unknown option ${arg}`);
    else flags.positional.push(arg);
  }
  return flags;
}

async function explain(args) {
  const flags = parseFlags(args);
  const [policyFile, url] = flags.positional;
  if (!policyFile || !url) throw new CliError(`explain needs a policy file and a URL\n${USAGE}`);
  if (flags.token && flags.claims) throw new CliError("give --token or --claims, not both");
  const options = { policy: readText(policyFile, "policy") };
  const jwtKey = flags.jwtKey ? readText(flags.jwtKey, "JWT key") : process.env.CLERK_JWT_KEY;
  if (jwtKey && flags.token) options.jwtKey = jwtKey;
  const guard = await createGuard({ ...options, onAudit: () => {} });

  const headers = {};
  for (const line of flags.headers) {
    const at = line.indexOf(":");
    if (at <= 0) throw new CliError(`--header "${line}" is not "name: value"`);
    headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
  }
  if (flags.document) headers["sec-fetch-dest"] ??= "document";
  const absolute = /^https?:\/\//i.test(url) ? url : `http://localhost${url.startsWith("/") ? "" : "/"}${url}`;
  const context = {};
  const notes = [];
  if (flags.claims) {
    context.claims = JSON.parse(readText(flags.claims, "claims"));
    notes.push("claims taken as verified (as Clerk's middleware would pass them)");
  } else if (flags.token && options.jwtKey) {
    headers.authorization = `Bearer ${flags.token}`;
    notes.push("token verified with the given JWT key");
  } else if (flags.token) {
    context.claims = decodePayload(flags.token);
    notes.push("no --jwt-key / CLERK_JWT_KEY: token payload decoded WITHOUT signature verification");
  }
  const { decision, trace } = guard.explain({ method: flags.method ?? "GET", url: absolute, headers }, context);
  if (flags.json) {
    console.log(JSON.stringify({ decision, trace, notes }, null, 2));
  } else {
    for (const note of notes) console.log(`note: ${note}`);
    for (const line of trace) console.log(line);
    const where = decision.location ? ` → ${decision.location}` : "";
    console.log(`\n${decision.action.toUpperCase()} ${decision.status}${where}  reason=${decision.reason} rule=${decision.rule ?? "(default)"}`);
  }
  return decision.action === "allow" ? 0 : 1;
}

function decodePayload(token) {
  const part = String(token).split(".")[1];
  if (!part) throw new CliError("--token is not a JWT (header.payload.signature)");
  try {
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch {
    throw new CliError("--token payload is not base64url JSON");
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof CliError || error instanceof GuardError) console.error(`edgeguard: ${error.message}`);
    else console.error(error);
    process.exit(2);
  },
);

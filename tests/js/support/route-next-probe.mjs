// Ground truth from a real Next.js server: builds tests/fixtures/route-next-app once (stamped),
// starts `next start` on a free port, sends raw request-targets (no client-side URL clean-up),
// and reports per path: HTTP status, redirect target, the pathname the middleware saw
// (req.nextUrl.pathname, what Clerk's matcher tests), and which page answered.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../../support/ports.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
export const fixtureDir = path.resolve(here, "..", "..", "fixtures", "route-next-app");
const nextBin = path.resolve(here, "..", "..", "..", "node_modules", "next", "dist", "bin", "next");

function stampOf(dir) {
  const hash = createHash("sha256");
  const walk = (p) => {
    const name = path.basename(p);
    if ([".next", "node_modules", "next-env.d.ts"].includes(name)) return;
    if (statSync(p).isDirectory()) for (const e of readdirSync(p).sort()) walk(path.join(p, e));
    else hash.update(path.relative(dir, p)).update(readFileSync(p));
  };
  walk(dir);
  return hash.digest("hex");
}

function run(args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, ...args], { cwd: fixtureDir, env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (out += c));
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`next ${args[0]} failed (${code}):\n${out}`))));
  });
}

/** `next build` of the fixture unless the build on disk came from the same sources. */
export async function buildFixture() {
  const stamp = stampOf(fixtureDir);
  const stampFile = path.join(fixtureDir, ".next", "eg-stamp");
  if (existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp) return;
  await run(["build"]);
  writeFileSync(stampFile, stamp);
}

/** Starts `next start`; returns { port, stop }. */
export async function startFixture() {
  const port = await freePort();
  const child = spawn(process.execPath, [nextBin, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: fixtureDir,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let logs = "";
  child.stdout.on("data", (c) => (logs += c));
  child.stderr.on("data", (c) => (logs += c));
  const stop = () => new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", resolve);
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 5000).unref();
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const answer = await rawGet(port, "/").catch(() => null);
    if (answer && answer.status === 200) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`next start did not come up:\n${logs}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { port, stop, logs: () => logs };
}

/** One GET with the request-target sent byte for byte as given (UTF-8 for non-ASCII). */
export function rawGet(port, target) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks = [];
    socket.setTimeout(15_000, () => socket.destroy(new Error(`timeout on ${target}`)));
    socket.on("error", reject);
    socket.on("data", (c) => chunks.push(c));
    socket.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const [head, ...rest] = text.split("\r\n\r\n");
      const lines = head.split("\r\n");
      const status = Number(lines[0].split(" ")[1]);
      const headers = {};
      for (const line of lines.slice(1)) {
        const at = line.indexOf(":");
        if (at > 0) headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
      }
      const body = rest.join("\r\n\r\n");
      const marker = /EG-PAGE:(\S+) EG-PARAMS:(.*?):EG-END/.exec(body.replace(/&quot;/g, '"').replace(/&amp;/g, "&"));
      const seen = headers["x-eg-mw-pathname"];
      resolve({
        target,
        status,
        location: headers.location ?? null,
        middlewarePathname: seen === undefined ? null : decodeURIComponent(seen),
        page: marker ? marker[1] : null,
        params: marker ? marker[2] : null,
      });
    });
    socket.write(Buffer.concat([Buffer.from(`GET `), Buffer.from(target, "utf8"), Buffer.from(` HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`)]));
  });
}

/** Builds, starts, probes every target (sequentially), stops. */
export async function probe(targets) {
  await buildFixture();
  const server = await startFixture();
  try {
    const out = [];
    for (const target of targets) out.push(await rawGet(server.port, target).catch((e) => ({ target, error: e.message })));
    return out;
  } finally {
    await server.stop();
  }
}

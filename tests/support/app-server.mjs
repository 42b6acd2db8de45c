// `next start` of a built example on a free localhost port, stopped by its pid. Bound to
// "localhost", not 127.0.0.1: Next proxies middleware-passed requests to localhost:PORT itself. The server's output
// is kept (last 200 lines) so a failing test can show it.
import { spawn } from "node:child_process";
import path from "node:path";
import { exampleDir } from "./paths.mjs";
import { freePort } from "./ports.mjs";

const FAKE_SECRET_KEY = "sk_live_edgeguard_offline_example_not_a_real_key";
const running = new Set();

process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/**
 * Starts `next start` in `dir` (from buildExample). `jwtKey` is the SPKI PEM Clerk verifies session
 * tokens with; it reaches the middleware through the environment at start time.
 */
export async function startApp({ dir = exampleDir, jwtKey, env = {}, readyTimeoutMs = 60_000 } = {}) {
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const child = spawn(
    process.execPath,
    [path.join(exampleDir, "node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port), "-H", "localhost"],
    {
      cwd: dir,
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        CLERK_SECRET_KEY: FAKE_SECRET_KEY,
        ...(jwtKey ? { CLERK_JWT_KEY: jwtKey } : {}),
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  running.add(child);
  const lines = [];
  const keep = (chunk) => {
    for (const line of String(chunk).split("\n")) if (line) lines.push(line);
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  let exitInfo = null;
  exited.then((info) => {
    exitInfo = info;
    running.delete(child);
  });

  const stop = async () => {
    if (exitInfo) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exitInfo) throw new Error(`next start exited early (${JSON.stringify(exitInfo)}):\n${lines.join("\n")}`);
    try {
      const response = await fetch(`${origin}/api/public/ping`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`next start did not answer on ${origin} within ${readyTimeoutMs} ms:\n${lines.join("\n")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { origin, port, pid: child.pid, stop, logs: () => lines.join("\n") };
}
